/* env_glob.c — shell-style globs on variable names (`*`, `?`, `[set]`). */
#include <fnmatch.h>

#include "env/env.h"

bool rf_env_glob_match(const char *pattern, const char *name) {
    /* fnmatch without FNM_PATHNAME/FNM_PERIOD: names have no slashes or dot rules. */
    return fnmatch(pattern, name, 0) == 0;
}
