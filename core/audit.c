/*
 * audit.c — the audit log: where it lives, where it may not live, and one JSON
 * line per event, appended with a single write(2).
 *
 * Cleanup idiom: a function that holds memory or a descriptor releases it
 * at a single `out:` label; functions holding nothing return early.
 */
#include "core/audit.h"

#include <cjson/cJSON.h>
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

/* Appends `line` plus a newline with exactly one write(2): on an O_APPEND
 * descriptor concurrent runs then never interleave inside a record. */
static int append_line(const char *path, const char *line, rf_error *err) {
    size_t n = strlen(line);
    char *buf = malloc(n + 2);
    if (!buf)
        return rf_fail_errno(err, ENOMEM, "writing the audit log %s", path);
    memcpy(buf, line, n);
    buf[n] = '\n';
    buf[n + 1] = '\0';
    int rc = 0;
    int fd = open_log(path, err);
    if (fd < 0) {
        rc = fd;
        goto out;
    }
    ssize_t written;
    do
        written = write(fd, buf, n + 1); /* EINTR means nothing was written */
    while (written < 0 && errno == EINTR);
    if (written < 0)
        rc = rf_fail_errno(err, errno, "writing the audit log %s", path);
    else if ((size_t)written != n + 1)
        /* Never finish with a second write: it could land after another
         * run's line.  Report the torn record instead. */
        rc = rf_fail(err, -EIO, "writing the audit log %s: short write (%zd of %zu bytes)", path,
                     written, n + 1);
    if (close(fd) < 0 && rc == 0)
        rc = rf_fail_errno(err, errno, "closing the audit log %s", path);
out:
    free(buf);
    return rc;
}

/* ---- records ---------------------------------------------------------------- */

/* A copy of `s` in which every byte that is not part of valid UTF-8 becomes
 * U+FFFD: an argv of arbitrary bytes must not make the line invalid JSON,
 * which strict readers would drop (hiding the run from the log). */
static char *utf8_clean(const char *s) {
    size_t n = strlen(s);
    char *out = malloc(3 * n + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    char *o = out;
    while (*p) {
        size_t len = *p < 0x80           ? 1
                     : (*p >> 5) == 0x6  ? 2
                     : (*p >> 4) == 0xE  ? 3
                     : (*p >> 3) == 0x1E ? 4
                                         : 0;
        bool ok = len > 0;
        for (size_t i = 1; ok && i < len; i++)
            ok = (p[i] & 0xC0) == 0x80;
        if (ok && len > 1) {
            uint32_t cp = len == 2 ? (p[0] & 0x1Fu) : len == 3 ? (p[0] & 0x0Fu) : (p[0] & 0x07u);
            for (size_t i = 1; i < len; i++)
                cp = (cp << 6) | (p[i] & 0x3Fu);
            static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
            ok = cp >= min[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
        }
        if (ok) {
            memcpy(o, p, len);
            o += len;
            p += len;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            p++;
        }
    }
    *o = '\0';
    return out;
}

/* Adds a string member (cleaned to UTF-8), or null when `value` is NULL. */
static bool add_string(cJSON *obj, const char *key, const char *value) {
    if (!value)
        return cJSON_AddNullToObject(obj, key) != NULL;
    char *clean = utf8_clean(value);
    bool ok = clean && cJSON_AddStringToObject(obj, key, clean) != NULL;
    free(clean);
    return ok;
}

static bool add_time(cJSON *obj) {
    struct timespec ts;
    char stamp[64];
    if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
        return false;
    rf_utc_stamp(&ts, stamp, sizeof stamp);
    return add_string(obj, "time", stamp);
}

/* An integer member, printed as such: cJSON 1.7.15 prints every number with
 * sprintf("%1.15g") and reads it back with sscanf, which makes libc's
 * floating-point printing and scanning resident in every run. */
static bool add_integer(cJSON *obj, const char *key, long long value) {
    char text[24];
    snprintf(text, sizeof text, "%lld", value);
    return cJSON_AddRawToObject(obj, key, text) != NULL;
}

/* The user's name from the passwd database (not $USER, which the caller
 * controls), or null when uid has no entry: /etc/passwd read directly, NSS
 * for whatever that file does not settle (passwd_name.c says why). */
static bool add_user(cJSON *obj) {
    char buf[4096];
    const char *name = NULL;
    if (rf_passwd_file_name("/etc/passwd", (unsigned)getuid(), buf, sizeof buf) == 1) {
        name = buf;
    } else {
        struct passwd pw, *found = NULL;
        getpwuid_r(getuid(), &pw, buf, sizeof buf, &found);
        name = found ? found->pw_name : NULL;
    }
    return add_string(obj, "user", name) &&
           add_integer(obj, "uid", (long long)getuid()) && add_integer(obj, "pid", (long long)getpid());
}

/* The members every record starts with. */
static cJSON *new_record(const char *event) {
    cJSON *obj = cJSON_CreateObject();
    if (obj && add_string(obj, "event", event) && add_time(obj) && add_user(obj))
        return obj;
    cJSON_Delete(obj);
    return NULL;
}

/* Serializes `obj`, appends it, and frees it.  `ok` says whether building it
 * succeeded. */
static int write_record(const char *path, cJSON *obj, bool ok, const char *event, rf_error *err) {
    int rc;
    char *line = ok && obj ? cJSON_PrintUnformatted(obj) : NULL;
    if (!line)
        rc = rf_fail_errno(err, ENOMEM, "building the %s audit record", event);
    else
        rc = append_line(path, line, err);
    cJSON_free(line);
    cJSON_Delete(obj);
    return rc;
}

static bool add_argv(cJSON *obj, char *const *argv) {
    cJSON *array = cJSON_AddArrayToObject(obj, "argv");
    if (!array)
        return false;
    for (char *const *a = argv; a && *a; a++) {
        char *clean = utf8_clean(*a);
        cJSON *item = clean ? cJSON_CreateString(clean) : NULL;
        free(clean);
        if (!item)
            return false;
        cJSON_AddItemToArray(array, item);
    }
    return true;
}

/* The backend's declared gaps, one array item per line (absent with no table). */
static bool add_gaps(cJSON *obj, const rf_backend_status *status) {
    if (!status)
        return true;
    cJSON *array = cJSON_AddArrayToObject(obj, "gaps");
    if (!array)
        return false;
    const char *line = status->gaps;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char buf[sizeof status->gaps];
        snprintf(buf, sizeof buf, "%.*s", (int)len, line);
        cJSON *item = len ? cJSON_CreateString(buf) : NULL;
        if (len && !item)
            return false;
        if (item)
            cJSON_AddItemToArray(array, item);
        line += len + (nl ? 1 : 0);
    }
    return true;
}

static bool add_guarantees(cJSON *obj, const rf_backend_status *status) {
    if (!status)
        return cJSON_AddNullToObject(obj, "guarantees") != NULL;
    cJSON *table = cJSON_AddObjectToObject(obj, "guarantees");
    if (!table)
        return false;
    for (int g = 0; g < RF_G_COUNT; g++)
        if (!add_string(table, rf_guarantee_name((rf_guarantee)g), rf_level_name(status->level[g])))
            return false;
    return true;
}

int rf_audit_run_start(const char *path, const rf_audit_start *rec, rf_error *err) {
    cJSON *obj = new_record("run.start");
    bool ok = obj && add_string(obj, "run_id", rec->run_id) &&
              add_string(obj, "backend", rec->backend) && add_string(obj, "cwd", rec->cwd) &&
              add_argv(obj, rec->argv) && add_string(obj, "policy_sha256", rec->policy_sha256) &&
              add_guarantees(obj, rec->guarantees) && add_gaps(obj, rec->guarantees);
    return write_record(path, obj, ok, "run.start", err);
}

/* Milliseconds rounded to the microsecond (half away from zero), written as
 * a JSON number by integer formatting: round() would map libm, and cJSON's
 * own double printing (sprintf %1.15g, then sscanf to check it) pulls
 * libc's floating-point printing and scanning into every run's memory. */
static bool add_milliseconds(cJSON *obj, const char *key, double ms) {
    double us = ms * 1e3;
    if (!(us > -9e15 && us < 9e15)) /* NaN, infinite or beyond exact integers: null */
        return cJSON_AddNullToObject(obj, key) != NULL;
    long long whole = (long long)(us < 0 ? us - 0.5 : us + 0.5);
    unsigned long long mag = whole < 0 ? 0ull - (unsigned long long)whole : (unsigned long long)whole;
    char text[48];
    snprintf(text, sizeof text, "%s%llu.%03llu", whole < 0 ? "-" : "", mag / 1000, mag % 1000);
    return cJSON_AddRawToObject(obj, key, text) != NULL;
}

int rf_audit_run_end(const char *path, const rf_audit_end *rec, rf_error *err) {
    cJSON *obj = new_record("run.end");
    bool ok = obj && add_string(obj, "run_id", rec->run_id) &&
              add_integer(obj, "exit", rec->exit_code) &&
              (rec->status >= 0 ? add_integer(obj, "status", rec->status)
                                : cJSON_AddNullToObject(obj, "status") != NULL) &&
              add_integer(obj, "signal", rec->signal) &&
              /* Microsecond resolution: the clock's noise beyond it only adds digits. */
              add_milliseconds(obj, "duration_ms", rec->duration_ms) &&
              cJSON_AddBoolToObject(obj, "timed_out", rec->timed_out);
    return write_record(path, obj, ok, "run.end", err);
}

int rf_audit_policy_error(const char *path, const rf_error *policy_err, const char *policy_file,
                          rf_error *err) {
    cJSON *obj = new_record("policy.error");
    bool ok = obj && add_string(obj, "field", policy_err->field[0] ? policy_err->field : NULL) &&
              add_string(obj, "message", policy_err->message) &&
              add_string(obj, "policy_file", policy_file);
    return write_record(path, obj, ok, "policy.error", err);
}
