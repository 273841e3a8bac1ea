/* setup_unit.c — the systemd unit that restores the firewall table at boot. */
#include "backends/linux/elevated/setup_unit.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/linux/elevated/setup_fs.h"
#include "backends/linux/elevated/setup_users.h"
#include "core/error.h"

int rf_setup_unit_text(const char *exec_start, char *out, size_t len, rf_error *err) {
    /* DefaultDependencies=no and Before=network-pre.target: the table is in
     * place before any interface comes up, so the offline user never has a
     * window of network access after boot.  After= and PartOf=
     * nftables.service: Debian's /etc/nftables.conf starts with `flush
     * ruleset`, which deletes our table too; ordered after it at boot, and
     * re-run whenever it is restarted, ours comes back (both are harmless
     * when nftables.service does not exist). */
    int w = snprintf(out, len,
                     "# Written by ringfence-setup; removed by `sudo ringfence uninstall`.\n"
                     "[Unit]\n"
                     "Description=ringfence firewall table (keeps the offline sandbox user off "
                     "the network)\n"
                     "DefaultDependencies=no\n"
                     "After=local-fs.target nftables.service\n"
                     "PartOf=nftables.service\n"
                     "Before=network-pre.target\n"
                     "Wants=network-pre.target\n"
                     "\n"
                     "[Service]\n"
                     "Type=oneshot\n"
                     "RemainAfterExit=yes\n"
                     "ExecStart=%s\n"
                     "\n"
                     "[Install]\n"
                     "WantedBy=sysinit.target\n",
                     exec_start);
    if (w < 0 || (size_t)w >= len)
        return rf_fail(err, -ENAMETOOLONG, "building the systemd unit: text too long");
    return 0;
}

int rf_setup_unit_link_path(const char *unit_path, const char *wants_dir, char *out, size_t len,
                            rf_error *err) {
    const char *name = strrchr(unit_path, '/');
    if (!name || (size_t)snprintf(out, len, "%s%s", wants_dir, name) >= len)
        return rf_fail(err, -EINVAL, "unit path %s: not absolute or too long", unit_path);
    return 0;
}

bool rf_setup_systemd_running(void) {
    struct stat st;
    return lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

static bool link_points_to(const char *link, const char *target) {
    char buf[PATH_MAX];
    ssize_t n = readlink(link, buf, sizeof buf - 1);
    if (n < 0)
        return false;
    buf[n] = '\0';
    return strcmp(buf, target) == 0;
}

static int reload_systemd(rf_error *err) {
    if (!rf_setup_systemd_running())
        return 0;
    const char *const argv[] = {"/usr/bin/systemctl", "daemon-reload", NULL};
    return rf_setup_run_tool(argv, err);
}

int rf_setup_unit_install(const char *unit_path, const char *wants_dir, const char *text,
                          rf_error *err) {
    char dir[PATH_MAX], link[PATH_MAX], tmp[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", unit_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    int rc = rf_setup_mkdirs(dir, 0755, err);
    if (rc == 0)
        rc = rf_setup_write_file(unit_path, text, strlen(text), 0, 0644, err);
    if (rc == 0)
        rc = rf_setup_mkdirs(wants_dir, 0755, err);
    if (rc == 0)
        rc = rf_setup_unit_link_path(unit_path, wants_dir, link, sizeof link, err);
    if (rc == 0 && !link_points_to(link, unit_path)) {
        /* Made beside and renamed over: a stale link never lingers half-made. */
        if (snprintf(tmp, sizeof tmp, "%s" RF_SETUP_TMP_SUFFIX, link) >= (int)sizeof tmp)
            return rf_fail(err, -ENAMETOOLONG, "link path %s is too long", link);
        if (unlink(tmp) < 0 && errno != ENOENT)
            return rf_fail_errno(err, errno, "removing the stale %s", tmp);
        if (symlink(unit_path, tmp) < 0)
            rc = rf_fail_errno(err, errno, "creating link %s", tmp);
        else if (rename(tmp, link) < 0)
            rc = rf_fail_errno(err, errno, "renaming %s to %s", tmp, link);
        if (rc < 0)
            unlink(tmp);
    }
    if (rc == 0)
        rc = reload_systemd(err);
    return rc;
}

int rf_setup_unit_remove(const char *unit_path, const char *wants_dir, rf_error *err) {
    char link[PATH_MAX];
    int rc = rf_setup_unit_link_path(unit_path, wants_dir, link, sizeof link, err);
    if (rc == 0)
        rc = rf_setup_remove_file(link, err);
    if (rc == 0)
        rc = rf_setup_remove_file(unit_path, err);
    if (rc == 0)
        rc = rf_setup_rmdir_if_empty(wants_dir, err);
    if (rc == 0)
        rc = reload_systemd(err);
    return rc;
}

int rf_setup_unit_problem(const char *unit_path, const char *wants_dir, const char *text,
                          char *why, size_t why_len) {
    why[0] = '\0';
    char *data = NULL, link[PATH_MAX];
    size_t len = 0;
    rf_error err = {0};
    struct stat st;
    if (lstat(unit_path, &st) < 0)
        return -ENOENT;
    if (rf_setup_read_file(unit_path, &data, &len, &err) < 0)
        snprintf(why, why_len, "%s", err.message);
    else if (len != strlen(text) || memcmp(data, text, len) != 0)
        snprintf(why, why_len, "%s differs from what setup writes", unit_path);
    else if (st.st_uid != 0 || (st.st_mode & 07777) != 0644)
        snprintf(why, why_len, "%s is not root's with mode 0644", unit_path);
    else if (rf_setup_unit_link_path(unit_path, wants_dir, link, sizeof link, &err) < 0 ||
             !link_points_to(link, unit_path))
        snprintf(why, why_len, "not enabled (no link %s)", link);
    free(data);
    return 0;
}
