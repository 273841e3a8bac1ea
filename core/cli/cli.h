/* cli.h — the pieces shared by ringfence's subcommands. */
#ifndef RF_CLI_H
#define RF_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "core/ringfence.h"

/* Exit codes of ringfence itself (DESIGN.md). */
enum {
    RF_EXIT_USAGE = 2,      /* bad command line for a non-run subcommand */
    RF_EXIT_TIMEOUT = 124,
    RF_EXIT_FAILURE = 125,  /* ringfence failed: bad policy, no backend */
};

/* The options every policy-taking subcommand accepts. */
typedef struct rf_policy_args {
    const char *policy_file;
    const char *workspace;
    const char *network;
    const char *backend;
    const char *allow_write[64];
    size_t n_allow_write;
    const char *require[16];
    size_t n_require;
} rf_policy_args;

/* getopt_long ids of the shared policy options. */
enum {
    OPT_POLICY = 1000,
    OPT_WORKSPACE,
    OPT_ALLOW_WRITE,
    OPT_NETWORK,
    OPT_BACKEND,
    OPT_REQUIRE,
    OPT_HELP,
    OPT_JSON,
    OPT_TIMEOUT,
    OPT_KEEP,
};

#define RF_POLICY_LONG_OPTIONS                                                             \
    {"policy", required_argument, NULL, OPT_POLICY},                                       \
        {"workspace", required_argument, NULL, OPT_WORKSPACE},                             \
        {"allow-write", required_argument, NULL, OPT_ALLOW_WRITE},                         \
        {"network", required_argument, NULL, OPT_NETWORK},                                 \
        {"backend", required_argument, NULL, OPT_BACKEND},                                 \
        {"require", required_argument, NULL, OPT_REQUIRE}

#define RF_POLICY_OPTIONS_HELP                                                             \
    "  --policy FILE        the policy (default: $XDG_CONFIG_HOME/ringfence/policy.json\n" \
    "                       when it exists, else built-in defaults)\n"                     \
    "  --workspace DIR      the workspace (default: the current directory)\n"              \
    "  --allow-write PATH   another writable root (repeatable)\n"                          \
    "  --network on|off     allow or deny network access (default: off)\n"                 \
    "  --backend NAME       auto (default), unelevated, none, ...\n"                       \
    "  --require G          a guarantee that must be enforced (repeatable): writes,\n"     \
    "                       protected, deny_read, network, process_tree\n"

/* Handles one shared policy option; returns false when `opt` is not one. */
bool rf_cli_policy_option(rf_policy_args *args, int opt, const char *value);

/* Loads the policy for the args (managed policy included); on failure prints
 * the error, records it in the audit log and returns NULL. */
rf_policy *rf_cli_load_policy(const rf_policy_args *args);

/* The managed policy path of this build (managed_path.c / managed_path_test.c). */
const char *rf_cli_managed_policy_path(void);

/* ringfence-setup of this build, for rf_install_find (the test build runs
 * the test build of ringfence-setup, whose paths all lie in a test folder). */
const char *rf_cli_setup_program(void);
/* ringfence-grant of this build, relative to the install folders (rf_install_find). */
const char *rf_cli_grant_program(void);

/* $XDG_CONFIG_HOME/ringfence/policy.json (or ~/.config/...) when it exists,
 * else NULL; malloc'd. */
char *rf_cli_default_policy_file(void);

void rf_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int rf_cmd_run(int argc, char **argv);
int rf_cmd_policy(int argc, char **argv);
int rf_cmd_status(int argc, char **argv);
int rf_cmd_demo(int argc, char **argv);
int rf_cmd_setup(int argc, char **argv);     /* cmd_setup.c: execs ringfence-setup */
int rf_cmd_uninstall(int argc, char **argv);
int rf_cmd_grant(int argc, char **argv);   /* cmd_grant.c */
int rf_cmd_ungrant(int argc, char **argv);
int rf_cmd_probe(int argc, char **argv); /* probe/cmd_probe.c */

#endif
