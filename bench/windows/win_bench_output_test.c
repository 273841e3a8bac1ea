/* win_bench_output_test.c — reading `ringfence-win bench` output (table-driven). */
#include <stdio.h>
#include <string.h>

#include "bench/windows/bench_windows.h"
#include "tests/check.h"

#define GOOD_HEAD "ringfence-win-bench 1\nplatform wine\nnote not Windows figures\nfiles 100\n" \
                  "acl_apply_first_ms 9.5\nacl_apply_again_ms 6.25\naces_present 7\nspawns 2\n"
#define GOOD_SPAWNS "spawn plain 1.5\nspawn restricted 2.5\nspawn restricted 3.5\nspawn plain 0.5\n" \
                    "spawn_plain_median_ms 1.5\nspawn_restricted_median_ms 3.5\n"

int main(void) {
    static const struct {
        const char *text;
        int want;
        const char *why_has; /* a word the error must contain */
        const char *reason;
    } cases[] = {
        {GOOD_HEAD GOOD_SPAWNS, 0, NULL, "the documented format"},
        {"ringfence-win-bench 1\r\nplatform windows\r\nfiles 100\r\nacl_apply_first_ms 1\r\n"
         "acl_apply_again_ms 1\r\naces_present 0\r\nspawns 1\r\nspawn plain 1\r\nspawn restricted 2\r\n",
         0, NULL, "Windows console line ends"},
        {"platform wine\n", -1, "before", "no version line first"},
        {"ringfence-win-bench 2\n", -1, "bad value", "a newer format is refused"},
        {GOOD_HEAD "spawn plain 1.5\n", -1, "incomplete", "fewer samples than spawns"},
        {GOOD_HEAD GOOD_SPAWNS "spawn plain 9\n", -1, "bad value", "more samples than spawns"},
        {GOOD_HEAD "spawn sideways 1\n", -1, "bad value", "an unknown launcher"},
        {GOOD_HEAD "spawn plain -1\n", -1, "bad value", "a negative time"},
        {GOOD_HEAD "spawn plain 1x\n", -1, "bad value", "trailing garbage"},
        {GOOD_HEAD "colour blue\n", -1, "unknown", "an unknown line"},
        {"hello\n", -1, "no value", "not key-value text"},
        {"", -1, "ringfence-win-bench", "empty output"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_bench_win_result r;
        char why[512] = "";
        int got = rf_bench_win_parse(cases[i].text, &r, why, sizeof why);
        CHECK(got == cases[i].want, "case %zu (%s): got %d (%s)", i, cases[i].reason, got, why);
        if (cases[i].why_has)
            CHECK(strstr(why, cases[i].why_has) != NULL, "case %zu (%s): error '%s' names '%s'", i,
                  cases[i].reason, why, cases[i].why_has);
        rf_bench_win_result_free(&r);
    }
    rf_bench_win_result r;
    char why[512] = "";
    CHECK(rf_bench_win_parse(GOOD_HEAD GOOD_SPAWNS, &r, why, sizeof why) == 0, "good output: %s", why);
    CHECK(r.wine && strcmp(r.note, "not Windows figures") == 0, "platform and note kept");
    CHECK(r.files == 100 && r.acl_first_ms == 9.5 && r.acl_again_ms == 6.25 && r.aces_present == 7,
          "the grant figures");
    CHECK(r.n_plain == 2 && r.plain_ms[0] == 1.5 && r.plain_ms[1] == 0.5, "plain samples in order");
    CHECK(r.n_restricted == 2 && r.restricted_ms[0] == 2.5 && r.restricted_ms[1] == 3.5,
          "restricted samples in order");
    rf_bench_win_result_free(&r);
    return check_summary("win_bench_output_test");
}
