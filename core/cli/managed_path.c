/* managed_path.c — where the admin-managed policy lives, fixed at build time so
 * that nothing the user controls (environment, flags) can point elsewhere. */
#include "core/cli/cli.h"

#ifndef RF_MANAGED_POLICY_PATH
#define RF_MANAGED_POLICY_PATH "/etc/ringfence/managed.json"
#endif

const char *rf_cli_managed_policy_path(void) { return RF_MANAGED_POLICY_PATH; }

const char *rf_cli_setup_program(void) { return "backends/linux/elevated/ringfence-setup"; }
const char *rf_cli_grant_program(void) { return "backends/linux/elevated/ringfence-grant"; }
