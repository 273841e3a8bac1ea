/*
 * win_helper.c — a tiny Windows program the Wine tests start as the
 * "command": it exits with a code, echoes its argv or a variable (as hex of
 * UTF-8, so no quoting can blur the result), sleeps, or starts a grandchild.
 */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static void print_hex(const wchar_t *w) {
    char utf8[4096];
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, utf8, sizeof utf8, NULL, NULL);
    for (int i = 0; i + 1 < n; i++)
        printf("%02x", (unsigned char)utf8[i]);
    printf("\n");
}

static BOOL WINAPI on_ctrl_c(DWORD event) {
    if (event == CTRL_C_EVENT)
        ExitProcess(42);
    return FALSE;
}

int wmain(int argc, wchar_t **argv) {
    if (argc < 2)
        return 100;
    if (wcscmp(argv[1], L"exit") == 0 && argc == 3)
        ExitProcess((UINT)wcstoul(argv[2], NULL, 10));
    if (wcscmp(argv[1], L"argv") == 0) {
        for (int i = 2; i < argc; i++)
            print_hex(argv[i]);
        return 0;
    }
    if (wcscmp(argv[1], L"env") == 0 && argc == 3) {
        wchar_t value[4096];
        DWORD n = GetEnvironmentVariableW(argv[2], value, 4096);
        if (n == 0 || n >= 4096)
            printf("<unset>\n");
        else
            print_hex(value);
        return 0;
    }
    if (wcscmp(argv[1], L"sleep") == 0 && argc == 3) {
        Sleep((DWORD)wcstoul(argv[2], NULL, 10));
        return 0;
    }
    if (wcscmp(argv[1], L"wait-ctrl-c") == 0) {
        /* Exits 42 when Ctrl-C reaches it; 43 if it never does. */
        SetConsoleCtrlHandler(on_ctrl_c, TRUE);
        printf("ready\n");
        fflush(stdout);
        Sleep(20000);
        return 43;
    }
    if (wcscmp(argv[1], L"spawn-grandchild") == 0) {
        /* Starts "<self> sleep 60000" and exits at once, leaving it behind. */
        wchar_t self[MAX_PATH], line[MAX_PATH + 32];
        GetModuleFileNameW(NULL, self, MAX_PATH);
        _snwprintf(line, MAX_PATH + 32, L"\"%ls\" sleep 60000", self);
        STARTUPINFOW si = {.cb = sizeof si};
        PROCESS_INFORMATION pi;
        if (!CreateProcessW(self, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
            return 101;
        printf("%lu\n", (unsigned long)pi.dwProcessId);
        fflush(stdout);
        return 0;
    }
    return 102;
}
