/*
 * acl_model.h — POSIX ACLs as plain data (no libacl), so that what a grant
 * adds and what an ungrant removes can be computed and tested without
 * touching a file system.
 *
 * The two operations and the rule that ties them:
 *   rf_acl_add_named  sets named-user entries and raises the mask just enough
 *                     for them, without widening any other entry;
 *   rf_acl_strip      removes the named-user entries of given uids again.
 * When strip(add(A)) == A the grant can be undone from the uids alone; when
 * it is not (the user had entries of their own for those uids, or a mask
 * wider than its entries), the grant saves A to restore it exactly.
 */
#ifndef RF_ELEVATED_ACL_MODEL_H
#define RF_ELEVATED_ACL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum rf_acl_tag {
    RF_ACL_USER_OBJ = 1,
    RF_ACL_USER,
    RF_ACL_GROUP_OBJ,
    RF_ACL_GROUP,
    RF_ACL_MASK,
    RF_ACL_OTHER,
};

enum { RF_ACL_X = 1, RF_ACL_W = 2, RF_ACL_R = 4 };
/* In a wanted permission: x only for directories and files someone may
 * already execute (setfacl's `X`). */
enum { RF_ACL_BIG_X = 8 };

#define RF_ACL_MAX_ENTRIES 64
#define RF_ACL_TEXT_MAX (RF_ACL_MAX_ENTRIES * 24)

typedef struct rf_acl_entry {
    int tag;
    unsigned id; /* uid or gid for RF_ACL_USER / RF_ACL_GROUP, else 0 */
    unsigned perm;
} rf_acl_entry;

/* n == 0: no ACL of this type (only meaningful for default ACLs). */
typedef struct rf_acl {
    size_t n;
    rf_acl_entry e[RF_ACL_MAX_ENTRIES];
} rf_acl;

typedef struct rf_acl_named {
    unsigned uid;
    unsigned perm; /* RF_ACL_R|W|X, possibly RF_ACL_BIG_X */
} rf_acl_named;

/* The minimal access ACL of a mode (user_obj, group_obj, other). */
void rf_acl_from_mode(rf_acl *out, mode_t mode);

/* `perm` with RF_ACL_BIG_X resolved for a file of `mode`. */
unsigned rf_acl_resolve_perm(unsigned perm, mode_t mode);

/* Sets the named-user entries (replacing entries of the same uid) and the
 * mask.  The new mask is the old one (group_obj's permission when there was
 * none) plus the named permissions; a bit the mask newly opens is cleared
 * from every other group-class entry (group_obj, other named users and
 * groups), so nobody else can do anything they could not do before.
 * For a default ACL that does not exist yet, `base` (the access ACL) gives
 * the user_obj, group_obj and other entries, as setfacl does.
 * Returns -E2BIG when the ACL would have too many entries. */
int rf_acl_add_named(rf_acl *acl, const rf_acl *base, const rf_acl_named *named, size_t n);

/* Removes the named-user entries of `uids`.  When no named entry is left,
 * a default ACL disappears entirely and an access ACL drops its mask
 * (group_obj keeps what the mask allowed it); otherwise the mask is
 * recomputed as the union of the group class. */
void rf_acl_strip(rf_acl *acl, const unsigned *uids, size_t n_uids, bool is_default);

/* Sorted into the canonical order (tag, then id): what acl_valid expects. */
void rf_acl_sort(rf_acl *acl);
bool rf_acl_equal(const rf_acl *a, const rf_acl *b);

/* What a process with `uid` and primary/supplementary groups `gids` may do,
 * by the POSIX access-check algorithm, for a file owned by owner:group. */
unsigned rf_acl_effective(const rf_acl *acl, unsigned owner, unsigned group, unsigned uid,
                          const unsigned *gids, size_t n_gids);

/* Short text form "u::rwx,u:1000:r-x,g::r-x,m::rwx,o::---" ("" for no ACL);
 * rf_acl_parse reads it back and returns -EINVAL on anything else. */
void rf_acl_format(const rf_acl *acl, char *buf, size_t size);
int rf_acl_parse(const char *text, rf_acl *out);

#endif
