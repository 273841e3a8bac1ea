/*
 * runner_request.c — the request codec (see runner_request.h).
 *
 * It runs inside a setuid-root program on bytes the caller chose, so it is
 * strict rather than forgiving: every key known and present once, every
 * type exact, every count and length bounded, every path absolute and
 * normalized.  Parsing fills plain data; one validator checks the content,
 * the same one the CLI runs before encoding.
 */
#include "backends/linux/elevated/runner_request.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define PID_LIMIT 4194304 /* PID_MAX_LIMIT on 64-bit Linux */

static int bad(rf_error *err, const char *field, const char *why) {
    return rf_fail(err, -EINVAL, "request field \"%s\": %s", field, why);
}

static void free_list(char **list, size_t n) {
    if (!list)
        return;
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

void rf_runner_request_free(rf_runner_request *req) {
    free_list(req->argv, req->argc);
    free_list(req->env, req->n_env);
    free(req->cwd);
    free(req->workspace);
    free_list(req->writable_roots, req->n_writable_roots);
    free_list(req->protected_names, req->n_protected);
    free_list(req->deny_read, req->n_deny_read);
    memset(req, 0, sizeof *req);
}

/* ---- content rules (shared by parse and encode) --------------------------- */

/* Components between slashes: none empty, none "." or "..". */
static bool components_ok(const char *p) {
    while (*p) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        if (!end)
            return true;
        p = end + 1;
        if (!*p)
            return false; /* trailing slash */
    }
    return true;
}

bool rf_runner_path_ok(const char *path) {
    if (!path || path[0] != '/' || strlen(path) > RF_RUNNER_MAX_PATH)
        return false;
    if (path[1] == '\0')
        return true;
    return components_ok(path + 1);
}

static bool relative_name_ok(const char *name) {
    return name && name[0] && name[0] != '/' && strlen(name) <= RF_RUNNER_MAX_PATH && components_ok(name);
}

static bool env_entry_ok(const char *e) {
    const char *eq = strchr(e, '=');
    return eq && eq != e;
}

static int check_paths(char *const *list, size_t n, const char *field, bool may_be_root, rf_error *err) {
    char name[64];
    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%s[%zu]", field, i);
        if (!rf_runner_path_ok(list[i]))
            return bad(err, name, "is not an absolute, normalized path shorter than 4096 bytes");
        if (!may_be_root && strcmp(list[i], "/") == 0)
            return bad(err, name, "is the root directory");
    }
    return 0;
}

static int validate(const rf_runner_request *r, rf_error *err) {
    if (r->parent_pid < 1 || r->parent_pid > PID_LIMIT)
        return bad(err, "parent_pid", "is not a process id");
    if (r->argc < 1 || r->argc > RF_RUNNER_MAX_ARGV)
        return bad(err, "argv", "must hold 1 to 4096 strings");
    if (!r->argv[0][0])
        return bad(err, "argv[0]", "is empty");
    if (r->n_env > RF_RUNNER_MAX_ENV)
        return bad(err, "env", "holds more than 4096 strings");
    char name[64];
    for (size_t i = 0; i < r->n_env; i++) {
        snprintf(name, sizeof name, "env[%zu]", i);
        if (!env_entry_ok(r->env[i]))
            return bad(err, name, "is not NAME=VALUE with a non-empty NAME");
    }
    if (!rf_runner_path_ok(r->cwd))
        return bad(err, "cwd", "is not an absolute, normalized path shorter than 4096 bytes");
    if (!rf_runner_path_ok(r->workspace))
        return bad(err, "workspace", "is not an absolute, normalized path shorter than 4096 bytes");
    if (strcmp(r->workspace, "/") == 0)
        return bad(err, "workspace", "is the root directory");
    if (r->n_writable_roots > RF_RUNNER_MAX_ROOTS)
        return bad(err, "writable_roots", "holds more than 64 paths");
    if (r->n_protected > RF_RUNNER_MAX_PROTECTED)
        return bad(err, "protected", "holds more than 64 names");
    if (r->n_deny_read > RF_RUNNER_MAX_DENY)
        return bad(err, "deny_read", "holds more than 256 paths");
    int rc = check_paths(r->writable_roots, r->n_writable_roots, "writable_roots", false, err);
    if (rc == 0)
        rc = check_paths(r->deny_read, r->n_deny_read, "deny_read", false, err);
    for (size_t i = 0; rc == 0 && i < r->n_protected; i++) {
        snprintf(name, sizeof name, "protected[%zu]", i);
        if (!relative_name_ok(r->protected_names[i]))
            rc = bad(err, name, "is not a normalized relative name without \"..\"");
    }
    return rc;
}

/* ---- parse ------------------------------------------------------------------ */

/* A \u0000 escape would end the C string early: the runner would check one
 * path and the kernel see another (NUL truncation).  An escape is a
 * backslash run of odd length. */
static bool has_escaped_nul(const char *buf, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '\\')
            continue;
        size_t j = i;
        while (j < len && buf[j] == '\\')
            j++;
        if ((j - i) % 2 == 1 && j + 4 < len && buf[j] == 'u' && buf[j + 1] == '0' && buf[j + 2] == '0' &&
            buf[j + 3] == '0' && buf[j + 4] == '0')
            return true;
        i = j - 1;
    }
    return false;
}

static const char *const known_keys[] = {
    "format",  "parent_pid", "argv",           "env",       "cwd",       "network",
    "tmp_private", "tty",    "workspace",      "writable_roots", "protected", "deny_read",
};
#define N_KEYS (sizeof known_keys / sizeof known_keys[0])

/* Every key known, none twice (cJSON keeps duplicates; the first would win
 * for us and maybe the last for a different reader). */
static int check_keys(const cJSON *root, rf_error *err) {
    bool seen[N_KEYS] = {false};
    for (const cJSON *c = root->child; c; c = c->next) {
        size_t k = 0;
        while (k < N_KEYS && strcmp(c->string, known_keys[k]) != 0)
            k++;
        if (k == N_KEYS)
            return rf_fail(err, -EINVAL, "request field \"%.48s\": unknown key", c->string);
        if (seen[k])
            return bad(err, known_keys[k], "appears twice");
        seen[k] = true;
    }
    for (size_t k = 0; k < N_KEYS; k++)
        if (!seen[k])
            return bad(err, known_keys[k], "is missing");
    return 0;
}

static const cJSON *item(const cJSON *root, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(root, key);
}

static int get_int(const cJSON *root, const char *key, int min, int max, int *out, rf_error *err) {
    const cJSON *v = item(root, key);
    if (!cJSON_IsNumber(v))
        return bad(err, key, "is not a number");
    double d = v->valuedouble;
    if (!(d >= min && d <= max) || d != (double)(int)d)
        return bad(err, key, "is not a whole number in range");
    *out = (int)d;
    return 0;
}

static int get_bool(const cJSON *root, const char *key, bool *out, rf_error *err) {
    const cJSON *v = item(root, key);
    if (!cJSON_IsBool(v))
        return bad(err, key, "is not true or false");
    *out = cJSON_IsTrue(v);
    return 0;
}

static int get_string(const cJSON *root, const char *key, char **out, rf_error *err) {
    const cJSON *v = item(root, key);
    if (!cJSON_IsString(v) || !v->valuestring)
        return bad(err, key, "is not a string");
    if (!(*out = strdup(v->valuestring)))
        return rf_fail_errno(err, ENOMEM, "reading request field \"%s\"", key);
    return 0;
}

/* A string array of at most `max` items into a NULL-terminated copy. */
static int get_strings(const cJSON *root, const char *key, size_t max, char ***out, size_t *n,
                       rf_error *err) {
    const cJSON *v = item(root, key);
    if (!cJSON_IsArray(v))
        return bad(err, key, "is not an array");
    size_t count = 0;
    for (const cJSON *c = v->child; c; c = c->next)
        if (++count > max)
            return bad(err, key, "holds too many items");
    char **list = calloc(count + 1, sizeof *list);
    if (!list)
        return rf_fail_errno(err, ENOMEM, "reading request field \"%s\"", key);
    *out = list;
    size_t i = 0;
    char name[64];
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        snprintf(name, sizeof name, "%s[%zu]", key, i);
        if (!cJSON_IsString(c) || !c->valuestring)
            return bad(err, name, "is not a string");
        if (!(list[i] = strdup(c->valuestring)))
            return rf_fail_errno(err, ENOMEM, "reading request field \"%s\"", name);
        *n = i + 1;
    }
    return 0;
}

int rf_runner_request_parse(const char *buf, size_t len, rf_runner_request *out, rf_error *err) {
    memset(out, 0, sizeof *out);
    if (len > RF_RUNNER_REQUEST_MAX)
        return rf_fail(err, -EINVAL, "request: %zu bytes, more than the limit of %d", len, RF_RUNNER_REQUEST_MAX);
    if (memchr(buf, '\0', len) || has_escaped_nul(buf, len))
        return rf_fail(err, -EINVAL, "request: contains a NUL character");
    cJSON *root = cJSON_ParseWithLength(buf, len);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return rf_fail(err, -EINVAL, "request: not a JSON object");
    }
    int format = 0;
    int rc = check_keys(root, err);
    if (rc == 0)
        rc = get_int(root, "format", 1, 1000, &format, err);
    if (rc == 0 && format != RF_RUNNER_FORMAT)
        rc = bad(err, "format", "is not 1 (the CLI and the runner come from different versions)");
    if (rc == 0)
        rc = get_int(root, "parent_pid", 1, PID_LIMIT, &out->parent_pid, err);
    if (rc == 0)
        rc = get_strings(root, "argv", RF_RUNNER_MAX_ARGV, &out->argv, &out->argc, err);
    if (rc == 0)
        rc = get_strings(root, "env", RF_RUNNER_MAX_ENV, &out->env, &out->n_env, err);
    if (rc == 0)
        rc = get_string(root, "cwd", &out->cwd, err);
    if (rc == 0)
        rc = get_bool(root, "network", &out->network, err);
    if (rc == 0)
        rc = get_bool(root, "tmp_private", &out->tmp_private, err);
    if (rc == 0)
        rc = get_bool(root, "tty", &out->tty, err);
    if (rc == 0)
        rc = get_string(root, "workspace", &out->workspace, err);
    if (rc == 0)
        rc = get_strings(root, "writable_roots", RF_RUNNER_MAX_ROOTS, &out->writable_roots,
                         &out->n_writable_roots, err);
    if (rc == 0)
        rc = get_strings(root, "protected", RF_RUNNER_MAX_PROTECTED, &out->protected_names, &out->n_protected,
                         err);
    if (rc == 0)
        rc = get_strings(root, "deny_read", RF_RUNNER_MAX_DENY, &out->deny_read, &out->n_deny_read, err);
    if (rc == 0)
        rc = validate(out, err);
    cJSON_Delete(root);
    if (rc < 0)
        rf_runner_request_free(out);
    return rc;
}

/* ---- encode ----------------------------------------------------------------- */

static bool add_strings(cJSON *root, const char *key, char *const *list, size_t n) {
    cJSON *arr = cJSON_AddArrayToObject(root, key);
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *s = cJSON_CreateString(list[i]);
        if (!s || !cJSON_AddItemToArray(arr, s)) {
            cJSON_Delete(s);
            return false;
        }
    }
    return arr != NULL;
}

int rf_runner_request_encode(const rf_runner_request *req, char **out, size_t *len, rf_error *err) {
    *out = NULL;
    if (!req->argv || !req->cwd || !req->workspace || (req->n_env && !req->env) ||
        (req->n_writable_roots && !req->writable_roots) || (req->n_protected && !req->protected_names) ||
        (req->n_deny_read && !req->deny_read) || req->argc == 0)
        return rf_fail(err, -EINVAL, "request: incomplete (argv, cwd and workspace are required)");
    int rc = validate(req, err);
    if (rc < 0)
        return rc;
    cJSON *root = cJSON_CreateObject();
    bool ok = root && cJSON_AddNumberToObject(root, "format", RF_RUNNER_FORMAT) &&
              cJSON_AddNumberToObject(root, "parent_pid", req->parent_pid) &&
              add_strings(root, "argv", req->argv, req->argc) && add_strings(root, "env", req->env, req->n_env) &&
              cJSON_AddStringToObject(root, "cwd", req->cwd) && cJSON_AddBoolToObject(root, "network", req->network) &&
              cJSON_AddBoolToObject(root, "tmp_private", req->tmp_private) &&
              cJSON_AddBoolToObject(root, "tty", req->tty) &&
              cJSON_AddStringToObject(root, "workspace", req->workspace) &&
              add_strings(root, "writable_roots", req->writable_roots, req->n_writable_roots) &&
              add_strings(root, "protected", req->protected_names, req->n_protected) &&
              add_strings(root, "deny_read", req->deny_read, req->n_deny_read);
    char *text = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return rf_fail_errno(err, ENOMEM, "encoding the runner request");
    *len = strlen(text);
    if (*len > RF_RUNNER_REQUEST_MAX) {
        free(text);
        return rf_fail(err, -E2BIG, "request: %zu bytes (arguments and environment), more than the runner's "
                       "limit of %d", *len, RF_RUNNER_REQUEST_MAX);
    }
    *out = text;
    return 0;
}
