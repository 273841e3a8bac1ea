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
#include <errno.h>
#include <stdio.h>
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

/* The request's GIT_CONFIG_COUNT (0 when absent or not a small number). */
static unsigned git_config_count(char *const *env, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (strncmp(env[i], "GIT_CONFIG_COUNT=", 17) != 0)
            continue;
        char *end;
        unsigned long v = strtoul(env[i] + 17, &end, 10);
        return (*end == '\0' && v <= 1000) ? (unsigned)v : 0;
    }
    return 0;
}

static char *format(const char *fmt, unsigned index, const char *value) {
    int len = snprintf(NULL, 0, fmt, index, value);
    char *s = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (s)
        snprintf(s, (size_t)len + 1, fmt, index, value);
    return s;
}

int rf_runner_env_build(char *const *env, size_t n, const char *const *safe_dirs, size_t n_safe, rf_runner_env *out) {
    memset(out, 0, sizeof *out);
    out->envp = calloc(n + 2 * n_safe + 2, sizeof *out->envp);
    out->owned = calloc(2 * n_safe + 2, sizeof *out->owned);
    if (!out->envp || !out->owned) {
        rf_runner_env_free(out);
        return -ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!rf_runner_env_dropped(env[i]) && strncmp(env[i], "GIT_CONFIG_COUNT=", 17) != 0)
            out->envp[k++] = env[i];
    unsigned first = git_config_count(env, n);
    char *entries[2 * RF_RUNNER_MAX_ROOTS + 4];
    size_t m = 0;
    entries[m++] = format("GIT_CONFIG_COUNT=%u%s", first + (unsigned)n_safe, "");
    for (size_t i = 0; i < n_safe && i <= RF_RUNNER_MAX_ROOTS; i++) {
        entries[m++] = format("GIT_CONFIG_KEY_%u=%s", first + (unsigned)i, "safe.directory");
        entries[m++] = format("GIT_CONFIG_VALUE_%u=%s", first + (unsigned)i, safe_dirs[i]);
    }
    for (size_t i = 0; i < m; i++) {
        out->owned[out->n_owned++] = entries[i];
        if (!entries[i]) {
            rf_runner_env_free(out);
            return -ENOMEM;
        }
        out->envp[k++] = entries[i];
    }
    return 0;
}

void rf_runner_env_free(rf_runner_env *env) {
    for (size_t i = 0; env->owned && i < env->n_owned; i++)
        free(env->owned[i]);
    free(env->owned);
    free(env->envp);
    memset(env, 0, sizeof *env);
}
