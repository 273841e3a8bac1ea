/* state_file_win.c — the state file on disk (atomic replace) and canonical folder paths. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/win32.h"
#include "core/error.h"

int rf_win_local_app_dir(char **out, rf_error *err) {
    *out = NULL;
    wchar_t base[MAX_PATH];
    DWORD n = GetEnvironmentVariableW(L"LOCALAPPDATA", base, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        return rf_win_fail(err, n ? ERROR_BUFFER_OVERFLOW : GetLastError(),
                           "read %%LOCALAPPDATA%% for the ringfence folder");
    wchar_t dir[MAX_PATH + 32];
    _snwprintf(dir, sizeof dir / sizeof dir[0], L"%ls\\ringfence", base);
    dir[sizeof dir / sizeof dir[0] - 1] = L'\0';
    if (!CreateDirectoryW(dir, NULL) && GetLastError() != ERROR_ALREADY_EXISTS) {
        char *d = NULL;
        rf_win_narrow(dir, &d, NULL);
        int rc = rf_win_fail(err, GetLastError(), "create folder '%s'", d ? d : "?");
        free(d);
        return rc;
    }
    return rf_win_narrow(dir, out, err);
}

int rf_win_state_path(char **out, rf_error *err) {
    char *dir = NULL;
    int rc = rf_win_local_app_dir(&dir, err);
    if (rc < 0)
        return rc;
    size_t len = strlen(dir) + sizeof "\\state.json";
    *out = malloc(len);
    if (*out)
        snprintf(*out, len, "%s\\state.json", dir);
    free(dir);
    return *out ? 0 : rf_fail(err, RF_EINTERNAL, "state file path: out of memory");
}

int rf_win_state_load(const char *path, rf_win_state **out, rf_error *err) {
    wchar_t *wpath = NULL;
    char *text = NULL;
    HANDLE h = INVALID_HANDLE_VALUE;
    int rc = rf_win_wide(path, &wpath, err);
    if (rc < 0)
        goto out;
    h = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                    FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND)
            rc = rf_win_state_new(out, err);
        else
            rc = rf_win_fail(err, e, "open state file '%s'", path);
        goto out;
    }
    LARGE_INTEGER size;
    if (!GetFileSizeEx(h, &size)) {
        rc = rf_win_fail(err, GetLastError(), "size of state file '%s'", path);
        goto out;
    }
    if (size.QuadPart > 16 * 1024 * 1024) {
        rc = rf_fail(err, RF_EINTERNAL, "read state file '%s': larger than 16 MiB", path);
        goto out;
    }
    text = malloc((size_t)size.QuadPart + 1);
    DWORD got = 0;
    if (!text) {
        rc = rf_fail(err, RF_EINTERNAL, "read state file '%s': out of memory", path);
        goto out;
    }
    if (!ReadFile(h, text, (DWORD)size.QuadPart, &got, NULL) || got != size.QuadPart) {
        rc = rf_win_fail(err, GetLastError(), "read state file '%s'", path);
        goto out;
    }
    text[got] = '\0';
    rc = rf_win_state_parse(text, out, err);
out:
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    free(text);
    free(wpath);
    return rc;
}

int rf_win_state_save(const char *path, const rf_win_state *state, rf_error *err) {
    char *text = NULL, *tmp = NULL;
    wchar_t *wpath = NULL, *wtmp = NULL;
    HANDLE h = INVALID_HANDLE_VALUE;
    int rc = rf_win_state_to_json(state, &text, err);
    if (rc < 0)
        goto out;
    tmp = malloc(strlen(path) + 5);
    if (!tmp) {
        rc = rf_fail(err, RF_EINTERNAL, "save state file '%s': out of memory", path);
        goto out;
    }
    sprintf(tmp, "%s.tmp", path);
    if ((rc = rf_win_wide(path, &wpath, err)) < 0 || (rc = rf_win_wide(tmp, &wtmp, err)) < 0)
        goto out;
    h = CreateFileW(wtmp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        rc = rf_win_fail(err, GetLastError(), "create '%s'", tmp);
        goto out;
    }
    DWORD len = (DWORD)strlen(text), put = 0;
    if (!WriteFile(h, text, len, &put, NULL) || put != len || !FlushFileBuffers(h)) {
        rc = rf_win_fail(err, GetLastError(), "write '%s'", tmp);
        goto out;
    }
    CloseHandle(h);
    h = INVALID_HANDLE_VALUE;
    if (!MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
        rc = rf_win_fail(err, GetLastError(), "replace '%s' with '%s'", path, tmp);
        goto out;
    }
out:
    if (h != INVALID_HANDLE_VALUE) {
        CloseHandle(h);
        DeleteFileW(wtmp);
    }
    free(text);
    free(tmp);
    free(wpath);
    free(wtmp);
    return rc;
}

int rf_win_canonical_dir(const char *path, char **out, rf_error *err) {
    wchar_t *wpath = NULL;
    int rc = rf_win_wide(path, &wpath, err);
    if (rc < 0)
        return rc;
    /* FILE_FLAG_BACKUP_SEMANTICS opens folders; the handle pins the folder
     * so the name we get is the one it has now. */
    HANDLE h = CreateFileW(wpath, FILE_READ_ATTRIBUTES,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    free(wpath);
    if (h == INVALID_HANDLE_VALUE)
        return rf_win_fail(err, GetLastError(), "open folder '%s'", path);
    wchar_t final[32768];
    DWORD n = GetFinalPathNameByHandleW(h, final, sizeof final / sizeof final[0],
                                        FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
    DWORD e = GetLastError();
    CloseHandle(h);
    if (n == 0 || n >= sizeof final / sizeof final[0])
        return rf_win_fail(err, n ? ERROR_BUFFER_OVERFLOW : e, "final path of '%s'", path);
    const wchar_t *p = final;
    if (wcsncmp(p, L"\\\\?\\UNC\\", 8) == 0) {
        p += 6; /* keep "\\" before the server: \\?\UNC\srv -> \\srv */
        final[6] = L'\\';
    } else if (wcsncmp(p, L"\\\\?\\", 4) == 0) {
        p += 4;
    }
    return rf_win_narrow(p, out, err);
}
