/* world_win.c — building, resetting and tearing down the Windows probe world (world_win.h). */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "probe/world_win.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "backends/windows/cmdline.h"
#include "backends/windows/win32.h"
#include "core/error.h"
#include "probe/probe_win.h"
#include "probe/spawn_win.h"
#include "probe/world_layout.h"

struct rf_wworld {
    char root[MAX_PATH];
    char file[MAX_PATH + 32];
    char appdata[MAX_PATH + 32];
    char nonce[40];
    char pipe[256];
    SOCKET tcp, udp, ssh;
    int tcp_port, udp_port, ssh_port;
    HANDLE threads[4];
    volatile LONG stopping;
    HANDLE target, target_job;
    unsigned long long target_addr, target_handle;
    DWORD target_pid;
    char curl[512], git[512], ssh_tool[512];
};

/* ---- files ---------------------------------------------------------------- */

static int wpath(const rf_wworld *w, const char *rel, wchar_t *buf, size_t len, rf_error *err) {
    char path[MAX_PATH * 2];
    int n = snprintf(path, sizeof path, "%s\\%s", w->root, rel);
    for (char *c = path; *c; c++)
        if (*c == '/')
            *c = '\\';
    if (n <= 0 || (size_t)n >= sizeof path || !rf_probe_widen(path, buf, len))
        return rf_fail(err, -(int)ERROR_FILENAME_EXCED_RANGE, "world: path too long: %s", rel);
    return 0;
}

static int mkdir_rel(const rf_wworld *w, const char *rel, rf_error *err) {
    wchar_t path[RF_WPATH];
    int rc = wpath(w, rel, path, RF_WPATH, err);
    if (rc < 0)
        return rc;
    if (!CreateDirectoryW(path, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
        return rf_win_fail(err, GetLastError(), "world: create the folder %s\\%s", w->root, rel);
    return 0;
}

static int write_rel(const rf_wworld *w, const char *rel, const char *content, rf_error *err) {
    wchar_t path[RF_WPATH];
    int rc = wpath(w, rel, path, RF_WPATH, err);
    if (rc < 0)
        return rc;
    DWORD e = rf_probe_win_write(path, CREATE_ALWAYS, false, content);
    if (e)
        return rf_win_fail(err, e, "world: write %s\\%s", w->root, rel);
    return 0;
}

unsigned long rf_wworld_remove_tree(const wchar_t *path) {
    DWORD attrs = GetFileAttributesW(path);
    if (attrs == INVALID_FILE_ATTRIBUTES)
        return GetLastError() == ERROR_FILE_NOT_FOUND || GetLastError() == ERROR_PATH_NOT_FOUND
                   ? 0
                   : GetLastError();
    if (attrs & FILE_ATTRIBUTE_READONLY)
        SetFileAttributesW(path, attrs & ~(DWORD)FILE_ATTRIBUTE_READONLY);
    /* A junction or symlink is removed as itself: following it would delete
     * its target (a junction in the workspace may point anywhere). */
    if (!(attrs & FILE_ATTRIBUTE_DIRECTORY))
        return DeleteFileW(path) ? 0 : GetLastError();
    DWORD first = 0;
    if (!(attrs & FILE_ATTRIBUTE_REPARSE_POINT)) {
        size_t len = wcslen(path);
        wchar_t *pattern = malloc((len + 3) * sizeof *pattern);
        if (!pattern)
            return ERROR_OUTOFMEMORY;
        _snwprintf(pattern, len + 3, L"%ls\\*", path);
        pattern[len + 2] = L'\0';
        WIN32_FIND_DATAW fd;
        HANDLE h = FindFirstFileW(pattern, &fd);
        free(pattern);
        for (BOOL more = h != INVALID_HANDLE_VALUE; more; more = FindNextFileW(h, &fd)) {
            if (wcscmp(fd.cFileName, L".") == 0 || wcscmp(fd.cFileName, L"..") == 0)
                continue;
            size_t clen = len + 1 + wcslen(fd.cFileName) + 1;
            wchar_t *child = malloc(clen * sizeof *child);
            if (!child)
                continue;
            _snwprintf(child, clen, L"%ls\\%ls", path, fd.cFileName);
            child[clen - 1] = L'\0';
            DWORD e = rf_wworld_remove_tree(child);
            if (e && !first)
                first = e;
            free(child);
        }
        if (h != INVALID_HANDLE_VALUE)
            FindClose(h);
    }
    if (!RemoveDirectoryW(path) && !first)
        first = GetLastError();
    return first;
}

static int remove_rel(const rf_wworld *w, const char *rel, rf_error *err) {
    wchar_t path[RF_WPATH];
    int rc = wpath(w, rel, path, RF_WPATH, err);
    if (rc < 0)
        return rc;
    DWORD e = rf_wworld_remove_tree(path);
    if (e)
        return rf_win_fail(err, e, "world: remove %s\\%s", w->root, rel);
    return 0;
}

static const char *const reset_roots[] = {RF_W_WS, RF_W_NOGIT, RF_W_EXTRA, RF_W_OUTSIDE,
                                          RF_W_SECRET_DIR};

static const char *const fixture_dirs[] = {
    RF_W_WS,          RF_W_WS_GIT,        RF_W_WS_GIT "/hooks", RF_W_WS_CODEX,
    RF_W_WS_RINGFENCE, RF_W_WS_DECOY,     RF_W_NOGIT,           RF_W_EXTRA,
    RF_W_EXTRA "/.git", RF_W_OUTSIDE,     RF_W_OUT_RMDIR,       RF_W_OUT_JUNCTION_DIR,
    RF_W_SECRET_DIR,
};

static const char *const fixture_files[] = {
    RF_W_WS_FILE,          RF_W_WS_GIT_DESCRIPTION, RF_W_WS_CODEX_CONFIG,  RF_W_EXTRA_GIT_CONFIG,
    RF_W_OUT_APPEND,       RF_W_OUT_TRUNCATE,       RF_W_OUT_OVERWRITE,    RF_W_OUT_RENAME,
    RF_W_OUT_UNLINK,       RF_W_OUT_CHMOD,          RF_W_OUT_UTIME,        RF_W_OUT_SYMLINK_TARGET,
    RF_W_OUT_HARDLINK_SRC, RF_W_OUT_RENAME_IN,      RF_W_OUT_ADS,          RF_W_OUT_LONG_PREFIX,
    RF_W_OUT_SHORT_NAME,   RF_W_OUT_DACL,
};

int rf_wworld_reset(rf_wworld *w, rf_error *err) {
    int rc;
    for (size_t i = 0; i < sizeof reset_roots / sizeof reset_roots[0]; i++)
        if ((rc = remove_rel(w, reset_roots[i], err)) < 0)
            return rc;
    for (size_t i = 0; i < sizeof fixture_dirs / sizeof fixture_dirs[0]; i++)
        if ((rc = mkdir_rel(w, fixture_dirs[i], err)) < 0)
            return rc;
    for (size_t i = 0; i < sizeof fixture_files / sizeof fixture_files[0]; i++)
        if ((rc = write_rel(w, fixture_files[i], "fixture: rf-probe\n", err)) < 0)
            return rc;
    char secret[128];
    snprintf(secret, sizeof secret, "token=%s\n", w->nonce);
    if ((rc = write_rel(w, RF_W_WS_GIT_CONFIG, "[core]\n\tbare = false\n", err)) < 0 ||
        (rc = write_rel(w, RF_W_SECRET_FILE, secret, err)) < 0)
        return rc;
    return 0;
}

/* ---- listeners ------------------------------------------------------------- */

static SOCKET listen_loopback(int type, int *port, rf_error *err) {
    SOCKET s = socket(AF_INET, type, 0);
    if (s == INVALID_SOCKET) {
        rf_win_fail(err, (DWORD)WSAGetLastError(), "world: socket");
        return s;
    }
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int len = sizeof a;
    if (bind(s, (struct sockaddr *)&a, sizeof a) == SOCKET_ERROR ||
        (type == SOCK_STREAM && listen(s, 16) == SOCKET_ERROR) ||
        getsockname(s, (struct sockaddr *)&a, &len) == SOCKET_ERROR) {
        rf_win_fail(err, (DWORD)WSAGetLastError(), "world: bind a loopback listener");
        closesocket(s);
        return INVALID_SOCKET;
    }
    *port = ntohs(a.sin_port);
    /* Winsock sockets are inheritable by default: keep the listeners out of
     * every process the driver starts. */
    SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0);
    return s;
}

/* HTTP: logs the request line (git's probe looks for its token), answers the nonce. */
static DWORD WINAPI serve_http(LPVOID arg) {
    rf_wworld *w = arg;
    for (;;) {
        SOCKET c = accept(w->tcp, NULL, NULL);
        if (c == INVALID_SOCKET) {
            if (w->stopping)
                return 0;
            continue;
        }
        DWORD ms = 5000;
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof ms);
        char req[4096];
        int got = 0, n;
        while (got < (int)sizeof req - 1 && (n = recv(c, req + got, (int)sizeof req - 1 - got, 0)) > 0) {
            got += n;
            req[got] = '\0';
            if (strstr(req, "\r\n\r\n"))
                break;
        }
        req[got] = '\0';
        char *eol = strstr(req, "\r\n");
        if (eol)
            *eol = '\0';
        wchar_t log[RF_WPATH];
        if (wpath(w, RF_W_HTTP_HITS, log, RF_WPATH, NULL) == 0) {
            char line[4200];
            snprintf(line, sizeof line, "%s\n", req);
            rf_probe_win_write(log, OPEN_ALWAYS, true, line);
        }
        char reply[256];
        int len = snprintf(reply, sizeof reply,
                           "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %u\r\n\r\n%s\n",
                           (unsigned)strlen(w->nonce) + 1, w->nonce);
        send(c, reply, len, 0);
        shutdown(c, SD_SEND);
        closesocket(c);
    }
}

static DWORD WINAPI serve_udp(LPVOID arg) {
    rf_wworld *w = arg;
    for (;;) {
        char buf[1500];
        struct sockaddr_in from;
        int flen = sizeof from;
        int n = recvfrom(w->udp, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
        if (n == SOCKET_ERROR) {
            if (w->stopping)
                return 0;
            continue;
        }
        sendto(w->udp, w->nonce, (int)strlen(w->nonce), 0, (struct sockaddr *)&from, flen);
    }
}

/* An ssh server's first words: ssh -v prints the remote software version. */
static DWORD WINAPI serve_ssh(LPVOID arg) {
    rf_wworld *w = arg;
    for (;;) {
        SOCKET c = accept(w->ssh, NULL, NULL);
        if (c == INVALID_SOCKET) {
            if (w->stopping)
                return 0;
            continue;
        }
        char banner[128], buf[512];
        int len = snprintf(banner, sizeof banner, "SSH-2.0-rfprobe_%s\r\n", w->nonce);
        send(c, banner, len, 0);
        DWORD ms = 3000;
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof ms);
        recv(c, buf, sizeof buf, 0);
        closesocket(c);
    }
}

/* The docker_engine stand-in: whoever connects reads the nonce. */
static DWORD WINAPI serve_pipe(LPVOID arg) {
    rf_wworld *w = arg;
    wchar_t name[300];
    if (!rf_probe_widen(w->pipe, name, 300))
        return 1;
    while (!w->stopping) {
        HANDLE p = CreateNamedPipeW(name, PIPE_ACCESS_OUTBOUND, PIPE_TYPE_BYTE | PIPE_WAIT,
                                    PIPE_UNLIMITED_INSTANCES, 4096, 4096, 0, NULL);
        if (p == INVALID_HANDLE_VALUE)
            return GetLastError();
        if (ConnectNamedPipe(p, NULL) || GetLastError() == ERROR_PIPE_CONNECTED) {
            DWORD n;
            if (!w->stopping)
                WriteFile(p, w->nonce, (DWORD)strlen(w->nonce), &n, NULL);
            FlushFileBuffers(p);
            DisconnectNamedPipe(p);
        }
        CloseHandle(p);
    }
    return 0;
}

/* ---- the target process --------------------------------------------------- */

int rf_wworld_target_main(const char *nonce, const char *held) {
    static char secret[64];
    snprintf(secret, sizeof secret, "%s", nonce);
    wchar_t wheld[RF_WPATH];
    if (!rf_probe_widen(held, wheld, RF_WPATH))
        return 2;
    HANDLE h = CreateFileW(wheld, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_ALWAYS, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "rf-probe --target: open %s: error %lu\n", held,
                (unsigned long)GetLastError());
        return 1;
    }
    printf("addr=%llx handle=%llx\n", (unsigned long long)(uintptr_t)secret,
           (unsigned long long)(uintptr_t)h);
    fflush(stdout);
    /* Ended by the world (TerminateProcess, or its job closing). */
    for (;;)
        Sleep(INFINITE);
}

static int start_target(rf_wworld *w, const char *self, rf_error *err) {
    char held[MAX_PATH * 2];
    snprintf(held, sizeof held, "%s\\%s", w->root, RF_W_OUT_HELD);
    for (char *c = held; *c; c++)
        if (*c == '/')
            *c = '\\';
    char *cmdline = NULL;
    char *argv[] = {(char *)self, "--target", w->nonce, held, NULL};
    wchar_t *wline = NULL, *wapp = NULL;
    if (rf_cmdline_quote(argv, 4, &cmdline, err) < 0 || rf_win_wide(cmdline, &wline, err) < 0 ||
        rf_win_wide(self, &wapp, err) < 0) {
        free(cmdline);
        free(wline);
        return err->code ? err->code : -1;
    }
    free(cmdline);
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE rd, wr;
    if (!CreatePipe(&rd, &wr, &inherit, 4096)) {
        free(wline);
        free(wapp);
        return rf_win_fail(err, GetLastError(), "world: pipe for the target");
    }
    SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOW si = {.cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES};
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = wr;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessW(wapp, wline, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, &si, &pi);
    DWORD e = GetLastError();
    free(wline);
    free(wapp);
    CloseHandle(wr);
    if (!ok) {
        CloseHandle(rd);
        return rf_win_fail(err, e, "world: start the target %s --target", self);
    }
    /* The world's job ends the target should the driver itself die. */
    w->target_job = CreateJobObjectW(NULL, NULL);
    if (w->target_job) {
        JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim = {0};
        lim.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        SetInformationJobObject(w->target_job, JobObjectExtendedLimitInformation, &lim, sizeof lim);
        AssignProcessToJobObject(w->target_job, pi.hProcess);
    }
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    w->target = pi.hProcess;
    w->target_pid = pi.dwProcessId;
    char line[128] = "";
    DWORD n = 0, got = 0;
    while (got < sizeof line - 1 && ReadFile(rd, line + got, 1, &n, NULL) && n == 1 &&
           line[got] != '\n')
        got++;
    line[got] = '\0';
    CloseHandle(rd);
    if (sscanf(line, "addr=%llx handle=%llx", &w->target_addr, &w->target_handle) != 2)
        return rf_fail(err, RF_EINTERNAL, "world: the target said '%s', not its address", line);
    return 0;
}

/* ---- the world file -------------------------------------------------------- */

static void find_tool(const wchar_t *name, char *out, size_t len) {
    wchar_t path[MAX_PATH];
    out[0] = '\0';
    DWORD n = SearchPathW(NULL, name, L".exe", MAX_PATH, path, NULL);
    if (n == 0 || n >= MAX_PATH)
        return;
    WideCharToMultiByte(CP_UTF8, 0, path, -1, out, (int)len, NULL, NULL);
}

static int write_world_file(rf_wworld *w, rf_error *err) {
    char addr[32], handle[32];
    snprintf(addr, sizeof addr, "%llx", w->target_addr);
    snprintf(handle, sizeof handle, "%llx", w->target_handle);
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddStringToObject(o, "root", w->root) &&
              cJSON_AddStringToObject(o, "nonce", w->nonce) &&
              cJSON_AddNumberToObject(o, "tcp_port", w->tcp_port) &&
              cJSON_AddNumberToObject(o, "udp_port", w->udp_port) &&
              cJSON_AddNumberToObject(o, "ssh_port", w->ssh_port) &&
              cJSON_AddStringToObject(o, "pipe", w->pipe) &&
              cJSON_AddNumberToObject(o, "target_pid", w->target_pid) &&
              cJSON_AddStringToObject(o, "target_addr", addr) &&
              cJSON_AddNumberToObject(o, "target_len", 16) &&
              cJSON_AddStringToObject(o, "target_handle", handle) &&
              cJSON_AddStringToObject(o, "curl", w->curl) &&
              cJSON_AddStringToObject(o, "git", w->git) &&
              cJSON_AddStringToObject(o, "ssh", w->ssh_tool);
    char *text = ok ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    if (!text)
        return rf_fail(err, -(int)ERROR_OUTOFMEMORY, "world: writing the world file: out of memory");
    int rc = write_rel(w, RF_W_WORLD_JSON, text, err);
    cJSON_free(text);
    return rc;
}

/* ---- life cycle -------------------------------------------------------------- */

int rf_wworld_create(const char *self, rf_wworld **out, rf_error *err) {
    *out = NULL;
    rf_wworld *w = calloc(1, sizeof *w);
    if (!w)
        return rf_fail(err, -(int)ERROR_OUTOFMEMORY, "world: out of memory");
    w->tcp = w->udp = w->ssh = INVALID_SOCKET;
    uint8_t rnd[16];
    int rc = rf_win_random(NULL, rnd, sizeof rnd, err);
    if (rc < 0) {
        free(w);
        return rc;
    }
    for (size_t i = 0; i < sizeof rnd; i++)
        snprintf(w->nonce + 2 * i, 3, "%02x", rnd[i]);
    wchar_t tmp[MAX_PATH + 1];
    char tmp8[MAX_PATH * 2];
    DWORD n = GetTempPathW(MAX_PATH + 1, tmp);
    if (n == 0 || n > MAX_PATH ||
        WideCharToMultiByte(CP_UTF8, 0, tmp, -1, tmp8, sizeof tmp8, NULL, NULL) <= 0) {
        free(w);
        return rf_win_fail(err, GetLastError(), "world: GetTempPathW");
    }
    /* A random name: nothing can be planted there in advance. */
    snprintf(w->root, sizeof w->root, "%srf-probe-%.16s", tmp8, w->nonce);
    snprintf(w->file, sizeof w->file, "%s\\state\\world.json", w->root);
    snprintf(w->appdata, sizeof w->appdata, "%s\\state\\appdata", w->root);
    snprintf(w->pipe, sizeof w->pipe, "\\\\.\\pipe\\rf-probe-%.16s-docker_engine", w->nonce);
    wchar_t wroot[RF_WPATH];
    if (!rf_probe_widen(w->root, wroot, RF_WPATH) || !CreateDirectoryW(wroot, NULL)) {
        rc = rf_win_fail(err, GetLastError(), "world: create %s", w->root);
        free(w);
        return rc;
    }
    *out = w;
    if ((rc = mkdir_rel(w, RF_W_STATE, err)) < 0 || (rc = mkdir_rel(w, RF_W_APPDATA, err)) < 0 ||
        (rc = mkdir_rel(w, RF_W_HELD_DIR, err)) < 0 ||
        (rc = rf_wworld_reset(w, err)) < 0)
        return rc;
    int e = rf_probe_wsa_start();
    if (e)
        return rf_win_fail(err, (DWORD)e, "world: WSAStartup");
    if ((w->tcp = listen_loopback(SOCK_STREAM, &w->tcp_port, err)) == INVALID_SOCKET ||
        (w->udp = listen_loopback(SOCK_DGRAM, &w->udp_port, err)) == INVALID_SOCKET ||
        (w->ssh = listen_loopback(SOCK_STREAM, &w->ssh_port, err)) == INVALID_SOCKET)
        return err->code;
    LPTHREAD_START_ROUTINE fns[4] = {serve_http, serve_udp, serve_ssh, serve_pipe};
    for (int i = 0; i < 4; i++)
        if (!(w->threads[i] = CreateThread(NULL, 0, fns[i], w, 0, NULL)))
            return rf_win_fail(err, GetLastError(), "world: start a listener thread");
    if ((rc = start_target(w, self, err)) < 0)
        return rc;
    find_tool(L"curl", w->curl, sizeof w->curl);
    find_tool(L"git", w->git, sizeof w->git);
    find_tool(L"ssh", w->ssh_tool, sizeof w->ssh_tool);
    return write_world_file(w, err);
}

const char *rf_wworld_root(const rf_wworld *w) { return w->root; }
const char *rf_wworld_file(const rf_wworld *w) { return w->file; }
const char *rf_wworld_appdata(const rf_wworld *w) { return w->appdata; }

const char *rf_wworld_writable_root(const rf_wworld *w, int i, char *buf, size_t len) {
    static const char *const roots[RF_WWORLD_N_ROOTS] = {RF_W_WS, RF_W_NOGIT, RF_W_EXTRA};
    if (i < 0 || i >= RF_WWORLD_N_ROOTS)
        return NULL;
    snprintf(buf, len, "%s\\%s", w->root, roots[i]);
    return buf;
}

void rf_wworld_destroy(rf_wworld *w) {
    if (!w)
        return;
    InterlockedExchange(&w->stopping, 1);
    /* Closing a listening socket ends its blocking accept/recvfrom. */
    SOCKET *socks[3] = {&w->tcp, &w->udp, &w->ssh};
    for (int i = 0; i < 3; i++)
        if (*socks[i] != INVALID_SOCKET) {
            closesocket(*socks[i]);
            *socks[i] = INVALID_SOCKET;
        }
    /* One connection wakes the pipe server up to see `stopping`. */
    if (w->threads[3]) {
        wchar_t name[300];
        if (rf_probe_widen(w->pipe, name, 300)) {
            HANDLE h = CreateFileW(name, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
            if (h != INVALID_HANDLE_VALUE)
                CloseHandle(h);
        }
    }
    for (int i = 0; i < 4; i++)
        if (w->threads[i]) {
            WaitForSingleObject(w->threads[i], 5000);
            CloseHandle(w->threads[i]);
        }
    if (w->target) {
        TerminateProcess(w->target, 0);
        WaitForSingleObject(w->target, 5000);
        CloseHandle(w->target);
    }
    if (w->target_job)
        CloseHandle(w->target_job);
    wchar_t root[RF_WPATH];
    if (w->root[0] && rf_probe_widen(w->root, root, RF_WPATH))
        rf_wworld_remove_tree(root);
    free(w);
}
