/*
 * stats.h — order statistics of timings and the spawn table's Markdown rows,
 * without cJSON: shared by the Linux driver and the Windows run
 * (bench/windows/, built with mingw, where cJSON is not available).
 */
#ifndef RF_BENCH_STATS_H
#define RF_BENCH_STATS_H

#include <stddef.h>
#include <stdio.h>

typedef struct bench_summary {
    size_t n;
    double min, median, p90, p99, mean, max;
} bench_summary;

/* stats.c: sorts a copy; n == 0 gives all zeros. */
bench_summary bench_summarize(const double *values, size_t n);
long bench_median_long(const long *values, size_t n); /* ignores values < 0; -1 if none */

/* The spawn table of results.md (and results-windows.md): its header, a
 * measured row, a skipped row.  `rss`, `outside`, `git` are the last three
 * cells as text ("1.9 MiB", "refused", "n/a"). */
void bench_md_spawn_header(FILE *f);
void bench_md_spawn_row(FILE *f, const char *name, const bench_summary *s, double over_ms, double ratio,
                        const char *rss, const char *outside, const char *git);
void bench_md_spawn_skipped(FILE *f, const char *name, const char *why);

#endif
