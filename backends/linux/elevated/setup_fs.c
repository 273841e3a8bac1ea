/* setup_fs.c — folders, trees and atomic file writes for ringfence-setup. */
#include "backends/linux/elevated/setup_fs.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

#define MAX_FILE_BYTES (64u << 20)

/* A folder root writes below must be root's and writable by no one else
 * (sticky folders such as /tmp aside: others cannot rename root's entries
 * there); a link on the way must be root's too.  Else whoever can write
 * there could swap the setuid runner, the unit or the program the unit runs
 * as root at boot for their own (folder or symlink swap). */
static int check_trusted_folder(const char *path, rf_error *err) {
    struct stat st;
    if (lstat(path, &st) < 0)
        return rf_fail_errno(err, errno, "checking folder %s", path);
    if (S_ISLNK(st.st_mode) && st.st_uid != 0)
        return rf_fail(err, -EPERM, "using folder %s: it is a symbolic link owned by uid %u, "
                       "not root; ringfence-setup writes root-only files below it", path,
                       (unsigned)st.st_uid);
    if (stat(path, &st) < 0)
        return rf_fail_errno(err, errno, "checking folder %s", path);
    if (!S_ISDIR(st.st_mode))
        return rf_fail(err, -ENOTDIR, "creating folder %s: a file of that name exists", path);
    bool others_write = (st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX);
    if (st.st_uid != 0 || others_write)
        return rf_fail(err, -EPERM, "using folder %s: owned by uid %u with mode %04o; "
                       "ringfence-setup writes root-only files below it, so it must be root's "
                       "and writable by no one else (fix: chown root %s; chmod go-w %s)",
                       path, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), path, path);
    return 0;
}

int rf_setup_mkdirs(const char *path, mode_t mode, rf_error *err) {
    char buf[PATH_MAX];
    if (path[0] != '/' || (size_t)snprintf(buf, sizeof buf, "%s", path) >= sizeof buf)
        return rf_fail(err, -EINVAL, "creating folder %s: not an absolute path of sane length",
                       path);
    int rc = check_trusted_folder("/", err);
    for (char *p = buf + 1; rc == 0; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(buf, mode) < 0 && errno != EEXIST)
            return rf_fail_errno(err, errno, "creating folder %s", buf);
        /* Checked before anything is created inside it. */
        rc = check_trusted_folder(buf, err);
        if (saved == '\0')
            break;
        *p = saved;
    }
    return rc;
}

int rf_setup_remove_file(const char *path, rf_error *err) {
    char tmp[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s" RF_SETUP_TMP_SUFFIX, path) >= sizeof tmp)
        return rf_fail(err, -ENAMETOOLONG, "path %s is too long", path);
    if (unlink(tmp) < 0 && errno != ENOENT)
        return rf_fail_errno(err, errno, "removing %s", tmp);
    if (unlink(path) < 0 && errno != ENOENT)
        return rf_fail_errno(err, errno, "removing %s", path);
    return 0;
}

int rf_setup_rmdir_if_empty(const char *path, rf_error *err) {
    if (rmdir(path) == 0 || errno == ENOENT || errno == ENOTEMPTY || errno == EEXIST)
        return 0;
    return rf_fail_errno(err, errno, "removing folder %s", path);
}

/* Removes the contents of the open folder `dirfd`, then closes it.  Entries
 * are reached with *at() calls relative to their folder and never through a
 * symbolic link: a sandbox user who plants a link in its home cannot make
 * root delete files elsewhere (symlink attack). */
static int empty_folder(int dirfd, dev_t dev, const char *path, int depth, rf_error *err) {
    DIR *dir = fdopendir(dirfd);
    if (!dir) {
        int e = errno;
        close(dirfd);
        return rf_fail_errno(err, e, "listing %s", path);
    }
    int rc = 0;
    struct dirent *ent;
    while (rc == 0 && (errno = 0, ent = readdir(dir)) != NULL) {
        const char *name = ent->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            rc = rf_fail_errno(err, errno, "checking %s/%s", path, name);
            break;
        }
        if (S_ISDIR(st.st_mode)) {
            char sub_path[PATH_MAX];
            if (snprintf(sub_path, sizeof sub_path, "%s/%s", path, name) >= (int)sizeof sub_path ||
                st.st_dev != dev || depth > 256) {
                rc = rf_fail(err, -EXDEV, "removing %s/%s: another file system, too deep or a "
                             "path too long; remove it by hand", path, name);
                break;
            }
            int sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0) {
                rc = rf_fail_errno(err, errno, "opening %s", sub_path);
                break;
            }
            rc = empty_folder(sub, dev, sub_path, depth + 1, err);
            if (rc == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) < 0)
                rc = rf_fail_errno(err, errno, "removing folder %s/%s", path, name);
        } else if (unlinkat(dirfd, name, 0) < 0) {
            rc = rf_fail_errno(err, errno, "removing %s/%s", path, name);
        }
    }
    if (rc == 0 && errno != 0)
        rc = rf_fail_errno(err, errno, "listing %s", path);
    closedir(dir);
    return rc;
}

int rf_setup_remove_tree(const char *path, rf_error *err) {
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : rf_fail_errno(err, errno, "checking %s", path);
    if (!S_ISDIR(st.st_mode))
        return unlink(path) < 0 ? rf_fail_errno(err, errno, "removing %s", path) : 0;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return rf_fail_errno(err, errno, "opening %s", path);
    int rc = empty_folder(fd, st.st_dev, path, 0, err);
    if (rc == 0 && rmdir(path) < 0)
        rc = rf_fail_errno(err, errno, "removing folder %s", path);
    return rc;
}

int rf_setup_read_file(const char *path, char **data, size_t *len, rf_error *err) {
    struct stat st;
    return rf_setup_read_file_stat(path, data, len, &st, err);
}

int rf_setup_read_file_stat(const char *path, char **data, size_t *len, struct stat *out_st,
                            rf_error *err) {
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return rf_fail_errno(err, errno, "opening %s", path);
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) < 0)
        rc = rf_fail_errno(err, errno, "checking %s", path);
    else if (!S_ISREG(st.st_mode) || (unsigned long long)st.st_size > MAX_FILE_BYTES)
        rc = rf_fail(err, -EINVAL, "reading %s: not a regular file of at most 64 MiB", path);
    char *buf = rc == 0 ? malloc((size_t)st.st_size + 1) : NULL;
    if (rc == 0 && !buf)
        rc = rf_fail_errno(err, ENOMEM, "reading %s", path);
    size_t got = 0;
    while (rc == 0 && got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = rf_fail_errno(err, errno, "reading %s", path);
        else if (n == 0)
            break; /* shrank while read: the digest covers what was read */
        else
            got += (size_t)n;
    }
    close(fd);
    if (rc < 0) {
        free(buf);
        return rc;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    *out_st = st;
    return 0;
}

static int write_all(int fd, const char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

int rf_setup_write_file(const char *path, const char *data, size_t len, gid_t gid, mode_t mode,
                        rf_error *err) {
    char tmp[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s" RF_SETUP_TMP_SUFFIX, path) >= sizeof tmp)
        return rf_fail(err, -ENAMETOOLONG, "path %s is too long", path);
    if (unlink(tmp) < 0 && errno != ENOENT) /* left by a setup killed mid-write */
        return rf_fail_errno(err, errno, "removing the stale %s", tmp);
    /* Created 0600 and only then given its owner and mode: the file is never
     * setuid while its contents are incomplete or owned by the wrong group. */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return rf_fail_errno(err, errno, "creating %s", tmp);
    int rc = write_all(fd, data, len);
    if (rc < 0)
        rc = rf_fail_errno(err, -rc, "writing %s", tmp);
    /* fchown before fchmod: changing the owner clears the setuid bit. */
    if (rc == 0 && fchown(fd, 0, gid) < 0)
        rc = rf_fail_errno(err, errno, "setting owner root:%u on %s", (unsigned)gid, tmp);
    if (rc == 0 && fchmod(fd, mode) < 0)
        rc = rf_fail_errno(err, errno, "setting mode %04o on %s", (unsigned)mode, tmp);
    if (rc == 0 && fsync(fd) < 0)
        rc = rf_fail_errno(err, errno, "flushing %s", tmp);
    if (close(fd) < 0 && rc == 0)
        rc = rf_fail_errno(err, errno, "closing %s", tmp);
    if (rc == 0 && rename(tmp, path) < 0)
        rc = rf_fail_errno(err, errno, "renaming %s to %s", tmp, path);
    if (rc < 0)
        unlink(tmp);
    return rc;
}
