/* acl_plan.c — normalized roots and protected names -> the list of ACE changes. */
#include "backends/windows/acl_plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/winpath.h"
#include "core/error.h"

void rf_acl_free_aces(rf_ace *aces, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(aces[i].path);
    free(aces);
}

void rf_acl_plan_free(rf_acl_plan *plan) {
    rf_acl_free_aces(plan->aces, plan->len);
    plan->aces = NULL;
    plan->len = 0;
}

int rf_ace_copy(const rf_ace *src, rf_ace *dst, rf_error *err) {
    *dst = *src;
    dst->path = strdup(src->path);
    if (!dst->path)
        return rf_fail(err, -ENOMEM, "copy ACE for '%s': out of memory", src->path);
    return 0;
}

static int add_ace(rf_acl_plan *plan, const char *path, const char *sid, rf_ace_type type,
                   uint32_t mask, uint32_t inherit, bool create, bool device, rf_error *err) {
    rf_ace *aces = realloc(plan->aces, (plan->len + 1) * sizeof *aces);
    if (!aces)
        return rf_fail(err, -ENOMEM, "plan ACE on '%s': out of memory", path);
    plan->aces = aces;
    rf_ace *a = &plan->aces[plan->len];
    memset(a, 0, sizeof *a);
    a->path = strdup(path);
    if (!a->path)
        return rf_fail(err, -ENOMEM, "plan ACE on '%s': out of memory", path);
    snprintf(a->sid, sizeof a->sid, "%s", sid);
    a->type = type;
    a->mask = mask;
    a->inherit = inherit;
    a->create_if_absent = create;
    a->is_device = device;
    plan->len++;
    return 0;
}

/* Only our own synthetic SIDs may be granted: an ACE for Everyone or Users
 * would open the root to every process (and Codex issue #17551 shows what a
 * shared restricting SID does). */
static int check_sid(const char *text, const char *root, rf_error *err) {
    rf_sid sid;
    int rc = rf_sid_parse(text, &sid, err);
    if (rc < 0)
        return rc;
    if (!rf_sid_is_synthetic_shape(&sid) || rf_sid_is_shared(&sid))
        return rf_fail(err, -EINVAL,
                       "plan ACL for root '%s': SID %s is not a synthetic per-root SID", root,
                       text);
    return 0;
}

/* A protected name must stay inside its root: "..\x" or "C:\x" would move
 * the deny ACE (and the folder created for it) anywhere. */
static int check_name(const char *name, rf_error *err) {
    if (!name[0] || name[0] == '/' || name[0] == '\\' || strchr(name, ':'))
        return rf_fail(err, -EINVAL, "plan ACL: protected name '%s' is not relative", name);
    const char *p = name;
    while (*p) {
        const char *end = p + strcspn(p, "/\\");
        size_t len = (size_t)(end - p);
        if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
            return rf_fail(err, -EINVAL,
                           "plan ACL: protected name '%s' has an empty, '.' or '..' part", name);
        p = *end ? end + 1 : end;
    }
    return 0;
}

static int plan_protected(const rf_acl_plan_input *in, size_t r, const char *name,
                          rf_acl_plan *plan, rf_error *err) {
    char *path = NULL;
    int rc = rf_winpath_join(in->roots[r], name, &path, err);
    for (size_t s = 0; rc == 0 && s < in->n_roots; s++) {
        /* Nested roots: every root SID that reaches the path is denied. */
        rc = rf_winpath_within(path, in->roots[s], err);
        if (rc == 1)
            rc = add_ace(plan, path, in->root_sids[s], RF_ACE_DENY, RF_PROTECTED_DENY_MASK,
                         RF_OBJECT_INHERIT | RF_CONTAINER_INHERIT, true, false, err);
    }
    free(path);
    return rc < 0 ? rc : 0;
}

int rf_acl_plan_build(const rf_acl_plan_input *in, rf_acl_plan *out, rf_error *err) {
    rf_acl_plan plan = {0};
    int rc = 0;
    for (size_t r = 0; rc == 0 && r < in->n_roots; r++) {
        char *key = NULL;
        rc = rf_winpath_key(in->roots[r], &key, err);
        free(key);
        if (rc == 0)
            rc = check_sid(in->root_sids[r], in->roots[r], err);
    }
    for (size_t p = 0; rc == 0 && p < in->n_protected; p++)
        rc = check_name(in->protected_names[p], err);
    if (rc == 0 && in->scratch && in->n_roots == 0)
        rc = rf_fail(err, -EINVAL, "plan ACL: a temporary folder needs a root SID");
    if (rc == 0 && in->scratch) {
        char *key = NULL;
        rc = rf_winpath_key(in->scratch, &key, err);
        free(key);
    }
    for (size_t r = 0; rc == 0 && r < in->n_roots; r++)
        rc = add_ace(&plan, in->roots[r], in->root_sids[r], RF_ACE_ALLOW, RF_ROOT_ALLOW_MASK,
                     RF_OBJECT_INHERIT | RF_CONTAINER_INHERIT, false, false, err);
    for (size_t r = 0; rc == 0 && r < in->n_roots; r++)
        for (size_t p = 0; rc == 0 && p < in->n_protected; p++)
            rc = plan_protected(in, r, in->protected_names[p], &plan, err);
    if (rc == 0 && in->scratch)
        rc = add_ace(&plan, in->scratch, in->root_sids[0], RF_ACE_ALLOW, RF_ROOT_ALLOW_MASK,
                     RF_OBJECT_INHERIT | RF_CONTAINER_INHERIT, false, false, err);
    /* The NUL device: tools write to it constantly, and its DACL names no
     * root SID, so the restricted pass would refuse every write. */
    for (size_t r = 0; rc == 0 && r < in->n_roots; r++)
        rc = add_ace(&plan, RF_NUL_DEVICE, in->root_sids[r], RF_ACE_ALLOW, RF_NUL_ALLOW_MASK, 0,
                     false, true, err);
    if (rc < 0) {
        rf_acl_plan_free(&plan);
        return rc;
    }
    *out = plan;
    return 0;
}

int rf_acl_plan_readonly(const char *sid, rf_acl_plan *out, rf_error *err) {
    rf_acl_plan plan = {0};
    int rc = check_sid(sid, "(read-only run)", err);
    /* No ACE on any folder: under WRITE_RESTRICTED the restricted pass finds
     * this SID nowhere, so every write to a file or folder is refused.  Only
     * the NUL device is granted (a sink: `> NUL` must keep working). */
    if (rc == 0)
        rc = add_ace(&plan, RF_NUL_DEVICE, sid, RF_ACE_ALLOW, RF_NUL_ALLOW_MASK, 0, false, true,
                     err);
    if (rc < 0) {
        rf_acl_plan_free(&plan);
        return rc;
    }
    *out = plan;
    return 0;
}

void rf_ace_describe(const rf_ace *ace, char *buf, size_t size) {
    snprintf(buf, size, "%s %s 0x%08x %s%s%s on %s", ace->type == RF_ACE_DENY ? "deny" : "allow",
             ace->sid, (unsigned)ace->mask, (ace->inherit & RF_OBJECT_INHERIT) ? "OI" : "",
             (ace->inherit & RF_CONTAINER_INHERIT) ? "CI" : "",
             ace->create_if_absent ? " (created if absent)" : "", ace->path);
}
