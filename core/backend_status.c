/* backend_status.c — filling an rf_backend_status, shared by every backend's probe. */
#include <stdio.h>
#include <string.h>

#include "core/backend.h"

void rf_status_set_level(rf_backend_status *out, rf_guarantee g, rf_level level, const char *why) {
    out->level[g] = level;
    /* Cut to the field's size on purpose: `why` is one sentence. */
    size_t n = strnlen(why, sizeof out->why[g] - 1);
    memcpy(out->why[g], why, n);
    out->why[g][n] = '\0';
}

static void append_line(char *buf, size_t size, const char *line) {
    size_t used = strlen(buf);
    snprintf(buf + used, size - used, "%s\n", line);
}

void rf_status_add_layer(rf_backend_status *out, const char *line) {
    append_line(out->layers, sizeof out->layers, line);
}

void rf_status_add_gap(rf_backend_status *out, const char *line) {
    append_line(out->gaps, sizeof out->gaps, line);
}
