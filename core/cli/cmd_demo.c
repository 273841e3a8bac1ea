/*
 * cmd_demo.c — `ringfence demo`: a throwaway workspace (a git repository), an
 * outside folder, a planted secret and a loopback listener; a short scripted
 * "agent session" under the `auto` backend; a table of what happened and which
 * guarantee decided it.  Outcomes are read from the world afterwards (did the
 * file change? did the listener see a connection?), not from exit codes alone.
 * Everything it made is removed at the end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cli/cli.h"

static const char demo_usage[] =
    "usage: ringfence demo [--backend NAME]\n"
    "\n"
    "Builds a throwaway workspace with a git repository, an outside folder, a\n"
    "planted secret and a loopback listener, runs a short scripted agent session\n"
    "in the sandbox (backend auto unless given), prints what was allowed or\n"
    "blocked and which guarantee decided it, and removes everything it made.\n";

typedef struct demo_world {
    char root[256];
    char ws[320], outside[320], secret_dir[320], secret[352], policy[320];
    char git_config[352];
    pid_t listener;
    int port;
    int hits_fd; /* the listener writes one byte per accepted connection */
} demo_world;

typedef enum { SEEN_ALLOWED, SEEN_BLOCKED, SEEN_ADVISORY } seen;

typedef struct demo_step {
    const char *action;
    rf_guarantee guarantee;
    char script[1024];
} demo_step;

/* ---- the world ----------------------------------------------------------- */

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    int e = errno;
    close(fd);
    return n == (ssize_t)len ? 0 : -(n < 0 ? e : EIO);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        return rmdir(path) < 0 ? -1 : 0;
    return unlink(path) < 0 ? -1 : 0;
}

static void listener_loop(int sock, int hits_fd) {
    for (;;) {
        int c = accept(sock, NULL, NULL);
        if (c < 0)
            continue;
        ssize_t w = write(hits_fd, "x", 1);
        (void)w;
        close(c);
    }
}

static int start_listener(demo_world *w) {
    int sock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0)
        return -errno;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(sock, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(sock, 16) < 0 ||
        getsockname(sock, (struct sockaddr *)&addr, &len) < 0) {
        int e = errno;
        close(sock);
        return -e;
    }
    int hits[2];
    if (pipe2(hits, O_CLOEXEC | O_NONBLOCK) < 0) {
        int e = errno;
        close(sock);
        return -e;
    }
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(sock);
        close(hits[0]);
        close(hits[1]);
        return -e;
    }
    if (pid == 0) {
        close(hits[0]);
        listener_loop(sock, hits[1]);
        _exit(0);
    }
    close(sock);
    close(hits[1]);
    w->listener = pid;
    w->port = ntohs(addr.sin_port);
    w->hits_fd = hits[0];
    return 0;
}

static int make_world(demo_world *w) {
    const char *tmp = getenv("TMPDIR");
    snprintf(w->root, sizeof w->root, "%s/ringfence-demo-XXXXXX",
             (tmp && tmp[0] == '/') ? tmp : "/tmp");
    if (!mkdtemp(w->root))
        return -errno;
    snprintf(w->ws, sizeof w->ws, "%s/workspace", w->root);
    snprintf(w->outside, sizeof w->outside, "%s/outside", w->root);
    snprintf(w->secret_dir, sizeof w->secret_dir, "%s/secrets", w->root);
    snprintf(w->secret, sizeof w->secret, "%s/token.txt", w->secret_dir);
    snprintf(w->policy, sizeof w->policy, "%s/policy.json", w->root);
    snprintf(w->git_config, sizeof w->git_config, "%s/.git/config", w->ws);
    if (mkdir(w->ws, 0755) < 0 || mkdir(w->outside, 0755) < 0 || mkdir(w->secret_dir, 0700) < 0)
        return -errno;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "git init -q '%s' >/dev/null 2>&1", w->ws);
    if (system(cmd) != 0) {
        /* No git on this machine: a bare .git folder shows the same boundary. */
        char gitdir[352];
        snprintf(gitdir, sizeof gitdir, "%s/.git", w->ws);
        if (mkdir(gitdir, 0755) < 0)
            return -errno;
        int rc = write_file(w->git_config, "[core]\n\trepositoryformatversion = 0\n");
        if (rc < 0)
            return rc;
    }
    int rc = write_file(w->secret, "demo-secret-6b1f0c\n");
    if (rc < 0)
        return rc;
    char policy[2048];
    snprintf(policy, sizeof policy,
             "{\n  \"version\": 1,\n  \"workspace\": \"%s\",\n  \"deny_read\": [\"%s\"],\n"
             "  \"network\": \"off\"\n}\n",
             w->ws, w->secret_dir);
    if ((rc = write_file(w->policy, policy)) < 0)
        return rc;
    return start_listener(w);
}

static void remove_world(demo_world *w) {
    if (w->listener > 0) {
        kill(w->listener, SIGKILL);
        waitpid(w->listener, NULL, 0);
    }
    if (w->hits_fd >= 0)
        close(w->hits_fd);
    if (w->root[0] && nftw(w->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0)
        rf_cli_error("demo: could not remove %s completely: %s", w->root, strerror(errno));
}

/* ---- the session --------------------------------------------------------- */

static size_t build_steps(const demo_world *w, demo_step *steps) {
    size_t n = 0;
    steps[n] = (demo_step){"write a file in the workspace", RF_G_WRITES, ""};
    snprintf(steps[n++].script, sizeof steps[0].script, "echo notes > '%s/notes.txt'", w->ws);
    steps[n] = (demo_step){"write a file outside the workspace", RF_G_WRITES, ""};
    snprintf(steps[n++].script, sizeof steps[0].script, "echo pwned > '%s/escape.txt'", w->outside);
    steps[n] = (demo_step){"rewrite .git/config (plant a hook path)", RF_G_PROTECTED, ""};
    snprintf(steps[n++].script, sizeof steps[0].script,
             "printf '[core]\\n\\thooksPath = /tmp/evil\\n' >> '%s'", w->git_config);
    steps[n] = (demo_step){"read a planted secret", RF_G_DENY_READ, ""};
    snprintf(steps[n++].script, sizeof steps[0].script, "cat '%s'", w->secret);
    steps[n] = (demo_step){"connect to a loopback listener outside", RF_G_NETWORK, ""};
    snprintf(steps[n++].script, sizeof steps[0].script,
             "exec bash -c 'exec 3<>/dev/tcp/127.0.0.1/%d'", w->port);
    steps[n] = (demo_step){"ssh to the listener", RF_G_NETWORK, ""};
    snprintf(steps[n++].script, sizeof steps[0].script,
             "ssh -o BatchMode=yes -o ConnectTimeout=2 -p %d 127.0.0.1 true", w->port);
    return n;
}

static bool file_contains(const char *path, const char *needle) {
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, needle) != NULL;
}

static int drain_hits(int fd) {
    char buf[64];
    int total = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        total += (int)n;
    return total;
}

/* Reads what really happened to the world for step i. */
static seen judge(const demo_world *w, size_t i, const char *output, int hits) {
    char path[400];
    switch (i) {
    case 0:
        snprintf(path, sizeof path, "%s/notes.txt", w->ws);
        return access(path, F_OK) == 0 ? SEEN_ALLOWED : SEEN_BLOCKED;
    case 1:
        snprintf(path, sizeof path, "%s/escape.txt", w->outside);
        return access(path, F_OK) == 0 ? SEEN_ALLOWED : SEEN_BLOCKED;
    case 2:
        return file_contains(w->git_config, "hooksPath") ? SEEN_ALLOWED : SEEN_BLOCKED;
    case 3:
        return strstr(output, "demo-secret-6b1f0c") ? SEEN_ALLOWED : SEEN_BLOCKED;
    default:
        if (hits > 0)
            return SEEN_ALLOWED;
        return strstr(output, "network is off by policy") ? SEEN_ADVISORY : SEEN_BLOCKED;
    }
}

static int run_step(rf_sandbox *sb, const demo_world *w, const demo_step *step, char *output,
                    size_t outsz) {
    char path[] = "/tmp/ringfence-demo-out-XXXXXX";
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        return -errno;
    unlink(path);
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    char *argv[] = {"/bin/sh", "-c", (char *)step->script, NULL};
    rf_run_request req = {
        .argv = argv,
        .cwd = w->ws, /* an agent works in its workspace; ours may be hidden by a private /tmp */
        .timeout_seconds = 20,
        .stdin_fd = devnull,
        .stdout_fd = fd,
        .stderr_fd = fd,
    };
    rf_run_result res;
    rf_error err = {0};
    int rc = rf_sandbox_run(sb, &req, &res, &err);
    if (devnull >= 0)
        close(devnull);
    if (rc < 0) {
        close(fd);
        rf_cli_error("demo: %s", err.message);
        return rc;
    }
    ssize_t n = pread(fd, output, outsz - 1, 0);
    output[n > 0 ? n : 0] = '\0';
    close(fd);
    return 0;
}

static const char *seen_name(seen s) {
    switch (s) {
    case SEEN_ALLOWED:
        return "allowed";
    case SEEN_BLOCKED:
        return "blocked";
    case SEEN_ADVISORY:
        return "blocked (advisory)";
    }
    return "?";
}

static int run_session(demo_world *w, const char *backend) {
    rf_policy_args args = {.policy_file = w->policy};
    rf_policy *policy = rf_cli_load_policy(&args);
    if (!policy)
        return RF_EXIT_FAILURE;
    rf_sandbox *sb = NULL;
    rf_error err = {0};
    int code = RF_EXIT_FAILURE;
    if (rf_sandbox_open(policy, backend, &sb, &err) < 0) {
        rf_cli_error("demo: %s", err.message);
        goto out;
    }
    rf_backend_status st = {0};
    for (size_t i = 0; i < rf_backend_count(); i++) {
        rf_backend_status_get(i, &st);
        if (strcmp(st.name, rf_sandbox_backend_name(sb)) == 0)
            break;
    }
    printf("ringfence demo: backend %s%s\n", st.name,
           strcmp(backend ? backend : "auto", "auto") == 0 ? " (chosen by auto)" : "");
    printf("  workspace %s (a git repository)\n  outside   %s\n  secret    %s (deny_read)\n"
           "  listener  127.0.0.1:%d (outside the sandbox)\n  network   off\n\n",
           w->ws, w->outside, w->secret, w->port);
    printf("%-42s %-20s %s\n", "action", "outcome", "decided by");
    demo_step steps[8];
    size_t n = build_steps(w, steps);
    for (size_t i = 0; i < n; i++) {
        char output[4096];
        drain_hits(w->hits_fd);
        if (run_step(sb, w, &steps[i], output, sizeof output) < 0)
            goto out;
        usleep(20000); /* let the listener record a connection that did happen */
        seen s = judge(w, i, output, drain_hits(w->hits_fd));
        rf_guarantee g = steps[i].guarantee;
        /* A stub that answers first is the advisory layer; the enforced layer
         * underneath would have refused the connection anyway. */
        const char *how = s == SEEN_ADVISORY ? "the denybin ssh stub answered first (advisory layer)"
                                             : st.why[g];
        printf("%-42s %-20s %s: %s — %s\n", steps[i].action, seen_name(s), rf_guarantee_name(g),
               rf_level_name(st.level[g]), how);
    }
    printf("\nThe audit log records every run; `ringfence status` shows each backend's table.\n");
    code = 0;
out:
    rf_sandbox_close(sb);
    rf_policy_free(policy);
    return code;
}

int rf_cmd_demo(int argc, char **argv) {
    static const struct option longopts[] = {
        {"backend", required_argument, NULL, OPT_BACKEND},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *backend = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == OPT_BACKEND) {
            backend = optarg;
        } else if (opt == OPT_HELP) {
            fputs(demo_usage, stdout);
            return 0;
        } else {
            fputs(demo_usage, stderr);
            return RF_EXIT_USAGE;
        }
    }
    demo_world w = {.listener = -1, .hits_fd = -1};
    int rc = make_world(&w);
    int code;
    if (rc < 0) {
        rf_cli_error("demo: building the throwaway world under %s: %s", w.root, strerror(-rc));
        code = RF_EXIT_FAILURE;
    } else {
        code = run_session(&w, backend);
    }
    remove_world(&w);
    return code;
}
