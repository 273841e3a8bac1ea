/* guarantees.c — the Windows admin-free backend's guarantee table. */
#include "backends/windows/guarantees.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

static void set(rf_backend_status *st, rf_guarantee g, rf_level level, const char *why) {
    st->level[g] = level;
    snprintf(st->why[g], sizeof st->why[g], "%s", why);
}

void rf_win_unelevated_table(rf_backend_status *st, const char *wine_version) {
    memset(st->level, 0, sizeof st->level);
    st->name = "windows-unelevated";
    st->description = "synthetic SIDs, ACLs and a write-restricted token (no admin rights)";
    st->available = true;
    if (wine_version) {
        /* Wine accepts restricted tokens and DACLs and enforces neither. */
        snprintf(st->reason, sizeof st->reason,
                 "running under Wine %s, which does not enforce restricted SIDs or file DACLs",
                 wine_version);
        set(st, RF_G_WRITES, RF_ABSENT, "Wine does not enforce write-restricted tokens");
        set(st, RF_G_PROTECTED, RF_ABSENT, "Wine does not enforce file DACLs");
    } else {
        snprintf(st->reason, sizeof st->reason, "no setup needed");
        set(st, RF_G_WRITES, RF_ENFORCED,
            "write-restricted token: a write needs an ACE for a writable root's SID");
        set(st, RF_G_PROTECTED, RF_ENFORCED,
            "deny-write ACEs for the root SIDs on protected paths, created when absent");
    }
    set(st, RF_G_DENY_READ, RF_ABSENT,
        "reads use the user's own rights; the elevated backend (a sandbox user) provides it");
    set(st, RF_G_NETWORK, RF_ADVISORY,
        "proxy variables, GIT_SSH_COMMAND and denybin .cmd stubs; the elevated backend's "
        "firewall rule enforces it");
    set(st, RF_G_PROCESS_TREE, RF_ENFORCED, "job object with KILL_ON_JOB_CLOSE");
    snprintf(st->layers, sizeof st->layers,
             "synthetic per-root SIDs (BCryptGenRandom)\n"
             "ACEs: allow root SID on each writable root, deny-write on protected paths\n"
             "CreateRestrictedToken(DISABLE_MAX_PRIVILEGE|LUA_TOKEN|WRITE_RESTRICTED)\n"
             "job object (KILL_ON_JOB_CLOSE), stdio-only handle inheritance\n"
             "advisory network shims (env, denybin)");
}

int rf_win_check_requirements(const rf_policy *policy, const rf_backend_status *st,
                              rf_error *err) {
    for (int g = 0; g < RF_G_COUNT; g++) {
        if (!policy->require[g] || st->level[g] == RF_ENFORCED)
            continue;
        return rf_fail(err, RF_EBACKEND,
                       "backend %s cannot run this policy: it requires '%s' enforced, which "
                       "is %s here (%s)",
                       st->name, rf_guarantee_name((rf_guarantee)g), rf_level_name(st->level[g]),
                       st->why[g]);
    }
    return 0;
}

void rf_win_none_table(rf_backend_status *st) {
    memset(st->level, 0, sizeof st->level);
    st->name = "none";
    st->description = "no confinement (for comparison and debugging)";
    st->available = true;
    snprintf(st->reason, sizeof st->reason, "always available: runs the command unconfined");
    for (int g = 0; g < RF_G_COUNT; g++)
        set(st, (rf_guarantee)g, RF_ABSENT, "no confinement (backend none)");
    snprintf(st->layers, sizeof st->layers, "none: no layer is applied\n");
    st->gaps[0] = '\0';
}
