/* cmdline.c — MSVCRT command-line quoting and its inverse parser. */
#include "backends/windows/cmdline.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

typedef struct strbuf {
    char *data;
    size_t len, cap;
} strbuf;

static bool sb_put(strbuf *sb, char c) {
    if (sb->len + 2 > sb->cap) {
        size_t cap = sb->cap ? sb->cap * 2 : 64;
        char *data = realloc(sb->data, cap);
        if (!data)
            return false;
        sb->data = data;
        sb->cap = cap;
    }
    sb->data[sb->len++] = c;
    sb->data[sb->len] = '\0';
    return true;
}

static bool sb_repeat(strbuf *sb, char c, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!sb_put(sb, c))
            return false;
    return true;
}

static bool needs_quotes(const char *arg) {
    return arg[0] == '\0' || strpbrk(arg, " \t\n\v\"") != NULL;
}

/* One argument after argv[0]. */
static bool quote_arg(strbuf *sb, const char *arg) {
    if (!needs_quotes(arg)) {
        for (const char *p = arg; *p; p++)
            if (!sb_put(sb, *p))
                return false;
        return true;
    }
    if (!sb_put(sb, '"'))
        return false;
    for (const char *p = arg;; p++) {
        size_t backslashes = 0;
        while (*p == '\\') {
            backslashes++;
            p++;
        }
        if (*p == '\0') {
            /* Double trailing backslashes so the closing quote stays a quote. */
            if (!sb_repeat(sb, '\\', backslashes * 2))
                return false;
            break;
        }
        if (*p == '"') {
            if (!sb_repeat(sb, '\\', backslashes * 2 + 1) || !sb_put(sb, '"'))
                return false;
        } else if (!sb_repeat(sb, '\\', backslashes) || !sb_put(sb, *p)) {
            return false;
        }
    }
    return sb_put(sb, '"');
}

int rf_cmdline_quote(char *const *argv, size_t argc, char **out, rf_error *err) {
    *out = NULL;
    if (argc < 1 || !argv[0] || argv[0][0] == '\0')
        return rf_fail(err, -EINVAL, "quote command line: empty program name");
    if (strchr(argv[0], '"'))
        return rf_fail(err, -EINVAL,
                       "quote command line: program name '%s' contains a quote, which "
                       "Windows cannot represent",
                       argv[0]);
    strbuf sb = {0};
    bool ok = true;
    bool quote0 = strpbrk(argv[0], " \t") != NULL;
    if (quote0)
        ok = sb_put(&sb, '"');
    for (const char *p = argv[0]; ok && *p; p++)
        ok = sb_put(&sb, *p);
    if (ok && quote0)
        ok = sb_put(&sb, '"');
    for (size_t i = 1; ok && i < argc; i++)
        ok = sb_put(&sb, ' ') && quote_arg(&sb, argv[i]);
    if (!ok) {
        free(sb.data);
        return rf_fail(err, -ENOMEM, "quote command line for '%s': out of memory", argv[0]);
    }
    *out = sb.data;
    return 0;
}

static bool cmd_needs_quotes(const char *arg) {
    return arg[0] == '\0' || strpbrk(arg, " \t&|<>^(),;=") != NULL;
}

int rf_cmdline_quote_batch(const char *comspec, char *const *argv, size_t argc, char **out,
                           rf_error *err) {
    *out = NULL;
    if (argc < 1 || !argv[0] || !argv[0][0])
        return rf_fail(err, -EINVAL, "quote batch command line: empty script name");
    for (size_t i = 0; i < argc; i++) {
        /* cmd.exe expands %VAR% and !VAR! even inside quotes, and a quote
         * inside an argument would end the quoting early. */
        const char *bad = strpbrk(argv[i], "\"%!\r\n");
        if (bad)
            return rf_fail(err, -EINVAL,
                           "quote batch command line: argument %llu '%s' contains '%c', which "
                           "cmd.exe would interpret",
                           (unsigned long long)i, argv[i], *bad == '\r' || *bad == '\n' ? ' ' : *bad);
    }
    strbuf sb = {0};
    bool ok = sb_put(&sb, '"');
    for (const char *p = comspec; ok && *p; p++)
        ok = sb_put(&sb, *p);
    const char *opts = "\" /d /e:off /v:off /s /c \"\"";
    for (const char *p = opts; ok && *p; p++)
        ok = sb_put(&sb, *p);
    for (const char *p = argv[0]; ok && *p; p++)
        ok = sb_put(&sb, *p);
    ok = ok && sb_put(&sb, '"');
    for (size_t i = 1; ok && i < argc; i++) {
        bool q = cmd_needs_quotes(argv[i]);
        ok = sb_put(&sb, ' ') && (!q || sb_put(&sb, '"'));
        for (const char *p = argv[i]; ok && *p; p++)
            ok = sb_put(&sb, *p);
        ok = ok && (!q || sb_put(&sb, '"'));
    }
    ok = ok && sb_put(&sb, '"');
    if (!ok) {
        free(sb.data);
        return rf_fail(err, -ENOMEM, "quote batch command line for '%s': out of memory", argv[0]);
    }
    *out = sb.data;
    return 0;
}

typedef struct argv_list {
    char **items;
    size_t len, cap;
} argv_list;

/* Moves the buffer (an empty string when nothing was added) to the list. */
static bool list_push(argv_list *list, strbuf *sb) {
    if (!sb->data) {
        sb->data = calloc(1, 1);
        if (!sb->data)
            return false;
    }
    if (list->len + 2 > list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 8;
        char **items = realloc(list->items, cap * sizeof *items);
        if (!items)
            return false;
        list->items = items;
        list->cap = cap;
    }
    list->items[list->len++] = sb->data;
    list->items[list->len] = NULL;
    *sb = (strbuf){0};
    return true;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* The program name: quotes delimit, backslashes are literal. */
static const char *parse_program(const char *p, strbuf *sb, bool *ok) {
    bool quoted = false;
    for (; *p && (quoted || !is_blank(*p)); p++) {
        if (*p == '"')
            quoted = !quoted;
        else
            *ok = *ok && sb_put(sb, *p);
    }
    return p;
}

/* One argument after the program name; p points at its first character. */
static const char *parse_arg(const char *p, strbuf *sb, bool *ok) {
    bool quoted = false;
    while (*p && (quoted || !is_blank(*p))) {
        size_t backslashes = 0;
        while (*p == '\\') {
            backslashes++;
            p++;
        }
        if (*p != '"') {
            *ok = *ok && sb_repeat(sb, '\\', backslashes);
            if (*p && (quoted || !is_blank(*p))) {
                *ok = sb_put(sb, *p) && *ok;
                p++;
            }
            continue;
        }
        *ok = *ok && sb_repeat(sb, '\\', backslashes / 2);
        if (backslashes % 2) {
            *ok = *ok && sb_put(sb, '"'); /* escaped quote */
        } else if (quoted && p[1] == '"') {
            *ok = *ok && sb_put(sb, '"'); /* "" inside quotes */
            p++;
        } else {
            quoted = !quoted;
        }
        p++;
    }
    return p;
}

int rf_cmdline_parse(const char *line, char ***argv_out, size_t *argc_out, rf_error *err) {
    argv_list list = {0};
    strbuf sb = {0};
    bool ok = true;
    *argv_out = NULL;
    *argc_out = 0;

    const char *p = parse_program(line, &sb, &ok);
    ok = ok && list_push(&list, &sb);
    for (;;) {
        while (is_blank(*p))
            p++;
        if (*p == '\0' || !ok)
            break;
        p = parse_arg(p, &sb, &ok);
        ok = ok && list_push(&list, &sb);
    }
    if (!ok) {
        free(sb.data);
        rf_cmdline_free_argv(list.items);
        return rf_fail(err, -ENOMEM, "parse command line: out of memory");
    }
    *argv_out = list.items;
    *argc_out = list.len;
    return 0;
}

void rf_cmdline_free_argv(char **argv) {
    if (!argv)
        return;
    for (char **a = argv; *a; a++)
        free(*a);
    free(argv);
}
