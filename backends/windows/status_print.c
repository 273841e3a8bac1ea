/* status_print.c — the backend table as text or JSON (core's status layout). */
#include "backends/windows/status_print.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/error.h"

/* The text table, grown line by line; `failed` once an allocation failed. */
typedef struct textbuf {
    char *data;
    size_t len;
    bool failed;
} textbuf;

static void put(textbuf *b, const char *fmt, ...) __attribute__((format(RF_PRINTF_FORMAT, 2, 3)));
static void put(textbuf *b, const char *fmt, ...) {
    char line[1400];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (b->failed || n < 0)
        return;
    size_t add = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    char *grown = realloc(b->data, b->len + add + 1);
    if (!grown) {
        b->failed = true;
        return;
    }
    memcpy(grown + b->len, line, add + 1);
    b->data = grown;
    b->len += add;
}

/* Each line of `text` indented by four spaces. */
static void put_lines(textbuf *b, const char *text) {
    for (const char *line = text; *line;) {
        size_t n = strcspn(line, "\n");
        put(b, "    %.*s\n", (int)n, line);
        line += n + (line[n] == '\n');
    }
}

static char *render_text(const rf_backend_status *sts, size_t n) {
    textbuf b = {0};
    put(&b, "%-12s %-10s", "backend", "available");
    for (int g = 0; g < RF_G_COUNT; g++)
        put(&b, " %-13s", rf_guarantee_name((rf_guarantee)g));
    put(&b, "\n");
    for (size_t i = 0; i < n; i++) {
        put(&b, "%-12s %-10s", sts[i].name, sts[i].available ? "yes" : "no");
        for (int g = 0; g < RF_G_COUNT; g++)
            put(&b, " %-13s", sts[i].available ? rf_level_name(sts[i].level[g]) : "-");
        put(&b, "\n");
    }
    for (size_t i = 0; i < n; i++) {
        const rf_backend_status *st = &sts[i];
        put(&b, "\n%s: %s\n  %s\n", st->name, st->description, st->reason);
        if (!st->available)
            continue;
        put(&b, "  layers:\n");
        put_lines(&b, st->layers);
        put(&b, "  guarantees:\n");
        for (int g = 0; g < RF_G_COUNT; g++)
            put(&b, "    %-13s %-9s %s\n", rf_guarantee_name((rf_guarantee)g),
                rf_level_name(st->level[g]), st->why[g]);
        if (st->gaps[0]) {
            put(&b, "  gaps:\n");
            put_lines(&b, st->gaps);
        }
    }
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    return b.data;
}

/* The non-empty lines of `gaps` as a JSON array of strings. */
static bool add_gaps(cJSON *obj, const char *gaps) {
    cJSON *array = cJSON_AddArrayToObject(obj, "gaps");
    if (!array)
        return false;
    for (const char *line = gaps; *line;) {
        size_t len = strcspn(line, "\n");
        if (len > 0) {
            char item[512];
            snprintf(item, sizeof item, "%.*s", (int)len, line);
            cJSON *s = cJSON_CreateString(item);
            if (!s || !cJSON_AddItemToArray(array, s)) {
                cJSON_Delete(s);
                return false;
            }
        }
        line += len + (line[len] == '\n');
    }
    return true;
}

static bool add_backend(cJSON *list, const rf_backend_status *st) {
    cJSON *b = cJSON_CreateObject();
    if (!b || !cJSON_AddItemToArray(list, b)) {
        cJSON_Delete(b);
        return false;
    }
    cJSON *g;
    if (!cJSON_AddStringToObject(b, "name", st->name) ||
        !cJSON_AddStringToObject(b, "description", st->description) ||
        !cJSON_AddBoolToObject(b, "available", st->available) ||
        !cJSON_AddStringToObject(b, "reason", st->reason) ||
        !cJSON_AddStringToObject(b, "layers", st->layers) || !add_gaps(b, st->gaps) ||
        !(g = cJSON_AddObjectToObject(b, "guarantees")))
        return false;
    for (int k = 0; k < RF_G_COUNT; k++) {
        cJSON *e = cJSON_AddObjectToObject(g, rf_guarantee_name((rf_guarantee)k));
        if (!e ||
            !cJSON_AddStringToObject(e, "level",
                                     st->available ? rf_level_name(st->level[k]) : "absent") ||
            !cJSON_AddStringToObject(e, "why", st->available ? st->why[k] : st->reason))
            return false;
    }
    return true;
}

/* cJSON's text plus a final newline, in a buffer the caller free()s. */
static char *render_json(const rf_backend_status *sts, size_t n) {
    cJSON *root = cJSON_CreateObject();
    cJSON *list = root ? cJSON_AddArrayToObject(root, "backends") : NULL;
    bool ok = list != NULL;
    for (size_t i = 0; ok && i < n; i++)
        ok = add_backend(list, &sts[i]);
    char *text = ok ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return NULL;
    size_t len = strlen(text);
    char *out = malloc(len + 2);
    if (out) {
        memcpy(out, text, len);
        memcpy(out + len, "\n", 2);
    }
    cJSON_free(text);
    return out;
}

int rf_win_status_render(const rf_backend_status *sts, size_t n, bool json, char **out,
                         rf_error *err) {
    *out = json ? render_json(sts, n) : render_text(sts, n);
    if (!*out)
        return rf_fail(err, -ENOMEM, "status: out of memory");
    return 0;
}
