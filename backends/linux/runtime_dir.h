/*
 * runtime_dir.h — the user's runtime folders the sandbox hides.
 *
 * $XDG_RUNTIME_DIR (/run/user/UID) holds the session bus (`systemd-run
 * --user` over it starts anything outside the sandbox, network included),
 * the ssh and gpg agents, pipewire, the docker rootless socket.  With a
 * mount namespace each one is covered by an empty read-only tmpfs, as a
 * deny-read directory of the mount plan.  An attacker uses whatever the
 * command can find: the XDG_RUNTIME_DIR of the environment it is given, and
 * the well-known /run/user/UID; ringfence's own XDG_RUNTIME_DIR is covered
 * too, in case the core scrubbed the variable from the command's view.
 */
#ifndef RF_BACKENDS_LINUX_RUNTIME_DIR_H
#define RF_BACKENDS_LINUX_RUNTIME_DIR_H

#include <stddef.h>

#define RF_RUNTIME_DIRS_MAX 3
#define RF_RUNTIME_DIR_LEN 256

/* The folders to cover, deduplicated, absolute only, and never one that
 * holds (or is) a writable root, since hiding it would hide the workspace.
 * `cmd_envp` is the command's environment, `own_value` ringfence's own
 * XDG_RUNTIME_DIR (may be NULL).  Returns the count written to `out`. */
size_t rf_runtime_dirs(char *const *cmd_envp, const char *own_value, unsigned uid, const char *const *roots,
                       size_t n_roots, char out[RF_RUNTIME_DIRS_MAX][RF_RUNTIME_DIR_LEN]);

#endif
