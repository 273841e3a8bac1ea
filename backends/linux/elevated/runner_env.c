/*
 * runner_env.c — the command's environment: the request's variables minus
 * those the dynamic loader and libc act on.
 *
 * The command runs as the sandbox user without privilege, so these cannot
 * raise it; they are dropped because nothing legitimate needs them across a
 * privilege boundary and each has been an exploit vector in setuid contexts
 * (library injection, CVE-2023-4911 in GLIBC_TUNABLES).  The list follows
 * glibc's own for secure-mode programs, plus GLIBC_TUNABLES and MALLOC_*.
 *
 * HOME, USER and LOGNAME stay the real user's (as the CLI sent them): tools
 * read their configuration there (~/.gitconfig, ~/.cargo); writing there is
 * refused anyway (Landlock, the read-only mount tree, and the sandbox user's
 * lack of permission), exactly as under the unelevated backend.  `id -u`
 * shows the sandbox user.
 */
#include <stdlib.h>
#include <string.h>

#include "backends/linux/elevated/runner.h"

static const char *const dropped_prefixes[] = {"LD_", "MALLOC_", NULL};

static const char *const dropped_names[] = {
    "GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES", "LOCALDOMAIN", "LOCPATH",
    "NIS_PATH",   "NLSPATH",     "RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR", "TZDIR",
    NULL,
};

bool rf_runner_env_dropped(const char *entry) {
    const char *eq = strchr(entry, '=');
    size_t n = eq ? (size_t)(eq - entry) : strlen(entry);
    for (size_t i = 0; dropped_prefixes[i]; i++)
        if (strncmp(entry, dropped_prefixes[i], strlen(dropped_prefixes[i])) == 0)
            return true;
    for (size_t i = 0; dropped_names[i]; i++)
        if (strlen(dropped_names[i]) == n && strncmp(entry, dropped_names[i], n) == 0)
            return true;
    return false;
}

char **rf_runner_env_build(char *const *env, size_t n) {
    char **out = calloc(n + 1, sizeof *out);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!rf_runner_env_dropped(env[i]))
            out[k++] = env[i];
    return out;
}
