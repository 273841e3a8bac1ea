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
 * managed policy, "FILE: ok" or the first error; 0, 125, or 2 for usage. */
int rf_win_cmd_policy_check(int argc, char **argv);

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

#endif
