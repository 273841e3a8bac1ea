/*
 * policy_parse.c — a policy document (JSON, version 1) into an rf_raw_policy.
 *
 * Checks types, enum values, names and unknown or duplicate keys; paths are
 * kept as written (path resolution comes later, in policy_load.c).  Every
 * error names the field ("writable_roots[2]", "env.set.FOO") and the value.
 *
 * Cleanup idiom: goto out.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/path_resolve.h"
#include "core/policy_internal.h"

#define FIELD_MAX 64

/* The backends a policy may name; "auto" is always accepted besides them. */
static const char *const known_backends[] = {"none", "unelevated", "elevated"};

bool rf_policy_backend_known(const char *name) {
    for (size_t i = 0; i < sizeof known_backends / sizeof known_backends[0]; i++)
        if (strcmp(known_backends[i], name) == 0)
            return true;
    return false;
}

const char *rf_policy_backend_choices(void) {
    return "auto, none, unelevated, elevated";
}

/* ---- describing values -------------------------------------------------- */

static const char *type_name(const cJSON *item) {
    if (cJSON_IsString(item))
        return "a string";
    if (cJSON_IsNumber(item))
        return "a number";
    if (cJSON_IsArray(item))
        return "an array";
    if (cJSON_IsObject(item))
        return "an object";
    if (cJSON_IsBool(item))
        return "a boolean";
    if (cJSON_IsNull(item))
        return "null";
    return "an unknown value";
}

/* The value as the message shows it: a quoted string or compact JSON. */
static const char *value_text(rf_quoted *q, const cJSON *item) {
    if (cJSON_IsString(item))
        return rf_quote(q, item->valuestring);
    char *json = cJSON_PrintUnformatted(item);
    if (!json) {
        snprintf(q->text, sizeof q->text, "(%s)", type_name(item));
        return q->text;
    }
    rf_quote_raw(q, json);
    free(json);
    return q->text;
}

static int wrong_type(const cJSON *item, const char *field, const char *expected, rf_error *err) {
    rf_quoted q;
    if (cJSON_IsNull(item))
        return rf_fail_policy(err, field, "expected %s, got null", expected);
    return rf_fail_policy(err, field, "expected %s, got %s: %s", expected, type_name(item),
                          value_text(&q, item));
}

/* A key as a field name: printable characters only, since it lands in
 * err->field and in the message. */
static void field_join(char *field, const char *prefix, const char *key) {
    /* An empty key still gets a visible field name: `""`. */
    int n = snprintf(field, FIELD_MAX, "%s%s", prefix, key[0] ? key : "\"\"");
    if (n < 0)
        field[0] = '\0';
    for (char *p = field; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
            *p = '?';
}

static void field_index(char *field, const char *base, size_t i) {
    snprintf(field, FIELD_MAX, "%s[%zu]", base, i);
}

/* ---- objects ------------------------------------------------------------ */

static int compare_keys(const void *a, const void *b) {
    const cJSON *const *x = a, *const *y = b;
    return strcmp((*x)->string, (*y)->string);
}

/* JSON allows a key twice and readers disagree on which one counts; a
 * reviewer could read "network": "off" while the other copy says "on". */
static int reject_duplicate_keys(const cJSON *object, const char *prefix, rf_error *err) {
    size_t n = 0;
    for (const cJSON *c = object->child; c; c = c->next)
        n++;
    if (n < 2)
        return 0;
    const cJSON **keys = malloc(n * sizeof *keys);
    if (!keys)
        return -ENOMEM;
    size_t i = 0;
    for (const cJSON *c = object->child; c; c = c->next)
        keys[i++] = c;
    qsort(keys, n, sizeof *keys, compare_keys);
    int rc = 0;
    for (i = 1; i < n; i++) {
        if (strcmp(keys[i - 1]->string, keys[i]->string) == 0) {
            char field[FIELD_MAX];
            field_join(field, prefix, keys[i]->string);
            rc = rf_fail_policy(err, field, "the key appears more than once");
            break;
        }
    }
    free(keys);
    return rc;
}

/* ---- value parsers -------------------------------------------------------- */

typedef struct parse_ctx {
    rf_policy_kind kind;
    rf_raw_policy *out;
    rf_error *err;
} parse_ctx;

static int parse_string(const cJSON *item, const char *field, bool allow_empty, rf_error *err) {
    if (!cJSON_IsString(item))
        return wrong_type(item, field, "a string", err);
    if (!allow_empty && item->valuestring[0] == '\0')
        return rf_fail_policy(err, field, "empty string");
    return 0;
}

/* An array of non-empty strings, each checked by `check` when not NULL. */
static int parse_string_array(const cJSON *item, const char *base, rf_strv *out,
                              int (*check)(const char *value, const char *field, char **norm,
                                           rf_error *err),
                              rf_error *err) {
    if (!cJSON_IsArray(item))
        return wrong_type(item, base, "an array of strings", err);
    size_t i = 0;
    for (const cJSON *e = item->child; e; e = e->next, i++) {
        char field[FIELD_MAX];
        field_index(field, base, i);
        int rc = parse_string(e, field, false, err);
        if (rc < 0)
            return rc;
        if (check) {
            char *norm = NULL;
            rc = check(e->valuestring, field, &norm, err);
            if (rc == 0)
                rc = rf_strv_push(out, norm);
            free(norm);
        } else {
            rc = rf_strv_push(out, e->valuestring);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int parse_enum(const cJSON *item, const char *field, const char *a, const char *b,
                      int *which, rf_error *err) {
    rf_quoted q;
    int rc = parse_string(item, field, true, err);
    if (rc < 0)
        return rc;
    if (strcmp(item->valuestring, a) == 0)
        *which = 0;
    else if (strcmp(item->valuestring, b) == 0)
        *which = 1;
    else
        return rf_fail_policy(err, field, "expected \"%s\" or \"%s\", got %s", a, b,
                              value_text(&q, item));
    return 0;
}

static int parse_version(const cJSON *item, parse_ctx *ctx) {
    rf_quoted q;
    if (!cJSON_IsNumber(item))
        return wrong_type(item, "version", "the number 1", ctx->err);
    if (item->valuedouble != 1.0)
        return rf_fail_policy(ctx->err, "version",
                              "unsupported version %s; this ringfence reads version 1",
                              value_text(&q, item));
    return 0;
}

static int parse_workspace(const cJSON *item, parse_ctx *ctx) {
    if (ctx->kind == RF_POLICY_MANAGED)
        return rf_fail_policy(ctx->err, "workspace",
                              "not allowed in the managed policy (the user chooses the "
                              "workspace; restrict it with \"writable_roots\")");
    int rc = parse_string(item, "workspace", false, ctx->err);
    if (rc < 0)
        return rc;
    ctx->out->workspace = strdup(item->valuestring);
    return ctx->out->workspace ? 0 : -ENOMEM;
}

static int parse_writable_roots(const cJSON *item, parse_ctx *ctx) {
    ctx->out->has_writable_roots = true;
    return parse_string_array(item, "writable_roots", &ctx->out->writable_roots, NULL, ctx->err);
}

static int parse_protected(const cJSON *item, parse_ctx *ctx) {
    ctx->out->has_protected = true;
    return parse_string_array(item, "protected", &ctx->out->protected_names,
                              rf_protected_name_normalize, ctx->err);
}

static int parse_deny_read(const cJSON *item, parse_ctx *ctx) {
    ctx->out->has_deny_read = true;
    return parse_string_array(item, "deny_read", &ctx->out->deny_read, NULL, ctx->err);
}

static int parse_network(const cJSON *item, parse_ctx *ctx) {
    int which = 0;
    int rc = parse_enum(item, "network", "off", "on", &which, ctx->err);
    if (rc < 0)
        return rc;
    ctx->out->has_network = true;
    ctx->out->network = which ? RF_NET_ON : RF_NET_OFF;
    return 0;
}

static int parse_tmp(const cJSON *item, parse_ctx *ctx) {
    int which = 0;
    int rc = parse_enum(item, "tmp", "private", "shared", &which, ctx->err);
    if (rc < 0)
        return rc;
    ctx->out->has_tmp = true;
    ctx->out->tmp = which ? RF_TMP_SHARED : RF_TMP_PRIVATE;
    return 0;
}

static int parse_backend(const cJSON *item, parse_ctx *ctx) {
    rf_quoted q;
    int rc = parse_string(item, "backend", false, ctx->err);
    if (rc < 0)
        return rc;
    const char *name = item->valuestring;
    if (strcmp(name, "auto") != 0 && !rf_policy_backend_known(name))
        return rf_fail_policy(ctx->err, "backend", "unknown backend %s (choices: %s)",
                              rf_quote(&q, name), rf_policy_backend_choices());
    ctx->out->backend = strdup(name);
    return ctx->out->backend ? 0 : -ENOMEM;
}

static int parse_require(const cJSON *item, parse_ctx *ctx) {
    rf_quoted q;
    if (!cJSON_IsArray(item))
        return wrong_type(item, "require", "an array of guarantee names", ctx->err);
    size_t i = 0;
    for (const cJSON *e = item->child; e; e = e->next, i++) {
        char field[FIELD_MAX];
        field_index(field, "require", i);
        int rc = parse_string(e, field, true, ctx->err);
        if (rc < 0)
            return rc;
        int g = rf_guarantee_from_name(e->valuestring);
        if (g < 0)
            return rf_fail_policy(ctx->err, field,
                                  "unknown guarantee %s (choices: writes, protected, deny_read, "
                                  "network, process_tree)",
                                  rf_quote(&q, e->valuestring));
        ctx->out->require[g] = true;
    }
    return 0;
}

/* A variable name the environment can hold: not empty, no '='. */
static int check_env_name(const char *name, const char *field, rf_error *err) {
    rf_quoted q;
    if (name[0] == '\0')
        return rf_fail_policy(err, field, "empty variable name");
    if (strchr(name, '='))
        return rf_fail_policy(err, field, "variable name %s contains '='", rf_quote(&q, name));
    return 0;
}

static int parse_env_set(const cJSON *item, parse_ctx *ctx) {
    if (!cJSON_IsObject(item))
        return wrong_type(item, "env.set", "an object of strings", ctx->err);
    int rc = reject_duplicate_keys(item, "env.set.", ctx->err);
    if (rc < 0)
        return rc;
    for (const cJSON *e = item->child; e; e = e->next) {
        char field[FIELD_MAX];
        field_join(field, "env.set.", e->string);
        rc = check_env_name(e->string, field, ctx->err);
        if (rc < 0)
            return rc;
        rc = parse_string(e, field, true, ctx->err);
        if (rc < 0)
            return rc;
        size_t n = strlen(e->string) + 1 + strlen(e->valuestring) + 1;
        char *pair = malloc(n);
        if (!pair)
            return -ENOMEM;
        snprintf(pair, n, "%s=%s", e->string, e->valuestring);
        rc = rf_strv_push(&ctx->out->env_set, pair);
        free(pair);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int parse_env(const cJSON *item, parse_ctx *ctx) {
    if (!cJSON_IsObject(item))
        return wrong_type(item, "env", "an object with \"scrub\" and \"set\"", ctx->err);
    int rc = reject_duplicate_keys(item, "env.", ctx->err);
    if (rc < 0)
        return rc;
    for (const cJSON *e = item->child; e; e = e->next) {
        if (strcmp(e->string, "scrub") == 0) {
            rc = parse_string_array(e, "env.scrub", &ctx->out->env_scrub, NULL, ctx->err);
        } else if (strcmp(e->string, "set") == 0) {
            rc = parse_env_set(e, ctx);
        } else {
            char field[FIELD_MAX];
            field_join(field, "env.", e->string);
            rc = rf_fail_policy(ctx->err, field, "unknown key (known: scrub, set)");
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

static const struct {
    const char *key;
    int (*parse)(const cJSON *item, parse_ctx *ctx);
} top_keys[] = {
    {"version", parse_version},
    {"workspace", parse_workspace},
    {"writable_roots", parse_writable_roots},
    {"protected", parse_protected},
    {"deny_read", parse_deny_read},
    {"network", parse_network},
    {"tmp", parse_tmp},
    {"env", parse_env},
    {"backend", parse_backend},
    {"require", parse_require},
};

static int parse_root(const cJSON *root, parse_ctx *ctx) {
    rf_quoted q;
    if (!cJSON_IsObject(root))
        return rf_fail_policy(ctx->err, "(root)", "expected a JSON object, got %s: %s",
                              type_name(root), value_text(&q, root));
    int rc = reject_duplicate_keys(root, "", ctx->err);
    if (rc < 0)
        return rc;
    /* The version first: keys of another version are "unsupported version",
     * not "unknown key". */
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!version)
        return rf_fail_policy(ctx->err, "version", "missing; this ringfence reads version 1");
    rc = parse_version(version, ctx);
    if (rc < 0)
        return rc;
    for (const cJSON *e = root->child; e; e = e->next) {
        size_t k = 0, nkeys = sizeof top_keys / sizeof top_keys[0];
        while (k < nkeys && strcmp(top_keys[k].key, e->string) != 0)
            k++;
        if (k == nkeys) {
            char field[FIELD_MAX];
            field_join(field, "", e->string);
            return rf_fail_policy(ctx->err, field,
                                  "unknown key (known: version, workspace, writable_roots, "
                                  "protected, deny_read, network, tmp, env, backend, require)");
        }
        if (e == version)
            continue;
        rc = top_keys[k].parse(e, ctx);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Where a syntax error sits, as line and column (both from 1). */
static void line_column(const char *text, size_t offset, size_t *line, size_t *column) {
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *column = 1;
        } else {
            (*column)++;
        }
    }
}

/* Offset of the first "\u0000" escape inside a JSON string, or `len`.  cJSON
 * would silently cut the string there, so "/proj\u0000/../.." would read as
 * "/proj" to ringfence and as something else to a reviewer. */
static size_t find_escaped_nul(const char *text, size_t len) {
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        if (!in_string) {
            in_string = text[i] == '"';
            continue;
        }
        if (text[i] == '"') {
            in_string = false;
        } else if (text[i] == '\\' && i + 1 < len) {
            if (text[i + 1] == 'u' && i + 5 < len && memcmp(text + i + 2, "0000", 4) == 0)
                return i;
            i++; /* the escaped character */
        }
    }
    return len;
}

int rf_policy_parse_buffer(const char *text, size_t len, rf_policy_kind kind, rf_raw_policy *out,
                           rf_error *err) {
    char *copy = NULL;
    cJSON *root = NULL;
    int rc = 0;
    if (len > RF_POLICY_MAX_BYTES)
        return rf_fail_policy(err, "(json)", "document of %zu bytes is larger than the limit (%d)",
                              len, RF_POLICY_MAX_BYTES);
    /* A NUL byte would end the document early for cJSON and hide the rest
     * from the parser while a reviewer's editor still shows it. */
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        size_t line, column;
        line_column(text, (size_t)(nul - text), &line, &column);
        return rf_fail_policy(err, "(json)", "NUL byte at line %zu, column %zu", line, column);
    }
    size_t escaped_nul = find_escaped_nul(text, len);
    if (escaped_nul < len) {
        size_t line, column;
        line_column(text, escaped_nul, &line, &column);
        return rf_fail_policy(err, "(json)",
                              "\"\\u0000\" at line %zu, column %zu: NUL is not "
                              "allowed in a string",
                              line, column);
    }
    copy = malloc(len + 1);
    if (!copy)
        return -ENOMEM;
    memcpy(copy, text, len);
    copy[len] = '\0';
    const char *end = NULL;
    /* len + 1: cJSON checks the terminating NUL inside the length, which is
     * how trailing garbage after the document is refused. */
    root = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 1);
    if (!root) {
        size_t offset = end && end >= copy && end <= copy + len ? (size_t)(end - copy) : len;
        size_t line, column;
        line_column(copy, offset, &line, &column);
        rf_quoted q;
        char near[24];
        snprintf(near, sizeof near, "%s", copy + offset);
        rc = rf_fail_policy(err, "(json)", "invalid JSON at line %zu, column %zu, near %s", line,
                            column, offset < len ? rf_quote(&q, near) : "the end of the document");
        goto out;
    }
    parse_ctx ctx = {.kind = kind, .out = out, .err = err};
    rc = parse_root(root, &ctx);
out:
    cJSON_Delete(root);
    free(copy);
    return rc;
}
