/*
 * audit.c — the audit log on Linux: where it lives, where it may not live,
 * and each record (built by audit_record.c, shared with Windows) appended
 * with a single write(2).
 *
 * Cleanup idiom: a function that holds memory or a descriptor releases it
 * at a single `out:` label; functions holding nothing return early.
 */
#include "core/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/audit_record.h"
#include "core/error.h"
#include "core/passwd_name.h"
#include "core/utc_stamp.h"

#define LOG_RELATIVE "ringfence/audit.jsonl"

/* ---- paths ------------------------------------------------------------------ */

/* a + "/" + b, malloc'd. */
static char *path_join(const char *a, const char *b) {
    size_t n = strlen(a), m = strlen(b);
    char *out = malloc(n + 1 + m + 1);
    if (!out)
        return NULL;
    memcpy(out, a, n);
    size_t at = n;
    if (n == 0 || a[n - 1] != '/')
        out[at++] = '/';
    memcpy(out + at, b, m + 1);
    return out;
}

/* The caller's home: $HOME when it is an absolute path, else the passwd entry.
 * Fills `buf` (for the passwd strings) and returns a pointer into it or into
 * the environment. */
static const char *home_dir(char *buf, size_t size, rf_error *err) {
    const char *home = getenv("HOME");
    if (home && home[0] == '/')
        return home;
    struct passwd pw, *found = NULL;
    int rc = getpwuid_r(getuid(), &pw, buf, size, &found);
    if (rc != 0 || !found || !found->pw_dir || found->pw_dir[0] != '/') {
        rf_fail_errno(err, rc ? rc : ENOENT,
                      "finding the audit log folder: HOME is unset or relative and uid %u has "
                      "no home in the passwd database",
                      (unsigned)getuid());
        return NULL;
    }
    return found->pw_dir;
}

int rf_audit_default_path(char **out, rf_error *err) {
    *out = NULL;
    const char *state = getenv("XDG_STATE_HOME");
    /* The XDG spec says a relative value is invalid and must be ignored. */
    if (state && state[0] == '/') {
        *out = path_join(state, LOG_RELATIVE);
    } else {
        char buf[4096];
        const char *home = home_dir(buf, sizeof buf, err);
        if (!home)
            return err ? err->code : -ENOENT;
        *out = path_join(home, ".local/state/" LOG_RELATIVE);
    }
    return *out ? 0 : rf_fail_errno(err, ENOMEM, "building the audit log path");
}

/* The writable root that contains `path`, or NULL. */
static const char *root_containing(const rf_policy *policy, const char *path) {
    for (size_t i = 0; i < policy->writable_roots.len; i++)
        if (rf_path_within(path, policy->writable_roots.items[i].value))
            return policy->writable_roots.items[i].value;
    return NULL;
}

/* `path` as an absolute path (malloc'd). */
static char *absolute(const char *path) {
    if (path[0] == '/')
        return strdup(path);
    char cwd[PATH_MAX];
    return getcwd(cwd, sizeof cwd) ? path_join(cwd, path) : NULL;
}

#define MAX_LINKS 40 /* as the kernel's own limit on symlinks in one lookup */

/*
 * Walks `path` one component at a time, following symlinks as the kernel
 * would, and refuses it when any step — a folder, a symlink, or the final
 * name — lies inside a writable root.  Checking only the resolved end would
 * not do: a symlink or folder inside a root that leads out of it passes the
 * check before the run, and the sandboxed command can re-point or rename it
 * before run.end is written, steering the record into the workspace.
 * Components that do not exist yet are taken as written; ".." among them is
 * refused, since nothing resolves it.
 */
static int walk_log_path(const char *path, const rf_policy *policy, rf_error *err) {
    int rc = 0, links = 0;
    char *current = NULL, *candidate = NULL, *target = NULL;
    char *pending = absolute(path); /* what is left to walk */
    if (!pending) {
        rc = rf_fail_errno(err, errno ? errno : ENOMEM, "making the audit log path %s absolute",
                           path);
        goto out;
    }
    current = calloc(1, PATH_MAX); /* resolved so far; "" is "/" */
    candidate = malloc(PATH_MAX);
    target = malloc(PATH_MAX);
    if (!current || !candidate || !target) {
        rc = rf_fail_errno(err, ENOMEM, "resolving the audit log path %s", path);
        goto out;
    }
    const char *next = pending;
    bool missing = false; /* a component did not exist: the rest is new */
    while (*next) {
        while (*next == '/')
            next++;
        if (!*next)
            break;
        size_t len = (size_t)(strchrnul(next, '/') - next);
        const char *comp = next;
        next += len;
        if (len == 1 && comp[0] == '.')
            continue;
        if (len == 2 && comp[0] == '.' && comp[1] == '.') {
            if (missing) {
                rc = rf_fail(err, -EINVAL,
                             "audit log path %s: '..' below the missing folder %s is not "
                             "accepted",
                             path, current);
                goto out;
            }
            char *slash = strrchr(current, '/');
            if (slash)
                *slash = '\0';
            continue;
        }
        if (strlen(current) + 1 + len >= PATH_MAX) {
            rc = rf_fail(err, -ENAMETOOLONG, "resolving the audit log path %s: too long", path);
            goto out;
        }
        size_t at = strlen(current);
        memcpy(candidate, current, at);
        candidate[at] = '/';
        memcpy(candidate + at + 1, comp, len);
        candidate[at + 1 + len] = '\0';
        const char *root = root_containing(policy, candidate);
        if (root) {
            /* A log the sandboxed command can write, or a path it can re-point, is a
             * log it can rewrite: tampering with the record of what it did. */
            rc = rf_fail(err, -EPERM,
                         "audit log %s: its path reaches %s, inside the writable root %s, where "
                         "the sandboxed command could rewrite the log or re-point the path; "
                         "set XDG_STATE_HOME or the audit path to a folder outside every "
                         "writable root",
                         path, candidate, root);
            goto out;
        }
        struct stat st;
        if (missing || lstat(candidate, &st) < 0) {
            if (!missing && errno != ENOENT) {
                rc = rf_fail_errno(err, errno, "resolving the audit log path %s at %s", path,
                                   candidate);
                goto out;
            }
            missing = true;
            memcpy(current, candidate, strlen(candidate) + 1);
            continue;
        }
        if (!S_ISLNK(st.st_mode)) {
            memcpy(current, candidate, strlen(candidate) + 1);
            continue;
        }
        if (++links > MAX_LINKS) {
            rc = rf_fail(err, -ELOOP, "resolving the audit log path %s: more than %d symlinks",
                         path, MAX_LINKS);
            goto out;
        }
        ssize_t n = readlink(candidate, target, PATH_MAX - 1);
        if (n < 0) {
            rc = rf_fail_errno(err, errno, "reading the symlink %s on the audit log path %s",
                               candidate, path);
            goto out;
        }
        target[n] = '\0';
        /* Continue with the link's target followed by what was left. */
        char *rest = malloc((size_t)n + 1 + strlen(next) + 1);
        if (!rest) {
            rc = rf_fail_errno(err, ENOMEM, "resolving the audit log path %s", path);
            goto out;
        }
        sprintf(rest, "%s/%s", target, next);
        free(pending);
        pending = rest;
        next = pending;
        if (target[0] == '/')
            current[0] = '\0';
    }
out:
    free(pending);
    free(current);
    free(candidate);
    free(target);
    return rc;
}

int rf_audit_check_location(const char *path, const rf_policy *policy, rf_error *err) {
    if (!path[0])
        return rf_fail(err, -EINVAL, "the audit log path is empty");
    return walk_log_path(path, policy, err);
}

/* ---- opening the log -------------------------------------------------------- */

/* Creates every missing folder above `path` with mode 0700. */
static int make_parents(const char *path, rf_error *err) {
    int rc = 0;
    char *dir = strdup(path);
    if (!dir)
        return rf_fail_errno(err, ENOMEM, "creating the audit log folder for %s", path);
    char *last = strrchr(dir, '/');
    if (!last || last == dir)
        goto out; /* relative file name in the cwd, or a file in "/" */
    *last = '\0';
    for (char *p = dir + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
            rc = rf_fail_errno(err, errno, "creating the audit log folder %s", dir);
            goto out;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
out:
    free(dir);
    return rc;
}

/* The folder that holds the log must be the caller's (or root's) and closed
 * to group and others: whoever can write it can replace or delete the log
 * between two runs. */
static int check_folder(const char *path, rf_error *err) {
    char *dir = strdup(path);
    if (!dir)
        return rf_fail_errno(err, ENOMEM, "checking the audit log folder of %s", path);
    char *last = strrchr(dir, '/');
    const char *folder = !last ? "." : last == dir ? "/" : dir;
    if (last && last != dir)
        *last = '\0';
    struct stat st;
    int rc = 0;
    if (stat(folder, &st) < 0)
        rc = rf_fail_errno(err, errno, "checking the audit log folder %s", folder);
    else if ((st.st_uid != geteuid() && st.st_uid != 0) || (st.st_mode & 022))
        rc = rf_fail(err, -EPERM,
                     "audit log folder %s is owned by uid %u with mode %04o: it must belong "
                     "to you (uid %u) and not be writable by group or others, or another "
                     "user could replace or delete the log",
                     folder, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777),
                     (unsigned)geteuid());
    free(dir);
    return rc;
}

/* Opens the log for one append.  Returns the fd or a negative error. */
static int open_log(const char *path, rf_error *err) {
    int rc = make_parents(path, err);
    if (rc < 0)
        return rc;
    if ((rc = check_folder(path, err)) < 0)
        return rc;
    /* O_NOFOLLOW: a symlink planted at the log's name would redirect our
     * writes into a file of the attacker's choosing.  O_NONBLOCK: a FIFO
     * planted there would otherwise block the run forever (no effect on
     * regular files).  O_NOCTTY: a terminal device must not become ours. */
    int fd = open(
        path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0600);
    if (fd < 0) {
        if (errno == ELOOP)
            return rf_fail(err, -ELOOP,
                           "opening the audit log %s: it is a symbolic link, "
                           "which is refused (it could point anywhere)",
                           path);
        return rf_fail_errno(err, errno, "opening the audit log %s", path);
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        rc = rf_fail_errno(err, errno, "checking the audit log %s", path);
    } else if (!S_ISREG(st.st_mode)) {
        rc = rf_fail(err, -EPERM, "audit log %s is not a regular file (mode %06o); refusing it",
                     path, (unsigned)st.st_mode);
    } else if (st.st_uid != geteuid()) {
        /* Another user pre-created the file: they could read every record. */
        rc = rf_fail(err, -EPERM,
                     "audit log %s belongs to uid %u, not to you (uid %u): another user "
                     "could read or alter it; remove it and run again",
                     path, (unsigned)st.st_uid, (unsigned)geteuid());
    } else if (st.st_mode & 07777 & ~0600) {
        /* Wider than 0600: other users could read the commands and folders
         * of every run. */
        rc = rf_fail(err, -EPERM,
                     "audit log %s has mode %04o, wider than 0600: other users could read it; "
                     "run `chmod 600 %s` and run again",
                     path, (unsigned)(st.st_mode & 07777), path);
    }
    if (rc < 0) {
        close(fd);
        return rc;
    }
    return fd;
}

/* Appends `line` (ending in a newline) with exactly one write(2): on an
 * O_APPEND descriptor concurrent runs then never interleave inside a record. */
static int append_line(const char *path, const char *line, rf_error *err) {
    size_t n = strlen(line);
    int fd = open_log(path, err);
    if (fd < 0)
        return fd;
    int rc = 0;
    ssize_t written;
    do
        written = write(fd, line, n); /* EINTR means nothing was written */
    while (written < 0 && errno == EINTR);
    if (written < 0)
        rc = rf_fail_errno(err, errno, "writing the audit log %s", path);
    else if ((size_t)written != n)
        /* Never finish with a second write: it could land after another
         * run's line.  Report the torn record instead. */
        rc = rf_fail(err, -EIO, "writing the audit log %s: short write (%zd of %zu bytes)", path,
                     written, n);
    if (close(fd) < 0 && rc == 0)
        rc = rf_fail_errno(err, errno, "closing the audit log %s", path);
    return rc;
}

/* ---- records ---------------------------------------------------------------- */

/* The user's name from the passwd database (not $USER, which the caller
 * controls), or NULL when uid has no entry: /etc/passwd read directly, NSS
 * for whatever that file does not settle (passwd_name.c says why). */
static const char *user_name(char *buf, size_t size) {
    if (rf_passwd_file_name("/etc/passwd", (unsigned)getuid(), buf, size) == 1)
        return buf;
    struct passwd pw, *found = NULL;
    char scratch[4096];
    getpwuid_r(getuid(), &pw, scratch, sizeof scratch, &found);
    if (!found || !found->pw_name)
        return NULL;
    snprintf(buf, size, "%s", found->pw_name);
    return buf;
}

/* Fills `who` for this process now; `stamp` and `name` hold its strings. */
static void who_now(rf_audit_who *who, char stamp[64], char name[4096]) {
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
        ts.tv_sec = 0, ts.tv_nsec = 0;
    rf_utc_stamp(&ts, stamp, 64);
    *who = (rf_audit_who){
        .time = stamp,
        .user = user_name(name, 4096),
        .uid = (long long)getuid(),
        .sid = NULL,
        .pid = (long long)getpid(),
    };
}

/* Appends `line` (NULL: building it ran out of memory) and frees it. */
static int write_line(const char *path, char *line, const char *event, rf_error *err) {
    int rc = line ? append_line(path, line, err)
                  : rf_fail_errno(err, ENOMEM, "building the %s audit record", event);
    free(line);
    return rc;
}

int rf_audit_run_start(const char *path, const rf_audit_start *rec, rf_error *err) {
    char stamp[64], name[4096];
    rf_audit_who who;
    who_now(&who, stamp, name);
    return write_line(path, rf_audit_record_run_start(&who, rec), "run.start", err);
}

int rf_audit_run_end(const char *path, const rf_audit_end *rec, rf_error *err) {
    char stamp[64], name[4096];
    rf_audit_who who;
    who_now(&who, stamp, name);
    return write_line(path, rf_audit_record_run_end(&who, rec), "run.end", err);
}

int rf_audit_policy_error(const char *path, const rf_error *policy_err, const char *policy_file,
                          rf_error *err) {
    char stamp[64], name[4096];
    rf_audit_who who;
    who_now(&who, stamp, name);
    return write_line(path, rf_audit_record_policy_error(&who, policy_err, policy_file),
                      "policy.error", err);
}
