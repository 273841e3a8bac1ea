/*
 * run_env_win.c — the command's environment on Windows, from the parent's:
 * env/ builds it with the policy's scrub and set lists and, when the network
 * is off, the shim table's Windows values and the denybin folder first on
 * PATH (rf_env_build); then the Windows-only settings below.
 *
 * Cleanup idiom: goto out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/envblock.h"
#include "backends/windows/run_win.h"
#include "core/error.h"
#include "env/env.h"

/* The process environment as UTF-8 "NAME=VALUE" strings (NULL-terminated). */
static int parent_env(char ***out, rf_error *err) {
    *out = NULL;
    wchar_t *block = GetEnvironmentStringsW();
    if (!block)
        return rf_win_fail(err, GetLastError(), "read the environment");
    size_t n = 0;
    for (wchar_t *p = block; *p; p += wcslen(p) + 1)
        n++;
    char **env = calloc(n + 1, sizeof *env);
    size_t k = 0;
    for (wchar_t *p = block; env && *p; p += wcslen(p) + 1)
        if (rf_win_narrow(p, &env[k], NULL) == 0)
            k++; /* a name that is not valid UTF-16 cannot be kept faithfully */
    FreeEnvironmentStringsW(block);
    if (!env)
        return rf_fail(err, RF_EINTERNAL, "copy the environment: out of memory");
    *out = env;
    return 0;
}

/* Sets NAME=VALUE in a NULL-terminated, malloc'd envp (names compared
 * without regard to case, as Windows does). */
static int env_put(char ***envp, const char *name, const char *value, rf_error *err) {
    size_t n = 0, nl = strlen(name);
    char **env = *envp;
    while (env[n])
        n++;
    size_t len = nl + 1 + strlen(value) + 1;
    char *entry = malloc(len);
    if (!entry)
        return rf_fail(err, RF_EINTERNAL, "set %s: out of memory", name);
    snprintf(entry, len, "%s=%s", name, value);
    for (size_t i = 0; i < n; i++) {
        if (_strnicmp(env[i], name, nl) == 0 && env[i][nl] == '=') {
            free(env[i]);
            env[i] = entry;
            return 0;
        }
    }
    char **grown = realloc(env, (n + 2) * sizeof *grown);
    if (!grown) {
        free(entry);
        return rf_fail(err, RF_EINTERNAL, "set %s: out of memory", name);
    }
    grown[n] = entry;
    grown[n + 1] = NULL;
    *envp = grown;
    return 0;
}

static const char *const *item_values(const rf_list *list, const char **buf) {
    for (size_t i = 0; i < list->len; i++)
        buf[i] = list->items[i].value;
    return buf;
}

int rf_win_run_env(const rf_policy *policy, const char *denybin_dir, const char *tmp_dir,
                   char ***out, rf_error *err) {
    char **parent = NULL, **env = NULL;
    const char **scrub = calloc(policy->env_scrub.len + 1, sizeof *scrub);
    const char **set = calloc(policy->env_set.len + 1, sizeof *set);
    char *pathext = NULL;
    *out = NULL;
    int rc = (!scrub || !set) ? rf_fail(err, RF_EINTERNAL, "build the environment: out of memory")
                              : parent_env(&parent, err);
    if (rc < 0)
        goto out;
    bool network_off = policy->network == RF_NET_OFF;
    rf_env_spec spec = {
        .parent = parent,
        .scrub = item_values(&policy->env_scrub, scrub),
        .n_scrub = policy->env_scrub.len,
        .set = item_values(&policy->env_set, set),
        .n_set = policy->env_set.len,
        .network_off = network_off,
        .denybin_dir = network_off ? denybin_dir : NULL,
    };
    if ((rc = rf_env_build(&spec, &env, err)) < 0)
        goto out;
    if (network_off && denybin_dir) {
        /* The stubs are .cmd files: a lookup must try .CMD at all. */
        pathext = rf_win_pathext_with_cmd(rf_env_get(env, "PATHEXT"));
        rc = pathext ? env_put(&env, "PATHEXT", pathext, err)
                     : rf_fail(err, RF_EINTERNAL, "set PATHEXT: out of memory");
        if (rc < 0)
            goto out;
    }
    /* cmd.exe (and SearchPath) look in the current folder before PATH: a
     * planted ssh.exe or git.exe in the workspace would shadow both the
     * denybin stubs and the real tools.  This variable turns that off. */
    if ((rc = env_put(&env, "NoDefaultCurrentDirectoryInExePath", "1", err)) < 0)
        goto out;
    /* The private TEMP: the user's own %TEMP% stays read-only. */
    if (tmp_dir && ((rc = env_put(&env, "TEMP", tmp_dir, err)) < 0 ||
                    (rc = env_put(&env, "TMP", tmp_dir, err)) < 0))
        goto out;
    *out = env;
    env = NULL;
out:
    rf_env_free(env);
    rf_env_free(parent);
    free(scrub);
    free(set);
    free(pathext);
    return rc;
}
