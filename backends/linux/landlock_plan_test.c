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
        int rc = rf_landlock_plan_build(&pol, cases[i].abi, &plan, &err);
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
    rf_landlock_plan plan;
    rf_error err = {0};
    CHECK(rf_landlock_plan_build(&pol, 0, &plan, &err) < 0, "ABI 0 (no Landlock) is refused");
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
