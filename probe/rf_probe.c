/*
 * rf_probe.c — rf-probe, the program `ringfence probe` runs inside a sandbox.
 *
 *   rf-probe --world FILE [--only ID]...   run the probes, one JSON line each
 *   rf-probe --list                        the probe table, one JSON line each
 *
 * Each probe runs in a child process of its own, so that a crash, a stuck
 * system call or a tracer left behind is that probe's `error` and not the
 * end of the run.  Exit status: 0 when every requested probe reported
 * (whatever the outcome), 2 on a bad command line, 1 when the world file is
 * unusable.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "probe/probe.h"

#define PROBE_TIMEOUT_MS 30000

static const char usage[] =
    "usage: rf-probe --world FILE [--only ID]...\n"
    "       rf-probe --list\n"
    "Runs ringfence's escape probes against the world described by FILE and\n"
    "prints one JSON line per probe: id, guarantee, kind, outcome (allowed,\n"
    "blocked, advisory-blocked, error), errno and detail.\n";

/* Under ASan builds (--config=asan): LeakSanitizer inspects the process
 * through ptrace at exit, which a sandbox rightly refuses; rf-probe leaks by
 * design at most the world it read, so leak checking is off for it. */
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void) { return 1; }

static void print_result(const rf_probe *p, const rf_probe_result *r) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", p->id);
    cJSON_AddStringToObject(o, "guarantee", rf_guarantee_name(p->guarantee));
    cJSON_AddStringToObject(o, "kind", rf_probe_kind_name(p->kind));
    cJSON_AddStringToObject(o, "outcome", rf_probe_outcome_name(r->outcome));
    cJSON_AddNumberToObject(o, "errno", r->err);
    const char *ename = r->err > 0 ? strerrorname_np(r->err) : NULL;
    cJSON_AddStringToObject(o, "errno_name", ename ? ename : "");
    cJSON_AddStringToObject(o, "detail", r->detail);
    char *line = cJSON_PrintUnformatted(o);
    if (line) {
        puts(line);
        fflush(stdout);
    }
    free(line);
    cJSON_Delete(o);
}

static void print_listing(const rf_probe *p) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", p->id);
    cJSON_AddStringToObject(o, "guarantee", rf_guarantee_name(p->guarantee));
    cJSON_AddStringToObject(o, "kind", rf_probe_kind_name(p->kind));
    cJSON_AddBoolToObject(o, "needs_root", (p->flags & RF_PROBE_NEEDS_ROOT) != 0);
    cJSON_AddBoolToObject(o, "post_check", (p->flags & RF_PROBE_POST_CHECK) != 0);
    cJSON_AddStringToObject(o, "description", p->description);
    char *line = cJSON_PrintUnformatted(o);
    if (line)
        puts(line);
    free(line);
    cJSON_Delete(o);
}

/* Runs one probe in a child; the result comes back over a pipe. */
static void run_isolated(const rf_probe *p, const rf_probe_world *w, rf_probe_result *r) {
    memset(r, 0, sizeof *r);
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) < 0)
        return rf_probe_error(r, errno, "rf-probe: pipe: %s", strerror(errno));
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(pfd[0]);
        close(pfd[1]);
        return rf_probe_error(r, e, "rf-probe: fork: %s", strerror(e));
    }
    if (pid == 0) {
        close(pfd[0]);
        rf_probe_result mine;
        memset(&mine, 0, sizeof mine);
        p->run(w, &mine);
        ssize_t n = write(pfd[1], &mine, sizeof mine);
        _exit(n == (ssize_t)sizeof mine ? 0 : 1);
    }
    close(pfd[1]);
    struct pollfd pf = {.fd = pfd[0], .events = POLLIN};
    int ready;
    while ((ready = poll(&pf, 1, PROBE_TIMEOUT_MS)) < 0 && errno == EINTR) {
    }
    ssize_t n = ready > 0 ? read(pfd[0], r, sizeof *r) : -1;
    close(pfd[0]);
    if (ready == 0)
        kill(pid, SIGKILL);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (n == (ssize_t)sizeof *r) {
        r->detail[sizeof r->detail - 1] = '\0';
        return;
    }
    memset(r, 0, sizeof *r);
    if (ready == 0)
        return rf_probe_error(r, ETIMEDOUT, "the probe did not finish in %d s",
                              PROBE_TIMEOUT_MS / 1000);
    if (WIFSIGNALED(st))
        return rf_probe_error(r, 0, "the probe crashed with signal %d", WTERMSIG(st));
    rf_probe_error(r, 0, "the probe ended without a result (status %d)", WEXITSTATUS(st));
}

int main(int argc, char **argv) {
    const char *world_path = NULL;
    const char *only[128];
    size_t n_only = 0;
    bool list = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--world") == 0 && i + 1 < argc) {
            world_path = argv[++i];
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            if (n_only == sizeof only / sizeof only[0]) {
                fprintf(stderr, "rf-probe: too many --only options\n");
                return 2;
            }
            only[n_only++] = argv[++i];
        } else if (strcmp(argv[i], "--list") == 0) {
            list = true;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else {
            fprintf(stderr, "rf-probe: unknown argument '%s'\n%s", argv[i], usage);
            return 2;
        }
    }
    size_t count;
    const rf_probe *probes = rf_probes(&count);
    if (list) {
        for (size_t i = 0; i < count; i++)
            print_listing(&probes[i]);
        return 0;
    }
    if (!world_path) {
        fputs(usage, stderr);
        return 2;
    }
    for (size_t k = 0; k < n_only; k++)
        if (!rf_probe_find(only[k])) {
            fprintf(stderr, "rf-probe: no probe named '%s' (see rf-probe --list)\n", only[k]);
            return 2;
        }
    rf_probe_world w;
    char why[512] = "";
    if (rf_probe_world_load(world_path, &w, why, sizeof why) < 0) {
        fprintf(stderr, "rf-probe: %s\n", why);
        return 1;
    }
    /* A probe's stray SIGPIPE must not end the run. */
    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < count; i++) {
        bool wanted = n_only == 0;
        for (size_t k = 0; k < n_only && !wanted; k++)
            wanted = strcmp(only[k], probes[i].id) == 0;
        if (!wanted)
            continue;
        rf_probe_result r;
        run_isolated(&probes[i], &w, &r);
        print_result(&probes[i], &r);
    }
    return 0;
}
