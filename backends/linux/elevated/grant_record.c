/* grant_record.c — reading and writing grants.json (see grant_record.h). */
#include "backends/linux/elevated/grant_record.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"

#define MAX_RECORD_BYTES (1024 * 1024)
/* A saved-ACL file holds at most ~3 KiB per file: room for ~100,000 files. */
#define MAX_SAVED_BYTES (256 * 1024 * 1024)

/* ---- the path ------------------------------------------------------------ */

int rf_grant_record_path(char **out, rf_error *err) {
    *out = NULL;
    char buf[PATH_MAX];
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    int n;
    /* The XDG spec says a relative value is invalid and must be ignored. */
    if (state && state[0] == '/') {
        n = snprintf(buf, sizeof buf, "%s/ringfence/grants.json", state);
    } else {
        if (!home || home[0] != '/') {
            struct passwd *pw = getpwuid(getuid());
            home = pw ? pw->pw_dir : NULL;
        }
        if (!home || home[0] != '/')
            return rf_fail(err, -ENOENT,
                           "finding the grants record: neither $XDG_STATE_HOME nor a home folder "
                           "is set");
        n = snprintf(buf, sizeof buf, "%s/.local/state/ringfence/grants.json", home);
    }
    if (n < 0 || (size_t)n >= sizeof buf)
        return rf_fail_errno(err, ENAMETOOLONG, "building the grants record path");
    *out = strdup(buf);
    return *out ? 0 : rf_fail_errno(err, ENOMEM, "building the grants record path");
}

/* ---- entries ------------------------------------------------------------- */

rf_grant_entry *rf_grant_record_find(rf_grant_record *rec, uint64_t dev, uint64_t ino,
                                     bool shared) {
    for (size_t i = 0; i < rec->n; i++)
        if (rec->entries[i].dev == dev && rec->entries[i].ino == ino &&
            rec->entries[i].shared == shared)
            return &rec->entries[i];
    return NULL;
}

rf_grant_entry *rf_grant_record_add(rf_grant_record *rec, const char *path, uint64_t dev,
                                    uint64_t ino, bool shared) {
    if (rec->n == rec->cap) {
        size_t cap = rec->cap ? rec->cap * 2 : 4;
        rf_grant_entry *grown = realloc(rec->entries, cap * sizeof *grown);
        if (!grown)
            return NULL;
        rec->entries = grown;
        rec->cap = cap;
    }
    char *copy = strdup(path);
    if (!copy)
        return NULL;
    rf_grant_entry *e = &rec->entries[rec->n++];
    memset(e, 0, sizeof *e);
    e->path = copy;
    e->dev = dev;
    e->ino = ino;
    e->shared = shared;
    e->granted_at = (int64_t)time(NULL);
    return e;
}

static void entry_free(rf_grant_entry *e) {
    free(e->path);
    rf_grant_plan_free(&e->plan);
    for (size_t i = 0; i < e->n_saved; i++) {
        free(e->saved[i].path);
        free(e->saved[i].before);
        free(e->saved[i].after);
    }
    free(e->saved);
}

void rf_grant_record_remove(rf_grant_record *rec, rf_grant_entry *entry) {
    size_t i = (size_t)(entry - rec->entries);
    if (i >= rec->n)
        return;
    entry_free(entry);
    memmove(&rec->entries[i], &rec->entries[i + 1], (rec->n - i - 1) * sizeof rec->entries[0]);
    rec->n--;
}

void rf_grant_record_free(rf_grant_record *rec) {
    for (size_t i = 0; i < rec->n; i++)
        entry_free(&rec->entries[i]);
    free(rec->entries);
    memset(rec, 0, sizeof *rec);
}

int rf_grant_entry_save_acl(rf_grant_entry *entry, const char *path, uint64_t dev, uint64_t ino,
                            bool is_default, const char *before, const char *after) {
    if (entry->n_saved == entry->cap_saved) {
        size_t cap = entry->cap_saved ? entry->cap_saved * 2 : 4;
        rf_grant_saved *grown = realloc(entry->saved, cap * sizeof *grown);
        if (!grown)
            return -ENOMEM;
        entry->saved = grown;
        entry->cap_saved = cap;
    }
    rf_grant_saved *s = &entry->saved[entry->n_saved];
    *s = (rf_grant_saved){strdup(path), dev, ino, is_default, strdup(before), strdup(after)};
    if (!s->path || !s->before || !s->after) {
        free(s->path);
        free(s->before);
        free(s->after);
        return -ENOMEM;
    }
    entry->n_saved++;
    entry->saved_dirty = true;
    entry->saved_sorted = false;
    return 0;
}

static int compare_saved(const void *a, const void *b) {
    const rf_grant_saved *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return (int)x->is_default - (int)y->is_default;
}

const rf_grant_saved *rf_grant_entry_find_saved(rf_grant_entry *entry, uint64_t dev, uint64_t ino,
                                                bool is_default) {
    if (entry->n_saved == 0)
        return NULL;
    /* An ungrant looks up every file of the tree: no linear scan. */
    if (!entry->saved_sorted) {
        qsort(entry->saved, entry->n_saved, sizeof entry->saved[0], compare_saved);
        entry->saved_sorted = true;
    }
    rf_grant_saved key = {.dev = dev, .ino = ino, .is_default = is_default};
    return bsearch(&key, entry->saved, entry->n_saved, sizeof entry->saved[0], compare_saved);
}

/* ---- JSON ---------------------------------------------------------------- */

/* 64-bit device and inode numbers do not fit a JSON double: decimal strings. */
static bool add_u64(cJSON *obj, const char *name, uint64_t v) {
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    return cJSON_AddStringToObject(obj, name, buf) != NULL;
}

static bool get_u64(const cJSON *obj, const char *name, uint64_t *out) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsString(item) || !item->valuestring[0] || item->valuestring[0] == '-')
        return false;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(item->valuestring, &end, 10);
    if (errno || *end != '\0')
        return false;
    *out = v;
    return true;
}

static const char *get_string(const cJSON *obj, const char *name) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

static bool get_uint(const cJSON *obj, const char *name, unsigned *out) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsNumber(item) || item->valuedouble < 0 || item->valuedouble > 4294967295.0)
        return false;
    *out = (unsigned)item->valuedouble;
    return true;
}

static cJSON *target_to_json(const rf_grant_target *t) {
    cJSON *obj = cJSON_CreateObject();
    if (obj && cJSON_AddStringToObject(obj, "path", t->path) &&
        cJSON_AddStringToObject(obj, "kind", rf_grant_kind_name(t->kind)) &&
        cJSON_AddBoolToObject(obj, "walk", t->walk))
        return obj;
    cJSON_Delete(obj);
    return NULL;
}

static cJSON *saved_to_json(const rf_grant_saved *s) {
    cJSON *obj = cJSON_CreateObject();
    if (obj && cJSON_AddStringToObject(obj, "path", s->path) && add_u64(obj, "dev", s->dev) &&
        add_u64(obj, "ino", s->ino) &&
        cJSON_AddStringToObject(obj, "type", s->is_default ? "default" : "access") &&
        cJSON_AddStringToObject(obj, "before", s->before) &&
        cJSON_AddStringToObject(obj, "after", s->after))
        return obj;
    cJSON_Delete(obj);
    return NULL;
}

static cJSON *entry_to_json(const rf_grant_entry *e) {
    cJSON *obj = cJSON_CreateObject();
    cJSON *targets = NULL;
    bool ok = obj && cJSON_AddStringToObject(obj, "path", e->path) &&
              cJSON_AddStringToObject(obj, "scope", e->shared ? "home" : "workspace") &&
              add_u64(obj, "dev", e->dev) && add_u64(obj, "ino", e->ino) &&
              cJSON_AddStringToObject(obj, "state", e->complete ? "complete" : "walking") &&
              cJSON_AddBoolToObject(obj, "walk_started", e->walk_started) &&
              cJSON_AddNumberToObject(obj, "granted_at", (double)e->granted_at) &&
              cJSON_AddNumberToObject(obj, "offline_uid", e->plan.sandbox_uids[0]) &&
              cJSON_AddNumberToObject(obj, "online_uid", e->plan.sandbox_uids[1]) &&
              cJSON_AddNumberToObject(obj, "real_uid", e->plan.real_uid) &&
              add_u64(obj, "changed", e->changed) && add_u64(obj, "visited", e->visited) &&
              add_u64(obj, "skipped_not_owned", e->skipped_not_owned) &&
              add_u64(obj, "saved", e->n_saved) &&
              (targets = cJSON_AddArrayToObject(obj, "targets"));
    for (size_t i = 0; ok && i < e->plan.n; i++) {
        cJSON *t = target_to_json(&e->plan.targets[i]);
        ok = t && cJSON_AddItemToArray(targets, t);
    }
    /* Absent when the file system did not give them (see rf_grant_entry_is_dir). */
    if (ok && e->id.has_btime)
        ok = cJSON_AddNumberToObject(obj, "btime_sec", (double)e->id.btime_sec) &&
             cJSON_AddNumberToObject(obj, "btime_nsec", e->id.btime_nsec);
    if (ok && e->id.has_generation)
        ok = cJSON_AddNumberToObject(obj, "generation", e->id.generation) != NULL;
    if (ok)
        return obj;
    cJSON_Delete(obj);
    return NULL;
}

/* The optional birth time and generation; malformed values are refused. */
static int identity_from_json(const cJSON *obj, rf_grant_identity *id) {
    const cJSON *sec = cJSON_GetObjectItemCaseSensitive(obj, "btime_sec");
    if (sec) {
        unsigned nsec;
        if (!cJSON_IsNumber(sec) || !get_uint(obj, "btime_nsec", &nsec) || nsec >= 1000000000u)
            return -EINVAL;
        id->has_btime = true;
        id->btime_sec = (int64_t)sec->valuedouble;
        id->btime_nsec = nsec;
    }
    if (cJSON_GetObjectItemCaseSensitive(obj, "generation")) {
        if (!get_uint(obj, "generation", &id->generation))
            return -EINVAL;
        id->has_generation = true;
    }
    return 0;
}

static int entry_from_json(const cJSON *obj, rf_grant_entry *e) {
    memset(e, 0, sizeof *e);
    const char *path = get_string(obj, "path"), *scope = get_string(obj, "scope"),
               *state = get_string(obj, "state");
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(obj, "granted_at");
    if (!path || path[0] != '/' || !scope || !state || !cJSON_IsNumber(at) ||
        !get_u64(obj, "dev", &e->dev) || !get_u64(obj, "ino", &e->ino) ||
        !get_uint(obj, "offline_uid", &e->plan.sandbox_uids[0]) ||
        !get_uint(obj, "online_uid", &e->plan.sandbox_uids[1]) ||
        !get_uint(obj, "real_uid", &e->plan.real_uid) || identity_from_json(obj, &e->id) < 0)
        return -EINVAL;
    get_u64(obj, "changed", &e->changed);
    get_u64(obj, "visited", &e->visited);
    get_u64(obj, "skipped_not_owned", &e->skipped_not_owned);
    e->shared = strcmp(scope, "home") == 0;
    e->complete = strcmp(state, "complete") == 0;
    e->walk_started = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, "walk_started"));
    e->granted_at = (int64_t)at->valuedouble;
    if (!(e->path = strdup(path)))
        return -ENOMEM;
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(obj, "targets")) {
        const char *tpath = get_string(item, "path"), *kind = get_string(item, "kind");
        const cJSON *walk = cJSON_GetObjectItemCaseSensitive(item, "walk");
        int k = kind ? rf_grant_kind_from_name(kind) : -1;
        if (!tpath || tpath[0] != '/' || k < 0 || !cJSON_IsBool(walk))
            return -EINVAL;
        if (e->plan.n == e->plan.cap) {
            size_t cap = e->plan.cap ? e->plan.cap * 2 : 8;
            rf_grant_target *grown = realloc(e->plan.targets, cap * sizeof *grown);
            if (!grown)
                return -ENOMEM;
            e->plan.targets = grown;
            e->plan.cap = cap;
        }
        char *copy = strdup(tpath);
        if (!copy)
            return -ENOMEM;
        e->plan.targets[e->plan.n++] =
            (rf_grant_target){copy, (rf_grant_kind)k, cJSON_IsTrue(walk), e->shared};
    }
    return 0;
}

static int saved_from_json(const cJSON *root, rf_grant_entry *e) {
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "format");
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "saved");
    if (!cJSON_IsNumber(format) || format->valueint != RF_GRANT_FORMAT || !cJSON_IsArray(list))
        return -EINVAL;
    const cJSON *item;
    cJSON_ArrayForEach(item, list) {
        const char *spath = get_string(item, "path"), *type = get_string(item, "type"),
                   *before = get_string(item, "before"), *after = get_string(item, "after");
        uint64_t dev, ino;
        rf_acl check;
        if (!spath || !type || !before || !after || !get_u64(item, "dev", &dev) ||
            !get_u64(item, "ino", &ino) || rf_acl_parse(before, &check) < 0 ||
            rf_acl_parse(after, &check) < 0 ||
            (strcmp(type, "default") != 0 && strcmp(type, "access") != 0))
            return -EINVAL;
        int rc = rf_grant_entry_save_acl(e, spath, dev, ino, strcmp(type, "default") == 0, before,
                                         after);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int read_text(const char *path, long long max, char **out, rf_error *err) {
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return errno == ENOENT ? -ENOENT
                               : rf_fail_errno(err, errno, "opening grants record %s", path);
    struct stat st;
    int rc = 0;
    char *buf = NULL;
    if (fstat(fd, &st) < 0)
        rc = rf_fail_errno(err, errno, "reading grants record %s", path);
    else if (!S_ISREG(st.st_mode) || st.st_size > max)
        rc = rf_fail(err, -EINVAL, "grants record %s is not a regular file of at most %lld bytes",
                     path, max);
    else if (!(buf = malloc((size_t)st.st_size + 1)))
        rc = rf_fail_errno(err, ENOMEM, "reading grants record %s", path);
    size_t len = 0;
    while (rc == 0 && len < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = rf_fail_errno(err, errno, "reading grants record %s", path);
        else if (n == 0)
            break;
        else
            len += (size_t)n;
    }
    close(fd);
    if (rc < 0) {
        free(buf);
        return rc;
    }
    buf[len] = '\0';
    *out = buf;
    return 0;
}

/* <record>.d/<scope>-<dev>-<ino>.json */
static void saved_path(const char *record, const rf_grant_entry *e, char *out, size_t size) {
    snprintf(out, size, "%s.d/%s-%" PRIu64 "-%" PRIu64 ".json", record,
             e->shared ? "home" : "workspace", e->dev, e->ino);
}

static int load_saved(const char *record, rf_grant_entry *e, rf_error *err) {
    char path[PATH_MAX + 64];
    saved_path(record, e, path, sizeof path);
    char *text = NULL;
    int rc = read_text(path, MAX_SAVED_BYTES, &text, err);
    if (rc == -ENOENT)
        return 0;
    if (rc < 0)
        return rc;
    cJSON *root = cJSON_Parse(text);
    free(text);
    rc = root ? saved_from_json(root, e) : -EINVAL;
    cJSON_Delete(root);
    e->saved_dirty = false;
    if (rc == -EINVAL)
        return rf_fail(err, -EINVAL, "saved ACLs %s of the grant of %s are malformed", path,
                       e->path);
    if (rc < 0)
        return rf_fail_errno(err, -rc, "loading saved ACLs %s", path);
    return 0;
}

int rf_grant_record_load(const char *path, bool with_saved, rf_grant_record *out, rf_error *err) {
    memset(out, 0, sizeof *out);
    char *text = NULL;
    int rc = read_text(path, MAX_RECORD_BYTES, &text, err);
    if (rc == -ENOENT)
        return 0;
    if (rc < 0)
        return rc;
    cJSON *root = cJSON_Parse(text);
    free(text);
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "format");
    const cJSON *grants = cJSON_GetObjectItemCaseSensitive(root, "grants");
    if (!root || !cJSON_IsNumber(format) || format->valueint != RF_GRANT_FORMAT ||
        !cJSON_IsArray(grants)) {
        cJSON_Delete(root);
        return rf_fail(err, -EINVAL,
                       "grants record %s is not valid JSON of format %d (move it away to start "
                       "over; `getfacl` shows what it granted)",
                       path, RF_GRANT_FORMAT);
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, grants) {
        rf_grant_entry *e = rf_grant_record_add(out, "/", 0, 0, false);
        if (!e) {
            rc = -ENOMEM;
            break;
        }
        free(e->path);
        if ((rc = entry_from_json(item, e)) < 0) {
            if (rc == -EINVAL)
                rc = rf_fail(err, -EINVAL, "grants record %s: entry %zu is malformed", path,
                             out->n - 1);
            break;
        }
    }
    cJSON_Delete(root);
    for (size_t i = 0; rc == 0 && with_saved && i < out->n; i++)
        rc = load_saved(path, &out->entries[i], err);
    if (rc < 0) {
        if (rc == -ENOMEM)
            rf_fail_errno(err, ENOMEM, "loading grants record %s", path);
        rf_grant_record_free(out);
    }
    return rc;
}

static int make_parent(const char *path, rf_error *err) {
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
            return rf_fail_errno(err, errno, "creating folder %s for the grants record", dir);
        *p = '/';
    }
    return 0;
}

static int write_all(int fd, const char *text, size_t len) {
    while (len) {
        ssize_t n = write(fd, text, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        text += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Writes `text` to `path` atomically: temporary file, fsync, rename. */
static int write_atomic(const char *path, char *text, rf_error *err) {
    if (!text)
        return rf_fail_errno(err, ENOMEM, "building %s", path);
    int rc = make_parent(path, err);
    char tmp[PATH_MAX + 80];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = -1;
    if (rc == 0) {
        unlink(tmp);
        /* O_EXCL|O_NOFOLLOW: a planted symlink at the temporary name must not
         * redirect the write. */
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            rc = rf_fail_errno(err, errno, "creating %s", tmp);
    }
    if (rc == 0 && (rc = write_all(fd, text, strlen(text))) < 0)
        rc = rf_fail_errno(err, -rc, "writing %s", tmp);
    if (rc == 0 && (write_all(fd, "\n", 1) < 0 || fsync(fd) < 0))
        rc = rf_fail_errno(err, errno, "writing %s", tmp);
    if (fd >= 0 && close(fd) < 0 && rc == 0)
        rc = rf_fail_errno(err, errno, "closing %s", tmp);
    if (rc == 0 && rename(tmp, path) < 0)
        rc = rf_fail_errno(err, errno, "renaming %s to %s", tmp, path);
    if (rc < 0 && fd >= 0)
        unlink(tmp);
    free(text);
    return rc;
}

static int save_saved(const char *record, const rf_grant_entry *e, rf_error *err) {
    char path[PATH_MAX + 64];
    saved_path(record, e, path, sizeof path);
    cJSON *root = cJSON_CreateObject();
    cJSON *list = NULL;
    bool ok = root && cJSON_AddNumberToObject(root, "format", RF_GRANT_FORMAT) &&
              cJSON_AddStringToObject(root, "grant", e->path) &&
              (list = cJSON_AddArrayToObject(root, "saved"));
    for (size_t i = 0; ok && i < e->n_saved; i++) {
        cJSON *item = saved_to_json(&e->saved[i]);
        ok = item && cJSON_AddItemToArray(list, item);
    }
    char *text = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    return write_atomic(path, text, err);
}

/* Saved-ACL files that no entry with saved ACLs names any more. */
static void remove_stale_saved(const char *record, const rf_grant_record *rec) {
    char dir_path[PATH_MAX + 8], want[PATH_MAX + 64], have[PATH_MAX + 300];
    snprintf(dir_path, sizeof dir_path, "%s.d", record);
    DIR *dir = opendir(dir_path);
    if (!dir)
        return;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(have, sizeof have, "%s/%s", dir_path, de->d_name);
        bool used = false;
        for (size_t i = 0; !used && i < rec->n; i++) {
            saved_path(record, &rec->entries[i], want, sizeof want);
            used = rec->entries[i].n_saved > 0 && strcmp(want, have) == 0;
        }
        if (!used)
            unlink(have);
    }
    closedir(dir);
}

int rf_grant_record_save(const char *path, const rf_grant_record *rec, rf_error *err) {
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < rec->n; i++)
        if (rec->entries[i].saved_dirty && rec->entries[i].n_saved > 0)
            rc = save_saved(path, &rec->entries[i], err);
    if (rc < 0)
        return rc;
    cJSON *root = cJSON_CreateObject();
    cJSON *grants = NULL;
    bool ok = root && cJSON_AddNumberToObject(root, "format", RF_GRANT_FORMAT) &&
              (grants = cJSON_AddArrayToObject(root, "grants"));
    for (size_t i = 0; ok && i < rec->n; i++) {
        cJSON *e = entry_to_json(&rec->entries[i]);
        ok = e && cJSON_AddItemToArray(grants, e);
    }
    char *text = ok ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    rc = write_atomic(path, text, err);
    if (rc == 0)
        remove_stale_saved(path, rec);
    return rc;
}

int rf_grant_record_lock(const char *path, rf_error *err) {
    char lock[PATH_MAX + 16];
    snprintf(lock, sizeof lock, "%s.lock", path);
    int rc = make_parent(path, err);
    if (rc < 0)
        return rc;
    int fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return rf_fail_errno(err, errno, "opening lock %s", lock);
    while (flock(fd, LOCK_EX) < 0) {
        if (errno != EINTR) {
            int e = errno;
            close(fd);
            return rf_fail_errno(err, e, "locking %s", lock);
        }
    }
    return fd;
}

/* ---- the root's identity ------------------------------------------------- */

int rf_grant_identity_read(const char *dir, rf_grant_identity *out, rf_error *err) {
    memset(out, 0, sizeof *out);
    struct statx sx;
    if (statx(AT_FDCWD, dir, 0, STATX_BASIC_STATS | STATX_BTIME, &sx) < 0)
        return rf_fail_errno(err, errno, "checking the grant of %s: statx", dir);
    out->dev = (uint64_t)makedev(sx.stx_dev_major, sx.stx_dev_minor);
    out->ino = sx.stx_ino;
    if (sx.stx_mask & STATX_BTIME) {
        out->has_btime = true;
        out->btime_sec = sx.stx_btime.tv_sec;
        out->btime_nsec = sx.stx_btime.tv_nsec;
    }
    if (!S_ISDIR(sx.stx_mode))
        return 0; /* the caller reports what is not a directory */
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 && errno == EACCES)
        return 0; /* not readable by us: the birth time (or the ACL) decides */
    if (fd < 0)
        return rf_fail_errno(err, errno, "checking the grant of %s: opening it", dir);
    int gen = 0; /* the kernel writes an int */
    /* Any failure (ENOTTY on tmpfs, others on FUSE or overlay file systems)
     * only means no generation: the birth time or the root's ACL decides. */
    if (ioctl(fd, FS_IOC_GETVERSION, &gen) == 0) {
        out->has_generation = true;
        out->generation = (uint32_t)gen;
    }
    close(fd);
    return 0;
}

void rf_grant_entry_set_identity(rf_grant_entry *e, const rf_grant_identity *id) {
    e->id = *id;
    e->id.dev = e->dev;
    e->id.ino = e->ino;
}

/* The system.posix_acl_access xattr: a 4-byte version 2, then 8-byte entries
 * {u16 tag, u16 perm, u32 id}, little-endian as the kernel stores them. */
#define XATTR_ACL_VERSION 2
#define XATTR_ACL_USER 0x02

static bool acl_user_rwx(const unsigned char *buf, ssize_t len, unsigned uid) {
    for (ssize_t off = 4; off + 8 <= len; off += 8) {
        uint16_t tag, perm;
        uint32_t id;
        memcpy(&tag, buf + off, 2);
        memcpy(&perm, buf + off + 2, 2);
        memcpy(&id, buf + off + 4, 4);
        if (tag == XATTR_ACL_USER && id == uid)
            return (perm & 7) == 7;
    }
    return false;
}

bool rf_grant_root_acl_grants(const char *dir, unsigned offline, unsigned online) {
    unsigned char buf[4096];
    ssize_t len = getxattr(dir, "system.posix_acl_access", buf, sizeof buf);
    uint32_t version = 0;
    if (len >= 4)
        memcpy(&version, buf, 4);
    return len >= 4 && version == XATTR_ACL_VERSION && acl_user_rwx(buf, len, offline) &&
           acl_user_rwx(buf, len, online);
}

bool rf_grant_entry_is_dir(const rf_grant_entry *e, const char *dir, const rf_grant_identity *id) {
    if (e->dev != id->dev || e->ino != id->ino)
        return false;
    bool decided = false;
    /* A deleted workspace's inode number reused by a new directory would
     * otherwise count as granted (the runner would then refuse every run
     * there, as its ACL holds no grant): birth time and generation differ. */
    if (e->id.has_btime && id->has_btime) {
        if (e->id.btime_sec != id->btime_sec || e->id.btime_nsec != id->btime_nsec)
            return false;
        decided = true;
    }
    if (e->id.has_generation && id->has_generation) {
        if (e->id.generation != id->generation)
            return false;
        decided = true;
    }
    if (decided)
        return true;
    /* Nothing to tell them apart by: the grant must be on the root itself. */
    return rf_grant_root_acl_grants(dir, e->plan.sandbox_uids[0], e->plan.sandbox_uids[1]);
}

/* ---- lookup -------------------------------------------------------------- */

int rf_grant_lookup(const char *workspace_path, bool *granted, rf_error *err) {
    *granted = false;
    rf_grant_identity id;
    int rc = rf_grant_identity_read(workspace_path, &id, err);
    if (rc < 0)
        return rc;
    char *path = NULL;
    if ((rc = rf_grant_record_path(&path, err)) < 0)
        return rc;
    rf_grant_record rec;
    rc = rf_grant_record_load(path, false, &rec, err);
    free(path);
    if (rc < 0)
        return rc;
    const rf_grant_entry *e = rf_grant_record_find(&rec, id.dev, id.ino, false);
    *granted = e && rf_grant_entry_is_dir(e, workspace_path, &id);
    rf_grant_record_free(&rec);
    return 0;
}
