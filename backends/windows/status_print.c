/* status_print.c — the backend table as text or JSON (core's status layout). */
#include "backends/windows/status_print.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/json_min.h"
#include "core/error.h"

static void put(rf_jsonbuf *b, const char *fmt, ...) __attribute__((format(RF_PRINTF_FORMAT, 2, 3)));
static void put(rf_jsonbuf *b, const char *fmt, ...) {
    char line[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    rf_jsonbuf_raw(b, line);
}

/* Each line of `text` indented by four spaces. */
static void put_lines(rf_jsonbuf *b, const char *text) {
    for (const char *line = text; *line;) {
        size_t n = strcspn(line, "\n");
        put(b, "    %.*s\n", (int)n, line);
        line += n + (line[n] == '\n');
    }
}

static void render_text(const rf_backend_status *sts, size_t n, rf_jsonbuf *b) {
    put(b, "%-12s %-10s", "backend", "available");
    for (int g = 0; g < RF_G_COUNT; g++)
        put(b, " %-13s", rf_guarantee_name((rf_guarantee)g));
    put(b, "\n");
    for (size_t i = 0; i < n; i++) {
        put(b, "%-12s %-10s", sts[i].name, sts[i].available ? "yes" : "no");
        for (int g = 0; g < RF_G_COUNT; g++)
            put(b, " %-13s", sts[i].available ? rf_level_name(sts[i].level[g]) : "-");
        put(b, "\n");
    }
    for (size_t i = 0; i < n; i++) {
        const rf_backend_status *st = &sts[i];
        put(b, "\n%s: %s\n  %s\n", st->name, st->description, st->reason);
        if (!st->available)
            continue;
        put(b, "  layers:\n");
        put_lines(b, st->layers);
        put(b, "  guarantees:\n");
        for (int g = 0; g < RF_G_COUNT; g++)
            put(b, "    %-13s %-9s %s\n", rf_guarantee_name((rf_guarantee)g),
                rf_level_name(st->level[g]), st->why[g]);
        if (st->gaps[0]) {
            put(b, "  gaps:\n");
            put_lines(b, st->gaps);
        }
    }
}

static void render_json(const rf_backend_status *sts, size_t n, rf_jsonbuf *b) {
    rf_jsonbuf_raw(b, "{\n  \"backends\": [");
    for (size_t i = 0; i < n; i++) {
        const rf_backend_status *st = &sts[i];
        rf_jsonbuf_raw(b, i ? ",\n    {" : "\n    {");
        rf_jsonbuf_raw(b, "\"name\": ");
        rf_jsonbuf_string(b, st->name);
        rf_jsonbuf_raw(b, ", \"description\": ");
        rf_jsonbuf_string(b, st->description);
        rf_jsonbuf_raw(b, st->available ? ", \"available\": true" : ", \"available\": false");
        rf_jsonbuf_raw(b, ", \"reason\": ");
        rf_jsonbuf_string(b, st->reason);
        rf_jsonbuf_raw(b, ", \"layers\": ");
        rf_jsonbuf_string(b, st->layers);
        rf_jsonbuf_raw(b, ", \"gaps\": [");
        bool first = true;
        for (const char *line = st->gaps; *line;) {
            size_t len = strcspn(line, "\n");
            if (len > 0) {
                char item[512];
                snprintf(item, sizeof item, "%.*s", (int)len, line);
                rf_jsonbuf_raw(b, first ? "" : ", ");
                rf_jsonbuf_string(b, item);
                first = false;
            }
            line += len + (line[len] == '\n');
        }
        rf_jsonbuf_raw(b, "], \"guarantees\": {");
        for (int g = 0; g < RF_G_COUNT; g++) {
            rf_jsonbuf_raw(b, g ? ", " : "");
            rf_jsonbuf_string(b, rf_guarantee_name((rf_guarantee)g));
            rf_jsonbuf_raw(b, ": {\"level\": ");
            rf_jsonbuf_string(b, st->available ? rf_level_name(st->level[g]) : "absent");
            rf_jsonbuf_raw(b, ", \"why\": ");
            rf_jsonbuf_string(b, st->available ? st->why[g] : st->reason);
            rf_jsonbuf_raw(b, "}");
        }
        rf_jsonbuf_raw(b, "}}");
    }
    rf_jsonbuf_raw(b, "\n  ]\n}\n");
}

int rf_win_status_render(const rf_backend_status *sts, size_t n, bool json, char **out,
                         rf_error *err) {
    rf_jsonbuf b = {0};
    *out = NULL;
    if (json)
        render_json(sts, n, &b);
    else
        render_text(sts, n, &b);
    if (b.failed || !b.data) {
        free(b.data);
        return rf_fail(err, -ENOMEM, "status: out of memory");
    }
    *out = b.data;
    return 0;
}
