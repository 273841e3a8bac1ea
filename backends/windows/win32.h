/*
 * win32.h — the Windows-only half of the admin-free backend (built with
 * mingw-w64 or MSVC; never on Linux).  Every function returns 0 or a negative
 * code (-(Win32 error), or a negative errno from the platform-neutral parts)
 * and fills rf_error with the operation, the object and the system's text.
 *
 * Order of a run, each step saying what it stops:
 *   1. rf_win_state_load         SIDs per root, kept across runs (cost paid once)
 *   2. rf_win_acl_apply          ACEs the plan asks for, only those missing
 *   3. rf_win_state_save         record them for `ungrant` (atomic replace)
 *   4. rf_win_token_create       write-restricted token: writes need a root SID
 *   5. rf_win_spawn              suspended, in a kill-on-close job, only stdio
 *                                handles inherited, then resumed
 *   6. rf_win_wait               exit code or timeout; the job ends the tree
 */
#ifndef RF_WIN_WIN32_H
#define RF_WIN_WIN32_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdbool.h>
#include <stdint.h>

#include "backends/windows/acl_plan.h"
#include "backends/windows/state.h"
#include "core/ringfence.h"

/* ---- errors (win_error.c) ---- */

/* Like rf_fail, appending ": <FormatMessage text> (error N)"; returns -code. */
int rf_win_fail(rf_error *err, DWORD code, const char *fmt, ...)
    __attribute__((format(gnu_printf, 3, 4)));

/* Malloc'd UTF-16 / UTF-8 copies (platform-neutral converters underneath). */
int rf_win_wide(const char *utf8, wchar_t **out, rf_error *err);
int rf_win_narrow(const wchar_t *wide, char **out, rf_error *err);

/* ---- environment probes (wine_win.c, rng_win.c) ---- */

/* The Wine version when running under Wine (ntdll exports wine_get_version),
 * else NULL.  Wine does not enforce restricted SIDs or file DACLs. */
const char *rf_win_wine_version(void);

/* rf_random_fn over BCryptGenRandom (system-preferred RNG). */
int rf_win_random(void *ctx, uint8_t *buf, size_t len, rf_error *err);

/* ---- state file (state_file_win.c) ---- */

/* %LOCALAPPDATA%\ringfence, created when absent (malloc'd UTF-8). */
int rf_win_local_app_dir(char **out, rf_error *err);
/* %LOCALAPPDATA%\ringfence\state.json (malloc'd UTF-8). */
int rf_win_state_path(char **out, rf_error *err);
/* Reads the file (a missing file is an empty state). */
int rf_win_state_load(const char *path, rf_win_state **out, rf_error *err);
/* Writes path.tmp, flushes it, then MoveFileExW(REPLACE_EXISTING |
 * WRITE_THROUGH): a crash leaves the old or the new file, never half. */
int rf_win_state_save(const char *path, const rf_win_state *state, rf_error *err);
/* The folder's final path (GetFinalPathNameByHandleW: 8.3 names, junctions,
 * symlinks and case resolved), without the \\?\ prefix. */
int rf_win_canonical_dir(const char *path, char **out, rf_error *err);

/* ---- denybin (denybin_win.c) ---- */

/* Installs the built-in .cmd stubs into %LOCALAPPDATA%\ringfence\denybin,
 * writing only those missing or changed (*written counts them); *dir is the
 * folder (malloc'd UTF-8), to be put first on the command's PATH. */
int rf_win_denybin_install(char **dir, size_t *written, rf_error *err);

/* ---- ACLs (acl_apply_win.c) ---- */

typedef struct rf_win_apply_report {
    size_t added;    /* ACEs written */
    size_t present;  /* ACEs already there */
    size_t created;  /* protected folders created */
    char warning[512]; /* a non-fatal failure (the NUL device), or "" */
} rf_win_apply_report;

/* Applies the plan; records every ACE it adds in `state`. */
int rf_win_acl_apply(const rf_acl_plan *plan, rf_win_state *state, rf_win_apply_report *report,
                     rf_error *err);
/* True when an explicit (not inherited) ACE of the same type, SID and
 * inheritance, granting at least `want->mask`, is in the DACL. */
bool rf_win_acl_has_ace(PACL dacl, const rf_ace *want, PSID sid);
/* Removes the given ACEs (from rf_win_state_take_grants_under). */
int rf_win_acl_revoke(const rf_ace *aces, size_t n, rf_error *err);

/* ---- token (token_win.c) ---- */

/* CreateRestrictedToken(DISABLE_MAX_PRIVILEGE | LUA_TOKEN | WRITE_RESTRICTED)
 * with exactly `sids` as restricting SIDs (each must be a synthetic per-root
 * SID: shared SIDs are refused, Codex issue #17551), and a default DACL that
 * grants the user, SYSTEM and the restricting SIDs full access so the
 * command can use the pipes and objects it creates. */
int rf_win_token_create(const char *const *sids, size_t n, HANDLE *out, rf_error *err);

/* ---- launch (launch_win.c, job_win.c) ---- */

typedef struct rf_win_launch {
    char *const *argv;      /* UTF-8; argv[0] looked up on the env's PATH/PATHEXT */
    char *const *envp;      /* final environment, UTF-8 */
    const char *cwd;        /* NULL: the current directory */
    HANDLE token;           /* restricted token, or NULL for the caller's own */
    HANDLE std_in, std_out, std_err;
} rf_win_launch;

typedef struct rf_win_child {
    HANDLE process;
    HANDLE job;
    DWORD pid;
} rf_win_child;

/* A job that kills every process in it when its last handle closes. */
int rf_win_job_create(HANDLE *out, rf_error *err);

/* Resolves argv[0] against PATH and PATHEXT of envp (malloc'd UTF-8). */
int rf_win_find_program(const char *name, char *const *envp, char **out, rf_error *err);

int rf_win_spawn(const rf_win_launch *launch, rf_win_child *child, rf_error *err);

typedef struct rf_win_outcome {
    DWORD exit_code;
    bool timed_out;
} rf_win_outcome;

/* Waits (timeout_ms: INFINITE for none); on timeout ends the job.  The job
 * is also ended after the command exits, so no grandchild outlives the run.
 * Ctrl-C / Ctrl-Break reach the command through the shared console; while
 * waiting, ringfence ignores them itself and ends the job on console close. */
int rf_win_wait(rf_win_child *child, DWORD timeout_ms, rf_win_outcome *out, rf_error *err);
void rf_win_child_close(rf_win_child *child);

#endif
