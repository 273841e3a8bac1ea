/*
 * runner_request.h — what the CLI asks ringfence-runner to do, and how the
 * runner answers: the one privilege boundary of the elevated backend.
 *
 * Transport (runner_protocol.c):
 *   fd 3  the request: a 4-byte length (host order) and that many bytes of
 *         JSON, at most RF_RUNNER_REQUEST_MAX; then the control channel,
 *         open for the whole run: one byte per event, RF_RUNNER_CONTROL_KILL
 *         ends the run, SIGINT/SIGTERM/SIGHUP/SIGQUIT are forwarded to the
 *         command, EOF (the CLI is gone) ends the run.  The runner is root in
 *         every uid once it starts the run: the caller cannot signal it.
 *   fd 4  the runner's reports, fixed-size records (rf_runner_report, below
 *         PIPE_BUF so each write is atomic): STARTED once the command was
 *         exec'd, or EXEC_FAILED / SETUP_FAILED; ENDED with the command's wait
 *         status when the run is over.
 *   fd 0-2 the command's stdio.
 *
 * The request (format 1); every key is required, no other key is accepted:
 *   {"format": 1,
 *    "parent_pid": 1234,                 the CLI: the runner checks it is still its parent
 *    "argv": ["make", "-j4"],            1..4096 strings, argv[0] non-empty
 *    "env": ["PATH=/usr/bin", ...],      0..4096 "NAME=VALUE" strings, NAME non-empty
 *    "cwd": "/abs/dir",
 *    "network": false,                   true: the online sandbox user
 *    "tmp_private": true,                a private /tmp in the run's mount namespace
 *    "tty": false,                       fd 0 is the terminal to hand to the command
 *    "workspace": "/abs/dir",
 *    "writable_roots": ["/abs", ...],    0..64 more writable directories
 *    "protected": [".git", ...],         0..64 names relative to every writable root
 *    "deny_read": ["/abs", ...]}         0..256 paths hidden from the command
 * Paths are absolute and normalized (no "//", ".", "..", trailing "/"),
 * shorter than 4096 bytes; no string may contain NUL (raw or \u0000).
 */
#ifndef RF_ELEVATED_RUNNER_REQUEST_H
#define RF_ELEVATED_RUNNER_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ringfence.h"

#define RF_RUNNER_FORMAT 1
#define RF_RUNNER_REQUEST_FD 3
#define RF_RUNNER_REPORT_FD 4
#define RF_RUNNER_CONTROL_KILL 0
#define RF_RUNNER_REQUEST_MAX (256 * 1024)

#define RF_RUNNER_MAX_ARGV 4096
#define RF_RUNNER_MAX_ENV 4096
#define RF_RUNNER_MAX_ROOTS 64
#define RF_RUNNER_MAX_PROTECTED 64
#define RF_RUNNER_MAX_DENY 256
#define RF_RUNNER_MAX_PATH 4095

typedef struct rf_runner_request {
    int parent_pid;
    char **argv; /* NULL-terminated */
    size_t argc;
    char **env; /* NULL-terminated */
    size_t n_env;
    char *cwd;
    bool network;
    bool tmp_private;
    bool tty;
    char *workspace;
    char **writable_roots; /* without the workspace */
    size_t n_writable_roots;
    char **protected_names;
    size_t n_protected;
    char **deny_read;
    size_t n_deny_read;
} rf_runner_request;

/* Parses and validates `len` bytes of JSON.  On failure returns -EINVAL with
 * a message that starts with the field at fault (e.g. "request field
 * \"cwd\": ...") and leaves *out empty. */
int rf_runner_request_parse(const char *buf, size_t len, rf_runner_request *out, rf_error *err);

/* The request as JSON (malloc'd, NUL-terminated); validates it first, so the
 * CLI never sends what the runner would refuse.  *len excludes the NUL. */
int rf_runner_request_encode(const rf_runner_request *req, char **out, size_t *len, rf_error *err);

void rf_runner_request_free(rf_runner_request *req);

/* Absolute, normalized, NUL-free, shorter than RF_RUNNER_MAX_PATH + 1. */
bool rf_runner_path_ok(const char *path);

/* ---- framing -------------------------------------------------------------- */

/* Writes the 4-byte length and the bytes.  Returns 0 or -errno (-EPIPE when
 * the reader is gone; the caller makes sure SIGPIPE does not kill it). */
int rf_runner_frame_write(int fd, const char *buf, size_t len);

/* Reads one frame of at most `max` bytes into a malloc'd, NUL-terminated
 * buffer.  -EMSGSIZE when the announced length is larger, -EPROTO when the
 * stream ends early. */
int rf_runner_frame_read(int fd, size_t max, char **out, size_t *len);

/* ---- reports -------------------------------------------------------------- */

typedef enum rf_runner_report_kind {
    RF_RUNNER_STARTED = 1,      /* the command was exec'd */
    RF_RUNNER_EXEC_FAILED = 2,  /* value: the errno execve failed with */
    RF_RUNNER_SETUP_FAILED = 3, /* value: errno; message: what failed */
    RF_RUNNER_ENDED = 4,        /* value: the command's wait status */
} rf_runner_report_kind;

typedef struct rf_runner_report {
    int32_t kind;
    int32_t value;
    char message[504];
} rf_runner_report;

/* One whole record (atomic on a pipe).  0 or -errno. */
int rf_runner_report_write(int fd, const rf_runner_report *rep);
/* 1 when a record was read, 0 on EOF, -errno (-EPROTO: a partial record). */
int rf_runner_report_read(int fd, rf_runner_report *rep);

#endif
