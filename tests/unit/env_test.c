/* env_test.c — the environment builder: globs, scrub defaults, `set`, network
 * shims, PATH, the GIT_SSH_COMMAND substitution and duplicate names. */
#include <errno.h>
#include <fnmatch.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "env/env.h"
#include "tests/check.h"

#define DEAD_PROXY "http://127.0.0.1:9"

static size_t count_name(char *const *envp, const char *name) {
    size_t n = 0, len = strlen(name);
    for (char *const *p = envp; *p; p++)
        if (strncmp(*p, name, len) == 0 && (*p)[len] == '=')
            n++;
    return n;
}

static char **build(char *const *parent, const char *const *set, size_t n_set, bool off,
                    const char *denybin, rf_error *err) {
    size_t n_scrub;
    const char *const *scrub = rf_env_default_scrub(&n_scrub);
    rf_env_spec spec = {
        .parent = parent,
        .scrub = scrub,
        .n_scrub = n_scrub,
        .set = set,
        .n_set = n_set,
        .network_off = off,
        .denybin_dir = denybin,
    };
    char **envp = NULL;
    memset(err, 0, sizeof *err);
    if (rf_env_build(&spec, &envp, err) < 0)
        return NULL;
    return envp;
}

static void test_glob(void) {
    static const struct {
        const char *pattern, *name;
        bool match;
        const char *reason;
    } cases[] = {
        {"*_TOKEN", "GITHUB_TOKEN", true, "suffix glob"},
        {"*_TOKEN", "TOKEN", false, "the underscore is part of the pattern"},
        {"*_TOKEN", "GITHUB_TOKENS", false, "no trailing text after the suffix"},
        {"*_TOKEN_*", "GH_TOKEN_FILE", true, "infix glob"},
        {"AWS_*", "AWS_SECRET_ACCESS_KEY", true, "prefix glob"},
        {"AWS_*", "aws_secret", false, "case-sensitive"},
        {"A?C", "ABC", true, "? is one character"},
        {"A?C", "AC", false, "? is exactly one character"},
        {"[GH]OME", "HOME", true, "set"},
        {"[!H]OME", "HOME", false, "negated set"},
        {"PATH", "PATH", true, "literal"},
        {"PATH", "PATHS", false, "literal is whole-name"},
        {"*", "", true, "star matches the empty name"},
        {"**_KEY", "A_KEY", true, "two stars in a row"},
        {"*_A*_B", "X_A_BC", false, "no _B at the end"},
        {"*_TOKEN", "A_TOKEN_TOKEN", true, "backtracking: the last _TOKEN"},
        {"*_A*_B", "X_A_C_A_B", true, "backtracking: the later _A"},
        {"A\\*", "A*", true, "escaped star is literal (fnmatch path)"},
        {"A\\*", "AB", false, "escaped star matches only a star"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK(rf_env_glob_match(cases[i].pattern, cases[i].name) == cases[i].match,
              "glob '%s' on '%s': %s", cases[i].pattern, cases[i].name, cases[i].reason);
}

/* Star-only patterns take a path of their own (env_glob.c): it must answer
 * exactly as fnmatch(pattern, name, 0) on every pair below. */
static void test_glob_star_path_agrees_with_fnmatch(void) {
    static const char *const patterns[] = {
        "*", "**", "*_TOKEN", "*_TOKEN_*", "AWS_*", "*A*", "A*B*C", "*_A*_B", "A", "", "*_*_*", "A**B",
    };
    static const char *const names[] = {
        "", "A", "AB", "ABC", "AXBXC", "ACB", "GITHUB_TOKEN", "GITHUB_TOKEN_FILE", "TOKEN", "_TOKEN",
        "AWS_", "AWS", "X_A_A_C_B", "X_A_C_A_B", "A_B_C", "__", "AAB", "ABAB",
    };
    size_t n_p = sizeof patterns / sizeof patterns[0], n_n = sizeof names / sizeof names[0];
    for (size_t i = 0; i < n_p; i++)
        for (size_t j = 0; j < n_n; j++) {
            bool want = fnmatch(patterns[i], names[j], 0) == 0;
            CHECK(rf_env_glob_match(patterns[i], names[j]) == want, "glob '%s' on '%s': fnmatch says %s",
                  patterns[i], names[j], want ? "match" : "no match");
        }
}

static void test_scrub_defaults(void) {
    char long_secret[320];
    memset(long_secret, 'X', 300);
    strcpy(long_secret + 300, "_TOKEN=s3cret");
    char *parent[] = {
        "GITHUB_TOKEN=ghp_x",  "AWS_SECRET_ACCESS_KEY=a",
        "OPENAI_API_KEY=sk-x", "SSH_AUTH_SOCK=/tmp/agent",
        "PATH=/usr/bin:/bin",  "HOME=/home/u",
        "LANG=C.UTF-8",        "TERM=xterm",
        long_secret,           NULL,
    };
    static const struct {
        const char *name;
        bool kept;
        const char *reason;
    } cases[] = {
        {"GITHUB_TOKEN", false, "a token"},
        {"AWS_SECRET_ACCESS_KEY", false, "a cloud credential"},
        {"OPENAI_API_KEY", false, "an API key"},
        {"SSH_AUTH_SOCK", false, "the ssh agent socket"},
        {"PATH", true, "PATH is needed to run anything"},
        {"HOME", true, "HOME is not a secret"},
        {"LANG", true, "locale is not a secret"},
        {"TERM", true, "terminal type is not a secret"},
    };
    rf_error err;
    char **envp = build(parent, NULL, 0, false, NULL, &err);
    CHECK(envp != NULL, "build with default scrub: %s", err.message);
    if (!envp)
        return;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK((rf_env_get(envp, cases[i].name) != NULL) == cases[i].kept, "%s %s: %s",
              cases[i].name, cases[i].kept ? "kept" : "scrubbed", cases[i].reason);
    long_secret[306] = '\0';
    CHECK(rf_env_get(envp, long_secret) == NULL, "a 306-byte *_TOKEN name is scrubbed too");
    CHECK_STR_EQ(rf_env_get(envp, "HOME"), "/home/u", "kept values are unchanged");
    rf_env_free(envp);
}

static void test_set(void) {
    char *parent[] = {"HOME=/home/u", "EDITOR=vi", "GITHUB_TOKEN=ghp", NULL};
    const char *set[] = {"EDITOR=nano", "NEW=a=b", "EMPTY=", "GITHUB_TOKEN=allowed", NULL};
    static const struct {
        const char *name, *value;
        const char *reason;
    } cases[] = {
        {"EDITOR", "nano", "set replaces an inherited value"},
        {"NEW", "a=b", "the value may hold '='"},
        {"EMPTY", "", "an empty value is a value"},
        {"GITHUB_TOKEN", "allowed", "set comes after scrub: explicit wins"},
        {"HOME", "/home/u", "untouched variables stay"},
    };
    rf_error err;
    char **envp = build(parent, set, 4, false, NULL, &err);
    CHECK(envp != NULL, "build with set: %s", err.message);
    if (!envp)
        return;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_STR_EQ(rf_env_get(envp, cases[i].name), cases[i].value, "%s", cases[i].reason);
        CHECK(count_name(envp, cases[i].name) == 1, "%s appears once", cases[i].name);
    }
    rf_env_free(envp);

    static const char *const bad[] = {"NOEQUALS", "=value", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *one[] = {bad[i]};
        envp = build(parent, one, 1, false, NULL, &err);
        CHECK(envp == NULL && err.code == RF_EPOLICY && strcmp(err.field, "env.set") == 0,
              "set entry '%s' is refused with field env.set (got code %d field '%s')", bad[i],
              err.code, err.field);
        CHECK(strstr(err.message, bad[i]) != NULL, "the message quotes the entry: %s", err.message);
        rf_env_free(envp);
    }
}

static void test_shim_table(void) {
    size_t n;
    const rf_env_shim *shims = rf_env_network_off_shims(&n);
    CHECK(n > 0, "the shim table is not empty");
    for (size_t i = 0; i < n; i++) {
        CHECK(shims[i].reason && strlen(shims[i].reason) > 10, "%s has a reason", shims[i].name);
        CHECK(!strchr(shims[i].reason, '\n'), "%s: the reason is one line", shims[i].name);
        if (shims[i].action == RF_ENV_SET)
            CHECK(shims[i].value_posix && shims[i].value_windows, "%s has both values",
                  shims[i].name);
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(shims[i].name, shims[j].name) != 0, "%s is listed once", shims[i].name);
    }
}

static void test_shims_only_when_off(void) {
    char *parent[] = {
        "HTTP_PROXY=http://corp:3128",
        "https_proxy=http://corp:3128",
        "NO_PROXY=internal",
        "no_proxy=internal",
        "GIT_ALLOW_PROTOCOL=https",
        "PIP_NO_INDEX=0",
        "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/bus",
        "PATH=/usr/bin",
        NULL,
    };
    /* name, value with the network off (NULL: unset), reason */
    static const struct {
        const char *name, *off_value, *reason;
    } cases[] = {
        {"HTTP_PROXY", DEAD_PROXY, "upper-case http proxy"},
        {"http_proxy", DEAD_PROXY, "lower-case http proxy"},
        {"HTTPS_PROXY", DEAD_PROXY, "upper-case https proxy"},
        {"https_proxy", DEAD_PROXY, "lower-case https proxy replaces the inherited one"},
        {"ALL_PROXY", DEAD_PROXY, "upper-case all proxy"},
        {"all_proxy", DEAD_PROXY, "lower-case all proxy"},
        {"FTP_PROXY", DEAD_PROXY, "upper-case ftp proxy"},
        {"ftp_proxy", DEAD_PROXY, "lower-case ftp proxy"},
        {"NO_PROXY", NULL, "bypass list cleared"},
        {"no_proxy", NULL, "lower-case bypass list cleared"},
        {"GIT_ALLOW_PROTOCOL", "file", "git limited to local paths"},
        {"PIP_NO_INDEX", "1", "pip offline"},
        {"NPM_CONFIG_OFFLINE", "true", "npm offline"},
        {"CARGO_NET_OFFLINE", "true", "cargo offline"},
        {"GOPROXY", "off", "go offline"},
        {"RINGFENCE_NETWORK", "off", "tools can tell"},
        {"SSH_AUTH_SOCK", NULL, "agent socket gone"},
        {"DBUS_SESSION_BUS_ADDRESS", NULL, "session bus gone"},
    };
    rf_error err = {0};
    /* DBUS_SESSION_BUS_ADDRESS is in the default scrub too; build without a
     * scrub list here so that only the shims can remove it. */
    rf_env_spec spec = {.parent = parent};
    char **on = NULL, **off = NULL;
    CHECK(rf_env_build(&spec, &on, &err) == 0, "network on: %s", err.message);
    spec.network_off = true;
    CHECK(rf_env_build(&spec, &off, &err) == 0, "network off: %s", err.message);
    if (!on || !off)
        goto out;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *name = cases[i].name;
        if (cases[i].off_value)
            CHECK_STR_EQ(rf_env_get(off, name), cases[i].off_value, "off: %s", cases[i].reason);
        else
            CHECK(rf_env_get(off, name) == NULL, "off: %s", cases[i].reason);
        /* With the network on, the parent's value (or its absence) is untouched. */
        const char *parent_value = rf_env_get(parent, name);
        const char *on_value = rf_env_get(on, name);
        CHECK(parent_value ? on_value && strcmp(on_value, parent_value) == 0 : on_value == NULL,
              "on: %s is left as inherited", name);
    }
    /* Every table entry is applied, not just the ones listed above. */
    size_t n;
    const rf_env_shim *shims = rf_env_network_off_shims(&n);
    for (size_t i = 0; i < n; i++) {
        const char *got = rf_env_get(off, shims[i].name);
        if (shims[i].action == RF_ENV_UNSET)
            CHECK(got == NULL, "table: %s unset", shims[i].name);
        else if (!strstr(shims[i].value_posix, "@DENY_SSH@"))
            CHECK_STR_EQ(got, shims[i].value_posix, "table: %s set", shims[i].name);
        else
            CHECK(got && !strstr(got, "@DENY_SSH@"), "table: %s substituted", shims[i].name);
    }
    CHECK_STR_EQ(rf_env_get(off, "PATH"), "/usr/bin", "no denybin folder: PATH unchanged");
out:
    rf_env_free(on);
    rf_env_free(off);
}

static void test_path(void) {
    static const struct {
        const char *parent_path; /* NULL: no PATH at all */
        const char *denybin;
        bool off;
        const char *want; /* NULL: the build must fail */
        const char *reason;
    } cases[] = {
        {"/usr/bin:/bin", "/opt/rf/denybin", true, "/opt/rf/denybin:/usr/bin:/bin", "prepended"},
        {"/usr/bin:/bin", "/opt/rf/denybin", false, "/usr/bin:/bin", "network on: untouched"},
        {NULL, "/opt/rf/denybin", true, "/opt/rf/denybin:/usr/local/bin:/usr/bin:/bin",
         "no PATH: a sane default follows"},
        {"", "/opt/rf/denybin", true, "/opt/rf/denybin:/usr/local/bin:/usr/bin:/bin",
         "empty PATH: no trailing ':' that would mean the current directory"},
        {"/usr/bin", "denybin", true, NULL, "a relative denybin folder is refused"},
        {"/usr/bin", "/opt/a:b", true, NULL, "a ':' in the folder is refused"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path_entry[256];
        char *parent[] = {"HOME=/h", NULL, NULL};
        if (cases[i].parent_path) {
            snprintf(path_entry, sizeof path_entry, "PATH=%s", cases[i].parent_path);
            parent[1] = path_entry;
        }
        rf_error err;
        char **envp = build(parent, NULL, 0, cases[i].off, cases[i].denybin, &err);
        if (!cases[i].want) {
            CHECK(envp == NULL && err.code == -EINVAL && strstr(err.message, cases[i].denybin),
                  "%s (%s)", cases[i].reason, err.message);
        } else {
            CHECK(envp != NULL, "%s: %s", cases[i].reason, err.message);
            if (envp) {
                CHECK_STR_EQ(rf_env_get(envp, "PATH"), cases[i].want, "%s", cases[i].reason);
                CHECK(count_name(envp, "PATH") == (cases[i].off || cases[i].parent_path ? 1u : 0u),
                      "%s: PATH count", cases[i].reason);
            }
        }
        rf_env_free(envp);
    }
}

/* Runs `sh -c '<command> host git-upload-pack'` as git does and returns its
 * exit status (or -1). */
static int run_as_git(const char *command) {
    char line[8192];
    snprintf(line, sizeof line, "%s \"$@\"", command);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null >= 0)
            dup2(null, 2);
        execl("/bin/sh", "sh", "-c", line, "git-ssh", "host", "git-upload-pack 'r'", (char *)NULL);
        _exit(127);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static void test_deny_ssh(void) {
    char base[] = "/tmp/rf-env-test-XXXXXX";
    CHECK(mkdtemp(base) != NULL, "mkdtemp: %s", strerror(errno));
    char dir[512], stub[600];
    snprintf(dir, sizeof dir, "%s/deny bin's", base);
    snprintf(stub, sizeof stub, "%s/ssh", dir);
    CHECK(mkdir(dir, 0700) == 0, "mkdir %s: %s", dir, strerror(errno));
    FILE *f = fopen(stub, "we");
    CHECK(f != NULL, "create %s: %s", stub, strerror(errno));
    if (f) {
        /* A fake stub with a distinctive status: proves the quoted path ran it. */
        fputs("#!/bin/sh\nexit 42\n", f);
        fclose(f);
    }
    CHECK(chmod(stub, 0700) == 0, "chmod %s: %s", stub, strerror(errno));

    static const struct {
        const char *dir_suffix; /* appended to the temp base; NULL: no denybin */
        const char *want_value; /* with the base replaced by "B"; NULL: no exact check */
        int want_status;
        const char *reason;
    } cases[] = {
        {"/deny bin's", "'B/deny bin'\\''s/ssh'", 42, "space and quote survive shell quoting"},
        {NULL, NULL, 1, "no denybin: an inline command that fails at once"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *parent[] = {"PATH=/usr/bin:/bin", NULL};
        const char *denybin = cases[i].dir_suffix ? dir : NULL;
        rf_error err;
        char **envp = build(parent, NULL, 0, true, denybin, &err);
        CHECK(envp != NULL, "%s: %s", cases[i].reason, err.message);
        if (!envp)
            continue;
        const char *value = rf_env_get(envp, "GIT_SSH_COMMAND");
        CHECK(value != NULL, "%s: GIT_SSH_COMMAND set", cases[i].reason);
        if (value && cases[i].want_value) {
            char want[1024];
            const char *rest = cases[i].want_value + 2; /* after "'B" */
            snprintf(want, sizeof want, "'%s%s", base, rest);
            CHECK_STR_EQ(value, want, "%s", cases[i].reason);
        }
        if (value)
            CHECK(run_as_git(value) == cases[i].want_status, "%s: exit status when git runs it",
                  cases[i].reason);
        rf_env_free(envp);
    }
    unlink(stub);
    rmdir(dir);
    rmdir(base);
}

static void test_duplicates(void) {
    char *parent[] = {
        "A=first",
        "A=second",
        "HTTP_PROXY=http://first",
        "HTTP_PROXY=http://evil",
        "GITHUB_TOKEN=x",
        "GITHUB_TOKEN=y",
        "NOEQUALS",
        "=nameless",
        "B=1",
        NULL,
    };
    static const struct {
        const char *name;
        bool off;
        const char *want; /* NULL: absent */
        const char *reason;
    } cases[] = {
        {"A", false, "first", "the first copy wins"},
        {"HTTP_PROXY", false, "http://first", "the first copy wins for a proxy too"},
        {"HTTP_PROXY", true, DEAD_PROXY, "the shim replaces the only copy left"},
        {"GITHUB_TOKEN", false, NULL, "every copy of a scrubbed name goes"},
        {"B", false, "1", "names after the duplicates are kept"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_error err;
        char **envp = build(parent, NULL, 0, cases[i].off, NULL, &err);
        CHECK(envp != NULL, "%s: %s", cases[i].reason, err.message);
        if (!envp)
            continue;
        if (cases[i].want) {
            CHECK_STR_EQ(rf_env_get(envp, cases[i].name), cases[i].want, "%s", cases[i].reason);
            CHECK(count_name(envp, cases[i].name) == 1, "%s: exactly one %s", cases[i].reason,
                  cases[i].name);
        } else {
            CHECK(count_name(envp, cases[i].name) == 0, "%s", cases[i].reason);
        }
        size_t total = 0;
        for (char **p = envp; *p; p++) {
            CHECK(strchr(*p, '=') != NULL && (*p)[0] != '=', "malformed entry '%s' dropped", *p);
            total++;
        }
        CHECK(total >= 3, "the environment is not emptied (%zu entries)", total);
        rf_env_free(envp);
    }
}

int main(void) {
    test_glob();
    test_glob_star_path_agrees_with_fnmatch();
    test_scrub_defaults();
    test_set();
    test_shim_table();
    test_shims_only_when_off();
    test_path();
    test_deny_ssh();
    test_duplicates();
    return check_summary("env_test");
}
