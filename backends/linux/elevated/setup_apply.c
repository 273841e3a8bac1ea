/*
 * setup_apply.c — `setup` (create or repair), `uninstall` and
 * `restore-firewall`.
 *
 * Resuming after an interruption: before its first change, setup writes the
 * record with "complete": false (the intent: these names are ours), and it
 * saves the record again after every step.  Each step looks at the machine,
 * not at the record, and does only what is missing, so a re-run after a kill
 * at any point converges; the record says "complete": true only at the end,
 * and the runner refuses an incomplete record.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "backends/linux/elevated/setup_fs.h"
#include "backends/linux/elevated/setup_nft.h"
#include "backends/linux/elevated/setup_runner.h"
#include "backends/linux/elevated/setup_steps.h"
#include "backends/linux/elevated/setup_unit.h"
#include "backends/linux/elevated/setup_users.h"
#include "core/audit.h"
#include "core/error.h"
#include "core/install_paths.h"

#define TABLE_TEXT_MAX 4096
#define UNIT_TEXT_MAX 4096

int rf_setup_record_for(const rf_setup_config *cfg, rf_setup_record *rec, rf_error *err) {
    memset(rec, 0, sizeof *rec);
    rec->format = RF_SETUP_FORMAT;
    rec->incomplete = true;
    snprintf(rec->version, sizeof rec->version, "%s", RINGFENCE_VERSION);
    snprintf(rec->group.name, sizeof rec->group.name, "%s", cfg->group);
    snprintf(rec->offline.name, sizeof rec->offline.name, "%s", cfg->offline_user);
    snprintf(rec->online.name, sizeof rec->online.name, "%s", cfg->online_user);
    snprintf(rec->table, sizeof rec->table, "%s", cfg->table);
    bool fits =
        snprintf(rec->offline.home, sizeof rec->offline.home, "%s/%s", cfg->home_base,
                 cfg->offline_user) < (int)sizeof rec->offline.home &&
        snprintf(rec->online.home, sizeof rec->online.home, "%s/%s", cfg->home_base,
                 cfg->online_user) < (int)sizeof rec->online.home &&
        snprintf(rec->restore_unit, sizeof rec->restore_unit, "%s", cfg->unit_path) <
            (int)sizeof rec->restore_unit &&
        snprintf(rec->runner_path, sizeof rec->runner_path, "%s/ringfence-runner",
                 cfg->libexec_dir) < (int)sizeof rec->runner_path;
    return fits ? 0 : rf_fail(err, -ENAMETOOLONG, "a path of this configuration is longer "
                              "than setup.json allows (255 bytes)");
}

int rf_setup_expected_table(const rf_setup_record *rec, char *out, size_t len, rf_error *err) {
    return rf_nft_table_text(rec->table, rec->offline.id, rec->proxy_ports, rec->n_proxy_ports,
                             out, len, err);
}

int rf_setup_restore_program(const rf_setup_config *cfg, char *out, size_t len, rf_error *err) {
    int n = snprintf(out, len, "%s/ringfence-setup", cfg->libexec_dir);
    if (n < 0 || (size_t)n >= len)
        return rf_fail(err, -ENAMETOOLONG,
                       "building the restore program's path: longer than %zu bytes: "
                       "%s/ringfence-setup",
                       len - 1, cfg->libexec_dir);
    return 0;
}

int rf_setup_expected_unit(const rf_setup_config *cfg, char *out, size_t len, rf_error *err) {
    char exec_start[2 * PATH_MAX];
    int rc = rf_setup_restore_program(cfg, exec_start, sizeof exec_start, err);
    if (rc < 0)
        return rc;
    size_t used = strlen(exec_start);
    int n = snprintf(exec_start + used, sizeof exec_start - used, " restore-firewall%s",
                     cfg->unit_extra_args);
    if (n < 0 || (size_t)n >= sizeof exec_start - used)
        return rf_fail(err, -ENAMETOOLONG,
                       "building the restore unit's ExecStart: longer than %zu bytes: %s "
                       "restore-firewall%s",
                       sizeof exec_start - 1, exec_start, cfg->unit_extra_args);
    return rf_setup_unit_text(exec_start, out, len, err);
}

/* One setup, uninstall or restore at a time: two running at once would race
 * on the user database and could record one uid for both users.  The lock is
 * on the record's folder and ends with the process, also when it is killed.
 * Deliberately without O_CLOEXEC: the shadow tools inherit the descriptor and
 * so hold the lock until they finish, even when setup is killed under them
 * (else a re-run races the orphaned useradd: "user ... already exists"). */
static int lock_record_dir(const rf_setup_config *cfg, bool create, int *fd, rf_error *err) {
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", cfg->record_path);
    *strrchr(dir, '/') = '\0';
    int rc = create ? rf_setup_mkdirs(dir, 0755, err) : 0;
    if (rc < 0)
        return rc;
    *fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (*fd < 0)
        return rf_fail_errno(err, errno, "opening folder %s", dir);
    while (flock(*fd, LOCK_EX) < 0)
        if (errno != EINTR)
            return rf_fail_errno(err, errno, "locking folder %s", dir);
    return 0;
}

static int fail(const rf_error *err) {
    fprintf(stderr, "ringfence-setup: %s\n", err->message);
    return 1;
}

static int save(const rf_setup_config *cfg, const rf_setup_record *rec, rf_error *err) {
    return rf_setup_record_save(cfg->record_path, rec, err);
}

/* The id the system gives `name` now (a group for i == 0, else a user);
 * false when there is no such name. */
static bool current_id(size_t i, const char *name, unsigned *id) {
    struct group *gr = i == 0 ? getgrnam(name) : NULL;
    struct passwd *pw = i == 0 ? NULL : getpwnam(name);
    if (gr)
        *id = (unsigned)gr->gr_gid;
    if (pw)
        *id = (unsigned)pw->pw_uid;
    return gr || pw;
}

/* A recorded account whose name now has another id is not the one setup
 * made (ours deleted, someone else's created under the name): setup must
 * not adopt it and uninstall must not delete it. */
static bool is_foreign(size_t i, const rf_setup_principal *p, unsigned *id) {
    return p->id != 0 && current_id(i, p->name, id) && *id != p->id;
}

/* The record of an earlier (maybe interrupted) setup, or a fresh one.  A
 * fresh setup refuses to adopt a group or user of our names that it did not
 * create: uninstall would later delete someone else's account. */
static int start_record(const rf_setup_config *cfg, const rf_setup_options *opts,
                        rf_setup_record *rec, rf_error *err) {
    rf_setup_record old;
    int rc = rf_setup_record_load_progress(cfg->record_path, &old, err);
    bool have_old = rc == 0;
    const rf_setup_principal *olds[] = {&old.group, &old.offline, &old.online};
    unsigned id;
    for (size_t i = 0; have_old && i < 3; i++)
        if (is_foreign(i, olds[i], &id))
            return rf_fail(err, -EEXIST, "%s %s has %s %u but %s records %u: it is not the one "
                           "ringfence setup made; remove or rename it first",
                           i == 0 ? "group" : "user", olds[i]->name, i == 0 ? "gid" : "uid", id,
                           cfg->record_path, olds[i]->id);
    if (rc == -ENOENT) {
        const char *const names[] = {cfg->group, cfg->offline_user, cfg->online_user};
        for (size_t i = 0; i < 3; i++)
            if ((i == 0 && getgrnam(names[i])) || (i > 0 && getpwnam(names[i])))
                return rf_fail(err, -EEXIST, "%s %s exists but %s records no setup: it was not "
                               "made by ringfence setup; remove or rename it first",
                               i == 0 ? "group" : "user", names[i], cfg->record_path);
        rf_error_clear(err);
    } else if (rc < 0) {
        fprintf(stderr, "ringfence-setup: %s; rebuilding the record\n", err->message);
        rf_error_clear(err);
    }
    if ((rc = rf_setup_record_for(cfg, rec, err)) < 0)
        return rc;
    if (opts->ports_given) {
        memcpy(rec->proxy_ports, opts->proxy_ports, sizeof rec->proxy_ports);
        rec->n_proxy_ports = opts->n_proxy_ports;
    } else if (have_old) {
        memcpy(rec->proxy_ports, old.proxy_ports, sizeof rec->proxy_ports);
        rec->n_proxy_ports = old.n_proxy_ports;
    }
    return save(cfg, rec, err);
}

static int step_membership(const rf_setup_config *cfg, const rf_setup_options *opts,
                           rf_error *err) {
    struct passwd *pw = opts->invoking_uid > 0 ? getpwuid((uid_t)opts->invoking_uid) : NULL;
    if (!pw) {
        printf("membership: no invoking user (not run through sudo, or by root itself): add "
               "the people allowed to use the sandbox with `gpasswd -a NAME %s`\n",
               cfg->group);
        return 0;
    }
    if (strcmp(pw->pw_name, cfg->offline_user) == 0 || strcmp(pw->pw_name, cfg->online_user) == 0)
        return rf_fail(err, -EPERM, "refusing to add sandbox user %s to group %s", pw->pw_name,
                       cfg->group);
    int rc = rf_setup_group_add_member(cfg->group, pw->pw_name, err);
    if (rc == 0)
        printf("membership: %s is in group %s (takes effect at their next login)\n",
               pw->pw_name, cfg->group);
    return rc;
}

/* Creates or replaces the table only when the listed one differs, then lists
 * it back: the digest recorded is of what the kernel holds. */
static int step_table(rf_setup_record *rec, rf_error *err) {
    char want[TABLE_TEXT_MAX];
    char *have = NULL;
    int rc = rf_setup_expected_table(rec, want, sizeof want, err);
    if (rc == 0 && (rc = rf_nft_table_list(rec->table, &have, err)) == -ENOENT) {
        rf_error_clear(err);
        rc = 0;
    }
    bool replaced = false;
    if (rc == 0 && (!have || strcmp(have, want) != 0)) {
        free(have);
        have = NULL;
        replaced = true;
        rc = rf_nft_table_replace(rec->table, want, err);
        if (rc == 0)
            rc = rf_nft_table_list(rec->table, &have, err);
    }
    if (rc == 0 && strcmp(have, want) != 0)
        rc = rf_fail(err, -EIO, "nftables table inet %s read back differs from the rules "
                     "written:\n--- written\n%s--- read back\n%s", rec->table, want, have);
    if (rc == 0)
        rc = rf_sha256_hex(have, strlen(have), rec->table_sha256, err);
    if (rc == 0)
        printf("firewall: table inet %s %s (offline uid %u rejected except loopback proxy "
               "ports)\n", rec->table, replaced ? "written and verified" : "already correct",
               rec->offline.id);
    free(have);
    return rc;
}

static int step_unit(const rf_setup_config *cfg, rf_error *err) {
    char program[PATH_MAX], unit[UNIT_TEXT_MAX], digest[65];
    int rc = rf_setup_restore_program(cfg, program, sizeof program, err);
    if (rc == 0)
        rc = rf_setup_mkdirs(cfg->libexec_dir, 0755, err);
    /* The unit runs this copy as root at boot: it must be root's, not a
     * build folder that a user can write to (privilege escalation). */
    if (rc == 0)
        rc = rf_setup_install_program("/proc/self/exe", program, 0, 0755, digest, err);
    if (rc == 0)
        rc = rf_setup_expected_unit(cfg, unit, sizeof unit, err);
    if (rc == 0)
        rc = rf_setup_unit_install(cfg->unit_path, cfg->wants_dir, unit, err);
    if (rc == 0)
        printf("boot: unit %s enabled%s\n", cfg->unit_path,
               rf_setup_systemd_running() ? " (systemd reloaded)"
                                          : " (systemd is not running here: it takes effect "
                                            "at the next boot under systemd)");
    return rc;
}

static int step_runner(const rf_setup_config *cfg, rf_setup_record *rec, gid_t gid,
                       rf_error *err) {
    char *source = NULL;
    int rc = 0;
    /* Beside this program or in ../lib/ringfence (RINGFENCE_LIBDIR is unset in
     * main): whoever can write there can already replace this program, which
     * root is running.  The file must still be root's or this program's
     * owner's, writable by no one else (rf_setup_install_program). */
    if (cfg->runner_source[0])
        source = strdup(cfg->runner_source);
    else
        rc = rf_install_find("ringfence-runner", &source, err);
    if (rc == 0 && !source)
        rc = rf_fail_errno(err, ENOMEM, "finding ringfence-runner");
    if (rc == 0)
        rc = rf_setup_mkdirs(cfg->libexec_dir, 0755, err);
    /* 4750 root:GROUP: setuid root, executable only by the sandbox group. */
    if (rc == 0)
        rc = rf_setup_install_program(source, rec->runner_path, gid, 04750, rec->runner_sha256,
                                      err);
    if (rc == 0)
        printf("runner: %s installed setuid root, group %s, mode 4750\n", rec->runner_path,
               rec->group.name);
    free(source);
    return rc;
}

int rf_setup_do_setup(const rf_setup_config *cfg, const rf_setup_options *opts) {
    rf_error err = {0};
    rf_setup_record rec;
    uid_t uid;
    gid_t gid;
    int lock_fd = -1; /* held until exit */
    if (rf_setup_test_netns_guard(cfg, &err) < 0 ||
        lock_record_dir(cfg, true, &lock_fd, &err) < 0 || start_record(cfg, opts, &rec, &err) < 0)
        return fail(&err);
    rf_setup_test_step_done(cfg, RF_STEP_RECORD_INTENT);

    if (rf_setup_group_ensure(cfg->group, &gid, &err) < 0)
        return fail(&err);
    rec.group.id = gid;
    printf("group: %s (gid %u)\n", cfg->group, (unsigned)gid);
    if (save(cfg, &rec, &err) < 0)
        return fail(&err);
    rf_setup_test_step_done(cfg, RF_STEP_GROUP);

    rf_setup_principal *users[] = {&rec.offline, &rec.online};
    for (size_t i = 0; i < 2; i++) {
        if (rf_setup_user_ensure(users[i]->name, users[i]->home, cfg->group, &uid, &err) < 0)
            return fail(&err);
        users[i]->id = uid;
        printf("user: %s (uid %u, home %s)\n", users[i]->name, (unsigned)uid, users[i]->home);
        if (save(cfg, &rec, &err) < 0)
            return fail(&err);
        rf_setup_test_step_done(cfg, i == 0 ? RF_STEP_OFFLINE_USER : RF_STEP_ONLINE_USER);
    }

    if (step_membership(cfg, opts, &err) < 0)
        return fail(&err);
    rf_setup_test_step_done(cfg, RF_STEP_MEMBERSHIP);

    if (step_table(&rec, &err) < 0 || save(cfg, &rec, &err) < 0)
        return fail(&err);
    rf_setup_test_step_done(cfg, RF_STEP_TABLE);

    if (step_unit(cfg, &err) < 0)
        return fail(&err);
    rf_setup_test_step_done(cfg, RF_STEP_UNIT);

    if (step_runner(cfg, &rec, gid, &err) < 0 || save(cfg, &rec, &err) < 0)
        return fail(&err);
    rf_setup_test_step_done(cfg, RF_STEP_RUNNER);

    rec.incomplete = false;
    if (save(cfg, &rec, &err) < 0)
        return fail(&err);
    printf("record: %s (complete). Check with `sudo ringfence setup --check`, undo with "
           "`sudo ringfence uninstall`.\n", cfg->record_path);
    return 0;
}

/* Undo, in reverse order.  The record is marked incomplete first (the
 * runner stops trusting it) and removed last, so an interrupted uninstall
 * can be re-run. */
int rf_setup_do_uninstall(const rf_setup_config *cfg) {
    rf_error err = {0};
    rf_setup_record rec;
    int lock_fd = -1; /* held until exit */
    int rc = lock_record_dir(cfg, false, &lock_fd, &err);
    if (rc == 0)
        rc = rf_setup_record_load_progress(cfg->record_path, &rec, &err);
    if (rc == -ENOENT) {
        printf("uninstall: %s does not exist: ringfence setup left nothing to remove\n",
               cfg->record_path);
        return 0;
    }
    if (rc < 0) {
        fprintf(stderr, "ringfence-setup: %s; removing the items of this build's names\n",
                err.message);
        rf_error_clear(&err);
        if (rf_setup_record_for(cfg, &rec, &err) < 0)
            return fail(&err);
    }
    char program[PATH_MAX], dir[PATH_MAX];
    if (rf_setup_restore_program(cfg, program, sizeof program, &err) < 0)
        return fail(&err);
    rec.incomplete = true;
    if (rf_setup_test_netns_guard(cfg, &err) < 0 || save(cfg, &rec, &err) < 0)
        return fail(&err);
    if (rf_setup_remove_file(rec.runner_path, &err) < 0 ||
        rf_setup_unit_remove(rec.restore_unit, cfg->wants_dir, &err) < 0 ||
        rf_setup_remove_file(program, &err) < 0)
        return fail(&err);
    rf_setup_test_step_done(cfg, RF_STEP_UNDO_FILES);
    bool left = false; /* a table or account of our name that setup did not make */
    int rc_table = rf_nft_table_delete(rec.table, &err);
    if (rc_table == -EEXIST) { /* not ours (no comment): someone else's, left */
        printf("uninstall: leaving table inet %s: %s\n", rec.table, err.message);
        rf_error_clear(&err);
        left = true;
    } else if (rc_table < 0) {
        return fail(&err);
    }
    rf_setup_test_step_done(cfg, RF_STEP_UNDO_TABLE);
    const rf_setup_principal *users[] = {&rec.offline, &rec.online};
    unsigned id;
    for (size_t i = 0; i < 2; i++) {
        if (is_foreign(i + 1, users[i], &id)) {
            left = true;
            printf("uninstall: leaving user %s (uid %u) and %s: %s records uid %u, so it is "
                   "not the user setup made\n", users[i]->name, id, users[i]->home,
                   cfg->record_path, users[i]->id);
        } else if (rf_setup_user_remove(users[i]->name, users[i]->home, &err) < 0) {
            return fail(&err);
        }
        rf_setup_test_step_done(cfg, RF_STEP_UNDO_OFFLINE_USER + (int)i);
    }
    if (is_foreign(0, &rec.group, &id)) {
        left = true;
        printf("uninstall: leaving group %s (gid %u): %s records gid %u, so it is not the group "
               "setup made\n", rec.group.name, id, cfg->record_path, rec.group.id);
    } else if (rf_setup_group_remove(rec.group.name, &err) < 0) {
        return fail(&err);
    }
    if (rf_setup_rmdir_if_empty(cfg->home_base, &err) < 0 ||
        rf_setup_rmdir_if_empty(cfg->libexec_dir, &err) < 0)
        return fail(&err);
    if (rf_setup_remove_file(cfg->record_path, &err) < 0)
        return fail(&err);
    snprintf(dir, sizeof dir, "%s", cfg->record_path);
    *strrchr(dir, '/') = '\0';
    if (rf_setup_rmdir_if_empty(dir, &err) < 0)
        return fail(&err);
    if (left)
        printf("uninstall: removed the runner, the boot unit, what setup made of table inet %s, "
               "its users and group (not those named above) and %s\n", rec.table,
               cfg->record_path);
    else
        printf("uninstall: removed the runner, the boot unit, table inet %s, users %s and %s, "
               "group %s and %s\n", rec.table, rec.offline.name, rec.online.name,
               rec.group.name, cfg->record_path);
    return 0;
}

/* At boot: re-create exactly the recorded table.  Only a complete record is
 * used, and the table read back must have the recorded digest. */
int rf_setup_do_restore_firewall(const rf_setup_config *cfg) {
    rf_error err = {0};
    rf_setup_record rec;
    char want[TABLE_TEXT_MAX], digest[65];
    char *have = NULL;
    int lock_fd = -1; /* held until exit */
    int rc = rf_setup_test_netns_guard(cfg, &err);
    if (rc == 0)
        rc = lock_record_dir(cfg, false, &lock_fd, &err);
    if (rc == 0)
        rc = rf_setup_record_load(cfg->record_path, true, &rec, &err);
    if (rc == 0)
        rc = rf_setup_expected_table(&rec, want, sizeof want, &err);
    if (rc == 0)
        rc = rf_nft_table_replace(rec.table, want, &err);
    if (rc == 0)
        rc = rf_nft_table_list(rec.table, &have, &err);
    if (rc == 0)
        rc = rf_sha256_hex(have, strlen(have), digest, &err);
    if (rc == 0 && strcmp(digest, rec.table_sha256) != 0)
        rc = rf_fail(&err, -EIO, "table inet %s restored from %s has SHA-256 %s, recorded %s",
                     rec.table, cfg->record_path, digest, rec.table_sha256);
    free(have);
    if (rc < 0)
        return fail(&err);
    printf("restore-firewall: table inet %s restored and verified\n", rec.table);
    return 0;
}
