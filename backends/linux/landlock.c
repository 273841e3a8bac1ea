/* landlock.c — Landlock ABI probe, rule plan and apply. */
#include "backends/linux/landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/error.h"

/*
 * Debian 12's uapi headers (linux 6.1) stop at ABI 2.  The values below are
 * the kernel's ABI (include/uapi/linux/landlock.h), fixed once published.
 */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0) /* ABI 4 */
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

/* The ruleset attribute as of ABI 6 (the 6.1 header has only the first
 * field); the kernel accepts a larger struct whose unknown tail is zero. */
struct rf_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

#define FS_ABI1                                                                                   \
    (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |  \
     LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE | \
     LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |    \
     LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |  \
     LANDLOCK_ACCESS_FS_MAKE_SYM)

int rf_landlock_abi(void) {
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 0)
        return -errno;
    return (int)abi;
}

uint64_t rf_landlock_fs_rights(int abi) {
    uint64_t rights = abi >= 1 ? FS_ABI1 : 0;
    if (abi >= 2)
        rights |= LANDLOCK_ACCESS_FS_REFER; /* links and renames cannot carry files across */
    if (abi >= 3)
        rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
    if (abi >= 5)
        rights |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
    return rights;
}

uint64_t rf_landlock_fs_read_rights(int abi) {
    return rf_landlock_fs_rights(abi) &
           (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR);
}

/* Writing to a terminal or /dev/null, but creating nothing there. */
static uint64_t device_write_rights(int abi, bool ioctl) {
    uint64_t r = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE;
    if (abi >= 3)
        r |= LANDLOCK_ACCESS_FS_TRUNCATE;
    if (ioctl && abi >= 5)
        r |= LANDLOCK_ACCESS_FS_IOCTL_DEV; /* tcsetattr & co. on a freshly opened /dev/tty */
    return r;
}

int rf_landlock_plan_build(const rf_policy *policy, int abi, rf_landlock_plan *out, rf_error *err) {
    memset(out, 0, sizeof *out);
    if (abi < 1)
        return rf_fail(err, -EINVAL, "building the Landlock rules: ABI %d is not usable", abi);
    if (abi > RF_LANDLOCK_ABI_MAX)
        abi = RF_LANDLOCK_ABI_MAX;
    out->abi = abi;
    out->handled_fs = rf_landlock_fs_rights(abi);
    if (policy->network == RF_NET_OFF && abi >= 4)
        out->handled_net = LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP;
    if (abi >= 6)
        out->scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL;
    /* ABI 7 adds only audit-logging flags.  The default (denials of the
     * exec'd command not logged) is kept on purpose: build tools probe many
     * paths and would flood the audit log of a machine that has auditing on. */
    out->restrict_flags = 0;

    size_t cap = policy->writable_roots.len + 6;
    out->rules = calloc(cap, sizeof *out->rules);
    if (!out->rules)
        return rf_fail_errno(err, ENOMEM, "building the Landlock rules");
    rf_landlock_rule *r = out->rules;
    size_t n = 0;
    r[n++] = (rf_landlock_rule){"/", rf_landlock_fs_read_rights(abi), false};
    for (size_t i = 0; i < policy->writable_roots.len; i++)
        r[n++] = (rf_landlock_rule){policy->writable_roots.items[i].value, out->handled_fs, false};
    /* /tmp: the private tmpfs in the sandbox's mount namespace, or the shared one. */
    r[n++] = (rf_landlock_rule){"/tmp", out->handled_fs, true};
    r[n++] = (rf_landlock_rule){"/dev/shm", out->handled_fs, true}; /* POSIX shm, semaphores */
    r[n++] = (rf_landlock_rule){"/dev/null", device_write_rights(abi, false), true};
    r[n++] = (rf_landlock_rule){"/dev/tty", device_write_rights(abi, true), true};
    r[n++] = (rf_landlock_rule){out->terminal, device_write_rights(abi, true), true};
    out->n_rules = n;
    return 0;
}

void rf_landlock_plan_free(rf_landlock_plan *plan) {
    free(plan->rules);
    plan->rules = NULL;
    plan->n_rules = 0;
}

void rf_landlock_describe(int abi, bool network_off, char *buf, size_t len) {
    if (abi > RF_LANDLOCK_ABI_MAX)
        abi = RF_LANDLOCK_ABI_MAX;
    snprintf(buf, len, "landlock ABI %d: fs write%s%s%s%s%s%s", abi, abi >= 2 ? ", refer" : "",
             abi >= 3 ? ", truncate" : "", abi >= 5 ? ", ioctl_dev" : "",
             abi >= 4 ? (network_off ? ", net tcp" : ", net tcp (capable; off when network is off)")
                      : ", no tcp rules (ABI < 4)",
             abi >= 6 ? ", scope signal+abstract unix" : "", abi >= 7 ? " (ABI 7 audit flags: default)" : "");
}

/* ---- in the child -------------------------------------------------------- */

static int add_path_rule(int ruleset, const rf_landlock_rule *rule, uint64_t handled) {
    int fd = open(rule->path, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return (rule->optional && (errno == ENOENT || errno == ENXIO)) ? 0 : -errno;
    struct landlock_path_beneath_attr attr = {
        .allowed_access = rule->access & handled,
        .parent_fd = fd,
    };
    long rc = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &attr, 0);
    int e = errno;
    close(fd);
    if (rc < 0 && e == EINVAL) {
        /* A file (not a directory) accepts only file rights: retry with those. */
        fd = open(rule->path, O_PATH | O_CLOEXEC);
        if (fd < 0)
            return -errno;
        attr.parent_fd = fd;
        attr.allowed_access &= LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                               LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |
                               LANDLOCK_ACCESS_FS_IOCTL_DEV;
        rc = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &attr, 0);
        e = errno;
        close(fd);
    }
    return rc < 0 ? -e : 0;
}

int rf_landlock_apply(const rf_landlock_plan *plan) {
    struct rf_ruleset_attr attr = {
        .handled_access_fs = plan->handled_fs,
        .handled_access_net = plan->handled_net,
        .scoped = plan->scoped,
    };
    /* Pass only the part of the struct this ABI knows. */
    size_t size = plan->abi >= 6 ? sizeof attr : plan->abi >= 4 ? 2 * sizeof(uint64_t) : sizeof(uint64_t);
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (ruleset < 0)
        return -errno;
    int rc = 0;
    for (size_t i = 0; i < plan->n_rules && rc == 0; i++) {
        if (plan->rules[i].path[0] == '\0')
            continue; /* no terminal this run */
        rc = add_path_rule(ruleset, &plan->rules[i], plan->handled_fs);
    }
    if (rc == 0 && syscall(SYS_landlock_restrict_self, ruleset, plan->restrict_flags) < 0)
        rc = -errno;
    close(ruleset);
    return rc;
}
