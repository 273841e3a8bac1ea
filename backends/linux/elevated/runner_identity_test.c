/* runner_identity_test.c — becoming the sandbox user: refused for root ids, and (as root) for good once done. */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/linux/elevated/runner.h"
#include "tests/check.h"

/* What the child saw after rf_runner_become, one bit per fact. */
enum {
    F_BECAME = 1 << 0,      /* returned 0 */
    F_UIDS = 1 << 1,        /* real, effective, saved uid all the target */
    F_GIDS = 1 << 2,        /* the same for gids */
    F_NO_GROUPS = 1 << 3,   /* no supplementary group */
    F_NO_ROOT = 1 << 4,     /* setuid(0) fails with EPERM */
    F_NO_BOUNDING = 1 << 5, /* CAP_SYS_ADMIN gone from the bounding set */
};

static int become_in_child(uid_t uid, gid_t gid) {
    pid_t pid = fork();
    if (pid == 0) {
        gid_t extra = 0;
        setgroups(1, &extra); /* a supplementary group that must go */
        int facts = 0;
        if (rf_runner_become(uid, gid) == 0)
            facts |= F_BECAME;
        uid_t r, e, s;
        gid_t rg, eg, sg;
        if (getresuid(&r, &e, &s) == 0 && r == uid && e == uid && s == uid)
            facts |= F_UIDS;
        if (getresgid(&rg, &eg, &sg) == 0 && rg == gid && eg == gid && sg == gid)
            facts |= F_GIDS;
        if (getgroups(0, NULL) == 0)
            facts |= F_NO_GROUPS;
        if (setuid(0) < 0 && errno == EPERM)
            facts |= F_NO_ROOT;
        if (prctl(PR_CAPBSET_READ, 21 /* CAP_SYS_ADMIN */, 0, 0, 0) == 0)
            facts |= F_NO_BOUNDING;
        _exit(facts);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(void) {
    CHECK(rf_runner_become(0, 100) == -EINVAL, "uid 0 is refused before anything changes");
    CHECK(rf_runner_become(100, 0) == -EINVAL, "gid 0 is refused before anything changes");
    CHECK(getuid() == geteuid(), "the refusals changed nothing");
    if (geteuid() != 0) {
        printf("runner_identity_test: not root, the drop itself is tested by elevated_run_test\n");
        return check_summary("runner_identity_test");
    }
    static const struct {
        uid_t uid;
        gid_t gid;
        int want;
        const char *why;
    } cases[] = {
        {65534, 65534, F_BECAME | F_UIDS | F_GIDS | F_NO_GROUPS | F_NO_ROOT | F_NO_BOUNDING, "nobody: every fact holds"},
        {4242, 4343, F_BECAME | F_UIDS | F_GIDS | F_NO_GROUPS | F_NO_ROOT | F_NO_BOUNDING, "uid and gid differ"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = become_in_child(cases[i].uid, cases[i].gid);
        CHECK(got == cases[i].want, "%s: facts 0x%x, want 0x%x", cases[i].why, got, cases[i].want);
    }
    return check_summary("runner_identity_test");
}
