/* state.c — the state file: root SIDs by canonical path, and the ACEs ringfence added. */
#include "backends/windows/state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/json_min.h"
#include "backends/windows/winpath.h"
#include "core/error.h"

#define STATE_VERSION 1

int rf_win_state_new(rf_win_state **out, rf_error *err) {
    *out = calloc(1, sizeof **out);
    if (!*out)
        return rf_fail(err, -ENOMEM, "create Windows state: out of memory");
    return 0;
}

void rf_win_state_free(rf_win_state *state) {
    if (!state)
        return;
    for (size_t i = 0; i < state->n_roots; i++) {
        free(state->roots[i].path);
        free(state->roots[i].key);
    }
    free(state->roots);
    rf_acl_free_aces(state->grants, state->n_grants);
    free(state);
}

static int check_synthetic(const char *field, const char *text, rf_error *err) {
    rf_sid sid;
    rf_error sub = {0};
    if (rf_sid_parse(text, &sid, &sub) < 0 || !rf_sid_is_synthetic_shape(&sid) ||
        rf_sid_is_shared(&sid))
        return rf_fail(err, -EINVAL, "state file field '%s': '%s' is not a synthetic SID",
                       field, text);
    return 0;
}

static int add_root(rf_win_state *st, const char *path, const char *sid, rf_error *err) {
    char *key = NULL;
    int rc = rf_winpath_key(path, &key, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < st->n_roots; i++) {
        /* Two roots sharing a SID would share their write grants. */
        if (strcmp(st->roots[i].key, key) == 0 || strcmp(st->roots[i].sid, sid) == 0 ||
            strcmp(st->readonly_sid, sid) == 0) {
            free(key);
            return rf_fail(err, -EINVAL, "state file: root '%s' or its SID %s is recorded twice",
                           path, sid);
        }
    }
    rf_win_root_sid *roots = realloc(st->roots, (st->n_roots + 1) * sizeof *roots);
    char *copy = strdup(path);
    if (!roots || !copy) {
        if (roots)
            st->roots = roots;
        free(copy);
        free(key);
        return rf_fail(err, -ENOMEM, "record root '%s': out of memory", path);
    }
    st->roots = roots;
    rf_win_root_sid *r = &st->roots[st->n_roots++];
    r->path = copy;
    r->key = key;
    snprintf(r->sid, sizeof r->sid, "%s", sid);
    return 0;
}

static const char *get_string(const rf_json *obj, const char *key) {
    const rf_json *v = rf_json_get(obj, key);
    return v && v->type == RF_JSON_STRING ? v->string : NULL;
}

static int parse_roots(rf_win_state *st, const rf_json *roots, rf_error *err) {
    if (!roots)
        return 0;
    if (roots->type != RF_JSON_ARRAY)
        return rf_fail(err, -EINVAL, "state file field 'roots': not an array");
    for (size_t i = 0; i < roots->len; i++) {
        const char *path = get_string(roots->items[i], "path");
        const char *sid = get_string(roots->items[i], "sid");
        if (!path || !sid)
            return rf_fail(err, -EINVAL, "state file field 'roots[%llu]': needs path and sid",
                           (unsigned long long)i);
        int rc = check_synthetic("roots.sid", sid, err);
        if (rc == 0)
            rc = add_root(st, path, sid, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int parse_grants(rf_win_state *st, const rf_json *grants, rf_error *err) {
    if (!grants)
        return 0;
    if (grants->type != RF_JSON_ARRAY)
        return rf_fail(err, -EINVAL, "state file field 'grants': not an array");
    for (size_t i = 0; i < grants->len; i++) {
        const rf_json *g = grants->items[i];
        const char *path = get_string(g, "path"), *sid = get_string(g, "sid");
        const char *type = get_string(g, "type");
        const rf_json *mask = rf_json_get(g, "mask"), *inherit = rf_json_get(g, "inherit");
        if (!path || !sid || !type || !mask || mask->type != RF_JSON_INT || !inherit ||
            inherit->type != RF_JSON_INT || mask->integer < 0 || mask->integer > UINT32_MAX ||
            inherit->integer < 0 || inherit->integer > 0xFF ||
            (strcmp(type, "allow") != 0 && strcmp(type, "deny") != 0))
            return rf_fail(err, -EINVAL,
                           "state file field 'grants[%llu]': needs path, sid, type allow|deny, "
                           "mask and inherit",
                           (unsigned long long)i);
        int rc = check_synthetic("grants.sid", sid, err);
        if (rc < 0)
            return rc;
        rf_ace ace = {.path = (char *)path,
                      .type = strcmp(type, "deny") == 0 ? RF_ACE_DENY : RF_ACE_ALLOW,
                      .mask = (uint32_t)mask->integer,
                      .inherit = (uint32_t)inherit->integer};
        snprintf(ace.sid, sizeof ace.sid, "%s", sid);
        rc = rf_win_state_add_grant(st, &ace, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int rf_win_state_parse(const char *text, rf_win_state **out, rf_error *err) {
    rf_json *doc = NULL;
    rf_win_state *st = NULL;
    *out = NULL;
    int rc = rf_json_parse(text, &doc, err);
    if (rc < 0)
        return rc;
    rc = rf_win_state_new(&st, err);
    if (rc < 0)
        goto out;
    const rf_json *version = rf_json_get(doc, "version");
    if (doc->type != RF_JSON_OBJECT || !version || version->type != RF_JSON_INT ||
        version->integer != STATE_VERSION) {
        rc = rf_fail(err, -EINVAL, "state file field 'version': want %d", STATE_VERSION);
        goto out;
    }
    for (size_t i = 0; i < doc->len; i++) {
        const char *k = doc->items[i]->key;
        if (strcmp(k, "version") && strcmp(k, "readonly_sid") && strcmp(k, "roots") &&
            strcmp(k, "grants")) {
            rc = rf_fail(err, -EINVAL, "state file: unknown field '%s'", k);
            goto out;
        }
    }
    const rf_json *ro = rf_json_get(doc, "readonly_sid");
    if (ro && ro->type == RF_JSON_STRING) {
        rc = check_synthetic("readonly_sid", ro->string, err);
        if (rc < 0)
            goto out;
        snprintf(st->readonly_sid, sizeof st->readonly_sid, "%s", ro->string);
    } else if (ro && ro->type != RF_JSON_NULL) {
        rc = rf_fail(err, -EINVAL, "state file field 'readonly_sid': not a string or null");
        goto out;
    }
    rc = parse_roots(st, rf_json_get(doc, "roots"), err);
    if (rc == 0)
        rc = parse_grants(st, rf_json_get(doc, "grants"), err);
out:
    rf_json_free(doc);
    if (rc < 0)
        rf_win_state_free(st);
    else
        *out = st;
    return rc;
}

int rf_win_state_to_json(const rf_win_state *st, char **out, rf_error *err) {
    rf_jsonbuf b = {0};
    rf_jsonbuf_raw(&b, "{\n  \"version\": 1,\n  \"readonly_sid\": ");
    if (st->readonly_sid[0])
        rf_jsonbuf_string(&b, st->readonly_sid);
    else
        rf_jsonbuf_raw(&b, "null");
    rf_jsonbuf_raw(&b, ",\n  \"roots\": [");
    for (size_t i = 0; i < st->n_roots; i++) {
        rf_jsonbuf_raw(&b, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
        rf_jsonbuf_string(&b, st->roots[i].path);
        rf_jsonbuf_raw(&b, ", \"sid\": ");
        rf_jsonbuf_string(&b, st->roots[i].sid);
        rf_jsonbuf_raw(&b, "}");
    }
    rf_jsonbuf_raw(&b, st->n_roots ? "\n  ],\n  \"grants\": [" : "],\n  \"grants\": [");
    for (size_t i = 0; i < st->n_grants; i++) {
        const rf_ace *g = &st->grants[i];
        rf_jsonbuf_raw(&b, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
        rf_jsonbuf_string(&b, g->path);
        rf_jsonbuf_raw(&b, ", \"sid\": ");
        rf_jsonbuf_string(&b, g->sid);
        rf_jsonbuf_raw(&b, g->type == RF_ACE_DENY ? ", \"type\": \"deny\", \"mask\": "
                                                  : ", \"type\": \"allow\", \"mask\": ");
        rf_jsonbuf_int(&b, g->mask);
        rf_jsonbuf_raw(&b, ", \"inherit\": ");
        rf_jsonbuf_int(&b, g->inherit);
        rf_jsonbuf_raw(&b, "}");
    }
    rf_jsonbuf_raw(&b, st->n_grants ? "\n  ]\n}\n" : "]\n}\n");
    if (b.failed || !b.data) {
        free(b.data);
        return rf_fail(err, -ENOMEM, "serialize Windows state: out of memory");
    }
    *out = b.data;
    return 0;
}

/* A fresh SID no root (nor the read-only slot) uses yet. */
static int fresh_sid(rf_win_state *st, rf_random_fn rng, void *ctx, char *sid, rf_error *err) {
    for (int attempt = 0; attempt < 8; attempt++) {
        int rc = rf_sid_generate(rng, ctx, sid, RF_SID_TEXT_MAX, err);
        if (rc < 0)
            return rc;
        bool used = strcmp(st->readonly_sid, sid) == 0;
        for (size_t i = 0; !used && i < st->n_roots; i++)
            used = strcmp(st->roots[i].sid, sid) == 0;
        if (!used)
            return 0;
    }
    return rf_fail(err, -EIO, "generate a synthetic SID: the random source repeats itself");
}

int rf_win_state_root_sid(rf_win_state *st, const char *path, rf_random_fn rng, void *ctx,
                          char sid_out[RF_SID_TEXT_MAX], int *created, rf_error *err) {
    char *key = NULL;
    *created = 0;
    int rc = rf_winpath_key(path, &key, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < st->n_roots; i++) {
        if (strcmp(st->roots[i].key, key) == 0) {
            free(key);
            snprintf(sid_out, RF_SID_TEXT_MAX, "%s", st->roots[i].sid);
            return 0;
        }
    }
    free(key);
    char sid[RF_SID_TEXT_MAX];
    rc = fresh_sid(st, rng, ctx, sid, err);
    if (rc == 0)
        rc = add_root(st, path, sid, err);
    if (rc < 0)
        return rc;
    snprintf(sid_out, RF_SID_TEXT_MAX, "%s", sid);
    *created = 1;
    return 0;
}

int rf_win_state_readonly_sid(rf_win_state *st, rf_random_fn rng, void *ctx,
                              char sid_out[RF_SID_TEXT_MAX], rf_error *err) {
    if (!st->readonly_sid[0]) {
        char sid[RF_SID_TEXT_MAX];
        int rc = fresh_sid(st, rng, ctx, sid, err);
        if (rc < 0)
            return rc;
        snprintf(st->readonly_sid, sizeof st->readonly_sid, "%s", sid);
    }
    snprintf(sid_out, RF_SID_TEXT_MAX, "%s", st->readonly_sid);
    return 0;
}

static bool same_grant(const rf_ace *a, const rf_ace *b) {
    char *ka = NULL, *kb = NULL;
    bool same = a->type == b->type && a->mask == b->mask && a->inherit == b->inherit &&
                strcmp(a->sid, b->sid) == 0;
    if (same) {
        /* Devices give no key; compare their text as is. */
        if (rf_winpath_key(a->path, &ka, NULL) == 0 && rf_winpath_key(b->path, &kb, NULL) == 0)
            same = strcmp(ka, kb) == 0;
        else
            same = strcmp(a->path, b->path) == 0;
    }
    free(ka);
    free(kb);
    return same;
}

int rf_win_state_add_grant(rf_win_state *st, const rf_ace *ace, rf_error *err) {
    for (size_t i = 0; i < st->n_grants; i++)
        if (same_grant(&st->grants[i], ace))
            return 0;
    rf_ace *grants = realloc(st->grants, (st->n_grants + 1) * sizeof *grants);
    if (!grants)
        return rf_fail(err, -ENOMEM, "record grant on '%s': out of memory", ace->path);
    st->grants = grants;
    int rc = rf_ace_copy(ace, &st->grants[st->n_grants], err);
    if (rc < 0)
        return rc;
    st->grants[st->n_grants].create_if_absent = false;
    st->n_grants++;
    return 0;
}

int rf_win_state_take_grants_under(rf_win_state *st, const char *dir, rf_ace **out,
                                   size_t *n_out, rf_error *err) {
    *out = NULL;
    *n_out = 0;
    char *key = NULL;
    int rc = rf_winpath_key(dir, &key, err);
    free(key);
    if (rc < 0)
        return rc;
    rf_ace *taken = malloc((st->n_grants ? st->n_grants : 1) * sizeof *taken);
    if (!taken)
        return rf_fail(err, -ENOMEM, "ungrant '%s': out of memory", dir);
    size_t n = 0, kept = 0;
    for (size_t i = 0; i < st->n_grants; i++) {
        int within = rf_winpath_within(st->grants[i].path, dir, NULL);
        /* A grant elsewhere (the NUL device, the private TEMP) belongs to the
         * root whose SID it names. */
        if (within != 1) {
            for (size_t r = 0; r < st->n_roots; r++)
                if (strcmp(st->roots[r].sid, st->grants[i].sid) == 0 &&
                    rf_winpath_within(st->roots[r].path, dir, NULL) == 1)
                    within = 1;
        }
        if (within == 1)
            taken[n++] = st->grants[i];
        else
            st->grants[kept++] = st->grants[i];
    }
    st->n_grants = kept;
    *out = taken;
    *n_out = n;
    return 0;
}
