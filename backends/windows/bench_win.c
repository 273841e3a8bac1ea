/* bench_win.c — ACL apply time against file count, and spawn latency. */
#include <stdlib.h>
#include <string.h>

#include "backends/windows/bench_win.h"
#include "backends/windows/prepare_win.h"
#include "core/error.h"

static double now_ms(void) {
    LARGE_INTEGER f, t;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart * 1000.0 / (double)f.QuadPart;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int make_tree(const char *base, int files, rf_error *err) {
    char path[MAX_PATH * 2];
    for (int i = 0; i < files; i++) {
        wchar_t *w = NULL;
        if (i % 100 == 0) {
            snprintf(path, sizeof path, "%s\\d%d", base, i / 100);
            if (rf_win_wide(path, &w, err) < 0)
                return -1;
            if (!CreateDirectoryW(w, NULL) && GetLastError() != ERROR_ALREADY_EXISTS) {
                free(w);
                return rf_win_fail(err, GetLastError(), "bench: create '%s'", path);
            }
            free(w);
        }
        snprintf(path, sizeof path, "%s\\d%d\\f%d.txt", base, i / 100, i);
        if (rf_win_wide(path, &w, err) < 0)
            return -1;
        HANDLE h = CreateFileW(w, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
        free(w);
        if (h == INVALID_HANDLE_VALUE)
            return rf_win_fail(err, GetLastError(), "bench: create '%s'", path);
        CloseHandle(h);
    }
    return 0;
}

/* Median of `spawns` runs of `self probe read FILE`, with or without token. */
static int spawn_median(const char *self, const char *file, HANDLE token, int spawns,
                        double *median, rf_error *err) {
    double *t = calloc((size_t)spawns, sizeof *t);
    if (!t)
        return rf_fail(err, RF_EINTERNAL, "bench: out of memory");
    char *argv[] = {(char *)self, "probe", "read", (char *)file, NULL};
    char *envp[] = {"SystemRoot=C:\\Windows", NULL};
    for (int i = 0; i < spawns; i++) {
        rf_win_launch l = {argv, envp, NULL, token, NULL, NULL, NULL};
        rf_win_child child;
        rf_win_outcome o;
        double start = now_ms();
        int rc = rf_win_spawn(&l, &child, err);
        if (rc == 0) {
            rc = rf_win_wait(&child, 30000, &o, err);
            rf_win_child_close(&child);
        }
        if (rc < 0) {
            free(t);
            return rc;
        }
        t[i] = now_ms() - start;
    }
    qsort(t, (size_t)spawns, sizeof *t, cmp_double);
    *median = t[spawns / 2];
    free(t);
    return 0;
}

int rf_win_bench(const char *self, int files, int spawns, FILE *out, rf_error *err) {
    wchar_t temp[MAX_PATH], wbase[MAX_PATH];
    GetTempPathW(MAX_PATH, temp);
    _snwprintf(wbase, MAX_PATH, L"%lsrf-bench-%lu", temp, (unsigned long)GetCurrentProcessId());
    wbase[MAX_PATH - 1] = L'\0';
    if (!CreateDirectoryW(wbase, NULL))
        return rf_win_fail(err, GetLastError(), "bench: create its folder");
    char *base = NULL, *ws = NULL, *state = NULL, *file = NULL;
    rf_win_prepared prep;
    memset(&prep, 0, sizeof prep);
    int rc = rf_win_narrow(wbase, &base, err);
    if (rc < 0)
        goto out;
    ws = malloc(strlen(base) + 16);
    state = malloc(strlen(base) + 16);
    file = malloc(strlen(base) + 32);
    sprintf(ws, "%s\\ws", base);
    sprintf(state, "%s\\state.json", base);
    sprintf(file, "%s\\ws\\d0\\f0.txt", base);
    wchar_t *wws = NULL;
    if ((rc = rf_win_wide(ws, &wws, err)) < 0)
        goto out;
    CreateDirectoryW(wws, NULL);
    free(wws);
    if ((rc = make_tree(ws, files, err)) < 0)
        goto out;
    const char *roots[] = {ws};
    const char *names[] = {".git", ".codex", ".agents", ".ringfence"};
    double t0 = now_ms();
    rc = rf_win_prepare(roots, 1, names, 4, false, state, &prep, err);
    double first = now_ms() - t0;
    if (rc < 0)
        goto out;
    rf_win_prepared_free(&prep);
    t0 = now_ms();
    rc = rf_win_prepare(roots, 1, names, 4, false, state, &prep, err);
    double again = now_ms() - t0;
    if (rc < 0)
        goto out;
    double plain = 0, restricted = 0;
    rc = spawn_median(self, file, NULL, spawns, &plain, err);
    if (rc == 0)
        rc = spawn_median(self, file, prep.token, spawns, &restricted, err);
    if (rc < 0)
        goto out;
    const char *wine = rf_win_wine_version();
    fprintf(out, "platform %s\n", wine ? "wine (numbers are not Windows')" : "windows");
    fprintf(out, "acl_apply_first_ms files=%d %.1f\n", files, first);
    fprintf(out, "acl_apply_again_ms files=%d %.1f (ACEs present: %llu)\n", files, again,
            (unsigned long long)prep.report.present);
    fprintf(out, "spawn_plain_ms median_of=%d %.1f\n", spawns, plain);
    fprintf(out, "spawn_restricted_ms median_of=%d %.1f\n", spawns, restricted);
out:;
    size_t removed = 0;
    if (state)
        rf_win_ungrant(ws, state, &removed, NULL);
    rf_win_prepared_free(&prep);
    /* The tree is throwaway: cmd's rd is not used; delete file by file. */
    for (int i = 0; ws && i < files; i++) {
        char path[MAX_PATH * 2];
        wchar_t *w = NULL;
        snprintf(path, sizeof path, "%s\\d%d\\f%d.txt", ws, i / 100, i);
        if (rf_win_wide(path, &w, NULL) == 0)
            DeleteFileW(w);
        free(w);
        if (i % 100 == 99 || i == files - 1) {
            snprintf(path, sizeof path, "%s\\d%d", ws, i / 100);
            if (rf_win_wide(path, &w, NULL) == 0)
                RemoveDirectoryW(w);
            free(w);
        }
    }
    static const char *const leftovers[] = {"ws\\.git", "ws\\.codex", "ws\\.agents",
                                            "ws\\.ringfence", "ws", "state.json"};
    for (size_t i = 0; base && i < sizeof leftovers / sizeof leftovers[0]; i++) {
        char path[MAX_PATH * 2];
        wchar_t *w = NULL;
        snprintf(path, sizeof path, "%s\\%s", base, leftovers[i]);
        if (rf_win_wide(path, &w, NULL) == 0 && !RemoveDirectoryW(w))
            DeleteFileW(w);
        free(w);
    }
    RemoveDirectoryW(wbase);
    free(base);
    free(ws);
    free(state);
    free(file);
    return rc;
}
