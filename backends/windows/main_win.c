/*
 * main_win.c — ringfence-win.exe, the Windows admin-free backend on its own
 * until the core CLI builds for Windows:
 *
 *   ringfence-win status
 *   ringfence-win run [--root DIR]... [--protect NAME]... [--timeout SEC]
 *                     [--denybin DIR] [--tmp private|shared] -- CMD [ARGS...]
 *   ringfence-win ungrant DIR
 *   ringfence-win selftest
 *   ringfence-win bench [FILES [SPAWNS]]
 *
 * Exit codes as `ringfence run` (DESIGN.md): the command's own status, 124 on
 * timeout, 125 when ringfence fails, 126 when the command cannot be started,
 * 127 when it is not found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/bench_win.h"
#include "backends/windows/guarantees.h"
#include "backends/windows/prepare_win.h"
#include "backends/windows/selftest_win.h"
#include "core/error.h"

#define MAX_LIST 64

static int usage(void) {
    fprintf(stderr,
            "usage: ringfence-win status\n"
            "       ringfence-win run [--root DIR]... [--protect NAME]... [--timeout SEC]\n"
            "                         [--denybin DIR] [--tmp private|shared] -- CMD [ARGS...]\n"
            "       ringfence-win ungrant DIR\n"
            "       ringfence-win selftest\n"
            "       ringfence-win bench [FILES [SPAWNS]]\n");
    return 125;
}

static int cmd_status(void) {
    rf_backend_status st;
    memset(&st, 0, sizeof st);
    rf_win_unelevated_table(&st, rf_win_wine_version());
    printf("%s: %s (%s)\n", st.name, st.available ? "available" : "unavailable", st.reason);
    for (int g = 0; g < RF_G_COUNT; g++)
        printf("  %-13s %-9s %s\n", rf_guarantee_name((rf_guarantee)g),
               rf_level_name(st.level[g]), st.why[g]);
    return 0;
}

/* The process environment (UTF-8), with denybin first on PATH when given
 * and TEMP/TMP pointing at the private temporary folder. */
static char **current_env(const char *denybin, const char *tmp_dir) {
    wchar_t *block = GetEnvironmentStringsW();
    size_t n = 0;
    for (wchar_t *p = block; *p; p += wcslen(p) + 1)
        n++;
    char **env = calloc(n + 5, sizeof *env);
    size_t k = 0;
    const char *path = NULL;
    for (wchar_t *p = block; env && *p; p += wcslen(p) + 1) {
        if (p[0] == L'=' || rf_win_narrow(p, &env[k], NULL) < 0)
            continue;
        if (_strnicmp(env[k], "PATH=", 5) == 0)
            path = env[k] + 5;
        k++;
    }
    FreeEnvironmentStringsW(block);
    if (env && denybin) {
        /* Appended last: the env block keeps the last of equal names. */
        size_t len = 6 + strlen(denybin) + 1 + (path ? strlen(path) : 0);
        env[k] = malloc(len);
        if (env[k])
            snprintf(env[k], len, "PATH=%s;%s", denybin, path ? path : "");
        k += env[k] != NULL;
    }
    /* The stubs are .cmd files: make sure a lookup tries .CMD at all. */
    const char *pathext = NULL;
    for (size_t e = 0; e < k; e++)
        if (_strnicmp(env[e], "PATHEXT=", 8) == 0)
            pathext = env[e] + 8;
    if (env && denybin && (!pathext || !strstr(pathext, ".CMD"))) {
        const char *base = pathext ? pathext : ".COM;.EXE;.BAT";
        size_t len = 8 + strlen(base) + 6;
        env[k] = malloc(len);
        if (env[k])
            snprintf(env[k++], len, "PATHEXT=%s;.CMD", base);
    }
    static const char *const tmp_vars[] = {"TEMP", "TMP"};
    for (int v = 0; env && tmp_dir && v < 2; v++) {
        size_t len = strlen(tmp_vars[v]) + 1 + strlen(tmp_dir) + 1;
        env[k] = malloc(len);
        if (env[k])
            snprintf(env[k++], len, "%s=%s", tmp_vars[v], tmp_dir);
    }
    return env;
}

static int cmd_run(int argc, char **argv, const char *state_path) {
    const char *roots[MAX_LIST], *names[MAX_LIST] = {".git", ".codex", ".agents", ".ringfence"};
    size_t n_roots = 0, n_names = 4;
    double timeout = 0;
    const char *denybin = NULL;
    bool private_tmp = true;
    int i = 0;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (i + 1 >= argc)
            return usage();
        if (strcmp(argv[i], "--root") == 0 && n_roots < MAX_LIST)
            roots[n_roots++] = argv[++i];
        else if (strcmp(argv[i], "--protect") == 0 && n_names < MAX_LIST)
            names[n_names++] = argv[++i];
        else if (strcmp(argv[i], "--timeout") == 0)
            timeout = atof(argv[++i]);
        else if (strcmp(argv[i], "--denybin") == 0)
            denybin = argv[++i];
        else if (strcmp(argv[i], "--tmp") == 0 && strcmp(argv[i + 1], "shared") == 0 && ++i)
            private_tmp = false;
        else if (strcmp(argv[i], "--tmp") == 0 && strcmp(argv[i + 1], "private") == 0 && ++i)
            private_tmp = true;
        else
            return usage();
    }
    if (i + 1 >= argc)
        return usage();
    char *cwd = NULL;
    if (n_roots == 0) {
        wchar_t wcwd[MAX_PATH];
        GetCurrentDirectoryW(MAX_PATH, wcwd);
        rf_win_narrow(wcwd, &cwd, NULL);
        roots[n_roots++] = cwd;
    }
    rf_error err = {0};
    rf_win_prepared prep;
    int rc = rf_win_prepare(roots, n_roots, names, n_names, private_tmp, state_path, &prep, &err);
    if (rc < 0) {
        fprintf(stderr, "ringfence-win: %s\n", err.message);
        free(cwd);
        return 125;
    }
    if (prep.report.warning[0])
        fprintf(stderr, "ringfence-win: warning: %s\n", prep.report.warning);
    char **env = current_env(denybin, prep.tmp_dir);
    rf_win_launch l = {argv + i + 1, env, NULL, prep.token, GetStdHandle(STD_INPUT_HANDLE),
                       GetStdHandle(STD_OUTPUT_HANDLE), GetStdHandle(STD_ERROR_HANDLE)};
    rf_win_child child;
    rf_win_outcome o = {0};
    int status = 125;
    rc = rf_win_spawn(&l, &child, &err);
    if (rc == -(int)ERROR_FILE_NOT_FOUND) {
        status = 127;
    } else if (rc < 0) {
        status = 126;
    } else {
        DWORD ms = timeout > 0 ? (DWORD)(timeout * 1000) : INFINITE;
        rc = rf_win_wait(&child, ms, &o, &err);
        rf_win_child_close(&child);
        status = rc < 0 ? 125 : o.timed_out ? 124 : (int)o.exit_code;
    }
    if (rc < 0)
        fprintf(stderr, "ringfence-win: %s\n", err.message);
    for (char **e = env; e && *e; e++)
        free(*e);
    free(env);
    rf_win_prepared_free(&prep);
    free(cwd);
    return status;
}

int wmain(int argc, wchar_t **wargv) {
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    for (int i = 0; argv && i < argc; i++)
        if (rf_win_narrow(wargv[i], &argv[i], NULL) < 0)
            return 125;
    if (!argv || argc < 2)
        return usage();
    const char *cmd = argv[1];
    if (strcmp(cmd, "probe") == 0 && (argc == 4 || argc == 5))
        return rf_win_probe(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
    if (strcmp(cmd, "status") == 0)
        return cmd_status();
    if (strcmp(cmd, "selftest") == 0) {
        rf_error err = {0};
        int rc = rf_win_selftest(argv[0], stdout, &err);
        if (rc < 0)
            fprintf(stderr, "ringfence-win selftest: %s\n", err.message);
        return rc < 0 ? 125 : rc;
    }
    if (strcmp(cmd, "bench") == 0 && argc <= 4) {
        rf_error err = {0};
        int files = argc >= 3 ? atoi(argv[2]) : 10000, spawns = argc >= 4 ? atoi(argv[3]) : 20;
        if (files < 1 || spawns < 1)
            return usage();
        int rc = rf_win_bench(argv[0], files, spawns, stdout, &err);
        if (rc < 0)
            fprintf(stderr, "ringfence-win bench: %s\n", err.message);
        return rc < 0 ? 125 : 0;
    }
    char *state_path = NULL;
    rf_error err = {0};
    if (rf_win_state_path(&state_path, &err) < 0) {
        fprintf(stderr, "ringfence-win: %s\n", err.message);
        return 125;
    }
    int status;
    if (strcmp(cmd, "run") == 0) {
        status = cmd_run(argc - 2, argv + 2, state_path);
    } else if (strcmp(cmd, "ungrant") == 0 && argc == 3) {
        size_t removed = 0;
        status = rf_win_ungrant(argv[2], state_path, &removed, &err) < 0 ? 125 : 0;
        if (status)
            fprintf(stderr, "ringfence-win: %s\n", err.message);
        else
            printf("removed %llu ACEs under %s\n", (unsigned long long)removed, argv[2]);
    } else {
        status = usage();
    }
    free(state_path);
    return status;
}
