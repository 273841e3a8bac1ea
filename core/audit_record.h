/*
 * audit_record.h — the audit log's records as text, with no I/O: one JSON
 * object per line, the same fields and format on Linux (audit.c) and Windows
 * (audit_win.c), so one reader handles both logs.
 *
 * Every record starts with
 *   {"event": ..., "time": "YYYY-MM-DDTHH:MM:SS.mmmZ", "user": ..., "uid": ..., "pid": ...}
 * then, on Windows only, "sid" (the user's SID; "uid" is null there).  See
 * audit.h for the members of each event.  Strings that are not valid UTF-8
 * are cleaned (bad bytes become U+FFFD), so every line parses.
 */
#ifndef RF_AUDIT_RECORD_H
#define RF_AUDIT_RECORD_H

#include "core/audit.h"

/* Who wrote the record, and when: filled by the platform's audit file. */
typedef struct rf_audit_who {
    const char *time; /* ISO 8601 UTC stamp (core/utc_stamp.h's format) */
    const char *user; /* account name, NULL: null */
    long long uid;    /* < 0: null (Windows has no uid) */
    const char *sid;  /* the user's SID on Windows; NULL: no "sid" member */
    long long pid;
} rf_audit_who;

/* Each returns the record as one malloc'd line ending in "\n", ready for a
 * single write; NULL when out of memory. */
char *rf_audit_record_run_start(const rf_audit_who *who, const rf_audit_start *rec);
char *rf_audit_record_run_end(const rf_audit_who *who, const rf_audit_end *rec);
char *rf_audit_record_policy_error(const rf_audit_who *who, const rf_error *policy_err,
                                   const char *policy_file);

#endif
