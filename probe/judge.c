/* judge.c — verdicts of one matrix column against its guarantee table (matrix.h). */
#include "probe/matrix.h"

void rf_matrix_judge(rf_matrix_column *col, size_t n_probes, bool baseline, bool as_root,
                     const rf_matrix_column *base) {
    for (size_t i = 0; col->cells && i < n_probes; i++) {
        rf_matrix_cell *c = &col->cells[i];
        const rf_probe *p = c->line.probe;
        /* Probes that need root cannot run unconfined as a plain user; the
         * baseline's line decides for every column. */
        const rf_probe_line *b = base && base->cells ? &base->cells[i].line : &c->line;
        if (!as_root && (p->flags & RF_PROBE_NEEDS_ROOT) && b->outcome != RF_OUT_ALLOWED) {
            c->verdict = RF_VERDICT_SKIPPED;
            c->expected = "(needs root)";
            continue;
        }
        /* A tool the probe runs is not installed on this machine. */
        if (b->outcome == RF_OUT_ERROR && b->err == RF_PROBE_ENOTOOL) {
            c->verdict = RF_VERDICT_SKIPPED;
            c->expected = "(tool not installed)";
            continue;
        }
        if (baseline) {
            c->expected = "allowed";
            c->verdict = c->line.outcome == RF_OUT_ALLOWED ? RF_VERDICT_OK : RF_VERDICT_BROKEN;
            continue;
        }
        rf_level level = col->status.level[p->guarantee];
        c->expected = rf_probe_expect(level, p->kind).text;
        c->verdict = rf_probe_verdict(level, p->kind, c->line.outcome);
    }
}

void rf_matrix_count(rf_matrix *m) {
    m->mismatches = m->broken = m->skipped = m->unclaimed = 0;
    for (size_t c = 0; c < m->n_columns; c++) {
        const rf_matrix_column *col = &m->columns[c];
        if (!col->status.available)
            continue;
        if (!col->ran) {
            m->broken++;
            continue;
        }
        for (size_t i = 0; i < m->n_probes; i++) {
            switch (col->cells[i].verdict) {
            case RF_VERDICT_MISMATCH:
                m->mismatches++;
                break;
            case RF_VERDICT_BROKEN:
                m->broken++;
                break;
            case RF_VERDICT_SKIPPED:
                m->skipped++;
                break;
            case RF_VERDICT_UNCLAIMED:
                m->unclaimed++;
                break;
            case RF_VERDICT_OK:
                break;
            }
        }
    }
}
