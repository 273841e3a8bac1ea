/* rng_win.c — cryptographic random bytes for synthetic SIDs. */
#include "backends/windows/win32.h" /* windows.h before bcrypt.h */

#include <bcrypt.h>
#include "core/error.h"

int rf_win_random(void *ctx, uint8_t *buf, size_t len, rf_error *err) {
    (void)ctx;
    /* A predictable SID would let another process guess the grant and use
     * it; the system RNG, never rand(). */
    NTSTATUS st = BCryptGenRandom(NULL, buf, (ULONG)len, BCRYPT_USE_SYSTEM_PREFERRED_RNG);
    if (st < 0)
        return rf_fail(err, RF_EINTERNAL, "BCryptGenRandom for a synthetic SID: NTSTATUS 0x%08lx",
                       (unsigned long)st);
    return 0;
}
