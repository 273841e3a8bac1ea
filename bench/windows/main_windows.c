/*
 * main_windows.c — `bench_windows [--n N] [--out FILE]`: the Windows run.
 * Interleaves the Windows launchers (A B A B ...) like the Linux driver and
 * writes {"spawn": {"launchers": [...]}, "acl_apply": [...]} in the Linux
 * results' shape, so the same report code and charts apply.  Here it compiles
 * and lists every Windows launcher as skipped with the reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "bench/windows/bench_windows.h"

int main(int argc, char **argv) {
    int n = 200;
    const char *out = "results-windows.json";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--n") == 0)
            n = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--out") == 0)
            out = argv[i + 1];
    }
    if (n < 1)
        n = 1;
    size_t count = rf_bench_win_launcher_count;
    double *ms = calloc(count * (size_t)n, sizeof *ms);
    size_t *got = calloc(count, sizeof *got);
    char (*why)[256] = calloc(count, sizeof *why);
    if (!ms || !got || !why) {
        fprintf(stderr, "bench_windows: out of memory\n");
        return 1;
    }
    const char *ws = ".";
    for (int it = 0; it < n; it++)
        for (size_t j = 0; j < count; j++) {
            size_t k = (j + (size_t)it) % count;
            if (why[k][0])
                continue; /* already known not to run */
            double t;
            long kib;
            if (rf_bench_win_spawn_once(&rf_bench_win_launchers[k], ws, &t, &kib, why[k],
                                        sizeof why[k]) == 0)
                ms[k * (size_t)n + got[k]++] = t;
        }
    cJSON *root = cJSON_CreateObject();
    cJSON *rows = cJSON_AddArrayToObject(cJSON_AddObjectToObject(root, "spawn"), "launchers");
    for (size_t k = 0; k < count; k++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", rf_bench_win_launchers[k].id);
        cJSON_AddStringToObject(o, "name", rf_bench_win_launchers[k].name);
        cJSON_AddBoolToObject(o, "measured", got[k] > 0);
        if (got[k]) {
            bench_summary s = bench_summarize(ms + k * (size_t)n, got[k]);
            cJSON_AddItemToObject(o, "latency", bench_summary_json(&s));
        } else {
            cJSON_AddStringToObject(o, "skipped", why[k]);
        }
        cJSON_AddItemToArray(rows, o);
    }
    cJSON *acl = cJSON_AddArrayToObject(root, "acl_apply");
    static const long sizes[] = {100, 1000, 10000, 100000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        double plan, apply;
        char reason[256];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "files", (double)sizes[i]);
        if (rf_bench_win_acl_apply(ws, sizes[i], &plan, &apply, reason, sizeof reason) == 0) {
            cJSON_AddNumberToObject(o, "plan_ms", plan);
            cJSON_AddNumberToObject(o, "apply_ms", apply);
            cJSON_AddNumberToObject(o, "apply_ms_per_1000_files", apply / (sizes[i] / 1000.0));
        } else {
            cJSON_AddStringToObject(o, "skipped", reason);
        }
        cJSON_AddItemToArray(acl, o);
    }
    char *text = cJSON_Print(root);
    FILE *f = fopen(out, "w");
    int rc = 0;
    if (!f || !text || fputs(text, f) < 0) {
        fprintf(stderr, "bench_windows: write %s: %s\n", out, strerror(errno));
        rc = 1;
    }
    if (f)
        fclose(f);
    printf("%s\n", text ? text : "");
    free(text);
    cJSON_Delete(root);
    free(ms);
    free(got);
    free(why);
    return rc;
}
