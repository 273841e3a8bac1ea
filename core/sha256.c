/* sha256.c — hex SHA-256 digests through OpenSSL's EVP interface (libcrypto). */
#include <errno.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <stdio.h>

#include "core/audit.h"
#include "core/error.h"

int rf_sha256_hex(const char *data, size_t len, char out[65], rf_error *err) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    int rc = 0;
    out[0] = '\0';
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return rf_fail_errno(err, ENOMEM, "computing a SHA-256 digest: EVP_MD_CTX_new");
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 || EVP_DigestUpdate(ctx, data, len) != 1 ||
        EVP_DigestFinal_ex(ctx, digest, &digest_len) != 1 || digest_len != 32) {
        char reason[256];
        ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
        rc = rf_fail(err, RF_EINTERNAL, "computing a SHA-256 digest of %zu bytes: %s", len, reason);
        goto out;
    }
    for (unsigned int i = 0; i < digest_len; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
out:
    EVP_MD_CTX_free(ctx);
    return rc;
}
