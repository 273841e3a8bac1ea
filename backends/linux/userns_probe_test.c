/* userns_probe_test.c — rf_userns_usable (CLONE_VM|CLONE_VFORK child) against an
 * independent check, and its answer when clone is refused (table-driven). */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/linux/seccomp.h"
#include "backends/linux/userns.h"
#include "tests/check.h"

/* The same question asked another way: unshare, then a forked pid 1 mounts /proc. */
static bool independent_check(void) {
    pid_t pid = fork();
    if (pid == 0) {
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID) < 0)
            _exit(1);
        pid_t init = fork();
        if (init == 0)
            _exit(mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ? 1 : 0);
        int st = 0;
        if (init < 0 || waitpid(init, &st, 0) < 0)
            _exit(1);
        _exit(WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1);
    }
    int st = 0;
    return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(void) {
    char why[256] = "";
    bool usable = rf_userns_usable(why, sizeof why);
    CHECK(usable == independent_check(), "the probe (%s: %s) agrees with unshare + mount /proc",
          usable ? "usable" : "not usable", why);
    for (int i = 0; i < 3; i++) /* the child's stack and memory are ours: nothing left behind */
        CHECK(rf_userns_usable(why, sizeof why) == usable, "run %d gives the same answer", i + 2);

    /* In a child whose seccomp filter refuses namespace flags to clone (the
     * sandbox's own program), the probe says no and names the clone. */
    static const struct {
        bool network_off, unix_off;
        const char *reason;
    } refused[] = {
        {true, false, "the network-off program"},
        {false, true, "the no-namespace program"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        int fds[2];
        if (pipe(fds) < 0)
            return 1;
        pid_t pid = fork();
        if (pid == 0) {
            rf_seccomp_program prog;
            rf_error err = {0};
            if (rf_seccomp_builtin(refused[i].network_off, refused[i].unix_off, &prog, &err) < 0 ||
                prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || rf_seccomp_apply(&prog) < 0)
                _exit(3);
            char w[256] = "";
            bool ok = rf_userns_usable(w, sizeof w);
            if (write(fds[1], w, strlen(w) + 1) < 0)
                _exit(4);
            _exit(ok ? 1 : 0);
        }
        close(fds[1]);
        char w[256] = "";
        ssize_t n = read(fds[0], w, sizeof w - 1);
        close(fds[0]);
        w[n > 0 ? n : 0] = '\0';
        int st = 0;
        waitpid(pid, &st, 0);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: the probe says not usable (exit %d)", refused[i].reason,
              WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        CHECK(strstr(w, "creating a user namespace failed") != NULL, "%s: the reason names the clone: '%s'",
              refused[i].reason, w);
    }
    return check_summary("userns_probe_test");
}
