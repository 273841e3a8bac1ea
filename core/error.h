/* error.h — filling an rf_error: one line naming the operation, the object and the reason. */
#ifndef RF_ERROR_H
#define RF_ERROR_H

#include "core/ringfence.h"

/* mingw's "printf" archetype is the Microsoft one, which knows no %zu; the
 * Windows build formats with mingw's ANSI stdio (gnu_printf). */
#ifdef __MINGW32__
#define RF_PRINTF_FORMAT gnu_printf
#else
#define RF_PRINTF_FORMAT printf
#endif

/* Sets err (when not NULL) and returns `code` so callers can `return rf_fail(...)`. */
int rf_fail(rf_error *err, int code, const char *fmt, ...)
    __attribute__((format(RF_PRINTF_FORMAT, 3, 4)));

/* Like rf_fail with code -errnum, appending ": <strerror(errnum)>". */
int rf_fail_errno(rf_error *err, int errnum, const char *fmt, ...)
    __attribute__((format(RF_PRINTF_FORMAT, 3, 4)));

/* A policy error: code RF_EPOLICY, field recorded, message starts with the field. */
int rf_fail_policy(rf_error *err, const char *field, const char *fmt, ...)
    __attribute__((format(RF_PRINTF_FORMAT, 3, 4)));

void rf_error_clear(rf_error *err);

#endif
