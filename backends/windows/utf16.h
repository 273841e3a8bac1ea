/*
 * utf16.h — strict UTF-8 <-> UTF-16 conversion, platform-neutral (Windows'
 * wide strings are uint16_t here so the code builds and is tested on Linux,
 * where wchar_t is 32 bits).
 */
#ifndef RF_WIN_UTF16_H
#define RF_WIN_UTF16_H

#include <stddef.h>
#include <stdint.h>

#include "core/ringfence.h"

/* Converts NUL-terminated UTF-8 to a malloc'd NUL-terminated UTF-16 string.
 * Rejects invalid UTF-8 (overlong forms, surrogates, > U+10FFFF, truncated
 * sequences) with -EILSEQ naming the byte offset. */
int rf_utf8_to_utf16(const char *in, uint16_t **out, size_t *out_len, rf_error *err);

/* Converts NUL-terminated UTF-16 to malloc'd UTF-8.  Rejects unpaired
 * surrogates with -EILSEQ. */
int rf_utf16_to_utf8(const uint16_t *in, char **out, rf_error *err);

size_t rf_utf16_len(const uint16_t *s);

#endif
