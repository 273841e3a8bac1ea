/*
 * backend.h — the interface every enforcement backend implements.
 *
 * Lifecycle, as driven by core/sandbox.c:
 *
 *   probe    once per process: is the backend usable on this machine, and which
 *            guarantee does it enforce (see rf_backend_status in ringfence.h).
 *            Must be cheap, must not change the machine, and must record every
 *            layer the machine took away instead of skipping it silently.
 *   prepare  once per policy: turn the normalized policy into the backend's
 *            plan (mount list, Landlock rules, seccomp program, ACE list...) and
 *            do any one-time work.  Nothing per command belongs here... and
 *            nothing proportional to the workspace size belongs in spawn.
 *   spawn    start one command confined; returns once the command was exec'd or
 *            failed to start.
 *   wait     block until the started process ends; report how.
 *   kill_tree  end every process of the run (timeout, or the run is aborted).
 *   cleanup  undo prepare (free the plan, remove per-run helpers).
 */
#ifndef RF_BACKEND_H
#define RF_BACKEND_H

#include <stdbool.h>

#include "core/policy.h"
#include "core/ringfence.h"

/* What a backend receives to start one command.  The environment is scrubbed
 * and carries the shims; a backend may only point variables at places it
 * made for this run (the unelevated backend without namespaces replaces
 * TMPDIR/TMP/TEMP/TEMPDIR with its private folder) and never adds others. */
typedef struct rf_launch {
    char *const *argv;
    char *const *envp;
    const char *cwd;      /* never NULL */
    const char *path_env; /* PATH of envp, used to find argv[0]; may be NULL */
    int stdin_fd, stdout_fd, stderr_fd; /* already resolved: never -1 */
    /* When >= 0, the command becomes the foreground process group of this
     * terminal (rf_child_take_terminal); the core gives it back afterwards. */
    int tty_fd;
} rf_launch;

/* A started command, as the core sees it. */
typedef struct rf_child {
    int pid;          /* the process the core waits for (the command or its helper) */
    int signal_pid;   /* where forwarded signals go: a pid, or -pgid */
    void *priv;       /* the backend's own per-run data */
} rf_child;

typedef enum rf_end_kind {
    RF_END_EXITED = 0,
    RF_END_SIGNALED,
    RF_END_EXEC_FAILED, /* could not be started; `value` is the errno */
} rf_end_kind;

typedef struct rf_outcome {
    rf_end_kind kind;
    int value; /* exit status, signal number, or errno */
} rf_outcome;

typedef struct rf_backend {
    const char *name;
    const char *description;
    /* Higher is stronger; `auto` tries backends from the highest rank down and
     * never picks a backend of rank 0 (`none`). */
    int rank;

    /* Fills out->available, reason, level[], why[], layers. */
    void (*probe)(rf_backend_status *out);
    int (*prepare)(const rf_policy *policy, void **state, rf_error *err);
    int (*spawn)(void *state, const rf_launch *launch, rf_child *child, rf_error *err);
    int (*wait)(void *state, rf_child *child, rf_outcome *out, rf_error *err);
    void (*kill_tree)(void *state, rf_child *child);
    /* Optional (NULL: kill(child->signal_pid, sig)): hands a forwarded signal
     * to a child the CLI may not signal itself (the elevated backend's
     * runner, root in every uid). */
    void (*forward_signal)(void *state, rf_child *child, int sig);
    void (*cleanup)(void *state);
} rf_backend;

/* Filling a status in a probe (backend_status.c): the level and its reason
 * (cut to the field), and one more line of `layers` or `gaps`. */
void rf_status_set_level(rf_backend_status *out, rf_guarantee g, rf_level level, const char *why);
void rf_status_add_layer(rf_backend_status *out, const char *line);
void rf_status_add_gap(rf_backend_status *out, const char *line);

/* The backends built into this binary, strongest first (backend_registry.c). */
const rf_backend *const *rf_backends(size_t *count);
const rf_backend *rf_backend_find(const char *name);

/* Probe results, cached for the life of the process (backend_registry.c). */
const rf_backend_status *rf_backend_probe_cached(const rf_backend *backend);

#endif
