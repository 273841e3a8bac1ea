/* cli_common.c — option handling and error printing shared by the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/audit.h"
#include "core/cli/cli.h"

void rf_cli_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("ringfence: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

bool rf_cli_policy_option(rf_policy_args *args, int opt, const char *value) {
    switch (opt) {
    case OPT_POLICY:
        args->policy_file = value;
        return true;
    case OPT_WORKSPACE:
        args->workspace = value;
        return true;
    case OPT_NETWORK:
        args->network = value;
        return true;
    case OPT_BACKEND:
        args->backend = value;
        return true;
    case OPT_ALLOW_WRITE:
        if (args->n_allow_write < sizeof args->allow_write / sizeof args->allow_write[0])
            args->allow_write[args->n_allow_write++] = value;
        else
            rf_cli_error("too many --allow-write options (at most %zu); '%s' ignored",
                         sizeof args->allow_write / sizeof args->allow_write[0], value);
        return true;
    case OPT_REQUIRE:
        if (args->n_require < sizeof args->require / sizeof args->require[0])
            args->require[args->n_require++] = value;
        return true;
    }
    return false;
}

/* $XDG_CONFIG_HOME/ringfence/policy.json (or ~/.config/...) when it exists. */
char *rf_cli_default_policy_file(void) {
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char path[4096];
    if (xdg && xdg[0] == '/')
        snprintf(path, sizeof path, "%s/ringfence/policy.json", xdg);
    else if (home && home[0] == '/')
        snprintf(path, sizeof path, "%s/.config/ringfence/policy.json", home);
    else
        return NULL;
    struct stat st;
    return stat(path, &st) == 0 ? strdup(path) : NULL;
}

rf_policy *rf_cli_load_policy(const rf_policy_args *args) {
    char *fallback = args->policy_file ? NULL : rf_cli_default_policy_file();
    rf_load_options opts = {
        .policy_file = args->policy_file ? args->policy_file : fallback,
        .managed_file = rf_cli_managed_policy_path(),
        .overrides =
            {
                .workspace = args->workspace,
                .allow_write = args->allow_write,
                .n_allow_write = args->n_allow_write,
                .network = args->network,
                .backend = args->backend,
                .require = args->require,
                .n_require = args->n_require,
            },
    };
    rf_policy *policy = NULL;
    rf_error err = {0};
    if (rf_policy_load(&opts, &policy, &err) < 0) {
        rf_cli_error("%s", err.message);
        /* Best effort: a broken policy must still leave a trace. */
        char *log = NULL;
        rf_error ignored = {0};
        if (rf_audit_default_path(&log, &ignored) == 0)
            rf_audit_policy_error(log, &err, opts.policy_file, &ignored);
        free(log);
        policy = NULL;
    }
    free(fallback);
    return policy;
}
