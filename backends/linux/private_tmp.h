/*
 * private_tmp.h — the sandbox's own temporary folder when there is no mount
 * namespace to give it a private /tmp.
 *
 * Without namespaces the host's /tmp and /dev/shm are shared with every
 * process of the machine, so Landlock does not grant them; each prepared
 * sandbox gets one folder (mkdtemp under /tmp, mode 0700) that Landlock
 * grants instead, TMPDIR/TMP/TEMP/TEMPDIR point at it in the command's
 * environment, and cleanup removes it.
 */
#ifndef RF_BACKENDS_LINUX_PRIVATE_TMP_H
#define RF_BACKENDS_LINUX_PRIVATE_TMP_H

#include <stddef.h>

#include "core/ringfence.h"

/* Creates /tmp/ringfence-tmp-XXXXXX (0700) and writes its path to `out`. */
int rf_private_tmp_create(char *out, size_t len, rf_error *err);

/* Removes the folder and everything in it, never following a symlink (the
 * command may have planted one pointing at the user's files).  Returns 0 or
 * -errno of the first failure; removes what it can either way. */
int rf_private_tmp_remove(const char *path);

/* The variables pointed at the folder, NULL-terminated. */
extern const char *const rf_private_tmp_vars[];

/* A copy of `envp` with every rf_private_tmp_vars entry replaced by `dir`
 * (malloc'd array and strings: rf_private_tmp_env_free).  NULL on ENOMEM. */
char **rf_private_tmp_env(char *const *envp, const char *dir);
void rf_private_tmp_env_free(char **env);

#endif
