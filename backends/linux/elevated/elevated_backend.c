/*
 * elevated_backend.c — the Linux elevated backend as the core sees it: the
 * CLI side of ringfence-runner.
 *
 *   probe    setup.json present, root-owned and valid; the runner it names
 *            installed root:GROUP mode 4750; the caller in GROUP.
 *   prepare  the protected paths and the placeholder lock directory.
 *   spawn    placeholders for absent protected paths (as under the
 *            unelevated backend, created by the user, shared between runs);
 *            fork + exec the runner with the request framed on fd 3; wait
 *            for its first report (started, exec failed, setup failed).
 *   wait     the runner's exit, then its last report: the command's status.
 *   kill_tree  KILL on the control channel (the request pipe, kept open):
 *            the runner kills the init of the run's PID namespace, and the
 *            kernel every process in it.  Signals are forwarded the same
 *            way: the runner is root in every uid, the CLI cannot signal it.
 *
 * The CLI stays lean: no libacl, no libnftables; the runner does the
 * privileged checks itself and never trusts what this side checked.
 */
#include "backends/linux/elevated/elevated_backend.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backends/linux/elevated/runner_request.h"
#include "backends/linux/elevated/setup_record.h"
#include "backends/linux/landlock.h"
#include "backends/linux/mounts.h"
#include "backends/linux/placeholder.h"
#include "core/child_posix.h"
#include "core/error.h"

/* The production CLI reads the fixed path; the test build links a strong
 * definition (core/cli/elevated_path_testbuild.c) that reads it from
 * $RINGFENCE_TEST_SETUP_RECORD. */
__attribute__((weak)) const char *rf_elevated_setup_record_path(void) { return RF_SETUP_RECORD_PATH; }

#define SETUP_HINT "run `sudo ringfence setup`"

/* ---- probe ------------------------------------------------------------------ */

static bool caller_in_group(gid_t group) {
    if (getgid() == group || getegid() == group)
        return true;
    gid_t list[256];
    int n = getgroups(256, list);
    for (int i = 0; i < n; i++)
        if (list[i] == group)
            return true;
    return false;
}

/* The runner must be exactly what setup installs: root-owned, setuid,
 * executable by the group only (mode 4750). */
static bool runner_installed(const rf_setup_record *rec, char *why, size_t len) {
    struct stat st;
    if (stat(rec->runner_path, &st) < 0) {
        snprintf(why, len, "the runner %s is missing (%s): %s", rec->runner_path, strerror(errno), SETUP_HINT);
        return false;
    }
    if (!S_ISREG(st.st_mode) || st.st_uid != 0 || st.st_gid != rec->group.id || (st.st_mode & 07777) != 04750) {
        snprintf(why, len, "the runner %s is not installed root:%s mode 4750 (owner %u:%u, mode %04o): %s",
                 rec->runner_path, rec->group.name, (unsigned)st.st_uid, (unsigned)st.st_gid,
                 (unsigned)(st.st_mode & 07777), SETUP_HINT);
        return false;
    }
    return true;
}

static void unavailable(rf_backend_status *out, const char *reason) {
    out->available = false;
    snprintf(out->reason, sizeof out->reason, "%s", reason);
    for (int g = 0; g < RF_G_COUNT; g++)
        rf_status_set_level(out, (rf_guarantee)g, RF_ABSENT, "backend unavailable");
}

static void el_probe(rf_backend_status *out) {
    out->layers[0] = '\0';
    out->gaps[0] = '\0';
    rf_setup_record rec;
    rf_error err = {0};
    const char *path = rf_elevated_setup_record_path();
    if (!path) {
        unavailable(out, "no setup record path (test build without RINGFENCE_TEST_SETUP_RECORD)");
        return;
    }
    int rc = rf_setup_record_load(path, true, &rec, &err);
    if (rc == -ENOENT) {
        char reason[512];
        snprintf(reason, sizeof reason, "not set up on this machine (no %s): %s", path, SETUP_HINT);
        unavailable(out, reason);
        return;
    }
    if (rc < 0) {
        unavailable(out, err.message);
        return;
    }
    char why[512];
    if (!runner_installed(&rec, why, sizeof why)) {
        unavailable(out, why);
        return;
    }
    char *grant = NULL;
    if (rf_elevated_grant_find(&grant, &err) < 0) {
        snprintf(why, sizeof why, "ringfence-grant, which grants a workspace at its first run, is missing: %.400s",
                 err.message);
        unavailable(out, why);
        return;
    }
    free(grant);
    if (!caller_in_group(rec.group.id)) {
        snprintf(why, sizeof why, "you are not in the group %s that may use the sandbox users (sudo usermod -aG "
                 "%s $USER, then log in again)", rec.group.name, rec.group.name);
        unavailable(out, why);
        return;
    }
    out->available = true;
    snprintf(out->reason, sizeof out->reason, "set up: sandbox users %s (uid %u) and %s (uid %u), runner %s",
             rec.offline.name, rec.offline.id, rec.online.name, rec.online.id, rec.runner_path);
    char line[512];
    snprintf(line, sizeof line, "sandbox users: %s (offline, uid %u), %s (online, uid %u); workspace granted by "
             "POSIX ACLs, checked by the runner on the directory itself", rec.offline.name, rec.offline.id,
             rec.online.name, rec.online.id);
    rf_status_add_layer(out, line);
    snprintf(line, sizeof line, "nftables table inet %s: every packet of uid %u rejected (loopback proxy ports "
             "excepted)", rec.table, rec.offline.id);
    rf_status_add_layer(out, line);
    rf_status_add_layer(out, "runner (setuid root): new PID + mount namespaces, setresuid to the sandbox user verified, "
           "no_new_privs, every capability dropped");
    int abi = rf_landlock_abi();
    if (abi < 1) {
        /* The runner refuses: Landlock is what keeps a run out of the other
         * members' granted workspaces (the sandbox users are shared). */
        out->available = false;
        snprintf(out->reason, sizeof out->reason, "Landlock is not available in this kernel; the runner refuses "
                 "to run without it (the shared sandbox users can write every member's granted workspace)");
    }
    if (abi >= 1) {
        rf_landlock_describe(abi, true, line, sizeof line);
        rf_status_add_layer(out, line);
    } else {
        rf_status_add_layer(out, "landlock: not available in this kernel (second line absent)");
    }
    rf_status_add_layer(out, "seccomp: the unelevated filter (ptrace, io_uring, mount family, namespaces; AF_UNIX only when "
           "network is off)");
    rf_status_add_layer(out, "mount namespace: read-only tree outside the writable places, read-only binds, empty mounts over "
           "deny_read and over other users' folders in /home (the sandbox users are shared), private /tmp and "
           "/dev/shm always (tmp: shared is ignored: the host's are shared by every member's runs), fresh /proc");
    rf_status_set_level(out, RF_G_WRITES, RF_ENFORCED,
              "a separate user, shared by the group's members: the ACLs grant it every member's granted "
              "workspaces, so writes outside your own roots are kept out by Landlock (rules on the directories "
              "the runner checked) and the read-only mount tree");
    rf_status_set_level(out, RF_G_PROTECTED, RF_ENFORCED,
              "read-only bind mounts over protected paths (placeholders for absent ones) in the runner's "
              "mount namespace");
    rf_status_set_level(out, RF_G_DENY_READ, RF_ENFORCED,
              "a separate user cannot read the caller's private files; empty mounts over deny_read paths");
    snprintf(why, sizeof why, "nftables: table inet %s rejects every packet of the offline user (uid %u); "
             "seccomp and Landlock TCP rules as a second line", rec.table, rec.offline.id);
    rf_status_set_level(out, RF_G_NETWORK, RF_ENFORCED, why);
    rf_status_set_level(out, RF_G_PROCESS_TREE, RF_ENFORCED,
              "PID namespace: its init dies with the runner, the runner with ringfence (PDEATHSIG)");
    if (abi >= 1 && abi < 6)
        rf_status_add_gap(out, "network.abstract_unix: Landlock ABI < 6 has no abstract unix socket scope and the run has no "
               "network namespace: an offline run can reach the host's abstract unix sockets (daemons that may "
               "reach the network for it)");
    /* The sandbox users are shared by the group: say what that leaves open. */
    rf_status_add_gap(out, "deny_read.other_members: folders another member granted outside /home (workspaces, tool folders) "
           "are readable by the shared sandbox users; per-member sandbox users would cover it");
}

/* ---- prepare ------------------------------------------------------------------ */

typedef struct el_state {
    const rf_policy *policy;
    rf_setup_record rec;
    rf_list protected_paths;
    char lock_dir[256];
    rf_placeholders ph;
    bool ph_open;
} el_state;

static void end_placeholders(el_state *st) {
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

static void el_cleanup(void *state) {
    el_state *st = state;
    if (!st)
        return;
    end_placeholders(st);
    rf_list_free(&st->protected_paths);
    free(st);
}

static int el_prepare(const rf_policy *policy, void **state, rf_error *err) {
    *state = NULL;
    el_state *st = calloc(1, sizeof *st);
    if (!st)
        return rf_fail_errno(err, ENOMEM, "preparing the elevated backend");
    st->policy = policy;
    const char *path = rf_elevated_setup_record_path();
    int rc = path ? rf_setup_record_load(path, true, &st->rec, err)
                  : rf_fail(err, RF_EBACKEND, "no setup record path in this test build");
    /* The runner refuses it too; saying so here comes before the placeholders
     * (which could not be created in someone else's folder anyway). */
    struct stat ws;
    if (rc == 0 && stat(policy->workspace, &ws) == 0 && ws.st_uid != getuid())
        rc = rf_fail(err, RF_EBACKEND, "the workspace %s is owned by uid %u, not by you (uid %u): the elevated "
                     "backend runs commands only in your own folders", policy->workspace, (unsigned)ws.st_uid,
                     (unsigned)getuid());
    /* Granted by the user's record, or granted now (once per workspace). */
    if (rc == 0)
        rc = rf_elevated_ensure_granted(policy, &st->rec, err);
    if (rc == 0 && (rc = rf_policy_protected_paths(policy, &st->protected_paths)) < 0)
        rc = rf_fail_errno(err, -rc, "listing the protected paths");
    if (rc == 0)
        rc = rf_placeholder_lock_dir(st->lock_dir, sizeof st->lock_dir, err);
    if (rc < 0) {
        el_cleanup(st);
        return rc;
    }
    *state = st;
    return 0;
}

/* ---- spawn --------------------------------------------------------------------- */

typedef struct el_run {
    int report_fd;  /* read end */
    int control_fd; /* the request pipe's write end, kept open for the run */
    int exec_errno;
    bool started;
} el_run;

static char **list_values(const rf_list *list, size_t from) {
    char **out = calloc(list->len + 1, sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = from; i < list->len; i++)
        out[i - from] = list->items[i].value;
    return out;
}

static size_t count(char *const *v) {
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}

static int encode_request(const el_state *st, const rf_launch *launch, char **out, size_t *len, rf_error *err) {
    const rf_policy *p = st->policy;
    char **roots = list_values(&p->writable_roots, 1);
    char **names = list_values(&p->protected_names, 0);
    char **deny = list_values(&p->deny_read, 0);
    int rc;
    if (!roots || !names || !deny) {
        rc = rf_fail_errno(err, ENOMEM, "building the runner request");
        goto out;
    }
    rf_runner_request req = {
        .parent_pid = (int)getpid(),
        /* The codec only reads them. */
        .argv = (char **)launch->argv,
        .argc = count(launch->argv),
        .env = (char **)launch->envp,
        .n_env = count(launch->envp),
        .cwd = (char *)launch->cwd,
        .network = p->network == RF_NET_ON,
        .tmp_private = true, /* always, under elevated (the runner enforces it too) */
        .tty = launch->tty_fd >= 0 && launch->tty_fd == launch->stdin_fd,
        .workspace = p->workspace,
        .writable_roots = roots,
        .n_writable_roots = p->writable_roots.len ? p->writable_roots.len - 1 : 0,
        .protected_names = names,
        .n_protected = p->protected_names.len,
        .deny_read = deny,
        .n_deny_read = p->deny_read.len,
    };
    rc = rf_runner_request_encode(&req, out, len, err);
out:
    free(roots);
    free(names);
    free(deny);
    return rc;
}

/* Absent protected paths get a placeholder directory (created by the user,
 * shared with other runs, see placeholder.h) for the runner to bind
 * read-only, so the command cannot create .git where there was none. */
static int make_placeholders(el_state *st, bool *held, rf_error *err) {
    *held = false;
    const char **absent = calloc(st->protected_paths.len + 1, sizeof *absent);
    if (!absent)
        return rf_fail_errno(err, ENOMEM, "listing the absent protected paths");
    size_t n = 0;
    for (size_t i = 0; i < st->protected_paths.len; i++)
        if (rf_path_kind_of(st->protected_paths.items[i].value) == RF_KIND_ABSENT)
            absent[n++] = st->protected_paths.items[i].value;
    int rc = 0;
    if (n > 0 && !st->ph_open) {
        const char **roots = calloc(st->policy->writable_roots.len + 1, sizeof *roots);
        rc = roots ? 0 : rf_fail_errno(err, ENOMEM, "opening the placeholder locks");
        for (size_t i = 0; roots && i < st->policy->writable_roots.len; i++)
            roots[i] = st->policy->writable_roots.items[i].value;
        if (rc == 0)
            rc = rf_placeholders_open(&st->ph, st->lock_dir, roots, st->policy->writable_roots.len, err);
        free(roots);
        if (rc == 0)
            st->ph_open = true;
    }
    if (rc == 0 && n > 0) {
        rc = rf_placeholders_create(&st->ph, absent, n, err);
        *held = rc == 0;
    }
    free(absent);
    return rc;
}

/* In the child: the five protocol fds onto 0-4 (sources lifted above 9
 * first, so no dup2 clobbers a later source), then the runner. */
__attribute__((noreturn)) static void exec_runner(const char *runner, const int src[5]) {
    int lifted[5];
    for (int i = 0; i < 5; i++)
        if ((lifted[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 10)) < 0)
            _exit(126);
    for (int i = 0; i < 5; i++)
        if (dup2(lifted[i], i) < 0)
            _exit(126);
    char *argv[] = {"ringfence-runner", NULL};
    char *envp[] = {NULL};
    execve(runner, argv, envp);
    rf_runner_report rep = {.kind = RF_RUNNER_SETUP_FAILED, .value = errno};
    snprintf(rep.message, sizeof rep.message, "executing the runner %s: %s", runner, strerror(errno));
    rf_runner_report_write(RF_RUNNER_REPORT_FD, &rep);
    _exit(126);
}

/* The request, or one control byte, on the pipe; a runner that died early
 * must not kill us with SIGPIPE. */
static int send_request(int fd, const char *buf, size_t len, bool framed) {
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigprocmask(SIG_BLOCK, &pipe_set, &old);
    int rc = 0;
    if (framed)
        rc = rf_runner_frame_write(fd, buf, len);
    else if (write(fd, buf, len) != (ssize_t)len)
        rc = -errno;
    if (rc == -EPIPE && !sigismember(&old, SIGPIPE)) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static int first_report(el_run *run, const char *runner, rf_error *err) {
    rf_runner_report rep;
    int rc = rf_runner_report_read(run->report_fd, &rep);
    if (rc < 0)
        return rf_fail_errno(err, -rc, "reading the first report of the runner %s", runner);
    if (rc == 0)
        return rf_fail(err, RF_EBACKEND, "the runner %s ended without a report", runner);
    switch (rep.kind) {
    case RF_RUNNER_STARTED:
        run->started = true;
        return 0;
    case RF_RUNNER_EXEC_FAILED:
        run->exec_errno = rep.value > 0 ? rep.value : EIO;
        return 0;
    case RF_RUNNER_SETUP_FAILED:
        return rf_fail(err, rep.value > 0 ? -rep.value : RF_EBACKEND, "ringfence-runner: %s", rep.message);
    default:
        return rf_fail(err, -EPROTO, "the runner %s sent an unknown report (kind %d)", runner, (int)rep.kind);
    }
}

static int el_spawn(void *state, const rf_launch *launch, rf_child *child, rf_error *err) {
    el_state *st = state;
    el_run *run = calloc(1, sizeof *run);
    if (!run)
        return rf_fail_errno(err, ENOMEM, "starting %s", launch->argv[0]);
    run->report_fd = -1;
    run->control_fd = -1;
    char *request = NULL;
    size_t len = 0;
    int req_fds[2] = {-1, -1}, rep_fds[2] = {-1, -1};
    bool held = false;
    int rc = encode_request(st, launch, &request, &len, err);
    if (rc == 0)
        rc = make_placeholders(st, &held, err);
    if (rc == 0 && (pipe2(req_fds, O_CLOEXEC) < 0 || pipe2(rep_fds, O_CLOEXEC) < 0))
        rc = rf_fail_errno(err, errno, "creating the runner's pipes");
    if (rc < 0)
        goto fail;
    pid_t pid = fork();
    if (pid == 0) {
        int src[5] = {launch->stdin_fd, launch->stdout_fd, launch->stderr_fd, req_fds[0], rep_fds[1]};
        exec_runner(st->rec.runner_path, src);
    }
    if (pid < 0) {
        rc = rf_fail_errno(err, errno, "forking to start the runner %s", st->rec.runner_path);
        goto fail;
    }
    child->pid = pid;
    child->signal_pid = pid; /* the runner forwards to the command */
    child->priv = run;
    close(req_fds[0]);
    close(rep_fds[1]);
    req_fds[0] = rep_fds[1] = -1;
    run->report_fd = rep_fds[0];
    rc = send_request(req_fds[1], request, len, true);
    run->control_fd = req_fds[1]; /* the control channel from here on */
    req_fds[1] = -1;
    free(request);
    request = NULL;
    /* A runner that refused reads no further: its report says why. */
    int frc = first_report(run, st->rec.runner_path, err);
    if (frc < 0)
        rc = frc;
    else if (rc < 0)
        rc = rf_fail_errno(err, -rc, "sending the request to the runner %s", st->rec.runner_path);
    if (held)
        rf_placeholders_mounted(&st->ph);
    return rc; /* on failure the core kills and waits for the runner */
fail:
    if (held)
        rf_placeholders_mounted(&st->ph);
    for (int i = 0; i < 2; i++) {
        if (req_fds[i] >= 0)
            close(req_fds[i]);
        if (rep_fds[i] >= 0)
            close(rep_fds[i]);
    }
    free(request);
    free(run);
    return rc;
}

static int el_wait(void *state, rf_child *child, rf_outcome *out, rf_error *err) {
    (void)state;
    el_run *run = child->priv;
    int rc = rf_wait_pid(child->pid, out, err);
    if (rc == 0 && run) {
        if (run->exec_errno) {
            out->kind = RF_END_EXEC_FAILED;
            out->value = run->exec_errno;
        } else if (run->started) {
            rf_runner_report rep;
            if (rf_runner_report_read(run->report_fd, &rep) == 1 && rep.kind == RF_RUNNER_ENDED) {
                if (WIFSIGNALED(rep.value)) {
                    out->kind = RF_END_SIGNALED;
                    out->value = WTERMSIG(rep.value);
                } else {
                    out->kind = RF_END_EXITED;
                    out->value = WEXITSTATUS(rep.value);
                }
            } else if (out->kind == RF_END_EXITED) {
                /* The runner exited without the command's status: its failure, not the command's. */
                rc = rf_fail(err, RF_EBACKEND, "the runner ended (exit %d) without the command's status",
                             out->value);
            }
        }
    }
    if (run) {
        if (run->report_fd >= 0)
            close(run->report_fd);
        if (run->control_fd >= 0)
            close(run->control_fd);
        free(run);
        child->priv = NULL;
    }
    return rc;
}

static void el_control(rf_child *child, unsigned char byte) {
    el_run *run = child->priv;
    if (run && run->control_fd >= 0)
        send_request(run->control_fd, (const char *)&byte, 1, false);
}

static void el_kill_tree(void *state, rf_child *child) {
    (void)state;
    /* The runner kills the init of the PID namespace and reaps it: when it
     * exits, nothing of the run is left. */
    el_control(child, RF_RUNNER_CONTROL_KILL);
}

static void el_forward_signal(void *state, rf_child *child, int sig) {
    (void)state;
    el_control(child, (unsigned char)sig);
}

const rf_backend rf_backend_elevated = {
    .name = "elevated",
    .description = "Linux after `sudo ringfence setup`: dedicated sandbox users, nftables by uid, POSIX ACLs, "
                   "setuid runner",
    .rank = 20,
    .probe = el_probe,
    .prepare = el_prepare,
    .spawn = el_spawn,
    .wait = el_wait,
    .kill_tree = el_kill_tree,
    .forward_signal = el_forward_signal,
    .cleanup = el_cleanup,
};
