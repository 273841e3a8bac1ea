/*
 * probe_deny_read_win.c — the `deny_read` probes of rf-probe.exe: the planted
 * secret cannot be read or listed, under its plain name or as its default
 * stream, and the named pipe standing for \\.\pipe\docker_engine cannot be
 * opened.  Allowed means the nonce came back.
 */
#include <stdio.h>
#include <string.h>

#include "probe/probe_win.h"
#include "probe/world_layout.h"

static void read_for_nonce(const rf_probe_world *w, const wchar_t *path, const char *what,
                           rf_probe_result *r) {
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return rf_probe_failed_hidden(r, (int)GetLastError(), what);
    char buf[512];
    DWORD n = 0;
    BOOL ok = ReadFile(h, buf, sizeof buf - 1, &n, NULL);
    DWORD e = GetLastError();
    CloseHandle(h);
    if (!ok)
        return rf_probe_failed(r, (int)e, what);
    buf[n] = '\0';
    if (n == 0)
        return rf_probe_blocked(r, 0, "%s: empty (covered)", what);
    if (!strstr(buf, w->nonce))
        return rf_probe_error(r, 0, "%s: read %lu bytes without the nonce", what,
                              (unsigned long)n);
    rf_probe_allowed(r, "%s: the secret's nonce came back", what);
}

static void p_read_file(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_SECRET_FILE, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    read_for_nonce(w, path, "read the secret", r);
}

static void p_ads_secret(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH], stream[RF_WPATH + 16];
    if (!rf_probe_wpath(w, RF_W_SECRET_FILE, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    _snwprintf(stream, RF_WPATH + 16, L"%ls::$DATA", path);
    stream[RF_WPATH + 15] = L'\0';
    read_for_nonce(w, stream, "read the secret as token.txt::$DATA", r);
    /* The file is there by its plain name but not by its stream name: the
     * filesystem knows no streams (not NTFS, or Wine), which hides nothing. */
    DWORD e = (DWORD)r->err;
    if (r->outcome == RF_OUT_BLOCKED && (e == ERROR_FILE_NOT_FOUND || e == ERROR_INVALID_NAME) &&
        rf_probe_win_exists(path))
        rf_probe_error(r, (int)e, "token.txt exists but its ::$DATA name is not understood here "
                                  "(no NTFS stream names)");
}

static void p_list_dir(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t pattern[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_SECRET_DIR "/*", pattern, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(pattern, &fd);
    if (h == INVALID_HANDLE_VALUE)
        return rf_probe_failed_hidden(r, (int)GetLastError(), "list the secret folder");
    bool seen = false;
    do
        seen = seen || wcscmp(fd.cFileName, L"token.txt") == 0;
    while (FindNextFileW(h, &fd));
    FindClose(h);
    if (!seen)
        return rf_probe_blocked(r, 0, "listed the secret folder, but token.txt is not in it");
    rf_probe_allowed(r, "listed the secret folder: token.txt is there");
}

/* The world's pipe server writes the nonce to whoever connects. */
static void p_named_pipe(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t pipe[300];
    if (!rf_probe_widen(w->pipe, pipe, 300))
        return rf_probe_error(r, ERROR_INVALID_NAME, "bad pipe name");
    if (!WaitNamedPipeW(pipe, 5000) && GetLastError() != ERROR_SEM_TIMEOUT)
        return rf_probe_failed_hidden(r, (int)GetLastError(), "wait for the docker_engine pipe");
    read_for_nonce(w, pipe, "connect to the docker_engine pipe stand-in", r);
}

/* clang-format off */
#define P(id, fn, desc) {id, RF_G_DENY_READ, RF_KIND_RAW, 0, fn, desc, NULL}

const rf_probe rf_probes_deny_read[] = {
    P("deny_read.read_file", p_read_file, "read the planted secret"),
    P("deny_read.ads_secret", p_ads_secret, "read the secret as its default stream (token.txt::$DATA)"),
    P("deny_read.list_dir", p_list_dir, "list the secret's folder"),
    P("deny_read.named_pipe", p_named_pipe, "connect to the named pipe standing for \\\\.\\pipe\\docker_engine"),
};
const size_t rf_probes_deny_read_count = sizeof rf_probes_deny_read / sizeof rf_probes_deny_read[0];
/* clang-format on */
