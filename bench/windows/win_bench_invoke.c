/* win_bench_invoke.c — running `ringfence-win bench` and collecting its output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/windows/bench_windows.h"

#ifdef _WIN32
#include <windows.h>

/* _popen would read the command in the ANSI code page: UTF-16 instead. */
static FILE *open_pipe(const char *cmd, const char *mode) {
    (void)mode;
    int n = MultiByteToWideChar(CP_UTF8, 0, cmd, -1, NULL, 0);
    wchar_t *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;
    if (!w || MultiByteToWideChar(CP_UTF8, 0, cmd, -1, w, n) <= 0) {
        free(w);
        errno = EINVAL;
        return NULL;
    }
    FILE *f = _wpopen(w, L"rb");
    free(w);
    return f;
}
#define close_pipe _pclose
#else
#define open_pipe popen
#define close_pipe pclose
#endif

int rf_bench_win_invoke(const char *exe, long files, int spawns, rf_bench_win_result *out, char *why,
                        size_t why_len) {
    memset(out, 0, sizeof *out);
    if (strchr(exe, '"')) {
        snprintf(why, why_len, "'%s': a path with a double quote cannot be run through the shell", exe);
        return -1;
    }
    char cmd[4200];
#ifdef _WIN32
    /* cmd.exe /c drops the outer pair of quotes and keeps the inner ones. */
    snprintf(cmd, sizeof cmd, "\"\"%s\" bench %ld %d\"", exe, files, spawns);
#else
    snprintf(cmd, sizeof cmd, "\"%s\" bench %ld %d", exe, files, spawns);
#endif
    FILE *p = open_pipe(cmd, "r");
    if (!p) {
        snprintf(why, why_len, "running %s: %s", cmd, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    size_t n;
    while (text && (n = fread(text + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2) {
            char *bigger = realloc(text, cap * 2);
            if (!bigger) {
                free(text);
                text = NULL;
                break;
            }
            text = bigger;
            cap *= 2;
        }
    }
    int status = close_pipe(p);
    if (!text) {
        snprintf(why, why_len, "reading the output of %s: out of memory", cmd);
        return -1;
    }
    text[len] = '\0';
    int rc = 0;
    if (status != 0) {
        snprintf(why, why_len, "%s exited with status %d", cmd, status);
        rc = -1;
    } else {
        rc = rf_bench_win_parse(text, out, why, why_len);
    }
    free(text);
    return rc;
}
