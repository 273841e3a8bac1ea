/* landlock_plan_test.c — which Landlock rights for which ABI, and the rules for a policy (table-driven). */
#include <stdio.h>
#include <string.h>

#include "backends/linux/landlock.h"
#include "core/policy.h"
#include "tests/check.h"

/* The kernel's bit numbers, written out independently of landlock.c. */
#define BIT(n) (1ULL << (n))
#define ABI1_FS (BIT(13) - 1) /* execute .. make_sym: bits 0-12 */

static const struct {
    int abi;
    bool network_off;
    uint64_t fs, net, scoped;
    uint32_t flags;
    const char *reason;
} cases[] = {
    {1, true, ABI1_FS, 0, 0, 0, "ABI 1: the 13 original rights, no network rules"},
    {2, true, ABI1_FS | BIT(13), 0, 0, 0, "ABI 2 adds REFER (links and renames across the boundary)"},
    {3, true, ABI1_FS | BIT(13) | BIT(14), 0, 0, 0, "ABI 3 adds TRUNCATE"},
    {4, true, ABI1_FS | BIT(13) | BIT(14), BIT(0) | BIT(1), 0, 0, "ABI 4: TCP bind+connect handled when network is off"},
    {4, false, ABI1_FS | BIT(13) | BIT(14), 0, 0, 0, "ABI 4 with network on: no network rules"},
    {5, true, ABI1_FS | BIT(13) | BIT(14) | BIT(15), BIT(0) | BIT(1), 0, 0, "ABI 5 adds IOCTL_DEV"},
    {6, true, ABI1_FS | BIT(13) | BIT(14) | BIT(15), BIT(0) | BIT(1), BIT(0) | BIT(1), 0,
     "ABI 6 scopes abstract unix sockets and signals"},
    {6, false, ABI1_FS | BIT(13) | BIT(14) | BIT(15), 0, BIT(0) | BIT(1), 0, "ABI 6 network on: scopes stay"},
    {7, true, ABI1_FS | BIT(13) | BIT(14) | BIT(15), BIT(0) | BIT(1), BIT(0) | BIT(1), 0,
     "ABI 7: no new right; audit flags left at the default"},
    {9, true, ABI1_FS | BIT(13) | BIT(14) | BIT(15), BIT(0) | BIT(1), BIT(0) | BIT(1), 0,
     "a newer kernel is used at ABI 7"},
};

int main(void) {
    rf_policy pol;
    memset(&pol, 0, sizeof pol);
    rf_list_add(&pol.writable_roots, "/home/u/proj", RF_SRC_DEFAULT);
    rf_list_add(&pol.writable_roots, "/srv/cache", RF_SRC_DEFAULT);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pol.network = cases[i].network_off ? RF_NET_OFF : RF_NET_ON;
        rf_landlock_plan plan;
        rf_error err = {0};
        int rc = rf_landlock_plan_build(&pol, cases[i].abi, NULL, &plan, &err);
        CHECK(rc == 0, "%s: %s", cases[i].reason, err.message);
        if (rc < 0)
            continue;
        CHECK(plan.handled_fs == cases[i].fs, "%s: fs %llx want %llx", cases[i].reason,
              (unsigned long long)plan.handled_fs, (unsigned long long)cases[i].fs);
        CHECK(plan.handled_net == cases[i].net, "%s: net %llx", cases[i].reason, (unsigned long long)plan.handled_net);
        CHECK(plan.scoped == cases[i].scoped, "%s: scoped %llx", cases[i].reason, (unsigned long long)plan.scoped);
        CHECK(plan.restrict_flags == cases[i].flags, "%s: flags %x", cases[i].reason, plan.restrict_flags);
        /* Rules: "/" read + execute only; every root everything; nothing else gets MAKE_* rights. */
        uint64_t read_only = BIT(0) | BIT(2) | BIT(3);
        bool saw_root[2] = {false, false};
        for (size_t r = 0; r < plan.n_rules; r++) {
            const rf_landlock_rule *rule = &plan.rules[r];
            if (strcmp(rule->path, "/") == 0)
                CHECK(rule->access == read_only, "%s: / gets read+execute only", cases[i].reason);
            else if (strcmp(rule->path, "/home/u/proj") == 0)
                saw_root[0] = rule->access == plan.handled_fs;
            else if (strcmp(rule->path, "/srv/cache") == 0)
                saw_root[1] = rule->access == plan.handled_fs;
            else if (strcmp(rule->path, "/tmp") != 0 && strcmp(rule->path, "/dev/shm") != 0)
                CHECK((rule->access & (BIT(6) | BIT(7) | BIT(8) | BIT(12) | BIT(4) | BIT(5))) == 0,
                      "%s: %s can create or remove nothing", cases[i].reason, rule->path);
        }
        CHECK(saw_root[0] && saw_root[1], "%s: both writable roots get every right", cases[i].reason);
        rf_landlock_plan_free(&plan);
    }
    /* Where temporary files may go: /tmp and /dev/shm (namespace or tmp
     * shared), or only the sandbox's own folder (no namespace, tmp private). */
    static const struct {
        const char *own_tmp;
        bool tmp, shm, own;
        const char *reason;
    } tmp_cases[] = {
        {NULL, true, true, false, "with a namespace or tmp shared: /tmp and /dev/shm writable"},
        {"/tmp/ringfence-tmp-AbC123", false, false, true,
         "no namespace, tmp private: only the own folder, not the host's /tmp or /dev/shm"},
    };
    for (size_t i = 0; i < sizeof tmp_cases / sizeof tmp_cases[0]; i++) {
        rf_landlock_plan plan;
        rf_error err = {0};
        int rc = rf_landlock_plan_build(&pol, 6, tmp_cases[i].own_tmp, &plan, &err);
        CHECK(rc == 0, "%s: %s", tmp_cases[i].reason, err.message);
        if (rc < 0)
            continue;
        bool tmp = false, shm = false, own = false;
        for (size_t r = 0; r < plan.n_rules; r++) {
            bool all = plan.rules[r].access == plan.handled_fs;
            tmp |= strcmp(plan.rules[r].path, "/tmp") == 0 && all;
            shm |= strcmp(plan.rules[r].path, "/dev/shm") == 0 && all;
            own |= tmp_cases[i].own_tmp && strcmp(plan.rules[r].path, tmp_cases[i].own_tmp) == 0 && all &&
                   !plan.rules[r].optional;
        }
        CHECK(tmp == tmp_cases[i].tmp && shm == tmp_cases[i].shm && own == tmp_cases[i].own,
              "%s: /tmp %d /dev/shm %d own %d", tmp_cases[i].reason, tmp, shm, own);
        rf_landlock_plan_free(&plan);
    }
    rf_landlock_plan plan;
    rf_error err = {0};
    CHECK(rf_landlock_plan_build(&pol, 0, NULL, &plan, &err) < 0, "ABI 0 (no Landlock) is refused");
    char line[256];
    rf_landlock_describe(7, true, line, sizeof line);
    CHECK(strstr(line, "ABI 7") && strstr(line, "refer") && strstr(line, "ioctl_dev") && strstr(line, "scope"),
          "describe names the layers: %s", line);
    rf_landlock_describe(3, true, line, sizeof line);
    CHECK(!strstr(line, "ioctl_dev") && !strstr(line, "scope"), "describe at ABI 3 claims no newer right: %s", line);
    int abi = rf_landlock_abi();
    CHECK(abi >= 1, "this kernel speaks Landlock (got %d)", abi);
    rf_list_free(&pol.writable_roots);
    return check_summary("landlock_plan");
}
