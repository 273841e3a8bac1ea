/*
 * world_win.h — the throwaway world rf-probe.exe's probes aim at on Windows,
 * built outside the sandbox by the driver (`rf-probe.exe --matrix`).
 *
 * Under %TEMP%\rf-probe-<random>: a workspace with .git, .codex and
 * .ringfence, a writable root without .git, an extra writable root, an
 * outside folder of fixtures, a planted secret; loopback listeners served by
 * threads of the driver (HTTP on TCP that logs its requests, a UDP echo of
 * the nonce, an ssh banner), a named pipe server standing for
 * \\.\pipe\docker_engine, and a target process (rf-probe.exe --target) that
 * holds the nonce in memory and a writable handle to a file outside.  The
 * world file (state\world.json) tells rf-probe.exe all that.
 *
 * rf_wworld_destroy ends only what the world started (the target, by its
 * handle; the threads, by closing their sockets) and removes the folder
 * without following junctions.
 */
#ifndef RF_PROBE_WORLD_WIN_H
#define RF_PROBE_WORLD_WIN_H

#include "core/ringfence.h"

typedef struct rf_wworld rf_wworld;

/* `self` is rf-probe.exe's own path (for the target process). */
int rf_wworld_create(const char *self, rf_wworld **out, rf_error *err);

/* Puts every fixture back as new without touching listeners or the target. */
int rf_wworld_reset(rf_wworld *w, rf_error *err);

const char *rf_wworld_root(const rf_wworld *w);
const char *rf_wworld_file(const rf_wworld *w); /* state\world.json */
/* state\appdata: %LOCALAPPDATA% for the launcher, so that its state file
 * and private TEMP live in the world and go with it (as selftest does). */
const char *rf_wworld_appdata(const rf_wworld *w);
/* The writable roots a sandbox must grant: ws, ws-nogit, extra (full paths). */
const char *rf_wworld_writable_root(const rf_wworld *w, int i, char *buf, size_t len);
#define RF_WWORLD_N_ROOTS 3

void rf_wworld_destroy(rf_wworld *w);

/* The target process's main: holds `nonce` and a writable handle to `held`,
 * prints "addr=HEX handle=HEX", then waits to be ended.  Returns an exit code. */
int rf_wworld_target_main(const char *nonce, const char *held);

/* Removes a folder tree; reparse points (junctions, symlinks) are removed
 * themselves, never followed.  Returns 0 or the first Win32 error. */
unsigned long rf_wworld_remove_tree(const wchar_t *path);

#endif
