/*
 * world_target.c — the process outside that the process probes aim at.
 *
 * Forked (not exec'd) so that the nonce buffer has the same address in the
 * target as here: the world file can name it and a probe that reads it back
 * proves it reached this very process.  It handles SIGUSR1 (the signal probe)
 * and holds a file open (the pidfd_getfd probe); nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "probe/world_internal.h"

static char target_nonce[64];
static volatile sig_atomic_t target_signals;

static void on_usr1(int sig) {
    (void)sig;
    target_signals++;
}

int rf_world_target_start(const char *nonce, const char *fd_path, rf_world_target *t,
                          rf_error *err) {
    snprintf(target_nonce, sizeof target_nonce, "%s", nonce);
    int fd = open(fd_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return rf_fail_errno(err, errno, "probe world: creating the target's file %s", fd_path);
    /* Ready pipe: the target is named and handles SIGUSR1 before anyone aims
     * at it (SIGUSR1's default action would kill it). */
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) < 0) {
        int e = errno;
        close(fd);
        return rf_fail_errno(err, e, "probe world: pipe for the target process");
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(fd);
        close(ready[0]);
        close(ready[1]);
        return rf_fail_errno(err, e, "probe world: forking the target process");
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(0);
        prctl(PR_SET_NAME, "rf-target");
        struct sigaction sa = {.sa_handler = on_usr1};
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        sigaction(SIGUSR1, &sa, NULL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        close(ready[0]);
        if (write(ready[1], "r", 1) != 1)
            _exit(1);
        close(ready[1]);
        for (;;)
            pause();
    }
    close(ready[1]);
    char r;
    ssize_t n;
    while ((n = read(ready[0], &r, 1)) < 0 && errno == EINTR) {
    }
    close(ready[0]);
    if (n != 1) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        close(fd);
        return rf_fail(err, -EIO, "probe world: the target process did not start");
    }
    t->pid = pid;
    t->addr = (unsigned long)target_nonce;
    t->len = strlen(target_nonce);
    t->fd = fd; /* the same number in the target; kept open here until destroy */
    return 0;
}
