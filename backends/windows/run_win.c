/*
 * run_win.c — `ringfence run` on Windows:
 *
 *   ringfence run [--policy F] [--workspace D] [--allow-write D]...
 *                 [--network on|off] [--backend B] [--require G]...
 *                 [--timeout S] [--read-only] -- CMD [ARGS...]
 *
 * The policy is loaded by core's rf_policy_load (the user's file, the
 * admin-managed file and the flags, merged by core/policy_merge.c), so the
 * same JSON means the same thing on both platforms.  Then, in order:
 *   1. backend and requirements: a required guarantee this backend does not
 *      enforce (deny_read always) fails closed with exit 125;
 *   2. denybin stubs installed (network off);
 *   3. ACEs and the write-restricted token (prepare_win.c), or the read-only
 *      SID with no ACE for --read-only;
 *   4. the environment (run_env_win.c);
 *   5. spawn in a kill-on-close job, wait, exit code.
 *
 * Cleanup idiom: goto out.
 */
#include <errno.h>
#include <math.h>
#include <shlobj.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/guarantees.h"
#include "backends/windows/prepare_win.h"
#include "backends/windows/run_win.h"
#include "core/error.h"
#include "env/env.h"

enum { EXIT_TIMEOUT = 124, EXIT_FAILURE_RF = 125, EXIT_CANNOT_RUN = 126, EXIT_NOT_FOUND = 127 };

#define MAX_LIST 64

static const char run_usage[] =
    "usage: ringfence run [options] [--] COMMAND [ARGS...]\n"
    "\n"
    "options:\n"
    "  --policy FILE        the policy (default: %APPDATA%\\ringfence\\policy.json when\n"
    "                       it exists, else built-in defaults)\n"
    "  --workspace DIR      the workspace (default: the current directory)\n"
    "  --allow-write PATH   another writable root (repeatable)\n"
    "  --network on|off     allow or deny network access (default: off; advisory here)\n"
    "  --backend NAME       auto (default), unelevated, none\n"
    "  --require G          a guarantee that must be enforced (repeatable)\n"
    "  --timeout SECONDS    end the whole process tree after SECONDS (exit 124)\n"
    "  --read-only          nothing is writable, not even the workspace\n"
    "  --root DIR           older spelling: the first is --workspace, the others\n"
    "                       --allow-write\n"
    "  --denybin DIR        take the stubs from DIR instead of installing them\n"
    "\n"
    "exit status: the command's own; 124 on timeout; 125 when ringfence fails\n"
    "(bad policy, no backend meets the policy's requirements); 126 when the\n"
    "command cannot be executed; 127 when it is not found.\n";

typedef struct run_args {
    const char *policy_file, *workspace, *network, *backend, *denybin;
    const char *allow_write[MAX_LIST];
    size_t n_allow_write;
    const char *require[16];
    size_t n_require;
    double timeout;
    bool read_only;
    int command; /* index of the command in argv */
} run_args;

static void run_error(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));
static void run_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("ringfence: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static bool parse_timeout(const char *text, double *out) {
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end != '\0' || !isfinite(v) || v <= 0 || v > 1e7)
        return false;
    *out = v;
    return true;
}

static bool push(const char **list, size_t *n, size_t cap, const char *value, const char *flag) {
    if (*n >= cap) {
        run_error("too many %s options (at most %zu)", flag, cap);
        return false;
    }
    list[(*n)++] = value;
    return true;
}

/* 0 when parsed, 1 for --help, -1 on a usage error (already reported). */
static int parse_args(int argc, char **argv, run_args *a) {
    int i = 1;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (strncmp(arg, "--", 2) != 0)
            break; /* the command starts here */
        if (strcmp(arg, "--help") == 0)
            return 1;
        if (strcmp(arg, "--read-only") == 0) {
            a->read_only = true;
            continue;
        }
        /* --name VALUE or --name=VALUE */
        char name[32];
        const char *value = NULL;
        const char *eq = strchr(arg, '=');
        size_t nl = eq ? (size_t)(eq - arg) : strlen(arg);
        if (nl >= sizeof name) {
            run_error("unknown option '%s'", arg);
            return -1;
        }
        memcpy(name, arg, nl);
        name[nl] = '\0';
        if (eq)
            value = eq + 1;
        else if (i + 1 < argc)
            value = argv[++i];
        if (!value) {
            run_error("%s needs a value", name);
            return -1;
        }
        bool ok = true;
        if (strcmp(name, "--policy") == 0)
            a->policy_file = value;
        else if (strcmp(name, "--workspace") == 0)
            a->workspace = value;
        else if (strcmp(name, "--network") == 0)
            a->network = value;
        else if (strcmp(name, "--backend") == 0)
            a->backend = value;
        else if (strcmp(name, "--denybin") == 0)
            a->denybin = value;
        else if (strcmp(name, "--allow-write") == 0)
            ok = push(a->allow_write, &a->n_allow_write, MAX_LIST, value, "--allow-write");
        else if (strcmp(name, "--root") == 0 && !a->workspace)
            a->workspace = value;
        else if (strcmp(name, "--root") == 0)
            ok = push(a->allow_write, &a->n_allow_write, MAX_LIST, value, "--root");
        else if (strcmp(name, "--require") == 0)
            ok = push(a->require, &a->n_require, 16, value, "--require");
        else if (strcmp(name, "--timeout") == 0 && !parse_timeout(value, &a->timeout)) {
            run_error("--timeout: '%s' is not a positive number of seconds", value);
            ok = false;
        } else if (strcmp(name, "--timeout") != 0) {
            run_error("unknown option '%s'", name);
            ok = false;
        }
        if (!ok)
            return -1;
    }
    if (i >= argc) {
        run_error("run: no command given (usage: ringfence run [options] -- COMMAND [ARGS...])");
        return -1;
    }
    a->command = i;
    return 0;
}

/* %APPDATA%\ringfence\policy.json when it exists (malloc'd), else NULL. */
static char *default_policy_file(void) {
    wchar_t base[MAX_PATH];
    DWORD n = GetEnvironmentVariableW(L"APPDATA", base, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        return NULL;
    wchar_t path[MAX_PATH + 40];
    _snwprintf(path, sizeof path / sizeof path[0], L"%ls\\ringfence\\policy.json", base);
    path[sizeof path / sizeof path[0] - 1] = L'\0';
    if (GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES)
        return NULL;
    char *out = NULL;
    rf_win_narrow(path, &out, NULL);
    return out;
}

char *rf_win_managed_policy_path(void) {
    PWSTR base = NULL;
    if (FAILED(SHGetKnownFolderPath(&FOLDERID_ProgramData, 0, NULL, &base)))
        return NULL;
    size_t len = wcslen(base) + 40;
    wchar_t *path = malloc(len * sizeof *path);
    char *out = NULL;
    if (path) {
        _snwprintf(path, len, L"%ls\\ringfence\\managed.json", base);
        path[len - 1] = L'\0';
        rf_win_narrow(path, &out, NULL);
    }
    free(path);
    CoTaskMemFree(base);
    return out;
}

/* The backend the policy names, with its guarantee table.  0, or 125 after
 * saying why none fits (fail closed). */
static int select_backend(const rf_policy *policy, rf_backend_status *st, bool *confine) {
    memset(st, 0, sizeof *st);
    const char *name = policy->backend ? policy->backend : "auto";
    rf_error err = {0};
    if (strcmp(name, "auto") == 0 || strcmp(name, "unelevated") == 0) {
        rf_win_unelevated_table(st, rf_win_wine_version());
        *confine = true;
    } else if (strcmp(name, "none") == 0) {
        rf_win_none_table(st);
        *confine = false;
    } else {
        run_error("backend '%s' is not available on Windows yet; windows-unelevated "
                  "(--backend unelevated) is",
                  name);
        return EXIT_FAILURE_RF;
    }
    if (rf_win_check_requirements(policy, st, &err) < 0) {
        run_error("%s", err.message);
        return EXIT_FAILURE_RF;
    }
    return 0;
}

/* A deny_read list the user or the admin wrote is not enforced here: say so
 * once, rather than let the policy look effective. */
static void warn_deny_read(const rf_policy *policy, const rf_backend_status *st) {
    for (size_t i = 0; i < policy->deny_read.len; i++) {
        if (policy->deny_read.items[i].source == RF_SRC_DEFAULT)
            continue;
        run_error("warning: deny_read is %s with backend %s (%s); '%s' stays readable",
                  rf_level_name(st->level[RF_G_DENY_READ]), st->name, st->why[RF_G_DENY_READ],
                  policy->deny_read.items[i].value);
        return;
    }
}

static int exit_code_for_spawn_error(int rc) {
    switch (-rc) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
        return EXIT_NOT_FOUND;
    case ERROR_ACCESS_DENIED:
    case ERROR_BAD_EXE_FORMAT:
    case ERROR_EXE_MACHINE_TYPE_MISMATCH:
    case 740: /* ERROR_ELEVATION_REQUIRED: the program asks for admin rights */
    case EINVAL: /* a batch argument cmd.exe would misread: refused */
        return EXIT_CANNOT_RUN;
    default:
        return EXIT_FAILURE_RF;
    }
}

static int run_confined(const run_args *a, char **argv, const rf_policy *policy, bool confine) {
    rf_error err = {0};
    rf_win_prepared prep;
    memset(&prep, 0, sizeof prep);
    char *state_path = NULL, *denybin = NULL;
    char **env = NULL;
    int status = EXIT_FAILURE_RF;
    int rc = 0;
    if (policy->network == RF_NET_OFF && !a->denybin) {
        size_t written = 0;
        rc = rf_win_denybin_install(&denybin, &written, &err);
        if (rc < 0)
            goto out;
    }
    if (confine) {
        if ((rc = rf_win_state_path(&state_path, &err)) < 0)
            goto out;
        if (a->read_only) {
            rc = rf_win_prepare_readonly(state_path, &prep, &err);
        } else {
            const char **roots = calloc(policy->writable_roots.len + 1, sizeof *roots);
            const char **names = calloc(policy->protected_names.len + 1, sizeof *names);
            if (!roots || !names) {
                rc = rf_fail(&err, RF_EINTERNAL, "prepare the run: out of memory");
            } else {
                for (size_t i = 0; i < policy->writable_roots.len; i++)
                    roots[i] = policy->writable_roots.items[i].value;
                for (size_t i = 0; i < policy->protected_names.len; i++)
                    names[i] = policy->protected_names.items[i].value;
                rc = rf_win_prepare(roots, policy->writable_roots.len, names,
                                    policy->protected_names.len, policy->tmp == RF_TMP_PRIVATE,
                                    state_path, &prep, &err);
            }
            free(roots);
            free(names);
        }
        if (rc < 0)
            goto out;
        if (prep.report.warning[0])
            run_error("warning: %s", prep.report.warning);
    }
    rc = rf_win_run_env(policy, a->denybin ? a->denybin : denybin, prep.tmp_dir, &env, &err);
    if (rc < 0)
        goto out;
    rf_win_launch l = {argv + a->command, env, NULL, prep.token, GetStdHandle(STD_INPUT_HANDLE),
                       GetStdHandle(STD_OUTPUT_HANDLE), GetStdHandle(STD_ERROR_HANDLE)};
    rf_win_child child;
    rc = rf_win_spawn(&l, &child, &err);
    if (rc < 0) {
        status = exit_code_for_spawn_error(rc);
        run_error("cannot run '%s': %s", argv[a->command], err.message);
        rc = 0; /* reported */
        goto out;
    }
    rf_win_outcome o = {0};
    DWORD ms = a->timeout > 0 ? (DWORD)ceil(a->timeout * 1000) : INFINITE;
    rc = rf_win_wait(&child, ms, &o, &err);
    rf_win_child_close(&child);
    if (rc < 0)
        goto out;
    if (o.timed_out) {
        run_error("'%s' timed out after %g seconds; its process tree was ended", argv[a->command],
                  a->timeout);
        status = EXIT_TIMEOUT;
    } else {
        status = (int)o.exit_code;
    }
out:
    if (rc < 0)
        run_error("%s", err.message);
    rf_env_free(env);
    rf_win_prepared_free(&prep);
    free(state_path);
    free(denybin);
    return status;
}

int rf_win_cmd_run(int argc, char **argv) {
    run_args a;
    memset(&a, 0, sizeof a);
    int parsed = parse_args(argc, argv, &a);
    if (parsed != 0) {
        fputs(run_usage, parsed > 0 ? stdout : stderr);
        return parsed > 0 ? 0 : EXIT_FAILURE_RF;
    }
    char *fallback = a.policy_file ? NULL : default_policy_file();
    char *managed = rf_win_managed_policy_path();
    rf_load_options opts = {
        .policy_file = a.policy_file ? a.policy_file : fallback,
        .managed_file = managed,
        .overrides =
            {
                .workspace = a.workspace,
                .allow_write = a.allow_write,
                .n_allow_write = a.n_allow_write,
                .network = a.network,
                .backend = a.backend,
                .require = a.require,
                .n_require = a.n_require,
            },
    };
    rf_policy *policy = NULL;
    rf_error err = {0};
    int status = EXIT_FAILURE_RF;
    if (!managed) {
        /* Without the managed path the admin's policy could be skipped. */
        run_error("cannot find the ProgramData folder for the managed policy");
        goto out;
    }
    if (rf_policy_load(&opts, &policy, &err) < 0) {
        run_error("%s", err.message);
        goto out;
    }
    rf_backend_status st;
    bool confine = false;
    if ((status = select_backend(policy, &st, &confine)) != 0)
        goto out;
    if (a.read_only && !confine) {
        /* --read-only promises that nothing is writable: only a token can. */
        run_error("--read-only needs a confining backend; backend %s applies none", st.name);
        status = EXIT_FAILURE_RF;
        goto out;
    }
    warn_deny_read(policy, &st);
    status = run_confined(&a, argv, policy, confine);
out:
    rf_policy_free(policy);
    free(fallback);
    free(managed);
    return status;
}

int rf_win_cmd_policy_check(int argc, char **argv) {
    if (argc != 3 || strcmp(argv[1], "check") != 0) {
        run_error("usage: ringfence policy check FILE (policy show is not built for Windows)");
        return 2;
    }
    char *managed = rf_win_managed_policy_path();
    if (!managed) {
        run_error("cannot find the ProgramData folder for the managed policy");
        return EXIT_FAILURE_RF;
    }
    rf_load_options opts = {.policy_file = argv[2], .managed_file = managed};
    rf_policy *policy = NULL;
    rf_error err = {0};
    int rc = rf_policy_load(&opts, &policy, &err);
    free(managed);
    if (rc < 0) {
        run_error("%s", err.message);
        return EXIT_FAILURE_RF;
    }
    rf_policy_free(policy);
    printf("%s: ok\n", argv[2]);
    return 0;
}
