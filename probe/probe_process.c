/*
 * probe_process.c — probes of the process boundary (`process_tree`): the
 * command cannot reach processes outside (signal, ptrace, read or write their
 * memory, steal their fds), cannot inject input into the terminal it came
 * from, cannot leave a daemon behind, and runs with no way to gain privileges.
 *
 * The target is a process the world started outside; it holds the nonce at a
 * known address, so reading it proves the probe reached *that* process.  A
 * target the sandbox hides (a PID namespace) reports ESRCH or ENOENT, which
 * counts as blocked because the baseline run proves the target exists.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "probe/probe.h"
#include "probe/world_layout.h"

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_pidfd_getfd
#define __NR_pidfd_getfd 438
#endif

/* The target's comm, when this procfs shows it; false when it shows another
 * process under that pid (a PID namespace reusing the number). */
static bool target_is_ours(const rf_probe_world *w) {
    char path[64], comm[64];
    snprintf(path, sizeof path, "/proc/%d/comm", w->target_pid);
    long n = rf_probe_read_file(path, comm, sizeof comm);
    return n < 0 || strncmp(comm, "rf-target", 9) == 0;
}

static void p_signal(const rf_probe_world *w, rf_probe_result *r) {
    if (!target_is_ours(w))
        return rf_probe_failed_hidden(r, ESRCH, "pid names another process here");
    if (kill(w->target_pid, SIGUSR1) < 0)
        return rf_probe_failed_hidden(r, errno, "kill(SIGUSR1) a process outside");
    rf_probe_allowed(r, "sent SIGUSR1 to pid %d outside", w->target_pid);
}

static void p_ptrace(const rf_probe_world *w, rf_probe_result *r) {
    if (!target_is_ours(w))
        return rf_probe_failed_hidden(r, ESRCH, "pid names another process here");
    pid_t pid = w->target_pid;
    if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0)
        return rf_probe_failed_hidden(r, errno, "ptrace(PTRACE_ATTACH) a process outside");
    int st;
    if (waitpid(pid, &st, __WALL) < 0) {
        int e = errno;
        ptrace(PTRACE_DETACH, pid, NULL, NULL);
        return rf_probe_error(r, e, "attached, but waitpid failed: %s", strerror(e));
    }
    errno = 0;
    long word = ptrace(PTRACE_PEEKDATA, pid, (void *)w->target_addr, NULL);
    int e = errno;
    ptrace(PTRACE_DETACH, pid, NULL, 0);
    if (e)
        return rf_probe_error(r, e, "attached, but PEEKDATA failed: %s", strerror(e));
    if (memcmp(&word, w->nonce, sizeof word) != 0)
        return rf_probe_error(r, 0, "attached, but the target's memory lacks the nonce");
    rf_probe_allowed(r, "attached to pid %d and read its memory", pid);
}

static void p_vm_readv(const rf_probe_world *w, rf_probe_result *r) {
    char buf[64] = "";
    size_t len = w->target_len < sizeof buf ? w->target_len : sizeof buf - 1;
    struct iovec local = {.iov_base = buf, .iov_len = len};
    struct iovec remote = {.iov_base = (void *)w->target_addr, .iov_len = len};
    ssize_t n = process_vm_readv(w->target_pid, &local, 1, &remote, 1, 0);
    if (n < 0)
        return rf_probe_failed_hidden(r, errno, "process_vm_readv a process outside");
    if ((size_t)n != len || memcmp(buf, w->nonce, len) != 0)
        return rf_probe_error(r, 0, "process_vm_readv read something else");
    rf_probe_allowed(r, "read the nonce from pid %d", w->target_pid);
}

/* Writes the nonce over itself: proves the write without changing anything. */
static void p_vm_writev(const rf_probe_world *w, rf_probe_result *r) {
    char buf[64];
    size_t len = w->target_len < sizeof buf ? w->target_len : sizeof buf;
    memcpy(buf, w->nonce, len);
    struct iovec local = {.iov_base = buf, .iov_len = len};
    struct iovec remote = {.iov_base = (void *)w->target_addr, .iov_len = len};
    if (!target_is_ours(w))
        return rf_probe_failed_hidden(r, ESRCH, "pid names another process here");
    ssize_t n = process_vm_writev(w->target_pid, &local, 1, &remote, 1, 0);
    if (n < 0)
        return rf_probe_failed_hidden(r, errno, "process_vm_writev a process outside");
    if ((size_t)n != len)
        return rf_probe_error(r, 0, "process_vm_writev wrote %zd of %zu bytes", n, len);
    rf_probe_allowed(r, "wrote %zu bytes into pid %d", len, w->target_pid);
}

static void p_proc_mem(const rf_probe_world *w, rf_probe_result *r, bool write_it) {
    char path[64], buf[64] = "";
    snprintf(path, sizeof path, "/proc/%d/mem", w->target_pid);
    if (!target_is_ours(w))
        return rf_probe_failed_hidden(r, ESRCH, "pid names another process here");
    int fd = open(path, (write_it ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd < 0)
        return rf_probe_failed_hidden(
            r, errno, write_it ? "open /proc/PID/mem for writing" : "open /proc/PID/mem");
    size_t len = w->target_len < sizeof buf ? w->target_len : sizeof buf - 1;
    ssize_t n = pread(fd, buf, len, (off_t)w->target_addr);
    if (n < 0) {
        int e = errno;
        close(fd);
        return rf_probe_failed(r, e, "read /proc/PID/mem");
    }
    if ((size_t)n != len || memcmp(buf, w->nonce, len) != 0) {
        close(fd);
        return rf_probe_error(r, 0, "read /proc/PID/mem but found no nonce");
    }
    if (write_it && pwrite(fd, buf, len, (off_t)w->target_addr) != (ssize_t)len) {
        int e = errno;
        close(fd);
        return rf_probe_failed(r, e, "write /proc/PID/mem");
    }
    close(fd);
    rf_probe_allowed(r, "%s the memory of pid %d through %s", write_it ? "wrote" : "read",
                     w->target_pid, path);
}

static void p_proc_mem_read(const rf_probe_world *w, rf_probe_result *r) {
    p_proc_mem(w, r, false);
}
static void p_proc_mem_write(const rf_probe_world *w, rf_probe_result *r) {
    p_proc_mem(w, r, true);
}

/* pidfd_getfd: copy a file descriptor out of a process outside. */
static void p_pidfd_getfd(const rf_probe_world *w, rf_probe_result *r) {
    if (!target_is_ours(w))
        return rf_probe_failed_hidden(r, ESRCH, "pid names another process here");
    int pidfd = (int)syscall(__NR_pidfd_open, w->target_pid, 0);
    if (pidfd < 0)
        return rf_probe_failed_hidden(r, errno, "pidfd_open a process outside");
    int fd = (int)syscall(__NR_pidfd_getfd, pidfd, w->target_fd, 0);
    int e = errno;
    close(pidfd);
    if (fd < 0)
        return rf_probe_failed(r, e, "pidfd_getfd from a process outside");
    char link[64], target[512] = "";
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    close(fd);
    if (n <= 0 || !strstr(target, "target-fd"))
        return rf_probe_error(r, 0, "pidfd_getfd gave an fd that is not the target's file");
    rf_probe_allowed(r, "copied fd %d out of pid %d (%s)", w->target_fd, w->target_pid, target);
}

/* TIOCSTI: push input into the terminal the command inherited, which the
 * user's shell reads after the command exits (terminal injection). */
static void p_tiocsti(const rf_probe_world *w, rf_probe_result *r) {
    (void)w;
    if (!isatty(STDIN_FILENO))
        return rf_probe_error(r, ENOTTY, "stdin is not a terminal (run the probe on a pty)");
    /* A newline: in canonical mode only complete lines count as pending input. */
    char c = '\n';
    if (ioctl(STDIN_FILENO, TIOCSTI, &c) < 0)
        return rf_probe_failed(r, errno, "ioctl(TIOCSTI) on the inherited terminal");
    int pending = 0;
    ioctl(STDIN_FILENO, FIONREAD, &pending);
    tcflush(STDIN_FILENO, TCIFLUSH); /* take the injected byte back out */
    if (pending <= 0)
        return rf_probe_error(r, 0, "TIOCSTI returned 0 but no input is pending");
    rf_probe_allowed(r, "injected a byte into the terminal's input");
}

/* A daemon: double fork, new session, holds a lock on a world file for up to
 * a minute.  The matrix checks the lock after the run and ends the survivor. */
static void p_daemon(const rf_probe_world *w, rf_probe_result *r) {
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) < 0)
        return rf_probe_error(r, errno, "pipe: %s", strerror(errno));
    pid_t first = fork();
    if (first < 0)
        return rf_probe_error(r, errno, "fork: %s", strerror(errno));
    if (first == 0) {
        setsid();
        pid_t second = fork();
        if (second != 0)
            _exit(second < 0 ? 1 : 0);
        close(pfd[0]);
        /* A read lock: the lock file is outside, where the sandbox may not write. */
        int fd = open(w->lock_path, O_RDONLY | O_CLOEXEC);
        struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
        char ok = (fd >= 0 && fcntl(fd, F_SETLK, &fl) == 0) ? 'y' : 'n';
        /* Let go of the run's stdout so the run can end without us. */
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0)
            dup2(devnull, 0), dup2(devnull, 1), dup2(devnull, 2);
        if (write(pfd[1], &ok, 1) != 1 || ok != 'y')
            _exit(1);
        close(pfd[1]);
        struct timespec ts = {.tv_sec = 60};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
        }
        _exit(0);
    }
    close(pfd[1]);
    int st;
    waitpid(first, &st, 0);
    char ok = 0;
    ssize_t n = read(pfd[0], &ok, 1);
    close(pfd[0]);
    if (n != 1 || ok != 'y')
        return rf_probe_error(r, 0, "the daemon could not lock %s", w->lock_path);
    rf_probe_allowed(r, "a daemon in its own session holds the lock on %s", w->lock_path);
}

/* Reads one "Name:\tvalue" field of /proc/self/status. */
static bool status_field(const char *name, char *value, size_t len) {
    char buf[8192];
    if (rf_probe_read_file("/proc/self/status", buf, sizeof buf) < 0)
        return false;
    size_t nl = strlen(name);
    for (char *line = buf; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, name, nl) == 0 && line[nl] == ':') {
            char *v = line + nl + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            size_t vl = strcspn(v, "\n");
            snprintf(value, len, "%.*s", (int)vl, v);
            return true;
        }
    }
    return false;
}

static void p_no_new_privs(const rf_probe_world *w, rf_probe_result *r) {
    (void)w;
    char v[32];
    if (!status_field("NoNewPrivs", v, sizeof v))
        return rf_probe_error(r, 0, "no NoNewPrivs line in /proc/self/status");
    if (strcmp(v, "1") == 0) {
        return rf_probe_blocked(r, 0, "NoNewPrivs 1: setuid and file caps are inert");
    }
    rf_probe_allowed(r, "NoNewPrivs %s: a setuid program would gain privileges", v);
}

/* Allowed when the process has capabilities, or could gain them by running a
 * setuid-root program (bounding set not empty and no_new_privs off). */
static void p_capabilities(const rf_probe_world *w, rf_probe_result *r) {
    (void)w;
    char eff[32], prm[32], amb[32], bnd[32], nnp[32];
    if (!status_field("CapEff", eff, sizeof eff) || !status_field("CapPrm", prm, sizeof prm) ||
        !status_field("CapBnd", bnd, sizeof bnd) || !status_field("NoNewPrivs", nnp, sizeof nnp))
        return rf_probe_error(r, 0, "capability lines missing from /proc/self/status");
    if (!status_field("CapAmb", amb, sizeof amb))
        snprintf(amb, sizeof amb, "0");
    unsigned long long e = strtoull(eff, NULL, 16), p = strtoull(prm, NULL, 16),
                       a = strtoull(amb, NULL, 16), b = strtoull(bnd, NULL, 16);
    if (e || p || a)
        return rf_probe_allowed(r, "holds capabilities: CapEff %s CapPrm %s CapAmb %s", eff, prm,
                                amb);
    if (b && strcmp(nnp, "1") != 0)
        return rf_probe_allowed(r,
                                "no capabilities now, but CapBnd %s and NoNewPrivs 0 let a "
                                "setuid program gain them",
                                bnd);
    rf_probe_blocked(r, 0, "no capabilities and no way to gain them (CapBnd %s, NoNewPrivs %s)",
                     bnd, nnp);
}

/* clang-format off */
#define P(id, flags, fn, desc) {id, RF_G_PROCESS_TREE, RF_KIND_RAW, flags, fn, desc}

const rf_probe rf_probes_process[] = {
    P("process.signal", 0, p_signal, "signal a process outside"),
    P("process.ptrace", 0, p_ptrace, "ptrace-attach a process outside and read its memory"),
    P("process.vm_readv", 0, p_vm_readv, "process_vm_readv a process outside"),
    P("process.vm_writev", 0, p_vm_writev, "process_vm_writev a process outside"),
    P("process.proc_mem_read", 0, p_proc_mem_read, "read /proc/PID/mem of a process outside"),
    P("process.proc_mem_write", 0, p_proc_mem_write, "write /proc/PID/mem of a process outside"),
    P("process.pidfd_getfd", 0, p_pidfd_getfd, "copy an fd out of a process outside (pidfd_getfd)"),
    P("process.tiocsti", 0, p_tiocsti, "inject input into the controlling terminal (TIOCSTI)"),
    P("process.daemon", RF_PROBE_POST_CHECK, p_daemon, "leave a daemon that outlives the run"),
    P("process.no_new_privs", 0, p_no_new_privs, "no_new_privs is off (setuid would work)"),
    P("process.capabilities", 0, p_capabilities, "hold or be able to gain capabilities"),
};
const size_t rf_probes_process_count = sizeof rf_probes_process / sizeof rf_probes_process[0];
/* clang-format on */
