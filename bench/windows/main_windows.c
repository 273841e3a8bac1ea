/*
 * main_windows.c — `bench_windows [--quick] [--n N] [--scale-n N] [--sizes LIST]
 * [--ringfence-win EXE] [--out DIR]`: the Windows run.
 *
 * For each workspace size it runs `ringfence-win.exe bench FILES SPAWNS`
 * (backends/windows/bench_win.c: ACL grant of a generated workspace, then
 * spawns under the own token and the write-restricted token, interleaved)
 * and writes DIR/results-windows.json and DIR/results-windows.md in the
 * shape of the Linux spawn and scale phases: spawn latency with median,
 * p90, p99 and the ratio to the floor; the first grant's cost per 1,000
 * files; the per-command cost against the file count.  Built with mingw (no
 * cJSON there: the JSON is written here); runs on Windows, and under Wine in
 * tests/windows/wine_bench_test.sh, whose figures are not Windows'.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#endif

#include "bench/stats.h"
#include "bench/windows/bench_windows.h"

#define MAX_SIZES 8

typedef struct options {
    int n, scale_n;
    long sizes[MAX_SIZES];
    size_t n_sizes;
    char exe[4096];
    const char *out_dir;
} options;

static int parse_sizes(const char *text, options *o) {
    o->n_sizes = 0;
    const char *p = text;
    while (*p && o->n_sizes < MAX_SIZES) {
        char *end = NULL;
        long v = strtol(p, &end, 10);
        if (end == p || v < 1 || (*end && *end != ','))
            return -1;
        o->sizes[o->n_sizes++] = v;
        p = *end ? end + 1 : end;
    }
    return o->n_sizes > 0 && !*p ? 0 : -1;
}

/* ringfence-win.exe beside this program. */
static void default_exe(const char *argv0, char *out, size_t len) {
    const char *slash = strrchr(argv0, '\\'), *fwd = strrchr(argv0, '/');
    if (fwd && (!slash || fwd > slash))
        slash = fwd;
    if (slash)
        snprintf(out, len, "%.*sringfence-win.exe", (int)(slash - argv0 + 1), argv0);
    else
        snprintf(out, len, "ringfence-win.exe");
}

static int parse_args(int argc, char **argv, options *o) {
    o->n = 200;
    o->scale_n = 20;
    o->out_dir = ".";
    static const long full[] = {100, 1000, 10000, 100000};
    memcpy(o->sizes, full, sizeof full);
    o->n_sizes = 4;
    default_exe(argv[0], o->exe, sizeof o->exe);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--quick") == 0) {
            o->n = 20;
            o->scale_n = 5;
            o->n_sizes = 2;
            continue;
        }
        if (!v)
            return -1;
        i++;
        if (strcmp(a, "--n") == 0) {
            o->n = atoi(v);
        } else if (strcmp(a, "--scale-n") == 0) {
            o->scale_n = atoi(v);
        } else if (strcmp(a, "--sizes") == 0) {
            if (parse_sizes(v, o) < 0)
                return -1;
        } else if (strcmp(a, "--ringfence-win") == 0) {
            snprintf(o->exe, sizeof o->exe, "%s", v);
        } else if (strcmp(a, "--out") == 0) {
            o->out_dir = v;
        } else {
            return -1;
        }
    }
    return o->n >= 1 && o->scale_n >= 1 ? 0 : -1;
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void json_summary(FILE *f, const bench_summary *s) {
    fprintf(f, "{\"n\": %zu, \"median_ms\": %.4f, \"p90_ms\": %.4f, \"p99_ms\": %.4f, \"mean_ms\": %.4f, "
               "\"min_ms\": %.4f, \"max_ms\": %.4f}",
            s->n, s->median, s->p90, s->p99, s->mean, s->min, s->max);
}

/* The launchers of the Windows table: the floor, the unelevated backend's
 * spawn, and the elevated backend (not built yet). */
typedef struct row {
    const char *id, *name, *group;
    const bench_summary *s; /* NULL: skipped */
    const char *skipped;
} row;

static const char *caveat(const rf_bench_win_result *r) {
    return r->wine ? (r->note[0] ? r->note : "run under Wine: these are not Windows figures") : "";
}

static void write_json(FILE *f, const options *o, const rf_bench_win_result *runs, const row *rows, size_t n_rows,
                       const bench_summary *plain) {
    const rf_bench_win_result *first = &runs[0];
    fprintf(f, "{\n  \"machine\": {\"platform\": \"%s\", \"caveat\": ", first->wine ? "wine" : "windows");
    json_str(f, caveat(first));
    fprintf(f, ", \"ringfence_win\": ");
    json_str(f, o->exe);
    fprintf(f, "},\n  \"spawn\": {\n    \"command\": \"ringfence-win probe read FILE\",\n"
               "    \"iterations\": %d,\n    \"files\": %ld,\n    \"bare_median_ms\": %.4f,\n    \"launchers\": [\n",
            first->spawns, first->files, plain->median);
    for (size_t i = 0; i < n_rows; i++) {
        fprintf(f, "      {\"id\": \"%s\", \"name\": ", rows[i].id);
        json_str(f, rows[i].name);
        fprintf(f, ", \"group\": \"%s\", \"measured\": %s", rows[i].group, rows[i].s ? "true" : "false");
        if (rows[i].s) {
            fprintf(f, ", \"latency\": ");
            json_summary(f, rows[i].s);
            fprintf(f, ", \"overhead_ms\": %.4f, \"ratio_to_bare\": %.4f, \"peak_rss_kib\": -1",
                    rows[i].s->median - plain->median, plain->median > 0 ? rows[i].s->median / plain->median : 0);
        } else {
            fprintf(f, ", \"skipped\": ");
            json_str(f, rows[i].skipped);
        }
        fprintf(f, "}%s\n", i + 1 < n_rows ? "," : "");
    }
    fprintf(f, "    ]\n  },\n  \"acl_apply\": [\n");
    for (size_t i = 0; i < o->n_sizes; i++) {
        const rf_bench_win_result *r = &runs[i];
        bench_summary p = bench_summarize(r->plain_ms, r->n_plain), q = bench_summarize(r->restricted_ms, r->n_restricted);
        fprintf(f, "    {\"files\": %ld, \"first_ms\": %.4f, \"first_ms_per_1000_files\": %.4f, \"again_ms\": %.4f, "
                   "\"aces_present\": %ld, \"per_command\": {\"bare_median_ms\": %.4f, \"rf-win-unelevated_median_ms\": %.4f, "
                   "\"n\": %d}}%s\n",
                r->files, r->acl_first_ms, r->acl_first_ms / ((double)r->files / 1000.0), r->acl_again_ms,
                r->aces_present, p.median, q.median, r->spawns, i + 1 < o->n_sizes ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
}

static void write_md(FILE *f, const options *o, const rf_bench_win_result *runs, const row *rows, size_t n_rows,
                     const bench_summary *plain) {
    const rf_bench_win_result *first = &runs[0];
    fprintf(f, "## Windows spawn latency: `ringfence-win probe read FILE`, %d interleaved runs\n\n", first->spawns);
    if (first->wine)
        fprintf(f, "**%s.** Plumbing check only.\n\n", caveat(first));
    bench_md_spawn_header(f);
    for (size_t i = 0; i < n_rows; i++) {
        if (!rows[i].s) {
            bench_md_spawn_skipped(f, rows[i].name, rows[i].skipped);
            continue;
        }
        bench_md_spawn_row(f, rows[i].name, rows[i].s, rows[i].s->median - plain->median,
                           plain->median > 0 ? rows[i].s->median / plain->median : 0, "n/a", "n/a", "n/a");
    }
    fprintf(f, "\nThe spawn step only, as the Linux library rows: the grant is made once before. "
               "Peak working set and the confinement probe are not measured on Windows yet (n/a); "
               "`ringfence-win selftest` checks the boundary on a real machine.\n\n");
    fprintf(f, "## Windows ACL grant against workspace size\n\n");
    fprintf(f, "| files | first grant ms | ms per 1,000 files | again ms | per command, bare ms | "
               "per command, unelevated ms |\n|---:|---:|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < o->n_sizes; i++) {
        const rf_bench_win_result *r = &runs[i];
        bench_summary p = bench_summarize(r->plain_ms, r->n_plain), q = bench_summarize(r->restricted_ms, r->n_restricted);
        fprintf(f, "| %ld | %.1f | %.2f | %.1f | %.2f | %.2f |\n", r->files, r->acl_first_ms,
                r->acl_first_ms / ((double)r->files / 1000.0), r->acl_again_ms, p.median, q.median);
    }
    fprintf(f, "\n");
}

static FILE *open_out(const char *dir, const char *name, char *path, size_t len) {
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb"); /* "b": LF line ends, as the Linux files */
    if (!f)
        fprintf(stderr, "bench_windows: creating %s: %s\n", path, strerror(errno));
    return f;
}

static int run(int argc, char **argv) {
    options o;
    if (parse_args(argc, argv, &o) < 0) {
        fprintf(stderr, "usage: bench_windows [--quick] [--n N] [--scale-n N] [--sizes 100,1000,...] "
                        "[--ringfence-win EXE] [--out DIR]\n");
        return 2;
    }
    rf_bench_win_result runs[MAX_SIZES];
    memset(runs, 0, sizeof runs);
    int rc = 0;
    for (size_t i = 0; i < o.n_sizes && rc == 0; i++) {
        char why[512];
        fprintf(stderr, "bench_windows: %ld files, %d spawns each\n", o.sizes[i], i == 0 ? o.n : o.scale_n);
        if (rf_bench_win_invoke(o.exe, o.sizes[i], i == 0 ? o.n : o.scale_n, &runs[i], why, sizeof why) < 0) {
            fprintf(stderr, "bench_windows: %s\n", why);
            rc = 1;
        }
    }
    if (rc == 0) {
        bench_summary plain = bench_summarize(runs[0].plain_ms, runs[0].n_plain);
        bench_summary restricted = bench_summarize(runs[0].restricted_ms, runs[0].n_restricted);
        const row rows[] = {
            {"bare", "CreateProcess, own token (floor)", "floor", &plain, NULL},
            {"rf-win-unelevated", "ringfence windows-unelevated (write-restricted token, job)", "ringfence", &restricted,
             NULL},
            {"rf-win-elevated", "ringfence windows-elevated", "ringfence", NULL,
             "the elevated Windows backend is not built yet"},
        };
        size_t n_rows = sizeof rows / sizeof rows[0];
        char path[4200];
        FILE *j = open_out(o.out_dir, "results-windows.json", path, sizeof path);
        if (j) {
            write_json(j, &o, runs, rows, n_rows, &plain);
            if (fclose(j) != 0)
                rc = 1;
        } else {
            rc = 1;
        }
        FILE *m = open_out(o.out_dir, "results-windows.md", path, sizeof path);
        if (m) {
            write_md(m, &o, runs, rows, n_rows, &plain);
            if (fclose(m) != 0)
                rc = 1;
        } else {
            rc = 1;
        }
        write_md(stdout, &o, runs, rows, n_rows, &plain);
    }
    for (size_t i = 0; i < o.n_sizes; i++)
        rf_bench_win_result_free(&runs[i]);
    return rc;
}

#ifdef _WIN32
/* The mingw toolchain links with -municode: arguments arrive as UTF-16. */
int wmain(int argc, wchar_t **wargv) {
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    for (int i = 0; argv && i < argc; i++) {
        int n = WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, NULL, 0, NULL, NULL);
        argv[i] = n > 0 ? malloc((size_t)n) : NULL;
        if (!argv[i] || WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, argv[i], n, NULL, NULL) <= 0) {
            fprintf(stderr, "bench_windows: argument %d is not valid UTF-16\n", i);
            return 2;
        }
    }
    if (!argv) {
        fprintf(stderr, "bench_windows: out of memory\n");
        return 2;
    }
    int rc = run(argc, argv);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    return rc;
}
#else
int main(int argc, char **argv) { return run(argc, argv); }
#endif
