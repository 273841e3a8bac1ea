/*
 * session.c — a launcher opened on one workspace, and one timed run through it.
 *
 *   exec  the argv template expanded for the workspace; fork+exec+wait4.
 *   lib   ringfence's library: rf_policy_load + rf_sandbox_open once (the
 *         session's open cost), rf_sandbox_run per command.
 *   node  a long-lived node helper (srt_lib.mjs) that initializes the peer once
 *         and spawns one wrapped command per request line.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"
#include "core/ringfence.h"

struct session {
    const bench_ctx *ctx;
    const launcher *l;
    char ws[4096];
    char git[4200];
    char settings[4200];
    char fj_rw[4200];     /* firejail's --read-write=WS */
    /* lib */
    rf_policy *policy;
    rf_sandbox *sb;
    char audit_path[4200];
    /* node */
    pid_t node_pid;
    int to_node, from_node;
    char buf[4096];
    size_t buffered;
};

/* ---- srt settings: write only the workspace, .git read-only, no network -- */

static int write_srt_settings(session *s, char *why, size_t why_len) {
    static unsigned counter;
    bench_fmt(s->settings, sizeof s->settings, "%s/srt-settings-%u.json", s->ctx->scratch,
             counter++);
    cJSON *root = cJSON_CreateObject();
    cJSON *net = cJSON_AddObjectToObject(root, "network");
    cJSON_AddArrayToObject(net, "allowedDomains");
    cJSON_AddArrayToObject(net, "deniedDomains");
    cJSON *fs = cJSON_AddObjectToObject(root, "filesystem");
    cJSON_AddArrayToObject(fs, "denyRead");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(fs, "allowWrite"), cJSON_CreateString(s->ws));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(fs, "denyWrite"), cJSON_CreateString(s->git));
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    FILE *f = text ? fopen(s->settings, "we") : NULL;
    int rc = 0;
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        bench_fmt(why, why_len, "write srt settings %s: %s", s->settings, strerror(errno));
        rc = -1;
    }
    free(text);
    return rc;
}

/* ---- lib --------------------------------------------------------------- */

static int lib_open(session *s, char *why, size_t why_len) {
    rf_load_options opts;
    memset(&opts, 0, sizeof opts);
    opts.cwd = s->ws;
    opts.overrides.workspace = s->ws;
    opts.overrides.network = "off";
    opts.overrides.backend = s->l->backend;
    rf_error err;
    memset(&err, 0, sizeof err);
    if (rf_policy_load(&opts, &s->policy, &err) < 0) {
        bench_fmt(why, why_len, "rf_policy_load: %s", err.message);
        return -1;
    }
    if (rf_sandbox_open(s->policy, s->l->backend, &s->sb, &err) < 0) {
        bench_fmt(why, why_len, "rf_sandbox_open(%s): %s", s->l->backend, err.message);
        return -1;
    }
    bench_fmt(s->audit_path, sizeof s->audit_path, "%s/state/audit-lib.jsonl", s->ctx->scratch);
    return 0;
}

static double cpu_ms_of(const struct rusage *ru) {
    return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e3 +
           (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e3;
}

static int lib_run(session *s, char *const *argv, int err_fd, bench_sample *out) {
    int fd = err_fd >= 0 ? err_fd : s->ctx->devnull_fd;
    rf_run_request req = {
        .argv = argv,
        .cwd = s->ws,
        .timeout_seconds = 0,
        .stdin_fd = s->ctx->devnull_fd,
        .stdout_fd = fd,
        .stderr_fd = fd,
        .no_audit = !s->l->audit,
        .audit_path = s->l->audit ? s->audit_path : NULL,
    };
    rf_run_result res;
    rf_error err;
    memset(&err, 0, sizeof err);
    struct rusage before, after;
    getrusage(RUSAGE_CHILDREN, &before);
    double t0 = bench_now();
    int rc = rf_sandbox_run(s->sb, &req, &res, &err);
    double t1 = bench_now();
    getrusage(RUSAGE_CHILDREN, &after);
    /* The library reaps its children in this process: their CPU time is the
     * growth of RUSAGE_CHILDREN across the run. */
    out->cpu_ms = cpu_ms_of(&after) - cpu_ms_of(&before);
    if (rc < 0) {
        if (err_fd >= 0)
            dprintf(err_fd, "rf_sandbox_run: %s\n", err.message);
        out->exit_code = -1;
        out->ms = (t1 - t0) * 1e3;
        out->rss_kib = -1;
        return 0;
    }
    if (res.exec_failed && err_fd >= 0)
        dprintf(err_fd, "rf_sandbox_run: cannot run %s: %s\n", argv[0], strerror(res.exec_errno));
    out->ms = (t1 - t0) * 1e3;
    out->rss_kib = -1; /* in-process: see the CLI row for the launcher's RSS */
    out->exit_code = res.exit_code;
    return 0;
}

/* ---- node helper ------------------------------------------------------- */

/* Reads one line from the helper, waiting at most timeout_ms. */
static int node_read_line(session *s, char *line, size_t len, int timeout_ms) {
    double deadline = bench_now() + timeout_ms / 1e3;
    for (;;) {
        char *nl = memchr(s->buf, '\n', s->buffered);
        if (nl) {
            size_t n = (size_t)(nl - s->buf);
            size_t copy = n < len - 1 ? n : len - 1;
            memcpy(line, s->buf, copy);
            line[copy] = '\0';
            memmove(s->buf, nl + 1, s->buffered - n - 1);
            s->buffered -= n + 1;
            return 0;
        }
        if (s->buffered == sizeof s->buf)
            s->buffered = 0; /* a line longer than the buffer: drop it */
        int left = (int)((deadline - bench_now()) * 1e3);
        if (left <= 0)
            return -ETIMEDOUT;
        struct pollfd p = {.fd = s->from_node, .events = POLLIN};
        int pr = poll(&p, 1, left);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0)
            return pr < 0 ? -errno : -ETIMEDOUT;
        ssize_t got = read(s->from_node, s->buf + s->buffered, sizeof s->buf - s->buffered);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return got < 0 ? -errno : -EPIPE;
        s->buffered += (size_t)got;
    }
}

static int node_write(session *s, const char *text) {
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t w = write(s->to_node, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        done += (size_t)w;
    }
    return 0;
}

static int node_open(session *s, char *why, size_t why_len) {
    char script[4200], pkg[4200], log[4200];
    bench_fmt(script, sizeof script, "%s/bench/srt_lib.mjs", s->ctx->repo_dir);
    bench_fmt(pkg, sizeof pkg, "%s/node_modules/@anthropic-ai/sandbox-runtime", s->ctx->peers_dir);
    bench_fmt(log, sizeof log, "%s/node-%s.log", s->ctx->scratch, s->l->id);
    int in_pipe[2], out_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) < 0 || pipe2(out_pipe, O_CLOEXEC) < 0) {
        bench_fmt(why, why_len, "pipe2 for the node helper: %s", strerror(errno));
        return -1;
    }
    int log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    pid_t pid = fork();
    if (pid < 0) {
        bench_fmt(why, why_len, "fork node helper: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        if (log_fd >= 0)
            dup2(log_fd, 2);
        char *argv[] = {"node", script, pkg, s->settings, s->ws, NULL};
        execvp("node", argv);
        _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    if (log_fd >= 0)
        close(log_fd);
    s->node_pid = pid;
    s->to_node = in_pipe[1];
    s->from_node = out_pipe[0];
    char line[1024];
    int rc = node_read_line(s, line, sizeof line, 60000);
    if (rc < 0 || strcmp(line, "ready") != 0) {
        bench_fmt(why, why_len, "node helper for %s did not start: %s (log %s)", s->l->id,
                 rc < 0 ? strerror(-rc) : line, log);
        return -1;
    }
    return 0;
}

static int node_run(session *s, char *const *argv, bench_sample *out) {
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "mode", s->l->node_mode);
    cJSON *args = cJSON_AddArrayToObject(req, "argv");
    for (size_t i = 0; argv[i]; i++)
        cJSON_AddItemToArray(args, cJSON_CreateString(argv[i]));
    char *text = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    if (!text)
        return -ENOMEM;
    size_t len = strlen(text);
    char *line_out = malloc(len + 2);
    if (!line_out) {
        free(text);
        return -ENOMEM;
    }
    memcpy(line_out, text, len);
    line_out[len] = '\n';
    line_out[len + 1] = '\0';
    free(text);
    char line[256];
    double t0 = bench_now();
    int rc = node_write(s, line_out);
    if (rc == 0)
        rc = node_read_line(s, line, sizeof line, 600000);
    double t1 = bench_now();
    free(line_out);
    if (rc < 0)
        return rc;
    int code = -1;
    long us = 0;
    if (sscanf(line, "done %d %ld", &code, &us) != 2)
        return -EPROTO;
    out->ms = (t1 - t0) * 1e3;
    out->rss_kib = -1;
    out->cpu_ms = -1; /* the node helper's children are not ours to account */
    out->exit_code = code;
    return 0;
}

long session_helper_rss_kib(session *s) {
    if (s->l->kind != LAUNCH_NODE)
        return -1;
    char line[128];
    long kib = -1;
    if (node_write(s, "{\"mode\":\"rss\"}\n") == 0 &&
        node_read_line(s, line, sizeof line, 10000) == 0 && sscanf(line, "rss %ld", &kib) == 1)
        return kib;
    return -1;
}

/* ---- exec -------------------------------------------------------------- */

/* Expands the launcher's template for `cmd` into argv (NULL-terminated),
 * after `prefix` when not NULL. */
static void exec_argv(session *s, const char *prefix, char *const *cmd, char **argv) {
    size_t k = 0;
    if (prefix)
        argv[k++] = (char *)prefix;
    for (size_t i = 0; s->l->tmpl[i] && k < BENCH_MAX_ARGS * 2 - 1; i++) {
        const char *t = s->l->tmpl[i];
        if (strcmp(t, "{CMD}") == 0) {
            for (size_t j = 0; cmd[j] && k < BENCH_MAX_ARGS * 2 - 1; j++)
                argv[k++] = cmd[j];
        } else if (strcmp(t, "{WS}") == 0) {
            argv[k++] = s->ws;
        } else if (strcmp(t, "{GIT}") == 0) {
            argv[k++] = s->git;
        } else if (strcmp(t, "{FJ_RW}") == 0) {
            argv[k++] = s->fj_rw;
        } else if (strcmp(t, "{SETTINGS}") == 0) {
            argv[k++] = s->settings;
        } else {
            argv[k++] = (char *)t;
        }
    }
    argv[k] = NULL;
}

static int exec_run(session *s, char *const *cmd, int err_fd, bench_sample *out) {
    char *argv[BENCH_MAX_ARGS * 2 + 1];
    exec_argv(s, NULL, cmd, argv);
    return bench_exec_timed(argv, s->ws, s->l->env_add, err_fd, err_fd, out);
}

long session_probe_rss_kib(session *s, char *const *cmd) {
    if (s->l->kind != LAUNCH_EXEC)
        return -1;
    char probe[4200];
    bench_fmt(probe, sizeof probe, "%s/rss_probe", s->ctx->exe_dir);
    if (access(probe, X_OK) != 0)
        return -1;
    char *argv[BENCH_MAX_ARGS * 2 + 1];
    exec_argv(s, probe, cmd, argv);
    char path[] = "/tmp/rf-bench-rss.XXXXXX";
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        return -1;
    unlink(path);
    bench_sample smp;
    long kib = -1;
    int code = -1;
    char buf[64];
    if (bench_exec_timed(argv, s->ws, s->l->env_add, fd, s->ctx->devnull_fd, &smp) == 0 &&
        lseek(fd, 0, SEEK_SET) == 0) {
        ssize_t n = read(fd, buf, sizeof buf - 1);
        if (n > 0) {
            buf[n] = '\0';
            if (sscanf(buf, "%ld %d", &kib, &code) != 2 || code != 0)
                kib = -1;
        }
    }
    close(fd);
    return kib;
}

/* ---- session ----------------------------------------------------------- */

session *session_open(const bench_ctx *ctx, const launcher *l, const char *ws, double *open_ms,
                      char *why, size_t why_len) {
    session *s = calloc(1, sizeof *s);
    if (!s) {
        bench_fmt(why, why_len, "out of memory");
        return NULL;
    }
    s->ctx = ctx;
    s->l = l;
    s->to_node = s->from_node = -1;
    bench_fmt(s->ws, sizeof s->ws, "%s", ws);
    bench_fmt(s->git, sizeof s->git, "%s/.git", ws);
    bench_fmt(s->fj_rw, sizeof s->fj_rw, "--read-write=%s", ws);
    double t0 = bench_now();
    int rc = 0;
    if (l->needs_srt_settings)
        rc = write_srt_settings(s, why, why_len);
    if (rc == 0 && l->kind == LAUNCH_LIB)
        rc = lib_open(s, why, why_len);
    if (rc == 0 && l->kind == LAUNCH_NODE)
        rc = node_open(s, why, why_len);
    if (open_ms)
        *open_ms = (bench_now() - t0) * 1e3;
    if (rc < 0) {
        session_close(s);
        return NULL;
    }
    return s;
}

int session_run(session *s, char *const *argv, int err_fd, bench_sample *out) {
    bench_reap_orphans();
    switch (s->l->kind) {
    case LAUNCH_LIB:
        return lib_run(s, argv, err_fd, out);
    case LAUNCH_NODE:
        return node_run(s, argv, out);
    case LAUNCH_EXEC:
    default:
        return exec_run(s, argv, err_fd, out);
    }
}

void session_close(session *s) {
    if (!s)
        return;
    if (s->sb)
        rf_sandbox_close(s->sb);
    if (s->policy)
        rf_policy_free(s->policy);
    if (s->node_pid > 0) {
        if (node_write(s, "{\"mode\":\"quit\"}\n") < 0)
            kill(s->node_pid, SIGTERM);
        close(s->to_node);
        int status;
        /* Give the helper 5 s to reset the peer, then end it (our own child). */
        for (int i = 0; i < 50 && waitpid(s->node_pid, &status, WNOHANG) == 0; i++)
            usleep(100000);
        if (waitpid(s->node_pid, &status, WNOHANG) == 0) {
            kill(s->node_pid, SIGKILL);
            waitpid(s->node_pid, &status, 0);
        }
    }
    if (s->from_node >= 0)
        close(s->from_node);
    if (s->settings[0])
        unlink(s->settings);
    free(s);
}
