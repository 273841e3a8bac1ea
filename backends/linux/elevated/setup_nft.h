/*
 * setup_nft.h — the firewall table of the elevated backend, through libnftables.
 *
 * One table of our own, `inet NAME`: its output chain sends the packets of
 * the offline sandbox user's sockets (and only those) to a chain that rejects
 * every one of them (IPv4 and IPv6, any protocol) except loopback TCP to the
 * proxy ports the admin lists.  Reject, not drop: a tool
 * must fail at once (TCP reset, ICMP administratively prohibited) instead of
 * waiting for a timeout.  No other table is ever read, changed or flushed.
 */
#ifndef RF_ELEVATED_SETUP_NFT_H
#define RF_ELEVATED_SETUP_NFT_H

#include <stddef.h>

#include "core/ringfence.h"

/* The comment that marks a table as ours; a table of the same name without it
 * is someone else's and is never replaced or deleted. */
#define RF_NFT_TABLE_COMMENT "managed by ringfence-setup; undo with: sudo ringfence uninstall"

/* Plan: the table exactly as `nft list table inet NAME` prints it.  Ports are
 * sorted and de-duplicated.  Returns 0, or -ENAMETOOLONG / -EINVAL. */
int rf_nft_table_text(const char *table, unsigned offline_uid, const unsigned *ports,
                      size_t n_ports, char *out, size_t out_len, rf_error *err);

/* Lists the table back.  *text is malloc'd; -ENOENT when the table does not exist. */
int rf_nft_table_list(const char *table, char **text, rf_error *err);

/* Apply: creates or replaces the table in one transaction (add, delete,
 * re-create), after refusing a table of that name that is not ours. */
int rf_nft_table_replace(const char *table, const char *text, rf_error *err);

/* Deletes the table when it exists and is ours; 0 when it does not exist. */
int rf_nft_table_delete(const char *table, rf_error *err);

#endif
