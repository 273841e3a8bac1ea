/* setup_main.c — ringfence-setup: the command line of the root-only setup program. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/linux/elevated/setup_steps.h"

static const char usage[] =
    "usage: ringfence-setup setup [--proxy-port N]... [--invoking-uid UID] [--check]\n"
    "       ringfence-setup uninstall\n"
    "       ringfence-setup restore-firewall\n"
    "\n"
    "Root only; normally run as `sudo ringfence setup` / `sudo ringfence uninstall`.\n"
    "  setup              create or repair the sandbox group and users, the firewall table,\n"
    "                     its boot-time restore unit and the setuid runner\n"
    "  --proxy-port N     a loopback TCP port the offline user may reach (repeatable;\n"
    "                     without it, the ports recorded by the last setup are kept)\n"
    "  --invoking-uid UID the person to add to the group (default: $SUDO_UID)\n"
    "  --check            report each item as ok / missing / changed; change nothing\n"
    "  uninstall          remove everything setup recorded\n"
    "  restore-firewall   re-create the recorded firewall table (run by the boot unit)\n";

static int parse_uint(const char *s, unsigned long max, unsigned long *out) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_setup_args(int argc, char **argv, rf_setup_options *opts, bool *check) {
    enum { OPT_PORT = 1000, OPT_UID, OPT_CHECK };
    static const struct option longopts[] = {
        {"proxy-port", required_argument, NULL, OPT_PORT},
        {"invoking-uid", required_argument, NULL, OPT_UID},
        {"check", no_argument, NULL, OPT_CHECK},
        {NULL, 0, NULL, 0},
    };
    int opt;
    unsigned long v;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_PORT:
            if (parse_uint(optarg, 65535, &v) < 0 || v == 0) {
                fprintf(stderr, "ringfence-setup: --proxy-port %s: not a port (1-65535)\n",
                        optarg);
                return -1;
            }
            if (opts->n_proxy_ports == RF_SETUP_MAX_PROXY_PORTS) {
                fprintf(stderr, "ringfence-setup: at most %d --proxy-port options\n",
                        RF_SETUP_MAX_PROXY_PORTS);
                return -1;
            }
            opts->proxy_ports[opts->n_proxy_ports++] = (unsigned)v;
            opts->ports_given = true;
            break;
        case OPT_UID:
            if (parse_uint(optarg, 0x7fffffff, &v) < 0) {
                fprintf(stderr, "ringfence-setup: --invoking-uid %s: not a uid\n", optarg);
                return -1;
            }
            opts->invoking_uid = (long)v;
            break;
        case OPT_CHECK:
            *check = true;
            break;
        default:
            fputs(usage, stderr);
            return -1;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "ringfence-setup: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    rf_setup_config cfg;
    rf_error err = {0};
    setvbuf(stdout, NULL, _IOLBF, 0); /* progress lines survive a kill between steps */
    /* Folders are made 0755 for the people who read the record and run the
     * runner; an admin's umask 077 would make them unreachable. */
    umask(022);
    /* The runner to install is looked up beside this program, never in a
     * folder named by the environment (`sudo -E` would let the caller pick
     * the file that gets installed setuid root). */
    unsetenv("RINGFENCE_LIBDIR");
    if (rf_setup_config_init(&cfg, &argc, argv, &err) < 0) {
        fprintf(stderr, "ringfence-setup: %s\n", err.message);
        return 2;
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (geteuid() != 0) {
        fprintf(stderr, "ringfence-setup: must run as root (sudo ringfence %s)\n", argv[1]);
        return 1;
    }
    const char *verb = argv[1];
    rf_setup_options opts = {.invoking_uid = -1};
    if (strcmp(verb, "setup") == 0) {
        bool check = false;
        if (parse_setup_args(argc - 1, argv + 1, &opts, &check) < 0)
            return 2;
        unsigned long v;
        const char *sudo_uid = getenv("SUDO_UID");
        if (opts.invoking_uid < 0 && sudo_uid && parse_uint(sudo_uid, 0x7fffffff, &v) == 0)
            opts.invoking_uid = (long)v;
        return check ? rf_setup_do_check(&cfg, &opts) : rf_setup_do_setup(&cfg, &opts);
    }
    if (argc != 2) {
        fprintf(stderr, "ringfence-setup: %s takes no arguments\n", verb);
        return 2;
    }
    if (strcmp(verb, "uninstall") == 0)
        return rf_setup_do_uninstall(&cfg);
    if (strcmp(verb, "restore-firewall") == 0)
        return rf_setup_do_restore_firewall(&cfg);
    fprintf(stderr, "ringfence-setup: unknown verb '%s'\n%s", verb, usage);
    return 2;
}
