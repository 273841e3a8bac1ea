/*
 * policy_file_win.c — Windows: reading a policy file and finding the
 * current directory (the POSIX versions are in policy_file.c).
 *
 * Cleanup idiom: goto out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/path_resolve.h"
#include "core/policy_internal.h"
#include "core/win_text.h"

int rf_cwd_find(char **out, rf_error *err) {
    wchar_t w[32768];
    DWORD n = GetCurrentDirectoryW(sizeof w / sizeof w[0], w);
    char reason[600];
    if (n == 0 || n >= sizeof w / sizeof w[0])
        return rf_fail(err, -EINVAL, "load policy: GetCurrentDirectoryW: %s",
                       rf_core_win_reason(n ? ERROR_BUFFER_OVERFLOW : GetLastError(), reason,
                                          sizeof reason));
    char *cwd = rf_core_narrow(w);
    if (!cwd)
        return rf_fail(err, -EINVAL, "load policy: the current folder's name is not valid UTF-16");
    int rc = rf_path_resolve(cwd, "workspace", out, err);
    free(cwd);
    return rc;
}

int rf_policy_file_read(const char *path, const char *field, char **text, size_t *len,
                        bool *missing, rf_error *err) {
    rf_quoted q;
    char reason[600];
    *text = NULL;
    *len = 0;
    wchar_t *w = rf_core_wide(path);
    if (!w)
        return rf_fail_policy(err, field, "cannot read %s: not valid UTF-8", rf_quote(&q, path));
    /* No FILE_FLAG_BACKUP_SEMANTICS: a folder cannot be opened as the policy. */
    HANDLE h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD code = GetLastError();
    free(w);
    if (h == INVALID_HANDLE_VALUE) {
        if (missing && (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND)) {
            *missing = true;
            return 0;
        }
        return rf_fail_policy(err, field, "cannot read %s: %s", rf_quote(&q, path),
                              rf_core_win_reason(code, reason, sizeof reason));
    }
    int rc = 0;
    char *buf = NULL;
    /* A named pipe or a device planted as the policy must not hang the read. */
    if (GetFileType(h) != FILE_TYPE_DISK) {
        rc = rf_fail_policy(err, field, "cannot read %s: not a regular file", rf_quote(&q, path));
        goto out;
    }
    LARGE_INTEGER size;
    if (!GetFileSizeEx(h, &size)) {
        rc = rf_fail_policy(err, field, "cannot read %s: GetFileSizeEx: %s", rf_quote(&q, path),
                            rf_core_win_reason(GetLastError(), reason, sizeof reason));
        goto out;
    }
    if (size.QuadPart > RF_POLICY_MAX_BYTES) {
        rc = rf_fail_policy(err, field, "cannot read %s: %lld bytes is larger than the limit (%d)",
                            rf_quote(&q, path), (long long)size.QuadPart, RF_POLICY_MAX_BYTES);
        goto out;
    }
    /* The file may grow between the size and the read: read one byte over. */
    DWORD want = (DWORD)RF_POLICY_MAX_BYTES + 1;
    buf = malloc(want);
    if (!buf) {
        rc = -ENOMEM;
        goto out;
    }
    DWORD got = 0;
    while (got < want) {
        DWORD n = 0;
        if (!ReadFile(h, buf + got, want - got, &n, NULL)) {
            rc = rf_fail_policy(err, field, "cannot read %s: %s", rf_quote(&q, path),
                                rf_core_win_reason(GetLastError(), reason, sizeof reason));
            goto out;
        }
        if (n == 0)
            break;
        got += n;
    }
    if (got > RF_POLICY_MAX_BYTES) {
        rc = rf_fail_policy(err, field, "cannot read %s: larger than the limit (%d bytes)",
                            rf_quote(&q, path), RF_POLICY_MAX_BYTES);
        goto out;
    }
    *text = buf;
    *len = got;
    buf = NULL;
out:
    free(buf);
    CloseHandle(h);
    return rc;
}
