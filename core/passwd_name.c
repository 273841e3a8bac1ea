/*
 * passwd_name.c — a uid's user name read straight from /etc/passwd.
 *
 * getpwuid_r goes through NSS: it parses /etc/nsswitch.conf and runs the
 * module machinery before reading the same file, which makes about 150 KiB
 * of libc resident in every `ringfence run` (the audit log names the user in
 * each record).  The file is read here first; NSS remains the answer for any
 * uid the file does not settle (directory users, compat entries).
 *
 * Cleanup idiom: a single `out:` label.
 */
#include "core/passwd_name.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bigger than any passwd file worth reading directly: NSS gets the rest. */
#define PASSWD_MAX (16u << 20)

/* The whole file, NUL-terminated, in *buf (malloc'd); its length, or -errno. */
static ssize_t read_whole(const char *path, char **buf) {
    *buf = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t rc;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        rc = -errno;
        goto out;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > (off_t)PASSWD_MAX) {
        rc = -EFBIG;
        goto out;
    }
    size_t cap = (size_t)st.st_size + 1, used = 0;
    *buf = malloc(cap);
    if (!*buf) {
        rc = -ENOMEM;
        goto out;
    }
    /* The file may change size under us: read what fits, no more. */
    while (used < cap - 1) {
        ssize_t n = read(fd, *buf + used, cap - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = -errno;
            goto out;
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    (*buf)[used] = '\0';
    rc = (ssize_t)used;
out:
    if (rc < 0) {
        free(*buf);
        *buf = NULL;
    }
    close(fd);
    return rc;
}

/* Field 3 of the line (the uid) equals `uid`, written in decimal without sign or padding. */
static bool uid_field_is(const char *field, size_t len, unsigned uid) {
    if (len == 0 || len > 10 || (len > 1 && field[0] == '0'))
        return false;
    unsigned long long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (field[i] < '0' || field[i] > '9')
            return false;
        v = v * 10 + (unsigned)(field[i] - '0');
    }
    return v == uid;
}

/* 1 and the name when the line `name:password:uid:...` is uid's; 0 otherwise. */
static int match_line(const char *line, size_t len, unsigned uid, char *out, size_t out_len) {
    const char *c1 = memchr(line, ':', len);
    if (!c1)
        return 0;
    const char *c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line));
    if (!c2)
        return 0;
    const char *end = line + len;
    const char *c3 = memchr(c2 + 1, ':', (size_t)(end - (c2 + 1)));
    if (!c3 || !uid_field_is(c2 + 1, (size_t)(c3 - (c2 + 1)), uid))
        return 0;
    size_t name_len = (size_t)(c1 - line);
    if (name_len == 0 || name_len >= out_len)
        return 0;
    memcpy(out, line, name_len);
    out[name_len] = '\0';
    return 1;
}

int rf_passwd_file_name(const char *path, unsigned uid, char *out, size_t len) {
    char *buf;
    ssize_t size = read_whole(path, &buf);
    if (size < 0)
        return (int)size;
    int found = 0;
    for (const char *line = buf; *line && !found;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        /* NIS compat entries (`+name`, `-name`, `+`) change what later lines
         * mean in ways only NSS's compat module knows: leave the answer to it. */
        if (n > 0 && (line[0] == '+' || line[0] == '-')) {
            found = 0;
            break;
        }
        found = match_line(line, n, uid, out, len);
        line += n + (nl ? 1 : 0);
    }
    free(buf);
    return found;
}
