/* acl_apply_win.c — performing an ACL plan with SetEntriesInAclW / SetNamedSecurityInfoW. */
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/win32.h"
#include "core/error.h"

/* Creates `path` and any missing folder above it (a protected name such as
 * "sub/dir" may need both). */
static int create_folders(const wchar_t *wpath, const char *path, rf_error *err) {
    size_t len = wcslen(wpath);
    wchar_t *buf = malloc((len + 1) * sizeof *buf);
    if (!buf)
        return rf_fail(err, RF_EINTERNAL, "create '%s': out of memory", path);
    wcscpy(buf, wpath);
    int rc = 0;
    for (size_t i = 3; i <= len && rc == 0; i++) {
        if (buf[i] != L'\\' && buf[i] != L'/' && buf[i] != L'\0')
            continue;
        wchar_t saved = buf[i];
        buf[i] = L'\0';
        if (!CreateDirectoryW(buf, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
            rc = rf_win_fail(err, GetLastError(), "create protected folder '%s'", path);
        buf[i] = saved;
    }
    free(buf);
    return rc;
}

bool rf_win_acl_has_ace(PACL dacl, const rf_ace *want, PSID sid) {
    ACL_SIZE_INFORMATION info;
    if (!dacl || !GetAclInformation(dacl, &info, sizeof info, AclSizeInformation))
        return false;
    BYTE type = want->type == RF_ACE_DENY ? ACCESS_DENIED_ACE_TYPE : ACCESS_ALLOWED_ACE_TYPE;
    for (DWORD i = 0; i < info.AceCount; i++) {
        void *ace = NULL;
        if (!GetAce(dacl, i, &ace))
            continue;
        ACE_HEADER *h = ace;
        if (h->AceType != type || (h->AceFlags & INHERITED_ACE))
            continue;
        /* ACCESS_ALLOWED_ACE and ACCESS_DENIED_ACE share their layout. */
        ACCESS_ALLOWED_ACE *a = ace;
        if ((h->AceFlags & (OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE)) == want->inherit &&
            (a->Mask & want->mask) == want->mask && EqualSid((PSID)&a->SidStart, sid))
            return true;
    }
    return false;
}

/* Applies one ACE (its inheritance may be adjusted for a file); *added
 * tells whether the DACL changed. */
static int apply_one(rf_ace *ace, bool *added, bool *created, rf_error *err) {
    wchar_t *wpath = NULL, *wsid = NULL;
    PSID sid = NULL;
    PACL old_dacl = NULL, new_dacl = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    *added = *created = false;
    int rc = rf_win_wide(ace->path, &wpath, err);
    if (rc == 0)
        rc = rf_win_wide(ace->sid, &wsid, err);
    if (rc < 0)
        goto out;
    if (!ConvertStringSidToSidW(wsid, &sid)) {
        rc = rf_win_fail(err, GetLastError(), "convert SID %s", ace->sid);
        goto out;
    }
    /* Create-first: an absent protected folder would otherwise be created
     * by the command itself, with the root's allow ACE and no deny. */
    if (ace->create_if_absent && GetFileAttributesW(wpath) == INVALID_FILE_ATTRIBUTES) {
        rc = create_folders(wpath, ace->path, err);
        if (rc < 0)
            goto out;
        *created = true;
    }
    /* A protected name may be a file (a worktree's .git): inheritance flags
     * mean nothing there. */
    DWORD attrs = ace->is_device ? INVALID_FILE_ATTRIBUTES : GetFileAttributesW(wpath);
    if (attrs != INVALID_FILE_ATTRIBUTES && !(attrs & FILE_ATTRIBUTE_DIRECTORY))
        ace->inherit = 0;
    DWORD e = GetNamedSecurityInfoW(wpath, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL,
                                    &old_dacl, NULL, &sd);
    if (e != ERROR_SUCCESS) {
        rc = rf_win_fail(err, e, "read the DACL of '%s'", ace->path);
        goto out;
    }
    if (rf_win_acl_has_ace(old_dacl, ace, sid))
        goto out;
    EXPLICIT_ACCESS_W ea;
    memset(&ea, 0, sizeof ea);
    ea.grfAccessPermissions = ace->mask;
    ea.grfAccessMode = ace->type == RF_ACE_DENY ? DENY_ACCESS : GRANT_ACCESS;
    ea.grfInheritance = ace->inherit;
    ea.Trustee.TrusteeForm = TRUSTEE_IS_SID;
    ea.Trustee.TrusteeType = TRUSTEE_IS_UNKNOWN;
    ea.Trustee.ptstrName = (LPWSTR)sid;
    e = SetEntriesInAclW(1, &ea, old_dacl, &new_dacl);
    if (e != ERROR_SUCCESS) {
        rc = rf_win_fail(err, e, "build the DACL for '%s'", ace->path);
        goto out;
    }
    /* Propagates inheritable ACEs to what already exists below the folder:
     * the only step whose cost grows with the tree, done once per root. */
    e = SetNamedSecurityInfoW(wpath, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL,
                              new_dacl, NULL);
    if (e != ERROR_SUCCESS) {
        rc = rf_win_fail(err, e, "write the DACL of '%s'", ace->path);
        goto out;
    }
    *added = true;
out:
    if (new_dacl)
        LocalFree(new_dacl);
    if (sd)
        LocalFree(sd);
    if (sid)
        LocalFree(sid);
    free(wpath);
    free(wsid);
    return rc;
}

int rf_win_acl_apply(const rf_acl_plan *plan, rf_win_state *state, rf_win_apply_report *report,
                     rf_error *err) {
    memset(report, 0, sizeof *report);
    for (size_t i = 0; i < plan->len; i++) {
        rf_ace copy = plan->aces[i];
        const rf_ace *ace = &copy;
        bool added = false, created = false;
        rf_error sub = {0};
        int rc = apply_one(&copy, &added, &created, &sub);
        if (rc < 0 && ace->is_device) {
            /* The NUL device's DACL may be out of reach without admin
             * rights: the run goes on, and the command cannot write NUL. */
            snprintf(report->warning, sizeof report->warning, "%s", sub.message);
            continue;
        }
        if (rc < 0) {
            if (err)
                *err = sub;
            return rc;
        }
        report->created += created;
        if (!added) {
            report->present++;
            continue;
        }
        report->added++;
        rc = rf_win_state_add_grant(state, ace, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int rf_win_acl_revoke(const rf_ace *aces, size_t n, rf_error *err) {
    for (size_t i = 0; i < n; i++) {
        wchar_t *wpath = NULL, *wsid = NULL;
        PSID sid = NULL;
        PACL old_dacl = NULL, new_dacl = NULL;
        PSECURITY_DESCRIPTOR sd = NULL;
        int rc = rf_win_wide(aces[i].path, &wpath, err);
        if (rc == 0)
            rc = rf_win_wide(aces[i].sid, &wsid, err);
        if (rc == 0 && !ConvertStringSidToSidW(wsid, &sid))
            rc = rf_win_fail(err, GetLastError(), "convert SID %s", aces[i].sid);
        DWORD e = ERROR_SUCCESS;
        if (rc == 0)
            e = GetNamedSecurityInfoW(wpath, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL,
                                      NULL, &old_dacl, NULL, &sd);
        if (rc == 0 && e == ERROR_FILE_NOT_FOUND)
            goto next; /* the folder is gone, and its ACEs with it */
        if (rc == 0 && e != ERROR_SUCCESS)
            rc = rf_win_fail(err, e, "read the DACL of '%s'", aces[i].path);
        if (rc == 0) {
            /* REVOKE_ACCESS drops every explicit ACE of the SID here: the
             * SID is ours alone, so nothing the user made is touched. */
            EXPLICIT_ACCESS_W ea;
            memset(&ea, 0, sizeof ea);
            ea.grfAccessMode = REVOKE_ACCESS;
            ea.Trustee.TrusteeForm = TRUSTEE_IS_SID;
            ea.Trustee.ptstrName = (LPWSTR)sid;
            e = SetEntriesInAclW(1, &ea, old_dacl, &new_dacl);
            if (e == ERROR_SUCCESS)
                e = SetNamedSecurityInfoW(wpath, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL,
                                          NULL, new_dacl, NULL);
            if (e != ERROR_SUCCESS)
                rc = rf_win_fail(err, e, "remove %s from the DACL of '%s'", aces[i].sid,
                                 aces[i].path);
        }
    next:
        if (new_dacl)
            LocalFree(new_dacl);
        if (sd)
            LocalFree(sd);
        if (sid)
            LocalFree(sid);
        free(wpath);
        free(wsid);
        if (rc < 0)
            return rc;
    }
    return 0;
}
