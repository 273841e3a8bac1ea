/*
 * policy_flags.c — the command-line overrides (rf_overrides) checked into a
 * raw policy, with the same rules as the file; errors name the flag.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/policy_internal.h"

static int check_path_flag(const char *value, const char *flag, rf_error *err) {
    if (!value || value[0] == '\0')
        return rf_fail_policy(err, flag, "empty path");
    return 0;
}

static int parse_network_flag(const char *value, rf_raw_policy *out, rf_error *err) {
    rf_quoted q;
    if (strcmp(value, "off") == 0)
        out->network = RF_NET_OFF;
    else if (strcmp(value, "on") == 0)
        out->network = RF_NET_ON;
    else
        return rf_fail_policy(err, "--network", "expected \"off\" or \"on\", got %s",
                              rf_quote(&q, value));
    out->has_network = true;
    return 0;
}

static int parse_backend_flag(const char *value, rf_raw_policy *out, rf_error *err) {
    rf_quoted q;
    if (strcmp(value, "auto") != 0 && !rf_policy_backend_known(value))
        return rf_fail_policy(err, "--backend", "unknown backend %s (choices: %s)",
                              rf_quote(&q, value), rf_policy_backend_choices());
    out->backend = strdup(value);
    return out->backend ? 0 : -ENOMEM;
}

int rf_policy_flags_parse(const rf_overrides *flags, rf_raw_policy *out, rf_error *err) {
    rf_quoted q;
    int rc;
    if (flags->workspace) {
        if ((rc = check_path_flag(flags->workspace, "--workspace", err)) < 0)
            return rc;
        out->workspace = strdup(flags->workspace);
        if (!out->workspace)
            return -ENOMEM;
    }
    for (size_t i = 0; i < flags->n_allow_write; i++) {
        if ((rc = check_path_flag(flags->allow_write[i], "--allow-write", err)) < 0)
            return rc;
        if ((rc = rf_strv_push(&out->writable_roots, flags->allow_write[i])) < 0)
            return rc;
        out->has_writable_roots = true;
    }
    if (flags->network && (rc = parse_network_flag(flags->network, out, err)) < 0)
        return rc;
    if (flags->backend && (rc = parse_backend_flag(flags->backend, out, err)) < 0)
        return rc;
    for (size_t i = 0; i < flags->n_require; i++) {
        const char *name = flags->require[i] ? flags->require[i] : "";
        int g = rf_guarantee_from_name(name);
        if (g < 0)
            return rf_fail_policy(err, "--require",
                                  "unknown guarantee %s (choices: writes, protected, deny_read, "
                                  "network, process_tree)",
                                  rf_quote(&q, name));
        out->require[g] = true;
    }
    return 0;
}
