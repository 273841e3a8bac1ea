/*
 * swap_loop — test helper: exchanges two names (renameat2 RENAME_EXCHANGE)
 * as fast as it can for SECONDS, to race a check against a later use of the
 * path (a directory and a symlink to someone else's).  Exit 0, or 1 with the
 * reason when the first exchange fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s A B SECONDS\n", argv[0]);
        return 2;
    }
    time_t end = time(NULL) + atoi(argv[3]);
    for (long i = 0; time(NULL) < end; i++) {
        if (syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) < 0 && i == 0) {
            fprintf(stderr, "swap_loop: exchanging %s and %s: %s\n", argv[1], argv[2], strerror(errno));
            return 1;
        }
    }
    return 0;
}
