/*
 * sid.h — security identifiers as text: parsing, formatting, and the synthetic
 * per-root SIDs of the Windows admin-free backend.
 *
 * Platform-neutral: compiled and tested on Linux as well.  A synthetic SID has
 * the shape of a machine-account SID, S-1-5-21-a-b-c-d, with a, b, c, d taken
 * from 16 bytes of a cryptographic generator (BCryptGenRandom on Windows,
 * injected here so tests can pin it).
 */
#ifndef RF_WIN_SID_H
#define RF_WIN_SID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ringfence.h"

/* Longest SID text: "S-1-" + 48-bit authority + 15 sub-authorities. */
#define RF_SID_MAX_SUBAUTH 15
#define RF_SID_TEXT_MAX 192

typedef struct rf_sid {
    uint8_t revision;     /* always 1 */
    uint64_t authority;   /* 48-bit identifier authority */
    uint8_t count;        /* number of sub-authorities */
    uint32_t sub[RF_SID_MAX_SUBAUTH];
} rf_sid;

/* Fills `buf` with `len` random bytes; returns 0 or a negative error code and
 * fills err.  On Windows: BCryptGenRandom with the system-preferred RNG. */
typedef int (*rf_random_fn)(void *ctx, uint8_t *buf, size_t len, rf_error *err);

/* Parses "S-1-..." (decimal, or 0x-hex authority as Windows prints values
 * >= 2^32).  Rejects anything else, naming the offending text. */
int rf_sid_parse(const char *text, rf_sid *out, rf_error *err);

/* Canonical text form into buf (at least RF_SID_TEXT_MAX bytes). */
void rf_sid_format(const rf_sid *sid, char *buf, size_t size);

bool rf_sid_equal(const rf_sid *a, const rf_sid *b);

/* The synthetic SID S-1-5-21-a-b-c-d made from 16 bytes (little-endian words). */
void rf_sid_from_random(const uint8_t bytes[16], rf_sid *out);

/* Draws 16 bytes from `rng` and formats a fresh synthetic SID into buf. */
int rf_sid_generate(rf_random_fn rng, void *ctx, char *buf, size_t size, rf_error *err);

/* True for SIDs that many principals share and that must never be a
 * restricting SID: Everyone, Users, Authenticated Users, Interactive, the
 * logon-session SIDs S-1-5-5-x-y, BUILTIN aliases, ... (Codex issue #17551:
 * any ACE for such a SID on a folder outside the workspace would satisfy the
 * restricted check). */
bool rf_sid_is_shared(const rf_sid *sid);

/* True for the synthetic shape: S-1-5-21 followed by exactly four values. */
bool rf_sid_is_synthetic_shape(const rf_sid *sid);

#endif
