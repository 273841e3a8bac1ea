/*
 * rf_probe_win.c — rf-probe.exe, the Windows twin of rf-probe:
 *
 *   rf-probe.exe --world FILE [--only ID]...   run the probes, one JSON line each
 *   rf-probe.exe --list                        the probe table, one JSON line each
 *   rf-probe.exe --matrix --launcher PATH\ringfence-win.exe [--denybin DIR]
 *                [--json | --markdown] [--only ID]...
 *                                              build the world, run every probe
 *                                              unconfined and under the launcher,
 *                                              judge, print the matrix (matrix_win.c)
 *
 * Internal modes: `--world FILE --one ID` (one probe, in this process),
 * `--target NONCE FILE` (the world's target process), `--idle`.
 *
 * Each probe runs in a child process of its own, so that a crash or a stuck
 * call is that probe's `error`, not the end of the run.  Exit status: 0 when
 * every requested probe reported, 2 on a bad command line, 1 when the world
 * file is unusable; for --matrix see matrix_win.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "backends/windows/win32.h"
#include "probe/matrix_win.h"
#include "probe/probe_win.h"
#include "probe/spawn_win.h"
#include "probe/world_win.h"

#define PROBE_TIMEOUT_MS 30000
#define MAX_ONLY 128

static const char usage[] =
    "usage: rf-probe.exe --world FILE [--only ID]...\n"
    "       rf-probe.exe --list\n"
    "       rf-probe.exe --matrix --launcher PATH\\ringfence-win.exe [--denybin DIR]\n"
    "                    [--json | --markdown] [--only ID]...\n"
    "Runs ringfence's escape probes for Windows.  --matrix builds a throwaway world under\n"
    "%TEMP%, runs every probe unconfined and then under `ringfence-win.exe run`, judges each\n"
    "outcome against the backend's guarantee table and prints the matrix (exit 1 on a\n"
    "mismatch or a broken probe; 3 under Wine, whose results are no evidence).\n";

/* `obj` as one line of compact JSON on stdout; nothing when out of memory. */
static void print_object(cJSON *obj, bool complete) {
    char *text = complete ? cJSON_PrintUnformatted(obj) : NULL;
    cJSON_Delete(obj);
    if (text) {
        fputs(text, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    }
    cJSON_free(text);
}

static void print_line(const rf_probe *p, const rf_probe_result *r) {
    char text[300] = "";
    if (r->err)
        rf_probe_win_text((DWORD)r->err, text, sizeof text);
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddStringToObject(o, "id", p->id) &&
              cJSON_AddStringToObject(o, "guarantee", rf_guarantee_name(p->guarantee)) &&
              cJSON_AddStringToObject(o, "kind", rf_probe_kind_name(p->kind)) &&
              cJSON_AddStringToObject(o, "outcome", rf_probe_outcome_name(r->outcome)) &&
              cJSON_AddNumberToObject(o, "errno", r->err) &&
              cJSON_AddStringToObject(o, "errno_name", rf_probe_win_error_name((DWORD)r->err)) &&
              cJSON_AddStringToObject(o, "error_text", text) &&
              cJSON_AddStringToObject(o, "detail", r->detail);
    print_object(o, ok);
}

static void print_listing(const rf_probe *p) {
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddStringToObject(o, "id", p->id) &&
              cJSON_AddStringToObject(o, "guarantee", rf_guarantee_name(p->guarantee)) &&
              cJSON_AddStringToObject(o, "kind", rf_probe_kind_name(p->kind)) &&
              cJSON_AddBoolToObject(o, "needs_root", (p->flags & RF_PROBE_NEEDS_ROOT) != 0) &&
              cJSON_AddStringToObject(o, "facet", p->facet ? p->facet : "") &&
              cJSON_AddStringToObject(o, "description", p->description);
    print_object(o, ok);
}

/* A line from the child that reports this probe, or NULL. */
static char *find_line(char *out, const char *id) {
    for (char *line = strtok(out, "\r\n"); line; line = strtok(NULL, "\r\n")) {
        cJSON *j = cJSON_Parse(line);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "id");
        bool mine = cJSON_IsString(v) && strcmp(v->valuestring, id) == 0;
        cJSON_Delete(j);
        if (mine)
            return line;
    }
    return NULL;
}

/* Runs one probe in a child (`--world FILE --one ID`) and prints its line. */
static void run_isolated(const char *self, const char *world, const rf_probe *p) {
    char *argv[] = {(char *)self, "--world", (char *)world, "--one", (char *)p->id, NULL};
    rf_spawn_request req = {argv, NULL, PROBE_TIMEOUT_MS, false};
    rf_spawn_result res;
    DWORD e = rf_spawn_capture(&req, &res);
    char *line = e ? NULL : find_line(res.out, p->id);
    if (line) {
        puts(line);
        fflush(stdout);
        free(res.out);
        return;
    }
    rf_probe_result r = {0};
    if (e)
        rf_probe_failed(&r, (int)e, "rf-probe.exe: start the probe's process");
    else if (res.timed_out)
        rf_probe_error(&r, ERROR_TIMEOUT, "the probe did not finish in %d s",
                       PROBE_TIMEOUT_MS / 1000);
    else
        rf_probe_error(&r, 0, "the probe ended without a result (exit code 0x%lx)",
                       (unsigned long)res.exit_code);
    r.outcome = RF_OUT_ERROR;
    free(res.out);
    print_line(p, &r);
}

static int run_one(const char *world_path, const char *id) {
    const rf_probe *p = rf_probe_find(id);
    if (!p) {
        fprintf(stderr, "rf-probe: no probe named '%s' (see rf-probe.exe --list)\n", id);
        return 2;
    }
    rf_probe_world w;
    char why[512] = "";
    if (rf_probe_world_load(world_path, &w, why, sizeof why) < 0) {
        fprintf(stderr, "rf-probe: %s\n", why);
        return 1;
    }
    rf_probe_result r;
    memset(&r, 0, sizeof r);
    p->run(&w, &r);
    print_line(p, &r);
    return 0;
}

static bool wanted(const char *id, char *const *only, size_t n_only) {
    for (size_t k = 0; k < n_only; k++)
        if (strcmp(only[k], id) == 0)
            return true;
    return n_only == 0;
}

static int run_all(const char *world_path, char *const *only, size_t n_only) {
    rf_probe_world w;
    char why[512] = "";
    if (rf_probe_world_load(world_path, &w, why, sizeof why) < 0) {
        fprintf(stderr, "rf-probe: %s\n", why);
        return 1;
    }
    char *self = rf_spawn_self_path();
    if (!self) {
        fprintf(stderr, "rf-probe: cannot name this program: error %lu\n",
                (unsigned long)GetLastError());
        return 1;
    }
    size_t count;
    const rf_probe *probes = rf_probes(&count);
    for (size_t i = 0; i < count; i++)
        if (wanted(probes[i].id, only, n_only))
            run_isolated(self, world_path, &probes[i]);
    free(self);
    return 0;
}

static int real_main(int argc, char **argv) {
    const char *world = NULL, *one = NULL, *launcher = NULL, *denybin = NULL;
    char *only[MAX_ONLY];
    size_t n_only = 0;
    bool list = false, matrix = false;
    rf_win_matrix_format format = RF_WIN_MATRIX_TEXT;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--world") == 0 && has_value) {
            world = argv[++i];
        } else if (strcmp(a, "--one") == 0 && has_value) {
            one = argv[++i];
        } else if (strcmp(a, "--only") == 0 && has_value) {
            if (n_only == MAX_ONLY) {
                fprintf(stderr, "rf-probe: too many --only options\n");
                return 2;
            }
            only[n_only++] = argv[++i];
        } else if (strcmp(a, "--launcher") == 0 && has_value) {
            launcher = argv[++i];
        } else if (strcmp(a, "--denybin") == 0 && has_value) {
            denybin = argv[++i];
        } else if (strcmp(a, "--target") == 0 && i + 2 < argc) {
            return rf_wworld_target_main(argv[i + 1], argv[i + 2]);
        } else if (strcmp(a, "--idle") == 0) {
            Sleep(60000);
            return 0;
        } else if (strcmp(a, "--list") == 0) {
            list = true;
        } else if (strcmp(a, "--matrix") == 0) {
            matrix = true;
        } else if (strcmp(a, "--json") == 0) {
            format = RF_WIN_MATRIX_JSON;
        } else if (strcmp(a, "--markdown") == 0) {
            format = RF_WIN_MATRIX_MARKDOWN;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else {
            fprintf(stderr, "rf-probe: unknown argument '%s'\n%s", a, usage);
            return 2;
        }
    }
    for (size_t k = 0; k < n_only; k++)
        if (!rf_probe_find(only[k])) {
            fprintf(stderr, "rf-probe: no probe named '%s' (see rf-probe.exe --list)\n", only[k]);
            return 2;
        }
    if (list) {
        size_t count;
        const rf_probe *probes = rf_probes(&count);
        for (size_t i = 0; i < count; i++)
            print_listing(&probes[i]);
        return 0;
    }
    if (matrix) {
        if (!launcher) {
            fprintf(stderr, "rf-probe: --matrix needs --launcher PATH\\ringfence-win.exe\n%s",
                    usage);
            return 2;
        }
        rf_win_matrix_options o = {launcher, denybin, (const char *const *)only, n_only, format};
        return rf_win_matrix_main(&o, stdout);
    }
    if (!world) {
        fputs(usage, stderr);
        return 2;
    }
    return one ? run_one(world, one) : run_all(world, only, n_only);
}

int wmain(int argc, wchar_t **wargv) {
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    for (int i = 0; argv && i < argc; i++)
        if (rf_win_narrow(wargv[i], &argv[i], NULL) < 0)
            return 2;
    if (!argv)
        return 2;
    /* Errors of this program are reported, never shown as dialog boxes. */
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    int rc = real_main(argc, argv);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    return rc;
}
