/*
 * world_layout.h — where the probe world keeps its fixtures, relative to its
 * root.  world.c creates them outside the sandbox; the probes aim at them.
 * Each write probe has its own target so that probes never disturb each other.
 */
#ifndef RF_PROBE_WORLD_LAYOUT_H
#define RF_PROBE_WORLD_LAYOUT_H

/* Writable roots (in the policy). */
#define RF_W_WS "ws"          /* the workspace: a git repository */
#define RF_W_NOGIT "ws-nogit" /* a writable root without .git */
#define RF_W_EXTRA "extra"    /* an extra writable root, with its own .git */

/* Workspace content. */
#define RF_W_WS_FILE "ws/file.txt"
#define RF_W_WS_GIT "ws/.git"
#define RF_W_WS_GIT_CONFIG "ws/.git/config"
#define RF_W_WS_GIT_DESCRIPTION "ws/.git/description"
#define RF_W_WS_GIT_HOOK "ws/.git/hooks/pre-commit"
#define RF_W_WS_CODEX "ws/.codex"
#define RF_W_WS_CODEX_CONFIG "ws/.codex/config.toml"
#define RF_W_WS_DECOY "ws/decoy" /* what a swapped .codex would point to */
#define RF_W_WS_AGENTS "ws/.agents"
#define RF_W_WS_RINGFENCE "ws/.ringfence"
#define RF_W_EXTRA_GIT_CONFIG "extra/.git/config"

/* Outside every writable root. */
#define RF_W_OUTSIDE "outside"
#define RF_W_OUT_APPEND "outside/append.txt"
#define RF_W_OUT_TRUNCATE "outside/truncate.txt"
#define RF_W_OUT_OVERWRITE "outside/overwrite.txt"
#define RF_W_OUT_RMDIR "outside/rmdir-me"
#define RF_W_OUT_RENAME "outside/rename-me.txt"
#define RF_W_OUT_UNLINK "outside/unlink-me.txt"
#define RF_W_OUT_CHMOD "outside/chmod.txt"
#define RF_W_OUT_CHOWN "outside/chown.txt"
#define RF_W_OUT_UTIME "outside/utime.txt"
#define RF_W_OUT_XATTR "outside/xattr.txt"
#define RF_W_OUT_SYMLINK_TARGET "outside/via-symlink.txt"
#define RF_W_OUT_FLIP_TARGET "outside/flip-target.txt"
#define RF_W_OUT_HARDLINK_SRC "outside/hardlink-src.txt"
#define RF_W_OUT_RENAME_IN "outside/rename-in.txt"
#define RF_W_OUT_BY_HANDLE "outside/by-handle.txt" /* open_by_handle_at target */
#define RF_W_OUT_PROTECTED_LINKED "outside/README" /* nothing aims here; listing check */
#define RF_W_HTTP_HITS "outside/http-hits.log"     /* the HTTP listener's request log */

/* Deny-read. */
#define RF_W_SECRET_DIR "secret"
#define RF_W_SECRET_FILE "secret/token.txt"
#define RF_W_SECRET_SINGLE "outside-secret.env" /* a deny_read entry that is one file */

/* Sockets and state that live across runs (never reset). */
#define RF_W_RUN "run"
#define RF_W_DOCKER_SOCK "run/docker.sock"
#define RF_W_USER_RUNTIME "userrt"   /* the command's XDG_RUNTIME_DIR (env.set): a /run/user/UID stand-in */
#define RF_W_USER_BUS "userrt/bus"   /* the session bus stand-in in it */
#define RF_W_STATE "state"
#define RF_W_LOCK "state/daemon.lock"
#define RF_W_POLICY "state/policy.json"
#define RF_W_WORLD_JSON "state/world.json"
#define RF_W_APPDATA "state/appdata" /* Windows: the launcher's %LOCALAPPDATA% */

/* Windows only (world_win.c): targets of the Windows variants. */
#define RF_W_OUT_ADS "outside/ads.txt"                 /* a stream is added to it */
#define RF_W_OUT_LONG_PREFIX "outside/long-prefix.txt" /* written as \\?\C:\... */
#define RF_W_OUT_SHORT_NAME "outside/long-file-name-target.txt" /* written by its 8.3 name */
#define RF_W_OUT_JUNCTION_DIR "outside/junction-target"  /* a junction in ws points here */
#define RF_W_OUT_DACL "outside/dacl.txt" /* its DACL is replaced (WRITE_DAC) */
#define RF_W_HELD_DIR "held" /* outside every root, never reset */
#define RF_W_OUT_HELD "held/by-target.txt" /* the target holds a writable handle */

#endif
