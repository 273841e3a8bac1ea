/* grant_record_test.c — grants.json: round trip, mode 0600, lookup by device
 * and inode (a renamed workspace stays granted, a new folder at the old path
 * does not, nor a new folder that got a deleted workspace's inode number),
 * records without birth time and generation re-verified by the root's ACL,
 * malformed records refused. */
#include "backends/linux/elevated/grant_record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/xattr.h>
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

/* How the entry for `dir` is written: as ringfence-grant does (with the
 * root's birth time and generation), or as before they were kept. */
enum { WITH_IDENTITY, WITHOUT_IDENTITY };

static void grant_dir_as(const char *dir, int how, unsigned offline, unsigned online) {
    struct stat st;
    CHECK(stat(dir, &st) == 0, "stat %s", dir);
    char *path = NULL;
    rf_error err = {0};
    rf_grant_identity id;
    CHECK(rf_grant_identity_read(dir, &id, &err) == 0, "identity of %s: %s", dir, err.message);
    CHECK(rf_grant_record_path(&path, &err) == 0, "record path: %s", err.message);
    rf_grant_record rec;
    CHECK(rf_grant_record_load(path, true, &rec, &err) == 0, "load: %s", err.message);
    rf_grant_entry *e =
        rf_grant_record_add(&rec, dir, (uint64_t)st.st_dev, (uint64_t)st.st_ino, false);
    CHECK(e != NULL, "add");
    if (e) {
        if (how == WITH_IDENTITY)
            rf_grant_entry_set_identity(e, &id);
        e->plan.sandbox_uids[0] = offline;
        e->plan.sandbox_uids[1] = online;
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

static void grant_dir(const char *dir) {
    grant_dir_as(dir, WITH_IDENTITY, 4000001, 4000002);
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

/* A deleted workspace's inode number, reused by the next directory made in
 * the same folder (ext4 does so at once), must not make that directory
 * count as granted. */
static void test_reused_inode(void) {
    char parent[4096], old_ws[4096], fresh[4200];
    path_in(parent, sizeof parent, "reuse");
    path_in(old_ws, sizeof old_ws, "reuse/ws");
    CHECK(mkdir(parent, 0700) == 0 && mkdir(old_ws, 0700) == 0, "mkdir %s", old_ws);
    struct stat st;
    CHECK(stat(old_ws, &st) == 0, "stat %s", old_ws);
    grant_dir(old_ws);
    CHECK(lookup(old_ws), "the granted workspace is granted");
    CHECK(rmdir(old_ws) == 0, "rmdir %s", old_ws);
    /* Make directories until one gets the old number (tmpfs never reuses
     * one: then this case cannot happen there, and the next test forges it). */
    int found = -1;
    for (int i = 0; i < 64 && found < 0; i++) {
        snprintf(fresh, sizeof fresh, "%s/new%d", parent, i);
        struct stat nst;
        CHECK(mkdir(fresh, 0700) == 0 && stat(fresh, &nst) == 0, "mkdir %s", fresh);
        if (nst.st_dev == st.st_dev && nst.st_ino == st.st_ino)
            found = i;
    }
    if (found >= 0) {
        snprintf(fresh, sizeof fresh, "%s/new%d", parent, found);
        CHECK(!lookup(fresh), "a new directory with the deleted workspace's inode number %ju is "
                              "not granted",
              (uintmax_t)st.st_ino);
    } else {
        printf("note: the file system of %s did not reuse inode %ju in 64 directories\n", parent,
               (uintmax_t)st.st_ino);
    }
    /* Forged: the entry of a directory with this dev/ino but another birth
     * time and generation (whatever the file system reuses). */
    char forged[4096];
    path_in(forged, sizeof forged, "forged");
    CHECK(mkdir(forged, 0700) == 0, "mkdir %s", forged);
    grant_dir(forged);
    char *path = NULL;
    rf_error err = {0};
    rf_grant_record rec;
    CHECK(rf_grant_record_path(&path, &err) == 0 && rf_grant_record_load(path, true, &rec, &err) == 0,
          "load: %s", err.message);
    CHECK(stat(forged, &st) == 0, "stat %s", forged);
    rf_grant_entry *e = rf_grant_record_find(&rec, (uint64_t)st.st_dev, (uint64_t)st.st_ino, false);
    CHECK(e && (e->id.has_btime || e->id.has_generation),
          "the entry keeps the root's birth time or generation");
    if (e) {
        e->id.btime_nsec = (e->id.btime_nsec + 1) % 1000000000u;
        e->id.generation++;
    }
    CHECK(rf_grant_record_save(path, &rec, &err) == 0, "save: %s", err.message);
    rf_grant_record_free(&rec);
    free(path);
    CHECK(!lookup(forged), "same device and inode, another birth time and generation: not granted");
}

/* The xattr of an access ACL granting rwx to `uid` (twice: both sandbox
 * uids may be the same one here, so the test needs no other uid). */
static int set_root_acl(const char *dir, unsigned uid) {
    struct {
        uint16_t tag, perm;
        uint32_t id;
    } e[] = {{0x01, 7, UINT32_MAX}, {0x02, 7, uid}, {0x04, 5, UINT32_MAX}, {0x10, 7, UINT32_MAX},
             {0x20, 0, UINT32_MAX}};
    unsigned char buf[4 + sizeof e];
    uint32_t version = 2;
    memcpy(buf, &version, 4);
    memcpy(buf + 4, e, sizeof e);
    return setxattr(dir, "system.posix_acl_access", buf, sizeof buf, 0);
}

/* An entry written before birth time and generation were kept is
 * re-verified by the root's ACL. */
static void test_old_entry(void) {
    char bare[4096], with_acl[4096];
    path_in(bare, sizeof bare, "old-bare");
    path_in(with_acl, sizeof with_acl, "old-acl");
    CHECK(mkdir(bare, 0700) == 0 && mkdir(with_acl, 0700) == 0, "mkdir %s", with_acl);
    unsigned me = (unsigned)getuid();
    int rc = set_root_acl(with_acl, me);
    CHECK(rc == 0, "setting the ACL of %s: %s", with_acl, rc == 0 ? "" : strerror(errno));
    grant_dir_as(bare, WITHOUT_IDENTITY, me, me);
    grant_dir_as(with_acl, WITHOUT_IDENTITY, me, me);
    CHECK(!lookup(bare), "an old entry whose root carries no grant is not granted");
    CHECK(lookup(with_acl), "an old entry whose root carries the grant is granted");
    /* An old record file, as written before: still loads. */
    char old_path[4096];
    path_in(old_path, sizeof old_path, "old.json");
    write_file(old_path, "{\"format\": 1, \"grants\": [{\"path\": \"/w\", \"scope\": "
                         "\"workspace\", \"dev\": \"1\", \"ino\": \"2\", \"state\": "
                         "\"complete\", \"granted_at\": 1, \"offline_uid\": 5, "
                         "\"online_uid\": 6, \"real_uid\": 7, \"targets\": []}]}");
    rf_grant_record rec;
    rf_error err = {0};
    CHECK(rf_grant_record_load(old_path, false, &rec, &err) == 0 && rec.n == 1 &&
              !rec.entries[0].id.has_btime && !rec.entries[0].id.has_generation,
          "a record without birth time and generation loads: %s", err.message);
    rf_grant_record_free(&rec);
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
        {"{\"format\": 1, \"grants\": [{\"path\": \"/w\", \"scope\": \"workspace\", \"dev\": "
         "\"1\", \"ino\": \"2\", \"state\": \"complete\", \"granted_at\": 1, \"offline_uid\": 5, "
         "\"online_uid\": 6, \"real_uid\": 7, \"btime_sec\": 1, \"btime_nsec\": 2000000000}]}",
         "a birth time with nanoseconds out of range"},
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
    /* A record of their own (test_file left a saved-ACL file that does not parse). */
    snprintf(state, sizeof state, "%s/state2", base);
    setenv("XDG_STATE_HOME", state, 1);
    test_reused_inode();
    test_old_entry();
    return check_summary("grant_record_test");
}
