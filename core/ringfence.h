/*
 * ringfence.h — the public interface of the ringfence library.
 *
 * ringfence runs a command inside an operating-system boundary described by a
 * policy: broad reads, writes only in the workspace and named writable roots,
 * protected paths kept read-only, secrets unreadable, network off unless the
 * policy allows it.  The CLI (core/cli) is a thin layer over these calls.
 *
 * Conventions:
 *   - Every function that can fail returns 0 on success and a negative value on
 *     failure (a negative errno on Linux, RF_E* for ringfence's own errors) and
 *     fills the caller's rf_error with a message naming the operation, the path
 *     or field, and the system's reason.  Library code never exits.
 *   - Objects are opaque and freed with their own *_free / *_close function.
 */
#ifndef RINGFENCE_H
#define RINGFENCE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RINGFENCE_VERSION "0.1.0"

/* ---- errors ------------------------------------------------------------ */

/* ringfence's own error kinds (negative, beyond the errno range). */
enum {
    RF_EPOLICY = -1000,  /* the policy is invalid; `field` names the culprit */
    RF_EBACKEND = -1001, /* no backend is available or meets the requirements */
    RF_EINTERNAL = -1002,
};

typedef struct rf_error {
    int code;           /* negative errno or RF_E*; 0 when no error */
    char field[64];     /* the policy field at fault ("" when not a policy error) */
    char message[1024]; /* one line: what was done, to what, and why it failed */
} rf_error;

/* ---- guarantees ---------------------------------------------------------- */

typedef enum rf_guarantee {
    RF_G_WRITES = 0,    /* writes only inside writable roots */
    RF_G_PROTECTED,     /* protected paths inside writable roots stay read-only */
    RF_G_DENY_READ,     /* deny_read paths cannot be read or listed */
    RF_G_NETWORK,       /* with network off, no traffic leaves the sandbox */
    RF_G_PROCESS_TREE,  /* the whole process tree ends with the run */
    RF_G_COUNT
} rf_guarantee;

typedef enum rf_level {
    RF_ABSENT = 0,  /* nothing stops it */
    RF_ADVISORY,    /* conventions that well-behaved tools follow (env, PATH stubs) */
    RF_ENFORCED,    /* the operating system refuses it */
} rf_level;

const char *rf_guarantee_name(rf_guarantee g);          /* "writes", ... */
int rf_guarantee_from_name(const char *name);           /* -1 when unknown */
const char *rf_level_name(rf_level level);              /* "enforced", ... */

/* ---- policy -------------------------------------------------------------- */

typedef struct rf_policy rf_policy;

/* Command-line values that override the policy file. */
typedef struct rf_overrides {
    const char *workspace;             /* NULL: keep the file's or the cwd */
    const char *const *allow_write;    /* extra writable roots */
    size_t n_allow_write;
    const char *network;               /* "on", "off" or NULL */
    const char *backend;               /* a backend name, "auto" or NULL */
    const char *const *require;        /* extra required guarantees */
    size_t n_require;
} rf_overrides;

typedef struct rf_load_options {
    const char *policy_file;   /* the user's policy, or NULL for defaults only */
    const char *managed_file;  /* admin-managed policy; NULL or absent file: none */
    const char *cwd;           /* base for relative override paths; NULL: getcwd */
    const char *home;          /* for `~`; NULL: $HOME, else the passwd entry */
    rf_overrides overrides;
} rf_load_options;

/* Reads, validates and merges the policies into one normalized policy.
 * Nothing on the machine changes.  On a bad policy returns RF_EPOLICY with
 * err->field set. */
int rf_policy_load(const rf_load_options *opts, rf_policy **out, rf_error *err);
void rf_policy_free(rf_policy *policy);

/* The normalized policy as JSON (malloc'd; the caller frees).  With
 * `with_sources`, every value carries where it came from (default, policy
 * file, managed policy, command line). */
char *rf_policy_to_json(const rf_policy *policy, bool with_sources);

/* ---- backends ------------------------------------------------------------ */

typedef struct rf_backend_status {
    const char *name;
    const char *description;
    bool available;
    char reason[512];                     /* why (not) available */
    rf_level level[RF_G_COUNT];
    char why[RF_G_COUNT][256];            /* the mechanism, or what would restore it */
    char layers[1024];                    /* active layers, one per line */
    /* Facets of a guarantee reported enforced that this backend does not
     * cover, one per line as `guarantee.facet: reason and what would cover
     * it` (empty: none). */
    char gaps[512];
} rf_backend_status;

size_t rf_backend_count(void);
/* Probes backend i (cached after the first call in a process). */
int rf_backend_status_get(size_t i, rf_backend_status *out);

/* ---- running commands ---------------------------------------------------- */

typedef struct rf_sandbox rf_sandbox;

/* Selects the backend (the policy's, or `backend_name` when not NULL; "auto"
 * picks the strongest available one that enforces every required guarantee)
 * and prepares it once.  Returns RF_EBACKEND with a message naming the missing
 * guarantee and what would provide it when no backend fits. */
int rf_sandbox_open(const rf_policy *policy, const char *backend_name, rf_sandbox **out,
                    rf_error *err);
const char *rf_sandbox_backend_name(const rf_sandbox *sb);
void rf_sandbox_close(rf_sandbox *sb);

typedef struct rf_run_request {
    char *const *argv;        /* argv[0] is looked up on the sandbox's PATH */
    const char *cwd;          /* NULL: the current directory */
    double timeout_seconds;   /* <= 0: none */
    int stdin_fd, stdout_fd, stderr_fd; /* -1: inherit */
    bool no_audit;            /* skip the audit log (benchmarks of the bare path) */
    const char *audit_path;   /* NULL: $XDG_STATE_HOME/ringfence/audit.jsonl */
    /* Make the calling process the child subreaper and reap the command's
     * orphans, so grandchildren that escape the process group (setsid, double
     * fork) are still ended on timeout.  Only for programs that start no other
     * children of their own (the CLI): an embedder's own children would be
     * reaped too.  Without it, the timeout ends the command's process group
     * and the subtree it still has. */
    bool adopt_orphans;
} rf_run_request;

typedef struct rf_run_result {
    int exit_code;      /* the code `ringfence run` exits with (see DESIGN.md) */
    int status;         /* the command's exit status when it exited */
    int signal;         /* the signal that killed it, or 0 */
    bool timed_out;
    bool exec_failed;   /* the command could not be started (exit 126 / 127) */
    int exec_errno;
    double duration_ms;
} rf_run_result;

/* Runs one command to completion, forwarding SIGINT/SIGTERM/SIGHUP, giving it
 * the terminal, and ending the whole tree on timeout.  Returns 0 when the
 * command ran (whatever its exit status) and < 0 when ringfence failed. */
int rf_sandbox_run(rf_sandbox *sb, const rf_run_request *req, rf_run_result *result,
                   rf_error *err);

#ifdef __cplusplus
}
#endif
#endif
