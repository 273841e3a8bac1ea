/* setup_nft.c — our nftables table: plan as text, apply and read back with libnftables. */
#include "backends/linux/elevated/setup_nft.h"

#include <errno.h>
#include <nftables/libnftables.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static int cmp_unsigned(const void *a, const void *b) {
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

/* "3128" or "{ 3128, 8080 }", as nft prints a port or an anonymous set. */
static int ports_text(const unsigned *ports, size_t n, char *out, size_t len) {
    unsigned sorted[64];
    if (n > sizeof sorted / sizeof sorted[0])
        return -EINVAL;
    memcpy(sorted, ports, n * sizeof *ports);
    qsort(sorted, n, sizeof *sorted, cmp_unsigned);
    size_t unique = 0;
    for (size_t i = 0; i < n; i++) {
        if (sorted[i] < 1 || sorted[i] > 65535)
            return -EINVAL;
        if (unique == 0 || sorted[unique - 1] != sorted[i])
            sorted[unique++] = sorted[i];
    }
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < unique; i++) {
        int w = snprintf(out + used, len - used, "%s%u", i == 0 ? (unique > 1 ? "{ " : "") : ", ",
                         sorted[i]);
        if (w < 0 || (size_t)w >= len - used)
            return -ENAMETOOLONG;
        used += (size_t)w;
    }
    if (unique > 1 && snprintf(out + used, len - used, " }") >= (int)(len - used))
        return -ENAMETOOLONG;
    return 0;
}

int rf_nft_table_text(const char *table, unsigned offline_uid, const unsigned *ports,
                      size_t n_ports, char *out, size_t out_len, rf_error *err) {
    char port_list[512], proxy_rule[600] = "";
    int rc = ports_text(ports, n_ports, port_list, sizeof port_list);
    if (rc < 0)
        return rf_fail(err, rc, "building the firewall table %s: bad or too many proxy ports",
                       table);
    if (n_ports > 0)
        snprintf(proxy_rule, sizeof proxy_rule, "\t\toif \"lo\" tcp dport %s accept\n", port_list);
    /* Only packets whose socket belongs to the offline user enter the
     * `offline` chain; there, loopback connections to a proxy are accepted
     * and everything else is rejected: TCP with a reset, the rest (UDP,
     * ICMP, SCTP, ...) with ICMP administratively prohibited, so tools fail
     * fast instead of hanging.
     * A positive match, not `meta skuid != UID accept`: packets the kernel
     * sends on no one's behalf (ICMP echo replies and errors, IPv6 neighbour
     * discovery, resets for closed ports, the very resets and ICMP errors
     * that `reject` makes) carry no socket, so `meta skuid` matches nothing
     * for them and a `!=` rule would send every such packet of the host into
     * the reject rules (measured on Linux 6.18: ping and UDP port
     * unreachable broke for every user).  The offline user gains nothing
     * from the packets that skip the chain: they are ones the kernel wrote,
     * or the last packets of a socket it closed (an orphan), which can only
     * belong to a connection the chain accepted, to a loopback proxy.  No
     * exception for resets is needed: the reset `reject` answers a SYN with
     * carries no socket either and leaves by the policy. */
    int w = snprintf(out, out_len,
                     "table inet %s {\n"
                     "\tcomment \"%s\"\n"
                     "\tchain output {\n"
                     "\t\ttype filter hook output priority filter; policy accept;\n"
                     "\t\tmeta skuid %u goto offline\n"
                     "\t}\n"
                     "\n"
                     "\tchain offline {\n"
                     "%s"
                     "\t\tmeta l4proto tcp reject with tcp reset\n"
                     "\t\treject with icmpx admin-prohibited\n"
                     "\t}\n"
                     "}\n",
                     table, RF_NFT_TABLE_COMMENT, offline_uid, proxy_rule);
    if (w < 0 || (size_t)w >= out_len)
        return rf_fail(err, -ENAMETOOLONG, "building the firewall table %s: text too long", table);
    return 0;
}

/* Runs one nft command text with output and errors captured.  *output is
 * malloc'd (may be NULL).  Returns 0 or -EIO with the nft error message. */
static int nft_run(const char *cmd, const char *what, char **output, rf_error *err) {
    if (output)
        *output = NULL;
    struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
    if (!nft)
        return rf_fail(err, -ENOMEM, "%s: nft_ctx_new failed", what);
    int rc = 0;
    if (nft_ctx_buffer_output(nft) != 0 || nft_ctx_buffer_error(nft) != 0)
        rc = rf_fail(err, -ENOMEM, "%s: cannot buffer libnftables output", what);
    if (rc == 0 && nft_run_cmd_from_buffer(nft, cmd) != 0) {
        const char *msg = nft_ctx_get_error_buffer(nft);
        char first[512];
        snprintf(first, sizeof first, "%s", msg ? msg : "");
        char *nl = strchr(first, '\n');
        if (nl)
            *nl = '\0';
        rc = rf_fail(err, -EIO, "%s: nftables refused the command: %s", what,
                     first[0] ? first : "(no message)");
    }
    if (rc == 0 && output) {
        const char *text = nft_ctx_get_output_buffer(nft);
        *output = strdup(text ? text : "");
        if (!*output)
            rc = rf_fail_errno(err, ENOMEM, "%s", what);
    }
    nft_ctx_free(nft);
    return rc;
}

/* Whether table `inet NAME` exists: listing the table names only (`list
 * tables` prints no rules and no other state). */
static int table_exists(const char *table, rf_error *err) {
    char *tables = NULL;
    int rc = nft_run("list tables inet", "listing the nftables tables", &tables, err);
    if (rc < 0)
        return rc;
    char line[128];
    snprintf(line, sizeof line, "table inet %s\n", table);
    int found = 0;
    for (const char *p = tables; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
        if (len == strlen(line) && strncmp(p, line, len) == 0)
            found = 1;
        p += len;
    }
    free(tables);
    return found;
}

int rf_nft_table_list(const char *table, char **text, rf_error *err) {
    *text = NULL;
    char what[128];
    snprintf(what, sizeof what, "listing nftables table inet %s", table);
    int exists = table_exists(table, err);
    if (exists <= 0)
        return exists < 0 ? exists : rf_fail(err, -ENOENT, "%s: no such table", what);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "list table inet %s", table);
    return nft_run(cmd, what, text, err);
}

/* A table of our name that lacks our comment belongs to someone else. */
static int check_ours(const char *table, bool *exists, rf_error *err) {
    char *text = NULL;
    int rc = rf_nft_table_list(table, &text, err);
    *exists = rc == 0;
    if (rc == -ENOENT) {
        rf_error_clear(err);
        return 0;
    }
    if (rc == 0 && !strstr(text, "\tcomment \"" RF_NFT_TABLE_COMMENT "\"\n"))
        rc = rf_fail(err, -EEXIST, "nftables table inet %s exists but was not made by "
                     "ringfence-setup (it lacks our comment); refusing to replace or delete it",
                     table);
    free(text);
    return rc;
}

int rf_nft_table_replace(const char *table, const char *text, rf_error *err) {
    bool exists;
    int rc = check_ours(table, &exists, err);
    if (rc < 0)
        return rc;
    /* One transaction: `add` makes the delete valid when the table is absent;
     * the old rules stay in force until the new ones are committed. */
    size_t len = strlen(text) + 256;
    char *cmd = malloc(len);
    if (!cmd)
        return rf_fail_errno(err, ENOMEM, "building the nft command for table %s", table);
    snprintf(cmd, len, "add table inet %s\ndelete table inet %s\n%s", table, table, text);
    char what[128];
    snprintf(what, sizeof what, "creating nftables table inet %s", table);
    rc = nft_run(cmd, what, NULL, err);
    free(cmd);
    return rc;
}

int rf_nft_table_delete(const char *table, rf_error *err) {
    bool exists;
    int rc = check_ours(table, &exists, err);
    if (rc < 0 || !exists)
        return rc;
    char cmd[128], what[128];
    snprintf(cmd, sizeof cmd, "delete table inet %s", table);
    snprintf(what, sizeof what, "deleting nftables table inet %s", table);
    return nft_run(cmd, what, NULL, err);
}
