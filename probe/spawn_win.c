/* spawn_win.c — start a program, capture its output, bound its time (spawn_win.h). */
#include "probe/spawn_win.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/cmdline.h"
#include "backends/windows/win32.h"

#define CAPTURE_MAX (4u << 20)

typedef struct reader {
    HANDLE pipe;
    char *buf;
    size_t len, cap;
} reader;

static DWORD WINAPI read_all(LPVOID arg) {
    reader *rd = arg;
    char chunk[4096];
    DWORD n;
    while (ReadFile(rd->pipe, chunk, sizeof chunk, &n, NULL) && n > 0) {
        if (rd->len + n + 1 > rd->cap && rd->cap < CAPTURE_MAX) {
            size_t cap = rd->cap ? rd->cap * 2 : 16384;
            while (cap < rd->len + n + 1)
                cap *= 2;
            char *grown = realloc(rd->buf, cap);
            if (grown) {
                rd->buf = grown;
                rd->cap = cap;
            }
        }
        size_t take = rd->len + n + 1 <= rd->cap ? n : 0; /* past the cap: drained, dropped */
        memcpy(rd->buf + rd->len, chunk, take);
        rd->len += take;
    }
    return 0;
}

static bool is_batch(const char *path) {
    size_t n = strlen(path);
    return n > 4 && (_stricmp(path + n - 4, ".cmd") == 0 || _stricmp(path + n - 4, ".bat") == 0);
}

/* Our own PATH and PATHEXT, as an envp for rf_win_find_program. */
static void own_lookup_env(char *path_var, size_t plen, char *ext_var, size_t elen) {
    const char *path = getenv("PATH"), *ext = getenv("PATHEXT");
    snprintf(path_var, plen, "PATH=%s", path ? path : "");
    snprintf(ext_var, elen, "PATHEXT=%s", ext ? ext : ".COM;.EXE;.BAT;.CMD");
}

/* The command line (UTF-16, malloc'd) and the program to start. */
static DWORD build_command(char *const *argv, char *const *envp, wchar_t **wapp, wchar_t **wline) {
    size_t argc = 0;
    while (argv[argc])
        argc++;
    char *program = NULL, *line = NULL;
    static char path_var[32768], ext_var[1024];
    char *own[3] = {path_var, ext_var, NULL};
    if (!envp) {
        own_lookup_env(path_var, sizeof path_var, ext_var, sizeof ext_var);
        envp = own;
    }
    if (rf_win_find_program(argv[0], envp, &program, NULL) < 0)
        return ERROR_FILE_NOT_FOUND;
    int rc;
    if (is_batch(program)) {
        /* Batch files run through cmd.exe; quote_batch refuses what cmd would expand. */
        const char *comspec = getenv("COMSPEC");
        char **copy = calloc(argc + 1, sizeof *copy);
        if (!copy) {
            free(program);
            return ERROR_OUTOFMEMORY;
        }
        copy[0] = program;
        for (size_t i = 1; i < argc; i++)
            copy[i] = argv[i];
        rc = rf_cmdline_quote_batch(comspec ? comspec : "C:\\Windows\\System32\\cmd.exe", copy,
                                    argc, &line, NULL);
        free(copy);
        free(program);
        program = NULL;
    } else {
        rc = rf_cmdline_quote(argv, argc, &line, NULL);
    }
    if (rc < 0) {
        free(program);
        return ERROR_INVALID_PARAMETER;
    }
    *wapp = NULL;
    rc = rf_win_wide(line, wline, NULL);
    if (rc == 0 && program)
        rc = rf_win_wide(program, wapp, NULL);
    free(line);
    free(program);
    return rc < 0 ? ERROR_NO_UNICODE_TRANSLATION : 0;
}

/* A UTF-16 environment block from envp (malloc'd). */
static wchar_t *env_block(char *const *envp) {
    size_t total = 1, used = 0;
    wchar_t **wide = NULL;
    size_t n = 0;
    while (envp[n])
        n++;
    wide = calloc(n + 1, sizeof *wide);
    for (size_t i = 0; wide && i < n; i++) {
        if (rf_win_wide(envp[i], &wide[i], NULL) < 0)
            wide[i] = NULL;
        total += wide[i] ? wcslen(wide[i]) + 1 : 0;
    }
    wchar_t *block = wide ? malloc(total * sizeof *block) : NULL;
    for (size_t i = 0; block && i < n; i++) {
        if (!wide[i])
            continue;
        size_t len = wcslen(wide[i]) + 1;
        memcpy(block + used, wide[i], len * sizeof *block);
        used += len;
    }
    if (block)
        block[used] = L'\0';
    for (size_t i = 0; wide && i < n; i++)
        free(wide[i]);
    free(wide);
    return block;
}

DWORD rf_spawn_capture(const rf_spawn_request *req, rf_spawn_result *res) {
    memset(res, 0, sizeof *res);
    wchar_t *app = NULL, *line = NULL, *block = NULL;
    HANDLE rd = NULL, wr = NULL, nul = INVALID_HANDLE_VALUE, job = NULL, thread = NULL;
    PROCESS_INFORMATION pi = {0};
    LPPROC_THREAD_ATTRIBUTE_LIST attrs = NULL;
    reader rdr = {0};
    DWORD e = build_command(req->argv, req->envp, &app, &line);
    if (e)
        goto out;
    if (req->envp && !(block = env_block(req->envp))) {
        e = ERROR_OUTOFMEMORY;
        goto out;
    }
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    if (!CreatePipe(&rd, &wr, &inherit, 65536)) {
        e = GetLastError();
        goto out;
    }
    /* Only the child's ends are inheritable: our read end stays ours. */
    SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
    nul = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit,
                      OPEN_EXISTING, 0, NULL);
    if (nul == INVALID_HANDLE_VALUE) {
        e = GetLastError();
        goto out;
    }
    STARTUPINFOEXW si;
    memset(&si, 0, sizeof si);
    si.StartupInfo.cb = sizeof si;
    si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    si.StartupInfo.hStdInput = nul;
    si.StartupInfo.hStdOutput = wr;
    si.StartupInfo.hStdError = req->with_stderr ? wr : GetStdHandle(STD_ERROR_HANDLE);
    /* Only the three std handles are inherited: the world's sockets, pipes
     * and the target's handle must not leak into a probe (an inherited
     * handle is a way out no path check sees). */
    HANDLE list[3];
    size_t n_list = 0;
    HANDLE std3[3] = {si.StartupInfo.hStdInput, si.StartupInfo.hStdOutput,
                      si.StartupInfo.hStdError};
    for (int i = 0; i < 3; i++) {
        bool dup = false;
        for (size_t j = 0; j < n_list; j++)
            dup = dup || list[j] == std3[i];
        if (dup || !std3[i] || std3[i] == INVALID_HANDLE_VALUE ||
            !SetHandleInformation(std3[i], HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT))
            continue;
        list[n_list++] = std3[i];
    }
    SIZE_T attr_size = 0;
    InitializeProcThreadAttributeList(NULL, 1, 0, &attr_size);
    attrs = malloc(attr_size);
    if (!attrs || !InitializeProcThreadAttributeList(attrs, 1, 0, &attr_size)) {
        e = attrs ? GetLastError() : ERROR_OUTOFMEMORY;
        free(attrs);
        attrs = NULL;
        goto out;
    }
    si.lpAttributeList = attrs;
    if (!UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, list,
                                   n_list * sizeof(HANDLE), NULL, NULL)) {
        e = GetLastError();
        goto out;
    }
    /* Started suspended and resumed inside its job: no grandchild escapes
     * the timeout. */
    if (!CreateProcessW(app, line, NULL, NULL, TRUE,
                        CREATE_SUSPENDED | EXTENDED_STARTUPINFO_PRESENT |
                            (block ? CREATE_UNICODE_ENVIRONMENT : 0),
                        block, NULL, &si.StartupInfo, &pi)) {
        e = GetLastError();
        goto out;
    }
    job = CreateJobObjectW(NULL, NULL);
    if (job) {
        JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim = {0};
        /* BREAKAWAY_OK: unconfined, process.job_breakaway must be able to succeed. */
        lim.BasicLimitInformation.LimitFlags =
            JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_BREAKAWAY_OK;
        SetInformationJobObject(job, JobObjectExtendedLimitInformation, &lim, sizeof lim);
        if (!AssignProcessToJobObject(job, pi.hProcess)) {
            CloseHandle(job); /* a job we may not nest: the timeout still ends the child */
            job = NULL;
        }
    }
    ResumeThread(pi.hThread);
    CloseHandle(wr);
    wr = NULL;
    rdr.pipe = rd;
    thread = CreateThread(NULL, 0, read_all, &rdr, 0, NULL);
    if (!thread)
        read_all(&rdr);
    if (WaitForSingleObject(pi.hProcess, req->timeout_ms) == WAIT_TIMEOUT) {
        res->timed_out = true;
        if (job)
            TerminateJobObject(job, 124);
        TerminateProcess(pi.hProcess, 124);
        WaitForSingleObject(pi.hProcess, 5000);
    }
    GetExitCodeProcess(pi.hProcess, &res->exit_code);
    /* A grandchild outside our job may keep the pipe open: wait a little,
     * then stop reading. */
    if (thread && WaitForSingleObject(thread, 5000) == WAIT_TIMEOUT) {
        if (job)
            TerminateJobObject(job, 124);
        CancelSynchronousIo(thread);
        WaitForSingleObject(thread, 2000);
    }
out:
    if (attrs) {
        DeleteProcThreadAttributeList(attrs);
        free(attrs);
    }
    if (thread)
        CloseHandle(thread);
    if (pi.hThread)
        CloseHandle(pi.hThread);
    if (pi.hProcess)
        CloseHandle(pi.hProcess);
    if (job)
        CloseHandle(job);
    if (nul != INVALID_HANDLE_VALUE)
        CloseHandle(nul);
    if (wr)
        CloseHandle(wr);
    if (rd)
        CloseHandle(rd);
    free(app);
    free(line);
    free(block);
    if (!rdr.buf)
        rdr.buf = calloc(1, 1);
    else
        rdr.buf[rdr.len] = '\0';
    res->out = rdr.buf;
    res->len = rdr.len;
    if (!res->out && !e)
        e = ERROR_OUTOFMEMORY;
    return e;
}

char *rf_spawn_self_path(void) {
    wchar_t path[MAX_PATH * 4];
    DWORD n = GetModuleFileNameW(NULL, path, sizeof path / sizeof path[0]);
    if (n == 0 || n >= sizeof path / sizeof path[0])
        return NULL;
    char *out = NULL;
    return rf_win_narrow(path, &out, NULL) < 0 ? NULL : out;
}
