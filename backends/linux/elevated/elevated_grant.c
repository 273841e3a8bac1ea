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
#include <sys/wait.h>
#include <unistd.h>

#include "backends/linux/elevated/grant_record.h"
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

static int run_grant(const char *program, const rf_policy *policy, rf_error *err) {
    size_t n_roots = policy->writable_roots.len;
    char **argv = calloc(2 * n_roots + 8, sizeof *argv);
    if (!argv)
        return rf_fail_errno(err, ENOMEM, "running %s", program);
    size_t n = 0;
    argv[n++] = (char *)program;
    argv[n++] = "grant";
    if (policy->managed_file) {
        argv[n++] = "--managed-policy";
        argv[n++] = policy->managed_file;
    }
    if (policy->policy_file) {
        argv[n++] = "--policy";
        argv[n++] = policy->policy_file;
    }
    for (size_t i = 1; i < n_roots; i++) {
        argv[n++] = "--allow-write";
        argv[n++] = policy->writable_roots.items[i].value;
    }
    argv[n++] = policy->workspace;
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* Its output is the user's: one progress line at most. */
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
        rc = rf_fail(err, RF_EBACKEND, "granting %s to the sandbox users failed (%s %s %d): see the message above, "
                     "or run `ringfence grant %s`", policy->workspace, program,
                     WIFEXITED(status) ? "exited" : "killed by signal",
                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), policy->workspace);
    free(argv);
    return rc;
}

int rf_elevated_ensure_granted(const rf_policy *policy, rf_error *err) {
    bool granted = false;
    int rc = rf_grant_lookup(policy->workspace, &granted, err);
    if (rc < 0 || granted)
        return rc;
    char *program = NULL;
    if ((rc = rf_elevated_grant_find(&program, err)) < 0)
        return rc;
    fprintf(stderr, "ringfence: first elevated run in %s: granting it to the sandbox users (`ringfence ungrant %s` "
            "undoes it)\n", policy->workspace, policy->workspace);
    rc = run_grant(program, policy, err);
    free(program);
    return rc;
}
