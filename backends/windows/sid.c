/* sid.c — SID text parsing and formatting, synthetic SIDs, shared-SID detection. */
#include "backends/windows/sid.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

/* Reads an unsigned decimal (or 0x-hex) number up to `max`; advances *p. */
static bool read_number(const char **p, uint64_t max, uint64_t *out) {
    const char *s = *p;
    uint64_t v = 0;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    const char *start = s;
    for (;; s++) {
        int d;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            break;
        if (v > (max - (uint64_t)d) / (uint64_t)base)
            return false;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    if (s == start)
        return false;
    *p = s;
    *out = v;
    return true;
}

int rf_sid_parse(const char *text, rf_sid *out, rf_error *err) {
    const char *p = text;
    uint64_t v;
    memset(out, 0, sizeof *out);
    if (!text || (p[0] != 'S' && p[0] != 's') || p[1] != '-')
        return rf_fail(err, -EINVAL, "parse SID '%s': does not start with S-", text ? text : "");
    p += 2;
    if (!read_number(&p, 255, &v) || v != 1 || *p != '-')
        return rf_fail(err, -EINVAL, "parse SID '%s': revision is not 1", text);
    out->revision = 1;
    p++;
    if (!read_number(&p, (UINT64_C(1) << 48) - 1, &out->authority))
        return rf_fail(err, -EINVAL, "parse SID '%s': bad identifier authority", text);
    while (*p == '-') {
        p++;
        if (out->count == RF_SID_MAX_SUBAUTH)
            return rf_fail(err, -EINVAL, "parse SID '%s': more than %d sub-authorities", text,
                           RF_SID_MAX_SUBAUTH);
        if (!read_number(&p, UINT32_MAX, &v))
            return rf_fail(err, -EINVAL, "parse SID '%s': bad sub-authority %d", text,
                           out->count + 1);
        out->sub[out->count++] = (uint32_t)v;
    }
    if (*p != '\0')
        return rf_fail(err, -EINVAL, "parse SID '%s': unexpected text at '%s'", text, p);
    return 0;
}

void rf_sid_format(const rf_sid *sid, char *buf, size_t size) {
    int n;
    /* Windows prints authorities >= 2^32 in hex (ConvertSidToStringSid). */
    if (sid->authority >> 32)
        n = snprintf(buf, size, "S-%u-0x%012" PRIX64, sid->revision, sid->authority);
    else
        n = snprintf(buf, size, "S-%u-%" PRIu64, sid->revision, sid->authority);
    for (unsigned i = 0; i < sid->count && n > 0 && (size_t)n < size; i++)
        n += snprintf(buf + n, size - (size_t)n, "-%" PRIu32, sid->sub[i]);
}

bool rf_sid_equal(const rf_sid *a, const rf_sid *b) {
    if (a->revision != b->revision || a->authority != b->authority || a->count != b->count)
        return false;
    for (unsigned i = 0; i < a->count; i++)
        if (a->sub[i] != b->sub[i])
            return false;
    return true;
}

void rf_sid_from_random(const uint8_t bytes[16], rf_sid *out) {
    memset(out, 0, sizeof *out);
    out->revision = 1;
    out->authority = 5; /* SECURITY_NT_AUTHORITY */
    out->count = 5;
    out->sub[0] = 21; /* SECURITY_NT_NON_UNIQUE: machine and domain SIDs */
    for (int i = 0; i < 4; i++)
        out->sub[1 + i] = (uint32_t)bytes[4 * i] | (uint32_t)bytes[4 * i + 1] << 8 |
                          (uint32_t)bytes[4 * i + 2] << 16 | (uint32_t)bytes[4 * i + 3] << 24;
}

int rf_sid_generate(rf_random_fn rng, void *ctx, char *buf, size_t size, rf_error *err) {
    uint8_t bytes[16];
    int rc = rng(ctx, bytes, sizeof bytes, err);
    if (rc < 0)
        return rc;
    rf_sid sid;
    rf_sid_from_random(bytes, &sid);
    rf_sid_format(&sid, buf, size);
    return 0;
}

bool rf_sid_is_synthetic_shape(const rf_sid *sid) {
    return sid->revision == 1 && sid->authority == 5 && sid->count == 5 && sid->sub[0] == 21;
}

bool rf_sid_is_shared(const rf_sid *sid) {
    switch (sid->authority) {
    case 1: /* S-1-1-0 Everyone */
    case 2: /* S-1-2-x Local, Console logon */
    case 3: /* S-1-3-x Creator owner/group, Owner rights */
        return true;
    case 5:
        if (sid->count == 0)
            return true;
        /* S-1-5-21-... machine/domain accounts and groups: specific principals,
         * unless it is a well-known domain group RID (513 Domain Users, 515
         * Domain Computers, ...) which many accounts share. */
        if (sid->sub[0] == 21)
            return sid->count == 5 && sid->sub[4] >= 512 && sid->sub[4] <= 522;
        /* Everything else under NT authority is shared: S-1-5-5-x-y logon
         * session, S-1-5-4 Interactive, S-1-5-11 Authenticated Users, S-1-5-12
         * Restricted, S-1-5-18 SYSTEM, S-1-5-32-545 Users, ... */
        return true;
    case 15: /* S-1-15-2-1 ALL APPLICATION PACKAGES and kin: never ours */
        return true;
    case 16: /* mandatory labels: not principals at all */
        return true;
    default: /* unknown authorities: assume shared (fail closed) */
        return true;
    }
}
