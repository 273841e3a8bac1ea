/*
 * probe_writes_win.c — the `writes` probes of rf-probe.exe: nothing outside
 * the writable roots changes, whatever spelling of the path is used
 * (junctions, symlinks, streams, \\?\ paths, 8.3 names) and whatever kind of
 * change (content, name, attributes, times, links).  Each escape verifies its
 * effect before it reports `allowed`.  Ids shared with Linux name the same
 * escape.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/probe_win.h"
#include "probe/world_layout.h"

/* Write a marker to rel and read it back. */
static void write_and_verify(const rf_probe_world *w, const char *rel, DWORD disposition,
                             bool append, const char *what, rf_probe_result *r) {
    wchar_t path[RF_WPATH];
    char marker[128];
    if (!rf_probe_wpath(w, rel, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    rf_probe_win_marker(w, marker, sizeof marker);
    DWORD e = rf_probe_win_write(path, disposition, append, marker);
    if (e)
        return rf_probe_failed(r, (int)e, what);
    if (!rf_probe_win_contains(path, marker))
        return rf_probe_error(r, 0, "%s: wrote, but the marker is not in %s", what, rel);
    rf_probe_allowed(r, "%s: wrote %s", what, rel);
}

/* The same through an explicit wide path (a variant spelling). */
static void write_wide(const wchar_t *path, const wchar_t *check, const rf_probe_world *w,
                       const char *what, rf_probe_result *r) {
    char marker[128];
    rf_probe_win_marker(w, marker, sizeof marker);
    DWORD e = rf_probe_win_write(path, OPEN_ALWAYS, true, marker);
    if (e)
        return rf_probe_failed(r, (int)e, what);
    if (!rf_probe_win_contains(check, marker))
        return rf_probe_error(r, 0, "%s: wrote, but the marker did not arrive", what);
    rf_probe_allowed(r, "%s: the marker arrived outside", what);
}

/* ---- controls: what the command may do ---------------------------------- */

static void p_inside(const rf_probe_world *w, rf_probe_result *r) {
    write_and_verify(w, RF_W_WS "/new-inside.txt", CREATE_ALWAYS, false, "create in the workspace",
                     r);
}

static void p_inside_edit(const rf_probe_world *w, rf_probe_result *r) {
    write_and_verify(w, RF_W_WS_FILE, OPEN_EXISTING, true, "append to a workspace file", r);
}

static void p_extra_root(const rf_probe_world *w, rf_probe_result *r) {
    write_and_verify(w, RF_W_EXTRA "/new-extra.txt", CREATE_ALWAYS, false,
                     "create in the extra writable root", r);
}

static void p_nogit_root(const rf_probe_world *w, rf_probe_result *r) {
    write_and_verify(w, RF_W_NOGIT "/new-nogit.txt", CREATE_ALWAYS, false,
                     "create in the writable root without .git", r);
}

static void p_nul_device(const rf_probe_world *w, rf_probe_result *r) {
    (void)w;
    DWORD e = rf_probe_win_write(L"NUL", OPEN_EXISTING, false, "x");
    if (e)
        return rf_probe_failed(r, (int)e, "write NUL");
    rf_probe_allowed(r, "wrote NUL");
}

/* %TEMP% as the command sees it (ringfence-win gives it a private, granted one). */
static void p_temp(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t dir[MAX_PATH + 1], path[RF_WPATH];
    DWORD n = GetTempPathW(MAX_PATH + 1, dir);
    if (n == 0 || n > MAX_PATH)
        return rf_probe_error(r, (int)GetLastError(), "GetTempPathW failed");
    _snwprintf(path, RF_WPATH, L"%lsrfprobe-%hs-%lu.txt", dir, w->nonce,
               (unsigned long)GetCurrentProcessId());
    path[RF_WPATH - 1] = L'\0';
    char marker[128];
    rf_probe_win_marker(w, marker, sizeof marker);
    DWORD e = rf_probe_win_write(path, CREATE_ALWAYS, false, marker);
    if (e)
        return rf_probe_failed(r, (int)e, "write a file in %TEMP%");
    bool ok = rf_probe_win_contains(path, marker);
    DeleteFileW(path);
    if (!ok)
        return rf_probe_error(r, 0, "wrote in %%TEMP%%, but the marker is not there");
    rf_probe_allowed(r, "wrote a file in %%TEMP%% (%ls)", dir);
}

/* ---- escapes: content ----------------------------------------------------- */

static void p_outside_create(const rf_probe_world *w, rf_probe_result *r) {
    char rel[128];
    snprintf(rel, sizeof rel, RF_W_OUTSIDE "/created-%lu.txt", (unsigned long)GetCurrentProcessId());
    write_and_verify(w, rel, CREATE_NEW, false, "create outside", r);
}

static void p_outside_append(const rf_probe_world *w, rf_probe_result *r) {
    write_and_verify(w, RF_W_OUT_APPEND, OPEN_EXISTING, true, "append outside", r);
}

static void p_outside_overwrite(const rf_probe_world *w, rf_probe_result *r) {
    write_and_verify(w, RF_W_OUT_OVERWRITE, OPEN_EXISTING, false, "overwrite outside", r);
}

static void p_outside_truncate(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH];
    WIN32_FILE_ATTRIBUTE_DATA a;
    if (!rf_probe_wpath(w, RF_W_OUT_TRUNCATE, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    if (!GetFileAttributesExW(path, GetFileExInfoStandard, &a) || a.nFileSizeLow == 0)
        return rf_probe_error(r, (int)GetLastError(), "fixture %s missing or empty",
                              RF_W_OUT_TRUNCATE);
    HANDLE h = CreateFileW(path, GENERIC_WRITE, FILE_SHARE_READ, NULL, TRUNCATE_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return rf_probe_failed(r, (int)GetLastError(), "truncate outside");
    CloseHandle(h);
    if (!GetFileAttributesExW(path, GetFileExInfoStandard, &a) || a.nFileSizeLow != 0)
        return rf_probe_error(r, 0, "truncate succeeded but the size is unchanged");
    rf_probe_allowed(r, "truncated %s to 0 bytes", RF_W_OUT_TRUNCATE);
}

/* ---- escapes: the namespace ---------------------------------------------- */

static void p_outside_mkdir(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH];
    char rel[128];
    snprintf(rel, sizeof rel, RF_W_OUTSIDE "/new-dir-%lu", (unsigned long)GetCurrentProcessId());
    if (!rf_probe_wpath(w, rel, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    if (!CreateDirectoryW(path, NULL))
        return rf_probe_failed(r, (int)GetLastError(), "mkdir outside");
    if (!(GetFileAttributesW(path) & FILE_ATTRIBUTE_DIRECTORY))
        return rf_probe_error(r, 0, "CreateDirectoryW succeeded but no folder is there");
    rf_probe_allowed(r, "made %s", rel);
}

static void p_outside_rmdir(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_OUT_RMDIR, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    if (!rf_probe_win_exists(path))
        return rf_probe_error(r, (int)GetLastError(), "fixture %s missing", RF_W_OUT_RMDIR);
    if (!RemoveDirectoryW(path))
        return rf_probe_failed(r, (int)GetLastError(), "rmdir outside");
    if (rf_probe_win_exists(path))
        return rf_probe_error(r, 0, "RemoveDirectoryW succeeded but the folder is there");
    rf_probe_allowed(r, "removed %s", RF_W_OUT_RMDIR);
}

static void p_outside_rename(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t from[RF_WPATH], to[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_OUT_RENAME, from, RF_WPATH) ||
        !rf_probe_wpath(w, RF_W_OUTSIDE "/renamed.txt", to, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    if (!MoveFileExW(from, to, 0))
        return rf_probe_failed(r, (int)GetLastError(), "rename a file outside");
    if (!rf_probe_win_exists(to))
        return rf_probe_error(r, 0, "MoveFileExW succeeded but the new name is missing");
    rf_probe_allowed(r, "renamed %s", RF_W_OUT_RENAME);
}

static void p_outside_unlink(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_OUT_UNLINK, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    if (!DeleteFileW(path))
        return rf_probe_failed(r, (int)GetLastError(), "delete a file outside");
    if (rf_probe_win_exists(path))
        return rf_probe_error(r, 0, "DeleteFileW succeeded but the file is there");
    rf_probe_allowed(r, "deleted %s", RF_W_OUT_UNLINK);
}

/* ---- escapes: metadata ---------------------------------------------------- */

static void p_outside_attributes(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_OUT_CHMOD, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    DWORD before = GetFileAttributesW(path);
    if (before == INVALID_FILE_ATTRIBUTES)
        return rf_probe_error(r, (int)GetLastError(), "fixture %s missing", RF_W_OUT_CHMOD);
    DWORD want = before ^ FILE_ATTRIBUTE_READONLY;
    if (!SetFileAttributesW(path, want))
        return rf_probe_failed(r, (int)GetLastError(), "SetFileAttributesW outside");
    if (GetFileAttributesW(path) != want)
        return rf_probe_error(r, 0, "SetFileAttributesW succeeded but nothing changed");
    SetFileAttributesW(path, before);
    rf_probe_allowed(r, "flipped the read-only attribute of %s", RF_W_OUT_CHMOD);
}

static void p_outside_times(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_OUT_UTIME, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    HANDLE h = CreateFileW(path, FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return rf_probe_failed(r, (int)GetLastError(), "open a file outside for its times");
    FILETIME t = {.dwLowDateTime = 0x12345678u, .dwHighDateTime = 0x01c00000u}; /* 1990s */
    BOOL ok = SetFileTime(h, NULL, NULL, &t);
    DWORD e = GetLastError();
    FILETIME got = {0};
    GetFileTime(h, NULL, NULL, &got);
    CloseHandle(h);
    if (!ok)
        return rf_probe_failed(r, (int)e, "SetFileTime outside");
    if (got.dwHighDateTime != t.dwHighDateTime)
        return rf_probe_error(r, 0, "SetFileTime succeeded but the time is unchanged");
    rf_probe_allowed(r, "set the write time of %s", RF_W_OUT_UTIME);
}

/* The command owns no outside file, but the user it runs as does: with
 * WRITE_DAC (an owner's implicit right) it could grant itself write. */
static void p_outside_dacl_grant(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_OUT_DACL, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    PACL old = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    bool prot = false;
    DWORD e = rf_probe_win_self_grant(path, &old, &sd, &prot);
    if (e) {
        LocalFree(sd);
        return rf_probe_failed(r, (int)e, "grant itself write on a file outside (WRITE_DAC)");
    }
    write_and_verify(w, RF_W_OUT_DACL, OPEN_EXISTING, true,
                     "write a file outside after granting itself access", r);
    rf_probe_win_restore_dacl(path, old, sd, prot);
}

/* ---- escapes: other spellings of an outside path -------------------------- */

/* A junction in the workspace to a folder outside: creating one needs no
 * privilege, unlike a symlink, and only the target's ACL decides. */
static void p_junction_out(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t link[RF_WPATH], target[RF_WPATH], via[RF_WPATH], check[RF_WPATH];
    char rel[64];
    snprintf(rel, sizeof rel, RF_W_WS "/jn-%lu", (unsigned long)GetCurrentProcessId());
    if (!rf_probe_wpath(w, rel, link, RF_WPATH) ||
        !rf_probe_wpath(w, RF_W_OUT_JUNCTION_DIR, target, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    DWORD e = rf_probe_win_junction(link, target);
    if (e) {
        /* Making the junction inside the workspace is allowed work: its
         * failure is the probe's, not the boundary's. */
        char text[200];
        rf_probe_win_text(e, text, sizeof text);
        return rf_probe_error(r, (int)e, "create a junction in the workspace: %s", text);
    }
    _snwprintf(via, RF_WPATH, L"%ls\\via-junction.txt", link);
    _snwprintf(check, RF_WPATH, L"%ls\\via-junction.txt", target);
    via[RF_WPATH - 1] = check[RF_WPATH - 1] = L'\0';
    write_wide(via, check, w, "write through a workspace junction to outside", r);
    RemoveDirectoryW(link); /* removes the junction, not its target */
}

static void p_symlink_out(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t link[RF_WPATH], target[RF_WPATH];
    char rel[64];
    snprintf(rel, sizeof rel, RF_W_WS "/sl-%lu.txt", (unsigned long)GetCurrentProcessId());
    if (!rf_probe_wpath(w, rel, link, RF_WPATH) ||
        !rf_probe_wpath(w, RF_W_OUT_SYMLINK_TARGET, target, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    /* Developer mode lets a plain user create symlinks; otherwise it takes
     * SeCreateSymbolicLinkPrivilege (an administrator). */
    if (!CreateSymbolicLinkW(link, target, SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE)) {
        DWORD e = GetLastError();
        char text[200];
        rf_probe_win_text(e, text, sizeof text);
        return rf_probe_error(r, (int)e, "create a symlink in the workspace: %s", text);
    }
    write_wide(link, target, w, "write through a workspace symlink to outside", r);
    DeleteFileW(link);
}

static void p_ads_outside(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t base[RF_WPATH], stream[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_OUT_ADS, base, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    _snwprintf(stream, RF_WPATH, L"%ls:rfprobe", base);
    stream[RF_WPATH - 1] = L'\0';
    write_wide(stream, stream, w, "write an alternate data stream of a file outside", r);
}

static void p_long_path_prefix(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH], prefixed[RF_WPATH + 8];
    if (!rf_probe_wpath(w, RF_W_OUT_LONG_PREFIX, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    /* \\?\ skips Win32 normalization: the path goes to the object manager as is. */
    _snwprintf(prefixed, RF_WPATH + 8, L"\\\\?\\%ls", path);
    prefixed[RF_WPATH + 7] = L'\0';
    write_wide(prefixed, path, w, "write outside through a \\\\?\\ path", r);
}

static void p_short_name(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t path[RF_WPATH], shortp[RF_WPATH];
    if (!rf_probe_wpath(w, RF_W_OUT_SHORT_NAME, path, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    DWORD n = GetShortPathNameW(path, shortp, RF_WPATH);
    if (n == 0 || n >= RF_WPATH)
        return rf_probe_error(r, (int)GetLastError(), "GetShortPathNameW of the fixture failed");
    const wchar_t *leaf = wcsrchr(shortp, L'\\');
    if (!leaf || !wcschr(leaf, L'~'))
        return rf_probe_error(r, RF_PROBE_ENOTOOL,
                              "this volume keeps no 8.3 names (the short name is the long one)");
    write_wide(shortp, path, w, "write outside through its 8.3 short name", r);
}

static void p_physical_drive(const rf_probe_world *w, rf_probe_result *r) {
    (void)w;
    /* Opening for write is the escape (raw sectors of the system disk); the
     * probe writes nothing. */
    HANDLE h = CreateFileW(L"\\\\.\\PhysicalDrive0", GENERIC_READ | GENERIC_WRITE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return rf_probe_failed(r, (int)GetLastError(), "open \\\\.\\PhysicalDrive0 for writing");
    CloseHandle(h);
    rf_probe_allowed(r, "opened \\\\.\\PhysicalDrive0 for writing (nothing written)");
}

/* ---- escapes: links and moves across the boundary ------------------------ */

static void p_hardlink_in(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t src[RF_WPATH], link[RF_WPATH];
    char rel[64];
    snprintf(rel, sizeof rel, RF_W_WS "/hl-%lu.txt", (unsigned long)GetCurrentProcessId());
    if (!rf_probe_wpath(w, RF_W_OUT_HARDLINK_SRC, src, RF_WPATH) ||
        !rf_probe_wpath(w, rel, link, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    if (!CreateHardLinkW(link, src, NULL))
        return rf_probe_failed(r, (int)GetLastError(), "hard-link an outside file into the workspace");
    write_wide(link, src, w, "write an outside file through a hard link in the workspace", r);
    DeleteFileW(link);
}

static void p_rename_out(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t from[RF_WPATH], to[RF_WPATH];
    char rel_from[64], rel_to[64];
    unsigned long pid = (unsigned long)GetCurrentProcessId();
    snprintf(rel_from, sizeof rel_from, RF_W_WS "/move-out-%lu.txt", pid);
    snprintf(rel_to, sizeof rel_to, RF_W_OUTSIDE "/moved-out-%lu.txt", pid);
    if (!rf_probe_wpath(w, rel_from, from, RF_WPATH) || !rf_probe_wpath(w, rel_to, to, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    DWORD e = rf_probe_win_write(from, CREATE_ALWAYS, false, "moving out\n");
    if (e)
        return rf_probe_error(r, (int)e, "create the file to move in the workspace");
    if (!MoveFileExW(from, to, MOVEFILE_COPY_ALLOWED)) {
        e = GetLastError();
        DeleteFileW(from);
        return rf_probe_failed(r, (int)e, "move a workspace file outside");
    }
    if (!rf_probe_win_exists(to))
        return rf_probe_error(r, 0, "MoveFileExW succeeded but nothing arrived outside");
    rf_probe_allowed(r, "moved a workspace file to %s", rel_to);
}

static void p_rename_in(const rf_probe_world *w, rf_probe_result *r) {
    wchar_t from[RF_WPATH], to[RF_WPATH];
    char rel[64];
    snprintf(rel, sizeof rel, RF_W_WS "/moved-in-%lu.txt", (unsigned long)GetCurrentProcessId());
    if (!rf_probe_wpath(w, RF_W_OUT_RENAME_IN, from, RF_WPATH) ||
        !rf_probe_wpath(w, rel, to, RF_WPATH))
        return rf_probe_error(r, ERROR_FILENAME_EXCED_RANGE, "path too long");
    if (!MoveFileExW(from, to, 0))
        return rf_probe_failed(r, (int)GetLastError(), "move an outside file into the workspace");
    if (rf_probe_win_exists(from))
        return rf_probe_error(r, 0, "MoveFileExW succeeded but the outside file is still there");
    rf_probe_allowed(r, "moved %s into the workspace (gone from outside)", RF_W_OUT_RENAME_IN);
}

/* clang-format off */
#define P(id, kind, flags, fn, desc) {id, RF_G_WRITES, kind, flags, fn, desc, NULL}
#define PF(id, kind, flags, fn, desc, facet) {id, RF_G_WRITES, kind, flags, fn, desc, facet}

const rf_probe rf_probes_writes[] = {
    P("writes.inside", RF_KIND_CONTROL, 0, p_inside, "create a file in the workspace"),
    P("writes.inside_edit", RF_KIND_CONTROL, 0, p_inside_edit, "append to a workspace file"),
    P("writes.extra_root", RF_KIND_CONTROL, 0, p_extra_root, "create a file in an extra writable root"),
    P("writes.nogit_root", RF_KIND_CONTROL, 0, p_nogit_root, "create a file in a writable root without .git"),
    P("writes.nul_device", RF_KIND_CONTROL, 0, p_nul_device, "write the NUL device"),
    P("writes.temp", RF_KIND_CONTROL, 0, p_temp, "write a file in %TEMP% (private under ringfence)"),
    P("writes.outside_create", RF_KIND_RAW, 0, p_outside_create, "create a file outside"),
    P("writes.outside_append", RF_KIND_RAW, 0, p_outside_append, "append to a file outside"),
    P("writes.outside_overwrite", RF_KIND_RAW, 0, p_outside_overwrite, "overwrite a file outside"),
    P("writes.outside_truncate", RF_KIND_RAW, 0, p_outside_truncate, "truncate a file outside"),
    P("writes.outside_mkdir", RF_KIND_RAW, 0, p_outside_mkdir, "make a folder outside"),
    P("writes.outside_rmdir", RF_KIND_RAW, 0, p_outside_rmdir, "remove a folder outside"),
    P("writes.outside_rename", RF_KIND_RAW, 0, p_outside_rename, "rename a file outside"),
    P("writes.outside_unlink", RF_KIND_RAW, 0, p_outside_unlink, "delete a file outside"),
    PF("writes.outside_attributes", RF_KIND_RAW, 0, p_outside_attributes, "flip the read-only attribute of a file outside", "metadata"),
    P("writes.outside_dacl_grant", RF_KIND_RAW, 0, p_outside_dacl_grant, "replace a file outside's DACL to grant itself write (WRITE_DAC), then write"),
    PF("writes.outside_times", RF_KIND_RAW, 0, p_outside_times, "set the write time of a file outside", "metadata"),
    P("writes.junction_out", RF_KIND_RAW, 0, p_junction_out, "write through a junction in the workspace that points outside"),
    P("writes.symlink_out", RF_KIND_RAW, RF_PROBE_NEEDS_ROOT, p_symlink_out, "write through a workspace symlink that points outside (developer mode or admin)"),
    P("writes.ads_outside", RF_KIND_RAW, 0, p_ads_outside, "write an alternate data stream (file.txt:rfprobe) of a file outside"),
    P("writes.long_path_prefix", RF_KIND_RAW, 0, p_long_path_prefix, "write outside through a \\\\?\\ path (no Win32 normalization)"),
    P("writes.short_name", RF_KIND_RAW, 0, p_short_name, "write outside through the file's 8.3 short name"),
    P("writes.physical_drive", RF_KIND_RAW, RF_PROBE_NEEDS_ROOT, p_physical_drive, "open \\\\.\\PhysicalDrive0 for writing (admin only even unconfined)"),
    P("writes.hardlink_in", RF_KIND_RAW, 0, p_hardlink_in, "hard-link an outside file into the workspace and write it"),
    P("writes.rename_out", RF_KIND_RAW, 0, p_rename_out, "move a workspace file outside"),
    P("writes.rename_in", RF_KIND_RAW, 0, p_rename_in, "move an outside file into the workspace"),
};
const size_t rf_probes_writes_count = sizeof rf_probes_writes / sizeof rf_probes_writes[0];
/* clang-format on */
