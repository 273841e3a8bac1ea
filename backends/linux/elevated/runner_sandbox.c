/*
 * runner_sandbox.c — one run of the elevated backend, from plan to the end.
 *
 *   runner     rf_runner_run: plan the mounts, Landlock and seccomp; clone
 *              the init into new PID + mount namespaces (real root: no user
 *              namespace is needed); release it; relay the exec report to
 *              the CLI; forward signals; report how the command ended.
 *   init       init_main, steps A-D: parent-death signal, wait for the
 *              runner, mount propagation cut, mount plan, then supervise.
 *   command    confine_and_exec, steps 1-9: stdio and terminal, the sandbox
 *              user (verified), parent-death signal, cwd, capabilities,
 *              no_new_privs, Landlock, seccomp, exec.
 *
 * The whole tree dies with the run: the command is in the init's PID
 * namespace, and the kernel kills everything in it when the init exits; the
 * init dies with the runner (PR_SET_PDEATHSIG) and the runner with the CLI.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/fsuid.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/linux/caps.h"
#include "backends/linux/elevated/runner.h"
#include "backends/linux/landlock.h"
#include "backends/linux/mounts.h"
#include "backends/linux/pidns_init.h"
#include "backends/linux/seccomp.h"
#include "backends/linux/userns.h"
#include "core/child_posix.h"
#include "core/error.h"
#include "core/policy.h"

enum {
    STEP_RUNNER_GONE = 0,
    STEP_PROPAGATION,
    STEP_MOUNTS,
    STEP_PROCESS,
    STEP_IDENTITY,
    STEP_PDEATHSIG,
    STEP_CHDIR,
    STEP_CAPS,
    STEP_NNP,
    STEP_LANDLOCK,
    STEP_SECCOMP,
    STEP_COUNT
};
static const char *const step_names[STEP_COUNT] = {
    "waiting for the runner",
    "making the mount namespace a slave of the host's",
    "mounting the sandbox's view",
    "setting up stdio, process group and terminal",
    "becoming the sandbox user (and checking root cannot be regained)",
    "setting the parent-death signal",
    "changing to the working directory",
    "dropping capabilities",
    "setting no_new_privs",
    "applying Landlock",
    "loading the seccomp filter",
};

typedef struct run_plan {
    const rf_runner_job *job;
    rf_policy policy; /* only what Landlock reads: roots (as fds) and network */
    int landlock_abi;
    rf_landlock_plan landlock;
    rf_seccomp_program seccomp;
    const char **roots;
    rf_list protected_paths;
    rf_list other_homes;
    rf_mount_target *prot, *deny;
    rf_mount_plan mounts;
    rf_launch launch;
    /* The child ends of the pipes. */
    int report_w, status_w, sync_r;
} run_plan;

static void plan_free(run_plan *p) {
    rf_landlock_plan_free(&p->landlock);
    rf_seccomp_program_free(&p->seccomp);
    rf_list_free(&p->policy.writable_roots);
    rf_list_free(&p->protected_paths);
    rf_list_free(&p->other_homes);
    rf_mount_plan_free(&p->mounts);
    free(p->roots);
    free(p->prot);
    free(p->deny);
}

/* ---- plan ------------------------------------------------------------------ */

/* Landlock grants write beneath the directories the runner checked, through
 * their fds (/proc/self/fd/N), not their paths: a path swapped after the
 * check (rename plus symlink) cannot steer the rule into another user's
 * granted workspace. */
static int plan_landlock(run_plan *p, rf_error *err) {
    const rf_runner_job *job = p->job;
    p->landlock_abi = rf_landlock_abi();
    /* Not a second line here: the sandbox users are shared by the group and
     * the ACLs let them write every member's granted workspaces, so only
     * Landlock (and the read-only tree) keeps a run out of the others'. */
    if (p->landlock_abi < 1)
        return rf_fail(err, -ENOSYS, "Landlock is not available in this kernel: without it a run could write "
                       "other members' granted workspaces (the sandbox users are shared); refusing to run");
    p->policy.network = job->req->network ? RF_NET_ON : RF_NET_OFF;
    for (size_t i = 0; i < job->n_roots; i++) {
        char link[64];
        snprintf(link, sizeof link, "/proc/self/fd/%d", job->root_fds[i]);
        if (rf_list_add(&p->policy.writable_roots, link, RF_SRC_DEFAULT) < 0)
            return rf_fail_errno(err, ENOMEM, "planning the Landlock rules");
    }
    int rc = rf_landlock_plan_build(&p->policy, p->landlock_abi, NULL, &p->landlock, err);
    if (rc < 0)
        return rc;
    if (job->req->tty) {
        char target[64];
        ssize_t n = readlink("/proc/self/fd/0", target, sizeof target - 1);
        if (n > 5 && (size_t)n < sizeof p->landlock.terminal) {
            target[n] = '\0';
            if (strncmp(target, "/dev/", 5) == 0)
                memcpy(p->landlock.terminal, target, (size_t)n + 1);
        }
    }
    return 0;
}

/* The admin-free filter, compiled at build time (no libseccomp in the runner):
 * with network off, socket() is limited to AF_UNIX.  A mount namespace hides
 * nothing of the host's unix sockets that the sandbox user could use anyway:
 * AF_UNIX stays allowed, as with user namespaces. */
static int plan_seccomp(run_plan *p, rf_error *err) {
    return rf_seccomp_builtin(!p->job->req->network, false, &p->seccomp, err);
}

/*
 * The sandbox users are shared by every member of the group, and each
 * member's grants let them traverse that member's home and read its tool
 * folders and workspaces.  So that one member's command cannot read another
 * member's home through those grants (cross-user read), every folder in
 * /home that another uid owns and that is closed to others is covered by an
 * empty mount in the run's view.  Workspaces granted outside /home stay readable by the shared users:
 * the backend declares that gap.
 */
static int list_other_homes(run_plan *p, rf_error *err) {
    DIR *d = opendir("/home");
    if (!d && errno == ENOENT)
        return 0; /* no /home: nothing to cover */
    /* Any other failure would leave every home uncovered: fail closed. */
    if (!d)
        return rf_fail_errno(err, errno, "listing /home to cover the other users' homes");
    int rc = 0;
    struct dirent *e;
    errno = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[300];
        snprintf(path, sizeof path, "/home/%s", e->d_name);
        struct stat st;
        /* Only homes closed to others (no o+x): there the shared users get in
         * through grants alone.  An open one (Homebrew's /home/linuxbrew)
         * stays, with its tools. */
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            if (errno != ENOENT) /* gone since readdir: nothing to cover */
                rc = rf_fail_errno(err, errno, "checking %s to cover it", path);
            errno = 0;
            continue;
        }
        if (!S_ISDIR(st.st_mode) || st.st_uid == p->job->caller || (st.st_mode & S_IXOTH)) {
            errno = 0;
            continue;
        }
        /* Never one that holds a writable root of this run (it would hide it). */
        bool holds_root = false;
        for (size_t i = 0; i < 1 + p->job->req->n_writable_roots; i++)
            holds_root |= rf_path_within(i == 0 ? p->job->req->workspace : p->job->req->writable_roots[i - 1], path);
        if (!holds_root && rf_list_add(&p->other_homes, path, RF_SRC_DEFAULT) < 0)
            rc = rf_fail_errno(err, ENOMEM, "listing the other users' homes");
        errno = 0;
    }
    if (rc == 0 && errno != 0)
        rc = rf_fail_errno(err, errno, "reading /home to cover the other users' homes");
    closedir(d);
    return rc;
}

/*
 * With network off, daemons that reach the network on anyone's behalf over a
 * unix socket (which nftables cannot see: the packets are the daemon's) are
 * covered: name resolution through systemd-resolved's varlink socket or nscd,
 * and the system bus (org.freedesktop.resolve1) would carry data out as DNS
 * queries (exfiltration).  Each becomes /dev/null in the run's view: connect
 * fails with ECONNREFUSED.
 */
static const char *const offline_daemon_sockets[] = {
    "/run/systemd/resolve/io.systemd.Resolve",
    "/run/systemd/resolve/io.systemd.Resolve.Monitor",
    "/run/dbus/system_bus_socket",
    "/run/nscd/socket",
    NULL,
};
#define N_DAEMON_SOCKETS (sizeof offline_daemon_sockets / sizeof offline_daemon_sockets[0])

/* The admin-free mount plan, reused as a second line: read-only tree outside
 * the writable places, protected paths bound read-only, deny-read paths
 * covered, private /tmp, fresh /proc.  An absent protected path gets no
 * placeholder here (the runner would have to create it in the caller's
 * workspace): the backend declares that facet as a gap. */
static int as_caller(const run_plan *p, bool on, rf_error *err) {
    uid_t uid = on ? p->job->caller : 0;
    gid_t gid = on ? p->job->caller_gid : 0;
    setfsgid(gid);
    setfsuid(uid);
    if ((uid_t)setfsuid(uid) != uid || (gid_t)setfsgid(gid) != gid)
        return rf_fail(err, -EPERM, "switching the filesystem identity to uid %u", (unsigned)uid);
    if (on)
        return 0;
    /* The credential changes cleared the parent-death signal: armed again,
     * and the CLI checked to be still there. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        return rf_fail_errno(err, errno, "setting the parent-death signal again");
    if (getppid() != (pid_t)p->job->req->parent_pid)
        return rf_fail(err, -ESRCH, "the CLI (pid %d) is gone", p->job->req->parent_pid);
    return 0;
}

static int plan_mounts(run_plan *p, rf_error *err) {
    const rf_runner_request *req = p->job->req;
    size_t n_roots = 1 + req->n_writable_roots;
    p->roots = calloc(n_roots + 1, sizeof *p->roots);
    p->prot = calloc(n_roots * req->n_protected + 1, sizeof *p->prot);
    int rc = list_other_homes(p, err);
    if (rc < 0)
        return rc;
    p->deny = calloc(req->n_deny_read + p->other_homes.len + N_DAEMON_SOCKETS + 1, sizeof *p->deny);
    if (!p->roots || !p->prot || !p->deny)
        return rf_fail_errno(err, ENOMEM, "planning the mounts");
    p->roots[0] = req->workspace;
    for (size_t i = 0; i < req->n_writable_roots; i++)
        p->roots[1 + i] = req->writable_roots[i];
    size_t n_prot = 0;
    for (size_t r = 0; r < n_roots; r++) {
        for (size_t i = 0; i < req->n_protected; i++) {
            char path[8200];
            snprintf(path, sizeof path, "%s/%s", p->roots[r], req->protected_names[i]);
            if (rf_list_add(&p->protected_paths, path, RF_SRC_DEFAULT) < 0)
                return rf_fail_errno(err, ENOMEM, "planning the mounts");
        }
    }
    /* The kinds of the caller's paths, seen with the caller's filesystem
     * identity: as root, which path exists (a mount in the run's view) and
     * how it fails (ELOOP for a symlink) would tell the caller about paths it
     * cannot see (existence oracle).  What it cannot reach counts as absent:
     * the command cannot reach it either. */
    if ((rc = as_caller(p, true, err)) < 0)
        return rc;
    for (size_t i = 0; i < p->protected_paths.len; i++) {
        const char *path = p->protected_paths.items[i].value;
        rf_path_kind kind = rf_path_kind_of(path);
        if (kind != RF_KIND_ABSENT)
            p->prot[n_prot++] = (rf_mount_target){path, kind};
    }
    size_t n_deny = 0;
    for (size_t i = 0; i < req->n_deny_read; i++)
        p->deny[n_deny++] = (rf_mount_target){req->deny_read[i], rf_path_kind_of(req->deny_read[i])};
    if ((rc = as_caller(p, false, err)) < 0)
        return rc;
    for (size_t i = 0; !req->network && offline_daemon_sockets[i]; i++) {
        rf_path_kind kind = rf_path_kind_of(offline_daemon_sockets[i]);
        if (kind == RF_KIND_SOCKET)
            p->deny[n_deny++] = (rf_mount_target){offline_daemon_sockets[i], kind};
    }
    for (size_t i = 0; i < p->other_homes.len; i++)
        p->deny[n_deny++] = (rf_mount_target){p->other_homes.items[i].value, RF_KIND_DIR};
    struct stat st;
    rf_mount_input in = {
        /* Always private, whatever the request says: the host's /tmp and
         * /dev/shm are shared by every member's runs (same sandbox uid), so
         * one member's run could write another's workspace or temporaries
         * there. */
        .tmp_private = true,
        .have_dev_shm = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode),
        .roots = p->roots,
        .n_roots = n_roots,
        .root_fds = p->job->root_fds,
        .protected_paths = p->prot,
        .n_protected = n_prot,
        .deny = p->deny,
        .n_deny = n_deny,
    };
    return rf_mount_plan_build(&in, &p->mounts, err);
}

/* ---- in the children (heap-free) ------------------------------------------- */

__attribute__((noreturn)) static void setup_failed(const run_plan *p, int step, int index, int errnum) {
    rf_sup_report_setup_failure(p->status_w, step, index, errnum);
    rf_child_abort(p->report_w, errnum);
}

/* The command process, forked by the init.  Each step closes an escape and
 * must come before the next. */
__attribute__((noreturn)) static void confine_and_exec(void *arg) {
    const run_plan *p = arg;
    int rc;
    /* 1. stdio, own process group, the terminal, clean signal state. */
    if ((rc = rf_child_prepare_process(&p->launch)) < 0)
        setup_failed(p, STEP_PROCESS, 0, -rc);
    /*    Not handed the terminal: no controlling terminal either, or the
     *    command could open /dev/tty, make itself the foreground group and
     *    read the user's keystrokes (or inject input with TIOCSTI). */
    if (p->launch.tty_fd < 0) {
        int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (tty >= 0) {
            rc = ioctl(tty, TIOCNOTTY) < 0 ? errno : 0;
            close(tty);
            if (rc != 0)
                setup_failed(p, STEP_PROCESS, 0, rc);
        }
    }
    /* 2. The sandbox user, verified: from here on the kernel's permission
     *    checks (ACLs, the firewall's uid match) apply to the command. */
    if ((rc = rf_runner_become(p->job->uid, p->job->gid)) < 0)
        setup_failed(p, STEP_IDENTITY, 0, -rc);
    /* 3. Die with the init; the uid change just cleared the setting. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        setup_failed(p, STEP_PDEATHSIG, 0, errno);
    /* 4. The working directory, as the sandbox user, in the sandbox's view. */
    if (chdir(p->launch.cwd) < 0)
        setup_failed(p, STEP_CHDIR, 0, errno);
    /* 5. Ambient and inheritable sets emptied too, and checked. */
    if ((rc = rf_caps_drop_all()) < 0)
        setup_failed(p, STEP_CAPS, 0, -rc);
    /* 6. no_new_privs: no setuid binary (the runner included) lifts the
     *    command again; Landlock and seccomp require it. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        setup_failed(p, STEP_NNP, 0, errno);
    /* 7. Landlock: writes beneath the checked roots, /tmp and the devices
     *    only; TCP refused when network is off. */
    if (p->landlock_abi >= 1 && (rc = rf_landlock_apply(&p->landlock)) < 0)
        setup_failed(p, STEP_LANDLOCK, 0, -rc);
    /*    The caller's resource limits, for the command only (late: the
     *    steps above need fds a low RLIMIT_NOFILE would refuse). */
    if ((rc = rf_runner_restore_caller_limits()) < 0)
        setup_failed(p, STEP_PROCESS, 0, -rc);
    /* 8. seccomp last: it forbids the mount family and namespace calls. */
    if ((rc = rf_seccomp_apply(&p->seccomp)) < 0)
        setup_failed(p, STEP_SECCOMP, 0, -rc);
    /* 9. exec: the report pipe closes on success, or carries the errno. */
    rf_child_exec(&p->launch, p->report_w);
}

/* pid 1 of the run's PID namespace, in its own mount namespace, still root. */
__attribute__((noreturn)) static void init_main(run_plan *p) {
    /* A. Die with the runner, which dies with the CLI. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        setup_failed(p, STEP_PDEATHSIG, 0, errno);
    /* B. getppid() is 0 across a PID namespace.  The runner's byte proves
     *    only that it lived once; it keeps the pipe's write end open for the
     *    whole run, so a hang-up seen after the byte, with the signal armed,
     *    means it died before the arming and no signal will come (a run that
     *    outlives its runner: init stopped, runner killed, init continued). */
    char byte;
    ssize_t n;
    while ((n = read(p->sync_r, &byte, 1)) < 0 && errno == EINTR) {
    }
    if (n != 1)
        setup_failed(p, STEP_RUNNER_GONE, 0, EPIPE);
    struct pollfd alive = {.fd = p->sync_r, .events = POLLIN};
    int ready;
    while ((ready = poll(&alive, 1, 0)) < 0 && errno == EINTR) {
    }
    if (ready != 0)
        setup_failed(p, STEP_RUNNER_GONE, 0, ready < 0 ? errno : EPIPE);
    close(p->sync_r);
    /* C. Without a user namespace the copied mounts keep the host's
     *    propagation: a shared "/" would carry every mount below back to
     *    the host.  As a slave, propagation only flows inward. */
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
        setup_failed(p, STEP_PROPAGATION, 0, errno);
    /* D. The mount plan, before the command exists. */
    size_t failed = 0;
    int rc = rf_mount_apply(&p->mounts, &failed);
    if (rc < 0)
        setup_failed(p, STEP_MOUNTS, (int)failed, -rc);
    rf_supervisor sup = {
        .status_fd = p->status_w,
        .report_fd = p->report_w,
        .keeper = false,
        .start_command = confine_and_exec,
        .ctx = p,
    };
    rf_supervisor_run(&sup);
}

/* ---- the runner's side ------------------------------------------------------ */

static void explain_setup_failure(const run_plan *p, int status_r, rf_error *err) {
    struct pollfd pfd = {.fd = status_r, .events = POLLIN};
    rf_sup_record rec;
    if (poll(&pfd, 1, 0) <= 0 || read(status_r, &rec, sizeof rec) != (ssize_t)sizeof rec ||
        rec.kind != RF_SUP_SETUP_FAILED)
        return;
    const char *step = rec.step >= 0 && rec.step < STEP_COUNT ? step_names[rec.step] : "setup";
    if (rec.step == STEP_MOUNTS && (size_t)rec.index < p->mounts.n_ops) {
        const rf_mount_op *op = &p->mounts.ops[rec.index];
        rf_fail_errno(err, rec.value, "setting up the sandbox: %s on %s (%s)", rf_mount_op_name(op->kind),
                      op->path, rf_path_kind_name(op->expect));
    } else if (rec.step == STEP_CHDIR) {
        rf_fail_errno(err, rec.value, "setting up the sandbox: %s %s as uid %u", step, p->launch.cwd,
                      (unsigned)p->job->uid);
    } else {
        rf_fail_errno(err, rec.value, "setting up the sandbox: %s", step);
    }
}

static int report(int fd, int kind, int value) {
    rf_runner_report rep = {.kind = kind, .value = value};
    return rf_runner_report_write(fd, &rep);
}

static void reap(pid_t pid, int *status) {
    while (waitpid(pid, status, 0) < 0 && errno == EINTR) {
    }
}

/* One event of the CLI's control channel: a signal forwarded to the init
 * (which forwards it to the command), or the end of the run (KILL, or EOF:
 * the CLI is gone), which ends the init and with it the whole namespace.
 * Returns the fd to keep polling (-1 after EOF). */
static int control_event(pid_t init, int control_fd) {
    unsigned char byte;
    ssize_t n = read(control_fd, &byte, 1);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return control_fd;
    if (n != 1 || byte == RF_RUNNER_CONTROL_KILL) {
        kill(init, SIGKILL);
        return n == 1 ? control_fd : -1;
    }
    if (byte == SIGINT || byte == SIGTERM || byte == SIGHUP || byte == SIGQUIT)
        kill(init, byte);
    return control_fd;
}

/* Forwards the CLI's events and signals (from root, or the terminal's
 * SIGHUP) to the init until it ends.  Returns its wait status. */
static int supervise(pid_t init, int sigfd, int control_fd) {
    int status = 0;
    for (;;) {
        struct pollfd pfd[2] = {{.fd = sigfd, .events = POLLIN}, {.fd = control_fd, .events = POLLIN}};
        if (poll(pfd, 2, -1) < 0 && errno != EINTR)
            break;
        if (pfd[1].revents)
            control_fd = control_event(init, control_fd);
        struct signalfd_siginfo si;
        while (read(sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
            if (si.ssi_signo != SIGCHLD)
                kill(init, (int)si.ssi_signo);
        }
        pid_t got = waitpid(init, &status, WNOHANG);
        if (got == init)
            return status;
    }
    reap(init, &status);
    return status;
}

/* The command's wait status, as the init reported it (SIGKILL when the init
 * was killed before it could). */
static int command_status(int status_r) {
    rf_sup_record rec;
    ssize_t n;
    while ((n = read(status_r, &rec, sizeof rec)) == (ssize_t)sizeof rec)
        if (rec.kind == RF_SUP_STATUS)
            return rec.value;
    return SIGKILL;
}

/* With fs.protected_hardlinks off, the caller could hard-link a file it may
 * not write (another member's, granted to the shared sandbox users) into its
 * own workspace, where Landlock allows writes: refused. */
static int check_protected_hardlinks(rf_error *err) {
    const char *path = "/proc/sys/fs/protected_hardlinks";
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return rf_fail_errno(err, errno, "reading %s", path);
    char buf[8] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    int e = errno;
    close(fd);
    if (n < 0)
        return rf_fail_errno(err, e, "reading %s", path);
    if (buf[0] != '1' || (n > 1 && buf[1] != '\n'))
        return rf_fail(err, -EPERM, "%s is not 1: a hard link to another member's file in your workspace "
                       "would be writable; refusing to run (sysctl fs.protected_hardlinks=1)", path);
    return 0;
}

/* Offline, stdio must not be a network socket: a connected TCP or UDP socket
 * handed in as fd 0-2 would carry the command's data past the firewall
 * (the socket is the caller's, not the offline user's). */
static int check_offline_stdio(const rf_runner_request *req, rf_error *err) {
    for (int fd = 0; !req->network && fd <= 2; fd++) {
        struct stat st;
        if (fstat(fd, &st) < 0)
            return rf_fail_errno(err, errno, "checking stdio fd %d", fd);
        if (!S_ISSOCK(st.st_mode))
            continue;
        int domain = -1;
        socklen_t len = sizeof domain;
        if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
            return rf_fail_errno(err, errno, "checking the socket on stdio fd %d", fd);
        if (domain != AF_UNIX)
            return rf_fail(err, -EPERM, "stdio fd %d is a network socket (domain %d): network is off, refusing "
                           "to hand it to the command", fd, domain);
    }
    return 0;
}

int rf_runner_run(const rf_runner_job *job, int report_fd, rf_error *err) {
    run_plan p = {.job = job, .report_w = -1, .status_w = -1, .sync_r = -1};
    const rf_runner_request *req = job->req;
    p.launch = (rf_launch){
        .argv = req->argv,
        .envp = job->envp,
        .cwd = req->cwd,
        .path_env = NULL,
        .stdin_fd = 0,
        .stdout_fd = 1,
        .stderr_fd = 2,
        .tty_fd = req->tty && isatty(0) ? 0 : -1,
    };
    for (char **e = job->envp; *e; e++)
        if (strncmp(*e, "PATH=", 5) == 0)
            p.launch.path_env = *e + 5;
    int rc, status_fds[2] = {-1, -1}, sync_fds[2] = {-1, -1}, sigfd = -1;
    rf_report_pipe exec_report = {-1, -1};
    if ((rc = check_protected_hardlinks(err)) < 0 || (rc = check_offline_stdio(req, err)) < 0 || (rc = plan_landlock(&p, err)) < 0 || (rc = plan_seccomp(&p, err)) < 0 || (rc = plan_mounts(&p, err)) < 0)
        goto out;
    if ((rc = rf_report_pipe_open(&exec_report, err)) < 0)
        goto out;
    if (pipe2(status_fds, O_CLOEXEC) < 0 || pipe2(sync_fds, O_CLOEXEC) < 0) {
        rc = rf_fail_errno(err, errno, "creating the runner's pipes");
        goto out;
    }
    p.report_w = exec_report.write_fd;
    p.status_w = status_fds[1];
    p.sync_r = sync_fds[0];
    /* Blocked before the clone, so no SIGCHLD or CLI signal is lost. */
    sigset_t mask, old;
    sigemptyset(&mask);
    int sigs[] = {SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaddset(&mask, sigs[i]);
    if (sigprocmask(SIG_BLOCK, &mask, &old) < 0 || (sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
        rc = rf_fail_errno(err, errno, "blocking the signals the runner forwards");
        goto out;
    }

    pid_t init = rf_clone_process(CLONE_NEWPID | CLONE_NEWNS);
    if (init == 0) {
        close(exec_report.read_fd);
        close(status_fds[0]);
        close(sync_fds[1]);
        close(sigfd);
        close(job->control_fd);
        init_main(&p);
    }
    if (init < 0) {
        rc = rf_fail_errno(err, -init, "starting the sandbox's init (clone with new PID and mount namespaces)");
        goto out;
    }
    close(status_fds[1]);
    status_fds[1] = -1;
    close(sync_fds[0]);
    sync_fds[0] = -1;
    /* The write end stays open until the run ends: the init's proof that
     * the runner is alive (see init_main, step B). */
    bool released = write(sync_fds[1], "g", 1) == 1;
    int exec_errno = 0;
    rc = released ? rf_report_pipe_collect(&exec_report, &exec_errno, err)
                  : rf_fail_errno(err, errno, "releasing the sandbox's init");
    if (rc < 0) {
        explain_setup_failure(&p, status_fds[0], err);
        kill(init, SIGKILL);
        int ignored;
        reap(init, &ignored);
        goto out;
    }
    int status;
    if (exec_errno != 0) {
        report(report_fd, RF_RUNNER_EXEC_FAILED, exec_errno);
        reap(init, &status);
        rc = 0;
        goto out;
    }
    report(report_fd, RF_RUNNER_STARTED, 0);
    supervise(init, sigfd, job->control_fd);
    report(report_fd, RF_RUNNER_ENDED, command_status(status_fds[0]));
    rc = 0;
out:
    if (sigfd >= 0)
        close(sigfd);
    for (int i = 0; i < 2; i++) {
        if (status_fds[i] >= 0)
            close(status_fds[i]);
        if (sync_fds[i] >= 0)
            close(sync_fds[i]);
    }
    rf_report_pipe_close(&exec_report);
    plan_free(&p);
    return rc;
}
