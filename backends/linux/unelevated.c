/*
 * unelevated.c — the Linux admin-free backend: Landlock, seccomp, and (when
 * the machine allows unprivileged user namespaces) user + mount + PID
 * namespaces.
 *
 * The one ordered setup path, read top to bottom:
 *   launcher   ue_spawn: observe the paths, plan the mounts, create the
 *              placeholders, clone into new user+mount+PID namespaces (or a
 *              plain fork without them), write the uid/gid maps, release
 *              the child, collect the exec report.
 *   init       child_init, steps A-D: parent-death signal, wait for the
 *              maps, apply the mount plan, become the supervisor.  Mounts
 *              happen here, before the command exists, so the command never
 *              sees a half-built view.
 *   command    confine_and_exec, steps 1-8: stdio and terminal, cwd,
 *              parent-death signal, capabilities, no_new_privs, Landlock,
 *              seccomp, exec.
 *
 * Job control: the core forwards signals to the supervisor, which passes
 * them to the command's process group; a command stopped by Ctrl-Z stays
 * stopped inside (pid 1 of a PID namespace cannot stop itself, so the core
 * does not see a stopped child and does not hand the terminal back).
 */
#include "backends/linux/unelevated.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/linux/caps.h"
#include "backends/linux/landlock.h"
#include "backends/linux/mounts.h"
#include "backends/linux/pidns_init.h"
#include "backends/linux/placeholder.h"
#include "backends/linux/private_tmp.h"
#include "backends/linux/runtime_dir.h"
#include "backends/linux/seccomp.h"
#include "backends/linux/userns.h"
#include "core/child_posix.h"
#include "core/error.h"

#define RESTORE_HINT                                                                               \
    "enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, "            \
    "kernel.apparmor_restrict_unprivileged_userns=0, or allow them in the container) or use the " \
    "elevated backend: sudo ringfence setup"

/* ---- what the machine offers (probed once per process) ------------------- */

typedef struct ue_facts {
    int landlock_abi;   /* > 0, or -errno */
    bool seccomp_ok;
    bool userns_ok;
    bool userns_forced_off; /* RINGFENCE_DISABLE_USERNS=1 */
    char userns_why[256];
} ue_facts;

static ue_facts facts;
static bool facts_done;

static bool userns_disabled_by_env(void) {
    const char *v = getenv("RINGFENCE_DISABLE_USERNS");
    return v && strcmp(v, "1") == 0;
}

static const ue_facts *probe_facts(void) {
    if (facts_done)
        return &facts;
    facts.landlock_abi = rf_landlock_abi();
    facts.seccomp_ok = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
    facts.userns_forced_off = userns_disabled_by_env();
    if (facts.userns_forced_off) {
        facts.userns_ok = false;
        snprintf(facts.userns_why, sizeof facts.userns_why,
                 "user namespaces disabled by RINGFENCE_DISABLE_USERNS=1 (forced)");
    } else {
        facts.userns_ok = rf_userns_usable(facts.userns_why, sizeof facts.userns_why);
    }
    facts_done = true;
    return &facts;
}

static void ue_probe(rf_backend_status *out) {
    const ue_facts *f = probe_facts();
    out->layers[0] = '\0';
    out->gaps[0] = '\0';
    if (f->landlock_abi < 1 || !f->seccomp_ok) {
        out->available = false;
        if (f->landlock_abi < 1)
            snprintf(out->reason, sizeof out->reason,
                     "Landlock is not available (%s): it needs Linux >= 5.13 with CONFIG_SECURITY_LANDLOCK "
                     "and landlock in the lsm= boot list",
                     f->landlock_abi == -ENOSYS ? "the kernel has no Landlock"
                     : f->landlock_abi == -EOPNOTSUPP ? "Landlock is disabled at boot"
                                                      : strerror(-f->landlock_abi));
        else
            snprintf(out->reason, sizeof out->reason, "seccomp filters are not available in this kernel");
        for (int g = 0; g < RF_G_COUNT; g++)
            rf_status_set_level(out, (rf_guarantee)g, RF_ABSENT, "backend unavailable");
        return;
    }
    out->available = true;
    char line[256];
    rf_landlock_describe(f->landlock_abi, true, line, sizeof line);
    rf_status_add_layer(out, line);
    rf_status_add_layer(out, "seccomp: EPERM for ptrace, io_uring, bpf, keyctl, mount family, unshare/setns, "
                      "namespace clone flags, TIOCSTI/TIOCLINUX; socket() AF_UNIX only when network is off; "
                      "i386/x32 system calls kill the process");
    rf_status_add_layer(out, "no_new_privs, every capability dropped (bounding, ambient, securebits locked)");
    rf_status_set_level(out, RF_G_WRITES, RF_ENFORCED,
              f->userns_ok ? "Landlock: writes only in writable roots, /tmp (private), /dev/null, the terminal"
                           : "Landlock: writes only in writable roots, the sandbox's own temporary folder (TMPDIR; "
                             "the host's /tmp only with tmp: shared), /dev/null, the terminal");
    if (f->userns_ok)
        rf_status_set_level(out, RF_G_NETWORK, RF_ENFORCED,
                  f->landlock_abi >= 4 ? "seccomp: only AF_UNIX sockets; Landlock: TCP connect/bind denied"
                                       : "seccomp: only AF_UNIX sockets");
    else
        rf_status_set_level(out, RF_G_NETWORK, RF_ENFORCED,
                  f->landlock_abi >= 4 ? "seccomp: no socket() at all, not even AF_UNIX (socketpair only); "
                                         "Landlock: TCP connect/bind denied"
                                       : "seccomp: no socket() at all, not even AF_UNIX (socketpair only)");
    if (f->userns_ok) {
        snprintf(out->reason, sizeof out->reason,
                 "Landlock ABI %d, seccomp, unprivileged user namespaces", f->landlock_abi);
        rf_status_add_layer(out, "user + mount + PID namespaces: read-only binds, empty mounts, private /tmp, fresh /proc, "
                          "the user's runtime folder ($XDG_RUNTIME_DIR, /run/user/UID: session bus, agents) "
                          "covered by an empty read-only tmpfs, mount tree read-only outside the writable "
                          "places (chmod, chown, utime, xattrs)");
        rf_status_set_level(out, RF_G_WRITES, RF_ENFORCED,
                  "Landlock: writes only in writable roots, /tmp, /dev/null, the terminal; mount namespace: "
                  "read-only elsewhere (metadata too)");
        rf_status_add_layer(out, "pid 1 of the PID namespace dies with ringfence (PR_SET_PDEATHSIG)");
        rf_status_set_level(out, RF_G_PROTECTED, RF_ENFORCED,
                  "mount namespace: read-only binds; read-only placeholders for absent paths");
        rf_status_set_level(out, RF_G_DENY_READ, RF_ENFORCED, "mount namespace: empty read-only mounts (sockets too)");
        rf_status_set_level(out, RF_G_PROCESS_TREE, RF_ENFORCED,
                  "PID namespace: its init dies with ringfence (PDEATHSIG) and takes every process along");
    } else {
        snprintf(out->reason, sizeof out->reason, "Landlock ABI %d and seccomp only: %s", f->landlock_abi,
                 f->userns_why);
        rf_status_add_layer(out, f->userns_forced_off ? "no user namespace (forced by RINGFENCE_DISABLE_USERNS=1): no mounts"
                                               : "no user namespace: no mounts");
        rf_status_add_layer(out, "tmp private: host /tmp and /dev/shm read-only; a /tmp/ringfence-tmp-XXXXXX of its own "
                          "(0700, removed after), TMPDIR/TMP/TEMP/TEMPDIR point at it; tmp shared: host /tmp writable");
        rf_status_add_layer(out, "seccomp: socket(AF_UNIX) refused, socketpair allowed (without mounts the host's unix "
                          "sockets: session bus, agents, docker.sock cannot be hidden)");
        rf_status_add_layer(out, "subreaper keeper kills every descendant when the command ends");
        /* Without a mount namespace nothing stops chmod/chown/utime/setxattr
         * outside the writable roots: say so rather than claim it. */
        rf_status_add_gap(out, "writes.metadata: Landlock does not mediate chmod, chown, utime or xattrs; a mount "
                        "namespace (unprivileged user namespaces) or the elevated backend covers them");
        char why[256];
        snprintf(why, sizeof why, "%s; %s", f->userns_forced_off ? "forced off (RINGFENCE_DISABLE_USERNS=1)"
                                                                : "unprivileged user namespaces are disabled",
                 RESTORE_HINT);
        rf_status_set_level(out, RF_G_PROTECTED, RF_ABSENT, why);
        rf_status_set_level(out, RF_G_DENY_READ, RF_ABSENT, why);
        rf_status_set_level(out, RF_G_PROCESS_TREE, RF_ENFORCED,
                  "subreaper keeper (no PID namespace): kills every descendant when the command ends or "
                  "times out; a SIGKILL of ringfence itself leaves them running");
    }
}

/* ---- prepare: the plan, once per policy ---------------------------------- */

typedef struct ue_state {
    const rf_policy *policy;
    bool userns;
    rf_landlock_plan landlock;
    rf_seccomp_program seccomp;
    rf_list protected_paths;
    const char **roots;
    char lock_dir[256];
    rf_placeholders ph; /* opened at the first run, ended at cleanup */
    bool ph_open;
    /* No namespace and tmp = private: the sandbox's own temporary folder
     * (Landlock grants it instead of /tmp and /dev/shm); "" otherwise. */
    char own_tmp[64];
} ue_state;

static void end_placeholders(ue_state *st);

static void ue_cleanup(void *state) {
    ue_state *st = state;
    if (!st)
        return;
    end_placeholders(st);
    int rc = st->own_tmp[0] ? rf_private_tmp_remove(st->own_tmp) : 0;
    if (rc < 0) /* cleanup cannot fail: say what was left behind */
        fprintf(stderr, "ringfence: removing the sandbox's temporary folder %s: %s\n", st->own_tmp, strerror(-rc));
    rf_landlock_plan_free(&st->landlock);
    rf_seccomp_program_free(&st->seccomp);
    rf_list_free(&st->protected_paths);
    free(st->roots);
    free(st);
}

static int ue_prepare(const rf_policy *policy, void **state, rf_error *err) {
    *state = NULL;
    const ue_facts *f = probe_facts();
    if (f->landlock_abi < 1 || !f->seccomp_ok)
        return rf_fail(err, RF_EBACKEND, "backend unelevated is not available: %s",
                       f->landlock_abi < 1 ? "no Landlock" : "no seccomp");
    ue_state *st = calloc(1, sizeof *st);
    if (!st)
        return rf_fail_errno(err, ENOMEM, "preparing the unelevated backend");
    st->policy = policy;
    st->userns = f->userns_ok;
    int rc;
    /* Without a mount namespace /tmp is the host's: a folder of its own instead. */
    if (!st->userns && policy->tmp == RF_TMP_PRIVATE &&
        (rc = rf_private_tmp_create(st->own_tmp, sizeof st->own_tmp, err)) < 0)
        goto fail;
    if ((rc = rf_landlock_plan_build(policy, f->landlock_abi, st->own_tmp[0] ? st->own_tmp : NULL, &st->landlock,
                                     err)) < 0)
        goto fail;
    /* The program libseccomp made of rf_seccomp_rules at build time (seccomp.h).
     * Without a mount namespace the host's unix sockets cannot be hidden: none at all. */
    if ((rc = rf_seccomp_builtin(policy->network == RF_NET_OFF, !st->userns, &st->seccomp, err)) < 0)
        goto fail;
    if ((rc = rf_policy_protected_paths(policy, &st->protected_paths)) < 0) {
        rc = rf_fail_errno(err, -rc, "listing the protected paths");
        goto fail;
    }
    st->roots = calloc(policy->writable_roots.len + 1, sizeof *st->roots);
    if (!st->roots) {
        rc = rf_fail_errno(err, ENOMEM, "preparing the unelevated backend");
        goto fail;
    }
    for (size_t i = 0; i < policy->writable_roots.len; i++)
        st->roots[i] = policy->writable_roots.items[i].value;
    for (size_t d = 0; d < policy->deny_read.len; d++)
        for (size_t r = 0; r < policy->writable_roots.len; r++)
            if (rf_path_within(st->roots[r], policy->deny_read.items[d].value)) {
                rc = rf_fail_policy(err, "deny_read", "%s contains the writable root %s",
                                    policy->deny_read.items[d].value, st->roots[r]);
                goto fail;
            }
    if (st->userns && (rc = rf_placeholder_lock_dir(st->lock_dir, sizeof st->lock_dir, err)) < 0)
        goto fail;
    *state = st;
    return 0;
fail:
    ue_cleanup(st);
    return rc;
}

/* ---- one run ------------------------------------------------------------- */

typedef struct ue_run {
    pid_t supervisor;
    bool keeper;
    int status_fd; /* read end */
    int exec_errno;
    rf_mount_target *prot, *deny;
    rf_mount_plan mounts;
    bool gates_held;
    /* No namespace, tmp = private: the command's environment with TMPDIR &
     * co. pointing at the sandbox's own folder (the core's stays untouched). */
    char **envp;
    rf_launch launch;
    /* The user's runtime folders covered this run (session bus, agents). */
    char runtime[RF_RUNTIME_DIRS_MAX][RF_RUNTIME_DIR_LEN];
} ue_run;

/* The setup steps, for error messages (index into step_names). */
enum {
    STEP_FORK = 0,
    STEP_LAUNCHER_GONE,
    STEP_MOUNTS,
    STEP_PROCESS,
    STEP_CHDIR,
    STEP_PDEATHSIG,
    STEP_CAPS,
    STEP_NNP,
    STEP_LANDLOCK,
    STEP_SECCOMP,
    STEP_COUNT
};
static const char *const step_names[STEP_COUNT] = {
    "forking the command",   "waiting for the launcher",       "mounting the sandbox's view",
    "setting up stdio, process group and terminal", "changing to the working directory",
    "setting the parent-death signal", "dropping capabilities", "setting no_new_privs",
    "applying Landlock",     "loading the seccomp filter",
};

typedef struct ue_child_ctx {
    const ue_state *st;
    const ue_run *run;
    const rf_launch *launch;
    int report_fd;   /* exec report, write end */
    int status_fd;   /* status pipe, write end */
    int sync_fd;     /* userns: read end; the launcher writes one byte once the maps are in */
    pid_t launcher;
} ue_child_ctx;

__attribute__((noreturn)) static void setup_failed(const ue_child_ctx *c, int step, int index, int errnum) {
    rf_sup_report_setup_failure(c->status_fd, step, index, errnum);
    rf_child_abort(c->report_fd, errnum);
}

/*
 * The command process, forked by the supervisor.  Each step closes an escape
 * and must come before the next.
 */
__attribute__((noreturn)) static void confine_and_exec(void *arg) {
    const ue_child_ctx *c = arg;
    int rc;
    /* 1. stdio, own process group, the terminal, clean signal state: the
     *    command's job is signalled as one group and never ringfence's. */
    if ((rc = rf_child_prepare_process(c->launch)) < 0)
        setup_failed(c, STEP_PROCESS, 0, -rc);
    /* 2. The working directory by path, in the sandbox's view: the inherited
     *    cwd would still point beneath a mount that now covers it. */
    if (chdir(c->launch->cwd) < 0)
        setup_failed(c, STEP_CHDIR, 0, errno);
    /* 3. Die with the supervisor, so a command can never outlive its keeper. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        setup_failed(c, STEP_PDEATHSIG, 0, errno);
    /* 4. No capability left: root in the user namespace (or real root without
     *    one) could otherwise unmount the read-only binds or remount them rw. */
    if ((rc = rf_caps_drop_all()) < 0)
        setup_failed(c, STEP_CAPS, 0, -rc);
    /* 5. no_new_privs: a setuid binary cannot regain what step 4 dropped;
     *    Landlock and seccomp require it of an unprivileged process. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        setup_failed(c, STEP_NNP, 0, errno);
    /* 6. Landlock: writes outside the writable roots, TCP, signals and
     *    abstract sockets outside the sandbox are refused by the kernel. */
    if ((rc = rf_landlock_apply(&c->st->landlock)) < 0)
        setup_failed(c, STEP_LANDLOCK, 0, -rc);
    /* 7. seccomp last: it forbids setup calls (mount family), and everything
     *    the command does from here on passes through it. */
    if ((rc = rf_seccomp_apply(&c->st->seccomp)) < 0)
        setup_failed(c, STEP_SECCOMP, 0, -rc);
    /* 8. exec: the report pipe closes on success, or carries the errno. */
    rf_child_exec(c->launch, c->report_fd);
}

/* The first process of the run: pid 1 of the new namespaces (or the keeper). */
__attribute__((noreturn)) static void child_init(ue_child_ctx *c) {
    /* A. Die with the launcher: a killed ringfence must not leave a sandbox running. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        setup_failed(c, STEP_PDEATHSIG, 0, errno);
    if (c->sync_fd >= 0) {
        /* B. Wait until the launcher wrote our uid/gid maps; EOF without the
         *    byte means it died before PDEATHSIG was armed. */
        char byte;
        ssize_t n;
        while ((n = read(c->sync_fd, &byte, 1)) < 0 && errno == EINTR) {
        }
        if (n != 1)
            setup_failed(c, STEP_LAUNCHER_GONE, 0, EPIPE);
        close(c->sync_fd);
        /* C. The mount plan: read-only protected paths, hidden deny-read
         *    paths, private /tmp, a /proc that shows only this sandbox. */
        size_t failed = 0;
        int rc = rf_mount_apply(&c->run->mounts, &failed);
        if (rc < 0)
            setup_failed(c, STEP_MOUNTS, (int)failed, -rc);
    } else if (getppid() != c->launcher) {
        setup_failed(c, STEP_LAUNCHER_GONE, 0, EPIPE); /* died before PDEATHSIG was armed */
    }
    /* D. Supervise: fork the command, forward signals, reap, report. */
    rf_supervisor sup = {
        .status_fd = c->status_fd,
        .report_fd = c->report_fd,
        .keeper = c->sync_fd < 0,
        .start_command = confine_and_exec,
        .ctx = c,
    };
    rf_supervisor_run(&sup);
}

static void free_run(ue_run *run) {
    if (!run)
        return;
    if (run->status_fd >= 0)
        close(run->status_fd);
    rf_mount_plan_free(&run->mounts);
    rf_private_tmp_env_free(run->envp);
    free(run->prot);
    free(run->deny);
    free(run);
}

/* The candidates a leaving sandbox may remove: this policy's protected paths. */
static void end_placeholders(ue_state *st) {
    if (!st->ph_open)
        return;
    const char **cands = calloc(st->protected_paths.len + 1, sizeof *cands);
    size_t n = 0;
    if (cands)
        for (size_t i = 0; i < st->protected_paths.len; i++)
            cands[n++] = st->protected_paths.items[i].value;
    rf_placeholders_end(&st->ph, cands, n);
    free(cands);
    st->ph_open = false;
}

/* Observes every protected and deny-read path now and turns that into the
 * mount plan.  The user's runtime folders join the deny-read directories:
 * the session bus there runs anything outside (`systemd-run --user`). */
static int plan_mounts(ue_state *st, ue_run *run, const rf_launch *launch, rf_error *err) {
    const rf_policy *p = st->policy;
    size_t n_runtime = rf_runtime_dirs(launch->envp, getenv("XDG_RUNTIME_DIR"), (unsigned)getuid(), st->roots,
                                       p->writable_roots.len, run->runtime);
    run->prot = calloc(st->protected_paths.len + 1, sizeof *run->prot);
    run->deny = calloc(p->deny_read.len + n_runtime + 1, sizeof *run->deny);
    if (!run->prot || !run->deny)
        return rf_fail_errno(err, ENOMEM, "planning the mounts");
    for (size_t i = 0; i < st->protected_paths.len; i++) {
        run->prot[i].path = st->protected_paths.items[i].value;
        run->prot[i].kind = rf_path_kind_of(run->prot[i].path);
    }
    for (size_t i = 0; i < p->deny_read.len; i++) {
        run->deny[i].path = p->deny_read.items[i].value;
        run->deny[i].kind = rf_path_kind_of(run->deny[i].path);
    }
    size_t n_deny = p->deny_read.len;
    for (size_t i = 0; i < n_runtime; i++) {
        rf_path_kind kind = rf_path_kind_of(run->runtime[i]);
        if (kind == RF_KIND_DIR) /* only a real folder: nothing else to hide */
            run->deny[n_deny++] = (rf_mount_target){run->runtime[i], kind};
    }
    rf_mount_target own = {st->lock_dir, rf_path_kind_of(st->lock_dir)};
    rf_mount_input in = {
        .own_state = &own,
        .n_own_state = 1,
        .tmp_private = p->tmp == RF_TMP_PRIVATE,
        .have_dev_shm = rf_path_kind_of("/dev/shm") == RF_KIND_DIR,
        .roots = st->roots,
        .n_roots = p->writable_roots.len,
        .protected_paths = run->prot,
        .n_protected = st->protected_paths.len,
        .deny = run->deny,
        .n_deny = n_deny,
    };
    return rf_mount_plan_build(&in, &run->mounts, err);
}

/* The terminal the command may write to besides its inherited fds. */
static void find_terminal(const rf_launch *launch, char *out, size_t len) {
    out[0] = '\0';
    int fds[4] = {launch->tty_fd, launch->stdin_fd, launch->stdout_fd, launch->stderr_fd};
    for (int i = 0; i < 4; i++) {
        if (fds[i] < 0 || !isatty(fds[i]))
            continue;
        char link[64], target[64];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fds[i]);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 0 || (size_t)n >= len)
            continue;
        target[n] = '\0';
        if (strncmp(target, "/dev/", 5) == 0) {
            memcpy(out, target, (size_t)n + 1);
            return;
        }
    }
}

/* Adds the supervisor's or the command's setup-failure record to err, when one arrived. */
static void explain_setup_failure(const ue_run *run, rf_error *err) {
    struct pollfd pfd = {.fd = run->status_fd, .events = POLLIN};
    if (poll(&pfd, 1, 0) <= 0)
        return;
    rf_sup_record rec;
    if (read(run->status_fd, &rec, sizeof rec) != (ssize_t)sizeof rec || rec.kind != RF_SUP_SETUP_FAILED)
        return;
    const char *step = rec.step >= 0 && rec.step < STEP_COUNT ? step_names[rec.step] : "setup";
    if (rec.step == STEP_MOUNTS && (size_t)rec.index < run->mounts.n_ops) {
        const rf_mount_op *op = &run->mounts.ops[rec.index];
        rf_fail_errno(err, rec.value, "setting up the sandbox: %s on %s (%s)", rf_mount_op_name(op->kind),
                      op->path, rf_path_kind_name(op->expect));
    } else {
        rf_fail_errno(err, rec.value, "setting up the sandbox: %s", step);
    }
}

static int ue_spawn(void *state, const rf_launch *launch, rf_child *child, rf_error *err) {
    ue_state *st = state;
    ue_run *run = calloc(1, sizeof *run);
    if (!run)
        return rf_fail_errno(err, ENOMEM, "starting %s", launch->argv[0]);
    run->status_fd = -1;
    run->keeper = !st->userns;
    if (st->own_tmp[0]) {
        run->envp = rf_private_tmp_env(launch->envp, st->own_tmp);
        if (!run->envp) {
            free_run(run);
            return rf_fail_errno(err, ENOMEM, "pointing TMPDIR of %s at %s", launch->argv[0], st->own_tmp);
        }
        run->launch = *launch;
        run->launch.envp = run->envp;
        launch = &run->launch;
    }
    int rc = 0, status_w = -1, sync_fds[2] = {-1, -1};
    rf_report_pipe report = {-1, -1};
    find_terminal(launch, st->landlock.terminal, sizeof st->landlock.terminal);

    if (st->userns) {
        if ((rc = plan_mounts(st, run, launch, err)) < 0)
            goto fail;
        if (!st->ph_open) {
            rc = rf_placeholders_open(&st->ph, st->lock_dir, st->roots, st->policy->writable_roots.len, err);
            if (rc < 0)
                goto fail;
            st->ph_open = true;
        }
        if (run->mounts.n_placeholders > 0) {
            rc = rf_placeholders_create(&st->ph, run->mounts.placeholders, run->mounts.n_placeholders, err);
            if (rc < 0)
                goto fail;
            run->gates_held = true;
        }
        if (pipe2(sync_fds, O_CLOEXEC) < 0) {
            rc = rf_fail_errno(err, errno, "creating the namespace sync pipe");
            goto fail;
        }
    }
    int status_fds[2];
    if (pipe2(status_fds, O_CLOEXEC) < 0) {
        rc = rf_fail_errno(err, errno, "creating the status pipe");
        goto fail;
    }
    run->status_fd = status_fds[0];
    status_w = status_fds[1];
    if ((rc = rf_report_pipe_open(&report, err)) < 0)
        goto fail;

    ue_child_ctx ctx = {
        .st = st,
        .run = run,
        .launch = launch,
        .report_fd = report.write_fd,
        .status_fd = status_w,
        .sync_fd = sync_fds[0],
        .launcher = getpid(),
    };
    pid_t pid = rf_clone_process(st->userns ? (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID) : 0);
    if (pid == 0) {
        if (sync_fds[1] >= 0)
            close(sync_fds[1]);
        close(report.read_fd);
        close(run->status_fd);
        child_init(&ctx);
    }
    if (pid < 0) {
        rc = rf_fail_errno(err, -pid, "starting the sandbox for %s (clone%s)", launch->argv[0],
                           st->userns ? " with new user, mount and PID namespaces" : "");
        goto fail;
    }
    close(status_w);
    status_w = -1;
    run->supervisor = pid;
    child->pid = pid;
    child->signal_pid = pid; /* the supervisor forwards to the command's group */
    child->priv = run;
    if (st->userns) {
        close(sync_fds[0]);
        sync_fds[0] = -1;
        rc = rf_userns_write_maps(pid, geteuid(), getegid(), err);
        if (rc == 0 && write(sync_fds[1], "g", 1) != 1)
            rc = rf_fail_errno(err, errno, "releasing the sandbox's init");
        close(sync_fds[1]);
        sync_fds[1] = -1;
        if (rc < 0) {
            rf_report_pipe_close(&report);
            if (run->gates_held)
                rf_placeholders_mounted(&st->ph);
            run->gates_held = false;
            return rc; /* the core kills and waits for the child */
        }
    }
    rc = rf_report_pipe_collect(&report, &run->exec_errno, err);
    if (rc < 0)
        explain_setup_failure(run, err);
    if (run->gates_held) {
        rf_placeholders_mounted(&st->ph);
        run->gates_held = false;
    }
    return rc;

fail:
    if (status_w >= 0)
        close(status_w);
    for (int i = 0; i < 2; i++)
        if (sync_fds[i] >= 0)
            close(sync_fds[i]);
    rf_report_pipe_close(&report);
    if (run->gates_held)
        rf_placeholders_mounted(&st->ph);
    free_run(run);
    return rc;
}

static int ue_wait(void *state, rf_child *child, rf_outcome *out, rf_error *err) {
    (void)state;
    ue_run *run = child->priv;
    int rc = rf_wait_pid(child->pid, out, err);
    if (rc == 0 && run) {
        rf_sup_record rec;
        ssize_t n;
        while ((n = read(run->status_fd, &rec, sizeof rec)) < 0 && errno == EINTR) {
        }
        if (n == (ssize_t)sizeof rec && rec.kind == RF_SUP_STATUS) {
            if (WIFSIGNALED(rec.value)) {
                out->kind = RF_END_SIGNALED;
                out->value = WTERMSIG(rec.value);
            } else {
                out->kind = RF_END_EXITED;
                out->value = WEXITSTATUS(rec.value);
            }
        }
        if (run->exec_errno) {
            out->kind = RF_END_EXEC_FAILED;
            out->value = run->exec_errno;
        }
    }
    if (run) {
        free_run(run);
        child->priv = NULL;
    }
    return rc;
}

static void ue_kill_tree(void *state, rf_child *child) {
    (void)state;
    ue_run *run = child->priv;
    if (child->pid <= 0)
        return;
    /* pid 1 of the PID namespace takes every process with it; the keeper is
     * asked to kill its descendants (it is their subreaper), since killing
     * it would orphan them to ringfence instead. */
    if (run && run->keeper)
        kill(child->pid, RF_SUP_KILL_SIGNAL);
    else
        kill(child->pid, SIGKILL);
}

const rf_backend rf_backend_unelevated = {
    .name = "unelevated",
    .description = "Linux without admin rights: Landlock, seccomp, user + mount + PID namespaces",
    .rank = 10,
    .probe = ue_probe,
    .prepare = ue_prepare,
    .spawn = ue_spawn,
    .wait = ue_wait,
    .kill_tree = ue_kill_tree,
    .cleanup = ue_cleanup,
};
