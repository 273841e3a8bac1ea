/*
 * elevated_grant.c — the first elevated run in a workspace grants it.
 *
 * rf_grant_lookup answers from the user's grants.json (one stat, one small
 * file) whether the workspace was granted; when it was not, ringfence-grant
 * (the program that links libacl, so the CLI does not) is run once, with
 * the same policy files and writable roots as the run.  The runner checks
 * the ACLs itself either way: this is a convenience, not a trust decision.
 */
#include "backends/linux/elevated/elevated_backend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "backends/linux/elevated/grant_record.h"
#include "backends/linux/elevated/setup_record.h"
#include "core/error.h"
#include "core/install_paths.h"

/* The production CLI's ringfence-grant, relative to the install folders; the
 * test build of the CLI links a strong definition naming the test build of
 * ringfence-grant (core/cli/elevated_path_testbuild.c). */
__attribute__((weak)) const char *rf_elevated_grant_program(void) {
    return "backends/linux/elevated/ringfence-grant";
}

int rf_elevated_grant_find(char **out, rf_error *err) {
    return rf_install_find(rf_elevated_grant_program(), out, err);
}

/* The grants record can be stale (a deleted workspace's inode number is
 * reused by the next directory made there), so the root's own ACL decides. */
bool rf_elevated_root_granted(const char *path, unsigned offline, unsigned online) {
    return rf_grant_root_acl_grants(path, offline, online);
}

static int run_grant(const char *program, const char *verb, const rf_policy *policy, rf_error *err) {
    size_t n_roots = policy->writable_roots.len;
    char **argv = calloc(2 * n_roots + 8, sizeof *argv);
    if (!argv)
        return rf_fail_errno(err, ENOMEM, "running %s", program);
    size_t n = 0;
    argv[n++] = (char *)program;
    argv[n++] = (char *)verb;
    bool grant = strcmp(verb, "grant") == 0;
    if (grant && policy->managed_file) {
        argv[n++] = "--managed-policy";
        argv[n++] = policy->managed_file;
    }
    if (grant && policy->policy_file) {
        argv[n++] = "--policy";
        argv[n++] = policy->policy_file;
    }
    /* The first run waits for the files already there: a command started on
     * a half-walked tree fails at random on files without the entries
     * (the probe matrix's append to an existing workspace file did). */
    if (grant)
        argv[n++] = "--wait";
    for (size_t i = 1; grant && i < n_roots; i++) {
        argv[n++] = "--allow-write";
        argv[n++] = policy->writable_roots.items[i].value;
    }
    argv[n++] = policy->workspace;
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* Its messages go to stderr: stdout is the command's (and a JSON
         * consumer's, such as `ringfence probe --json`). */
        if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
            _exit(127);
        execv(program, argv);
        fprintf(stderr, "ringfence: cannot run %s: %s\n", program, strerror(errno));
        _exit(127);
    }
    int rc = 0, status = 0;
    if (pid < 0)
        rc = rf_fail_errno(err, errno, "forking to run %s", program);
    while (rc == 0 && waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            rc = rf_fail_errno(err, errno, "waiting for %s", program);
    if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        rc = rf_fail(err, RF_EBACKEND, "%s %s failed (%s %s %d): see the message above, or run `ringfence %s %s`",
                     verb, policy->workspace, program,
                     WIFEXITED(status) ? "exited" : "killed by signal",
                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), verb, policy->workspace);
    free(argv);
    return rc;
}

int rf_elevated_ensure_granted(const rf_policy *policy, const rf_setup_record *rec, rf_error *err) {
    bool recorded = false;
    int rc = rf_grant_lookup(policy->workspace, &recorded, err);
    if (rc < 0)
        return rc;
    bool on_disk = rf_elevated_root_granted(policy->workspace, rec->offline.id, rec->online.id);
    if (recorded && on_disk)
        return 0;
    char *program = NULL;
    if ((rc = rf_elevated_grant_find(&program, err)) < 0)
        return rc;
    if (recorded) {
        /* A stale record (a reused inode, or entries removed by hand): drop it first. */
        fprintf(stderr, "ringfence: %s is recorded as granted but carries no grant: granting it again\n",
                policy->workspace);
        rc = run_grant(program, "ungrant", policy, err);
    } else {
        fprintf(stderr, "ringfence: first elevated run in %s: granting it to the sandbox users (`ringfence "
                "ungrant %s` undoes it)\n", policy->workspace, policy->workspace);
    }
    if (rc == 0)
        rc = run_grant(program, "grant", policy, err);
    free(program);
    return rc;
}
