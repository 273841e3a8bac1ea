/*
 * expect.h — what a backend's guarantee table says a probe's outcome must be.
 *
 * Outcomes are ordered by strength: allowed < advisory-blocked < blocked.
 * From the level the backend claims for the probe's guarantee and the
 * probe's kind:
 *
 *   kind \ level    enforced                advisory            absent
 *   control         allowed                 allowed             allowed
 *   raw             blocked                 allowed             allowed
 *   conventional    advisory-blocked or     advisory-blocked    allowed
 *                   blocked (the shim acts
 *                   first; raw probes carry
 *                   the kernel's evidence)
 *
 * An outcome weaker than the claim is a mismatch (the table promises more
 * than the backend delivers) and fails the run; a stronger one is reported as
 * "unclaimed" and does not; a control probe that is not allowed is a
 * mismatch too (the sandbox breaks legitimate work); `error` is a broken
 * probe.
 */
#ifndef RF_PROBE_EXPECT_H
#define RF_PROBE_EXPECT_H

#include "core/ringfence.h"
#include "probe/probe.h"

typedef enum rf_verdict {
    RF_VERDICT_OK = 0,
    RF_VERDICT_UNCLAIMED, /* stopped more than the table claims: fine, said so */
    RF_VERDICT_MISMATCH,  /* the table claims more than the outcome shows */
    RF_VERDICT_BROKEN,    /* the probe itself failed */
    RF_VERDICT_SKIPPED,   /* cannot run here (needs root) */
} rf_verdict;

const char *rf_verdict_name(rf_verdict v);

typedef struct rf_expectation {
    int min_strength; /* weaker than this: mismatch */
    int max_strength; /* stronger than this: unclaimed */
    const char *text; /* "blocked", "advisory-blocked or blocked", ... */
} rf_expectation;

int rf_outcome_strength(rf_probe_outcome o); /* 0, 1, 2; -1 for error */
rf_expectation rf_probe_expect(rf_level level, rf_probe_kind kind);
rf_verdict rf_probe_verdict(rf_level level, rf_probe_kind kind, rf_probe_outcome outcome);

#endif
