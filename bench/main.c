/*
 * main.c — `bazel run //bench -- [--quick] [--out DIR] ...`
 *
 * Runs the phases (spawn, scale, workload) in one process so that every figure
 * of a results file comes from the same machine state, then writes
 * results.json, results.md and the charts into the output folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/bench.h"

static const char usage[] =
    "usage: bench [--quick] [--out DIR] [--phases spawn,scale,workload] [--only ID,...]\n"
    "             [--n N] [--scale-n N] [--reps N] [--scratch DIR] [--ringfence PATH] [--keep]\n"
    "\n"
    "  --quick       smoke run (fewer iterations, smaller trees): under two minutes\n"
    "  --out DIR     results folder (default: bench/out in the source tree)\n"
    "  --phases      which phases to run (default: all)\n"
    "  --only        launcher ids to measure besides `bare` (default: all)\n"
    "  --n N         spawn iterations after warm-up (default 200, quick 20)\n"
    "  --scale-n N   per-command runs per workspace size (default 50, quick 10)\n"
    "  --reps N      workload repetitions (default 4, quick 1)\n"
    "  --scratch DIR where generated trees go (default bench/scratch.XXXXXX)\n"
    "  --ringfence P the ringfence CLI (default: bazel-bin/ringfence beside this binary)\n"
    "  --keep        leave the scratch folder\n";

static bool phase_on(const bench_ctx *ctx, const char *name) {
    if (!ctx->phases)
        return true;
    return strstr(ctx->phases, name) != NULL;
}

static int locate(bench_ctx *ctx, const char *ringfence_opt) {
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n < 0) {
        fprintf(stderr, "bench: readlink /proc/self/exe: %s\n", strerror(errno));
        return -1;
    }
    exe[n] = '\0';
    bench_fmt(ctx->exe_dir, sizeof ctx->exe_dir, "%s", dirname(exe));
    /* bazel run sets BUILD_WORKSPACE_DIRECTORY; otherwise assume the cwd is the tree. */
    const char *ws = getenv("BUILD_WORKSPACE_DIRECTORY");
    if (ws && *ws) {
        bench_fmt(ctx->repo_dir, sizeof ctx->repo_dir, "%s", ws);
    } else if (!getcwd(ctx->repo_dir, sizeof ctx->repo_dir)) {
        fprintf(stderr, "bench: getcwd: %s\n", strerror(errno));
        return -1;
    }
    const char *peers = getenv("RINGFENCE_BENCH_PEERS");
    bench_fmt(ctx->peers_dir, sizeof ctx->peers_dir, "%s", peers && *peers ? peers : "");
    if (!ctx->peers_dir[0])
        bench_fmt(ctx->peers_dir, sizeof ctx->peers_dir, "%s/bench/peers", ctx->repo_dir);
    if (ringfence_opt) {
        if (!realpath(ringfence_opt, ctx->ringfence_cli)) {
            fprintf(stderr, "bench: --ringfence %s: %s\n", ringfence_opt, strerror(errno));
            return -1;
        }
    } else {
        char cand[4200];
        bench_fmt(cand, sizeof cand, "%s/../ringfence", ctx->exe_dir);
        if (access(cand, X_OK) == 0 && !realpath(cand, ctx->ringfence_cli))
            ctx->ringfence_cli[0] = '\0';
    }
    /* The library looks for its data (denybin/stubs) beside the executable;
     * this driver is not the CLI, so point it at the CLI's folder. */
    if (ctx->ringfence_cli[0] && !getenv("RINGFENCE_LIBDIR")) {
        char dir[4096];
        bench_fmt(dir, sizeof dir, "%s", ctx->ringfence_cli);
        if (setenv("RINGFENCE_LIBDIR", dirname(dir), 0) < 0) {
            fprintf(stderr, "bench: setenv RINGFENCE_LIBDIR: %s\n", strerror(errno));
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    static bench_ctx ctx;
    const char *out_opt = NULL, *scratch_opt = NULL, *ringfence_opt = NULL;
    int n_opt = -1, scale_n_opt = -1, reps_opt = -1;
    bool keep = false;
    enum { O_QUICK = 1, O_OUT, O_PHASES, O_ONLY, O_N, O_SCALE_N, O_REPS, O_SCRATCH, O_RF, O_KEEP,
           O_HELP };
    static const struct option opts[] = {
        {"quick", no_argument, NULL, O_QUICK},         {"out", required_argument, NULL, O_OUT},
        {"phases", required_argument, NULL, O_PHASES}, {"only", required_argument, NULL, O_ONLY},
        {"n", required_argument, NULL, O_N},           {"scale-n", required_argument, NULL, O_SCALE_N},
        {"reps", required_argument, NULL, O_REPS},     {"scratch", required_argument, NULL, O_SCRATCH},
        {"ringfence", required_argument, NULL, O_RF},  {"keep", no_argument, NULL, O_KEEP},
        {"help", no_argument, NULL, O_HELP},           {NULL, 0, NULL, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case O_QUICK: ctx.quick = true; break;
        case O_OUT: out_opt = optarg; break;
        case O_PHASES: ctx.phases = optarg; break;
        case O_ONLY: ctx.only = optarg; break;
        case O_N: n_opt = atoi(optarg); break;
        case O_SCALE_N: scale_n_opt = atoi(optarg); break;
        case O_REPS: reps_opt = atoi(optarg); break;
        case O_SCRATCH: scratch_opt = optarg; break;
        case O_RF: ringfence_opt = optarg; break;
        case O_KEEP: keep = true; break;
        case O_HELP: fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    ctx.spawn_n = n_opt > 0 ? n_opt : ctx.quick ? 20 : 200;
    ctx.spawn_warmup = ctx.quick ? 3 : 10;
    ctx.scale_n = scale_n_opt > 0 ? scale_n_opt : ctx.quick ? 10 : 50;
    ctx.workload_reps = reps_opt > 0 ? reps_opt : ctx.quick ? 1 : 4;
    if (locate(&ctx, ringfence_opt) < 0)
        return 1;
    /* A peer that dies must not take the driver with it through SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);

    if (out_opt)
        bench_fmt(ctx.out_dir, sizeof ctx.out_dir, "%s", out_opt);
    else
        bench_fmt(ctx.out_dir, sizeof ctx.out_dir, "%s/bench/out", ctx.repo_dir);
    if (tree_make_dir(ctx.out_dir) < 0) {
        fprintf(stderr, "bench: create %s: %s\n", ctx.out_dir, strerror(errno));
        return 1;
    }
    if (scratch_opt) {
        bench_fmt(ctx.scratch, sizeof ctx.scratch, "%s", scratch_opt);
        if (tree_make_dir(ctx.scratch) < 0) {
            fprintf(stderr, "bench: create %s: %s\n", ctx.scratch, strerror(errno));
            return 1;
        }
    } else {
        /* Not under /tmp (Codex's workspace profile makes /tmp writable, and
         * ringfence gives the command a private /tmp) nor /var/tmp (firejail
         * mounts a private tmpfs there): beside the results, git-ignored. */
        bench_fmt(ctx.scratch, sizeof ctx.scratch, "%s/bench/scratch.XXXXXX", ctx.repo_dir);
        if (!mkdtemp(ctx.scratch)) {
            fprintf(stderr, "bench: mkdtemp %s: %s\n", ctx.scratch, strerror(errno));
            return 1;
        }
    }
    char sub[4200];
    bench_fmt(sub, sizeof sub, "%s/state", ctx.scratch);
    tree_make_dir(sub);
    bench_fmt(sub, sizeof sub, "%s/config", ctx.scratch);
    tree_make_dir(sub);
    ctx.devnull_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (ctx.devnull_fd < 0) {
        fprintf(stderr, "bench: open /dev/null: %s\n", strerror(errno));
        return 1;
    }
    ctx.started_at = bench_now();
    bench_log("out %s, scratch %s, peers %s, ringfence CLI %s", ctx.out_dir, ctx.scratch,
              ctx.peers_dir, ctx.ringfence_cli[0] ? ctx.ringfence_cli : "(not found)");

    static launcher ls[BENCH_MAX_LAUNCHERS];
    size_t n = bench_launchers_init(&ctx, ls, BENCH_MAX_LAUNCHERS);
    for (size_t i = 0; i < n; i++)
        if (!ls[i].available)
            bench_log("skipped %s: %s", ls[i].id, ls[i].reason);

    cJSON *results = cJSON_CreateObject();
    cJSON_AddItemToObject(results, "machine", bench_machine_json(&ctx, ls, n));
    char command[1024] = "bazel run //bench --";
    for (int i = 1; i < argc; i++) {
        size_t used = strlen(command);
        bench_fmt(command + used, sizeof command - used, " %s", argv[i]);
    }
    cJSON_AddStringToObject(results, "command", command);
    if (phase_on(&ctx, "spawn"))
        cJSON_AddItemToObject(results, "spawn", phase_spawn(&ctx, ls, n));
    if (phase_on(&ctx, "scale"))
        cJSON_AddItemToObject(results, "scale", phase_scale(&ctx, ls, n));
    if (phase_on(&ctx, "workload"))
        cJSON_AddItemToObject(results, "workload", phase_workload(&ctx, ls, n));
    double la[3];
    bench_loadavg(la);
    cJSON *lend = cJSON_AddArrayToObject(results, "loadavg_at_end");
    for (int i = 0; i < 3; i++)
        cJSON_AddItemToArray(lend, cJSON_CreateNumber(la[i]));
    cJSON_AddNumberToObject(results, "seconds", bench_now() - ctx.started_at);
    int rc = report_write(&ctx, results);
    cJSON_Delete(results);
    if (!keep)
        tree_remove(ctx.scratch);
    bench_log("done in %.0f s: %s/results.md", bench_now() - ctx.started_at, ctx.out_dir);
    return rc < 0 ? 1 : 0;
}
