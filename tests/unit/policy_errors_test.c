/*
 * policy_errors_test.c — every validation error of rf_policy_load: the
 * returned code, the field named, the message (value and reason), no policy
 * handed back, and nothing on disk changed.
 */
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "core/ringfence.h"
#include "tests/check.h"
#include "tests/unit/policy_fixture.h"

typedef struct error_case {
    const char *reason;
    const char *user_json;    /* written to ROOT/policies/proj/p.json; NULL: none */
    const char *user_path;    /* load this path instead (may use @ROOT@) */
    const char *managed_json; /* written to ROOT/policies/managed.json; NULL: none */
    const char *managed_path; /* load this managed path instead */
    const char *flag_workspace, *flag_allow, *flag_network, *flag_backend, *flag_require;
    const char *cwd; /* options.cwd (may use @ROOT@); NULL: ROOT/ws */
    const char *want_field;
    const char *want_text;  /* a substring of the message (may use @ROOT@) */
    const char *want_text2; /* another one, or NULL */
} error_case;

static const error_case cases[] = {
    /* ---- document ---- */
    {"truncated JSON", .user_json = "{\"version\": 1,", .want_field = "(json)",
     .want_text = "invalid JSON at line 1", .want_text2 = "policies/proj/p.json"},
    {"syntax error on line 3 gets its line and column",
     .user_json = "{\n  \"version\": 1\n  \"network\": \"on\"\n}", .want_field = "(json)",
     .want_text = "line 3, column 3"},
    {"trailing garbage after the document", .user_json = "{\"version\": 1} x",
     .want_field = "(json)", .want_text = "invalid JSON"},
    {"empty file", .user_json = "", .want_field = "(json)", .want_text = "invalid JSON"},
    {"an escaped NUL would cut a string short",
     .user_json = "{\"version\": 1,\n \"workspace\": \"/tmp\\u0000/x\"}", .want_field = "(json)",
     .want_text = "\"\\u0000\" at line 2, column 20"},
    {"an escaped NUL in a key", .user_json = "{\"version\": 1, \"tmp\\u0000x\": \"shared\"}",
     .want_field = "(json)", .want_text = "NUL is not allowed"},
    {"top level is not an object", .user_json = "[1, 2]", .want_field = "(root)",
     .want_text = "expected a JSON object, got an array: [1,2]"},
    {"missing version", .user_json = "{\"network\": \"on\"}", .want_field = "version",
     .want_text = "missing"},
    {"unsupported version", .user_json = "{\"version\": 2}", .want_field = "version",
     .want_text = "unsupported version 2"},
    {"version of the wrong type", .user_json = "{\"version\": \"1\"}", .want_field = "version",
     .want_text = "expected the number 1, got a string: \"1\""},
    {"unknown top-level key", .user_json = "{\"version\": 1, \"netwrok\": \"on\"}",
     .want_field = "netwrok", .want_text = "unknown key"},
    {"unknown key inside env", .user_json = "{\"version\": 1, \"env\": {\"unset\": []}}",
     .want_field = "env.unset", .want_text = "unknown key"},
    {"duplicate key (reviewers and parsers disagree on which counts)",
     .user_json = "{\"version\": 1, \"network\": \"off\", \"network\": \"on\"}",
     .want_field = "network", .want_text = "more than once"},
    {"duplicate key inside env.set",
     .user_json = "{\"version\": 1, \"env\": {\"set\": {\"A\": \"1\", \"A\": \"2\"}}}",
     .want_field = "env.set.A", .want_text = "more than once"},
    /* ---- types and enums ---- */
    {"workspace of the wrong type", .user_json = "{\"version\": 1, \"workspace\": 5}",
     .want_field = "workspace", .want_text = "expected a string, got a number: 5"},
    {"writable_roots not an array", .user_json = "{\"version\": 1, \"writable_roots\": \"/x\"}",
     .want_field = "writable_roots", .want_text = "expected an array of strings, got a string"},
    {"writable_roots item of the wrong type",
     .user_json = "{\"version\": 1, \"writable_roots\": [\"@ROOT@/other\", 7]}",
     .want_field = "writable_roots[1]", .want_text = "got a number: 7"},
    {"writable_roots item empty", .user_json = "{\"version\": 1, \"writable_roots\": [\"\"]}",
     .want_field = "writable_roots[0]", .want_text = "empty string"},
    {"deny_read item of the wrong type", .user_json = "{\"version\": 1, \"deny_read\": [null]}",
     .want_field = "deny_read[0]", .want_text = "got null"},
    {"bad network value", .user_json = "{\"version\": 1, \"network\": \"maybe\"}",
     .want_field = "network", .want_text = "expected \"off\" or \"on\", got \"maybe\""},
    {"network as a boolean", .user_json = "{\"version\": 1, \"network\": false}",
     .want_field = "network", .want_text = "got a boolean: false"},
    {"bad tmp value", .user_json = "{\"version\": 1, \"tmp\": \"public\"}", .want_field = "tmp",
     .want_text = "got \"public\""},
    {"unknown backend", .user_json = "{\"version\": 1, \"backend\": \"landlock\"}",
     .want_field = "backend", .want_text = "unknown backend \"landlock\""},
    {"escape sequences in a value are not echoed raw",
     .user_json = "{\"version\": 1, \"backend\": \"\\u001b[31mred\"}", .want_field = "backend",
     .want_text = "\"\\x1b[31mred\""},
    {"unknown guarantee", .user_json = "{\"version\": 1, \"require\": [\"writes\", \"magic\"]}",
     .want_field = "require[1]", .want_text = "unknown guarantee \"magic\""},
    {"require not an array", .user_json = "{\"version\": 1, \"require\": \"writes\"}",
     .want_field = "require", .want_text = "got a string"},
    {"env not an object", .user_json = "{\"version\": 1, \"env\": []}", .want_field = "env",
     .want_text = "got an array"},
    {"env.scrub item of the wrong type", .user_json = "{\"version\": 1, \"env\": {\"scrub\": [1]}}",
     .want_field = "env.scrub[0]", .want_text = "got a number: 1"},
    {"env.set value not a string",
     .user_json = "{\"version\": 1, \"env\": {\"set\": {\"FOO\": 1}}}", .want_field = "env.set.FOO",
     .want_text = "expected a string, got a number: 1"},
    {"env.set name with '='", .user_json = "{\"version\": 1, \"env\": {\"set\": {\"A=B\": \"x\"}}}",
     .want_field = "env.set.A=B", .want_text = "contains '='"},
    {"env.set empty name", .user_json = "{\"version\": 1, \"env\": {\"set\": {\"\": \"x\"}}}",
     .want_field = "env.set.\"\"", .want_text = "empty variable name"},
    {"empty top-level key", .user_json = "{\"version\": 1, \"\": 1}", .want_field = "\"\"",
     .want_text = "unknown key"},
    /* ---- protected names ---- */
    {"protected name absolute", .user_json = "{\"version\": 1, \"protected\": [\"/etc\"]}",
     .want_field = "protected[0]", .want_text = "\"/etc\" is absolute"},
    {"protected name climbing out", .user_json = "{\"version\": 1, \"protected\": [\"a/../../b\"]}",
     .want_field = "protected[0]", .want_text = "contains \"..\""},
    {"protected name empty", .user_json = "{\"version\": 1, \"protected\": [\".git\", \"\"]}",
     .want_field = "protected[1]", .want_text = "empty string"},
    {"protected name naming the root itself",
     .user_json = "{\"version\": 1, \"protected\": [\"./\"]}", .want_field = "protected[0]",
     .want_text = "the writable root itself"},
    {"protected name as a home path", .user_json = "{\"version\": 1, \"protected\": [\"~/.ssh\"]}",
     .want_field = "protected[0]", .want_text = "home path"},
    /* ---- paths ---- */
    {"~user is not supported", .user_json = "{\"version\": 1, \"workspace\": \"~bob/src\"}",
     .want_field = "workspace", .want_text = "\"~bob/src\": the ~user form"},
    {"workspace does not exist", .user_json = "{\"version\": 1, \"workspace\": \"../../nope\"}",
     .want_field = "workspace", .want_text = "\"../../nope\" resolved to \"@ROOT@/nope\"",
     .want_text2 = "No such file or directory"},
    {"workspace is a file", .user_json = "{\"version\": 1, \"workspace\": \"@ROOT@/file.txt\"}",
     .want_field = "workspace", .want_text = "is not a directory"},
    {"writable root does not exist",
     .user_json = "{\"version\": 1, \"writable_roots\": [\"@ROOT@/other\", \"@ROOT@/gone\"]}",
     .want_field = "writable_roots[1]", .want_text = "\"@ROOT@/gone\" cannot be used"},
    {"symlink loop", .user_json = "{\"version\": 1, \"writable_roots\": [\"@ROOT@/ws/loop_a\"]}",
     .want_field = "writable_roots[0]", .want_text = "Too many levels of symbolic links"},
    {"/ as a writable root", .user_json = "{\"version\": 1, \"writable_roots\": [\"/\"]}",
     .want_field = "writable_roots[0]", .want_text = "\"/\" is the root folder"},
    {"home as a writable root", .user_json = "{\"version\": 1, \"writable_roots\": [\"~\"]}",
     .want_field = "writable_roots[0]", .want_text = "\"@ROOT@/home\" is the home folder"},
    {"an ancestor of home as a writable root",
     .user_json = "{\"version\": 1, \"writable_roots\": [\"@ROOT@\"]}",
     .want_field = "writable_roots[0]", .want_text = "contains the home folder \"@ROOT@/home\""},
    {"home as the workspace, written as ~", .user_json = "{\"version\": 1, \"workspace\": \"~/\"}",
     .want_field = "workspace", .want_text = "is the home folder"},
    {"a symlink to home cannot sneak it in as a root",
     .user_json = "{\"version\": 1, \"writable_roots\": [\"@ROOT@/ws/link_home\"]}",
     .want_field = "writable_roots[0]", .want_text = "\"@ROOT@/home\" is the home folder"},
    /* ---- files ---- */
    {"policy file missing", .user_path = "@ROOT@/policies/none.json", .want_field = "policy_file",
     .want_text = "cannot read \"@ROOT@/policies/none.json\"", .want_text2 = "No such file"},
    {"policy file is a folder", .user_path = "@ROOT@/policies", .want_field = "policy_file",
     .want_text = "not a regular file"},
    /* ---- managed policy ---- */
    {"managed policy may not set the workspace",
     .managed_json = "{\"version\": 1, \"workspace\": \"/srv\"}", .want_field = "workspace",
     .want_text = "not allowed in the managed policy",
     .want_text2 = "managed policy \"@ROOT@/policies/managed.json\""},
    {"managed policy with invalid JSON", .managed_json = "{\"version\": 1,,}",
     .want_field = "(json)", .want_text = "invalid JSON",
     .want_text2 = "managed policy \"@ROOT@/policies/managed.json\""},
    {"managed policy with an unknown key", .managed_json = "{\"version\": 1, \"allow\": []}",
     .want_field = "allow", .want_text = "unknown key", .want_text2 = "managed policy"},
    {"managed policy present but unreadable (a folder)", .managed_path = "@ROOT@/policies/proj",
     .want_field = "managed_file", .want_text = "not a regular file"},
    {"workspace outside the managed allowance",
     .managed_json = "{\"version\": 1, \"writable_roots\": [\"@ROOT@/other\"]}",
     .want_field = "workspace", .want_text = "\"@ROOT@/ws\" is outside the managed allowance",
     .want_text2 = "[\"@ROOT@/other\"]"},
    {"user writable root outside the managed allowance",
     .user_json = "{\"version\": 1, \"writable_roots\": [\"@ROOT@/other\"]}",
     .managed_json = "{\"version\": 1, \"writable_roots\": [\"@ROOT@/ws\"]}",
     .want_field = "writable_roots[0]", .want_text = "\"@ROOT@/other\" is outside"},
    {"a symlink inside the allowance pointing outside is judged by its target",
     .flag_allow = "@ROOT@/ws/link_out",
     .managed_json = "{\"version\": 1, \"writable_roots\": [\"@ROOT@/ws\"]}",
     .want_field = "--allow-write", .want_text = "\"@ROOT@/outside\" is outside"},
    {"user backend conflicts with the managed one",
     .user_json = "{\"version\": 1, \"backend\": \"none\"}",
     .managed_json = "{\"version\": 1, \"backend\": \"unelevated\"}", .want_field = "backend",
     .want_text = "\"none\" conflicts with the managed policy", .want_text2 = "\"unelevated\""},
    {"flag backend conflicts with the managed one", .flag_backend = "elevated",
     .managed_json = "{\"version\": 1, \"backend\": \"unelevated\"}", .want_field = "--backend",
     .want_text = "\"elevated\" conflicts"},
    /* ---- flags ---- */
    {"--network with a bad value", .flag_network = "maybe", .want_field = "--network",
     .want_text = "got \"maybe\""},
    {"--backend unknown", .flag_backend = "docker", .want_field = "--backend",
     .want_text = "unknown backend \"docker\""},
    {"--require unknown", .flag_require = "everything", .want_field = "--require",
     .want_text = "unknown guarantee \"everything\""},
    {"--workspace missing", .flag_workspace = "nope", .want_field = "--workspace",
     .want_text = "\"nope\" resolved to \"@ROOT@/ws/nope\""},
    {"--allow-write /", .flag_allow = "/", .want_field = "--allow-write",
     .want_text = "root folder"},
    {"--allow-write empty", .flag_allow = "", .want_field = "--allow-write",
     .want_text = "empty path"},
    {"the default workspace (the current folder) is checked like any other", .cwd = "@ROOT@/home",
     .want_field = "workspace", .want_text = "is the home folder",
     .want_text2 = "the default workspace is the current folder"},
    {"file workspace is checked even when the flag replaces it",
     .user_json = "{\"version\": 1, \"workspace\": \"gone\"}", .flag_workspace = "@ROOT@/other",
     .want_field = "workspace", .want_text = "\"gone\""},
};

static void run_case(const error_case *c) {
    const char *user = NULL, *managed = NULL;
    char *user_path = NULL, *managed_path = NULL, *allow = NULL, *ws = NULL;
    char *cwd = fx_subst(c->cwd ? c->cwd : "@ROOT@/ws");
    if (c->user_json)
        user = fx_policy("policies/proj/p.json", c->user_json);
    if (c->user_path)
        user = user_path = fx_subst(c->user_path);
    if (c->managed_json)
        managed = fx_policy("policies/managed.json", c->managed_json);
    if (c->managed_path)
        managed = managed_path = fx_subst(c->managed_path);
    if (c->flag_allow)
        allow = fx_subst(c->flag_allow);
    if (c->flag_workspace)
        ws = fx_subst(c->flag_workspace);
    const char *allow_list[] = {allow};
    const char *require_list[] = {c->flag_require};
    rf_load_options opts = {
        .policy_file = user,
        .managed_file = managed ? managed : fx_path("policies/absent.json"),
        .cwd = cwd,
        .home = fx_path("home"),
        .overrides =
            {
                .workspace = ws,
                .allow_write = allow_list,
                .n_allow_write = allow ? 1 : 0,
                .network = c->flag_network,
                .backend = c->flag_backend,
                .require = require_list,
                .n_require = c->flag_require ? 1 : 0,
            },
    };
    unsigned long long before = fx_fingerprint();
    rf_policy *policy = (rf_policy *)0x1;
    rf_error err;
    int rc = rf_policy_load(&opts, &policy, &err);
    if (getenv("RF_TEST_VERBOSE")) /* to read the messages as a user would */
        printf("%-60.60s | %s\n", c->reason, err.message);
    CHECK(rc == RF_EPOLICY, "%s: rc %d, want RF_EPOLICY (%s)", c->reason, rc, err.message);
    CHECK(err.code == RF_EPOLICY, "%s: err.code %d", c->reason, err.code);
    CHECK(policy == NULL, "%s: a policy came back on failure", c->reason);
    CHECK_STR_EQ(err.field, c->want_field, "%s: field (message: %s)", c->reason, err.message);
    const char *texts[] = {c->want_text, c->want_text2};
    for (size_t i = 0; i < 2; i++) {
        if (!texts[i])
            continue;
        char *want = fx_subst(texts[i]);
        CHECK(strstr(err.message, want) != NULL, "%s: message '%s' lacks '%s'", c->reason,
              err.message, want);
        free(want);
    }
    CHECK(strchr(err.message, '\x1b') == NULL, "%s: raw escape in the message", c->reason);
    CHECK(fx_fingerprint() == before, "%s: the load changed the folder tree", c->reason);
    rf_policy_free(policy);
    if (user)
        unlink(fx_path("policies/proj/p.json"));
    if (c->managed_json)
        unlink(fx_path("policies/managed.json"));
    free(user_path);
    free(managed_path);
    free(allow);
    free(ws);
    free(cwd);
}

/* A NUL byte cannot be written in the table's C strings. */
static void nul_byte_case(void) {
    static const char doc[] = "{\"version\": 1,\n \"network\": \"on\0\"}";
    fx_write_abs(fx_path("policies/proj/p.json"), doc, sizeof doc - 1);
    rf_load_options opts = {.policy_file = fx_path("policies/proj/p.json"),
                            .cwd = fx_path("ws"),
                            .home = fx_path("home")};
    rf_policy *policy = NULL;
    rf_error err;
    int rc = rf_policy_load(&opts, &policy, &err);
    CHECK(rc == RF_EPOLICY, "NUL byte: rc %d", rc);
    CHECK_STR_EQ(err.field, "(json)", "NUL byte: field");
    CHECK(strstr(err.message, "NUL byte at line 2, column 16") != NULL, "NUL byte: message '%s'",
          err.message);
    rf_policy_free(policy);
    unlink(fx_path("policies/proj/p.json"));
}

int main(void) {
    fx_setup();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i]);
    nul_byte_case();
    fx_teardown();
    return check_summary("policy_errors_test");
}
