/* state.c — the state file: root SIDs by canonical path, and the ACEs ringfence added. */
#include "backends/windows/state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

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

static const char *get_string(const cJSON *obj, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A JSON number that is a whole number in [0, max]: cJSON keeps numbers as
 * doubles, and its valueint saturates, so range and fraction are checked here. */
static bool get_uint(const cJSON *obj, const char *key, uint32_t max, uint32_t *out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= (double)max))
        return false;
    *out = (uint32_t)v->valuedouble;
    return (double)*out == v->valuedouble;
}

static int parse_roots(rf_win_state *st, const cJSON *roots, rf_error *err) {
    if (!roots)
        return 0;
    if (!cJSON_IsArray(roots))
        return rf_fail(err, -EINVAL, "state file field 'roots': not an array");
    size_t i = 0;
    for (const cJSON *r = roots->child; r; r = r->next, i++) {
        const char *path = get_string(r, "path");
        const char *sid = get_string(r, "sid");
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

static int parse_grants(rf_win_state *st, const cJSON *grants, rf_error *err) {
    if (!grants)
        return 0;
    if (!cJSON_IsArray(grants))
        return rf_fail(err, -EINVAL, "state file field 'grants': not an array");
    size_t i = 0;
    for (const cJSON *g = grants->child; g; g = g->next, i++) {
        const char *path = get_string(g, "path"), *sid = get_string(g, "sid");
        const char *type = get_string(g, "type");
        uint32_t mask = 0, inherit = 0;
        if (!path || !sid || !type || !get_uint(g, "mask", UINT32_MAX, &mask) ||
            !get_uint(g, "inherit", 0xFF, &inherit) ||
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
                      .mask = mask,
                      .inherit = inherit};
        snprintf(ace.sid, sizeof ace.sid, "%s", sid);
        rc = rf_win_state_add_grant(st, &ace, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Where a string escape \u0000 starts in `text`, or NULL.  cJSON decodes it
 * into a C string, which would silently cut a path short (path truncation:
 * "C:\\work\u0000\\..." read as "C:\\work"), so the state file refuses it. */
static const char *nul_escape(const char *text) {
    bool in_string = false;
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            in_string = !in_string;
        else if (in_string && *p == '\\') {
            if (p[1] == 'u' && strncmp(p + 2, "0000", 4) == 0)
                return p;
            if (p[1])
                p++; /* the escaped character, a quote included */
        }
    }
    return NULL;
}

static int parse_document(const char *text, cJSON **out, rf_error *err) {
    const char *end = NULL;
    const char *nul = nul_escape(text);
    if (nul)
        return rf_fail(err, -EINVAL, "parse state JSON: NUL (\\u0000) in a string at byte %llu",
                       (unsigned long long)(nul - text));
    *out = cJSON_ParseWithOpts(text, &end, true);
    if (!*out)
        return rf_fail(err, -EINVAL, "parse state JSON: invalid JSON at byte %llu",
                       (unsigned long long)(end ? end - text : 0));
    return 0;
}

static int check_fields(const cJSON *doc, rf_error *err) {
    static const char *const known[] = {"version", "readonly_sid", "roots", "grants"};
    for (const cJSON *f = doc->child; f; f = f->next) {
        bool ok = false;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            ok = ok || strcmp(f->string, known[k]) == 0;
        if (!ok)
            return rf_fail(err, -EINVAL, "state file: unknown field '%s'", f->string);
        /* cJSON keeps both copies of a repeated name and reads the first; a
         * second "grants" would hide from ungrant what the first one lists. */
        if (cJSON_GetObjectItemCaseSensitive(doc, f->string) != f)
            return rf_fail(err, -EINVAL, "state file: field '%s' appears twice", f->string);
    }
    return 0;
}

int rf_win_state_parse(const char *text, rf_win_state **out, rf_error *err) {
    cJSON *doc = NULL;
    rf_win_state *st = NULL;
    uint32_t version = 0;
    *out = NULL;
    int rc = parse_document(text, &doc, err);
    if (rc < 0)
        return rc;
    rc = rf_win_state_new(&st, err);
    if (rc < 0)
        goto out;
    if (!cJSON_IsObject(doc) || !get_uint(doc, "version", UINT32_MAX, &version) ||
        version != STATE_VERSION) {
        rc = rf_fail(err, -EINVAL, "state file field 'version': want %d", STATE_VERSION);
        goto out;
    }
    rc = check_fields(doc, err);
    if (rc < 0)
        goto out;
    const cJSON *ro = cJSON_GetObjectItemCaseSensitive(doc, "readonly_sid");
    if (cJSON_IsString(ro)) {
        rc = check_synthetic("readonly_sid", ro->valuestring, err);
        if (rc < 0)
            goto out;
        snprintf(st->readonly_sid, sizeof st->readonly_sid, "%s", ro->valuestring);
    } else if (ro && !cJSON_IsNull(ro)) {
        rc = rf_fail(err, -EINVAL, "state file field 'readonly_sid': not a string or null");
        goto out;
    }
    rc = parse_roots(st, cJSON_GetObjectItemCaseSensitive(doc, "roots"), err);
    if (rc == 0)
        rc = parse_grants(st, cJSON_GetObjectItemCaseSensitive(doc, "grants"), err);
out:
    cJSON_Delete(doc);
    if (rc < 0)
        rf_win_state_free(st);
    else
        *out = st;
    return rc;
}

/* {"path": ..., "sid": ...} appended to `list`; NULL when out of memory. */
static cJSON *add_entry(cJSON *list, const char *path, const char *sid) {
    cJSON *entry = cJSON_CreateObject();
    if (!entry || !cJSON_AddItemToArray(list, entry)) {
        cJSON_Delete(entry);
        return NULL;
    }
    if (!cJSON_AddStringToObject(entry, "path", path) || !cJSON_AddStringToObject(entry, "sid", sid))
        return NULL;
    return entry;
}

static bool build_document(const rf_win_state *st, cJSON *doc) {
    cJSON *roots, *grants;
    if (!cJSON_AddNumberToObject(doc, "version", STATE_VERSION) ||
        !(st->readonly_sid[0] ? cJSON_AddStringToObject(doc, "readonly_sid", st->readonly_sid)
                              : cJSON_AddNullToObject(doc, "readonly_sid")) ||
        !(roots = cJSON_AddArrayToObject(doc, "roots")) ||
        !(grants = cJSON_AddArrayToObject(doc, "grants")))
        return false;
    for (size_t i = 0; i < st->n_roots; i++)
        if (!add_entry(roots, st->roots[i].path, st->roots[i].sid))
            return false;
    for (size_t i = 0; i < st->n_grants; i++) {
        const rf_ace *g = &st->grants[i];
        cJSON *entry = add_entry(grants, g->path, g->sid);
        if (!entry ||
            !cJSON_AddStringToObject(entry, "type", g->type == RF_ACE_DENY ? "deny" : "allow") ||
            !cJSON_AddNumberToObject(entry, "mask", g->mask) ||
            !cJSON_AddNumberToObject(entry, "inherit", g->inherit))
            return false;
    }
    return true;
}

int rf_win_state_to_json(const rf_win_state *st, char **out, rf_error *err) {
    cJSON *doc = cJSON_CreateObject();
    char *text = doc && build_document(st, doc) ? cJSON_Print(doc) : NULL;
    cJSON_Delete(doc);
    if (!text)
        return rf_fail(err, -ENOMEM, "serialize Windows state: out of memory");
    /* cJSON's buffer, handed to callers that free() it: copy it with the
     * trailing newline the file has always had. */
    size_t len = strlen(text);
    *out = malloc(len + 2);
    if (*out) {
        memcpy(*out, text, len);
        memcpy(*out + len, "\n", 2);
    }
    cJSON_free(text);
    if (!*out)
        return rf_fail(err, -ENOMEM, "serialize Windows state: out of memory");
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
