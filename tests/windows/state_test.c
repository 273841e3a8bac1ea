/* state_test.c — path keys, the state file's JSON, and the state (SIDs per canonical path). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/state.h"
#include "backends/windows/winpath.h"
#include "tests/check.h"

static void test_keys(void) {
    static const struct {
        const char *path, *want; /* want NULL: refused */
        const char *reason;
    } cases[] = {
        {"C:\\Work\\Repo", "c:\\work\\repo", "case folded"},
        {"c:/work/repo/", "c:\\work\\repo", "forward slashes and trailing slash"},
        {"\\\\?\\C:\\WORK\\Repo", "c:\\work\\repo", "long-path prefix"},
        {"C:\\\\work\\\\repo", "c:\\work\\repo", "doubled separators"},
        {"C:\\", "c:\\", "drive root keeps its separator"},
        {"C:", "c:\\", "bare drive is its root"},
        {"\\\\Server\\Share\\X", "\\\\server\\share\\x", "UNC path"},
        {"\\\\?\\UNC\\Server\\Share\\X", "\\\\server\\share\\x", "long UNC path"},
        {"work\\repo", NULL, "relative"},
        {"C:work", NULL, "drive-relative"},
        {"C:\\work\\..\\etc", NULL, "dot-dot"},
        {"C:\\work\\.\\repo", NULL, "dot"},
        {"C:\\work\\repo.", NULL, "trailing dot (Win32 strips it: another spelling)"},
        {"C:\\work\\repo ", NULL, "trailing space"},
        {"C:\\work\\file:stream", NULL, "alternate data stream"},
        {"\\\\.\\PhysicalDrive0", NULL, "device path"},
        {"\\\\", NULL, "no server"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *key = NULL;
        rf_error err = {0};
        int rc = rf_winpath_key(cases[i].path, &key, &err);
        if (!cases[i].want)
            CHECK(rc == -EINVAL && strstr(err.message, "path key"), "%s: '%s' refused",
                  cases[i].reason, cases[i].path);
        else
            CHECK_STR_EQ(key, cases[i].want, "%s", cases[i].reason);
        free(key);
    }
    static const struct {
        const char *path, *dir;
        int want;
    } within[] = {
        {"C:\\Work\\Repo\\.git", "c:/work/repo", 1},
        {"C:\\Work\\Repo", "C:\\work\\repo\\", 1},
        {"C:\\Work\\Repo2", "C:\\work\\repo", 0},
        {"C:\\Work", "C:\\work\\repo", 0},
        {"D:\\x", "C:\\", 0},
        {"C:\\x", "C:\\", 1},
    };
    for (size_t i = 0; i < sizeof within / sizeof within[0]; i++)
        CHECK(rf_winpath_within(within[i].path, within[i].dir, NULL) == within[i].want,
              "'%s' within '%s' is %d", within[i].path, within[i].dir, within[i].want);
}

/* The state file's JSON layer (cJSON underneath): what it refuses, and that
 * text survives escaping both ways. */
static void test_json(void) {
    static const struct {
        const char *text;
        const char *want_error; /* NULL: accepted */
        const char *reason;
    } cases[] = {
        {"{\"version\": 1,}", "parse state JSON: invalid JSON at byte", "trailing comma"},
        {"{\"version\" 1}", "parse state JSON", "missing colon"},
        {"{\"version\": 1} x", "parse state JSON", "trailing text"},
        {"\"\\ud800\"", "parse state JSON", "unpaired surrogate"},
        {"{\"version\": 1, \"roots\": [{\"path\": \"C:\\\\a\\u0000b\", "
         "\"sid\": \"S-1-5-21-1-2-3-4\"}]}",
         "NUL (\\u0000) in a string at byte 40", "NUL escape would cut the path short"},
        {"{\"version\": 1, \"roots\": [{\"path\": \"C:\\\\u0000\", "
         "\"sid\": \"S-1-5-21-1-2-3-4\"}]}",
         NULL, "an escaped backslash before u0000 is a folder name, not a NUL"},
        {"[1]", "field 'version'", "not an object"},
        {"{\"version\": \"1\"}", "field 'version'", "version as a string"},
        {"{\"version\": 1.5}", "field 'version'", "fractional version"},
        {"{\"version\": 1, \"grants\": [], \"grants\": []}", "field 'grants' appears twice",
         "a repeated field would hide grants from ungrant"},
        {"{\"version\": 1, \"grants\": [{\"path\": \"C:\\\\a\", \"sid\": \"S-1-5-21-1-2-3-4\","
         "\"type\": \"allow\", \"mask\": 1.5, \"inherit\": 3}]}",
         "grants[0]", "fractional mask"},
        {"{\"version\": 1, \"grants\": [{\"path\": \"C:\\\\a\", \"sid\": \"S-1-5-21-1-2-3-4\","
         "\"type\": \"allow\", \"mask\": 4294967296, \"inherit\": 3}]}",
         "grants[0]", "mask above 32 bits"},
        {"{\"version\": 1, \"grants\": [{\"path\": \"C:\\\\a\", \"sid\": \"S-1-5-21-1-2-3-4\","
         "\"type\": \"allow\", \"mask\": -1, \"inherit\": 3}]}",
         "grants[0]", "negative mask"},
        {"{\"version\": 1, \"grants\": [{\"path\": \"C:\\\\a\", \"sid\": \"S-1-5-21-1-2-3-4\","
         "\"type\": \"allow\", \"mask\": 1, \"inherit\": 256}]}",
         "grants[0]", "inherit flags above a byte"},
        {"{\"version\": 1, \"grants\": [{\"path\": \"C:\\\\a\", \"sid\": \"S-1-5-21-1-2-3-4\","
         "\"type\": \"allow\", \"mask\": 4294967295, \"inherit\": 255}]}",
         NULL, "the largest mask and inherit flags"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_win_state *st = NULL;
        rf_error err = {0};
        int rc = rf_win_state_parse(cases[i].text, &st, &err);
        if (cases[i].want_error)
            CHECK(rc == -EINVAL && !st && strstr(err.message, cases[i].want_error),
                  "%s: want '%s', got '%s'", cases[i].reason, cases[i].want_error, err.message);
        else
            CHECK(rc == 0 && st, "%s: %s", cases[i].reason, err.message);
        rf_win_state_free(st);
    }

    /* \u escapes decode to UTF-8, and UTF-8 and backslashes are written back
     * so that they read the same. */
    rf_win_state *st = NULL, *back = NULL;
    rf_error err = {0};
    char *text = NULL;
    CHECK(rf_win_state_parse("{\"version\": 1, \"roots\": [{\"path\": \"C:\\\\caf\\u00e9\\ud83d"
                             "\\ude00\", \"sid\": \"S-1-5-21-1-2-3-4\"}]}",
                             &st, &err) == 0 &&
              st->n_roots == 1 && strcmp(st->roots[0].path, "C:\\caf\xc3\xa9\xf0\x9f\x98\x80") == 0,
          "\\u escapes decode to UTF-8: %s", err.message);
    rf_ace big = {.path = "C:\\caf\xc3\xa9", .type = RF_ACE_DENY, .mask = UINT32_MAX,
                  .inherit = 0xFF, .sid = "S-1-5-21-1-2-3-4"};
    CHECK(st && rf_win_state_add_grant(st, &big, &err) == 0, "add a grant: %s", err.message);
    CHECK(st && rf_win_state_to_json(st, &text, &err) == 0 && text &&
              strstr(text, "4294967295") && text[strlen(text) - 1] == '\n',
          "the largest mask is written as a whole number, and the file ends in a newline");
    CHECK(text && rf_win_state_parse(text, &back, &err) == 0 && back->n_roots == 1 &&
              strcmp(back->roots[0].path, st->roots[0].path) == 0 && back->n_grants == 1 &&
              back->grants[0].mask == UINT32_MAX && back->grants[0].inherit == 0xFF &&
              back->grants[0].type == RF_ACE_DENY &&
              strcmp(back->grants[0].path, "C:\\caf\xc3\xa9") == 0,
          "UTF-8 paths, backslashes and 32-bit masks survive a round trip: %s", err.message);
    free(text);
    rf_win_state_free(back);
    rf_win_state_free(st);
}

/* A random source that counts up, so every SID differs and is predictable. */
static int counting_random(void *ctx, uint8_t *buf, size_t len, rf_error *err) {
    (void)err;
    uint8_t *next = ctx;
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(i == 0 ? (*next)++ : 0);
    return 0;
}

static void test_state(void) {
    rf_win_state *st = NULL;
    rf_error err = {0};
    uint8_t counter = 7;
    CHECK(rf_win_state_new(&st, &err) == 0, "new state");
    static const struct {
        const char *path;
        const char *want_sid;
        int created;
        const char *reason;
    } roots[] = {
        {"C:\\Work\\Repo", "S-1-5-21-7-0-0-0", 1, "first root gets a fresh SID"},
        {"c:/work/repo/", "S-1-5-21-7-0-0-0", 0, "another spelling shares the SID"},
        {"\\\\?\\C:\\WORK\\REPO", "S-1-5-21-7-0-0-0", 0, "long-path spelling shares it too"},
        {"C:\\Work\\Other", "S-1-5-21-8-0-0-0", 1, "another folder gets its own SID"},
    };
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        char sid[RF_SID_TEXT_MAX] = "";
        int created = -1;
        CHECK(rf_win_state_root_sid(st, roots[i].path, counting_random, &counter, sid, &created,
                                    &err) == 0,
              "%s: %s", roots[i].reason, err.message);
        CHECK_STR_EQ(sid, roots[i].want_sid, "%s", roots[i].reason);
        CHECK(created == roots[i].created, "%s: created=%d", roots[i].reason, created);
    }
    char ro[RF_SID_TEXT_MAX];
    CHECK(rf_win_state_readonly_sid(st, counting_random, &counter, ro, &err) == 0 &&
              strcmp(ro, "S-1-5-21-9-0-0-0") == 0,
          "read-only SID created once (%s)", ro);

    rf_ace grants[] = {
        {.path = "C:\\Work\\Repo", .type = RF_ACE_ALLOW, .mask = 0x1301bf, .inherit = 3},
        {.path = "C:\\Work\\Repo\\.git", .type = RF_ACE_DENY, .mask = 0xd0156, .inherit = 3},
        {.path = "C:\\Work\\Other", .type = RF_ACE_ALLOW, .mask = 0x1301bf, .inherit = 3},
        {.path = "c:/work/repo", .type = RF_ACE_ALLOW, .mask = 0x1301bf, .inherit = 3},
        {.path = RF_NUL_DEVICE, .type = RF_ACE_ALLOW, .mask = 0x12019f, .inherit = 0},
        {.path = RF_NUL_DEVICE, .type = RF_ACE_ALLOW, .mask = 0x12019f, .inherit = 0},
    };
    for (size_t i = 0; i < 6; i++) {
        snprintf(grants[i].sid, sizeof grants[i].sid, "%s",
                 (i == 2 || i == 5) ? "S-1-5-21-8-0-0-0" : "S-1-5-21-7-0-0-0");
        CHECK(rf_win_state_add_grant(st, &grants[i], &err) == 0, "%s", err.message);
    }
    CHECK(st->n_grants == 5, "a grant recorded under another spelling is not duplicated (%zu)",
          st->n_grants);

    char *text = NULL;
    CHECK(rf_win_state_to_json(st, &text, &err) == 0, "%s", err.message);
    rf_win_state *back = NULL;
    CHECK(text && rf_win_state_parse(text, &back, &err) == 0, "re-read state: %s", err.message);
    if (back) {
        CHECK(back->n_roots == 2 && back->n_grants == 5 &&
                  strcmp(back->readonly_sid, "S-1-5-21-9-0-0-0") == 0,
              "state survives a round trip");
        char sid[RF_SID_TEXT_MAX];
        int created = -1;
        CHECK(rf_win_state_root_sid(back, "C:/WORK/OTHER", counting_random, &counter, sid,
                                    &created, &err) == 0 &&
                  strcmp(sid, "S-1-5-21-8-0-0-0") == 0 && created == 0,
              "a re-read state still maps spellings to the recorded SID");
        rf_ace *taken = NULL;
        size_t n = 0;
        CHECK(rf_win_state_take_grants_under(back, "c:\\work\\repo", &taken, &n, &err) == 0 &&
                  n == 3 && back->n_grants == 2 &&
                  strcmp(back->grants[0].path, "C:\\Work\\Other") == 0 &&
                  strcmp(back->grants[1].sid, "S-1-5-21-8-0-0-0") == 0,
              "ungrant takes the grants under the folder and its root's NUL grant, only those");
        rf_acl_free_aces(taken, n);
        CHECK(rf_win_state_take_grants_under(back, "relative", &taken, &n, &err) == -EINVAL,
              "ungrant of a relative folder is refused");
    }
    free(text);
    rf_win_state_free(back);
    rf_win_state_free(st);

    static const struct {
        const char *text;
        const char *want_error;
    } bad[] = {
        {"{\"version\": 2}", "version"},
        {"{\"version\": 1, \"extra\": 1}", "unknown field 'extra'"},
        {"{\"version\": 1, \"readonly_sid\": \"S-1-1-0\"}", "not a synthetic SID"},
        {"{\"version\": 1, \"roots\": [{\"path\": \"C:\\\\a\", \"sid\": \"S-1-5-32-545\"}]}",
         "not a synthetic SID"},
        {"{\"version\": 1, \"roots\": [{\"path\": \"C:\\\\a\", \"sid\": \"S-1-5-21-1-2-3-4\"},"
         "{\"path\": \"c:/A\", \"sid\": \"S-1-5-21-1-2-3-5\"}]}",
         "recorded twice"},
        {"{\"version\": 1, \"roots\": [{\"path\": \"C:\\\\a\", \"sid\": \"S-1-5-21-1-2-3-4\"},"
         "{\"path\": \"C:\\\\b\", \"sid\": \"S-1-5-21-1-2-3-4\"}]}",
         "recorded twice"},
        {"{\"version\": 1, \"roots\": [{\"path\": \"a\", \"sid\": \"S-1-5-21-1-2-3-4\"}]}",
         "not an absolute path"},
        {"{\"version\": 1, \"grants\": [{\"path\": \"C:\\\\a\", \"sid\": \"S-1-5-21-1-2-3-4\","
         "\"type\": \"maybe\", \"mask\": 1, \"inherit\": 3}]}",
         "grants[0]"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rf_win_state *s = NULL;
        rf_error e = {0};
        CHECK(rf_win_state_parse(bad[i].text, &s, &e) < 0 && !s &&
                  strstr(e.message, bad[i].want_error),
              "bad state %zu: want '%s', got '%s'", i, bad[i].want_error, e.message);
    }
}

int main(void) {
    test_keys();
    test_json();
    test_state();
    return check_summary("state_test");
}
