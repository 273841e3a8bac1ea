/* win_error.c — Win32 error text in rf_error, and UTF-8/UTF-16 copies. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/utf16.h"
#include "backends/windows/win32.h"
#include "core/error.h"

int rf_win_fail(rf_error *err, DWORD code, const char *fmt, ...) {
    int rc = code ? -(int)code : RF_EINTERNAL;
    if (!err)
        return rc;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    wchar_t text[512] = L"";
    DWORD len = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                               code, 0, text, sizeof text / sizeof text[0], NULL);
    while (len > 0 && (text[len - 1] == L'\r' || text[len - 1] == L'\n' || text[len - 1] == L'.'))
        text[--len] = L'\0';
    char reason[1024] = "unknown error";
    if (len > 0)
        WideCharToMultiByte(CP_UTF8, 0, text, -1, reason, sizeof reason, NULL, NULL);
    if (n >= 0 && (size_t)n < sizeof err->message)
        snprintf(err->message + n, sizeof err->message - (size_t)n, ": %s (error %lu)", reason,
                 (unsigned long)code);
    err->code = rc;
    err->field[0] = '\0';
    return rc;
}

/* wchar_t is 16 bits on Windows, so the neutral converters apply directly. */
_Static_assert(sizeof(wchar_t) == sizeof(uint16_t), "wchar_t is UTF-16 on Windows");

int rf_win_wide(const char *utf8, wchar_t **out, rf_error *err) {
    uint16_t *w = NULL;
    int rc = rf_utf8_to_utf16(utf8, &w, NULL, err);
    *out = (wchar_t *)w;
    return rc;
}

int rf_win_narrow(const wchar_t *wide, char **out, rf_error *err) {
    return rf_utf16_to_utf8((const uint16_t *)wide, out, err);
}
