/*
 * runner_orphan_probe — test helper (root): can a run outlive its runner?
 *
 * Usage: runner_orphan_probe RUNNER UID GID REQUEST_TEMPLATE ATTEMPTS
 * Starts RUNNER as UID:GID (supplementary groups of that user) with the
 * request (its "%d" becomes this process's pid, the runner's parent), stops
 * the run's init as soon as it exists, kills the runner, continues the init,
 * and checks whether the init is still alive.  Exit 0 and "orphan" when one
 * survived, 1 and "none" when no attempt left one, 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int read_file(const char *path, char *buf, size_t len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, len - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return (int)n;
}

static void sleep_ms(long ms) {
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

/* One attempt: 1 when the init outlived the runner, 0 when not, -1 on error. */
static int attempt(const char *runner, uid_t uid, gid_t gid, const char *tmpl) {
    int req[2], rep[2];
    if (pipe(req) < 0 || pipe(rep) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        struct passwd *pw = getpwuid(uid);
        if (dup2(req[0], 3) < 0 || dup2(rep[1], 4) < 0 || !pw || initgroups(pw->pw_name, gid) < 0 ||
            setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
            _exit(126);
        char *argv[] = {"ringfence-runner", NULL}, *envp[] = {NULL};
        execve(runner, argv, envp);
        _exit(127);
    }
    close(req[0]);
    close(rep[1]);
    char json[8192];
    int len = snprintf(json, sizeof json, tmpl, (int)getpid());
    uint32_t n = (uint32_t)len;
    if (write(req[1], &n, 4) != 4 || write(req[1], json, (size_t)len) != len)
        return -1;
    /* req[1] stays open: the runner's control channel (EOF would end the run). */
    char path[96], buf[64];
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
    pid_t init = 0;
    for (long i = 0; i < 2000000 && !init; i++) {
        if (read_file(path, buf, sizeof buf) < 0)
            break;
        init = atoi(buf);
    }
    int survived = 0;
    if (init > 0 && kill(init, SIGSTOP) == 0) {
        sleep_ms(20); /* the runner releases the init meanwhile */
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        pid = 0;
        kill(init, SIGCONT);
        sleep_ms(150);
        snprintf(path, sizeof path, "/proc/%d/stat", (int)init);
        /* Alive and not a zombie: a run without its runner. */
        if (read_file(path, buf, sizeof buf) > 0) {
            char *state = strrchr(buf, ')');
            survived = state && state[1] == ' ' && state[2] != 'Z' && state[2] != 'X';
            if (survived)
                kill(init, SIGKILL);
        }
    }
    if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    close(req[1]);
    close(rep[0]);
    return survived;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s RUNNER UID GID REQUEST_TEMPLATE ATTEMPTS\n", argv[0]);
        return 2;
    }
    int attempts = atoi(argv[5]);
    for (int i = 1; i <= attempts; i++) {
        int rc = attempt(argv[1], (uid_t)atoi(argv[2]), (gid_t)atoi(argv[3]), argv[4]);
        if (rc < 0) {
            fprintf(stderr, "runner_orphan_probe: attempt %d: %s\n", i, strerror(errno));
            return 2;
        }
        if (rc == 1) {
            printf("orphan (attempt %d)\n", i);
            return 0;
        }
    }
    printf("none\n");
    return 1;
}
