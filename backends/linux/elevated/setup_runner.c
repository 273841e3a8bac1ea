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

int rf_setup_install_program(const char *source, const char *dest, gid_t gid, mode_t mode,
                             char digest[65], rf_error *err) {
    char *data;
    size_t len;
    int rc = rf_setup_read_file(source, &data, &len, err);
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
