/* runtime_dir.c — which user runtime folders (session bus, agents) the sandbox covers. */
#include "backends/linux/runtime_dir.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/policy.h"

static const char *env_value(char *const *envp, const char *name) {
    size_t k = strlen(name);
    for (size_t i = 0; envp && envp[i]; i++)
        if (strncmp(envp[i], name, k) == 0 && envp[i][k] == '=')
            return envp[i] + k + 1;
    return NULL;
}

static bool holds_root(const char *dir, const char *const *roots, size_t n_roots) {
    for (size_t r = 0; r < n_roots; r++)
        if (rf_path_within(roots[r], dir))
            return true;
    return false;
}

static void add_dir(const char *dir, const char *const *roots, size_t n_roots,
                    char out[RF_RUNTIME_DIRS_MAX][RF_RUNTIME_DIR_LEN], size_t *n) {
    if (!dir || dir[0] != '/' || strlen(dir) >= RF_RUNTIME_DIR_LEN || *n >= RF_RUNTIME_DIRS_MAX)
        return;
    char clean[RF_RUNTIME_DIR_LEN];
    snprintf(clean, sizeof clean, "%s", dir);
    for (size_t len = strlen(clean); len > 1 && clean[len - 1] == '/'; len--)
        clean[len - 1] = '\0'; /* the same folder as without the slash */
    if (strcmp(clean, "/") == 0 || holds_root(clean, roots, n_roots))
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(clean, out[i]) == 0)
            return;
    snprintf(out[(*n)++], RF_RUNTIME_DIR_LEN, "%s", clean);
}

size_t rf_runtime_dirs(char *const *cmd_envp, const char *own_value, unsigned uid, const char *const *roots,
                       size_t n_roots, char out[RF_RUNTIME_DIRS_MAX][RF_RUNTIME_DIR_LEN]) {
    size_t n = 0;
    char well_known[64];
    snprintf(well_known, sizeof well_known, "/run/user/%u", uid);
    add_dir(env_value(cmd_envp, "XDG_RUNTIME_DIR"), roots, n_roots, out, &n);
    add_dir(own_value, roots, n_roots, out, &n);
    add_dir(well_known, roots, n_roots, out, &n);
    return n;
}
