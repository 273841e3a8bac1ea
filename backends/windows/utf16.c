/* utf16.c — strict UTF-8 <-> UTF-16 conversion. */
#include "backends/windows/utf16.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

size_t rf_utf16_len(const uint16_t *s) {
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* Decodes one code point at s; returns its length in bytes or 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp) {
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len;
    uint32_t min;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2, min = 0x80, *cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, min = 0x800, *cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, *cp = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) /* also catches the terminating NUL */
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    /* Overlong forms would let a filtered character ('/', '"') slip through. */
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

int rf_utf8_to_utf16(const char *in, uint16_t **out, size_t *out_len, rf_error *err) {
    size_t n = strlen(in);
    /* Every UTF-16 unit needs at least one byte of input. */
    uint16_t *buf = malloc((n + 1) * sizeof *buf);
    if (!buf)
        return rf_fail(err, -ENOMEM, "convert '%.40s' to UTF-16: out of memory", in);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode((const unsigned char *)in + i, &cp);
        if (len == 0) {
            free(buf);
            return rf_fail(err, -EILSEQ, "convert '%.40s' to UTF-16: invalid UTF-8 at byte %llu",
                           in, (unsigned long long)i);
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            buf[o++] = (uint16_t)(0xD800 | (cp >> 10));
            buf[o++] = (uint16_t)(0xDC00 | (cp & 0x3FF));
        } else {
            buf[o++] = (uint16_t)cp;
        }
        i += len;
    }
    buf[o] = 0;
    *out = buf;
    if (out_len)
        *out_len = o;
    return 0;
}

int rf_utf16_to_utf8(const uint16_t *in, char **out, rf_error *err) {
    size_t n = rf_utf16_len(in);
    char *buf = malloc(3 * n + 1); /* a unit gives at most 3 bytes; a pair 4 */
    if (!buf)
        return rf_fail(err, -ENOMEM, "convert UTF-16 string to UTF-8: out of memory");
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = in[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && in[i + 1] >= 0xDC00 && in[i + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (in[i + 1] - 0xDC00u);
            i++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            free(buf);
            return rf_fail(err, -EILSEQ,
                           "convert UTF-16 string to UTF-8: unpaired surrogate at unit %llu",
                           (unsigned long long)i);
        }
        if (cp < 0x80) {
            buf[o++] = (char)cp;
        } else if (cp < 0x800) {
            buf[o++] = (char)(0xC0 | (cp >> 6));
            buf[o++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            buf[o++] = (char)(0xE0 | (cp >> 12));
            buf[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            buf[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            buf[o++] = (char)(0xF0 | (cp >> 18));
            buf[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            buf[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            buf[o++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    buf[o] = '\0';
    *out = buf;
    return 0;
}
