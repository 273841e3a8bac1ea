/* probe_util.c — POSIX helpers for the probes: errno verdicts, world paths, running tools.
 * The portable half (outcome names, result setters) is probe_result.c. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe/probe.h"

bool rf_probe_is_refusal(int err) {
    switch (err) {
    case EPERM:
    case EACCES:
    case EROFS:
    case EXDEV: /* Landlock REFER: a link or rename across the boundary */
    case EBUSY: /* renaming or removing a mount point (a read-only bind) */
        return true;
    default:
        return false;
    }
}

void rf_probe_failed(rf_probe_result *r, int err, const char *what) {
    r->err = err;
    r->outcome = rf_probe_is_refusal(err) ? RF_OUT_BLOCKED : RF_OUT_ERROR;
    snprintf(r->detail, sizeof r->detail, "%s: %s", what, strerror(err));
}

void rf_probe_failed_hidden(rf_probe_result *r, int err, const char *what) {
    rf_probe_failed(r, err, what);
    if (err == ENOENT || err == ESRCH) {
        r->outcome = RF_OUT_BLOCKED;
        snprintf(r->detail + strlen(r->detail), sizeof r->detail - strlen(r->detail),
                 " (hidden from the sandbox)");
    }
}

bool rf_probe_path(const rf_probe_world *w, const char *rel, char *buf, size_t len) {
    int n = snprintf(buf, len, "%s/%s", w->root, rel);
    return n > 0 && (size_t)n < len;
}

int rf_probe_open_handle(const rf_probe_world *w, const rf_probe_handle *h, int flags) {
    int mount_fd = open(w->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (mount_fd < 0)
        return -errno;
    union {
        struct file_handle fh;
        char space[sizeof(struct file_handle) + sizeof h->bytes];
    } u;
    u.fh.handle_bytes = h->len;
    u.fh.handle_type = h->type;
    memcpy(u.fh.f_handle, h->bytes, h->len);
    int fd = open_by_handle_at(mount_fd, &u.fh, flags | O_CLOEXEC);
    int e = errno;
    close(mount_fd);
    return fd < 0 ? -e : fd;
}

bool rf_probe_shm_path(const char *tmp_path, char *buf, size_t len) {
    const char *base = strrchr(tmp_path, '/');
    int n = snprintf(buf, len, "/dev/shm/%s", base ? base + 1 : tmp_path);
    return n > 0 && (size_t)n < len;
}

long rf_probe_read_file(const char *path, char *buf, size_t len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    size_t got = 0;
    while (got + 1 < len) {
        ssize_t n = read(fd, buf + got, len - 1 - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            return -e;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    close(fd);
    return (long)got;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int rf_probe_run_tool(char *const argv[], char *out, size_t out_len, int timeout_s) {
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) < 0)
        return -errno;
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(pfd[0]);
        close(pfd[1]);
        return -e;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(pfd[1], 1) < 0 || dup2(pfd[1], 2) < 0)
            _exit(126);
        /* Its own group, so a timeout ends the tool's helpers too. */
        setpgid(0, 0);
        execv(argv[0], argv);
        _exit(127);
    }
    close(pfd[1]);
    size_t got = 0;
    double deadline = now_s() + timeout_s;
    bool timed_out = false;
    for (;;) {
        double left = deadline - now_s();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd p = {.fd = pfd[0], .events = POLLIN};
        int n = poll(&p, 1, (int)(left * 1000) + 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            continue;
        char chunk[1024];
        ssize_t k = read(pfd[0], chunk, sizeof chunk);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        size_t room = out_len > got + 1 ? out_len - got - 1 : 0;
        size_t take = (size_t)k < room ? (size_t)k : room;
        memcpy(out + got, chunk, take);
        got += take;
    }
    if (out_len)
        out[got] = '\0';
    close(pfd[0]);
    if (timed_out)
        kill(-pid, SIGKILL), kill(pid, SIGKILL);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -errno;
    if (timed_out)
        return -ETIMEDOUT;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}
