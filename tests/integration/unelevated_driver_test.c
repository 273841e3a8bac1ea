/*
 * unelevated_driver_test.c — runs real commands through the unelevated
 * backend (prepare / spawn / wait called directly) and checks every escape of
 * issue 3 fails, while the same probe succeeds unconfined, so a test cannot
 * pass because its probe is broken.
 *
 * One binary, several roles:
 *   (no arguments)          the whole run: the suite as the current user,
 *                           again with RINGFENCE_DISABLE_USERNS=1, and when
 *                           root, both again as user `nobody` (setpriv)
 *   --suite [--no-userns]   one suite in this process
 *   --probe ACTION ARGS     one probe, run as the command: exit 0 when the
 *                           action succeeded, 1 when it was refused
 *   --bench N               spawn overhead: unelevated vs bare fork+exec
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>

#include "backends/linux/placeholder.h"
#include "backends/linux/unelevated.h"
#include "core/backend.h"
#include "core/child_posix.h"
#include "core/error.h"
#include "core/policy.h"
#include "tests/check.h"

extern char **environ;

/* ---- probes (run inside the sandbox as the command) ----------------------- */

static int refused(const char *what) {
    printf("probe %s: refused: %s\n", what, strerror(errno));
    fflush(stdout);
    return 1;
}

static int probe_write(const char *path, int flags) {
    int fd = open(path, O_WRONLY | O_CLOEXEC | flags, 0644);
    if (fd < 0)
        return refused(path);
    int ok = write(fd, "x\n", 2) == 2;
    close(fd);
    return ok ? 0 : refused(path);
}

static int probe_read(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return refused(path);
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    return n > 0 ? 0 : (errno = n < 0 ? errno : ENODATA, refused(path));
}

static int probe_list(const char *path) {
    DIR *d = opendir(path);
    if (!d)
        return refused(path);
    int entries = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            entries++;
    closedir(d);
    return entries > 0 ? 0 : (errno = ENOENT, refused(path));
}

static int probe_net(const char *kind, const char *port_s) {
    int port = atoi(port_s);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (strcmp(kind, "tcp") == 0) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return refused("socket(AF_INET, SOCK_STREAM)");
        int rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
        close(fd);
        return rc == 0 ? 0 : refused("connect tcp");
    }
    if (strcmp(kind, "udp") == 0) {
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return refused("socket(AF_INET, SOCK_DGRAM)");
        ssize_t n = sendto(fd, "ping", 4, 0, (struct sockaddr *)&sa, sizeof sa);
        close(fd);
        return n == 4 ? 0 : refused("sendto udp");
    }
    if (strcmp(kind, "udp6") == 0) {
        int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return refused("socket(AF_INET6, SOCK_DGRAM)");
        close(fd);
        return 0;
    }
    if (strcmp(kind, "packet") == 0) {
        int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
        if (fd < 0)
            return refused("socket(AF_PACKET)");
        close(fd);
        return 0;
    }
    if (strcmp(kind, "raw") == 0) {
        int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
        if (fd < 0)
            return refused("socket(AF_INET, SOCK_RAW)");
        close(fd);
        return 0;
    }
    errno = EINVAL;
    return refused(kind);
}

static int probe_unix(const char *path) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return refused("socket(AF_UNIX)");
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    int rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
    close(fd);
    return rc == 0 ? 0 : refused(path);
}

/* Whether the process looks confined: NoNewPrivs 1 and no effective capability. */
static int probe_confined(void) {
    FILE *f = fopen("/proc/self/status", "re");
    if (!f)
        return refused("/proc/self/status");
    char line[256];
    int nnp = 0, capeff_zero = 0;
    while (fgets(line, sizeof line, f)) {
        if (strcmp(line, "NoNewPrivs:\t1\n") == 0)
            nnp = 1;
        if (strcmp(line, "CapEff:\t0000000000000000\n") == 0)
            capeff_zero = 1;
    }
    fclose(f);
    printf("probe confined: NoNewPrivs=1 %s, CapEff=0 %s\n", nnp ? "yes" : "no", capeff_zero ? "yes" : "no");
    return nnp && capeff_zero ? 0 : 1;
}

/* Double fork + setsid: the grandchild sleeps with `token` in its argv. */
static int probe_daemon(const char *self, const char *token) {
    pid_t pid = fork();
    if (pid < 0)
        return refused("fork");
    if (pid == 0) {
        setsid();
        if (fork() == 0) {
            execle(self, self, "--probe", "sleeper", token, (char *)NULL, environ);
            _exit(127);
        }
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    usleep(50 * 1000); /* let the grandchild exec */
    return 0;
}

/* TIOCSTI on a terminal that becomes our controlling terminal. */
static int probe_tiocsti(const char *tty, int high_bits) {
    pid_t pid = fork();
    if (pid == 0) {
        if (setsid() < 0)
            _exit(3);
        int fd = open(tty, O_RDWR | O_CLOEXEC); /* session leader: becomes the controlling tty */
        if (fd < 0) {
            refused(tty);
            _exit(4);
        }
        char c = '#';
        unsigned long req = TIOCSTI | (high_bits ? (1UL << 32) : 0);
        if (syscall(SYS_ioctl, fd, req, &c) < 0)
            _exit(refused(high_bits ? "ioctl(TIOCSTI | 1<<32)" : "ioctl(TIOCSTI)"));
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 2;
}

static void *thread_body(void *arg) { return arg; }

/* Threads and posix_spawn: glibc tries clone3 first, which the filter answers
 * with ENOSYS so that glibc falls back to clone. */
static int probe_clone_users(void) {
    pthread_t t;
    if ((errno = pthread_create(&t, NULL, thread_body, NULL)) != 0)
        return refused("pthread_create");
    pthread_join(t, NULL);
    pid_t pid;
    char *argv[] = {"/bin/true", NULL};
    if ((errno = posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ)) != 0)
        return refused("posix_spawn");
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : (errno = ECHILD, refused("posix_spawn child"));
}

static int run_probe(int argc, char **argv, const char *self) {
    if (argc < 1)
        return 2;
    const char *a = argv[0];
    const char *p1 = argc > 1 ? argv[1] : "", *p2 = argc > 2 ? argv[2] : "";
    if (!strcmp(a, "true"))
        return 0;
    if (!strcmp(a, "threads"))
        return probe_clone_users();
    if (!strcmp(a, "foreground")) {
        /* Handed the terminal: our group is its foreground group, and we can
         * use it (tcgetattr) and write to it through a fresh open of /dev/tty. */
        struct termios t;
        int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
        bool ok = tcgetpgrp(0) == getpgrp() && tcgetattr(0, &t) == 0 && fd >= 0 && write(fd, "", 0) == 0;
        if (fd >= 0)
            close(fd);
        return ok ? 0 : refused("foreground terminal");
    }
    if (!strcmp(a, "write"))
        return probe_write(p1, O_CREAT | O_TRUNC);
    if (!strcmp(a, "append"))
        return probe_write(p1, O_APPEND);
    if (!strcmp(a, "read"))
        return probe_read(p1);
    if (!strcmp(a, "list"))
        return probe_list(p1);
    if (!strcmp(a, "mkdir"))
        return mkdir(p1, 0755) == 0 ? 0 : refused(p1);
    if (!strcmp(a, "rename"))
        return rename(p1, p2) == 0 ? (rename(p2, p1), 0) : refused(p1);
    if (!strcmp(a, "unlink"))
        return unlink(p1) == 0 ? 0 : refused(p1);
    if (!strcmp(a, "hardlink")) {
        if (link(p1, p2) < 0)
            return refused(p2);
        return probe_write(p2, O_APPEND);
    }
    if (!strcmp(a, "net"))
        return probe_net(p1, p2);
    if (!strcmp(a, "unix"))
        return probe_unix(p1);
    if (!strcmp(a, "resolve")) {
        struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG};
        struct addrinfo *res = NULL;
        int rc = getaddrinfo(p1, "80", &hints, &res);
        if (res)
            freeaddrinfo(res);
        return rc == 0 ? 0 : (printf("probe resolve %s: %s\n", p1, gai_strerror(rc)), 1);
    }
    if (!strcmp(a, "kill"))
        return kill(atoi(p1), SIGTERM) == 0 ? 0 : refused("kill");
    if (!strcmp(a, "ptrace")) {
        if (ptrace(PTRACE_SEIZE, atoi(p1), 0, 0) < 0)
            return refused("ptrace");
        ptrace(PTRACE_DETACH, atoi(p1), 0, 0);
        return 0;
    }
    if (!strcmp(a, "confined"))
        return probe_confined();
    if (!strcmp(a, "daemon"))
        return probe_daemon(self, p1);
    if (!strcmp(a, "sleeper")) {
        sleep(30);
        return 0;
    }
    if (!strcmp(a, "tiocsti"))
        return probe_tiocsti(p1, 0);
    if (!strcmp(a, "tiocsti-hi"))
        return probe_tiocsti(p1, 1);
    if (!strcmp(a, "unshare"))
        return unshare(CLONE_NEWUSER) == 0 ? 0 : refused("unshare(CLONE_NEWUSER)");
    if (!strcmp(a, "exit"))
        return atoi(p1);
    if (!strcmp(a, "signal")) {
        signal(atoi(p1), SIG_DFL);
        raise(atoi(p1));
        return 2;
    }
    fprintf(stderr, "unknown probe %s\n", a);
    return 2;
}

/* ---- the test world ------------------------------------------------------- */

typedef struct world {
    char self[4096];
    char base[256], out[256]; /* /tmp/rf-it-*, /var/tmp/rf-out-* */
    char ws[300], ws2[300];
    int tcp_fd, udp_fd, unix_fd;
    int tcp_port, udp_port;
    int pty_master;
    char pty_slave[64];
    bool userns;
    rf_policy policy;
} world;

static world W;

/* The probes' environment: LeakSanitizer stops the world with ptrace at
 * exit, which the sandbox refuses, so sanitizer builds run probes without it. */
static char **probe_env;

static void build_probe_env(void) {
    size_t n = 0;
    while (environ[n])
        n++;
    probe_env = calloc(n + 2, sizeof *probe_env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "ASAN_OPTIONS=", 13) != 0)
            probe_env[k++] = environ[i];
    probe_env[k++] = "ASAN_OPTIONS=detect_leaks=0";
    probe_env[k] = NULL;
}

static void path_in(char *out, size_t len, const char *dir, const char *name) {
    snprintf(out, len, "%s/%s", dir, name);
}

static void write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, text, strlen(text)) < 0)
        fprintf(stderr, "setup: writing %s: %s\n", path, strerror(errno));
    if (fd >= 0)
        close(fd);
}

static void mkdir_or_warn(const char *path) {
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        fprintf(stderr, "setup: mkdir %s: %s\n", path, strerror(errno));
}

static int listen_loopback(int type, int *port) {
    int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        (type == SOCK_STREAM && listen(fd, 64) < 0) || getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
        fprintf(stderr, "setup: loopback listener: %s\n", strerror(errno));
        return -1;
    }
    *port = ntohs(sa.sin_port);
    return fd;
}

static void build_world(void) {
    snprintf(W.base, sizeof W.base, "/tmp/rf-it-XXXXXX");
    snprintf(W.out, sizeof W.out, "/var/tmp/rf-out-XXXXXX");
    if (!mkdtemp(W.base) || !mkdtemp(W.out)) {
        perror("mkdtemp");
        exit(2);
    }
    chmod(W.out, 0755);
    path_in(W.ws, sizeof W.ws, W.base, "ws");
    path_in(W.ws2, sizeof W.ws2, W.base, "ws2");
    mkdir_or_warn(W.ws);
    mkdir_or_warn(W.ws2);
    char p[512];
    path_in(p, sizeof p, W.ws, ".git"), mkdir_or_warn(p);
    path_in(p, sizeof p, W.ws, ".git/hooks"), mkdir_or_warn(p);
    path_in(p, sizeof p, W.ws, ".git/config"), write_file(p, "[core]\n");
    path_in(p, sizeof p, W.ws, ".git/HEAD"), write_file(p, "ref: refs/heads/main\n");
    path_in(p, sizeof p, W.out, "secret_dir"), mkdir_or_warn(p);
    path_in(p, sizeof p, W.out, "secret_dir/id_rsa"), write_file(p, "PRIVATE KEY\n");
    path_in(p, sizeof p, W.out, "token"), write_file(p, "TOKEN\n");
    path_in(p, sizeof p, W.out, "outside.txt"), write_file(p, "outside\n");
    path_in(p, sizeof p, W.out, "linked.txt"), write_file(p, "linked\n");
    /* A symlink inside the workspace pointing outside. */
    char target[512], link[512];
    path_in(target, sizeof target, W.out, "outside.txt");
    path_in(link, sizeof link, W.ws, "escape-link");
    if (symlink(target, link) < 0)
        fprintf(stderr, "setup: symlink: %s\n", strerror(errno));

    /* A unix socket outside that stands for docker.sock. */
    W.unix_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%.90s/docker.sock", W.out);
    if (bind(W.unix_fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(W.unix_fd, 64) < 0)
        fprintf(stderr, "setup: docker.sock stand-in: %s\n", strerror(errno));
    /* The same behind a symlinked parent, as /var/run/docker.sock (/var/run -> /run). */
    char run_dir[512], run_link[512];
    path_in(run_dir, sizeof run_dir, W.out, "run");
    path_in(run_link, sizeof run_link, W.out, "varrun");
    mkdir_or_warn(run_dir);
    if (symlink(run_dir, run_link) < 0)
        fprintf(stderr, "setup: symlink %s: %s\n", run_link, strerror(errno));
    int run_sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    snprintf(sa.sun_path, sizeof sa.sun_path, "%.90s/run/agent.sock", W.out);
    if (bind(run_sock, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(run_sock, 64) < 0)
        fprintf(stderr, "setup: agent.sock stand-in: %s\n", strerror(errno));
    W.tcp_fd = listen_loopback(SOCK_STREAM, &W.tcp_port);
    W.udp_fd = listen_loopback(SOCK_DGRAM, &W.udp_port);

    /* A pseudo-terminal for TIOCSTI. */
    W.pty_master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (W.pty_master < 0 || grantpt(W.pty_master) < 0 || unlockpt(W.pty_master) < 0 ||
        !ptsname(W.pty_master))
        fprintf(stderr, "setup: pty: %s\n", strerror(errno));
    else
        snprintf(W.pty_slave, sizeof W.pty_slave, "%s", ptsname(W.pty_master));

    rf_policy *pol = &W.policy;
    pol->workspace = W.ws;
    rf_list_add(&pol->writable_roots, W.ws, RF_SRC_DEFAULT);
    rf_list_add(&pol->writable_roots, W.ws2, RF_SRC_DEFAULT);
    const char *names[] = {".git", ".codex", ".agents", ".ringfence"};
    for (size_t i = 0; i < 4; i++)
        rf_list_add(&pol->protected_names, names[i], RF_SRC_DEFAULT);
    path_in(p, sizeof p, W.out, "secret_dir"), rf_list_add(&pol->deny_read, p, RF_SRC_DEFAULT);
    path_in(p, sizeof p, W.out, "token"), rf_list_add(&pol->deny_read, p, RF_SRC_DEFAULT);
    path_in(p, sizeof p, W.out, "docker.sock"), rf_list_add(&pol->deny_read, p, RF_SRC_DEFAULT);
    path_in(p, sizeof p, W.out, "absent-secret"), rf_list_add(&pol->deny_read, p, RF_SRC_DEFAULT);
    path_in(p, sizeof p, W.out, "varrun/agent.sock"), rf_list_add(&pol->deny_read, p, RF_SRC_DEFAULT);
    pol->network = RF_NET_OFF;
    pol->tmp = RF_TMP_PRIVATE;
    pol->backend = "unelevated";
}

static void remove_tree(const char *path) {
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup: %s failed\n", cmd);
}

/* ---- running a probe ------------------------------------------------------ */

typedef struct result {
    rf_outcome outcome;
    int rc;
} result;

static void make_argv(char **argv, const char *const *args) {
    argv[0] = W.self;
    argv[1] = "--probe";
    int i = 0;
    for (; args[i]; i++)
        argv[2 + i] = (char *)args[i];
    argv[2 + i] = NULL;
}

/* In the sandbox.  stdin is /dev/null unless a terminal is given. */
static result run_sandboxed(void *state, const char *const *args, int tty) {
    char *argv[16];
    make_argv(argv, args);
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    rf_launch launch = {
        .argv = argv,
        .envp = probe_env,
        .cwd = W.ws,
        .path_env = getenv("PATH"),
        .stdin_fd = tty >= 0 ? tty : devnull,
        .stdout_fd = STDOUT_FILENO,
        .stderr_fd = STDERR_FILENO,
        .tty_fd = -1,
    };
    rf_child child = {0};
    rf_error err = {0};
    result r = {{0, 0}, 0};
    fflush(NULL);
    r.rc = rf_backend_unelevated.spawn(state, &launch, &child, &err);
    if (r.rc < 0)
        fprintf(stderr, "spawn: %s\n", err.message);
    if (child.pid > 0) {
        if (r.rc < 0)
            rf_backend_unelevated.kill_tree(state, &child);
        int wrc = rf_backend_unelevated.wait(state, &child, &r.outcome, &err);
        if (wrc < 0 && r.rc == 0) {
            r.rc = wrc;
            fprintf(stderr, "wait: %s\n", err.message);
        }
    }
    close(devnull);
    return r;
}

/* Unconfined: the same probe with a plain fork + exec. */
static int run_unconfined(const char *const *args, int tty) {
    char *argv[16];
    make_argv(argv, args);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (tty >= 0)
            dup2(tty, 0);
        if (chdir(W.ws) < 0)
            _exit(2);
        execve(argv[0], argv, probe_env);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int exit_of(result r) {
    if (r.rc < 0)
        return -1;
    if (r.outcome.kind == RF_END_EXITED)
        return r.outcome.value;
    if (r.outcome.kind == RF_END_SIGNALED)
        return 128 + r.outcome.value;
    return 200;
}

/* ---- the escape table ----------------------------------------------------- */

enum { ALLOWED = 0, REFUSED = 1 };

typedef struct escape_case {
    const char *name;
    const char *args[5]; /* @WS@ @WS2@ @OUT@ @TCP@ @UDP@ @PTY@ expanded */
    int want;            /* in the sandbox */
    bool needs_userns;   /* only enforced with namespaces */
    bool baseline_needs_root;
    const char *undo;    /* path to remove after an unconfined success */
} escape_case;

static const escape_case escape_cases[] = {
    /* First: the sandbox keeps its placeholders while it is prepared, so the
     * unconfined baseline must run before any sandboxed run made one. */
    {"create .git where there was none is refused", {"mkdir", "@WS2@/.git"}, REFUSED, true, false, "@WS2@/.git"},
    {"write inside the workspace works", {"write", "@WS@/inside.txt"}, ALLOWED, false, false, "@WS@/inside.txt"},
    {"write outside is refused", {"write", "@OUT@/new.txt"}, REFUSED, false, false, "@OUT@/new.txt"},
    {"write through a symlink pointing outside is refused", {"append", "@WS@/escape-link"}, REFUSED, false, false, NULL},
    {"hard link from outside + write is refused", {"hardlink", "@OUT@/linked.txt", "@WS@/hl.txt"}, REFUSED, false, false, "@WS@/hl.txt"},
    {"rename .git is refused", {"rename", "@WS@/.git", "@WS@/moved-git"}, REFUSED, true, false, NULL},
    {"delete a file in .git is refused", {"unlink", "@WS@/.git/HEAD"}, REFUSED, true, false, NULL},
    {"write .git/config is refused", {"append", "@WS@/.git/config"}, REFUSED, true, false, NULL},
    {"write .git/hooks/pre-commit is refused", {"write", "@WS@/.git/hooks/pre-commit"}, REFUSED, true, false, "@WS@/.git/hooks/pre-commit"},
    {"read a deny-read file is refused", {"read", "@OUT@/token"}, REFUSED, true, false, NULL},
    {"read inside a deny-read folder is refused", {"read", "@OUT@/secret_dir/id_rsa"}, REFUSED, true, false, NULL},
    {"list a deny-read folder is refused", {"list", "@OUT@/secret_dir"}, REFUSED, true, false, NULL},
    {"connect to the docker.sock stand-in is refused", {"unix", "@OUT@/docker.sock"}, REFUSED, true, false, NULL},
    {"connect to a deny-read socket behind a symlinked parent is refused", {"unix", "@OUT@/varrun/agent.sock"}, REFUSED, true, false, NULL},
    {"TCP connect to a loopback listener is refused", {"net", "tcp", "@TCP@"}, REFUSED, false, false, NULL},
    {"UDP send to a loopback listener is refused", {"net", "udp", "@UDP@"}, REFUSED, false, false, NULL},
    /* AF_NETLINK is refused too: glibc's getaddrinfo must still read /etc/hosts. */
    {"write in /tmp and /dev/shm works (private in the sandbox)", {"write", "@SHM@"}, ALLOWED, false, false, NULL},
    {"threads and posix_spawn work (clone3 falls back to clone)", {"threads"}, ALLOWED, false, false, NULL},
    {"resolving localhost still works with network off", {"resolve", "localhost"}, ALLOWED, false, false, NULL},
    {"an AF_INET6 UDP socket is refused", {"net", "udp6"}, REFUSED, false, false, NULL},
    {"an AF_PACKET socket is refused", {"net", "packet"}, REFUSED, false, true, NULL},
    {"a raw IP socket is refused", {"net", "raw"}, REFUSED, false, true, NULL},
    {"TIOCSTI into the terminal is refused", {"tiocsti", "@PTY@"}, REFUSED, false, false, NULL},
    {"TIOCSTI with high bits set is refused", {"tiocsti-hi", "@PTY@"}, REFUSED, false, false, NULL},
    {"unshare(CLONE_NEWUSER) is refused", {"unshare"}, REFUSED, false, false, NULL},
};

static const char *expand(const char *arg, char *buf, size_t len) {
    struct {
        const char *key;
        char value[300];
    } vars[] = {{"@WS2@", ""}, {"@WS@", ""}, {"@OUT@", ""}, {"@TCP@", ""}, {"@UDP@", ""}, {"@PTY@", ""}, {"@SHM@", ""}};
    snprintf(vars[0].value, sizeof vars[0].value, "%s", W.ws2);
    snprintf(vars[1].value, sizeof vars[1].value, "%s", W.ws);
    snprintf(vars[2].value, sizeof vars[2].value, "%s", W.out);
    snprintf(vars[3].value, sizeof vars[3].value, "%d", W.tcp_port);
    snprintf(vars[4].value, sizeof vars[4].value, "%d", W.udp_port);
    snprintf(vars[5].value, sizeof vars[5].value, "%s", W.pty_slave);
    snprintf(vars[6].value, sizeof vars[6].value, "/dev/shm/rf-probe-%d", (int)getpid());
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        size_t k = strlen(vars[i].key);
        if (strncmp(arg, vars[i].key, k) == 0) {
            snprintf(buf, len, "%s%s", vars[i].value, arg + k);
            return buf;
        }
    }
    return arg;
}

static void run_escape_cases(void *state) {
    for (size_t i = 0; i < sizeof escape_cases / sizeof escape_cases[0]; i++) {
        const escape_case *c = &escape_cases[i];
        char bufs[5][600];
        const char *args[6] = {0};
        for (int a = 0; a < 5 && c->args[a]; a++)
            args[a] = expand(c->args[a], bufs[a], sizeof bufs[a]);
        bool tty = strncmp(c->args[0], "tiocsti", 7) == 0;
        int slave = -1;
        if (tty)
            slave = open(W.pty_slave, O_RDWR | O_NOCTTY | O_CLOEXEC);

        /* The probe itself must work unconfined, or the test proves nothing. */
        if (c->want == REFUSED && (!c->baseline_needs_root || geteuid() == 0)) {
            int base = run_unconfined(args, slave);
            CHECK(base == 0, "%s: the probe must succeed unconfined (exit %d)", c->name, base);
            if (c->undo) {
                char u[600];
                const char *up = expand(c->undo, u, sizeof u);
                if (rmdir(up) < 0)
                    unlink(up);
            }
            if (strcmp(c->args[0], "unlink") == 0)
                write_file(args[1], "restored\n"); /* the baseline removed it */
        }
        int got = exit_of(run_sandboxed(state, args, slave));
        int want = (c->needs_userns && !W.userns) ? -2 : c->want;
        if (want != -2)
            CHECK(got == want, "%s: sandboxed exit %d, want %d", c->name, got, want);
        if (slave >= 0)
            close(slave);
    }
}

/* ---- the other behaviours -------------------------------------------------- */

static bool process_with_token(const char *token, pid_t *found) {
    DIR *d = opendir("/proc");
    if (!d)
        return false;
    struct dirent *e;
    bool hit = false;
    while (!hit && (e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char path[300], buf[4096];
        snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        for (ssize_t k = 0; k < n; k++)
            if (buf[k] == '\0')
                buf[k] = ' ';
        if (n > 0) {
            buf[n] = '\0';
            if (strstr(buf, token) && strstr(buf, "sleeper")) {
                hit = true;
                *found = atoi(e->d_name);
            }
        }
    }
    closedir(d);
    return hit;
}

static void test_daemon(void *state) {
    char token[64];
    snprintf(token, sizeof token, "rf-daemon-%d-%ld", (int)getpid(), (long)time(NULL));
    const char *args[] = {"daemon", token, NULL};
    pid_t pid = 0;
    CHECK(run_unconfined(args, -1) == 0, "daemon probe runs unconfined");
    bool survived = process_with_token(token, &pid);
    CHECK(survived, "unconfined, the daemon outlives its parent (the probe works)");
    if (survived)
        kill(pid, SIGKILL);
    snprintf(token, sizeof token, "rf-daemon-sb-%d-%ld", (int)getpid(), (long)time(NULL));
    result r = run_sandboxed(state, args, -1);
    CHECK(exit_of(r) == 0, "daemon probe in the sandbox exits 0 (got %d)", exit_of(r));
    pid = 0;
    bool left = process_with_token(token, &pid);
    CHECK(!left, "sandboxed daemon must not outlive the run (pid %d)", (int)pid);
    if (left)
        kill(pid, SIGKILL);
}

static void test_kill_outside(void *state) {
    for (int round = 0; round < 2; round++) {
        pid_t victim = fork();
        if (victim == 0) {
            execl("/bin/sleep", "sleep", "30", (char *)NULL);
            _exit(127);
        }
        char pid_s[32];
        snprintf(pid_s, sizeof pid_s, "%d", (int)victim);
        const char *kill_args[] = {"kill", pid_s, NULL};
        const char *ptrace_args[] = {"ptrace", pid_s, NULL};
        if (round == 0) {
            CHECK(run_unconfined(ptrace_args, -1) == 0, "ptrace of an outside process works unconfined");
            CHECK(run_unconfined(kill_args, -1) == 0, "kill of an outside process works unconfined");
            int st;
            CHECK(waitpid(victim, &st, 0) == victim && WIFSIGNALED(st), "unconfined kill reached the victim");
        } else {
            CHECK(exit_of(run_sandboxed(state, ptrace_args, -1)) == REFUSED, "ptrace of an outside process is refused");
            CHECK(exit_of(run_sandboxed(state, kill_args, -1)) == REFUSED, "kill of an outside process is refused");
            CHECK(waitpid(victim, NULL, WNOHANG) == 0, "the outside process is still alive");
            kill(victim, SIGKILL);
            waitpid(victim, NULL, 0);
        }
    }
}

static void test_confined_status(void *state) {
    const char *args[] = {"confined", NULL};
    CHECK(run_unconfined(args, -1) != 0, "unconfined, /proc/self/status shows no NoNewPrivs/CapEff 0 pair "
                                         "(the probe can tell)");
    CHECK(exit_of(run_sandboxed(state, args, -1)) == 0, "/proc/self/status: NoNewPrivs 1 and CapEff 0");
}

static void test_exit_and_signal(void *state) {
    static const struct {
        const char *args[3];
        rf_end_kind kind;
        int value;
    } cases[] = {
        {{"exit", "0"}, RF_END_EXITED, 0},
        {{"exit", "3"}, RF_END_EXITED, 3},
        {{"exit", "77"}, RF_END_EXITED, 77},
        {{"signal", "15"}, RF_END_SIGNALED, SIGTERM},
        {{"signal", "6"}, RF_END_SIGNALED, SIGABRT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *args[] = {cases[i].args[0], cases[i].args[1], NULL};
        result r = run_sandboxed(state, args, -1);
        CHECK(r.rc == 0 && r.outcome.kind == cases[i].kind && r.outcome.value == cases[i].value,
              "%s %s: outcome kind %d value %d", cases[i].args[0], cases[i].args[1], (int)r.outcome.kind,
              r.outcome.value);
    }
    /* Exec failure: reported as such with the errno, not as an exit status. */
    char *argv[] = {"/nonexistent/ringfence-no-such-command", NULL};
    rf_launch launch = {argv, probe_env, W.ws, getenv("PATH"), 0, 1, 2, -1};
    rf_child child = {0};
    rf_error err = {0};
    rf_outcome out = {0};
    int rc = rf_backend_unelevated.spawn(state, &launch, &child, &err);
    CHECK(rc == 0 && child.pid > 0, "spawn of a missing command returns normally (%s)", err.message);
    if (child.pid > 0)
        rf_backend_unelevated.wait(state, &child, &out, &err);
    CHECK(out.kind == RF_END_EXEC_FAILED && out.value == ENOENT, "missing command: EXEC_FAILED/ENOENT (kind %d value %d)",
          (int)out.kind, out.value);
}

/* kill_tree (the timeout path) and a forwarded signal end the whole run. */
static void test_kill_tree_and_forward(void *state) {
    for (int mode = 0; mode < 2; mode++) {
        char token[64];
        snprintf(token, sizeof token, "rf-tree-%d-%d", (int)getpid(), mode);
        char *argv[] = {W.self, "--probe", "sleeper", token, NULL};
        rf_launch launch = {argv, probe_env, W.ws, getenv("PATH"), 0, 1, 2, -1};
        rf_child child = {0};
        rf_error err = {0};
        rf_outcome out = {0};
        if (rf_backend_unelevated.spawn(state, &launch, &child, &err) < 0) {
            CHECK(false, "spawn for kill_tree: %s", err.message);
            continue;
        }
        usleep(100 * 1000);
        if (mode == 0)
            rf_backend_unelevated.kill_tree(state, &child);
        else
            kill(child.signal_pid, SIGTERM);
        rf_backend_unelevated.wait(state, &child, &out, &err);
        pid_t pid = 0;
        CHECK(!process_with_token(token, &pid), "%s left the command running", mode ? "SIGTERM" : "kill_tree");
        CHECK(out.kind == RF_END_SIGNALED && out.value == (mode ? SIGTERM : SIGKILL),
              "%s: outcome kind %d value %d", mode ? "forwarded SIGTERM" : "kill_tree", (int)out.kind, out.value);
    }
}

/* The placeholder for an absent .git is gone after the run, and no mount
 * of the sandbox propagated back to the host. */
static void test_placeholders_gone(void) {
    FILE *mi = fopen("/proc/self/mountinfo", "re");
    char line[4096];
    int leaked = 0;
    while (mi && fgets(line, sizeof line, mi))
        if (strstr(line, W.base) || strstr(line, W.out))
            leaked++;
    if (mi)
        fclose(mi);
    CHECK(mi && leaked == 0, "no sandbox mount visible on the host (%d found)", leaked);
    char shm[64];
    struct stat shm_st;
    snprintf(shm, sizeof shm, "/dev/shm/rf-probe-%d", (int)getpid());
    CHECK(lstat(shm, &shm_st) < 0, "the sandbox's /dev/shm file did not reach the host's /dev/shm");
    const char *names[] = {".git", ".codex", ".agents", ".ringfence"};
    char p[600];
    for (int i = 0; i < 4; i++) {
        path_in(p, sizeof p, W.ws2, names[i]);
        struct stat st;
        CHECK(lstat(p, &st) < 0 && errno == ENOENT, "placeholder %s left behind after the runs", p);
    }
}

/* Two prepared sandboxes on the same workspaces: the first to close must not
 * remove a placeholder the other still mounts on (rmdir would silently
 * detach the other sandbox's read-only mount); the last one removes it; an
 * empty directory the user made is never removed. */
static void test_shared_placeholders(void) {
    char user_dir[600], git2[600];
    path_in(user_dir, sizeof user_dir, W.ws, ".agents");
    path_in(git2, sizeof git2, W.ws2, ".git");
    mkdir_or_warn(user_dir); /* the user's own, empty */
    /* Lock files of a killed run whose placeholders are gone: swept. */
    char lock_dir[256], stale_gate[400], stale_users[400];
    rf_error lerr = {0};
    CHECK(rf_placeholder_lock_dir(lock_dir, sizeof lock_dir, &lerr) == 0, "lock dir: %s", lerr.message);
    snprintf(stale_gate, sizeof stale_gate, "%s/root-00000000deadbeef.gate", lock_dir);
    snprintf(stale_users, sizeof stale_users, "%s/root-00000000deadbeef.users", lock_dir);
    write_file(stale_gate, "/nonexistent/ringfence-stale/.git\n");
    write_file(stale_users, "");
    void *s1 = NULL, *s2 = NULL;
    rf_error err = {0};
    CHECK(rf_backend_unelevated.prepare(&W.policy, &s1, &err) == 0, "prepare 1: %s", err.message);
    CHECK(rf_backend_unelevated.prepare(&W.policy, &s2, &err) == 0, "prepare 2: %s", err.message);
    if (!s1 || !s2)
        return;
    const char *t[] = {"true", NULL};
    CHECK(exit_of(run_sandboxed(s1, t, -1)) == 0, "sandbox 1 runs");
    CHECK(exit_of(run_sandboxed(s2, t, -1)) == 0, "sandbox 2 runs");
    struct stat st;
    CHECK(lstat(stale_gate, &st) < 0 && lstat(stale_users, &st) < 0, "stale lock files of a killed run are swept");
    CHECK(lstat(git2, &st) == 0, "placeholder %s exists while sandboxes are open", git2);
    rf_backend_unelevated.cleanup(s1);
    CHECK(lstat(git2, &st) == 0, "closing sandbox 1 keeps the placeholder sandbox 2 still uses");
    const char *mk[] = {"mkdir", git2, NULL};
    char probe_path[700];
    snprintf(probe_path, sizeof probe_path, "%s/hooks", git2);
    const char *mk_hooks[] = {"mkdir", probe_path, NULL};
    CHECK(exit_of(run_sandboxed(s2, mk, -1)) == REFUSED, "sandbox 2 still cannot create %s", git2);
    CHECK(exit_of(run_sandboxed(s2, mk_hooks, -1)) == REFUSED, "sandbox 2 cannot plant %s", probe_path);
    rf_backend_unelevated.cleanup(s2);
    CHECK(lstat(git2, &st) < 0 && errno == ENOENT, "the last sandbox out removed the placeholder");
    CHECK(lstat(user_dir, &st) == 0 && S_ISDIR(st.st_mode), "the user's own empty %s is kept", user_dir);
    rmdir(user_dir);
}

static void test_status(void) {
    rf_backend_status st;
    memset(&st, 0, sizeof st);
    rf_backend_unelevated.probe(&st);
    CHECK(st.available, "unelevated available: %s", st.reason);
    CHECK(st.level[RF_G_WRITES] == RF_ENFORCED, "writes enforced");
    CHECK(st.level[RF_G_NETWORK] == RF_ENFORCED, "network enforced");
    CHECK(st.level[RF_G_PROCESS_TREE] == RF_ENFORCED, "process_tree enforced");
    rf_level ns = W.userns ? RF_ENFORCED : RF_ABSENT;
    CHECK(st.level[RF_G_PROTECTED] == ns, "protected %s", rf_level_name(ns));
    CHECK(st.level[RF_G_DENY_READ] == ns, "deny_read %s", rf_level_name(ns));
    if (!W.userns) {
        CHECK(strstr(st.why[RF_G_PROTECTED], "RINGFENCE_DISABLE_USERNS=1") != NULL &&
                  strstr(st.why[RF_G_PROTECTED], "sudo ringfence setup") != NULL,
              "protected: says it was forced and what restores it: %s", st.why[RF_G_PROTECTED]);
        CHECK(strstr(st.layers, "forced") != NULL, "layers show the forced mode: %s", st.layers);
    }
    CHECK(strstr(st.layers, "landlock ABI") != NULL, "layers name Landlock: %s", st.layers);
    printf("status: %s\n%s", st.reason, st.layers);
}

static void test_terminal(bool no_userns);

static int suite(bool no_userns) {
    if (no_userns)
        setenv("RINGFENCE_DISABLE_USERNS", "1", 1);
    signal(SIGPIPE, SIG_IGN);
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    build_world();
    rf_backend_status st;
    memset(&st, 0, sizeof st);
    rf_backend_unelevated.probe(&st);
    W.userns = st.level[RF_G_PROTECTED] == RF_ENFORCED;
    printf("== suite as uid %u, %s\n", (unsigned)getuid(), W.userns ? "with user namespaces" : "without user namespaces");
    test_status();
    void *state = NULL;
    rf_error err = {0};
    int rc = rf_backend_unelevated.prepare(&W.policy, &state, &err);
    CHECK(rc == 0, "prepare: %s", err.message);
    if (rc == 0) {
        run_escape_cases(state);
        test_daemon(state);
        test_kill_outside(state);
        test_confined_status(state);
        test_exit_and_signal(state);
        test_kill_tree_and_forward(state);
        test_terminal(!W.userns);
        rf_backend_unelevated.cleanup(state);
        if (W.userns) {
            test_placeholders_gone();
            test_shared_placeholders();
        }
    }
    char shm[64];
    snprintf(shm, sizeof shm, "/dev/shm/rf-probe-%d", (int)getpid());
    unlink(shm); /* only there in the shared (no user namespace) mode */
    remove_tree(W.base);
    remove_tree(W.out);
    return check_summary(no_userns ? "unelevated (no userns)" : "unelevated");
}

/* Under `script`: the command gets the terminal (launch.tty_fd), as `ringfence
 * run` gives it to an interactive shell. */
static int tty_run(bool no_userns) {
    if (no_userns)
        setenv("RINGFENCE_DISABLE_USERNS", "1", 1);
    snprintf(W.ws, sizeof W.ws, "/");
    rf_policy pol;
    memset(&pol, 0, sizeof pol);
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        return 2;
    rf_list_add(&pol.writable_roots, cwd, RF_SRC_DEFAULT);
    pol.workspace = cwd;
    void *state = NULL;
    rf_error err = {0};
    if (rf_backend_unelevated.prepare(&pol, &state, &err) < 0) {
        fprintf(stderr, "prepare: %s\n", err.message);
        return 2;
    }
    char *argv[] = {W.self, "--probe", "foreground", NULL};
    rf_launch launch = {argv, probe_env, cwd, getenv("PATH"), 0, 1, 2, 0};
    rf_child child = {0};
    rf_outcome out = {0};
    int rc = rf_backend_unelevated.spawn(state, &launch, &child, &err);
    if (child.pid > 0)
        rf_backend_unelevated.wait(state, &child, &out, &err);
    /* Take the terminal back, as the core does. */
    signal(SIGTTOU, SIG_IGN);
    tcsetpgrp(0, getpgrp());
    rf_backend_unelevated.cleanup(state);
    rf_list_free(&pol.writable_roots);
    if (rc < 0) {
        fprintf(stderr, "spawn: %s\n", err.message);
        return 2;
    }
    return out.kind == RF_END_EXITED ? out.value : 3;
}

static void test_terminal(bool no_userns) {
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "cd '%s' && script -qec \"'%s' --tty-run x%s\" /dev/null >/dev/null 2>&1", W.ws, W.self,
             no_userns ? " --no-userns" : "");
    int st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "under script, the command is handed the terminal (status %#x)", st);
}

/* ---- spawn overhead ------------------------------------------------------- */

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int bench(int n) {
    build_world();
    /* A realistic policy: one workspace outside /tmp holding a .git, the
     * default protected names (three absent: placeholders), three deny-read
     * paths (a folder, a file, a socket) and one absent. */
    char ws[600], git[700];
    path_in(ws, sizeof ws, W.out, "bench-ws");
    mkdir_or_warn(ws);
    path_in(git, sizeof git, ws, ".git");
    mkdir_or_warn(git);
    rf_list_free(&W.policy.writable_roots);
    rf_list_add(&W.policy.writable_roots, ws, RF_SRC_DEFAULT);
    W.policy.workspace = ws;
    void *state = NULL;
    rf_error err = {0};
    if (rf_backend_unelevated.prepare(&W.policy, &state, &err) < 0) {
        fprintf(stderr, "prepare: %s\n", err.message);
        return 1;
    }
    double *bare = calloc((size_t)n, sizeof *bare), *sb = calloc((size_t)n, sizeof *sb);
    char *argv[] = {"/bin/true", NULL};
    rf_launch launch = {argv, environ, ws, getenv("PATH"), 0, 1, 2, -1};
    for (int i = 0; i < n; i++) {
        double t0 = now_us();
        pid_t pid = fork();
        if (pid == 0) {
            execv("/bin/true", argv);
            _exit(127);
        }
        waitpid(pid, NULL, 0);
        bare[i] = now_us() - t0;
        t0 = now_us();
        rf_child child = {0};
        rf_outcome out;
        if (rf_backend_unelevated.spawn(state, &launch, &child, &err) == 0)
            rf_backend_unelevated.wait(state, &child, &out, &err);
        sb[i] = now_us() - t0;
    }
    qsort(bare, (size_t)n, sizeof *bare, cmp_double);
    qsort(sb, (size_t)n, sizeof *sb, cmp_double);
    printf("spawn+wait of /bin/true, %d runs: bare fork+exec median %.0f us, unelevated median %.0f us "
           "(p90 %.0f us), overhead %.0f us\n",
           n, bare[n / 2], sb[n / 2], sb[n * 9 / 10], sb[n / 2] - bare[n / 2]);
    free(bare);
    free(sb);
    rf_backend_unelevated.cleanup(state);
    remove_tree(W.base);
    remove_tree(W.out);
    return 0;
}

/* ---- the whole run ---------------------------------------------------------- */

static int run_child(char *const *argv) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[0], argv);
        perror(argv[0]);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Copies this binary where `nobody` can execute it (not under /tmp, which
 * the sandbox's private /tmp hides). */
static int copy_self(char *dir, size_t dlen, char *out, size_t olen) {
    snprintf(dir, dlen, "/var/tmp/rf-bin-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    chmod(dir, 0755);
    snprintf(out, olen, "%s/driver", dir);
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s' && chmod 755 '%s'", W.self, out, out);
    return system(cmd) == 0 ? 0 : -1;
}

int main(int argc, char **argv) {
    ssize_t n = readlink("/proc/self/exe", W.self, sizeof W.self - 1);
    if (n <= 0)
        return 2;
    W.self[n] = '\0';
    build_probe_env();
    if (argc >= 3 && strcmp(argv[1], "--probe") == 0)
        return run_probe(argc - 2, argv + 2, W.self);
    if (argc >= 2 && strcmp(argv[1], "--suite") == 0)
        return suite(argc >= 3 && strcmp(argv[2], "--no-userns") == 0);
    if (argc >= 3 && strcmp(argv[1], "--tty-run") == 0)
        return tty_run(argc >= 4 && strcmp(argv[3], "--no-userns") == 0);
    if (argc >= 2 && strcmp(argv[1], "--bench") == 0)
        return bench(argc >= 3 ? atoi(argv[2]) : 200);

    int failed = 0;
    char *a1[] = {W.self, "--suite", NULL};
    char *a2[] = {W.self, "--suite", "--no-userns", NULL};
    failed |= run_child(a1) != 0;
    failed |= run_child(a2) != 0;
    if (geteuid() == 0) {
        char dir[64], copy[128];
        if (copy_self(dir, sizeof dir, copy, sizeof copy) < 0) {
            fprintf(stderr, "copying the driver for user nobody failed\n");
            return 1;
        }
        char *b1[] = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                      "--bounding-set=-all", copy, "--suite", NULL};
        char *b2[] = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                      "--bounding-set=-all", copy, "--suite", "--no-userns", NULL};
        failed |= run_child(b1) != 0;
        failed |= run_child(b2) != 0;
        remove_tree(dir);
    }
    printf("unelevated driver: %s\n", failed ? "FAILED" : "all suites passed");
    return failed;
}
