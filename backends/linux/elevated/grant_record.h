/*
 * grant_record.h — $XDG_STATE_HOME/ringfence/grants.json: what
 * `ringfence grant` changed, so that later runs pay nothing proportional to
 * the size of the workspace (rf_grant_lookup: one stat and one small file)
 * and `ringfence ungrant` removes exactly what was added.
 *
 * One entry per granted workspace, found by the device and inode of its root
 * directory (a renamed workspace stays granted; a new directory at the old
 * path does not) and told from a later directory that got the same inode
 * number (file systems such as ext4 reuse a deleted directory's number for
 * the next one) by its birth time and inode generation, plus one shared entry for the home folder's grants
 * (traverse, tool folders, deny paths outside any workspace).  Each entry
 * keeps its plan (targets and uids, so an ungrant undoes what was done even
 * after the policy changed) and the files whose ACL could not be undone from
 * the uids alone ("saved": their ACL before and after, see acl_model.h).
 *
 * The record is the user's own cache, never trusted by the runner (which
 * checks the ACL of the workspace itself).  This library uses cJSON only, no
 * libacl, so the CLI can link it.
 */
#ifndef RF_ELEVATED_GRANT_RECORD_H
#define RF_ELEVATED_GRANT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/linux/elevated/acl_model.h"
#include "backends/linux/elevated/grant_plan.h"
#include "core/ringfence.h"

#define RF_GRANT_FORMAT 1

typedef struct rf_grant_saved {
    char *path;
    uint64_t dev, ino;
    bool is_default;
    char *before; /* rf_acl_format text; "" when there was none */
    char *after;  /* what the grant set */
} rf_grant_saved;

/* What tells a directory from a later one that got its device and inode
 * numbers: its birth time (statx) and inode generation (FS_IOC_GETVERSION),
 * each when the file system gives it (tmpfs has no generation ioctl; older
 * records have neither). */
typedef struct rf_grant_identity {
    uint64_t dev, ino;
    bool has_btime, has_generation;
    int64_t btime_sec;
    uint32_t btime_nsec;
    uint32_t generation;
} rf_grant_identity;

typedef struct rf_grant_entry {
    char *path; /* the workspace root, or the home folder for the shared entry */
    bool shared;
    uint64_t dev, ino;
    /* The rest of the root's identity (dev and ino above unused there). */
    rf_grant_identity id;
    bool complete;      /* false while the walk of existing files runs */
    bool walk_started;  /* a walk began: a later one resumes it */
    int64_t granted_at; /* seconds since the epoch */
    rf_grant_plan plan; /* the targets of this entry only */
    /* Kept in a file of its own (<record>.d/<scope>-<dev>-<ino>.json), so
     * that grants.json, which every lookup reads, stays small however many
     * files needed saving; loaded only by grant and ungrant. */
    rf_grant_saved *saved;
    size_t n_saved, cap_saved;
    bool saved_dirty;  /* changed since loaded: rewritten by rf_grant_record_save */
    bool saved_sorted; /* sorted by (dev, ino, type) for lookups */
    uint64_t changed, visited, skipped_not_owned;
} rf_grant_entry;

typedef struct rf_grant_record {
    rf_grant_entry *entries;
    size_t n, cap;
} rf_grant_record;

/* $XDG_STATE_HOME/ringfence/grants.json, else ~/.local/state/ringfence/grants.json. */
int rf_grant_record_path(char **out, rf_error *err);

/* Loads the record (with each entry's saved ACLs when `with_saved`); a
 * missing file is an empty record. */
int rf_grant_record_load(const char *path, bool with_saved, rf_grant_record *out, rf_error *err);
/* Writes it atomically (temporary file, fsync, rename), mode 0600, creating
 * the folder (0700) when needed: first the changed saved-ACL files, then
 * grants.json, then removes saved-ACL files no entry names any more.  Only
 * for a record loaded `with_saved`. */
int rf_grant_record_save(const char *path, const rf_grant_record *rec, rf_error *err);
void rf_grant_record_free(rf_grant_record *rec);

/* Takes an exclusive lock on `<path>.lock` (blocking); returns the fd to
 * close, or a negative errno. */
int rf_grant_record_lock(const char *path, rf_error *err);

rf_grant_entry *rf_grant_record_find(rf_grant_record *rec, uint64_t dev, uint64_t ino, bool shared);
/* A new entry (zeroed but for the given fields), or NULL on ENOMEM. */
rf_grant_entry *rf_grant_record_add(rf_grant_record *rec, const char *path, uint64_t dev,
                                    uint64_t ino, bool shared);
void rf_grant_record_remove(rf_grant_record *rec, rf_grant_entry *entry);
int rf_grant_entry_save_acl(rf_grant_entry *entry, const char *path, uint64_t dev, uint64_t ino,
                            bool is_default, const char *before, const char *after);
/* Binary search (the list is sorted on first use). */
const rf_grant_saved *rf_grant_entry_find_saved(rf_grant_entry *entry, uint64_t dev, uint64_t ino,
                                                bool is_default);

/* Reads the identity of directory `dir` (statx; the generation ioctl on an
 * O_RDONLY|O_DIRECTORY descriptor, skipped where the file system has none). */
int rf_grant_identity_read(const char *dir, rf_grant_identity *out, rf_error *err);
/* Sets the entry's birth time and generation from `id`. */
void rf_grant_entry_set_identity(rf_grant_entry *e, const rf_grant_identity *id);

/* Whether `e` (found by the device and inode of `id`) records the directory
 * `dir` itself and not a deleted one whose inode number `dir` got: decided
 * by the birth time and the generation when the entry and the file system
 * both have one; otherwise (a record written before they were kept, a file
 * system that gives neither) by the root's access ACL, read from the
 * system.posix_acl_access xattr without libacl: named-user entries rwx for
 * both of the entry's sandbox uids. */
bool rf_grant_entry_is_dir(const rf_grant_entry *e, const char *dir, const rf_grant_identity *id);

/* Whether the access ACL of `dir` (the system.posix_acl_access xattr, read
 * without libacl) has named-user entries rwx for both sandbox uids: what the
 * runner requires of a granted root. */
bool rf_grant_root_acl_grants(const char *dir, unsigned offline, unsigned online);

/* For the CLI's elevated backend: sets *granted when the record holds a
 * grant of the directory `workspace_path` (same device and inode, and
 * rf_grant_entry_is_dir).  Cost: one statx, one ioctl, reading grants.json,
 * and one getxattr for an entry without birth time or generation, whatever
 * the workspace's size. */
int rf_grant_lookup(const char *workspace_path, bool *granted, rf_error *err);

#endif
