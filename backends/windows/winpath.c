/* winpath.c — folding Windows path spellings into one key; joining names. */
#include "backends/windows/winpath.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static bool is_sep(char c) { return c == '\\' || c == '/'; }

static bool is_drive(const char *p) {
    return ((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z')) && p[1] == ':';
}

static bool starts_with_ci(const char *s, const char *prefix) {
    for (; *prefix; s++, prefix++) {
        char a = *s, b = *prefix;
        if (a >= 'A' && a <= 'Z')
            a = (char)(a + 32);
        if (b >= 'A' && b <= 'Z')
            b = (char)(b + 32);
        if (a != b)
            return false;
    }
    return true;
}

int rf_winpath_key(const char *path, char **out, rf_error *err) {
    *out = NULL;
    const char *p = path;
    bool unc = false;
    /* \\.\ names devices and pipes, never a folder we grant. */
    if (is_sep(p[0]) && is_sep(p[1]) && p[2] == '.' && is_sep(p[3]))
        return rf_fail(err, -EINVAL, "path key of '%s': device paths are not folders", path);
    if (starts_with_ci(p, "\\\\?\\UNC\\")) {
        p += 8;
        unc = true;
    } else if (starts_with_ci(p, "\\\\?\\") || starts_with_ci(p, "\\??\\")) {
        p += 4;
    } else if (is_sep(p[0]) && is_sep(p[1])) {
        p += 2;
        unc = true;
    }
    if (!unc && !(is_drive(p) && (is_sep(p[2]) || p[2] == '\0')))
        return rf_fail(err, -EINVAL, "path key of '%s': not an absolute path with a drive", path);

    char *key = malloc(strlen(p) + 4);
    if (!key)
        return rf_fail(err, -ENOMEM, "path key of '%s': out of memory", path);
    size_t o = 0;
    if (unc) {
        key[o++] = '\\';
        key[o++] = '\\';
    } else {
        key[o++] = (char)(p[0] | 0x20);
        key[o++] = ':';
        p += 2;
    }
    while (*p) {
        while (is_sep(*p))
            p++;
        if (!*p)
            break;
        const char *end = p;
        while (*end && !is_sep(*end))
            end++;
        size_t len = (size_t)(end - p);
        /* "." and ".." would let two spellings differ; trailing dots and
         * spaces are stripped by Win32, so "repo." is "repo". */
        if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.') ||
            p[len - 1] == '.' || p[len - 1] == ' ') {
            free(key);
            return rf_fail(err, -EINVAL,
                           "path key of '%s': component '%.*s' is not canonical", path,
                           (int)len, p);
        }
        if (memchr(p, ':', len)) { /* file:stream names a stream, not the folder */
            free(key);
            return rf_fail(err, -EINVAL,
                           "path key of '%s': ':' in component '%.*s' (alternate data stream)",
                           path, (int)len, p);
        }
        if (o > 2 || !unc)
            key[o++] = '\\';
        for (size_t i = 0; i < len; i++) {
            char c = p[i];
            key[o++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        p = end;
    }
    if (!unc && o == 2)
        key[o++] = '\\'; /* the drive root keeps its separator: "c:\" */
    if (unc && o == 2) {
        free(key);
        return rf_fail(err, -EINVAL, "path key of '%s': no server name", path);
    }
    key[o] = '\0';
    *out = key;
    return 0;
}

int rf_winpath_join(const char *root, const char *name, char **out, rf_error *err) {
    size_t rl = strlen(root);
    char *s = malloc(rl + 1 + strlen(name) + 1);
    if (!s)
        return rf_fail(err, -ENOMEM, "join '%s' and '%s': out of memory", root, name);
    memcpy(s, root, rl);
    size_t o = rl;
    if (o == 0 || !is_sep(s[o - 1]))
        s[o++] = '\\';
    for (const char *p = name; *p; p++)
        s[o++] = *p == '/' ? '\\' : *p;
    s[o] = '\0';
    *out = s;
    return 0;
}

int rf_winpath_within(const char *path, const char *dir, rf_error *err) {
    char *kp = NULL, *kd = NULL;
    int rc = rf_winpath_key(path, &kp, err);
    if (rc == 0)
        rc = rf_winpath_key(dir, &kd, err);
    if (rc == 0) {
        size_t n = strlen(kd);
        if (n > 0 && kd[n - 1] == '\\') /* "c:\" */
            rc = strncmp(kp, kd, n) == 0;
        else
            rc = strncmp(kp, kd, n) == 0 && (kp[n] == '\0' || kp[n] == '\\');
    }
    free(kp);
    free(kd);
    return rc;
}
