/* cmd_run.c — `ringfence run [options] -- CMD ARGS...` */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli/cli.h"

static const char run_usage[] =
    "usage: ringfence run [options] [--] COMMAND [ARGS...]\n"
    "\n"
    "Runs COMMAND inside the sandbox described by the policy.  The terminal,\n"
    "stdin, stdout and stderr pass through; SIGINT, SIGTERM, SIGHUP and SIGQUIT\n"
    "are forwarded.\n"
    "\n"
    "options:\n" RF_POLICY_OPTIONS_HELP
    "  --timeout SECONDS    end the whole process tree after SECONDS (exit 124)\n"
    "  --help               this text\n"
    "\n"
    "exit status: the command's own; 128+N when killed by signal N; 124 on\n"
    "timeout; 125 when ringfence fails (bad policy, no backend meets the policy's\n"
    "requirements); 126 when the command cannot be executed; 127 when it is not\n"
    "found.\n";

static bool parse_timeout(const char *text, double *out) {
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end != '\0' || !isfinite(v) || v <= 0 || v > 1e7)
        return false;
    *out = v;
    return true;
}

int rf_cmd_run(int argc, char **argv) {
    static const struct option longopts[] = {
        RF_POLICY_LONG_OPTIONS,
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    rf_policy_args args = {0};
    double timeout = 0;
    int opt;
    optind = 1;
    /* "+": stop at the first non-option, which starts the command. */
    while ((opt = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
        if (rf_cli_policy_option(&args, opt, optarg))
            continue;
        switch (opt) {
        case OPT_TIMEOUT:
            if (!parse_timeout(optarg, &timeout)) {
                rf_cli_error("--timeout: '%s' is not a positive number of seconds", optarg);
                return RF_EXIT_FAILURE;
            }
            break;
        case OPT_HELP:
            fputs(run_usage, stdout);
            return 0;
        default:
            fputs(run_usage, stderr);
            return RF_EXIT_FAILURE;
        }
    }
    if (optind >= argc) {
        rf_cli_error("run: no command given (usage: ringfence run [options] -- COMMAND [ARGS...])");
        return RF_EXIT_FAILURE;
    }

    rf_policy *policy = rf_cli_load_policy(&args);
    if (!policy)
        return RF_EXIT_FAILURE;
    rf_sandbox *sb = NULL;
    rf_error err = {0};
    int code = RF_EXIT_FAILURE;
    if (rf_sandbox_open(policy, NULL, &sb, &err) < 0) {
        rf_cli_error("%s", err.message);
        goto out;
    }
    rf_run_request req = {
        .argv = argv + optind,
        .timeout_seconds = timeout,
        .stdin_fd = -1,
        .stdout_fd = -1,
        .stderr_fd = -1,
        /* `ringfence run` starts nothing else: every orphan it adopts is the
         * command's, so a timeout can end escaped grandchildren too. */
        .adopt_orphans = true,
    };
    rf_run_result res;
    if (rf_sandbox_run(sb, &req, &res, &err) < 0) {
        rf_cli_error("%s", err.message);
        goto out;
    }
    if (res.exec_failed)
        rf_cli_error("cannot run '%s': %s", argv[optind], strerror(res.exec_errno));
    else if (res.timed_out)
        rf_cli_error("'%s' timed out after %g seconds; its process tree was ended", argv[optind],
                     timeout);
    code = res.exit_code;
out:
    rf_sandbox_close(sb);
    rf_policy_free(policy);
    return code;
}
