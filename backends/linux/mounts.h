/*
 * mounts.h — the sandbox's view of the filesystem inside its own mount
 * namespace, as a plan (plain data, tested directly) and one apply.
 *
 *   fresh /proc          the PID namespace's own: no host process to read
 *   private /tmp         a tmpfs (tmp = private); writable roots that live
 *                        under /tmp are cloned first and put back on top;
 *                        /dev/shm gets its own tmpfs too (POSIX shm and
 *                        semaphores keep working, nothing reaches the host's)
 *   protected, present   bound read-only over itself (recursively)
 *   protected, absent    the launcher creates an empty placeholder directory
 *                        and binds it read-only over itself, so the command
 *                        cannot create it (.git with planted hooks)
 *   deny_read, directory an empty read-only tmpfs of mode 000 over it
 *   deny_read, file/socket/other  /dev/null bound read-only and nodev over
 *                        it: open fails with EACCES and connect() with
 *                        ECONNREFUSED (docker.sock, agent sockets)
 *   deny_read, absent    nothing to hide
 *   read-only tree       after /tmp, before the protected and deny-read
 *                        mounts: every writable place (each writable root,
 *                        /tmp, /dev/shm) becomes its own mount (bound onto
 *                        itself unless it already is one), the whole tree is
 *                        made read-only recursively, then each writable place
 *                        is made writable again (with the host mounts inside
 *                        it, unless one is read-only on the host); the
 *                        read-only binds and deny-read mounts made after it
 *                        stay read-only.  This closes metadata writes outside the
 *                        writable roots (chmod, chown, utime, setxattr), which
 *                        Landlock does not mediate: they fail with EROFS.
 *                        Device nodes, fifos and sockets stay usable: the
 *                        kernel skips the mount write check for special files.
 *
 * Mounts made here never reach the host: a mount namespace created with a
 * new user namespace turns the copied shared mounts into slaves
 * (CL_SHARED_TO_SLAVE), so propagation only flows inward.
 */
#ifndef RF_BACKENDS_LINUX_MOUNTS_H
#define RF_BACKENDS_LINUX_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/ringfence.h"

typedef enum rf_path_kind {
    RF_KIND_ABSENT = 0,
    RF_KIND_DIR,
    RF_KIND_FILE,
    RF_KIND_SOCKET,
    RF_KIND_OTHER, /* fifo, device */
    RF_KIND_SYMLINK,
} rf_path_kind;

const char *rf_path_kind_name(rf_path_kind kind);
/* lstat-based.  ABSENT also when the path cannot be reached at all (EACCES):
 * the command, with the same uid and no capability, cannot reach it either. */
rf_path_kind rf_path_kind_of(const char *path);

typedef enum rf_mount_op_kind {
    RF_MOP_PROC = 0,
    RF_MOP_SAVE_ROOT,
    RF_MOP_TMPFS_TMP,
    RF_MOP_TMPFS_SHM,
    RF_MOP_RESTORE_ROOT,
    RF_MOP_BIND_RO,
    RF_MOP_PLACEHOLDER,
    RF_MOP_EMPTY_DIR,
    RF_MOP_NULL_FILE,
    RF_MOP_BIND_SELF,     /* a writable place becomes its own mount */
    RF_MOP_READ_ONLY_ALL, /* "/" and every mount below it read-only */
    RF_MOP_WRITABLE,      /* read-only cleared on that place (and host mounts below) */
} rf_mount_op_kind;

const char *rf_mount_op_name(rf_mount_op_kind kind);

typedef struct rf_mount_op {
    rf_mount_op_kind kind;
    const char *path;    /* borrowed from the input */
    rf_path_kind expect; /* what the target must still be when mounted on */
    /* Symlinks in the parent directories are followed (system paths such as
     * /var/run -> /run); never for paths inside a writable root, where a
     * command could have planted one to steer the mount elsewhere. */
    bool parent_symlinks_ok;
    /* The writable root's fd as the launcher checked it, or -1: SAVE_ROOT
     * clones from it, BIND_SELF and WRITABLE require the target to be that
     * very directory (a symlink or another directory swapped in after the
     * check would carry the mount elsewhere). */
    int root_fd;
} rf_mount_op;

typedef struct rf_mount_target {
    const char *path;
    rf_path_kind kind; /* observed by the launcher right before the run */
} rf_mount_target;

typedef struct rf_mount_input {
    bool tmp_private;
    bool have_dev_shm; /* /dev/shm exists (a directory) */
    const char *const *roots; /* writable roots */
    size_t n_roots;
    /* Optional (NULL): the fds the launcher checked the roots through, in
     * the order of `roots`; the mounts on the roots then use them. */
    const int *root_fds;
    const rf_mount_target *protected_paths;
    size_t n_protected;
    const rf_mount_target *deny;
    size_t n_deny;
    /* ringfence's own state the command must not touch (the placeholder lock
     * directory): bound read-only unless the private /tmp already hides it. */
    const rf_mount_target *own_state;
    size_t n_own_state;
} rf_mount_input;

#define RF_MOUNT_MAX_SAVED 32

typedef struct rf_mount_plan {
    rf_mount_op *ops;
    size_t n_ops;
    /* Absent protected paths: the launcher creates these directories before
     * the run (placeholder.c) and removes them after it. */
    const char **placeholders;
    size_t n_placeholders;
} rf_mount_plan;

/* Builds the plan.  Fails (closed) on a symlink where a protected or
 * deny-read path should be (it would redirect the mount), and on a deny-read
 * path that contains a writable root. */
int rf_mount_plan_build(const rf_mount_input *in, rf_mount_plan *out, rf_error *err);
void rf_mount_plan_free(rf_mount_plan *plan);

/* In the child (no heap), inside the new user + mount namespaces.  Returns 0,
 * or -errno with *failed set to the index of the op that failed. */
int rf_mount_apply(const rf_mount_plan *plan, size_t *failed);

#endif
