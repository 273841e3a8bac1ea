/* setup_plan_test.c — ringfence-setup's plan as data: the nftables table text,
 * the boot unit, the record of a configuration; and removing a tree without
 * following the links planted in it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/linux/elevated/setup_fs.h"
#include "backends/linux/elevated/setup_nft.h"
#include "backends/linux/elevated/setup_steps.h"
#include "backends/linux/elevated/setup_unit.h"
#include "core/error.h"
#include "tests/check.h"

static void test_table_text(void) {
    static const struct {
        const char *reason;
        unsigned uid;
        unsigned ports[4];
        size_t n;
        int rc;
        const char *proxy_line; /* expected line, or NULL for no proxy rule */
    } cases[] = {
        {"no proxy port: no loopback exception", 999, {0}, 0, 0, NULL},
        {"one port: printed bare", 998, {3128}, 1, 0, "\t\toif \"lo\" tcp dport 3128 accept\n"},
        {"ports sorted and de-duplicated, as nft lists a set", 997, {8080, 3128, 8080}, 3, 0,
         "\t\toif \"lo\" tcp dport { 3128, 8080 } accept\n"},
        {"port 0 refused", 996, {0}, 1, -EINVAL, NULL},
        {"port 65536 refused", 996, {65536}, 1, -EINVAL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[4096], uid_line[64];
        rf_error err = {0};
        int rc = rf_nft_table_text("ringfence", cases[i].uid, cases[i].ports, cases[i].n, text,
                                   sizeof text, &err);
        CHECK(rc == cases[i].rc, "%s: rc %d, want %d (%s)", cases[i].reason, rc, cases[i].rc,
              err.message);
        if (rc < 0)
            continue;
        snprintf(uid_line, sizeof uid_line, "\t\tmeta skuid %u goto offline\n", cases[i].uid);
        CHECK(strncmp(text, "table inet ringfence {\n", 23) == 0, "%s: header", cases[i].reason);
        CHECK(strstr(text, uid_line) != NULL, "%s: the offline uid's packets go to its chain",
              cases[i].reason);
        /* Packets without a socket (ICMP replies, neighbour discovery) match
         * no `meta skuid`: only a positive match leaves them alone. */
        CHECK(strstr(text, "!=") == NULL, "%s: no negated match that socketless packets fall "
              "through:\n%s", cases[i].reason, text);
        CHECK(strstr(text, "\tchain offline {\n") != NULL &&
                  strstr(text, "\tchain offline {\n") > strstr(text, uid_line),
              "%s: the offline chain follows the hook chain:\n%s", cases[i].reason, text);
        CHECK(strstr(text, "flags") == NULL, "%s: no exception for TCP flags:\n%s",
              cases[i].reason, text);
        CHECK(strstr(text, "type filter hook output priority filter; policy accept;") != NULL,
              "%s: an output hook that accepts what it does not reject", cases[i].reason);
        CHECK(strstr(text, "\t\tmeta l4proto tcp reject with tcp reset\n\t\treject with icmpx "
                           "admin-prohibited\n\t}\n}\n") != NULL,
              "%s: ends rejecting TCP with a reset and the rest with ICMP", cases[i].reason);
        CHECK(strstr(text, "drop") == NULL, "%s: nothing is dropped (tools would hang)",
              cases[i].reason);
        CHECK(strstr(text, "comment \"" RF_NFT_TABLE_COMMENT "\"") != NULL,
              "%s: the table carries our comment", cases[i].reason);
        const char *proxy = strstr(text, "tcp dport");
        if (cases[i].proxy_line)
            CHECK(strstr(text, cases[i].proxy_line) != NULL, "%s:\n%s", cases[i].reason, text);
        else
            CHECK(proxy == NULL, "%s:\n%s", cases[i].reason, text);
    }
}

static void test_unit_and_record(void) {
    rf_setup_config cfg;
    rf_error err = {0};
    int argc = 1;
    char *argv[] = {"ringfence-setup", NULL};
    CHECK(rf_setup_config_init(&cfg, &argc, argv, &err) == 0, "config: %s", err.message);
    char unit[4096];
    CHECK(rf_setup_expected_unit(&cfg, unit, sizeof unit, &err) == 0, "unit: %s", err.message);
    static const char *const unit_lines[] = {
        "ExecStart=/usr/local/libexec/ringfence/ringfence-setup restore-firewall\n",
        "Before=network-pre.target\n",
        "DefaultDependencies=no\n",
        /* Debian's nftables.service flushes the whole ruleset: ours after it */
        "After=local-fs.target nftables.service\n",
        "PartOf=nftables.service\n",
        "Type=oneshot\n",
        "WantedBy=sysinit.target\n",
    };
    for (size_t i = 0; i < sizeof unit_lines / sizeof unit_lines[0]; i++)
        CHECK(strstr(unit, unit_lines[i]) != NULL, "unit lacks %s", unit_lines[i]);
    char link[4096];
    CHECK(rf_setup_unit_link_path(cfg.unit_path, cfg.wants_dir, link, sizeof link, &err) == 0 &&
              strcmp(link, "/etc/systemd/system/sysinit.target.wants/"
                           "ringfence-firewall.service") == 0,
          "enabling link %s", link);

    rf_setup_record rec;
    CHECK(rf_setup_record_for(&cfg, &rec, &err) == 0, "record: %s", err.message);
    CHECK_STR_EQ(rec.offline.home, "/var/lib/ringfence/ringfence-offline", "offline home");
    CHECK_STR_EQ(rec.runner_path, "/usr/local/libexec/ringfence/ringfence-runner", "runner");
    CHECK_STR_EQ(rec.restore_unit, "/etc/systemd/system/ringfence-firewall.service", "unit");
    CHECK(rec.incomplete && rec.offline.id == 0 && rec.table_sha256[0] == '\0',
          "a fresh record is incomplete, with no ids or digests yet");
}

/* A libexec folder so long that the restore program's path would be cut:
 * refused with ENAMETOOLONG naming it, never a truncated path. */
static void test_long_paths(void) {
    rf_setup_config cfg;
    rf_error err = {0};
    int argc = 1;
    char *argv[] = {"ringfence-setup", NULL};
    CHECK(rf_setup_config_init(&cfg, &argc, argv, &err) == 0, "config: %s", err.message);
    const struct {
        size_t dir_len;
        int want;
    } cases[] = {{20, 0}, {sizeof cfg.libexec_dir - 17, 0}, {sizeof cfg.libexec_dir - 16, -ENAMETOOLONG},
                 {sizeof cfg.libexec_dir - 1, -ENAMETOOLONG}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(cfg.libexec_dir, 'd', cases[i].dir_len);
        cfg.libexec_dir[0] = '/';
        cfg.libexec_dir[cases[i].dir_len] = '\0';
        char program[PATH_MAX];
        rf_error_clear(&err);
        int rc = rf_setup_restore_program(&cfg, program, sizeof program, &err);
        CHECK(rc == cases[i].want, "libexec folder of %zu bytes: got %d, want %d", cases[i].dir_len,
              rc, cases[i].want);
        if (rc == 0)
            CHECK(strlen(program) == cases[i].dir_len + 16 &&
                      strcmp(program + cases[i].dir_len, "/ringfence-setup") == 0,
                  "the whole path (%zu bytes)", strlen(program));
        else
            CHECK(strstr(err.message, "restore program's path: longer than 4095 bytes: /ddd"),
                  "the message names the path and the reason: %.80s", err.message);
    }
}

static void touch(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || close(fd) < 0) {
        perror(path);
        exit(2);
    }
}

/* A sandbox user may plant links in its home: removing the home must not
 * follow them (symlink attack on root's recursive delete). */
static void test_remove_tree(void) {
    char base[] = "/tmp/rf-plan-test.XXXXXX", home[512], outside[512], path[600];
    if (!mkdtemp(base)) {
        perror("mkdtemp");
        exit(2);
    }
    snprintf(home, sizeof home, "%s/home", base);
    snprintf(outside, sizeof outside, "%s/outside", base);
    mkdir(home, 0700);
    mkdir(outside, 0700);
    snprintf(path, sizeof path, "%s/keep", outside);
    touch(path);
    snprintf(path, sizeof path, "%s/sub", home);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/sub/file", home);
    touch(path);
    snprintf(path, sizeof path, "%s/link-to-outside", home);
    CHECK(symlink(outside, path) == 0, "symlink");
    snprintf(path, sizeof path, "%s/sub/link-to-file", home);
    CHECK(symlink("../../outside/keep", path) == 0, "symlink");
    rf_error err = {0};
    CHECK(rf_setup_remove_tree(home, &err) == 0, "remove: %s", err.message);
    struct stat st;
    CHECK(lstat(home, &st) < 0 && errno == ENOENT, "the home is gone");
    snprintf(path, sizeof path, "%s/keep", outside);
    CHECK(lstat(path, &st) == 0, "the file behind the planted links is still there");
    CHECK(rf_setup_remove_tree(home, &err) == 0, "removing what is gone is not an error");
    CHECK(rf_setup_remove_tree(base, &err) == 0, "cleanup: %s", err.message);
}

/* Folders root writes below (the runner's, the unit's, the record's, the
 * homes') must be root's and writable by no one else, links on the way
 * root's: else their owner could swap what root installs there. */
static void test_mkdirs_trust(void) {
    if (geteuid() != 0) {
        printf("SKIP test_mkdirs_trust: needs root (folders owned by root and by others)\n");
        return;
    }
    char base[] = "/tmp/rf-plan-mkdirs.XXXXXX", path[600];
    if (!mkdtemp(base)) {
        perror("mkdtemp");
        exit(2);
    }
    static const struct {
        const char *name;  /* made in base */
        const char *kind;  /* "dir" or "link" (to base/root-dir) */
        mode_t mode;
        uid_t owner;
        int rc;            /* of rf_setup_mkdirs(base/name/new) */
        const char *reason;
    } cases[] = {
        {"root-dir", "dir", 0755, 0, 0, "a root folder 0755: used"},
        {"group-writable", "dir", 0775, 0, -EPERM, "a root folder writable by its group: refused"},
        {"world-writable", "dir", 0777, 0, -EPERM, "a root folder writable by all: refused"},
        {"sticky", "dir", 01777, 0, 0, "a sticky root folder (like /tmp): used"},
        {"users-dir", "dir", 0755, 65534, -EPERM, "a folder owned by another user: refused"},
        {"root-link", "link", 0, 0, 0, "root's link to a root folder: used"},
        {"users-link", "link", 0, 65534, -EPERM, "another user's link: refused"},
    };
    char target[600];
    snprintf(target, sizeof target, "%s/root-dir", base);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", base, cases[i].name);
        bool dir = strcmp(cases[i].kind, "dir") == 0;
        if ((dir ? mkdir(path, 0700) < 0 || chmod(path, cases[i].mode) < 0 ||
                       chown(path, cases[i].owner, 0) < 0
                 : symlink(target, path) < 0 || lchown(path, cases[i].owner, 0) < 0)) {
            perror(path);
            exit(2);
        }
        char want[700];
        snprintf(want, sizeof want, "%s/new", path);
        rf_error err = {0};
        int rc = rf_setup_mkdirs(want, 0755, &err);
        CHECK(rc == cases[i].rc, "%s: rc %d, want %d (%s)", cases[i].reason, rc, cases[i].rc,
              err.message);
        struct stat st;
        bool made = lstat(want, &st) == 0;
        if (cases[i].rc < 0) {
            CHECK(strstr(err.message, path) != NULL, "%s: the message names %s: %s",
                  cases[i].reason, path, err.message);
            CHECK(!made, "%s: nothing is created inside a refused folder", cases[i].reason);
        } else {
            CHECK(made && S_ISDIR(st.st_mode) && st.st_uid == 0, "%s: %s made", cases[i].reason,
                  want);
            rmdir(want);
        }
    }
    rf_error err = {0};
    CHECK(rf_setup_remove_tree(base, &err) == 0, "cleanup: %s", err.message);
}

int main(void) {
    test_table_text();
    test_unit_and_record();
    test_long_paths();
    test_remove_tree();
    test_mkdirs_trust();
    return check_summary("setup_plan_test");
}
