/*
 * setup_config_testbuild.c — ringfence-setup for tests: every name carries the
 * test's prefix and every path lies under the test's folder.  Never shipped.
 */
#include "backends/linux/elevated/setup_config.h"

#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

static bool is_test_prefix(const char *s) {
    if (strncmp(s, "rftest", 6) != 0 || strlen(s) > 20)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

/* Removes argv[i] and argv[i + 1]. */
static void drop_option(int *argc, char **argv, int i) {
    for (int j = i; j + 2 <= *argc; j++)
        argv[j] = argv[j + 2];
    *argc -= 2;
}

int rf_setup_config_init(rf_setup_config *cfg, int *argc, char **argv, rf_error *err) {
    memset(cfg, 0, sizeof *cfg);
    cfg->test_build = true;
    const char *root = NULL, *prefix = "rftest", *runner = "";
    for (int i = 1; i < *argc;) {
        const char **slot = strcmp(argv[i], "--test-root") == 0     ? &root
                            : strcmp(argv[i], "--test-prefix") == 0 ? &prefix
                            : strcmp(argv[i], "--test-runner") == 0 ? &runner
                                                                    : NULL;
        if (!slot) {
            i++;
            continue;
        }
        if (i + 1 >= *argc)
            return rf_fail(err, -EINVAL, "option %s needs a value", argv[i]);
        *slot = argv[i + 1];
        drop_option(argc, argv, i);
    }
    if (!root || root[0] != '/')
        return rf_fail(err, -EINVAL, "this is the test build of ringfence-setup: it needs "
                       "--test-root ABSOLUTE_DIR (every path it writes lies under it)");
    if (!is_test_prefix(prefix))
        return rf_fail(err, -EINVAL, "--test-prefix %s: must be rftest followed by at most 14 "
                       "lower-case letters or digits", prefix);
    if (strlen(root) > 200 || strlen(runner) > 1000)
        return rf_fail(err, -ENAMETOOLONG, "--test-root or --test-runner is too long");
    snprintf(cfg->group, sizeof cfg->group, "%s", prefix);
    snprintf(cfg->offline_user, sizeof cfg->offline_user, "%s-offline", prefix);
    snprintf(cfg->online_user, sizeof cfg->online_user, "%s-online", prefix);
    snprintf(cfg->table, sizeof cfg->table, "%s", prefix);
    snprintf(cfg->record_path, sizeof cfg->record_path, "%s/etc/ringfence/setup.json", root);
    snprintf(cfg->home_base, sizeof cfg->home_base, "%s/var/lib/ringfence", root);
    snprintf(cfg->unit_path, sizeof cfg->unit_path,
             "%s/etc/systemd/system/ringfence-firewall.service", root);
    snprintf(cfg->wants_dir, sizeof cfg->wants_dir, "%s/etc/systemd/system/sysinit.target.wants",
             root);
    snprintf(cfg->libexec_dir, sizeof cfg->libexec_dir, "%s/usr/local/libexec/ringfence", root);
    snprintf(cfg->runner_source, sizeof cfg->runner_source, "%s", runner);
    snprintf(cfg->unit_extra_args, sizeof cfg->unit_extra_args,
             " --test-root %s --test-prefix %s", root, prefix);
    return 0;
}

void rf_setup_test_step_done(const rf_setup_config *cfg, int step) {
    (void)cfg;
    const char *stop = getenv("RF_SETUP_TEST_STOP_AFTER");
    if (stop && atoi(stop) == step) {
        fprintf(stderr, "ringfence-setup (test build): killing itself after step %d\n", step);
        raise(SIGKILL);
    }
}

/* The test must have entered a network namespace of its own before asking
 * for any firewall change.  A namespace made by `unshare --net` holds only
 * the loopback interface; the host's has more (and /proc/1/ns/net, the
 * direct comparison, is unreadable in some containers even to root). */
int rf_setup_test_netns_guard(const rf_setup_config *cfg, rf_error *err) {
    (void)cfg;
    struct if_nameindex *ifs = if_nameindex();
    if (!ifs)
        return rf_fail_errno(err, errno, "listing network interfaces");
    const char *other = NULL;
    for (struct if_nameindex *i = ifs; i->if_index != 0; i++)
        if (strcmp(i->if_name, "lo") != 0 && !other)
            other = i->if_name;
    int rc = 0;
    if (other)
        rc = rf_fail(err, -EPERM, "test build of ringfence-setup: refusing to change nftables "
                     "in a network namespace with interface %s (the host's?); run the test "
                     "under `unshare --net`", other);
    if_freenameindex(ifs);
    return rc;
}
