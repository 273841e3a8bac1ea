/*
 * prepare_win.h — the once-per-policy work of the Windows admin-free backend:
 * SIDs from the state file, the ACL plan applied (only missing ACEs), the
 * state saved, the write-restricted token made.  Nothing here walks the tree
 * again when the ACEs are already present (cost paid once).
 */
#ifndef RF_WIN_PREPARE_WIN_H
#define RF_WIN_PREPARE_WIN_H

#include "backends/windows/win32.h"

typedef struct rf_win_prepared {
    char **roots;                   /* canonical root paths */
    char (*sids)[RF_SID_TEXT_MAX];  /* their SIDs */
    size_t n_roots;
    rf_acl_plan plan;
    rf_win_apply_report report;
    HANDLE token;                   /* the write-restricted token */
    char *tmp_dir;                  /* private TEMP for the command, or NULL */
} rf_win_prepared;

/* With `private_tmp`, a folder %LOCALAPPDATA%\ringfence\tmp\<first root's
 * SID> is created and granted like a root: set TEMP and TMP to tmp_dir. */
int rf_win_prepare(const char *const *roots, size_t n_roots, const char *const *protected_names,
                   size_t n_protected, bool private_tmp, const char *state_path,
                   rf_win_prepared *out, rf_error *err);
void rf_win_prepared_free(rf_win_prepared *p);

/* A read-only run: the state file's read-only SID (created on first use) is
 * the token's only restricting SID and is granted nothing but the NUL device,
 * so the command can write no file or folder.  No private TEMP. */
int rf_win_prepare_readonly(const char *state_path, rf_win_prepared *out, rf_error *err);

/* `ringfence ungrant DIR`: removes exactly the ACEs ringfence recorded on DIR
 * and below, and forgets them. */
int rf_win_ungrant(const char *dir, const char *state_path, size_t *removed, rf_error *err);

#endif
