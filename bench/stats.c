/* stats.c — order statistics of a set of timings (nearest-rank percentiles). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"

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
    size_t rank = (size_t)ceil(p / 100.0 * (double)n);
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

cJSON *bench_summary_json(const bench_summary *s) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "n", (double)s->n);
    cJSON_AddNumberToObject(o, "median_ms", s->median);
    cJSON_AddNumberToObject(o, "p90_ms", s->p90);
    cJSON_AddNumberToObject(o, "p99_ms", s->p99);
    cJSON_AddNumberToObject(o, "mean_ms", s->mean);
    cJSON_AddNumberToObject(o, "min_ms", s->min);
    cJSON_AddNumberToObject(o, "max_ms", s->max);
    return o;
}
