/* cmd_policy.c — `ringfence policy check FILE` and `ringfence policy show`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli/cli.h"
#include "core/cli/policy_show.h"

static const char policy_usage[] =
    "usage: ringfence policy check FILE\n"
    "       ringfence policy show [options] [--json]\n"
    "\n"
    "check   validates FILE (merged with the admin-managed policy, if any) and\n"
    "        prints the first error naming the field, or 'ok'.  Exit 0 or 125.\n"
    "show    prints the merged policy that `run` would use, and where each value\n"
    "        came from: default, policy (your file), managed (the admin's), flag.\n"
    "\n"
    "options of show:\n" RF_POLICY_OPTIONS_HELP "  --json               JSON output\n";

static int show(int argc, char **argv) {
    static const struct option longopts[] = {
        RF_POLICY_LONG_OPTIONS,
        {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    rf_policy_args args = {0};
    bool json = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (rf_cli_policy_option(&args, opt, optarg))
            continue;
        if (opt == OPT_JSON) {
            json = true;
        } else if (opt == OPT_HELP) {
            fputs(policy_usage, stdout);
            return 0;
        } else {
            fputs(policy_usage, stderr);
            return RF_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        rf_cli_error("policy show: unexpected argument '%s'", argv[optind]);
        return RF_EXIT_USAGE;
    }
    rf_policy *policy = rf_cli_load_policy(&args);
    if (!policy)
        return RF_EXIT_FAILURE;
    int rc = rf_policy_show(stdout, policy, json);
    rf_policy_free(policy);
    if (rc < 0) {
        rf_cli_error("policy show: out of memory");
        return RF_EXIT_FAILURE;
    }
    return 0;
}

static int check(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        fputs(policy_usage, stdout);
        return 0;
    }
    if (argc != 2) {
        rf_cli_error("policy check: expected exactly one FILE (usage: ringfence policy check FILE)");
        return RF_EXIT_USAGE;
    }
    rf_policy_args args = {.policy_file = argv[1]};
    rf_policy *policy = rf_cli_load_policy(&args);
    if (!policy)
        return RF_EXIT_FAILURE;
    rf_policy_free(policy);
    printf("%s: ok\n", argv[1]);
    return 0;
}

int rf_cmd_policy(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(policy_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? RF_EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "check") == 0)
        return check(argc - 1, argv + 1);
    if (strcmp(argv[1], "show") == 0)
        return show(argc - 1, argv + 1);
    rf_cli_error("policy: unknown subcommand '%s' (check, show)", argv[1]);
    return RF_EXIT_USAGE;
}
