/* setup_check.c — `setup --check`: each item ok / missing / changed; changes nothing. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/linux/elevated/setup_nft.h"
#include "backends/linux/elevated/setup_runner.h"
#include "backends/linux/elevated/setup_steps.h"
#include "backends/linux/elevated/setup_unit.h"
#include "backends/linux/elevated/setup_users.h"
#include "core/audit.h"
#include "core/error.h"

typedef enum { ITEM_OK, ITEM_MISSING, ITEM_CHANGED } item_state;

static const char *const state_names[] = {"ok", "missing", "changed"};

/* Prints one line; returns 1 when the item is not ok. */
static int report(const char *item, item_state state, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int report(const char *item, item_state state, const char *fmt, ...) {
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    printf("%-11s %-8s %s\n", item, state_names[state], detail);
    return state != ITEM_OK;
}

static int check_record(const rf_setup_config *cfg, rf_setup_record *rec) {
    rf_error err = {0};
    int rc = rf_setup_record_load_progress(cfg->record_path, rec, &err);
    if (rc == -ENOENT) {
        rf_setup_record_for(cfg, rec, &err);
        return report("record", ITEM_MISSING, "%s (setup never ran)", cfg->record_path);
    }
    if (rc < 0) {
        report("record", ITEM_CHANGED, "%s", err.message);
        rf_setup_record_for(cfg, rec, &err);
        return 1;
    }
    if (rec->incomplete)
        return report("record", ITEM_CHANGED, "%s records an unfinished setup (interrupted?)",
                      cfg->record_path);
    if (strcmp(rec->version, RINGFENCE_VERSION) != 0)
        return report("record", ITEM_CHANGED, "%s written by ringfence %s, this is %s",
                      cfg->record_path, rec->version, RINGFENCE_VERSION);
    return report("record", ITEM_OK, "%s", cfg->record_path);
}

static int check_group(const rf_setup_record *rec) {
    struct group *gr = getgrnam(rec->group.name);
    if (!gr)
        return report("group", ITEM_MISSING, "%s", rec->group.name);
    if (gr->gr_gid != rec->group.id)
        return report("group", ITEM_CHANGED, "%s has gid %u, recorded %u", rec->group.name,
                      (unsigned)gr->gr_gid, rec->group.id);
    return report("group", ITEM_OK, "%s (gid %u)", rec->group.name, rec->group.id);
}

static int check_user(const char *item, const rf_setup_principal *user, const char *group) {
    char why[512];
    if (rf_setup_user_problem(user->name, user->home, group, why, sizeof why) == -ENOENT)
        return report(item, ITEM_MISSING, "%s", user->name);
    struct passwd *pw = getpwnam(user->name);
    if (pw && pw->pw_uid != user->id)
        return report(item, ITEM_CHANGED, "%s has uid %u, recorded %u", user->name,
                      (unsigned)pw->pw_uid, user->id);
    if (why[0])
        return report(item, ITEM_CHANGED, "%s: %s", user->name, why);
    return report(item, ITEM_OK, "%s (uid %u)", user->name, user->id);
}

static int check_membership(const rf_setup_record *rec, const rf_setup_options *opts) {
    struct passwd *pw = opts->invoking_uid > 0 ? getpwuid((uid_t)opts->invoking_uid) : NULL;
    if (pw)
        return rf_setup_group_has_member(rec->group.name, pw->pw_name)
                   ? report("membership", ITEM_OK, "%s is in %s", pw->pw_name, rec->group.name)
                   : report("membership", ITEM_MISSING, "%s is not in %s", pw->pw_name,
                            rec->group.name);
    struct group *gr = getgrnam(rec->group.name);
    size_t n = 0;
    for (char **m = gr ? gr->gr_mem : NULL; m && *m; m++)
        n++;
    if (n == 0)
        return report("membership", ITEM_MISSING, "nobody is in %s (gpasswd -a NAME %s)",
                      rec->group.name, rec->group.name);
    return report("membership", ITEM_OK, "%zu member(s) in %s (no invoking user to check)", n,
                  rec->group.name);
}

static int check_table(const rf_setup_record *rec) {
    rf_error err = {0};
    char want[4096], digest[65];
    char *have = NULL;
    int rc = rf_nft_table_list(rec->table, &have, &err);
    int bad;
    if (rc == -ENOENT)
        bad = report("table", ITEM_MISSING, "inet %s", rec->table);
    else if (rc < 0)
        bad = report("table", ITEM_CHANGED, "%s", err.message);
    else if (rf_setup_expected_table(rec, want, sizeof want, &err) < 0 || strcmp(have, want))
        bad = report("table", ITEM_CHANGED, "inet %s differs from the rules setup writes",
                     rec->table);
    else if (rf_sha256_hex(have, strlen(have), digest, &err) < 0 ||
             strcmp(digest, rec->table_sha256) != 0)
        bad = report("table", ITEM_CHANGED, "inet %s has SHA-256 %.12s..., recorded %.12s...",
                     rec->table, digest, rec->table_sha256[0] ? rec->table_sha256 : "(none)");
    else
        bad = report("table", ITEM_OK, "inet %s (SHA-256 %.12s...)", rec->table, digest);
    free(have);
    return bad;
}

static int check_unit(const rf_setup_config *cfg) {
    char want[4096], why[1024], program[4096], self[65], program_why[1024];
    rf_error err = {0};
    const char *systemd = rf_setup_systemd_running()
                              ? "systemd running"
                              : "systemd not running here: takes effect at the next boot";
    if (rf_setup_restore_program(cfg, program, sizeof program, &err) < 0 ||
        rf_setup_expected_unit(cfg, want, sizeof want, &err) < 0 ||
        rf_setup_file_sha256("/proc/self/exe", self, &err) < 0)
        return report("unit", ITEM_CHANGED, "%s", err.message);
    if (rf_setup_unit_problem(cfg->unit_path, cfg->wants_dir, want, why, sizeof why) == -ENOENT)
        return report("unit", ITEM_MISSING, "%s", cfg->unit_path);
    if (why[0])
        return report("unit", ITEM_CHANGED, "%s", why);
    int rc = rf_setup_program_problem(program, 0, 0755, self, program_why, sizeof program_why);
    if (rc == -ENOENT)
        return report("unit", ITEM_MISSING, "restore program %s", program);
    if (program_why[0])
        return report("unit", ITEM_CHANGED, "restore program: %s", program_why);
    return report("unit", ITEM_OK, "%s enabled (%s)", cfg->unit_path, systemd);
}

static int check_runner(const rf_setup_record *rec) {
    char why[1024];
    int rc = rf_setup_program_problem(rec->runner_path, rec->group.id, 04750, rec->runner_sha256,
                                      why, sizeof why);
    if (rc == -ENOENT)
        return report("runner", ITEM_MISSING, "%s", rec->runner_path);
    if (why[0])
        return report("runner", ITEM_CHANGED, "%s", why);
    return report("runner", ITEM_OK, "%s (setuid root, group %s, SHA-256 %.12s...)",
                  rec->runner_path, rec->group.name, rec->runner_sha256);
}

int rf_setup_do_check(const rf_setup_config *cfg, const rf_setup_options *opts) {
    rf_setup_record rec;
    int bad = check_record(cfg, &rec);
    bad += check_group(&rec);
    bad += check_user("user", &rec.offline, rec.group.name);
    bad += check_user("user", &rec.online, rec.group.name);
    bad += check_membership(&rec, opts);
    bad += check_table(&rec);
    bad += check_unit(cfg);
    bad += check_runner(&rec);
    if (bad)
        printf("%d item(s) not ok: `sudo ringfence setup` repairs them\n", bad);
    else
        printf("all ok\n");
    return bad ? 1 : 0;
}
