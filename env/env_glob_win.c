/*
 * env_glob_win.c — shell-style globs on variable names for Windows, where the
 * C runtime has no fnmatch: `*` any run, `?` one character, `[...]` a set
 * (`[!...]` or `[^...]` negated, `a-z` ranges).  Names compare without regard
 * to ASCII case, as Windows compares variable names: `*_TOKEN` must also
 * scrub "github_token", which is the same variable to every program there.
 */
#include <stddef.h>

#include "env/env.h"

static char fold(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

/* Matches one `[...]` set at *pp against c; advances *pp past the set.  An
 * unclosed '[' is an ordinary character, as fnmatch treats it. */
static bool match_set(const char **pp, char c, bool *is_set) {
    const char *p = *pp + 1;
    bool negate = *p == '!' || *p == '^';
    if (negate)
        p++;
    const char *start = p;
    bool hit = false;
    while (*p && (*p != ']' || p == start)) {
        char lo = fold(*p), hi = lo;
        if (p[1] == '-' && p[2] && p[2] != ']') {
            hi = fold(p[2]);
            p += 2;
        }
        if (fold(c) >= lo && fold(c) <= hi)
            hit = true;
        p++;
    }
    if (*p != ']') {
        *is_set = false;
        return false;
    }
    *is_set = true;
    *pp = p + 1;
    return hit != negate;
}

bool rf_env_glob_match(const char *pattern, const char *name) {
    const char *star = NULL, *resume = NULL;
    const char *p = pattern, *n = name;
    while (*n) {
        bool advanced = false;
        if (*p == '*') {
            star = ++p;
            resume = n;
            continue;
        }
        if (*p == '[') {
            const char *q = p;
            bool is_set = false;
            bool hit = match_set(&q, *n, &is_set);
            if (is_set) {
                if (hit) {
                    p = q;
                    n++;
                    advanced = true;
                }
            } else if (fold(*n) == '[') {
                p++;
                n++;
                advanced = true;
            }
        } else if (*p && (*p == '?' || fold(*p) == fold(*n))) {
            p++;
            n++;
            advanced = true;
        }
        if (advanced)
            continue;
        if (!star)
            return false;
        /* Backtrack: let the last `*` swallow one more character. */
        p = star;
        n = ++resume;
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}
