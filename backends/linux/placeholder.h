/*
 * placeholder.h — the mount points for absent protected paths.
 *
 * An absent protected path (say .git) must not be creatable by the command,
 * so the launcher creates an empty directory there for the run to mount a
 * read-only empty tmpfs on, and removes it afterwards.  Several ringfence
 * runs may share a workspace: a placeholder may be removed only when it is
 * still empty and no other run still uses it, because rmdir of a mount point
 * that is mounted on in ANOTHER mount namespace succeeds and silently
 * detaches that run's read-only mount (the other sandbox could then create
 * .git after all).
 *
 * Coordination, per writable root, with flock(2) on two files in a private
 * lock directory ($XDG_RUNTIME_DIR/ringfence or /tmp/ringfence-$UID, 0700):
 *   gate   exclusive while a run creates placeholders and mounts on them,
 *          and while a run removes them; also holds the record of the
 *          placeholders ringfence created (one path per line), so whichever
 *          run leaves last removes them even if another run created them.
 *   users  shared by every live run; a leaving run removes placeholders
 *          only when it can take it exclusively (nobody else is inside).
 * The last one out with nothing left to record also removes both lock files;
 * whoever locks the gate checks afterwards that the file it locked is still
 * the one at the path (else it locked a removed file and retries).
 */
#ifndef RF_BACKENDS_LINUX_PLACEHOLDER_H
#define RF_BACKENDS_LINUX_PLACEHOLDER_H

#include <stddef.h>

#include "core/ringfence.h"

typedef struct rf_placeholder_lock {
    const char *root;
    int gate_fd, users_fd;
    char gate_path[320], users_path[320];
} rf_placeholder_lock;

typedef struct rf_placeholders {
    rf_placeholder_lock *locks;
    size_t n_locks;
} rf_placeholders;

/* The private lock directory for this user (created 0700 when missing;
 * refused when it is not a directory of ours with mode 0700). */
int rf_placeholder_lock_dir(char *out, size_t len, rf_error *err);

/* Opens the two lock files of every root and takes `users` shared, for as
 * long as the prepared sandbox lives (placeholders are reused by its runs:
 * creating a directory costs 0.1-0.4 ms on some disks, per name and run). */
int rf_placeholders_open(rf_placeholders *ph, const char *lock_dir, const char *const *roots,
                         size_t n_roots, rf_error *err);

/* Takes every gate (exclusive, in root order), then creates the missing
 * directories `create` (mkdir -p), recording each one it made.  The gates
 * stay held until rf_placeholders_mounted. */
int rf_placeholders_create(rf_placeholders *ph, const char *const *create, size_t n_create,
                           rf_error *err);

/* The sandbox has mounted on the placeholders (or failed): release the gates. */
void rf_placeholders_mounted(rf_placeholders *ph);

/* When the prepared sandbox closes: when no other run is inside a root,
 * removes the recorded placeholders that are among `candidates` (this
 * policy's protected paths and their parents) and still empty; then
 * releases everything. */
void rf_placeholders_end(rf_placeholders *ph, const char *const *candidates, size_t n_candidates);

#endif
