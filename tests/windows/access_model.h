/*
 * access_model.h — a model of the Windows file access check for
 * write-restricted tokens, used to test every ACL plan on Linux.
 *
 * What it models (documented Windows semantics):
 *   - DACL evaluation: ACEs in order, explicit before inherited, deny before
 *     allow among explicit ones; each access bit is decided by the first ACE
 *     that names it; a NULL DACL grants everything.
 *   - Inheritance: OI reaches files, CI reaches folders, OI-only ACEs pass
 *     through folders as inherit-only, NO_PROPAGATE stops after one level,
 *     INHERIT_ONLY ACEs do not apply to their own object, a protected DACL
 *     stops inheritance.  Computed from the explicit ACEs of the ancestors,
 *     which is the state SetNamedSecurityInfoW leaves after propagation.
 *   - Owner implicit rights: READ_CONTROL | WRITE_DAC for the owner, in each
 *     pass only when the owner SID is among that pass's SIDs.
 *   - Restricted tokens: a second pass over the DACL with only the
 *     restricting SIDs; for a write-restricted token the second pass filters
 *     only the "write" bits (write_mask); other bits come from the first pass.
 *   - NTFS delete: DELETE on the object, or FILE_DELETE_CHILD on its folder;
 *     rename = delete right on the source + add right on the target folder.
 *
 * Which bits count as "write" for a write-restricted token is not spelled out
 * in Microsoft's documentation beyond "write access"; the tests run every
 * case under both readings (AM_WRITE_NARROW: the specific bits of
 * FILE_GENERIC_WRITE; AM_WRITE_BROAD: those plus DELETE, FILE_DELETE_CHILD,
 * WRITE_DAC and WRITE_OWNER) and say which results depend on it.
 *
 * A model is not Windows: it shows that a plan is right under these rules,
 * never that Windows follows them.  The probe on real Windows does that.
 */
#ifndef RF_TESTS_ACCESS_MODEL_H
#define RF_TESTS_ACCESS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/windows/acl_plan.h"

#define AM_WRITE_NARROW                                                                   \
    (RF_FILE_WRITE_DATA | RF_FILE_APPEND_DATA | RF_FILE_WRITE_EA | RF_FILE_WRITE_ATTRIBUTES)
#define AM_WRITE_BROAD                                                                    \
    (AM_WRITE_NARROW | RF_DELETE | RF_FILE_DELETE_CHILD | RF_WRITE_DAC | RF_WRITE_OWNER)

typedef struct am_ace {
    char sid[RF_SID_TEXT_MAX];
    rf_ace_type type;
    uint32_t mask;
    uint32_t flags; /* RF_OBJECT_INHERIT ... */
} am_ace;

typedef struct am_node {
    char *key;  /* rf_winpath_key of the path */
    bool is_dir;
    bool protected_dacl;
    bool null_dacl;
    char owner[RF_SID_TEXT_MAX];
    am_ace *aces; /* explicit ACEs, in stored order */
    size_t n_aces;
} am_node;

typedef struct am_fs {
    am_node *nodes;
    size_t n;
} am_fs;

typedef struct am_token {
    const char *const *sids; /* user and enabled groups */
    size_t n_sids;
    const char *const *restricted; /* restricting SIDs; NULL: not restricted */
    size_t n_restricted;
    bool write_restricted;
    uint32_t write_mask; /* AM_WRITE_NARROW or AM_WRITE_BROAD */
} am_token;

/* Adds a node (its folder must exist, except for a drive root).  `owner`
 * NULL: the owner of the folder above. */
int am_add(am_fs *fs, const char *path, bool is_dir, const char *owner);
am_node *am_find(am_fs *fs, const char *path);
void am_add_ace(am_node *node, const char *sid, rf_ace_type type, uint32_t mask, uint32_t flags);
void am_free(am_fs *fs);

/* The bits of `desired` the token gets on the node. */
uint32_t am_granted(am_fs *fs, const am_node *node, const am_token *tok, uint32_t desired);

/* Applies an ACL plan the way acl_apply_win.c does: creates absent
 * protected folders, appends explicit ACEs not already present.  Devices are
 * skipped.  Returns the number of ACEs added, or -1 when a path is missing. */
int am_apply_plan(am_fs *fs, const rf_acl_plan *plan, const char *owner);

/* Operations a command tries; on success the model changes accordingly. */
typedef enum am_op {
    AM_WRITE,   /* open an existing file for writing, or create it */
    AM_MKDIR,   /* create a folder */
    AM_DELETE,  /* delete a file or an empty folder */
    AM_RENAME,  /* rename path to path2 (path2's folder must exist) */
    AM_CHMOD,   /* rewrite the DACL (WRITE_DAC) */
    AM_READ,    /* read a file / list a folder */
} am_op;

bool am_try(am_fs *fs, const am_token *tok, am_op op, const char *path, const char *path2,
            const char *owner);

#endif
