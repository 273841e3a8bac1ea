/*
 * policy_merge.c — defaults, the user's policy, the command-line flags and
 * the admin-managed policy merged into one normalized rf_policy.
 *
 * The result is never weaker than the managed policy:
 *   network   managed "off" wins over the user and the flags
 *   tmp       managed "private" wins
 *   protected, env.scrub, require   unions; managed items are labelled MANAGED
 *   deny_read the defaults (or the managed list, which replaces them) plus the
 *             user's entries: a user can add secrets, never un-hide one
 *   env.set   managed wins on a name both set
 *   backend   a managed non-"auto" backend is used; a different explicit
 *             choice by the user or a flag is an error
 *   writable_roots (managed)  an allowance: the workspace and every root must
 *             lie inside one of its entries
 * The inputs' paths are already resolved (policy_load.c).
 *
 * Cleanup idiom: none needed (every allocation lands in `out`, which the
 * caller releases on failure).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/path_resolve.h"
#include "core/policy_internal.h"
#include "env/env.h"

static const char *const default_protected[] = {".git", ".codex", ".agents", ".ringfence"};

/* Adds a managed value; one already present is relabelled MANAGED, since the
 * managed policy is what keeps it there. */
static int add_managed(rf_list *list, const char *value) {
    for (size_t i = 0; i < list->len; i++) {
        if (strcmp(list->items[i].value, value) == 0) {
            list->items[i].source = RF_SRC_MANAGED;
            return 0;
        }
    }
    return rf_list_add(list, value, RF_SRC_MANAGED);
}

static int add_all(rf_list *list, const rf_strv *values, rf_source source) {
    for (size_t i = 0; i < values->len; i++) {
        int rc = source == RF_SRC_MANAGED ? add_managed(list, values->v[i])
                                          : rf_list_add(list, values->v[i], source);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---- writable roots ------------------------------------------------------- */

static void allowance_text(const rf_strv *allowance, char *buf, size_t size) {
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < allowance->len && n < size; i++) {
        rf_quoted q;
        int m = snprintf(buf + n, size - n, "%s%s", i ? ", " : "", rf_quote(&q, allowance->v[i]));
        if (m < 0)
            break;
        n += (size_t)m;
    }
}

static int check_writable_root(const rf_merge_input *in, const char *root, const char *field,
                               rf_error *err) {
    rf_quoted q, qh;
    if (rf_path_is_fs_root(root))
        return rf_fail_policy(err, field,
                              "%s is the root folder: it would make every file writable",
                              rf_quote(&q, root));
    /* The home folder holds shell startup files and credentials: writing
     * there would let a command persist code that runs outside the sandbox. */
    if (strcmp(root, in->home) == 0)
        return rf_fail_policy(err, field, "%s is the home folder; name a project folder instead",
                              rf_quote(&q, root));
    if (rf_path_within(in->home, root))
        return rf_fail_policy(err, field, "%s contains the home folder %s", rf_quote(&q, root),
                              rf_quote(&qh, in->home));
    if (in->managed && in->managed->has_writable_roots) {
        const rf_strv *allowance = &in->managed->writable_roots;
        for (size_t i = 0; i < allowance->len; i++)
            if (rf_path_within(root, allowance->v[i]))
                return 0;
        char allowed[512];
        allowance_text(allowance, allowed, sizeof allowed);
        return rf_fail_policy(
            err, field, "%s is outside the managed allowance [%s] (managed policy %s)",
            rf_quote(&q, root), allowed, rf_quote(&qh, in->managed_file ? in->managed_file : "?"));
    }
    return 0;
}

/* Says where a rejected value came from, after the message. */
static int from_origin(int rc, rf_error *err, const char *origin, const char *path) {
    if (rc >= 0 || !err || err->code == 0)
        return rc;
    rf_quoted q;
    size_t n = strlen(err->message);
    if (path)
        snprintf(err->message + n, sizeof err->message - n, " (%s %s)", origin, rf_quote(&q, path));
    else
        snprintf(err->message + n, sizeof err->message - n, " (%s)", origin);
    return rc;
}

static int merge_roots(const rf_merge_input *in, rf_policy *out, rf_error *err) {
    const char *workspace = in->cwd_workspace;
    const char *field = "workspace";
    out->workspace_source = RF_SRC_DEFAULT;
    if (in->flags->workspace) {
        workspace = in->flags->workspace;
        field = "--workspace";
        out->workspace_source = RF_SRC_FLAG;
    } else if (in->user->workspace) {
        workspace = in->user->workspace;
        out->workspace_source = RF_SRC_USER;
    }
    if (!workspace)
        return rf_fail_policy(err, "workspace", "no workspace and no current directory");
    int rc = check_writable_root(in, workspace, field, err);
    if (out->workspace_source == RF_SRC_USER)
        rc = from_origin(rc, err, "in policy file", in->policy_file);
    else if (out->workspace_source == RF_SRC_DEFAULT)
        rc = from_origin(rc, err,
                         "the default workspace is the current folder; choose one with "
                         "--workspace",
                         NULL);
    if (rc < 0)
        return rc;
    out->workspace = strdup(workspace);
    if (!out->workspace)
        return -ENOMEM;
    if ((rc = rf_list_add(&out->writable_roots, workspace, out->workspace_source)) < 0)
        return rc;

    for (size_t i = 0; i < in->user->writable_roots.len; i++) {
        char f[64];
        snprintf(f, sizeof f, "writable_roots[%zu]", i);
        const char *root = in->user->writable_roots.v[i];
        rc = check_writable_root(in, root, f, err);
        if ((rc = from_origin(rc, err, "in policy file", in->policy_file)) < 0)
            return rc;
        if ((rc = rf_list_add(&out->writable_roots, root, RF_SRC_USER)) < 0)
            return rc;
    }
    for (size_t i = 0; i < in->flags->writable_roots.len; i++) {
        const char *root = in->flags->writable_roots.v[i];
        if ((rc = check_writable_root(in, root, "--allow-write", err)) < 0)
            return rc;
        if ((rc = rf_list_add(&out->writable_roots, root, RF_SRC_FLAG)) < 0)
            return rc;
    }
    return 0;
}

/* ---- lists ---------------------------------------------------------------- */

static int merge_protected(const rf_merge_input *in, rf_policy *out) {
    int rc = 0;
    /* A user list replaces the defaults (a project may opt out of .git). */
    if (in->user->has_protected) {
        rc = add_all(&out->protected_names, &in->user->protected_names, RF_SRC_USER);
    } else {
        for (size_t i = 0; rc == 0 && i < sizeof default_protected / sizeof default_protected[0];
             i++)
            rc = rf_list_add(&out->protected_names, default_protected[i], RF_SRC_DEFAULT);
    }
    if (rc == 0 && in->managed)
        rc = add_all(&out->protected_names, &in->managed->protected_names, RF_SRC_MANAGED);
    return rc;
}

static int merge_deny_read(const rf_merge_input *in, rf_policy *out) {
    /* A union of the managed list, the default secrets and the user's list:
     * nothing can make the secrets readable again, not even the admin by
     * omission (an admin who lists one more secret keeps the defaults). */
    int rc = 0;
    if (in->managed && in->managed->has_deny_read)
        rc = add_all(&out->deny_read, &in->managed->deny_read, RF_SRC_MANAGED);
    if (rc == 0)
        rc = add_all(&out->deny_read, in->default_deny_read, RF_SRC_DEFAULT);
    if (rc == 0)
        rc = add_all(&out->deny_read, &in->user->deny_read, RF_SRC_USER);
    return rc;
}

/* Length of NAME in "NAME=VALUE" (a loop: strchrnul is GNU-only and the
 * policy code also builds for Windows). */
static size_t env_name_length(const char *pair) {
    size_t n = 0;
    while (pair[n] != '\0' && pair[n] != '=')
        n++;
    return n;
}

/* Sets "NAME=VALUE", replacing an entry of the same NAME when `replace`. */
static int env_set_put(rf_list *list, const char *pair, rf_source source) {
    size_t name_len = env_name_length(pair);
    for (size_t i = 0; i < list->len; i++) {
        const char *item = list->items[i].value;
        if (strncmp(item, pair, name_len) == 0 && item[name_len] == '=') {
            char *copy = strdup(pair);
            if (!copy)
                return -ENOMEM;
            free(list->items[i].value);
            list->items[i].value = copy;
            list->items[i].source = source;
            return 0;
        }
    }
    return rf_list_add(list, pair, source);
}

static int merge_env(const rf_merge_input *in, rf_policy *out) {
    size_t n_defaults = 0;
    const char *const *defaults = rf_env_default_scrub(&n_defaults);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n_defaults; i++)
        rc = rf_list_add(&out->env_scrub, defaults[i], RF_SRC_DEFAULT);
    if (rc == 0)
        rc = add_all(&out->env_scrub, &in->user->env_scrub, RF_SRC_USER);
    if (rc == 0 && in->managed)
        rc = add_all(&out->env_scrub, &in->managed->env_scrub, RF_SRC_MANAGED);
    for (size_t i = 0; rc == 0 && i < in->user->env_set.len; i++)
        rc = env_set_put(&out->env_set, in->user->env_set.v[i], RF_SRC_USER);
    for (size_t i = 0; rc == 0 && in->managed && i < in->managed->env_set.len; i++)
        rc = env_set_put(&out->env_set, in->managed->env_set.v[i], RF_SRC_MANAGED);
    return rc;
}

/* ---- scalars -------------------------------------------------------------- */

static void merge_network_tmp(const rf_merge_input *in, rf_policy *out) {
    const rf_raw_policy *m = in->managed;
    out->network = RF_NET_OFF;
    out->network_source = RF_SRC_DEFAULT;
    if (m && m->has_network && m->network == RF_NET_ON) { /* the admin's baseline */
        out->network = RF_NET_ON;
        out->network_source = RF_SRC_MANAGED;
    }
    if (in->user->has_network) {
        out->network = in->user->network;
        out->network_source = RF_SRC_USER;
    }
    if (in->flags->has_network) {
        out->network = in->flags->network;
        out->network_source = RF_SRC_FLAG;
    }
    if (m && m->has_network && m->network == RF_NET_OFF) {
        out->network = RF_NET_OFF;
        out->network_source = RF_SRC_MANAGED;
    }

    out->tmp = RF_TMP_PRIVATE;
    out->tmp_source = RF_SRC_DEFAULT;
    if (m && m->has_tmp && m->tmp == RF_TMP_SHARED) {
        out->tmp = RF_TMP_SHARED;
        out->tmp_source = RF_SRC_MANAGED;
    }
    if (in->user->has_tmp) {
        out->tmp = in->user->tmp;
        out->tmp_source = RF_SRC_USER;
    }
    if (m && m->has_tmp && m->tmp == RF_TMP_PRIVATE) {
        out->tmp = RF_TMP_PRIVATE;
        out->tmp_source = RF_SRC_MANAGED;
    }
}

static int merge_backend(const rf_merge_input *in, rf_policy *out, rf_error *err) {
    const char *chosen = "auto";
    const char *field = "backend";
    out->backend_source = RF_SRC_DEFAULT;
    if (in->user->backend) {
        chosen = in->user->backend;
        out->backend_source = RF_SRC_USER;
    }
    if (in->flags->backend) {
        chosen = in->flags->backend;
        field = "--backend";
        out->backend_source = RF_SRC_FLAG;
    }
    const char *managed = in->managed ? in->managed->backend : NULL;
    if (managed && strcmp(managed, "auto") != 0) {
        if (strcmp(chosen, "auto") != 0 && strcmp(chosen, managed) != 0) {
            rf_quoted q, qm, qf;
            rf_fail_policy(err, field,
                           "%s conflicts with the managed policy, which requires backend %s "
                           "(managed policy %s)",
                           rf_quote(&q, chosen), rf_quote(&qm, managed),
                           rf_quote(&qf, in->managed_file ? in->managed_file : "?"));
            if (out->backend_source == RF_SRC_USER)
                from_origin(RF_EPOLICY, err, "in policy file", in->policy_file);
            return RF_EPOLICY;
        }
        chosen = managed;
        out->backend_source = RF_SRC_MANAGED;
    }
    out->backend = strdup(chosen);
    return out->backend ? 0 : -ENOMEM;
}

static void merge_require(const rf_merge_input *in, rf_policy *out) {
    for (int g = 0; g < RF_G_COUNT; g++) {
        out->require[g] = false;
        out->require_source[g] = RF_SRC_DEFAULT;
        if (in->user->require[g]) {
            out->require[g] = true;
            out->require_source[g] = RF_SRC_USER;
        } else if (in->flags->require[g]) {
            out->require[g] = true;
            out->require_source[g] = RF_SRC_FLAG;
        }
        if (in->managed && in->managed->require[g]) {
            out->require[g] = true;
            out->require_source[g] = RF_SRC_MANAGED;
        }
    }
}

int rf_policy_merge(const rf_merge_input *in, rf_policy *out, rf_error *err) {
    int rc = merge_roots(in, out, err);
    if (rc == 0)
        rc = merge_protected(in, out);
    if (rc == 0)
        rc = merge_deny_read(in, out);
    if (rc == 0)
        rc = merge_env(in, out);
    if (rc == 0)
        rc = merge_backend(in, out, err);
    if (rc == 0) {
        merge_network_tmp(in, out);
        merge_require(in, out);
    }
    return rc;
}

void rf_policy_release(rf_policy *policy) {
    free(policy->workspace);
    rf_list_free(&policy->writable_roots);
    rf_list_free(&policy->protected_names);
    rf_list_free(&policy->deny_read);
    rf_list_free(&policy->env_scrub);
    rf_list_free(&policy->env_set);
    free(policy->backend);
    free(policy->policy_file);
    free(policy->managed_file);
    memset(policy, 0, sizeof *policy);
}
