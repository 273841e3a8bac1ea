/* cmd_grant.c — `ringfence grant DIR` and `ringfence ungrant DIR`: exec
 * ringfence-grant, which links libacl so that this CLI does not. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cli/cli.h"
#include "core/install_paths.h"

static const char grant_usage[] =
    "usage: ringfence grant [--wait] [--policy FILE] [--allow-write PATH]... DIR\n"
    "       ringfence ungrant DIR\n"
    "\n"
    "For the elevated backend (after `sudo ringfence setup`): grant lets its\n"
    "sandbox users work in the workspace DIR with POSIX ACL entries computed from\n"
    "the same policy `ringfence run` uses: read-write on writable roots,\n"
    "read-only on protected paths, no access to deny_read paths, traverse on your\n"
    "home folder and read on tool folders (never on secrets).  DIR is usable at\n"
    "once; files already in it get their entries in the background.  Granting\n"
    "is recorded ($XDG_STATE_HOME/ringfence/grants.json) and never repeated, so\n"
    "later runs cost nothing per file.  ungrant removes exactly what grant added.\n"
    "\n"
    "options:\n"
    "  --wait               wait until the files already in DIR have their entries\n"
    "  --policy FILE        the policy (default: the one `ringfence run` uses)\n"
    "  --allow-write PATH   another writable root (repeatable)\n"
    "  --help               this text\n";

enum { OPT_WAIT = 2000 };

/* argv for ringfence-grant: VERB [--managed-policy F] [--policy F] [options] DIR. */
static int exec_grant(const char *verb, char **extra, size_t n_extra, const char *policy_file) {
    char *program = NULL;
    rf_error err = {0};
    if (rf_install_find(rf_cli_grant_program(), &program, &err) < 0) {
        rf_cli_error("%s: %s", verb, err.message);
        return RF_EXIT_FAILURE;
    }
    const char *managed = rf_cli_managed_policy_path();
    char **argv = calloc(n_extra + 8, sizeof *argv);
    if (!argv) {
        rf_cli_error("%s: %s", verb, strerror(ENOMEM));
        free(program);
        return RF_EXIT_FAILURE;
    }
    size_t n = 0;
    argv[n++] = program;
    argv[n++] = (char *)verb;
    if (managed && managed[0]) {
        argv[n++] = "--managed-policy";
        argv[n++] = (char *)managed;
    }
    if (policy_file) {
        argv[n++] = "--policy";
        argv[n++] = (char *)policy_file;
    }
    for (size_t i = 0; i < n_extra; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    fflush(NULL);
    execv(program, argv);
    rf_cli_error("%s: cannot run %s: %s", verb, program, strerror(errno));
    free(argv);
    free(program);
    return RF_EXIT_FAILURE;
}

static int grant_or_ungrant(const char *verb, int argc, char **argv) {
    static const struct option longopts[] = {
        {"wait", no_argument, NULL, OPT_WAIT},
        {"policy", required_argument, NULL, OPT_POLICY},
        {"allow-write", required_argument, NULL, OPT_ALLOW_WRITE},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    bool ungrant = strcmp(verb, "ungrant") == 0;
    char *extra[2 * 64 + 2];
    size_t n_extra = 0;
    const char *policy_file = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_WAIT:
            extra[n_extra++] = "--wait";
            break;
        case OPT_POLICY:
            policy_file = optarg;
            break;
        case OPT_ALLOW_WRITE:
            if (n_extra + 2 > sizeof extra / sizeof extra[0] - 2) {
                rf_cli_error("%s: too many --allow-write options", verb);
                return RF_EXIT_USAGE;
            }
            extra[n_extra++] = "--allow-write";
            extra[n_extra++] = optarg;
            break;
        case OPT_HELP:
            fputs(grant_usage, stdout);
            return 0;
        default:
            fputs(grant_usage, stderr);
            return RF_EXIT_USAGE;
        }
        if (ungrant && opt != OPT_HELP) {
            rf_cli_error("ungrant takes no options but --help (usage: ringfence ungrant DIR)");
            return RF_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        rf_cli_error("%s: give exactly one directory (usage: ringfence %s%s DIR)", verb, verb,
                     ungrant ? "" : " [options]");
        return RF_EXIT_USAGE;
    }
    extra[n_extra++] = argv[optind];
    char *fallback = (!ungrant && !policy_file) ? rf_cli_default_policy_file() : NULL;
    int rc = exec_grant(verb, extra, n_extra, policy_file ? policy_file : fallback);
    free(fallback);
    return rc;
}

int rf_cmd_grant(int argc, char **argv) { return grant_or_ungrant("grant", argc, argv); }
int rf_cmd_ungrant(int argc, char **argv) { return grant_or_ungrant("ungrant", argc, argv); }
