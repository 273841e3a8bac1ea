/* probe_win_test — rf-probe.exe's pure helpers, run under Wine: Win32 errors
 * to outcomes, world paths, and the world file (good and bad).  The probes
 * themselves are exercised by tests/windows/wine_probe_test.sh. */
#include <stdio.h>
#include <string.h>
#include <winsock2.h>

#include "probe/probe_win.h"
#include "tests/check.h"

static const struct {
    DWORD err;
    rf_probe_outcome plain, hidden;
    const char *why;
} verdicts[] = {
    {ERROR_ACCESS_DENIED, RF_OUT_BLOCKED, RF_OUT_BLOCKED, "a DACL or the restricted token"},
    {ERROR_PRIVILEGE_NOT_HELD, RF_OUT_BLOCKED, RF_OUT_BLOCKED, "a privilege the token lacks"},
    {ERROR_WRITE_PROTECT, RF_OUT_BLOCKED, RF_OUT_BLOCKED, "a read-only volume"},
    {ERROR_NETWORK_ACCESS_DENIED, RF_OUT_BLOCKED, RF_OUT_BLOCKED, "SMB refused"},
    {WSAEACCES, RF_OUT_BLOCKED, RF_OUT_BLOCKED, "Winsock: firewall or socket ACL"},
    {ERROR_SHARING_VIOLATION, RF_OUT_ERROR, RF_OUT_ERROR, "another handle, never the sandbox"},
    {ERROR_FILE_NOT_FOUND, RF_OUT_ERROR, RF_OUT_BLOCKED, "hidden only where a sandbox may hide"},
    {ERROR_PATH_NOT_FOUND, RF_OUT_ERROR, RF_OUT_BLOCKED, "hidden only where a sandbox may hide"},
    {ERROR_INVALID_PARAMETER, RF_OUT_ERROR, RF_OUT_BLOCKED, "OpenProcess of an unseen pid"},
    {ERROR_NOT_SUPPORTED, RF_OUT_ERROR, RF_OUT_ERROR, "a broken probe, not a refusal"},
    {WSAECONNREFUSED, RF_OUT_ERROR, RF_OUT_ERROR, "nobody listens: the world's fault"},
};

static void test_verdicts(void) {
    for (size_t i = 0; i < sizeof verdicts / sizeof verdicts[0]; i++) {
        rf_probe_result r = {0}, h = {0};
        rf_probe_failed(&r, (int)verdicts[i].err, "op");
        rf_probe_failed_hidden(&h, (int)verdicts[i].err, "op");
        CHECK(r.outcome == verdicts[i].plain, "error %lu: %s (got %s)",
              (unsigned long)verdicts[i].err, verdicts[i].why, rf_probe_outcome_name(r.outcome));
        CHECK(h.outcome == verdicts[i].hidden, "error %lu hidden: %s (got %s)",
              (unsigned long)verdicts[i].err, verdicts[i].why, rf_probe_outcome_name(h.outcome));
        CHECK(r.err == (int)verdicts[i].err, "the result carries the Win32 error %lu",
              (unsigned long)verdicts[i].err);
        CHECK(strncmp(r.detail, "op: ", 4) == 0 && !strchr(r.detail, '\n'),
              "the detail names the operation on one line: '%s'", r.detail);
    }
    CHECK(strcmp(rf_probe_win_error_name(ERROR_ACCESS_DENIED), "ERROR_ACCESS_DENIED") == 0,
          "error 5 is named");
}

static void test_paths(void) {
    rf_probe_world w;
    memset(&w, 0, sizeof w);
    snprintf(w.root, sizeof w.root, "C:\\Temp\\rf-probe-x");
    char buf[64];
    CHECK(rf_probe_path(&w, "ws/.git/config", buf, sizeof buf) &&
              strcmp(buf, "C:\\Temp\\rf-probe-x\\ws\\.git\\config") == 0,
          "layout paths become Windows paths: %s", buf);
    CHECK(!rf_probe_path(&w, "a/very/long/relative/path/that/does/not/fit/in/the/buffer", buf,
                         sizeof buf),
          "a path that does not fit is refused");
    wchar_t wbuf[64];
    CHECK(rf_probe_wpath(&w, "outside/x.txt", wbuf, 64) &&
              wcscmp(wbuf, L"C:\\Temp\\rf-probe-x\\outside\\x.txt") == 0,
          "wide paths too");
}

static const char good_world[] =
    "{\"root\":\"C:\\\\w\",\"nonce\":\"0123456789abcdef0123\",\"tcp_port\":1,\"udp_port\":2,"
    "\"ssh_port\":3,\"pipe\":\"\\\\\\\\.\\\\pipe\\\\p\",\"target_pid\":42,\"target_addr\":\"7ff0\","
    "\"target_len\":16,\"target_handle\":\"1a4\",\"curl\":\"\",\"git\":\"\",\"ssh\":\"\"}";

static const struct {
    const char *text;
    bool ok;
    const char *why;
} worlds[] = {
    {good_world, true, "a complete world"},
    {"{\"root\":\"C:\\\\w\"}", false, "fields missing"},
    {"[1,2]", false, "not an object"},
    {"{\"root\":\"C:\\\\w\",\"nonce\":\"ab\",\"tcp_port\":1,\"udp_port\":2,\"ssh_port\":3,"
     "\"pipe\":\"p\",\"target_pid\":42,\"target_addr\":\"7ff0\",\"target_len\":16,"
     "\"target_handle\":\"1a4\"}",
     false, "target_len longer than the nonce"},
    {"{\"root\":\"C:\\\\w\",\"nonce\":\"0123456789abcdef0123\",\"tcp_port\":\"1\"}", false,
     "a port that is a string"},
};

static void test_world_file(void) {
    wchar_t dir[MAX_PATH];
    char path[MAX_PATH * 2], dir8[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    WideCharToMultiByte(CP_UTF8, 0, dir, -1, dir8, sizeof dir8, NULL, NULL);
    snprintf(path, sizeof path, "%srf-probe-win-test-%lu.json", dir8,
             (unsigned long)GetCurrentProcessId());
    wchar_t wpath[MAX_PATH * 2];
    rf_probe_widen(path, wpath, MAX_PATH * 2);
    for (size_t i = 0; i < sizeof worlds / sizeof worlds[0]; i++) {
        CHECK(rf_probe_win_write(wpath, CREATE_ALWAYS, false, worlds[i].text) == 0,
              "write the test world file");
        rf_probe_world w;
        char why[512] = "";
        int rc = rf_probe_world_load(path, &w, why, sizeof why);
        CHECK((rc == 0) == worlds[i].ok, "%s: rc %d (%s)", worlds[i].why, rc, why);
        if (worlds[i].ok)
            CHECK(w.target_pid == 42 && w.target_addr == 0x7ff0 && w.target_handle == 0x1a4 &&
                      w.ssh_port == 3 && strcmp(w.pipe, "\\\\.\\pipe\\p") == 0,
                  "%s: the fields arrive", worlds[i].why);
        else
            CHECK(why[0] != '\0', "%s: says why", worlds[i].why);
    }
    DeleteFileW(wpath);
    rf_probe_world w;
    char why[512] = "";
    CHECK(rf_probe_world_load("C:\\no\\such\\world.json", &w, why, sizeof why) < 0 &&
              strstr(why, "world.json"),
          "a missing world file is named: %s", why);
}

static void test_table(void) {
    size_t n;
    const rf_probe *p = rf_probes(&n);
    CHECK(n >= 40, "the Windows suite has %zu probes; the issue asks for at least 40", n);
    size_t controls = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK(rf_probe_find(p[i].id) == &p[i], "%s: the id is unique", p[i].id);
        CHECK(p[i].run && p[i].description && p[i].description[0], "%s: function and text",
              p[i].id);
        controls += p[i].kind == RF_KIND_CONTROL;
    }
    CHECK(controls >= 4, "control probes catch over-confinement (%zu)", controls);
}

int wmain(void) {
    test_verdicts();
    test_paths();
    test_world_file();
    test_table();
    return check_summary("probe_win");
}
