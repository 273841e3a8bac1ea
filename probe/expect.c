/* expect.c — expected outcomes from a guarantee table (expect.h). */
#include "probe/expect.h"

const char *rf_verdict_name(rf_verdict v) {
    switch (v) {
    case RF_VERDICT_OK:
        return "ok";
    case RF_VERDICT_UNCLAIMED:
        return "unclaimed";
    case RF_VERDICT_MISMATCH:
        return "mismatch";
    case RF_VERDICT_BROKEN:
        return "broken";
    case RF_VERDICT_SKIPPED:
        return "skipped";
    }
    return "unknown";
}

int rf_outcome_strength(rf_probe_outcome o) {
    switch (o) {
    case RF_OUT_ALLOWED:
        return 0;
    case RF_OUT_ADVISORY_BLOCKED:
        return 1;
    case RF_OUT_BLOCKED:
        return 2;
    case RF_OUT_ERROR:
        break;
    }
    return -1;
}

rf_expectation rf_probe_expect(rf_level level, rf_probe_kind kind) {
    if (kind == RF_KIND_CONTROL)
        return (rf_expectation){0, 0, "allowed"};
    switch (level) {
    case RF_ENFORCED:
        if (kind == RF_KIND_CONVENTIONAL)
            return (rf_expectation){1, 2, "advisory-blocked or blocked"};
        return (rf_expectation){2, 2, "blocked"};
    case RF_ADVISORY:
        if (kind == RF_KIND_CONVENTIONAL)
            return (rf_expectation){1, 1, "advisory-blocked"};
        return (rf_expectation){0, 0, "allowed"};
    case RF_ABSENT:
        break;
    }
    return (rf_expectation){0, 0, "allowed"};
}

rf_verdict rf_probe_verdict(rf_level level, rf_probe_kind kind, rf_probe_outcome outcome) {
    int s = rf_outcome_strength(outcome);
    if (s < 0)
        return RF_VERDICT_BROKEN;
    rf_expectation e = rf_probe_expect(level, kind);
    if (s < e.min_strength)
        return RF_VERDICT_MISMATCH;
    if (s > e.max_strength)
        /* A control probe that is stopped is over-confinement, not a bonus. */
        return kind == RF_KIND_CONTROL ? RF_VERDICT_MISMATCH : RF_VERDICT_UNCLAIMED;
    return RF_VERDICT_OK;
}
