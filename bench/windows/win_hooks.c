/*
 * win_hooks.c — the Windows hooks (see bench_windows.h).
 *
 * TO FILL (Windows backend helper): under _WIN32, spawn through
 * rf_sandbox_open/rf_sandbox_run for the ringfence rows and plain
 * CreateProcessW for `bare`, timing with QueryPerformanceCounter and reading
 * PeakWorkingSetSize (GetProcessMemoryInfo) of the launcher; for ACL apply,
 * call the elevated backend's plan and apply steps on the workspace.
 * backends/windows/bench_win.c (`ringfence-win bench`) already times the ACL
 * grant (first and again) and the restricted-token spawn: wrap those here.
 */
#include <errno.h>
#include <stdio.h>

#include "bench/windows/bench_windows.h"

const rf_bench_win_launcher rf_bench_win_launchers[] = {
    {"bare", "bare CreateProcess", NULL},
    {"rf-lib-windows-unelevated", "ringfence windows-unelevated (library)", "windows-unelevated"},
    {"rf-lib-windows-elevated", "ringfence windows-elevated (library)", "windows-elevated"},
};
const size_t rf_bench_win_launcher_count =
    sizeof rf_bench_win_launchers / sizeof rf_bench_win_launchers[0];

int rf_bench_win_spawn_once(const rf_bench_win_launcher *l, const char *workspace, double *ms,
                            long *peak_kib, char *why, size_t why_len) {
    (void)workspace;
    *ms = 0;
    *peak_kib = -1;
#ifdef _WIN32
    snprintf(why, why_len, "%s: the Windows spawn hook is not implemented yet", l->id);
#else
    snprintf(why, why_len, "%s: Windows only (this is not a Windows machine)", l->id);
#endif
    return -ENOSYS;
}

int rf_bench_win_acl_apply(const char *workspace, long files, double *plan_ms, double *apply_ms,
                           char *why, size_t why_len) {
    (void)workspace;
    (void)files;
    *plan_ms = *apply_ms = 0;
#ifdef _WIN32
    snprintf(why, why_len, "ACL apply hook not implemented yet (elevated Windows backend)");
#else
    snprintf(why, why_len, "ACL apply timing is Windows only (this is not a Windows machine)");
#endif
    return -ENOSYS;
}
