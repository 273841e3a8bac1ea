/*
 * proc_launch.c — starting a process the way every exec-style launcher is
 * measured: fork, chdir, exec, wait4.  The time covers fork to reaped, and the
 * peak RSS is wait4's ru_maxrss: the largest of the launcher and the
 * descendants it waited for (the command included).  The fork copies this
 * driver's own anonymous pages, so the `bare` row is the floor of that figure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"

extern char **environ;

double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* environ with `add` appended, replacing variables of the same name. */
static char **env_with(const char *const *add) {
    size_t n = 0, extra = 0;
    while (environ[n])
        n++;
    while (add && add[extra])
        extra++;
    char **envp = calloc(n + extra + 1, sizeof *envp);
    if (!envp)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool replaced = false;
        for (size_t j = 0; j < extra; j++) {
            size_t name_len = strcspn(add[j], "=");
            if (strncmp(environ[i], add[j], name_len + 1) == 0)
                replaced = true;
        }
        if (!replaced)
            envp[k++] = environ[i];
    }
    for (size_t j = 0; j < extra; j++)
        envp[k++] = (char *)add[j];
    envp[k] = NULL;
    return envp;
}

int bench_exec_timed(char *const *argv, const char *cwd, const char *const *env_add,
                     int out_fd, int err_fd, bench_sample *out) {
    char **envp = env_with(env_add);
    if (!envp)
        return -ENOMEM;
    int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd < 0) {
        int e = errno;
        free(envp);
        return -e;
    }
    double t0 = bench_now();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(null_fd);
        free(envp);
        return -e;
    }
    if (pid == 0) {
        /* Only async-signal-safe calls from here to exec. */
        if (dup2(null_fd, 0) < 0 || dup2(out_fd >= 0 ? out_fd : null_fd, 1) < 0 ||
            dup2(err_fd >= 0 ? err_fd : null_fd, 2) < 0)
            _exit(125);
        if (cwd && chdir(cwd) < 0)
            _exit(125);
        execvpe(argv[0], argv, envp);
        _exit(errno == ENOENT ? 127 : 126);
    }
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    pid_t got;
    do
        got = wait4(pid, &status, 0, &ru);
    while (got < 0 && errno == EINTR);
    double t1 = bench_now();
    int e = got < 0 ? errno : 0;
    close(null_fd);
    free(envp);
    if (got < 0)
        return -e;
    out->ms = (t1 - t0) * 1e3;
    out->rss_kib = ru.ru_maxrss;
    out->cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    out->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return 0;
}

void bench_reap_orphans(void) {
    /* Only exited children: the node helpers that are alive stay. */
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

int bench_exec_quiet(const bench_ctx *ctx, char *const *argv, const char *cwd) {
    bench_sample s;
    int rc = bench_exec_timed(argv, cwd, NULL, ctx->devnull_fd, ctx->devnull_fd, &s);
    if (rc < 0)
        return rc;
    return s.exit_code == 0 ? 0 : -1;
}

void bench_capture_line(char *const *argv, const char *const *env_add, char *out, size_t len) {
    out[0] = '\0';
    char path[] = "/tmp/rf-bench-line.XXXXXX";
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        return;
    unlink(path);
    bench_sample s;
    if (bench_exec_timed(argv, NULL, env_add, fd, fd, &s) == 0 && lseek(fd, 0, SEEK_SET) == 0) {
        ssize_t n = read(fd, out, len - 1);
        if (n > 0) {
            out[n] = '\0';
            out[strcspn(out, "\n")] = '\0';
        } else {
            out[0] = '\0';
        }
    }
    close(fd);
}
