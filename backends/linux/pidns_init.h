/*
 * pidns_init.h — the supervisor between the launcher and the command.
 *
 * With user namespaces it is pid 1 of the sandbox's PID namespace: when it
 * exits, the kernel kills every process left in the namespace, so nothing
 * the command started (daemons included) outlives the run.  Without them it
 * is a child subreaper ("keeper"): every orphan of the command is re-parented
 * to it, and it kills them all when the command ends.
 *
 * Either way it dies with the launcher (PR_SET_PDEATHSIG), forwards the
 * signals the core sends it to the command's process group, reaps, and
 * reports the command's real wait status to the launcher over a pipe (pid 1
 * of a PID namespace cannot die of a signal itself).
 */
#ifndef RF_BACKENDS_LINUX_PIDNS_INIT_H
#define RF_BACKENDS_LINUX_PIDNS_INIT_H

#include <stdbool.h>
#include <stdint.h>

/* What the supervisor (or the command, before exec) writes on the status pipe. */
typedef enum rf_sup_kind {
    RF_SUP_STATUS = 1,        /* value: the command's wait status */
    RF_SUP_SETUP_FAILED = 2,  /* step, index, value (errno) */
} rf_sup_kind;

typedef struct rf_sup_record {
    int32_t kind;
    int32_t step;  /* the backend's own step numbering */
    int32_t index; /* e.g. the mount op that failed */
    int32_t value;
} rf_sup_record;

/* The request kill_tree sends a keeper: end the whole tree now. */
#define RF_SUP_KILL_SIGNAL SIGUSR1

typedef struct rf_supervisor {
    int status_fd;    /* write end of the status pipe */
    int report_fd;    /* exec report pipe (write end): the command's, closed here after fork */
    bool keeper;      /* no PID namespace: subreaper, kill every descendant at the end */
    void (*start_command)(void *ctx); /* in the command process; never returns */
    void *ctx;
} rf_supervisor;

/* In the child (heap-free).  Forks the command and supervises it; exits. */
__attribute__((noreturn)) void rf_supervisor_run(const rf_supervisor *sup);

/* Async-signal-safe write of a setup-failure record. */
void rf_sup_report_setup_failure(int status_fd, int step, int index, int errnum);

#endif
