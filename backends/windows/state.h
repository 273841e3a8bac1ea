/*
 * state.h — the Windows backend's state file (%LOCALAPPDATA%\ringfence\
 * state.json): the synthetic SID of every writable root, keyed by the
 * folder's canonical path, and every ACE ringfence added, so that
 * `ringfence ungrant DIR` removes exactly those and nothing the user made.
 *
 * Platform-neutral: parsing, lookups and serialization are tested on Linux;
 * the Windows side reads and writes the file (write to a temporary name, then
 * MoveFileExW with MOVEFILE_REPLACE_EXISTING, so a crash leaves either the old
 * or the new file).
 *
 * Schema, version 1:
 *   {"version": 1,
 *    "readonly_sid": "S-1-5-21-..." | null,
 *    "roots":  [{"path": "C:\\work\\repo", "sid": "S-1-5-21-..."}],
 *    "grants": [{"path": "...", "sid": "...", "type": "allow" | "deny",
 *                "mask": 1245631, "inherit": 3}]}
 */
#ifndef RF_WIN_STATE_H
#define RF_WIN_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "backends/windows/acl_plan.h"
#include "backends/windows/sid.h"
#include "core/ringfence.h"

typedef struct rf_win_root_sid {
    char *path; /* as first recorded */
    char *key;  /* rf_winpath_key of path */
    char sid[RF_SID_TEXT_MAX];
} rf_win_root_sid;

typedef struct rf_win_state {
    char readonly_sid[RF_SID_TEXT_MAX]; /* "" when none yet */
    rf_win_root_sid *roots;
    size_t n_roots;
    rf_ace *grants; /* ACEs ringfence added and has not removed */
    size_t n_grants;
} rf_win_state;

int rf_win_state_new(rf_win_state **out, rf_error *err);
/* Validates everything: SIDs parse and have the synthetic shape, paths give
 * keys, no two roots share a key or a SID.  Errors name the field. */
int rf_win_state_parse(const char *text, rf_win_state **out, rf_error *err);
int rf_win_state_to_json(const rf_win_state *state, char **out, rf_error *err);
void rf_win_state_free(rf_win_state *state);

/* The SID of the root at `path` (any spelling of it); a fresh synthetic SID
 * is drawn from `rng` and recorded when the root is new (*created = 1). */
int rf_win_state_root_sid(rf_win_state *state, const char *path, rf_random_fn rng, void *ctx,
                          char sid_out[RF_SID_TEXT_MAX], int *created, rf_error *err);

/* The SID used for read-only runs, created on first use. */
int rf_win_state_readonly_sid(rf_win_state *state, rf_random_fn rng, void *ctx,
                              char sid_out[RF_SID_TEXT_MAX], rf_error *err);

/* Records an ACE ringfence added (a duplicate is recorded once). */
int rf_win_state_add_grant(rf_win_state *state, const rf_ace *ace, rf_error *err);

/* Removes from the state every grant on `dir` or beneath it, and every grant
 * naming the SID of a root there (NUL device, private TEMP), and returns them
 * (malloc'd array; free with rf_acl_free_aces) for the caller to revoke. */
int rf_win_state_take_grants_under(rf_win_state *state, const char *dir, rf_ace **out,
                                   size_t *n_out, rf_error *err);

/* Removes from the state every grant naming the read-only SID (the NUL
 * device) and forgets that SID; returns the grants for the caller to revoke
 * (`ringfence ungrant --read-only`).  `rf_win_state_take_grants_under`
 * never takes them: they belong to no folder. */
int rf_win_state_take_readonly_grants(rf_win_state *state, rf_ace **out, size_t *n_out,
                                      rf_error *err);

#endif
