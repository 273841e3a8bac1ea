/* win_bench_output.c — reading what `ringfence-win bench` prints (backends/windows/bench_win.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/windows/bench_windows.h"

void rf_bench_win_result_free(rf_bench_win_result *r) {
    free(r->plain_ms);
    free(r->restricted_ms);
    r->plain_ms = r->restricted_ms = NULL;
    r->n_plain = r->n_restricted = 0;
}

static bool parse_double(const char *text, double *out) {
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end != '\0' || !(v >= 0))
        return false;
    *out = v;
    return true;
}

static bool parse_long(const char *text, long *out) {
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0' || v < 0)
        return false;
    *out = v;
    return true;
}

/* One "key value" line; `line` is modified in place. */
static int parse_line(char *line, rf_bench_win_result *r, size_t *cap, bool *seen_version, char *why,
                      size_t why_len) {
    char *value = strchr(line, ' ');
    if (!value) {
        snprintf(why, why_len, "'%s': no value", line);
        return -1;
    }
    *value++ = '\0';
    long l = 0;
    double d = 0;
    bool ok = true;
    if (strcmp(line, "ringfence-win-bench") == 0) {
        ok = strcmp(value, "1") == 0;
        *seen_version = ok;
    } else if (!*seen_version) {
        snprintf(why, why_len, "'%s' before the 'ringfence-win-bench 1' line", line);
        return -1;
    } else if (strcmp(line, "platform") == 0) {
        ok = strcmp(value, "wine") == 0 || strcmp(value, "windows") == 0;
        r->wine = strcmp(value, "wine") == 0;
    } else if (strcmp(line, "note") == 0) {
        snprintf(r->note, sizeof r->note, "%s", value);
    } else if (strcmp(line, "files") == 0) {
        ok = parse_long(value, &r->files);
    } else if (strcmp(line, "acl_apply_first_ms") == 0) {
        ok = parse_double(value, &r->acl_first_ms);
    } else if (strcmp(line, "acl_apply_again_ms") == 0) {
        ok = parse_double(value, &r->acl_again_ms);
    } else if (strcmp(line, "aces_present") == 0) {
        ok = parse_long(value, &r->aces_present);
    } else if (strcmp(line, "spawns") == 0) {
        ok = parse_long(value, &l) && l > 0 && l <= 1000000;
        r->spawns = (int)l;
        if (ok && (size_t)l > *cap) {
            double *p = realloc(r->plain_ms, (size_t)l * sizeof *p), *q = p ? realloc(r->restricted_ms, (size_t)l * sizeof *q) : NULL;
            if (p)
                r->plain_ms = p;
            if (q)
                r->restricted_ms = q;
            if (!p || !q) {
                snprintf(why, why_len, "out of memory for %ld samples", l);
                return -1;
            }
            *cap = (size_t)l;
        }
    } else if (strcmp(line, "spawn") == 0) {
        char *ms = strchr(value, ' ');
        ok = ms != NULL;
        if (ok) {
            *ms++ = '\0';
            bool plain = strcmp(value, "plain") == 0, restricted = strcmp(value, "restricted") == 0;
            size_t *n = plain ? &r->n_plain : &r->n_restricted;
            ok = (plain || restricted) && parse_double(ms, &d) && *n < *cap;
            if (ok)
                (plain ? r->plain_ms : r->restricted_ms)[(*n)++] = d;
        }
    } else if (strcmp(line, "spawn_plain_median_ms") != 0 && strcmp(line, "spawn_restricted_median_ms") != 0) {
        snprintf(why, why_len, "unknown line '%s'", line);
        return -1;
    }
    if (!ok) {
        snprintf(why, why_len, "line '%s': bad value '%s'", line, value);
        return -1;
    }
    return 0;
}

int rf_bench_win_parse(const char *text, rf_bench_win_result *out, char *why, size_t why_len) {
    memset(out, 0, sizeof *out);
    out->files = -1;
    char *copy = strdup(text);
    if (!copy) {
        snprintf(why, why_len, "out of memory");
        return -1;
    }
    size_t cap = 0;
    bool seen_version = false;
    int rc = 0;
    for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line && rc == 0;
         line = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r') /* the Windows console's line ends */
            line[--n] = '\0';
        if (n)
            rc = parse_line(line, out, &cap, &seen_version, why, why_len);
    }
    free(copy);
    if (rc == 0 && !seen_version) {
        snprintf(why, why_len, "no 'ringfence-win-bench 1' line: not ringfence-win's bench output");
        rc = -1;
    } else if (rc == 0 && (out->files < 0 || out->spawns <= 0 || out->n_plain != (size_t)out->spawns ||
                           out->n_restricted != (size_t)out->spawns)) {
        snprintf(why, why_len, "incomplete output: files %ld, %zu plain and %zu restricted samples of %d",
                 out->files, out->n_plain, out->n_restricted, out->spawns);
        rc = -1;
    }
    return rc;
}
