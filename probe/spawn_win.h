/*
 * spawn_win.h — starting a program and capturing what it prints, for
 * rf-probe.exe: the tools a probe runs (curl, git, ssh), one probe per child,
 * and the driver's two passes (unconfined, then under ringfence-win.exe).
 */
#ifndef RF_PROBE_SPAWN_WIN_H
#define RF_PROBE_SPAWN_WIN_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdbool.h>
#include <stddef.h>

typedef struct rf_spawn_request {
    char *const *argv;      /* UTF-8, argv[0] a path or a name found on PATH */
    char *const *envp;      /* "NAME=VALUE" UTF-8, NULL: inherit ours */
    DWORD timeout_ms;       /* then the child's job is ended */
    bool with_stderr;       /* stderr into the same capture, else ours */
} rf_spawn_request;

typedef struct rf_spawn_result {
    char *out; /* malloc'd, NUL-terminated (free it) */
    size_t len;
    DWORD exit_code;
    bool timed_out;
} rf_spawn_result;

/* Runs the request with stdin from NUL, in a kill-on-close job of its own
 * (nested in ours when we are in one), so a timeout ends the whole tree.
 * Returns 0, or the Win32 error when the program could not start. */
DWORD rf_spawn_capture(const rf_spawn_request *req, rf_spawn_result *res);

/* This program's own path (UTF-8, malloc'd), or NULL. */
char *rf_spawn_self_path(void);

#endif
