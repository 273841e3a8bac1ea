/*
 * sandbox.c — choosing a backend for a policy, preparing it once, and running
 * commands through it: environment, terminal, signal forwarding, timeout, exit
 * codes and the audit log.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/backend.h"
#include "core/child_posix.h"
#include "core/error.h"
#include "core/install_paths.h"
#include "env/env.h"

extern char **environ;

struct rf_sandbox {
    const rf_backend *backend;
    const rf_backend_status *status;
    const rf_policy *policy;
    void *state;
    char **envp;            /* the command's environment, built once */
    char *audit_path;       /* default audit log, checked once */
    char policy_sha256[65];
};

const char *rf_sandbox_backend_name(const rf_sandbox *sb) { return sb->backend->name; }

/* ---- selection ----------------------------------------------------------- */

static bool meets_requirements(const rf_policy *policy, const rf_backend_status *st) {
    for (int g = 0; g < RF_G_COUNT; g++)
        if (policy->require[g] && st->level[g] != RF_ENFORCED)
            return false;
    return true;
}

typedef struct text {
    char buf[1024];
    size_t used;
} text;

static void text_add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_add(text *t, const char *fmt, ...) {
    if (t->used >= sizeof t->buf - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->used, sizeof t->buf - t->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->used += (size_t)n < sizeof t->buf - t->used ? (size_t)n : sizeof t->buf - t->used - 1;
}

/* Names every required guarantee no candidate enforces, and for each candidate
 * what it has instead and what would provide it, e.g.
 * "required guarantee 'deny_read' is not enforced: unelevated: absent (...)". */
static int explain_unmet(const rf_policy *policy, const rf_backend *only, rf_error *err) {
    text t = {.used = 0};
    t.buf[0] = '\0';
    size_t count;
    const rf_backend *const *all = rf_backends(&count);
    for (int g = 0; g < RF_G_COUNT; g++) {
        if (!policy->require[g])
            continue;
        bool first = true;
        for (size_t i = 0; i < count; i++) {
            const rf_backend *b = all[i];
            if ((only && b != only) || (!only && b->rank == 0))
                continue;
            const rf_backend_status *st = rf_backend_probe_cached(b);
            if (st->available && st->level[g] == RF_ENFORCED)
                continue;
            if (first)
                text_add(&t, "%srequired guarantee '%s' is not enforced: ", t.used ? "; " : "",
                         rf_guarantee_name((rf_guarantee)g));
            else
                text_add(&t, ", ");
            first = false;
            if (st->available)
                text_add(&t, "%s has it %s (%s)", b->name, rf_level_name(st->level[g]), st->why[g]);
            else
                text_add(&t, "%s is not available (%s)", b->name, st->reason);
        }
    }
    return rf_fail(err, RF_EBACKEND, "no backend can run this policy: %s", t.buf);
}

static int select_backend(const rf_policy *policy, const char *name, const rf_backend **out,
                          rf_error *err) {
    if (strcmp(name, "auto") != 0) {
        const rf_backend *b = rf_backend_find(name);
        if (!b)
            return rf_fail(err, RF_EBACKEND, "unknown backend '%s' (see `ringfence status`)", name);
        const rf_backend_status *st = rf_backend_probe_cached(b);
        if (!st->available)
            return rf_fail(err, RF_EBACKEND, "backend '%s' is not available: %s", name, st->reason);
        if (!meets_requirements(policy, st))
            return explain_unmet(policy, b, err);
        *out = b;
        return 0;
    }
    size_t count;
    const rf_backend *const *all = rf_backends(&count);
    for (size_t i = 0; i < count; i++) {
        if (all[i]->rank == 0)
            continue; /* `none` is never chosen for the user */
        const rf_backend_status *st = rf_backend_probe_cached(all[i]);
        if (st->available && meets_requirements(policy, st)) {
            *out = all[i];
            return 0;
        }
    }
    bool any_required = false;
    for (int g = 0; g < RF_G_COUNT; g++)
        any_required |= policy->require[g];
    if (any_required)
        return explain_unmet(policy, NULL, err);
    char reasons[768] = "";
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        if (all[i]->rank == 0)
            continue;
        int n = snprintf(reasons + used, sizeof reasons - used, "%s%s: %s", used ? "; " : "",
                         all[i]->name, rf_backend_probe_cached(all[i])->reason);
        if (n < 0 || (size_t)n >= sizeof reasons - used)
            break;
        used += (size_t)n;
    }
    return rf_fail(err, RF_EBACKEND,
                   "no sandbox backend is available on this machine (%s); `--backend none` runs "
                   "unconfined if that is really what you want",
                   reasons);
}

/* ---- environment --------------------------------------------------------- */

static int build_environment(rf_sandbox *sb, rf_error *err) {
    const rf_policy *p = sb->policy;
    /* The `none` backend is the unconfined baseline: no network shims either,
     * so the probe suite can show what the shims stop. */
    bool shims = p->network == RF_NET_OFF && sb->backend->rank > 0;
    char *denybin = NULL;
    if (shims) {
        int rc = rf_install_find("denybin/stubs", &denybin, err);
        if (rc < 0)
            return rc;
    }
    const char **scrub = calloc(p->env_scrub.len + 1, sizeof *scrub);
    const char **set = calloc(p->env_set.len + 1, sizeof *set);
    int rc = 0;
    if (!scrub || !set) {
        rc = rf_fail_errno(err, ENOMEM, "building the command's environment");
        goto out;
    }
    for (size_t i = 0; i < p->env_scrub.len; i++)
        scrub[i] = p->env_scrub.items[i].value;
    for (size_t i = 0; i < p->env_set.len; i++)
        set[i] = p->env_set.items[i].value;
    rf_env_spec spec = {
        .parent = environ,
        .scrub = scrub,
        .n_scrub = p->env_scrub.len,
        .set = set,
        .n_set = p->env_set.len,
        .network_off = shims,
        .denybin_dir = denybin,
    };
    rc = rf_env_build(&spec, &sb->envp, err);
out:
    free(scrub);
    free(set);
    free(denybin);
    return rc;
}

/* ---- open / close -------------------------------------------------------- */

int rf_sandbox_open(const rf_policy *policy, const char *backend_name, rf_sandbox **out,
                    rf_error *err) {
    *out = NULL;
    rf_sandbox *sb = calloc(1, sizeof *sb);
    if (!sb)
        return rf_fail_errno(err, ENOMEM, "opening the sandbox");
    sb->policy = policy;
    int rc = select_backend(policy, backend_name ? backend_name : policy->backend, &sb->backend, err);
    if (rc < 0)
        goto fail;
    sb->status = rf_backend_probe_cached(sb->backend);

    char *json = rf_policy_to_json(policy, false);
    if (!json) {
        rc = rf_fail_errno(err, ENOMEM, "serializing the policy for its digest");
        goto fail;
    }
    rc = rf_sha256_hex(json, strlen(json), sb->policy_sha256, err);
    free(json);
    if (rc < 0)
        goto fail;

    if ((rc = build_environment(sb, err)) < 0)
        goto fail;
    if ((rc = sb->backend->prepare(policy, &sb->state, err)) < 0)
        goto fail;
    *out = sb;
    return 0;
fail:
    rf_sandbox_close(sb);
    return rc;
}

void rf_sandbox_close(rf_sandbox *sb) {
    if (!sb)
        return;
    if (sb->state)
        sb->backend->cleanup(sb->state);
    rf_env_free(sb->envp);
    free(sb->audit_path);
    free(sb);
}

/* ---- running ------------------------------------------------------------- */

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void make_run_id(char out[33]) {
    unsigned char raw[16];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
        /* Only a correlation id, not a secret: fall back to time and pid. */
        unsigned long long t = (unsigned long long)now_ms();
        memcpy(raw, &t, sizeof t);
        pid_t pid = getpid();
        memcpy(raw + 8, &pid, sizeof pid);
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
}

/* The audit path for this run, checked against the policy (a log inside a
 * writable root could be rewritten by the command it records). */
static int audit_path_for(rf_sandbox *sb, const rf_run_request *req, const char **out,
                          rf_error *err) {
    if (req->audit_path) {
        int rc = rf_audit_check_location(req->audit_path, sb->policy, err);
        *out = req->audit_path;
        return rc;
    }
    if (!sb->audit_path) {
        int rc = rf_audit_default_path(&sb->audit_path, err);
        if (rc < 0)
            return rc;
        rc = rf_audit_check_location(sb->audit_path, sb->policy, err);
        if (rc < 0) {
            free(sb->audit_path);
            sb->audit_path = NULL;
            return rc;
        }
    }
    *out = sb->audit_path;
    return 0;
}

/* The terminal the command gets, when ringfence is in the foreground of one. */
static int foreground_tty(const rf_run_request *req) {
    if (req->stdin_fd >= 0)
        return -1;
    if (!isatty(STDIN_FILENO))
        return -1;
    pid_t fg = tcgetpgrp(STDIN_FILENO);
    return (fg >= 0 && fg == getpgrp()) ? STDIN_FILENO : -1;
}

static void reclaim_tty(int tty_fd) {
    if (tty_fd < 0)
        return;
    sigset_t ttou, old;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    sigprocmask(SIG_BLOCK, &ttou, &old);
    tcsetpgrp(tty_fd, getpgrp());
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static void give_tty(int tty_fd, pid_t pgid) {
    if (tty_fd < 0 || pgid <= 0)
        return;
    sigset_t ttou, old;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    sigprocmask(SIG_BLOCK, &ttou, &old);
    tcsetpgrp(tty_fd, pgid);
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Reaps re-parented orphans (we are the subreaper) without touching `keep`. */
static void reap_orphans(pid_t keep) {
    for (;;) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0 || info.si_pid == 0)
            return;
        if (info.si_pid == keep)
            return;
        waitpid(info.si_pid, NULL, WNOHANG);
    }
}

typedef enum { CHILD_RUNNING, CHILD_STOPPED, CHILD_ENDED } child_state;

static child_state peek_child(pid_t pid) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t)pid, &info, WEXITED | WSTOPPED | WNOHANG | WNOWAIT) < 0)
        return errno == ECHILD ? CHILD_ENDED : CHILD_RUNNING;
    if (info.si_pid == 0)
        return CHILD_RUNNING;
    if (info.si_code == CLD_STOPPED || info.si_code == CLD_TRAPPED)
        return CHILD_STOPPED;
    return CHILD_ENDED;
}

/* The command stopped (Ctrl-Z, or a background read of the terminal): stop
 * ringfence too so the user's shell regains control, and resume the command
 * when ringfence is continued — what a shell does for a job. */
static void follow_stop(pid_t pid, pid_t pgid, int tty_fd) {
    siginfo_t info;
    waitid(P_PID, (id_t)pid, &info, WSTOPPED | WNOHANG); /* consume the stop report */
    reclaim_tty(tty_fd);
    raise(SIGSTOP);
    give_tty(tty_fd, pgid);
    kill(-pgid, SIGCONT);
}

static const int forwarded_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

/* Waits for the child to end while forwarding signals and enforcing the
 * timeout.  Returns true when the timeout fired. */
static bool supervise(rf_sandbox *sb, rf_child *child, int sigfd, int tty_fd, double timeout_s,
                      bool adopting) {
    double deadline = timeout_s > 0 ? now_ms() + timeout_s * 1e3 : 0;
    pid_t pgid = child->signal_pid < 0 ? -child->signal_pid : 0;
    for (;;) {
        child_state cs = peek_child(child->pid);
        if (cs == CHILD_ENDED)
            return false;
        if (cs == CHILD_STOPPED && pgid > 0) {
            follow_stop(child->pid, pgid, tty_fd);
            continue;
        }
        int wait_ms = -1;
        if (deadline > 0) {
            double left = deadline - now_ms();
            if (left <= 0) {
                sb->backend->kill_tree(sb->state, child);
                return true;
            }
            wait_ms = left > 1e6 ? 1000000 : (int)left + 1;
        }
        struct pollfd pfd = {.fd = sigfd, .events = POLLIN};
        int n = poll(&pfd, 1, wait_ms);
        if (n <= 0)
            continue;
        struct signalfd_siginfo si;
        while (read(sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
            if (si.ssi_signo == SIGCHLD) {
                if (adopting)
                    reap_orphans(child->pid);
                continue;
            }
            if (sb->backend->forward_signal)
                sb->backend->forward_signal(sb->state, child, (int)si.ssi_signo);
            else
                kill(child->signal_pid, (int)si.ssi_signo);
        }
    }
}

static int exit_code_for(const rf_outcome *o, bool timed_out, rf_run_result *r) {
    r->timed_out = timed_out;
    switch (o->kind) {
    case RF_END_EXITED:
        r->status = o->value;
        return timed_out ? 124 : o->value;
    case RF_END_SIGNALED:
        r->status = -1;
        r->signal = o->value;
        return timed_out ? 124 : 128 + o->value;
    case RF_END_EXEC_FAILED:
        r->status = -1;
        r->exec_failed = true;
        r->exec_errno = o->value;
        return o->value == ENOENT ? 127 : 126;
    }
    return 125;
}

static int open_signalfd(sigset_t *old_mask, rf_error *err) {
    sigset_t mask;
    sigemptyset(&mask);
    for (size_t i = 0; i < sizeof forwarded_signals / sizeof forwarded_signals[0]; i++)
        sigaddset(&mask, forwarded_signals[i]);
    sigaddset(&mask, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &mask, old_mask) < 0)
        return rf_fail_errno(err, errno, "blocking signals to forward them");
    int fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        sigprocmask(SIG_SETMASK, old_mask, NULL);
        return rf_fail_errno(err, e, "creating the signalfd that forwards signals");
    }
    return fd;
}

static int launch_child(rf_sandbox *sb, const rf_run_request *req, int tty_fd, rf_child *child,
                        rf_error *err) {
    char cwd_buf[4096];
    const char *cwd = req->cwd;
    if (!cwd) {
        if (!getcwd(cwd_buf, sizeof cwd_buf))
            return rf_fail_errno(err, errno, "reading the current directory");
        cwd = cwd_buf;
    }
    rf_launch launch = {
        .argv = req->argv,
        .envp = sb->envp,
        .cwd = cwd,
        .path_env = rf_env_get(sb->envp, "PATH"),
        .stdin_fd = req->stdin_fd >= 0 ? req->stdin_fd : STDIN_FILENO,
        .stdout_fd = req->stdout_fd >= 0 ? req->stdout_fd : STDOUT_FILENO,
        .stderr_fd = req->stderr_fd >= 0 ? req->stderr_fd : STDERR_FILENO,
        .tty_fd = tty_fd,
    };
    return sb->backend->spawn(sb->state, &launch, child, err);
}

int rf_sandbox_run(rf_sandbox *sb, const rf_run_request *req, rf_run_result *result,
                   rf_error *err) {
    memset(result, 0, sizeof *result);
    result->exit_code = 125;
    if (!req->argv || !req->argv[0])
        return rf_fail(err, -EINVAL, "no command given to run");

    const char *audit_path = NULL;
    char run_id[33];
    make_run_id(run_id);
    int rc;
    if (!req->no_audit) {
        if ((rc = audit_path_for(sb, req, &audit_path, err)) < 0)
            return rc;
        char cwd_buf[4096];
        const char *cwd = req->cwd ? req->cwd : getcwd(cwd_buf, sizeof cwd_buf);
        rf_audit_start start = {
            .run_id = run_id,
            .backend = sb->backend->name,
            .argv = req->argv,
            .cwd = cwd ? cwd : "?",
            .policy_sha256 = sb->policy_sha256,
            .guarantees = sb->status,
        };
        if ((rc = rf_audit_run_start(audit_path, &start, err)) < 0)
            return rc;
    }

    static bool subreaper_done;
    if (req->adopt_orphans && !subreaper_done) {
        if ((rc = rf_become_subreaper(err)) < 0)
            return rc;
        subreaper_done = true;
    }

    sigset_t old_mask;
    int sigfd = open_signalfd(&old_mask, err);
    if (sigfd < 0)
        return sigfd;
    int tty_fd = foreground_tty(req);
    double started = now_ms();
    rf_child child = {0};
    rc = launch_child(sb, req, tty_fd, &child, err);
    bool timed_out = false;
    rf_outcome outcome = {0};
    if (rc == 0) {
        timed_out = supervise(sb, &child, sigfd, tty_fd, req->timeout_seconds, req->adopt_orphans);
        rc = sb->backend->wait(sb->state, &child, &outcome, err);
    } else if (child.pid > 0) {
        /* Started but failed during setup: end and reap it, keep the first error. */
        rf_error ignored = {0};
        sb->backend->kill_tree(sb->state, &child);
        sb->backend->wait(sb->state, &child, &outcome, &ignored);
    }
    if (subreaper_done)
        reap_orphans(-1);
    reclaim_tty(tty_fd);
    close(sigfd);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    if (rc < 0)
        return rc;

    result->duration_ms = now_ms() - started;
    result->exit_code = exit_code_for(&outcome, timed_out, result);
    if (!req->no_audit) {
        rf_audit_end end = {
            .run_id = run_id,
            .exit_code = result->exit_code,
            .status = result->status,
            .signal = result->signal,
            .duration_ms = result->duration_ms,
            .timed_out = result->timed_out,
        };
        if ((rc = rf_audit_run_end(audit_path, &end, err)) < 0)
            return rc;
    }
    return 0;
}
