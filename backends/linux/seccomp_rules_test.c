/* seccomp_rules_test.c — the seccomp rule list, and the compiled program in a child (table-driven). */
#include <errno.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/linux/seccomp.h"
#include "tests/check.h"

static const struct {
    const char *syscall;
    int errnum;
} always_refused[] = {
    {"ptrace", EPERM},         {"process_vm_readv", EPERM}, {"process_vm_writev", EPERM},
    {"io_uring_setup", EPERM}, {"io_uring_enter", EPERM},   {"io_uring_register", EPERM},
    {"bpf", EPERM},            {"perf_event_open", EPERM},  {"add_key", EPERM},
    {"request_key", EPERM},    {"keyctl", EPERM},           {"userfaultfd", EPERM},
    {"kexec_load", EPERM},     {"kexec_file_load", EPERM},  {"mount", EPERM},
    {"umount2", EPERM},        {"pivot_root", EPERM},       {"move_mount", EPERM},
    {"open_tree", EPERM},      {"fsopen", EPERM},           {"fsmount", EPERM},
    {"fsconfig", EPERM},       {"fspick", EPERM},           {"mount_setattr", EPERM},
    {"unshare", EPERM},        {"setns", EPERM},            {"clone3", ENOSYS},
};

static const rf_seccomp_rule *find(const rf_seccomp_rule *r, int n, const char *name, uint64_t value) {
    for (int i = 0; i < n; i++)
        if (strcmp(r[i].syscall, name) == 0 && (value == 0 || r[i].value == value))
            return &r[i];
    return NULL;
}

/* In a child with the filter loaded: what each call returns. */
static const struct {
    const char *reason;
    bool network_off;
    bool unix_off;
    int which; /* 0 AF_INET, 1 AF_UNIX, 2 AF_NETLINK, 3 TIOCSTI|1<<32, 4 clone3, 5 clone NEWUSER, 6 getpid,
                  7 i386 getpid, 8 x32 getpid, 9 socketpair(AF_UNIX), 10 AF_UNIX | 1<<32 */
    int want_errno; /* 0: the call must not fail with EPERM/ENOSYS; -SIG: killed by SIG */
} live[] = {
    {"network off: AF_INET refused", true, false, 0, EPERM},
    {"network off: AF_UNIX allowed", true, false, 1, 0},
    {"network off: AF_NETLINK refused", true, false, 2, EPERM},
    {"network on: AF_INET allowed", false, false, 0, 0},
    {"network on: AF_UNIX allowed", false, false, 1, 0},
    {"unix off, network off: AF_UNIX refused", true, true, 1, EPERM},
    {"unix off, network on: AF_UNIX refused", false, true, 1, EPERM},
    {"unix off: AF_UNIX with high bits refused (32-bit mask)", false, true, 10, EPERM},
    {"unix off, network on: AF_INET still allowed", false, true, 0, 0},
    {"unix off, network off: AF_INET still refused", true, true, 0, EPERM},
    {"unix off: socketpair(AF_UNIX) allowed", true, true, 9, 0},
    {"TIOCSTI with high bits refused (32-bit mask)", true, false, 3, EPERM},
    {"clone3 says ENOSYS so glibc falls back", true, false, 4, ENOSYS},
    {"clone with CLONE_NEWUSER refused", true, false, 5, EPERM},
    {"an ordinary call passes", true, false, 6, 0},
    {"an i386 call (int 0x80) kills the process", true, false, 7, -SIGSYS},
    {"an x32 call kills the process", true, false, 8, -SIGSYS},
};

static int call(int which) {
    long rc = 0;
    switch (which) {
    case 0: rc = socket(AF_INET, SOCK_DGRAM, 0); break;
    case 1: rc = socket(AF_UNIX, SOCK_STREAM, 0); break;
    case 2: rc = socket(AF_NETLINK, SOCK_RAW, 0); break;
    case 3: { char c = 'x'; rc = syscall(SYS_ioctl, 0, (1UL << 32) | TIOCSTI, &c); break; }
    case 4: rc = syscall(SYS_clone3, NULL, 0); break;
    case 5: rc = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
            if (rc == 0) _exit(0);
            break;
    case 6: rc = getpid(); break;
    case 7: { long nr = 20; /* i386 getpid */
              __asm__ volatile("int $0x80" : "+a"(nr) : : "memory");
              rc = nr; break; }
    case 8: rc = syscall(0x40000000L | SYS_getpid); break;
    case 9: { int sv[2]; rc = socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
              if (rc == 0) { close(sv[0]); close(sv[1]); }
              break; }
    case 10: rc = syscall(SYS_socket, (1UL << 32) | AF_UNIX, SOCK_STREAM, 0); break;
    }
    return rc < 0 ? errno : 0;
}

/* The programs compiled at build time are exactly what libseccomp makes of
 * the rules now: a rule changed without a rebuild, or a generator that
 * mixed up the variants, shows here. */
static void check_builtin_is_compiled_rules(void) {
    for (int net = 0; net < 2; net++)
        for (int ux = 0; ux < 2; ux++) {
            rf_seccomp_rule r[64];
            int n = rf_seccomp_rules(net, ux, r, 64);
            rf_seccomp_program compiled = {0}, builtin = {0};
            rf_error err = {0};
            int rc = rf_seccomp_compile(r, (size_t)n, &compiled, &err);
            CHECK(rc == 0, "network %s, unix %s: compile (%s)", net ? "off" : "on", ux ? "off" : "on", err.message);
            int rb = rf_seccomp_builtin(net, ux, &builtin, &err);
            CHECK(rb == 0, "network %s, unix %s: built-in (%s)", net ? "off" : "on", ux ? "off" : "on", err.message);
            CHECK(rc == 0 && rb == 0 && compiled.len == builtin.len &&
                      memcmp(compiled.filter, builtin.filter, compiled.len * sizeof *compiled.filter) == 0,
                  "network %s, unix %s: built-in program (%u instructions) is the compiled rules (%u)",
                  net ? "off" : "on", ux ? "off" : "on", (unsigned)builtin.len, (unsigned)compiled.len);
            rf_seccomp_program_free(&compiled);
            rf_seccomp_program_free(&builtin);
        }
}

int main(void) {
    rf_seccomp_rule rules[64];
    int n_off = rf_seccomp_rules(true, false, rules, 64);
    CHECK(n_off > 0, "rules for network off");
    for (size_t i = 0; i < sizeof always_refused / sizeof always_refused[0]; i++) {
        const rf_seccomp_rule *r = find(rules, n_off, always_refused[i].syscall, 0);
        CHECK(r && r->cmp == RF_SC_ALWAYS && r->errnum == always_refused[i].errnum, "%s refused with %d",
              always_refused[i].syscall, always_refused[i].errnum);
    }
    const rf_seccomp_rule *sock = find(rules, n_off, "socket", 0);
    CHECK(sock && sock->cmp == RF_SC_ARG_NE && sock->arg == 0 && sock->value == AF_UNIX,
          "network off: socket() refused unless AF_UNIX");
    const rf_seccomp_rule *sti = find(rules, n_off, "ioctl", TIOCSTI), *lnx = find(rules, n_off, "ioctl", TIOCLINUX);
    CHECK(sti && sti->arg == 1 && sti->mask == 0xffffffffu, "TIOCSTI compared on the low 32 bits of arg 1");
    CHECK(lnx && lnx->arg == 1 && lnx->mask == 0xffffffffu, "TIOCLINUX compared on the low 32 bits of arg 1");
    int clone_rules = 0;
    for (int i = 0; i < n_off; i++)
        if (strcmp(rules[i].syscall, "clone") == 0 && rules[i].cmp == RF_SC_ARG_MASKED && rules[i].arg == 0 &&
            rules[i].mask == rules[i].value && (rules[i].mask & 0x7e020000) == rules[i].mask)
            clone_rules++;
    CHECK(clone_rules == 7, "clone refused for each of the 7 CLONE_NEW* flags (got %d)", clone_rules);
    for (int i = 0; i < n_off; i++)
        CHECK(rules[i].why && rules[i].why[0], "rule %s says what it stops", rules[i].syscall);

    rf_seccomp_rule on_rules[64];
    int n_on = rf_seccomp_rules(false, false, on_rules, 64);
    CHECK(n_on == n_off - 1 && !find(on_rules, n_on, "socket", 0), "network on: no socket rule");
    CHECK(rf_seccomp_rules(true, false, rules, 3) == -ENOSPC, "a short buffer is refused");
    rf_seccomp_rule nons[64];
    int n_nons = rf_seccomp_rules(false, true, nons, 64);
    const rf_seccomp_rule *usock = find(nons, n_nons, "socket", 0);
    CHECK(n_nons == n_on + 1 && usock && usock->cmp == RF_SC_ARG_MASKED && usock->arg == 0 &&
              usock->mask == 0xffffffffu && usock->value == AF_UNIX && usock->errnum == EPERM,
          "no namespace: socket(AF_UNIX) refused with EPERM, family compared on 32 bits");
    CHECK(rf_seccomp_rules(true, true, nons, 64) == n_off + 1, "no namespace + network off: both socket rules");
    CHECK(!find(nons, n_nons, "socketpair", 0), "socketpair is never refused");

    check_builtin_is_compiled_rules();

    /* The built-in programs, which the backend loads. */
    for (size_t i = 0; i < sizeof live / sizeof live[0]; i++) {
        rf_seccomp_program prog;
        rf_error err = {0};
        int rc = rf_seccomp_builtin(live[i].network_off, live[i].unix_off, &prog, &err);
        CHECK(rc == 0 && prog.len > 0, "%s: built-in program (%s)", live[i].reason, err.message);
        if (rc < 0)
            continue;
        pid_t pid = fork();
        if (pid == 0) {
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || rf_seccomp_apply(&prog) < 0)
                _exit(100);
            int e = call(live[i].which);
            _exit(e == EPERM ? 1 : e == ENOSYS ? 2 : 0);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        if (live[i].want_errno < 0) {
            CHECK(WIFSIGNALED(st) && WTERMSIG(st) == -live[i].want_errno, "%s: status %#x", live[i].reason, st);
        } else {
            int want = live[i].want_errno == EPERM ? 1 : live[i].want_errno == ENOSYS ? 2 : 0;
            CHECK(WIFEXITED(st) && WEXITSTATUS(st) == want, "%s: child exit %d want %d", live[i].reason,
                  WIFEXITED(st) ? WEXITSTATUS(st) : -1, want);
        }
        rf_seccomp_program_free(&prog);
    }
    return check_summary("seccomp_rules");
}
