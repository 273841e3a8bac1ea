/*
 * outcomes.h — rf-probe's output as data, and the checks made after a run.
 */
#ifndef RF_PROBE_OUTCOMES_H
#define RF_PROBE_OUTCOMES_H

#include <stdbool.h>
#include <stddef.h>

#include "probe/probe.h"

typedef struct rf_probe_line {
    const rf_probe *probe; /* from the table */
    bool seen;             /* rf-probe reported it */
    rf_probe_outcome outcome;
    int err;
    char detail[600];
} rf_probe_line;

/* One slot per probe of the table, in table order (malloc'd; free()). */
rf_probe_line *rf_probe_lines_new(size_t *count);

/* Fills the slots from rf-probe's JSON lines.  Returns 0, or < 0 with `why`
 * filled when a line is not JSON or names no known probe. */
int rf_probe_lines_parse(rf_probe_line *lines, size_t count, const char *output, char *why,
                         size_t why_len);

/* After the run, outside the sandbox: a probe flagged RF_PROBE_POST_CHECK
 * that reported `allowed` is settled here.
 *   writes.tmp_host  allowed only when the marker reached the host's /tmp
 *                    (else the write stayed in a private /tmp: blocked)
 *   writes.shm_host  the same for /dev/shm
 *   process.daemon   allowed when the daemon still holds the world's lock a
 *                    moment after the run; the survivor (found by the lock,
 *                    only that pid) is then killed
 * `nonce` is the world's. */
void rf_probe_post_check(rf_probe_line *line, const char *tmp_path, const char *lock_path,
                         const char *nonce);

#endif
