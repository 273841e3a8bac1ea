/* elevated_backend.h — the Linux elevated backend (dedicated sandbox users, setuid runner), CLI side. */
#ifndef RF_ELEVATED_BACKEND_H
#define RF_ELEVATED_BACKEND_H

#include <stdbool.h>

#include "backends/linux/elevated/setup_record.h"
#include "core/backend.h"

extern const rf_backend rf_backend_elevated;

/* Where this build reads setup.json: RF_SETUP_RECORD_PATH, or in the test
 * build of the CLI $RINGFENCE_TEST_SETUP_RECORD (NULL when unset).  Weak in
 * the backend; the test build overrides it (core/cli/elevated_path_testbuild.c). */
const char *rf_elevated_setup_record_path(void);

/* elevated_grant.c: ringfence-grant of this build, relative to the install
 * folders (weak default "backends/linux/elevated/ringfence-grant"; the test
 * build of the CLI names the test build of ringfence-grant). */
const char *rf_elevated_grant_program(void);

/* Finds it (rf_install_find); *out is malloc'd. */
int rf_elevated_grant_find(char **out, rf_error *err);

/* The first elevated run in a workspace: when the user's grants record
 * (rf_grant_lookup) does not hold it, runs ringfence-grant for it with the
 * policy's files and writable roots, saying so in one line on stderr. */
int rf_elevated_ensure_granted(const rf_policy *policy, const rf_setup_record *rec, rf_error *err);

/* Whether the directory's access ACL has rwx entries for both sandbox users
 * (the runner's criterion), read from the xattr without libacl. */
bool rf_elevated_root_granted(const char *path, unsigned offline, unsigned online);

#endif
