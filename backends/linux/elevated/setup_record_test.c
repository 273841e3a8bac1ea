/* setup_record_test.c — setup.json round trip, validation, and the root-owned check. */
#include "backends/linux/elevated/setup_record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/check.h"

static rf_setup_record sample(void) {
    rf_setup_record r;
    memset(&r, 0, sizeof r);
    r.format = RF_SETUP_FORMAT;
    snprintf(r.version, sizeof r.version, "0.1.0");
    snprintf(r.group.name, sizeof r.group.name, "rftest-users");
    r.group.id = 5001;
    snprintf(r.offline.name, sizeof r.offline.name, "rftest-offline");
    r.offline.id = 5002;
    snprintf(r.offline.home, sizeof r.offline.home, "/var/lib/ringfence/rftest-offline");
    snprintf(r.online.name, sizeof r.online.name, "rftest-online");
    r.online.id = 5003;
    snprintf(r.online.home, sizeof r.online.home, "/var/lib/ringfence/rftest-online");
    snprintf(r.table, sizeof r.table, "ringfence");
    memset(r.table_sha256, 'a', 64);
    r.proxy_ports[0] = 3128;
    r.proxy_ports[1] = 8080;
    r.n_proxy_ports = 2;
    snprintf(r.restore_unit, sizeof r.restore_unit, "/etc/systemd/system/ringfence-firewall.service");
    snprintf(r.runner_path, sizeof r.runner_path, "/usr/local/lib/ringfence/ringfence-runner");
    memset(r.runner_sha256, '0', 64);
    return r;
}

static void write_file(const char *path, const char *text, mode_t mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) < 0) {
        perror(path);
        exit(2);
    }
    chmod(path, mode);
}

static void test_round_trip(const char *dir) {
    char path[512];
    snprintf(path, sizeof path, "%s/setup.json", dir);
    rf_setup_record in = sample(), out;
    rf_error err = {0};
    CHECK(rf_setup_record_save(path, &in, &err) == 0, "save: %s", err.message);
    CHECK(rf_setup_record_load(path, false, &out, &err) == 0, "load: %s", err.message);
    CHECK(memcmp(&in, &out, sizeof in) == 0, "the record read back differs from the one written");
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644, "mode %o, want 0644",
          (unsigned)(st.st_mode & 0777));
}

static void test_missing_file(const char *dir) {
    char path[512];
    snprintf(path, sizeof path, "%s/absent.json", dir);
    rf_setup_record out;
    rf_error err = {0};
    CHECK(rf_setup_record_load(path, false, &out, &err) == -ENOENT, "absent file: %s",
          err.message);
}

/* Each case replaces one piece of a valid record; the load must fail and name the field. */
static void test_bad_fields(const char *dir) {
    static const struct { const char *from, *to, *field; } cases[] = {
        {"\"rftest-offline\"", "\"Root;rm\"", "offline.name"},
        {"5002", "0", "offline.id"},
        {"5003", "5002", "online.id"},
        {"\"/var/lib/ringfence/rftest-online\"", "\"relative/home\"", "online.home"},
        {"3128", "70000", "firewall.proxy_ports"},
        {"\"/usr/local/lib/ringfence/ringfence-runner\"", "\"/a/../etc/x\"", "runner.path"},
        {"\"format\":\t1", "\"format\":\t2", "format"},
        {"\"ringfence\"", "\"ring fence\"", "firewall.table"},
    };
    char path[512];
    snprintf(path, sizeof path, "%s/good.json", dir);
    rf_setup_record in = sample();
    rf_error err = {0};
    if (rf_setup_record_save(path, &in, &err) < 0) {
        CHECK(false, "save: %s", err.message);
        return;
    }
    FILE *f = fopen(path, "re");
    char good[8192];
    size_t n = f ? fread(good, 1, sizeof good - 1, f) : 0;
    if (f)
        fclose(f);
    good[n] = '\0';
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *at = strstr(good, cases[i].from);
        CHECK(at != NULL, "case %zu: '%s' not in the record", i, cases[i].from);
        if (!at)
            continue;
        char bad[8192], bad_path[512];
        snprintf(bad, sizeof bad, "%.*s%s%s", (int)(at - good), good, cases[i].to,
                 at + strlen(cases[i].from));
        snprintf(bad_path, sizeof bad_path, "%s/bad%zu.json", dir, i);
        write_file(bad_path, bad, 0644);
        rf_setup_record out;
        rf_error e = {0};
        CHECK(rf_setup_record_load(bad_path, false, &out, &e) < 0, "case %zu loaded", i);
        CHECK(strstr(e.message, cases[i].field) != NULL, "case %zu: message '%s' lacks '%s'", i,
              e.message, cases[i].field);
    }
}

/* A record others could write must be refused by a privileged reader. */
static void test_root_owned(const char *dir) {
    char path[512];
    snprintf(path, sizeof path, "%s/setup.json", dir);
    rf_setup_record out;
    rf_error err = {0};
    CHECK(chmod(path, 0666) == 0, "chmod");
    int rc = rf_setup_record_load(path, true, &out, &err);
    CHECK(rc == -EPERM, "world-writable record accepted (rc %d: %s)", rc, err.message);
    CHECK(chmod(path, 0644) == 0, "chmod");
    rc = rf_setup_record_load(path, true, &out, &err);
    if (geteuid() == 0)
        CHECK(rc == 0, "root-owned 0644 record in a 0700 folder refused: %s", err.message);
    else
        CHECK(rc == -EPERM, "record owned by uid %u accepted as root-owned", (unsigned)geteuid());
}

/* An unfinished setup's record: only rf_setup_record_load_progress reads it;
 * the runner's and the CLI's reader refuses it. */
static void test_incomplete(const char *dir) {
    static const struct {
        const char *reason;
        bool incomplete;
        unsigned offline_id;
        bool empty_digests;
        int strict_rc, progress_rc;
    } cases[] = {
        {"complete record: both readers", false, 5002, false, 0, 0},
        {"incomplete, all known: only the progress reader", true, 5002, false, -EAGAIN, 0},
        {"incomplete, ids and digests not yet known", true, 0, true, -EAGAIN, 0},
        {"complete but an id 0: refused by both", false, 0, false, -EINVAL, -EINVAL},
        {"complete but no digest: refused by both", false, 5002, true, -EINVAL, -EINVAL},
    };
    char path[512];
    snprintf(path, sizeof path, "%s/progress.json", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_setup_record in = sample(), out;
        in.incomplete = cases[i].incomplete;
        in.offline.id = cases[i].offline_id;
        if (cases[i].empty_digests) {
            memset(in.table_sha256, 0, sizeof in.table_sha256);
            memset(in.runner_sha256, 0, sizeof in.runner_sha256);
        }
        rf_error err = {0};
        CHECK(rf_setup_record_save(path, &in, &err) == 0, "save: %s", err.message);
        int rc = rf_setup_record_load(path, false, &out, &err);
        CHECK(rc == cases[i].strict_rc, "%s: strict load rc %d, want %d (%s)", cases[i].reason,
              rc, cases[i].strict_rc, err.message);
        if (geteuid() != 0)
            continue; /* the progress reader wants root-owned files */
        rc = rf_setup_record_load_progress(path, &out, &err);
        CHECK(rc == cases[i].progress_rc, "%s: progress load rc %d, want %d (%s)",
              cases[i].reason, rc, cases[i].progress_rc, err.message);
        if (rc == 0)
            CHECK(memcmp(&in, &out, sizeof in) == 0, "%s: read back differs", cases[i].reason);
    }
}

int main(void) {
    char dir[] = "/tmp/rf-setup-record-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    test_round_trip(dir);
    test_missing_file(dir);
    test_bad_fields(dir);
    test_root_owned(dir);
    test_incomplete(dir);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_summary("setup_record_test");
}
