/*
 * selftest_win.h — `ringfence-win selftest`: the escape checks of this
 * backend on the machine it runs on.  It makes a throwaway workspace (with
 * .git) and outside folders (one granting Everyone full control), grants them
 * with a private state file, starts probes under the write-restricted token
 * and prints what Windows allowed.  It removes everything it made.
 *
 * Returns 0 when every check held, 1 when one did not, 3 under Wine (whose
 * results say nothing about the boundary), < 0 when the test itself failed.
 */
#ifndef RF_WIN_SELFTEST_WIN_H
#define RF_WIN_SELFTEST_WIN_H

#include <stdio.h>

#include "core/ringfence.h"

int rf_win_selftest(const char *self_exe, FILE *out, rf_error *err);

/* The probe the selftest starts: `probe OP PATH [PATH2]`, OP one of read,
 * write, mkdir, delete, rename.  Exit status 0 allowed, 5 access denied,
 * another Win32 error otherwise. */
int rf_win_probe(const char *op, const char *path, const char *path2);

#endif
