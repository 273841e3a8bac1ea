/*
 * bench_win.h — `ringfence-win bench [FILES [SPAWNS]]`: the Windows parts of
 * the bench issue, measured on the machine it runs on (numbers from Wine mean
 * nothing).  bench/windows/bench_windows.exe runs it and turns its output
 * into results-windows.json and .md, in the Linux results' shape.
 *
 * Output, one "key value" line each, in this order (format version 1):
 *   ringfence-win-bench 1
 *   platform windows|wine
 *   note TEXT                    under Wine only: why its figures are not Windows'
 *   files N                      the generated workspace's file count
 *   acl_apply_first_ms MS        first grant of the workspace (the DACL change
 *                                propagates to every file)
 *   acl_apply_again_ms MS        the same grant again (ACEs present: skipped)
 *   aces_present N
 *   spawns N
 *   spawn plain|restricted MS    2N lines, interleaved: start-to-exit of a
 *                                trivial probe under the own token (plain) or
 *                                the write-restricted token in a job
 *   spawn_plain_median_ms MS
 *   spawn_restricted_median_ms MS
 */
#ifndef RF_WIN_BENCH_WIN_H
#define RF_WIN_BENCH_WIN_H

#include <stdio.h>

#include "core/ringfence.h"

int rf_win_bench(const char *self_exe, int files, int spawns, FILE *out, rf_error *err);

#endif
