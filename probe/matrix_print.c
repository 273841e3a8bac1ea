/* matrix_print.c — the matrix as a terminal table, a README table and JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "probe/matrix.h"

/* The short text of one cell. */
static void cell_text(const rf_matrix_column *col, size_t i, char *buf, size_t len) {
    if (!col->status.available) {
        snprintf(buf, len, "unavailable");
        return;
    }
    if (!col->ran || !col->cells) {
        snprintf(buf, len, "RUN FAILED");
        return;
    }
    const rf_matrix_cell *c = &col->cells[i];
    const char *o = rf_probe_outcome_name(c->line.outcome);
    switch (c->verdict) {
    case RF_VERDICT_OK:
        snprintf(buf, len, "%s", o);
        break;
    case RF_VERDICT_UNCLAIMED:
        snprintf(buf, len, "%s (unclaimed)", o);
        break;
    case RF_VERDICT_MISMATCH:
        snprintf(buf, len, "MISMATCH: %s, want %s", o, c->expected);
        break;
    case RF_VERDICT_BROKEN:
        snprintf(buf, len, "BROKEN: %s", o);
        break;
    case RF_VERDICT_SKIPPED:
        snprintf(buf, len, "skipped %s", c->expected ? c->expected : "");
        break;
    }
}

static void print_summary(const rf_matrix *m, FILE *out) {
    fprintf(out, "%zu probes; %zu mismatches, %zu broken, %zu unclaimed blocks, %zu skipped\n",
            m->n_probes, m->mismatches, m->broken, m->unclaimed, m->skipped);
}

void rf_matrix_print_text(const rf_matrix *m, FILE *out) {
    /* Each column as wide as its widest cell. */
    int width[64];
    size_t n_cols = m->n_columns < 64 ? m->n_columns : 64;
    for (size_t c = 0; c < n_cols; c++) {
        width[c] = (int)strlen(m->columns[c].status.name);
        for (size_t i = 0; i < m->n_probes; i++) {
            char cell[160];
            cell_text(&m->columns[c], i, cell, sizeof cell);
            if ((int)strlen(cell) > width[c])
                width[c] = (int)strlen(cell);
        }
    }
    fprintf(out, "%-30s %-13s", "probe", "guarantee");
    for (size_t c = 0; c < n_cols; c++)
        fprintf(out, "  %-*s", width[c], m->columns[c].status.name);
    fputc('\n', out);
    for (size_t i = 0; i < m->n_probes; i++) {
        fprintf(out, "%-30s %-13s", m->probes[i].id, rf_guarantee_name(m->probes[i].guarantee));
        for (size_t c = 0; c < n_cols; c++) {
            char cell[160];
            cell_text(&m->columns[c], i, cell, sizeof cell);
            fprintf(out, "  %-*s", width[c], cell);
        }
        fputc('\n', out);
    }
    fputc('\n', out);
    for (size_t c = 0; c < m->n_columns; c++) {
        const rf_matrix_column *col = &m->columns[c];
        if (!col->status.available)
            fprintf(out, "%s: unavailable: %s\n", col->status.name, col->status.reason);
        else if (!col->ran)
            fprintf(out, "%s: the run failed: %s\n", col->status.name, col->error);
    }
    /* Details for every cell that needs a look. */
    for (size_t c = 0; c < m->n_columns; c++) {
        const rf_matrix_column *col = &m->columns[c];
        for (size_t i = 0; col->ran && i < m->n_probes; i++) {
            const rf_matrix_cell *cell = &col->cells[i];
            if (cell->verdict == RF_VERDICT_MISMATCH || cell->verdict == RF_VERDICT_BROKEN)
                fprintf(out, "%s under %s: %s (want %s): %s\n", m->probes[i].id, col->status.name,
                        rf_probe_outcome_name(cell->line.outcome), cell->expected,
                        cell->line.detail);
        }
    }
    print_summary(m, out);
}

void rf_matrix_print_markdown(const rf_matrix *m, const char *command, FILE *out) {
    fprintf(out, "Produced by `%s` on %s (%s).\n\n", command, m->kernel,
            m->as_root ? "as root" : "as a plain user");
    fprintf(out, "| backend | writes | protected | deny_read | network | process_tree |\n");
    fprintf(out, "|---|---|---|---|---|---|\n");
    for (size_t c = 0; c < m->n_columns; c++) {
        const rf_matrix_column *col = &m->columns[c];
        fprintf(out, "| %s |", col->status.name);
        for (int g = 0; g < RF_G_COUNT; g++)
            fprintf(out, " %s |",
                    col->status.available ? rf_level_name(col->status.level[g]) : "unavailable");
        fputc('\n', out);
    }
    fprintf(out, "\n| probe | guarantee | kind |");
    for (size_t c = 0; c < m->n_columns; c++)
        fprintf(out, " %s |", m->columns[c].status.name);
    fprintf(out, "\n|---|---|---|");
    for (size_t c = 0; c < m->n_columns; c++)
        fprintf(out, "---|");
    fputc('\n', out);
    for (size_t i = 0; i < m->n_probes; i++) {
        const rf_probe *p = &m->probes[i];
        fprintf(out, "| `%s` %s | %s | %s |", p->id, p->description,
                rf_guarantee_name(p->guarantee), rf_probe_kind_name(p->kind));
        for (size_t c = 0; c < m->n_columns; c++) {
            char cell[160];
            cell_text(&m->columns[c], i, cell, sizeof cell);
            bool bad = strncmp(cell, "MISMATCH", 8) == 0 || strncmp(cell, "BROKEN", 6) == 0;
            fprintf(out, bad ? " **%s** |" : " %s |", cell);
        }
        fputc('\n', out);
    }
    fputc('\n', out);
    for (size_t c = 0; c < m->n_columns; c++)
        if (!m->columns[c].status.available)
            fprintf(out, "- %s: unavailable: %s\n", m->columns[c].status.name,
                    m->columns[c].status.reason);
    fprintf(out, "\nblocked: the OS refused; advisory-blocked: a convention (proxy variables, "
                 "PATH stubs) stopped a tool that follows it; allowed: the escape worked; "
                 "(unclaimed): stopped although the guarantee table does not claim it.\n\n");
    print_summary(m, out);
}

static cJSON *column_json(const rf_matrix_column *col) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", col->status.name);
    cJSON_AddBoolToObject(o, "available", col->status.available);
    cJSON_AddStringToObject(o, "reason", col->status.reason);
    cJSON *g = cJSON_AddObjectToObject(o, "guarantees");
    for (int i = 0; i < RF_G_COUNT; i++)
        cJSON_AddStringToObject(g, rf_guarantee_name((rf_guarantee)i),
                                rf_level_name(col->status.level[i]));
    cJSON_AddBoolToObject(o, "ran", col->ran);
    cJSON_AddStringToObject(o, "error", col->error);
    return o;
}

void rf_matrix_print_json(const rf_matrix *m, FILE *out) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "kernel", m->kernel);
    cJSON_AddBoolToObject(root, "as_root", m->as_root);
    cJSON *backends = cJSON_AddArrayToObject(root, "backends");
    for (size_t c = 0; c < m->n_columns; c++)
        cJSON_AddItemToArray(backends, column_json(&m->columns[c]));
    cJSON *probes = cJSON_AddArrayToObject(root, "probes");
    for (size_t i = 0; i < m->n_probes; i++) {
        const rf_probe *p = &m->probes[i];
        cJSON *po = cJSON_CreateObject();
        cJSON_AddStringToObject(po, "id", p->id);
        cJSON_AddStringToObject(po, "guarantee", rf_guarantee_name(p->guarantee));
        cJSON_AddStringToObject(po, "kind", rf_probe_kind_name(p->kind));
        cJSON_AddStringToObject(po, "description", p->description);
        cJSON *results = cJSON_AddObjectToObject(po, "results");
        for (size_t c = 0; c < m->n_columns; c++) {
            const rf_matrix_column *col = &m->columns[c];
            if (!col->ran || !col->cells)
                continue;
            const rf_matrix_cell *cell = &col->cells[i];
            cJSON *r = cJSON_AddObjectToObject(results, col->status.name);
            cJSON_AddStringToObject(r, "outcome", rf_probe_outcome_name(cell->line.outcome));
            cJSON_AddStringToObject(r, "expected", cell->expected ? cell->expected : "");
            cJSON_AddStringToObject(r, "verdict", rf_verdict_name(cell->verdict));
            cJSON_AddNumberToObject(r, "errno", cell->line.err);
            cJSON_AddStringToObject(r, "detail", cell->line.detail);
        }
        cJSON_AddItemToArray(probes, po);
    }
    cJSON *s = cJSON_AddObjectToObject(root, "summary");
    cJSON_AddNumberToObject(s, "probes", (double)m->n_probes);
    cJSON_AddNumberToObject(s, "mismatches", (double)m->mismatches);
    cJSON_AddNumberToObject(s, "broken", (double)m->broken);
    cJSON_AddNumberToObject(s, "unclaimed", (double)m->unclaimed);
    cJSON_AddNumberToObject(s, "skipped", (double)m->skipped);
    char *text = cJSON_Print(root);
    if (text)
        fprintf(out, "%s\n", text);
    free(text);
    cJSON_Delete(root);
}
