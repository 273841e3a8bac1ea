/* setup_fs.h — folders and trees that ringfence-setup creates and removes. */
#ifndef RF_ELEVATED_SETUP_FS_H
#define RF_ELEVATED_SETUP_FS_H

#include <sys/stat.h>
#include <sys/types.h>

#include "core/ringfence.h"

/* Creates `path` and its missing parents (root-owned, `mode`); existing
 * folders are left as they are.  Every folder on the way must be root's and
 * writable by no one else (sticky folders aside), every link on the way
 * root's: -EPERM otherwise, before anything is created inside it. */
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

/* The same, and *st the fstat of the descriptor read (owner and mode of the
 * very file whose bytes were read, with no window for a swap in between). */
int rf_setup_read_file_stat(const char *path, char **data, size_t *len, struct stat *st,
                            rf_error *err);

/* Writes `data` to `path` atomically (<path>.tmp beside it, fsync,
 * rename) with owner root:`gid` and `mode`. */
int rf_setup_write_file(const char *path, const char *data, size_t len, gid_t gid, mode_t mode,
                        rf_error *err);

#endif
