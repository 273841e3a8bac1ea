/* grant_record_test.c — grants.json: round trip, mode 0600, lookup by device
 * and inode (a renamed workspace stays granted, a new folder at the old path
 * does not), malformed records refused. */
#include "backends/linux/elevated/grant_record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/check.h"

static char base[1024];

static void path_in(char *out, size_t size, const char *name) {
    snprintf(out, size, "%s/%s", base, name);
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL, "creating %s", path);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void grant_dir(const char *dir) {
    struct stat st;
    CHECK(stat(dir, &st) == 0, "stat %s", dir);
    char *path = NULL;
    rf_error err = {0};
    CHECK(rf_grant_record_path(&path, &err) == 0, "record path: %s", err.message);
    rf_grant_record rec;
    CHECK(rf_grant_record_load(path, true, &rec, &err) == 0, "load: %s", err.message);
    rf_grant_entry *e =
        rf_grant_record_add(&rec, dir, (uint64_t)st.st_dev, (uint64_t)st.st_ino, false);
    CHECK(e != NULL, "add");
    if (e) {
        e->plan.sandbox_uids[0] = 4000001;
        e->plan.sandbox_uids[1] = 4000002;
        e->plan.real_uid = 1000;
        e->plan.targets = calloc(1, sizeof *e->plan.targets);
        e->plan.targets[0] = (rf_grant_target){strdup(dir), RF_GRANT_WRITABLE, true, false};
        e->plan.n = e->plan.cap = 1;
        e->complete = true;
        CHECK(rf_grant_entry_save_acl(e, dir, 1, 2, true, "u::rwx,g::r-x,o::---",
                                      "u::rwx,u:4000001:rwx,g::r-x,m::rwx,o::---") == 0,
              "save acl");
    }
    CHECK(rf_grant_record_save(path, &rec, &err) == 0, "save: %s", err.message);
    rf_grant_record_free(&rec);
    free(path);
}

static bool lookup(const char *dir) {
    bool granted = true;
    rf_error err = {0};
    int rc = rf_grant_lookup(dir, &granted, &err);
    CHECK(rc == 0, "lookup %s: %s", dir, err.message);
    return rc == 0 && granted;
}

static void test_lookup(void) {
    char ws[4096], moved[4096], other[4096];
    path_in(ws, sizeof ws, "ws");
    path_in(moved, sizeof moved, "ws-moved");
    path_in(other, sizeof other, "other");
    mkdir(ws, 0700);
    mkdir(other, 0700);
    CHECK(!lookup(ws), "nothing is granted before the first grant (no record file)");
    grant_dir(ws);
    const struct {
        const char *dir;
        bool want;
        const char *reason;
    } cases[] = {
        {ws, true, "the granted workspace"},
        {other, false, "another folder"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK(lookup(cases[i].dir) == cases[i].want, "%s", cases[i].reason);
    CHECK(rename(ws, moved) == 0, "rename");
    CHECK(lookup(moved), "a renamed workspace is the same directory: still granted");
    mkdir(ws, 0700);
    CHECK(!lookup(ws), "a new folder at the old path is not granted");
    bool granted;
    rf_error err = {0};
    CHECK(rf_grant_lookup("/nonexistent/rftest", &granted, &err) == -ENOENT,
          "a missing workspace is an error naming it");
    CHECK(strstr(err.message, "/nonexistent/rftest") != NULL, "message names the path: %s",
          err.message);
}

static void test_file(void) {
    char *path = NULL;
    rf_error err = {0};
    CHECK(rf_grant_record_path(&path, &err) == 0, "record path");
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "grants.json is 0600 (%o)",
          (unsigned)(st.st_mode & 0777));
    rf_grant_record rec;
    CHECK(rf_grant_record_load(path, false, &rec, &err) == 0, "load without saved ACLs");
    CHECK(rec.n == 1 && rec.entries[0].n_saved == 0, "lookups do not load the saved ACLs");
    rf_grant_record_free(&rec);
    /* The saved ACLs live beside grants.json, which stays small. */
    char text[8192] = "";
    FILE *f = fopen(path, "r");
    size_t len = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[len] = '\0';
    if (f)
        fclose(f);
    CHECK(len > 0 && !strstr(text, "u:4000001:rwx"), "grants.json holds no saved ACL text");
    CHECK(rf_grant_record_load(path, true, &rec, &err) == 0, "load");
    CHECK(rec.n == 1 && rec.entries[0].n_saved == 1 && rec.entries[0].plan.n == 1,
          "round trip keeps the entry, its target and its saved ACL");
    if (rec.n == 1 && rec.entries[0].n_saved == 1) {
        const rf_grant_saved *s = rf_grant_entry_find_saved(&rec.entries[0], 1, 2, true);
        CHECK(s && strcmp(s->before, "u::rwx,g::r-x,o::---") == 0, "saved ACL found by dev/ino");
        CHECK(!rf_grant_entry_find_saved(&rec.entries[0], 1, 2, false), "type is part of the key");
        CHECK(rec.entries[0].plan.sandbox_uids[1] == 4000002 &&
                  rec.entries[0].plan.real_uid == 1000,
              "uids kept");
    }
    rf_grant_record_free(&rec);

    const struct {
        const char *text;
        const char *reason;
    } bad[] = {
        {"not json", "not JSON"},
        {"{\"format\": 2, \"grants\": []}", "unknown format"},
        {"{\"format\": 1, \"grants\": [{\"path\": \"relative\"}]}", "entry without its fields"},
    };
    char bad_path[4096];
    path_in(bad_path, sizeof bad_path, "bad.json");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(bad_path, bad[i].text);
        rf_error e2 = {0};
        CHECK(rf_grant_record_load(bad_path, false, &rec, &e2) == -EINVAL, "%s is refused",
              bad[i].reason);
        CHECK(strstr(e2.message, bad_path) != NULL, "%s: message names the file: %s", bad[i].reason,
              e2.message);
    }
    /* A saved-ACL file that does not parse: grant and ungrant refuse it
     * (naming it); lookups, which never read it, still work. */
    char saved_dir[1100], saved_file[1400];
    snprintf(saved_dir, sizeof saved_dir, "%s.d", path);
    DIR *dir = opendir(saved_dir);
    struct dirent *de;
    saved_file[0] = '\0';
    while (dir && (de = readdir(dir)) != NULL)
        if (de->d_name[0] != '.')
            snprintf(saved_file, sizeof saved_file, "%s/%s", saved_dir, de->d_name);
    if (dir)
        closedir(dir);
    CHECK(saved_file[0] != '\0', "the saved ACLs have a file of their own in %s", saved_dir);
    write_file(saved_file, "{\"format\": 1, \"saved\": [{\"path\": \"/a\", \"dev\": \"1\", "
                           "\"ino\": \"2\", \"type\": \"access\", \"before\": \"bogus\", "
                           "\"after\": \"\"}]}");
    rf_error e3 = {0};
    CHECK(rf_grant_record_load(path, true, &rec, &e3) == -EINVAL &&
              strstr(e3.message, saved_file) != NULL,
          "a saved ACL that does not parse is refused, naming the file: %s", e3.message);
    CHECK(rf_grant_record_load(path, false, &rec, &e3) == 0, "lookups do not read it");
    rf_grant_record_free(&rec);
    free(path);
}

int main(void) {
    const char *tmp = getenv("TEST_TMPDIR");
    snprintf(base, sizeof base, "%s/grant_record_test.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(base)) {
        perror("mkdtemp");
        return 1;
    }
    char state[4200];
    snprintf(state, sizeof state, "%s/state", base);
    setenv("XDG_STATE_HOME", state, 1);
    test_lookup();
    test_file();
    return check_summary("grant_record_test");
}
