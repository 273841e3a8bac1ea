/* stats_test.c — order statistics of bench/stats.c against hand-computed cases. */
#include <math.h>

#include "bench/bench.h"
#include "tests/check.h"

static bool near(double a, double b) { return fabs(a - b) < 1e-9; }

int main(void) {
    static const struct {
        const char *reason;
        double values[12];
        size_t n;
        double min, median, p90, p99, max, mean;
    } cases[] = {
        {"one value is every statistic", {5}, 1, 5, 5, 5, 5, 5, 5},
        {"even count: median is the mean of the middle two", {4, 1, 3, 2}, 4, 1, 2.5, 4, 4, 4, 2.5},
        {"odd count, unsorted input", {9, 1, 5}, 3, 1, 5, 9, 9, 9, 5},
        {"ten values: p90 is the 9th by nearest rank",
         {10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 10, 1, 5.5, 9, 10, 10, 5.5},
        {"an outlier moves the mean and p99, not the median",
         {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 100}, 12, 1, 1, 1, 100, 100, 111.0 / 12},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bench_summary s = bench_summarize(cases[i].values, cases[i].n);
        CHECK(s.n == cases[i].n, "%s: n", cases[i].reason);
        CHECK(near(s.min, cases[i].min), "%s: min %g", cases[i].reason, s.min);
        CHECK(near(s.median, cases[i].median), "%s: median %g", cases[i].reason, s.median);
        CHECK(near(s.p90, cases[i].p90), "%s: p90 %g", cases[i].reason, s.p90);
        CHECK(near(s.p99, cases[i].p99), "%s: p99 %g", cases[i].reason, s.p99);
        CHECK(near(s.max, cases[i].max), "%s: max %g", cases[i].reason, s.max);
        CHECK(near(s.mean, cases[i].mean), "%s: mean %g", cases[i].reason, s.mean);
    }
    bench_summary empty = bench_summarize(NULL, 0);
    CHECK(empty.n == 0 && empty.median == 0, "no values gives an empty summary");

    static const struct {
        const char *reason;
        long values[5];
        size_t n;
        long want;
    } rss[] = {
        {"negative values (not measured) are ignored", {-1, 300, -1, 100, 200}, 5, 200},
        {"nothing measured gives -1", {-1, -1}, 2, -1},
        {"middle of an even count is the upper one", {4, 1, 3, 2}, 4, 3},
    };
    for (size_t i = 0; i < sizeof rss / sizeof rss[0]; i++)
        CHECK(bench_median_long(rss[i].values, rss[i].n) == rss[i].want, "%s", rss[i].reason);
    return check_summary("bench_stats_test");
}
