/* mounts_plan_test.c — the mount plan for policies and observed path kinds (table-driven). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backends/linux/mounts.h"
#include "tests/check.h"

#define MAXT 8

typedef struct plan_case {
    const char *reason;
    bool tmp_private;
    const char *roots[4];
    rf_mount_target prot[MAXT];
    rf_mount_target deny[MAXT];
    int want_rc;               /* 0 or the negative errno */
    const char *want_ops;      /* "kind:path;" per op, in order */
    const char *want_placeholders;
    rf_mount_target own[2];
    bool have_dev_shm;
} plan_case;

static const char *short_name(rf_mount_op_kind k) {
    static const char *const names[] = {"proc", "save", "tmpfs", "shm", "restore", "bind-ro", "placeholder", "empty-dir", "null-file"};
    return names[k];
}

static size_t count(const rf_mount_target *t) {
    size_t n = 0;
    while (n < MAXT && t[n].path)
        n++;
    return n;
}

static const plan_case cases[] = {
    {"shared tmp, .git present, .codex absent: bind + placeholder", false, {"/w"},
     {{"/w/.git", RF_KIND_DIR}, {"/w/.codex", RF_KIND_ABSENT}}, {{0}}, 0,
     "proc:/proc;bind-ro:/w/.git;placeholder:/w/.codex;", "/w/.codex;", {{0}}, false},
    {"private tmp with a root under /tmp: saved, tmpfs, restored", true, {"/tmp/ws", "/home/u/p"},
     {{0}}, {{0}}, 0, "proc:/proc;save:/tmp/ws;tmpfs:/tmp;restore:/tmp/ws;", "", {{0}}, false},
    {"private tmp, no root under /tmp", true, {"/home/u/p"}, {{0}}, {{0}}, 0, "proc:/proc;tmpfs:/tmp;", "", {{0}}, false},
    {"a protected file (a worktree's .git) is bound read-only", false, {"/w"},
     {{"/w/.git", RF_KIND_FILE}}, {{0}}, 0, "proc:/proc;bind-ro:/w/.git;", "", {{0}}, false},
    {"a protected symlink fails closed", false, {"/w"}, {{"/w/.git", RF_KIND_SYMLINK}}, {{0}}, -ELOOP, "", "", {{0}}, false},
    {"deny-read kinds: dir, file, socket, fifo, absent", false, {"/w"}, {{0}},
     {{"/h/.ssh", RF_KIND_DIR}, {"/h/.netrc", RF_KIND_FILE}, {"/run/docker.sock", RF_KIND_SOCKET},
      {"/h/fifo", RF_KIND_OTHER}, {"/h/.aws", RF_KIND_ABSENT}},
     0, "proc:/proc;empty-dir:/h/.ssh;null-file:/h/fifo;null-file:/h/.netrc;null-file:/run/docker.sock;", "", {{0}}, false},
    {"deny-read symlink fails closed", false, {"/w"}, {{0}}, {{"/h/.ssh", RF_KIND_SYMLINK}}, -ELOOP, "", "", {{0}}, false},
    {"deny-read containing a writable root fails", false, {"/h/proj/w"}, {{0}}, {{"/h/proj", RF_KIND_DIR}}, -EINVAL, "", "", {{0}}, false},
    {"deny-read under a private /tmp is already hidden", true, {"/w"}, {{0}},
     {{"/tmp/ssh-agent.sock", RF_KIND_SOCKET}}, 0, "proc:/proc;tmpfs:/tmp;", "", {{0}}, false},
    {"deny-read in a root brought back under private /tmp is still hidden", true, {"/tmp/ws"}, {{0}},
     {{"/tmp/ws/.env", RF_KIND_FILE}}, 0, "proc:/proc;save:/tmp/ws;tmpfs:/tmp;restore:/tmp/ws;null-file:/tmp/ws/.env;", "", {{0}}, false},
    {"deny-read inside an emptied deny-read dir is skipped", false, {"/w"}, {{0}},
     {{"/h/.ssh/id_rsa", RF_KIND_FILE}, {"/h/.ssh", RF_KIND_DIR}}, 0, "proc:/proc;empty-dir:/h/.ssh;", "", {{0}}, false},
    {"protected parents before children", false, {"/w"},
     {{"/w/a/b", RF_KIND_DIR}, {"/w/a", RF_KIND_DIR}}, {{0}}, 0, "proc:/proc;bind-ro:/w/a;bind-ro:/w/a/b;", "", {{0}}, false},
    {"protected absent in two roots: two placeholders", false, {"/w", "/v"},
     {{"/w/.git", RF_KIND_ABSENT}, {"/v/.git", RF_KIND_ABSENT}}, {{0}}, 0,
     "proc:/proc;placeholder:/v/.git;placeholder:/w/.git;", "/v/.git;/w/.git;", {{0}}, false},
    {"the lock directory under a shared /tmp is bound read-only", false, {"/w"}, {{0}}, {{0}}, 0,
     "proc:/proc;bind-ro:/tmp/ringfence-1000;", "", {{"/tmp/ringfence-1000", RF_KIND_DIR}}, false},
    {"/dev/shm gets its own tmpfs with a private /tmp", true, {"/w"}, {{0}}, {{0}}, 0,
     "proc:/proc;tmpfs:/tmp;shm:/dev/shm;", "", {{0}}, true},
    {"the lock directory under a private /tmp is hidden already", true, {"/w"}, {{0}}, {{0}}, 0,
     "proc:/proc;tmpfs:/tmp;", "", {{"/tmp/ringfence-1000", RF_KIND_DIR}}, false},
};

int main(void) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const plan_case *c = &cases[i];
        size_t n_roots = 0;
        while (n_roots < 4 && c->roots[n_roots])
            n_roots++;
        rf_mount_input in = {
            .tmp_private = c->tmp_private,
            .have_dev_shm = c->have_dev_shm,
            .roots = c->roots,
            .n_roots = n_roots,
            .protected_paths = c->prot,
            .n_protected = count(c->prot),
            .deny = c->deny,
            .n_deny = count(c->deny),
            .own_state = c->own,
            .n_own_state = c->own[0].path ? 1 : 0,
        };
        rf_mount_plan plan;
        rf_error err = {0};
        int rc = rf_mount_plan_build(&in, &plan, &err);
        CHECK(rc == c->want_rc, "%s: rc %d, want %d (%s)", c->reason, rc, c->want_rc, err.message);
        if (rc < 0) {
            CHECK(err.message[0] != '\0', "%s: the error names the problem", c->reason);
            continue;
        }
        char ops[1024] = "", ph[512] = "";
        for (size_t k = 0; k < plan.n_ops; k++) {
            size_t used = strlen(ops);
            snprintf(ops + used, sizeof ops - used, "%s:%s;", short_name(plan.ops[k].kind), plan.ops[k].path);
        }
        for (size_t k = 0; k < plan.n_placeholders; k++) {
            size_t used = strlen(ph);
            snprintf(ph + used, sizeof ph - used, "%s;", plan.placeholders[k]);
        }
        CHECK_STR_EQ(ops, c->want_ops, "%s: ops", c->reason);
        CHECK_STR_EQ(ph, c->want_placeholders, "%s: placeholders", c->reason);
        /* Symlinked parents are followed only outside the writable roots. */
        for (size_t k = 0; k < plan.n_ops; k++) {
            bool in_root = false;
            for (size_t r = 0; r < n_roots; r++)
                in_root |= strncmp(plan.ops[k].path, c->roots[r], strlen(c->roots[r])) == 0;
            bool deny = plan.ops[k].kind == RF_MOP_EMPTY_DIR || plan.ops[k].kind == RF_MOP_NULL_FILE;
            if (deny && !in_root)
                CHECK(plan.ops[k].parent_symlinks_ok, "%s: %s may sit behind /var/run -> /run", c->reason,
                      plan.ops[k].path);
            if (in_root)
                CHECK(!plan.ops[k].parent_symlinks_ok, "%s: %s inside a root never follows symlinks", c->reason,
                      plan.ops[k].path);
        }
        /* Every mount target must still be of the observed kind at apply time. */
        for (size_t k = 0; k < plan.n_ops; k++)
            if (plan.ops[k].kind == RF_MOP_BIND_RO)
                for (size_t t = 0; t < in.n_protected; t++)
                    if (strcmp(c->prot[t].path, plan.ops[k].path) == 0)
                        CHECK(plan.ops[k].expect == c->prot[t].kind, "%s: expect kind kept", c->reason);
        rf_mount_plan_free(&plan);
    }
    return check_summary("mounts_plan");
}
