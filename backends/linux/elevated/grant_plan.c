/* grant_plan.c — the ACL grant plan from the normalized policy (see grant_plan.h). */
#include "backends/linux/elevated/grant_plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"

const char *const RF_GRANT_TOOL_DIRS[] = {
    ".cargo", ".rustup", ".npm",   ".nvm", ".pyenv",      ".local/bin", ".local/lib",
    ".bun",   ".deno",   ".volta", "go",   ".config/git", ".gitconfig", ".gitignore_global",
};
const size_t RF_GRANT_N_TOOL_DIRS = sizeof RF_GRANT_TOOL_DIRS / sizeof RF_GRANT_TOOL_DIRS[0];

/* Credentials that live inside the tool folders (registry tokens, stored git
 * passwords): a read grant on the folder must not hand them out. */
const char *const RF_GRANT_TOOL_SECRETS[] = {
    ".cargo/credentials",
    ".cargo/credentials.toml",
    ".config/git/credentials",
    ".npm/_authToken",
};
const size_t RF_GRANT_N_TOOL_SECRETS =
    sizeof RF_GRANT_TOOL_SECRETS / sizeof RF_GRANT_TOOL_SECRETS[0];

static const char *const kind_names[] = {"writable", "protected", "deny", "traverse", "read"};

const char *rf_grant_kind_name(rf_grant_kind kind) {
    return (unsigned)kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : "?";
}

int rf_grant_kind_from_name(const char *name) {
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (strcmp(name, kind_names[i]) == 0)
            return (int)i;
    return -1;
}

/* When one path is planned twice, the stricter kind wins. */
static int strictness(rf_grant_kind kind) {
    switch (kind) {
    case RF_GRANT_DENY:
        return 4;
    case RF_GRANT_PROTECTED:
        return 3;
    case RF_GRANT_WRITABLE:
        return 2;
    case RF_GRANT_READ:
        return 1;
    default:
        return 0;
    }
}

static int add_target(rf_grant_plan *plan, const char *path, rf_grant_kind kind, bool walk,
                      bool shared) {
    for (size_t i = 0; i < plan->n; i++) {
        rf_grant_target *t = &plan->targets[i];
        if (strcmp(t->path, path) != 0)
            continue;
        if (strictness(kind) > strictness(t->kind)) {
            t->kind = kind;
            t->walk = walk;
        }
        t->shared = t->shared && shared;
        return 0;
    }
    if (plan->n == plan->cap) {
        size_t cap = plan->cap ? plan->cap * 2 : 16;
        rf_grant_target *grown = realloc(plan->targets, cap * sizeof *grown);
        if (!grown)
            return -ENOMEM;
        plan->targets = grown;
        plan->cap = cap;
    }
    char *copy = strdup(path);
    if (!copy)
        return -ENOMEM;
    plan->targets[plan->n++] = (rf_grant_target){copy, kind, walk, shared};
    return 0;
}

static bool within_writable_root(const rf_policy *policy, const char *path) {
    for (size_t i = 0; i < policy->writable_roots.len; i++)
        if (rf_path_within(path, policy->writable_roots.items[i].value))
            return true;
    return false;
}

static bool within_deny(const rf_policy *policy, const char *path) {
    for (size_t i = 0; i < policy->deny_read.len; i++)
        if (rf_path_within(path, policy->deny_read.items[i].value))
            return true;
    return false;
}

/* Every folder above `path` up to, not including, "/", as traverse targets
 * unless a writable root already covers it. */
static int add_ancestors(const rf_policy *policy, rf_grant_plan *plan, const char *path) {
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    char *slash;
    while ((slash = strrchr(buf, '/')) != NULL && slash != buf) {
        *slash = '\0';
        if (within_writable_root(policy, buf))
            continue;
        int rc = add_target(plan, buf, RF_GRANT_TRAVERSE, false, true);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int join(char *buf, size_t size, const char *dir, const char *name) {
    int n = snprintf(buf, size, "%s/%s", dir, name);
    return (n < 0 || (size_t)n >= size) ? -ENAMETOOLONG : 0;
}

static int plan_policy(const rf_policy *policy, rf_grant_plan *plan) {
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < policy->writable_roots.len; i++) {
        const char *root = policy->writable_roots.items[i].value;
        rc = add_target(plan, root, RF_GRANT_WRITABLE, true, false);
        if (rc == 0)
            rc = add_ancestors(policy, plan, root);
    }
    rf_list protected = {0};
    if (rc == 0)
        rc = rf_policy_protected_paths(policy, &protected);
    for (size_t i = 0; rc == 0 && i < protected.len; i++)
        rc = add_target(plan, protected.items[i].value, RF_GRANT_PROTECTED, true, false);
    rf_list_free(&protected);
    /* deny_read: no access, and no walk: without x on the folder itself
     * nothing beneath it can be reached. */
    for (size_t i = 0; rc == 0 && i < policy->deny_read.len; i++) {
        const char *path = policy->deny_read.items[i].value;
        rc = add_target(plan, path, RF_GRANT_DENY, false, !within_writable_root(policy, path));
    }
    return rc;
}

static int plan_home(const rf_policy *policy, const char *home, rf_grant_plan *plan) {
    int rc = add_target(plan, home, RF_GRANT_TRAVERSE, false, true);
    char path[4096];
    for (size_t i = 0; rc == 0 && i < RF_GRANT_N_TOOL_DIRS; i++) {
        if ((rc = join(path, sizeof path, home, RF_GRANT_TOOL_DIRS[i])) < 0)
            break;
        /* A tool folder the policy denies (or that holds a writable root)
         * keeps what the policy says. */
        if (within_deny(policy, path) || within_writable_root(policy, path))
            continue;
        rc = add_target(plan, path, RF_GRANT_READ, true, true);
        if (rc == 0)
            rc = add_ancestors(policy, plan, path);
    }
    for (size_t i = 0; rc == 0 && i < RF_GRANT_N_TOOL_SECRETS; i++)
        if ((rc = join(path, sizeof path, home, RF_GRANT_TOOL_SECRETS[i])) == 0)
            rc = add_target(plan, path, RF_GRANT_DENY, false, true);
    return rc;
}

int rf_grant_plan_build(const rf_policy *policy, const char *home, const unsigned sandbox_uids[2],
                        unsigned real_uid, rf_grant_plan *out, rf_error *err) {
    memset(out, 0, sizeof *out);
    out->sandbox_uids[0] = sandbox_uids[0];
    out->sandbox_uids[1] = sandbox_uids[1];
    out->real_uid = real_uid;
    if (!home || home[0] != '/')
        return rf_fail(err, -EINVAL, "planning the grant: the home folder '%s' is not absolute",
                       home ? home : "(none)");
    if (sandbox_uids[0] == real_uid || sandbox_uids[1] == real_uid)
        return rf_fail(err, -EINVAL,
                       "planning the grant: uid %u is both a sandbox user and the caller",
                       real_uid);
    int rc = plan_policy(policy, out);
    if (rc == 0)
        rc = plan_home(policy, home, out);
    if (rc < 0) {
        rf_grant_plan_free(out);
        return rf_fail_errno(err, -rc, "planning the grant of %s", policy->workspace);
    }
    return 0;
}

void rf_grant_plan_free(rf_grant_plan *plan) {
    for (size_t i = 0; i < plan->n; i++)
        free(plan->targets[i].path);
    free(plan->targets);
    plan->targets = NULL;
    plan->n = plan->cap = 0;
}

const rf_grant_target *rf_grant_plan_match(const rf_grant_plan *plan, const char *path) {
    const rf_grant_target *best = NULL;
    for (size_t i = 0; i < plan->n; i++) {
        const rf_grant_target *t = &plan->targets[i];
        if (t->kind == RF_GRANT_TRAVERSE || !rf_path_within(path, t->path))
            continue;
        if (!best || strlen(t->path) > strlen(best->path))
            best = t;
    }
    return best;
}

size_t rf_grant_entries(const rf_grant_plan *plan, rf_grant_kind kind, mode_t mode, bool is_default,
                        rf_acl_named out[3]) {
    if (is_default && !S_ISDIR(mode))
        return 0;
    unsigned perm;
    switch (kind) {
    case RF_GRANT_WRITABLE:
        perm = is_default ? 7u : rf_acl_resolve_perm(RF_ACL_R | RF_ACL_W | RF_ACL_BIG_X, mode);
        break;
    case RF_GRANT_PROTECTED:
    case RF_GRANT_READ:
        perm = is_default ? 5u : rf_acl_resolve_perm(RF_ACL_R | RF_ACL_BIG_X, mode);
        break;
    case RF_GRANT_DENY:
        if (is_default)
            return 0;
        perm = 0;
        break;
    case RF_GRANT_TRAVERSE:
        if (is_default || !S_ISDIR(mode))
            return 0;
        perm = RF_ACL_X;
        break;
    default:
        return 0;
    }
    size_t n = 0;
    out[n++] = (rf_acl_named){plan->sandbox_uids[0], perm};
    out[n++] = (rf_acl_named){plan->sandbox_uids[1], perm};
    /* Files the sandbox users create inherit this entry and so stay editable
     * by the real user, who does not own them. */
    if (kind == RF_GRANT_WRITABLE && is_default)
        out[n++] = (rf_acl_named){plan->real_uid, 7u};
    return n;
}

size_t rf_grant_strip_uids(const rf_grant_plan *plan, bool is_default, unsigned out[3]) {
    size_t n = 0;
    out[n++] = plan->sandbox_uids[0];
    out[n++] = plan->sandbox_uids[1];
    if (is_default)
        out[n++] = plan->real_uid;
    return n;
}
