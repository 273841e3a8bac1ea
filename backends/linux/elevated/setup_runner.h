/*
 * setup_runner.h — installing the setuid runner (and the copy of
 * ringfence-setup that the restore unit runs) with a recorded digest.
 */
#ifndef RF_ELEVATED_SETUP_RUNNER_H
#define RF_ELEVATED_SETUP_RUNNER_H

#include <sys/types.h>

#include "core/ringfence.h"

/* Hex SHA-256 of the file's contents. */
int rf_setup_file_sha256(const char *path, char out[65], rf_error *err);

/* Copies `source` to `dest` atomically (temporary file beside it, owner and
 * mode set on the descriptor, rename): root:`gid`, `mode`.  `digest` receives
 * the SHA-256 of what was installed.  With S_ISUID in `mode`, `source` must be
 * root's (or owned by the owner of the running program) and writable by no
 * one else: -EPERM otherwise. */
int rf_setup_install_program(const char *source, const char *dest, gid_t gid, mode_t mode,
                             char digest[65], rf_error *err);

/* "" when `path` is a regular file root:`gid` with `mode` whose digest is
 * `want_sha256`, else what is wrong; -ENOENT when it does not exist. */
int rf_setup_program_problem(const char *path, gid_t gid, mode_t mode, const char *want_sha256,
                             char *why, size_t why_len);

#endif
