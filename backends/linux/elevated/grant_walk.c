/* grant_walk.c — applying and undoing a grant plan on files (see grant_walk.h). */
#include "backends/linux/elevated/grant_walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/linux/elevated/acl_io.h"
#include "core/error.h"

#define MAX_DEPTH 256
#define PROGRESS_EVERY 1000

/* ---- one file ------------------------------------------------------------ */

static int grant_file(rf_grant_walk *w, const rf_acl_file *f, const struct stat *st,
                      rf_grant_kind kind, rf_error *err) {
    const char *path = f->what;
    unsigned uids[3];
    rf_acl access_before;
    int rc = rf_acl_read(f, false, &access_before, err);
    bool changed = false;
    for (int is_default = 0; rc == 0 && is_default <= 1; is_default++) {
        rf_acl_named named[3];
        size_t n = rf_grant_entries(w->plan, kind, st->st_mode, is_default, named);
        if (n == 0)
            continue;
        size_t n_uids = rf_grant_strip_uids(w->plan, is_default, uids);
        rf_acl before = access_before;
        if (is_default && (rc = rf_acl_read(f, true, &before, err)) < 0)
            break;
        if (w->resume) {
            /* Resuming an interrupted walk: our entries already there. */
            rf_acl stripped = before;
            rf_acl_strip(&stripped, uids, n_uids, is_default);
            rf_acl again = stripped;
            if (rf_acl_add_named(&again, &access_before, named, n) == 0 &&
                rf_acl_equal(&again, &before))
                continue;
        }
        rf_acl after = before;
        if ((rc = rf_acl_add_named(&after, &access_before, named, n)) < 0) {
            rc = rf_fail_errno(err, -rc, "adding ACL entries to %s", path);
            break;
        }
        rf_acl predicted = after;
        rf_acl_strip(&predicted, uids, n_uids, is_default);
        if (!rf_acl_equal(&predicted, &before)) {
            /* Entries of the user's own (or a mask wider than its entries):
             * removing ours by uid would not give this ACL back, so keep it. */
            char b[RF_ACL_TEXT_MAX], a[RF_ACL_TEXT_MAX];
            rf_acl_format(&before, b, sizeof b);
            rf_acl_format(&after, a, sizeof a);
            if ((rc = rf_grant_entry_save_acl(w->entry, path, (uint64_t)st->st_dev,
                                              (uint64_t)st->st_ino, is_default, b, a)) < 0) {
                rc = rf_fail_errno(err, -rc, "recording the ACL of %s", path);
                break;
            }
        }
        if (!rf_acl_equal(&after, &before)) {
            rc = rf_acl_write(f, is_default, &after, err);
            changed = true;
        }
    }
    if (rc == 0 && changed)
        w->changed++;
    return rc;
}

static int ungrant_file(rf_grant_walk *w, const rf_acl_file *f, const struct stat *st,
                        rf_grant_kind kind, rf_error *err) {
    const char *path = f->what;
    unsigned uids[3];
    bool changed = false;
    int rc = 0;
    for (int is_default = 0; rc == 0 && is_default <= 1; is_default++) {
        rf_acl_named named[3];
        if (rf_grant_entries(w->plan, kind, st->st_mode, is_default, named) == 0)
            continue;
        size_t n_uids = rf_grant_strip_uids(w->plan, is_default, uids);
        rf_acl current, target;
        if ((rc = rf_acl_read(f, is_default, &current, err)) < 0)
            break;
        target = current;
        const rf_grant_saved *saved = rf_grant_entry_find_saved(w->entry, (uint64_t)st->st_dev,
                                                                (uint64_t)st->st_ino, is_default);
        rf_acl after;
        if (saved && rf_acl_parse(saved->after, &after) == 0 && rf_acl_equal(&after, &current)) {
            if (rf_acl_parse(saved->before, &target) < 0)
                target = current;
        } else {
            if (saved) { /* someone changed it since: remove ours only */
                w->changed_since_grant++;
                fprintf(stderr,
                        "ringfence ungrant: the %s ACL of %s changed since the grant; "
                        "removing ringfence's entries only\n",
                        is_default ? "default" : "access", path);
            }
            rf_acl_strip(&target, uids, n_uids, is_default);
        }
        if (!rf_acl_equal(&target, &current)) {
            rc = rf_acl_write(f, is_default, &target, err);
            changed = true;
        }
    }
    if (rc == 0 && changed)
        w->changed++;
    return rc;
}

static int apply_file(rf_grant_walk *w, const rf_acl_file *f, const struct stat *st,
                      rf_grant_kind kind, rf_error *err) {
    if (st->st_uid != w->owner) {
        w->skipped_not_owned++;
        return 0;
    }
    if (w->ungrant)
        return ungrant_file(w, f, st, kind, err);
    /* Already reachable as `other`: no entry needed to cross the folder. */
    if (kind == RF_GRANT_TRAVERSE && (st->st_mode & S_IXOTH))
        return 0;
    return grant_file(w, f, st, kind, err);
}

/* ---- roots --------------------------------------------------------------- */

/* Opens an absolute path one component at a time, never following a
 * symlink: a symlink planted in the workspace (`.git -> ~/.ssh`) by a
 * sandboxed command must not turn a grant onto the file it points at. */
static int open_nofollow(const char *path, int *out) {
    int dirfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return -errno;
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    char *save = NULL;
    char *part = strtok_r(buf + 1, "/", &save);
    if (!part) {
        *out = dirfd;
        return 0;
    }
    while (part) {
        char *next = strtok_r(NULL, "/", &save);
        int flags = O_PATH | O_NOFOLLOW | O_CLOEXEC | (next ? O_DIRECTORY : 0);
        int fd = openat(dirfd, part, flags);
        int e = errno;
        close(dirfd);
        if (fd < 0)
            return -e;
        dirfd = fd;
        part = next;
    }
    *out = dirfd;
    return 0;
}

int rf_grant_walk_root(rf_grant_walk *w, const rf_grant_target *target, rf_error *err) {
    int fd = -1;
    int rc = open_nofollow(target->path, &fd);
    if (rc == -ENOENT || rc == -ENOTDIR || rc == -ELOOP || rc == -EACCES) {
        w->skipped_other++; /* absent, behind a symlink, or unreachable: nothing to do */
        return 0;
    }
    if (rc < 0)
        return rf_fail_errno(err, -rc, "opening %s", target->path);
    struct stat st;
    if (fstat(fd, &st) < 0) {
        rc = rf_fail_errno(err, errno, "checking %s", target->path);
    } else if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
        w->skipped_other++; /* a symlink itself, a device, a FIFO: no ACL of ours */
    } else {
        w->visited++;
        rf_acl_file f = {fd, true, target->path};
        rc = apply_file(w, &f, &st, target->kind, err);
    }
    close(fd);
    return rc;
}

/* ---- walking ------------------------------------------------------------- */

bool rf_grant_walk_is_top(const rf_grant_plan *plan, const rf_grant_target *t) {
    if (!t->walk)
        return false;
    for (size_t i = 0; i < plan->n; i++) {
        const rf_grant_target *o = &plan->targets[i];
        if (o != t && o->walk && strcmp(o->path, t->path) != 0 && rf_path_within(t->path, o->path))
            return false;
    }
    return true;
}

static void report_progress(rf_grant_walk *w) {
    if (w->count_only || w->visited % PROGRESS_EVERY != 0)
        return;
    char line[64];
    int n = snprintf(line, sizeof line, "%" PRIu64 "/%" PRIu64 "\n", w->visited, w->total);
    if (w->progress_fd >= 0 && pwrite(w->progress_fd, line, (size_t)n, 0) == n)
        (void)!ftruncate(w->progress_fd, n);
    if (w->progress_stderr)
        fprintf(stderr, "\rringfence-grant: %" PRIu64 "/%" PRIu64 " files", w->visited, w->total);
}

static int walk_dir(rf_grant_walk *w, int fd, char *path, size_t len, int depth, rf_error *err);

/* One directory entry: open it without following, check, apply, descend. */
static int walk_entry(rf_grant_walk *w, int parent, const struct dirent *de, char *path, size_t len,
                      int depth, rf_error *err) {
    if (de->d_type != DT_DIR && de->d_type != DT_REG && de->d_type != DT_UNKNOWN)
        return 0; /* symlinks, devices, FIFOs, sockets: no ACL of ours */
    size_t name_len = strlen(de->d_name);
    if (len + 1 + name_len >= PATH_MAX) {
        w->skipped_other++;
        return 0;
    }
    path[len] = '/';
    memcpy(path + len + 1, de->d_name, name_len + 1);
    size_t sub_len = len + 1 + name_len;
    for (size_t i = 0; w->skip && i < w->skip->n; i++)
        if (w->skip->targets[i].kind == RF_GRANT_WRITABLE &&
            strcmp(w->skip->targets[i].path, path) == 0) {
            path[len] = '\0';
            return 0;
        }
    const rf_grant_target *t = rf_grant_plan_match(w->plan, path);
    bool descend = de->d_type != DT_REG && t && t->kind != RF_GRANT_DENY;
    if (w->count_only && de->d_type != DT_UNKNOWN) {
        w->visited++;
        if (!descend)
            return 0;
    }
    /* O_NOFOLLOW at every step: a directory swapped for a symlink between
     * readdir and open (a symlink race by a sandboxed command writing the
     * workspace) must not lead the walk, and the grant, out of the tree. */
    /* Regular files are opened for reading so their ACL goes through the fd
     * (O_NONBLOCK: a FIFO swapped in must not hang the walk); a file the
     * owner may not read falls back to O_PATH. */
    int flags = O_NOFOLLOW | O_CLOEXEC;
    flags |= de->d_type == DT_DIR   ? O_RDONLY | O_DIRECTORY
             : de->d_type == DT_REG ? O_RDONLY | O_NONBLOCK | O_NOCTTY
                                    : O_PATH;
    bool o_path = !(flags & (O_DIRECTORY | O_NONBLOCK));
    int fd = openat(parent, de->d_name, flags);
    if (fd < 0 && errno == EACCES && de->d_type == DT_REG) {
        fd = openat(parent, de->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        o_path = true;
    }
    if (fd < 0) {
        if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR || errno == EACCES) {
            w->skipped_other++;
            return 0;
        }
        return rf_fail_errno(err, errno, "opening %s", path);
    }
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) < 0) {
        rc = rf_fail_errno(err, errno, "checking %s", path);
    } else if (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)) {
        if (!w->count_only || de->d_type == DT_UNKNOWN)
            w->visited++;
        /* A target's own path was done in the roots phase. */
        rf_acl_file f = {fd, o_path, path};
        if (!w->count_only && t && strcmp(t->path, path) != 0)
            rc = apply_file(w, &f, &st, t->kind, err);
        if (rc < 0 && rc != -ENOMEM) {
            /* One file that refuses (immutable, a mount without ACL support
             * such as vfat): it keeps what it has, the rest is granted. */
            if (w->failed++ == 0 && err)
                snprintf(w->first_failure, sizeof w->first_failure, "%s", err->message);
            rf_error_clear(err);
            rc = 0;
        }
        if (!w->count_only)
            report_progress(w);
        if (rc == 0 && S_ISDIR(st.st_mode) && t && t->kind != RF_GRANT_DENY) {
            if (de->d_type != DT_DIR) {
                /* Opened O_PATH (d_type unknown): reopen it for reading, still
                 * without following. */
                int dfd =
                    openat(parent, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                close(fd);
                fd = dfd;
            }
            if (fd >= 0) {
                rc = walk_dir(w, fd, path, sub_len, depth + 1, err);
                fd = -1; /* walk_dir owns it */
            } else {
                w->skipped_other++;
            }
        }
    }
    if (fd >= 0)
        close(fd);
    path[len] = '\0';
    return rc;
}

static int walk_dir(rf_grant_walk *w, int fd, char *path, size_t len, int depth, rf_error *err) {
    if (depth > MAX_DEPTH) {
        close(fd);
        w->skipped_other++;
        return 0;
    }
    DIR *dir = fdopendir(fd);
    if (!dir) {
        int e = errno;
        close(fd);
        return rf_fail_errno(err, e, "listing %s", path);
    }
    int rc = 0;
    struct dirent *de;
    errno = 0;
    while (rc == 0 && (de = readdir(dir)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        rc = walk_entry(w, dirfd(dir), de, path, len, depth, err);
        errno = 0;
    }
    if (rc == 0 && errno != 0)
        rc = rf_fail_errno(err, errno, "listing %s", path);
    closedir(dir);
    return rc;
}

int rf_grant_walk_tree(rf_grant_walk *w, const rf_grant_target *target, rf_error *err) {
    int pfd = -1;
    int rc = open_nofollow(target->path, &pfd);
    if (rc < 0) {
        w->skipped_other++;
        return 0;
    }
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", pfd);
    /* Reopen for listing through the descriptor we checked, not the path. */
    int fd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    close(pfd);
    if (fd < 0) {
        w->skipped_other++; /* a file, or a folder we may not list */
        return 0;
    }
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", target->path);
    return walk_dir(w, fd, path, strlen(path), 0, err);
}
