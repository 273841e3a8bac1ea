/*
 * sha256.c — hex SHA-256 digests with GNU Nettle (Debian nettle-dev).
 *
 * Why Nettle and not libcrypto: loading and initializing libcrypto cost the
 * CLI about 3-4 ms and 5 MiB of RSS on every `ringfence run` (hyperfine and
 * bench/), more than the whole sandbox setup; Nettle is a small, well-kept
 * library with no global initialization.  (The kernel's AF_ALG interface
 * would need no library at all, but some kernels are built without it.)
 */
#include <nettle/sha2.h>
#include <stdio.h>

#include "core/audit.h"
#include "core/error.h"

int rf_sha256_hex(const char *data, size_t len, char out[65], rf_error *err) {
    (void)err; /* Nettle's SHA-256 cannot fail */
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)data);
    sha256_digest(&ctx, sizeof digest, digest);
    for (size_t i = 0; i < sizeof digest; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
    return 0;
}
