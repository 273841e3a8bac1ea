/*
 * setup_steps.h — the verbs of ringfence-setup: setup (create or repair),
 * check, uninstall, restore-firewall.  Each returns the program's exit code
 * (0 success, 1 failure or, for check, something not ok) and prints what it
 * did or found.
 */
#ifndef RF_ELEVATED_SETUP_STEPS_H
#define RF_ELEVATED_SETUP_STEPS_H

#include <stddef.h>
#include <sys/types.h>

#include "backends/linux/elevated/setup_config.h"
#include "backends/linux/elevated/setup_record.h"

typedef struct rf_setup_options {
    unsigned proxy_ports[RF_SETUP_MAX_PROXY_PORTS];
    size_t n_proxy_ports;
    bool ports_given;       /* --proxy-port seen: replaces the recorded ports */
    long invoking_uid;      /* the person running sudo; -1 when unknown */
} rf_setup_options;

/* Steps, in the order setup (and uninstall) perform them; the test build
 * kills itself after step N with RF_SETUP_TEST_STOP_AFTER=N. */
enum {
    RF_STEP_RECORD_INTENT = 0,
    RF_STEP_GROUP,
    RF_STEP_OFFLINE_USER,
    RF_STEP_ONLINE_USER,
    RF_STEP_MEMBERSHIP,
    RF_STEP_TABLE,
    RF_STEP_UNIT,
    RF_STEP_RUNNER,
    RF_STEP_DONE,
    /* uninstall's steps */
    RF_STEP_UNDO_FILES = 100, /* runner, unit, restore program */
    RF_STEP_UNDO_TABLE,
    RF_STEP_UNDO_OFFLINE_USER,
    RF_STEP_UNDO_ONLINE_USER,
};

/* The record as this configuration would write it, before any step: names,
 * paths, version; ids 0 and digests empty. */
int rf_setup_record_for(const rf_setup_config *cfg, rf_setup_record *rec, rf_error *err);

/* The table text the record calls for. */
int rf_setup_expected_table(const rf_setup_record *rec, char *out, size_t len, rf_error *err);

/* The unit text for this configuration. */
int rf_setup_expected_unit(const rf_setup_config *cfg, char *out, size_t len, rf_error *err);

/* Path of the ringfence-setup copy the restore unit runs; -ENAMETOOLONG
 * (with `err` filled) when it does not fit `out`. */
int rf_setup_restore_program(const rf_setup_config *cfg, char *out, size_t len, rf_error *err);

int rf_setup_do_setup(const rf_setup_config *cfg, const rf_setup_options *opts);
int rf_setup_do_check(const rf_setup_config *cfg, const rf_setup_options *opts);
int rf_setup_do_uninstall(const rf_setup_config *cfg);
int rf_setup_do_restore_firewall(const rf_setup_config *cfg);

#endif
