/*
 * protected_name.c — a protected name normalized, the same on every platform:
 * relative, no "..", separators folded to '/'.  On Windows '\\' separates too
 * and a drive prefix ("C:x", "C:\\x") makes a name absolute.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/path_resolve.h"
#include "core/policy_internal.h"

#ifdef _WIN32
#define SEPARATORS "/\\"
static bool has_drive(const char *name) {
    /* "C:x" is relative to drive C's current folder, not to the root; ':'
     * elsewhere would name an alternate data stream. */
    return strchr(name, ':') != NULL;
}
#else
#define SEPARATORS "/"
static bool has_drive(const char *name) {
    (void)name;
    return false;
}
#endif

static bool is_separator(char c) { return c != '\0' && strchr(SEPARATORS, c) != NULL; }

/* Length of the path component at p.  A loop rather than strcspn: the CLI's
 * start-up avoids pulling libc's string-set code in (bench/README.md). */
static size_t component_length(const char *p) {
    size_t n = 0;
    while (p[n] != '\0' && !is_separator(p[n]))
        n++;
    return n;
}

int rf_protected_name_normalize(const char *name, const char *field, char **out, rf_error *err) {
    rf_quoted q;
    *out = NULL;
    if (name[0] == '\0')
        return rf_fail_policy(err, field, "empty name");
    if (is_separator(name[0]) || has_drive(name))
        return rf_fail_policy(err, field,
                              "%s is absolute; protected names are relative to each writable root",
                              rf_quote(&q, name));
    if (name[0] == '~')
        return rf_fail_policy(err, field,
                              "%s is a home path; protected names are relative to each writable "
                              "root",
                              rf_quote(&q, name));
    size_t len = strlen(name);
    char *norm = malloc(len + 1);
    if (!norm)
        return -ENOMEM;
    size_t nlen = 0;
    const char *p = name;
    while (*p) {
        size_t n = component_length(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            free(norm);
            /* ".." would climb out of the root and protect (or, by omission,
             * expose) something else. */
            return rf_fail_policy(err, field, "%s contains \"..\"", rf_quote(&q, name));
        }
        if (n > 0 && !(n == 1 && p[0] == '.')) {
            if (nlen > 0)
                norm[nlen++] = '/';
            memcpy(norm + nlen, p, n);
            nlen += n;
        }
        p += n;
        while (is_separator(*p))
            p++;
    }
    norm[nlen] = '\0';
    if (nlen == 0) {
        free(norm);
        return rf_fail_policy(err, field, "%s names the writable root itself, not a path inside it",
                              rf_quote(&q, name));
    }
    *out = norm;
    return 0;
}
