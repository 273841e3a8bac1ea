/* caps.c — drop every capability: bounding set, ambient set, securebits, and the three process sets. */
#include "backends/linux/caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int capget_raw(struct __user_cap_data_struct data[2]) {
    struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    return syscall(SYS_capget, &hdr, data) < 0 ? -errno : 0;
}

static int last_cap(void) {
    /* Probe upward: PR_CAPBSET_READ fails with EINVAL past the kernel's last capability. */
    int cap = CAP_LAST_CAP;
    while (cap < 63 && prctl(PR_CAPBSET_READ, cap + 1, 0, 0, 0) >= 0)
        cap++;
    return cap;
}

int rf_caps_drop_all(void) {
    struct __user_cap_data_struct data[2];
    int rc = capget_raw(data);
    if (rc < 0)
        return rc;
    bool have_setpcap = (data[0].effective & (1u << CAP_SETPCAP)) != 0;

    if (have_setpcap) {
        /* Locked securebits: a later exec of a uid-0 binary gains nothing,
         * and nothing can raise ambient capabilities again. */
        unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                             SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
                             SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
        if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) < 0)
            return -errno;
        /* Bounding set: no exec (setuid or file capabilities) can bring one back. */
        int last = last_cap();
        for (int cap = 0; cap <= last; cap++)
            if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
                return -errno;
    }
    /* Without CAP_SETPCAP the bounding set cannot shrink; no_new_privs (set
     * next) is then what keeps setuid and file capabilities powerless. */
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        return -errno;

    struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    memset(data, 0, sizeof(struct __user_cap_data_struct) * 2);
    if (syscall(SYS_capset, &hdr, data) < 0)
        return -errno;
    if ((rc = capget_raw(data)) < 0)
        return rc;
    for (int i = 0; i < 2; i++)
        if (data[i].effective || data[i].permitted || data[i].inheritable)
            return -EPERM;
    return 0;
}
