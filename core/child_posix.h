/*
 * child_posix.h — the pieces of starting and ending a command that every POSIX
 * backend shares (child_posix.c).
 *
 * Exec failures travel back over a close-on-exec "report pipe": the child
 * writes its errno there when execve fails; the parent reads EOF when execve
 * succeeded.  That is how `run` tells 126 (cannot execute) from 127 (not
 * found) from the command's own exit status.
 */
#ifndef RF_CHILD_POSIX_H
#define RF_CHILD_POSIX_H

#include <sys/types.h>

#include "core/backend.h"

typedef struct rf_report_pipe {
    int read_fd, write_fd;
} rf_report_pipe;

/* Opens the pipe, both ends O_CLOEXEC. */
int rf_report_pipe_open(rf_report_pipe *p, rf_error *err);
void rf_report_pipe_close(rf_report_pipe *p);

/* In the parent after fork: closes the write end and reads the child's report.
 * Sets *exec_errno to 0 when the command was exec'd (EOF), else to the errno
 * execve failed with.  When the child reported a setup failure
 * (rf_child_abort), returns an error naming it; the child has then exited 126
 * and must still be reaped by the caller. */
int rf_report_pipe_collect(rf_report_pipe *p, int *exec_errno, rf_error *err);

/* In the child, right before exec: dup the launch's stdio onto 0/1/2, make the
 * process its own process-group leader and, when launch->tty_fd >= 0, the
 * terminal's foreground group; restore the default signal dispositions and an
 * empty signal mask.  Async-signal-safe.  Returns 0 or -errno. */
int rf_child_prepare_process(const rf_launch *launch);

/* In the child: exec argv[0] (searched on launch->path_env when it has no
 * slash) with launch->envp.  Never returns: on failure writes errno to
 * report_fd and _exits 127 (not found) or 126. */
__attribute__((noreturn)) void rf_child_exec(const rf_launch *launch, int report_fd);

/* In the child, after a setup step failed (before exec): report `errnum` as a
 * setup failure and _exit(126).  `run` then fails with 125. */
__attribute__((noreturn)) void rf_child_abort(int report_fd, int errnum);

/* Blocking waitpid for `pid`, translated into an outcome. */
int rf_wait_pid(int pid, rf_outcome *out, rf_error *err);

/* Ends the process group `pgid` and the subtree of `keep_pid` — and, when the
 * calling process is the child subreaper (rf_become_subreaper), every child
 * of ours, which then includes the command's re-parented orphans.  Freezes
 * them with SIGSTOP so none can fork, then SIGKILLs them.  Does not reap
 * `keep_pid` (the core reaps the command itself through the backend's wait). */
void rf_kill_descendants(int pgid, int keep_pid);

/* Marks the calling process as a child subreaper so that a command's orphaned
 * grandchildren are re-parented to it instead of escaping to init. */
int rf_become_subreaper(rf_error *err);

#endif
