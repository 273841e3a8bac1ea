/*
 * env_build.c — builds the command's environment from the parent's:
 *
 *   1. the parent's variables, minus those a scrub glob matches, each name once;
 *   2. the policy's `set` entries ("NAME=VALUE"), replacing or adding;
 *   3. when the network is off, the shim table (env_table.c), which wins over both;
 *   4. when the network is off and a denybin folder is given, PATH starts with it.
 *
 * Plain data in, plain data out: nothing here touches the process's own
 * environment.  Cleanup idiom: `goto out` with one exit.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "env/env.h"

#ifdef _WIN32
/* Windows: variable names compare without regard to case ("Path" is PATH, and
 * a "No_Proxy" left behind would bypass the dead proxy); PATH entries are
 * separated by ';' and a folder is absolute with a drive ("C:\\x") or a share. */
#define PATH_LIST_SEP ";"
#define DEFAULT_PATH "C:\\Windows\\system32;C:\\Windows"
#define names_equal(a, b, n) (_strnicmp((a), (b), (n)) == 0)
static bool is_absolute_dir(const char *dir) {
    bool drive = ((dir[0] | 0x20) >= 'a' && (dir[0] | 0x20) <= 'z') && dir[1] == ':' &&
                 (dir[2] == '\\' || dir[2] == '/');
    bool share = dir[0] == '\\' && dir[1] == '\\';
    /* ';' would split the entry; a second ':' names no folder (a stream). */
    return (drive || share) && !strchr(dir, ';') && !strchr(dir + 2, ':');
}
#else
/* PATH for a command whose parent had none (or an empty one). */
#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"
#define PATH_LIST_SEP ":"
#define names_equal(a, b, n) (strncmp((a), (b), (n)) == 0)
/* A relative folder on PATH is searched from whatever directory the command
 * is in, and ':' would split it: either would let the workspace supply "ssh". */
static bool is_absolute_dir(const char *dir) { return dir[0] == '/' && !strchr(dir, ':'); }
#endif
#define DENY_SSH_TOKEN "@DENY_SSH@"
/* GIT_SSH_COMMAND when no denybin folder was given: git appends the host and
 * the remote command, which the inner sh receives as ignored arguments. */
#define DENY_SSH_FALLBACK                                                                          \
    "sh -c 'echo \"ringfence: network is off by policy (ssh blocked)\" >&2; exit 1' "              \
    "ringfence-ssh"

typedef struct env_vec {
    char **v; /* "NAME=VALUE", each malloc'd; v[len] == NULL when len < cap */
    size_t len, cap;
} env_vec;

/* Length of the name part of "NAME=VALUE", or 0 when there is no '=' or no name. */
static size_t name_length(const char *entry) {
    const char *eq = strchr(entry, '=');
    return eq ? (size_t)(eq - entry) : 0;
}

static bool entry_has_name(const char *entry, const char *name, size_t len) {
    return names_equal(entry, name, len) && entry[len] == '=';
}

#define NOT_FOUND SIZE_MAX

static size_t vec_find(const env_vec *vec, const char *name, size_t len) {
    for (size_t i = 0; i < vec->len; i++)
        if (entry_has_name(vec->v[i], name, len))
            return i;
    return NOT_FOUND;
}

static int vec_init(env_vec *vec) {
    vec->cap = 64;
    vec->len = 0;
    vec->v = malloc(vec->cap * sizeof *vec->v);
    if (!vec->v)
        return -ENOMEM;
    vec->v[0] = NULL;
    return 0;
}

static int vec_append(env_vec *vec, char *entry) {
    if (vec->len + 1 >= vec->cap) {
        size_t cap = vec->cap * 2;
        char **v = realloc(vec->v, cap * sizeof *v);
        if (!v)
            return -ENOMEM;
        vec->v = v;
        vec->cap = cap;
    }
    vec->v[vec->len++] = entry;
    vec->v[vec->len] = NULL;
    return 0;
}

/* Takes ownership of `entry` ("NAME=VALUE"): replaces the variable of that name
 * or appends it. */
static int vec_put(env_vec *vec, char *entry) {
    size_t i = vec_find(vec, entry, name_length(entry));
    if (i != NOT_FOUND) {
        free(vec->v[i]);
        vec->v[i] = entry;
        return 0;
    }
    int rc = vec_append(vec, entry);
    if (rc < 0)
        free(entry);
    return rc;
}

static void vec_remove(env_vec *vec, const char *name) {
    size_t i = vec_find(vec, name, strlen(name));
    if (i == NOT_FOUND)
        return;
    free(vec->v[i]);
    memmove(&vec->v[i], &vec->v[i + 1], (vec->len - i) * sizeof *vec->v);
    vec->len--;
}

static char *join_entry(const char *name, const char *value) {
    size_t n = strlen(name), m = strlen(value);
    char *entry = malloc(n + 1 + m + 1);
    if (!entry)
        return NULL;
    memcpy(entry, name, n);
    entry[n] = '=';
    memcpy(entry + n + 1, value, m + 1);
    return entry;
}

/* 1 when a scrub glob matches the entry's name, 0 when none does, -ENOMEM.
 * The name is copied whatever its length: a fixed buffer that skipped long
 * names would let a padded secret name slip past the scrub. */
static int is_scrubbed(const rf_env_spec *spec, const char *entry, size_t len) {
    char *name = malloc(len + 1);
    if (!name)
        return -ENOMEM;
    memcpy(name, entry, len);
    name[len] = '\0';
    int scrubbed = 0;
    for (size_t i = 0; i < spec->n_scrub && !scrubbed; i++)
        scrubbed = rf_env_glob_match(spec->scrub[i], name);
    free(name);
    return scrubbed;
}

/* Step 1. */
static int copy_parent(const rf_env_spec *spec, env_vec *vec, rf_error *err) {
    if (!spec->parent)
        return 0;
    for (char *const *p = spec->parent; *p; p++) {
        size_t len = name_length(*p);
        if (len == 0)
            continue; /* no '=' or no name: not a variable any getenv would find */
        int scrubbed = is_scrubbed(spec, *p, len);
        if (scrubbed < 0)
            return rf_fail_errno(err, ENOMEM, "filtering the parent environment");
        if (scrubbed)
            continue;
        /* A second copy of a name is dropped: the filter and the shims look at
         * the first, but a program that reads the last one (or builds a map in
         * which the last wins) would see a value nobody checked — a scrubbed
         * token or a live proxy smuggled in behind an innocent first copy. */
        if (vec_find(vec, *p, len) != NOT_FOUND)
            continue;
        char *copy = strdup(*p);
        if (!copy || vec_append(vec, copy) < 0) {
            free(copy);
            return rf_fail_errno(err, ENOMEM, "copying the parent environment");
        }
    }
    return 0;
}

/* Step 2. */
static int apply_set(const rf_env_spec *spec, env_vec *vec, rf_error *err) {
    for (size_t i = 0; i < spec->n_set; i++) {
        const char *entry = spec->set[i];
        if (!entry || name_length(entry) == 0)
            return rf_fail_policy(err, "env.set", "'%s' is not of the form NAME=VALUE",
                                  entry ? entry : "(null)");
        char *copy = strdup(entry);
        if (!copy || vec_put(vec, copy) < 0)
            return rf_fail_errno(err, ENOMEM, "setting %s", entry);
    }
    return 0;
}

#ifndef _WIN32
/* 'text' with every ' written as '\'' — one word for sh whatever the path holds. */
static char *shell_quote(const char *text) {
    size_t quotes = 0;
    for (const char *c = text; *c; c++)
        quotes += *c == '\'';
    char *out = malloc(strlen(text) + 3 * quotes + 3);
    if (!out)
        return NULL;
    char *o = out;
    *o++ = '\'';
    for (const char *c = text; *c; c++) {
        if (*c == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *c;
        }
    }
    *o++ = '\'';
    *o = '\0';
    return out;
}

/* The command GIT_SSH_COMMAND names: the denybin ssh stub, or an inline
 * equivalent when there is no denybin folder. */
static char *deny_ssh_command(const char *denybin_dir) {
    if (!denybin_dir)
        return strdup(DENY_SSH_FALLBACK);
    size_t n = strlen(denybin_dir);
    char *path = malloc(n + sizeof "/ssh");
    if (!path)
        return NULL;
    memcpy(path, denybin_dir, n);
    memcpy(path + n, "/ssh", sizeof "/ssh");
    char *quoted = shell_quote(path);
    free(path);
    return quoted;
}

#endif

/* The shim's value for this platform, with @DENY_SSH@ replaced (malloc'd). */
static char *shim_value(const rf_env_shim *shim, const char *denybin_dir) {
#ifdef _WIN32
    (void)denybin_dir;
    return strdup(shim->value_windows);
#else
    const char *value = shim->value_posix;
    const char *token = strstr(value, DENY_SSH_TOKEN);
    if (!token)
        return strdup(value);
    char *command = deny_ssh_command(denybin_dir);
    if (!command)
        return NULL;
    size_t head = (size_t)(token - value);
    const char *tail = token + strlen(DENY_SSH_TOKEN);
    char *out = malloc(head + strlen(command) + strlen(tail) + 1);
    if (out) {
        memcpy(out, value, head);
        strcpy(out + head, command);
        strcat(out, tail);
    }
    free(command);
    return out;
#endif
}

/* Step 3. */
static int apply_shims(const rf_env_spec *spec, env_vec *vec, rf_error *err) {
    size_t n;
    const rf_env_shim *shims = rf_env_network_off_shims(&n);
    for (size_t i = 0; i < n; i++) {
        if (shims[i].action == RF_ENV_UNSET) {
            vec_remove(vec, shims[i].name);
            continue;
        }
        char *value = shim_value(&shims[i], spec->denybin_dir);
        char *entry = value ? join_entry(shims[i].name, value) : NULL;
        free(value);
        if (!entry || vec_put(vec, entry) < 0)
            return rf_fail_errno(err, ENOMEM, "setting the network shim %s", shims[i].name);
    }
    return 0;
}

/* Step 4. */
static int prepend_denybin(const rf_env_spec *spec, env_vec *vec, rf_error *err) {
    const char *dir = spec->denybin_dir;
    if (!is_absolute_dir(dir))
        return rf_fail(err, -EINVAL,
                       "putting the denybin folder '%s' on PATH: it must be an absolute path "
                       "without '" PATH_LIST_SEP "'",
                       dir);
    size_t i = vec_find(vec, "PATH", 4);
    const char *old = i != NOT_FOUND ? vec->v[i] + 5 : "";
    /* An empty PATH (or none) would become "DIR:", whose empty entry means the
     * current directory: fall back to the system folders instead. */
    if (old[0] == '\0')
        old = DEFAULT_PATH;
    size_t len = strlen("PATH=") + strlen(dir) + 1 + strlen(old) + 1;
    char *entry = malloc(len);
    if (!entry)
        return rf_fail_errno(err, ENOMEM, "building PATH");
    strcpy(entry, "PATH=");
    strcat(entry, dir);
    strcat(entry, PATH_LIST_SEP);
    strcat(entry, old);
    if (vec_put(vec, entry) < 0)
        return rf_fail_errno(err, ENOMEM, "building PATH");
    return 0;
}

int rf_env_build(const rf_env_spec *spec, char ***out, rf_error *err) {
    *out = NULL;
    env_vec vec = {0};
    int rc = 0;
    if (vec_init(&vec) < 0) {
        rc = rf_fail_errno(err, ENOMEM, "building the environment");
        goto out;
    }
    if ((rc = copy_parent(spec, &vec, err)) < 0 || (rc = apply_set(spec, &vec, err)) < 0)
        goto out;
    if (spec->network_off) {
        if ((rc = apply_shims(spec, &vec, err)) < 0)
            goto out;
        if (spec->denybin_dir && (rc = prepend_denybin(spec, &vec, err)) < 0)
            goto out;
    }
    *out = vec.v;
    vec.v = NULL;
out:
    rf_env_free(vec.v);
    return rc;
}

void rf_env_free(char **envp) {
    if (!envp)
        return;
    for (char **p = envp; *p; p++)
        free(*p);
    free(envp);
}

const char *rf_env_get(char *const *envp, const char *name) {
    if (!envp || !name)
        return NULL;
    size_t len = strlen(name);
    for (char *const *p = envp; *p; p++)
        if (entry_has_name(*p, name, len))
            return *p + len + 1;
    return NULL;
}
