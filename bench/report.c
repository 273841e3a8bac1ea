/*
 * report.c — the results as JSON (everything, raw samples included), as a
 * Markdown summary with the targets checked, and as gnuplot charts
 * (spawn latency per launcher; per-command cost against file count).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"

static double num(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static const char *str(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static const cJSON *obj(const cJSON *o, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const cJSON *find_id(const cJSON *arr, const char *id) {
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) if (strcmp(str(e, "id"), id) == 0) return e;
    return NULL;
}

static FILE *open_out(const bench_ctx *ctx, const char *name) {
    char path[4200];
    bench_fmt(path, sizeof path, "%s/%s", ctx->out_dir, name);
    FILE *f = fopen(path, "we");
    if (!f)
        bench_log("create %s: %s", path, strerror(errno));
    return f;
}

static void fmt_rss(char *out, size_t len, double kib) {
    if (kib < 0)
        bench_fmt(out, len, "n/a");
    else
        bench_fmt(out, len, "%.1f MiB", kib / 1024.0);
}

/* ---- spawn ---------------------------------------------------------------- */

static void md_spawn(FILE *f, const cJSON *spawn) {
    const cJSON *load_b = obj(spawn, "loadavg_before"), *load_a = obj(spawn, "loadavg_after");
    fprintf(f, "## Spawn latency: `/bin/true`, %d interleaved runs after %d warm-up\n\n",
            (int)num(spawn, "iterations"), (int)num(spawn, "warmup"));
    fprintf(f, "Load average (1 min) %.2f before, %.2f after; %.0f s.\n\n",
            cJSON_IsArray(load_b) ? cJSON_GetArrayItem(load_b, 0)->valuedouble : -1,
            cJSON_IsArray(load_a) ? cJSON_GetArrayItem(load_a, 0)->valuedouble : -1,
            num(spawn, "seconds"));
    bench_md_spawn_header(f);
    const cJSON *e;
    cJSON_ArrayForEach(e, obj(spawn, "launchers")) {
        if (!cJSON_IsTrue(obj(e, "measured"))) {
            bench_md_spawn_skipped(f, str(e, "name"), str(e, "skipped"));
            continue;
        }
        const cJSON *lat = obj(e, "latency"), *c = obj(e, "confinement");
        char rss[32];
        fmt_rss(rss, sizeof rss, num(e, "peak_rss_kib"));
        bench_summary s = {.median = num(lat, "median_ms"), .p90 = num(lat, "p90_ms"), .p99 = num(lat, "p99_ms")};
        bench_md_spawn_row(f, str(e, "name"), &s, num(e, "overhead_ms"), num(e, "ratio_to_bare"), rss,
                           cJSON_IsTrue(obj(c, "write_outside_refused")) ? "refused" : "allowed",
                           cJSON_IsTrue(obj(c, "write_git_refused")) ? "refused" : "allowed");
    }
    fprintf(f, "\nPeak RSS is wait4's ru_maxrss of the launcher's process tree (the launcher, "
               "its helpers and `/bin/true`), measured through the tiny static `rss_probe` so "
               "that the driver's own pages are not counted; the `bare` row is `/bin/true` "
               "alone. Library rows run inside the caller: see their CLI row. For the srt "
               "library, it is the node process's own peak.\n\n");
}

static void plot_spawn(const bench_ctx *ctx, const cJSON *spawn) {
    FILE *d = open_out(ctx, "spawn.dat");
    if (!d)
        return;
    fprintf(d, "# id median_ms p90_ms\n");
    const cJSON *e;
    cJSON_ArrayForEach(e, obj(spawn, "launchers")) {
        if (!cJSON_IsTrue(obj(e, "measured")))
            continue;
        const cJSON *lat = obj(e, "latency");
        fprintf(d, "\"%s\" %.4f %.4f\n", str(e, "id"), num(lat, "median_ms"), num(lat, "p90_ms"));
    }
    fclose(d);
    FILE *g = open_out(ctx, "spawn.gp");
    if (!g)
        return;
    fprintf(g, "set terminal svg size 1000,560 dynamic font 'sans,11'\n"
               "set output 'spawn.svg'\n"
               "set title 'Spawn latency of /bin/true (median, bar to p90), log scale'\n"
               "set ylabel 'milliseconds'\nset logscale y\nset grid ytics\n"
               "set style fill solid 0.6\nset boxwidth 0.6\nset xtics rotate by -35 left\n"
               "set key off\nset bmargin 9\nset yrange [0.1:*]\n"
               "plot 'spawn.dat' using 0:2:xtic(1) with boxes lc rgb '#4477aa', "
               "'' using 0:2:2:3 with yerrorbars lc rgb '#222222' pt 0, "
               "'' using 0:2:(sprintf('%%.1f', $2)) with labels offset 0,1 font ',9'\n"
               "set terminal pngcairo size 1000,560 font 'sans,10'\n"
               "set output 'spawn.png'\nreplot\n");
    fclose(g);
}

/* ---- scale ---------------------------------------------------------------- */

static void md_scale(FILE *f, const cJSON *scale) {
    fprintf(f, "## Cost against workspace size\n\n");
    fprintf(f, "Per-command cost: median of %d interleaved `/bin/true` runs per cell. First run: "
               "open (policy load, sandbox prepare, helper start) + the first command.\n\n",
            (int)num(scale, "runs_per_cell"));
    const cJSON *first = cJSON_GetArrayItem(obj(scale, "launchers"), 0);
    const cJSON *sizes0 = first ? obj(first, "sizes") : NULL;
    fprintf(f, "| launcher |");
    const cJSON *s;
    cJSON_ArrayForEach(s, sizes0) fprintf(f, " per command, %.0f files |", num(s, "files"));
    fprintf(f, " largest ÷ smallest | first run, smallest | first run, largest | first run per "
               "1,000 files, largest |\n|---|");
    cJSON_ArrayForEach(s, sizes0) fprintf(f, "---:|");
    fprintf(f, "---:|---:|---:|---:|\n");
    const cJSON *e;
    int cols = cJSON_GetArraySize(sizes0);
    cJSON_ArrayForEach(e, obj(scale, "launchers")) {
        if (obj(e, "skipped")) {
            fprintf(f, "| %s | skipped: %s |", str(e, "name"), str(e, "skipped"));
            for (int k = 0; k < cols + 3; k++)
                fprintf(f, "|");
            fprintf(f, "\n");
            continue;
        }
        fprintf(f, "| %s |", str(e, "name"));
        const cJSON *sz = obj(e, "sizes");
        cJSON_ArrayForEach(s, sz) {
            if (obj(s, "skipped"))
                fprintf(f, " skipped: %s |", str(s, "skipped"));
            else
                fprintf(f, " %.2f ms |", num(obj(s, "per_command"), "median_ms"));
        }
        double ratio = num(e, "largest_over_smallest");
        const cJSON *lo = cJSON_GetArrayItem(sz, 0), *hi = cJSON_GetArrayItem(sz, cols - 1);
        if (ratio > 0)
            fprintf(f, " %.3f |", ratio);
        else
            fprintf(f, " n/a |");
        fprintf(f, " %.1f ms | %.1f ms | %.3f ms |\n", num(lo, "first_total_ms"),
                num(hi, "first_total_ms"), num(hi, "first_total_ms_per_1000_files"));
    }
    fprintf(f, "\nReference for an ACL-granting backend's one-time cost: `%s`\n\n",
            str(scale, "setfacl_command"));
    fprintf(f, "| files | setfacl -R ms | ms per 1,000 files |\n|---:|---:|---:|\n");
    cJSON_ArrayForEach(s, obj(scale, "setfacl_reference")) {
        if (obj(s, "skipped"))
            fprintf(f, "| %.0f | skipped: %s | |\n", num(s, "files"), str(s, "skipped"));
        else
            fprintf(f, "| %.0f | %.1f | %.2f |\n", num(s, "files"), num(s, "ms"),
                    num(s, "ms_per_1000_files"));
    }
    fprintf(f, "\n");
}

static void plot_scale(const bench_ctx *ctx, const cJSON *scale) {
    FILE *d = open_out(ctx, "scale.dat");
    FILE *g = open_out(ctx, "scale.gp");
    if (!d || !g) {
        if (d)
            fclose(d);
        if (g)
            fclose(g);
        return;
    }
    fprintf(g, "set terminal svg size 900,540 dynamic font 'sans,11'\n"
               "set output 'scale.svg'\n"
               "set title 'Per-command cost of /bin/true against workspace size (median)'\n"
               "set xlabel 'files in the workspace'\nset ylabel 'milliseconds'\n"
               "set logscale xy\nset grid\nset key outside right\nset xrange [50:200000]\n"
               "plot ");
    int block = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, obj(scale, "launchers")) {
        if (obj(e, "skipped"))
            continue;
        fprintf(d, "# %s\n", str(e, "id"));
        const cJSON *s;
        cJSON_ArrayForEach(s, obj(e, "sizes")) if (!obj(s, "skipped")) fprintf(
            d, "%.0f %.4f\n", num(s, "files"), num(obj(s, "per_command"), "median_ms"));
        fprintf(d, "\n\n");
        fprintf(g, "%s'scale.dat' index %d using 1:2 with linespoints title '%s'",
                block ? ", " : "", block, str(e, "id"));
        block++;
    }
    fprintf(g, "\nset terminal pngcairo size 900,540 font 'sans,10'\n"
               "set output 'scale.png'\nreplot\n");
    fclose(d);
    fclose(g);
}

/* ---- workloads -------------------------------------------------------------- */

static void md_workload(FILE *f, const cJSON *wl) {
    fprintf(f, "## Workload overhead (same run, interleaved)\n\n");
    const cJSON *w;
    cJSON_ArrayForEach(w, obj(wl, "workloads")) {
        fprintf(f, "### %s — %s (%d runs each; load %.2f → %.2f)\n\n", str(w, "id"), str(w, "what"),
                (int)num(w, "reps"), num(w, "loadavg_before"), num(w, "loadavg_after"));
        fprintf(f, "| launcher | median s | min s | × bare (median) | × bare (min) | CPU s | "
                   "× bare (CPU) |\n|---|---:|---:|---:|---:|---:|---:|\n");
        const cJSON *e;
        cJSON_ArrayForEach(e, obj(w, "launchers")) {
            if (obj(e, "skipped")) {
                fprintf(f, "| %s | skipped: %s ||||||\n", str(e, "name"), str(e, "skipped"));
                continue;
            }
            const cJSON *t = obj(e, "time");
            fprintf(f, "| %s | %.3f | %.3f | %.3f | %.3f |", str(e, "name"),
                    num(t, "median_ms") / 1e3, num(t, "min_ms") / 1e3, num(e, "ratio_median"),
                    num(e, "ratio_min"));
            if (num(e, "ratio_cpu") > 0)
                fprintf(f, " %.3f | %.3f |\n", num(e, "cpu_median_ms") / 1e3, num(e, "ratio_cpu"));
            else
                fprintf(f, " n/a | n/a |\n");
        }
        fprintf(f, "\n");
    }
}

/* ---- targets (issue 7) ------------------------------------------------------ */

static void target(FILE *f, const char *what, const char *figure, int met) {
    fprintf(f, "| %s | %s | %s |\n", what, figure,
            met < 0 ? "not measured" : met ? "met" : "**not met**");
}

static void md_targets(FILE *f, const cJSON *results) {
    const cJSON *spawn = obj(results, "spawn"), *scale = obj(results, "scale"),
                *wl = obj(results, "workload");
    const cJSON *sl = spawn ? obj(spawn, "launchers") : NULL;
    fprintf(f, "## Targets (issue 7)\n\n| target | figure | verdict |\n|---|---|---|\n");
    char fig[256];
    const cJSON *un = sl ? find_id(sl, "rf-lib-unelevated") : NULL;
    const cJSON *un_cli = sl ? find_id(sl, "rf-cli-unelevated") : NULL;
    const cJSON *bw = sl ? find_id(sl, "bwrap") : NULL;
    const cJSON *cx = sl ? find_id(sl, "codex-native") : NULL;
    bool un_ok = un && cJSON_IsTrue(obj(un, "measured"));
    if (un_ok) {
        double over = num(un, "overhead_ms"), med = num(obj(un, "latency"), "median_ms");
        bench_fmt(fig, sizeof fig, "%+.2f ms over bare (library, median %.2f ms)", over, med);
        target(f, "unelevated: median spawn overhead ≤ 1 ms over bare", fig, over <= 1.0);
        if (bw && cJSON_IsTrue(obj(bw, "measured"))) {
            double r = num(obj(bw, "latency"), "median_ms") / med;
            bench_fmt(fig, sizeof fig, "bwrap is %.1f× slower", r);
            target(f, "unelevated: about 4× faster than bubblewrap", fig, r >= 4.0);
        } else {
            target(f, "unelevated: about 4× faster than bubblewrap", "bwrap not measured", -1);
        }
        if (cx && cJSON_IsTrue(obj(cx, "measured"))) {
            double r = num(obj(cx, "latency"), "median_ms") / med;
            bench_fmt(fig, sizeof fig, "Codex (native binary) is %.1f× slower", r);
            target(f, "unelevated: 30× faster than Codex", fig, r >= 30.0);
        } else {
            target(f, "unelevated: 30× faster than Codex", "Codex not measured", -1);
        }
    } else {
        target(f, "unelevated: median spawn overhead ≤ 1 ms over bare",
               un ? str(un, "skipped") : "not built", -1);
    }
    if (un_cli && cJSON_IsTrue(obj(un_cli, "measured"))) {
        double kib = num(un_cli, "peak_rss_kib");
        bench_fmt(fig, sizeof fig, "%.2f MiB (CLI process tree)", kib / 1024.0);
        target(f, "unelevated: launcher peak RSS ≤ 2 MiB", fig, kib <= 2048);
    } else {
        target(f, "unelevated: launcher peak RSS ≤ 2 MiB", "CLI not measured", -1);
    }
    const cJSON *el = sl ? find_id(sl, "rf-lib-elevated") : NULL;
    if (!el)
        el = sl ? find_id(sl, "rf-elevated") : NULL;
    if (el && cJSON_IsTrue(obj(el, "measured"))) {
        double over = num(el, "overhead_ms");
        bench_fmt(fig, sizeof fig, "%+.2f ms over bare", over);
        target(f, "elevated: median spawn overhead ≤ 2 ms over bare", fig, over <= 2.0);
    } else {
        target(f, "elevated: median spawn overhead ≤ 2 ms over bare",
               el ? str(el, "skipped") : "not built", -1);
    }
    const cJSON *e;
    const cJSON *scale_rows = scale ? obj(scale, "launchers") : NULL;
    cJSON_ArrayForEach(e, scale_rows) {
        if (strncmp(str(e, "id"), "rf-", 3) != 0 || obj(e, "skipped"))
            continue;
        double r = num(e, "largest_over_smallest");
        char what[160];
        bench_fmt(what, sizeof what, "%s: per-command cost at the largest workspace within 10%%",
                 str(e, "id"));
        bench_fmt(fig, sizeof fig, "largest ÷ smallest = %.3f", r);
        target(f, what, fig, r < 0 ? -1 : r <= 1.10);
    }
    const cJSON *w;
    const cJSON *wl_rows = wl ? obj(wl, "workloads") : NULL;
    cJSON_ArrayForEach(w, wl_rows) {
        if (strcmp(str(w, "id"), "file-heavy") == 0)
            continue;
        cJSON_ArrayForEach(e, obj(w, "launchers")) {
            if (strncmp(str(e, "id"), "rf-", 3) != 0 || obj(e, "skipped"))
                continue;
            char what[160];
            bench_fmt(what, sizeof what, "%s: %s overhead ≤ 3%%", str(e, "id"), str(w, "id"));
            double r = num(e, "ratio_median");
            bench_fmt(fig, sizeof fig, "× %.3f (median), × %.3f (min), × %.3f (CPU)", r,
                      num(e, "ratio_min"), num(e, "ratio_cpu"));
            target(f, what, fig, r <= 1.03);
        }
    }
    fprintf(f, "\n");
}

int report_write(const bench_ctx *ctx, cJSON *results) {
    char *text = cJSON_Print(results);
    FILE *f = open_out(ctx, "results.json");
    if (!f || !text) {
        free(text);
        if (f)
            fclose(f);
        return -1;
    }
    fputs(text, f);
    fputc('\n', f);
    fclose(f);
    free(text);

    FILE *md = open_out(ctx, "results.md");
    if (!md)
        return -1;
    const cJSON *m = obj(results, "machine");
    fprintf(md, "# ringfence benchmark results\n\n");
    fprintf(md, "Command: `%s`. Started %s, took %.0f s.\n\n", str(results, "command"),
            str(m, "started_utc"), num(results, "seconds"));
    fprintf(md, "Machine: %s, %d CPUs (%s), %s, kernel %s. Load average at start %.2f. "
                "Other work was running on this machine (see the load figures): read the "
                "medians, not the tails.\n\n",
            str(m, "os"), (int)num(m, "nproc"), str(m, "cpu_model"), str(m, "memory"),
            str(m, "kernel"), cJSON_GetArrayItem(obj(m, "loadavg_at_start"), 0)->valuedouble);
    md_targets(md, results);
    if (obj(results, "spawn")) {
        md_spawn(md, obj(results, "spawn"));
        plot_spawn(ctx, obj(results, "spawn"));
        fprintf(md, "![spawn latency](spawn.svg)\n\n");
    }
    if (obj(results, "scale")) {
        md_scale(md, obj(results, "scale"));
        plot_scale(ctx, obj(results, "scale"));
        fprintf(md, "![per-command cost against file count](scale.svg)\n\n");
    }
    if (obj(results, "workload"))
        md_workload(md, obj(results, "workload"));
    fprintf(md, "Versions: ");
    const cJSON *v;
    cJSON_ArrayForEach(v, obj(m, "versions")) fprintf(md, "%s `%s`; ", v->string, v->valuestring);
    fprintf(md, "\n");
    fclose(md);

    /* Charts: gnuplot runs in the output folder so the .gp files stay short. */
    static const char *const charts[] = {"spawn.gp", "scale.gp"};
    for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++) {
        char path[4200];
        bench_fmt(path, sizeof path, "%s/%s", ctx->out_dir, charts[i]);
        FILE *probe = fopen(path, "re");
        if (!probe)
            continue;
        fclose(probe);
        char *argv[] = {"gnuplot", (char *)charts[i], NULL};
        if (bench_exec_quiet(ctx, argv, ctx->out_dir) < 0)
            bench_log("gnuplot %s failed (Debian gnuplot-nox); the .dat files are there", path);
    }
    return 0;
}
