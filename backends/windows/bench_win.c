/* bench_win.c — ACL apply time against file count, and spawn latency (format: bench_win.h). */
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

/* One run of `self probe read FILE`, with or without the restricted token:
 * start to exit, in ms. */
static int spawn_once(const char *self, const char *file, HANDLE token, double *ms, rf_error *err) {
    char *argv[] = {(char *)self, "probe", "read", (char *)file, NULL};
    char *envp[] = {"SystemRoot=C:\\Windows", NULL};
    rf_win_launch l = {argv, envp, NULL, token, NULL, NULL, NULL};
    rf_win_child child;
    rf_win_outcome o;
    double start = now_ms();
    int rc = rf_win_spawn(&l, &child, err);
    if (rc == 0) {
        rc = rf_win_wait(&child, 30000, &o, err);
        rf_win_child_close(&child);
    }
    *ms = now_ms() - start;
    return rc;
}

/* `spawns` runs of each, interleaved (plain, restricted; then restricted,
 * plain; ...) so that the machine's drift falls on both alike, like the
 * Linux driver.  Every sample is printed; the medians close the list. */
static int spawn_interleaved(const char *self, const char *file, HANDLE token, int spawns, FILE *out,
                             rf_error *err) {
    double *t = calloc((size_t)spawns * 2, sizeof *t);
    if (!t)
        return rf_fail(err, RF_EINTERNAL, "bench: out of memory");
    int rc = 0;
    for (int i = 0; i < spawns && rc == 0; i++)
        for (int k = 0; k < 2 && rc == 0; k++) {
            int which = (i + k) % 2; /* 0 plain, 1 restricted */
            double ms;
            rc = spawn_once(self, file, which ? token : NULL, &ms, err);
            if (rc == 0) {
                t[which * spawns + i] = ms;
                fprintf(out, "spawn %s %.4f\n", which ? "restricted" : "plain", ms);
            }
        }
    if (rc == 0) {
        qsort(t, (size_t)spawns, sizeof *t, cmp_double);
        qsort(t + spawns, (size_t)spawns, sizeof *t, cmp_double);
        fprintf(out, "spawn_plain_median_ms %.4f\n", t[spawns / 2]);
        fprintf(out, "spawn_restricted_median_ms %.4f\n", t[spawns + spawns / 2]);
    }
    free(t);
    return rc;
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
    const char *wine = rf_win_wine_version();
    fprintf(out, "ringfence-win-bench 1\n");
    fprintf(out, "platform %s\n", wine ? "wine" : "windows");
    if (wine)
        fprintf(out, "note Wine %s enforces neither restricted SIDs nor DACLs and schedules "
                     "processes its own way: these are not Windows figures\n",
                wine);
    fprintf(out, "files %d\n", files);
    fprintf(out, "acl_apply_first_ms %.4f\n", first);
    fprintf(out, "acl_apply_again_ms %.4f\n", again);
    fprintf(out, "aces_present %llu\n", (unsigned long long)prep.report.present);
    fprintf(out, "spawns %d\n", spawns);
    rc = spawn_interleaved(self, file, prep.token, spawns, out, err);
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
