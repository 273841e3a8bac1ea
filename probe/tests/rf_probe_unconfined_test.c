/*
 * rf_probe_unconfined_test — every probe must succeed with no sandbox at all.
 *
 * Builds a world, runs rf-probe directly (no ringfence) on a pty, applies the
 * after-run checks, and expects `allowed` from every probe: a probe that
 * cannot escape when nothing stops it is broken, and the matrix would
 * otherwise count its failure as a sandbox's success.  Probes that need root
 * are skipped (and said so) when the test does not run as root.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/outcomes.h"
#include "probe/session.h"
#include "probe/world.h"
#include "tests/check.h"

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH-TO-rf-probe\n", argv[0]);
        return 2;
    }
    char probe_bin[PATH_MAX];
    if (!realpath(argv[1], probe_bin)) {
        perror(argv[1]);
        return 2;
    }
    rf_world *world = NULL;
    rf_error err = {0};
    int rc = rf_world_create(NULL, &world, &err);
    CHECK(rc == 0, "building the world: %s", err.message);
    if (rc < 0)
        return check_summary("rf_probe_unconfined");

    char *const run_argv[] = {probe_bin, "--world", (char *)rf_world_file(world), NULL};
    char *output = NULL, why[512] = "";
    rc = rf_probe_session_run(rf_probe_launch_direct, NULL, run_argv, &output, why, sizeof why);
    CHECK(rc == 0, "running rf-probe: rc %d %s", rc, why);

    size_t count = 0;
    rf_probe_line *lines = rf_probe_lines_new(&count);
    CHECK(lines && count >= 40, "the table has %zu probes, want at least 40", count);
    if (rc == 0 && lines) {
        rc = rf_probe_lines_parse(lines, count, output, why, sizeof why);
        CHECK(rc == 0, "parsing rf-probe's output: %s", why);
    }
    bool root = geteuid() == 0;
    for (size_t i = 0; lines && i < count; i++) {
        rf_probe_line *l = &lines[i];
        rf_probe_post_check(l, rf_world_tmp_path(world), rf_world_lock_path(world),
                            rf_world_nonce(world));
        if (!root && (l->probe->flags & RF_PROBE_NEEDS_ROOT) && l->outcome == RF_OUT_BLOCKED) {
            printf("skip %s (needs root): %s\n", l->probe->id, l->detail);
            continue;
        }
        if (l->outcome == RF_OUT_ERROR && l->err == RF_PROBE_ENOTOOL) {
            printf("skip %s (tool not installed): %s\n", l->probe->id, l->detail);
            continue;
        }
        CHECK(l->seen, "%s: rf-probe did not report it", l->probe->id);
        CHECK(l->outcome == RF_OUT_ALLOWED, "%s must be allowed unconfined, got %s: %s",
              l->probe->id, rf_probe_outcome_name(l->outcome), l->detail);
        printf("%-32s %-8s %s\n", l->probe->id, rf_probe_outcome_name(l->outcome), l->detail);
    }
    free(lines);
    free(output);
    rf_world_destroy(world);
    return check_summary("rf_probe_unconfined");
}
