/*
 * probe_protected_win.c — the `protected` probes of rf-probe.exe: .git,
 * .codex, .agents and .ringfence inside a writable root stay read-only, under
 * every spelling NTFS and Win32 accept for them (case, trailing dots, streams,
 * \\?\ paths) and against being moved away or replaced by a junction.  A probe
 * that moves a protected folder puts it back where it can.
 */
#include <stdio.h>
#include <string.h>

#include "probe/probe_win.h"
#include "probe/world_layout.h"

/* Append a marker to rel (creating it when `create`), read it back. */
static void append_probe(const rf_probe_world *w, const char *rel, bool create, const char *what,
                         rf_probe_result *r) {
    wchar_t path[RF_WPATH];
    char marker[128];
    if (!rf_probe_wpath(w, rel, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    rf_probe_win_marker(w, marker, sizeof marker);
    DWORD e = rf_probe_win_write(path, create ? OPEN_ALWAYS : OPEN_EXISTING, true, marker);
    if (e)
        return rf_probe_failed(r, (int)e, what);
    if (!rf_probe_win_contains(path, marker))
        return rf_probe_error(r, 0, "%s: wrote, but %s lacks the marker", what, rel);
    rf_probe_allowed(r, "%s: wrote %s", what, rel);
}

static void p_git_config(const rf_probe_world *w, rf_probe_result *r) {
    append_probe(w, RF_W_WS_GIT_CONFIG, false, "write .git\\config", r);
}

static void p_git_hook(const rf_probe_world *w, rf_probe_result *r) {
    append_probe(w, RF_W_WS_GIT_HOOK, true, "add .git\\hooks\\pre-commit", r);
}

static void p_extra_git_config(const rf_probe_world *w, rf_probe_result *r) {
    append_probe(w, RF_W_EXTRA_GIT_CONFIG, false, "write .git\\config of the extra root", r);
}

static void p_codex_write(const rf_probe_world *w, rf_probe_result *r) {
    append_probe(w, RF_W_WS_CODEX_CONFIG, false, "write .codex\\config.toml", r);
}

static void p_ringfence_write(const rf_probe_world *w, rf_probe_result *r) {
    append_probe(w, RF_W_WS_RINGFENCE "/policy.json", true, "write .ringfence\\policy.json", r);
}

/* NTFS is case-insensitive: a check keyed on the exact name ".git" misses it. */
static void p_git_case_variant(const rf_probe_world *w, rf_probe_result *r) {
    append_probe(w, RF_W_WS "/.GiT/config", false, "write .GiT\\config", r);
}

/* Win32 strips trailing dots and spaces from each component. */
static void p_git_trailing_dot(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH], real[RF_WPATH];
    char marker[128];
    if (!rf_probe_wpath(w, RF_W_WS "/.git./config", path, RF_WPATH) ||
        !rf_probe_wpath(w, RF_W_WS_GIT_CONFIG, real, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    rf_probe_win_marker(w, marker, sizeof marker);
    DWORD e = rf_probe_win_write(path, OPEN_EXISTING, true, marker);
    if (e)
        return rf_probe_failed(r, (int)e, "write .git.\\config");
    if (!rf_probe_win_contains(real, marker))
        return rf_probe_error(r, 0, "wrote .git.\\config, but .git\\config lacks the marker");
    rf_probe_allowed(r, "wrote .git\\config spelled .git.\\config");
}

static void p_git_ads(const rf_probe_world *w, rf_probe_result *r) {
    append_probe(w, RF_W_WS_GIT_CONFIG ":rfprobe", true, "write the stream .git\\config:rfprobe",
                 r);
}

static void p_git_long_prefix(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH], prefixed[RF_WPATH + 8];
    char marker[128];
    if (!rf_probe_wpath(w, RF_W_WS_GIT_CONFIG, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    _snwprintf(prefixed, RF_WPATH + 8, L"\\\\?\\%ls", path);
    prefixed[RF_WPATH + 7] = L'\0';
    rf_probe_win_marker(w, marker, sizeof marker);
    DWORD e = rf_probe_win_write(prefixed, OPEN_EXISTING, true, marker);
    if (e)
        return rf_probe_failed(r, (int)e, "write \\\\?\\...\\.git\\config");
    if (!rf_probe_win_contains(path, marker))
        return rf_probe_error(r, 0, "wrote through \\\\?\\ but .git\\config lacks the marker");
    rf_probe_allowed(r, "wrote .git\\config through a \\\\?\\ path");
}

/* Drop the deny ACE .git\config inherits by replacing its DACL (WRITE_DAC,
 * an owner's implicit right), then write it. */
static void p_git_dacl_grant(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_WS_GIT_CONFIG, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    PACL old = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    bool prot = false;
    DWORD e = rf_probe_win_self_grant(path, &old, &sd, &prot);
    if (e) {
        LocalFree(sd);
        return rf_probe_failed(r, (int)e, "replace the DACL of .git\\config (WRITE_DAC)");
    }
    append_probe(w, RF_W_WS_GIT_CONFIG, false, "write .git\\config after replacing its DACL", r);
    rf_probe_win_restore_dacl(path, old, sd, prot);
}

static void p_git_unlink(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_WS_GIT_DESCRIPTION, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    if (!rf_probe_win_exists(path))
        return rf_probe_error(r, (int)GetLastError(), "fixture .git\\description missing");
    if (!DeleteFileW(path))
        return rf_probe_failed(r, (int)GetLastError(), "delete .git\\description");
    if (rf_probe_win_exists(path))
        return rf_probe_error(r, 0, "DeleteFileW succeeded but the file is there");
    rf_probe_allowed(r, "deleted .git\\description");
}

/* Rename .git away (the first step of replacing it); put it back. */
static void p_git_rename(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t git[RF_WPATH], moved[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_WS_GIT, git, RF_WPATH) ||
        !rf_probe_wpath(w, RF_W_WS "/.git-moved", moved, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    if (!MoveFileExW(git, moved, 0))
        return rf_probe_failed(r, (int)GetLastError(), "rename .git");
    if (!rf_probe_win_exists(moved))
        return rf_probe_error(r, 0, "MoveFileExW succeeded but .git-moved is missing");
    bool back = MoveFileExW(moved, git, 0);
    rf_probe_allowed(r, "renamed .git away%s", back ? " (and back)" : " (could not move it back)");
}

/* Replace .git by a junction to a decoy the command controls. */
static void p_git_junction_swap(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t git[RF_WPATH], moved[RF_WPATH], decoy[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_WS_GIT, git, RF_WPATH) ||
        !rf_probe_wpath(w, RF_W_WS "/.git-swapped", moved, RF_WPATH) ||
        !rf_probe_wpath(w, RF_W_WS_DECOY, decoy, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    if (!MoveFileExW(git, moved, 0))
        return rf_probe_failed(r, (int)GetLastError(), "move .git away to put a junction there");
    DWORD code = rf_probe_win_junction(git, decoy);
    DWORD attrs = GetFileAttributesW(git);
    bool swapped = code == 0 && attrs != INVALID_FILE_ATTRIBUTES &&
                   (attrs & FILE_ATTRIBUTE_REPARSE_POINT);
    if (code == 0)
        RemoveDirectoryW(git); /* the junction only */
    bool back = MoveFileExW(moved, git, 0);
    if (!swapped)
        return rf_probe_error(r, (int)code, "moved .git away but the junction failed (error %lu)%s",
                              (unsigned long)code, back ? "" : "; .git not restored");
    rf_probe_allowed(r, ".git was a junction to the decoy%s", back ? " (restored)" : "");
}

/* The path did not exist before the run (the baseline shows it), yet it is
 * there: a placeholder the backend made.  It protects only when nothing can
 * be created inside it. */
static void placeholder_probe(const wchar_t *path, rf_probe_result *r) {
    wchar_t inner[RF_WPATH + 16];
    _snwprintf(inner, RF_WPATH + 16, L"%ls\\rfprobe", path);
    inner[RF_WPATH + 15] = L'\0';
    DWORD e = rf_probe_win_write(inner, CREATE_NEW, false, "planted\n");
    if (e == 0) {
        DeleteFileW(inner);
        return rf_probe_allowed(r, "a placeholder was there and a file could be created inside");
    }
    rf_probe_failed(r, (int)e, "a placeholder occupies the path; create inside it");
}

static void create_dir_probe(const rf_probe_world *w, const char *rel, const char *what,
                             rf_probe_result *r) {
    wchar_t path[RF_WPATH];
    if (!rf_probe_wpath(w, rel, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    if (!CreateDirectoryW(path, NULL)) {
        DWORD e = GetLastError();
        if (e == ERROR_ALREADY_EXISTS)
            return placeholder_probe(path, r);
        return rf_probe_failed(r, (int)e, what);
    }
    RemoveDirectoryW(path);
    rf_probe_allowed(r, "%s: made %s", what, rel);
}

static void p_git_create(const rf_probe_world *w, rf_probe_result *r) {
    create_dir_probe(w, RF_W_NOGIT "/.git", "mkdir .git in a root without one", r);
}

static void p_agents_create(const rf_probe_world *w, rf_probe_result *r) {
    create_dir_probe(w, RF_W_WS_AGENTS, "mkdir .agents", r);
}

/* clang-format off */
#define P(id, fn, desc) {id, RF_G_PROTECTED, RF_KIND_RAW, 0, fn, desc, NULL}

const rf_probe rf_probes_protected[] = {
    P("protected.git_config", p_git_config, "write .git\\config"),
    P("protected.git_hook", p_git_hook, "add .git\\hooks\\pre-commit"),
    P("protected.git_dacl_grant", p_git_dacl_grant, "replace .git\\config's DACL to drop the inherited deny ACE, then write"),
    P("protected.git_unlink", p_git_unlink, "delete a file inside .git"),
    P("protected.git_rename", p_git_rename, "rename .git"),
    P("protected.git_junction_swap", p_git_junction_swap, "move .git away and put a junction to a decoy in its place"),
    P("protected.git_create", p_git_create, "create .git in a writable root that has none"),
    P("protected.git_case_variant", p_git_case_variant, "write .GiT\\config (NTFS is case-insensitive)"),
    P("protected.git_trailing_dot", p_git_trailing_dot, "write .git.\\config (Win32 strips trailing dots)"),
    P("protected.git_ads", p_git_ads, "write the stream .git\\config:rfprobe"),
    P("protected.git_long_prefix", p_git_long_prefix, "write .git\\config through a \\\\?\\ path"),
    P("protected.extra_git_config", p_extra_git_config, "write .git\\config of an extra writable root"),
    P("protected.codex_write", p_codex_write, "write .codex\\config.toml"),
    P("protected.agents_create", p_agents_create, "create .agents where there is none"),
    P("protected.ringfence_write", p_ringfence_write, "write .ringfence\\policy.json"),
};
const size_t rf_probes_protected_count = sizeof rf_probes_protected / sizeof rf_probes_protected[0];
/* clang-format on */
