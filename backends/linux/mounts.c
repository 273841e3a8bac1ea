/* mounts.c — the mount plan for a policy and its apply inside the sandbox's mount namespace. */
#include "backends/linux/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/error.h"
#include "core/policy.h"

const char *rf_path_kind_name(rf_path_kind kind) {
    switch (kind) {
    case RF_KIND_ABSENT:
        return "absent";
    case RF_KIND_DIR:
        return "directory";
    case RF_KIND_FILE:
        return "file";
    case RF_KIND_SOCKET:
        return "socket";
    case RF_KIND_OTHER:
        return "special file";
    case RF_KIND_SYMLINK:
        return "symlink";
    }
    return "unknown";
}

static rf_path_kind kind_of_mode(mode_t mode) {
    if (S_ISDIR(mode))
        return RF_KIND_DIR;
    if (S_ISREG(mode))
        return RF_KIND_FILE;
    if (S_ISSOCK(mode))
        return RF_KIND_SOCKET;
    if (S_ISLNK(mode))
        return RF_KIND_SYMLINK;
    return RF_KIND_OTHER;
}

rf_path_kind rf_path_kind_of(const char *path) {
    struct stat st;
    if (lstat(path, &st) < 0)
        return (errno == ENOENT || errno == ENOTDIR || errno == EACCES) ? RF_KIND_ABSENT : RF_KIND_OTHER;
    return kind_of_mode(st.st_mode);
}

const char *rf_mount_op_name(rf_mount_op_kind kind) {
    switch (kind) {
    case RF_MOP_PROC:
        return "fresh /proc";
    case RF_MOP_SAVE_ROOT:
        return "keep writable root across private /tmp";
    case RF_MOP_TMPFS_TMP:
        return "private tmpfs on /tmp";
    case RF_MOP_TMPFS_SHM:
        return "private tmpfs on /dev/shm";
    case RF_MOP_RESTORE_ROOT:
        return "put writable root back";
    case RF_MOP_BIND_RO:
        return "read-only bind";
    case RF_MOP_PLACEHOLDER:
        return "read-only placeholder";
    case RF_MOP_EMPTY_DIR:
        return "empty directory over deny-read";
    case RF_MOP_NULL_FILE:
        return "unreadable file over deny-read";
    case RF_MOP_BIND_SELF:
        return "writable place bound onto itself";
    case RF_MOP_READ_ONLY_ALL:
        return "whole mount tree read-only";
    case RF_MOP_WRITABLE:
        return "writable place made writable again";
    }
    return "unknown";
}

/* ---- plan ----------------------------------------------------------------- */

static int cmp_target_len(const void *a, const void *b) {
    const rf_mount_target *x = a, *y = b;
    size_t lx = strlen(x->path), ly = strlen(y->path);
    if (lx != ly)
        return lx < ly ? -1 : 1;
    return strcmp(x->path, y->path);
}

/* Sorted copy: parents come before their children. */
static rf_mount_target *sorted_copy(const rf_mount_target *t, size_t n) {
    rf_mount_target *c = malloc((n ? n : 1) * sizeof *c);
    if (!c)
        return NULL;
    if (n)
        memcpy(c, t, n * sizeof *c);
    qsort(c, n, sizeof *c, cmp_target_len);
    return c;
}

static void add_op(rf_mount_plan *p, rf_mount_op_kind kind, const char *path, rf_path_kind expect) {
    p->ops[p->n_ops++] = (rf_mount_op){kind, path, expect, false, -1};
}

/* The last op targets the writable root `r`: never behind a symlink, and
 * through its checked fd when the launcher has one. */
static void mark_root(rf_mount_plan *p, const rf_mount_input *in, size_t r) {
    p->ops[p->n_ops - 1].parent_symlinks_ok = false;
    p->ops[p->n_ops - 1].root_fd = in->root_fds ? in->root_fds[r] : -1;
}

/* For system paths outside every writable root (deny-read, ringfence's own state). */
static void add_system_op(rf_mount_plan *p, const rf_mount_input *in, rf_mount_op_kind kind,
                          const char *path, rf_path_kind expect) {
    bool inside_root = false;
    for (size_t r = 0; r < in->n_roots; r++)
        inside_root |= rf_path_within(path, in->roots[r]);
    p->ops[p->n_ops++] = (rf_mount_op){kind, path, expect, !inside_root, -1};
}

static int cmp_path_len(const void *a, const void *b) {
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);
    if (lx != ly)
        return lx < ly ? -1 : 1;
    return strcmp(x, y);
}

/* Whether the place is a mount root already: the private tmpfs on /tmp and
 * /dev/shm, and the roots put back on top of the private /tmp. */
static bool own_mount_already(const rf_mount_input *in, const char *path) {
    if (!in->tmp_private)
        return false;
    return rf_path_within(path, "/tmp") || strcmp(path, "/dev/shm") == 0;
}

/*
 * The read-only tree, before the protected and deny-read mounts.  Landlock
 * does not mediate chmod, chown, utime or setxattr: without this a command
 * could change the mode, owner, times or extended attributes of any file the
 * user owns outside the writable roots (metadata-write escape).  With every
 * mount read-only except the writable places, those fail with EROFS.
 * Parents come before children, so a nested writable root is bound inside
 * its parent's new mount.
 */
static int add_read_only_tree(rf_mount_plan *p, const rf_mount_input *in, rf_error *err) {
    const char **places = calloc(in->n_roots + 2, sizeof *places);
    if (!places)
        return rf_fail_errno(err, ENOMEM, "building the mount plan");
    size_t n = 0;
    places[n++] = "/tmp";
    if (in->have_dev_shm)
        places[n++] = "/dev/shm";
    for (size_t i = 0; i < in->n_roots; i++) {
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup |= strcmp(places[k], in->roots[i]) == 0;
        if (!dup)
            places[n++] = in->roots[i];
    }
    qsort(places, n, sizeof *places, cmp_path_len);
    for (size_t i = 0; i < n; i++) {
        if (own_mount_already(in, places[i]))
            continue;
        add_system_op(p, in, RF_MOP_BIND_SELF, places[i], RF_KIND_DIR);
        /* A writable root itself: never behind a symlink (as for its restore). */
        for (size_t r = 0; r < in->n_roots; r++)
            if (strcmp(in->roots[r], places[i]) == 0)
                mark_root(p, in, r);
    }
    add_op(p, RF_MOP_READ_ONLY_ALL, "/", RF_KIND_DIR);
    for (size_t i = 0; i < n; i++) {
        add_system_op(p, in, RF_MOP_WRITABLE, places[i], RF_KIND_DIR);
        for (size_t r = 0; r < in->n_roots; r++)
            if (strcmp(in->roots[r], places[i]) == 0)
                mark_root(p, in, r);
    }
    free(places);
    return 0;
}

int rf_mount_plan_build(const rf_mount_input *in, rf_mount_plan *out, rf_error *err) {
    memset(out, 0, sizeof *out);
    size_t cap = 3 + 2 * in->n_roots + in->n_protected + in->n_deny + in->n_own_state;
    cap += 2 * (in->n_roots + 2) + 1; /* the read-only tree */
    out->ops = calloc(cap, sizeof *out->ops);
    out->placeholders = calloc(in->n_protected + 1, sizeof *out->placeholders);
    rf_mount_target *prot = sorted_copy(in->protected_paths, in->n_protected);
    rf_mount_target *deny = sorted_copy(in->deny, in->n_deny);
    int rc = 0;
    if (!out->ops || !out->placeholders || !prot || !deny) {
        rc = rf_fail_errno(err, ENOMEM, "building the mount plan");
        goto out;
    }

    add_op(out, RF_MOP_PROC, "/proc", RF_KIND_DIR);
    if (in->tmp_private) {
        size_t saved = 0;
        for (size_t i = 0; i < in->n_roots; i++) {
            if (!rf_path_within(in->roots[i], "/tmp") || strcmp(in->roots[i], "/tmp") == 0)
                continue;
            if (++saved > RF_MOUNT_MAX_SAVED) {
                rc = rf_fail(err, -E2BIG, "building the mount plan: more than %d writable roots under /tmp",
                             RF_MOUNT_MAX_SAVED);
                goto out;
            }
            add_op(out, RF_MOP_SAVE_ROOT, in->roots[i], RF_KIND_DIR);
            mark_root(out, in, i);
        }
        add_op(out, RF_MOP_TMPFS_TMP, "/tmp", RF_KIND_DIR);
        if (in->have_dev_shm)
            add_op(out, RF_MOP_TMPFS_SHM, "/dev/shm", RF_KIND_DIR);
        for (size_t i = 0; i < in->n_roots; i++)
            if (rf_path_within(in->roots[i], "/tmp") && strcmp(in->roots[i], "/tmp") != 0)
                add_op(out, RF_MOP_RESTORE_ROOT, in->roots[i], RF_KIND_DIR);
    }

    /* Before the read-only binds and deny-read mounts: the writable places
     * are cleared recursively (host mounts inside a workspace stay usable),
     * and what comes after is read-only whatever the clearing did. */
    if ((rc = add_read_only_tree(out, in, err)) < 0)
        goto out;

    for (size_t i = 0; i < in->n_protected; i++) {
        const rf_mount_target *t = &prot[i];
        switch (t->kind) {
        case RF_KIND_SYMLINK:
            /* A symlink swapped in would carry the bind elsewhere and leave the name writable. */
            rc = rf_fail(err, -ELOOP,
                         "protected path %s is a symlink: refusing to run (it cannot be kept read-only)",
                         t->path);
            goto out;
        case RF_KIND_ABSENT:
            out->placeholders[out->n_placeholders++] = t->path;
            add_op(out, RF_MOP_PLACEHOLDER, t->path, RF_KIND_DIR);
            break;
        default:
            add_op(out, RF_MOP_BIND_RO, t->path, t->kind);
            break;
        }
    }

    for (size_t i = 0; i < in->n_own_state; i++) {
        const rf_mount_target *t = &in->own_state[i];
        /* With a shared /tmp, a command could unlink and recreate the lock
         * files and so make another run remove a placeholder it still mounts on. */
        if (t->kind != RF_KIND_DIR || (in->tmp_private && rf_path_within(t->path, "/tmp")))
            continue;
        add_system_op(out, in, RF_MOP_BIND_RO, t->path, t->kind);
    }

    for (size_t i = 0; i < in->n_deny; i++) {
        const rf_mount_target *t = &deny[i];
        for (size_t r = 0; r < in->n_roots; r++) {
            if (rf_path_within(in->roots[r], t->path)) {
                rc = rf_fail(err, -EINVAL, "deny_read path %s contains the writable root %s: hiding it "
                             "would hide the workspace", t->path, in->roots[r]);
                goto out;
            }
        }
        if (t->kind == RF_KIND_ABSENT)
            continue; /* nothing to hide */
        if (t->kind == RF_KIND_SYMLINK) {
            rc = rf_fail(err, -ELOOP, "deny_read path %s became a symlink after the policy was loaded: "
                         "refusing to run", t->path);
            goto out;
        }
        bool hidden = false;
        if (in->tmp_private && rf_path_within(t->path, "/tmp")) {
            hidden = true; /* the private /tmp already hides it, unless a root brought it back */
            for (size_t r = 0; r < in->n_roots; r++)
                if (rf_path_within(t->path, in->roots[r]))
                    hidden = false;
        }
        for (size_t j = 0; j < i && !hidden; j++)
            if (deny[j].kind == RF_KIND_DIR && rf_path_within(t->path, deny[j].path))
                hidden = true; /* inside a directory already emptied */
        if (hidden)
            continue;
        add_system_op(out, in, t->kind == RF_KIND_DIR ? RF_MOP_EMPTY_DIR : RF_MOP_NULL_FILE, t->path, t->kind);
    }
out:
    free(prot);
    free(deny);
    if (rc < 0)
        rf_mount_plan_free(out);
    return rc;
}

void rf_mount_plan_free(rf_mount_plan *plan) {
    free(plan->ops);
    free(plan->placeholders);
    memset(plan, 0, sizeof *plan);
}

/* ---- apply (in the child: raw system calls, no heap) ---------------------- */

static int sys_open_tree(int dfd, const char *path, unsigned flags) {
    return (int)syscall(SYS_open_tree, dfd, path, flags);
}

static int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags) {
    return (int)syscall(SYS_move_mount, from_dfd, from, to_dfd, to, flags);
}

static int sys_mount_setattr_clr(int dfd, const char *path, unsigned flags, uint64_t set, uint64_t clr) {
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_set = set;
    attr.attr_clr = clr;
    return (int)syscall(SYS_mount_setattr, dfd, path, flags, &attr, sizeof attr);
}

static int sys_mount_setattr(int dfd, const char *path, unsigned flags, uint64_t set) {
    return sys_mount_setattr_clr(dfd, path, flags, set, 0);
}

static bool same_inode(int a, int b) {
    struct stat sa, sb;
    return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Opens the mount target without following any symlink, and checks it is
 * still the kind the launcher saw: a path swapped for a symlink between plan
 * and apply would otherwise carry the mount elsewhere (TOCTOU). */
static int open_target(const char *path, rf_path_kind expect, bool parent_symlinks_ok) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = O_PATH | O_CLOEXEC | O_NOFOLLOW; /* the last component: never followed */
    how.resolve = RESOLVE_NO_MAGICLINKS | (parent_symlinks_ok ? 0 : RESOLVE_NO_SYMLINKS);
    int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
    if (fd < 0)
        return -errno;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    if (kind_of_mode(st.st_mode) != expect) {
        close(fd);
        return -ESTALE;
    }
    return fd;
}

/* Attaches the detached mount `tree` on top of the target fd. */
static int attach(int tree, int target) {
    int rc = sys_move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
    return rc < 0 ? -errno : 0;
}

static int bind_read_only(int target) {
    int tree = sys_open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
    if (tree < 0)
        return -errno;
    int rc = 0;
    if (sys_mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, MOUNT_ATTR_RDONLY) < 0)
        rc = -errno;
    if (rc == 0)
        rc = attach(tree, target);
    close(tree);
    return rc;
}

/* The target's mounts, cloned and attached on top of it: the place becomes
 * the root of its own mount, whose flags can be changed alone. */
static int bind_self(int target) {
    int tree = sys_open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
    if (tree < 0)
        return -errno;
    int rc = attach(tree, target);
    close(tree);
    return rc;
}

/* Read-only cleared on this mount and the host mounts below it (a volume
 * inside the workspace), which the read-only tree has just made read-only.
 * A mount read-only on the host is locked so in a user namespace, and then
 * the recursive clear fails as a whole (EPERM): the place alone is cleared.
 * The protected and deny-read mounts come after, so they stay read-only.
 * EINVAL when the place is not the root of a mount: failing closed. */
static int make_writable(int target) {
    if (sys_mount_setattr_clr(target, "", AT_EMPTY_PATH | AT_RECURSIVE, 0, MOUNT_ATTR_RDONLY) == 0)
        return 0;
    if (errno != EPERM)
        return -errno;
    return sys_mount_setattr_clr(target, "", AT_EMPTY_PATH, 0, MOUNT_ATTR_RDONLY) < 0 ? -errno : 0;
}

/* A fresh read-only tmpfs (empty) with the given root mode. */
static int empty_tmpfs(int target, const char *mode) {
    int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
    if (fs < 0)
        return -errno;
    int rc = 0, mnt = -1;
    if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "mode", mode, 0) < 0 ||
        syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", "4k", 0) < 0 ||
        syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
        rc = -errno;
    if (rc == 0) {
        mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
                           MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        if (mnt < 0)
            rc = -errno;
    }
    if (rc == 0)
        rc = attach(mnt, target);
    if (mnt >= 0)
        close(mnt);
    close(fs);
    return rc;
}

/* /dev/null, read-only and nodev: opening it fails with EACCES. */
static int null_file(int target) {
    int tree = sys_open_tree(AT_FDCWD, "/dev/null", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (tree < 0)
        return -errno;
    int rc = 0;
    if (sys_mount_setattr(tree, "", AT_EMPTY_PATH,
                          MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC) < 0)
        rc = -errno;
    if (rc == 0)
        rc = attach(tree, target);
    close(tree);
    return rc;
}

/* mkdir -p for a path under the fresh /tmp (heap-free). */
static int make_dirs(const char *path) {
    char buf[4096];
    size_t len = strlen(path);
    if (len >= sizeof buf)
        return -ENAMETOOLONG;
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -errno;
        buf[i] = saved;
    }
    return 0;
}

static int apply_op(const rf_mount_op *op, int *saved, size_t *n_saved, size_t *n_restored) {
    int rc = 0, target;
    switch (op->kind) {
    case RF_MOP_PROC:
        return mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ? -errno : 0;
    case RF_MOP_SAVE_ROOT:
        /* From the checked fd: the path, swapped for a symlink after the
         * check, would clone another user's granted workspace (TOCTOU). */
        /* (open_tree refuses a mount of another namespace: the checked fd
         * is the host's, so the path is reopened here, without symlinks,
         * and must be that very directory.) */
        if ((target = open_target(op->path, RF_KIND_DIR, false)) < 0)
            return target;
        if (op->root_fd >= 0 && !same_inode(target, op->root_fd)) {
            close(target);
            return -ESTALE; /* swapped after the check */
        }
        saved[*n_saved] = sys_open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
        close(target);
        if (saved[*n_saved] < 0)
            return -errno;
        (*n_saved)++;
        return 0;
    case RF_MOP_TMPFS_TMP:
        return mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0 ? -errno : 0;
    case RF_MOP_TMPFS_SHM:
        return mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777") < 0 ? -errno : 0;
    case RF_MOP_RESTORE_ROOT:
        if (*n_restored >= *n_saved)
            return -EINVAL;
        if ((rc = make_dirs(op->path)) < 0)
            return rc;
        if ((target = open_target(op->path, RF_KIND_DIR, false)) < 0)
            return target;
        rc = attach(saved[*n_restored], target);
        close(target);
        close(saved[*n_restored]);
        saved[(*n_restored)++] = -1;
        return rc;
    case RF_MOP_READ_ONLY_ALL:
        return sys_mount_setattr(AT_FDCWD, op->path, AT_RECURSIVE, MOUNT_ATTR_RDONLY) < 0 ? -errno : 0;
    case RF_MOP_BIND_SELF:
    case RF_MOP_WRITABLE:
        target = open_target(op->path, op->expect, op->parent_symlinks_ok);
        if (target == -ENOENT && op->parent_symlinks_ok)
            return 0; /* a system place (/tmp, /dev/shm) this machine does not have */
        if (target < 0)
            return target;
        if (op->root_fd >= 0 && !same_inode(target, op->root_fd)) {
            close(target);
            return -ESTALE; /* another directory swapped in after the check */
        }
        rc = op->kind == RF_MOP_BIND_SELF ? bind_self(target) : make_writable(target);
        close(target);
        return rc;
    case RF_MOP_BIND_RO:
    case RF_MOP_PLACEHOLDER:
    case RF_MOP_EMPTY_DIR:
    case RF_MOP_NULL_FILE:
        if ((target = open_target(op->path, op->expect, op->parent_symlinks_ok)) < 0)
            return target;
        if (op->kind == RF_MOP_BIND_RO)
            rc = bind_read_only(target);
        else if (op->kind == RF_MOP_PLACEHOLDER)
            rc = bind_read_only(target); /* the empty directory itself: half the cost of a tmpfs */
        else if (op->kind == RF_MOP_EMPTY_DIR)
            rc = empty_tmpfs(target, "0000");
        else
            rc = null_file(target);
        close(target);
        return rc;
    }
    return -EINVAL;
}

int rf_mount_apply(const rf_mount_plan *plan, size_t *failed) {
    int saved[RF_MOUNT_MAX_SAVED];
    size_t n_saved = 0, n_restored = 0;
    for (size_t i = 0; i < plan->n_ops; i++) {
        int rc = apply_op(&plan->ops[i], saved, &n_saved, &n_restored);
        if (rc < 0) {
            *failed = i;
            return rc;
        }
    }
    return 0;
}
