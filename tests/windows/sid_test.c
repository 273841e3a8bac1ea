/* sid_test.c — SID parsing/formatting, synthetic SIDs from injected bytes, shared SIDs. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "backends/windows/sid.h"
#include "tests/check.h"

struct fixed_rng {
    uint8_t bytes[16];
    int calls;
    int fail;
};

static int fixed_random(void *ctx, uint8_t *buf, size_t len, rf_error *err) {
    struct fixed_rng *r = ctx;
    r->calls++;
    if (r->fail) {
        err->code = -EIO;
        snprintf(err->message, sizeof err->message, "BCryptGenRandom: test failure");
        return -EIO;
    }
    memcpy(buf, r->bytes, len);
    return 0;
}

static void test_round_trip(void) {
    static const struct {
        const char *in, *want; /* want NULL: must be refused */
        const char *reason;
    } cases[] = {
        {"S-1-1-0", "S-1-1-0", "Everyone"},
        {"S-1-5-32-545", "S-1-5-32-545", "BUILTIN\\Users"},
        {"s-1-5-18", "S-1-5-18", "lower-case s is accepted"},
        {"S-1-5-21-1-2-3-4294967295", "S-1-5-21-1-2-3-4294967295", "max sub-authority"},
        {"S-1-0x123456789ABC-7", "S-1-0x123456789ABC-7", "48-bit authority printed in hex"},
        {"S-1-5-21-1-2-3-4294967296", NULL, "sub-authority overflow"},
        {"S-2-5-18", NULL, "revision 2"},
        {"S-1-", NULL, "no authority"},
        {"S-1-5-", NULL, "dangling dash"},
        {"S-1-5-18x", NULL, "trailing text"},
        {"X-1-5-18", NULL, "no S prefix"},
        {"S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15", "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15",
         "15 sub-authorities"},
        {"S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16", NULL, "16 sub-authorities"},
        {"", NULL, "empty"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_sid sid;
        rf_error err = {0};
        int rc = rf_sid_parse(cases[i].in, &sid, &err);
        if (!cases[i].want) {
            CHECK(rc < 0 && strstr(err.message, "parse SID"), "%s: '%s' must be refused (%s)",
                  cases[i].reason, cases[i].in, err.message);
            continue;
        }
        CHECK(rc == 0, "%s: parse '%s': %s", cases[i].reason, cases[i].in, err.message);
        char buf[RF_SID_TEXT_MAX];
        rf_sid_format(&sid, buf, sizeof buf);
        CHECK_STR_EQ(buf, cases[i].want, "%s", cases[i].reason);
    }
}

static void test_synthetic(void) {
    static const struct {
        uint8_t bytes[16];
        const char *want;
    } cases[] = {
        {{0}, "S-1-5-21-0-0-0-0"},
        {{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, "S-1-5-21-1-256-65536-16777216"},
        {{0xff, 0xff, 0xff, 0xff, 0x78, 0x56, 0x34, 0x12, 2, 0, 0, 0, 3, 0, 0, 0},
         "S-1-5-21-4294967295-305419896-2-3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fixed_rng rng = {.calls = 0};
        memcpy(rng.bytes, cases[i].bytes, 16);
        char buf[RF_SID_TEXT_MAX];
        rf_error err = {0};
        CHECK(rf_sid_generate(fixed_random, &rng, buf, sizeof buf, &err) == 0, "%s", err.message);
        CHECK_STR_EQ(buf, cases[i].want, "synthetic SID from case %zu", i);
        CHECK(rng.calls == 1, "one draw per SID");
        rf_sid sid;
        CHECK(rf_sid_parse(buf, &sid, &err) == 0 && rf_sid_is_synthetic_shape(&sid) &&
                  !rf_sid_is_shared(&sid),
              "generated SID %s has the synthetic shape and is not shared", buf);
    }
    struct fixed_rng broken = {.fail = 1};
    rf_error err = {0};
    char buf[RF_SID_TEXT_MAX];
    CHECK(rf_sid_generate(fixed_random, &broken, buf, sizeof buf, &err) == -EIO &&
              strstr(err.message, "BCryptGenRandom"),
          "a failing random source fails the generation");
}

static void test_shared(void) {
    static const struct {
        const char *sid;
        bool shared;
        const char *reason;
    } cases[] = {
        {"S-1-1-0", true, "Everyone"},
        {"S-1-5-11", true, "Authenticated Users"},
        {"S-1-5-32-545", true, "BUILTIN\\Users"},
        {"S-1-5-5-0-123456", true, "logon session SID"},
        {"S-1-5-4", true, "Interactive"},
        {"S-1-5-12", true, "Restricted code"},
        {"S-1-5-18", true, "SYSTEM"},
        {"S-1-2-0", true, "Local"},
        {"S-1-16-8192", true, "medium integrity label"},
        {"S-1-15-2-1", true, "ALL APPLICATION PACKAGES"},
        {"S-1-5-21-1-2-3-513", true, "Domain Users"},
        {"S-1-18-1", true, "unknown authority: assumed shared"},
        {"S-1-5-21-11-22-33-44", false, "synthetic per-root SID"},
        {"S-1-5-21-11-22-33-1001", false, "a specific account"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_sid sid;
        rf_error err = {0};
        CHECK(rf_sid_parse(cases[i].sid, &sid, &err) == 0, "%s", err.message);
        CHECK(rf_sid_is_shared(&sid) == cases[i].shared, "%s (%s)", cases[i].reason,
              cases[i].sid);
    }
}

int main(void) {
    test_round_trip();
    test_synthetic();
    test_shared();
    return check_summary("sid_test");
}
