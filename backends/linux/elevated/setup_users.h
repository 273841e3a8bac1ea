/*
 * setup_users.h — the sandbox group and the two sandbox users.
 *
 * Created and removed only through Debian's shadow tools (groupadd, useradd,
 * gpasswd, userdel, groupdel) run with a fixed argv and environment; this
 * code never edits /etc/passwd or /etc/group itself.
 *
 * The sandbox users get their own primary groups (useradd --user-group) and
 * are never members of the sandbox group: that group may execute the setuid
 * runner, so a sandbox user in it could ask the runner to become the other
 * sandbox user — the offline user would escape its firewall that way.
 */
#ifndef RF_ELEVATED_SETUP_USERS_H
#define RF_ELEVATED_SETUP_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/ringfence.h"

#define RF_SETUP_NOLOGIN "/usr/sbin/nologin"

/* Runs /usr/sbin/NAME-style tool `argv` (argv[0] absolute) with a fixed
 * environment, stdout discarded; 0 when it exits 0. */
int rf_setup_run_tool(const char *const argv[], rf_error *err);

/* Group: creates it (--system) when absent; *gid its id. */
int rf_setup_group_ensure(const char *group, gid_t *gid, rf_error *err);
int rf_setup_group_remove(const char *group, rf_error *err);

/* Whether `user` is listed as a member of `group` (supplementary). */
bool rf_setup_group_has_member(const char *group, const char *user);
int rf_setup_group_add_member(const char *group, const char *user, rf_error *err);
int rf_setup_group_remove_member(const char *group, const char *user, rf_error *err);

/* What is wrong with a sandbox user, as text for `setup --check`; "" when all
 * is right.  Returns -ENOENT when the user does not exist. */
int rf_setup_user_problem(const char *user, const char *home, const char *sandbox_group,
                          char *why, size_t why_len);

/* Sandbox user: creates it (--system, own primary group, no password, nologin
 * shell, home `home` mode 0700) or repairs its shell, home and memberships;
 * *uid its id. */
int rf_setup_user_ensure(const char *user, const char *home, const char *sandbox_group,
                         uid_t *uid, rf_error *err);

/* Removes the user (its own primary group goes with it) and its home. */
int rf_setup_user_remove(const char *user, const char *home, rf_error *err);

#endif
