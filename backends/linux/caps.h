/*
 * caps.h — dropping every capability before exec.  It matters when the
 * caller is root (CI) and inside the user namespace, where the launcher holds
 * every capability over its own namespaces: a command keeping CAP_SYS_ADMIN
 * could unmount the read-only binds.
 */
#ifndef RF_BACKENDS_LINUX_CAPS_H
#define RF_BACKENDS_LINUX_CAPS_H

/* In the child (no heap): with CAP_SETPCAP, locks the securebits (no root
 * magic, no ambient raise) and empties the bounding set; always clears the
 * ambient set and the effective, permitted and inheritable sets, then checks
 * that they are empty.  Returns 0 or -errno. */
int rf_caps_drop_all(void);

#endif
