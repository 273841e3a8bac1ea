/*
 * policy_show.h — `ringfence policy show`: the merged policy and where each
 * value came from (default, policy, managed, flag), as aligned
 * "key value (source)" lines or as JSON (rf_policy_to_json with sources).
 * Shared by the Linux and Windows CLIs, so both print the same thing.
 */
#ifndef RF_CLI_POLICY_SHOW_H
#define RF_CLI_POLICY_SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include "core/ringfence.h"

/* 0, or -1 when out of memory. */
int rf_policy_show(FILE *out, const rf_policy *policy, bool json);

#endif
