/*
 * world.h — the throwaway world the probes aim at, built outside the sandbox.
 *
 * Under a fresh folder (mkdtemp in $RINGFENCE_PROBE_DIR, else /var/tmp: not
 * /tmp, which a private-tmp sandbox replaces): a workspace with .git, a
 * writable root without .git, an extra writable root, an outside folder, a
 * planted secret, a policy for them; loopback TCP (v4, v6), UDP and DNS
 * listeners, an ssh banner, a unix socket standing for docker.sock and an
 * abstract one, served by one helper process; a target process to signal,
 * trace and read.  The world file (state/world.json) tells rf-probe all that.
 *
 * rf_world_destroy kills only the processes the world started, by pid, and
 * removes the folder; call it on every path out, failures included.
 */
#ifndef RF_PROBE_WORLD_H
#define RF_PROBE_WORLD_H

#include "core/ringfence.h"

typedef struct rf_world rf_world;

/* Builds the world; base_dir NULL picks the default described above. */
int rf_world_create(const char *base_dir, rf_world **out, rf_error *err);

/* Puts every fixture back as new (the folders probes write into, the secret,
 * the lock file, the /tmp marker) without touching the listeners or the
 * target.  Run it before each backend so that one run's escapes do not
 * change the next run's targets. */
int rf_world_reset(rf_world *w, rf_error *err);

const char *rf_world_root(const rf_world *w);
const char *rf_world_file(const rf_world *w);        /* state/world.json */
const char *rf_world_policy_file(const rf_world *w); /* state/policy.json */
const char *rf_world_workspace(const rf_world *w);
const char *rf_world_tmp_path(const rf_world *w);  /* the host /tmp marker path */
const char *rf_world_lock_path(const rf_world *w); /* the daemon probe's lock */
const char *rf_world_nonce(const rf_world *w);     /* what every target answers with */

/* Kills the world's helper processes (only those, by pid), removes the
 * folder and the /tmp marker.  NULL is fine. */
void rf_world_destroy(rf_world *w);

#endif
