/* grant_main.c — the ringfence-grant program: `ringfence grant` / `ungrant`
 * exec it, so that the CLI itself does not link libacl.  Runs as the user. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "backends/linux/elevated/grant_ops.h"
#include "backends/linux/elevated/grant_setup_path.h"

static const char usage[] =
    "usage: ringfence grant [--wait] [--policy FILE] [--allow-write PATH]... DIR\n"
    "       ringfence ungrant DIR\n"
    "\n"
    "grant: lets the elevated backend's sandbox users work in the workspace DIR,\n"
    "with POSIX ACL entries computed from the policy (the same one `ringfence run`\n"
    "uses): read-write on the writable roots (default entries too, so files they\n"
    "create stay editable by you), read-only on protected paths (.git, ...), no\n"
    "access to deny_read paths; traverse (x) on your home folder and the folders\n"
    "above DIR, read on tool folders (~/.cargo, ~/.rustup, ~/.npm, ~/.local/bin,\n"
    "~/.nvm, ~/.pyenv, ~/.config/git, ~/.gitconfig, ...), never on secrets.\n"
    "DIR itself is granted at once; the files already in it get the same entries\n"
    "in the background (progress in $XDG_STATE_HOME/ringfence/grant-progress).\n"
    "Everything is recorded in $XDG_STATE_HOME/ringfence/grants.json; granting\n"
    "again costs nothing.\n"
    "\n"
    "ungrant: removes exactly the entries grant added (entries you made yourself\n"
    "stay), and the home folder's grants with the last workspace.\n"
    "\n"
    "options:\n"
    "  --wait               walk the existing files in the foreground (or wait for\n"
    "                       the background walk) before returning\n"
    "  --policy FILE        the policy (the CLI passes the one `run` would use)\n"
    "  --managed-policy F   the admin-managed policy (passed by the CLI)\n"
    "  --allow-write PATH   another writable root (repeatable)\n"
    "  --help               this text\n";

enum { OPT_WAIT = 1000, OPT_POLICY, OPT_MANAGED, OPT_ALLOW_WRITE, OPT_HELP };

int main(int argc, char **argv) {
    static const struct option longopts[] = {
        {"wait", no_argument, NULL, OPT_WAIT},
        {"background", no_argument, NULL, 'b'},
        {"policy", required_argument, NULL, OPT_POLICY},
        {"managed-policy", required_argument, NULL, OPT_MANAGED},
        {"allow-write", required_argument, NULL, OPT_ALLOW_WRITE},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *verb = argv[1];
    bool ungrant = strcmp(verb, "ungrant") == 0;
    if (!ungrant && strcmp(verb, "grant") != 0) {
        fprintf(stderr, "ringfence-grant: unknown command '%s' (grant or ungrant)\n", verb);
        return 2;
    }
    const char *allow[64];
    rf_grant_options o = {.allow_write = allow, .setup_record = rf_grant_setup_record_path()};
    int opt;
    optind = 2;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_WAIT:
            o.wait = true;
            break;
        case 'b':
            o.wait = false;
            break;
        case OPT_POLICY:
            o.policy_file = optarg;
            break;
        case OPT_MANAGED:
            o.managed_file = optarg;
            break;
        case OPT_ALLOW_WRITE:
            if (o.n_allow_write == sizeof allow / sizeof allow[0]) {
                fprintf(stderr, "ringfence %s: too many --allow-write options (at most %zu)\n",
                        verb, sizeof allow / sizeof allow[0]);
                return 2;
            }
            allow[o.n_allow_write++] = optarg;
            break;
        case OPT_HELP:
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "ringfence %s: give exactly one directory (usage: ringfence %s DIR)\n",
                verb, verb);
        return 2;
    }
    o.dir = argv[optind];
    rf_error err = {0};
    int rc = ungrant ? rf_ungrant_run(&o, &err) : rf_grant_run(&o, &err);
    if (rc < 0) {
        fprintf(stderr, "ringfence %s: %s\n", verb, err.message);
        return 1;
    }
    return 0;
}
