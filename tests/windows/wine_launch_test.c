/*
 * wine_launch_test.c — the Windows backend's process plumbing, run under Wine
 * on Linux (and as is on Windows): exit codes, argv round trip through the C
 * runtime, the environment block, the job killing a grandchild, timeouts,
 * batch stubs, program lookup, and starting with the write-restricted token.
 *
 * Under Wine this shows the plumbing works.  It shows nothing about the
 * boundary: Wine does not enforce restricted SIDs or file DACLs, so the
 * restricted token "works" there without restricting anything.
 *
 * Usage: wine_launch_test.exe <path of win_helper.exe>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/win32.h"

#include <aclapi.h>
#include <sddl.h>
#include "tests/check.h"

static char *helper;    /* UTF-8 path of win_helper.exe */
static char *tmpdir;    /* a scratch folder */
static char **base_env; /* the test's own environment, UTF-8 */

static char **env_with(const char *const *extra) {
    size_t n = 0, m = 0;
    while (base_env[n])
        n++;
    while (extra && extra[m])
        m++;
    char **env = calloc(n + m + 1, sizeof *env);
    memcpy(env, base_env, n * sizeof *env);
    for (size_t i = 0; i < m; i++)
        env[n + i] = (char *)extra[i];
    return env;
}

/* Runs argv with the given environment; captures stdout. */
static int run(char *const *argv, char **env, HANDLE token, DWORD timeout, rf_win_outcome *out,
               char *output, size_t out_size, rf_error *err) {
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE rd = NULL, wr = NULL;
    if (!CreatePipe(&rd, &wr, &sa, 0))
        return rf_win_fail(err, GetLastError(), "CreatePipe");
    SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
    rf_win_launch l = {argv, env, NULL, token, GetStdHandle(STD_INPUT_HANDLE), wr,
                       GetStdHandle(STD_ERROR_HANDLE)};
    rf_win_child child;
    int rc = rf_win_spawn(&l, &child, err);
    CloseHandle(wr);
    if (rc == 0) {
        rc = rf_win_wait(&child, timeout, out, err);
        rf_win_child_close(&child);
    }
    size_t len = 0;
    DWORD got;
    while (len + 1 < out_size && ReadFile(rd, output + len, (DWORD)(out_size - 1 - len), &got, NULL) &&
           got > 0)
        len += got;
    output[len] = '\0';
    CloseHandle(rd);
    return rc;
}

static void hex_of(const char *s, char *out) {
    for (; *s; s++, out += 2)
        sprintf(out, "%02x", (unsigned char)*s);
    *out = '\0';
}

static void test_exit_codes(void) {
    static const char *const codes[] = {"0", "1", "42", "255", "3221225477"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        char *argv[] = {helper, "exit", (char *)codes[i], NULL};
        rf_win_outcome o;
        rf_error err = {0};
        char out[64];
        char **env = env_with(NULL);
        CHECK(run(argv, env, NULL, 10000, &o, out, sizeof out, &err) == 0, "%s", err.message);
        CHECK(o.exit_code == strtoul(codes[i], NULL, 10) && !o.timed_out, "exit %s: got %lu",
              codes[i], (unsigned long)o.exit_code);
        free(env);
    }
}

static void test_argv(void) {
    static const char *const args[] = {
        "plain", "", "two words", "quote\"inside", "C:\\dir\\", "tail\\\\", "\\\"",
        "tab\there", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "a\\\\\"b", NULL};
    char *argv[16] = {helper, "argv"};
    size_t n = 0;
    for (; args[n]; n++)
        argv[2 + n] = (char *)args[n];
    argv[2 + n] = NULL;
    rf_win_outcome o;
    rf_error err = {0};
    char out[4096], want[4096] = "", line[512];
    char **env = env_with(NULL);
    CHECK(run(argv, env, NULL, 10000, &o, out, sizeof out, &err) == 0, "%s", err.message);
    for (size_t i = 0; i < n; i++) {
        hex_of(args[i], line);
        strcat(want, line);
        strcat(want, "\r\n");
    }
    CHECK_STR_EQ(out, want, "argv survives quoting and the C runtime's parsing");
    free(env);
}

static void test_env(void) {
    static const struct {
        const char *extra[3];
        const char *name, *want;
        const char *reason;
    } cases[] = {
        {{"RF_TEST_VALUE=hello world", NULL}, "RF_TEST_VALUE", "hello world", "plain value"},
        {{"RF_TEST_UNI=\xe2\x82\xac", NULL}, "RF_TEST_UNI", "\xe2\x82\xac", "UTF-16 value"},
        {{"rf_case=old", "RF_CASE=new", NULL}, "Rf_Case", "new",
         "names are one variable without regard to case; the later wins"},
        {{"RF_EQ=a=b", NULL}, "RF_EQ", "a=b", "'=' inside the value"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char **env = env_with(cases[i].extra);
        char *argv[] = {helper, "env", (char *)cases[i].name, NULL};
        rf_win_outcome o;
        rf_error err = {0};
        char out[512], want[512];
        CHECK(run(argv, env, NULL, 10000, &o, out, sizeof out, &err) == 0, "%s", err.message);
        hex_of(cases[i].want, want);
        strcat(want, "\r\n");
        CHECK_STR_EQ(out, want, "%s", cases[i].reason);
        free(env);
    }
}

static void test_job_kills_grandchild(void) {
    char *argv[] = {helper, "spawn-grandchild", NULL};
    rf_win_outcome o;
    rf_error err = {0};
    char out[64];
    char **env = env_with(NULL);
    CHECK(run(argv, env, NULL, 10000, &o, out, sizeof out, &err) == 0, "%s", err.message);
    DWORD pid = (DWORD)strtoul(out, NULL, 10);
    CHECK(pid != 0 && o.exit_code == 0, "the child reported its grandchild (%s)", out);
    HANDLE g = pid ? OpenProcess(SYNCHRONIZE, FALSE, pid) : NULL;
    /* Gone already, or ends within 5 s: the job took it down. */
    CHECK(!g || WaitForSingleObject(g, 5000) == WAIT_OBJECT_0,
          "grandchild %lu ended with the run", (unsigned long)pid);
    if (g)
        CloseHandle(g);
    free(env);
}

static volatile LONG ctrl_c_seen;

static BOOL WINAPI note_ctrl_c(DWORD event) {
    if (event != CTRL_C_EVENT)
        return FALSE;
    ctrl_c_seen = 1;
    return TRUE; /* the test itself keeps running */
}

static DWORD WINAPI send_ctrl_c(LPVOID arg) {
    (void)arg;
    Sleep(1500);
    GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
    return 0;
}

/* Ctrl-C at the console reaches the command (same console, same process
 * group) while ringfence, waiting, stays alive to report its exit code. */
static void test_ctrl_c(void) {
    /* ERROR_ACCESS_DENIED from AttachConsole: attached to one already. */
    if (!AttachConsole(ATTACH_PARENT_PROCESS) && GetLastError() != ERROR_ACCESS_DENIED &&
        !AllocConsole()) {
        CHECK(0, "no console to send Ctrl-C through (error %lu)", (unsigned long)GetLastError());
        return;
    }
    /* Does this console deliver control events at all?  Wine's headless
     * console does not; then there is nothing to check. */
    SetConsoleCtrlHandler(note_ctrl_c, TRUE);
    GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
    for (int i = 0; i < 20 && !ctrl_c_seen; i++)
        Sleep(50);
    if (!ctrl_c_seen) {
        printf("SKIP Ctrl-C forwarding: this console delivers no control events%s\n",
               rf_win_wine_version() ? " (Wine without a terminal)" : "");
        return;
    }
    char *argv[] = {helper, "wait-ctrl-c", NULL};
    rf_win_outcome o;
    rf_error err = {0};
    char out[64];
    char **env = env_with(NULL);
    HANDLE t = CreateThread(NULL, 0, send_ctrl_c, NULL, 0, NULL);
    CHECK(run(argv, env, NULL, 15000, &o, out, sizeof out, &err) == 0, "%s", err.message);
    CHECK(o.exit_code == 42 && !o.timed_out, "Ctrl-C reached the command (exit %lu%s)",
          (unsigned long)o.exit_code, o.timed_out ? ", timed out" : "");
    if (t) {
        WaitForSingleObject(t, INFINITE);
        CloseHandle(t);
    }
    free(env);
}

static void test_timeout(void) {
    char *argv[] = {helper, "sleep", "60000", NULL};
    rf_win_outcome o;
    rf_error err = {0};
    char out[64];
    char **env = env_with(NULL);
    ULONGLONG start = GetTickCount64();
    CHECK(run(argv, env, NULL, 300, &o, out, sizeof out, &err) == 0, "%s", err.message);
    ULONGLONG ms = GetTickCount64() - start;
    CHECK(o.timed_out && ms < 10000, "a 300 ms timeout ends a 60 s sleep (took %llu ms)",
          (unsigned long long)ms);
    free(env);
}

static void test_lookup_and_batch(void) {
    /* A denybin-style stub: ssh.cmd in a folder put first on PATH. */
    char stub[MAX_PATH * 2];
    snprintf(stub, sizeof stub, "%s\\ssh.cmd", tmpdir);
    FILE *f = fopen(stub, "wb");
    CHECK(f != NULL, "create %s", stub);
    if (!f)
        return;
    fputs("@echo ringfence: network is off by policy (ssh blocked) 1>&2\r\n@exit /b 1\r\n", f);
    fclose(f);
    char path_var[MAX_PATH * 2 + 16];
    snprintf(path_var, sizeof path_var, "PATH=%s", tmpdir);
    const char *extra[] = {path_var, "PATHEXT=.COM;.EXE;.BAT;.CMD", NULL};
    char **env = env_with(extra);
    char *found = NULL;
    rf_error err = {0};
    CHECK(rf_win_find_program("ssh", env, &found, &err) == 0 && found &&
              _stricmp(found, stub) == 0,
          "ssh resolves to the stub through PATH and PATHEXT (%s)", found ? found : err.message);
    free(found);
    CHECK(rf_win_find_program("surely-not-a-program-here", env, &found, &err) ==
                  -(int)ERROR_FILE_NOT_FOUND &&
              strstr(err.message, "not found"),
          "a missing program is reported as not found");
    char *argv[] = {"ssh", "example.org", NULL};
    rf_win_outcome o;
    char out[256];
    CHECK(run(argv, env, NULL, 20000, &o, out, sizeof out, &err) == 0, "%s", err.message);
    CHECK(o.exit_code == 1, "the ssh stub exits 1 at once (got %lu)", (unsigned long)o.exit_code);
    char *inject[] = {"ssh", "a\"&calc", NULL};
    CHECK(run(inject, env, NULL, 20000, &o, out, sizeof out, &err) < 0 &&
              strstr(err.message, "cmd.exe would interpret"),
          "a batch argument cmd.exe would misread is refused");
    free(env);
}

static void test_restricted_token(void) {
    const char *sids[] = {"S-1-5-21-1357-2468-3579-4680"};
    HANDLE token = NULL;
    rf_error err = {0};
    int rc = rf_win_token_create(sids, 1, &token, &err);
    CHECK(rc == 0 && token, "create the write-restricted token: %s", err.message);
    const char *shared[] = {"S-1-1-0"};
    HANDLE bad = NULL;
    CHECK(rf_win_token_create(shared, 1, &bad, &err) < 0 && !bad &&
              strstr(err.message, "not a synthetic"),
          "Everyone as a restricting SID is refused (#17551)");
    if (!token)
        return;
    char *argv[] = {helper, "exit", "7", NULL};
    rf_win_outcome o;
    char out[64];
    char **env = env_with(NULL);
    CHECK(run(argv, env, token, 10000, &o, out, sizeof out, &err) == 0 && o.exit_code == 7,
          "a command starts under the restricted token and its exit code comes back: %s",
          err.message);
    CloseHandle(token);
    free(env);
}

/* The "skip ACEs already present" check on in-memory ACLs (which Wine
 * builds faithfully; it does not keep DACLs on files). */
static void test_acl_has_ace(void) {
    PSID mine = NULL, other = NULL;
    CHECK(ConvertStringSidToSidW(L"S-1-5-21-11-12-13-14", &mine) &&
              ConvertStringSidToSidW(L"S-1-5-21-21-22-23-24", &other),
          "convert test SIDs");
    if (!mine || !other)
        return;
    EXPLICIT_ACCESS_W ea[2];
    memset(ea, 0, sizeof ea);
    ea[0].grfAccessPermissions = RF_ROOT_ALLOW_MASK;
    ea[0].grfAccessMode = GRANT_ACCESS;
    ea[0].grfInheritance = RF_OBJECT_INHERIT | RF_CONTAINER_INHERIT;
    ea[0].Trustee.TrusteeForm = TRUSTEE_IS_SID;
    ea[0].Trustee.ptstrName = (LPWSTR)mine;
    ea[1] = ea[0];
    ea[1].grfAccessPermissions = RF_PROTECTED_DENY_MASK;
    ea[1].grfAccessMode = DENY_ACCESS;
    ea[1].Trustee.ptstrName = (LPWSTR)other;
    PACL acl = NULL;
    CHECK(SetEntriesInAclW(2, ea, NULL, &acl) == ERROR_SUCCESS && acl, "build an ACL");
    static const struct {
        rf_ace_type type;
        uint32_t mask, inherit;
        bool mine, want;
        const char *reason;
    } cases[] = {
        {RF_ACE_ALLOW, RF_ROOT_ALLOW_MASK, 3, true, true, "the same allow ACE is present"},
        {RF_ACE_ALLOW, RF_FILE_GENERIC_READ, 3, true, true, "a subset of its rights is present"},
        {RF_ACE_ALLOW, RF_ROOT_ALLOW_MASK | RF_WRITE_DAC, 3, true, false, "more rights are not"},
        {RF_ACE_ALLOW, RF_ROOT_ALLOW_MASK, 0, true, false, "other inheritance is not"},
        {RF_ACE_ALLOW, RF_ROOT_ALLOW_MASK, 3, false, false, "another SID is not"},
        {RF_ACE_DENY, RF_PROTECTED_DENY_MASK, 3, false, true, "the deny ACE is present"},
        {RF_ACE_DENY, RF_PROTECTED_DENY_MASK, 3, true, false, "a deny for the allowed SID is not"},
    };
    for (size_t i = 0; acl && i < sizeof cases / sizeof cases[0]; i++) {
        rf_ace want = {.type = cases[i].type, .mask = cases[i].mask, .inherit = cases[i].inherit};
        CHECK(rf_win_acl_has_ace(acl, &want, cases[i].mine ? mine : other) == cases[i].want, "%s",
              cases[i].reason);
    }
    if (acl)
        LocalFree(acl);
    LocalFree(mine);
    LocalFree(other);
}

int wmain(int argc, wchar_t **wargv) {
    const char *wine = rf_win_wine_version();
    if (wine)
        printf("NOTE: running under Wine %s. Wine does not enforce restricted SIDs or file "
               "DACLs: these results show the process plumbing only, never that the "
               "boundary holds.\n",
               wine);
    if (argc != 2) {
        fprintf(stderr, "usage: wine_launch_test.exe <win_helper.exe>\n");
        return 2;
    }
    rf_win_narrow(wargv[1], &helper, NULL);
    wchar_t wtmp[MAX_PATH];
    GetTempPathW(MAX_PATH, wtmp);
    wcscat(wtmp, L"rf-wine-test");
    CreateDirectoryW(wtmp, NULL);
    rf_win_narrow(wtmp, &tmpdir, NULL);

    wchar_t *block = GetEnvironmentStringsW();
    size_t n = 0;
    for (wchar_t *p = block; *p; p += wcslen(p) + 1)
        n++;
    base_env = calloc(n + 1, sizeof *base_env);
    n = 0;
    for (wchar_t *p = block; *p; p += wcslen(p) + 1)
        if (p[0] != L'=') /* drop the per-drive cwd entries */
            rf_win_narrow(p, &base_env[n++], NULL);
    FreeEnvironmentStringsW(block);

    test_acl_has_ace();
    test_exit_codes();
    test_argv();
    test_env();
    test_job_kills_grandchild();
    test_timeout();
    test_ctrl_c();
    test_lookup_and_batch();
    test_restricted_token();
    return check_summary("wine_launch_test");
}
