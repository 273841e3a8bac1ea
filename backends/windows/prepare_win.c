/* prepare_win.c — from roots and protected names to applied ACEs and a token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/prepare_win.h"
#include "backends/windows/winpath.h"
#include "core/error.h"

void rf_win_prepared_free(rf_win_prepared *p) {
    rf_acl_plan_free(&p->plan);
    for (size_t i = 0; i < p->n_roots; i++)
        free(p->roots[i]);
    free(p->roots);
    free(p->sids);
    free(p->tmp_dir);
    if (p->token)
        CloseHandle(p->token);
    memset(p, 0, sizeof *p);
}

/* Serializes load-apply-save of the state file between concurrent runs of
 * this user: without it, two runs would each save their own view and one
 * run's grants would be forgotten (and never ungranted). */
static HANDLE lock_state(rf_error *err) {
    HANDLE m = CreateMutexW(NULL, FALSE, L"Local\\ringfence-state");
    if (!m) {
        rf_win_fail(err, GetLastError(), "create the state file lock");
        return NULL;
    }
    DWORD w = WaitForSingleObject(m, 120000);
    if (w != WAIT_OBJECT_0 && w != WAIT_ABANDONED) {
        rf_win_fail(err, w == WAIT_TIMEOUT ? ERROR_TIMEOUT : GetLastError(),
                    "wait for the state file lock");
        CloseHandle(m);
        return NULL;
    }
    return m;
}

static void unlock_state(HANDLE m) {
    if (m) {
        ReleaseMutex(m);
        CloseHandle(m);
    }
}

/* %LOCALAPPDATA%\ringfence\tmp\<sid>, created. */
static int make_tmp_dir(const char *sid, char **out, rf_error *err) {
    wchar_t base[MAX_PATH];
    DWORD n = GetEnvironmentVariableW(L"LOCALAPPDATA", base, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        return rf_win_fail(err, n ? ERROR_BUFFER_OVERFLOW : GetLastError(),
                           "read %%LOCALAPPDATA%% for the private temporary folder");
    char *base8 = NULL;
    int rc = rf_win_narrow(base, &base8, err);
    if (rc < 0)
        return rc;
    size_t len = strlen(base8) + strlen(sid) + 32;
    char *path = malloc(len);
    if (!path) {
        free(base8);
        return rf_fail(err, RF_EINTERNAL, "private temporary folder: out of memory");
    }
    static const char *const levels[] = {"\\ringfence", "\\ringfence\\tmp",
                                         "\\ringfence\\tmp\\"};
    for (int i = 0; rc == 0 && i < 3; i++) {
        snprintf(path, len, "%s%s%s", base8, levels[i], i == 2 ? sid : "");
        wchar_t *w = NULL;
        rc = rf_win_wide(path, &w, err);
        if (rc == 0 && !CreateDirectoryW(w, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
            rc = rf_win_fail(err, GetLastError(), "create private temporary folder '%s'", path);
        free(w);
    }
    free(base8);
    if (rc < 0) {
        free(path);
        return rc;
    }
    *out = path;
    return 0;
}

int rf_win_prepare(const char *const *roots, size_t n_roots, const char *const *names,
                   size_t n_names, bool private_tmp, const char *state_path,
                   rf_win_prepared *out, rf_error *err) {
    rf_win_state *state = NULL;
    memset(out, 0, sizeof *out);
    HANDLE lock = lock_state(err);
    if (!lock)
        return err ? err->code : RF_EINTERNAL;
    int rc = rf_win_state_load(state_path, &state, err);
    if (rc < 0) {
        unlock_state(lock);
        return rc;
    }
    out->roots = calloc(n_roots ? n_roots : 1, sizeof *out->roots);
    out->sids = calloc(n_roots ? n_roots : 1, sizeof *out->sids);
    if (!out->roots || !out->sids) {
        rc = rf_fail(err, RF_EINTERNAL, "prepare the Windows backend: out of memory");
        goto out;
    }
    for (size_t i = 0; i < n_roots; i++) {
        /* The final path: a junction or a short name must not get a second
         * SID (or point the grant somewhere else than the user named). */
        rc = rf_win_canonical_dir(roots[i], &out->roots[i], err);
        if (rc < 0)
            goto out;
        out->n_roots++;
        /* The command must not rewrite the record of what was granted (nor
         * the private TEMP of other roots beside it). */
        if (rf_winpath_within(state_path, out->roots[i], NULL) == 1) {
            rc = rf_fail(err, RF_EPOLICY,
                         "writable root '%s' contains ringfence's state file '%s'",
                         out->roots[i], state_path);
            goto out;
        }
        int created = 0;
        rc = rf_win_state_root_sid(state, out->roots[i], rf_win_random, NULL, out->sids[i],
                                   &created, err);
        if (rc < 0)
            goto out;
    }
    const char **sid_ptrs = calloc(n_roots ? n_roots : 1, sizeof *sid_ptrs);
    if (!sid_ptrs) {
        rc = rf_fail(err, RF_EINTERNAL, "prepare the Windows backend: out of memory");
        goto out;
    }
    for (size_t i = 0; i < n_roots; i++)
        sid_ptrs[i] = out->sids[i];
    if (private_tmp && n_roots > 0)
        rc = make_tmp_dir(out->sids[0], &out->tmp_dir, err);
    rf_acl_plan_input in = {(const char *const *)out->roots, sid_ptrs, n_roots, names, n_names,
                            out->tmp_dir};
    if (rc == 0)
        rc = rf_acl_plan_build(&in, &out->plan, err);
    if (rc == 0) {
        rc = rf_win_acl_apply(&out->plan, state, &out->report, err);
        /* Saved even after a partial apply, so `ungrant` can undo it. */
        rf_error save_err = {0};
        int src = rf_win_state_save(state_path, state, &save_err);
        if (rc == 0 && src < 0) {
            rc = src;
            if (err)
                *err = save_err;
        }
    }
    if (rc == 0)
        rc = rf_win_token_create(sid_ptrs, n_roots, &out->token, err);
    free(sid_ptrs);
out:
    rf_win_state_free(state);
    unlock_state(lock);
    if (rc < 0)
        rf_win_prepared_free(out);
    return rc;
}

int rf_win_prepare_readonly(const char *state_path, rf_win_prepared *out, rf_error *err) {
    rf_win_state *state = NULL;
    memset(out, 0, sizeof *out);
    out->sids = calloc(1, sizeof *out->sids);
    if (!out->sids)
        return rf_fail(err, RF_EINTERNAL, "prepare a read-only run: out of memory");
    HANDLE lock = lock_state(err);
    if (!lock) {
        rf_win_prepared_free(out);
        return err ? err->code : RF_EINTERNAL;
    }
    int rc = rf_win_state_load(state_path, &state, err);
    if (rc == 0)
        rc = rf_win_state_readonly_sid(state, rf_win_random, NULL, out->sids[0], err);
    if (rc == 0)
        rc = rf_acl_plan_readonly(out->sids[0], &out->plan, err);
    if (rc == 0) {
        rc = rf_win_acl_apply(&out->plan, state, &out->report, err);
        /* Saved even after a partial apply (the SID is new on first use). */
        rf_error save_err = {0};
        int src = rf_win_state_save(state_path, state, &save_err);
        if (rc == 0 && src < 0) {
            rc = src;
            if (err)
                *err = save_err;
        }
    }
    const char *sid = out->sids[0];
    if (rc == 0)
        rc = rf_win_token_create(&sid, 1, &out->token, err);
    rf_win_state_free(state);
    unlock_state(lock);
    if (rc < 0)
        rf_win_prepared_free(out);
    return rc;
}

int rf_win_ungrant(const char *dir, const char *state_path, size_t *removed, rf_error *err) {
    rf_win_state *state = NULL;
    rf_ace *taken = NULL;
    size_t n = 0;
    *removed = 0;
    HANDLE lock = lock_state(err);
    if (!lock)
        return err ? err->code : RF_EINTERNAL;
    int rc = rf_win_state_load(state_path, &state, err);
    if (rc < 0) {
        unlock_state(lock);
        return rc;
    }
    char *canon = NULL;
    /* The folder may be gone; then its recorded spelling is what we match. */
    if (rf_win_canonical_dir(dir, &canon, NULL) < 0)
        canon = strdup(dir);
    rc = canon ? rf_win_state_take_grants_under(state, canon, &taken, &n, err)
               : rf_fail(err, RF_EINTERNAL, "ungrant '%s': out of memory", dir);
    if (rc == 0)
        rc = rf_win_acl_revoke(taken, n, err);
    if (rc == 0)
        rc = rf_win_state_save(state_path, state, err);
    if (rc == 0)
        *removed = n;
    rf_acl_free_aces(taken, n);
    free(canon);
    rf_win_state_free(state);
    unlock_state(lock);
    return rc;
}
