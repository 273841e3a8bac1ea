/* launch_win.c — starting the command: program lookup, command line,
 * environment block, inherited handles, job, restricted token; waiting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/cmdline.h"
#include "backends/windows/envblock.h"
#include "backends/windows/win32.h"
#include "core/error.h"

/* The value of NAME in envp, names compared without regard to case; the
 * last entry wins, as in the environment block the command gets. */
static const char *env_lookup(char *const *envp, const char *name) {
    size_t n = strlen(name);
    const char *value = NULL;
    for (char *const *e = envp; e && *e; e++)
        if (_strnicmp(*e, name, n) == 0 && (*e)[n] == '=')
            value = *e + n + 1;
    return value;
}

static bool is_file(const char *path) {
    wchar_t *w = NULL;
    if (rf_win_wide(path, &w, NULL) < 0)
        return false;
    DWORD attrs = GetFileAttributesW(w);
    free(w);
    return attrs != INVALID_FILE_ATTRIBUTES && !(attrs & FILE_ATTRIBUTE_DIRECTORY);
}

/* Tries base, then base + each PATHEXT extension unless base has one. */
static char *try_candidates(const char *base, const char *pathext) {
    const char *dot = strrchr(base, '.');
    const char *slash = strrchr(base, '\\');
    bool has_ext = dot && (!slash || dot > slash) && !strchr(dot, '/');
    size_t bl = strlen(base);
    if (has_ext && is_file(base))
        return strdup(base);
    for (const char *p = pathext; *p;) {
        size_t len = strcspn(p, ";");
        if (len > 0 && len < 16) {
            char *cand = malloc(bl + len + 1);
            if (!cand)
                return NULL;
            memcpy(cand, base, bl);
            memcpy(cand + bl, p, len);
            cand[bl + len] = '\0';
            if (is_file(cand))
                return cand;
            free(cand);
        }
        p += len + (p[len] == ';');
    }
    return NULL;
}

int rf_win_find_program(const char *name, char *const *envp, char **out, rf_error *err) {
    *out = NULL;
    const char *pathext = env_lookup(envp, "PATHEXT");
    if (!pathext || !*pathext)
        pathext = ".COM;.EXE;.BAT;.CMD";
    if (strpbrk(name, "\\/:")) {
        *out = try_candidates(name, pathext);
    } else {
        /* Only PATH, never the current folder first as cmd.exe does: a
         * planted git.exe in the workspace must not shadow the real one. */
        const char *path = env_lookup(envp, "PATH");
        for (const char *p = path ? path : ""; *p && !*out;) {
            size_t len = strcspn(p, ";");
            if (len > 0) {
                char *base = malloc(len + 1 + strlen(name) + 1);
                if (!base)
                    break;
                memcpy(base, p, len);
                base[len] = '\0';
                if (base[len - 1] != '\\' && base[len - 1] != '/')
                    strcat(base, "\\");
                strcat(base, name);
                *out = try_candidates(base, pathext);
                free(base);
            }
            p += len + (p[len] == ';');
        }
    }
    if (!*out)
        return rf_fail(err, -(int)ERROR_FILE_NOT_FOUND,
                       "find program '%s' on the command's PATH: not found", name);
    return 0;
}

static bool is_batch(const char *path) {
    size_t n = strlen(path);
    return n > 4 && (_stricmp(path + n - 4, ".cmd") == 0 || _stricmp(path + n - 4, ".bat") == 0);
}

/* The command line and the program Windows should start. */
static int build_command(const rf_win_launch *l, const char *program, char **app, char **line,
                         rf_error *err) {
    size_t argc = 0;
    while (l->argv[argc])
        argc++;
    if (!is_batch(program)) {
        *app = strdup(program);
        if (!*app)
            return rf_fail(err, RF_EINTERNAL, "start '%s': out of memory", program);
        return rf_cmdline_quote(l->argv, argc, line, err);
    }
    /* A batch file runs in cmd.exe: start cmd.exe ourselves with arguments
     * cmd cannot misread (CVE-2024-24576), not the .cmd directly. */
    const char *comspec = env_lookup(l->envp, "ComSpec");
    char sysdir[MAX_PATH + 16];
    if (!comspec || !*comspec) {
        UINT n = GetSystemDirectoryA(sysdir, MAX_PATH);
        if (n == 0 || n >= MAX_PATH)
            return rf_win_fail(err, GetLastError(), "find cmd.exe for '%s'", program);
        strcat(sysdir, "\\cmd.exe");
        comspec = sysdir;
    }
    *app = strdup(comspec);
    char **args = calloc(argc + 1, sizeof *args);
    if (!*app || !args) {
        free(args);
        return rf_fail(err, RF_EINTERNAL, "start '%s': out of memory", program);
    }
    args[0] = (char *)program;
    for (size_t i = 1; i < argc; i++)
        args[i] = l->argv[i];
    int rc = rf_cmdline_quote_batch(comspec, args, argc, line, err);
    free(args);
    return rc;
}

/* Marks the stdio handles inheritable and lists them once each; only these
 * reach the command (an inherited handle to anything else — a file opened
 * for writing, a process — would be a way around the token). */
static size_t stdio_handles(const rf_win_launch *l, HANDLE list[3]) {
    HANDLE hs[3] = {l->std_in, l->std_out, l->std_err};
    size_t n = 0;
    for (size_t i = 0; i < 3; i++) {
        if (!hs[i] || hs[i] == INVALID_HANDLE_VALUE)
            continue;
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup |= list[k] == hs[i];
        if (dup || !SetHandleInformation(hs[i], HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT))
            continue;
        list[n++] = hs[i];
    }
    return n;
}

int rf_win_spawn(const rf_win_launch *l, rf_win_child *child, rf_error *err) {
    char *program = NULL, *app = NULL, *line = NULL;
    wchar_t *wapp = NULL, *wline = NULL, *wcwd = NULL;
    uint16_t *env = NULL;
    size_t env_units = 0;
    LPPROC_THREAD_ATTRIBUTE_LIST attrs = NULL;
    HANDLE job = NULL;
    PROCESS_INFORMATION pi;
    memset(&pi, 0, sizeof pi);
    memset(child, 0, sizeof *child);

    int rc = rf_win_find_program(l->argv[0], l->envp, &program, err);
    if (rc == 0)
        rc = build_command(l, program, &app, &line, err);
    if (rc == 0)
        rc = rf_envblock_build(l->envp, &env, &env_units, err);
    if (rc == 0)
        rc = rf_win_wide(app, &wapp, err);
    if (rc == 0)
        rc = rf_win_wide(line, &wline, err);
    if (rc == 0 && l->cwd)
        rc = rf_win_wide(l->cwd, &wcwd, err);
    if (rc < 0)
        goto out;

    HANDLE handles[3];
    size_t n_handles = stdio_handles(l, handles);
    SIZE_T size = 0;
    InitializeProcThreadAttributeList(NULL, 1, 0, &size);
    attrs = malloc(size);
    if (!attrs || !InitializeProcThreadAttributeList(attrs, 1, 0, &size)) {
        rc = rf_win_fail(err, attrs ? GetLastError() : ERROR_OUTOFMEMORY,
                         "prepare the attribute list for '%s'", program);
        free(attrs);
        attrs = NULL;
        goto out;
    }
    if (n_handles && !UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
                                                handles, n_handles * sizeof(HANDLE), NULL, NULL)) {
        rc = rf_win_fail(err, GetLastError(), "limit inherited handles for '%s'", program);
        goto out;
    }
    STARTUPINFOEXW si;
    memset(&si, 0, sizeof si);
    si.StartupInfo.cb = sizeof si;
    si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    si.StartupInfo.hStdInput = l->std_in;
    si.StartupInfo.hStdOutput = l->std_out;
    si.StartupInfo.hStdError = l->std_err;
    si.lpAttributeList = attrs;

    rc = rf_win_job_create(&job, err);
    if (rc < 0)
        goto out;
    /* Suspended until it is in the job: a command that spawned a child in
     * its first instant would otherwise leave that child outside the job. */
    DWORD flags = CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT;
    BOOL ok;
    if (l->token)
        ok = CreateProcessAsUserW(l->token, wapp, wline, NULL, NULL, n_handles > 0, flags, env,
                                  wcwd, &si.StartupInfo, &pi);
    else
        ok = CreateProcessW(wapp, wline, NULL, NULL, n_handles > 0, flags, env, wcwd,
                            &si.StartupInfo, &pi);
    if (!ok) {
        rc = rf_win_fail(err, GetLastError(), "start '%s'", program);
        goto out;
    }
    if (!AssignProcessToJobObject(job, pi.hProcess)) {
        rc = rf_win_fail(err, GetLastError(), "put '%s' in its job", program);
        TerminateProcess(pi.hProcess, 1);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
        goto out;
    }
    if (ResumeThread(pi.hThread) == (DWORD)-1) {
        rc = rf_win_fail(err, GetLastError(), "resume '%s'", program);
        TerminateJobObject(job, 1);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
        goto out;
    }
    CloseHandle(pi.hThread);
    child->process = pi.hProcess;
    child->pid = pi.dwProcessId;
    child->job = job;
    job = NULL;
out:
    if (job)
        CloseHandle(job);
    if (attrs) {
        DeleteProcThreadAttributeList(attrs);
        free(attrs);
    }
    free(program);
    free(app);
    free(line);
    free(wapp);
    free(wline);
    free(wcwd);
    free(env);
    return rc;
}

/* The job of the run being waited for, for the console handler. */
static HANDLE volatile current_job;

static BOOL WINAPI on_console_event(DWORD event) {
    switch (event) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
        /* The command shares the console and gets the event itself;
         * ringfence stays to collect its exit code. */
        return TRUE;
    default:
        /* Console closing, logoff, shutdown: end the tree now. */
        if (current_job)
            TerminateJobObject(current_job, 1);
        return FALSE;
    }
}

int rf_win_wait(rf_win_child *child, DWORD timeout_ms, rf_win_outcome *out, rf_error *err) {
    memset(out, 0, sizeof *out);
    current_job = child->job;
    SetConsoleCtrlHandler(on_console_event, TRUE);
    int rc = 0;
    DWORD w = WaitForSingleObject(child->process, timeout_ms);
    if (w == WAIT_TIMEOUT) {
        out->timed_out = true;
        TerminateJobObject(child->job, 1);
        w = WaitForSingleObject(child->process, INFINITE);
    }
    if (w != WAIT_OBJECT_0)
        rc = rf_win_fail(err, GetLastError(), "wait for process %lu", (unsigned long)child->pid);
    else if (!GetExitCodeProcess(child->process, &out->exit_code))
        rc = rf_win_fail(err, GetLastError(), "exit code of process %lu",
                         (unsigned long)child->pid);
    /* The command is done: whatever it left running ends with it. */
    TerminateJobObject(child->job, 1);
    SetConsoleCtrlHandler(on_console_event, FALSE);
    current_job = NULL;
    return rc;
}

void rf_win_child_close(rf_win_child *child) {
    if (child->process)
        CloseHandle(child->process);
    if (child->job)
        CloseHandle(child->job);
    memset(child, 0, sizeof *child);
}
