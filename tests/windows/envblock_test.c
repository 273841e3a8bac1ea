/* envblock_test.c — UTF-8/UTF-16 conversion and the CreateProcessW environment block. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/envblock.h"
#include "backends/windows/utf16.h"
#include "tests/check.h"

static void test_utf16(void) {
    static const struct {
        const char *utf8;
        uint16_t want[6]; /* NUL-terminated; unused when bad */
        bool bad;
        const char *reason;
    } cases[] = {
        {"A", {0x41}, false, "ASCII"},
        {"\xc3\xa9", {0xE9}, false, "2-byte e-acute"},
        {"\xe2\x82\xac", {0x20AC}, false, "3-byte euro sign"},
        {"\xf0\x9f\x98\x80", {0xD83D, 0xDE00}, false, "4-byte emoji becomes a surrogate pair"},
        {"\xc0\xaf", {0}, true, "overlong '/' is refused"},
        {"\xed\xa0\x80", {0}, true, "encoded surrogate is refused"},
        {"\xf4\x90\x80\x80", {0}, true, "above U+10FFFF"},
        {"\xe2\x82", {0}, true, "truncated sequence"},
        {"\x80", {0}, true, "lone continuation byte"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint16_t *w = NULL;
        size_t n = 0;
        rf_error err = {0};
        int rc = rf_utf8_to_utf16(cases[i].utf8, &w, &n, &err);
        if (cases[i].bad) {
            CHECK(rc == -EILSEQ && strstr(err.message, "invalid UTF-8"), "%s", cases[i].reason);
            continue;
        }
        CHECK(rc == 0, "%s: %s", cases[i].reason, err.message);
        size_t want_len = rf_utf16_len(cases[i].want);
        CHECK(n == want_len && memcmp(w, cases[i].want, (n + 1) * sizeof *w) == 0, "%s",
              cases[i].reason);
        char *back = NULL;
        CHECK(rf_utf16_to_utf8(w, &back, &err) == 0, "%s: %s", cases[i].reason, err.message);
        CHECK_STR_EQ(back, cases[i].utf8, "%s: round trip", cases[i].reason);
        free(back);
        free(w);
    }
    const uint16_t lone[] = {0x41, 0xD800, 0x42, 0};
    char *out = NULL;
    rf_error err = {0};
    CHECK(rf_utf16_to_utf8(lone, &out, &err) == -EILSEQ, "an unpaired surrogate is refused");
}

/* The block as UTF-8 strings, for comparison: entries separated by '|'. */
static char *block_text(const uint16_t *block, size_t units) {
    char *s = malloc(units + 1);
    size_t o = 0;
    for (size_t i = 0; i + 1 < units; i++)
        s[o++] = block[i] ? (char)block[i] : '|';
    s[o] = '\0';
    return s;
}

static void test_block(void) {
    static const struct {
        const char *env[6];
        const char *want; /* entries joined by '|', ends with the last entry's '|' */
        const char *reason;
    } cases[] = {
        {{"B=2", "a=1", "C=3"}, "a=1|B=2|C=3|", "sorted without regard to case"},
        {{"Path=C:\\old", "PATH=C:\\deny;C:\\old"}, "PATH=C:\\deny;C:\\old|",
         "Path and PATH are one variable; the later wins"},
        {{"=C:=C:\\work", "A=1"}, "=C:=C:\\work|A=1|", "drive-cwd entry kept, '=' sorts first"},
        {{"X=a=b"}, "X=a=b|", "value may contain '='"},
        {{"E="}, "E=|", "empty value"},
        {{"AB=1", "A=2", "A_=3"}, "A=2|AB=1|A_=3|", "shorter name first, then by unit"},
        {{NULL}, "|", "empty environment is two NULs"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint16_t *block = NULL;
        size_t units = 0;
        rf_error err = {0};
        CHECK(rf_envblock_build((char *const *)cases[i].env, &block, &units, &err) == 0, "%s: %s",
              cases[i].reason, err.message);
        if (!block)
            continue;
        CHECK(units >= 2 && block[units - 1] == 0 && block[units - 2] == 0,
              "%s: ends with two NULs", cases[i].reason);
        char *text = block_text(block, units);
        CHECK_STR_EQ(text, cases[i].want, "%s", cases[i].reason);
        free(text);
        free(block);
    }
    static const char *const bad[][2] = {{"NOEQUALS", NULL}, {"=", NULL}, {"X=\xff", NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint16_t *block = NULL;
        size_t units = 0;
        rf_error err = {0};
        CHECK(rf_envblock_build((char *const *)bad[i], &block, &units, &err) < 0 && !block,
              "entry '%s' is refused", bad[i][0]);
    }
    /* Non-ASCII values arrive as UTF-16. */
    const char *env[] = {"N=\xe2\x82\xac", NULL};
    uint16_t *block = NULL;
    size_t units = 0;
    rf_error err = {0};
    CHECK(rf_envblock_build((char *const *)env, &block, &units, &err) == 0 && units == 5 &&
              block[2] == 0x20AC,
          "euro sign in a value is one UTF-16 unit");
    free(block);
}

static void test_pathext(void) {
    static const struct {
        const char *in, *want, *reason;
    } cases[] = {
        {NULL, ".COM;.EXE;.BAT;.CMD", "no PATHEXT: the Windows default, which has .CMD"},
        {"", ".COM;.EXE;.BAT;.CMD", "empty PATHEXT: the default"},
        {".COM;.EXE;.BAT;.CMD;.VBS", ".COM;.EXE;.BAT;.CMD;.VBS", "already lists .CMD: unchanged"},
        {".com;.exe;.cmd", ".com;.exe;.cmd", ".cmd in lower case counts"},
        {".COM;.EXE", ".COM;.EXE;.CMD", "no .CMD: appended (position does not matter)"},
        {".COM;.EXE;", ".COM;.EXE;.CMD", "a trailing ';' gives no empty entry"},
        {".CMDX;.EXE", ".CMDX;.EXE;.CMD", ".CMDX is not .CMD"},
        {"X.CMD;.EXE", "X.CMD;.EXE;.CMD", "an entry merely ending in .CMD is not .CMD"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = rf_win_pathext_with_cmd(cases[i].in);
        CHECK_STR_EQ(got, cases[i].want, "%s", cases[i].reason);
        free(got);
    }
}

int main(void) {
    test_pathext();
    test_utf16();
    test_block();
    return check_summary("envblock_test");
}
