/*
 * setup_record.h — what `ringfence setup` did, as recorded in setup.json.
 *
 * The record is the contract between the three elevated pieces:
 *   - ringfence-setup (root) writes it after every change and reads it to
 *     repair (`setup`), compare (`setup --check`) and undo (`uninstall`);
 *   - the CLI reads it to decide whether the elevated backend is available
 *     and where the runner is;
 *   - ringfence-runner (setuid root) reads it to learn the sandbox users and
 *     the group allowed to use them.
 *
 * Production path: /etc/ringfence/setup.json, owned by root, mode 0644.
 * A reader running with privilege (the runner) must pass `require_root_owned`
 * so that a record anyone but root could have written is refused.
 */
#ifndef RF_ELEVATED_SETUP_RECORD_H
#define RF_ELEVATED_SETUP_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/ringfence.h"

#define RF_SETUP_RECORD_PATH "/etc/ringfence/setup.json"
#define RF_SETUP_FORMAT 1
#define RF_SETUP_MAX_PROXY_PORTS 16

typedef struct rf_setup_principal {
    char name[64];
    unsigned id; /* uid for users, gid for the group */
    char home[256]; /* users only: /var/lib/ringfence/<name> */
} rf_setup_principal;

typedef struct rf_setup_record {
    int format;              /* RF_SETUP_FORMAT */
    char version[32];        /* RINGFENCE_VERSION of the setup that wrote it */
    rf_setup_principal group;    /* people allowed to use the sandbox */
    rf_setup_principal offline;  /* sandbox user whose traffic the firewall rejects */
    rf_setup_principal online;   /* sandbox user with network */
    /* Firewall: our own table, family inet, nothing else is ever touched. */
    char table[64];                        /* "ringfence" */
    char table_sha256[65];                 /* hex digest of the ruleset text as listed back */
    unsigned proxy_ports[RF_SETUP_MAX_PROXY_PORTS]; /* loopback ports the offline user may reach */
    size_t n_proxy_ports;
    char restore_unit[256];                /* systemd unit that restores the table at boot */
    /* The setuid runner. */
    char runner_path[256];
    char runner_sha256[65];
    /* Written by ringfence-setup before and after each step of an unfinished
     * setup (JSON "complete": false): ids may be 0 and digests empty for the
     * steps not yet done.  rf_setup_record_load refuses such a record, so the
     * runner and the CLI never act on a half-done setup; only setup and
     * uninstall read it, with rf_setup_record_load_progress. */
    bool incomplete;
} rf_setup_record;

/* Reads and validates the record at `path`.  Every field above must be
 * present and well formed (names [a-z0-9_-], ids > 0, absolute paths, 64-hex
 * digests).  With `require_root_owned`, the file and its directory must be
 * owned by root and not writable by group or others (a forged record would
 * name users of the caller's choosing).  Returns -ENOENT when the file does
 * not exist (setup never ran), -EAGAIN when it records an interrupted setup
 * ("complete": false), RF_EPOLICY-free codes otherwise. */
int rf_setup_record_load(const char *path, bool require_root_owned, rf_setup_record *out,
                         rf_error *err);

/* Like rf_setup_record_load(path, true, ...), but also accepts an incomplete
 * record (see `incomplete`), for ringfence-setup to resume or undo an
 * interrupted setup.  Names and paths are still validated. */
int rf_setup_record_load_progress(const char *path, rf_setup_record *out, rf_error *err);

/* Writes the record atomically (temporary file in the same folder, fsync,
 * rename), mode 0644.  Creates nothing but the file. */
int rf_setup_record_save(const char *path, const rf_setup_record *rec, rf_error *err);

#endif
