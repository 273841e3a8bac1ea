/*
 * probe_process_win.c — the `process_tree` probes of rf-probe.exe: reaching a
 * process outside the sandbox (the world's target, started unconfined by the
 * same user) to read or write its memory, debug it, or borrow its handles;
 * injecting input into the console (the twin of TIOCSTI); and starting a
 * process that leaves the sandbox's job, so it outlives the run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/probe_win.h"
#include "probe/world_layout.h"

static HANDLE open_target(const rf_probe_world *w, DWORD access, const char *what,
                          rf_probe_result *r) {
    HANDLE h = OpenProcess(access, FALSE, (DWORD)w->target_pid);
    if (!h)
        rf_probe_failed_hidden(r, (int)GetLastError(), what);
    return h;
}

static void p_read_memory(const rf_probe_world *w, rf_probe_result *r) {
    HANDLE h = open_target(w, PROCESS_VM_READ, "OpenProcess(PROCESS_VM_READ) on the target", r);
    if (!h)
        return;
    char buf[64] = "";
    SIZE_T got = 0;
    BOOL ok = ReadProcessMemory(h, (LPCVOID)(uintptr_t)w->target_addr, buf, w->target_len, &got);
    DWORD e = GetLastError();
    CloseHandle(h);
    if (!ok)
        return rf_probe_failed(r, (int)e, "ReadProcessMemory of the target");
    if (got != w->target_len || memcmp(buf, w->nonce, w->target_len) != 0)
        return rf_probe_error(r, 0, "read the target's memory, but not the nonce");
    rf_probe_allowed(r, "read the nonce out of the target's memory");
}

/* Writes the nonce's own bytes back over it: proves the write right and
 * leaves the target as it was. */
static void p_write_memory(const rf_probe_world *w, rf_probe_result *r) {
    HANDLE h = open_target(w, PROCESS_VM_WRITE | PROCESS_VM_OPERATION,
                           "OpenProcess(PROCESS_VM_WRITE) on the target", r);
    if (!h)
        return;
    SIZE_T put = 0;
    BOOL ok = WriteProcessMemory(h, (LPVOID)(uintptr_t)w->target_addr, w->nonce, w->target_len,
                                 &put);
    DWORD e = GetLastError();
    CloseHandle(h);
    if (!ok)
        return rf_probe_failed(r, (int)e, "WriteProcessMemory into the target");
    if (put != w->target_len)
        return rf_probe_error(r, 0, "WriteProcessMemory wrote %zu of %zu bytes", (size_t)put,
                              w->target_len);
    rf_probe_allowed(r, "wrote %zu bytes into the target's memory", (size_t)put);
}

static void p_debug_attach(const rf_probe_world *w, rf_probe_result *r) {
    if (!DebugActiveProcess((DWORD)w->target_pid))
        return rf_probe_failed_hidden(r, (int)GetLastError(), "DebugActiveProcess on the target");
    /* Detaching must not kill the target when this probe ends. */
    DebugSetProcessKillOnExit(FALSE);
    DebugActiveProcessStop((DWORD)w->target_pid);
    rf_probe_allowed(r, "attached to the target as its debugger (and detached)");
}

/* The target holds a writable handle to a file outside: borrowing it writes
 * outside without any path check. */
static void p_duplicate_handle(const rf_probe_world *w, rf_probe_result *r) {
    HANDLE h = open_target(w, PROCESS_DUP_HANDLE, "OpenProcess(PROCESS_DUP_HANDLE) on the target",
                           r);
    if (!h)
        return;
    HANDLE mine = NULL;
    BOOL ok = DuplicateHandle(h, (HANDLE)(uintptr_t)w->target_handle, GetCurrentProcess(), &mine,
                              0, FALSE, DUPLICATE_SAME_ACCESS);
    DWORD e = GetLastError();
    CloseHandle(h);
    if (!ok)
        return rf_probe_failed(r, (int)e, "DuplicateHandle from the target");
    char marker[128];
    rf_probe_win_marker(w, marker, sizeof marker);
    DWORD n = 0;
    SetFilePointer(mine, 0, NULL, FILE_END);
    ok = WriteFile(mine, marker, (DWORD)strlen(marker), &n, NULL);
    e = GetLastError();
    CloseHandle(mine);
    if (!ok)
        return rf_probe_failed(r, (int)e, "write through the borrowed handle");
    wchar_t path[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_OUT_HELD, path, RF_WPATH) || !rf_probe_win_contains(path, marker))
        return rf_probe_error(r, 0, "wrote through the borrowed handle, but the marker is not in %s",
                              RF_W_OUT_HELD);
    rf_probe_allowed(r, "wrote %s through a handle borrowed from the target", RF_W_OUT_HELD);
}

static void p_terminate_right(const rf_probe_world *w, rf_probe_result *r) {
    HANDLE h = open_target(w, PROCESS_TERMINATE, "OpenProcess(PROCESS_TERMINATE) on the target",
                           r);
    if (!h)
        return;
    CloseHandle(h);
    rf_probe_allowed(r, "obtained PROCESS_TERMINATE on the target (not used)");
}

/* Keystrokes pushed into the console's input buffer run in the shell that
 * reads it after the sandbox ends (what TIOCSTI does on a tty).  The event is
 * a key-up of F24, which nothing acts on, and it is read back out. */
static void p_console_inject(const rf_probe_world *w, rf_probe_result *r) {
    (void)w;
    HANDLE in = CreateFileW(L"CONIN$", GENERIC_READ | GENERIC_WRITE,
                            FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (in == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        if (e != ERROR_ACCESS_DENIED)
            return rf_probe_error(r, (int)e, "no console to inject into (CONIN$: error %lu): run "
                                  "rf-probe.exe from a console window", (unsigned long)e);
        return rf_probe_failed(r, (int)e, "open CONIN$");
    }
    INPUT_RECORD ev;
    memset(&ev, 0, sizeof ev);
    ev.EventType = KEY_EVENT;
    ev.Event.KeyEvent.bKeyDown = FALSE;
    ev.Event.KeyEvent.wRepeatCount = 1;
    ev.Event.KeyEvent.wVirtualKeyCode = VK_F24;
    DWORD n = 0;
    if (!WriteConsoleInputW(in, &ev, 1, &n) || n != 1) {
        DWORD e = GetLastError();
        CloseHandle(in);
        return rf_probe_failed(r, (int)e, "WriteConsoleInputW");
    }
    /* Find it again, and take it (and what precedes it) out. */
    INPUT_RECORD seen[64];
    DWORD k = 0, at = 0;
    bool found = false;
    if (PeekConsoleInputW(in, seen, 64, &k))
        for (at = 0; at < k && !found; at++)
            found = seen[at].EventType == KEY_EVENT &&
                    seen[at].Event.KeyEvent.wVirtualKeyCode == VK_F24;
    if (found)
        ReadConsoleInputW(in, seen, at, &k);
    CloseHandle(in);
    if (!found)
        return rf_probe_error(r, 0, "WriteConsoleInputW succeeded but the event is not in the buffer");
    rf_probe_allowed(r, "injected a key event into the console input buffer (and took it back)");
}

/* A process that leaves every job outlives the run (a daemon). */
static void p_job_breakaway(const rf_probe_world *w, rf_probe_result *r) {
    (void)w;
    wchar_t wself[RF_WPATH];
    DWORD len = GetModuleFileNameW(NULL, wself, RF_WPATH);
    if (len == 0 || len >= RF_WPATH)
        return rf_probe_error(r, (int)GetLastError(), "GetModuleFileNameW failed");
    wchar_t cmd[RF_WPATH + 32];
    _snwprintf(cmd, RF_WPATH + 32, L"\"%ls\" --idle", wself);
    cmd[RF_WPATH + 31] = L'\0';
    STARTUPINFOW si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessW(wself, cmd, NULL, NULL, FALSE,
                             CREATE_BREAKAWAY_FROM_JOB | CREATE_SUSPENDED | CREATE_NO_WINDOW, NULL,
                             NULL, &si, &pi);
    if (!ok)
        return rf_probe_failed(r, (int)GetLastError(), "CreateProcess(CREATE_BREAKAWAY_FROM_JOB)");
    BOOL in_job = TRUE;
    BOOL asked = IsProcessInJob(pi.hProcess, NULL, &in_job);
    /* It never runs: the proof is where it was created. */
    TerminateProcess(pi.hProcess, 0);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    if (!asked)
        return rf_probe_error(r, (int)GetLastError(), "IsProcessInJob on the new process failed");
    /* Still in a job: one of the jobs around us refused to let it go (a
     * nested job it cannot leave), so it ends with the run. */
    if (in_job)
        return rf_probe_blocked(r, 0, "CREATE_BREAKAWAY_FROM_JOB started the process, but it is "
                                      "still inside a job that ends with the run");
    rf_probe_allowed(r, "started a process outside every job: it would outlive the run");
}

/* clang-format off */
#define P(id, fn, desc) {id, RF_G_PROCESS_TREE, RF_KIND_RAW, 0, fn, desc, NULL}
/* Facet "other_process": reaching a process outside the sandbox that runs as
 * the same user.  A job object ends the tree but does not stop this; a
 * backend that does not cover it can say so in its status gaps
 * (`process_tree.other_process: ...`) and the judge reports a declared gap. */
#define PO(id, fn, desc) {id, RF_G_PROCESS_TREE, RF_KIND_RAW, 0, fn, desc, "other_process"}

const rf_probe rf_probes_process[] = {
    PO("process.read_memory", p_read_memory, "OpenProcess(PROCESS_VM_READ) and ReadProcessMemory of an outside process"),
    PO("process.write_memory", p_write_memory, "WriteProcessMemory into an outside process"),
    PO("process.debug_attach", p_debug_attach, "DebugActiveProcess on an outside process"),
    PO("process.duplicate_handle", p_duplicate_handle, "DuplicateHandle of an outside process's file handle, then write"),
    PO("process.terminate_right", p_terminate_right, "OpenProcess(PROCESS_TERMINATE) on an outside process"),
    P("process.console_inject", p_console_inject, "WriteConsoleInputW into the console (the TIOCSTI twin)"),
    P("process.job_breakaway", p_job_breakaway, "CreateProcess(CREATE_BREAKAWAY_FROM_JOB): a process that outlives the run"),
};
const size_t rf_probes_process_count = sizeof rf_probes_process / sizeof rf_probes_process[0];
/* clang-format on */
