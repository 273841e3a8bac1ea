/* selftest_win.c — the backend's escape checks on a real machine, and their probe. */
#include <aclapi.h>
#include <sddl.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/prepare_win.h"
#include "backends/windows/selftest_win.h"
#include "core/error.h"

int rf_win_probe(const char *op, const char *path, const char *path2) {
    wchar_t *w = NULL, *w2 = NULL;
    if (rf_win_wide(path, &w, NULL) < 0 || (path2 && rf_win_wide(path2, &w2, NULL) < 0))
        return ERROR_INVALID_PARAMETER;
    BOOL ok = FALSE;
    if (strcmp(op, "read") == 0 || strcmp(op, "write") == 0) {
        bool write = op[0] == 'w';
        HANDLE h = CreateFileW(w, write ? FILE_WRITE_DATA : FILE_READ_DATA,
                               FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                               write ? OPEN_ALWAYS : OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
        ok = h != INVALID_HANDLE_VALUE;
        if (ok) {
            DWORD n;
            char buf[8] = "probe\n";
            ok = write ? WriteFile(h, buf, 6, &n, NULL) : ReadFile(h, buf, sizeof buf, &n, NULL);
            CloseHandle(h);
        }
    } else if (strcmp(op, "mkdir") == 0) {
        ok = CreateDirectoryW(w, NULL);
    } else if (strcmp(op, "delete") == 0) {
        DWORD attrs = GetFileAttributesW(w);
        ok = (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY))
                 ? RemoveDirectoryW(w)
                 : DeleteFileW(w);
    } else if (strcmp(op, "rename") == 0 && w2) {
        ok = MoveFileExW(w, w2, 0);
    } else {
        SetLastError(ERROR_INVALID_PARAMETER);
    }
    DWORD e = ok ? 0 : GetLastError();
    free(w);
    free(w2);
    return (int)e;
}

static int make_file(const wchar_t *base, const wchar_t *rel, bool dir, rf_error *err) {
    wchar_t path[MAX_PATH];
    _snwprintf(path, MAX_PATH, L"%ls\\%ls", base, rel);
    path[MAX_PATH - 1] = L'\0';
    if (dir) {
        if (!CreateDirectoryW(path, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
            return rf_win_fail(err, GetLastError(), "selftest: create a folder");
        return 0;
    }
    HANDLE h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return rf_win_fail(err, GetLastError(), "selftest: create a file");
    CloseHandle(h);
    return 0;
}

/* Grants Everyone full control on a folder: the #17551 trap. */
static int grant_everyone(const wchar_t *path, rf_error *err) {
    PSID everyone = NULL;
    PACL old_dacl = NULL, new_dacl = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    if (!ConvertStringSidToSidW(L"S-1-1-0", &everyone))
        return rf_win_fail(err, GetLastError(), "selftest: convert S-1-1-0");
    DWORD e = GetNamedSecurityInfoW(path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL,
                                    &old_dacl, NULL, &sd);
    if (e == ERROR_SUCCESS) {
        EXPLICIT_ACCESS_W ea;
        memset(&ea, 0, sizeof ea);
        ea.grfAccessPermissions = GENERIC_ALL;
        ea.grfAccessMode = GRANT_ACCESS;
        ea.grfInheritance = SUB_CONTAINERS_AND_OBJECTS_INHERIT;
        ea.Trustee.TrusteeForm = TRUSTEE_IS_SID;
        ea.Trustee.ptstrName = (LPWSTR)everyone;
        e = SetEntriesInAclW(1, &ea, old_dacl, &new_dacl);
    }
    if (e == ERROR_SUCCESS)
        e = SetNamedSecurityInfoW((LPWSTR)path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL,
                                  NULL, new_dacl, NULL);
    if (new_dacl)
        LocalFree(new_dacl);
    if (sd)
        LocalFree(sd);
    LocalFree(everyone);
    return e == ERROR_SUCCESS ? 0 : rf_win_fail(err, e, "selftest: grant Everyone on a folder");
}

static void remove_tree(const wchar_t *path) {
    wchar_t pattern[MAX_PATH];
    _snwprintf(pattern, MAX_PATH, L"%ls\\*", path);
    pattern[MAX_PATH - 1] = L'\0';
    WIN32_FIND_DATAW fd;
    HANDLE f = FindFirstFileW(pattern, &fd);
    if (f != INVALID_HANDLE_VALUE) {
        do {
            if (wcscmp(fd.cFileName, L".") == 0 || wcscmp(fd.cFileName, L"..") == 0)
                continue;
            wchar_t child[MAX_PATH];
            _snwprintf(child, MAX_PATH, L"%ls\\%ls", path, fd.cFileName);
            child[MAX_PATH - 1] = L'\0';
            SetFileAttributesW(child, FILE_ATTRIBUTE_NORMAL);
            /* A junction is removed, never followed. */
            if ((fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) &&
                !(fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT))
                remove_tree(child);
            else if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
                RemoveDirectoryW(child);
            else
                DeleteFileW(child);
        } while (FindNextFileW(f, &fd));
        FindClose(f);
    }
    RemoveDirectoryW(path);
}

enum { MUST_ALLOW, MUST_DENY, REPORT };

/* Whether everyday programs start under the write-restricted token at all
 * (user32 initialisation needs write access to the desktop, whose DACL names
 * no root SID): reported, not judged. */
static void report_compat(const rf_win_prepared *prep, const char *cwd, FILE *out) {
    static const char *const programs[][4] = {
        {"cmd.exe", "/d", "/c", "exit 0"},
        {"powershell.exe", "-NoProfile", "-Command", "exit 0"},
        {"git.exe", "--version", NULL, NULL},
    };
    wchar_t wpath[4096];
    DWORD n = GetEnvironmentVariableW(L"PATH", wpath, 4096);
    char *path8 = NULL, pathenv[4200], sysenv[MAX_PATH * 3];
    wchar_t sysroot[MAX_PATH];
    char *sysroot8 = NULL;
    if (n == 0 || n >= 4096 || rf_win_narrow(wpath, &path8, NULL) < 0)
        return;
    snprintf(pathenv, sizeof pathenv, "PATH=%s", path8);
    snprintf(sysenv, sizeof sysenv, "SystemRoot=C:\\Windows");
    if (GetEnvironmentVariableW(L"SystemRoot", sysroot, MAX_PATH) &&
        rf_win_narrow(sysroot, &sysroot8, NULL) == 0)
        snprintf(sysenv, sizeof sysenv, "SystemRoot=%s", sysroot8);
    char *envp[] = {pathenv, sysenv, NULL};
    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++) {
        char *argv[5] = {(char *)programs[i][0], (char *)programs[i][1], (char *)programs[i][2],
                         (char *)programs[i][3], NULL};
        rf_win_launch l = {argv, envp, cwd, prep->token, GetStdHandle(STD_INPUT_HANDLE),
                           GetStdHandle(STD_OUTPUT_HANDLE), GetStdHandle(STD_ERROR_HANDLE)};
        rf_win_child child;
        rf_win_outcome o = {0};
        rf_error sub = {0};
        int r = rf_win_spawn(&l, &child, &sub);
        if (r == 0) {
            r = rf_win_wait(&child, 60000, &o, &sub);
            rf_win_child_close(&child);
        }
        fprintf(out, "start %-38s %-9s exit 0x%08lx %s\n", programs[i][0], "-",
                (unsigned long)o.exit_code, r < 0 ? sub.message : "reported");
    }
    free(path8);
    free(sysroot8);
}

static const struct {
    const char *op, *path, *path2;
    int expect;
    const char *what;
} checks[] = {
    {"write", "ws\\src\\a.txt", NULL, MUST_ALLOW, "edit a file in the workspace"},
    {"write", "ws\\new.txt", NULL, MUST_ALLOW, "create a file in the workspace"},
    {"mkdir", "ws\\build", NULL, MUST_ALLOW, "create a folder in the workspace"},
    {"delete", "ws\\src\\a.txt", NULL, MUST_ALLOW, "delete a file in the workspace"},
    {"read", "plain.txt", NULL, MUST_ALLOW, "read a file outside"},
    {"write", "ws\\.git\\config", NULL, MUST_DENY, "overwrite .git\\config"},
    {"write", "ws\\.git\\hooks-post-checkout", NULL, MUST_DENY, "add a file to .git"},
    {"mkdir", "ws\\.codex\\x", NULL, MUST_DENY, "write inside the absent .codex"},
    {"write", "plain.txt", NULL, MUST_DENY, "overwrite a file outside"},
    {"write", "outside\\data.txt", NULL, MUST_DENY, "write a folder granting Everyone:F"},
    {"write", "outside\\new.txt", NULL, MUST_DENY, "create in a folder granting Everyone:F"},
    /* The model cannot settle these (which rights the write-restricted pass
     * filters): this machine does. */
    {"delete", "ws\\.git\\config", NULL, REPORT, "delete .git\\config"},
    {"rename", "ws\\.git", "ws\\git-moved", REPORT, "rename .git away"},
    {"delete", "plain.txt", NULL, REPORT, "delete a file outside"},
};

int rf_win_selftest(const char *self_exe, FILE *out, rf_error *err) {
    const char *wine = rf_win_wine_version();
    wchar_t temp[MAX_PATH], base[MAX_PATH], ws[MAX_PATH], outside[MAX_PATH];
    GetTempPathW(MAX_PATH, temp);
    _snwprintf(base, MAX_PATH, L"%lsrf-selftest-%lu", temp, (unsigned long)GetCurrentProcessId());
    _snwprintf(ws, MAX_PATH, L"%ls\\ws", base);
    _snwprintf(outside, MAX_PATH, L"%ls\\outside", base);
    char *base8 = NULL, *ws8 = NULL, *state8 = NULL;
    rf_win_prepared prep;
    memset(&prep, 0, sizeof prep);
    int failures = 0;
    int rc = make_file(temp, base + wcslen(temp), true, err);
    static const struct {
        const wchar_t *rel;
        bool dir;
    } layout[] = {{L"ws", true},        {L"ws\\src", true},          {L"ws\\src\\a.txt", false},
                  {L"ws\\.git", true},  {L"ws\\.git\\config", false}, {L"outside", true},
                  {L"outside\\data.txt", false}, {L"plain.txt", false}};
    for (size_t i = 0; rc == 0 && i < sizeof layout / sizeof layout[0]; i++)
        rc = make_file(base, layout[i].rel, layout[i].dir, err);
    if (rc == 0)
        rc = grant_everyone(outside, err);
    if (rc == 0)
        rc = rf_win_narrow(base, &base8, err);
    if (rc == 0)
        rc = rf_win_narrow(ws, &ws8, err);
    if (rc == 0) {
        state8 = malloc(strlen(base8) + 16);
        sprintf(state8, "%s\\state.json", base8);
        const char *roots[] = {ws8};
        const char *names[] = {".git", ".codex", ".agents", ".ringfence"};
        rc = rf_win_prepare(roots, 1, names, 4, false, state8, &prep, err);
    }
    if (rc < 0)
        goto out;
    fprintf(out, "ringfence-win selftest: workspace %s, SID %s, %llu ACEs added%s%s\n", ws8,
            prep.sids[0], (unsigned long long)prep.report.added,
            prep.report.warning[0] ? "; warning: " : "", prep.report.warning);
    if (wine)
        fprintf(out, "NOTE: Wine %s does not enforce restricted SIDs or file DACLs; the results "
                     "below prove nothing about the boundary.\n", wine);
    fprintf(out, "%-44s %-9s %-9s %s\n", "check", "expected", "got", "verdict");
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        char p1[MAX_PATH * 3], p2[MAX_PATH * 3];
        snprintf(p1, sizeof p1, "%s\\%s", base8, checks[i].path);
        if (checks[i].path2)
            snprintf(p2, sizeof p2, "%s\\%s", base8, checks[i].path2);
        char *argv[] = {(char *)self_exe, "probe", (char *)checks[i].op, p1,
                        checks[i].path2 ? p2 : NULL, NULL};
        char **envp = (char *[]){"SystemRoot=C:\\Windows", NULL};
        wchar_t sysroot[MAX_PATH];
        char *sysroot8 = NULL, sysenv[MAX_PATH * 3];
        if (GetEnvironmentVariableW(L"SystemRoot", sysroot, MAX_PATH) &&
            rf_win_narrow(sysroot, &sysroot8, NULL) == 0) {
            snprintf(sysenv, sizeof sysenv, "SystemRoot=%s", sysroot8);
            envp[0] = sysenv;
        }
        rf_win_launch l = {argv, envp, base8, prep.token, GetStdHandle(STD_INPUT_HANDLE),
                           GetStdHandle(STD_OUTPUT_HANDLE), GetStdHandle(STD_ERROR_HANDLE)};
        rf_win_child child;
        rf_win_outcome o = {0};
        rf_error sub = {0};
        int r = rf_win_spawn(&l, &child, &sub);
        if (r == 0) {
            r = rf_win_wait(&child, 30000, &o, &sub);
            rf_win_child_close(&child);
        }
        free(sysroot8);
        const char *got = r < 0 ? "error" : o.exit_code == 0 ? "allowed"
                                          : o.exit_code == ERROR_ACCESS_DENIED ? "denied"
                                                                               : "error";
        const char *expected = checks[i].expect == MUST_ALLOW  ? "allowed"
                               : checks[i].expect == MUST_DENY ? "denied"
                                                               : "-";
        bool pass = checks[i].expect == REPORT || strcmp(got, expected) == 0;
        failures += !pass;
        fprintf(out, "%-44s %-9s %-9s %s", checks[i].what, expected, got,
                checks[i].expect == REPORT ? "reported" : pass ? "PASS" : "FAIL");
        if (r < 0)
            fprintf(out, " (%s)", sub.message);
        else if (strcmp(got, "error") == 0)
            fprintf(out, " (Win32 error %lu)", (unsigned long)o.exit_code);
        fputc('\n', out);
    }
    fprintf(out, "%d of %d required checks failed\n", failures,
            (int)(sizeof checks / sizeof checks[0]) - 3);
    report_compat(&prep, base8, out);
out:;
    size_t removed = 0;
    rf_error cleanup_err = {0};
    if (state8 && rf_win_ungrant(ws8, state8, &removed, &cleanup_err) < 0)
        fprintf(out, "selftest cleanup: %s\n", cleanup_err.message);
    rf_win_prepared_free(&prep);
    remove_tree(base);
    free(base8);
    free(ws8);
    free(state8);
    if (rc < 0)
        return rc;
    if (wine)
        return 3;
    return failures ? 1 : 0;
}
