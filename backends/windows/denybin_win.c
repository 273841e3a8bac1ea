/*
 * denybin_win.c — installing the denybin .cmd stubs into
 * %LOCALAPPDATA%\ringfence\denybin, the folder put first on the command's
 * PATH when the network is off.  Idempotent: a stub whose file already holds
 * the same bytes is left alone; a changed or missing one is written to a
 * per-process temporary name and moved into place (MoveFileExW), so a
 * concurrent run sees the old or the new stub, never half of one.
 *
 * The folder is outside every writable root and not granted to any root
 * SID, so the command (write-restricted token) cannot replace a stub.
 *
 * Cleanup idiom: goto out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/denybin_stubs.h"
#include "backends/windows/win32.h"
#include "core/error.h"

/* Stubs are a few hundred bytes; anything bigger is not ours. */
#define STUB_READ_MAX 65536

static int ensure_dir(const char *path, rf_error *err) {
    wchar_t *w = NULL;
    int rc = rf_win_wide(path, &w, err);
    if (rc < 0)
        return rc;
    if (!CreateDirectoryW(w, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
        rc = rf_win_fail(err, GetLastError(), "create folder '%s'", path);
    free(w);
    return rc;
}

/* The current bytes of `path` into buf (*size), or *size = SIZE_MAX when the
 * file is absent or unreadable (then it is rewritten). */
static void read_existing(const wchar_t *wpath, char *buf, size_t *size) {
    *size = SIZE_MAX;
    HANDLE h = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return;
    DWORD got = 0;
    if (ReadFile(h, buf, STUB_READ_MAX, &got, NULL))
        *size = got;
    CloseHandle(h);
}

static int write_stub(const char *dir, const rf_win_stub *stub, bool *written, rf_error *err) {
    char *path = NULL, *tmp = NULL;
    wchar_t *wpath = NULL, *wtmp = NULL;
    char *existing = malloc(STUB_READ_MAX);
    HANDLE h = INVALID_HANDLE_VALUE;
    int rc = 0;
    *written = false;
    size_t plen = strlen(dir) + strlen(stub->file_name) + 40;
    path = malloc(plen);
    tmp = malloc(plen);
    if (!existing || !path || !tmp) {
        rc = rf_fail(err, RF_EINTERNAL, "install denybin stub '%s': out of memory",
                     stub->file_name);
        goto out;
    }
    snprintf(path, plen, "%s\\%s", dir, stub->file_name);
    snprintf(tmp, plen, "%s\\%s.%lu.tmp", dir, stub->file_name,
             (unsigned long)GetCurrentProcessId());
    if ((rc = rf_win_wide(path, &wpath, err)) < 0 || (rc = rf_win_wide(tmp, &wtmp, err)) < 0)
        goto out;
    size_t size;
    read_existing(wpath, existing, &size);
    if (!rf_win_stub_needs_write(stub, size == SIZE_MAX ? NULL : existing,
                                 size == SIZE_MAX ? 0 : size))
        goto out;
    h = CreateFileW(wtmp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        rc = rf_win_fail(err, GetLastError(), "create '%s'", tmp);
        goto out;
    }
    DWORD put = 0;
    if (!WriteFile(h, stub->text, (DWORD)stub->size, &put, NULL) || put != stub->size) {
        rc = rf_win_fail(err, GetLastError(), "write '%s'", tmp);
        goto out;
    }
    CloseHandle(h);
    h = INVALID_HANDLE_VALUE;
    if (!MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
        rc = rf_win_fail(err, GetLastError(), "replace '%s' with '%s'", path, tmp);
        DeleteFileW(wtmp);
        goto out;
    }
    *written = true;
out:
    if (h != INVALID_HANDLE_VALUE) {
        CloseHandle(h);
        DeleteFileW(wtmp);
    }
    free(existing);
    free(path);
    free(tmp);
    free(wpath);
    free(wtmp);
    return rc;
}

int rf_win_denybin_install(char **dir_out, size_t *written, rf_error *err) {
    *dir_out = NULL;
    *written = 0;
    char *base = NULL;
    int rc = rf_win_local_app_dir(&base, err);
    if (rc < 0)
        return rc;
    size_t len = strlen(base) + sizeof "\\denybin";
    char *dir = malloc(len);
    if (!dir) {
        free(base);
        return rf_fail(err, RF_EINTERNAL, "install denybin stubs: out of memory");
    }
    snprintf(dir, len, "%s\\denybin", base);
    free(base);
    rc = ensure_dir(dir, err);
    for (size_t i = 0; rc == 0 && i < rf_win_denybin_stub_count; i++) {
        bool w = false;
        rc = write_stub(dir, &rf_win_denybin_stubs[i], &w, err);
        *written += w;
    }
    if (rc < 0) {
        free(dir);
        return rc;
    }
    *dir_out = dir;
    return 0;
}
