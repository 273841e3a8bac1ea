/*
 * audit_record.c — the audit log's records as text (audit_record.h), shared
 * by the Linux (audit.c) and Windows (audit_win.c) log files.
 *
 * Cleanup idiom: each builder owns one cJSON tree and deletes it before
 * returning; helpers hold nothing.
 */
#include "core/audit_record.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A copy of `s` in which every byte that is not part of valid UTF-8 becomes
 * U+FFFD: an argv of arbitrary bytes must not make the line invalid JSON,
 * which strict readers would drop (hiding the run from the log). */
static char *utf8_clean(const char *s) {
    size_t n = strlen(s);
    char *out = malloc(3 * n + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    char *o = out;
    while (*p) {
        size_t len = *p < 0x80           ? 1
                     : (*p >> 5) == 0x6  ? 2
                     : (*p >> 4) == 0xE  ? 3
                     : (*p >> 3) == 0x1E ? 4
                                         : 0;
        bool ok = len > 0;
        for (size_t i = 1; ok && i < len; i++)
            ok = (p[i] & 0xC0) == 0x80;
        if (ok && len > 1) {
            uint32_t cp = len == 2 ? (p[0] & 0x1Fu) : len == 3 ? (p[0] & 0x0Fu) : (p[0] & 0x07u);
            for (size_t i = 1; i < len; i++)
                cp = (cp << 6) | (p[i] & 0x3Fu);
            static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
            ok = cp >= min[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
        }
        if (ok) {
            memcpy(o, p, len);
            o += len;
            p += len;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            p++;
        }
    }
    *o = '\0';
    return out;
}

/* Adds a string member (cleaned to UTF-8), or null when `value` is NULL. */
static bool add_string(cJSON *obj, const char *key, const char *value) {
    if (!value)
        return cJSON_AddNullToObject(obj, key) != NULL;
    char *clean = utf8_clean(value);
    bool ok = clean && cJSON_AddStringToObject(obj, key, clean) != NULL;
    free(clean);
    return ok;
}

/* An integer member, printed as such: cJSON 1.7.15 prints every number with
 * sprintf("%1.15g") and reads it back with sscanf, which makes libc's
 * floating-point printing and scanning resident in every run. */
static bool add_integer(cJSON *obj, const char *key, long long value) {
    char text[24];
    snprintf(text, sizeof text, "%lld", value);
    return cJSON_AddRawToObject(obj, key, text) != NULL;
}

/* The members every record starts with. */
static cJSON *new_record(const char *event, const rf_audit_who *who) {
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj && add_string(obj, "event", event) && add_string(obj, "time", who->time) &&
              add_string(obj, "user", who->user) &&
              (who->uid >= 0 ? add_integer(obj, "uid", who->uid)
                             : cJSON_AddNullToObject(obj, "uid") != NULL) &&
              (!who->sid || add_string(obj, "sid", who->sid)) &&
              add_integer(obj, "pid", who->pid);
    if (ok)
        return obj;
    cJSON_Delete(obj);
    return NULL;
}

/* Serializes `obj` as one line ending in a newline, and frees it.  `ok`
 * says whether building it succeeded. */
static char *finish_line(cJSON *obj, bool ok) {
    char *text = ok && obj ? cJSON_PrintUnformatted(obj) : NULL;
    char *line = NULL;
    if (text) {
        size_t n = strlen(text);
        line = malloc(n + 2);
        if (line) {
            memcpy(line, text, n);
            line[n] = '\n';
            line[n + 1] = '\0';
        }
    }
    cJSON_free(text);
    cJSON_Delete(obj);
    return line;
}

static bool add_argv(cJSON *obj, char *const *argv) {
    cJSON *array = cJSON_AddArrayToObject(obj, "argv");
    if (!array)
        return false;
    for (char *const *a = argv; a && *a; a++) {
        char *clean = utf8_clean(*a);
        cJSON *item = clean ? cJSON_CreateString(clean) : NULL;
        free(clean);
        if (!item)
            return false;
        cJSON_AddItemToArray(array, item);
    }
    return true;
}

/* The backend's declared gaps, one array item per line (absent with no table). */
static bool add_gaps(cJSON *obj, const rf_backend_status *status) {
    if (!status)
        return true;
    cJSON *array = cJSON_AddArrayToObject(obj, "gaps");
    if (!array)
        return false;
    const char *line = status->gaps;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char buf[sizeof status->gaps];
        snprintf(buf, sizeof buf, "%.*s", (int)len, line);
        cJSON *item = len ? cJSON_CreateString(buf) : NULL;
        if (len && !item)
            return false;
        if (item)
            cJSON_AddItemToArray(array, item);
        line += len + (nl ? 1 : 0);
    }
    return true;
}

static bool add_guarantees(cJSON *obj, const rf_backend_status *status) {
    if (!status)
        return cJSON_AddNullToObject(obj, "guarantees") != NULL;
    cJSON *table = cJSON_AddObjectToObject(obj, "guarantees");
    if (!table)
        return false;
    for (int g = 0; g < RF_G_COUNT; g++)
        if (!add_string(table, rf_guarantee_name((rf_guarantee)g), rf_level_name(status->level[g])))
            return false;
    return true;
}

char *rf_audit_record_run_start(const rf_audit_who *who, const rf_audit_start *rec) {
    cJSON *obj = new_record("run.start", who);
    bool ok = obj && add_string(obj, "run_id", rec->run_id) &&
              add_string(obj, "backend", rec->backend) && add_string(obj, "cwd", rec->cwd) &&
              add_argv(obj, rec->argv) && add_string(obj, "policy_sha256", rec->policy_sha256) &&
              add_guarantees(obj, rec->guarantees) && add_gaps(obj, rec->guarantees);
    return finish_line(obj, ok);
}

/* Milliseconds rounded to the microsecond (half away from zero), written as
 * a JSON number by integer formatting: round() would map libm, and cJSON's
 * own double printing (sprintf %1.15g, then sscanf to check it) pulls
 * libc's floating-point printing and scanning into every run's memory. */
static bool add_milliseconds(cJSON *obj, const char *key, double ms) {
    double us = ms * 1e3;
    if (!(us > -9e15 && us < 9e15)) /* NaN, infinite or beyond exact integers: null */
        return cJSON_AddNullToObject(obj, key) != NULL;
    long long whole = (long long)(us < 0 ? us - 0.5 : us + 0.5);
    unsigned long long mag = whole < 0 ? 0ull - (unsigned long long)whole : (unsigned long long)whole;
    char text[48];
    snprintf(text, sizeof text, "%s%llu.%03llu", whole < 0 ? "-" : "", mag / 1000, mag % 1000);
    return cJSON_AddRawToObject(obj, key, text) != NULL;
}

char *rf_audit_record_run_end(const rf_audit_who *who, const rf_audit_end *rec) {
    cJSON *obj = new_record("run.end", who);
    bool ok = obj && add_string(obj, "run_id", rec->run_id) &&
              add_integer(obj, "exit", rec->exit_code) &&
              (rec->status >= 0 ? add_integer(obj, "status", rec->status)
                                : cJSON_AddNullToObject(obj, "status") != NULL) &&
              add_integer(obj, "signal", rec->signal) &&
              /* Microsecond resolution: the clock's noise beyond it only adds digits. */
              add_milliseconds(obj, "duration_ms", rec->duration_ms) &&
              cJSON_AddBoolToObject(obj, "timed_out", rec->timed_out);
    return finish_line(obj, ok);
}

char *rf_audit_record_policy_error(const rf_audit_who *who, const rf_error *policy_err,
                                   const char *policy_file) {
    cJSON *obj = new_record("policy.error", who);
    bool ok = obj && add_string(obj, "field", policy_err->field[0] ? policy_err->field : NULL) &&
              add_string(obj, "message", policy_err->message) &&
              add_string(obj, "policy_file", policy_file);
    return finish_line(obj, ok);
}
