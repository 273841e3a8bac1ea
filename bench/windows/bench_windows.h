/*
 * bench_windows.h — the Windows half of the benchmark: hooks that the
 * Windows backends (backends/windows/) fill in, so that spawn latency and ACL
 * plan/apply time are measured on a real Windows machine and written in the
 * same JSON shape as the Linux run (see bench/README.md).
 *
 * STATUS: compile-only placeholders.  Off Windows, and until the Windows
 * backends exist, every hook returns -ENOSYS with the reason in `why`, and
 * //bench/windows:bench_windows lists each Windows launcher as skipped.
 */
#ifndef RF_BENCH_WINDOWS_H
#define RF_BENCH_WINDOWS_H

#include <stddef.h>

/* The launchers the Windows run measures, in table order. */
typedef struct rf_bench_win_launcher {
    const char *id;      /* "bare", "rf-lib-windows-unelevated", ... */
    const char *name;
    const char *backend; /* ringfence backend name, or NULL for bare CreateProcess */
} rf_bench_win_launcher;

extern const rf_bench_win_launcher rf_bench_win_launchers[];
extern const size_t rf_bench_win_launcher_count;

/* Starts `cmd.exe /c exit 0` (the Windows /bin/true) once through launcher
 * `l` with `workspace` as the writable root, waits for it, and reports the
 * wall time and the launcher's peak working set (KiB; -1 when in-process).
 * Returns 0, or a negative errno with `why` filled. */
int rf_bench_win_spawn_once(const rf_bench_win_launcher *l, const char *workspace, double *ms,
                            long *peak_kib, char *why, size_t why_len);

/* The elevated backend's one-time grant: builds the ACE plan for a workspace
 * of `files` files (plan_ms) and applies it (apply_ms).  The per-command cost
 * after it is measured with rf_bench_win_spawn_once and must be flat. */
int rf_bench_win_acl_apply(const char *workspace, long files, double *plan_ms, double *apply_ms,
                           char *why, size_t why_len);

#endif
