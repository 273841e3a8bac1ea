/*
 * session.h — running rf-probe the way an agent's command really runs: in a
 * session whose controlling terminal is a pty (so the TIOCSTI probe has a
 * terminal to aim at and the core hands the terminal to the command), with
 * stdout captured.
 */
#ifndef RF_PROBE_SESSION_H
#define RF_PROBE_SESSION_H

#include <stddef.h>

/* Starts argv with stdout on `stdout_fd`, stdin the terminal (fd 0) and waits
 * for it.  Returns the command's exit code (>= 0) or < 0 with `why` filled. */
typedef int (*rf_probe_launch_fn)(void *ctx, char *const argv[], int stdout_fd, char *why,
                                  size_t why_len);

/* Forks a helper that becomes a session leader, makes a fresh pty its
 * controlling terminal on fd 0 and calls `launch` there; collects stdout into
 * *output (malloc'd, NUL-terminated).  Returns launch's result, or < 0 with
 * `why` filled when the session could not be set up. */
int rf_probe_session_run(rf_probe_launch_fn launch, void *ctx, char *const argv[], char **output,
                         char *why, size_t why_len);

/* A launch that fork+execs argv directly (unconfined); ctx unused. */
int rf_probe_launch_direct(void *ctx, char *const argv[], int stdout_fd, char *why, size_t why_len);

#endif
