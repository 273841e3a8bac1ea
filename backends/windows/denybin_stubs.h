/*
 * denybin_stubs.h — the denybin .cmd stubs built into the Windows binary
 * (platform-neutral data; the table is generated from //denybin:stubs_windows
 * by embed_stubs.sh, so denybin/tools.bzl stays the one list).
 */
#ifndef RF_WIN_DENYBIN_STUBS_H
#define RF_WIN_DENYBIN_STUBS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct rf_win_stub {
    const char *file_name; /* "ssh.cmd" */
    const char *text;      /* the whole file, CRLF line ends */
    size_t size;
} rf_win_stub;

extern const rf_win_stub rf_win_denybin_stubs[];
extern const size_t rf_win_denybin_stub_count;

/* True when a file holding `existing` (`size` bytes; NULL: no file) must be
 * (re)written to become `stub`: installing is idempotent and writes only
 * what changed. */
bool rf_win_stub_needs_write(const rf_win_stub *stub, const char *existing, size_t size);

#endif
