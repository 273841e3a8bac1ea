/*
 * winpath.h — Windows path text, platform-neutral: the case-insensitive key
 * under which the state file records a folder, and joining a protected name
 * onto a root.
 *
 * The Windows side first asks the OS for the final path of the opened folder
 * (GetFinalPathNameByHandleW: resolves 8.3 short names, junctions, symlinks
 * and the on-disk case); the key then folds what is left of the spelling:
 * "C:\Work\Repo", "c:/work/repo/" and "\\?\C:\WORK\Repo" share one key.
 */
#ifndef RF_WIN_WINPATH_H
#define RF_WIN_WINPATH_H

#include "core/ringfence.h"

/* The key (malloc'd): "\\?\" and "\\?\UNC\" prefixes removed, '/' turned into
 * '\', repeated separators folded, trailing separator removed (except after
 * "c:"), ASCII letters lower-cased.  Refuses (-EINVAL, naming the path):
 * relative paths, "." and ".." components (the OS must resolve those),
 * device paths (\\.\), alternate data streams (':' after the drive), and
 * components ending in '.' or ' ' (Win32 strips those, another spelling). */
int rf_winpath_key(const char *path, char **out, rf_error *err);

/* root + '\' + name with '/' in name turned into '\' (malloc'd). */
int rf_winpath_join(const char *root, const char *name, char **out, rf_error *err);

/* True when `path` equals `dir` or lies beneath it, comparing keys. */
int rf_winpath_within(const char *path, const char *dir, rf_error *err);

#endif
