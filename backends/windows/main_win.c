/*
 * main_win.c — ringfence on Windows (ringfence.exe, also built as
 * ringfence-win.exe): the same commands, options, policy and exit codes as
 * the core CLI where they apply.
 *
 *   ringfence run [--policy F] [--workspace D] [--allow-write D]...
 *                 [--network on|off] [--backend B] [--require G]...
 *                 [--timeout S] [--read-only] -- CMD [ARGS...]   (run_win.c)
 *   ringfence status [--json]
 *   ringfence policy check FILE
 *   ringfence ungrant DIR
 *   ringfence selftest
 *   ringfence bench [FILES [SPAWNS]]
 *
 * Exit codes of `run` (DESIGN.md): the command's own status, 124 on timeout,
 * 125 when ringfence fails, 126 when the command cannot be started, 127 when
 * it is not found.  Other commands: 0, 2 for a bad command line, 125 when
 * ringfence fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/bench_win.h"
#include "backends/windows/guarantees.h"
#include "backends/windows/prepare_win.h"
#include "backends/windows/run_win.h"
#include "backends/windows/selftest_win.h"
#include "backends/windows/status_print.h"
#include "core/error.h"

#define EXIT_USAGE 2

static const char main_usage[] =
    "usage: ringfence COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  run [options] -- CMD ARGS...   run CMD in the sandbox (`run --help`)\n"
    "  status [--json]                backends here and what each enforces\n"
    "  policy check FILE              validate a policy file (with the managed one)\n"
    "  ungrant DIR                    remove the ACEs ringfence added on DIR and below\n"
    "  selftest                       check the boundary on this Windows machine\n"
    "  bench [FILES [SPAWNS]]         ACL and spawn timings\n"
    "  --version                      print the version\n";

static int usage(void) {
    fputs(main_usage, stderr);
    return EXIT_USAGE;
}

/* `ringfence status [--json]`: the backends built in, in core's layout. */
static int cmd_status(int argc, char **argv) {
    bool json = argc == 3 && strcmp(argv[2], "--json") == 0;
    if (argc > 3 || (argc == 3 && !json)) {
        fprintf(stderr, "usage: ringfence status [--json]\n");
        return EXIT_USAGE;
    }
    rf_backend_status sts[2];
    memset(sts, 0, sizeof sts);
    rf_win_unelevated_table(&sts[0], rf_win_wine_version());
    rf_win_none_table(&sts[1]);
    char *text = NULL;
    rf_error err = {0};
    if (rf_win_status_render(sts, 2, json, &text, &err) < 0) {
        fprintf(stderr, "ringfence: %s\n", err.message);
        return 125;
    }
    fputs(text, stdout);
    free(text);
    return 0;
}

int wmain(int argc, wchar_t **wargv) {
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    for (int i = 0; argv && i < argc; i++)
        if (rf_win_narrow(wargv[i], &argv[i], NULL) < 0)
            return 125;
    if (!argv || argc < 2)
        return usage();
    const char *cmd = argv[1];
    if (strcmp(cmd, "run") == 0)
        return rf_win_cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "policy") == 0)
        return rf_win_cmd_policy_check(argc - 1, argv + 1);
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(main_usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("ringfence %s (windows)\n", RINGFENCE_VERSION);
        return 0;
    }
    if (strcmp(cmd, "probe") == 0 && (argc == 4 || argc == 5))
        return rf_win_probe(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
    if (strcmp(cmd, "status") == 0)
        return cmd_status(argc, argv);
    if (strcmp(cmd, "selftest") == 0) {
        rf_error err = {0};
        int rc = rf_win_selftest(argv[0], stdout, &err);
        if (rc < 0)
            fprintf(stderr, "ringfence-win selftest: %s\n", err.message);
        return rc < 0 ? 125 : rc;
    }
    if (strcmp(cmd, "bench") == 0 && argc <= 4) {
        rf_error err = {0};
        int files = argc >= 3 ? atoi(argv[2]) : 10000, spawns = argc >= 4 ? atoi(argv[3]) : 20;
        if (files < 1 || spawns < 1)
            return usage();
        int rc = rf_win_bench(argv[0], files, spawns, stdout, &err);
        if (rc < 0)
            fprintf(stderr, "ringfence-win bench: %s\n", err.message);
        return rc < 0 ? 125 : 0;
    }
    char *state_path = NULL;
    rf_error err = {0};
    if (rf_win_state_path(&state_path, &err) < 0) {
        fprintf(stderr, "ringfence: %s\n", err.message);
        return 125;
    }
    int status;
    if (strcmp(cmd, "ungrant") == 0 && argc == 3) {
        size_t removed = 0;
        status = rf_win_ungrant(argv[2], state_path, &removed, &err) < 0 ? 125 : 0;
        if (status)
            fprintf(stderr, "ringfence: %s\n", err.message);
        else
            printf("removed %llu ACEs under %s\n", (unsigned long long)removed, argv[2]);
    } else {
        status = usage();
    }
    free(state_path);
    return status;
}
