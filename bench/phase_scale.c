/*
 * phase_scale.c — cost against workspace size.  Workspaces of 100 to 100,000
 * files are generated once; every launcher is opened on each (the first-run
 * cost: open + first command) and then runs /bin/true interleaved across
 * sizes and launchers (the per-command cost, which must not depend on the
 * file count).  `setfacl -R` on each workspace is the reference for what an
 * ACL-granting backend pays once per 1,000 files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"

#define MAX_SIZES 4

typedef struct scale_cell {
    session *s;
    double open_ms, first_ms;
    double *ms;
    size_t count;
    int failures;
    char why[512];
} scale_cell;

/* Which launchers this phase runs: the library and CLI of every backend, and
 * the peers whose per-command work could depend on the tree. */
static bool in_scale_id(const char *id) {
    static const char *const ids[] = {"bare", "landlock", "bwrap", "codex-native", "srt-lib"};
    if (strncmp(id, "rf-lib-", 7) == 0 && strncmp(id, "rf-lib-audit", 12) != 0)
        return true;
    if (strncmp(id, "rf-cli-", 7) == 0)
        return true;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (strcmp(id, ids[i]) == 0)
            return true;
    return false;
}

static bool in_scale(const launcher *l) { return l->available && in_scale_id(l->id); }

cJSON *phase_scale(bench_ctx *ctx, launcher *ls, size_t n) {
    cJSON *out = cJSON_CreateObject();
    static const long full_sizes[] = {100, 1000, 10000, 100000};
    static const long quick_sizes[] = {100, 1000, 10000};
    const long *sizes = ctx->quick ? quick_sizes : full_sizes;
    size_t nsizes = ctx->quick ? 3 : 4;
    char ws[MAX_SIZES][4200];
    cJSON *gen = cJSON_AddArrayToObject(out, "workspaces");
    for (size_t k = 0; k < nsizes; k++) {
        bench_fmt(ws[k], sizeof ws[k], "%s/ws-%ld", ctx->scratch, sizes[k]);
        double t0 = bench_now();
        int rc = tree_gen_files(ws[k], sizes[k]);
        cJSON *g = cJSON_CreateObject();
        cJSON_AddNumberToObject(g, "files", (double)sizes[k]);
        cJSON_AddNumberToObject(g, "generate_ms", (bench_now() - t0) * 1e3);
        cJSON_AddItemToArray(gen, g);
        if (rc < 0) {
            cJSON_AddStringToObject(out, "error", "could not generate the workspaces");
            return out;
        }
        bench_log("scale: generated %ld files in %.1f s", sizes[k], bench_now() - t0);
    }

    size_t idx[BENCH_MAX_LAUNCHERS], m = 0;
    for (size_t i = 0; i < n && m < BENCH_MAX_LAUNCHERS; i++)
        if (in_scale(&ls[i]))
            idx[m++] = i;
    scale_cell(*cells)[MAX_SIZES] = calloc(m ? m : 1, sizeof *cells);
    if (!cells)
        return out;
    char *cmd[] = {"/bin/true", NULL};
    /* First run: open on each size, then one command, timed apart. */
    for (size_t k = 0; k < nsizes; k++)
        for (size_t j = 0; j < m; j++) {
            scale_cell *c = &cells[j][k];
            c->s = session_open(ctx, &ls[idx[j]], ws[k], &c->open_ms, c->why, sizeof c->why);
            if (!c->s)
                continue;
            bench_sample smp;
            if (session_run(c->s, cmd, -1, &smp) < 0 || smp.exit_code != 0) {
                bench_fmt(c->why, sizeof c->why, "first run failed (exit %d)", smp.exit_code);
                session_close(c->s);
                c->s = NULL;
                continue;
            }
            c->first_ms = smp.ms;
            c->ms = calloc((size_t)ctx->scale_n, sizeof(double));
        }
    double load_before[3], load_after[3];
    bench_loadavg(load_before);
    bench_log("scale: %zu launchers x %zu sizes, %d interleaved runs each (load %.2f)", m, nsizes,
              ctx->scale_n, load_before[0]);
    for (int it = 0; it < ctx->scale_n; it++)
        for (size_t k = 0; k < nsizes; k++)
            for (size_t jj = 0; jj < m; jj++) {
                size_t kk = (k + (size_t)it) % nsizes, j = (jj + (size_t)it) % m;
                scale_cell *c = &cells[j][kk];
                if (!c->s || !c->ms)
                    continue;
                bench_sample smp;
                if (session_run(c->s, cmd, -1, &smp) < 0 || smp.exit_code != 0) {
                    c->failures++;
                    continue;
                }
                c->ms[c->count++] = smp.ms;
            }
    bench_loadavg(load_after);

    cJSON *arr = cJSON_AddArrayToObject(out, "launchers");
    for (size_t j = 0; j < m; j++) {
        const launcher *l = &ls[idx[j]];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", l->id);
        cJSON_AddStringToObject(o, "name", l->name);
        cJSON *per = cJSON_AddArrayToObject(o, "sizes");
        double first_median = 0, last_median = 0;
        for (size_t k = 0; k < nsizes; k++) {
            scale_cell *c = &cells[j][k];
            cJSON *e = cJSON_CreateObject();
            cJSON_AddNumberToObject(e, "files", (double)sizes[k]);
            if (!c->s || c->count == 0) {
                cJSON_AddStringToObject(e, "skipped", c->why[0] ? c->why : "every run failed");
            } else {
                bench_summary s = bench_summarize(c->ms, c->count);
                cJSON_AddNumberToObject(e, "open_ms", c->open_ms);
                cJSON_AddNumberToObject(e, "first_run_ms", c->first_ms);
                cJSON_AddNumberToObject(e, "first_total_ms", c->open_ms + c->first_ms);
                cJSON_AddNumberToObject(e, "first_total_ms_per_1000_files",
                                        (c->open_ms + c->first_ms) / ((double)sizes[k] / 1000.0));
                cJSON_AddItemToObject(e, "per_command", bench_summary_json(&s));
                cJSON_AddNumberToObject(e, "failed_runs", c->failures);
                if (k == 0)
                    first_median = s.median;
                if (k == nsizes - 1)
                    last_median = s.median;
            }
            cJSON_AddItemToArray(per, e);
            session_close(c->s);
            free(c->ms);
        }
        if (first_median > 0 && last_median > 0) {
            cJSON_AddNumberToObject(o, "largest_over_smallest", last_median / first_median);
        }
        cJSON_AddItemToArray(arr, o);
    }
    free(cells);
    /* Launchers that could not run stay in the list with their reason. */
    for (size_t i = 0; i < n; i++)
        if (!ls[i].available && (strncmp(ls[i].id, "rf-", 3) == 0 || in_scale_id(ls[i].id))) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", ls[i].id);
            cJSON_AddStringToObject(o, "name", ls[i].name);
            cJSON_AddStringToObject(o, "skipped", ls[i].reason);
            cJSON_AddItemToArray(arr, o);
        }

    /* The ACL reference: what granting one user write on every file costs. */
    cJSON *acl = cJSON_AddArrayToObject(out, "setfacl_reference");
    for (size_t k = 0; k < nsizes; k++) {
        char *argv[] = {"setfacl", "-R", "-m", "u:nobody:rwX", ws[k], NULL};
        bench_sample smp;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "files", (double)sizes[k]);
        if (bench_exec_timed(argv, NULL, NULL, ctx->devnull_fd, ctx->devnull_fd, &smp) == 0 &&
            smp.exit_code == 0) {
            cJSON_AddNumberToObject(e, "ms", smp.ms);
            cJSON_AddNumberToObject(e, "ms_per_1000_files", smp.ms / ((double)sizes[k] / 1000.0));
        } else {
            cJSON_AddStringToObject(e, "skipped", "setfacl failed or is missing (Debian acl)");
        }
        cJSON_AddItemToArray(acl, e);
    }
    cJSON_AddStringToObject(out, "setfacl_command", "setfacl -R -m u:nobody:rwX WS");
    cJSON_AddNumberToObject(out, "runs_per_cell", ctx->scale_n);
    cJSON *lb = cJSON_AddArrayToObject(out, "loadavg_before");
    cJSON *la = cJSON_AddArrayToObject(out, "loadavg_after");
    for (int k = 0; k < 3; k++) {
        cJSON_AddItemToArray(lb, cJSON_CreateNumber(load_before[k]));
        cJSON_AddItemToArray(la, cJSON_CreateNumber(load_after[k]));
    }
    for (size_t k = 0; k < nsizes; k++)
        tree_remove(ws[k]);
    return out;
}
