/*
 * wine_core_test.c — core's policy loader and env builder as built for
 * Windows (core/path_resolve_win.c, core/policy_file_win.c,
 * core/protected_name.c, core/policy_list.c, env/env_build.c), run under
 * Wine on Linux (and as is on Windows): Windows paths, `~`, drive and share
 * roots, resolution of the longest existing prefix, containment without
 * regard to case, protected names with '\', the policy merge's root checks,
 * and the environment's case-insensitive names and ';' PATH.
 *
 * Nothing here is about the boundary; Wine enforces no DACL anyway.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/win32.h"
#include "core/path_resolve.h"
#include "core/policy.h"
#include "core/policy_internal.h"
#include "env/env.h"
#include "tests/check.h"

static char scratch[1024]; /* a fresh folder under %TEMP%, its final path */

static void mkdir_in(const char *rel) {
    char path[1200];
    snprintf(path, sizeof path, "%s\\%s", scratch, rel);
    wchar_t *w = NULL;
    if (rf_win_wide(path, &w, NULL) == 0)
        CreateDirectoryW(w, NULL);
    free(w);
}

static void test_path_facts(void) {
    static const struct {
        const char *path;
        bool absolute, fs_root;
        const char *dir;
    } cases[] = {
        {"C:\\x\\y", true, false, "C:\\x"},
        {"c:/x", true, false, "c:/"}, /* the root kept as written */
        {"C:\\", true, true, "C:\\"},
        {"\\\\srv\\share\\x", true, false, "\\\\srv\\share"},
        {"\\\\srv\\share", true, true, "\\\\srv\\share"},
        {"\\\\srv\\share\\", true, true, "\\\\srv\\share"},
        {"\\x", false, false, NULL},
        {"C:x", false, false, NULL},
        {"x\\y", false, false, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK(rf_path_is_absolute(cases[i].path) == cases[i].absolute, "absolute(%s)",
              cases[i].path);
        CHECK(rf_path_is_fs_root(cases[i].path) == cases[i].fs_root, "fs_root(%s)",
              cases[i].path);
        if (cases[i].dir) {
            char *dir = rf_path_dir_of(cases[i].path);
            CHECK_STR_EQ(dir, cases[i].dir, "dir_of(%s)", cases[i].path);
            free(dir);
        }
    }
    static const struct {
        const char *path, *dir;
        bool within;
    } within[] = {
        {"C:\\Work\\a", "c:\\work", true},  {"C:\\work", "C:\\Work", true},
        {"C:\\workx", "C:\\work", false},   {"C:\\x", "C:\\", true},
        {"C:/work/a", "C:\\work", true},    {"D:\\work", "C:\\work", false},
    };
    for (size_t i = 0; i < sizeof within / sizeof within[0]; i++)
        CHECK(rf_path_within(within[i].path, within[i].dir) == within[i].within,
              "within(%s, %s)", within[i].path, within[i].dir);
}

static void test_expand(void) {
    static const struct {
        const char *path, *want; /* want NULL: refused */
    } cases[] = {
        {"~", "C:\\Users\\u"},
        {"~\\p", "C:\\Users\\u\\p"},
        {"~/p/q", "C:\\Users\\u\\p/q"},
        {"rel\\x", "C:\\base\\rel\\x"},
        {"D:\\abs", "D:\\abs"},
        {"\\x", NULL},
        {"C:x", NULL},
        {"~bob\\x", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        rf_error err = {0};
        int rc = rf_path_expand(cases[i].path, "C:\\base", "C:\\Users\\u", "f", &out, &err);
        if (cases[i].want)
            CHECK_STR_EQ(out, cases[i].want, "expand(%s): %s", cases[i].path, err.message);
        else
            CHECK(rc == RF_EPOLICY && strcmp(err.field, "f") == 0, "expand(%s) is refused",
                  cases[i].path);
        free(out);
    }
}

static void test_resolve(void) {
    mkdir_in("ws");
    mkdir_in("ws\\sub");
    mkdir_in("Other");
    static const struct {
        const char *given, *want_rel; /* relative to the scratch folder */
    } cases[] = {
        {"ws", "ws"},
        {"ws\\.\\sub\\..\\sub", "ws\\sub"},
        {"ws/sub/", "ws\\sub"},
        {"other", "Other"},
        {"ws\\missing\\deeper", "ws\\missing\\deeper"},
        {"ws\\..\\..\\", NULL}, /* the scratch folder's parent */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char given[1200], want[1200];
        snprintf(given, sizeof given, "%s\\%s", scratch, cases[i].given);
        char *out = NULL;
        rf_error err = {0};
        int rc = rf_path_resolve(given, "f", &out, &err);
        CHECK(rc == 0, "resolve(%s): %s", given, err.message);
        if (cases[i].want_rel) {
            snprintf(want, sizeof want, "%s\\%s", scratch, cases[i].want_rel);
            CHECK_STR_EQ(out, want, "resolve(%s)", cases[i].given);
        } else {
            char *parent = rf_path_dir_of(scratch);
            CHECK_STR_EQ(out, parent, "resolve(%s) climbs once", cases[i].given);
            free(parent);
        }
        free(out);
    }
    char *out = NULL;
    rf_error err = {0};
    CHECK(rf_path_resolve("Q:\\nothere\\x", "f", &out, &err) == 0 &&
              out && strcmp(out, "Q:\\nothere\\x") == 0,
          "a missing drive stays lexical: %s", out ? out : err.message);
    free(out);
    CHECK(rf_path_resolve("rel\\x", "f", &out, &err) == RF_EPOLICY, "a relative path is refused");
}

static void test_protected_names(void) {
    static const struct {
        const char *name, *want;
    } cases[] = {
        {".git", ".git"}, {"a\\b", "a/b"}, {".\\a\\\\b\\", "a/b"},
        {"C:x", NULL},    {"\\x", NULL},   {"a\\..\\b", NULL},
        {"a:stream", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        rf_error err = {0};
        rf_protected_name_normalize(cases[i].name, "protected[0]", &out, &err);
        if (cases[i].want)
            CHECK_STR_EQ(out, cases[i].want, "protected %s: %s", cases[i].name, err.message);
        else
            CHECK(out == NULL && err.code == RF_EPOLICY, "protected %s is refused",
                  cases[i].name);
        free(out);
    }
}

static void test_load(void) {
    mkdir_in("home");
    mkdir_in("home\\proj");
    char home[1200], cwd[1200];
    snprintf(home, sizeof home, "%s\\home", scratch);
    snprintf(cwd, sizeof cwd, "%s\\home\\proj", scratch);
    static const struct {
        const char *json;
        const char *field; /* NULL: loads */
        const char *reason;
    } cases[] = {
        {"{\"version\": 1}", NULL, "defaults: the workspace is the current folder"},
        {"{\"version\": 1, \"writable_roots\": [\"..\"]}", "writable_roots[0]",
         "the home folder itself is refused"},
        {"{\"version\": 1, \"workspace\": \"..\\\\..\"}", "workspace",
         "a folder holding the home folder is refused"},
        {"{\"version\": 1, \"writable_roots\": [\"C:\\\\\"]}", "writable_roots[0]",
         "a drive root is refused"},
        {"{\"version\": 1, \"protected\": [\"C:\\\\x\"]}", "protected[0]",
         "an absolute protected name is refused"},
        {"{\"version\": 1, \"deny_read\": [\"~\\\\secret\"], \"protected\": [\"a\\\\b\"]}", NULL,
         "deny_read under ~ and a protected name with '\\'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_load_options opts = {.cwd = cwd, .home = home};
        rf_policy *policy = NULL;
        rf_error err = {0};
        int rc = rf_policy_load_buffer(&opts, cases[i].json, strlen(cases[i].json), cwd, &policy,
                                       &err);
        if (!cases[i].field) {
            CHECK(rc == 0, "%s: %s", cases[i].reason, err.message);
            if (policy)
                CHECK_STR_EQ(policy->workspace, cwd, "%s: workspace", cases[i].reason);
        } else {
            CHECK(rc == RF_EPOLICY && strcmp(err.field, cases[i].field) == 0,
                  "%s: rc %d field '%s' (%s)", cases[i].reason, rc, err.field, err.message);
        }
        if (rc == 0 && i == 5) {
            char want[1300];
            snprintf(want, sizeof want, "%s\\secret", home);
            CHECK(rf_list_contains(&policy->deny_read, want), "deny_read holds %s", want);
            CHECK(rf_list_contains(&policy->protected_names, "a/b"), "protected holds a/b");
            rf_list paths = {0};
            rf_policy_protected_paths(policy, &paths);
            snprintf(want, sizeof want, "%s\\a/b", cwd);
            CHECK(rf_list_contains(&paths, want), "protected path %s", want);
            rf_list_free(&paths);
        }
        rf_policy_free(policy);
    }
}

static void test_env(void) {
    char *parent[] = {"Path=C:\\w", "No_Proxy=x.invalid", "github_token=t", "KEEP=1", NULL};
    const char *scrub[] = {"*_TOKEN"};
    rf_env_spec spec = {
        .parent = parent,
        .scrub = scrub,
        .n_scrub = 1,
        .network_off = true,
        .denybin_dir = "C:\\rf\\denybin",
    };
    char **env = NULL;
    rf_error err = {0};
    CHECK(rf_env_build(&spec, &env, &err) == 0, "%s", err.message);
    if (!env)
        return;
    CHECK_STR_EQ(rf_env_get(env, "path"), "C:\\rf\\denybin;C:\\w",
                 "denybin first, ';', the parent's Path replaced whatever its case");
    CHECK(rf_env_get(env, "NO_PROXY") == NULL, "No_Proxy removed whatever its case");
    CHECK(rf_env_get(env, "GITHUB_TOKEN") == NULL, "github_token scrubbed by *_TOKEN");
    CHECK_STR_EQ(rf_env_get(env, "KEEP"), "1", "other variables stay");
    const char *ssh = rf_env_get(env, "GIT_SSH_COMMAND");
    CHECK(ssh && strstr(ssh, "ssh blocked") && strstr(ssh, "exit 1"),
          "GIT_SSH_COMMAND has the Windows value");
    size_t paths = 0;
    for (char **e = env; *e; e++)
        paths += _strnicmp(*e, "PATH=", 5) == 0;
    CHECK(paths == 1, "one PATH entry, not Path and PATH (%zu)", paths);
    rf_env_free(env);
    spec.denybin_dir = "rf\\denybin";
    CHECK(rf_env_build(&spec, &env, &err) < 0, "a relative denybin folder is refused");
    spec.denybin_dir = "C:\\a;C:\\b";
    CHECK(rf_env_build(&spec, &env, &err) < 0, "a denybin folder with ';' is refused");
}

static void remove_tree(const char *dir) {
    static const char *const rels[] = {"ws\\sub", "ws", "Other", "home\\proj", "home", ""};
    for (size_t i = 0; i < sizeof rels / sizeof rels[0]; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s%s%s", dir, rels[i][0] ? "\\" : "", rels[i]);
        wchar_t *w = NULL;
        if (rf_win_wide(path, &w, NULL) == 0)
            RemoveDirectoryW(w);
        free(w);
    }
}

int wmain(void) {
    wchar_t tmp[MAX_PATH];
    GetTempPathW(MAX_PATH, tmp);
    wchar_t dir[MAX_PATH + 64];
    _snwprintf(dir, MAX_PATH + 64, L"%lsrf-core-%lu", tmp, (unsigned long)GetCurrentProcessId());
    CreateDirectoryW(dir, NULL);
    char *d = NULL, *final = NULL;
    rf_win_narrow(dir, &d, NULL);
    rf_error err = {0};
    if (!d || rf_win_canonical_dir(d, &final, &err) < 0) {
        fprintf(stderr, "wine_core_test: scratch folder: %s\n", err.message);
        return 1;
    }
    snprintf(scratch, sizeof scratch, "%s", final);
    test_path_facts();
    test_expand();
    test_resolve();
    test_protected_names();
    test_load();
    test_env();
    remove_tree(scratch);
    free(d);
    free(final);
    return check_summary("wine_core_test");
}
