/*
 * cmd_setup.c — `ringfence setup [...]` and `ringfence uninstall`: hand over
 * to ringfence-setup, the root-only program that holds the privileged work
 * (users, nftables through libnftables, the setuid runner).  The CLI itself
 * links neither libnftables nor anything else that work needs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cli/cli.h"
#include "core/install_paths.h"

static const char setup_usage[] =
    "usage: sudo ringfence setup [--proxy-port N]... [--check]\n"
    "       sudo ringfence uninstall\n"
    "\n"
    "setup creates (or repairs) what the elevated backend needs: a group for the\n"
    "people allowed to use the sandbox (you, when run through sudo), two system\n"
    "users (offline, online), the nftables table `inet ringfence` that rejects the\n"
    "offline user's traffic, a systemd unit restoring it at boot, and the setuid\n"
    "runner; it records all of it in /etc/ringfence/setup.json.\n"
    "  --proxy-port N  a loopback TCP port the offline user may reach (repeatable;\n"
    "                  replaces the recorded ports; without it they are kept)\n"
    "  --check         report each item as ok / missing / changed; change nothing\n"
    "Others join with `sudo gpasswd -a NAME ringfence` (from their next login).\n"
    "uninstall removes everything setup recorded: the runner, the boot unit, the\n"
    "table, the group, and both sandbox users with their homes (files in\n"
    "/var/lib/ringfence/ringfence-offline and -online are deleted).\n";

/* The person behind sudo, passed on so that setup adds them to the group. */
static const char *invoking_uid(void) {
    const char *uid = getenv("SUDO_UID");
    if (!uid || !*uid || strspn(uid, "0123456789") != strlen(uid) || strlen(uid) > 10)
        return NULL;
    return uid;
}

/* Root runs only a program chosen by someone already trusted with root: it
 * must be root's (or belong to the owner of this binary, whom root trusts by
 * running it) and writable by no one else, else another user who can write
 * in ../lib/ringfence would pick what runs as root.  Opened once and run
 * from that descriptor: the file checked is the file run (no swap between
 * the check and exec).  Returns the descriptor, or -1 after a message. */
static int open_trusted_program(const char *program) {
    int fd = open(program, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rf_cli_error("opening %s: %s", program, strerror(errno));
        return -1;
    }
    struct stat st, self;
    if (fstat(fd, &st) < 0 || stat("/proc/self/exe", &self) < 0) {
        rf_cli_error("checking the owner of %s: %s", program, strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || (st.st_uid != 0 && st.st_uid != self.st_uid) ||
        (st.st_mode & (S_IWGRP | S_IWOTH))) {
        rf_cli_error("refusing to run %s as root: owned by uid %u with mode %04o; it must be "
                     "root's (or this ringfence's owner's, uid %u), a regular file, and "
                     "writable by no one else", program, (unsigned)st.st_uid,
                     (unsigned)(st.st_mode & 07777), (unsigned)self.st_uid);
        close(fd);
        return -1;
    }
    return fd;
}

static int exec_setup(const char *verb, int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(setup_usage, stdout);
            return 0;
        }
    if (geteuid() != 0) {
        rf_cli_error("`ringfence %s` changes users, groups, the firewall and /etc: run it as "
                     "root (sudo ringfence %s)", verb, verb);
        return 1;
    }
    /* Root runs what is found: only beside this binary or in its install
     * tree, never in a folder the environment names (`sudo -E`). */
    unsetenv("RINGFENCE_LIBDIR");
    char *program = NULL;
    rf_error err = {0};
    if (rf_install_find(rf_cli_setup_program(), &program, &err) < 0) {
        rf_cli_error("%s", err.message);
        return 1;
    }
    int fd = open_trusted_program(program);
    if (fd < 0) {
        free(program);
        return 1;
    }
    /* program, verb, [--invoking-uid UID], the user's arguments, NULL */
    char **args = calloc((size_t)argc + 4, sizeof *args);
    if (!args) {
        rf_cli_error("starting %s: %s", program, strerror(ENOMEM));
        close(fd);
        free(program);
        return 1;
    }
    size_t n = 0;
    args[n++] = program;
    args[n++] = (char *)verb;
    const char *uid = invoking_uid();
    if (uid && strcmp(verb, "setup") == 0) {
        args[n++] = "--invoking-uid";
        args[n++] = (char *)uid;
    }
    for (int i = 1; i < argc; i++)
        args[n++] = argv[i];
    args[n] = NULL;
    fexecve(fd, args, environ);
    rf_cli_error("executing %s: %s", program, strerror(errno));
    close(fd);
    free(args);
    free(program);
    return 1;
}

int rf_cmd_setup(int argc, char **argv) { return exec_setup("setup", argc, argv); }

int rf_cmd_uninstall(int argc, char **argv) { return exec_setup("uninstall", argc, argv); }
