/*
 * runner_main.c — ringfence-runner: setuid root, mode 4750 root:GROUP.
 *
 * The one ordered path, each step before the next for the reason it gives:
 *   1. sanitize        fds, environment, signals, umask, core dumps
 *   2. parent death    armed first, checked against the request's parent_pid
 *   3. request         framed, bounded, strictly validated
 *   4. setup record    root-owned, at a path compiled in
 *   5. caller          member of the record's group
 *   6. sandbox user    offline or online by the request's network
 *   7. roots           owned by the caller and granted to both sandbox users
 *   8. run             root in every uid (the caller cannot signal it: the CLI
 *                      talks on fd 3), namespaces, drop, Landlock, seccomp,
 *                      exec, supervise
 * Any failure before the command started is reported to the CLI on fd 4
 * (SETUP_FAILED with the message) and the runner exits 125.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "backends/linux/elevated/runner.h"
#include "core/error.h"

#define EXIT_SETUP_FAILED 125

__attribute__((noreturn)) static void fail(const rf_error *err) {
    rf_runner_report rep = {.kind = RF_RUNNER_SETUP_FAILED, .value = err->code < 0 ? -err->code : EIO};
    snprintf(rep.message, sizeof rep.message, "%.503s", err->message);
    if (rf_runner_report_write(RF_RUNNER_REPORT_FD, &rep) < 0)
        fprintf(stderr, "ringfence-runner: %s\n", err->message);
    _exit(EXIT_SETUP_FAILED);
}

static int read_request(rf_runner_request *req, rf_error *err) {
    char *buf = NULL;
    size_t len = 0;
    /* fd 3 stays open: after the request it is the CLI's control channel. */
    int rc = rf_runner_frame_read(RF_RUNNER_REQUEST_FD, RF_RUNNER_REQUEST_MAX, &buf, &len);
    if (rc < 0)
        return rf_fail_errno(err, -rc, "reading the request on fd %d (at most %d bytes)", RF_RUNNER_REQUEST_FD,
                             RF_RUNNER_REQUEST_MAX);
    rc = rf_runner_request_parse(buf, len, req, err);
    free(buf);
    return rc;
}

/* The record must not hand the sandbox to root or to the caller itself. */
static int check_record(const rf_setup_record *rec, uid_t caller, rf_error *err) {
    if (rec->offline.id == 0 || rec->online.id == 0 || rec->group.id == 0)
        return rf_fail(err, -EPERM, "the setup record names root as a sandbox user or group");
    if (rec->offline.id == caller || rec->online.id == caller)
        return rf_fail(err, -EPERM, "the setup record names you (uid %u) as a sandbox user", (unsigned)caller);
    return 0;
}

/* The sandbox user's primary group, from the passwd entry whose name must
 * match the record (a uid reused by another account is refused). */
static int sandbox_gid(const rf_setup_principal *user, gid_t group, gid_t *out, rf_error *err) {
    struct passwd pw, *found = NULL;
    char buf[4096];
    int e = getpwuid_r(user->id, &pw, buf, sizeof buf, &found);
    if (!found)
        return rf_fail_errno(err, e ? e : ENOENT, "looking up the sandbox user %s (uid %u)", user->name,
                             (unsigned)user->id);
    if (strcmp(pw.pw_name, user->name) != 0)
        return rf_fail(err, -EPERM, "uid %u is %s, but the setup record names %s: re-run `sudo ringfence setup`",
                       (unsigned)user->id, pw.pw_name, user->name);
    /* The ringfence group would let the command start the runner itself. */
    if (pw.pw_gid == 0 || pw.pw_gid == group)
        return rf_fail(err, -EPERM, "the sandbox user %s has group %u (root or the ringfence group)", user->name,
                       (unsigned)pw.pw_gid);
    *out = pw.pw_gid;
    return 0;
}

int main(void) {
    rf_error err = {0};
    /* 1. Nothing inherited is trusted. */
    if (rf_runner_sanitize(&err) < 0)
        fail(&err);
    /* 2. Die with the CLI.  The setting does not survive the setuid exec,
     *    so it is armed here and the parent checked once the request names
     *    it: a CLI that died before this point left us to another parent. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
        rf_fail_errno(&err, errno, "setting the parent-death signal");
        fail(&err);
    }
    /* 3. The request. */
    rf_runner_request req;
    if (read_request(&req, &err) < 0)
        fail(&err);
    if (getppid() != (pid_t)req.parent_pid) {
        rf_fail(&err, -ESRCH, "the CLI (pid %d) is gone", req.parent_pid);
        fail(&err);
    }
    uid_t caller = getuid();
    gid_t caller_gid = getgid();
    /* 4. The setup record, trusted only when root owns it and its folder. */
    char record_path[4200];
    rf_setup_record rec;
    if (rf_runner_record_path(record_path, sizeof record_path, &err) < 0 ||
        rf_setup_record_load(record_path, true, &rec, &err) < 0 || check_record(&rec, caller, &err) < 0)
        fail(&err);
    /* 5. Only the group's members may use the sandbox users. */
    if (!rf_runner_caller_in_group(rec.group.id)) {
        rf_fail(&err, -EPERM, "you (uid %u) are not a member of the group %s (gid %u) that may use the sandbox",
                (unsigned)caller, rec.group.name, rec.group.id);
        fail(&err);
    }
    /* 6. The firewall rejects the offline user's traffic; the online one's passes. */
    const rf_setup_principal *user = req.network ? &rec.online : &rec.offline;
    gid_t gid = (gid_t)-1; /* never root's by default: set by sandbox_gid or the run stops */
    if (sandbox_gid(user, rec.group.id, &gid, &err) < 0)
        fail(&err);
    /* 7. Every writable root: the caller's own, granted, held by fd. */
    size_t n_roots = 1 + req.n_writable_roots;
    int *fds = calloc(n_roots, sizeof *fds);
    if (!fds) {
        rf_fail_errno(&err, ENOMEM, "checking the writable roots");
        fail(&err);
    }
    for (size_t i = 0; i < n_roots; i++) {
        const char *path = i == 0 ? req.workspace : req.writable_roots[i - 1];
        if (rf_runner_open_granted_root(path, caller, caller_gid, rec.offline.id, rec.online.id, &fds[i], &err) < 0)
            fail(&err);
    }
    const char **roots = calloc(n_roots, sizeof *roots);
    rf_runner_env env;
    if (!roots) {
        rf_fail_errno(&err, ENOMEM, "building the command's environment");
        fail(&err);
    }
    for (size_t i = 0; i < n_roots; i++)
        roots[i] = i == 0 ? req.workspace : req.writable_roots[i - 1];
    if (rf_runner_env_build(req.env, req.n_env, roots, n_roots, &env) < 0) {
        rf_fail_errno(&err, ENOMEM, "building the command's environment");
        fail(&err);
    }
    free(roots);
    /* 8. The run.  Root in every uid from here: with the caller's real uid
     *    the caller could stop or signal the runner and the init (delaying
     *    them at will to win a race); the CLI uses the control channel.
     *    These credential changes clear the parent-death signal: arm it
     *    again, and check the CLI did not die in between. */
    if (setresuid(0, 0, 0) < 0 || setresgid(0, 0, 0) < 0) {
        rf_fail_errno(&err, errno, "becoming root in every uid before the run");
        fail(&err);
    }
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
        rf_fail_errno(&err, errno, "setting the parent-death signal again");
        fail(&err);
    }
    if (getppid() != (pid_t)req.parent_pid) {
        rf_fail(&err, -ESRCH, "the CLI (pid %d) is gone", req.parent_pid);
        fail(&err);
    }
    rf_runner_job job = {
        .req = &req,
        .envp = env.envp,
        .caller = caller,
        .caller_gid = caller_gid,
        .uid = user->id,
        .gid = gid,
        .root_fds = fds,
        .n_roots = n_roots,
        .control_fd = RF_RUNNER_REQUEST_FD,
    };
    if (rf_runner_run(&job, RF_RUNNER_REPORT_FD, &err) < 0)
        fail(&err);
    rf_runner_env_free(&env);
    for (size_t i = 0; i < n_roots; i++)
        close(fds[i]);
    free(fds);
    rf_runner_request_free(&req);
    return 0;
}
