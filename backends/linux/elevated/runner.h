/*
 * runner.h — the pieces of ringfence-runner (setuid root), one file each:
 *
 *   runner_sanitize.c   setuid hygiene before anything is read
 *   runner_checks.c     who may ask (group) and for what (owned, granted roots)
 *   runner_env.c        the command's environment from the request, minus the
 *                       loader's variables
 *   runner_identity.c   becoming the sandbox user, and proving it stuck
 *   runner_sandbox.c    the plan (mounts, Landlock, seccomp), the namespaces,
 *                       the command, and the supervision until it ends
 *   runner_main.c       the one ordered path through the above
 *   runner_record_path*.c  where setup.json is (fixed, or beside the test build)
 *
 * Everything reports through rf_error; only runner_main.c decides how the run
 * ends.
 */
#ifndef RF_ELEVATED_RUNNER_H
#define RF_ELEVATED_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "backends/linux/elevated/runner_request.h"
#include "backends/linux/elevated/setup_record.h"
#include "core/ringfence.h"

/* ---- runner_record_path.c / runner_record_path_testbuild.c ---------------- */

/* The setup record this runner trusts: RF_SETUP_RECORD_PATH, or (test build)
 * setup.json in the directory of /proc/self/exe — never a path from the
 * environment or the request. */
int rf_runner_record_path(char *out, size_t len, rf_error *err);

/* ---- runner_sanitize.c ----------------------------------------------------- */

/* fds 0-2 open (else /dev/null), fds 3 and 4 pipes marked close-on-exec,
 * every other fd closed; empty environment, default signal dispositions and
 * an empty mask, umask 022, no core dumps.  Returns 0 or -errno. */
int rf_runner_sanitize(rf_error *err);

/* The caller's resource limits, saved by rf_runner_sanitize (which gives the
 * root phase known ones), put back in the command process before it execs
 * (heap-free).  Returns 0 or -errno. */
int rf_runner_restore_caller_limits(void);

/* ---- runner_checks.c ------------------------------------------------------- */

/* The real gid or a supplementary group of the caller is `group`. */
bool rf_runner_caller_in_group(gid_t group);

/* Opens `path` (O_PATH, no symlink as last component) with the caller's
 * filesystem identity, checks that the directory is owned by `caller` and
 * carries named-user ACL entries rwx for both sandbox users, and returns the
 * fd (close-on-exec) for the rules that follow, so a later swap of the path
 * cannot redirect them. */
int rf_runner_open_granted_root(const char *path, uid_t caller, gid_t caller_gid, uid_t offline, uid_t online,
                                int *fd_out, rf_error *err);

/* ---- runner_env.c ------------------------------------------------------------ */

/* True for variables the dynamic loader or libc act on (LD_*, GCONV_PATH,
 * GLIBC_TUNABLES, ...), which never reach the command. */
bool rf_runner_env_dropped(const char *entry);

typedef struct rf_runner_env {
    char **envp;  /* NULL-terminated; entries point into the request or `owned` */
    char **owned; /* the strings added here */
    size_t n_owned;
} rf_runner_env;

/* The request's `env` without the dropped entries, plus safe.directory for
 * each of `safe_dirs` (the checked writable roots) through GIT_CONFIG_*
 * after the request's own.  0 or -ENOMEM. */
int rf_runner_env_build(char *const *env, size_t n, const char *const *safe_dirs, size_t n_safe,
                        rf_runner_env *out);
void rf_runner_env_free(rf_runner_env *env);

/* ---- runner_identity.c (in the child: heap-free) ----------------------------- */

/* Drops every capability from the bounding set, locks the securebits, then
 * setgroups(0)/setresgid/setresuid to the sandbox user, and verifies that
 * root cannot be regained (setresuid(0,0,0) and setresgid(0,0,0) fail with
 * EPERM, every id equal, no group, no capability).  Returns 0 or -errno. */
int rf_runner_become(uid_t uid, gid_t gid);

/* ---- runner_sandbox.c -------------------------------------------------------- */

typedef struct rf_runner_job {
    const rf_runner_request *req;
    char **envp;
    uid_t caller; /* the real uid that asked */
    gid_t caller_gid;
    uid_t uid;    /* the sandbox user */
    gid_t gid;
    const int *root_fds; /* workspace first, then the writable roots */
    size_t n_roots;
    int control_fd; /* the CLI's control channel (RF_RUNNER_REQUEST_FD after the request) */
} rf_runner_job;

/* Plans the run, starts it in new PID + mount namespaces, reports STARTED
 * (or the failure) on report_fd, supervises it until it ends and reports
 * ENDED.  Returns 0 once ENDED was reported, < 0 when the run could not be
 * set up (err says why; nothing was reported yet). */
int rf_runner_run(const rf_runner_job *job, int report_fd, rf_error *err);

#endif
