/*
 * bench.h — the ringfence benchmark driver's shared types.
 *
 * The driver measures, in one run and interleaved (A B A B ...) so that the
 * machine's drift falls on every candidate alike:
 *   spawn     /bin/true launched through every launcher (floors, ringfence
 *             backends through the library and the CLI, peers);
 *   scale     first-run and per-command cost on workspaces of 100 to 100,000
 *             files;
 *   workload  make -j2, git status / git diff, a file-heavy program, inside
 *             each launcher against bare.
 * A launcher is a way of starting a command (bare fork+exec, ringfence's
 * library, bwrap, ...); a session is a launcher opened on one workspace.
 */
#ifndef RF_BENCH_H
#define RF_BENCH_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "bench/stats.h"

#define BENCH_MAX_LAUNCHERS 32
#define BENCH_MAX_ARGS 48

/* ---- run-wide context ---------------------------------------------------- */

typedef struct bench_ctx {
    bool quick;
    int spawn_n, spawn_warmup;   /* spawn phase iterations */
    int scale_n;                 /* per-command runs per size */
    int workload_reps;
    const char *only;            /* comma list of launcher ids, or NULL: all */
    const char *phases;          /* comma list: spawn,scale,workload */
    char out_dir[4096];          /* results */
    char scratch[4096];          /* generated workspaces (removed at the end) */
    char exe_dir[4096];          /* where bench's own helpers are */
    char repo_dir[4096];         /* the source tree (bench/peers lives there) */
    char peers_dir[4096];        /* node_modules of the npm peers */
    char ringfence_cli[4096];    /* //:ringfence, or "" when not found */
    char devnull_path[16];
    int devnull_fd;
    double started_at;           /* monotonic seconds */
} bench_ctx;

/* ---- one measured run ---------------------------------------------------- */

typedef struct bench_sample {
    double ms;        /* wall time from launch to reaped */
    long rss_kib;     /* peak RSS of the launcher's process tree (wait4), -1: n/a */
    double cpu_ms;    /* user + system time of the reaped tree, -1: n/a */
    int exit_code;    /* exit status, 128+N for signal N, -1 when the launcher failed */
} bench_sample;

/* bench_summary, bench_summarize, the spawn table's rows: stats.h */
cJSON *bench_summary_json(const bench_summary *s); /* stats_json.c */

/* ---- launchers ------------------------------------------------------------- */

typedef enum launcher_kind {
    LAUNCH_EXEC = 0, /* an argv template run with fork+exec+wait4 */
    LAUNCH_LIB,      /* ringfence's library in this process */
    LAUNCH_NODE,     /* a long-lived node helper (srt as a library) */
} launcher_kind;

typedef struct launcher {
    char id[48];          /* short, stable: "bare", "rf-lib-unelevated", "bwrap" */
    char name[96];        /* for tables: "ringfence unelevated (library)" */
    char group[16];       /* "floor", "ringfence", "peer", "reference" */
    launcher_kind kind;
    bool available;
    char reason[512];     /* why skipped; or what it is when available */
    char version[160];
    /* LAUNCH_EXEC: tokens, with {WS}, {GIT}, {SETTINGS}, {CMD} expanded */
    const char *tmpl[BENCH_MAX_ARGS];
    const char *env_add[4];  /* "NAME=VALUE" added to the environment */
    /* LAUNCH_LIB */
    char backend[32];
    bool audit;
    /* LAUNCH_NODE */
    char node_mode[8];       /* "srt" or "bare" */
    bool needs_srt_settings; /* writes a per-workspace settings file */
    bool rss_in_process;     /* RSS is the helper's, asked at the end */
} launcher;

/* launchers.c: fills the table (peers probed, unavailable ones kept with a
 * reason).  Returns the count. */
size_t bench_launchers_init(bench_ctx *ctx, launcher *out, size_t cap);
bool bench_launcher_selected(const bench_ctx *ctx, const launcher *l);

typedef struct session session;

/* session.c: opens a launcher on a workspace (one-time work: policy load and
 * sandbox open for the library, helper start for node).  On failure returns
 * NULL and writes the reason into `why`. */
session *session_open(const bench_ctx *ctx, const launcher *l, const char *ws, double *open_ms,
                      char *why, size_t why_len);
/* Runs argv with cwd = the workspace; stdout and stderr go to `err_fd`
 * (or /dev/null when < 0).  Returns 0 when the run could be timed. */
int session_run(session *s, char *const *argv, int err_fd, bench_sample *out);
long session_helper_rss_kib(session *s); /* node helper's peak RSS, -1 when n/a */
/* Exec launchers: peak RSS of the launcher tree for argv, measured through
 * the static rss_probe (no fork copy of this driver); -1 when n/a. */
long session_probe_rss_kib(session *s, char *const *argv);
void session_close(session *s);

/* proc_launch.c: fork + exec + wait4 of argv with cwd, extra env, stdio.
 * Returns 0 and fills `out` when the child was reaped. */
int bench_exec_timed(char *const *argv, const char *cwd, const char *const *env_add,
                     int out_fd, int err_fd, bench_sample *out);
/* ringfence's library makes this process a child subreaper, so processes that
 * outlive any launcher (bwrap's PID-namespace init, for one) are re-parented
 * here.  Reaping them before each run keeps their CPU time out of the next
 * library run's RUSAGE_CHILDREN window. */
void bench_reap_orphans(void);
/* Runs argv bare (setup steps, not timed); 0 when it exited 0. */
int bench_exec_quiet(const bench_ctx *ctx, char *const *argv, const char *cwd);
/* First line of a command's stdout (versions); "" on failure. */
void bench_capture_line(char *const *argv, const char *const *env_add, char *out, size_t len);

/* ---- generated trees (tree_gen.c) ----------------------------------------- */

int tree_make_dir(const char *path);
/* `files` files of a few hundred bytes, 100 per folder, and an empty .git/. */
int tree_gen_files(const char *root, long files);
/* A C project: `units` .c files + headers + Makefile; builds one program. */
int tree_gen_c_project(const char *root, int units);
/* A git repository of `files` files, committed, with `modified` of them changed. */
int tree_gen_git_repo(const bench_ctx *ctx, const char *root, long files, int modified);
int tree_remove(const char *root);

/* ---- machine (machine.c) --------------------------------------------------- */

cJSON *bench_machine_json(const bench_ctx *ctx, const launcher *ls, size_t n);
void bench_loadavg(double out[3]);
double bench_now(void); /* monotonic seconds */

/* ---- phases ---------------------------------------------------------------- */

/* Each returns a JSON object for the results file (never NULL). */
cJSON *phase_spawn(bench_ctx *ctx, launcher *ls, size_t n);
cJSON *phase_scale(bench_ctx *ctx, launcher *ls, size_t n);
cJSON *phase_workload(bench_ctx *ctx, launcher *ls, size_t n);

/* ---- output (report.c) ----------------------------------------------------- */

int report_write(const bench_ctx *ctx, cJSON *results);

/* snprintf for paths and messages: truncation is accepted (buffers are sized
 * for PATH_MAX), and callers that care compare the result with the size. */
int bench_fmt(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Logging to stderr with the elapsed time. */
void bench_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
