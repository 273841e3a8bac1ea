/* wine_win.c — telling Wine from Windows (Wine enforces no restricted SIDs or file DACLs). */
#include <string.h>

#include "backends/windows/win32.h"

const char *rf_win_wine_version(void) {
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    if (!ntdll)
        return NULL;
    typedef const char *(__cdecl * wine_get_version_fn)(void);
    FARPROC proc = GetProcAddress(ntdll, "wine_get_version");
    if (!proc)
        return NULL;
    wine_get_version_fn get_version;
    /* A FARPROC is not a data pointer; copy the bits instead of casting. */
    memcpy(&get_version, &proc, sizeof get_version);
    return get_version();
}
