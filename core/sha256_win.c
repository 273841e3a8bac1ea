/*
 * sha256_win.c — hex SHA-256 digests on Windows with the system's CNG
 * (BCryptHash), so the policy digest in the audit log is the same as on
 * Linux (sha256.c, Nettle) without a crypto library of our own: Debian ships
 * no Nettle for mingw.
 */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <bcrypt.h>
#include <stdio.h>

#include "core/audit.h"
#include "core/error.h"

int rf_sha256_hex(const char *data, size_t len, char out[65], rf_error *err) {
    if (len > 0xFFFFFFFFu)
        return rf_fail(err, RF_EINTERNAL, "SHA-256 of %zu bytes: more than BCryptHash takes", len);
    BCRYPT_ALG_HANDLE alg = NULL;
    NTSTATUS st = BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, NULL, 0);
    if (st < 0)
        return rf_fail(err, RF_EINTERNAL, "BCryptOpenAlgorithmProvider(SHA256) failed: NTSTATUS 0x%08lx",
                       (unsigned long)st);
    UCHAR digest[32];
    st = BCryptHash(alg, NULL, 0, (PUCHAR)data, (ULONG)len, digest, sizeof digest);
    BCryptCloseAlgorithmProvider(alg, 0);
    if (st < 0)
        return rf_fail(err, RF_EINTERNAL, "BCryptHash(SHA256) failed: NTSTATUS 0x%08lx",
                       (unsigned long)st);
    for (size_t i = 0; i < sizeof digest; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
    return 0;
}
