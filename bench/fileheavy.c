/*
 * fileheavy.c — the file-heavy workload: create, stat, read and delete N small
 * files in a fresh folder under DIR.  Every step is a path lookup and a check
 * by whatever confines the process (Landlock hooks, mount namespace).
 *
 *   fileheavy DIR [N]     (N defaults to 20000)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *op, const char *path) {
    fprintf(stderr, "fileheavy: %s %s: %s\n", op, path, strerror(errno));
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: fileheavy DIR [N]\n");
        return 2;
    }
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 20000;
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/fileheavy-%ld", argv[1], (long)getpid());
    if (mkdir(dir, 0700) < 0)
        return fail("mkdir", dir);
    static const char payload[] = "ringfence file-heavy workload: sixty-four bytes of payload.\n";
    char buf[128];
    for (long i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/f%06ld", dir, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0)
            return fail("create", path);
        if (write(fd, payload, sizeof payload - 1) != (ssize_t)(sizeof payload - 1))
            return fail("write", path);
        if (close(fd) < 0)
            return fail("close", path);
    }
    for (long i = 0; i < n; i++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/f%06ld", dir, i);
        if (stat(path, &st) < 0)
            return fail("stat", path);
    }
    for (long i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/f%06ld", dir, i);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return fail("open", path);
        if (read(fd, buf, sizeof buf) < 0)
            return fail("read", path);
        close(fd);
    }
    for (long i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/f%06ld", dir, i);
        if (unlink(path) < 0)
            return fail("unlink", path);
    }
    if (rmdir(dir) < 0)
        return fail("rmdir", dir);
    return 0;
}
