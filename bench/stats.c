/* stats.c — order statistics of a set of timings (nearest-rank percentiles), and the
 * spawn table's Markdown rows. */
#include <stdlib.h>
#include <string.h>

#include "bench/stats.h"

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_long(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Nearest rank: the smallest value with at least p% of the values at or below it. */
static double percentile_sorted(const double *v, size_t n, double p) {
    double exact = p / 100.0 * (double)n;
    size_t rank = (size_t)exact;
    if ((double)rank < exact) /* the ceiling, without libm */
        rank++;
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return v[rank - 1];
}

bench_summary bench_summarize(const double *values, size_t n) {
    bench_summary s;
    memset(&s, 0, sizeof s);
    if (n == 0)
        return s;
    double *v = malloc(n * sizeof *v);
    if (!v)
        return s;
    memcpy(v, values, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    s.n = n;
    s.min = v[0];
    s.max = v[n - 1];
    s.mean = sum / (double)n;
    /* The median of an even count is the mean of the two middle values. */
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    s.p90 = percentile_sorted(v, n, 90);
    s.p99 = percentile_sorted(v, n, 99);
    free(v);
    return s;
}

long bench_median_long(const long *values, size_t n) {
    long *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (values[i] >= 0)
            v[k++] = values[i];
    long m = -1;
    if (k) {
        qsort(v, k, sizeof *v, cmp_long);
        m = v[k / 2];
    }
    free(v);
    return m;
}

void bench_md_spawn_header(FILE *f) {
    fprintf(f, "| launcher | median ms | p90 ms | p99 ms | over bare ms | × bare | peak RSS | "
               "write outside | write .git |\n");
    fprintf(f, "|---|---:|---:|---:|---:|---:|---:|---|---|\n");
}

void bench_md_spawn_row(FILE *f, const char *name, const bench_summary *s, double over_ms, double ratio,
                        const char *rss, const char *outside, const char *git) {
    fprintf(f, "| %s | %.2f | %.2f | %.2f | %+.2f | %.1f | %s | %s | %s |\n", name, s->median, s->p90, s->p99,
            over_ms, ratio, rss, outside, git);
}

void bench_md_spawn_skipped(FILE *f, const char *name, const char *why) {
    fprintf(f, "| %s | skipped: %s ||||||||\n", name, why);
}
