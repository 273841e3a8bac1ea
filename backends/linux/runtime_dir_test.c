/* runtime_dir_test.c — which runtime folders are covered, and that the mount plan covers them (table-driven). */
#include <string.h>

#include "backends/linux/mounts.h"
#include "backends/linux/runtime_dir.h"
#include "tests/check.h"

static const struct {
    const char *reason;
    const char *cmd_xdg;  /* XDG_RUNTIME_DIR=... in the command's environment, or NULL */
    const char *own_xdg;  /* ringfence's own, or NULL */
    const char *roots[2];
    const char *want[4];  /* in order */
} cases[] = {
    {"nothing set: the well-known /run/user/UID", NULL, NULL, {"/home/u/p"}, {"/run/user/1000"}},
    {"the command's folder first, the well-known one deduplicated", "/run/user/1000", "/run/user/1000",
     {"/home/u/p"}, {"/run/user/1000"}},
    {"a stand-in in the command's environment and the real one both covered", "/var/tmp/rt", NULL, {"/home/u/p"},
     {"/var/tmp/rt", "/run/user/1000"}},
    {"ringfence's own folder covered when the command's differs", "/var/tmp/rt", "/srv/rt", {"/home/u/p"},
     {"/var/tmp/rt", "/srv/rt", "/run/user/1000"}},
    {"a trailing slash is the same folder", "/run/user/1000/", NULL, {"/home/u/p"}, {"/run/user/1000"}},
    {"the root folder is never covered", "/", NULL, {"/home/u/p"}, {"/run/user/1000"}},
    {"a writable root inside the runtime folder: that folder is not covered", "/run/user/1000", NULL,
     {"/run/user/1000/ws"}, {NULL}},
    {"a relative value is ignored", "run/user/1000", NULL, {"/home/u/p"}, {"/run/user/1000"}},
    {"an empty value is ignored", "", "", {"/home/u/p"}, {"/run/user/1000"}},
};

int main(void) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char entry[300];
        char *envp[3] = {"HOME=/home/u", NULL, NULL};
        if (cases[i].cmd_xdg) {
            snprintf(entry, sizeof entry, "XDG_RUNTIME_DIR=%s", cases[i].cmd_xdg);
            envp[1] = entry;
        }
        size_t n_roots = cases[i].roots[1] ? 2 : 1;
        char out[RF_RUNTIME_DIRS_MAX][RF_RUNTIME_DIR_LEN];
        size_t n = rf_runtime_dirs(envp, cases[i].own_xdg, 1000, cases[i].roots, n_roots, out);
        size_t want_n = 0;
        while (cases[i].want[want_n])
            want_n++;
        CHECK(n == want_n, "%s: %zu folders, want %zu", cases[i].reason, n, want_n);
        for (size_t k = 0; k < n && k < want_n; k++)
            CHECK_STR_EQ(out[k], cases[i].want[k], "%s: folder %zu", cases[i].reason, k);
    }

    /* As data in the mount plan: each covered folder becomes an empty read-only tmpfs. */
    const char *roots[] = {"/home/u/p"};
    char out[RF_RUNTIME_DIRS_MAX][RF_RUNTIME_DIR_LEN];
    char *envp[] = {"XDG_RUNTIME_DIR=/var/tmp/rt", NULL};
    size_t n = rf_runtime_dirs(envp, NULL, 1000, roots, 1, out);
    rf_mount_target deny[RF_RUNTIME_DIRS_MAX];
    for (size_t k = 0; k < n; k++)
        deny[k] = (rf_mount_target){out[k], RF_KIND_DIR};
    rf_mount_input in = {.tmp_private = true, .roots = roots, .n_roots = 1, .deny = deny, .n_deny = n};
    rf_mount_plan plan;
    rf_error err = {0};
    CHECK(rf_mount_plan_build(&in, &plan, &err) == 0, "mount plan with the runtime folders: %s", err.message);
    int covered = 0;
    for (size_t k = 0; k < plan.n_ops; k++)
        if (plan.ops[k].kind == RF_MOP_EMPTY_DIR &&
            (strcmp(plan.ops[k].path, "/var/tmp/rt") == 0 || strcmp(plan.ops[k].path, "/run/user/1000") == 0))
            covered++;
    CHECK(n == 2 && covered == 2, "both runtime folders covered by an empty mount (%d of %zu)", covered, n);
    rf_mount_plan_free(&plan);
    return check_summary("runtime_dir");
}
