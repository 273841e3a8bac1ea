/* env_glob.c — shell-style globs on variable names (`*`, `?`, `[set]`). */
#include <fnmatch.h>
#include <string.h>

#include "env/env.h"

/*
 * Patterns made of literal characters and `*` only (every default scrub glob)
 * are matched here: the same answer as fnmatch(pattern, name, 0), without its
 * general machinery, which cost ~300,000 instructions per `ringfence run`
 * (27 globs against every variable of the caller's environment).  The usual
 * two-pointer walk: on a mismatch, the last `*` takes one more character.
 */
static bool star_match(const char *p, const char *s) {
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*p == '*') {
            star = p++;
            resume = s;
        } else if (*p == *s) {
            p++;
            s++;
        } else if (star) {
            p = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

/* The literal text before the first `*` must start the name and the text
 * after the last `*` must end it: most names fail here, at the cost of two
 * memcmp calls, before the walk. */
static bool star_pattern_match(const char *pattern, const char *name) {
    const char *first = strchr(pattern, '*');
    if (!first)
        return strcmp(pattern, name) == 0;
    const char *last = strrchr(pattern, '*');
    size_t head = (size_t)(first - pattern), tail = strlen(last + 1), len = strlen(name);
    if (head + tail > len || memcmp(name, pattern, head) != 0 || memcmp(name + len - tail, last + 1, tail) != 0)
        return false;
    return star_match(pattern, name);
}

bool rf_env_glob_match(const char *pattern, const char *name) {
    /* `?`, sets and backslash escapes: fnmatch, whose rules they are. */
    if (strchr(pattern, '?') || strchr(pattern, '[') || strchr(pattern, '\\'))
        /* fnmatch without FNM_PATHNAME/FNM_PERIOD: names have no slashes or dot rules. */
        return fnmatch(pattern, name, 0) == 0;
    return star_pattern_match(pattern, name);
}
