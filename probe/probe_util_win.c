/* probe_util_win.c — Windows helpers for the probes: Win32 verdicts, world paths, tools. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <winsock2.h>

#include <aclapi.h>

#include "probe/probe_win.h"
#include "probe/spawn_win.h"

#ifndef ERROR_ELEVATION_REQUIRED
#define ERROR_ELEVATION_REQUIRED 740L
#endif

void rf_probe_win_text(DWORD err, char *buf, size_t len) {
    wchar_t wide[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, err,
                             0, wide, sizeof wide / sizeof wide[0], NULL);
    int m = n ? WideCharToMultiByte(CP_UTF8, 0, wide, (int)n, buf, (int)len - 1, NULL, NULL) : 0;
    if (m <= 0) {
        snprintf(buf, len, "Win32 error %lu", (unsigned long)err);
        return;
    }
    buf[m] = '\0';
    /* One line: some messages (and Wine's) hold line breaks inside. */
    for (char *c = buf; *c; c++)
        if (*c == '\r' || *c == '\n')
            *c = ' ';
    size_t l;
    for (l = strlen(buf); l > 0 && (buf[l - 1] == '\n' || buf[l - 1] == '\r' || buf[l - 1] == ' ' ||
                                    buf[l - 1] == '.');)
        buf[--l] = '\0';
}

const char *rf_probe_win_error_name(DWORD err) {
    switch (err) {
#define NAME(e) \
    case e:     \
        return #e;
        NAME(ERROR_FILE_NOT_FOUND)
        NAME(ERROR_PATH_NOT_FOUND)
        NAME(ERROR_ACCESS_DENIED)
        NAME(ERROR_INVALID_HANDLE)
        NAME(ERROR_WRITE_PROTECT)
        NAME(ERROR_SHARING_VIOLATION)
        NAME(ERROR_NOT_SUPPORTED)
        NAME(ERROR_BAD_NETPATH)
        NAME(ERROR_NETWORK_ACCESS_DENIED)
        NAME(ERROR_FILE_EXISTS)
        NAME(ERROR_INVALID_PARAMETER)
        NAME(ERROR_CALL_NOT_IMPLEMENTED)
        NAME(ERROR_INVALID_NAME)
        NAME(ERROR_DIR_NOT_EMPTY)
        NAME(ERROR_ALREADY_EXISTS)
        NAME(ERROR_PIPE_BUSY)
        NAME(ERROR_PARTIAL_COPY)
        NAME(ERROR_ELEVATION_REQUIRED)
        NAME(ERROR_NOT_A_REPARSE_POINT)
        NAME(ERROR_PRIVILEGE_NOT_HELD)
        NAME(ERROR_CANT_ACCESS_FILE)
        NAME(ERROR_PRODUCT_UNINSTALLED)
        NAME(ERROR_TIMEOUT)
        NAME(WSAEACCES)
        NAME(WSAECONNREFUSED)
        NAME(WSAETIMEDOUT)
        NAME(WSAENETUNREACH)
        NAME(WSAEHOSTUNREACH)
        NAME(WSAECONNRESET)
#undef NAME
    default:
        return "";
    }
}

bool rf_probe_is_refusal(int err) {
    switch ((DWORD)err) {
    case ERROR_ACCESS_DENIED:         /* a DACL or the restricted token said no */
    case ERROR_PRIVILEGE_NOT_HELD:    /* a privilege the token lacks (symlinks, raw disk) */
    case ERROR_WRITE_PROTECT:         /* a read-only volume */
    case ERROR_NETWORK_ACCESS_DENIED: /* SMB refused the share */
    case ERROR_ELEVATION_REQUIRED:
    case ERROR_CANT_ACCESS_FILE:      /* a reparse point the token may not follow */
    case WSAEACCES:                   /* Winsock: the firewall or a socket ACL */
        return true;
    /* Not ERROR_SHARING_VIOLATION: another open handle causes it, never the
     * sandbox, and it would make a world fixture bug look like protection. */
    default:
        return false;
    }
}

void rf_probe_failed(rf_probe_result *r, int err, const char *what) {
    char text[300];
    rf_probe_win_text((DWORD)err, text, sizeof text);
    r->err = err;
    r->outcome = rf_probe_is_refusal(err) ? RF_OUT_BLOCKED : RF_OUT_ERROR;
    snprintf(r->detail, sizeof r->detail, "%s: %s (error %d)", what, text, err);
}

void rf_probe_failed_hidden(rf_probe_result *r, int err, const char *what) {
    rf_probe_failed(r, err, what);
    if (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND ||
        err == ERROR_INVALID_PARAMETER /* OpenProcess of a pid it cannot see */) {
        r->outcome = RF_OUT_BLOCKED;
        size_t l = strlen(r->detail);
        snprintf(r->detail + l, sizeof r->detail - l, " (hidden from the sandbox)");
    }
}

bool rf_probe_path(const rf_probe_world *w, const char *rel, char *buf, size_t len) {
    int n = snprintf(buf, len, "%s\\%s", w->root, rel);
    if (n <= 0 || (size_t)n >= len)
        return false;
    for (char *c = buf; *c; c++)
        if (*c == '/')
            *c = '\\';
    return true;
}

bool rf_probe_widen(const char *s, wchar_t *buf, size_t len) {
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, buf, (int)len);
    return n > 0;
}

bool rf_probe_wpath(const rf_probe_world *w, const char *rel, wchar_t *buf, size_t len) {
    char path[RF_WPATH];
    return rf_probe_path(w, rel, path, sizeof path) && rf_probe_widen(path, buf, len);
}

DWORD rf_probe_win_write(const wchar_t *path, DWORD disposition, bool append, const char *data) {
    HANDLE h = CreateFileW(path, append ? FILE_APPEND_DATA : GENERIC_WRITE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           disposition, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return GetLastError();
    DWORD n = 0, len = (DWORD)strlen(data), e = 0;
    if (!WriteFile(h, data, len, &n, NULL))
        e = GetLastError();
    else if (n != len)
        e = ERROR_WRITE_FAULT;
    if (!CloseHandle(h) && !e)
        e = GetLastError();
    return e;
}

bool rf_probe_win_contains(const wchar_t *path, const char *needle) {
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return false;
    char buf[16384];
    DWORD n = 0;
    BOOL ok = ReadFile(h, buf, sizeof buf - 1, &n, NULL);
    CloseHandle(h);
    if (!ok)
        return false;
    buf[n] = '\0';
    return strstr(buf, needle) != NULL;
}

bool rf_probe_win_exists(const wchar_t *path) {
    return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
}

DWORD rf_probe_win_junction(const wchar_t *link, const wchar_t *target) {
    if (!CreateDirectoryW(link, NULL))
        return GetLastError();
    HANDLE h = CreateFileW(link, GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                           FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        RemoveDirectoryW(link);
        return e;
    }
    /* The mount-point reparse buffer: tag, sizes, then "\??\target" and
     * "target", each NUL-terminated. */
    struct {
        DWORD tag;
        WORD data_len, reserved, sub_off, sub_len, print_off, print_len;
        WCHAR buf[2 * RF_WPATH + 8];
    } rp;
    memset(&rp, 0, sizeof rp);
    size_t tl = wcslen(target);
    rp.tag = IO_REPARSE_TAG_MOUNT_POINT;
    rp.sub_off = 0;
    rp.sub_len = (WORD)((tl + 4) * sizeof(WCHAR));
    rp.print_off = (WORD)(rp.sub_len + sizeof(WCHAR));
    rp.print_len = (WORD)(tl * sizeof(WCHAR));
    memcpy(rp.buf, L"\\??\\", 4 * sizeof(WCHAR));
    memcpy(rp.buf + 4, target, tl * sizeof(WCHAR));
    memcpy(rp.buf + tl + 5, target, tl * sizeof(WCHAR));
    rp.data_len = (WORD)(8 + rp.sub_len + sizeof(WCHAR) + rp.print_len + sizeof(WCHAR));
    DWORD got;
    BOOL ok = DeviceIoControl(h, FSCTL_SET_REPARSE_POINT, &rp, 8u + rp.data_len, NULL, 0, &got,
                              NULL);
    DWORD e = ok ? 0 : GetLastError();
    CloseHandle(h);
    if (!ok)
        RemoveDirectoryW(link);
    return e;
}

/* The SIDs a write must be granted to: the token's user (the normal access
 * check) and its restricting SIDs when it has any (a write-restricted token
 * passes a second check with those).  *mem holds them; free() it. */
static DWORD token_sids(PSID *sids, DWORD max, DWORD *n, void **mem) {
    HANDLE tok;
    *n = 0;
    *mem = NULL;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
        return GetLastError();
    DWORD user_size = 0, groups_size = 0, e = 0;
    GetTokenInformation(tok, TokenUser, NULL, 0, &user_size);
    GetTokenInformation(tok, TokenRestrictedSids, NULL, 0, &groups_size);
    char *buf = malloc(user_size + groups_size + 16);
    TOKEN_USER *user = (TOKEN_USER *)buf;
    TOKEN_GROUPS *groups = (TOKEN_GROUPS *)(buf + ((user_size + 15) & ~(DWORD)15));
    if (!buf || !user_size || !GetTokenInformation(tok, TokenUser, user, user_size, &user_size)) {
        e = buf ? GetLastError() : ERROR_OUTOFMEMORY;
        free(buf);
        CloseHandle(tok);
        return e;
    }
    sids[(*n)++] = user->User.Sid;
    if (groups_size && GetTokenInformation(tok, TokenRestrictedSids, groups, groups_size,
                                           &groups_size))
        for (DWORD i = 0; i < groups->GroupCount && *n < max; i++)
            sids[(*n)++] = groups->Groups[i].Sid;
    *mem = buf;
    CloseHandle(tok);
    return 0;
}

DWORD rf_probe_win_self_grant(const wchar_t *path, PACL *old_dacl, PSECURITY_DESCRIPTOR *old_sd,
                              bool *was_protected) {
    PSID sids[16];
    DWORD n = 0;
    void *mem = NULL;
    *old_dacl = NULL;
    *old_sd = NULL;
    DWORD e = token_sids(sids, 16, &n, &mem);
    if (e)
        return e;
    PACL fresh = NULL;
    EXPLICIT_ACCESS_W ea[16];
    memset(ea, 0, sizeof ea);
    for (DWORD i = 0; i < n; i++) {
        ea[i].grfAccessPermissions = GENERIC_ALL;
        ea[i].grfAccessMode = SET_ACCESS;
        ea[i].grfInheritance = NO_INHERITANCE;
        ea[i].Trustee.TrusteeForm = TRUSTEE_IS_SID;
        ea[i].Trustee.ptstrName = (LPWSTR)sids[i];
    }
    e = GetNamedSecurityInfoW(path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL,
                              old_dacl, NULL, old_sd);
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    DWORD revision;
    if (!e && GetSecurityDescriptorControl(*old_sd, &control, &revision))
        *was_protected = (control & SE_DACL_PROTECTED) != 0;
    /* A fresh DACL granting only us, protected from inheritance: it drops
     * the deny ACEs a protected path inherits, if WRITE_DAC is ours. */
    if (!e)
        e = SetEntriesInAclW(n, ea, NULL, &fresh);
    if (!e)
        e = SetNamedSecurityInfoW((LPWSTR)path, SE_FILE_OBJECT,
                                  DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                                  NULL, NULL, fresh, NULL);
    LocalFree(fresh);
    free(mem);
    return e;
}

void rf_probe_win_restore_dacl(const wchar_t *path, PACL old_dacl, PSECURITY_DESCRIPTOR old_sd,
                               bool was_protected) {
    if (old_sd)
        SetNamedSecurityInfoW((LPWSTR)path, SE_FILE_OBJECT,
                              DACL_SECURITY_INFORMATION |
                                  (was_protected ? PROTECTED_DACL_SECURITY_INFORMATION
                                                 : UNPROTECTED_DACL_SECURITY_INFORMATION),
                              NULL, NULL, old_dacl, NULL);
    LocalFree(old_sd);
}

void rf_probe_win_marker(const rf_probe_world *w, char *buf, size_t len) {
    snprintf(buf, len, "rfprobe-%s-%lu\n", w->nonce, (unsigned long)GetCurrentProcessId());
}

long rf_probe_read_file(const char *path, char *buf, size_t len) {
    wchar_t wpath[RF_WPATH];
    if (!rf_probe_widen(path, wpath, RF_WPATH))
        return -(long)ERROR_INVALID_NAME;
    HANDLE h = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return -(long)GetLastError();
    size_t got = 0;
    DWORD n;
    while (got + 1 < len && ReadFile(h, buf + got, (DWORD)(len - 1 - got), &n, NULL) && n > 0)
        got += n;
    buf[got] = '\0';
    CloseHandle(h);
    return (long)got;
}

int rf_probe_run_tool(char *const argv[], char *out, size_t out_len, int timeout_s) {
    rf_spawn_request req = {argv, NULL, (DWORD)timeout_s * 1000, true};
    rf_spawn_result res;
    DWORD e = rf_spawn_capture(&req, &res);
    if (out_len) {
        size_t take = res.len < out_len - 1 ? res.len : out_len - 1;
        memcpy(out, res.out ? res.out : "", take);
        out[take] = '\0';
    }
    free(res.out);
    if (e)
        return -(int)e;
    if (res.timed_out)
        return -(int)ERROR_TIMEOUT;
    return (int)res.exit_code;
}

int rf_probe_wsa_start(void) {
    static bool started;
    WSADATA d;
    if (started)
        return 0;
    int e = WSAStartup(MAKEWORD(2, 2), &d);
    started = e == 0;
    return e;
}
