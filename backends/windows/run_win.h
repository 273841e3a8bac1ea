/*
 * run_win.h — `ringfence run` on Windows (run_win.c, run_env_win.c): the same
 * options, policy (core's rf_policy_load: user policy + managed policy, same
 * merge rules) and exit codes as the core CLI on Linux.
 */
#ifndef RF_WIN_RUN_WIN_H
#define RF_WIN_RUN_WIN_H

#include "backends/windows/win32.h"
#include "core/policy.h"

/* `ringfence run [options] -- CMD ARGS...`; argv[0] is "run".  Returns the
 * exit code (DESIGN.md): the command's own, 124 timeout, 125 ringfence
 * failed, 126 cannot be executed, 127 not found. */
int rf_win_cmd_run(int argc, char **argv);

/* `ringfence policy check FILE` (argv[0] is "policy"): FILE merged with the
 * managed policy, "FILE: ok" or the first error; and `ringfence policy show
 * [options] [--json]`: the merged policy with the source of every value, as
 * core's CLI prints it.  0, 125, or 2 for usage. */
int rf_win_cmd_policy(int argc, char **argv);

/* The command's environment: the parent's, scrubbed and set by the policy;
 * with the network off, env/'s shim table (Windows values) and `denybin_dir`
 * first on PATH with .CMD in PATHEXT; TEMP and TMP set to `tmp_dir` when not
 * NULL; NoDefaultCurrentDirectoryInExePath=1.  Free with rf_env_free. */
int rf_win_run_env(const rf_policy *policy, const char *denybin_dir, const char *tmp_dir,
                   char ***out, rf_error *err);

/* Where the managed policy lives: %ProgramData%\ringfence\managed.json,
 * found through the known-folder API (not the environment, which the user
 * controls).  Malloc'd; NULL when it cannot be found. */
char *rf_win_managed_policy_path(void);

/* ---- the audit log of a run (run_audit_win.c) ---- */

typedef struct rf_win_run_audit {
    char *path; /* the log */
    const rf_policy *policy;
    char run_id[33];
    char policy_sha256[65];
    bool started; /* run.start is written */
    double started_ms;
} rf_win_run_audit;

/* Before anything changes on disk: the policy's digest, the log's path
 * (%LOCALAPPDATA%\ringfence\audit.jsonl), refused inside a writable root. */
int rf_win_audit_open(rf_win_run_audit *a, const rf_policy *policy, rf_error *err);
/* Writes run.start: backend, guarantees, gaps, policy digest, cwd and argv.
 * Fails closed: no record, no run. */
int rf_win_audit_start(rf_win_run_audit *a, const rf_backend_status *st, char *const *argv,
                       rf_error *err);
/* Writes run.end (after the command's job is closed); `status` is the
 * command's exit code, or -1 when it never ran. */
int rf_win_audit_end(rf_win_run_audit *a, int exit_code, long long status, bool timed_out,
                     rf_error *err);
void rf_win_audit_free(rf_win_run_audit *a);
/* Best effort: a policy.error record for a refused policy. */
void rf_win_audit_policy_error(const rf_error *policy_err, const char *policy_file);

#endif
