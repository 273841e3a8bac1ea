/*
 * setup_unit.h — the systemd unit that re-creates the firewall table at boot
 * (nftables tables live in the kernel and vanish on reboot).
 *
 * Enabled with a symbolic link in sysinit.target.wants, exactly what
 * `systemctl enable` would create, so that it works the same whether or not
 * systemd runs right now (containers and CI machines often have none); when
 * it runs, `systemctl daemon-reload` makes it notice the new unit.
 */
#ifndef RF_ELEVATED_SETUP_UNIT_H
#define RF_ELEVATED_SETUP_UNIT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/ringfence.h"

/* Plan: the unit file text; `exec_start` is the full ExecStart= command. */
int rf_setup_unit_text(const char *exec_start, char *out, size_t len, rf_error *err);

/* The path of the enabling link: <wants_dir>/<unit file name>. */
int rf_setup_unit_link_path(const char *unit_path, const char *wants_dir, char *out, size_t len,
                            rf_error *err);

/* Whether systemd is the running init (/run/systemd/system exists). */
bool rf_setup_systemd_running(void);

/* Writes the unit, creates the enabling link, and reloads systemd when it runs. */
int rf_setup_unit_install(const char *unit_path, const char *wants_dir, const char *text,
                          rf_error *err);

/* Removes the link and the unit (and the wants folder when it is left empty). */
int rf_setup_unit_remove(const char *unit_path, const char *wants_dir, rf_error *err);

/* "" when the unit holds `text` and is enabled, else what is wrong; -ENOENT
 * when the unit file does not exist. */
int rf_setup_unit_problem(const char *unit_path, const char *wants_dir, const char *text,
                          char *why, size_t why_len);

#endif
