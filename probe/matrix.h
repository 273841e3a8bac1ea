/*
 * matrix.h — the escape matrix: every probe under the `none` baseline and
 * under each requested backend, judged against that backend's own guarantee
 * table (expect.h).
 */
#ifndef RF_PROBE_MATRIX_H
#define RF_PROBE_MATRIX_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/ringfence.h"
#include "probe/expect.h"
#include "probe/outcomes.h"

typedef struct rf_matrix_options {
    const char *const *backends; /* names; empty with `all` */
    size_t n_backends;
    bool all;              /* every available backend except none */
    const char *probe_bin; /* NULL: found beside ringfence */
    const char *world_dir; /* NULL: the world's default */
    /* When set (by a signal handler) the matrix stops after the current
     * column, tears the world down and returns -EINTR. */
    volatile sig_atomic_t *stop;
} rf_matrix_options;

typedef struct rf_matrix_cell {
    rf_probe_line line;
    rf_verdict verdict;
    const char *expected; /* the expectation's text */
} rf_matrix_cell;

typedef struct rf_matrix_column {
    rf_backend_status status;
    bool ran;
    char error[1024];      /* why the run failed ("" when it ran) */
    rf_matrix_cell *cells; /* one per probe, table order; NULL when not run */
} rf_matrix_column;

typedef struct rf_matrix {
    const rf_probe *probes;
    size_t n_probes;
    rf_matrix_column *columns; /* [0] is the `none` baseline */
    size_t n_columns;
    char kernel[256];
    bool as_root;
    size_t mismatches, broken, skipped, unclaimed;
} rf_matrix;

/* Builds the world, runs every column, tears the world down.  Returns 0 when
 * the matrix could be made (look at mismatches/broken for the verdict), < 0
 * when ringfence itself failed (world, policy, rf-probe missing). */
int rf_matrix_run(const rf_matrix_options *opts, rf_matrix **out, rf_error *err);
void rf_matrix_free(rf_matrix *m);

/* Where rf-probe lives (beside the ringfence binary, or the install tree). */
int rf_matrix_find_probe(char **path, rf_error *err);

/* Fills the verdicts of one column from its lines and the column's table;
 * the baseline (`none`) demands `allowed` from every probe.  Exposed for the
 * unit test. */
void rf_matrix_judge(rf_matrix_column *col, size_t n_probes, bool baseline, bool as_root,
                     const rf_matrix_column *base);

/* Counts the verdicts of every column into m's totals; a column that could
 * not run counts as broken, an unavailable one not at all. */
void rf_matrix_count(rf_matrix *m);

/* Output. `command` is the command line shown in the markdown header. */
void rf_matrix_print_text(const rf_matrix *m, FILE *out);
void rf_matrix_print_markdown(const rf_matrix *m, const char *command, FILE *out);
void rf_matrix_print_json(const rf_matrix *m, FILE *out);

#endif
