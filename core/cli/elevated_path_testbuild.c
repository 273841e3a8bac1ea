/* elevated_path_testbuild.c — the test build only: setup.json of the elevated
 * backend comes from $RINGFENCE_TEST_SETUP_RECORD, so tests never read /etc.
 * The CLI is not setuid; the runner never reads this variable (it trusts
 * only setup.json beside its own executable in its test build). */
#include <stdlib.h>

#include "backends/linux/elevated/elevated_backend.h"
#include "core/cli/cli.h"

const char *rf_elevated_setup_record_path(void) {
    const char *path = getenv("RINGFENCE_TEST_SETUP_RECORD");
    return (path && path[0]) ? path : NULL;
}

/* The test build of ringfence-grant (setup.json from the same variable). */
const char *rf_elevated_grant_program(void) { return rf_cli_grant_program(); }
