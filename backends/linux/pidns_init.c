/* pidns_init.c — the sandbox's init (or subreaper keeper): fork the command, forward signals, reap, report. */
#include "backends/linux/pidns_init.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void write_record(int fd, const rf_sup_record *rec) {
    const char *p = (const char *)rec;
    size_t left = sizeof *rec;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        p += n;
        left -= (size_t)n;
    }
}

void rf_sup_report_setup_failure(int status_fd, int step, int index, int errnum) {
    rf_sup_record rec = {RF_SUP_SETUP_FAILED, step, index, errnum};
    write_record(status_fd, &rec);
}

/* Reads the direct children of this (single-threaded) process into pids. */
static int list_children(pid_t *pids, int cap) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    char buf[4096];
    int n = 0, cur = -1;
    for (;;) {
        ssize_t got = read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        for (ssize_t i = 0; i < got; i++) {
            if (buf[i] >= '0' && buf[i] <= '9') {
                cur = (cur < 0 ? 0 : cur * 10) + (buf[i] - '0');
            } else if (cur >= 0) {
                if (n < cap)
                    pids[n++] = cur;
                cur = -1;
            }
        }
    }
    if (cur >= 0 && n < cap)
        pids[n++] = cur;
    close(fd);
    return n;
}

/* Keeper mode: kill every descendant.  Orphans of a killed process are
 * re-parented to us (we are the subreaper), so repeat until no child is
 * left; a process that forks while we kill only adds a child for the next
 * round.  Records the command's status when it is among them. */
static void kill_descendants(pid_t command, int *command_status, int *command_done) {
    pid_t pids[512];
    for (int round = 0; round < 10000; round++) {
        int n = list_children(pids, 512);
        if (n <= 0)
            return;
        for (int i = 0; i < n; i++)
            kill(pids[i], SIGKILL);
        for (int i = 0; i < n; i++) {
            int st;
            pid_t got;
            while ((got = waitpid(pids[i], &st, 0)) < 0 && errno == EINTR) {
            }
            if (got == command && !*command_done) {
                *command_status = st;
                *command_done = 1;
            }
        }
    }
}

static void forward(pid_t command, int sig) {
    /* The command leads its own process group (rf_child_prepare_process);
     * before it got there, signal it alone. */
    if (kill(-command, sig) < 0)
        kill(command, sig);
}

void rf_supervisor_run(const rf_supervisor *sup) {
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    if (sup->keeper)
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

    pid_t command = (pid_t)syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, NULL);
    if (command == 0)
        sup->start_command(sup->ctx); /* never returns */
    if (command < 0) {
        rf_sup_report_setup_failure(sup->status_fd, 0, 0, errno);
        int e = -errno;
        if (write(sup->report_fd, &e, sizeof e) < 0) {
        }
        _exit(126);
    }
    /* Only the command holds the report pipe now: EOF reaches the launcher at its exec. */
    close(sup->report_fd);

    int status = 0, done = 0;
    while (!done) {
        siginfo_t si;
        int sig = sigwaitinfo(&all, &si);
        if (sig < 0)
            continue;
        if (sig == SIGCHLD) {
            int st;
            pid_t got;
            while ((got = waitpid(-1, &st, WNOHANG)) > 0) {
                if (got == command) {
                    status = st;
                    done = 1;
                }
            }
        } else if (sig == RF_SUP_KILL_SIGNAL && sup->keeper && si.si_pid == getppid()) {
            kill_descendants(command, &status, &done);
            if (!done) { /* the command was reaped as a SIGCHLD already, or vanished */
                status = SIGKILL;
                done = 1;
            }
        } else if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT) {
            forward(command, sig);
        }
        /* Anything else (SIGTSTP, SIGTTOU, SIGPIPE...) is not ours to act on. */
    }
    if (sup->keeper) {
        int ignored_status = 0, ignored_done = 1;
        kill_descendants(-1, &ignored_status, &ignored_done);
    }
    /* pid 1: returning ends the namespace, and the kernel kills what is left. */
    rf_sup_record rec = {RF_SUP_STATUS, 0, 0, status};
    write_record(sup->status_fd, &rec);
    _exit(0);
}
