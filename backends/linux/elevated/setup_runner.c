/* setup_runner.c — installing programs root-owned with a recorded SHA-256. */
#include "backends/linux/elevated/setup_runner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backends/linux/elevated/setup_fs.h"
#include "core/audit.h"
#include "core/error.h"

int rf_setup_file_sha256(const char *path, char out[65], rf_error *err) {
    char *data;
    size_t len;
    int rc = rf_setup_read_file(path, &data, &len, err);
    if (rc == 0)
        rc = rf_sha256_hex(data, len, out, err);
    free(data);
    return rc;
}

/* The bytes root installs setuid must be chosen by someone already trusted
 * with root: the file must be root's, or belong to whoever owns the running
 * ringfence-setup (a build tree's owner already controls the code root runs
 * here, so trusting their runner adds nothing), and be writable by no one
 * else.  Stops another user who can write beside the runner (a shared
 * ../lib/ringfence, a group-writable build tree) from picking the file that
 * becomes setuid root. */
static int check_setuid_source(const char *source, const struct stat *st, rf_error *err) {
    struct stat self;
    if (stat("/proc/self/exe", &self) < 0)
        return rf_fail_errno(err, errno, "checking the owner of /proc/self/exe");
    if ((st->st_uid != 0 && st->st_uid != self.st_uid) || (st->st_mode & (S_IWGRP | S_IWOTH)))
        return rf_fail(err, -EPERM, "refusing to install %s setuid root: it is owned by uid %u "
                       "with mode %04o; it must be root's (or the owner of this ringfence-setup, "
                       "uid %u) and writable by no one else", source, (unsigned)st->st_uid,
                       (unsigned)(st->st_mode & 07777), (unsigned)self.st_uid);
    return 0;
}

int rf_setup_install_program(const char *source, const char *dest, gid_t gid, mode_t mode,
                             char digest[65], rf_error *err) {
    char *data;
    size_t len;
    struct stat st;
    int rc = rf_setup_read_file_stat(source, &data, &len, &st, err);
    if (rc == 0 && (mode & S_ISUID))
        rc = check_setuid_source(source, &st, err);
    if (rc == 0)
        rc = rf_sha256_hex(data, len, digest, err);
    /* The digest is of the bytes written, not of the source read again later:
     * a source replaced meanwhile cannot slip in under a recorded digest. */
    if (rc == 0)
        rc = rf_setup_write_file(dest, data, len, gid, mode, err);
    free(data);
    return rc;
}

int rf_setup_program_problem(const char *path, gid_t gid, mode_t mode, const char *want_sha256,
                             char *why, size_t why_len) {
    why[0] = '\0';
    struct stat st;
    if (lstat(path, &st) < 0)
        return -ENOENT;
    char digest[65];
    rf_error err = {0};
    if (!S_ISREG(st.st_mode))
        snprintf(why, why_len, "%s is not a regular file", path);
    else if (st.st_uid != 0 || st.st_gid != gid || (st.st_mode & 07777) != mode)
        snprintf(why, why_len, "%s is %u:%u mode %04o, not root:%u mode %04o", path,
                 (unsigned)st.st_uid, (unsigned)st.st_gid, (unsigned)(st.st_mode & 07777),
                 (unsigned)gid, (unsigned)mode);
    else if (rf_setup_file_sha256(path, digest, &err) < 0)
        snprintf(why, why_len, "%s", err.message);
    else if (strcmp(digest, want_sha256) != 0)
        snprintf(why, why_len, "%s has SHA-256 %.12s..., recorded %.12s...", path, digest,
                 want_sha256[0] ? want_sha256 : "(none)");
    return 0;
}
