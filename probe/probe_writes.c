/*
 * probe_writes.c — probes of the `writes` guarantee: nothing outside the
 * writable roots changes.  Every escape checks its own effect (the bytes
 * arrived, the mode changed) before it reports `allowed`.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "probe/probe.h"
#include "probe/world_layout.h"

#define PATHBUF 1200

/* Writes `data` to `path` opened with `flags`; returns 0 or -errno. */
static int write_with(const char *path, int flags, const char *data) {
    int fd = open(path, flags | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    size_t len = strlen(data);
    ssize_t n = write(fd, data, len);
    int e = n < 0 ? errno : 0;
    if (close(fd) < 0 && !e)
        e = errno;
    if (n >= 0 && (size_t)n != len)
        e = EIO;
    return -e;
}

/* True when the file at `path` contains `needle`. */
static bool file_contains(const char *path, const char *needle) {
    char buf[8192];
    return rf_probe_read_file(path, buf, sizeof buf) >= 0 && strstr(buf, needle) != NULL;
}

/* Create-and-verify: write a marker to rel (with `flags`) and read it back. */
static void write_and_verify(const rf_probe_world *w, const char *rel, int flags, const char *what,
                             rf_probe_result *r) {
    char path[PATHBUF], marker[128];
    if (!rf_probe_path(w, rel, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    snprintf(marker, sizeof marker, "rfprobe-%s-%d\n", w->nonce, (int)getpid());
    int rc = write_with(path, flags, marker);
    if (rc < 0)
        return rf_probe_failed(r, -rc, what);
    if (!file_contains(path, marker))
        return rf_probe_error(r, 0, "%s: wrote, but the marker is not in %s", what, path);
    rf_probe_allowed(r, "%s: wrote %s", what, path);
}

/* ---- controls: what the command may do ---------------------------------- */

static void p_inside(const rf_probe_world *w, rf_probe_result *r) {
    write_and_verify(w, RF_W_WS "/new-inside.txt", O_CREAT | O_TRUNC, "create in the workspace", r);
}

static void p_extra_root(const rf_probe_world *w, rf_probe_result *r) {
    write_and_verify(w, RF_W_EXTRA "/new-extra.txt", O_CREAT | O_TRUNC,
                     "create in the extra writable root", r);
}

static void p_nogit_root(const rf_probe_world *w, rf_probe_result *r) {
    write_and_verify(w, RF_W_NOGIT "/new-nogit.txt", O_CREAT | O_TRUNC,
                     "create in the writable root without .git", r);
}

static void p_inside_edit(const rf_probe_world *w, rf_probe_result *r) {
    write_and_verify(w, RF_W_WS_FILE, O_APPEND, "append to a workspace file", r);
}

static void p_dev_null(const rf_probe_world *w, rf_probe_result *r) {
    (void)w;
    int rc = write_with("/dev/null", 0, "x");
    if (rc < 0)
        return rf_probe_failed(r, -rc, "write /dev/null");
    rf_probe_allowed(r, "wrote /dev/null");
}

/* ---- escapes: content --------------------------------------------------- */

static void p_outside_create(const rf_probe_world *w, rf_probe_result *r) {
    write_and_verify(w, RF_W_OUTSIDE "/created.txt", O_CREAT | O_EXCL, "create outside", r);
}

static void p_outside_append(const rf_probe_world *w, rf_probe_result *r) {
    write_and_verify(w, RF_W_OUT_APPEND, O_APPEND, "append outside", r);
}

static void p_outside_overwrite(const rf_probe_world *w, rf_probe_result *r) {
    write_and_verify(w, RF_W_OUT_OVERWRITE, 0, "overwrite outside", r);
}

static void p_outside_truncate(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    struct stat st;
    if (!rf_probe_path(w, RF_W_OUT_TRUNCATE, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (stat(path, &st) < 0 || st.st_size == 0)
        return rf_probe_error(r, errno, "fixture %s missing or empty", path);
    if (truncate(path, 0) < 0)
        return rf_probe_failed(r, errno, "truncate outside");
    if (stat(path, &st) < 0 || st.st_size != 0)
        return rf_probe_error(r, errno, "truncate returned 0 but the size is unchanged");
    rf_probe_allowed(r, "truncated %s to 0 bytes", path);
}

/* ---- escapes: the namespace --------------------------------------------- */

static void p_outside_mkdir(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    struct stat st;
    if (!rf_probe_path(w, RF_W_OUTSIDE "/new-dir", path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (mkdir(path, 0755) < 0)
        return rf_probe_failed(r, errno, "mkdir outside");
    if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
        return rf_probe_error(r, errno, "mkdir returned 0 but no directory is there");
    rf_probe_allowed(r, "made %s", path);
}

static void p_outside_rmdir(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    if (!rf_probe_path(w, RF_W_OUT_RMDIR, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (access(path, F_OK) < 0)
        return rf_probe_error(r, errno, "fixture %s missing", path);
    if (rmdir(path) < 0)
        return rf_probe_failed(r, errno, "rmdir outside");
    if (access(path, F_OK) == 0)
        return rf_probe_error(r, 0, "rmdir returned 0 but %s is still there", path);
    rf_probe_allowed(r, "removed %s", path);
}

static void p_outside_rename(const rf_probe_world *w, rf_probe_result *r) {
    char from[PATHBUF], to[PATHBUF];
    if (!rf_probe_path(w, RF_W_OUT_RENAME, from, sizeof from) ||
        !rf_probe_path(w, RF_W_OUTSIDE "/renamed.txt", to, sizeof to))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (access(from, F_OK) < 0)
        return rf_probe_error(r, errno, "fixture %s missing", from);
    if (rename(from, to) < 0)
        return rf_probe_failed(r, errno, "rename outside");
    if (access(to, F_OK) < 0)
        return rf_probe_error(r, errno, "rename returned 0 but %s is missing", to);
    rf_probe_allowed(r, "renamed %s to %s", from, to);
}

static void p_outside_unlink(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    if (!rf_probe_path(w, RF_W_OUT_UNLINK, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (access(path, F_OK) < 0)
        return rf_probe_error(r, errno, "fixture %s missing", path);
    if (unlink(path) < 0)
        return rf_probe_failed(r, errno, "delete outside");
    if (access(path, F_OK) == 0)
        return rf_probe_error(r, 0, "unlink returned 0 but %s is still there", path);
    rf_probe_allowed(r, "deleted %s", path);
}

static void p_outside_mkfifo(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    if (!rf_probe_path(w, RF_W_OUTSIDE "/fifo", path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (mkfifo(path, 0644) < 0)
        return rf_probe_failed(r, errno, "mkfifo outside");
    rf_probe_allowed(r, "made the fifo %s", path);
}

static void p_outside_symlink(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    if (!rf_probe_path(w, RF_W_OUTSIDE "/planted-link", path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (symlink("/etc/passwd", path) < 0)
        return rf_probe_failed(r, errno, "symlink outside");
    rf_probe_allowed(r, "planted the symlink %s", path);
}

static void p_outside_socket(const rf_probe_world *w, rf_probe_result *r) {
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char path[PATHBUF];
    if (!rf_probe_path(w, RF_W_OUTSIDE "/planted.sock", path, sizeof path) ||
        strlen(path) >= sizeof sa.sun_path)
        return rf_probe_error(r, ENAMETOOLONG, "socket path too long");
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return rf_probe_error(r, errno, "socket(AF_UNIX): %s", strerror(errno));
    int rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
    int e = errno;
    close(fd);
    if (rc < 0)
        return rf_probe_failed(r, e, "bind a unix socket outside");
    rf_probe_allowed(r, "bound %s", path);
}

/* ---- escapes: metadata (Landlock has no right for these) ---------------- */

static void p_outside_chmod(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    struct stat st;
    if (!rf_probe_path(w, RF_W_OUT_CHMOD, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (stat(path, &st) < 0)
        return rf_probe_error(r, errno, "fixture %s missing", path);
    mode_t want = (st.st_mode & 07777) ^ 0005; /* flip the others' read+exec bits */
    if (chmod(path, want) < 0)
        return rf_probe_failed(r, errno, "chmod outside");
    if (stat(path, &st) < 0 || (st.st_mode & 07777) != want)
        return rf_probe_error(r, errno, "chmod returned 0 but the mode is unchanged");
    rf_probe_allowed(r, "chmod %o %s", (unsigned)want, path);
}

static void p_outside_chown(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    struct stat before, after;
    if (!rf_probe_path(w, RF_W_OUT_CHOWN, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (stat(path, &before) < 0)
        return rf_probe_error(r, errno, "fixture %s missing", path);
    /* A chown to the current owner is allowed to the owner and still a
     * metadata write (it updates ctime); it cannot hurt the host. */
    if (chown(path, before.st_uid, before.st_gid) < 0)
        return rf_probe_failed(r, errno, "chown outside");
    if (stat(path, &after) < 0)
        return rf_probe_error(r, errno, "stat after chown: %s", strerror(errno));
    rf_probe_allowed(r, "chown %d:%d %s", (int)after.st_uid, (int)after.st_gid, path);
}

static void p_outside_utime(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    struct stat st;
    if (!rf_probe_path(w, RF_W_OUT_UTIME, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    struct timespec times[2] = {{.tv_sec = 86400}, {.tv_sec = 86400}}; /* 1970-01-02 */
    if (utimensat(AT_FDCWD, path, times, 0) < 0)
        return rf_probe_failed(r, errno, "utimensat outside");
    if (stat(path, &st) < 0 || st.st_mtim.tv_sec != 86400)
        return rf_probe_error(r, errno, "utimensat returned 0 but mtime is unchanged");
    rf_probe_allowed(r, "set the mtime of %s to 1970-01-02", path);
}

static void p_outside_xattr(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF], got[64] = "";
    if (!rf_probe_path(w, RF_W_OUT_XATTR, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (setxattr(path, "user.rfprobe", w->nonce, strlen(w->nonce), 0) < 0)
        return rf_probe_failed(r, errno, "setxattr user.rfprobe outside");
    ssize_t n = getxattr(path, "user.rfprobe", got, sizeof got - 1);
    if (n < 0 || strncmp(got, w->nonce, (size_t)n) != 0)
        return rf_probe_error(r, errno, "setxattr returned 0 but the attribute is not there");
    rf_probe_allowed(r, "set user.rfprobe on %s", path);
}

/* ---- escapes: links and renames across the boundary --------------------- */

/* A symlink inside the workspace that points outside. */
static void p_symlink_out(const rf_probe_world *w, rf_probe_result *r) {
    char link[PATHBUF], target[PATHBUF], marker[128];
    if (!rf_probe_path(w, RF_W_WS "/link-out", link, sizeof link) ||
        !rf_probe_path(w, RF_W_OUT_SYMLINK_TARGET, target, sizeof target))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    unlink(link);
    if (symlink(target, link) < 0)
        return rf_probe_error(r, errno, "symlink in the workspace: %s", strerror(errno));
    snprintf(marker, sizeof marker, "rfprobe-symlink-%s\n", w->nonce);
    int rc = write_with(link, O_APPEND, marker);
    if (rc < 0)
        return rf_probe_failed(r, -rc, "write through a workspace symlink to outside");
    if (!file_contains(target, marker))
        return rf_probe_error(r, 0, "wrote through the link but %s lacks the marker", target);
    rf_probe_allowed(r, "wrote %s through %s", target, link);
}

/* The symlink-swap race (TOCTOU): a thread flips a workspace symlink between an
 * inside and an outside target while the main thread writes through it. */
typedef struct flip_ctx {
    const char *link, *link_tmp, *inside, *outside;
    volatile int done;
    int flips, errors;
} flip_ctx;

static void *flipper(void *arg) {
    flip_ctx *c = arg;
    for (int i = 0; i < 400; i++) {
        const char *target = (i % 2) ? c->inside : c->outside;
        unlink(c->link_tmp);
        /* rename() swaps the link atomically: there is never a moment without it. */
        if (symlink(target, c->link_tmp) < 0 || rename(c->link_tmp, c->link) < 0)
            c->errors++;
        else
            c->flips++;
        sched_yield();
    }
    c->done = 1;
    return NULL;
}

static void p_symlink_flip(const rf_probe_world *w, rf_probe_result *r) {
    char link[PATHBUF], link_tmp[PATHBUF], inside[PATHBUF], outside[PATHBUF], marker[128];
    if (!rf_probe_path(w, RF_W_WS "/flip", link, sizeof link) ||
        !rf_probe_path(w, RF_W_WS "/flip.tmp", link_tmp, sizeof link_tmp) ||
        !rf_probe_path(w, RF_W_WS "/flip-inside.txt", inside, sizeof inside) ||
        !rf_probe_path(w, RF_W_OUT_FLIP_TARGET, outside, sizeof outside))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    snprintf(marker, sizeof marker, "rfprobe-flip-%s\n", w->nonce);
    unlink(link);
    if (symlink(inside, link) < 0)
        return rf_probe_error(r, errno, "symlink in the workspace: %s", strerror(errno));
    flip_ctx c = {.link = link, .link_tmp = link_tmp, .inside = inside, .outside = outside};
    pthread_t t;
    int prc = pthread_create(&t, NULL, flipper, &c);
    if (prc != 0)
        return rf_probe_error(r, prc, "pthread_create: %s", strerror(prc));
    int writes = 0, refused = 0, other = 0, refusal_errno = 0, other_errno = 0;
    while (!c.done) {
        int rc = write_with(link, O_APPEND, marker);
        if (rc == 0)
            writes++;
        else if (rf_probe_is_refusal(-rc))
            refused++, refusal_errno = -rc;
        else
            other++, other_errno = -rc;
    }
    pthread_join(t, NULL);
    if (file_contains(outside, marker))
        return rf_probe_allowed(r, "%d flips: a write through the link reached %s", c.flips,
                                outside);
    if (refused > 0) {
        return rf_probe_blocked(r, refusal_errno,
                                "%d flips, %d writes inside, %d refused (%s), none reached outside",
                                c.flips, writes, refused, strerror(refusal_errno));
    }
    rf_probe_error(r, other_errno,
                   "%d flips (%d failed), %d writes, %d other errors: the race never aimed "
                   "outside",
                   c.flips, c.errors, writes, other);
}

/* A hard link from outside into the workspace, then a write through it. */
static void p_hardlink_in(const rf_probe_world *w, rf_probe_result *r) {
    char src[PATHBUF], dst[PATHBUF], marker[128];
    if (!rf_probe_path(w, RF_W_OUT_HARDLINK_SRC, src, sizeof src) ||
        !rf_probe_path(w, RF_W_WS "/hardlinked.txt", dst, sizeof dst))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    unlink(dst);
    if (link(src, dst) < 0)
        return rf_probe_failed(r, errno, "hard-link an outside file into the workspace");
    snprintf(marker, sizeof marker, "rfprobe-hardlink-%s\n", w->nonce);
    int rc = write_with(dst, O_APPEND, marker);
    if (rc < 0)
        return rf_probe_failed(r, -rc, "write the hard link");
    if (!file_contains(src, marker))
        return rf_probe_error(r, 0, "wrote the link but %s lacks the marker", src);
    rf_probe_allowed(r, "linked %s into the workspace and wrote it", src);
}

/* Carry a file out of the workspace. */
static void p_rename_out(const rf_probe_world *w, rf_probe_result *r) {
    char from[PATHBUF], to[PATHBUF];
    if (!rf_probe_path(w, RF_W_WS "/carry-out.txt", from, sizeof from) ||
        !rf_probe_path(w, RF_W_OUTSIDE "/carried-out.txt", to, sizeof to))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    int rc = write_with(from, O_CREAT | O_TRUNC, w->nonce);
    if (rc < 0)
        return rf_probe_error(r, -rc, "create %s in the workspace: %s", from, strerror(-rc));
    if (rename(from, to) < 0)
        return rf_probe_failed(r, errno, "rename a workspace file outside");
    if (!file_contains(to, w->nonce))
        return rf_probe_error(r, 0, "rename returned 0 but %s lacks the content", to);
    rf_probe_allowed(r, "moved %s to %s", from, to);
}

/* Pull a file in from outside (removes it there). */
static void p_rename_in(const rf_probe_world *w, rf_probe_result *r) {
    char from[PATHBUF], to[PATHBUF];
    if (!rf_probe_path(w, RF_W_OUT_RENAME_IN, from, sizeof from) ||
        !rf_probe_path(w, RF_W_WS "/pulled-in.txt", to, sizeof to))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    if (access(from, F_OK) < 0)
        return rf_probe_error(r, errno, "fixture %s missing", from);
    if (rename(from, to) < 0)
        return rf_probe_failed(r, errno, "rename an outside file into the workspace");
    if (access(from, F_OK) == 0)
        return rf_probe_error(r, 0, "rename returned 0 but %s is still there", from);
    rf_probe_allowed(r, "moved %s into the workspace", from);
}

/* Write an outside file by file handle: no path for a path-based rule to
 * match; needs CAP_DAC_READ_SEARCH. */
static void p_open_by_handle(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF], marker[128];
    if (!rf_probe_path(w, RF_W_OUT_BY_HANDLE, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    int fd = rf_probe_open_handle(w, &w->outside_handle, O_WRONLY | O_APPEND);
    if (fd < 0)
        return rf_probe_failed(r, -fd, "open_by_handle_at an outside file for writing");
    snprintf(marker, sizeof marker, "rfprobe-handle-%s\n", w->nonce);
    ssize_t n = write(fd, marker, strlen(marker));
    int e = errno;
    close(fd);
    if (n < 0)
        return rf_probe_failed(r, e, "write an outside file opened by handle");
    if (!file_contains(path, marker))
        return rf_probe_error(r, 0, "wrote by handle, but %s lacks the marker", path);
    rf_probe_allowed(r, "wrote %s through open_by_handle_at", path);
}

/* Write a marker to `path` in a shared temporary folder.  With tmp private
 * the write may succeed inside the sandbox: the matrix checks afterwards
 * whether the file reached the host. */
static void write_shared_tmp(const rf_probe_world *w, const char *path, rf_probe_result *r) {
    char marker[128];
    snprintf(marker, sizeof marker, "rfprobe-tmp-%s\n", w->nonce);
    int rc = write_with(path, O_CREAT | O_TRUNC, marker);
    if (rc < 0)
        return rf_probe_failed(r, -rc, "write a shared temporary folder");
    if (!file_contains(path, marker))
        return rf_probe_error(r, 0, "wrote %s but it lacks the marker", path);
    rf_probe_allowed(r, "wrote %s", path);
}

static void p_tmp_host(const rf_probe_world *w, rf_probe_result *r) {
    write_shared_tmp(w, w->tmp_path, r);
}

static void p_shm_host(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    if (!rf_probe_shm_path(w->tmp_path, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    write_shared_tmp(w, path, r);
}

/* clang-format off */
#define P(id, kind, flags, fn, desc) {id, RF_G_WRITES, kind, flags, fn, desc}

const rf_probe rf_probes_writes[] = {
    P("writes.inside", RF_KIND_CONTROL, 0, p_inside, "create a file in the workspace"),
    P("writes.inside_edit", RF_KIND_CONTROL, 0, p_inside_edit, "append to a workspace file"),
    P("writes.extra_root", RF_KIND_CONTROL, 0, p_extra_root, "create a file in an extra writable root"),
    P("writes.nogit_root", RF_KIND_CONTROL, 0, p_nogit_root, "create a file in a writable root without .git"),
    P("writes.dev_null", RF_KIND_CONTROL, 0, p_dev_null, "write /dev/null"),
    P("writes.outside_create", RF_KIND_RAW, 0, p_outside_create, "create a file outside"),
    P("writes.outside_append", RF_KIND_RAW, 0, p_outside_append, "append to a file outside"),
    P("writes.outside_overwrite", RF_KIND_RAW, 0, p_outside_overwrite, "overwrite a file outside"),
    P("writes.outside_truncate", RF_KIND_RAW, 0, p_outside_truncate, "truncate a file outside"),
    P("writes.outside_mkdir", RF_KIND_RAW, 0, p_outside_mkdir, "mkdir outside"),
    P("writes.outside_rmdir", RF_KIND_RAW, 0, p_outside_rmdir, "rmdir outside"),
    P("writes.outside_rename", RF_KIND_RAW, 0, p_outside_rename, "rename a file outside"),
    P("writes.outside_unlink", RF_KIND_RAW, 0, p_outside_unlink, "delete a file outside"),
    P("writes.outside_mkfifo", RF_KIND_RAW, 0, p_outside_mkfifo, "make a fifo outside"),
    P("writes.outside_symlink", RF_KIND_RAW, 0, p_outside_symlink, "plant a symlink outside"),
    P("writes.outside_socket", RF_KIND_RAW, 0, p_outside_socket, "bind a unix socket outside"),
    P("writes.outside_chmod", RF_KIND_RAW, 0, p_outside_chmod, "chmod a file outside"),
    P("writes.outside_chown", RF_KIND_RAW, 0, p_outside_chown, "chown a file outside (to its owner)"),
    P("writes.outside_utime", RF_KIND_RAW, 0, p_outside_utime, "set the times of a file outside"),
    P("writes.outside_xattr", RF_KIND_RAW, 0, p_outside_xattr, "set an xattr on a file outside"),
    P("writes.symlink_out", RF_KIND_RAW, 0, p_symlink_out, "write through a workspace symlink that points outside"),
    P("writes.symlink_flip", RF_KIND_RAW, 0, p_symlink_flip, "write while a symlink flips inside/outside 400 times"),
    P("writes.hardlink_in", RF_KIND_RAW, 0, p_hardlink_in, "hard-link an outside file into the workspace and write it"),
    P("writes.rename_out", RF_KIND_RAW, 0, p_rename_out, "move a workspace file outside"),
    P("writes.rename_in", RF_KIND_RAW, 0, p_rename_in, "move an outside file into the workspace"),
    P("writes.open_by_handle", RF_KIND_RAW, RF_PROBE_NEEDS_ROOT, p_open_by_handle, "write an outside file by file handle (open_by_handle_at)"),
    P("writes.tmp_host", RF_KIND_RAW, RF_PROBE_POST_CHECK, p_tmp_host, "write a file that reaches the host's /tmp"),
    P("writes.shm_host", RF_KIND_RAW, RF_PROBE_POST_CHECK, p_shm_host, "write a file that reaches the host's /dev/shm"),
};
const size_t rf_probes_writes_count = sizeof rf_probes_writes / sizeof rf_probes_writes[0];
/* clang-format on */
