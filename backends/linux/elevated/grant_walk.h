/*
 * grant_walk.h — applying a grant plan to files, and undoing it.
 *
 * Two phases share this code:
 *   roots  rf_grant_walk_root: each target's own path, at once (cheap: one
 *          file per target), so the workspace is usable right away;
 *   walk   rf_grant_walk_tree: the files already beneath a walked target,
 *          on the first grant only (in the background), never on later runs.
 * Every file is opened relative to its parent with O_NOFOLLOW and changed
 * through that descriptor, and only files owned by the caller are changed.
 */
#ifndef RF_ELEVATED_GRANT_WALK_H
#define RF_ELEVATED_GRANT_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "backends/linux/elevated/grant_plan.h"
#include "backends/linux/elevated/grant_record.h"

typedef struct rf_grant_walk {
    const rf_grant_plan *plan; /* the kinds, by rf_grant_plan_match */
    rf_grant_entry *entry;     /* grant: collects saved ACLs; ungrant: consults them */
    bool ungrant;
    /* Grant only, after an interrupted walk: a file whose ACL already holds
     * exactly our entries counts as done by us rather than as the user's. */
    bool resume;
    bool count_only; /* count the files, change nothing (for progress) */
    /* Folders not entered: the writable roots of granted workspaces, when a
     * shared read grant (~/go, ...) holds one; they keep their own grant. */
    const rf_grant_plan *skip;
    unsigned owner; /* only files of this uid are changed */
    /* Counters. */
    uint64_t visited, changed, skipped_not_owned, skipped_other, changed_since_grant;
    /* Files whose ACL could not be changed (immutable, no ACL support, ...):
     * counted, the first reason kept, and the walk goes on. */
    uint64_t failed;
    char first_failure[1024];
    uint64_t total;  /* from a count_only pass, for progress */
    int progress_fd; /* -1: none; else "visited/total" rewritten every 1,000 files */
    bool progress_stderr;
} rf_grant_walk;

/* Applies (or undoes) `target` on its own path.  A path that does not
 * exist, or a file not owned by the caller, is counted and skipped. */
int rf_grant_walk_root(rf_grant_walk *w, const rf_grant_target *target, rf_error *err);

/* Applies (or undoes) the plan on everything beneath `target`'s path (not
 * the path itself), each file by the target that governs it. */
int rf_grant_walk_tree(rf_grant_walk *w, const rf_grant_target *target, rf_error *err);

/* True when `t` is walked and no other walked target of the plan contains
 * it (a protected folder is walked as part of its writable root). */
bool rf_grant_walk_is_top(const rf_grant_plan *plan, const rf_grant_target *t);

#endif
