/*
 * env_glob_win_test.c — the Windows glob on variable names (env/env_glob_win.c,
 * used where the C runtime has no fnmatch), checked on Linux: against
 * fnmatch(3) on the same pattern and name, both case-folded, and on the case
 * rules that differ on purpose.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <string.h>

#include "env/env.h"
#include "tests/check.h"

static void lower(const char *in, char *out, size_t size) {
    size_t i = 0;
    for (; in[i] && i + 1 < size; i++)
        out[i] = (char)tolower((unsigned char)in[i]);
    out[i] = '\0';
}

int main(void) {
    static const char *const patterns[] = {
        "*_TOKEN", "*_TOKEN_*", "AWS_*",  "GITHUB_TOKEN", "A?C", "[AB]*",  "[!A]*",
        "[a-c]x",  "*",         "",       "x*y*z",        "[",  "*[",     "a*b*c*d",
    };
    static const char *const names[] = {
        "GITHUB_TOKEN", "TOKEN",   "MY_TOKEN_2", "AWS_SECRET", "AWSX", "ABC", "AXC",
        "A",            "BX",      "bx",         "dx",         "",     "[",   "xayaz",
        "x[",           "abcdcd",  "aXbXcXd",    "_TOKEN",
    };
    for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
        for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
            char lp[64], ln[64];
            lower(patterns[p], lp, sizeof lp);
            lower(names[n], ln, sizeof ln);
            bool want = fnmatch(lp, ln, 0) == 0;
            bool got = rf_env_glob_match(patterns[p], names[n]);
            CHECK(got == want, "pattern '%s' on '%s': got %d, fnmatch (case-folded) says %d",
                  patterns[p], names[n], got, want);
        }
    }
    /* On Windows "github_token" and "GITHUB_TOKEN" are one variable. */
    static const struct {
        const char *pattern, *name;
        bool want;
        const char *reason;
    } cases[] = {
        {"*_TOKEN", "github_token", true, "a lower-case token is scrubbed too"},
        {"AWS_*", "Aws_Secret_Access_Key", true, "mixed case"},
        {"[A-C]*", "beta", true, "ranges fold case"},
        {"*_TOKEN", "GITHUB_TOKENS", false, "no match past the end"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK(rf_env_glob_match(cases[i].pattern, cases[i].name) == cases[i].want, "%s",
              cases[i].reason);
    return check_summary("env_glob_win_test");
}
