/*
 * probe_win.h — Windows helpers for the probes of rf-probe.exe (built with
 * mingw-w64; never on Linux).  Probe results carry Win32 errors in `err`.
 */
#ifndef RF_PROBE_WIN_H
#define RF_PROBE_WIN_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdbool.h>
#include <stddef.h>

#include "probe/probe.h"

/* Long enough for any world path (the world lives under %TEMP%). */
#define RF_WPATH 1024

/* The system's text for a Win32 error, without the trailing line break. */
void rf_probe_win_text(DWORD err, char *buf, size_t len);
/* "ERROR_ACCESS_DENIED" and friends for the errors probes meet, else "". */
const char *rf_probe_win_error_name(DWORD err);

/* UTF-8 into a fixed UTF-16 buffer; false when it does not fit. */
bool rf_probe_widen(const char *s, wchar_t *buf, size_t len);
/* root\rel in UTF-16, the layout's '/' turned into '\'. */
bool rf_probe_wpath(const rf_probe_world *w, const char *rel, wchar_t *buf, size_t len);

/* Opens `path` with `disposition` (CREATE_NEW, OPEN_EXISTING, ...), appends
 * or overwrites with `data`.  Returns 0 or the Win32 error. */
DWORD rf_probe_win_write(const wchar_t *path, DWORD disposition, bool append, const char *data);
/* True when the file holds `needle` (reads at most 16 KiB). */
bool rf_probe_win_contains(const wchar_t *path, const char *needle);
/* True when something exists at `path`. */
bool rf_probe_win_exists(const wchar_t *path);
/* A marker unique to this probe run: "rfprobe-<nonce>-<pid>\n". */
void rf_probe_win_marker(const rf_probe_world *w, char *buf, size_t len);

/* Makes `link` (a new folder) a junction (mount point) to `target`, as
 * `mklink /J` does.  Returns 0 or the Win32 error (the folder is removed). */
DWORD rf_probe_win_junction(const wchar_t *link, const wchar_t *target);

/* Replaces the DACL of `path` by one granting GENERIC_ALL to this token's
 * user and restricting SIDs, protected from inheritance:
 * what a command holding WRITE_DAC could do to give itself write access.
 * Returns 0 or the Win32 error; *old_sd (LocalFree'd by the restore) keeps
 * the previous DACL for rf_probe_win_restore_dacl. */
DWORD rf_probe_win_self_grant(const wchar_t *path, PACL *old_dacl, PSECURITY_DESCRIPTOR *old_sd,
                              bool *was_protected);
void rf_probe_win_restore_dacl(const wchar_t *path, PACL old_dacl, PSECURITY_DESCRIPTOR old_sd,
                               bool was_protected);

/* Sets up Winsock once per process; returns 0 or the WSA error. */
int rf_probe_wsa_start(void);

#endif
