/*
 * backend_none.c — runs the command unconfined.  For baselines (the probe
 * suite checks every escape succeeds here) and explicit opt-out; `auto` never
 * picks it.  It still gets ringfence's plumbing: exit codes, signals, timeout.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/backend.h"
#include "core/child_posix.h"
#include "core/error.h"

typedef struct none_run {
    int exec_errno;
} none_run;

static void none_probe(rf_backend_status *out) {
    out->available = true;
    snprintf(out->reason, sizeof out->reason, "always available: runs the command unconfined");
    for (int g = 0; g < RF_G_COUNT; g++) {
        out->level[g] = RF_ABSENT;
        snprintf(out->why[g], sizeof out->why[g], "no confinement (backend none)");
    }
    snprintf(out->layers, sizeof out->layers, "none: no layer is applied\n");
}

static int none_prepare(const rf_policy *policy, void **state, rf_error *err) {
    (void)policy;
    (void)err;
    *state = NULL;
    return 0;
}

static int none_spawn(void *state, const rf_launch *launch, rf_child *child, rf_error *err) {
    (void)state;
    none_run *run = calloc(1, sizeof *run);
    if (!run)
        return rf_fail_errno(err, ENOMEM, "starting %s", launch->argv[0]);
    rf_report_pipe report;
    int rc = rf_report_pipe_open(&report, err);
    if (rc < 0) {
        free(run);
        return rc;
    }
    pid_t pid = fork();
    if (pid < 0) {
        rc = rf_fail_errno(err, errno, "forking to start %s", launch->argv[0]);
        rf_report_pipe_close(&report);
        free(run);
        return rc;
    }
    if (pid == 0) {
        int crc = rf_child_prepare_process(launch);
        if (crc < 0)
            rf_child_abort(report.write_fd, -crc);
        if (chdir(launch->cwd) < 0)
            rf_child_abort(report.write_fd, errno);
        rf_child_exec(launch, report.write_fd);
    }
    rc = rf_report_pipe_collect(&report, &run->exec_errno, err);
    child->pid = pid;
    child->signal_pid = -pid;
    child->priv = run;
    return rc;
}

static int none_wait(void *state, rf_child *child, rf_outcome *out, rf_error *err) {
    (void)state;
    none_run *run = child->priv;
    int rc = rf_wait_pid(child->pid, out, err);
    if (rc == 0 && run && run->exec_errno) {
        out->kind = RF_END_EXEC_FAILED;
        out->value = run->exec_errno;
    }
    free(run);
    child->priv = NULL;
    return rc;
}

static void none_kill_tree(void *state, rf_child *child) {
    (void)state;
    rf_kill_descendants(child->pid, child->pid);
}

static void none_cleanup(void *state) { (void)state; }

const rf_backend rf_backend_none = {
    .name = "none",
    .description = "no confinement: a baseline and an explicit opt-out",
    .rank = 0,
    .probe = none_probe,
    .prepare = none_prepare,
    .spawn = none_spawn,
    .wait = none_wait,
    .kill_tree = none_kill_tree,
    .cleanup = none_cleanup,
};
