/* expect_test — the expected outcome of a probe, from level × kind × outcome. */
#include "probe/expect.h"
#include "tests/check.h"

typedef struct expect_case {
    rf_level level;
    rf_probe_kind kind;
    rf_probe_outcome outcome;
    rf_verdict want;
    const char *reason;
} expect_case;

static const expect_case cases[] = {
    /* raw escapes */
    {RF_ENFORCED, RF_KIND_RAW, RF_OUT_BLOCKED, RF_VERDICT_OK, "enforced and the OS refused"},
    {RF_ENFORCED, RF_KIND_RAW, RF_OUT_ALLOWED, RF_VERDICT_MISMATCH, "enforced but it got through"},
    {RF_ENFORCED, RF_KIND_RAW, RF_OUT_ADVISORY_BLOCKED, RF_VERDICT_MISMATCH,
     "enforced, but only a convention stopped a raw escape"},
    {RF_ENFORCED, RF_KIND_RAW, RF_OUT_ERROR, RF_VERDICT_BROKEN, "an error is a broken probe"},
    {RF_ADVISORY, RF_KIND_RAW, RF_OUT_ALLOWED, RF_VERDICT_OK,
     "advisory does not stop a probe that bypasses conventions"},
    {RF_ADVISORY, RF_KIND_RAW, RF_OUT_BLOCKED, RF_VERDICT_UNCLAIMED, "stopped beyond the claim"},
    {RF_ABSENT, RF_KIND_RAW, RF_OUT_ALLOWED, RF_VERDICT_OK, "absent: the escape works"},
    {RF_ABSENT, RF_KIND_RAW, RF_OUT_BLOCKED, RF_VERDICT_UNCLAIMED, "blocked (unclaimed)"},
    {RF_ABSENT, RF_KIND_RAW, RF_OUT_ERROR, RF_VERDICT_BROKEN, "errors are broken at any level"},
    /* conventional escapes (tools that follow proxy variables and PATH) */
    {RF_ENFORCED, RF_KIND_CONVENTIONAL, RF_OUT_BLOCKED, RF_VERDICT_OK, "the OS refused the tool"},
    {RF_ENFORCED, RF_KIND_CONVENTIONAL, RF_OUT_ADVISORY_BLOCKED, RF_VERDICT_OK,
     "the shim acted before the kernel could"},
    {RF_ENFORCED, RF_KIND_CONVENTIONAL, RF_OUT_ALLOWED, RF_VERDICT_MISMATCH,
     "enforced, got through"},
    {RF_ADVISORY, RF_KIND_CONVENTIONAL, RF_OUT_ADVISORY_BLOCKED, RF_VERDICT_OK,
     "advisory: the shim stopped the well-behaved tool"},
    {RF_ADVISORY, RF_KIND_CONVENTIONAL, RF_OUT_ALLOWED, RF_VERDICT_MISMATCH,
     "advisory claimed, but the shim did not stop a tool that honours it"},
    {RF_ADVISORY, RF_KIND_CONVENTIONAL, RF_OUT_BLOCKED, RF_VERDICT_UNCLAIMED,
     "the OS stopped what was only claimed advisory"},
    {RF_ABSENT, RF_KIND_CONVENTIONAL, RF_OUT_ALLOWED, RF_VERDICT_OK, "absent: the tool connects"},
    {RF_ABSENT, RF_KIND_CONVENTIONAL, RF_OUT_ADVISORY_BLOCKED, RF_VERDICT_UNCLAIMED,
     "a shim where none is claimed"},
    /* controls: legitimate work must go through everywhere */
    {RF_ENFORCED, RF_KIND_CONTROL, RF_OUT_ALLOWED, RF_VERDICT_OK, "writing the workspace works"},
    {RF_ENFORCED, RF_KIND_CONTROL, RF_OUT_BLOCKED, RF_VERDICT_MISMATCH, "over-confinement"},
    {RF_ABSENT, RF_KIND_CONTROL, RF_OUT_BLOCKED, RF_VERDICT_MISMATCH,
     "over-confinement unconfined"},
    {RF_ADVISORY, RF_KIND_CONTROL, RF_OUT_ADVISORY_BLOCKED, RF_VERDICT_MISMATCH,
     "a control stopped by a shim"},
    {RF_ADVISORY, RF_KIND_CONTROL, RF_OUT_ERROR, RF_VERDICT_BROKEN, "a broken control"},
};

int main(void) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const expect_case *c = &cases[i];
        rf_verdict got = rf_probe_verdict(c->level, c->kind, c->outcome);
        CHECK(got == c->want, "%s (%s, %s, %s): got %s, want %s", c->reason,
              rf_level_name(c->level), rf_probe_kind_name(c->kind),
              rf_probe_outcome_name(c->outcome), rf_verdict_name(got), rf_verdict_name(c->want));
    }
    /* The expectation text the matrix prints follows the same table. */
    CHECK_STR_EQ(rf_probe_expect(RF_ENFORCED, RF_KIND_RAW).text, "blocked", "raw enforced");
    CHECK_STR_EQ(rf_probe_expect(RF_ADVISORY, RF_KIND_CONVENTIONAL).text, "advisory-blocked",
                 "conventional advisory");
    CHECK_STR_EQ(rf_probe_expect(RF_ABSENT, RF_KIND_CONVENTIONAL).text, "allowed",
                 "conventional absent");
    CHECK(rf_outcome_strength(RF_OUT_ALLOWED) < rf_outcome_strength(RF_OUT_ADVISORY_BLOCKED) &&
              rf_outcome_strength(RF_OUT_ADVISORY_BLOCKED) < rf_outcome_strength(RF_OUT_BLOCKED),
          "outcomes are ordered allowed < advisory-blocked < blocked");
    return check_summary("expect");
}
