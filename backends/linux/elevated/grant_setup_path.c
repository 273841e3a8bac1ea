/* grant_setup_path.c — the shipped ringfence-grant reads the fixed setup record. */
#include "backends/linux/elevated/grant_setup_path.h"

#include "backends/linux/elevated/setup_record.h"

const char *rf_grant_setup_record_path(void) { return RF_SETUP_RECORD_PATH; }
