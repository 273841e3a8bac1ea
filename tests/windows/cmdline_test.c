/* cmdline_test.c — MSVCRT quoting, its inverse, and round trips. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/cmdline.h"
#include "tests/check.h"

#define MAXARGS 6

static void test_quote(void) {
    static const struct {
        const char *argv[MAXARGS];
        const char *want;
        const char *reason;
    } cases[] = {
        {{"prog", "a", "b"}, "prog a b", "plain words stay bare"},
        {{"prog", "hello world"}, "prog \"hello world\"", "a space needs quotes"},
        {{"prog", ""}, "prog \"\"", "an empty argument is two quotes"},
        {{"prog", "a\"b"}, "prog \"a\\\"b\"", "an inner quote is escaped"},
        {{"prog", "C:\\dir\\"}, "prog C:\\dir\\", "backslashes alone are literal"},
        {{"prog", "C:\\my dir\\"}, "prog \"C:\\my dir\\\\\"", "trailing backslash doubled"},
        {{"prog", "a\\\\\"b"}, "prog \"a\\\\\\\\\\\"b\"", "2 backslashes + quote -> 5 + quote"},
        {{"prog", "tab\there"}, "prog \"tab\there\"", "a tab needs quotes"},
        {{"C:\\Program Files\\x.exe", "-v"}, "\"C:\\Program Files\\x.exe\" -v",
         "program name with a space"},
        {{"prog", "\\\\server\\share"}, "prog \\\\server\\share", "UNC path stays bare"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t argc = 0;
        while (argc < MAXARGS && cases[i].argv[argc])
            argc++;
        char *line = NULL;
        rf_error err = {0};
        CHECK(rf_cmdline_quote((char *const *)cases[i].argv, argc, &line, &err) == 0, "%s: %s",
              cases[i].reason, err.message);
        CHECK_STR_EQ(line, cases[i].want, "%s", cases[i].reason);
        free(line);
    }
    static const char *const bad0[] = {"pr\"og", "x"};
    static const char *const empty0[] = {""};
    char *line = NULL;
    rf_error err = {0};
    CHECK(rf_cmdline_quote((char *const *)bad0, 2, &line, &err) < 0 &&
              strstr(err.message, "contains a quote"),
          "a quote in the program name is refused");
    CHECK(rf_cmdline_quote((char *const *)empty0, 1, &line, &err) < 0,
          "an empty program name is refused");
}

static void test_parse(void) {
    static const struct {
        const char *line;
        const char *want[MAXARGS];
        const char *reason;
    } cases[] = {
        {"prog a  b", {"prog", "a", "b"}, "blanks separate"},
        {"\"C:\\a b\\p.exe\" x", {"C:\\a b\\p.exe", "x"}, "quoted program name"},
        {"C:\\dir\\p.exe x", {"C:\\dir\\p.exe", "x"}, "backslashes in program name"},
        {"p a\\\\\\\"b", {"p", "a\\\"b"}, "3 backslashes + quote -> 1 + literal quote"},
        {"p a\\\\\"b c\"", {"p", "a\\b c"}, "2 backslashes + quote -> 1 + toggle"},
        {"p \"a\"\"b\"", {"p", "a\"b"}, "doubled quote inside quotes"},
        {"p \"\"", {"p", ""}, "empty argument"},
        {"p a\\b", {"p", "a\\b"}, "lone backslash"},
        {"p \"unterminated arg", {"p", "unterminated arg"}, "missing closing quote"},
        {"p\ta\t", {"p", "a"}, "tabs and trailing blank"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char **argv = NULL;
        size_t argc = 0;
        rf_error err = {0};
        CHECK(rf_cmdline_parse(cases[i].line, &argv, &argc, &err) == 0, "%s", err.message);
        size_t want = 0;
        while (want < MAXARGS && cases[i].want[want])
            want++;
        CHECK(argc == want, "%s: got %zu args, want %zu", cases[i].reason, argc, want);
        for (size_t a = 0; a < argc && a < want; a++)
            CHECK_STR_EQ(argv[a], cases[i].want[a], "%s (arg %zu)", cases[i].reason, a);
        rf_cmdline_free_argv(argv);
    }
}

/* Every argument from an alphabet of the troublesome characters, up to
 * length 4, survives quote-then-parse. */
static void test_round_trip(void) {
    static const char alphabet[] = {'a', ' ', '"', '\\', '\t'};
    const size_t k = sizeof alphabet;
    size_t total = 0, ok = 0;
    for (size_t len = 0; len <= 4; len++) {
        size_t combos = 1;
        for (size_t i = 0; i < len; i++)
            combos *= k;
        for (size_t c = 0; c < combos; c++) {
            char arg[8];
            size_t v = c;
            for (size_t i = 0; i < len; i++, v /= k)
                arg[i] = alphabet[v % k];
            arg[len] = '\0';
            const char *argv[] = {"C:\\Program Files\\prog.exe", arg, "tail\\"};
            char *line = NULL, **back = NULL;
            size_t argc = 0;
            rf_error err = {0};
            total++;
            if (rf_cmdline_quote((char *const *)argv, 3, &line, &err) == 0 &&
                rf_cmdline_parse(line, &back, &argc, &err) == 0 && argc == 3 &&
                strcmp(back[0], argv[0]) == 0 && strcmp(back[1], arg) == 0 &&
                strcmp(back[2], argv[2]) == 0)
                ok++;
            else
                CHECK(0, "round trip of '%s' via [%s]", arg, line ? line : "(none)");
            free(line);
            rf_cmdline_free_argv(back);
        }
    }
    CHECK(ok == total && total == 781, "%zu of %zu arguments round-trip", ok, total);
}

/* What cmd.exe would run after /s /c: the outer quotes stripped; returns
 * true when an operator (& | < > ^ ( )) appears outside quotes. */
static bool cmd_sees_operator(const char *line) {
    const char *c = strstr(line, "/s /c \"");
    if (!c)
        return true;
    c += 7;
    size_t n = strlen(c);
    if (n == 0 || c[n - 1] != '"')
        return true;
    bool quoted = false;
    for (size_t i = 0; i + 1 < n; i++) {
        if (c[i] == '"')
            quoted = !quoted;
        else if (!quoted && strchr("&|<>^()", c[i]))
            return true;
    }
    return false;
}

static void test_batch(void) {
    static const struct {
        const char *argv[MAXARGS];
        const char *want; /* NULL: refused */
        const char *reason;
    } cases[] = {
        {{"C:\\deny\\ssh.cmd", "host"},
         "\"C:\\Windows\\system32\\cmd.exe\" /d /e:off /v:off /s /c \"\"C:\\deny\\ssh.cmd\" host\"",
         "plain argument"},
        {{"C:\\x.cmd", "a&calc"},
         "\"C:\\Windows\\system32\\cmd.exe\" /d /e:off /v:off /s /c \"\"C:\\x.cmd\" \"a&calc\"\"",
         "& is quoted so cmd does not start a second command"},
        {{"C:\\x.cmd", ""},
         "\"C:\\Windows\\system32\\cmd.exe\" /d /e:off /v:off /s /c \"\"C:\\x.cmd\" \"\"\"",
         "empty argument"},
        {{"C:\\x.cmd", "a\"&calc"}, NULL, "a quote would end the quoting (BatBadBut)"},
        {{"C:\\x.cmd", "%PATH%"}, NULL, "percent expansion"},
        {{"C:\\x.cmd", "!x!"}, NULL, "delayed expansion"},
        {{"C:\\x.cmd", "a\nb"}, NULL, "newline ends the command"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t argc = 0;
        while (argc < MAXARGS && cases[i].argv[argc])
            argc++;
        char *line = NULL;
        rf_error err = {0};
        int rc = rf_cmdline_quote_batch("C:\\Windows\\system32\\cmd.exe",
                                        (char *const *)cases[i].argv, argc, &line, &err);
        if (!cases[i].want) {
            CHECK(rc == -EINVAL && strstr(err.message, "cmd.exe would interpret"), "%s: %s",
                  cases[i].reason, err.message);
        } else {
            CHECK_STR_EQ(line, cases[i].want, "%s", cases[i].reason);
        }
        free(line);
    }
    /* Every argument made of operators and blanks stays inside quotes. */
    static const char alphabet[] = {'a', '&', '|', '<', '>', '^', '(', ')', ' ', ','};
    size_t k = sizeof alphabet, leaks = 0, total = 0;
    for (size_t c = 0; c < k * k * k; c++) {
        char arg[4] = {alphabet[c % k], alphabet[(c / k) % k], alphabet[c / k / k], '\0'};
        const char *argv[] = {"C:\\x.cmd", arg};
        char *line = NULL;
        rf_error err = {0};
        total++;
        if (rf_cmdline_quote_batch("cmd.exe", (char *const *)argv, 2, &line, &err) != 0 ||
            cmd_sees_operator(line))
            leaks++;
        free(line);
    }
    CHECK(leaks == 0 && total == 1000, "%zu of %zu batch arguments leak an operator", leaks,
          total);
}

int main(void) {
    test_batch();
    test_quote();
    test_parse();
    test_round_trip();
    return check_summary("cmdline_test");
}
