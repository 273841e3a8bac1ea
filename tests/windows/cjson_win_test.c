/*
 * cjson_win_test.c — the cJSON subset the Windows build parses policies with
 * (third_party/cjson_win), checked on Linux: what it accepts, where it puts
 * the error, and how it prints a value for an error message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cjson/cJSON.h"
#include "tests/check.h"

static void test_parse(void) {
    static const struct {
        const char *text;
        const char *printed; /* NULL: must fail */
        long error_at;       /* offset of the reported error when it fails */
        const char *reason;
    } cases[] = {
        {"{\"version\": 1}", "{\"version\":1}", 0, "a small policy"},
        {" \r\n\t[1, -2.5, 1e3, 0]", "[1,-2.5,1000,0]", 0, "numbers and whitespace"},
        {"\xEF\xBB\xBF{}", "{}", 0, "a UTF-8 byte-order mark, as Notepad writes"},
        {"[true,false,null]", "[true,false,null]", 0, "literals"},
        {"\"a\\\"b\\\\c\\/d\\n\"", "\"a\\\"b\\\\c/d\\n\"", 0, "string escapes"},
        {"\"\\u00e9\\ud83d\\ude00\"", "\"\xc3\xa9\xf0\x9f\x98\x80\"", 0,
         "\\u escapes and a surrogate pair become UTF-8"},
        {"{\"a\":{\"b\":[[]]}}", "{\"a\":{\"b\":[[]]}}", 0, "nesting"},
        {"{\"a\":1,}", NULL, 7, "a trailing comma is refused where it stands"},
        {"{\"a\" 1}", NULL, 5, "a missing colon"},
        {"[1 2]", NULL, 3, "a missing comma"},
        {"{\"a\":1} x", NULL, 8, "trailing garbage after the document"},
        {"\"abc", NULL, 4, "an unterminated string"},
        {"\"a\tb\"", NULL, 2, "a raw control character in a string"},
        {"\"\\ud83d\"", NULL, 1, "a lone high surrogate"},
        {"\"\\x41\"", NULL, 1, "an unknown escape"},
        {"01", NULL, 1, "a leading zero"},
        {"-", NULL, 0, "a sign without digits"},
        {"1.", NULL, 0, "a fraction without digits"},
        {"tru", NULL, 0, "a cut literal"},
        {"", NULL, 0, "an empty document"},
        {"{'a':1}", NULL, 1, "single quotes are not JSON"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *text = cases[i].text;
        size_t len = strlen(text);
        const char *end = NULL;
        /* As policy_parse.c calls it: the length counts the final NUL. */
        cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
        if (!cases[i].printed) {
            CHECK(root == NULL, "%s: accepted", cases[i].reason);
            CHECK(end && end - text == cases[i].error_at, "%s: error at %ld, want %ld",
                  cases[i].reason, end ? (long)(end - text) : -1L, cases[i].error_at);
            cJSON_Delete(root);
            continue;
        }
        CHECK(root != NULL, "%s: refused at offset %ld", cases[i].reason,
              end ? (long)(end - text) : -1L);
        char *printed = root ? cJSON_PrintUnformatted(root) : NULL;
        CHECK_STR_EQ(printed, cases[i].printed, "%s", cases[i].reason);
        free(printed);
        cJSON_Delete(root);
    }
}

static void test_access(void) {
    const char *text = "{\"network\":\"off\",\"version\":1.5,\"roots\":[\"a\",\"b\"],\"x\":null}";
    cJSON *root = cJSON_ParseWithLengthOpts(text, strlen(text) + 1, NULL, 1);
    CHECK(root && cJSON_IsObject(root), "the document is an object");
    if (!root)
        return;
    const cJSON *net = cJSON_GetObjectItemCaseSensitive(root, "network");
    CHECK(cJSON_IsString(net) && strcmp(net->valuestring, "off") == 0, "a string member");
    CHECK(cJSON_GetObjectItemCaseSensitive(root, "Network") == NULL,
          "member names are case-sensitive");
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
    CHECK(cJSON_IsNumber(version) && version->valuedouble == 1.5 && version->valueint == 1,
          "a number keeps its fraction (\"version\": 1.5 is not version 1)");
    const cJSON *roots = cJSON_GetObjectItemCaseSensitive(root, "roots");
    CHECK(cJSON_IsArray(roots) && roots->child && roots->child->next &&
              strcmp(roots->child->next->valuestring, "b") == 0 && !roots->child->next->next,
          "array elements in order through child/next");
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(root, "x")), "null");
    CHECK(!cJSON_IsBool(net) && !cJSON_IsArray(net) && !cJSON_IsObject(net) &&
              !cJSON_IsNumber(net) && !cJSON_IsNull(net),
          "a string is nothing else");
    cJSON_Delete(root);

    /* Deep nesting is refused, not a stack overflow. */
    size_t depth = CJSON_NESTING_LIMIT + 5;
    char *deep = malloc(2 * depth + 1);
    if (deep) {
        memset(deep, '[', depth);
        memset(deep + depth, ']', depth);
        deep[2 * depth] = '\0';
        cJSON *r = cJSON_ParseWithLengthOpts(deep, 2 * depth + 1, NULL, 1);
        CHECK(r == NULL, "nesting beyond %d levels is refused", CJSON_NESTING_LIMIT);
        cJSON_Delete(r);
        free(deep);
    }
}

/* Mutated documents (a fixed-seed generator, so a failure repeats): each is
 * refused with an error inside the text, or printed and read back to the
 * same text.  Under --config=asan this also shows no out-of-bounds read. */
static void test_mutations(void) {
    static const char seed[] =
        "{\"version\": 1, \"workspace\": \"C:\\\\w\", \"writable_roots\": [\"a\", \"b\"],"
        " \"env\": {\"set\": {\"K\": \"\\u00e9\\ud83d\\ude00\"}}, \"n\": -1.5e3, \"t\": [true, null]}";
    static const char alphabet[] = "{}[]\",:\\u0123456789eE.-+ tfnrl\x01\xff";
    uint32_t state = 12345;
    size_t len = sizeof seed - 1, refused = 0, accepted = 0;
    char buf[sizeof seed + 8];
    for (int round = 0; round < 3000; round++) {
        memcpy(buf, seed, len + 1);
        for (int k = 0; k < 1 + round % 4; k++) {
            state = state * 1103515245u + 12345u;
            size_t at = (state >> 8) % len;
            state = state * 1103515245u + 12345u;
            buf[at] = alphabet[(state >> 8) % (sizeof alphabet - 1)];
        }
        const char *end = NULL;
        cJSON *root = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 1);
        if (!root) {
            refused++;
            CHECK(end >= buf && end <= buf + len, "round %d: error position inside the text",
                  round);
            continue;
        }
        accepted++;
        char *once = cJSON_PrintUnformatted(root);
        cJSON *again = once ? cJSON_ParseWithLengthOpts(once, strlen(once) + 1, NULL, 1) : NULL;
        char *twice = again ? cJSON_PrintUnformatted(again) : NULL;
        CHECK(once && twice && strcmp(once, twice) == 0, "round %d: print, read, print agree",
              round);
        free(once);
        free(twice);
        cJSON_Delete(again);
        cJSON_Delete(root);
    }
    CHECK(refused > 0 && accepted > 0, "mutations both refused (%zu) and accepted (%zu)", refused,
          accepted);
}

int main(void) {
    test_parse();
    test_mutations();
    test_access();
    return check_summary("cjson_win_test");
}
