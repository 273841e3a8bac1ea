/*
 * policy_json_test.c — rf_policy_to_json: key order, plain values, values
 * with sources, stable bytes, and that the plain form loads back as a policy
 * giving the same result.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "core/ringfence.h"
#include "tests/check.h"
#include "tests/unit/policy_fixture.h"

static const char *const key_order[] = {
    "version",   "policy_file", "managed_file", "workspace", "writable_roots", "protected",
    "deny_read", "network",     "tmp",          "env",       "backend",        "require",
};

static rf_policy *load(const char *user, const char *managed) {
    rf_load_options opts = {
        .policy_file = user,
        .managed_file = managed,
        .cwd = fx_path("ws"),
        .home = fx_path("home"),
        .overrides = {.network = "on"},
    };
    rf_policy *policy = NULL;
    rf_error err;
    int rc = rf_policy_load(&opts, &policy, &err);
    CHECK(rc == 0, "load: rc %d (%s)", rc, err.message);
    return policy;
}

/* `path` is "a.b" or "a.b[i]"... resolved step by step; NULL when missing. */
static const cJSON *at(const cJSON *node, const char *key, int index) {
    node = cJSON_GetObjectItemCaseSensitive(node, key);
    if (node && index >= 0)
        node = cJSON_GetArrayItem(node, index);
    return node;
}

static const char *str(const cJSON *node) {
    return cJSON_IsString(node) ? node->valuestring : NULL;
}

typedef struct sourced_case {
    const char *key;    /* top-level key, or "env.set" */
    const char *member; /* for env.set: the variable name; NULL otherwise */
    int index;          /* list index, -1 for a scalar */
    const char *value;  /* @ROOT@ substituted */
    const char *source;
} sourced_case;

static const sourced_case sourced[] = {
    {"workspace", NULL, -1, "@ROOT@/ws", "policy"},
    {"writable_roots", NULL, 0, "@ROOT@/ws", "policy"},
    {"writable_roots", NULL, 1, "@ROOT@/other", "policy"},
    {"protected", NULL, 0, ".git", "policy"},
    {"protected", NULL, 1, ".corp", "managed"},
    {"network", NULL, -1, "off", "managed"},
    {"tmp", NULL, -1, "private", "default"},
    {"backend", NULL, -1, "none", "policy"},
    {"require", NULL, 0, "writes", "managed"},
    {"env.set", "A", -1, "1", "policy"},
    {"env.set", "CORP", -1, "yes", "managed"},
};

static void test_with_and_without_sources(void) {
    char *user = strdup(fx_policy(
        "policies/proj/p.json",
        "{\"version\": 1, \"workspace\": \"@ROOT@/ws\", \"writable_roots\": [\"@ROOT@/other\"],"
        " \"protected\": [\".git\"], \"backend\": \"none\","
        " \"env\": {\"set\": {\"A\": \"1\"}}}"));
    char *managed =
        strdup(fx_policy("policies/managed.json",
                         "{\"version\": 1, \"network\": \"off\", \"protected\": [\".corp\"],"
                         " \"require\": [\"writes\"], \"env\": {\"set\": {\"CORP\": \"yes\"}}}"));
    rf_policy *policy = load(user, managed);
    if (!policy)
        return;
    char *plain = rf_policy_to_json(policy, false);
    char *with = rf_policy_to_json(policy, true);
    CHECK(plain && with, "to_json returned NULL");
    cJSON *p = cJSON_Parse(plain ? plain : "");
    cJSON *w = cJSON_Parse(with ? with : "");
    CHECK(p && w, "to_json output is not JSON: %s", plain ? plain : "(null)");

    for (int pass = 0; pass < 2 && p && w; pass++) {
        const cJSON *root = pass ? w : p;
        size_t i = 0;
        for (const cJSON *e = root->child; e; e = e->next, i++)
            CHECK(i < sizeof key_order / sizeof key_order[0] &&
                      strcmp(e->string, key_order[i]) == 0,
                  "pass %d: key %zu is %s, want %s", pass, i, e->string,
                  i < sizeof key_order / sizeof key_order[0] ? key_order[i] : "(none)");
        CHECK(i == sizeof key_order / sizeof key_order[0], "pass %d: %zu keys", pass, i);
        CHECK_STR_EQ(str(at(root, "policy_file", -1)), fx_path("policies/proj/p.json"),
                     "pass %d: policy_file", pass);
        CHECK_STR_EQ(str(at(root, "managed_file", -1)), fx_path("policies/managed.json"),
                     "pass %d: managed_file", pass);
        const cJSON *version = at(root, "version", -1);
        CHECK(cJSON_IsNumber(version) && version->valuedouble == 1, "pass %d: version", pass);
    }

    for (size_t i = 0; p && w && i < sizeof sourced / sizeof sourced[0]; i++) {
        const sourced_case *c = &sourced[i];
        char *want = fx_subst(c->value);
        const cJSON *pn, *wn;
        if (c->member) {
            const cJSON *pe = at(p, "env", -1), *we = at(w, "env", -1);
            pn = at(at(pe, "set", -1), c->member, -1);
            wn = at(at(we, "set", -1), c->member, -1);
        } else {
            pn = at(p, c->key, c->index);
            wn = at(w, c->key, c->index);
        }
        CHECK_STR_EQ(str(pn), want, "plain %s[%d]%s", c->key, c->index, c->member ? c->member : "");
        CHECK_STR_EQ(str(at(wn, "value", -1)), want, "sourced %s value", c->key);
        CHECK_STR_EQ(str(at(wn, "source", -1)), c->source, "sourced %s[%d] source", c->key,
                     c->index);
        free(want);
    }

    /* Same policy, same bytes: the audit log hashes this text. */
    rf_policy *again = load(user, managed);
    char *plain2 = again ? rf_policy_to_json(again, false) : NULL;
    char *with2 = again ? rf_policy_to_json(again, true) : NULL;
    CHECK_STR_EQ(plain2, plain, "plain output is stable across loads");
    CHECK_STR_EQ(with2, with, "sourced output is stable across loads");

    cJSON_Delete(p);
    cJSON_Delete(w);
    free(plain);
    free(with);
    free(plain2);
    free(with2);
    rf_policy_free(again);
    rf_policy_free(policy);
    unlink(managed);
    unlink(user);
    free(managed);
    free(user);
}

/* The plain form, minus the two file keys, is itself a valid policy that
 * normalizes to the same thing. */
static void test_round_trip(void) {
    char *user = strdup(
        fx_policy("policies/proj/p.json",
                  "{\"version\": 1, \"writable_roots\": [\"../../other\", \"@ROOT@/ws/link_out\"],"
                  " \"deny_read\": [\"~/x\"], \"tmp\": \"shared\", \"env\": {\"scrub\": [\"Q_*\"]},"
                  " \"require\": [\"deny_read\", \"writes\"]}"));
    rf_policy *first = load(user, NULL);
    char *text = first ? rf_policy_to_json(first, false) : NULL;
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    CHECK(doc != NULL, "round trip: first output parses");
    if (!doc) {
        rf_policy_free(first);
        free(text);
        free(user);
        return;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "policy_file");
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "managed_file");
    char *as_policy = cJSON_PrintUnformatted(doc);
    fx_write_abs(fx_path("policies/proj/p.json"), as_policy, 0);
    rf_policy *second = load(user, NULL);
    char *text2 = second ? rf_policy_to_json(second, false) : NULL;
    CHECK_STR_EQ(text2, text, "round trip: the output reloads to the same policy");
    cJSON_Delete(doc);
    free(as_policy);
    free(text);
    free(text2);
    rf_policy_free(first);
    rf_policy_free(second);
    unlink(user);
    free(user);
}

int main(void) {
    fx_setup();
    test_with_and_without_sources();
    test_round_trip();
    fx_teardown();
    return check_summary("policy_json_test");
}
