/*
 * path_resolve_test.c — symlink resolution with missing tails, `~` expansion,
 * protected-name normalization and message quoting.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/path_resolve.h"
#include "core/policy_internal.h"
#include "core/ringfence.h"
#include "tests/check.h"
#include "tests/unit/policy_fixture.h"

typedef struct resolve_case {
    const char *input; /* absolute, @ROOT@ substituted */
    const char *want;  /* NULL: an error */
    const char *reason;
} resolve_case;

static const resolve_case resolve_cases[] = {
    {"@ROOT@/ws/./sub/../sub/", "@ROOT@/ws/sub", "'.', '..' and a trailing '/' fold away"},
    {"@ROOT@//ws///sub", "@ROOT@/ws/sub", "repeated slashes collapse"},
    {"@ROOT@/ws/link_out", "@ROOT@/outside", "a symlink is replaced by its target"},
    {"@ROOT@/ws/link_out/new/../x", "@ROOT@/outside/x",
     "a missing tail after a link is appended to the link's target"},
    {"@ROOT@/ws/missing/../sub", "@ROOT@/ws/sub", "'..' after a missing folder climbs back"},
    {"@ROOT@/ws/missing/../link_out/y", "@ROOT@/outside/y",
     "a link reached again after a missing folder is still followed"},
    {"@ROOT@/ws/dangling", "@ROOT@/outside/notyet",
     "a dangling link resolves to its (missing) target, not to itself"},
    {"@ROOT@/ws/dangling/deeper", "@ROOT@/outside/notyet/deeper", "missing below a dangling link"},
    {"@ROOT@/file.txt/x", "@ROOT@/file.txt/x", "below a regular file stays lexical"},
    {"@ROOT@/ws/loop_a", NULL, "a symlink loop is an error"},
    {"/..", "/", "'..' at the root stays at the root"},
    {"/", "/", "the root folder"},
};

static void test_resolve(void) {
    for (size_t i = 0; i < sizeof resolve_cases / sizeof resolve_cases[0]; i++) {
        const resolve_case *c = &resolve_cases[i];
        char *input = fx_subst(c->input);
        char *out = NULL;
        rf_error err;
        rf_error_clear(&err);
        int rc = rf_path_resolve(input, "f", &out, &err);
        if (c->want) {
            char *want = fx_subst(c->want);
            CHECK(rc == 0, "%s: rc %d (%s)", c->reason, rc, err.message);
            CHECK_STR_EQ(out, want, "%s", c->reason);
            free(want);
        } else {
            CHECK(rc == RF_EPOLICY && out == NULL, "%s: rc %d", c->reason, rc);
            CHECK_STR_EQ(err.field, "f", "%s: field", c->reason);
        }
        free(out);
        free(input);
    }
}

typedef struct expand_case {
    const char *input;
    const char *base;
    const char *want; /* NULL: an error */
    const char *reason;
} expand_case;

static const expand_case expand_cases[] = {
    {"~", "/b", "@ROOT@/home", "~ alone is home"},
    {"~/x/y", "/b", "@ROOT@/home/x/y", "~/ prefix is home"},
    {"rel/x", "/base/dir", "/base/dir/rel/x", "relative to the base folder"},
    {"/abs", "/base", "/abs", "absolute stays"},
    {"~bob", "/b", NULL, "~user is refused"},
    {"", "/b", NULL, "empty is refused"},
    {"rel", NULL, NULL, "relative without a base folder is refused"},
};

static void test_expand(void) {
    for (size_t i = 0; i < sizeof expand_cases / sizeof expand_cases[0]; i++) {
        const expand_case *c = &expand_cases[i];
        char *out = NULL;
        rf_error err;
        rf_error_clear(&err);
        int rc = rf_path_expand(c->input, c->base, fx_path("home"), "f", &out, &err);
        if (c->want) {
            char *want = fx_subst(c->want);
            CHECK(rc == 0, "%s: rc %d (%s)", c->reason, rc, err.message);
            CHECK_STR_EQ(out, want, "%s", c->reason);
            free(want);
        } else {
            CHECK(rc == RF_EPOLICY && out == NULL, "%s: rc %d", c->reason, rc);
        }
        free(out);
    }
}

typedef struct name_case {
    const char *input;
    const char *want; /* NULL: an error */
    const char *reason;
} name_case;

static const name_case name_cases[] = {
    {".git", ".git", "plain name"},
    {"./.git/", ".git", "leading ./ and trailing / stripped"},
    {"a//./b/", "a/b", "inner . and // collapse"},
    {".../x", ".../x", "three dots is a name, not .."},
    {"..", NULL, ".. alone"},
    {"a/../b", NULL, ".. inside"},
    {"/etc", NULL, "absolute"},
    {"~/.ssh", NULL, "home path"},
    {".", NULL, "the root itself"},
    {"", NULL, "empty"},
};

static void test_names(void) {
    for (size_t i = 0; i < sizeof name_cases / sizeof name_cases[0]; i++) {
        const name_case *c = &name_cases[i];
        char *out = NULL;
        rf_error err;
        rf_error_clear(&err);
        int rc = rf_protected_name_normalize(c->input, "protected[0]", &out, &err);
        if (c->want) {
            CHECK(rc == 0, "%s: rc %d (%s)", c->reason, rc, err.message);
            CHECK_STR_EQ(out, c->want, "%s", c->reason);
        } else {
            CHECK(rc == RF_EPOLICY && out == NULL, "%s: rc %d", c->reason, rc);
            CHECK_STR_EQ(err.field, "protected[0]", "%s: field", c->reason);
        }
        free(out);
    }
}

static void test_home(void) {
    char *home = NULL;
    rf_error err;
    /* A home reached through a symlink is resolved, so the "contains home"
     * check cannot be dodged by spelling. */
    int rc = rf_home_find(fx_path("ws/link_home"), &home, &err);
    CHECK(rc == 0, "home through a link: rc %d (%s)", rc, err.message);
    CHECK_STR_EQ(home, fx_path("home"), "home through a link is resolved");
    free(home);
    home = NULL;
    setenv("HOME", fx_path("home/proj"), 1);
    rc = rf_home_find(NULL, &home, &err);
    CHECK(rc == 0, "$HOME: rc %d", rc);
    CHECK_STR_EQ(home, fx_path("home/proj"), "without options->home, $HOME is used");
    free(home);
    home = NULL;
    rc = rf_home_find("relative/home", &home, &err);
    CHECK(rc < 0 && home == NULL, "a relative home is refused: rc %d", rc);
}

static void test_quote(void) {
    rf_quoted q;
    CHECK_STR_EQ(rf_quote(&q, "a\"b\\c\n\x1b"), "\"a\\\"b\\\\c\\x0a\\x1b\"",
                 "quotes, backslashes and control characters are escaped");
    char long_value[1000];
    memset(long_value, 'x', sizeof long_value - 1);
    long_value[sizeof long_value - 1] = '\0';
    const char *cut = rf_quote(&q, long_value);
    CHECK(strlen(cut) < sizeof q.text && strstr(cut, "\"...") != NULL,
          "a long value is cut with ...: %zu bytes", strlen(cut));
}

int main(void) {
    fx_setup();
    test_resolve();
    test_expand();
    test_names();
    test_home();
    test_quote();
    fx_teardown();
    return check_summary("path_resolve_test");
}
