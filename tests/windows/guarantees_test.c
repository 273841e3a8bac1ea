/* guarantees_test.c — the admin-free Windows table, and failing closed on requirements. */
#include <string.h>

#include "backends/windows/guarantees.h"
#include "tests/check.h"

static void test_table(void) {
    static const struct {
        const char *wine;
        rf_level want[RF_G_COUNT];
        const char *reason;
    } cases[] = {
        {NULL, {RF_ENFORCED, RF_ENFORCED, RF_ABSENT, RF_ADVISORY, RF_ENFORCED}, "on Windows"},
        {"8.0", {RF_ABSENT, RF_ABSENT, RF_ABSENT, RF_ADVISORY, RF_ENFORCED},
         "under Wine the token and DACLs count for nothing"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_backend_status st;
        memset(&st, 0, sizeof st);
        rf_win_unelevated_table(&st, cases[i].wine);
        for (int g = 0; g < RF_G_COUNT; g++) {
            CHECK(st.level[g] == cases[i].want[g], "%s: %s is %s", cases[i].reason,
                  rf_guarantee_name((rf_guarantee)g), rf_level_name(st.level[g]));
            CHECK(st.why[g][0] != '\0', "%s: %s has a reason", cases[i].reason,
                  rf_guarantee_name((rf_guarantee)g));
        }
    }
}

/* The declared gaps: one line, `guarantee.facet: ...` as the judge matches
 * it, saying it is unverified; the same under Wine; none for `none`. */
static void test_gaps(void) {
    static const struct {
        const char *wine;
        const char *reason;
    } cases[] = {{NULL, "on Windows"}, {"8.0", "under Wine"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_backend_status st;
        memset(&st, 0, sizeof st);
        rf_win_unelevated_table(&st, cases[i].wine);
        CHECK(strncmp(st.gaps, "process_tree.other_process: ", 28) == 0, "%s: the gap line: %s",
              cases[i].reason, st.gaps);
        const char *nl = strchr(st.gaps, '\n');
        CHECK(nl && nl[1] == '\0', "%s: exactly one line, ending in a newline", cases[i].reason);
        CHECK(strstr(st.gaps, "PROCESS_VM_READ") && strstr(st.gaps, "PROCESS_TERMINATE") &&
                  !strstr(st.gaps, "PROCESS_VM_WRITE"),
              "%s: names the rights expected through, not the write-type ones", cases[i].reason);
        CHECK(strstr(st.gaps, "unverified") != NULL, "%s: says it is unverified", cases[i].reason);
        CHECK(st.level[RF_G_PROCESS_TREE] == RF_ENFORCED,
              "%s: the guarantee itself stays enforced (the job)", cases[i].reason);
    }
    rf_backend_status none;
    memset(&none, 0, sizeof none);
    rf_win_none_table(&none);
    CHECK(none.gaps[0] == '\0', "backend none declares no gap (everything is absent)");
}

static void test_requirements(void) {
    static const struct {
        rf_guarantee require;
        bool wine;
        bool ok;
        const char *reason;
    } cases[] = {
        {RF_G_WRITES, false, true, "writes are enforced"},
        {RF_G_PROTECTED, false, true, "protected paths are enforced"},
        {RF_G_PROCESS_TREE, false, true, "the process tree is enforced"},
        {RF_G_DENY_READ, false, false, "deny_read needs the elevated backend"},
        {RF_G_NETWORK, false, false, "network is only advisory"},
        {RF_G_WRITES, true, false, "under Wine nothing is enforced"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_policy policy;
        memset(&policy, 0, sizeof policy);
        policy.require[cases[i].require] = true;
        rf_backend_status st;
        memset(&st, 0, sizeof st);
        rf_win_unelevated_table(&st, cases[i].wine ? "8.0" : NULL);
        rf_error err = {0};
        int rc = rf_win_check_requirements(&policy, &st, &err);
        CHECK((rc == 0) == cases[i].ok, "%s: %s", cases[i].reason, err.message);
        if (!cases[i].ok)
            CHECK(rc == RF_EBACKEND &&
                      strstr(err.message, rf_guarantee_name(cases[i].require)) != NULL,
                  "%s: the message names the guarantee (%s)", cases[i].reason, err.message);
    }
}

int main(void) {
    test_table();
    test_gaps();
    test_requirements();
    return check_summary("guarantees_test");
}
