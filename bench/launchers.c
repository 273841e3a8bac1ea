/*
 * launchers.c — every way of starting a command that the benchmark compares,
 * in the order the tables show them.  A launcher that cannot run here stays in
 * the table as skipped, with the reason: nothing is dropped silently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "core/ringfence.h"

/* Backends the design names that may not be built into this binary yet; each
 * is listed, skipped with this reason, until the registry has it. */
static const struct {
    const char *name;
    const char *reason;
} expected_backends[] = {
    {"windows-unelevated", "Windows only: measured by bench/windows/ on a Windows machine"},
    {"windows-elevated", "Windows only: measured by bench/windows/ on a Windows machine"},
};

/* Paths and variables the templates point into; they live as long as the run. */
static char ll_path[4200], codex_npm[4200], codex_native[4200], srt_cli[4200];
static char codex_home_env[4200], xdg_state_env[4200], xdg_config_env[4200];

static launcher *add(launcher *out, size_t *n, size_t cap, const char *id, const char *name,
                     const char *group, launcher_kind kind) {
    if (*n >= cap)
        return NULL;
    launcher *l = &out[(*n)++];
    memset(l, 0, sizeof *l);
    bench_fmt(l->id, sizeof l->id, "%s", id);
    bench_fmt(l->name, sizeof l->name, "%s", name);
    bench_fmt(l->group, sizeof l->group, "%s", group);
    l->kind = kind;
    l->available = true;
    return l;
}

static void set_tmpl(launcher *l, const char *const *tokens) {
    for (size_t i = 0; tokens[i] && i < BENCH_MAX_ARGS - 1; i++)
        l->tmpl[i] = tokens[i];
}

static void need_file(launcher *l, const char *path, const char *what) {
    if (l->available && access(path, X_OK) != 0) {
        l->available = false;
        bench_fmt(l->reason, sizeof l->reason, "%s not found at %s (run bench/install-peers.sh)",
                 what, path);
    }
}

static void version_of(launcher *l, const char *exe, const char *flag, const char *const *env) {
    if (!l->available)
        return;
    char *argv[] = {(char *)exe, (char *)flag, NULL};
    bench_capture_line(argv, env, l->version, sizeof l->version);
}

static void add_ringfence(bench_ctx *ctx, launcher *out, size_t *n, size_t cap) {
    size_t count = rf_backend_count();
    for (size_t i = 0; i < count; i++) {
        rf_backend_status st;
        memset(&st, 0, sizeof st);
        if (rf_backend_status_get(i, &st) < 0 || !st.name)
            continue;
        static const struct {
            const char *suffix, *label;
            launcher_kind kind;
            bool audit;
        } modes[] = {
            {"lib", "library", LAUNCH_LIB, false},
            {"lib-audit", "library, audit log on", LAUNCH_LIB, true},
            {"cli", "CLI", LAUNCH_EXEC, true},
        };
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            char id[48], name[96];
            bench_fmt(id, sizeof id, "rf-%s-%s", modes[m].suffix, st.name);
            bench_fmt(name, sizeof name, "ringfence %s (%s)", st.name, modes[m].label);
            launcher *l = add(out, n, cap, id, name, "ringfence", modes[m].kind);
            if (!l)
                return;
            bench_fmt(l->backend, sizeof l->backend, "%s", st.name);
            l->audit = modes[m].audit;
            bench_fmt(l->version, sizeof l->version, "%s", RINGFENCE_VERSION);
            if (!st.available) {
                l->available = false;
                bench_fmt(l->reason, sizeof l->reason, "backend not available here: %s",
                         st.reason);
            }
            if (modes[m].kind == LAUNCH_EXEC) {
                const char *t[] = {ctx->ringfence_cli, "run", "--backend", l->backend,
                                   "--workspace", "{WS}", "--network", "off", "--", "{CMD}",
                                   NULL};
                set_tmpl(l, t);
                l->env_add[0] = xdg_state_env;
                l->env_add[1] = xdg_config_env; /* no user policy file */
                if (!ctx->ringfence_cli[0] && l->available) {
                    l->available = false;
                    bench_fmt(l->reason, sizeof l->reason,
                             "ringfence CLI not found (build //:ringfence or pass --ringfence)");
                }
            }
        }
    }
    for (size_t e = 0; e < sizeof expected_backends / sizeof expected_backends[0]; e++) {
        bool built = false;
        for (size_t i = 0; i < count; i++) {
            rf_backend_status st;
            memset(&st, 0, sizeof st);
            if (rf_backend_status_get(i, &st) == 0 && st.name &&
                strcmp(st.name, expected_backends[e].name) == 0)
                built = true;
        }
        if (built)
            continue;
        char id[48], name[96];
        bench_fmt(id, sizeof id, "rf-%s", expected_backends[e].name);
        bench_fmt(name, sizeof name, "ringfence %s", expected_backends[e].name);
        launcher *l = add(out, n, cap, id, name, "ringfence", LAUNCH_LIB);
        if (!l)
            return;
        l->available = false;
        bench_fmt(l->reason, sizeof l->reason, "%s", expected_backends[e].reason);
    }
}

size_t bench_launchers_init(bench_ctx *ctx, launcher *out, size_t cap) {
    size_t n = 0;
    bench_fmt(ll_path, sizeof ll_path, "%s/landlock_launcher", ctx->exe_dir);
    bench_fmt(codex_npm, sizeof codex_npm, "%s/node_modules/.bin/codex", ctx->peers_dir);
    bench_fmt(codex_native, sizeof codex_native,
             "%s/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
             ctx->peers_dir);
    bench_fmt(srt_cli, sizeof srt_cli, "%s/node_modules/.bin/srt", ctx->peers_dir);
    bench_fmt(codex_home_env, sizeof codex_home_env, "CODEX_HOME=%s/codex-home", ctx->peers_dir);
    bench_fmt(xdg_state_env, sizeof xdg_state_env, "XDG_STATE_HOME=%s/state", ctx->scratch);
    bench_fmt(xdg_config_env, sizeof xdg_config_env, "XDG_CONFIG_HOME=%s/config", ctx->scratch);

    launcher *l = add(out, &n, cap, "bare", "bare fork+exec", "floor", LAUNCH_EXEC);
    set_tmpl(l, (const char *[]){"{CMD}", NULL});
    bench_fmt(l->version, sizeof l->version, "-");

    l = add(out, &n, cap, "landlock", "plain Landlock launcher", "floor", LAUNCH_EXEC);
    set_tmpl(l, (const char *[]){ll_path, "-w", "{WS}", "-w", "/tmp", "-w", "/dev/null", "--",
                                 "{CMD}", NULL});
    need_file(l, ll_path, "bench's landlock_launcher");
    version_of(l, ll_path, "--abi", NULL);

    add_ringfence(ctx, out, &n, cap);

    l = add(out, &n, cap, "bwrap", "bubblewrap", "peer", LAUNCH_EXEC);
    set_tmpl(l, (const char *[]){"bwrap", "--ro-bind", "/", "/", "--bind", "{WS}", "{WS}",
                                 "--ro-bind", "{GIT}", "{GIT}", "--unshare-net", "--unshare-pid",
                                 "--dev", "/dev", "--proc", "/proc", "--die-with-parent", "--",
                                 "{CMD}", NULL});
    need_file(l, "/usr/bin/bwrap", "bwrap");
    version_of(l, "/usr/bin/bwrap", "--version", NULL);

    l = add(out, &n, cap, "firejail", "firejail", "peer", LAUNCH_EXEC);
    set_tmpl(l, (const char *[]){"firejail", "--quiet", "--noprofile", "--net=none",
                                 "--read-only=/", "--read-write={WS}", "--", "{CMD}", NULL});
    /* firejail takes the path inside its option: expanded per workspace below. */
    l->tmpl[5] = "{FJ_RW}";
    need_file(l, "/usr/bin/firejail", "firejail");
    version_of(l, "/usr/bin/firejail", "--version", NULL);

    l = add(out, &n, cap, "codex-native", "Codex CLI sandbox (native binary)", "peer",
            LAUNCH_EXEC);
    set_tmpl(l, (const char *[]){codex_native, "sandbox", "-P", ":workspace", "-C", "{WS}", "--",
                                 "{CMD}", NULL});
    l->env_add[0] = codex_home_env;
    need_file(l, codex_native, "Codex's native binary (npm @openai/codex)");
    version_of(l, codex_native, "--version", l->env_add);

    l = add(out, &n, cap, "codex-npm", "Codex CLI sandbox (npm `codex`)", "peer", LAUNCH_EXEC);
    set_tmpl(l, (const char *[]){codex_npm, "sandbox", "-P", ":workspace", "-C", "{WS}", "--",
                                 "{CMD}", NULL});
    l->env_add[0] = codex_home_env;
    need_file(l, codex_npm, "codex (npm @openai/codex)");
    version_of(l, codex_npm, "--version", l->env_add);

    l = add(out, &n, cap, "srt-lib", "sandbox-runtime (library)", "peer", LAUNCH_NODE);
    bench_fmt(l->node_mode, sizeof l->node_mode, "srt");
    l->needs_srt_settings = true;
    l->rss_in_process = true;
    need_file(l, srt_cli, "srt (npm @anthropic-ai/sandbox-runtime)");
    version_of(l, srt_cli, "--version", NULL);

    l = add(out, &n, cap, "srt-cli", "sandbox-runtime (CLI `srt`)", "peer", LAUNCH_EXEC);
    set_tmpl(l, (const char *[]){srt_cli, "--settings", "{SETTINGS}", "--", "{CMD}", NULL});
    l->needs_srt_settings = true;
    need_file(l, srt_cli, "srt (npm @anthropic-ai/sandbox-runtime)");
    version_of(l, srt_cli, "--version", NULL);

    l = add(out, &n, cap, "node-spawn", "node child_process.spawn, no sandbox", "reference",
            LAUNCH_NODE);
    bench_fmt(l->node_mode, sizeof l->node_mode, "bare");
    l->needs_srt_settings = true;
    l->rss_in_process = true;
    need_file(l, srt_cli, "srt (npm @anthropic-ai/sandbox-runtime)");
    version_of(l, "/usr/bin/node", "--version", NULL);

    for (size_t i = 0; i < n; i++)
        if (!bench_launcher_selected(ctx, &out[i]) && out[i].available) {
            out[i].available = false;
            bench_fmt(out[i].reason, sizeof out[i].reason, "not selected (--only %s)", ctx->only);
        }
    return n;
}

bool bench_launcher_selected(const bench_ctx *ctx, const launcher *l) {
    if (!ctx->only || strcmp(l->id, "bare") == 0)
        return true;
    const char *p = ctx->only;
    size_t len = strlen(l->id);
    while (*p) {
        size_t seg = strcspn(p, ",");
        if (seg == len && strncmp(p, l->id, len) == 0)
            return true;
        p += seg;
        if (*p == ',')
            p++;
    }
    return false;
}
