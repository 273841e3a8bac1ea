/*
 * landlock.h — the Landlock layer: which ABI the kernel speaks, the rule plan
 * for a policy (plain data, tested directly), and applying it in the child.
 *
 * Landlock is an allow-list stacked on the process: read and execute
 * everywhere, write only in the writable roots, /dev/null, the terminal and
 * /tmp; with network off, TCP connect and bind are handled with no rule so
 * both are denied; the ABI 6 scopes keep signals and abstract unix sockets
 * inside the sandbox.
 */
#ifndef RF_BACKENDS_LINUX_LANDLOCK_H
#define RF_BACKENDS_LINUX_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/policy.h"
#include "core/ringfence.h"

/* The highest ABI this code knows; newer kernels are used at this level. */
#define RF_LANDLOCK_ABI_MAX 7

/* The kernel's Landlock ABI (>= 1), or -errno: -ENOSYS when the kernel was
 * built without it, -EOPNOTSUPP when it is disabled at boot. */
int rf_landlock_abi(void);

/* Every filesystem right the given ABI knows. */
uint64_t rf_landlock_fs_rights(int abi);
/* The filesystem rights that only read: what "/" gets. */
uint64_t rf_landlock_fs_read_rights(int abi);

typedef struct rf_landlock_rule {
    const char *path;  /* borrowed: the policy's strings or static text */
    uint64_t access;
    bool optional;     /* a missing path is skipped (e.g. /dev/tty without a terminal) */
} rf_landlock_rule;

typedef struct rf_landlock_plan {
    int abi;
    uint64_t handled_fs;
    uint64_t handled_net; /* non-zero only when network is off */
    uint64_t scoped;
    uint32_t restrict_flags;
    rf_landlock_rule *rules;
    size_t n_rules;
    /* The run's terminal (e.g. /dev/pts/3), filled per spawn; the last rule
     * points at it. */
    char terminal[64];
} rf_landlock_plan;

/* Builds the plan for `policy` at `abi` (malloc'd rules; rf_landlock_plan_free). */
int rf_landlock_plan_build(const rf_policy *policy, int abi, rf_landlock_plan *out, rf_error *err);
void rf_landlock_plan_free(rf_landlock_plan *plan);

/* One line naming the active rights, e.g. "landlock ABI 7: fs write, refer, truncate,
 * ioctl_dev, net tcp, scope signal+abstract unix". */
void rf_landlock_describe(int abi, bool network_off, char *buf, size_t len);

/* In the child (no heap): creates the ruleset, adds every rule and restricts
 * the calling thread.  no_new_privs must already be set.  Returns 0 or -errno. */
int rf_landlock_apply(const rf_landlock_plan *plan);

#endif
