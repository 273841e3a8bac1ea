/* env_advisory_test.c — the advisory network layer end to end: real tools run
 * with an environment from rf_env_build (network off, the generated denybin
 * stubs first on PATH) and must fail at once, each for the reason the shim
 * table gives.  A tool that is not installed is skipped and said so. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "env/env.h"
#include "tests/check.h"

extern char **environ;

static char tmp_dir[PATH_MAX];

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Finds `tool` on envp's PATH (execvpe would search the test's own PATH, not
 * the one built for the command), skipping `skip_dir` when not NULL. */
static bool find_on_path(char *const *envp, const char *skip_dir, const char *tool,
                         char out[PATH_MAX + 64]) {
    const char *path = rf_env_get(envp, "PATH");
    char *copy = strdup(path ? path : "");
    bool found = false;
    for (char *save = NULL, *dir = strtok_r(copy, ":", &save); dir && !found;
         dir = strtok_r(NULL, ":", &save)) {
        if (skip_dir && strcmp(dir, skip_dir) == 0)
            continue;
        snprintf(out, PATH_MAX + 64, "%s/%s", dir, tool);
        found = access(out, X_OK) == 0;
    }
    free(copy);
    return found;
}

static char *slurp(int fd) {
    char *buf = calloc(1, 65536);
    if (!buf)
        return NULL;
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, buf, 65535);
    buf[n > 0 ? n : 0] = '\0';
    return buf;
}

/* Runs argv with envp, stdin from /dev/null; fills status, stdout, stderr
 * (malloc'd) and the elapsed time.  Returns false when it could not run. */
static bool run(char *const *argv, char *const *envp, int *status, char **out, char **err_text,
                double *elapsed_ms) {
    char out_path[PATH_MAX + 16], err_path[PATH_MAX + 16];
    snprintf(out_path, sizeof out_path, "%s/out", tmp_dir);
    snprintf(err_path, sizeof err_path, "%s/err", tmp_dir);
    int out_fd = open(out_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err_fd = open(err_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out_fd < 0 || err_fd < 0)
        return false;
    double start = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        if (null < 0 || dup2(null, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0 ||
            chdir(tmp_dir) < 0)
            _exit(126);
        /* A hung tool must fail the test, not hang it. */
        alarm(10);
        char exe[PATH_MAX + 64];
        if (find_on_path(envp, NULL, argv[0], exe))
            execve(exe, argv, envp);
        dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    bool ok = pid > 0 && waitpid(pid, status, 0) == pid;
    *elapsed_ms = now_ms() - start;
    *out = slurp(out_fd);
    *err_text = slurp(err_fd);
    close(out_fd);
    close(err_fd);
    return ok;
}

#define BLOCKED(tool) "ringfence: network is off by policy (" tool " blocked)\n"

int main(int argc, char **argv) {
    const char *tmp = getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp";
    char templ[PATH_MAX];
    snprintf(templ, sizeof templ, "%s/rf-advisory-XXXXXX", tmp);
    if (!mkdtemp(templ) || !realpath(templ, tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    /* The generated stubs: from the runfiles under Bazel, else argv[1]. */
    char stubs_rel[PATH_MAX], denybin[PATH_MAX];
    if (getenv("TEST_SRCDIR"))
        snprintf(stubs_rel, sizeof stubs_rel, "%s/%s/denybin/stubs", getenv("TEST_SRCDIR"),
                 getenv("TEST_WORKSPACE") ? getenv("TEST_WORKSPACE") : "ringfence");
    else
        snprintf(stubs_rel, sizeof stubs_rel, "%s", argc > 1 ? argv[1] : "denybin/stubs");
    if (!realpath(stubs_rel, denybin)) {
        fprintf(stderr, "cannot find the denybin stubs at %s: %s\n", stubs_rel, strerror(errno));
        return 1;
    }

    /* A private HOME and no system git config: the user's url rewrites or
     * proxies must not decide the outcome. */
    char home_entry[PATH_MAX + 8];
    snprintf(home_entry, sizeof home_entry, "HOME=%s", tmp_dir);
    const char *set[] = {home_entry, "GIT_CONFIG_NOSYSTEM=1", "HTTP_PROXY=http://corp:3128"};
    size_t n_scrub;
    const char *const *scrub = rf_env_default_scrub(&n_scrub);
    rf_env_spec spec = {
        .parent = environ,
        .scrub = scrub,
        .n_scrub = n_scrub,
        .set = set,
        .n_set = 3,
        .network_off = true,
        .denybin_dir = denybin,
    };
    char **envp = NULL;
    rf_error err = {0};
    CHECK(rf_env_build(&spec, &envp, &err) == 0, "rf_env_build: %s", err.message);
    if (!envp)
        return check_summary("env_advisory_test");

    char ssh_path[PATH_MAX + 8];
    snprintf(ssh_path, sizeof ssh_path, "%s/ssh\n", denybin);

    static struct {
        const char *tool; /* must be installed (outside denybin), else the case is skipped */
        char *argv[12]; /* NULL-terminated: at most 11 words */
        int want_exit;         /* -1: any non-zero status */
        const char *want_err;  /* exact stderr, or NULL */
        const char *err_has;   /* substring of stderr, or NULL */
        const char *want_out;  /* exact stdout, or NULL ("@SSH@": the stub's path) */
        const char *reason;
    } cases[] = {
        {"sh", {"ssh", "-o", "BatchMode=yes", "git@github.com", "true"}, 1, BLOCKED("ssh"), NULL,
         "", "ssh resolves to the stub and fails at once"},
        {"sh", {"scp", "a", "host:b"}, 1, BLOCKED("scp"), NULL, "", "scp is stubbed"},
        {"sh", {"nc", "-z", "127.0.0.1", "22"}, 1, BLOCKED("nc"), NULL, "", "nc is stubbed"},
        {"sh", {"rsync", "-a", "rsync://ringfence-test.invalid/x", "."}, 1, BLOCKED("rsync"), NULL, "",
         "rsync is stubbed"},
        {"sh", {"sh", "-c", "command -v ssh"}, 0, "", NULL, "@SSH@", "the stub is first on PATH"},
        {"sh", {"sh", "-c", "eval \"$GIT_SSH_COMMAND\" git@github.com git-upload-pack"}, 1,
         BLOCKED("ssh"), NULL, "", "GIT_SSH_COMMAND runs the stub"},
        {"git", {"git", "ls-remote", "ssh://git@github.com/x/y.git"}, -1, NULL,
         "transport 'ssh' not allowed", NULL, "git refuses ssh: GIT_ALLOW_PROTOCOL=file"},
        {"git", {"git", "ls-remote", "https://github.com/x/y.git"}, -1, NULL,
         "transport 'https' not allowed", NULL, "git refuses https: GIT_ALLOW_PROTOCOL=file"},
        {"curl", {"curl", "-sS", "-m", "5", "http://ringfence-test.invalid/"}, 7, NULL, "127.0.0.1", "",
         "curl goes to the dead proxy (not the policy's corp proxy) and is refused"},
        {"curl", {"curl", "-sS", "-m", "5", "https://ringfence-test.invalid/"}, 7, NULL, "127.0.0.1", "",
         "curl https goes to the dead proxy too"},
        {"wget", {"wget", "-T", "5", "-t", "1", "-O", "-", "http://ringfence-test.invalid/"}, 4, NULL,
         "127.0.0.1:9", "", "wget goes to the dead proxy and is refused"},
        {"pip3", {"pip3", "download", "--no-deps", "--no-cache-dir", "-d", "dl", "requests"}, 1,
         NULL, "No matching distribution found", NULL, "pip consults no index: PIP_NO_INDEX"},
        {"npm", {"npm", "view", "left-pad", "version"}, 1, NULL, "ENOTCACHED", NULL,
         "npm answers from its (empty) cache only: NPM_CONFIG_OFFLINE"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char where[PATH_MAX + 64];
        if (!find_on_path(envp, denybin, cases[i].tool, where)) {
            printf("skip: %s (%s is not installed)\n", cases[i].reason, cases[i].tool);
            continue;
        }
        int status = 0;
        char *out = NULL, *errt = NULL;
        double ms = 0;
        bool ran = run(cases[i].argv, envp, &status, &out, &errt, &ms);
        CHECK(ran, "%s: could not run %s", cases[i].reason, cases[i].argv[0]);
        if (ran) {
            int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            CHECK(cases[i].want_exit < 0 ? code != 0 && code != 126 && code != 127 && code < 129
                                         : code == cases[i].want_exit,
                  "%s: exit %d, want %d (stderr: %s)", cases[i].reason, code, cases[i].want_exit,
                  errt ? errt : "");
            if (cases[i].want_err)
                CHECK_STR_EQ(errt, cases[i].want_err, "%s: stderr", cases[i].reason);
            if (cases[i].err_has)
                CHECK(errt && strstr(errt, cases[i].err_has), "%s: stderr lacks '%s': %s",
                      cases[i].reason, cases[i].err_has, errt ? errt : "");
            if (cases[i].want_out)
                CHECK_STR_EQ(out, strcmp(cases[i].want_out, "@SSH@") ? cases[i].want_out : ssh_path,
                             "%s: stdout", cases[i].reason);
            /* Fails at once: no connection attempt leaves the machine or hangs. */
            CHECK(ms < 3000, "%s: took %.0f ms", cases[i].reason, ms);
        }
        free(out);
        free(errt);
    }
    rf_env_free(envp);
    /* npm and pip leave caches and logs in the private HOME. */
    char cmd[PATH_MAX + 32];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp_dir);
    return check_summary("env_advisory_test");
}
