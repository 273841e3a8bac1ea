/*
 * cmd_probe.c — `ringfence probe`: the escape matrix from the command line.
 *
 * Exit status: 0 when every backend's outcomes match its guarantee table;
 * 1 on a mismatch or a broken probe (CI fails on it); 2 on a bad command
 * line; 125 when ringfence itself failed (the world, the policy, rf-probe).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/matrix.h"

/* Declared in core/cli/cli.h, which the CLI owns; defined here. */
int rf_cmd_probe(int argc, char **argv);

static const char probe_usage[] =
    "usage: ringfence probe [--backend NAME]... [--all] [--json | --markdown]\n"
    "\n"
    "Builds a throwaway world (a workspace, an outside folder, a planted secret,\n"
    "loopback listeners, a docker.sock stand-in, a process to trace), runs every\n"
    "escape probe under the `none` baseline and under each backend, and prints\n"
    "the matrix probe x backend.  Each backend is held to its own guarantee\n"
    "table: an enforced guarantee must block, an advisory one stops only the\n"
    "tools that follow conventions.\n"
    "\n"
    "  --backend NAME   probe this backend (repeatable)\n"
    "  --all            every available backend (the default)\n"
    "  --json           machine-readable results\n"
    "  --markdown       a table for the README, with the kernel and the command\n"
    "  --help           this text\n"
    "\n"
    "Exit status: 0 when every outcome matches its table, 1 on a mismatch or a\n"
    "broken probe, 2 on a bad command line, 125 when ringfence itself failed.\n";

enum { FMT_TEXT, FMT_JSON, FMT_MARKDOWN };

/* The baseline measures the direct path: proxy variables inherited from the
 * caller would send curl and git elsewhere before any sandbox is involved. */
static void clear_inherited_proxies(void) {
    static const char *const names[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                        "all_proxy",  "ALL_PROXY",  "ftp_proxy",   "FTP_PROXY",
                                        "no_proxy",   "NO_PROXY"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unsetenv(names[i]);
}

static volatile sig_atomic_t probe_stop;

static void on_stop_signal(int sig) {
    (void)sig;
    probe_stop = 1;
}

/* Ctrl-C (or a TERM/HUP) ends the matrix after the current run, so the world
 * (its folder, listeners and target) is still removed. */
static void catch_stop_signals(void) {
    struct sigaction sa = {.sa_handler = on_stop_signal};
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static void command_line(int argc, char **argv, char *buf, size_t len) {
    size_t used = (size_t)snprintf(buf, len, "ringfence");
    for (int i = 0; i < argc && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, " %s", argv[i]);
}

int rf_cmd_probe(int argc, char **argv) {
    enum { OPT_BACKEND_ = 1, OPT_ALL_, OPT_JSON_, OPT_MARKDOWN_, OPT_HELP_ };
    static const struct option longopts[] = {
        {"backend", required_argument, NULL, OPT_BACKEND_},
        {"all", no_argument, NULL, OPT_ALL_},
        {"json", no_argument, NULL, OPT_JSON_},
        {"markdown", no_argument, NULL, OPT_MARKDOWN_},
        {"help", no_argument, NULL, OPT_HELP_},
        {NULL, 0, NULL, 0},
    };
    const char *backends[16];
    rf_matrix_options opts = {.backends = backends};
    int format = FMT_TEXT, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_BACKEND_:
            if (opts.n_backends == sizeof backends / sizeof backends[0]) {
                fprintf(stderr, "ringfence probe: too many --backend options\n");
                return 2;
            }
            backends[opts.n_backends++] = optarg;
            break;
        case OPT_ALL_:
            opts.all = true;
            break;
        case OPT_JSON_:
            format = FMT_JSON;
            break;
        case OPT_MARKDOWN_:
            format = FMT_MARKDOWN;
            break;
        case 'h':
        case OPT_HELP_:
            fputs(probe_usage, stdout);
            return 0;
        default:
            fputs(probe_usage, stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "ringfence probe: unexpected argument '%s'\n%s", argv[optind], probe_usage);
        return 2;
    }
    if (opts.all && opts.n_backends) {
        fprintf(stderr, "ringfence probe: --all and --backend exclude each other\n");
        return 2;
    }
    if (!opts.n_backends)
        opts.all = true;
    clear_inherited_proxies();
    catch_stop_signals();
    opts.stop = &probe_stop;

    rf_matrix *m = NULL;
    rf_error err = {0};
    int rc = rf_matrix_run(&opts, &m, &err);
    if (rc < 0) {
        fprintf(stderr, "ringfence: probe: %s\n", err.message);
        return rc == -EINTR ? 130 : 125;
    }
    char command[512];
    command_line(argc, argv, command, sizeof command);
    if (format == FMT_JSON)
        rf_matrix_print_json(m, stdout);
    else if (format == FMT_MARKDOWN)
        rf_matrix_print_markdown(m, command, stdout);
    else
        rf_matrix_print_text(m, stdout);
    fflush(stdout);
    int status = (m->mismatches || m->broken) ? 1 : 0;
    /* A backend asked for by name that cannot run is a failure, not a pass. */
    for (size_t c = 1; !opts.all && c < m->n_columns; c++)
        if (!m->columns[c].status.available) {
            fprintf(stderr, "ringfence: probe: backend %s is unavailable: %s\n",
                    m->columns[c].status.name, m->columns[c].status.reason);
            status = 125;
        }
    rf_matrix_free(m);
    return status;
}
