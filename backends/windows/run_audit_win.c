/*
 * run_audit_win.c — the audit records of one `ringfence run` on Windows:
 * run.start before the command starts (with the backend's guarantee table,
 * its declared gaps and the policy's SHA-256), run.end after its job is
 * closed, policy.error when the policy is refused.  The records and the file
 * are core's (core/audit_record.c, core/audit_win.c), so the Linux and
 * Windows logs have one format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/run_win.h"
#include "core/audit.h"
#include "core/error.h"

static double now_ms(void) {
    LARGE_INTEGER t, f;
    QueryPerformanceCounter(&t);
    QueryPerformanceFrequency(&f);
    return (double)t.QuadPart * 1e3 / (double)f.QuadPart;
}

static void make_run_id(char out[33]) {
    uint8_t raw[16];
    if (rf_win_random(NULL, raw, sizeof raw, NULL) < 0) {
        /* Only a correlation id, not a secret: fall back to time and pid. */
        unsigned long long t = GetTickCount64();
        DWORD pid = GetCurrentProcessId();
        memcpy(raw, &t, sizeof t);
        memcpy(raw + 8, &pid, sizeof pid);
        memset(raw + 12, 0, 4);
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
}

int rf_win_audit_open(rf_win_run_audit *a, const rf_policy *policy, rf_error *err) {
    memset(a, 0, sizeof *a);
    a->policy = policy;
    make_run_id(a->run_id);
    char *json = rf_policy_to_json(policy, false);
    if (!json)
        return rf_fail(err, RF_EINTERNAL, "serializing the policy for its digest: out of memory");
    int rc = rf_sha256_hex(json, strlen(json), a->policy_sha256, err);
    free(json);
    if (rc < 0)
        return rc;
    if ((rc = rf_audit_default_path(&a->path, err)) < 0)
        return rc;
    /* A log inside a writable root could be rewritten by the command it records. */
    return rf_audit_check_location(a->path, policy, err);
}

int rf_win_audit_start(rf_win_run_audit *a, const rf_backend_status *st, char *const *argv,
                       rf_error *err) {
    wchar_t wcwd[MAX_PATH * 4];
    DWORD n = GetCurrentDirectoryW(sizeof wcwd / sizeof wcwd[0], wcwd);
    char *cwd = NULL;
    if (n > 0 && n < sizeof wcwd / sizeof wcwd[0])
        rf_win_narrow(wcwd, &cwd, NULL);
    rf_audit_start start = {
        .run_id = a->run_id,
        .backend = st->name,
        .argv = argv,
        .cwd = cwd ? cwd : "?",
        .policy_sha256 = a->policy_sha256,
        .guarantees = st,
    };
    int rc = rf_audit_run_start(a->path, &start, err);
    free(cwd);
    a->started = rc == 0;
    a->started_ms = now_ms();
    return rc;
}

int rf_win_audit_end(rf_win_run_audit *a, int exit_code, long long status, bool timed_out,
                     rf_error *err) {
    if (!a->started)
        return 0; /* run.start was never written */
    double duration = now_ms() - a->started_ms;
    /* Checked again now that the command's job is closed: nothing sandboxed
     * is left to re-point a junction on the way between the two checks. */
    int rc = rf_audit_check_location(a->path, a->policy, err);
    if (rc < 0)
        return rc;
    rf_audit_end end = {
        .run_id = a->run_id,
        .exit_code = exit_code,
        /* An NTSTATUS exit code (a crash: 0xC0000005) does not fit in the
         * record's int; `exit` carries it as ringfence's exit code. */
        .status = status >= 0 && status <= 0x7FFFFFFF ? (int)status : -1,
        .signal = 0,
        .duration_ms = duration,
        .timed_out = timed_out,
    };
    return rf_audit_run_end(a->path, &end, err);
}

void rf_win_audit_free(rf_win_run_audit *a) {
    free(a->path);
    a->path = NULL;
}

void rf_win_audit_policy_error(const rf_error *policy_err, const char *policy_file) {
    char *log = NULL;
    rf_error ignored = {0};
    /* Best effort: a broken policy must still leave a trace. */
    if (rf_audit_default_path(&log, &ignored) == 0)
        rf_audit_policy_error(log, policy_err, policy_file, &ignored);
    free(log);
}
