/* utc_stamp_test.c — the hand-computed UTC stamp agrees with gmtime_r + strftime. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/utc_stamp.h"
#include "tests/check.h"

static void expected(time_t secs, long nsec, char *out, size_t len) {
    struct tm tm;
    gmtime_r(&secs, &tm);
    size_t n = strftime(out, len, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, len - n, ".%03ldZ", nsec / 1000000);
}

int main(void) {
    static const struct {
        long long secs;
        long nsec;
        const char *reason;
    } cases[] = {
        {0, 0, "the epoch"},
        {-1, 0, "one second before the epoch"},
        {-86400, 999999999, "a whole day before, milliseconds truncated"},
        {951782400, 0, "2000-02-29: leap day of a year divisible by 400"},
        {951868800, 0, "2000-03-01"},
        {4107456000LL, 0, "2100-02-28"},
        {4107542400LL, 0, "2100-03-01: 2100 is not a leap year"},
        {1709251199, 123456789, "2024-02-29T23:59:59, just before March"},
        {1798675200, 1000000, "2026-12-31"},
        {1803859199, 0, "a year's last second"},
        {253402300799LL, 0, "9999-12-31T23:59:59"},
        {-30610224000LL, 0, "1000-01-01 (strftime does not pad years below 1000)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct timespec ts = {.tv_sec = (time_t)cases[i].secs, .tv_nsec = cases[i].nsec};
        char got[64], want[64];
        rf_utc_stamp(&ts, got, sizeof got);
        expected((time_t)cases[i].secs, cases[i].nsec, want, sizeof want);
        CHECK_STR_EQ(got, want, "%s (%lld)", cases[i].reason, cases[i].secs);
    }
    /* Every day over 800 years (two full 400-year eras), at 12:34:56. */
    int bad = 0;
    for (long long day = -146097; day < 146097 && bad < 5; day += 1) {
        struct timespec ts = {.tv_sec = (time_t)(day * 86400 + 45296), .tv_nsec = 0};
        char got[64], want[64];
        rf_utc_stamp(&ts, got, sizeof got);
        expected(ts.tv_sec, 0, want, sizeof want);
        if (strcmp(got, want) != 0)
            bad++;
        CHECK(strcmp(got, want) == 0 || bad > 1, "day %lld: got %s, want %s", day, got, want);
    }
    CHECK(bad == 0, "every day from 1570 to 2370 agrees with gmtime_r (%d differ)", bad);
    return check_summary("utc_stamp_test");
}
