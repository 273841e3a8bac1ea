/*
 * phase_workload.c — real work inside each launcher against the same work
 * bare, interleaved in one run: a generated C project built with make -j2,
 * git status and git diff on a generated repository, and a file-heavy
 * program (create, stat, read, delete 20,000 files).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"

/* The launchers that run the workloads: floors, every ringfence backend
 * (library and CLI), and the peers an agent would use instead. */
static bool in_workload(const launcher *l) {
    static const char *const ids[] = {"bare", "landlock", "bwrap", "codex-native", "srt-lib"};
    if (!l->available)
        return false;
    if (strncmp(l->id, "rf-lib-", 7) == 0 && strncmp(l->id, "rf-lib-audit", 12) != 0)
        return true;
    if (strncmp(l->id, "rf-cli-", 7) == 0)
        return true;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (strcmp(l->id, ids[i]) == 0)
            return true;
    return false;
}

/* The last non-empty line of a log (the error a failing run printed). */
static void last_line(const char *path, char *out, size_t len) {
    out[0] = '\0';
    FILE *f = fopen(path, "re");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0])
            bench_fmt(out, len, "%s", line);
    }
    fclose(f);
}

typedef struct workload {
    const char *id;
    const char *what;
    char ws[4200];
    char *argv[16];
    char *reset[8]; /* run bare, untimed, before each timed run (or NULL) */
    int reps;
} workload;

static void run_workload(bench_ctx *ctx, launcher *ls, const size_t *idx, size_t m, workload *w,
                         cJSON *arr) {
    session **ss = calloc(m, sizeof *ss);
    double **ms = calloc(m, sizeof *ms);
    double **cpu = calloc(m, sizeof *cpu);
    size_t *count = calloc(m, sizeof *count);
    int *fails = calloc(m, sizeof *fails);
    int *last_exit = calloc(m, sizeof *last_exit);
    char (*why)[512] = calloc(m, sizeof *why);
    if (!ss || !ms || !cpu || !count || !fails || !last_exit || !why)
        goto out;
    for (size_t j = 0; j < m; j++) {
        ss[j] = session_open(ctx, &ls[idx[j]], w->ws, NULL, why[j], sizeof why[j]);
        ms[j] = calloc((size_t)w->reps, sizeof(double));
        cpu[j] = calloc((size_t)w->reps, sizeof(double));
    }
    double load_before[3], load_after[3];
    bench_loadavg(load_before);
    double t0 = bench_now();
    for (int r = 0; r < w->reps; r++)
        for (size_t jj = 0; jj < m; jj++) {
            size_t j = (jj + (size_t)r) % m;
            if (!ss[j] || !ms[j] || !cpu[j])
                continue;
            if (w->reset[0] && bench_exec_quiet(ctx, w->reset, w->ws) < 0)
                bench_log("workload %s: reset failed", w->id);
            /* The command's output goes to a log, so a failure can say why. */
            char log[4300];
            bench_fmt(log, sizeof log, "%s/wl-%s-%s.log", ctx->scratch, w->id, ls[idx[j]].id);
            int log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
            bench_sample smp;
            smp.exit_code = -1;
            int rc = session_run(ss[j], w->argv, log_fd, &smp);
            if (log_fd >= 0)
                close(log_fd);
            if (rc < 0 || smp.exit_code != 0) {
                fails[j]++;
                last_exit[j] = smp.exit_code;
                last_line(log, why[j], sizeof why[j]);
                continue;
            }
            cpu[j][count[j]] = smp.cpu_ms;
            ms[j][count[j]++] = smp.ms;
        }
    bench_loadavg(load_after);
    bench_log("workload %s: %d reps x %zu launchers in %.1f s (load %.2f -> %.2f)", w->id, w->reps,
              m, bench_now() - t0, load_before[0], load_after[0]);
    double bare_median = 0, bare_min = 0, bare_cpu = 0;
    for (size_t j = 0; j < m; j++)
        if (strcmp(ls[idx[j]].id, "bare") == 0 && count[j]) {
            bench_summary s = bench_summarize(ms[j], count[j]);
            bare_median = s.median;
            bare_min = s.min;
            bare_cpu = bench_summarize(cpu[j], count[j]).median;
        }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", w->id);
    cJSON_AddStringToObject(o, "what", w->what);
    cJSON_AddNumberToObject(o, "reps", w->reps);
    cJSON_AddNumberToObject(o, "loadavg_before", load_before[0]);
    cJSON_AddNumberToObject(o, "loadavg_after", load_after[0]);
    cJSON *rows = cJSON_AddArrayToObject(o, "launchers");
    for (size_t j = 0; j < m; j++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "id", ls[idx[j]].id);
        cJSON_AddStringToObject(e, "name", ls[idx[j]].name);
        if (!ss[j]) {
            cJSON_AddStringToObject(e, "skipped", why[j]);
        } else if (count[j] == 0) {
            char text[700];
            bench_fmt(text, sizeof text, "every run failed (last exit %d: %s)", last_exit[j],
                      why[j][0] ? why[j] : "no message");
            cJSON_AddStringToObject(e, "skipped", text);
        } else {
            bench_summary s = bench_summarize(ms[j], count[j]);
            cJSON_AddItemToObject(e, "time", bench_summary_json(&s));
            cJSON_AddNumberToObject(e, "ratio_median", bare_median > 0 ? s.median / bare_median : 0);
            cJSON_AddNumberToObject(e, "ratio_min", bare_min > 0 ? s.min / bare_min : 0);
            /* CPU time of the tree: less sensitive than wall time to other
             * work on the machine; -1 where it cannot be had (node helper). */
            bench_summary c = bench_summarize(cpu[j], count[j]);
            bool cpu_known = c.min >= 0;
            /* A launcher whose helper exits without reaping the command's
             * tree (bwrap's PID-namespace init) hides its CPU time from
             * wait4: a quarter of bare's work is not a sandbox speed-up. */
            if (cpu_known && bare_cpu > 0 && c.median < 0.25 * bare_cpu) {
                cpu_known = false;
                cJSON_AddStringToObject(e, "cpu_note",
                                        "not accounted: the launcher does not reap the tree");
            }
            cJSON_AddNumberToObject(e, "cpu_median_ms", cpu_known ? c.median : -1);
            cJSON_AddNumberToObject(e, "ratio_cpu",
                                    cpu_known && bare_cpu > 0 ? c.median / bare_cpu : -1);
            cJSON_AddNumberToObject(e, "failed_runs", fails[j]);
        }
        cJSON_AddItemToArray(rows, e);
    }
    cJSON_AddItemToArray(arr, o);
out:
    for (size_t j = 0; ss && j < m; j++)
        session_close(ss[j]);
    for (size_t j = 0; ms && j < m; j++)
        free(ms[j]);
    for (size_t j = 0; cpu && j < m; j++)
        free(cpu[j]);
    free(cpu);
    free(ss);
    free(ms);
    free(count);
    free(fails);
    free(last_exit);
    free(why);
}

cJSON *phase_workload(bench_ctx *ctx, launcher *ls, size_t n) {
    cJSON *out = cJSON_CreateObject();
    size_t idx[BENCH_MAX_LAUNCHERS], m = 0;
    for (size_t i = 0; i < n && m < BENCH_MAX_LAUNCHERS; i++)
        if (in_workload(&ls[i]))
            idx[m++] = i;
    int units = ctx->quick ? 40 : 300;
    long repo_files = ctx->quick ? 2000 : 10000;
    long heavy_files = ctx->quick ? 2000 : 20000;
    static char units_text[32], heavy_text[32], fileheavy[4200], tmpdir_make[4300];
    bench_fmt(units_text, sizeof units_text, "%d", units);
    bench_fmt(heavy_text, sizeof heavy_text, "%ld", heavy_files);
    bench_fmt(fileheavy, sizeof fileheavy, "%s/fileheavy", ctx->exe_dir);

    workload make = {.id = "make", .what = "", .reps = ctx->workload_reps};
    bench_fmt(make.ws, sizeof make.ws, "%s/wl-make", ctx->scratch);
    bench_fmt(tmpdir_make, sizeof tmpdir_make, "TMPDIR=%s/.tmp", make.ws);
    /* TMPDIR inside the workspace: every launcher lets the compiler write there. */
    char *make_argv[] = {"env", tmpdir_make, "make", "-s", "-j2", NULL};
    char *make_reset[] = {"make", "-s", "clean", NULL};
    memcpy(make.argv, make_argv, sizeof make_argv);
    memcpy(make.reset, make_reset, sizeof make_reset);

    workload status = {.id = "git-status", .reps = ctx->workload_reps * 3};
    workload diff = {.id = "git-diff", .reps = ctx->workload_reps * 3};
    bench_fmt(status.ws, sizeof status.ws, "%s/wl-git", ctx->scratch);
    bench_fmt(diff.ws, sizeof diff.ws, "%s/wl-git", ctx->scratch);
    /* --no-optional-locks: git status must not refresh the index, so every
     * launcher (a read-only .git or not) does the same work. */
    char *status_argv[] = {"git", "--no-optional-locks", "-c", "safe.directory=*", "status", NULL};
    char *diff_argv[] = {"git", "--no-optional-locks", "-c", "safe.directory=*", "diff", NULL};
    memcpy(status.argv, status_argv, sizeof status_argv);
    memcpy(diff.argv, diff_argv, sizeof diff_argv);

    workload heavy = {.id = "file-heavy", .reps = ctx->workload_reps};
    bench_fmt(heavy.ws, sizeof heavy.ws, "%s/wl-files", ctx->scratch);
    char *heavy_argv[] = {fileheavy, heavy.ws, heavy_text, NULL};
    memcpy(heavy.argv, heavy_argv, sizeof heavy_argv);

    static char what_make[128], what_git[128], what_heavy[128];
    bench_fmt(what_make, sizeof what_make, "make -j2 of a generated C project (%d units)", units);
    bench_fmt(what_git, sizeof what_git, "on a %ld-file repository, 100 files modified", repo_files);
    bench_fmt(what_heavy, sizeof what_heavy, "create, stat, read, delete %ld files", heavy_files);
    make.what = what_make;
    status.what = what_git;
    diff.what = what_git;
    heavy.what = what_heavy;

    double t0 = bench_now();
    char tmp[4300];
    bench_fmt(tmp, sizeof tmp, "%s/.tmp", make.ws);
    if (tree_gen_c_project(make.ws, units) < 0 || tree_make_dir(tmp) < 0 ||
        tree_gen_git_repo(ctx, status.ws, repo_files, 100) < 0 ||
        tree_make_dir(heavy.ws) < 0 || tree_make_dir(heavy.ws) < 0) {
        cJSON_AddStringToObject(out, "error", "could not generate the workload trees");
        return out;
    }
    bench_fmt(tmp, sizeof tmp, "%s/.git", heavy.ws);
    tree_make_dir(tmp);
    bench_log("workload: trees generated in %.1f s", bench_now() - t0);

    cJSON *arr = cJSON_AddArrayToObject(out, "workloads");
    workload *all[] = {&make, &status, &diff, &heavy};
    for (size_t w = 0; w < sizeof all / sizeof all[0]; w++)
        run_workload(ctx, ls, idx, m, all[w], arr);
    cJSON *skipped = cJSON_AddArrayToObject(out, "skipped");
    for (size_t i = 0; i < n; i++)
        if (!ls[i].available) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", ls[i].id);
            cJSON_AddStringToObject(o, "reason", ls[i].reason);
            cJSON_AddItemToArray(skipped, o);
        }
    tree_remove(make.ws);
    tree_remove(status.ws);
    tree_remove(heavy.ws);
    return out;
}
