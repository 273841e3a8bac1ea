/* main.c — ringfence's command line: dispatch to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "core/cli/cli.h"

static const char main_usage[] =
    "usage: ringfence COMMAND [options]\n"
    "\n"
    "Runs the commands of AI coding agents inside an operating-system boundary.\n"
    "\n"
    "commands:\n"
    "  run [options] -- CMD ARGS...   run CMD in the sandbox\n"
    "  status [--json]                backends on this machine and what each enforces\n"
    "  policy check FILE              validate a policy file\n"
    "  policy show [options]          the merged policy and where each value came from\n"
    "  probe [--backend B | --all]    run the escape probes and print the matrix\n"
    "  demo                           a short scripted agent session, explained\n"
    "  setup [--check]                (root) users, firewall and runner of the elevated\n"
    "                                 backend; --check reports, changes nothing\n"
    "  uninstall                      (root) remove everything setup made\n"
    "  grant [--wait] DIR             let the elevated backend's sandbox users work in DIR\n"
    "  ungrant DIR                    remove exactly what `grant` added\n"
    "\n"
    "  --version                      print the version\n"
    "  --help                         this text; `ringfence COMMAND --help` for more\n";

typedef struct subcommand {
    const char *name;
    int (*fn)(int argc, char **argv);
} subcommand;

static const subcommand subcommands[] = {
    {"run", rf_cmd_run},       {"status", rf_cmd_status}, {"policy", rf_cmd_policy},
    {"probe", rf_cmd_probe},   {"demo", rf_cmd_demo},     {"setup", rf_cmd_setup},
    {"uninstall", rf_cmd_uninstall}, {"grant", rf_cmd_grant}, {"ungrant", rf_cmd_ungrant},
};

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(main_usage, stderr);
        return RF_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(main_usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("ringfence %s\n", RINGFENCE_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(cmd, subcommands[i].name) == 0)
            return subcommands[i].fn(argc - 1, argv + 1);
    rf_cli_error("unknown command '%s' (see `ringfence --help`)", cmd);
    return RF_EXIT_USAGE;
}
