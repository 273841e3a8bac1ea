/*
 * status_print.h — `ringfence status [--json]` on Windows, in the layout of
 * the core CLI's (core/cli/cmd_status.c): a table of the backends, then each
 * backend's layers, guarantees and gaps; or the same as JSON with the same
 * keys.  Platform-neutral, tested on Linux.
 */
#ifndef RF_WIN_STATUS_PRINT_H
#define RF_WIN_STATUS_PRINT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/ringfence.h"

/* The text (malloc'd) for `n` backend statuses. */
int rf_win_status_render(const rf_backend_status *sts, size_t n, bool json, char **out,
                         rf_error *err);

#endif
