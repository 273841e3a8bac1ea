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

/* What reading and rewriting one path's DACL holds: apply and revoke share
 * it, and its one free function. */
typedef struct dacl_edit {
    wchar_t *wpath;
    PSID sid;
    PSECURITY_DESCRIPTOR sd; /* owns old_dacl */
    PACL old_dacl;
    PACL new_dacl;
} dacl_edit;

static void dacl_edit_free(dacl_edit *e) {
    if (e->new_dacl)
        LocalFree(e->new_dacl);
    if (e->sd)
        LocalFree(e->sd);
    if (e->sid)
        LocalFree(e->sid);
    free(e->wpath);
    memset(e, 0, sizeof *e);
}

/* The path in UTF-16 and the SID in binary form. */
static int dacl_edit_open(dacl_edit *e, const rf_ace *ace, rf_error *err) {
    memset(e, 0, sizeof *e);
    wchar_t *wsid = NULL;
    int rc = rf_win_wide(ace->path, &e->wpath, err);
    if (rc == 0)
        rc = rf_win_wide(ace->sid, &wsid, err);
    if (rc == 0 && !ConvertStringSidToSidW(wsid, &e->sid))
        rc = rf_win_fail(err, GetLastError(), "convert SID %s", ace->sid);
    free(wsid);
    return rc;
}

/* Reads the current DACL; returns the Win32 error (ERROR_SUCCESS). */
static DWORD dacl_edit_read(dacl_edit *e) {
    return GetNamedSecurityInfoW(e->wpath, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL,
                                 &e->old_dacl, NULL, &e->sd);
}

/* Merges `ea` into the DACL read and writes the result back. */
static DWORD dacl_edit_write(dacl_edit *e, EXPLICIT_ACCESS_W *ea) {
    DWORD code = SetEntriesInAclW(1, ea, e->old_dacl, &e->new_dacl);
    if (code == ERROR_SUCCESS)
        code = SetNamedSecurityInfoW(e->wpath, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL,
                                     NULL, e->new_dacl, NULL);
    return code;
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
    dacl_edit e;
    *added = *created = false;
    int rc = dacl_edit_open(&e, ace, err);
    if (rc < 0)
        goto out;
    /* Create-first: an absent protected folder would otherwise be created
     * by the command itself, with the root's allow ACE and no deny. */
    if (ace->create_if_absent && GetFileAttributesW(e.wpath) == INVALID_FILE_ATTRIBUTES) {
        rc = create_folders(e.wpath, ace->path, err);
        if (rc < 0)
            goto out;
        *created = true;
    }
    /* A protected name may be a file (a worktree's .git): inheritance flags
     * mean nothing there. */
    DWORD attrs = ace->is_device ? INVALID_FILE_ATTRIBUTES : GetFileAttributesW(e.wpath);
    if (attrs != INVALID_FILE_ATTRIBUTES && !(attrs & FILE_ATTRIBUTE_DIRECTORY))
        ace->inherit = 0;
    DWORD code = dacl_edit_read(&e);
    if (code != ERROR_SUCCESS) {
        rc = rf_win_fail(err, code, "read the DACL of '%s'", ace->path);
        goto out;
    }
    if (rf_win_acl_has_ace(e.old_dacl, ace, e.sid))
        goto out;
    EXPLICIT_ACCESS_W ea;
    memset(&ea, 0, sizeof ea);
    ea.grfAccessPermissions = ace->mask;
    ea.grfAccessMode = ace->type == RF_ACE_DENY ? DENY_ACCESS : GRANT_ACCESS;
    ea.grfInheritance = ace->inherit;
    ea.Trustee.TrusteeForm = TRUSTEE_IS_SID;
    ea.Trustee.TrusteeType = TRUSTEE_IS_UNKNOWN;
    ea.Trustee.ptstrName = (LPWSTR)e.sid;
    /* Writing propagates inheritable ACEs to what already exists below the
     * folder: the only step whose cost grows with the tree, done once per
     * root. */
    code = dacl_edit_write(&e, &ea);
    if (code != ERROR_SUCCESS) {
        rc = rf_win_fail(err, code, "write the DACL of '%s'", ace->path);
        goto out;
    }
    *added = true;
out:
    dacl_edit_free(&e);
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

/* Removes every explicit ACE of the ACE's SID on its path; a path that is
 * gone took its ACEs with it. */
static int revoke_one(const rf_ace *ace, rf_error *err) {
    dacl_edit e;
    int rc = dacl_edit_open(&e, ace, err);
    if (rc < 0)
        goto out;
    DWORD code = dacl_edit_read(&e);
    if (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND)
        goto out;
    if (code != ERROR_SUCCESS) {
        rc = rf_win_fail(err, code, "read the DACL of '%s'", ace->path);
        goto out;
    }
    /* REVOKE_ACCESS drops every explicit ACE of the SID here: the SID is
     * ours alone, so nothing the user made is touched. */
    EXPLICIT_ACCESS_W ea;
    memset(&ea, 0, sizeof ea);
    ea.grfAccessMode = REVOKE_ACCESS;
    ea.Trustee.TrusteeForm = TRUSTEE_IS_SID;
    ea.Trustee.ptstrName = (LPWSTR)e.sid;
    code = dacl_edit_write(&e, &ea);
    if (code != ERROR_SUCCESS)
        rc = rf_win_fail(err, code, "remove %s from the DACL of '%s'", ace->sid, ace->path);
out:
    dacl_edit_free(&e);
    return rc;
}

int rf_win_acl_revoke(const rf_ace *aces, size_t n, rf_error *err) {
    for (size_t i = 0; i < n; i++) {
        int rc = revoke_one(&aces[i], err);
        if (rc < 0)
            return rc;
    }
    return 0;
}
