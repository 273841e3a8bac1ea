/* setup_config.c — the fixed names and paths of the production ringfence-setup. */
#include "backends/linux/elevated/setup_config.h"

#include <stdio.h>
#include <string.h>

#include "backends/linux/elevated/setup_record.h"

int rf_setup_config_init(rf_setup_config *cfg, int *argc, char **argv, rf_error *err) {
    (void)argc;
    (void)argv;
    (void)err;
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->group, sizeof cfg->group, "ringfence");
    snprintf(cfg->offline_user, sizeof cfg->offline_user, "ringfence-offline");
    snprintf(cfg->online_user, sizeof cfg->online_user, "ringfence-online");
    snprintf(cfg->table, sizeof cfg->table, "ringfence");
    snprintf(cfg->record_path, sizeof cfg->record_path, "%s", RF_SETUP_RECORD_PATH);
    snprintf(cfg->home_base, sizeof cfg->home_base, "/var/lib/ringfence");
    snprintf(cfg->unit_path, sizeof cfg->unit_path,
             "/etc/systemd/system/ringfence-firewall.service");
    snprintf(cfg->wants_dir, sizeof cfg->wants_dir, "/etc/systemd/system/sysinit.target.wants");
    snprintf(cfg->libexec_dir, sizeof cfg->libexec_dir, "/usr/local/libexec/ringfence");
    return 0;
}

void rf_setup_test_step_done(const rf_setup_config *cfg, int step) {
    (void)cfg;
    (void)step;
}

int rf_setup_test_netns_guard(const rf_setup_config *cfg, rf_error *err) {
    (void)cfg;
    (void)err;
    return 0;
}
