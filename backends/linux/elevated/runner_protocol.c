/* runner_protocol.c — the request frame (fd 3) and the report records (fd 4) between CLI and runner. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/linux/elevated/runner_request.h"

static int write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads exactly len bytes; returns the count read before EOF (< len) or -errno. */
static ssize_t read_full(int fd, void *buf, size_t len) {
    char *p = buf;
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, p + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

int rf_runner_frame_write(int fd, const char *buf, size_t len) {
    if (len > UINT32_MAX)
        return -EMSGSIZE;
    uint32_t n = (uint32_t)len;
    int rc = write_all(fd, &n, sizeof n);
    return rc < 0 ? rc : write_all(fd, buf, len);
}

int rf_runner_frame_read(int fd, size_t max, char **out, size_t *len) {
    *out = NULL;
    uint32_t n;
    ssize_t got = read_full(fd, &n, sizeof n);
    if (got < 0)
        return (int)got;
    if (got != (ssize_t)sizeof n)
        return -EPROTO;
    /* The length is the caller's claim: bound it before allocating (memory exhaustion). */
    if (n > max)
        return -EMSGSIZE;
    char *buf = malloc((size_t)n + 1);
    if (!buf)
        return -ENOMEM;
    got = read_full(fd, buf, n);
    if (got < 0 || (size_t)got != n) {
        free(buf);
        return got < 0 ? (int)got : -EPROTO;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int rf_runner_report_write(int fd, const rf_runner_report *rep) {
    return write_all(fd, rep, sizeof *rep);
}

int rf_runner_report_read(int fd, rf_runner_report *rep) {
    memset(rep, 0, sizeof *rep);
    ssize_t got = read_full(fd, rep, sizeof *rep);
    if (got < 0)
        return (int)got;
    if (got == 0)
        return 0;
    if (got != (ssize_t)sizeof *rep)
        return -EPROTO;
    rep->message[sizeof rep->message - 1] = '\0';
    return 1;
}
