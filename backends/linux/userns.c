/* userns.c — raw clone into new namespaces, the uid/gid maps, and the one-time usability check. */
#include "backends/linux/userns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"

pid_t rf_clone_process(unsigned long ns_flags) {
    /* x86_64 argument order: flags, stack, parent_tid, child_tid, tls.  A NULL
     * stack means the child continues on a copy of ours, like fork. */
    long pid = syscall(SYS_clone, ns_flags | SIGCHLD, NULL, NULL, NULL, NULL);
    return pid < 0 ? -errno : (pid_t)pid;
}

static int write_proc_file(pid_t pid, const char *name, const char *text, rf_error *err) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return rf_fail_errno(err, errno, "opening %s to map the sandbox's ids", path);
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    int e = errno;
    close(fd);
    if (n != (ssize_t)len)
        return rf_fail_errno(err, n < 0 ? e : EIO, "writing '%.*s' to %s", (int)(len - 1), text, path);
    return 0;
}

int rf_userns_write_maps(pid_t pid, uid_t uid, gid_t gid, rf_error *err) {
    char line[64];
    int rc;
    snprintf(line, sizeof line, "%u %u 1\n", (unsigned)uid, (unsigned)uid);
    if ((rc = write_proc_file(pid, "uid_map", line, err)) < 0)
        return rc;
    if ((rc = write_proc_file(pid, "setgroups", "deny\n", err)) < 0)
        return rc;
    snprintf(line, sizeof line, "%u %u 1\n", (unsigned)gid, (unsigned)gid);
    return write_proc_file(pid, "gid_map", line, err);
}

/* The probe child: pid 1 of a new PID namespace, sharing our memory until it
 * exits.  Can it get a fresh /proc (the sandbox needs one)? */
static int probe_child(void *arg) {
    int *result = arg;
    *result = mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ? errno : 0;
    _exit(0);
}

/* The same probe with a forked child reporting through a pipe: the fallback
 * when the kernel refuses CLONE_VM with these namespace flags. */
static bool usable_by_fork(char *why, size_t why_len) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        snprintf(why, why_len, "creating a pipe for the user-namespace check: %s", strerror(errno));
        return false;
    }
    pid_t pid = rf_clone_process(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID);
    if (pid == 0) {
        close(fds[0]);
        int result = 0;
        if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
            result = errno;
        if (write(fds[1], &result, sizeof result) != (ssize_t)sizeof result)
            _exit(2);
        _exit(0);
    }
    close(fds[1]);
    if (pid < 0) {
        snprintf(why, why_len, "creating a user namespace failed: %s", strerror(-pid));
        close(fds[0]);
        return false;
    }
    int result = -1;
    ssize_t n = read(fds[0], &result, sizeof result);
    close(fds[0]);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
    if (n != (ssize_t)sizeof result) {
        snprintf(why, why_len, "the user-namespace check process died before reporting");
        return false;
    }
    if (result != 0) {
        snprintf(why, why_len, "a user namespace could not mount a fresh /proc: %s", strerror(result));
        return false;
    }
    return true;
}

/*
 * The check runs on every `ringfence run`, so it is made cheap: the child
 * shares our memory (CLONE_VM) on a stack of its own and we sleep until it
 * exits (CLONE_VFORK), so no page tables are copied and no pipe is needed;
 * it writes its answer straight into `result`.  0.40 -> 0.22 ms here.
 */
bool rf_userns_usable(char *why, size_t why_len) {
    /* 16 KiB: mount() through glibc, with room for sanitizer frames. */
    _Alignas(16) char stack[16 * 1024];
    volatile int result = -1;
    pid_t pid = clone(probe_child, stack + sizeof stack,
                      CLONE_VM | CLONE_VFORK | CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | SIGCHLD, (void *)&result);
    if (pid < 0 && errno == EINVAL)
        return usable_by_fork(why, why_len);
    if (pid < 0) {
        snprintf(why, why_len, "creating a user namespace failed: %s", strerror(errno));
        return false;
    }
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
    if (result < 0) {
        snprintf(why, why_len, "the user-namespace check process died before reporting");
        return false;
    }
    if (result != 0) {
        snprintf(why, why_len, "a user namespace could not mount a fresh /proc: %s", strerror(result));
        return false;
    }
    return true;
}
