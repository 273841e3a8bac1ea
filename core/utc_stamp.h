/* utc_stamp.h — an ISO 8601 UTC time stamp, computed without the C library's time-zone code. */
#ifndef RINGFENCE_CORE_UTC_STAMP_H
#define RINGFENCE_CORE_UTC_STAMP_H

#include <stddef.h>
#include <time.h>

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" for `ts` (seconds since the epoch, UTC) into
 * out[len] (25 bytes suffice for years 0-9999).  gmtime_r would do, but it
 * runs tzset, which reads /etc/localtime and makes the time-zone code
 * resident in every `ringfence run`, for a stamp that is UTC anyway. */
void rf_utc_stamp(const struct timespec *ts, char *out, size_t len);

#endif
