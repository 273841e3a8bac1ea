/*
 * policy_load_test.c — successful loads: defaults, path resolution (relative
 * to the file's folder, `~`, symlinks), the command-line overrides and every
 * rule of the merge with the managed policy.  Each case is a set of inputs and
 * a list of (key, value, source) expectations on the normalized policy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "core/ringfence.h"
#include "env/env.h"
#include "tests/check.h"
#include "tests/unit/policy_fixture.h"

enum { ABSENT = -1, ANY = -2 };
#define D RF_SRC_DEFAULT
#define U RF_SRC_USER
#define M RF_SRC_MANAGED
#define F RF_SRC_FLAG

/* key: "workspace", "network", "tmp", "backend" (scalars); "writable_roots",
 * "protected", "deny_read", "env.scrub", "env.set", "require" (lists: the
 * value is present with that source, or ABSENT); "count:LIST" (value is the
 * length); "first:writable_roots" (items[0]). */
typedef struct expect {
    const char *key;
    const char *value; /* @ROOT@ substituted */
    int source;        /* rf_source, ABSENT or ANY */
} expect;

#define MAX_EXPECT 32

typedef struct load_case {
    const char *reason;
    const char *user_json; /* ROOT/policies/proj/p.json; NULL: none */
    const char *managed_json;
    const char *flag_workspace, *flag_allow, *flag_network, *flag_backend, *flag_require;
    expect expects[MAX_EXPECT];
} load_case;

static const load_case cases[] = {
    {"defaults only", .expects = {{"workspace", "@ROOT@/ws", D},
                                  {"first:writable_roots", "@ROOT@/ws", D},
                                  {"count:writable_roots", "1", ANY},
                                  {"protected", ".git", D},
                                  {"protected", ".codex", D},
                                  {"protected", ".agents", D},
                                  {"protected", ".ringfence", D},
                                  {"count:protected", "4", ANY},
                                  {"deny_read", "@ROOT@/home/.ssh", D},
                                  {"deny_read", "@ROOT@/home/.aws", D},
                                  {"deny_read", "@ROOT@/home/.gnupg", D},
                                  {"deny_read", "@ROOT@/home/.config/gcloud", D},
                                  {"deny_read", "@ROOT@/home/.kube", D},
                                  {"deny_read", "@ROOT@/home/.docker", D},
                                  {"network", "off", D},
                                  {"tmp", "private", D},
                                  {"backend", "auto", D},
                                  {"count:env.set", "0", ANY},
                                  {"count:require", "0", ANY}}},
    {"a user file: relative paths against its folder, ~, symlinks, duplicates",
     .user_json = "{\"version\": 1, \"workspace\": \"../../ws\","
                  " \"writable_roots\": [\"../../other\", \"~/proj\", \"@ROOT@/ws/link_out\","
                  "   \"../../ws\", \"../../other/\", \"../../ws/sub\"],"
                  " \"protected\": [\"./.git/\", \"a//b/\"],"
                  " \"deny_read\": [\"secret.txt\", \"~/missing/../.netrc\","
                  "   \"@ROOT@/ws/link_out/nothere/x\", \"~/.ssh\"],"
                  " \"network\": \"on\", \"tmp\": \"shared\","
                  " \"env\": {\"scrub\": [\"MY_*\"],"
                  "   \"set\": {\"A\": \"1\", \"EMPTY\": \"\", \"LIT\": \"\\\\u0000\"}},"
                  " \"backend\": \"none\", \"require\": [\"writes\", \"network\", \"writes\"]}",
     .expects = {{"workspace", "@ROOT@/ws", U},
                 {"first:writable_roots", "@ROOT@/ws", U},
                 {"writable_roots", "@ROOT@/other", U},
                 {"writable_roots", "@ROOT@/home/proj", U},
                 {"writable_roots", "@ROOT@/outside", U},
                 {"writable_roots", "@ROOT@/ws/sub", U},
                 {"count:writable_roots", "5", ANY},
                 {"protected", ".git", U},
                 {"protected", "a/b", U},
                 {"protected", ".codex", ABSENT},
                 {"deny_read", "@ROOT@/policies/proj/secret.txt", U},
                 {"deny_read", "@ROOT@/home/.netrc", U},
                 {"deny_read", "@ROOT@/outside/nothere/x", U},
                 {"deny_read", "@ROOT@/home/.ssh", D},
                 {"network", "on", U},
                 {"tmp", "shared", U},
                 {"env.scrub", "MY_*", U},
                 {"env.scrub", "*_TOKEN", D},
                 {"env.set", "A=1", U},
                 {"env.set", "EMPTY=", U},
                 {"env.set", "LIT=\\u0000", U},
                 {"backend", "none", U},
                 {"require", "writes", U},
                 {"require", "network", U},
                 {"require", "protected", ABSENT}}},
    {"an empty protected list opts out of every default",
     .user_json = "{\"version\": 1, \"protected\": []}",
     .expects = {{"count:protected", "0", ANY}, {"protected", ".git", ABSENT}}},
    {"flags: workspace replaces, allow-write appends, network/backend replace, require adds",
     .user_json = "{\"version\": 1, \"workspace\": \"@ROOT@/ws\", \"network\": \"off\","
                  " \"writable_roots\": [\"@ROOT@/outside\"],"
                  " \"backend\": \"unelevated\", \"require\": [\"writes\"]}",
     .flag_workspace = "../other", .flag_allow = "sub", .flag_network = "on",
     .flag_backend = "none", .flag_require = "network",
     .expects = {{"workspace", "@ROOT@/other", F},
                 {"first:writable_roots", "@ROOT@/other", F},
                 {"writable_roots", "@ROOT@/outside", U},
                 {"writable_roots", "@ROOT@/ws/sub", F},
                 {"writable_roots", "@ROOT@/ws", ABSENT},
                 {"count:writable_roots", "3", ANY},
                 {"network", "on", F},
                 {"backend", "none", F},
                 {"require", "writes", U},
                 {"require", "network", F}}},
    {"managed network off wins over the user and the flag",
     .user_json = "{\"version\": 1, \"network\": \"on\"}",
     .managed_json = "{\"version\": 1, \"network\": \"off\"}", .flag_network = "on",
     .expects = {{"network", "off", M}}},
    {"managed network on is a baseline the user may tighten",
     .user_json = "{\"version\": 1, \"network\": \"off\"}",
     .managed_json = "{\"version\": 1, \"network\": \"on\"}", .expects = {{"network", "off", U}}},
    {"managed network on applies when the user says nothing",
     .managed_json = "{\"version\": 1, \"network\": \"on\"}", .expects = {{"network", "on", M}}},
    {"managed tmp private wins", .user_json = "{\"version\": 1, \"tmp\": \"shared\"}",
     .managed_json = "{\"version\": 1, \"tmp\": \"private\"}", .expects = {{"tmp", "private", M}}},
    {"protected: the user's list replaces the defaults, the managed list adds on top",
     .user_json = "{\"version\": 1, \"protected\": [\".git\"]}",
     .managed_json = "{\"version\": 1, \"protected\": [\".secrets\", \".git\"]}",
     .expects = {{"protected", ".git", M},
                 {"protected", ".secrets", M},
                 {"protected", ".codex", ABSENT},
                 {"count:protected", "2", ANY}}},
    {"deny_read: user entries add to the defaults",
     .user_json = "{\"version\": 1, \"deny_read\": [\"~/x\"]}",
     .managed_json = "{\"version\": 1, \"network\": \"off\"}",
     .expects = {{"deny_read", "@ROOT@/home/x", U}, {"deny_read", "@ROOT@/home/.ssh", D}}},
    {"deny_read: the managed list, the defaults and the user's entries all add up",
     .user_json = "{\"version\": 1, \"deny_read\": [\"~/x\", \"../../outside\"]}",
     .managed_json = "{\"version\": 1, \"deny_read\": [\"@ROOT@/outside\", \"~/vault\"]}",
     .expects = {{"deny_read", "@ROOT@/outside", M},
                 {"deny_read", "@ROOT@/home/vault", M},
                 {"deny_read", "@ROOT@/home/x", U},
                 {"deny_read", "@ROOT@/home/.ssh", D},
                 {"count:deny_read", "10", ANY}}},
    {"env: scrub is a union, a managed set wins on a conflict",
     .user_json = "{\"version\": 1, \"env\": {\"scrub\": [\"U_*\"],"
                  " \"set\": {\"A\": \"1\", \"B\": \"2\"}}}",
     .managed_json = "{\"version\": 1, \"env\": {\"scrub\": [\"CORP_*\", \"U_*\"],"
                     " \"set\": {\"A\": \"9\"}}}",
     .expects = {{"env.scrub", "U_*", M},
                 {"env.scrub", "CORP_*", M},
                 {"env.scrub", "*_TOKEN", D},
                 {"env.set", "A=9", M},
                 {"env.set", "A=1", ABSENT},
                 {"env.set", "B=2", U},
                 {"count:env.set", "2", ANY}}},
    {"require: user, flag and managed add up",
     .user_json = "{\"version\": 1, \"require\": [\"writes\"]}",
     .managed_json = "{\"version\": 1, \"require\": [\"network\", \"writes\"]}",
     .flag_require = "process_tree",
     .expects = {{"require", "writes", M},
                 {"require", "network", M},
                 {"require", "process_tree", F},
                 {"require", "deny_read", ABSENT}}},
    {"backend: a managed choice applies when the user says nothing",
     .managed_json = "{\"version\": 1, \"backend\": \"unelevated\"}",
     .expects = {{"backend", "unelevated", M}}},
    {"backend: a user 'auto' defers to the managed choice",
     .user_json = "{\"version\": 1, \"backend\": \"auto\"}",
     .managed_json = "{\"version\": 1, \"backend\": \"unelevated\"}",
     .expects = {{"backend", "unelevated", M}}},
    {"backend: the same choice by user and managed is no conflict",
     .managed_json = "{\"version\": 1, \"backend\": \"elevated\"}", .flag_backend = "elevated",
     .expects = {{"backend", "elevated", M}}},
    {"backend: a managed 'auto' leaves the user's choice",
     .user_json = "{\"version\": 1, \"backend\": \"none\"}",
     .managed_json = "{\"version\": 1, \"backend\": \"auto\"}",
     .expects = {{"backend", "none", U}}},
    {"allowance: roots inside it pass (the allowance itself may contain home)",
     .user_json =
         "{\"version\": 1, \"writable_roots\": [\"@ROOT@/other\", \"@ROOT@/ws/link_out\"]}",
     .managed_json = "{\"version\": 1, \"writable_roots\": [\"@ROOT@\"]}",
     .expects = {{"writable_roots", "@ROOT@/other", U},
                 {"writable_roots", "@ROOT@/outside", U},
                 {"count:writable_roots", "3", ANY}}},
    {"allowance: entries are resolved too (a link in the allowance names its target)",
     .managed_json =
         "{\"version\": 1, \"writable_roots\": [\"@ROOT@/ws/link_out\", \"/nonexistent\"]}",
     .flag_workspace = "@ROOT@/outside",
     .expects = {{"workspace", "@ROOT@/outside", F}, {"count:writable_roots", "1", ANY}}},
};

static int list_source(const rf_list *list, const char *value) {
    for (size_t i = 0; i < list->len; i++)
        if (strcmp(list->items[i].value, value) == 0)
            return (int)list->items[i].source;
    return ABSENT;
}

static const rf_list *list_named(const rf_policy *p, const char *key) {
    if (strcmp(key, "writable_roots") == 0)
        return &p->writable_roots;
    if (strcmp(key, "protected") == 0)
        return &p->protected_names;
    if (strcmp(key, "deny_read") == 0)
        return &p->deny_read;
    if (strcmp(key, "env.scrub") == 0)
        return &p->env_scrub;
    if (strcmp(key, "env.set") == 0)
        return &p->env_set;
    return NULL;
}

/* Checks one expectation; returns a description of the mismatch or NULL. */
static void check_expect(const char *reason, const rf_policy *p, const expect *e) {
    char *want = fx_subst(e->value);
    const char *got = NULL;
    int source = ABSENT;
    size_t require_count = 0;
    for (int g = 0; g < RF_G_COUNT; g++)
        require_count += p->require[g];
    if (strcmp(e->key, "workspace") == 0) {
        got = p->workspace;
        source = (int)p->workspace_source;
    } else if (strcmp(e->key, "network") == 0) {
        got = p->network == RF_NET_ON ? "on" : "off";
        source = (int)p->network_source;
    } else if (strcmp(e->key, "tmp") == 0) {
        got = p->tmp == RF_TMP_SHARED ? "shared" : "private";
        source = (int)p->tmp_source;
    } else if (strcmp(e->key, "backend") == 0) {
        got = p->backend;
        source = (int)p->backend_source;
    } else if (strcmp(e->key, "first:writable_roots") == 0) {
        got = p->writable_roots.len ? p->writable_roots.items[0].value : "(empty)";
        source = p->writable_roots.len ? (int)p->writable_roots.items[0].source : ABSENT;
        CHECK_STR_EQ(p->workspace, got, "%s: items[0] is the workspace", reason);
    } else if (strcmp(e->key, "require") == 0) {
        int g = rf_guarantee_from_name(want);
        CHECK(g >= 0, "%s: bad test key %s", reason, want);
        got = want;
        source = g >= 0 && p->require[g] ? (int)p->require_source[g] : ABSENT;
        if (e->source == ABSENT)
            CHECK(source == ABSENT, "%s: require %s should be absent", reason, want);
        else
            CHECK(source == e->source, "%s: require %s source %d, want %d", reason, want, source,
                  e->source);
        free(want);
        return;
    } else if (strncmp(e->key, "count:", 6) == 0) {
        char count[32];
        const rf_list *list = list_named(p, e->key + 6);
        snprintf(count, sizeof count, "%zu",
                 strcmp(e->key + 6, "require") == 0 ? require_count
                 : list                             ? list->len
                                                    : 0);
        CHECK_STR_EQ(count, want, "%s: %s", reason, e->key);
        free(want);
        return;
    } else {
        const rf_list *list = list_named(p, e->key);
        CHECK(list != NULL, "%s: bad test key %s", reason, e->key);
        source = list ? list_source(list, want) : ABSENT;
        CHECK(source == e->source, "%s: %s item %s has source %d, want %d", reason, e->key, want,
              source, e->source);
        free(want);
        return;
    }
    CHECK_STR_EQ(got, want, "%s: %s", reason, e->key);
    if (e->source != ANY)
        CHECK(source == e->source, "%s: %s source %d, want %d", reason, e->key, source, e->source);
    free(want);
}

static void run_case(const load_case *c) {
    const char *user = c->user_json ? fx_policy("policies/proj/p.json", c->user_json) : NULL;
    const char *managed =
        c->managed_json ? fx_policy("policies/managed.json", c->managed_json) : NULL;
    char *allow = c->flag_allow ? fx_subst(c->flag_allow) : NULL;
    char *ws = c->flag_workspace ? fx_subst(c->flag_workspace) : NULL;
    const char *allow_list[] = {allow};
    const char *require_list[] = {c->flag_require};
    rf_load_options opts = {
        .policy_file = user,
        .managed_file = managed ? managed : fx_path("policies/absent.json"),
        .cwd = fx_path("ws"),
        .home = fx_path("home"),
        .overrides = {.workspace = ws,
                      .allow_write = allow_list,
                      .n_allow_write = allow ? 1 : 0,
                      .network = c->flag_network,
                      .backend = c->flag_backend,
                      .require = require_list,
                      .n_require = c->flag_require ? 1 : 0},
    };
    unsigned long long before = fx_fingerprint();
    rf_policy *policy = NULL;
    rf_error err;
    int rc = rf_policy_load(&opts, &policy, &err);
    CHECK(rc == 0 && policy != NULL, "%s: rc %d: %s", c->reason, rc, err.message);
    CHECK(fx_fingerprint() == before, "%s: the load changed the folder tree", c->reason);
    if (policy) {
        for (size_t i = 0; i < MAX_EXPECT && c->expects[i].key; i++)
            check_expect(c->reason, policy, &c->expects[i]);
        if (user)
            CHECK_STR_EQ(policy->policy_file, fx_path("policies/proj/p.json"),
                         "%s: policy_file recorded", c->reason);
        else
            CHECK(policy->policy_file == NULL, "%s: no policy_file", c->reason);
        if (managed)
            CHECK_STR_EQ(policy->managed_file, fx_path("policies/managed.json"),
                         "%s: managed_file recorded", c->reason);
        else
            CHECK(policy->managed_file == NULL, "%s: an absent managed file is none", c->reason);
    }
    rf_policy_free(policy);
    if (user)
        unlink(fx_path("policies/proj/p.json"));
    if (managed)
        unlink(fx_path("policies/managed.json"));
    free(allow);
    free(ws);
}

/* The defaults that do not depend on the fixture: every default scrub glob,
 * and the docker sockets (resolved: /var/run is often a link to /run). */
static void test_default_lists(void) {
    rf_load_options opts = {.cwd = fx_path("ws"), .home = fx_path("home")};
    rf_policy *policy = NULL;
    rf_error err;
    int rc = rf_policy_load(&opts, &policy, &err);
    CHECK(rc == 0, "defaults: rc %d (%s)", rc, err.message);
    if (!policy)
        return;
    size_t n = 0;
    const char *const *scrub = rf_env_default_scrub(&n);
    CHECK(policy->env_scrub.len == n, "defaults: %zu scrub globs, want %zu", policy->env_scrub.len,
          n);
    for (size_t i = 0; i < n; i++)
        CHECK(list_source(&policy->env_scrub, scrub[i]) == RF_SRC_DEFAULT,
              "defaults: scrub glob %s", scrub[i]);
    const char *socket_dirs[] = {"/run", "/var/run"};
    for (size_t i = 0; i < 2; i++) {
        char dir[PATH_MAX], want[PATH_MAX + 16];
        if (!realpath(socket_dirs[i], dir))
            continue; /* no such folder on this machine */
        snprintf(want, sizeof want, "%s/docker.sock", dir);
        CHECK(list_source(&policy->deny_read, want) == RF_SRC_DEFAULT,
              "defaults: deny_read holds %s", want);
    }
    rf_policy_free(policy);
}

/* With options->home NULL, `~` is $HOME; relative paths follow the policy
 * file's real folder even when the file is reached through a link. */
static void test_home_env_and_linked_file(void) {
    fx_policy("policies/proj/p.json", "{\"version\": 1, \"workspace\": \"~/proj\","
                                      " \"writable_roots\": [\"../../other\"]}");
    fx_symlink("proj/p.json", "policies/link.json");
    setenv("HOME", fx_path("home"), 1);
    rf_load_options opts = {.policy_file = fx_path("policies/link.json"), .cwd = fx_path("ws")};
    rf_policy *policy = NULL;
    rf_error err;
    int rc = rf_policy_load(&opts, &policy, &err);
    CHECK(rc == 0, "$HOME: rc %d (%s)", rc, err.message);
    if (policy) {
        CHECK_STR_EQ(policy->workspace, fx_path("home/proj"), "~ follows $HOME");
        CHECK_STR_EQ(policy->policy_file, fx_path("policies/proj/p.json"),
                     "the policy file is recorded resolved");
        CHECK(list_source(&policy->writable_roots, fx_path("other")) == RF_SRC_USER,
              "relative paths resolve against the linked file's real folder");
    }
    rf_policy_free(policy);
    unlink(fx_path("policies/link.json"));
    unlink(fx_path("policies/proj/p.json"));
}

/* A relative policy_file is found from options->cwd. */
static void test_relative_policy_file(void) {
    fx_policy("ws/.ringfence.json", "{\"version\": 1, \"tmp\": \"shared\"}");
    rf_load_options opts = {
        .policy_file = ".ringfence.json", .cwd = fx_path("ws"), .home = fx_path("home")};
    rf_policy *policy = NULL;
    rf_error err;
    int rc = rf_policy_load(&opts, &policy, &err);
    CHECK(rc == 0 && policy && policy->tmp == RF_TMP_SHARED, "relative policy file: rc %d (%s)", rc,
          err.message);
    rf_policy_free(policy);
    unlink(fx_path("ws/.ringfence.json"));
}

int main(void) {
    fx_setup();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i]);
    test_default_lists();
    test_home_env_and_linked_file();
    test_relative_policy_file();
    fx_teardown();
    return check_summary("policy_load_test");
}
