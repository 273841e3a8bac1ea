/*
 * probe.h — the escape probes that rf-probe runs inside a sandbox.
 *
 * A probe attempts one escape and says what happened:
 *   allowed           the escape worked (and the probe checked that it did:
 *                     the nonce came back, the file outside changed, ...)
 *   blocked           the operating system refused (EPERM, EACCES, EROFS, a
 *                     path that the sandbox hid, ...)
 *   advisory-blocked  a convention stopped it: a tool followed the dead proxy
 *                     variables, or a denybin stub answered instead of ssh
 *   error             the probe itself broke (a fixture missing, a tool not
 *                     installed, an errno nobody expected)
 *
 * Every probe must be able to report `allowed` unconfined: the matrix runs
 * them all under the `none` backend first and treats anything else there as a
 * broken probe.  The table (probe_table.c) is shared by rf-probe and by the
 * matrix, which computes each probe's expected outcome from its guarantee and
 * its kind (expect.h).
 */
#ifndef RF_PROBE_H
#define RF_PROBE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/ringfence.h"

/* mingw's printf (__USE_MINGW_ANSI_STDIO) is C99: check formats as GNU's. */
#ifdef _WIN32
#define RF_PROBE_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#else
#define RF_PROBE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#endif

typedef enum rf_probe_outcome {
    RF_OUT_ALLOWED = 0,
    RF_OUT_ADVISORY_BLOCKED,
    RF_OUT_BLOCKED,
    RF_OUT_ERROR,
} rf_probe_outcome;

const char *rf_probe_outcome_name(rf_probe_outcome o); /* "allowed", ... */
int rf_probe_outcome_from_name(const char *name);      /* -1 when unknown */

/* The error of an `error` that means "a tool this probe runs (curl, git,
 * ssh) is not installed" or "this machine lacks the feature" (8.3 names off):
 * a property of the machine, not a broken probe, so the matrix skips the
 * probe instead of failing the run.  On Windows `err` carries Win32 errors;
 * 1614 is ERROR_PRODUCT_UNINSTALLED. */
#ifdef _WIN32
#define RF_PROBE_ENOTOOL 1614
#else
#define RF_PROBE_ENOTOOL ENOPKG
#endif

/* How a probe relates to the guarantee it tests. */
typedef enum rf_probe_kind {
    /* Something the command is allowed to do (write in the workspace): it
     * must be allowed under every backend; blocked means over-confinement. */
    RF_KIND_CONTROL = 0,
    /* An escape that follows no convention (a raw syscall): only an enforced
     * guarantee stops it. */
    RF_KIND_RAW,
    /* An escape through a tool that honours conventions (proxy variables,
     * PATH): an advisory layer stops it too. */
    RF_KIND_CONVENTIONAL,
} rf_probe_kind;

const char *rf_probe_kind_name(rf_probe_kind k);

/* Probe flags. */
enum {
    /* Needs privileges a plain user lacks even unconfined (CAP_NET_RAW; on
     * Windows an administrator or developer mode): when the baseline runs
     * without them the probe is skipped, not broken. */
    RF_PROBE_NEEDS_ROOT = 1u << 0,
    /* The matrix decides the final outcome after the run (a daemon that must
     * not outlive it, a file that must not reach the host's /tmp). */
    RF_PROBE_POST_CHECK = 1u << 1,
};

#ifdef _WIN32
/* The world file, as rf-probe.exe reads it (world_file_win.c).  Paths are
 * Windows paths in UTF-8. */
typedef struct rf_probe_world {
    char root[1024];
    char nonce[64];
    int tcp_port, udp_port, ssh_port;   /* HTTP (logs to outside/http-hits.log), echo, banner */
    char pipe[256];                     /* \\.\pipe\... standing for docker_engine */
    int target_pid;
    unsigned long long target_addr;     /* address of a nonce buffer in the target */
    size_t target_len;
    unsigned long long target_handle;   /* a handle the target holds: a file outside, writable */
    char curl[512], git[512], ssh[512]; /* "" when not installed */
} rf_probe_world;

#else
/* A file handle (name_to_handle_at) read from the world file. */
typedef struct rf_probe_handle {
    int type;
    unsigned len;
    unsigned char bytes[128];
} rf_probe_handle;

/* The world file, as rf-probe reads it (world_file.c). */
typedef struct rf_probe_world {
    char root[1024];
    char nonce[64];
    int tcp_port, tcp6_port, udp_port, dns_port, ssh_port;
    char abstract_name[108]; /* without the leading NUL */
    char docker_sock[1024];
    int target_pid;
    unsigned long target_addr; /* address of a nonce buffer in the target */
    size_t target_len;
    int target_fd;                      /* an fd the target holds open */
    char tmp_path[1024];                /* a path in the host's /tmp */
    char lock_path[1024];               /* the daemon probe's lock file */
    char curl[512], git[512], ssh[512]; /* "" when not installed */
    char net_ns[64];                    /* the world's network namespace ("net:[...]") */
    char agent_sock[128];               /* a unix socket in the host's /tmp (ssh-agent stand-in) */
    rf_probe_handle secret_handle, outside_handle; /* name_to_handle_at of two files */
} rf_probe_world;

#endif

int rf_probe_world_load(const char *path, rf_probe_world *w, char *why, size_t why_len);

typedef struct rf_probe_result {
    rf_probe_outcome outcome;
    int err; /* the errno (Windows: the Win32 error) that decided, or 0 */
    char detail[512];
} rf_probe_result;

typedef void (*rf_probe_fn)(const rf_probe_world *w, rf_probe_result *r);

typedef struct rf_probe {
    const char *id;
    rf_guarantee guarantee;
    rf_probe_kind kind;
    unsigned flags;
    rf_probe_fn run;
    const char *description;
    /* The facet of the guarantee it tests ("metadata"), or NULL.  A backend
     * that declares `<guarantee>.<facet>` in its status gaps is expected to
     * let it through (see judge.c). */
    const char *facet;
} rf_probe;

/* Every probe, grouped by guarantee (probe_table.c). */
const rf_probe *rf_probes(size_t *count);
const rf_probe *rf_probe_find(const char *id);

/* The per-guarantee tables (probe_<guarantee>.c). */
extern const rf_probe rf_probes_writes[];
extern const size_t rf_probes_writes_count;
extern const rf_probe rf_probes_protected[];
extern const size_t rf_probes_protected_count;
extern const rf_probe rf_probes_deny_read[];
extern const size_t rf_probes_deny_read_count;
extern const rf_probe rf_probes_network[];
extern const size_t rf_probes_network_count;
extern const rf_probe rf_probes_process[];
extern const size_t rf_probes_process_count;

/* ---- helpers for probe functions (probe_util.c) -------------------------- */

/* Result setters; detail is printf-formatted. */
void rf_probe_allowed(rf_probe_result *r, const char *fmt, ...)
    RF_PROBE_PRINTF(2, 3);
void rf_probe_error(rf_probe_result *r, int err, const char *fmt, ...)
    RF_PROBE_PRINTF(3, 4);
void rf_probe_advisory(rf_probe_result *r, const char *fmt, ...)
    RF_PROBE_PRINTF(2, 3);
/* The sandbox stopped it without an errno (an empty file over the secret, a
 * flag in /proc/self/status); `err` may be 0. */
void rf_probe_blocked(rf_probe_result *r, int err, const char *fmt, ...)
    RF_PROBE_PRINTF(3, 4);
/* `err` decides: a refusal (EPERM, EACCES, EROFS, EXDEV, EBUSY, ...; on
 * Windows ERROR_ACCESS_DENIED, ERROR_PRIVILEGE_NOT_HELD, ERROR_WRITE_PROTECT,
 * ...) gives blocked, anything else error.  `what` names the operation. */
void rf_probe_failed(rf_probe_result *r, int err, const char *what);
/* Like rf_probe_failed, also counting ENOENT/ESRCH (Windows: file, path or
 * process not found) as blocked: for targets that exist outside (the
 * baseline proves it) and that a sandbox hides. */
void rf_probe_failed_hidden(rf_probe_result *r, int err, const char *what);
bool rf_probe_is_refusal(int err);

/* root/rel into buf (always NUL-terminated; false when it does not fit).  On
 * Windows the '/' of the layout become '\\'. */
bool rf_probe_path(const rf_probe_world *w, const char *rel, char *buf, size_t len);

/* Runs argv (no shell) with stdin /dev/null, stdout+stderr captured into out
 * (truncated, NUL-terminated), for at most timeout_s seconds.  Returns the
 * exit status, 128+signal, or -errno (Windows: -(Win32 error)) when it could
 * not run. */
int rf_probe_run_tool(char *const argv[], char *out, size_t out_len, int timeout_s);

#ifndef _WIN32
/* open_by_handle_at(h) on the filesystem of w->root; returns an fd or -errno.
 * Needs CAP_DAC_READ_SEARCH; it reaches the inode without its path. */
int rf_probe_open_handle(const rf_probe_world *w, const rf_probe_handle *h, int flags);

/* The /dev/shm twin of the /tmp marker: /dev/shm/<basename of tmp_path>. */
bool rf_probe_shm_path(const char *tmp_path, char *buf, size_t len);

#endif

/* Reads a whole small file into buf; returns bytes read or -errno. */
long rf_probe_read_file(const char *path, char *buf, size_t len);

#endif
