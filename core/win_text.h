/*
 * win_text.h — for the Windows files of the policy loader only
 * (path_resolve_win.c, policy_file_win.c): UTF-8/UTF-16 copies and the text
 * of a Win32 error.  Kept here rather than in backends/windows so that the
 * policy library depends on no backend.
 */
#ifndef RF_CORE_WIN_TEXT_H
#define RF_CORE_WIN_TEXT_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>

/* Malloc'd UTF-16 copy of UTF-8 text; NULL on bad UTF-8 or no memory. */
static inline wchar_t *rf_core_wide(const char *utf8) {
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, NULL, 0);
    if (n <= 0)
        return NULL;
    wchar_t *w = malloc((size_t)n * sizeof *w);
    if (w && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, w, n) != n) {
        free(w);
        return NULL;
    }
    return w;
}

/* Malloc'd UTF-8 copy of UTF-16 text; NULL on bad UTF-16 or no memory. */
static inline char *rf_core_narrow(const wchar_t *w) {
    int n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, -1, NULL, 0, NULL, NULL);
    if (n <= 0)
        return NULL;
    char *s = malloc((size_t)n);
    if (s && WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, -1, s, n, NULL, NULL) != n) {
        free(s);
        return NULL;
    }
    return s;
}

/* The system's text for a Win32 error, "... (error N)", in `buf`. */
static inline const char *rf_core_win_reason(DWORD code, char *buf, size_t size) {
    wchar_t text[256] = L"";
    DWORD len = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                               code, 0, text, sizeof text / sizeof text[0], NULL);
    while (len > 0 && (text[len - 1] == L'\r' || text[len - 1] == L'\n' || text[len - 1] == L'.'))
        text[--len] = L'\0';
    char reason[512] = "unknown error";
    if (len > 0)
        WideCharToMultiByte(CP_UTF8, 0, text, -1, reason, sizeof reason, NULL, NULL);
    snprintf(buf, size, "%s (error %lu)", reason, (unsigned long)code);
    return buf;
}

#endif
