/* setup_fs.h — folders and trees that ringfence-setup creates and removes. */
#ifndef RF_ELEVATED_SETUP_FS_H
#define RF_ELEVATED_SETUP_FS_H

#include <sys/types.h>

#include "core/ringfence.h"

/* Creates `path` and its missing parents (root-owned, `mode`); existing
 * folders are left as they are. */
int rf_setup_mkdirs(const char *path, mode_t mode, rf_error *err);

/* Files are written as <path>.tmp and renamed: one writer at a time (the
 * record folder's lock), so a fixed name; a setup killed mid-write leaves at
 * most that file, which the next write or uninstall removes. */
#define RF_SETUP_TMP_SUFFIX ".tmp"

/* Removes `path` and a <path>.tmp left by an interrupted write; 0 when
 * neither exists. */
int rf_setup_remove_file(const char *path, rf_error *err);

/* Removes the folder when it exists and is empty; 0 otherwise. */
int rf_setup_rmdir_if_empty(const char *path, rf_error *err);

/* Removes the tree at `path` without following symbolic links or crossing
 * into other file systems; 0 when it does not exist. */
int rf_setup_remove_tree(const char *path, rf_error *err);

/* Reads a whole regular file (at most 64 MiB), *data malloc'd. */
int rf_setup_read_file(const char *path, char **data, size_t *len, rf_error *err);

/* Writes `data` to `path` atomically (<path>.tmp beside it, fsync,
 * rename) with owner root:`gid` and `mode`. */
int rf_setup_write_file(const char *path, const char *data, size_t len, gid_t gid, mode_t mode,
                        rf_error *err);

#endif
