/*
 * policy_file.c — POSIX: reading a policy file, the current directory, and
 * the small path facts policy_load.c needs (absolute, file-system root,
 * parent folder).  The Windows versions are in policy_file_win.c.
 *
 * Cleanup idiom: goto out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/path_resolve.h"
#include "core/policy_internal.h"

bool rf_path_is_absolute(const char *path) { return path[0] == '/'; }

bool rf_path_is_fs_root(const char *path) { return strcmp(path, "/") == 0; }

char *rf_path_dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

int rf_cwd_find(char **out, rf_error *err) {
    char *cwd = getcwd(NULL, 0);
    if (!cwd)
        return rf_fail_errno(err, errno, "load policy: getcwd");
    int rc = rf_path_resolve(cwd, "workspace", out, err);
    free(cwd);
    return rc;
}

int rf_policy_file_read(const char *path, const char *field, char **text, size_t *len,
                        bool *missing, rf_error *err) {
    rf_quoted q;
    *text = NULL;
    *len = 0;
    /* O_NONBLOCK: a FIFO planted as the policy must not hang the open. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (missing && errno == ENOENT) {
            *missing = true;
            return 0;
        }
        int e = errno;
        return rf_fail_policy(err, field, "cannot read %s: %s", rf_quote(&q, path), strerror(e));
    }
    int rc = 0;
    char *buf = NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        rc = rf_fail_policy(err, field, "cannot read %s: fstat: %s", rf_quote(&q, path),
                            strerror(e));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = rf_fail_policy(err, field, "cannot read %s: not a regular file", rf_quote(&q, path));
        goto out;
    }
    if (st.st_size > RF_POLICY_MAX_BYTES) {
        rc = rf_fail_policy(err, field, "cannot read %s: %lld bytes is larger than the limit (%d)",
                            rf_quote(&q, path), (long long)st.st_size, RF_POLICY_MAX_BYTES);
        goto out;
    }
    /* The file may grow between fstat and read; read at most one byte over. */
    size_t cap = (size_t)RF_POLICY_MAX_BYTES + 1;
    size_t want = (size_t)st.st_size + 1 < cap ? (size_t)st.st_size + 1 : cap;
    buf = malloc(want);
    if (!buf) {
        rc = -ENOMEM;
        goto out;
    }
    size_t got = 0;
    for (;;) {
        if (got == want) {
            if (want == cap)
                break;
            size_t next = want * 2 < cap ? want * 2 : cap;
            char *grown = realloc(buf, next);
            if (!grown) {
                rc = -ENOMEM;
                goto out;
            }
            buf = grown;
            want = next;
        }
        ssize_t n = read(fd, buf + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            rc = rf_fail_policy(err, field, "cannot read %s: %s", rf_quote(&q, path), strerror(e));
            goto out;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    if (got > RF_POLICY_MAX_BYTES) {
        rc = rf_fail_policy(err, field, "cannot read %s: larger than the limit (%d bytes)",
                            rf_quote(&q, path), RF_POLICY_MAX_BYTES);
        goto out;
    }
    *text = buf;
    *len = got;
    buf = NULL;
out:
    free(buf);
    close(fd);
    return rc;
}
