/*
 * audit.h — the audit log: JSON lines in $XDG_STATE_HOME/ringfence/audit.jsonl
 * (default ~/.local/state/ringfence/audit.jsonl), file mode 0600, folder 0700.
 *
 * Every record is written with one write(2) on an O_APPEND descriptor, so
 * concurrent runs never interleave within a line.
 *
 * On Windows the same functions (core/audit_win.c) use
 * %LOCALAPPDATA%\ringfence\audit.jsonl, one WriteFile per record on a
 * FILE_APPEND_DATA handle, and rf_sha256_hex uses BCryptHash.  The records
 * themselves are built by core/audit_record.c on both platforms.
 */
#ifndef RF_AUDIT_H
#define RF_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/policy.h"
#include "core/ringfence.h"

/* The default log path for this user (malloc'd). */
int rf_audit_default_path(char **out, rf_error *err);

/* Refuses a log location inside any writable root of the policy: a sandboxed
 * command could otherwise rewrite the record of what it did. */
int rf_audit_check_location(const char *path, const rf_policy *policy, rf_error *err);

typedef struct rf_audit_start {
    const char *run_id;         /* random hex id shared by start and end */
    const char *backend;
    char *const *argv;
    const char *cwd;
    const char *policy_sha256;  /* hex digest of the policy's canonical JSON */
    const rf_backend_status *guarantees;
} rf_audit_start;

typedef struct rf_audit_end {
    const char *run_id;
    int exit_code;   /* ringfence's exit code */
    int status;      /* the command's exit status, or -1 */
    int signal;      /* 0 when none */
    double duration_ms;
    bool timed_out;
} rf_audit_end;

/* Each writes one line: {"event": "run.start" | "run.end" | "policy.error", "time": ..., "user": ..., "uid": ..., ...}.
 * Parent folders are created 0700 when missing. */
int rf_audit_run_start(const char *path, const rf_audit_start *rec, rf_error *err);
int rf_audit_run_end(const char *path, const rf_audit_end *rec, rf_error *err);
int rf_audit_policy_error(const char *path, const rf_error *policy_err, const char *policy_file,
                          rf_error *err);

/* Hex SHA-256 of a string (65 bytes incl. NUL into out). */
int rf_sha256_hex(const char *data, size_t len, char out[65], rf_error *err);

#endif
