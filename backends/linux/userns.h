/*
 * userns.h — unprivileged user namespaces: the raw clone that starts the
 * sandbox's init in new user, mount and PID namespaces, and the uid/gid maps
 * the parent writes for it (the real uid and gid mapped to themselves, so
 * files keep their owners and the command sees its own identity).
 */
#ifndef RF_BACKENDS_LINUX_USERNS_H
#define RF_BACKENDS_LINUX_USERNS_H

#include <stdbool.h>
#include <sys/types.h>

#include "core/ringfence.h"

/* Raw clone(2) with `ns_flags` (CLONE_NEW*) that returns like fork: 0 in the
 * child, the child's pid in the parent, -errno on failure.  Raw, because
 * glibc has no fork-with-flags, and the child runs only heap-free code. */
pid_t rf_clone_process(unsigned long ns_flags);

/* Writes /proc/PID/uid_map ("uid uid 1"), setgroups ("deny": the only way an
 * unprivileged parent may write a gid map, and it keeps the command from
 * dropping a supplementary group that stands in a deny ACL) and gid_map. */
int rf_userns_write_maps(pid_t pid, uid_t uid, gid_t gid, rf_error *err);

/* Whether a user + mount + PID namespace with a fresh /proc can be created
 * here; on failure fills `why` with the reason. */
bool rf_userns_usable(char *why, size_t why_len);

#endif
