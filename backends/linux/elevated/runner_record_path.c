/* runner_record_path.c — the production runner trusts only the record at the path compiled in. */
#include <errno.h>
#include <stdio.h>

#include "backends/linux/elevated/runner.h"
#include "core/error.h"

int rf_runner_record_path(char *out, size_t len, rf_error *err) {
    if ((size_t)snprintf(out, len, "%s", RF_SETUP_RECORD_PATH) >= len)
        return rf_fail(err, -ENAMETOOLONG, "setup record path %s is too long", RF_SETUP_RECORD_PATH);
    return 0;
}
