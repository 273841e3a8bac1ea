/*
 * matrix.c — running the escape matrix (matrix.h).
 *
 * For each column: put the world's fixtures back, open the backend on the
 * world's policy, run rf-probe in a fresh pty session through
 * rf_sandbox_run with stdout on a pipe, settle the after-run checks, and
 * judge every line against the column's guarantee table.  The `none`
 * baseline runs first; anything but `allowed` there is a broken probe.
 * Cleanup idiom: goto out.
 */
#include "probe/matrix.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/error.h"
#include "core/install_paths.h"
#include "probe/session.h"
#include "probe/world.h"

int rf_matrix_find_probe(char **path, rf_error *err) {
    return rf_install_find("probe/rf-probe", path, err);
}

/* ---- one column ---------------------------------------------------------- */

typedef struct sandbox_launch {
    const rf_policy *policy;
    const char *backend;
    const char *cwd;
} sandbox_launch;

/* Runs in the session helper (session.c): open, run, close. */
static int launch_in_sandbox(void *ctx, char *const argv[], int stdout_fd, char *why,
                             size_t why_len) {
    const sandbox_launch *l = ctx;
    rf_error err = {0};
    rf_sandbox *sb = NULL;
    int rc = rf_sandbox_open(l->policy, l->backend, &sb, &err);
    if (rc < 0) {
        snprintf(why, why_len, "%s", err.message);
        return rc;
    }
    rf_run_request req = {
        .argv = argv,
        .cwd = l->cwd,
        .timeout_seconds = 300,
        .stdin_fd = -1, /* the pty: the core hands it to the command */
        .stdout_fd = stdout_fd,
        .stderr_fd = -1,
        .no_audit = true, /* probe runs are measurements, not agent work */
    };
    rf_run_result res;
    rc = rf_sandbox_run(sb, &req, &res, &err);
    rf_sandbox_close(sb);
    if (rc < 0) {
        snprintf(why, why_len, "%s", err.message);
        return rc;
    }
    if (res.exit_code != 0) {
        snprintf(why, why_len, "rf-probe exited with %d under %s%s", res.exit_code, l->backend,
                 res.timed_out ? " (timed out)" : "");
        return -EIO;
    }
    return 0;
}

static int run_column(rf_matrix_column *col, size_t n_probes, rf_world *world,
                      const rf_policy *policy, const char *probe_bin, rf_error *err) {
    int rc = rf_world_reset(world, err);
    if (rc < 0)
        return rc;
    col->cells = calloc(n_probes ? n_probes : 1, sizeof *col->cells);
    size_t n_lines = 0;
    rf_probe_line *lines = rf_probe_lines_new(&n_lines);
    if (!col->cells || !lines || n_lines != n_probes) {
        free(lines);
        return rf_fail_errno(err, ENOMEM, "allocating the %s column", col->status.name);
    }
    char *const argv[] = {(char *)probe_bin, "--world", (char *)rf_world_file(world), NULL};
    sandbox_launch l = {
        .policy = policy, .backend = col->status.name, .cwd = rf_world_workspace(world)};
    char *output = NULL;
    rc = rf_probe_session_run(launch_in_sandbox, &l, argv, &output, col->error, sizeof col->error);
    if (rc == 0)
        rc = rf_probe_lines_parse(lines, n_lines, output, col->error, sizeof col->error);
    /* Settle the after-run checks even when the run failed: a surviving
     * daemon must be ended either way. */
    for (size_t i = 0; i < n_lines; i++) {
        rf_probe_post_check(&lines[i], rf_world_tmp_path(world), rf_world_lock_path(world),
                            rf_world_nonce(world));
        col->cells[i].line = lines[i];
    }
    free(lines);
    free(output);
    col->ran = rc == 0;
    return 0;
}

/* ---- columns ---------------------------------------------------------------- */

static int find_status(const char *name, rf_backend_status *out, rf_error *err) {
    for (size_t i = 0; i < rf_backend_count(); i++) {
        int rc = rf_backend_status_get(i, out);
        if (rc < 0)
            return rf_fail(err, rc, "probing backend %zu", i);
        if (strcmp(out->name, name) == 0)
            return 0;
    }
    return rf_fail(err, RF_EBACKEND, "no backend named '%s' (see `ringfence status`)", name);
}

static int choose_columns(const rf_matrix_options *opts, rf_matrix *m, rf_error *err) {
    size_t cap = 1 + (opts->all ? rf_backend_count() : opts->n_backends);
    m->columns = calloc(cap, sizeof *m->columns);
    if (!m->columns)
        return rf_fail_errno(err, ENOMEM, "allocating the matrix");
    int rc = find_status("none", &m->columns[0].status, err);
    if (rc < 0)
        return rc;
    m->n_columns = 1;
    if (opts->all) {
        for (size_t i = 0; i < rf_backend_count(); i++) {
            rf_backend_status st;
            if ((rc = rf_backend_status_get(i, &st)) < 0)
                return rf_fail(err, rc, "probing backend %zu", i);
            if (strcmp(st.name, "none") != 0)
                m->columns[m->n_columns++].status = st;
        }
        return 0;
    }
    for (size_t i = 0; i < opts->n_backends; i++) {
        if (strcmp(opts->backends[i], "none") == 0)
            continue; /* always the baseline column */
        if ((rc = find_status(opts->backends[i], &m->columns[m->n_columns].status, err)) < 0)
            return rc;
        m->n_columns++;
    }
    return 0;
}

static int load_world_policy(rf_world *world, rf_policy **policy, rf_error *err) {
    rf_load_options lo = {
        .policy_file = rf_world_policy_file(world),
        /* The probes measure the backends on the world's policy, not the
         * admin's: a managed policy would change what each run may do. */
        .managed_file = NULL,
    };
    return rf_policy_load(&lo, policy, err);
}

int rf_matrix_run(const rf_matrix_options *opts, rf_matrix **out, rf_error *err) {
    *out = NULL;
    int rc = 0;
    rf_world *world = NULL;
    rf_policy *policy = NULL;
    char *probe_bin = NULL;
    rf_matrix *m = calloc(1, sizeof *m);
    if (!m)
        return rf_fail_errno(err, ENOMEM, "allocating the matrix");
    m->probes = rf_probes(&m->n_probes);
    m->as_root = geteuid() == 0;
    struct utsname u;
    if (uname(&u) == 0)
        snprintf(m->kernel, sizeof m->kernel, "%s %s %s", u.sysname, u.release, u.machine);
    if ((rc = choose_columns(opts, m, err)) < 0)
        goto out;
    if (opts->probe_bin) {
        if (!(probe_bin = strdup(opts->probe_bin))) {
            rc = rf_fail_errno(err, ENOMEM, "copying the rf-probe path");
            goto out;
        }
    } else if ((rc = rf_matrix_find_probe(&probe_bin, err)) < 0) {
        goto out;
    }
    if ((rc = rf_world_create(opts->world_dir, &world, err)) < 0 ||
        (rc = load_world_policy(world, &policy, err)) < 0)
        goto out;
    for (size_t c = 0; c < m->n_columns; c++) {
        rf_matrix_column *col = &m->columns[c];
        if (!col->status.available)
            continue;
        if (opts->stop && *opts->stop) {
            rc = rf_fail(err, -EINTR, "interrupted; the probe world was removed");
            goto out;
        }
        if ((rc = run_column(col, m->n_probes, world, policy, probe_bin, err)) < 0)
            goto out;
        rf_matrix_judge(col, m->n_probes, c == 0, m->as_root, &m->columns[0]);
    }
    if (opts->stop && *opts->stop) {
        rc = rf_fail(err, -EINTR, "interrupted; the probe world was removed");
        goto out;
    }
    rf_matrix_count(m);
out:
    rf_policy_free(policy);
    rf_world_destroy(world);
    free(probe_bin);
    if (rc < 0) {
        rf_matrix_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

void rf_matrix_free(rf_matrix *m) {
    if (!m)
        return;
    for (size_t c = 0; c < m->n_columns; c++)
        free(m->columns[c].cells);
    free(m->columns);
    free(m);
}
