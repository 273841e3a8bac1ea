/*
 * bench_win.h — `ringfence-win bench`: the Windows parts of the bench issue,
 * measured on the machine it runs on (numbers from Wine mean nothing).
 *
 *   acl_apply_first_ms   first grant of a workspace of N files (the DACL
 *                        change propagates to every file)
 *   acl_apply_again_ms   the same grant again (ACEs present: skipped)
 *   spawn_plain_ms       median start-to-exit of a trivial probe, own token
 *   spawn_restricted_ms  the same under the write-restricted token in a job
 */
#ifndef RF_WIN_BENCH_WIN_H
#define RF_WIN_BENCH_WIN_H

#include <stdio.h>

#include "core/ringfence.h"

int rf_win_bench(const char *self_exe, int files, int spawns, FILE *out, rf_error *err);

#endif
