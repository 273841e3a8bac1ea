/*
 * library_embed_test — a program that embeds the library keeps its own
 * children: running a command (without adopt_orphans) and ending it on
 * timeout neither reaps nor kills a child the program started itself, while
 * the command's own tree is still ended.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/ringfence.h"
#include "tests/check.h"

static pid_t start_own_child(int exit_code, int seconds) {
    pid_t pid = fork();
    if (pid == 0) {
        if (seconds)
            sleep((unsigned)seconds);
        _exit(exit_code);
    }
    return pid;
}

static rf_policy *load_policy(const char *ws) {
    rf_load_options lo = {.overrides = {.workspace = ws}};
    rf_policy *p = NULL;
    rf_error err = {0};
    if (rf_policy_load(&lo, &p, &err) < 0)
        fprintf(stderr, "policy: %s\n", err.message);
    return p;
}

int main(void) {
    char ws[] = "/tmp/rf-embed-XXXXXX";
    if (!mkdtemp(ws)) {
        perror("mkdtemp");
        return 1;
    }
    rf_policy *policy = load_policy(ws);
    CHECK(policy != NULL, "the policy loads");
    if (!policy)
        return check_summary("library_embed");
    rf_sandbox *sb = NULL;
    rf_error err = {0};
    CHECK(rf_sandbox_open(policy, "none", &sb, &err) == 0, "open: %s", err.message);

    /* Cases: the embedder's child, and what the run does to it. */
    pid_t quick = start_own_child(7, 0);  /* exits during the run: a zombie of ours */
    pid_t slow = start_own_child(9, 30);  /* still running when the timeout fires */
    char marker[64];
    snprintf(marker, sizeof marker, "%s/grandchild.pid", ws);
    char script[256];
    snprintf(script, sizeof script, "sleep 30 & echo $! > %s; wait", marker);
    char *argv[] = {"/bin/sh", "-c", script, NULL};
    rf_run_request req = {
        .argv = argv, .timeout_seconds = 0.5, .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1,
        .no_audit = true,
    };
    rf_run_result res;
    CHECK(rf_sandbox_run(sb, &req, &res, &err) == 0, "run: %s", err.message);
    CHECK(res.timed_out && res.exit_code == 124, "the command timed out (exit %d)", res.exit_code);

    int status = 0;
    CHECK(waitpid(quick, &status, 0) == quick && WIFEXITED(status) && WEXITSTATUS(status) == 7,
          "the embedder still reaps its own finished child with its status (errno %d)", errno);
    CHECK(kill(slow, 0) == 0, "the embedder's running child was not killed by the timeout");
    kill(slow, SIGKILL);
    waitpid(slow, NULL, 0);

    FILE *f = fopen(marker, "r");
    int gc = 0;
    CHECK(f && fscanf(f, "%d", &gc) == 1, "the command recorded its grandchild");
    if (f)
        fclose(f);
    usleep(100000);
    CHECK(gc > 0 && kill(gc, 0) < 0 && errno == ESRCH, "the command's grandchild was ended");
    if (gc > 0)
        kill(gc, SIGKILL);

    rf_sandbox_close(sb);
    rf_policy_free(policy);
    unlink(marker);
    rmdir(ws);
    return check_summary("library_embed");
}
