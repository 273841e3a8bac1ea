/*
 * matrix_win.h — `rf-probe.exe --matrix`: the escape matrix for the Windows
 * admin-free backend, in one command on a Windows machine.
 *
 * Builds the world (world_win.h), runs every probe unconfined (each must be
 * `allowed` there: anything else is a broken probe), then under
 * `ringfence-win.exe run --root ws --root ws-nogit --root extra -- rf-probe.exe
 * --world FILE` with the network-off environment shims of env/env_table.c
 * (the Windows values, as the core applies them), ungrants the roots, tears
 * the world down (the launcher runs with %LOCALAPPDATA% inside the world, so
 * its state file and private TEMP go with it), and judges the confined column against the backend's own
 * guarantee table (backends/windows/guarantees.c) with probe/judge.c, exactly
 * as the Linux matrix does.
 *
 * Exit status: 0 every verdict holds; 1 a mismatch or a broken probe; 2 the
 * run itself failed (world, launcher); 3 under Wine, which enforces neither
 * restricted SIDs nor DACLs nor a firewall: its confined column is no
 * evidence, whatever it shows.
 */
#ifndef RF_PROBE_MATRIX_WIN_H
#define RF_PROBE_MATRIX_WIN_H

#include <stddef.h>
#include <stdio.h>

typedef enum rf_win_matrix_format {
    RF_WIN_MATRIX_TEXT = 0,
    RF_WIN_MATRIX_MARKDOWN,
    RF_WIN_MATRIX_JSON,
} rf_win_matrix_format;

typedef struct rf_win_matrix_options {
    const char *launcher;         /* ringfence-win.exe */
    const char *denybin;          /* the denybin .cmd stubs, or NULL */
    const char *const *only;      /* probe ids; none: all */
    size_t n_only;
    rf_win_matrix_format format;
} rf_win_matrix_options;

int rf_win_matrix_main(const rf_win_matrix_options *o, FILE *out);

#endif
