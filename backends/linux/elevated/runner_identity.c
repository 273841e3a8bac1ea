/* runner_identity.c — becoming the sandbox user for good (in the child, heap-free). */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backends/linux/elevated/runner.h"

static int drop_bounding_set(void) {
    for (int cap = 0; cap < 64; cap++) {
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0)
            break; /* past the kernel's last capability */
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
            return -errno;
    }
    return 0;
}

static int capabilities_left(void) {
    struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &hdr, data) < 0)
        return -errno;
    for (int i = 0; i < 2; i++)
        if (data[i].effective || data[i].permitted)
            return 1;
    return 0;
}

int rf_runner_become(uid_t uid, gid_t gid) {
    if (uid == 0 || gid == 0)
        return -EINVAL;
    /* While still root: no exec can ever bring a capability back (bounding
     * set), uid 0 means nothing at exec (NOROOT), and the kernel's clearing
     * of capabilities on the uid change below cannot be switched off
     * (NO_SETUID_FIXUP and KEEP_CAPS locked off). */
    int rc = drop_bounding_set();
    if (rc < 0)
        return rc;
    if (prctl(PR_SET_SECUREBITS,
              SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
                  SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
              0, 0, 0) < 0)
        return -errno;
    /* Groups first (it needs root), then gid, then uid (after which nothing
     * privileged is possible): no supplementary group of root or the caller
     * stays (the ringfence group would let the command start the runner). */
    if (setgroups(0, NULL) < 0)
        return -errno;
    if (setresgid(gid, gid, gid) < 0)
        return -errno;
    if (setresuid(uid, uid, uid) < 0)
        return -errno;

    /* Verify rather than trust: a saved uid 0 left behind, or a kernel or
     * LSM quirk, would let the command become root again. */
    if (setresuid(0, 0, 0) == 0 || errno != EPERM)
        return -EPERM;
    if (setresgid(0, 0, 0) == 0 || errno != EPERM)
        return -EPERM;
    uid_t ru, eu, su;
    gid_t rg, eg, sg;
    if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
        return -errno;
    if (ru != uid || eu != uid || su != uid || rg != gid || eg != gid || sg != gid)
        return -EPERM;
    if (getgroups(0, NULL) != 0)
        return -EPERM;
    rc = capabilities_left();
    if (rc != 0)
        return rc < 0 ? rc : -EPERM;
    return 0;
}
