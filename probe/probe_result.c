/*
 * probe_result.c — the portable half of the probe helpers: outcome and kind
 * names and the result setters.  Shared by rf-probe on
 * Linux and rf-probe.exe on Windows; the verdict from a system error lives in
 * probe_util.c (errno) and probe_util_win.c (Win32 errors).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "probe/probe.h"

static const char *const outcome_names[] = {
    [RF_OUT_ALLOWED] = "allowed",
    [RF_OUT_ADVISORY_BLOCKED] = "advisory-blocked",
    [RF_OUT_BLOCKED] = "blocked",
    [RF_OUT_ERROR] = "error",
};

const char *rf_probe_outcome_name(rf_probe_outcome o) {
    return (o >= RF_OUT_ALLOWED && o <= RF_OUT_ERROR) ? outcome_names[o] : "unknown";
}

int rf_probe_outcome_from_name(const char *name) {
    for (int o = RF_OUT_ALLOWED; o <= RF_OUT_ERROR; o++)
        if (strcmp(outcome_names[o], name) == 0)
            return o;
    return -1;
}

const char *rf_probe_kind_name(rf_probe_kind k) {
    switch (k) {
    case RF_KIND_CONTROL:
        return "control";
    case RF_KIND_RAW:
        return "raw";
    case RF_KIND_CONVENTIONAL:
        return "conventional";
    }
    return "unknown";
}

static void set(rf_probe_result *r, rf_probe_outcome o, int err, const char *fmt, va_list ap) {
    r->outcome = o;
    r->err = err;
    vsnprintf(r->detail, sizeof r->detail, fmt, ap);
}

void rf_probe_allowed(rf_probe_result *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    set(r, RF_OUT_ALLOWED, 0, fmt, ap);
    va_end(ap);
}

void rf_probe_advisory(rf_probe_result *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    set(r, RF_OUT_ADVISORY_BLOCKED, 0, fmt, ap);
    va_end(ap);
}

void rf_probe_blocked(rf_probe_result *r, int err, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    set(r, RF_OUT_BLOCKED, err, fmt, ap);
    va_end(ap);
}

void rf_probe_error(rf_probe_result *r, int err, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    set(r, RF_OUT_ERROR, err, fmt, ap);
    va_end(ap);
}
