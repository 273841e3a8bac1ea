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

/* The caller chooses the limits a setuid program starts with: a low
 * RLIMIT_NOFILE, FSIZE, AS or STACK would make the root phase fail at a step
 * of the caller's choosing.  The root phase runs with known limits; the
 * caller's apply to the command only. */
static const int limited[] = {RLIMIT_AS,    RLIMIT_CPU,   RLIMIT_DATA,  RLIMIT_FSIZE,      RLIMIT_LOCKS,
                              RLIMIT_MEMLOCK, RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_SIGPENDING, RLIMIT_STACK};
#define N_LIMITED (sizeof limited / sizeof limited[0])
static struct rlimit caller_limits[N_LIMITED];

static int known_limits(rf_error *err) {
    for (size_t i = 0; i < N_LIMITED; i++) {
        if (getrlimit(limited[i], &caller_limits[i]) < 0)
            return rf_fail_errno(err, errno, "reading resource limit %d", limited[i]);
        struct rlimit known = {RLIM_INFINITY, RLIM_INFINITY};
        /* Hard limits are never lowered here: the command gets the caller's
         * back without needing CAP_SYS_RESOURCE. */
        if (limited[i] == RLIMIT_NOFILE)
            known = (struct rlimit){4096, caller_limits[i].rlim_max > 4096 ? caller_limits[i].rlim_max : 4096};
        else if (limited[i] == RLIMIT_STACK)
            known = (struct rlimit){8u << 20, RLIM_INFINITY};
        else if (limited[i] == RLIMIT_SIGPENDING || limited[i] == RLIMIT_MEMLOCK)
            known = caller_limits[i].rlim_cur > 4096 ? caller_limits[i]
                                                     : (struct rlimit){4096, caller_limits[i].rlim_max > 4096
                                                                                 ? caller_limits[i].rlim_max
                                                                                 : 4096};
        /* Without CAP_SYS_RESOURCE (some containers) a hard limit cannot be
         * raised: the soft limit goes as high as the caller's hard one. */
        int rc = setrlimit(limited[i], &known);
        if (rc < 0 && errno == EPERM) {
            if (known.rlim_cur > caller_limits[i].rlim_max)
                known.rlim_cur = caller_limits[i].rlim_max;
            known.rlim_max = caller_limits[i].rlim_max;
            rc = setrlimit(limited[i], &known);
        }
        if (rc < 0)
            return rf_fail_errno(err, errno, "setting resource limit %d for the root phase", limited[i]);
    }
    return 0;
}

int rf_runner_restore_caller_limits(void) {
    for (size_t i = 0; i < N_LIMITED; i++)
        if (setrlimit(limited[i], &caller_limits[i]) < 0)
            return -errno;
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
    if ((rc = known_limits(err)) < 0)
        return rc;
    /* A core of a root process would hold the request and the setup record. */
    struct rlimit none_core = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none_core) < 0)
        return rf_fail_errno(err, errno, "disabling core dumps");
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        return rf_fail_errno(err, errno, "marking the runner non-dumpable");
    return 0;
}
