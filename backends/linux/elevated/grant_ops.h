/*
 * grant_ops.h — `ringfence grant` and `ringfence ungrant`, as run by the
 * ringfence-grant program (as the user, never setuid).
 *
 * grant    plan from the policy; apply each target's own path at once and
 *          record it; then walk the files already beneath the walked
 *          targets, in a detached background process (progress in
 *          <state>/ringfence/grant-progress) or, with `wait`, in the
 *          foreground.  A workspace already recorded costs one stat and one
 *          read of grants.json: nothing is walked.
 * ungrant  undo exactly what the record says was added (see acl_model.h for
 *          how entries of the user's own are kept), then drop the record;
 *          the shared home grant goes with the last workspace.
 */
#ifndef RF_ELEVATED_GRANT_OPS_H
#define RF_ELEVATED_GRANT_OPS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/ringfence.h"

typedef struct rf_grant_options {
    const char *dir;          /* the workspace */
    const char *policy_file;  /* NULL: built-in defaults */
    const char *managed_file; /* NULL: none */
    const char *const *allow_write;
    size_t n_allow_write;
    const char *setup_record; /* path of setup.json */
    bool wait;                /* walk in the foreground */
} rf_grant_options;

int rf_grant_run(const rf_grant_options *opts, rf_error *err);
int rf_ungrant_run(const rf_grant_options *opts, rf_error *err);

#endif
