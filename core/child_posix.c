/*
 * child_posix.c — starting and ending a command on POSIX systems: the exec
 * report pipe, process group and terminal hand-over, PATH search, waiting, and
 * killing a whole process tree.  Shared by every POSIX backend.
 *
 * Functions marked "in the child" run between fork and exec and therefore use
 * only async-signal-safe calls and no heap.
 */
#include "core/child_posix.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "core/error.h"

/* ---- the report pipe ----------------------------------------------------- */

int rf_report_pipe_open(rf_report_pipe *p, rf_error *err) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        p->read_fd = p->write_fd = -1;
        return rf_fail_errno(err, errno, "creating the exec report pipe");
    }
    p->read_fd = fds[0];
    p->write_fd = fds[1];
    return 0;
}

void rf_report_pipe_close(rf_report_pipe *p) {
    if (p->read_fd >= 0)
        close(p->read_fd);
    if (p->write_fd >= 0)
        close(p->write_fd);
    p->read_fd = p->write_fd = -1;
}

int rf_report_pipe_collect(rf_report_pipe *p, int *exec_errno, rf_error *err) {
    if (p->write_fd >= 0) {
        close(p->write_fd);
        p->write_fd = -1;
    }
    int value = 0;
    size_t got = 0;
    while (got < sizeof value) {
        ssize_t n = read(p->read_fd, (char *)&value + got, sizeof value - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return rf_fail_errno(err, errno, "reading the exec report pipe");
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(p->read_fd);
    p->read_fd = -1;
    if (got == 0) {
        *exec_errno = 0; /* EOF: the close-on-exec end vanished at a successful exec */
        return 0;
    }
    if (got != sizeof value)
        return rf_fail(err, -EPROTO, "reading the exec report pipe: short report (%zu bytes)", got);
    if (value < 0) {
        /* The sandbox could not be set up: ringfence's failure, not the command's. */
        *exec_errno = 0;
        return rf_fail_errno(err, -value, "setting up the sandboxed process before exec");
    }
    *exec_errno = value > 0 ? value : EIO;
    return 0;
}

/* ---- in the child -------------------------------------------------------- */

static void write_all_raw(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        p += n;
        len -= (size_t)n;
    }
}

void rf_child_abort(int report_fd, int errnum) {
    /* Negative: a setup step failed, not the exec (see rf_report_pipe_collect). */
    int value = -(errnum > 0 ? errnum : EIO);
    if (report_fd >= 0)
        write_all_raw(report_fd, &value, sizeof value);
    _exit(126);
}

static int move_fd(int from, int to) {
    if (from == to) {
        /* Keep it, but make sure it survives exec. */
        int flags = fcntl(from, F_GETFD);
        if (flags < 0 || fcntl(from, F_SETFD, flags & ~FD_CLOEXEC) < 0)
            return -errno;
        return 0;
    }
    return dup2(from, to) < 0 ? -errno : 0;
}

static int take_terminal(int tty_fd) {
    /* A background process group calling tcsetpgrp gets SIGTTOU: block it. */
    sigset_t ttou, old;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    if (sigprocmask(SIG_BLOCK, &ttou, &old) < 0)
        return -errno;
    int rc = tcsetpgrp(tty_fd, getpid()) < 0 ? -errno : 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int rf_child_prepare_process(const rf_launch *launch) {
    /* stdio first: the source fds may be any number, including 0..2. */
    int in = launch->stdin_fd, out = launch->stdout_fd, errfd = launch->stderr_fd;
    /* Lift sources out of 0..2 so one dup2 cannot clobber the next source. */
    if (in < 3 && in != 0 && (in = fcntl(in, F_DUPFD_CLOEXEC, 3)) < 0)
        return -errno;
    if (out < 3 && out != 1 && (out = fcntl(out, F_DUPFD_CLOEXEC, 3)) < 0)
        return -errno;
    if (errfd < 3 && errfd != 2 && (errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 3)) < 0)
        return -errno;
    int rc;
    if ((rc = move_fd(in, 0)) < 0 || (rc = move_fd(out, 1)) < 0 || (rc = move_fd(errfd, 2)) < 0)
        return rc;

    /* Own process group: signals and the timeout reach the whole job, and the
     * terminal can be handed to it without handing over ringfence itself. */
    if (setpgid(0, 0) < 0)
        return -errno;
    if (launch->tty_fd >= 0 && (rc = take_terminal(launch->tty_fd)) < 0)
        return rc;

    /* The launcher blocks and ignores signals; the command starts clean. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP)
            continue;
        sigaction(sig, &dfl, NULL); /* fails harmlessly for the reserved RT signals */
    }
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
        return -errno;
    return 0;
}

/* Tries argv[0] in each PATH entry the way execvp does, without touching the
 * heap: ENOENT only when no candidate exists; EACCES when one existed but could
 * not be executed, so `run` can tell 127 from 126. */
static int exec_search(const rf_launch *launch) {
    const char *file = launch->argv[0];
    if (strchr(file, '/')) {
        execve(file, launch->argv, launch->envp);
        return errno;
    }
    const char *path = launch->path_env ? launch->path_env : "/usr/local/bin:/usr/bin:/bin";
    size_t flen = strlen(file);
    int result = ENOENT;
    char buf[4096];
    const char *p = path;
    for (;;) {
        const char *end = strchr(p, ':');
        size_t dlen = end ? (size_t)(end - p) : strlen(p);
        if (dlen == 0) { /* an empty entry means the current directory */
            buf[0] = '.';
            dlen = 1;
        } else if (dlen < sizeof buf) {
            memcpy(buf, p, dlen);
        }
        if (dlen + 1 + flen + 1 <= sizeof buf) {
            buf[dlen] = '/';
            memcpy(buf + dlen + 1, file, flen + 1);
            execve(buf, launch->argv, launch->envp);
            if (errno == EACCES || errno == ENOEXEC || errno == EPERM || errno == ETXTBSY ||
                errno == EISDIR)
                result = errno;
            else if (errno != ENOENT && errno != ENOTDIR && result == ENOENT)
                result = errno;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return result;
}

void rf_child_exec(const rf_launch *launch, int report_fd) {
    int errnum = exec_search(launch);
    if (report_fd >= 0)
        write_all_raw(report_fd, &errnum, sizeof errnum);
    _exit(errnum == ENOENT ? 127 : 126);
}

/* ---- waiting and ending -------------------------------------------------- */

int rf_wait_pid(int pid, rf_outcome *out, rf_error *err) {
    int status;
    for (;;) {
        pid_t got = waitpid(pid, &status, 0);
        if (got == pid)
            break;
        if (got < 0 && errno == EINTR)
            continue;
        return rf_fail_errno(err, errno, "waiting for process %d", pid);
    }
    if (WIFSIGNALED(status)) {
        out->kind = RF_END_SIGNALED;
        out->value = WTERMSIG(status);
    } else {
        out->kind = RF_END_EXITED;
        out->value = WEXITSTATUS(status);
    }
    return 0;
}

/* Whether every child of this process belongs to a command (see
 * rf_kill_descendants): only after rf_become_subreaper. */
static bool children_are_ours;

int rf_become_subreaper(rf_error *err) {
    children_are_ours = true;
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        return rf_fail_errno(err, errno, "becoming the child subreaper (prctl PR_SET_CHILD_SUBREAPER)");
    return 0;
}

/* Calls fn(pid) for every decimal number in the file at `path` (a /proc
 * children list: "PID PID ... ").  read(2) and digits by hand rather than
 * fscanf, whose scanner is ~35 KiB of libc made resident for this alone.
 * Returns how many it found. */
static int for_each_pid_in(const char *path, void (*fn)(int pid, void *ctx), void *ctx) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int found = 0;
    long pid = -1; /* the number being read, -1 between numbers */
    bool garbage = false;
    char buf[512];
    while (!garbage) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n && !garbage; i++) {
            if (buf[i] >= '0' && buf[i] <= '9') {
                pid = (pid < 0 ? 0 : pid) * 10 + (buf[i] - '0');
                garbage = pid > 1L << 30; /* beyond any pid: not a children list */
            } else if (pid >= 0) {
                fn((int)pid, ctx);
                found++;
                pid = -1;
            }
        }
    }
    if (pid >= 0 && !garbage) { /* a last number without a separator */
        fn((int)pid, ctx);
        found++;
    }
    close(fd);
    return found;
}

/* Calls fn(pid) for every direct child of `parent`, from /proc's children
 * lists (one per thread).  Returns how many it found. */
static int for_each_child(int parent, void (*fn)(int pid, void *ctx), void *ctx) {
    char dirpath[64];
    snprintf(dirpath, sizeof dirpath, "/proc/%d/task", parent);
    DIR *tasks = opendir(dirpath);
    if (!tasks)
        return 0;
    int found = 0;
    struct dirent *t;
    while ((t = readdir(tasks)) != NULL) {
        if (t->d_name[0] == '.')
            continue;
        char path[320]; /* "/proc/%d/task/" + a 255-byte d_name fits */
        snprintf(path, sizeof path, "/proc/%d/task/%s/children", parent, t->d_name);
        found += for_each_pid_in(path, fn, ctx);
    }
    closedir(tasks);
    return found;
}

struct tree_walk {
    int sig;
    int depth;
};

static void signal_subtree(int pid, void *ctx) {
    struct tree_walk *w = ctx;
    /* Stop before descending so a forking process cannot add children behind
     * our back; the final SIGKILL pass then meets a frozen tree. */
    kill(pid, w->sig);
    if (w->depth < 64) {
        w->depth++;
        for_each_child(pid, signal_subtree, w);
        w->depth--;
    }
}

struct sweep {
    int keep_pid;
    int others; /* children other than keep_pid still present */
};

/* SIGKILLs the child's subtree and reaps the child when it is already gone. */
static void kill_and_reap(int pid, void *ctx) {
    struct sweep *s = ctx;
    struct tree_walk w = {SIGKILL, 0};
    signal_subtree(pid, &w);
    if (pid == s->keep_pid)
        return; /* the backend's wait reaps the command itself */
    if (waitpid(pid, NULL, WNOHANG) != pid)
        s->others++;
}

void rf_kill_descendants(int pgid, int keep_pid) {
    if (pgid > 1)
        kill(-pgid, SIGSTOP);
    struct tree_walk stop = {SIGSTOP, 0};
    if (!children_are_ours) {
        /* An embedding program's other children are not ours to end: only
         * the command's own subtree. */
        if (keep_pid > 0)
            signal_subtree(keep_pid, &stop);
        if (pgid > 1)
            kill(-pgid, SIGKILL);
        struct tree_walk killw = {SIGKILL, 0};
        if (keep_pid > 0)
            signal_subtree(keep_pid, &killw);
        return;
    }
    for_each_child(getpid(), signal_subtree, &stop);
    if (pgid > 1)
        kill(-pgid, SIGKILL);
    /* Orphans are re-parented to us (we are the subreaper) while we walk:
     * sweep until only the command itself is left. */
    for (int round = 0; round < 200; round++) {
        struct sweep s = {keep_pid, 0};
        for_each_child(getpid(), kill_and_reap, &s);
        if (s.others == 0)
            break;
        usleep(1000);
    }
}
