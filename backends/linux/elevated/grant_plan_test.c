/* grant_plan_test.c — the grant plan from a normalized policy, as data. */
#include "backends/linux/elevated/grant_plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/check.h"

static const unsigned SB[2] = {4000001, 4000002};
enum { REAL = 1000 };

static void make_policy(rf_policy *p) {
    memset(p, 0, sizeof *p);
    p->workspace = "/home/u/ws";
    rf_list_add(&p->writable_roots, "/home/u/ws", RF_SRC_DEFAULT);
    rf_list_add(&p->writable_roots, "/srv/build", RF_SRC_FLAG);
    rf_list_add(&p->protected_names, ".git", RF_SRC_DEFAULT);
    rf_list_add(&p->protected_names, "sub/locked", RF_SRC_USER);
    rf_list_add(&p->deny_read, "/home/u/.ssh", RF_SRC_DEFAULT);
    rf_list_add(&p->deny_read, "/home/u/ws/secrets", RF_SRC_USER);
    rf_list_add(&p->deny_read, "/home/u/.config/git", RF_SRC_USER);
}

static void free_policy(rf_policy *p) {
    rf_list_free(&p->writable_roots);
    rf_list_free(&p->protected_names);
    rf_list_free(&p->deny_read);
}

static const rf_grant_target *find(const rf_grant_plan *plan, const char *path) {
    for (size_t i = 0; i < plan->n; i++)
        if (strcmp(plan->targets[i].path, path) == 0)
            return &plan->targets[i];
    return NULL;
}

static void test_targets(const rf_grant_plan *plan) {
    const struct {
        const char *path;
        int kind; /* -1: must not be planned */
        bool walk, shared;
        const char *reason;
    } cases[] = {
        {"/home/u/ws", RF_GRANT_WRITABLE, true, false, "the workspace is a walked writable root"},
        {"/srv/build", RF_GRANT_WRITABLE, true, false, "--allow-write roots too"},
        {"/home/u/ws/.git", RF_GRANT_PROTECTED, true, false, "protected in the workspace"},
        {"/srv/build/.git", RF_GRANT_PROTECTED, true, false, "protected in every writable root"},
        {"/home/u/ws/sub/locked", RF_GRANT_PROTECTED, true, false, "nested protected names"},
        {"/home/u/ws/secrets", RF_GRANT_DENY, false, false, "deny_read inside: workspace grant"},
        {"/home/u/.ssh", RF_GRANT_DENY, false, true, "deny_read outside: shared grant"},
        {"/home/u", RF_GRANT_TRAVERSE, false, true, "home: x only, no listing"},
        {"/home", RF_GRANT_TRAVERSE, false, true, "folders above the workspace"},
        {"/srv", RF_GRANT_TRAVERSE, false, true, "folders above other roots"},
        {"/home/u/.cargo", RF_GRANT_READ, true, true, "tool folders are read, walked"},
        {"/home/u/.local/bin", RF_GRANT_READ, true, true, "nested tool folders"},
        {"/home/u/.local", RF_GRANT_TRAVERSE, false, true, "above a nested tool folder"},
        {"/home/u/.cargo/credentials.toml", RF_GRANT_DENY, false, true, "registry token"},
        {"/home/u/.config/git", -1, false, false, "a tool folder the policy denies is not read"},
        {"/", -1, false, false, "never the root folder"},
        {"/home/u/ws/sub", -1, false, false, "folders inside a root are walked, not traversed"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const rf_grant_target *t = find(plan, cases[i].path);
        if (cases[i].kind < 0) {
            /* .config/git may only appear as deny (from the policy), never read. */
            CHECK(!t || t->kind == RF_GRANT_DENY, "%s: %s planned as %s", cases[i].reason,
                  cases[i].path, t ? rf_grant_kind_name(t->kind) : "-");
            continue;
        }
        CHECK(t != NULL, "%s: %s is not planned", cases[i].reason, cases[i].path);
        if (!t)
            continue;
        CHECK(t->kind == (rf_grant_kind)cases[i].kind, "%s: kind %s", cases[i].reason,
              rf_grant_kind_name(t->kind));
        CHECK(t->walk == cases[i].walk, "%s: walk %d", cases[i].reason, t->walk);
        CHECK(t->shared == cases[i].shared, "%s: shared %d", cases[i].reason, t->shared);
    }
    CHECK_STR_EQ(plan->targets[0].path, "/home/u/ws", "the first target is the workspace");
}

static void test_match(const rf_grant_plan *plan) {
    const struct {
        const char *path;
        int kind;
        const char *reason;
    } cases[] = {
        {"/home/u/ws/src/a.c", RF_GRANT_WRITABLE, "a source file"},
        {"/home/u/ws/.git/config", RF_GRANT_PROTECTED, "inside .git"},
        {"/home/u/ws/.gitignore", RF_GRANT_WRITABLE, "a sibling with a common prefix"},
        {"/home/u/ws/secrets/key", RF_GRANT_DENY, "inside a denied folder"},
        {"/home/u/.cargo/bin/cargo", RF_GRANT_READ, "a tool"},
        {"/home/u/.cargo/credentials.toml", RF_GRANT_DENY, "a token inside a tool folder"},
        {"/home/u/notes.txt", -1, "the rest of home: nothing"},
        {"/etc/passwd", -1, "outside everything"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const rf_grant_target *t = rf_grant_plan_match(plan, cases[i].path);
        int got = t ? (int)t->kind : -1;
        CHECK(got == cases[i].kind, "%s: %s matched %s", cases[i].reason, cases[i].path,
              t ? rf_grant_kind_name(t->kind) : "nothing");
    }
}

static void test_entries(const rf_grant_plan *plan) {
    const struct {
        rf_grant_kind kind;
        mode_t mode;
        bool is_default;
        size_t n;
        unsigned perm, real_perm;
        const char *reason;
    } cases[] = {
        {RF_GRANT_WRITABLE, S_IFREG | 0644, false, 2, 6, 0, "writable file: rw-"},
        {RF_GRANT_WRITABLE, S_IFREG | 0755, false, 2, 7, 0, "writable executable: rwx"},
        {RF_GRANT_WRITABLE, S_IFDIR | 0755, false, 2, 7, 0, "writable folder: rwx"},
        {RF_GRANT_WRITABLE, S_IFDIR | 0755, true, 3, 7, 7, "default: users and the real user"},
        {RF_GRANT_WRITABLE, S_IFREG | 0644, true, 0, 0, 0, "files have no default ACL"},
        {RF_GRANT_PROTECTED, S_IFREG | 0644, false, 2, 4, 0, "protected file: r--"},
        {RF_GRANT_PROTECTED, S_IFDIR | 0755, true, 2, 5, 0, "protected folder default r-x"},
        {RF_GRANT_DENY, S_IFDIR | 0755, false, 2, 0, 0, "deny: ---"},
        {RF_GRANT_DENY, S_IFDIR | 0755, true, 0, 0, 0, "deny: no default"},
        {RF_GRANT_TRAVERSE, S_IFDIR | 0700, false, 2, 1, 0, "traverse: --x"},
        {RF_GRANT_TRAVERSE, S_IFDIR | 0700, true, 0, 0, 0, "traverse: no default"},
        {RF_GRANT_READ, S_IFREG | 0755, false, 2, 5, 0, "tool: r-x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_acl_named out[3];
        size_t n = rf_grant_entries(plan, cases[i].kind, cases[i].mode, cases[i].is_default, out);
        CHECK(n == cases[i].n, "%s: %zu entries", cases[i].reason, n);
        for (size_t k = 0; k < n && k < 2; k++)
            CHECK(out[k].uid == SB[k] && out[k].perm == cases[i].perm, "%s: entry %zu is %u:%o",
                  cases[i].reason, k, out[k].uid, out[k].perm);
        if (n == 3)
            CHECK(out[2].uid == REAL && out[2].perm == cases[i].real_perm,
                  "%s: real user entry %u:%o", cases[i].reason, out[2].uid, out[2].perm);
    }
}

int main(void) {
    rf_policy policy;
    make_policy(&policy);
    rf_grant_plan plan;
    rf_error err = {0};
    int rc = rf_grant_plan_build(&policy, "/home/u", SB, REAL, &plan, &err);
    CHECK(rc == 0, "building the plan: %s", err.message);
    if (rc == 0) {
        test_targets(&plan);
        test_match(&plan);
        test_entries(&plan);
        rf_grant_plan_free(&plan);
    }
    const unsigned same[2] = {REAL, 4000002};
    CHECK(rf_grant_plan_build(&policy, "/home/u", same, REAL, &plan, &err) == -EINVAL,
          "a sandbox uid equal to the caller's is refused");
    CHECK(rf_grant_plan_build(&policy, "relative", SB, REAL, &plan, &err) == -EINVAL,
          "a relative home folder is refused");
    free_policy(&policy);
    return check_summary("grant_plan_test");
}
