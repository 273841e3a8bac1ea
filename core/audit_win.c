/*
 * audit_win.c — the audit log on Windows: %LOCALAPPDATA%\ringfence\audit.jsonl,
 * the same records as on Linux (audit_record.c), each appended with one
 * WriteFile on a handle opened with FILE_APPEND_DATA only, so the system
 * puts every write at the end of the file and concurrent runs never
 * interleave inside a record.
 *
 * Where it may not live: anywhere a writable root of the policy is reached,
 * as written or where a junction or symbolic link leads (the sandboxed
 * command could rewrite the record of what it did).  What it must be: a
 * regular file (not a reparse point, folder, pipe or device), owned by the
 * user (or SYSTEM, Administrators), readable and writable by no one else,
 * in a folder no one else can add to or delete from.
 *
 * Cleanup idiom: goto out with a single exit.
 */
#include "core/audit.h"

#include <aclapi.h>
#include <errno.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit_record.h"
#include "core/error.h"
#include "core/path_resolve.h"
#include "core/utc_stamp.h"
#include "core/win_text.h"

#define LOG_RELATIVE "\\ringfence\\audit.jsonl"

/* rf_fail with the system's text for `code`; returns -code. */
static int fail_win(rf_error *err, DWORD code, const char *what, const char *path) {
    char reason[600];
    return rf_fail(err, code ? -(int)code : RF_EINTERNAL, "%s %s: %s", what, path,
                   rf_core_win_reason(code, reason, sizeof reason));
}

/* ---- paths ------------------------------------------------------------------ */

int rf_audit_default_path(char **out, rf_error *err) {
    *out = NULL;
    wchar_t base[MAX_PATH];
    DWORD n = GetEnvironmentVariableW(L"LOCALAPPDATA", base, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        return fail_win(err, n ? ERROR_BUFFER_OVERFLOW : GetLastError(),
                        "finding the audit log folder: reading", "%LOCALAPPDATA%");
    char *dir = rf_core_narrow(base);
    if (!dir)
        return rf_fail(err, RF_EINTERNAL, "finding the audit log folder: bad %%LOCALAPPDATA%%");
    if (!rf_path_is_absolute(dir)) {
        int rc = rf_fail(err, -EINVAL,
                         "finding the audit log folder: %%LOCALAPPDATA%% is '%s', not an "
                         "absolute path",
                         dir);
        free(dir);
        return rc;
    }
    size_t len = strlen(dir) + sizeof LOG_RELATIVE;
    *out = malloc(len);
    if (*out)
        snprintf(*out, len, "%s%s", dir, LOG_RELATIVE);
    free(dir);
    return *out ? 0 : rf_fail(err, RF_EINTERNAL, "building the audit log path: out of memory");
}

/* The writable root that contains `path`, or NULL. */
static const char *root_containing(const rf_policy *policy, const char *path) {
    for (size_t i = 0; i < policy->writable_roots.len; i++)
        if (rf_path_within(path, policy->writable_roots.items[i].value))
            return policy->writable_roots.items[i].value;
    return NULL;
}

/* `path` made absolute against the current folder (malloc'd). */
static char *absolute(const char *path) {
    wchar_t *w = rf_core_wide(path);
    if (!w)
        return NULL;
    wchar_t *full = malloc(32768 * sizeof *full);
    DWORD n = full ? GetFullPathNameW(w, 32768, full, NULL) : 0;
    char *out = n > 0 && n < 32768 ? rf_core_narrow(full) : NULL;
    free(full);
    free(w);
    return out;
}

/* Refuses `prefix` when it, or where it leads, lies in a writable root. */
static int check_prefix(const char *path, const char *prefix, const rf_policy *policy,
                        rf_error *err) {
    const char *root = root_containing(policy, prefix);
    if (root)
        return rf_fail(err, -EPERM,
                       "audit log %s: its path reaches %s, inside the writable root %s, where "
                       "the sandboxed command could rewrite the log or re-point the path; set "
                       "%%LOCALAPPDATA%% or the audit path to a folder outside every writable "
                       "root",
                       path, prefix, root);
    char *resolved = NULL;
    int rc = rf_path_resolve(prefix, "audit log", &resolved, err);
    if (rc < 0)
        return rc;
    root = root_containing(policy, resolved);
    if (root)
        /* A junction or link on the way leads into a root: tampering again. */
        rc = rf_fail(err, -EPERM,
                     "audit log %s: %s leads to %s, inside the writable root %s, where the "
                     "sandboxed command could rewrite the log; use a folder outside every "
                     "writable root",
                     path, prefix, resolved, root);
    free(resolved);
    return rc;
}

/*
 * Every prefix of the path is checked as written and where it leads, so a
 * junction outside that points into a root, and a folder inside a root that
 * points out (the command could re-point it), are both refused.  Not seen:
 * a link in the middle of a chain of links (outside -> root -> outside);
 * run_win.c checks again after the command's job is closed, when nothing
 * sandboxed is left to re-point it.
 */
int rf_audit_check_location(const char *path, const rf_policy *policy, rf_error *err) {
    if (!path[0])
        return rf_fail(err, -EINVAL, "the audit log path is empty");
    char *abs = absolute(path);
    if (!abs)
        return rf_fail(err, RF_EINTERNAL, "making the audit log path %s absolute failed", path);
    int rc = 0;
    size_t len = strlen(abs);
    for (size_t i = 1; rc == 0 && i <= len; i++) {
        if (i < len && abs[i] != '\\' && abs[i] != '/')
            continue;
        char saved = abs[i];
        abs[i] = '\0';
        if (rf_path_is_absolute(abs))
            rc = check_prefix(path, abs, policy, err);
        abs[i] = saved;
    }
    free(abs);
    return rc;
}

/* ---- who is writing ------------------------------------------------------------ */

typedef struct user_info {
    TOKEN_USER *token_user; /* malloc'd; ->User.Sid is the user's SID */
    char sid[192];
    char name[256];
} user_info;

static int user_get(user_info *u, rf_error *err) {
    memset(u, 0, sizeof *u);
    HANDLE tok = NULL;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
        return fail_win(err, GetLastError(), "audit log: opening", "this process's token");
    DWORD size = 0;
    GetTokenInformation(tok, TokenUser, NULL, 0, &size);
    u->token_user = size ? malloc(size) : NULL;
    int rc = 0;
    if (!u->token_user || !GetTokenInformation(tok, TokenUser, u->token_user, size, &size))
        rc = fail_win(err, u->token_user ? GetLastError() : ERROR_OUTOFMEMORY,
                      "audit log: reading the user of", "this process's token");
    CloseHandle(tok);
    if (rc < 0) {
        free(u->token_user);
        u->token_user = NULL;
        return rc;
    }
    char *text = NULL;
    if (ConvertSidToStringSidA(u->token_user->User.Sid, &text)) {
        snprintf(u->sid, sizeof u->sid, "%s", text);
        LocalFree(text);
    }
    wchar_t name[256], domain[256];
    DWORD nn = 256, dn = 256;
    SID_NAME_USE use;
    if (LookupAccountSidW(NULL, u->token_user->User.Sid, name, &nn, domain, &dn, &use)) {
        char *n8 = rf_core_narrow(name);
        if (n8)
            snprintf(u->name, sizeof u->name, "%s", n8);
        free(n8);
    }
    return 0;
}

static void who_now(rf_audit_who *who, const user_info *u, char stamp[64]) {
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    /* 100 ns ticks since 1601-01-01; 11644473600 s separate 1601 from 1970. */
    unsigned long long ticks = ((unsigned long long)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    struct timespec ts = {.tv_sec = (time_t)(ticks / 10000000ull) - 11644473600LL,
                          .tv_nsec = (long)(ticks % 10000000ull) * 100};
    rf_utc_stamp(&ts, stamp, 64);
    *who = (rf_audit_who){
        .time = stamp,
        .user = u->name[0] ? u->name : NULL,
        .uid = -1,
        .sid = u->sid[0] ? u->sid : NULL,
        .pid = (long long)GetCurrentProcessId(),
    };
}

/* ---- privacy ------------------------------------------------------------------- */

/* The user, SYSTEM and the Administrators group: whoever else is granted
 * access could read every command and folder the runs name, or forge them. */
static bool trusted(PSID sid, PSID user) {
    return EqualSid(sid, user) || IsWellKnownSid(sid, WinLocalSystemSid) ||
           IsWellKnownSid(sid, WinBuiltinAdministratorsSid);
}

static void sid_text(PSID sid, char *out, size_t size) {
    char *text = NULL;
    if (ConvertSidToStringSidA(sid, &text)) {
        snprintf(out, size, "%s", text);
        LocalFree(text);
    } else {
        snprintf(out, size, "(unreadable SID)");
    }
}

/* Refuses an object whose owner is not trusted, or whose DACL allows
 * `forbidden` rights to anyone untrusted (or is missing: full access for
 * everyone).  `what` is "file" or "folder". */
static int check_private(HANDLE h, PSID user, ACCESS_MASK forbidden, const char *what,
                         const char *path, rf_error *err) {
    PSID owner = NULL;
    PACL dacl = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    DWORD e = GetSecurityInfo(h, SE_FILE_OBJECT,
                              OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner, NULL,
                              &dacl, NULL, &sd);
    if (e != ERROR_SUCCESS)
        return fail_win(err, e, "audit log: reading the security of", path);
    int rc = 0;
    char sid[192];
    if (!owner || !trusted(owner, user)) {
        sid_text(owner, sid, sizeof sid);
        rc = rf_fail(err, -EPERM,
                     "audit log %s %s belongs to %s, not to you: another user could read or "
                     "alter it; remove it and run again",
                     what, path, owner ? sid : "nobody");
        goto out;
    }
    if (!dacl) {
        rc = rf_fail(err, -EPERM,
                     "audit log %s %s has no DACL (everyone has full access): another user "
                     "could read or alter it; remove it and run again",
                     what, path);
        goto out;
    }
    for (DWORD i = 0; i < dacl->AceCount; i++) {
        ACE_HEADER *ace = NULL;
        if (!GetAce(dacl, i, (void **)&ace) || ace->AceType != ACCESS_ALLOWED_ACE_TYPE ||
            (ace->AceFlags & INHERIT_ONLY_ACE))
            continue;
        ACCESS_ALLOWED_ACE *allow = (ACCESS_ALLOWED_ACE *)ace;
        PSID who = (PSID)&allow->SidStart;
        if (trusted(who, user) || !(allow->Mask & forbidden))
            continue;
        sid_text(who, sid, sizeof sid);
        rc = rf_fail(err, -EPERM,
                     "audit log %s %s grants %s access mask 0x%lx: another user could read "
                     "or alter the log; remove that entry (or the %s) and run again",
                     what, path, sid, (unsigned long)allow->Mask, what);
        goto out;
    }
out:
    LocalFree(sd);
    return rc;
}

/* A security descriptor for new folders and the log: the user and SYSTEM
 * only, nothing inherited (LocalFree it). */
static PSECURITY_DESCRIPTOR private_sd(const char *user_sid, bool folder) {
    wchar_t sddl[512];
    _snwprintf(sddl, 512, folder ? L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;%hs)"
                                 : L"D:P(A;;FA;;;SY)(A;;FA;;;%hs)",
               user_sid);
    sddl[511] = L'\0';
    PSECURITY_DESCRIPTOR sd = NULL;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, NULL))
        return NULL;
    return sd;
}

/* Rights on a folder that let another user add, replace or delete the log. */
#define FOLDER_WRITE_RIGHTS                                                                     \
    (FILE_ADD_FILE | FILE_ADD_SUBDIRECTORY | FILE_DELETE_CHILD | DELETE | WRITE_DAC |          \
     WRITE_OWNER | GENERIC_WRITE | GENERIC_ALL)
/* Rights on the log that let another user read or change it. */
#define FILE_OTHER_RIGHTS                                                                       \
    (FILE_READ_DATA | FILE_WRITE_DATA | FILE_APPEND_DATA | DELETE | WRITE_DAC | WRITE_OWNER |  \
     GENERIC_READ | GENERIC_WRITE | GENERIC_ALL)

/* Creates the missing folders above `path` (private), then checks the one
 * that holds the log. */
static int prepare_folder(const char *path, const user_info *u, rf_error *err) {
    int rc = 0;
    wchar_t *w = rf_core_wide(path);
    PSECURITY_DESCRIPTOR sd = private_sd(u->sid, true);
    HANDLE dir = INVALID_HANDLE_VALUE;
    if (!w || !sd) {
        rc = fail_win(err, w ? GetLastError() : ERROR_NO_UNICODE_TRANSLATION,
                      "audit log: preparing the folder of", path);
        goto out;
    }
    wchar_t *last = wcsrchr(w, L'\\');
    wchar_t *slash = wcsrchr(w, L'/');
    if (slash > last)
        last = slash;
    if (!last)
        goto out; /* a bare name in the current folder */
    *last = L'\0';
    SECURITY_ATTRIBUTES sa = {sizeof sa, sd, FALSE};
    for (wchar_t *p = w + (last - w >= 3 ? 3 : 0); p <= last; p++) { /* past "C:\" (or "\\s") */
        if (*p != L'\\' && *p != L'/' && *p != L'\0')
            continue;
        wchar_t saved = *p;
        *p = L'\0';
        if (!CreateDirectoryW(w, &sa) && GetLastError() != ERROR_ALREADY_EXISTS &&
            GetLastError() != ERROR_ACCESS_DENIED /* an existing share or drive root */) {
            char *d = rf_core_narrow(w);
            rc = fail_win(err, GetLastError(), "creating the audit log folder", d ? d : path);
            free(d);
            goto out;
        }
        *p = saved;
    }
    dir = CreateFileW(w, READ_CONTROL, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                      NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (dir == INVALID_HANDLE_VALUE) {
        rc = fail_win(err, GetLastError(), "opening the folder of the audit log", path);
        goto out;
    }
    char *d = rf_core_narrow(w);
    /* Whoever can write the folder can replace or delete the log between runs. */
    rc = check_private(dir, u->token_user->User.Sid, FOLDER_WRITE_RIGHTS, "folder",
                       d ? d : path, err);
    free(d);
out:
    if (dir != INVALID_HANDLE_VALUE)
        CloseHandle(dir);
    LocalFree(sd);
    free(w);
    return rc;
}

/* Opens the log for appending only (created private when missing). */
static int open_log(const char *path, const user_info *u, HANDLE *out, rf_error *err) {
    *out = INVALID_HANDLE_VALUE;
    int rc = prepare_folder(path, u, err);
    if (rc < 0)
        return rc;
    wchar_t *w = rf_core_wide(path);
    PSECURITY_DESCRIPTOR sd = private_sd(u->sid, false);
    HANDLE h = INVALID_HANDLE_VALUE;
    if (!w || !sd) {
        rc = fail_win(err, w ? GetLastError() : ERROR_NO_UNICODE_TRANSLATION,
                      "audit log: preparing to open", path);
        goto out;
    }
    SECURITY_ATTRIBUTES sa = {sizeof sa, sd, FALSE};
    /* FILE_APPEND_DATA without FILE_WRITE_DATA: every write goes to the end
     * of the file, whatever another run wrote meanwhile.
     * FILE_FLAG_OPEN_REPARSE_POINT: a link planted at the log's name would
     * redirect our writes into a file of the attacker's choosing. */
    h = CreateFileW(w, FILE_APPEND_DATA | READ_CONTROL | FILE_READ_ATTRIBUTES,
                    FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, OPEN_ALWAYS,
                    FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        rc = fail_win(err, GetLastError(), "opening the audit log", path);
        goto out;
    }
    BY_HANDLE_FILE_INFORMATION info;
    /* A pipe or device name ("NUL", "\\.\pipe\x") would swallow the records
     * or block the run. */
    if (GetFileType(h) != FILE_TYPE_DISK) {
        rc = rf_fail(err, -EPERM, "audit log %s is not a file on disk (a device or pipe); "
                                  "refusing it",
                     path);
    } else if (!GetFileInformationByHandle(h, &info)) {
        rc = fail_win(err, GetLastError(), "checking the audit log", path);
    } else if (info.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) {
        rc = rf_fail(err, -EPERM,
                     "audit log %s is a %s, not a regular file; refusing it (it could point "
                     "anywhere)",
                     path,
                     info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT ? "junction or link"
                                                                           : "folder");
    } else {
        rc = check_private(h, u->token_user->User.Sid, FILE_OTHER_RIGHTS, "file", path, err);
    }
out:
    if (rc < 0 && h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    else
        *out = h;
    LocalFree(sd);
    free(w);
    return rc;
}

/* Appends `line` (NULL: building it ran out of memory) with one WriteFile,
 * and frees it. */
static int write_line(const char *path, char *line, const char *event, const user_info *u,
                      rf_error *err) {
    HANDLE h = INVALID_HANDLE_VALUE;
    int rc = 0;
    if (!line) {
        rc = rf_fail(err, RF_EINTERNAL, "building the %s audit record: out of memory", event);
        goto out;
    }
    if ((rc = open_log(path, u, &h, err)) < 0)
        goto out;
    size_t n = strlen(line);
    DWORD written = 0;
    if (!WriteFile(h, line, (DWORD)n, &written, NULL))
        rc = fail_win(err, GetLastError(), "writing the audit log", path);
    else if (written != n)
        /* Never finish with a second write: it could land after another
         * run's line.  Report the torn record instead. */
        rc = rf_fail(err, -EIO, "writing the audit log %s: short write (%lu of %zu bytes)", path,
                     (unsigned long)written, n);
    if (!CloseHandle(h) && rc == 0)
        rc = fail_win(err, GetLastError(), "closing the audit log", path);
out:
    free(line);
    return rc;
}

typedef enum { REC_START, REC_END, REC_POLICY_ERROR } rec_kind;

static int write_record(const char *path, rec_kind kind, const void *rec, const char *policy_file,
                        rf_error *err) {
    static const char *const names[] = {"run.start", "run.end", "policy.error"};
    user_info u;
    int rc = user_get(&u, err);
    if (rc < 0)
        return rc;
    char stamp[64];
    rf_audit_who who;
    who_now(&who, &u, stamp);
    char *line = kind == REC_START ? rf_audit_record_run_start(&who, rec)
                 : kind == REC_END ? rf_audit_record_run_end(&who, rec)
                                   : rf_audit_record_policy_error(&who, rec, policy_file);
    rc = write_line(path, line, names[kind], &u, err);
    free(u.token_user);
    return rc;
}

int rf_audit_run_start(const char *path, const rf_audit_start *rec, rf_error *err) {
    return write_record(path, REC_START, rec, NULL, err);
}

int rf_audit_run_end(const char *path, const rf_audit_end *rec, rf_error *err) {
    return write_record(path, REC_END, rec, NULL, err);
}

int rf_audit_policy_error(const char *path, const rf_error *policy_err, const char *policy_file,
                          rf_error *err) {
    return write_record(path, REC_POLICY_ERROR, policy_err, policy_file, err);
}
