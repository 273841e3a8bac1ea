/* acl_model_test.c — the ACL arithmetic of grants as plain data: entries
 * added, the mask never widening anyone else, strip undoing the add. */
#include "backends/linux/elevated/acl_model.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/check.h"

enum { OWNER = 1000, GROUP = 1000, SB1 = 4000001, SB2 = 4000002, ALICE = 2001, TEAM = 3001 };

typedef struct add_case {
    const char *reason;
    const char *before; /* text form; "" for no ACL (default only) */
    const char *base;   /* the access ACL, for a new default ACL */
    bool is_default;
    rf_acl_named named[3];
    size_t n_named;
    const char *want_after;
    bool strip_restores; /* strip(after) == before: no need to save it */
} add_case;

static const add_case add_cases[] = {
    {"a 0644 file: sandbox users rw-, mask rw-, the owning group keeps r--",
     "u::rw-,g::r--,o::r--",
     NULL,
     false,
     {{SB1, 6}, {SB2, 6}},
     2,
     "u::rw-,u:4000001:rw-,u:4000002:rw-,g::r--,m::rw-,o::r--",
     true},
    {"a 0750 folder: rwx for the sandbox users, group stays r-x behind mask rwx",
     "u::rwx,g::r-x,o::---",
     NULL,
     false,
     {{SB1, 7}, {SB2, 7}},
     2,
     "u::rwx,u:4000001:rwx,u:4000002:rwx,g::r-x,m::rwx,o::---",
     true},
    {"mask r-- held alice's rwx back: the w the new mask opens is taken from her entry",
     "u::rw-,u:2001:rwx,g::r--,m::r--,o::---",
     NULL,
     false,
     {{SB1, 6}, {SB2, 6}},
     2,
     "u::rw-,u:2001:r-x,u:4000001:rw-,u:4000002:rw-,g::r--,m::rw-,o::---",
     false},
    {"a named group held back by the mask loses the newly opened bits too",
     "u::rwx,g::r--,g:3001:rwx,m::r--,o::---",
     NULL,
     false,
     {{SB1, 5}},
     1,
     "u::rwx,u:4000001:r-x,g::r--,g:3001:rw-,m::r-x,o::---",
     false},
    {"a mask wider than its entries cannot be rebuilt from them: saved",
     "u::rwx,u:2001:r--,g::r--,m::rwx,o::---",
     NULL,
     false,
     {{SB1, 5}},
     1,
     "u::rwx,u:2001:r--,u:4000001:r-x,g::r--,m::rwx,o::---",
     false},
    {"the user's own entry for a sandbox uid is replaced, and saved to be given back",
     "u::rw-,u:4000001:r--,g::r--,m::r--,o::r--",
     NULL,
     false,
     {{SB1, 6}, {SB2, 6}},
     2,
     "u::rw-,u:4000001:rw-,u:4000002:rw-,g::r--,m::rw-,o::r--",
     false},
    {"deny: --- for both users, mask not raised",
     "u::rwx,g::r-x,o::r-x",
     NULL,
     false,
     {{SB1, 0}, {SB2, 0}},
     2,
     "u::rwx,u:4000001:---,u:4000002:---,g::r-x,m::r-x,o::r-x",
     true},
    {"a new default ACL starts from the access ACL's base entries",
     "",
     "u::rwx,g::r-x,o::r-x",
     true,
     {{SB1, 7}, {SB2, 7}, {OWNER, 7}},
     3,
     "u::rwx,u:1000:rwx,u:4000001:rwx,u:4000002:rwx,g::r-x,m::rwx,o::r-x",
     true},
    {"a new default ACL ignores the access ACL's named entries and mask",
     "",
     "u::rwx,u:2001:r--,g::---,m::r--,o::---",
     true,
     {{SB1, 5}},
     1,
     "u::rwx,u:4000001:r-x,g::---,m::r-x,o::---",
     true},
};

static void parse_or_fail(const char *text, rf_acl *acl, const char *reason) {
    CHECK(rf_acl_parse(text, acl) == 0, "%s: parsing '%s'", reason, text);
}

/* Everyone but the sandbox users may do exactly what they could before. */
static void check_nobody_else_widened(const rf_acl *before, const rf_acl *after,
                                      const char *reason) {
    const struct {
        unsigned uid;
        unsigned gid;
    } who[] = {
        {OWNER, GROUP}, {ALICE, 9999}, {ALICE, GROUP}, {7777, TEAM}, {7777, GROUP}, {7777, 9999},
    };
    for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
        unsigned b = rf_acl_effective(before, OWNER, GROUP, who[i].uid, &who[i].gid, 1);
        unsigned a = rf_acl_effective(after, OWNER, GROUP, who[i].uid, &who[i].gid, 1);
        CHECK(a == b, "%s: uid %u gid %u could do %o, now %o", reason, who[i].uid, who[i].gid, b,
              a);
    }
}

static void test_add(void) {
    unsigned uids[3] = {SB1, SB2, OWNER};
    for (size_t i = 0; i < sizeof add_cases / sizeof add_cases[0]; i++) {
        const add_case *c = &add_cases[i];
        rf_acl before, base = {0}, after, want;
        parse_or_fail(c->before, &before, c->reason);
        if (c->base)
            parse_or_fail(c->base, &base, c->reason);
        parse_or_fail(c->want_after, &want, c->reason);
        after = before;
        CHECK(rf_acl_add_named(&after, &base, c->named, c->n_named) == 0, "%s: add", c->reason);
        char got[RF_ACL_TEXT_MAX];
        rf_acl_format(&after, got, sizeof got);
        CHECK_STR_EQ(got, c->want_after, "%s: the ACL after the grant", c->reason);
        for (size_t k = 0; k < c->n_named; k++) {
            unsigned none = 9999;
            unsigned eff = rf_acl_effective(&after, OWNER, GROUP, c->named[k].uid, &none, 1);
            CHECK(eff == (c->named[k].perm & 7), "%s: uid %u may do %o, want %o", c->reason,
                  c->named[k].uid, eff, c->named[k].perm & 7);
        }
        if (!c->is_default)
            check_nobody_else_widened(&before, &after, c->reason);
        rf_acl stripped = after;
        rf_acl_strip(&stripped, uids, c->is_default ? 3 : 2, c->is_default);
        CHECK(rf_acl_equal(&stripped, &before) == c->strip_restores,
              "%s: strip(after) == before should be %d", c->reason, c->strip_restores);
    }
}

typedef struct strip_case {
    const char *reason, *acl;
    bool is_default;
    const char *want;
} strip_case;

static const strip_case strip_cases[] = {
    {"last named entry gone: the mask goes, group keeps what the mask allowed it",
     "u::rw-,u:4000001:rw-,g::rw-,m::r--,o::---", false, "u::rw-,g::r--,o::---"},
    {"other named entries stay; the mask becomes their union",
     "u::rwx,u:2001:r--,u:4000001:rwx,g::---,m::rwx,o::---", false,
     "u::rwx,u:2001:r--,g::---,m::r--,o::---"},
    {"a default ACL with no named entry left disappears",
     "u::rwx,u:4000001:rwx,u:1000:rwx,g::r-x,m::rwx,o::r-x", true, ""},
    {"an access ACL without our entries is left alone", "u::rw-,g::r--,o::r--", false,
     "u::rw-,g::r--,o::r--"},
};

static void test_strip(void) {
    unsigned uids[3] = {SB1, SB2, OWNER};
    for (size_t i = 0; i < sizeof strip_cases / sizeof strip_cases[0]; i++) {
        const strip_case *c = &strip_cases[i];
        rf_acl acl;
        parse_or_fail(c->acl, &acl, c->reason);
        rf_acl_strip(&acl, uids, c->is_default ? 3 : 2, c->is_default);
        char got[RF_ACL_TEXT_MAX];
        rf_acl_format(&acl, got, sizeof got);
        CHECK_STR_EQ(got, c->want, "%s", c->reason);
    }
}

static void test_text(void) {
    const struct {
        const char *text;
        int rc;
    } cases[] = {
        {"u::rwx,u:12:r-x,g::r--,g:7:---,m::rwx,o::---", 0},
        {"", 0},
        {"u::rwz", -EINVAL},
        {"x::rwx", -EINVAL},
        {"m:5:rwx", -EINVAL},
        {"u:-1:rwx", -EINVAL},
        {"u:12:rwx,", 0},
        {"u:abc:rwx", -EINVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_acl acl;
        int rc = rf_acl_parse(cases[i].text, &acl);
        CHECK(rc == cases[i].rc, "parse '%s' gave %d, want %d", cases[i].text, rc, cases[i].rc);
        if (rc == 0 && cases[i].text[0] && cases[i].text[strlen(cases[i].text) - 1] != ',') {
            char back[RF_ACL_TEXT_MAX];
            rf_acl_format(&acl, back, sizeof back);
            CHECK_STR_EQ(back, cases[i].text, "format(parse(x)) == x");
        }
    }
    const struct {
        unsigned perm;
        mode_t mode;
        unsigned want;
    } perms[] = {
        {RF_ACL_R | RF_ACL_W | RF_ACL_BIG_X, S_IFREG | 0644, 6},
        {RF_ACL_R | RF_ACL_W | RF_ACL_BIG_X, S_IFREG | 0700, 7},
        {RF_ACL_R | RF_ACL_BIG_X, S_IFDIR | 0700, 5},
        {RF_ACL_R, S_IFDIR | 0755, 4},
    };
    for (size_t i = 0; i < sizeof perms / sizeof perms[0]; i++)
        CHECK(rf_acl_resolve_perm(perms[i].perm, perms[i].mode) == perms[i].want, "X for mode %o",
              (unsigned)perms[i].mode);
}

int main(void) {
    test_add();
    test_strip();
    test_text();
    return check_summary("acl_model_test");
}
