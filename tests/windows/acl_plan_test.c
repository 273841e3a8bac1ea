/*
 * acl_plan_test.c — the ACL planner's output, and every plan checked against
 * the model of the Windows access check (access_model.h) for a
 * write-restricted token whose restricting SIDs are the root SIDs only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/acl_plan.h"
#include "tests/check.h"
#include "tests/windows/access_model.h"

#define USER "S-1-5-21-100-200-300-1001"
#define SID_WS "S-1-5-21-11-12-13-14"
#define SID_CACHE "S-1-5-21-21-22-23-24"
#define EVERYONE "S-1-1-0"
#define LOGON "S-1-5-5-0-99999"
#define SID_RO "S-1-5-21-31-32-33-34"

static const char *const roots[] = {"C:\\Users\\dev\\ws", "C:\\Users\\dev\\cache"};
static const char *const root_sids[] = {SID_WS, SID_CACHE};
static const char *const protected_names[] = {".git", ".codex", "sub/dir"};

static const rf_acl_plan_input default_input = {
    .roots = roots,
    .root_sids = root_sids,
    .n_roots = 2,
    .protected_names = protected_names,
    .n_protected = 3,
};

static void test_plan_content(void) {
    rf_acl_plan plan = {0};
    rf_error err = {0};
    CHECK(rf_acl_plan_build(&default_input, &plan, &err) == 0, "%s", err.message);
    static const char *const want[] = {
        "allow " SID_WS " 0x001301bf OICI on C:\\Users\\dev\\ws",
        "allow " SID_CACHE " 0x001301bf OICI on C:\\Users\\dev\\cache",
        "deny " SID_WS " 0x000d0156 OICI (created if absent) on C:\\Users\\dev\\ws\\.git",
        "deny " SID_WS " 0x000d0156 OICI (created if absent) on C:\\Users\\dev\\ws\\.codex",
        "deny " SID_WS " 0x000d0156 OICI (created if absent) on C:\\Users\\dev\\ws\\sub\\dir",
        "deny " SID_CACHE " 0x000d0156 OICI (created if absent) on C:\\Users\\dev\\cache\\.git",
        "deny " SID_CACHE " 0x000d0156 OICI (created if absent) on C:\\Users\\dev\\cache\\.codex",
        "deny " SID_CACHE " 0x000d0156 OICI (created if absent) on C:\\Users\\dev\\cache\\sub\\dir",
        "allow " SID_WS " 0x0012019f  on \\\\.\\NUL",
        "allow " SID_CACHE " 0x0012019f  on \\\\.\\NUL",
    };
    size_t n = sizeof want / sizeof want[0];
    CHECK(plan.len == n, "plan has %zu ACEs, want %zu", plan.len, n);
    for (size_t i = 0; i < plan.len && i < n; i++) {
        char line[512];
        rf_ace_describe(&plan.aces[i], line, sizeof line);
        CHECK_STR_EQ(line, want[i], "ACE %zu", i);
    }
    for (size_t i = 0; i < plan.len; i++)
        CHECK(!(plan.aces[i].type == RF_ACE_ALLOW && (plan.aces[i].mask & RF_FILE_DELETE_CHILD)),
              "no allow ACE grants FILE_DELETE_CHILD (it overrides a child's deny-DELETE)");
    rf_acl_plan_free(&plan);

    /* Nested roots: a protected path inside both roots is denied to both SIDs. */
    static const char *const nested[] = {"C:\\w", "C:\\w\\inner"};
    static const char *const nested_sids[] = {SID_WS, SID_CACHE};
    static const char *const git[] = {".git"};
    rf_acl_plan_input in = {nested, nested_sids, 2, git, 1, NULL};
    CHECK(rf_acl_plan_build(&in, &plan, &err) == 0, "%s", err.message);
    int denies_inner_git = 0;
    for (size_t i = 0; i < plan.len; i++)
        denies_inner_git += plan.aces[i].type == RF_ACE_DENY &&
                            strcmp(plan.aces[i].path, "C:\\w\\inner\\.git") == 0;
    CHECK(denies_inner_git == 2, "C:\\w\\inner\\.git is denied to both root SIDs (%d)",
          denies_inner_git);
    rf_acl_plan_free(&plan);

    /* A private temporary folder: one allow ACE for the first root's SID. */
    rf_acl_plan_input with_tmp = default_input;
    with_tmp.scratch = "C:\\Users\\dev\\AppData\\Local\\ringfence\\tmp\\w1";
    CHECK(rf_acl_plan_build(&with_tmp, &plan, &err) == 0, "%s", err.message);
    int tmp_aces = 0;
    for (size_t i = 0; i < plan.len; i++)
        if (strcmp(plan.aces[i].path, with_tmp.scratch) == 0) {
            tmp_aces++;
            CHECK(plan.aces[i].type == RF_ACE_ALLOW && strcmp(plan.aces[i].sid, SID_WS) == 0 &&
                      !plan.aces[i].create_if_absent,
                  "the temporary folder is allowed to the first root's SID");
        }
    CHECK(tmp_aces == 1 && plan.len == 11, "one ACE for the temporary folder (%d, %zu)", tmp_aces,
          plan.len);
    rf_acl_plan_free(&plan);
    with_tmp.scratch = "tmp";
    CHECK(rf_acl_plan_build(&with_tmp, &plan, &err) < 0, "a relative temporary folder is refused");
}

static void test_plan_refusals(void) {
    static const struct {
        const char *root, *sid, *name, *want;
    } cases[] = {
        {"C:\\ws", EVERYONE, ".git", "not a synthetic per-root SID"},
        {"C:\\ws", "S-1-5-32-545", ".git", "not a synthetic per-root SID"},
        {"C:\\ws", LOGON, ".git", "not a synthetic per-root SID"},
        {"C:\\ws", "S-1-5-21-1-2-3-513", ".git", "not a synthetic per-root SID"},
        {"C:\\ws", "garbage", ".git", "parse SID"},
        {"ws", SID_WS, ".git", "not an absolute path"},
        {"C:\\ws", SID_WS, "..\\outside", "'..' part"},
        {"C:\\ws", SID_WS, "a/../../x", "'..' part"},
        {"C:\\ws", SID_WS, "C:\\Windows", "not relative"},
        {"C:\\ws", SID_WS, "\\Windows", "not relative"},
        {"C:\\ws", SID_WS, "", "not relative"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *r[] = {cases[i].root}, *s[] = {cases[i].sid}, *p[] = {cases[i].name};
        rf_acl_plan_input in = {r, s, 1, p, 1, NULL};
        rf_acl_plan plan = {0};
        rf_error err = {0};
        CHECK(rf_acl_plan_build(&in, &plan, &err) < 0 && plan.len == 0 &&
                  strstr(err.message, cases[i].want),
              "case %zu: want '%s', got '%s'", i, cases[i].want, err.message);
    }
}

/* The laptop: a profile the user owns, a workspace, a second root, a folder
 * outside that grants Everyone full control (Codex issue #17551). */
static void build_fixture(am_fs *fs) {
    am_add(fs, "C:\\", true, "S-1-5-32-544");
    am_add_ace(am_find(fs, "C:\\"), "S-1-5-32-544", RF_ACE_ALLOW, RF_FILE_ALL_ACCESS, 3);
    am_add_ace(am_find(fs, "C:\\"), "S-1-5-11", RF_ACE_ALLOW,
               RF_FILE_GENERIC_READ | RF_FILE_GENERIC_EXECUTE, 3);
    am_add(fs, "C:\\Users", true, NULL);
    am_add(fs, "C:\\Users\\dev", true, USER);
    am_node *home = am_find(fs, "C:\\Users\\dev");
    home->protected_dacl = true;
    am_add_ace(home, USER, RF_ACE_ALLOW, RF_FILE_ALL_ACCESS, 3);
    am_add_ace(home, "S-1-5-18", RF_ACE_ALLOW, RF_FILE_ALL_ACCESS, 3);
    const char *dirs[] = {"ws", "ws\\src", "ws\\.git", "ws\\.git\\hooks", "ws\\sub", "cache",
                          "outside", "plain"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "C:\\Users\\dev\\%s", dirs[i]);
        am_add(fs, path, true, NULL);
    }
    const char *files[] = {"ws\\src\\main.c", "ws\\.git\\config", "notes.txt",
                           "outside\\data.txt", "plain\\data.txt"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "C:\\Users\\dev\\%s", files[i]);
        am_add(fs, path, false, NULL);
    }
    am_add_ace(am_find(fs, "C:\\Users\\dev\\outside"), EVERYONE, RF_ACE_ALLOW, RF_FILE_ALL_ACCESS,
               3);
}

static const char *const user_sids[] = {USER, EVERYONE, "S-1-5-32-545", "S-1-5-11", "S-1-5-4",
                                        LOGON, "S-1-2-0"};

#define MAXSTEPS 3
typedef struct step {
    am_op op;
    const char *path, *path2;
} step;

enum { ANY = 0, ALLOW = 1, DENY = 2 };

static const struct {
    step steps[MAXSTEPS]; /* earlier steps set the stage; the last one is judged */
    int narrow, broad;    /* expected result of the last step under each reading */
    const char *reason;
} cases[] = {
    {{{AM_WRITE, "ws\\src\\main.c", NULL}}, ALLOW, ALLOW, "edit a source file"},
    {{{AM_WRITE, "ws\\new.txt", NULL}}, ALLOW, ALLOW, "create a file in the workspace"},
    {{{AM_MKDIR, "ws\\build", NULL}, {AM_WRITE, "ws\\build\\out.o", NULL}}, ALLOW, ALLOW,
     "create a folder and a file in it"},
    {{{AM_DELETE, "ws\\src\\main.c", NULL}}, ALLOW, ALLOW, "delete a workspace file"},
    {{{AM_RENAME, "ws\\src\\main.c", "ws\\main.c"}}, ALLOW, ALLOW, "move a workspace file"},
    {{{AM_WRITE, "cache\\blob", NULL}}, ALLOW, ALLOW, "write the second writable root"},
    {{{AM_READ, "notes.txt", NULL}}, ALLOW, ALLOW, "reads stay broad"},
    {{{AM_WRITE, "ws\\.git\\config", NULL}}, DENY, DENY, "overwrite .git\\config"},
    {{{AM_WRITE, "ws\\.git\\hooks\\post-checkout", NULL}}, DENY, DENY, "plant a git hook"},
    {{{AM_MKDIR, "ws\\.git\\objects", NULL}}, DENY, DENY, "add a folder inside .git"},
    {{{AM_WRITE, "ws\\.codex\\config.toml", NULL}}, DENY, DENY, "absent .codex was created denied"},
    {{{AM_WRITE, "cache\\.git\\config", NULL}}, DENY, DENY, "protected names hold in every root"},
    {{{AM_WRITE, "ws\\sub\\dir\\x", NULL}}, DENY, DENY, "nested protected name"},
    {{{AM_WRITE, "outside\\data.txt", NULL}}, DENY, DENY,
     "Everyone:F folder outside: existing file (#17551)"},
    {{{AM_WRITE, "outside\\new.txt", NULL}}, DENY, DENY, "Everyone:F folder outside: new file"},
    {{{AM_WRITE, "plain\\data.txt", NULL}}, DENY, DENY, "ordinary folder outside"},
    {{{AM_WRITE, "notes.txt", NULL}}, DENY, DENY, "the user's own file outside"},
    {{{AM_READ, "ws\\.git\\config", NULL}}, ALLOW, ALLOW, "reading .git stays allowed"},
    /* These depend on which bits the write-restricted pass filters: */
    {{{AM_DELETE, "notes.txt", NULL}}, ALLOW, DENY, "delete the user's file outside"},
    {{{AM_DELETE, "ws\\.git\\config", NULL}}, ALLOW, DENY, "delete .git\\config"},
    {{{AM_RENAME, "ws\\.git", "ws\\.git_old"}, {AM_MKDIR, "ws\\.git", NULL},
      {AM_WRITE, "ws\\.git\\config", NULL}},
     ALLOW, DENY, "move .git away, recreate it, write config"},
    {{{AM_CHMOD, "ws\\.git", NULL}}, ALLOW, DENY, "rewrite .git's DACL (owner's implicit WRITE_DAC)"},
};

static void path_of(const char *rel, char *out, size_t size) {
    snprintf(out, size, "C:\\Users\\dev\\%s", rel);
}

/* Runs every case on a fresh fixture with `plan` applied; returns the number
 * of cases whose last step was allowed, and checks expectations when asked. */
static void run_cases(const rf_acl_plan *plan, const am_token *tok, bool check, int *allowed_out,
                      const char *label) {
    int allowed_count = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        am_fs fs = {0};
        build_fixture(&fs);
        CHECK(am_apply_plan(&fs, plan, USER) >= 0, "%s: plan applies to the fixture", label);
        bool last = false;
        for (size_t s = 0; s < MAXSTEPS && cases[i].steps[s].path; s++) {
            char p1[256], p2[256];
            path_of(cases[i].steps[s].path, p1, sizeof p1);
            if (cases[i].steps[s].path2)
                path_of(cases[i].steps[s].path2, p2, sizeof p2);
            last = am_try(&fs, tok, cases[i].steps[s].op, p1,
                          cases[i].steps[s].path2 ? p2 : NULL, USER);
        }
        allowed_count += last;
        int want = tok->write_mask == AM_WRITE_BROAD ? cases[i].broad : cases[i].narrow;
        if (check && want != ANY)
            CHECK(last == (want == ALLOW), "%s: %s: got %s", label, cases[i].reason,
                  last ? "allowed" : "denied");
        am_free(&fs);
    }
    if (allowed_out)
        *allowed_out = allowed_count;
}

static void test_model(void) {
    rf_acl_plan plan = {0};
    rf_error err = {0};
    CHECK(rf_acl_plan_build(&default_input, &plan, &err) == 0, "%s", err.message);
    const uint32_t readings[] = {AM_WRITE_NARROW, AM_WRITE_BROAD};
    for (int r = 0; r < 2; r++) {
        am_token tok = {user_sids, sizeof user_sids / sizeof user_sids[0], root_sids, 2, true,
                        readings[r]};
        run_cases(&plan, &tok, true, NULL, r ? "broad" : "narrow");
    }

    /* The same cases against weaker designs: each must let something through
     * that the plan above stops, or the model would prove nothing. */
    am_token broad = {user_sids, sizeof user_sids / sizeof user_sids[0], root_sids, 2, true,
                      AM_WRITE_BROAD};
    int baseline = 0;
    run_cases(&plan, &broad, false, &baseline, "baseline");

    /* 1. Everyone and the logon SID as restricting SIDs (early Codex design). */
    const char *const wide_sids[] = {SID_WS, SID_CACHE, EVERYONE, LOGON};
    am_token wide = broad;
    wide.restricted = wide_sids;
    wide.n_restricted = 4;
    am_fs fs = {0};
    build_fixture(&fs);
    am_apply_plan(&fs, &plan, USER);
    CHECK(am_try(&fs, &wide, AM_WRITE, "C:\\Users\\dev\\outside\\new.txt", NULL, USER),
          "with Everyone restricting, the Everyone:F folder outside becomes writable (#17551)");
    am_free(&fs);

    /* 2. FILE_DELETE_CHILD in the root's allow ACE (as first specified). */
    rf_acl_plan with_delete_child = {0};
    CHECK(rf_acl_plan_build(&default_input, &with_delete_child, &err) == 0, "%s", err.message);
    for (size_t i = 0; i < with_delete_child.len; i++)
        if (with_delete_child.aces[i].type == RF_ACE_ALLOW)
            with_delete_child.aces[i].mask |= RF_FILE_DELETE_CHILD;
    build_fixture(&fs);
    am_apply_plan(&fs, &with_delete_child, USER);
    CHECK(am_try(&fs, &broad, AM_RENAME, "C:\\Users\\dev\\ws\\.git", "C:\\Users\\dev\\ws\\g2",
                 USER) &&
              am_try(&fs, &broad, AM_MKDIR, "C:\\Users\\dev\\ws\\.git", NULL, USER) &&
              am_try(&fs, &broad, AM_WRITE, "C:\\Users\\dev\\ws\\.git\\config", NULL, USER),
          "with FILE_DELETE_CHILD on the root, .git can be moved away and recreated");
    am_free(&fs);
    rf_acl_plan_free(&with_delete_child);

    /* 3. Protected paths not created when absent. */
    rf_acl_plan no_create = {0};
    CHECK(rf_acl_plan_build(&default_input, &no_create, &err) == 0, "%s", err.message);
    for (size_t i = 0; i < no_create.len; i++)
        no_create.aces[i].create_if_absent = false;
    build_fixture(&fs);
    CHECK(am_apply_plan(&fs, &no_create, USER) < 0,
          "without create-first, the deny ACE for an absent .codex has nowhere to go");
    CHECK(am_try(&fs, &broad, AM_MKDIR, "C:\\Users\\dev\\ws\\.codex", NULL, USER),
          "and the command can then create .codex itself");
    am_free(&fs);
    rf_acl_plan_free(&no_create);

    /* The private temporary folder is writable; the user's own TEMP is not. */
    rf_acl_plan with_tmp_plan = {0};
    rf_acl_plan_input with_tmp = default_input;
    with_tmp.scratch = "C:\\Users\\dev\\rftmp";
    CHECK(rf_acl_plan_build(&with_tmp, &with_tmp_plan, &err) == 0, "%s", err.message);
    build_fixture(&fs);
    am_add(&fs, "C:\\Users\\dev\\rftmp", true, NULL);
    am_add(&fs, "C:\\Users\\dev\\Temp", true, NULL);
    CHECK(am_apply_plan(&fs, &with_tmp_plan, USER) > 0, "plan with a temporary folder applies");
    CHECK(am_try(&fs, &broad, AM_WRITE, "C:\\Users\\dev\\rftmp\\t1", NULL, USER),
          "the private temporary folder is writable");
    CHECK(!am_try(&fs, &broad, AM_WRITE, "C:\\Users\\dev\\Temp\\t1", NULL, USER),
          "the user's own temporary folder is not");
    am_free(&fs);
    rf_acl_plan_free(&with_tmp_plan);

    /* 4. No restricted token at all: everything the user may do. */
    am_token plain = {user_sids, sizeof user_sids / sizeof user_sids[0], NULL, 0, false, 0};
    int unrestricted = 0;
    run_cases(&plan, &plain, false, &unrestricted, "unrestricted");
    CHECK(unrestricted > baseline, "an unrestricted token is allowed more (%d > %d)",
          unrestricted, baseline);
    rf_acl_plan_free(&plan);
}

/* A read-only run: its SID has no ACE but the NUL device, so no case that
 * writes can pass, under either reading of "write access"; reads stay. */
static void test_readonly(void) {
    rf_acl_plan plan = {0};
    rf_error err = {0};
    CHECK(rf_acl_plan_readonly(SID_RO, &plan, &err) == 0, "%s", err.message);
    CHECK(plan.len == 1 && plan.aces[0].is_device && strcmp(plan.aces[0].path, RF_NUL_DEVICE) == 0 &&
              plan.aces[0].type == RF_ACE_ALLOW && strcmp(plan.aces[0].sid, SID_RO) == 0,
          "the read-only plan grants the NUL device and nothing else (%zu ACEs)", plan.len);
    CHECK(rf_acl_plan_readonly(EVERYONE, &(rf_acl_plan){0}, &err) < 0,
          "Everyone is refused as the read-only SID");

    /* The workspace plan is applied too, as on a machine where earlier runs
     * granted it: the read-only SID must still get nothing from it. */
    rf_acl_plan ws_plan = {0};
    CHECK(rf_acl_plan_build(&default_input, &ws_plan, &err) == 0, "%s", err.message);
    static const char *const ro[] = {SID_RO};
    static const struct {
        am_op op;
        const char *path;
        bool allowed;
        const char *reason;
    } ro_cases[] = {
        {AM_WRITE, "ws\\src\\main.c", false, "edit a workspace file"},
        {AM_WRITE, "ws\\new.txt", false, "create a workspace file"},
        {AM_MKDIR, "ws\\build", false, "create a workspace folder"},
        {AM_WRITE, "cache\\blob", false, "write another root"},
        {AM_WRITE, "outside\\new.txt", false, "Everyone:F folder outside (#17551)"},
        {AM_WRITE, "notes.txt", false, "the user's own file"},
        {AM_READ, "ws\\src\\main.c", true, "reading the workspace stays allowed"},
        {AM_READ, "notes.txt", true, "reading outside stays allowed"},
    };
    const uint32_t readings[] = {AM_WRITE_NARROW, AM_WRITE_BROAD};
    for (int r = 0; r < 2; r++) {
        am_token tok = {user_sids, sizeof user_sids / sizeof user_sids[0], ro, 1, true,
                        readings[r]};
        for (size_t i = 0; i < sizeof ro_cases / sizeof ro_cases[0]; i++) {
            am_fs fs = {0};
            build_fixture(&fs);
            am_apply_plan(&fs, &ws_plan, USER);
            am_apply_plan(&fs, &plan, USER);
            char path[256];
            path_of(ro_cases[i].path, path, sizeof path);
            bool got = am_try(&fs, &tok, ro_cases[i].op, path, NULL, USER);
            CHECK(got == ro_cases[i].allowed, "read-only (%s): %s: got %s",
                  r ? "broad" : "narrow", ro_cases[i].reason, got ? "allowed" : "denied");
            am_free(&fs);
        }
    }
    /* Contrast: the workspace SID on the same machine can write there. */
    static const char *const ws_only[] = {SID_WS};
    am_token ws_tok = {user_sids, sizeof user_sids / sizeof user_sids[0], ws_only, 1, true,
                       AM_WRITE_BROAD};
    am_fs fs = {0};
    build_fixture(&fs);
    am_apply_plan(&fs, &ws_plan, USER);
    CHECK(am_try(&fs, &ws_tok, AM_WRITE, "C:\\Users\\dev\\ws\\new.txt", NULL, USER),
          "the model is not vacuous: the workspace SID writes the workspace");
    am_free(&fs);
    rf_acl_plan_free(&ws_plan);
    rf_acl_plan_free(&plan);
}

int main(void) {
    test_plan_content();
    test_readonly();
    test_plan_refusals();
    test_model();
    return check_summary("acl_plan_test");
}
