/* runner_env_test.c — the command's environment under the runner: loader variables dropped, git's safe.directory added. */
#include <stdlib.h>
#include <string.h>

#include "backends/linux/elevated/runner.h"
#include "tests/check.h"

static const struct {
    const char *entry;
    bool dropped;
    const char *why;
} cases[] = {
    {"LD_PRELOAD=/tmp/evil.so", true, "library injection"},
    {"LD_LIBRARY_PATH=/tmp", true, "library search path"},
    {"LD_AUDIT=x", true, "any LD_ variable"},
    {"GCONV_PATH=/tmp", true, "iconv module loading"},
    {"GLIBC_TUNABLES=glibc.malloc.x=1", true, "tunables (CVE-2023-4911)"},
    {"MALLOC_ARENA_MAX=2", true, "malloc variables"},
    {"TMPDIR=/home/u/tmp", true, "a temporary folder the sandbox user may not reach"},
    {"NLSPATH=/x", true, "message catalogs"},
    {"HOME=/home/u", false, "HOME stays the real user's"},
    {"USER=u", false, "USER stays"},
    {"PATH=/usr/bin", false, "PATH stays"},
    {"LDFLAGS=-L/x", false, "LDFLAGS is not a loader variable"},
    {"TMPDIRX=1", false, "only the exact name TMPDIR"},
    {"GCONV_PATHS=1", false, "only the exact name GCONV_PATH"},
};

static const char *get(char **envp, const char *name) {
    size_t n = strlen(name);
    for (; *envp; envp++)
        if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
            return *envp + n + 1;
    return NULL;
}

int main(void) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK(rf_runner_env_dropped(cases[i].entry) == cases[i].dropped, "%s: %s", cases[i].entry, cases[i].why);

    char *env[] = {"PATH=/usr/bin", "LD_PRELOAD=/x.so", "GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=user.name",
                   "GIT_CONFIG_VALUE_0=me", NULL};
    const char *roots[] = {"/ws", "/extra"};
    rf_runner_env out;
    CHECK(rf_runner_env_build(env, 5, roots, 2, &out) == 0, "built");
    CHECK(get(out.envp, "LD_PRELOAD") == NULL, "LD_PRELOAD dropped");
    CHECK_STR_EQ(get(out.envp, "PATH"), "/usr/bin", "PATH kept");
    CHECK_STR_EQ(get(out.envp, "GIT_CONFIG_COUNT"), "3", "the count covers the request's entry and both roots");
    CHECK_STR_EQ(get(out.envp, "GIT_CONFIG_KEY_0"), "user.name", "the request's own entry kept in place");
    CHECK_STR_EQ(get(out.envp, "GIT_CONFIG_KEY_1"), "safe.directory", "first root after it");
    CHECK_STR_EQ(get(out.envp, "GIT_CONFIG_VALUE_1"), "/ws", "the workspace is safe");
    CHECK_STR_EQ(get(out.envp, "GIT_CONFIG_VALUE_2"), "/extra", "the extra root is safe");
    size_t count = 0;
    for (char **e = out.envp; *e; e++)
        count += strncmp(*e, "GIT_CONFIG_COUNT=", 17) == 0;
    CHECK(count == 1, "exactly one GIT_CONFIG_COUNT (got %zu)", count);
    rf_runner_env_free(&out);

    char *plain[] = {"A=1", NULL};
    CHECK(rf_runner_env_build(plain, 1, roots, 1, &out) == 0, "built without git entries");
    CHECK_STR_EQ(get(out.envp, "GIT_CONFIG_COUNT"), "1", "one root");
    CHECK_STR_EQ(get(out.envp, "GIT_CONFIG_VALUE_0"), "/ws", "index 0 when the request had none");
    rf_runner_env_free(&out);
    return check_summary("runner_env_test");
}
