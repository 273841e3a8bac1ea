/*
 * guarantees.h — what the Windows admin-free backend enforces, and refusing a
 * policy that requires more (platform-neutral; tested on Linux).
 *
 *   writes        enforced  write-restricted token + per-root allow ACEs
 *   protected     enforced  deny-write ACEs, absent paths created first
 *   deny_read     absent    reads come from the user's own token; needs the
 *                           elevated backend (a separate sandbox user)
 *   network       advisory  proxy variables, GIT_SSH_COMMAND, denybin stubs
 *   process_tree  enforced  job object with KILL_ON_JOB_CLOSE
 *
 * Under Wine nothing of the token or the DACLs is enforced: the probe says so
 * and reports writes and protected as absent.
 */
#ifndef RF_WIN_GUARANTEES_H
#define RF_WIN_GUARANTEES_H

#include "core/policy.h"
#include "core/ringfence.h"

/* Fills the guarantee table (level, why) and `layers`; `wine_version` is the
 * Wine version when running under Wine, else NULL. */
void rf_win_unelevated_table(rf_backend_status *st, const char *wine_version);

/* The `none` backend: no token, no ACEs, every guarantee absent. */
void rf_win_none_table(rf_backend_status *st);

/* Fails closed (RF_EBACKEND, naming the guarantee and what would provide it)
 * when the policy requires a guarantee the table does not enforce. */
int rf_win_check_requirements(const rf_policy *policy, const rf_backend_status *st,
                              rf_error *err);

#endif
