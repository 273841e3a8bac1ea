/*
 * bench_windows.h — the Windows half of the benchmark.  bench_windows.exe
 * (built with mingw) runs `ringfence-win.exe bench FILES SPAWNS` for each
 * workspace size, reads its output (format: backends/windows/bench_win.h)
 * and writes results-windows.json and results-windows.md in the shape of
 * the Linux spawn and scale phases (bench/README.md, "Windows").
 *
 * Under Wine the figures are plumbing checks only: Wine enforces neither
 * restricted SIDs nor DACLs, and the output says so.
 */
#ifndef RF_BENCH_WINDOWS_H
#define RF_BENCH_WINDOWS_H

#include <stdbool.h>
#include <stddef.h>

/* One `ringfence-win bench` run, parsed. */
typedef struct rf_bench_win_result {
    bool wine;               /* platform wine (else windows) */
    char note[512];          /* the run's own caveat ("" when none) */
    long files;
    double acl_first_ms, acl_again_ms;
    long aces_present;
    int spawns;
    double *plain_ms;        /* own token: the floor */
    double *restricted_ms;   /* write-restricted token in a job: the unelevated backend's spawn */
    size_t n_plain, n_restricted;
} rf_bench_win_result;

/* Parses the text of `ringfence-win bench` (format version 1).  0, or -1 with
 * `why` naming the line and what was wrong; free the result either way. */
int rf_bench_win_parse(const char *text, rf_bench_win_result *out, char *why, size_t why_len);
void rf_bench_win_result_free(rf_bench_win_result *r);

/* Runs `EXE bench FILES SPAWNS` and parses what it prints.  0, or -1 with `why`. */
int rf_bench_win_invoke(const char *exe, long files, int spawns, rf_bench_win_result *out, char *why,
                        size_t why_len);

#endif
