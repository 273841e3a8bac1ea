/* runner_sanitize.c — setuid hygiene: the runner trusts nothing it inherited but fds 0-4. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backends/linux/elevated/runner.h"
#include "core/error.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* A closed 0-2 would make the next open land there: a file the runner opens
 * as root could then receive the command's output (fd confusion). */
static int ensure_std_fds(rf_error *err) {
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0)
            continue;
        int nul = open("/dev/null", O_RDWR);
        if (nul < 0)
            return rf_fail_errno(err, errno, "opening /dev/null for the closed fd %d", fd);
        if (nul != fd)
            return rf_fail(err, -EBADF, "reopening the closed fd %d on /dev/null: got fd %d", fd, nul);
    }
    return 0;
}

static int check_pipe(int fd, const char *what, rf_error *err) {
    struct stat st;
    if (fstat(fd, &st) < 0)
        return rf_fail_errno(err, errno, "checking the %s (fd %d)", what, fd);
    if (!S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode))
        return rf_fail(err, -EBADF, "the %s (fd %d) is not a pipe", what, fd);
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0)
        return rf_fail_errno(err, errno, "marking the %s (fd %d) close-on-exec", what, fd);
    return 0;
}

int rf_runner_sanitize(rf_error *err) {
    /* The environment is the caller's: nothing in it is read (glibc already
     * ignores LD_* in a setuid program; this drops the rest). */
    if (clearenv() != 0)
        return rf_fail(err, -ENOMEM, "clearing the environment");
    int rc = ensure_std_fds(err);
    if (rc < 0)
        return rc;
    /* Inherited fds beyond the protocol's would reach the command. */
    if (syscall(SYS_close_range, 5U, ~0U, 0U) < 0)
        return rf_fail_errno(err, errno, "closing the inherited fds above 4");
    if ((rc = check_pipe(RF_RUNNER_REQUEST_FD, "request pipe", err)) < 0 ||
        (rc = check_pipe(RF_RUNNER_REPORT_FD, "report pipe", err)) < 0)
        return rc;
    /* The caller's mask and ignored signals survive exec: start clean. */
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
        return rf_fail_errno(err, errno, "clearing the signal mask");
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            sigaction(sig, &dfl, NULL); /* fails harmlessly for the reserved RT signals */
    umask(022);
    /* A core of a root process would hold the request and the setup record. */
    struct rlimit none_core = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none_core) < 0)
        return rf_fail_errno(err, errno, "disabling core dumps");
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        return rf_fail_errno(err, errno, "marking the runner non-dumpable");
    return 0;
}
