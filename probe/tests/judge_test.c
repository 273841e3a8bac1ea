/* judge_test — verdicts of matrix columns: the baseline demands `allowed`,
 * other columns follow their guarantee table, root-only probes are skipped
 * for a plain user, and the totals count what fails the run. */
#include <stdlib.h>
#include <string.h>

#include "probe/matrix.h"
#include "tests/check.h"

/* Three probes stand for the kinds: a control, a raw escape, a tool. */
static const rf_probe probes[] = {
    {"writes.inside", RF_G_WRITES, RF_KIND_CONTROL, 0, NULL, "control"},
    {"network.raw_socket", RF_G_NETWORK, RF_KIND_RAW, RF_PROBE_NEEDS_ROOT, NULL, "raw, root"},
    {"network.curl_proxy", RF_G_NETWORK, RF_KIND_CONVENTIONAL, 0, NULL, "conventional"},
};
#define N 3

typedef struct judge_case {
    const char *reason;
    bool baseline, as_root;
    rf_level network;         /* the column's network level */
    rf_probe_outcome base[N]; /* the baseline's outcomes */
    rf_probe_outcome got[N];  /* this column's outcomes */
    rf_verdict want[N];
} judge_case;

#define A RF_OUT_ALLOWED
#define B RF_OUT_BLOCKED
#define V RF_OUT_ADVISORY_BLOCKED
#define E RF_OUT_ERROR

/* clang-format off */
static const judge_case cases[] = {
    {"baseline: everything allowed is fine", true, true, RF_ABSENT,
     {A, A, A}, {A, A, A}, {RF_VERDICT_OK, RF_VERDICT_OK, RF_VERDICT_OK}},
    {"baseline: a blocked or failing probe is broken", true, true, RF_ABSENT,
     {B, E, V}, {B, E, V}, {RF_VERDICT_BROKEN, RF_VERDICT_BROKEN, RF_VERDICT_BROKEN}},
    {"baseline as a plain user: the root-only probe is skipped", true, false, RF_ABSENT,
     {A, B, A}, {A, B, A}, {RF_VERDICT_OK, RF_VERDICT_SKIPPED, RF_VERDICT_OK}},
    {"enforced network: raw blocked, tool stopped by the shim", false, true, RF_ENFORCED,
     {A, A, A}, {A, B, V}, {RF_VERDICT_OK, RF_VERDICT_OK, RF_VERDICT_OK}},
    {"enforced network that leaks", false, true, RF_ENFORCED,
     {A, A, A}, {A, A, A}, {RF_VERDICT_OK, RF_VERDICT_MISMATCH, RF_VERDICT_MISMATCH}},
    {"advisory network: the raw escape gets through, the tool is stopped", false, true, RF_ADVISORY,
     {A, A, A}, {A, A, V}, {RF_VERDICT_OK, RF_VERDICT_OK, RF_VERDICT_OK}},
    {"absent network but blocked: unclaimed; a blocked control is a mismatch", false, true, RF_ABSENT,
     {A, A, A}, {B, B, A}, {RF_VERDICT_MISMATCH, RF_VERDICT_UNCLAIMED, RF_VERDICT_OK}},
    {"plain user: the root-only probe is skipped in every column", false, false, RF_ENFORCED,
     {A, B, A}, {A, B, B}, {RF_VERDICT_OK, RF_VERDICT_SKIPPED, RF_VERDICT_OK}},
    {"a missing tool (ENOTOOL in the baseline) skips the probe, not the run", true, true, RF_ABSENT,
     {A, A, E}, {A, A, E}, {RF_VERDICT_OK, RF_VERDICT_OK, RF_VERDICT_SKIPPED}},
    {"a missing tool (ENOTOOL) skips it under the backend too", false, true, RF_ENFORCED,
     {A, A, E}, {A, B, E}, {RF_VERDICT_OK, RF_VERDICT_OK, RF_VERDICT_SKIPPED}},
    {"an error that is not a missing tool is still broken", true, true, RF_ABSENT,
     {A, A, E}, {A, A, E}, {RF_VERDICT_OK, RF_VERDICT_OK, RF_VERDICT_BROKEN}},
};
/* clang-format on */

static int error_errno; /* the errno of `error` lines in the next fill() */

static void fill(rf_matrix_column *col, const rf_probe_outcome *outcomes) {
    col->cells = calloc(N, sizeof *col->cells);
    col->ran = true;
    col->status.available = true;
    for (size_t i = 0; i < N; i++) {
        col->cells[i].line.probe = &probes[i];
        col->cells[i].line.seen = true;
        col->cells[i].line.outcome = outcomes[i];
        col->cells[i].line.err = outcomes[i] == RF_OUT_ERROR ? error_errno : 0;
    }
}

int main(void) {
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const judge_case *c = &cases[k];
        rf_matrix_column base, col;
        memset(&base, 0, sizeof base);
        memset(&col, 0, sizeof col);
        error_errno = strstr(c->reason, "ENOTOOL") ? RF_PROBE_ENOTOOL : EIO;
        fill(&base, c->base);
        fill(&col, c->got);
        col.status.level[RF_G_NETWORK] = c->network;
        col.status.level[RF_G_WRITES] = RF_ENFORCED;
        rf_matrix_judge(&base, N, true, c->as_root, NULL);
        rf_matrix_judge(&col, N, c->baseline, c->as_root, &base);
        for (size_t i = 0; i < N; i++)
            CHECK(col.cells[i].verdict == c->want[i], "%s: %s got %s, want %s", c->reason,
                  probes[i].id, rf_verdict_name(col.cells[i].verdict), rf_verdict_name(c->want[i]));
        free(base.cells);
        free(col.cells);
    }

    /* Totals: mismatches and broken runs fail; unavailable columns do not count. */
    rf_matrix_column cols[3];
    memset(cols, 0, sizeof cols);
    error_errno = EIO;
    fill(&cols[0], (rf_probe_outcome[]){A, A, A});
    fill(&cols[1], (rf_probe_outcome[]){A, A, E});
    cols[1].status.level[RF_G_NETWORK] = RF_ENFORCED;
    cols[2].status.available = false;
    rf_matrix m = {
        .probes = probes, .n_probes = N, .columns = cols, .n_columns = 3, .as_root = true};
    rf_matrix_judge(&cols[0], N, true, true, NULL);
    rf_matrix_judge(&cols[1], N, false, true, &cols[0]);
    rf_matrix_count(&m);
    CHECK(m.mismatches == 1, "one mismatch (the raw escape got through), got %zu", m.mismatches);
    CHECK(m.broken == 1, "one broken probe (error), got %zu", m.broken);
    cols[1].ran = false;
    rf_matrix_count(&m);
    CHECK(m.broken == 1 && m.mismatches == 0, "a column that did not run counts once as broken");
    free(cols[0].cells);
    free(cols[1].cells);
    return check_summary("judge");
}
