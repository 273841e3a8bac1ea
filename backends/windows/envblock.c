/* envblock.c — sorted, deduplicated, double-NUL-terminated UTF-16 environment block. */
#include "backends/windows/envblock.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/utf16.h"
#include "core/error.h"

typedef struct env_entry {
    uint16_t *text;   /* NAME=VALUE in UTF-16 */
    size_t name_len;  /* units before the separating '=' */
    size_t len;       /* units without the NUL */
    size_t order;     /* position in envp: the later duplicate wins */
} env_entry;

static uint16_t upcase(uint16_t c) { return (c >= 'a' && c <= 'z') ? (uint16_t)(c - 32) : c; }

/* Name order as Windows sorts its block: ordinal on upper-cased units. */
static int name_cmp(const env_entry *a, const env_entry *b) {
    size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
    for (size_t i = 0; i < n; i++) {
        uint16_t x = upcase(a->text[i]), y = upcase(b->text[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return (a->name_len > b->name_len) - (a->name_len < b->name_len);
}

static int entry_cmp(const void *pa, const void *pb) {
    const env_entry *a = pa, *b = pb;
    int c = name_cmp(a, b);
    if (c)
        return c;
    return (a->order > b->order) - (a->order < b->order);
}

static void free_entries(env_entry *e, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(e[i].text);
    free(e);
}

int rf_envblock_build(char *const *envp, uint16_t **out, size_t *out_units, rf_error *err) {
    size_t n = 0;
    while (envp[n])
        n++;
    env_entry *e = calloc(n ? n : 1, sizeof *e);
    if (!e)
        return rf_fail(err, -ENOMEM, "build environment block: out of memory");
    for (size_t i = 0; i < n; i++) {
        /* A leading '=' belongs to the name (=C:=C:\work). */
        const char *eq = strchr(envp[i] + (envp[i][0] == '='), '=');
        if (!eq || eq == envp[i]) {
            free_entries(e, i);
            return rf_fail(err, -EINVAL,
                           "build environment block: entry '%.60s' has no NAME=VALUE form",
                           envp[i]);
        }
        int rc = rf_utf8_to_utf16(envp[i], &e[i].text, &e[i].len, err);
        if (rc < 0) {
            free_entries(e, i);
            return rc;
        }
        size_t k = envp[i][0] == '=' ? 1 : 0;
        while (e[i].text[k] != '=')
            k++;
        e[i].name_len = k;
        e[i].order = i;
    }
    qsort(e, n, sizeof *e, entry_cmp);

    size_t total = 1; /* the final NUL */
    for (size_t i = 0; i < n; i++)
        total += e[i].len + 1;
    uint16_t *block = malloc((total + 1) * sizeof *block);
    if (!block) {
        free_entries(e, n);
        return rf_fail(err, -ENOMEM, "build environment block: out of memory");
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        /* Equal names sort together, later first-in-envp last: keep the last. */
        if (i + 1 < n && name_cmp(&e[i], &e[i + 1]) == 0)
            continue;
        memcpy(block + o, e[i].text, e[i].len * sizeof *block);
        o += e[i].len;
        block[o++] = 0;
    }
    if (o == 0)
        block[o++] = 0; /* an empty block is two NULs */
    block[o++] = 0;
    free_entries(e, n);
    *out = block;
    *out_units = o;
    return 0;
}

static bool entry_is_cmd(const char *entry, size_t len) {
    static const char cmd[] = ".cmd";
    if (len != 4)
        return false;
    for (size_t i = 0; i < 4; i++) {
        char c = entry[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != cmd[i])
            return false;
    }
    return true;
}

char *rf_win_pathext_with_cmd(const char *pathext) {
    if (!pathext || !*pathext)
        return strdup(".COM;.EXE;.BAT;.CMD");
    for (const char *p = pathext; *p;) {
        size_t len = strcspn(p, ";");
        if (entry_is_cmd(p, len))
            return strdup(pathext);
        p += len + (p[len] == ';');
    }
    size_t n = strlen(pathext);
    char *out = malloc(n + sizeof ";.CMD");
    if (!out)
        return NULL;
    memcpy(out, pathext, n);
    /* "A;" already ends with a separator: no empty entry between. */
    strcpy(out + n, pathext[n - 1] == ';' ? ".CMD" : ";.CMD");
    return out;
}
