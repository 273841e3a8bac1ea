/* runner_checks.c — who may use the runner, and for which directories. */
#include <acl/libacl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/acl.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/linux/elevated/runner.h"
#include "core/error.h"

bool rf_runner_caller_in_group(gid_t group) {
    if (getgid() == group)
        return true;
    int n = getgroups(0, NULL);
    if (n <= 0)
        return false;
    gid_t *list = calloc((size_t)n, sizeof *list);
    if (!list)
        return false;
    n = getgroups(n, list);
    bool found = false;
    for (int i = 0; i < n && !found; i++)
        found = list[i] == group;
    free(list);
    return found;
}

/* Whether the ACL has a named-user entry for `uid` with read, write and
 * execute (search). */
static bool acl_grants_rwx(acl_t acl, uid_t uid) {
    acl_entry_t entry;
    for (int which = ACL_FIRST_ENTRY; acl_get_entry(acl, which, &entry) == 1; which = ACL_NEXT_ENTRY) {
        acl_tag_t tag;
        if (acl_get_tag_type(entry, &tag) < 0 || tag != ACL_USER)
            continue;
        uid_t *q = acl_get_qualifier(entry);
        if (!q)
            continue;
        bool same = *q == uid;
        acl_free(q);
        if (!same)
            continue;
        acl_permset_t perms;
        if (acl_get_permset(entry, &perms) < 0)
            return false;
        return acl_get_perm(perms, ACL_READ) == 1 && acl_get_perm(perms, ACL_WRITE) == 1 &&
               acl_get_perm(perms, ACL_EXECUTE) == 1;
    }
    return false;
}

static int check_fd(int fd, const char *path, uid_t caller, uid_t offline, uid_t online, rf_error *err) {
    struct stat st;
    if (fstat(fd, &st) < 0)
        return rf_fail_errno(err, errno, "checking the writable root %s", path);
    /* The shared sandbox users write wherever anyone granted them: only the
     * caller's own directories may be handed to them (cross-user write). */
    if (st.st_uid != caller)
        return rf_fail(err, -EPERM, "refusing the writable root %s: it is owned by uid %u, not by you (uid %u)",
                       path, (unsigned)st.st_uid, (unsigned)caller);
    /* The ACL of the very inode we hold, through its magic link: libacl
     * cannot read an O_PATH fd directly. */
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    acl_t acl = acl_get_file(link, ACL_TYPE_ACCESS);
    if (!acl)
        return rf_fail_errno(err, errno, "reading the ACL of the writable root %s", path);
    bool ok = acl_grants_rwx(acl, offline) && acl_grants_rwx(acl, online);
    acl_free(acl);
    if (!ok)
        return rf_fail(err, -EACCES, "the writable root %s is not granted to the sandbox users (no rwx ACL "
                       "entries for uids %u and %u): run `ringfence grant %s`", path, (unsigned)offline,
                       (unsigned)online, path);
    return 0;
}

int rf_runner_open_granted_root(const char *path, uid_t caller, gid_t caller_gid, uid_t offline, uid_t online,
                                int *fd_out, rf_error *err) {
    *fd_out = -1;
    /* Resolve the path with the caller's own permissions: root would reach
     * (and report the owner of) paths the caller cannot see (information
     * leak through the error message). */
    setfsgid(caller_gid);
    setfsuid(caller);
    int rc = 0;
    if ((uid_t)setfsuid(caller) != caller || (gid_t)setfsgid(caller_gid) != caller_gid)
        rc = rf_fail(err, -EPERM, "taking the caller's filesystem identity to check %s", path);
    /* O_NOFOLLOW: a symlink planted as the last component cannot point the
     * check at another directory; the fd is what the rules use afterwards. */
    int fd = rc == 0 ? open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
    if (rc == 0 && fd < 0)
        rc = rf_fail_errno(err, errno, "opening the writable root %s", path);
    if (rc == 0)
        rc = check_fd(fd, path, caller, offline, online, err);
    setfsuid(0);
    setfsgid(0);
    if (rc == 0 && ((uid_t)setfsuid(0) != 0 || (gid_t)setfsgid(0) != 0))
        rc = rf_fail(err, -EPERM, "restoring the filesystem identity after checking %s", path);
    if (rc < 0) {
        if (fd >= 0)
            close(fd);
        return rc;
    }
    *fd_out = fd;
    return 0;
}
