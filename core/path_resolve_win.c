/*
 * path_resolve_win.c — the policy's paths on Windows: `~` is %USERPROFILE%,
 * absolute means a drive ("C:\x") or a share ("\\server\share\x"), and a
 * path is resolved by asking Windows for the final path of its longest
 * existing prefix (GetFinalPathNameByHandleW: junctions, symbolic links,
 * 8.3 short names and the on-disk case resolved), with the missing rest
 * appended.  "." and ".." are folded first, lexically, as Win32 itself does.
 * Only metadata is read.
 *
 * Cleanup idiom: goto out.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/path_resolve.h"
#include "core/policy_internal.h"
#include "core/win_text.h"

/* Long paths beyond MAX_PATH are allowed (\\?\ is added when opening). */
#define RF_WIN_PATH_MAX 32767

static bool is_sep(char c) { return c == '\\' || c == '/'; }
static bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Length of the root: 3 for "C:\", the "\\server\share" part of a UNC path,
 * 0 when `path` is not absolute. */
static size_t root_length(const char *path) {
    if (is_letter(path[0]) && path[1] == ':' && is_sep(path[2]))
        return 3;
    if (is_sep(path[0]) && is_sep(path[1]) && path[2] && !is_sep(path[2]) && path[2] != '?' &&
        path[2] != '.') {
        size_t i = 2 + strcspn(path + 2, "\\/"); /* server */
        if (!path[i] || !path[i + 1] || is_sep(path[i + 1]))
            return 0;
        i++;
        i += strcspn(path + i, "\\/"); /* share */
        return i;
    }
    return 0;
}

bool rf_path_is_absolute(const char *path) { return root_length(path) > 0; }

bool rf_path_is_fs_root(const char *path) {
    size_t n = root_length(path);
    if (n == 0)
        return false;
    while (is_sep(path[n]))
        n++;
    return path[n] == '\0';
}

char *rf_path_dir_of(const char *path) {
    size_t root = root_length(path);
    size_t n = strlen(path);
    while (n > root && !is_sep(path[n - 1]))
        n--;
    while (n > root && is_sep(path[n - 1]))
        n--;
    if (n < root)
        n = root;
    char *out = malloc(n + 2);
    if (!out)
        return NULL;
    memcpy(out, path, n);
    out[n] = '\0';
    if (n == 2 && out[1] == ':') /* "C:" alone is drive-relative */
        strcpy(out + 2, "\\");
    return out;
}

/* "\\?\C:\x" and "\\?\UNC\srv\x" written in a policy mean "C:\x", "\\srv\x". */
static const char *skip_verbatim_prefix(const char *path, bool *unc) {
    *unc = false;
    if (strncmp(path, "\\\\?\\UNC\\", 8) == 0) {
        *unc = true;
        return path + 8;
    }
    if (strncmp(path, "\\\\?\\", 4) == 0)
        return path + 4;
    return path;
}

/* Folds separators to '\', and "." and ".." lexically (".." never climbs
 * above the root).  Malloc'd; NULL when not absolute or out of memory. */
static char *lexical_normalize(const char *given) {
    bool unc = false;
    const char *path = skip_verbatim_prefix(given, &unc);
    size_t len = strlen(path);
    char *out = malloc(len + 3);
    if (!out)
        return NULL;
    size_t o = 0;
    if (unc) {
        out[o++] = '\\';
        out[o++] = '\\';
    }
    memcpy(out + o, path, len + 1);
    for (char *c = out; *c; c++)
        if (*c == '/')
            *c = '\\';
    size_t root = root_length(out);
    if (root == 0) {
        free(out);
        return NULL;
    }
    if (out[root - 1] != '\\') { /* a share root "\\srv\share" */
        memmove(out + root + 1, out + root, strlen(out + root) + 1);
        out[root++] = '\\';
    }
    char *src = out + root, *dst = out + root;
    while (*src) {
        while (*src == '\\')
            src++;
        if (!*src)
            break;
        size_t n = strcspn(src, "\\");
        if (n == 1 && src[0] == '.') {
            src += n;
            continue;
        }
        if (n == 2 && src[0] == '.' && src[1] == '.') {
            while (dst > out + root && dst[-1] != '\\')
                dst--;
            if (dst > out + root)
                dst--; /* the separator before the dropped name */
            src += n;
            continue;
        }
        if (dst > out + root)
            *dst++ = '\\';
        memmove(dst, src, n);
        dst += n;
        src += n;
    }
    *dst = '\0';
    /* Keep "C:\" but drop a share root's trailing separator. */
    if (dst == out + root && root > 3)
        out[root - 1] = '\0';
    return out;
}

/* The final path of an existing file or folder, without \\?\ (malloc'd);
 * NULL with *code set when it cannot be opened. */
static char *final_path(const char *path, DWORD *code) {
    *code = 0;
    wchar_t *w = rf_core_wide(path);
    if (!w) {
        *code = ERROR_NO_UNICODE_TRANSLATION;
        return NULL;
    }
    /* FILE_FLAG_BACKUP_SEMANTICS opens folders; without
     * FILE_FLAG_OPEN_REPARSE_POINT, junctions and links are followed, so a
     * link cannot widen (writable root) or dodge (deny_read) the boundary. */
    HANDLE h = CreateFileW(w, FILE_READ_ATTRIBUTES,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE) {
        *code = GetLastError();
        return NULL;
    }
    wchar_t *buf = malloc(RF_WIN_PATH_MAX * sizeof *buf);
    DWORD n = buf ? GetFinalPathNameByHandleW(h, buf, RF_WIN_PATH_MAX,
                                              FILE_NAME_NORMALIZED | VOLUME_NAME_DOS)
                  : 0;
    DWORD e = buf ? GetLastError() : ERROR_OUTOFMEMORY;
    CloseHandle(h);
    char *out = NULL;
    if (n > 0 && n < RF_WIN_PATH_MAX) {
        const wchar_t *p = buf;
        if (wcsncmp(p, L"\\\\?\\UNC\\", 8) == 0) {
            p += 6; /* keep the "\\" before the server */
            buf[6] = L'\\';
        } else if (wcsncmp(p, L"\\\\?\\", 4) == 0) {
            p += 4;
        }
        out = rf_core_narrow(p);
        if (!out)
            *code = ERROR_NO_UNICODE_TRANSLATION;
    } else {
        *code = n ? ERROR_BUFFER_OVERFLOW : e;
    }
    free(buf);
    return out;
}

/* Missing, or not reachable by this user: the rest stays lexical (the
 * sandboxed command, running as the same user, cannot traverse it either). */
static bool is_absent(DWORD code) {
    return code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND ||
           code == ERROR_ACCESS_DENIED || code == ERROR_INVALID_NAME ||
           code == ERROR_BAD_NETPATH || code == ERROR_BAD_NET_NAME;
}

int rf_path_resolve(const char *path, const char *field, char **out, rf_error *err) {
    rf_quoted q;
    char reason[600];
    *out = NULL;
    if (!rf_path_is_absolute(path) && strncmp(path, "\\\\?\\", 4) != 0)
        return rf_fail_policy(err, field, "%s is not an absolute path", rf_quote(&q, path));
    if (strlen(path) >= RF_WIN_PATH_MAX)
        return rf_fail_policy(err, field, "%s is longer than %d characters", rf_quote(&q, path),
                              RF_WIN_PATH_MAX);
    char *norm = lexical_normalize(path);
    if (!norm)
        return rf_fail_policy(err, field, "%s is not an absolute path (or out of memory)",
                              rf_quote(&q, path));
    size_t root = root_length(norm);
    int rc = 0;
    char *found = NULL;
    /* Walk back from the whole path to the longest prefix that exists. */
    size_t cut = strlen(norm);
    for (;;) {
        char saved = norm[cut];
        norm[cut] = '\0';
        DWORD code = 0;
        found = final_path(cut < root ? "" : norm, &code);
        norm[cut] = saved;
        if (found)
            break;
        if (!is_absent(code)) {
            norm[cut] = '\0';
            rc = rf_fail_policy(err, field, "%s: open %s: %s", rf_quote(&q, path), norm,
                                rf_core_win_reason(code, reason, sizeof reason));
            goto out;
        }
        if (cut <= root)
            break; /* not even the drive or share exists: keep it lexical */
        while (cut > root && norm[cut - 1] != '\\')
            cut--;
        if (cut > root)
            cut--;
        else if (norm[root - 1] == '\\')
            cut = root;
    }
    const char *rest = norm + cut;
    while (*rest == '\\')
        rest++;
    if (!found) {
        *out = strdup(norm);
    } else if (!*rest) {
        *out = found;
        found = NULL;
    } else {
        size_t fl = strlen(found);
        *out = malloc(fl + 1 + strlen(rest) + 1);
        if (*out)
            sprintf(*out, "%s%s%s", found, fl && found[fl - 1] == '\\' ? "" : "\\", rest);
    }
    if (!*out)
        rc = -ENOMEM;
out:
    free(found);
    free(norm);
    return rc;
}

int rf_home_find(const char *home, char **out, rf_error *err) {
    *out = NULL;
    char *env_home = NULL;
    const char *found = home;
    if (found && !rf_path_is_absolute(found))
        return rf_fail(err, -EINVAL, "home folder \"%s\" given by the caller is not absolute",
                       found);
    if (!found) {
        wchar_t w[RF_WIN_PATH_MAX];
        DWORD n = GetEnvironmentVariableW(L"USERPROFILE", w, RF_WIN_PATH_MAX);
        if (n > 0 && n < RF_WIN_PATH_MAX)
            env_home = rf_core_narrow(w);
        if (!env_home || !rf_path_is_absolute(env_home)) {
            free(env_home);
            return rf_fail(err, -ENOENT,
                           "find the home folder: %%USERPROFILE%% is unset or not absolute");
        }
        found = env_home;
    }
    int rc = rf_path_resolve(found, "home", out, err);
    free(env_home);
    return rc;
}

int rf_path_expand(const char *path, const char *base_dir, const char *home, const char *field,
                   char **out, rf_error *err) {
    rf_quoted q;
    *out = NULL;
    if (path[0] == '\0')
        return rf_fail_policy(err, field, "empty path");
    const char *head = NULL, *tail = NULL;
    if (path[0] == '~') {
        if (path[1] != '\0' && !is_sep(path[1]))
            return rf_fail_policy(err, field, "%s: the ~user form is not supported, write the path",
                                  rf_quote(&q, path));
        head = home;
        tail = path[1] ? path + 2 : "";
    } else if (rf_path_is_absolute(path) || strncmp(path, "\\\\?\\", 4) == 0) {
        head = path;
        tail = "";
    } else if (is_sep(path[0]) || (is_letter(path[0]) && path[1] == ':')) {
        /* "\x" is relative to the current drive, "C:x" to drive C's current
         * folder: either can change under the user's feet. */
        return rf_fail_policy(err, field, "%s names no drive and folder; write \"C:\\\\...\"",
                              rf_quote(&q, path));
    } else {
        if (!base_dir || !rf_path_is_absolute(base_dir))
            return rf_fail_policy(err, field, "relative path %s has no folder to resolve against",
                                  rf_quote(&q, path));
        head = base_dir;
        tail = path;
    }
    size_t hl = strlen(head);
    *out = malloc(hl + 1 + strlen(tail) + 1);
    if (!*out)
        return -ENOMEM;
    strcpy(*out, head);
    if (*tail) {
        if (hl == 0 || !is_sep(head[hl - 1]))
            strcat(*out, "\\");
        strcat(*out, tail);
    }
    return 0;
}

int rf_path_expand_resolve(const char *path, const char *base_dir, const char *home,
                           const char *field, char **out, rf_error *err) {
    char *expanded = NULL;
    int rc = rf_path_expand(path, base_dir, home, field, &expanded, err);
    if (rc == 0)
        rc = rf_path_resolve(expanded, field, out, err);
    free(expanded);
    return rc;
}

int rf_path_require_dir(const char *path, const char *given, const char *field, rf_error *err) {
    rf_quoted qg, qp;
    char reason[600];
    bool same = strcmp(path, given) == 0;
    wchar_t *w = rf_core_wide(path);
    DWORD attrs = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
    DWORD code = w ? GetLastError() : ERROR_NO_UNICODE_TRANSLATION;
    free(w);
    if (attrs == INVALID_FILE_ATTRIBUTES)
        return rf_fail_policy(err, field, "%s%s%s cannot be used: %s", rf_quote(&qg, given),
                              same ? "" : " resolved to ", same ? "" : rf_quote(&qp, path),
                              rf_core_win_reason(code, reason, sizeof reason));
    if (!(attrs & FILE_ATTRIBUTE_DIRECTORY))
        return rf_fail_policy(err, field, "%s%s%s is not a directory", rf_quote(&qg, given),
                              same ? "" : " resolved to ", same ? "" : rf_quote(&qp, path));
    return 0;
}
