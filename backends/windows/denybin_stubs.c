/* denybin_stubs.c — whether an installed stub is current. */
#include "backends/windows/denybin_stubs.h"

#include <string.h>

bool rf_win_stub_needs_write(const rf_win_stub *stub, const char *existing, size_t size) {
    return !existing || size != stub->size || memcmp(existing, stub->text, size) != 0;
}
