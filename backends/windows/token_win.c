/* token_win.c — the write-restricted token the command runs with. */
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/sid.h"
#include "backends/windows/win32.h"
#include "core/error.h"

/* Sets the token's default DACL: objects the command creates (pipes, events,
 * sections) get it, and under a write-restricted token an object whose DACL
 * names no restricting SID could not even be written by its creator. */
static int set_default_dacl(HANDLE token, PSID *sids, size_t n, rf_error *err) {
    BYTE user_buf[SECURITY_MAX_SID_SIZE + sizeof(TOKEN_USER)];
    DWORD len = 0;
    if (!GetTokenInformation(token, TokenUser, user_buf, sizeof user_buf, &len))
        return rf_win_fail(err, GetLastError(), "read the token's user");
    PSID system = NULL;
    if (!ConvertStringSidToSidW(L"S-1-5-18", &system))
        return rf_win_fail(err, GetLastError(), "convert SID S-1-5-18");
    EXPLICIT_ACCESS_W *ea = calloc(n + 2, sizeof *ea);
    if (!ea) {
        LocalFree(system);
        return rf_fail(err, RF_EINTERNAL, "build the default DACL: out of memory");
    }
    PSID who[2] = {((TOKEN_USER *)user_buf)->User.Sid, system};
    for (size_t i = 0; i < n + 2; i++) {
        ea[i].grfAccessPermissions = GENERIC_ALL;
        ea[i].grfAccessMode = SET_ACCESS;
        ea[i].grfInheritance = NO_INHERITANCE;
        ea[i].Trustee.TrusteeForm = TRUSTEE_IS_SID;
        ea[i].Trustee.ptstrName = (LPWSTR)(i < 2 ? who[i] : sids[i - 2]);
    }
    PACL dacl = NULL;
    DWORD e = SetEntriesInAclW((ULONG)(n + 2), ea, NULL, &dacl);
    free(ea);
    LocalFree(system);
    if (e != ERROR_SUCCESS)
        return rf_win_fail(err, e, "build the default DACL");
    TOKEN_DEFAULT_DACL dd = {dacl};
    int rc = 0;
    if (!SetTokenInformation(token, TokenDefaultDacl, &dd, sizeof dd))
        rc = rf_win_fail(err, GetLastError(), "set the restricted token's default DACL");
    LocalFree(dacl);
    return rc;
}

int rf_win_token_create(const char *const *sid_texts, size_t n, HANDLE *out, rf_error *err) {
    HANDLE self = NULL, restricted = NULL;
    SID_AND_ATTRIBUTES *sids = NULL;
    PSID *psids = NULL;
    int rc = 0;
    *out = NULL;
    if (n == 0)
        return rf_fail(err, RF_EINTERNAL,
                       "create restricted token: no restricting SID (the token would write "
                       "wherever the user can)");
    sids = calloc(n, sizeof *sids);
    psids = calloc(n, sizeof *psids);
    if (!sids || !psids) {
        rc = rf_fail(err, RF_EINTERNAL, "create restricted token: out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        /* A shared restricting SID (Everyone, Users, the logon SID) would
         * let any folder granting it write pass the restricted check
         * (Codex issue #17551). */
        rf_sid parsed;
        rc = rf_sid_parse(sid_texts[i], &parsed, err);
        if (rc < 0)
            goto out;
        if (!rf_sid_is_synthetic_shape(&parsed) || rf_sid_is_shared(&parsed)) {
            rc = rf_fail(err, RF_EINTERNAL,
                         "create restricted token: %s is not a synthetic per-root SID",
                         sid_texts[i]);
            goto out;
        }
        wchar_t *w = NULL;
        rc = rf_win_wide(sid_texts[i], &w, err);
        if (rc < 0)
            goto out;
        BOOL ok = ConvertStringSidToSidW(w, &psids[i]);
        free(w);
        if (!ok) {
            rc = rf_win_fail(err, GetLastError(), "convert SID %s", sid_texts[i]);
            goto out;
        }
        sids[i].Sid = psids[i];
    }
    if (!OpenProcessToken(GetCurrentProcess(),
                          TOKEN_DUPLICATE | TOKEN_QUERY | TOKEN_ASSIGN_PRIMARY |
                              TOKEN_ADJUST_DEFAULT,
                          &self)) {
        rc = rf_win_fail(err, GetLastError(), "open the process token");
        goto out;
    }
    /* DISABLE_MAX_PRIVILEGE: no privilege (backup, restore, take-ownership)
     * can bypass the DACLs; LUA_TOKEN: an elevated admin runs filtered;
     * WRITE_RESTRICTED: every write must also be granted to a root SID. */
    if (!CreateRestrictedToken(self, DISABLE_MAX_PRIVILEGE | LUA_TOKEN | WRITE_RESTRICTED, 0,
                               NULL, 0, NULL, (DWORD)n, sids, &restricted)) {
        rc = rf_win_fail(err, GetLastError(), "CreateRestrictedToken");
        goto out;
    }
    rc = set_default_dacl(restricted, psids, n, err);
    if (rc < 0)
        goto out;
    *out = restricted;
    restricted = NULL;
out:
    if (restricted)
        CloseHandle(restricted);
    if (self)
        CloseHandle(self);
    for (size_t i = 0; psids && i < n; i++)
        if (psids[i])
            LocalFree(psids[i]);
    free(psids);
    free(sids);
    return rc;
}
