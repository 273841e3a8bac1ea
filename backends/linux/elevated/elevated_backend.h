/* elevated_backend.h — the Linux elevated backend (dedicated sandbox users, setuid runner), CLI side. */
#ifndef RF_ELEVATED_BACKEND_H
#define RF_ELEVATED_BACKEND_H

#include "core/backend.h"

extern const rf_backend rf_backend_elevated;

/* Where this build reads setup.json: RF_SETUP_RECORD_PATH, or in the test
 * build of the CLI $RINGFENCE_TEST_SETUP_RECORD (NULL when unset).  Weak in
 * the backend; the test build overrides it (core/cli/elevated_path_testbuild.c). */
const char *rf_elevated_setup_record_path(void);

#endif
