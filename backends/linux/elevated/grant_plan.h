/*
 * grant_plan.h — which ACL entries `ringfence grant` puts where, as plain
 * data computed from the normalized policy (no file system access, no
 * libacl), so the same writable roots, protected paths and deny_read list
 * as a run's are used and the result can be tested directly.
 *
 * What each kind of target gets (S = both sandbox users, R = the real user):
 *   writable   S rwX (access), S rwx + R rwx (default, directories)
 *   protected  S r-X (access), S r-x (default, directories)
 *   deny       S --- (access): a named entry wins over group and other
 *   traverse   S --x (access, the directory only): the home folder and the
 *              folders above a writable root, so the sandbox users can reach
 *              the workspace without listing the home folder's names
 *   read       S r-X (access), S r-x (default): tool folders (RF_GRANT_TOOL_DIRS)
 * Targets inside a writable root belong to the workspace's grant; the others
 * (home, traverse, tool folders, deny paths outside the workspace) belong to
 * the shared per-home grant, kept while any workspace is granted.
 */
#ifndef RF_ELEVATED_GRANT_PLAN_H
#define RF_ELEVATED_GRANT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "backends/linux/elevated/acl_model.h"
#include "core/policy.h"

typedef enum rf_grant_kind {
    RF_GRANT_WRITABLE = 0,
    RF_GRANT_PROTECTED,
    RF_GRANT_DENY,
    RF_GRANT_TRAVERSE,
    RF_GRANT_READ,
} rf_grant_kind;

const char *rf_grant_kind_name(rf_grant_kind kind); /* "writable", ... */
int rf_grant_kind_from_name(const char *name);      /* -1 when unknown */

typedef struct rf_grant_target {
    char *path;
    rf_grant_kind kind;
    bool walk;   /* existing files beneath get the entries too */
    bool shared; /* part of the per-home grant rather than the workspace's */
} rf_grant_target;

typedef struct rf_grant_plan {
    rf_grant_target *targets;
    size_t n, cap;
    unsigned sandbox_uids[2]; /* offline, online */
    unsigned real_uid;
} rf_grant_plan;

/* Tool folders (relative to the home folder) that get read grants when they
 * exist: toolchains and package managers the sandboxed commands run.
 * RF_GRANT_TOOL_SECRETS lists files inside them that hold credentials; they
 * get `deny` instead, like the policy's deny_read paths. */
extern const char *const RF_GRANT_TOOL_DIRS[];
extern const size_t RF_GRANT_N_TOOL_DIRS;
extern const char *const RF_GRANT_TOOL_SECRETS[];
extern const size_t RF_GRANT_N_TOOL_SECRETS;

/* Builds the plan.  `home` is the user's home folder (absolute, resolved).
 * Nothing on the machine is read or changed. */
int rf_grant_plan_build(const rf_policy *policy, const char *home, const unsigned sandbox_uids[2],
                        unsigned real_uid, rf_grant_plan *out, rf_error *err);
void rf_grant_plan_free(rf_grant_plan *plan);

/* The target that governs `path` during a walk: the deepest walked or deny
 * target equal to or containing it; NULL when none does. */
const rf_grant_target *rf_grant_plan_match(const rf_grant_plan *plan, const char *path);

/* The named entries `kind` puts on a file of `mode`, for its access ACL or
 * (directories only) its default ACL.  Returns how many (at most 3). */
size_t rf_grant_entries(const rf_grant_plan *plan, rf_grant_kind kind, mode_t mode, bool is_default,
                        rf_acl_named out[3]);

/* The uids whose named entries an ungrant removes from an access or default
 * ACL (the sandbox users; the real user too in default ACLs). */
size_t rf_grant_strip_uids(const rf_grant_plan *plan, bool is_default, unsigned out[3]);

#endif
