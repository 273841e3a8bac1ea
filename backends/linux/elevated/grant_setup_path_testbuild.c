/* grant_setup_path_testbuild.c — tests only: setup.json from $RINGFENCE_TEST_SETUP_RECORD. */
#include "backends/linux/elevated/grant_setup_path.h"

#include <stdlib.h>

#include "backends/linux/elevated/setup_record.h"

const char *rf_grant_setup_record_path(void) {
    const char *path = getenv("RINGFENCE_TEST_SETUP_RECORD");
    return (path && path[0] == '/') ? path : RF_SETUP_RECORD_PATH;
}
