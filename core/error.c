#include "core/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void rf_error_clear(rf_error *err) {
    if (!err)
        return;
    err->code = 0;
    err->field[0] = '\0';
    err->message[0] = '\0';
}

int rf_fail(rf_error *err, int code, const char *fmt, ...) {
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    err->code = code;
    err->field[0] = '\0';
    return code;
}

int rf_fail_errno(rf_error *err, int errnum, const char *fmt, ...) {
    int code = errnum > 0 ? -errnum : -EIO;
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof err->message)
        snprintf(err->message + n, sizeof err->message - (size_t)n, ": %s", strerror(errnum));
    err->code = code;
    err->field[0] = '\0';
    return code;
}

int rf_fail_policy(rf_error *err, const char *field, const char *fmt, ...) {
    if (!err)
        return RF_EPOLICY;
    snprintf(err->field, sizeof err->field, "%s", field);
    int n = snprintf(err->message, sizeof err->message, "policy field '%s': ", field);
    if (n >= 0 && (size_t)n < sizeof err->message) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message + n, sizeof err->message - (size_t)n, fmt, ap);
        va_end(ap);
    }
    err->code = RF_EPOLICY;
    return RF_EPOLICY;
}
