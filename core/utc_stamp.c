/* utc_stamp.c — an ISO 8601 UTC time stamp from seconds since the epoch. */
#include "core/utc_stamp.h"

#include <stdio.h>

/* The proleptic Gregorian date of `days` after 1970-01-01 (may be negative).
 * Counted in eras of 400 years (146097 days), which repeat exactly; within an
 * era, years start on March 1 so that the leap day falls at the end. */
static void date_of_day(long long days, long long *year, unsigned *month, unsigned *day) {
    days += 719468; /* days from 0000-03-01 to 1970-01-01 */
    long long era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned day_of_era = (unsigned)(days - era * 146097);                                     /* 0..146096 */
    unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); /* from March 1 */
    unsigned month_from_march = (5 * day_of_year + 2) / 153;                                   /* 0 = March */
    *day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    *month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
    *year = (long long)year_of_era + era * 400 + (*month <= 2);
}

void rf_utc_stamp(const struct timespec *ts, char *out, size_t len) {
    long long secs = (long long)ts->tv_sec;
    long long days = (secs >= 0 ? secs : secs - 86399) / 86400;
    long long in_day = secs - days * 86400;
    long long year;
    unsigned month, day;
    date_of_day(days, &year, &month, &day);
    snprintf(out, len, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03ldZ", year, month, day, in_day / 3600,
             in_day / 60 % 60, in_day % 60, (long)(ts->tv_nsec / 1000000));
}
