/*
 * acl_plan.h — the ACE changes that make the write-restricted token useful:
 * the policy turned into plain data, with no side effects (platform-neutral,
 * tested on Linux; applied on Windows by acl_apply_win.c).
 *
 * For every writable root R with synthetic SID S(R):
 *   - allow S(R) read, write, execute and DELETE on R, inherited by files and
 *     folders (OI|CI);
 *   - for every protected name P: deny S write on R\P (OI|CI) for every root
 *     SID S whose root contains R\P; R\P is created first when absent (as a
 *     folder) so the command cannot create it.
 * The private temporary folder, when given, gets the same allow ACE for the
 * first root's SID (TEMP and TMP point there; the user's own %TEMP% stays
 * read-only to the command).
 * And for the NUL device: allow every root SID read and write (no
 * inheritance), since the restricted pass needs an ACE for one of them.
 *
 * FILE_DELETE_CHILD is deliberately left out of the allow ACE: a right to
 * delete children of the root lets the command delete or rename a protected
 * child whatever that child's own deny ACE says (NTFS grants DELETE on an
 * object when the parent grants FILE_DELETE_CHILD), so `.git` could be moved
 * away and recreated.  Deleting files still works through DELETE on each file.
 */
#ifndef RF_WIN_ACL_PLAN_H
#define RF_WIN_ACL_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/windows/sid.h"
#include "core/ringfence.h"

/* Windows access-mask bits (winnt.h values), so the plan is plain numbers. */
enum {
    RF_FILE_READ_DATA = 0x0001,      /* list a folder */
    RF_FILE_WRITE_DATA = 0x0002,     /* add a file to a folder */
    RF_FILE_APPEND_DATA = 0x0004,    /* add a subfolder */
    RF_FILE_READ_EA = 0x0008,
    RF_FILE_WRITE_EA = 0x0010,
    RF_FILE_EXECUTE = 0x0020,        /* traverse a folder */
    RF_FILE_DELETE_CHILD = 0x0040,
    RF_FILE_READ_ATTRIBUTES = 0x0080,
    RF_FILE_WRITE_ATTRIBUTES = 0x0100,
    RF_DELETE = 0x00010000,
    RF_READ_CONTROL = 0x00020000,
    RF_WRITE_DAC = 0x00040000,
    RF_WRITE_OWNER = 0x00080000,
    RF_SYNCHRONIZE = 0x00100000,
};

#define RF_FILE_GENERIC_READ                                                              \
    (RF_READ_CONTROL | RF_FILE_READ_DATA | RF_FILE_READ_ATTRIBUTES | RF_FILE_READ_EA |      \
     RF_SYNCHRONIZE)
#define RF_FILE_GENERIC_WRITE                                                             \
    (RF_READ_CONTROL | RF_FILE_WRITE_DATA | RF_FILE_WRITE_ATTRIBUTES | RF_FILE_WRITE_EA |   \
     RF_FILE_APPEND_DATA | RF_SYNCHRONIZE)
#define RF_FILE_GENERIC_EXECUTE                                                           \
    (RF_READ_CONTROL | RF_FILE_READ_ATTRIBUTES | RF_FILE_EXECUTE | RF_SYNCHRONIZE)
#define RF_FILE_ALL_ACCESS 0x001F01FF

/* What the root SID may do in its root. */
#define RF_ROOT_ALLOW_MASK                                                                \
    (RF_FILE_GENERIC_READ | RF_FILE_GENERIC_WRITE | RF_FILE_GENERIC_EXECUTE | RF_DELETE)
/* What no root SID may do to a protected path: change data, attributes,
 * names, permissions or owner.  Reads stay allowed. */
#define RF_PROTECTED_DENY_MASK                                                            \
    (RF_FILE_WRITE_DATA | RF_FILE_APPEND_DATA | RF_FILE_WRITE_EA | RF_FILE_WRITE_ATTRIBUTES | \
     RF_FILE_DELETE_CHILD | RF_DELETE | RF_WRITE_DAC | RF_WRITE_OWNER)
#define RF_NUL_ALLOW_MASK (RF_FILE_GENERIC_READ | RF_FILE_GENERIC_WRITE)

/* ACE flags (winnt.h values). */
enum {
    RF_OBJECT_INHERIT = 0x1,
    RF_CONTAINER_INHERIT = 0x2,
    RF_NO_PROPAGATE_INHERIT = 0x4,
    RF_INHERIT_ONLY = 0x8,
};

typedef enum rf_ace_type { RF_ACE_ALLOW = 0, RF_ACE_DENY = 1 } rf_ace_type;

typedef struct rf_ace {
    char *path;                  /* where the ACE goes (a folder, a file, \\.\NUL) */
    char sid[RF_SID_TEXT_MAX];
    rf_ace_type type;
    uint32_t mask;
    uint32_t inherit;            /* RF_OBJECT_INHERIT | RF_CONTAINER_INHERIT ... */
    bool create_if_absent;       /* create `path` as a folder first when missing */
    bool is_device;              /* a device (\\.\NUL): no folder semantics */
} rf_ace;

typedef struct rf_acl_plan {
    rf_ace *aces;
    size_t len;
} rf_acl_plan;

#define RF_NUL_DEVICE "\\\\.\\NUL"

/* The planner's input, already resolved: roots[i] is a canonical folder path
 * and root_sids[i] its synthetic SID. */
typedef struct rf_acl_plan_input {
    const char *const *roots;
    const char *const *root_sids;
    size_t n_roots;
    const char *const *protected_names; /* relative, '/' or '\' separated */
    size_t n_protected;
    /* A private temporary folder (policy tmp = private): writable by the
     * SID of roots[0] like a root, without protected names; NULL: none. */
    const char *scratch;
} rf_acl_plan_input;

/* Builds the plan.  Refuses (-EINVAL, naming the value): a SID that is not of
 * the synthetic shape or is shared (Everyone, Users...), a protected name that
 * is absolute or climbs with "..", a root that gives no path key. */
int rf_acl_plan_build(const rf_acl_plan_input *in, rf_acl_plan *out, rf_error *err);
void rf_acl_plan_free(rf_acl_plan *plan);

/* The plan of a read-only run (no writable root): `sid` is the state file's
 * read-only SID, the token's only restricting SID; it gets no ACE anywhere
 * but the NUL device, so the command can write no file or folder. */
int rf_acl_plan_readonly(const char *sid, rf_acl_plan *out, rf_error *err);

/* Deep copy of one ACE / freeing an array of ACEs. */
int rf_ace_copy(const rf_ace *src, rf_ace *dst, rf_error *err);
void rf_acl_free_aces(rf_ace *aces, size_t n);

/* One line describing an ACE ("deny S-1-5-21-... 0x... OI|CI on C:\w\.git"). */
void rf_ace_describe(const rf_ace *ace, char *buf, size_t size);

#endif
