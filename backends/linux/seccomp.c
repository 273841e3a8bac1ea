/* seccomp.c — the seccomp rule list (plain data) and loading a compiled program.
 * Compiling is seccomp_compile.c (build time, libseccomp); the programs the
 * backend loads come from seccomp_builtin.c. */
#include "backends/linux/seccomp.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/error.h"

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif

#define ALWAYS(name, why) {name, EPERM, RF_SC_ALWAYS, 0, 0, 0, why}

static const rf_seccomp_rule fixed_rules[] = {
    ALWAYS("ptrace", "reading or steering another process's memory and registers"),
    ALWAYS("process_vm_readv", "reading another process's memory"),
    ALWAYS("process_vm_writev", "writing another process's memory"),
    ALWAYS("io_uring_setup", "io_uring runs file and socket operations no syscall filter sees"),
    ALWAYS("io_uring_enter", "io_uring runs file and socket operations no syscall filter sees"),
    ALWAYS("io_uring_register", "io_uring runs file and socket operations no syscall filter sees"),
    ALWAYS("bpf", "kernel attack surface; maps and programs outlive the sandbox"),
    ALWAYS("perf_event_open", "kernel attack surface and side channels on other processes"),
    ALWAYS("add_key", "the session keyring is shared with processes outside"),
    ALWAYS("request_key", "the session keyring is shared with processes outside"),
    ALWAYS("keyctl", "reading or planting keys in the user's keyrings"),
    ALWAYS("userfaultfd", "stalls kernel code at will: the classic race-widening exploit aid"),
    ALWAYS("kexec_load", "replacing the running kernel"),
    ALWAYS("kexec_file_load", "replacing the running kernel"),
    ALWAYS("mount", "undoing the read-only and empty mounts"),
    ALWAYS("umount2", "uncovering protected and deny-read paths"),
    ALWAYS("pivot_root", "changing the root to escape the mount plan"),
    ALWAYS("move_mount", "moving the protective mounts away"),
    ALWAYS("open_tree", "cloning the uncovered tree from a new namespace"),
    ALWAYS("fsopen", "new mounts over the sandbox's view"),
    ALWAYS("fsmount", "new mounts over the sandbox's view"),
    ALWAYS("fsconfig", "reconfiguring (e.g. remounting read-write) a filesystem"),
    ALWAYS("fspick", "reconfiguring (e.g. remounting read-write) a filesystem"),
    ALWAYS("mount_setattr", "clearing the read-only flag of a protective mount"),
    ALWAYS("unshare", "a new user namespace regains every capability over fresh namespaces"),
    ALWAYS("setns", "joining another namespace, e.g. the host network through a leaked fd"),
    /* clone3 takes its flags in memory that BPF cannot read: ENOSYS makes
     * glibc fall back to clone, whose flags are filtered below. */
    {"clone3", ENOSYS, RF_SC_ALWAYS, 0, 0, 0, "namespace flags hidden from the filter"},
    {"clone", EPERM, RF_SC_ARG_MASKED, 0, CLONE_NEWNS, CLONE_NEWNS, "a new mount namespace"},
    {"clone", EPERM, RF_SC_ARG_MASKED, 0, CLONE_NEWUSER, CLONE_NEWUSER, "a new user namespace (all capabilities)"},
    {"clone", EPERM, RF_SC_ARG_MASKED, 0, CLONE_NEWPID, CLONE_NEWPID, "a new PID namespace"},
    {"clone", EPERM, RF_SC_ARG_MASKED, 0, CLONE_NEWNET, CLONE_NEWNET, "a new network namespace"},
    {"clone", EPERM, RF_SC_ARG_MASKED, 0, CLONE_NEWUTS, CLONE_NEWUTS, "a new UTS namespace"},
    {"clone", EPERM, RF_SC_ARG_MASKED, 0, CLONE_NEWIPC, CLONE_NEWIPC, "a new IPC namespace"},
    {"clone", EPERM, RF_SC_ARG_MASKED, 0, CLONE_NEWCGROUP, CLONE_NEWCGROUP, "a new cgroup namespace"},
    /* The kernel reads ioctl's request as a 32-bit unsigned int: compare only
     * the low 32 bits, or TIOCSTI | (1 << 32) would slip past an exact match. */
    {"ioctl", EPERM, RF_SC_ARG_MASKED, 1, 0xffffffffu, TIOCSTI, "TIOCSTI: typing commands into the parent shell's terminal"},
    {"ioctl", EPERM, RF_SC_ARG_MASKED, 1, 0xffffffffu, TIOCLINUX, "TIOCLINUX: console selection paste into the terminal"},
};

/*
 * With network off socket() is allowed only for AF_UNIX.  That refuses
 * AF_INET and AF_INET6 of every type (Landlock covers only TCP: UDP, ICMP and
 * DNS would leave), AF_PACKET and raw sockets, and AF_NETLINK as well:
 * NETLINK_SOCK_DIAG lists every socket of the host's network namespace
 * (including the paths of unix sockets) and uevents watch the machine.
 * glibc tolerates the refusal: getaddrinfo's AI_ADDRCONFIG probe
 * (__check_pf) assumes both families when its netlink socket fails, so
 * /etc/hosts lookups keep working.  The comparison is on the whole 64-bit
 * register: high garbage only ever makes the call refused, never allowed.
 */
static const rf_seccomp_rule network_off_rule = {
    "socket", EPERM, RF_SC_ARG_NE, 0, 0, AF_UNIX,
    "network off: only AF_UNIX sockets (no IP of any type, packet, raw or netlink)"};

/*
 * Without a mount namespace nothing hides the host's pathname unix sockets,
 * and neither seccomp (connect()'s address is in memory) nor Landlock (ABI
 * <= 7 does not mediate connecting) can tell them apart.  The user's session
 * bus alone is a full escape (`systemd-run --user` starts anything outside
 * the sandbox); ssh/gpg agents and docker.sock are as bad.  So no AF_UNIX
 * socket at all; socketpair(2) is another system call and stays allowed.
 * The kernel reads the family as an int: the low 32 bits are compared.
 */
static const rf_seccomp_rule unix_off_rule = {
    "socket", EPERM, RF_SC_ARG_MASKED, 0, 0xffffffffu, AF_UNIX,
    "no mount namespace: host unix sockets (session bus, ssh/gpg agents, docker.sock) cannot be hidden"};

int rf_seccomp_rules(bool network_off, bool unix_sockets_off, rf_seccomp_rule *out, size_t cap) {
    size_t n_fixed = sizeof fixed_rules / sizeof fixed_rules[0];
    size_t need = n_fixed + (network_off ? 1 : 0) + (unix_sockets_off ? 1 : 0);
    if (cap < need)
        return -ENOSPC;
    memcpy(out, fixed_rules, sizeof fixed_rules);
    size_t n = n_fixed;
    if (network_off)
        out[n++] = network_off_rule;
    if (unix_sockets_off)
        out[n++] = unix_off_rule;
    return (int)n;
}

void rf_seccomp_program_free(rf_seccomp_program *prog) {
    free(prog->filter);
    prog->filter = NULL;
    prog->len = 0;
}

int rf_seccomp_apply(const rf_seccomp_program *prog) {
    struct sock_fprog fprog = {.len = prog->len, .filter = prog->filter};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
        return -errno;
    return 0;
}
