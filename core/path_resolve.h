/*
 * path_resolve.h — turning the paths a policy names into the absolute,
 * symlink-free paths the normalized policy holds.
 *
 * All functions only read metadata (lstat, readlink, stat); none creates or
 * changes anything.  `field` names the policy field in error messages.
 */
#ifndef RF_PATH_RESOLVE_H
#define RF_PATH_RESOLVE_H

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

#endif
