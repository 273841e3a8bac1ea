/* managed_path_testbuild.c — the test build only: the managed policy comes from
 * $RINGFENCE_TEST_MANAGED_POLICY so tests never read or write /etc. */
#include <stdlib.h>

#include "core/cli/cli.h"

const char *rf_cli_managed_policy_path(void) {
    const char *path = getenv("RINGFENCE_TEST_MANAGED_POLICY");
    return (path && path[0]) ? path : NULL;
}

const char *rf_cli_setup_program(void) {
    return "backends/linux/elevated/ringfence-setup_testbuild";
}
/* The test build of ringfence-grant reads setup.json from $RINGFENCE_TEST_SETUP_RECORD. */
const char *rf_cli_grant_program(void) { return "backends/linux/elevated/ringfence-grant_testbuild"; }
