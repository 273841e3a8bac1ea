/*
 * phase_spawn.c — spawn latency of /bin/true through every launcher.
 *
 * Every launcher is opened once on the same workspace (100 files and a .git),
 * checked once for what it confines, warmed up, then run N times interleaved:
 * iteration i runs every launcher once, starting at launcher i mod L, so that
 * drift and position effects fall on all of them alike.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"

typedef struct spawn_row {
    launcher *l;
    session *s;
    double open_ms;
    double *ms;
    long *rss;
    size_t count;
    int failures;
    int last_bad_exit;
    int confinement; /* -1: not checked; else the probe's bits */
} spawn_row;

/* The confinement probe: exit 40 + bits, bit 1 = a write outside the
 * workspace was refused, bit 2 = a write into .git was refused, bit 4 = a
 * write inside the workspace was refused (the launcher is broken). */
static const char probe_script[] =
    "r=0; ( : > \"$1/.rfb-probe\" ) 2>/dev/null || r=$((r|4)); "
    "( : > \"$2/rfb-probe\" ) 2>/dev/null || r=$((r|1)); "
    "( : > \"$1/.git/rfb-probe\" ) 2>/dev/null || r=$((r|2)); exit $((40+r))";

static void first_line_of_fd(int fd, char *out, size_t len) {
    out[0] = '\0';
    if (lseek(fd, 0, SEEK_SET) != 0)
        return;
    ssize_t n = read(fd, out, len - 1);
    if (n <= 0) {
        out[0] = '\0';
        return;
    }
    out[n] = '\0';
    out[strcspn(out, "\n")] = '\0';
}

/* Runs the probe; on a broken launcher marks it unavailable with the reason. */
static void check_confinement(const bench_ctx *ctx, spawn_row *row, const char *ws,
                              const char *outside) {
    char path[4200];
    bench_fmt(path, sizeof path, "%s/check-%s.log", ctx->scratch, row->l->id);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    char *argv[] = {"/bin/sh", "-c", (char *)probe_script, "sh", (char *)ws, (char *)outside,
                    NULL};
    bench_sample smp;
    int rc = session_run(row->s, argv, fd, &smp);
    char line[300];
    first_line_of_fd(fd, line, sizeof line);
    if (fd >= 0)
        close(fd);
    bench_fmt(path, sizeof path, "%s/.rfb-probe", ws);
    unlink(path);
    bench_fmt(path, sizeof path, "%s/rfb-probe", outside);
    unlink(path);
    bench_fmt(path, sizeof path, "%s/.git/rfb-probe", ws);
    unlink(path);
    if (rc == 0 && smp.exit_code >= 40 && smp.exit_code < 44) {
        row->confinement = smp.exit_code - 40;
        return;
    }
    row->l->available = false;
    if (rc < 0)
        bench_fmt(row->l->reason, sizeof row->l->reason, "could not run through it: %s",
                 strerror(-rc));
    else if (smp.exit_code >= 44 && smp.exit_code < 48)
        bench_fmt(row->l->reason, sizeof row->l->reason,
                 "runs, but a write inside the workspace was refused (policy mismatch)");
    else
        bench_fmt(row->l->reason, sizeof row->l->reason, "probe run exited %d: %s", smp.exit_code,
                 line[0] ? line : "(no message)");
}

cJSON *phase_spawn(bench_ctx *ctx, launcher *ls, size_t n) {
    cJSON *out = cJSON_CreateObject();
    char ws[4200], outside[4200];
    bench_fmt(ws, sizeof ws, "%s/ws-spawn", ctx->scratch);
    bench_fmt(outside, sizeof outside, "%s/outside", ctx->scratch);
    if (tree_gen_files(ws, 100) < 0 || tree_make_dir(outside) < 0) {
        cJSON_AddStringToObject(out, "error", "could not generate the spawn workspace");
        return out;
    }
    spawn_row *rows = calloc(n, sizeof *rows);
    if (!rows)
        return out;
    size_t cap = (size_t)(ctx->spawn_n + ctx->spawn_warmup);
    for (size_t i = 0; i < n; i++) {
        rows[i].l = &ls[i];
        rows[i].confinement = -1;
        if (!ls[i].available)
            continue;
        char why[512];
        rows[i].s = session_open(ctx, &ls[i], ws, &rows[i].open_ms, why, sizeof why);
        if (!rows[i].s) {
            ls[i].available = false;
            bench_fmt(ls[i].reason, sizeof ls[i].reason, "%s", why);
            bench_log("spawn: %s skipped: %s", ls[i].id, why);
            continue;
        }
        check_confinement(ctx, &rows[i], ws, outside);
        if (!ls[i].available) {
            bench_log("spawn: %s skipped: %s", ls[i].id, ls[i].reason);
            session_close(rows[i].s);
            rows[i].s = NULL;
            continue;
        }
        rows[i].ms = calloc(cap, sizeof(double));
        rows[i].rss = calloc(cap, sizeof(long));
    }
    size_t active[BENCH_MAX_LAUNCHERS];
    size_t m = 0;
    for (size_t i = 0; i < n && m < BENCH_MAX_LAUNCHERS; i++)
        if (rows[i].s && rows[i].ms && rows[i].rss)
            active[m++] = i;

    double load_before[3], load_after[3];
    bench_loadavg(load_before);
    bench_log("spawn: %zu launchers, %d warm-up + %d interleaved iterations (load %.2f)", m,
              ctx->spawn_warmup, ctx->spawn_n, load_before[0]);
    char *cmd[] = {"/bin/true", NULL};
    double t0 = bench_now();
    for (int it = 0; it < ctx->spawn_warmup + ctx->spawn_n; it++) {
        bool warm = it < ctx->spawn_warmup;
        for (size_t j = 0; j < m; j++) {
            spawn_row *r = &rows[active[((size_t)it + j) % m]];
            bench_sample smp;
            if (session_run(r->s, cmd, -1, &smp) < 0 || smp.exit_code != 0) {
                r->failures++;
                r->last_bad_exit = smp.exit_code;
                continue;
            }
            if (warm)
                continue;
            r->ms[r->count] = smp.ms;
            r->rss[r->count] = smp.rss_kib;
            r->count++;
        }
        if (!warm && (it - ctx->spawn_warmup + 1) % 50 == 0)
            bench_log("spawn: %d/%d", it - ctx->spawn_warmup + 1, ctx->spawn_n);
    }
    double elapsed = bench_now() - t0;
    bench_loadavg(load_after);

    double bare_median = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(ls[i].id, "bare") == 0 && rows[i].count)
            bare_median = bench_summarize(rows[i].ms, rows[i].count).median;

    cJSON *arr = cJSON_AddArrayToObject(out, "launchers");
    for (size_t i = 0; i < n; i++) {
        spawn_row *r = &rows[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", ls[i].id);
        cJSON_AddStringToObject(o, "name", ls[i].name);
        cJSON_AddStringToObject(o, "group", ls[i].group);
        cJSON_AddStringToObject(o, "version", ls[i].version);
        bool measured = r->s && r->count > 0;
        cJSON_AddBoolToObject(o, "measured", measured);
        if (!measured) {
            cJSON_AddStringToObject(o, "skipped",
                                    ls[i].available ? "every run failed" : ls[i].reason);
        } else {
            bench_summary s = bench_summarize(r->ms, r->count);
            cJSON_AddItemToObject(o, "latency", bench_summary_json(&s));
            cJSON_AddNumberToObject(o, "overhead_ms", s.median - bare_median);
            cJSON_AddNumberToObject(o, "ratio_to_bare",
                                    bare_median > 0 ? s.median / bare_median : 0);
            long in_loop = bench_median_long(r->rss, r->count);
            long probed = -1;
            /* The peak through rss_probe, the largest of a few runs. */
            for (int k = 0; k < 5 && ls[i].kind == LAUNCH_EXEC; k++) {
                long v = session_probe_rss_kib(r->s, cmd);
                if (v > probed)
                    probed = v;
            }
            long rss = ls[i].rss_in_process ? session_helper_rss_kib(r->s)
                       : probed >= 0        ? probed
                                            : in_loop;
            cJSON_AddNumberToObject(o, "peak_rss_kib", (double)rss);
            cJSON_AddNumberToObject(o, "peak_rss_kib_in_loop", (double)in_loop);
            cJSON_AddStringToObject(o, "rss_of",
                                    ls[i].kind == LAUNCH_LIB ? "n/a: runs inside the caller"
                                    : ls[i].rss_in_process ? "the node process (srt helper)"
                                    : probed >= 0 ? "launcher tree, through rss_probe (max of 5)"
                                                  : "launcher tree (wait4 in the timed loop)");
            cJSON_AddNumberToObject(o, "open_ms", r->open_ms);
            cJSON *c = cJSON_AddObjectToObject(o, "confinement");
            cJSON_AddBoolToObject(c, "write_outside_refused", r->confinement & 1);
            cJSON_AddBoolToObject(c, "write_git_refused", (r->confinement & 2) != 0);
            cJSON *samples = cJSON_AddArrayToObject(o, "samples_ms");
            for (size_t k = 0; k < r->count; k++)
                cJSON_AddItemToArray(samples, cJSON_CreateNumber((double)(long)(r->ms[k] * 1000) / 1000));
        }
        cJSON_AddNumberToObject(o, "failed_runs", r->failures);
        if (r->failures)
            cJSON_AddNumberToObject(o, "last_failed_exit", r->last_bad_exit);
        cJSON_AddItemToArray(arr, o);
        session_close(r->s);
        free(r->ms);
        free(r->rss);
    }
    free(rows);
    cJSON_AddNumberToObject(out, "iterations", ctx->spawn_n);
    cJSON_AddNumberToObject(out, "warmup", ctx->spawn_warmup);
    cJSON_AddNumberToObject(out, "seconds", elapsed);
    cJSON_AddNumberToObject(out, "bare_median_ms", bare_median);
    cJSON *lb = cJSON_AddArrayToObject(out, "loadavg_before");
    cJSON *la = cJSON_AddArrayToObject(out, "loadavg_after");
    for (int k = 0; k < 3; k++) {
        cJSON_AddItemToArray(lb, cJSON_CreateNumber(load_before[k]));
        cJSON_AddItemToArray(la, cJSON_CreateNumber(load_after[k]));
    }
    tree_remove(ws);
    return out;
}
