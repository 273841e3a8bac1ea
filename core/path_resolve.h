/*
 * path_resolve.h — turning the paths a policy names into the absolute,
 * symlink-free paths the normalized policy holds.
 *
 * All functions only read metadata (lstat, readlink, stat); none creates or
 * changes anything.  `field` names the policy field in error messages.
 *
 * Two implementations: path_resolve.c and policy_file.c (POSIX paths) and
 * path_resolve_win.c and policy_file_win.c (Windows paths: "C:\x", "\\server\share",
 * junctions and symlinks resolved by GetFinalPathNameByHandleW).  The
 * protected-name rules (protected_name.c) are shared.
 */
#ifndef RF_PATH_RESOLVE_H
#define RF_PATH_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/ringfence.h"

/* The home folder: `home` when not NULL, else $HOME when absolute, else the
 * passwd entry of the real uid.  Returned resolved (malloc'd). */
int rf_home_find(const char *home, char **out, rf_error *err);

/* Expands "~" and "~/x" to `home` and makes a relative path absolute against
 * `base_dir` (malloc'd).  "~user" and "" are errors. */
int rf_path_expand(const char *path, const char *base_dir, const char *home, const char *field,
                   char **out, rf_error *err);

/* Resolves every symlink, "." and ".." of the absolute path `path`, as
 * realpath(3) does, except that a missing tail is allowed: the longest
 * existing prefix is resolved and the rest appended (malloc'd). */
int rf_path_resolve(const char *path, const char *field, char **out, rf_error *err);

/* rf_path_expand then rf_path_resolve. */
int rf_path_expand_resolve(const char *path, const char *base_dir, const char *home,
                           const char *field, char **out, rf_error *err);

/* Fails unless the resolved `path` is an existing directory; `given` is the
 * path as written, for the message. */
int rf_path_require_dir(const char *path, const char *given, const char *field, rf_error *err);

/* A protected name normalized: relative, no "..", no empty or "." components,
 * no trailing "/" (malloc'd). */
int rf_protected_name_normalize(const char *name, const char *field, char **out, rf_error *err);

/* True when `path` is absolute for this platform ("/x"; on Windows "C:\x" or
 * "\\server\share\x"). */
bool rf_path_is_absolute(const char *path);

/* True when `path` (resolved) is the root of a file system ("/"; on Windows a
 * drive root "C:\" or a share root). */
bool rf_path_is_fs_root(const char *path);

/* The folder holding `path` (malloc'd; NULL when out of memory). */
char *rf_path_dir_of(const char *path);

/* The current directory, resolved (malloc'd). */
int rf_cwd_find(char **out, rf_error *err);

/* Reads a whole policy file (a regular file of at most RF_POLICY_MAX_BYTES).
 * When `missing` is not NULL, a file that does not exist sets *missing and
 * returns 0 instead of an error.  Errors are policy errors naming `field`. */
int rf_policy_file_read(const char *path, const char *field, char **text, size_t *len,
                        bool *missing, rf_error *err);

#endif
