/*
 * setup_config.h — the names and paths ringfence-setup works on.
 *
 * The production build (setup_config.c) has them fixed: the defaults listed
 * in README.md.  The test build (setup_config_testbuild.c) takes
 * --test-root DIR, --test-prefix PREFIX and --test-runner FILE so that a test
 * run creates only `rftest*` users and writes only under DIR; those options
 * do not exist in the production binary.
 */
#ifndef RF_ELEVATED_SETUP_CONFIG_H
#define RF_ELEVATED_SETUP_CONFIG_H

#include <limits.h>
#include <stdbool.h>

#include "core/ringfence.h"

typedef struct rf_setup_config {
    char group[64];           /* "ringfence" */
    char offline_user[64];    /* "ringfence-offline" */
    char online_user[64];     /* "ringfence-online" */
    char table[64];           /* nftables table name, family inet */
    char record_path[PATH_MAX];   /* /etc/ringfence/setup.json */
    char home_base[PATH_MAX];     /* /var/lib/ringfence */
    char unit_path[PATH_MAX];     /* /etc/systemd/system/ringfence-firewall.service */
    char wants_dir[PATH_MAX];     /* /etc/systemd/system/sysinit.target.wants */
    char libexec_dir[PATH_MAX];   /* /usr/local/libexec/ringfence */
    char runner_source[PATH_MAX]; /* the runner to install ("" = rf_install_find) */
    /* Arguments the restore unit must pass back to ringfence-setup (test build
     * only: the same --test-* options). */
    char unit_extra_args[PATH_MAX];
    bool test_build;
} rf_setup_config;

/* Fills `cfg`.  The test build removes its --test-* options from argv (and
 * refuses to run without --test-root); the production build leaves argv. */
int rf_setup_config_init(rf_setup_config *cfg, int *argc, char **argv, rf_error *err);

/* Test build: with RF_SETUP_TEST_STOP_AFTER=N in the environment, the process
 * kills itself with SIGKILL once step N is done (to test resuming an
 * interrupted setup).  Production build: does nothing. */
void rf_setup_test_step_done(const rf_setup_config *cfg, int step);

/* Test build: refuses (-EPERM) to change nftables in the network namespace of
 * pid 1, so a test can never touch the host's ruleset.  Production: 0. */
int rf_setup_test_netns_guard(const rf_setup_config *cfg, rf_error *err);

#endif
