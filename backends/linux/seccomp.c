/* seccomp.c — the seccomp rule list, its compilation with libseccomp, and loading it. */
#include "backends/linux/seccomp.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
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

int rf_seccomp_rules(bool network_off, rf_seccomp_rule *out, size_t cap) {
    size_t n_fixed = sizeof fixed_rules / sizeof fixed_rules[0];
    size_t need = n_fixed + (network_off ? 1 : 0);
    if (cap < need)
        return -ENOSPC;
    memcpy(out, fixed_rules, sizeof fixed_rules);
    if (network_off)
        out[n_fixed] = network_off_rule;
    return (int)need;
}

static int add_rule(scmp_filter_ctx ctx, const rf_seccomp_rule *r, rf_error *err) {
    int nr = seccomp_syscall_resolve_name(r->syscall);
    if (nr == __NR_SCMP_ERROR)
        return rf_fail(err, -EINVAL, "compiling the seccomp filter: unknown system call '%s'", r->syscall);
    int rc;
    switch (r->cmp) {
    case RF_SC_ARG_NE:
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(r->errnum), nr, 1,
                              SCMP_CMP(r->arg, SCMP_CMP_NE, r->value));
        break;
    case RF_SC_ARG_MASKED:
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(r->errnum), nr, 1,
                              SCMP_CMP(r->arg, SCMP_CMP_MASKED_EQ, r->mask, r->value));
        break;
    default:
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(r->errnum), nr, 0);
        break;
    }
    if (rc < 0)
        return rf_fail_errno(err, -rc, "compiling the seccomp filter: rule for %s", r->syscall);
    return 0;
}

/* Reads the whole exported program back from the memfd. */
static int read_program(int fd, rf_seccomp_program *out, rf_error *err) {
    off_t size = lseek(fd, 0, SEEK_END);
    if (size < 0)
        return rf_fail_errno(err, errno, "sizing the exported seccomp program");
    if (size == 0 || size % (off_t)sizeof(struct sock_filter) != 0 ||
        size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS)
        return rf_fail(err, -EINVAL, "exported seccomp program has a bad size (%lld bytes)",
                       (long long)size);
    out->filter = malloc((size_t)size);
    if (!out->filter)
        return rf_fail_errno(err, ENOMEM, "reading the exported seccomp program");
    ssize_t got = pread(fd, out->filter, (size_t)size, 0);
    if (got != size) {
        free(out->filter);
        out->filter = NULL;
        return rf_fail_errno(err, got < 0 ? errno : EIO, "reading the exported seccomp program");
    }
    out->len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
    return 0;
}

int rf_seccomp_compile(const rf_seccomp_rule *rules, size_t n, rf_seccomp_program *out,
                       rf_error *err) {
    memset(out, 0, sizeof *out);
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx)
        return rf_fail_errno(err, ENOMEM, "compiling the seccomp filter: seccomp_init");
    int rc = 0, fd = -1;
    /* Only the native ABI gets rules.  i386 (int 0x80) hides socket()'s family
     * inside socketcall's memory block, and x32 would need every rule twice:
     * a process switching ABI is killed rather than half-filtered. */
    rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    if (rc < 0) {
        rc = rf_fail_errno(err, -rc, "compiling the seccomp filter: setting the bad-arch action");
        goto out;
    }
    /* The launcher sets no_new_privs itself, in the ordered setup path. */
    rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    if (rc < 0) {
        rc = rf_fail_errno(err, -rc, "compiling the seccomp filter: clearing CTL_NNP");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if ((rc = add_rule(ctx, &rules[i], err)) < 0)
            goto out;
    fd = memfd_create("ringfence-seccomp", MFD_CLOEXEC);
    if (fd < 0) {
        rc = rf_fail_errno(err, errno, "compiling the seccomp filter: memfd_create");
        goto out;
    }
    rc = seccomp_export_bpf(ctx, fd);
    if (rc < 0) {
        rc = rf_fail_errno(err, -rc, "compiling the seccomp filter: seccomp_export_bpf");
        goto out;
    }
    rc = read_program(fd, out, err);
out:
    if (fd >= 0)
        close(fd);
    seccomp_release(ctx);
    return rc;
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
