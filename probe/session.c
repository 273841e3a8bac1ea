/* session.c — a pty session for each probe run (session.h).  Cleanup: goto out. */
#include "probe/session.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

typedef struct session_report {
    int rc;
    char why[512];
} session_report;

/* In the helper: new session, the pty slave as controlling terminal on fd 0. */
static int become_session_leader(const char *slave_path) {
    if (setsid() < 0)
        return -errno;
    /* Opening the slave without O_NOCTTY as a session leader with no terminal
     * makes it the controlling terminal; TIOCSCTTY makes that explicit. */
    int fd = open(slave_path, O_RDWR);
    if (fd < 0)
        return -errno;
    if (ioctl(fd, TIOCSCTTY, 0) < 0 && errno != EPERM) {
        int e = errno;
        close(fd);
        return -e;
    }
    if (dup2(fd, STDIN_FILENO) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    if (fd != STDIN_FILENO)
        close(fd);
    return 0;
}

static void helper_main(const char *slave_path, int master, int out_w, int report_w,
                        rf_probe_launch_fn launch, void *ctx, char *const argv[]) {
    session_report rep;
    memset(&rep, 0, sizeof rep);
    close(master);
    int rc = become_session_leader(slave_path);
    if (rc < 0) {
        rep.rc = rc;
        snprintf(rep.why, sizeof rep.why, "making %s the controlling terminal: %s", slave_path,
                 strerror(-rc));
    } else {
        rep.rc = launch(ctx, argv, out_w, rep.why, sizeof rep.why);
    }
    close(out_w);
    ssize_t n = write(report_w, &rep, sizeof rep);
    _exit(n == (ssize_t)sizeof rep ? 0 : 1);
}

/* Reads fd to EOF into a growing buffer. */
static int slurp(int fd, char **out) {
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return -ENOMEM;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                return -ENOMEM;
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(buf);
            return -e;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    *out = buf;
    return 0;
}

int rf_probe_session_run(rf_probe_launch_fn launch, void *ctx, char *const argv[], char **output,
                         char *why, size_t why_len) {
    *output = NULL;
    int rc = 0, master = -1, out_p[2] = {-1, -1}, rep_p[2] = {-1, -1};
    pid_t pid = -1;
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
        rc = -errno;
        snprintf(why, why_len, "opening a pty for the probe run: %s", strerror(errno));
        goto out;
    }
    char slave_path[128];
    if ((rc = ptsname_r(master, slave_path, sizeof slave_path)) != 0) {
        snprintf(why, why_len, "ptsname: %s", strerror(rc));
        rc = -rc;
        goto out;
    }
    if (pipe2(out_p, O_CLOEXEC) < 0 || pipe2(rep_p, O_CLOEXEC) < 0) {
        rc = -errno;
        snprintf(why, why_len, "pipe for the probe run: %s", strerror(errno));
        goto out;
    }
    pid = fork();
    if (pid < 0) {
        rc = -errno;
        snprintf(why, why_len, "forking the probe session: %s", strerror(errno));
        goto out;
    }
    if (pid == 0) {
        close(out_p[0]);
        close(rep_p[0]);
        helper_main(slave_path, master, out_p[1], rep_p[1], launch, ctx, argv);
    }
    close(out_p[1]);
    close(rep_p[1]);
    out_p[1] = rep_p[1] = -1;
    if ((rc = slurp(out_p[0], output)) < 0) {
        snprintf(why, why_len, "reading the probe output: %s", strerror(-rc));
        goto out;
    }
    session_report rep;
    ssize_t n = read(rep_p[0], &rep, sizeof rep);
    if (n != (ssize_t)sizeof rep) {
        rc = -EIO;
        snprintf(why, why_len, "the probe session ended without a report");
        goto out;
    }
    rc = rep.rc;
    if (rc < 0)
        snprintf(why, why_len, "%s", rep.why);
out:
    if (pid > 0)
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
        }
    int fds[] = {master, out_p[0], out_p[1], rep_p[0], rep_p[1]};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    if (rc < 0) {
        free(*output);
        *output = NULL;
    }
    return rc;
}

int rf_probe_launch_direct(void *ctx, char *const argv[], int stdout_fd, char *why,
                           size_t why_len) {
    (void)ctx;
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, why_len, "fork: %s", strerror(errno));
        return -errno;
    }
    if (pid == 0) {
        if (dup2(stdout_fd, STDOUT_FILENO) < 0)
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            snprintf(why, why_len, "waitpid: %s", strerror(errno));
            return -errno;
        }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
