/*
 * rss_probe.c — peak RSS of a launcher's process tree, free of the driver's
 * own size.  A forked child starts with a copy of its parent's resident
 * anonymous pages, and wait4's ru_maxrss counts them; this tiny static
 * program is what the driver forks, so the copy it passes on is a few pages.
 *
 *   rss_probe COMMAND [ARGS...]   prints "<peak KiB of COMMAND's tree> <exit status>"
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: rss_probe COMMAND [ARGS...]\n");
        return 2;
    }
    /* The report goes to our stdout; the command's output goes to /dev/null. */
    int report = dup(1);
    int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (report < 0 || null_fd < 0) {
        fprintf(stderr, "rss_probe: dup/open /dev/null: %s\n", strerror(errno));
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "rss_probe: fork: %s\n", strerror(errno));
        return 2;
    }
    if (pid == 0) {
        if (dup2(null_fd, 0) < 0 || dup2(null_fd, 1) < 0 || dup2(null_fd, 2) < 0)
            _exit(125);
        execvp(argv[1], argv + 1);
        _exit(errno == ENOENT ? 127 : 126);
    }
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    pid_t got;
    do
        got = wait4(pid, &status, 0, &ru);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
        fprintf(stderr, "rss_probe: wait4: %s\n", strerror(errno));
        return 2;
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    dprintf(report, "%ld %d\n", ru.ru_maxrss, code);
    return 0;
}
