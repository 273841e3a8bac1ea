/*
 * landlock_launcher.c — the floor for a Landlock-based sandbox: the least a
 * launcher can do to confine writes.  It handles every write right the kernel
 * knows (up to ABI 3 here), allows them beneath each `-w PATH`, sets
 * no_new_privs, restricts itself and execs the command.  No namespaces, no
 * seccomp, no environment work.
 *
 *   landlock_launcher [-w PATH]... -- COMMAND [ARGS...]
 *   landlock_launcher --abi          prints the kernel's Landlock ABI
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

#define WRITE_RIGHTS_V1                                                                      \
    (LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |                         \
     LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |                         \
     LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | \
     LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM)
/* Rights that apply to a file (not a directory) rule. */
#define FILE_RIGHTS (LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE)

static int abi_version(void) {
    long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return v < 0 ? -errno : (int)v;
}

static uint64_t write_rights(int abi) {
    uint64_t r = WRITE_RIGHTS_V1;
    if (abi >= 2)
        r |= LANDLOCK_ACCESS_FS_REFER; /* renames and links cannot carry files across */
    if (abi >= 3)
        r |= LANDLOCK_ACCESS_FS_TRUNCATE;
    return r;
}

static int allow(int ruleset, const char *path, uint64_t rights) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "landlock_launcher: open %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        fprintf(stderr, "landlock_launcher: fstat %s: %s\n", path, strerror(errno));
        close(fd);
        return -1;
    }
    struct landlock_path_beneath_attr rule = {
        .allowed_access = S_ISDIR(st.st_mode) ? rights : rights & FILE_RIGHTS,
        .parent_fd = fd,
    };
    long rc = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
    int e = errno;
    close(fd);
    if (rc < 0) {
        fprintf(stderr, "landlock_launcher: landlock_add_rule %s: %s\n", path, strerror(e));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    int abi = abi_version();
    if (argc == 2 && strcmp(argv[1], "--abi") == 0) {
        printf("landlock ABI %d\n", abi);
        return abi > 0 ? 0 : 1;
    }
    if (abi < 1) {
        fprintf(stderr, "landlock_launcher: Landlock unavailable: %s\n", strerror(-abi));
        return 125;
    }
    uint64_t rights = write_rights(abi);
    struct landlock_ruleset_attr attr = {.handled_access_fs = rights};
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (ruleset < 0) {
        fprintf(stderr, "landlock_launcher: landlock_create_ruleset: %s\n", strerror(errno));
        return 125;
    }
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "-w") != 0 || i + 1 >= argc) {
            fprintf(stderr, "usage: landlock_launcher [-w PATH]... -- COMMAND [ARGS...]\n");
            return 125;
        }
        if (allow(ruleset, argv[++i], rights) < 0)
            return 125;
    }
    if (i + 1 >= argc) {
        fprintf(stderr, "usage: landlock_launcher [-w PATH]... -- COMMAND [ARGS...]\n");
        return 125;
    }
    /* no_new_privs: required to restrict self without CAP_SYS_ADMIN, and stops
     * a setuid binary from shedding the ruleset's intent. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        fprintf(stderr, "landlock_launcher: PR_SET_NO_NEW_PRIVS: %s\n", strerror(errno));
        return 125;
    }
    if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0) {
        fprintf(stderr, "landlock_launcher: landlock_restrict_self: %s\n", strerror(errno));
        return 125;
    }
    close(ruleset);
    execvp(argv[i + 1], argv + i + 1);
    int e = errno;
    fprintf(stderr, "landlock_launcher: exec %s: %s\n", argv[i + 1], strerror(e));
    return e == ENOENT ? 127 : 126;
}
