/*
 * policy_load.c — rf_policy_load: read the managed and the user's policy,
 * parse them, check the flags, resolve every path, merge, and hand back one
 * normalized policy.  Nothing on the machine changes: files are only read,
 * paths only looked at.
 *
 * Cleanup idiom: goto out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/path_resolve.h"
#include "core/policy_internal.h"

#ifdef _WIN32
/* The same secrets where Windows tools keep them (gcloud under %APPDATA% is
 * not in the home folder; the Docker socket is a named pipe, not a path). */
static const char *const default_deny_read[] = {
    "~/.ssh", "~/.aws", "~/.gnupg", "~/.config/gcloud", "~/.kube", "~/.docker",
};
#else
static const char *const default_deny_read[] = {
    "~/.ssh",  "~/.aws",    "~/.gnupg",         "~/.config/gcloud",
    "~/.kube", "~/.docker", "/run/docker.sock", "/var/run/docker.sock",
};
#endif

/* Appends where a policy error came from: "(in managed policy /etc/...)". */
static void annotate(rf_error *err, const char *what, const char *path) {
    if (!err || err->code == 0)
        return;
    rf_quoted q;
    size_t n = strlen(err->message);
    snprintf(err->message + n, sizeof err->message - n, " (in %s %s)", what, rf_quote(&q, path));
}

/* ---- resolving ---------------------------------------------------------------- */

/* How one raw policy's paths are named and checked. */
typedef struct resolve_rules {
    const char *workspace_field;
    const char *roots_field; /* "writable_roots" → "writable_roots[i]"; a flag stays as is */
    bool roots_indexed;
    bool roots_must_be_dirs; /* false for the managed allowance */
} resolve_rules;

static int resolve_in_place(char **path, const char *base_dir, const char *home, const char *field,
                            bool must_be_dir, rf_error *err) {
    char *resolved = NULL;
    int rc = rf_path_expand_resolve(*path, base_dir, home, field, &resolved, err);
    if (rc == 0 && must_be_dir)
        rc = rf_path_require_dir(resolved, *path, field, err);
    if (rc < 0) {
        free(resolved);
        return rc;
    }
    free(*path);
    *path = resolved;
    return 0;
}

static int resolve_raw(rf_raw_policy *raw, const resolve_rules *rules, const char *base_dir,
                       const char *home, rf_error *err) {
    char field[64];
    int rc;
    if (raw->workspace && (rc = resolve_in_place(&raw->workspace, base_dir, home,
                                                 rules->workspace_field, true, err)) < 0)
        return rc;
    for (size_t i = 0; i < raw->writable_roots.len; i++) {
        if (rules->roots_indexed)
            snprintf(field, sizeof field, "%s[%zu]", rules->roots_field, i);
        else
            snprintf(field, sizeof field, "%s", rules->roots_field);
        if ((rc = resolve_in_place(&raw->writable_roots.v[i], base_dir, home, field,
                                   rules->roots_must_be_dirs, err)) < 0)
            return rc;
    }
    for (size_t i = 0; i < raw->deny_read.len; i++) {
        snprintf(field, sizeof field, "deny_read[%zu]", i);
        if ((rc = resolve_in_place(&raw->deny_read.v[i], base_dir, home, field, false, err)) < 0)
            return rc;
    }
    return 0;
}

static const resolve_rules file_rules = {"workspace", "writable_roots", true, true};
static const resolve_rules managed_rules = {"workspace", "writable_roots", true, false};
static const resolve_rules flag_rules = {"--workspace", "--allow-write", false, true};

/* ---- the stages together ----------------------------------------------------- */

typedef struct load_state {
    char *cwd;  /* resolved */
    char *home; /* resolved */
    char *policy_file, *policy_dir;
    char *managed_file, *managed_dir;
    char *cwd_workspace;
    rf_raw_policy user, managed, flags;
    bool have_managed;
    rf_strv default_deny;
} load_state;

static void load_state_free(load_state *s) {
    free(s->cwd);
    free(s->home);
    free(s->policy_file);
    free(s->policy_dir);
    free(s->managed_file);
    free(s->managed_dir);
    free(s->cwd_workspace);
    rf_raw_policy_free(&s->user);
    rf_raw_policy_free(&s->managed);
    rf_raw_policy_free(&s->flags);
    rf_strv_free(&s->default_deny);
}

static int find_cwd(const rf_load_options *opts, load_state *s, rf_error *err) {
    rf_quoted q;
    if (opts->cwd) {
        if (!rf_path_is_absolute(opts->cwd))
            return rf_fail(err, -EINVAL, "load policy: the working folder %s is not absolute",
                           rf_quote(&q, opts->cwd));
        return rf_path_resolve(opts->cwd, "workspace", &s->cwd, err);
    }
    return rf_cwd_find(&s->cwd, err);
}

/* Reads, parses and resolves the managed policy, when there is one. */
static int load_managed(const rf_load_options *opts, load_state *s, rf_error *err) {
    if (!opts->managed_file)
        return 0;
    int rc = rf_path_expand_resolve(opts->managed_file, s->cwd, s->home, "managed_file",
                                    &s->managed_file, err);
    if (rc < 0)
        return rc;
    char *text = NULL;
    size_t len = 0;
    bool missing = false;
    rc = rf_policy_file_read(s->managed_file, "managed_file", &text, &len, &missing, err);
    if (rc == 0 && missing) {
        free(s->managed_file);
        s->managed_file = NULL;
        return 0;
    }
    if (rc < 0)
        return rc; /* the message already names the file */
    rc = rf_policy_parse_buffer(text, len, RF_POLICY_MANAGED, &s->managed, err);
    free(text);
    if (rc == 0 && !(s->managed_dir = rf_path_dir_of(s->managed_file)))
        rc = -ENOMEM;
    if (rc == 0)
        rc = resolve_raw(&s->managed, &managed_rules, s->managed_dir, s->home, err);
    if (rc < 0)
        annotate(err, "managed policy", s->managed_file);
    s->have_managed = rc == 0;
    return rc;
}

static int resolve_defaults(load_state *s, rf_error *err) {
    for (size_t i = 0; i < sizeof default_deny_read / sizeof default_deny_read[0]; i++) {
        char *resolved = NULL;
        int rc = rf_path_expand_resolve(default_deny_read[i], s->cwd, s->home, "deny_read (default)",
                                        &resolved, err);
        if (rc == 0)
            rc = rf_strv_push(&s->default_deny, resolved);
        free(resolved);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The user's policy from `text` (NULL: none), then the flags, then merge. */
static int load_rest(const rf_load_options *opts, load_state *s, const char *text, size_t len,
                     const char *user_label, rf_policy **out, rf_error *err) {
    int rc = 0;
    if (text) {
        rc = rf_policy_parse_buffer(text, len, RF_POLICY_USER, &s->user, err);
        if (rc == 0)
            rc = resolve_raw(&s->user, &file_rules, s->policy_dir, s->home, err);
        if (rc < 0) {
            annotate(err, "policy file", user_label);
            return rc;
        }
    }
    if ((rc = rf_policy_flags_parse(&opts->overrides, &s->flags, err)) < 0)
        return rc;
    if ((rc = resolve_raw(&s->flags, &flag_rules, s->cwd, s->home, err)) < 0)
        return rc;
    if ((rc = resolve_defaults(s, err)) < 0)
        return rc;
    if (!s->flags.workspace && !s->user.workspace) {
        /* The default workspace is the current directory. */
        rc = rf_path_require_dir(s->cwd, s->cwd, "workspace", err);
        if (rc < 0)
            return rc;
    }

    rf_policy *policy = calloc(1, sizeof *policy);
    if (!policy)
        return -ENOMEM;
    rf_merge_input in = {
        .user = &s->user,
        .managed = s->have_managed ? &s->managed : NULL,
        .flags = &s->flags,
        .cwd_workspace = s->cwd,
        .home = s->home,
        .default_deny_read = &s->default_deny,
        .managed_file = s->managed_file,
        .policy_file = s->policy_file,
    };
    rc = rf_policy_merge(&in, policy, err);
    if (rc == 0) {
        policy->policy_file = s->policy_file;
        policy->managed_file = s->managed_file;
        s->policy_file = s->managed_file = NULL;
        *out = policy;
        return 0;
    }
    rf_policy_release(policy);
    free(policy);
    return rc;
}

static int load_begin(const rf_load_options *opts, load_state *s, rf_policy **out, rf_error *err) {
    rf_error_clear(err);
    *out = NULL;
    int rc = find_cwd(opts, s, err);
    if (rc == 0)
        rc = rf_home_find(opts->home, &s->home, err);
    if (rc == 0)
        rc = load_managed(opts, s, err);
    return rc;
}

static int load_end(int rc, load_state *s, rf_error *err) {
    if (rc < 0 && err && err->code == 0)
        rf_fail_errno(err, rc == -ENOMEM ? ENOMEM : -rc, "load policy");
    load_state_free(s);
    return rc;
}

int rf_policy_load(const rf_load_options *opts, rf_policy **out, rf_error *err) {
    load_state s = {0};
    char *text = NULL;
    size_t len = 0;
    int rc = load_begin(opts, &s, out, err);
    if (rc < 0)
        goto out;
    if (opts->policy_file) {
        rc = rf_path_expand_resolve(opts->policy_file, s.cwd, s.home, "policy_file", &s.policy_file,
                                    err);
        if (rc == 0)
            rc = rf_policy_file_read(s.policy_file, "policy_file", &text, &len, NULL, err);
        if (rc == 0 && !(s.policy_dir = rf_path_dir_of(s.policy_file)))
            rc = -ENOMEM;
        if (rc < 0)
            goto out;
    }
    rc = load_rest(opts, &s, text, len, s.policy_file, out, err);
out:
    free(text);
    return load_end(rc, &s, err);
}

int rf_policy_load_buffer(const rf_load_options *opts, const char *text, size_t len,
                          const char *base_dir, rf_policy **out, rf_error *err) {
    load_state s = {0};
    int rc = load_begin(opts, &s, out, err);
    if (rc < 0)
        goto out;
    if (!(s.policy_dir = strdup(base_dir))) {
        rc = -ENOMEM;
        goto out;
    }
    rc = load_rest(opts, &s, text ? text : "", len, "(buffer)", out, err);
out:
    return load_end(rc, &s, err);
}

void rf_policy_free(rf_policy *policy) {
    if (!policy)
        return;
    rf_policy_release(policy);
    free(policy);
}
