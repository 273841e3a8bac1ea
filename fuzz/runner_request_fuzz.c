/*
 * runner_request_fuzz.c — libFuzzer target for ringfence-runner's request
 * parser, the setuid program's one input from the caller.
 *
 * The input is the frame payload (what follows the 4-byte length).  Each
 * input is parsed; an accepted request must satisfy every rule the runner
 * relies on afterwards (a violation aborts, so the fuzzer reports it), and
 * must survive an encode/parse round trip unchanged in its counts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/linux/elevated/runner_request.h"

static void must(int cond) {
    if (!cond)
        abort();
}

/* No component of the relative name is "..": it stays inside its root. */
static int no_dotdot(const char *name) {
    size_t n = strlen(name);
    if (strcmp(name, "..") == 0 || strncmp(name, "../", 3) == 0 || strstr(name, "/../"))
        return 0;
    return !(n >= 3 && strcmp(name + n - 3, "/..") == 0);
}

static void check_accepted(const rf_runner_request *r) {
    must(r->argc >= 1 && r->argc <= RF_RUNNER_MAX_ARGV && r->argv[r->argc] == NULL && r->argv[0][0]);
    must(r->n_env <= RF_RUNNER_MAX_ENV && r->env[r->n_env] == NULL);
    for (size_t i = 0; i < r->n_env; i++)
        must(strchr(r->env[i], '=') != NULL && r->env[i][0] != '=');
    must(rf_runner_path_ok(r->cwd) && rf_runner_path_ok(r->workspace) && strcmp(r->workspace, "/") != 0);
    for (size_t i = 0; i < r->n_writable_roots; i++)
        must(rf_runner_path_ok(r->writable_roots[i]) && strcmp(r->writable_roots[i], "/") != 0);
    for (size_t i = 0; i < r->n_deny_read; i++)
        must(rf_runner_path_ok(r->deny_read[i]));
    for (size_t i = 0; i < r->n_protected; i++)
        must(r->protected_names[i][0] && r->protected_names[i][0] != '/' && no_dotdot(r->protected_names[i]));
    must(r->parent_pid >= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    rf_runner_request r;
    rf_error err = {0};
    if (rf_runner_request_parse((const char *)data, size, &r, &err) != 0) {
        must(err.message[0] != '\0'); /* every refusal says why */
        return 0;
    }
    check_accepted(&r);
    char *text = NULL;
    size_t len = 0;
    must(rf_runner_request_encode(&r, &text, &len, &err) == 0);
    rf_runner_request again;
    must(rf_runner_request_parse(text, len, &again, &err) == 0);
    must(again.argc == r.argc && again.n_env == r.n_env && again.n_writable_roots == r.n_writable_roots &&
         again.n_protected == r.n_protected && again.n_deny_read == r.n_deny_read && again.network == r.network);
    must(strcmp(again.cwd, r.cwd) == 0 && strcmp(again.workspace, r.workspace) == 0);
    rf_runner_request_free(&again);
    free(text);
    rf_runner_request_free(&r);
    return 0;
}
