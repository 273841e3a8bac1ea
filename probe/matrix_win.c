/* matrix_win.c — `rf-probe.exe --matrix`: world, two passes, judge, print (matrix_win.h). */
#include "probe/matrix_win.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "backends/windows/guarantees.h"
#include "backends/windows/win32.h"
#include "env/env.h"
#include "probe/matrix.h"
#include "probe/probe_win.h"
#include "probe/spawn_win.h"
#include "probe/world_win.h"

#define PASS_TIMEOUT_MS (20u * 60u * 1000u)

static const char wine_note[] =
    "Wine does not enforce restricted SIDs, file DACLs or the firewall and reports success "
    "anyway: the confined column of this run is no evidence of what Windows blocks; only the "
    "unconfined column (every probe works) and the plumbing are checked";

/* ---- Ctrl-C ----------------------------------------------------------------- */

static volatile LONG interrupted;

/* Ctrl-C reaches the probes too (the console is shared) and ends the pass;
 * the driver stays to ungrant the roots and remove the world. */
static BOOL WINAPI on_ctrl(DWORD type) {
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT)
        return FALSE;
    InterlockedExchange(&interrupted, 1);
    return TRUE;
}

/* ---- a console for the probes ------------------------------------------------ */

/* process.console_inject needs a console whose input buffer it can reach
 * (the TIOCSTI twin).  Started without one (a service, CI, a pipe), the
 * driver makes one for the probes to share; its own stdio stays where it was. */
static void ensure_console(FILE *log) {
    HANDLE in = CreateFileW(L"CONIN$", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                            OPEN_EXISTING, 0, NULL);
    if (in != INVALID_HANDLE_VALUE) {
        CloseHandle(in);
        return;
    }
    HANDLE std[3] = {GetStdHandle(STD_INPUT_HANDLE), GetStdHandle(STD_OUTPUT_HANDLE),
                     GetStdHandle(STD_ERROR_HANDLE)};
    if (!AllocConsole()) {
        fprintf(log, "rf-probe: no console, and AllocConsole failed (error %lu): "
                     "process.console_inject will report an error\n",
                (unsigned long)GetLastError());
        return;
    }
    SetStdHandle(STD_INPUT_HANDLE, std[0]);
    SetStdHandle(STD_OUTPUT_HANDLE, std[1]);
    SetStdHandle(STD_ERROR_HANDLE, std[2]);
}

/* ---- the machine -------------------------------------------------------- */

static bool is_elevated(void) {
    HANDLE tok;
    TOKEN_ELEVATION el = {0};
    DWORD n;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
        return false;
    BOOL ok = GetTokenInformation(tok, TokenElevation, &el, sizeof el, &n);
    CloseHandle(tok);
    return ok && el.TokenIsElevated;
}

/* "Windows 10.0.22631" from RtlGetVersion (GetVersionEx lies without a manifest). */
static void windows_version(char *buf, size_t len) {
    typedef LONG(WINAPI * rtl_get_version_fn)(OSVERSIONINFOW *);
    snprintf(buf, len, "Windows (version unknown)");
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    FARPROC proc = ntdll ? GetProcAddress(ntdll, "RtlGetVersion") : NULL;
    if (!proc)
        return;
    rtl_get_version_fn get;
    memcpy(&get, &proc, sizeof get);
    OSVERSIONINFOW v = {.dwOSVersionInfoSize = sizeof v};
    if (get(&v) == 0)
        snprintf(buf, len, "Windows %lu.%lu.%lu", (unsigned long)v.dwMajorVersion,
                 (unsigned long)v.dwMinorVersion, (unsigned long)v.dwBuildNumber);
}

/* ---- the confined command's environment ----------------------------------- */

static bool is_shim(const char *entry, const rf_env_shim *shims, size_t n) {
    const char *eq = strchr(entry + 1, '=');
    size_t len = eq ? (size_t)(eq - entry) : strlen(entry);
    for (size_t i = 0; i < n; i++)
        if (strlen(shims[i].name) == len && _strnicmp(entry, shims[i].name, len) == 0)
            return true;
    return false;
}

/* Ours with LOCALAPPDATA pointing into the world; when `shims`, minus every
 * variable the shim table names, plus its Windows values (names compare
 * without case on Windows: HTTP_PROXY is http_proxy). */
static char **launcher_env(const char *appdata, bool with_shims) {
    static const rf_env_shim appdata_shim = {"LOCALAPPDATA", RF_ENV_UNSET, NULL, NULL, ""};
    size_t n_shims = 0;
    const rf_env_shim *shims = with_shims ? rf_env_network_off_shims(&n_shims) : NULL;
    wchar_t *block = GetEnvironmentStringsW();
    size_t n = 0;
    for (wchar_t *p = block; p && *p; p += wcslen(p) + 1)
        n++;
    char **env = calloc(n + n_shims + 2, sizeof *env);
    size_t k = 0;
    for (wchar_t *p = block; env && p && *p; p += wcslen(p) + 1) {
        char *entry = NULL;
        if (rf_win_narrow(p, &entry, NULL) < 0)
            continue;
        if (is_shim(entry, shims, n_shims) || is_shim(entry, &appdata_shim, 1))
            free(entry);
        else
            env[k++] = entry;
    }
    if (block)
        FreeEnvironmentStringsW(block);
    size_t alen = strlen("LOCALAPPDATA=") + strlen(appdata) + 1;
    if (env && (env[k] = malloc(alen)))
        snprintf(env[k++], alen, "LOCALAPPDATA=%s", appdata);
    for (size_t i = 0; env && i < n_shims; i++) {
        if (shims[i].action != RF_ENV_SET)
            continue;
        bool dup = false;
        for (size_t j = 0; j < i; j++)
            dup = dup || (shims[j].action == RF_ENV_SET && _stricmp(shims[j].name, shims[i].name) == 0);
        if (dup)
            continue;
        size_t len = strlen(shims[i].name) + 1 + strlen(shims[i].value_windows) + 1;
        if ((env[k] = malloc(len)))
            snprintf(env[k++], len, "%s=%s", shims[i].name, shims[i].value_windows);
    }
    return env;
}

static void free_env(char **env) {
    for (char **e = env; e && *e; e++)
        free(*e);
    free(env);
}

/* ---- passes ------------------------------------------------------------------ */

static int find_probe(const rf_matrix *m, const char *id) {
    for (size_t i = 0; i < m->n_probes; i++)
        if (strcmp(m->probes[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* Fills a column's cells from rf-probe.exe's output; lines that are not a
 * probe's JSON are ignored (the launcher's own words go to stderr). */
static void parse_lines(const rf_matrix *m, rf_matrix_column *col, char *out) {
    for (char *line = strtok(out, "\r\n"); line; line = strtok(NULL, "\r\n")) {
        cJSON *j = line[0] == '{' ? cJSON_Parse(line) : NULL;
        if (!j)
            continue;
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id"),
                    *outcome = cJSON_GetObjectItemCaseSensitive(j, "outcome"),
                    *err = cJSON_GetObjectItemCaseSensitive(j, "errno"),
                    *detail = cJSON_GetObjectItemCaseSensitive(j, "detail");
        int i = cJSON_IsString(id) ? find_probe(m, id->valuestring) : -1;
        int o = cJSON_IsString(outcome) ? rf_probe_outcome_from_name(outcome->valuestring) : -1;
        if (i >= 0 && o >= 0) {
            rf_probe_line *l = &col->cells[i].line;
            l->seen = true;
            l->outcome = (rf_probe_outcome)o;
            /* A Windows error code fits in 32 bits; anything else is no code. */
            l->err = cJSON_IsNumber(err) && err->valuedouble >= INT32_MIN &&
                             err->valuedouble <= UINT32_MAX
                         ? (int)(int64_t)err->valuedouble
                         : 0;
            snprintf(l->detail, sizeof l->detail, "%s",
                     cJSON_IsString(detail) ? detail->valuestring : "");
        }
        cJSON_Delete(j);
    }
    for (size_t i = 0; i < m->n_probes; i++)
        if (!col->cells[i].line.seen) {
            col->cells[i].line.outcome = RF_OUT_ERROR;
            snprintf(col->cells[i].line.detail, sizeof col->cells[i].line.detail,
                     "rf-probe.exe did not report this probe");
        }
}

/* Runs rf-probe.exe over the world (under the launcher when `confined`);
 * false when the program could not even start. */
static bool run_pass(rf_matrix *m, rf_matrix_column *col, const rf_win_matrix_options *o,
                     const char *self, rf_wworld *world, bool confined) {
    const char *argv[16 + 2 * 128]; /* 128: rf-probe.exe's limit of --only */
    char roots[RF_WWORLD_N_ROOTS][MAX_PATH * 2];
    size_t n = 0;
    if (confined) {
        argv[n++] = o->launcher;
        argv[n++] = "run";
        for (int r = 0; r < RF_WWORLD_N_ROOTS; r++) {
            argv[n++] = "--root";
            argv[n++] = rf_wworld_writable_root(world, r, roots[r], sizeof roots[r]);
        }
        if (o->denybin) {
            argv[n++] = "--denybin";
            argv[n++] = o->denybin;
        }
        argv[n++] = "--";
    }
    argv[n++] = self;
    argv[n++] = "--world";
    argv[n++] = rf_wworld_file(world);
    for (size_t k = 0; k < o->n_only && n + 3 < sizeof argv / sizeof argv[0]; k++) {
        argv[n++] = "--only";
        argv[n++] = o->only[k];
    }
    argv[n] = NULL;
    char **env = confined ? launcher_env(rf_wworld_appdata(world), true) : NULL;
    rf_spawn_request req = {(char *const *)argv, env, PASS_TIMEOUT_MS, false};
    rf_spawn_result res;
    DWORD e = rf_spawn_capture(&req, &res);
    free_env(env);
    if (e) {
        char text[300];
        rf_probe_win_text(e, text, sizeof text);
        snprintf(col->error, sizeof col->error, "could not start %s: %s", argv[0], text);
    } else if (res.timed_out) {
        snprintf(col->error, sizeof col->error, "%s did not finish in %u s", argv[0],
                 PASS_TIMEOUT_MS / 1000);
    } else if (res.exit_code != 0) {
        snprintf(col->error, sizeof col->error, "%s exited with %lu (125: ringfence failed, "
                 "126: cannot start, 127: not found)", argv[0], (unsigned long)res.exit_code);
    } else {
        col->ran = true;
        parse_lines(m, col, res.out);
    }
    free(res.out);
    return e == 0;
}

/* Removes what ringfence-win granted on the world's roots (its state file,
 * in the world's appdata, records them). */
static void ungrant(const rf_win_matrix_options *o, rf_wworld *world, FILE *log) {
    for (int r = 0; r < RF_WWORLD_N_ROOTS; r++) {
        char root[MAX_PATH * 2];
        char *argv[] = {(char *)o->launcher, "ungrant",
                        (char *)rf_wworld_writable_root(world, r, root, sizeof root), NULL};
        char **env = launcher_env(rf_wworld_appdata(world), false);
        rf_spawn_request req = {argv, env, 60000, true};
        rf_spawn_result res;
        DWORD e = rf_spawn_capture(&req, &res);
        free_env(env);
        if (e || res.exit_code != 0)
            fprintf(log, "rf-probe: warning: %s ungrant %s failed (error %lu, exit %lu): %s\n",
                    o->launcher, root, (unsigned long)e, (unsigned long)res.exit_code,
                    res.out ? res.out : "");
        free(res.out);
    }
}

/* ---- output ------------------------------------------------------------------ */

static const char *cell_text(const rf_matrix_cell *c) {
    return c->line.seen || c->line.outcome == RF_OUT_ERROR ? rf_probe_outcome_name(c->line.outcome)
                                                           : "-";
}

static void print_table(const rf_matrix *m, const char *wine, const char *winver,
                        const char *launcher, bool markdown, FILE *out) {
    const rf_matrix_column *none = &m->columns[0], *win = &m->columns[1];
    fprintf(out, "%srf-probe.exe --matrix --launcher %s\n\n", markdown ? "### " : "", launcher);
    fprintf(out, "%s%s%s, %s\n\n", markdown ? "On " : "on ", wine ? "Wine " : winver,
            wine ? wine : "", m->as_root ? "as an administrator" : "as a standard user");
    if (wine)
        fprintf(out, "%s%s.%s\n\n", markdown ? "**" : "NOTE: ", wine_note, markdown ? "**" : "");
    for (int c = 0; c < 2; c++)
        if (!m->columns[c].ran)
            fprintf(out, "%s: did not run: %s\n\n", m->columns[c].status.name,
                    m->columns[c].error);
    if (markdown) {
        fprintf(out, "| probe | guarantee (level) | none | %s | expected | verdict |\n",
                win->status.name);
        fprintf(out, "|---|---|---|---|---|---|\n");
    }
    for (size_t i = 0; i < m->n_probes; i++) {
        const rf_probe *p = &m->probes[i];
        const rf_matrix_cell *b = &none->cells[i], *c = &win->cells[i];
        bool base_bad = b->verdict != RF_VERDICT_OK && b->verdict != RF_VERDICT_SKIPPED;
        const char *verdict = !none->ran             ? "not run"
                              : base_bad             ? "broken (unconfined)"
                              : !win->ran            ? "not run"
                                                     : rf_verdict_name(c->verdict);
        if (markdown)
            fprintf(out, "| `%s` | %s (%s) | %s | %s | %s | %s |\n", p->id,
                    rf_guarantee_name(p->guarantee), rf_level_name(win->status.level[p->guarantee]),
                    cell_text(b), cell_text(c), c->expected ? c->expected : "", verdict);
        else
            fprintf(out, "%-34s none=%-8s %s=%-16s expected=%-28s %s\n    %s\n", p->id,
                    cell_text(b), win->status.name, cell_text(c), c->expected ? c->expected : "",
                    verdict, c->line.detail[0] ? c->line.detail : b->line.detail);
    }
    fprintf(out, "\n%zu probes: %zu mismatches, %zu broken, %zu skipped, %zu unclaimed, %zu "
                 "declared gaps%s\n",
            m->n_probes, m->mismatches, m->broken, m->skipped, m->unclaimed, m->gaps,
            wine ? " (under Wine: no evidence)" : "");
}

static bool json_kv(cJSON *obj, const char *key, const char *value) {
    return cJSON_AddStringToObject(obj, key, value ? value : "") != NULL;
}

/* A new object appended to `array`, or NULL when out of memory. */
static cJSON *json_append_object(cJSON *array) {
    cJSON *obj = cJSON_CreateObject();
    if (!obj || !cJSON_AddItemToArray(array, obj)) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

static bool json_columns(const rf_matrix *m, cJSON *root) {
    cJSON *list = cJSON_AddArrayToObject(root, "backends");
    for (size_t c = 0; list && c < m->n_columns; c++) {
        const rf_matrix_column *col = &m->columns[c];
        cJSON *o = json_append_object(list), *levels;
        if (!o || !json_kv(o, "name", col->status.name) ||
            !cJSON_AddBoolToObject(o, "ran", col->ran) || !json_kv(o, "error", col->error) ||
            !json_kv(o, "reason", col->status.reason) ||
            !(levels = cJSON_AddObjectToObject(o, "levels")))
            return false;
        for (int g = 0; g < RF_G_COUNT; g++)
            if (!json_kv(levels, rf_guarantee_name((rf_guarantee)g),
                         rf_level_name(col->status.level[g])))
                return false;
    }
    return list != NULL;
}

static bool json_cells(const rf_matrix *m, size_t i, cJSON *probe) {
    cJSON *cells = cJSON_AddArrayToObject(probe, "cells");
    for (size_t c = 0; cells && c < m->n_columns; c++) {
        const rf_matrix_cell *cell = &m->columns[c].cells[i];
        cJSON *o = json_append_object(cells);
        if (!o || !json_kv(o, "backend", m->columns[c].status.name) ||
            !json_kv(o, "outcome", rf_probe_outcome_name(cell->line.outcome)) ||
            !cJSON_AddNumberToObject(o, "errno", cell->line.err) ||
            !json_kv(o, "errno_name", rf_probe_win_error_name((DWORD)cell->line.err)) ||
            !json_kv(o, "detail", cell->line.detail) || !json_kv(o, "expected", cell->expected) ||
            !json_kv(o, "verdict",
                     m->columns[c].ran ? rf_verdict_name(cell->verdict) : "not run"))
            return false;
    }
    return cells != NULL;
}

static bool json_probes(const rf_matrix *m, cJSON *root) {
    cJSON *list = cJSON_AddArrayToObject(root, "probes");
    for (size_t i = 0; list && i < m->n_probes; i++) {
        const rf_probe *p = &m->probes[i];
        cJSON *o = json_append_object(list);
        if (!o || !json_kv(o, "id", p->id) ||
            !json_kv(o, "guarantee", rf_guarantee_name(p->guarantee)) ||
            !json_kv(o, "kind", rf_probe_kind_name(p->kind)) || !json_kv(o, "facet", p->facet) ||
            !json_cells(m, i, o))
            return false;
    }
    return list != NULL;
}

static bool json_totals(const rf_matrix *m, cJSON *root) {
    cJSON *t = cJSON_AddObjectToObject(root, "totals");
    return t && cJSON_AddNumberToObject(t, "probes", (double)m->n_probes) &&
           cJSON_AddNumberToObject(t, "mismatches", (double)m->mismatches) &&
           cJSON_AddNumberToObject(t, "broken", (double)m->broken) &&
           cJSON_AddNumberToObject(t, "skipped", (double)m->skipped) &&
           cJSON_AddNumberToObject(t, "unclaimed", (double)m->unclaimed) &&
           cJSON_AddNumberToObject(t, "gaps", (double)m->gaps);
}

static void print_json(const rf_matrix *m, const char *wine, const char *winver,
                       const char *launcher, FILE *out) {
    cJSON *root = cJSON_CreateObject();
    bool ok = root && json_kv(root, "platform", "windows") && json_kv(root, "os", winver) &&
              (wine ? cJSON_AddStringToObject(root, "wine", wine)
                    : cJSON_AddNullToObject(root, "wine")) &&
              cJSON_AddBoolToObject(root, "evidence", !wine) &&
              json_kv(root, "note", wine ? wine_note : "") &&
              json_kv(root, "launcher", launcher) &&
              cJSON_AddBoolToObject(root, "as_admin", m->as_root) && json_columns(m, root) &&
              json_probes(m, root) && json_totals(m, root);
    char *text = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (text) {
        fputs(text, out);
        fputc('\n', out);
    }
    cJSON_free(text);
}

/* ---- the run -------------------------------------------------------------------- */

static rf_probe *select_probes(const rf_win_matrix_options *o, size_t *n_out) {
    size_t n;
    const rf_probe *all = rf_probes(&n);
    rf_probe *sel = calloc(n ? n : 1, sizeof *sel);
    size_t k = 0;
    for (size_t i = 0; sel && i < n; i++) {
        bool want = o->n_only == 0;
        for (size_t j = 0; j < o->n_only && !want; j++)
            want = strcmp(o->only[j], all[i].id) == 0;
        if (want)
            sel[k++] = all[i];
    }
    *n_out = k;
    return sel;
}

/* A full path: the launcher and denybin are used from other folders and
 * processes (PATH entries resolve against each process's own folder). */
static char *full_path(const char *path) {
    wchar_t *w = NULL, full[MAX_PATH * 4];
    char *out = NULL;
    if (rf_win_wide(path, &w, NULL) < 0)
        return NULL;
    DWORD n = GetFullPathNameW(w, sizeof full / sizeof full[0], full, NULL);
    free(w);
    if (n == 0 || n >= sizeof full / sizeof full[0] || rf_win_narrow(full, &out, NULL) < 0)
        return NULL;
    return out;
}

static int matrix_run(const rf_win_matrix_options *o, FILE *out);

int rf_win_matrix_main(const rf_win_matrix_options *given, FILE *out) {
    rf_win_matrix_options o = *given;
    char *launcher = full_path(given->launcher);
    char *denybin = given->denybin ? full_path(given->denybin) : NULL;
    if (!launcher || (given->denybin && !denybin)) {
        fprintf(stderr, "rf-probe: cannot resolve the path of --launcher or --denybin\n");
        free(launcher);
        free(denybin);
        return 2;
    }
    o.launcher = launcher;
    o.denybin = denybin;
    int rc = matrix_run(&o, out);
    free(launcher);
    free(denybin);
    return rc;
}

static int matrix_run(const rf_win_matrix_options *o, FILE *out) {
    const char *wine = rf_win_wine_version();
    char winver[64];
    windows_version(winver, sizeof winver);
    rf_matrix m = {0};
    rf_matrix_column cols[2];
    memset(cols, 0, sizeof cols);
    m.columns = cols;
    m.n_columns = 2;
    m.as_root = is_elevated();
    rf_probe *sel = select_probes(o, &m.n_probes);
    m.probes = sel;
    cols[0].status.name = "none";
    cols[0].status.available = true;
    snprintf(cols[0].status.reason, sizeof cols[0].status.reason, "no sandbox: the baseline");
    rf_win_unelevated_table(&cols[1].status, wine);
    for (int c = 0; c < 2; c++)
        cols[c].cells = calloc(m.n_probes ? m.n_probes : 1, sizeof *cols[c].cells);
    char *self = rf_spawn_self_path();
    if (!sel || !cols[0].cells || !cols[1].cells || !self) {
        fprintf(stderr, "rf-probe: out of memory\n");
        return 2;
    }
    for (size_t i = 0; i < m.n_probes; i++)
        cols[0].cells[i].line.probe = cols[1].cells[i].line.probe = &sel[i];

    rf_error err = {0};
    rf_wworld *world = NULL;
    SetConsoleCtrlHandler(on_ctrl, TRUE);
    ensure_console(stderr);
    int rc = rf_wworld_create(self, &world, &err);
    if (rc == 0) {
        (void)run_pass(&m, &cols[0], o, self, world, false);
        rc = rf_wworld_reset(world, &err);
    }
    if (rc == 0 && !interrupted) {
        if (run_pass(&m, &cols[1], o, self, world, true))
            ungrant(o, world, stderr);
    }
    if (world)
        fprintf(stderr, "rf-probe: world %s torn down\n", rf_wworld_root(world));
    rf_wworld_destroy(world);
    SetConsoleCtrlHandler(on_ctrl, FALSE);
    if (rc < 0 || interrupted) {
        fprintf(stderr, "rf-probe: %s\n", rc < 0 ? err.message : "interrupted");
        for (int c = 0; c < 2; c++)
            free(cols[c].cells);
        free(sel);
        free(self);
        return 2;
    }
    rf_matrix_judge(&cols[0], m.n_probes, true, m.as_root, NULL);
    if (cols[1].ran)
        rf_matrix_judge(&cols[1], m.n_probes, false, m.as_root, &cols[0]);
    rf_matrix_count(&m);
    if (o->format == RF_WIN_MATRIX_JSON)
        print_json(&m, wine, winver, o->launcher, out);
    else
        print_table(&m, wine, winver, o->launcher, o->format == RF_WIN_MATRIX_MARKDOWN, out);
    int status = !cols[0].ran || !cols[1].ran ? 2 : (m.mismatches || m.broken) ? 1 : 0;
    if (wine && status != 2) {
        fprintf(stderr, "rf-probe: %s.\n", wine_note);
        status = 3;
    }
    for (int c = 0; c < 2; c++)
        free(cols[c].cells);
    free(sel);
    free(self);
    return status;
}
