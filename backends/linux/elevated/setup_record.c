/* setup_record.c — reading and writing /etc/ringfence/setup.json (see setup_record.h). */
#include "backends/linux/elevated/setup_record.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

#define MAX_RECORD_BYTES (64 * 1024)

/* ---- reading ---------------------------------------------------------- */

/* A record writable by anyone but root could name users and a runner of the
 * writer's choosing; the runner must not trust it. */
static int check_root_owned(int fd, const char *what, const char *path, rf_error *err) {
    struct stat st;
    if (fstat(fd, &st) < 0)
        return rf_fail_errno(err, errno, "checking the owner of %s %s", what, path);
    if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
        return rf_fail(err, -EPERM,
                       "refusing setup record %s: its %s is not owned by root or is writable by "
                       "others (owner uid %u, mode %03o)",
                       path, what, (unsigned)st.st_uid, (unsigned)(st.st_mode & 0777));
    return 0;
}

static int check_parent_root_owned(const char *path, rf_error *err) {
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        return rf_fail(err, -EINVAL, "setup record path %s is not absolute", path);
    if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return rf_fail_errno(err, errno, "opening the folder %s of the setup record", dir);
    int rc = check_root_owned(fd, "folder", dir, err);
    close(fd);
    return rc;
}

static int read_text(const char *path, bool require_root_owned, char **out, rf_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        int e = errno;
        return rf_fail_errno(err, e, "opening setup record %s", path);
    }
    int rc = require_root_owned ? check_root_owned(fd, "file", path, err) : 0;
    char *buf = NULL;
    if (rc == 0 && !(buf = malloc(MAX_RECORD_BYTES + 1)))
        rc = rf_fail_errno(err, ENOMEM, "reading setup record %s", path);
    size_t len = 0;
    while (rc == 0) {
        ssize_t n = read(fd, buf + len, MAX_RECORD_BYTES + 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = rf_fail_errno(err, errno, "reading setup record %s", path);
        else if (n == 0)
            break;
        else if ((len += (size_t)n) > MAX_RECORD_BYTES)
            rc = rf_fail(err, -EFBIG, "setup record %s is larger than %d bytes", path,
                         MAX_RECORD_BYTES);
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

static bool is_name(const char *s) {
    if (!*s || strlen(s) >= 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return false;
    return true;
}

static bool is_hex64(const char *s) {
    if (strlen(s) != 64)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

static bool is_abs_path(const char *s) {
    return s[0] == '/' && strlen(s) < 256 && !strstr(s, "/../") && !strstr(s, "/./");
}

static int bad_field(const char *path, const char *field, const char *why, rf_error *err) {
    return rf_fail(err, -EINVAL, "setup record %s: field \"%s\" %s (re-run `sudo ringfence setup` "
                   "to repair it)", path, field, why);
}

static int get_string(const cJSON *obj, const char *key, const char *field, char *out, size_t len,
                      const char *path, rf_error *err) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(v))
        return bad_field(path, field, "is missing or not a string", err);
    if (strlen(v->valuestring) >= len)
        return bad_field(path, field, "is too long", err);
    memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
    return 0;
}

static int get_uint(const cJSON *obj, const char *key, const char *field, unsigned min,
                    unsigned max, unsigned *out, const char *path, rf_error *err) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsNumber(v) || v->valuedouble < min || v->valuedouble > max ||
        v->valuedouble != (double)(unsigned)v->valuedouble)
        return bad_field(path, field, "is missing or not a whole number in range", err);
    *out = (unsigned)v->valuedouble;
    return 0;
}

/* In an incomplete record (`partial`), ids not yet known are 0 and digests
 * not yet computed are "". */
static int get_principal(const cJSON *root, const char *key, bool is_user, bool partial,
                         rf_setup_principal *p, const char *path, rf_error *err) {
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, key);
    char field[64];
    if (!cJSON_IsObject(obj))
        return bad_field(path, key, "is missing or not an object", err);
    snprintf(field, sizeof field, "%s.name", key);
    int rc = get_string(obj, "name", field, p->name, sizeof p->name, path, err);
    if (rc == 0 && !is_name(p->name))
        rc = bad_field(path, field, "is not a valid user or group name", err);
    snprintf(field, sizeof field, "%s.id", key);
    if (rc == 0)
        rc = get_uint(obj, "id", field, partial ? 0 : 1, 0x7fffffffu, &p->id, path, err);
    p->home[0] = '\0';
    if (rc == 0 && is_user) {
        snprintf(field, sizeof field, "%s.home", key);
        rc = get_string(obj, "home", field, p->home, sizeof p->home, path, err);
        if (rc == 0 && !is_abs_path(p->home))
            rc = bad_field(path, field, "is not an absolute path", err);
    }
    return rc;
}

static int get_path(const cJSON *obj, const char *key, const char *field, char *out, size_t len,
                    const char *path, rf_error *err) {
    int rc = get_string(obj, key, field, out, len, path, err);
    if (rc == 0 && !is_abs_path(out))
        rc = bad_field(path, field, "is not an absolute path", err);
    return rc;
}

static int get_digest(const cJSON *obj, const char *key, const char *field, bool partial,
                      char *out, const char *path, rf_error *err) {
    int rc = get_string(obj, key, field, out, 65, path, err);
    if (rc == 0 && !(partial && out[0] == '\0') && !is_hex64(out))
        rc = bad_field(path, field, "is not a SHA-256 digest in lower-case hex", err);
    return rc;
}

static int get_firewall(const cJSON *root, bool partial, rf_setup_record *rec, const char *path,
                        rf_error *err) {
    const cJSON *fw = cJSON_GetObjectItemCaseSensitive(root, "firewall");
    if (!cJSON_IsObject(fw))
        return bad_field(path, "firewall", "is missing or not an object", err);
    int rc = get_string(fw, "table", "firewall.table", rec->table, sizeof rec->table, path, err);
    if (rc == 0 && !is_name(rec->table))
        rc = bad_field(path, "firewall.table", "is not a valid table name", err);
    if (rc == 0)
        rc = get_digest(fw, "sha256", "firewall.sha256", partial, rec->table_sha256, path, err);
    if (rc == 0)
        rc = get_path(fw, "restore_unit", "firewall.restore_unit", rec->restore_unit,
                      sizeof rec->restore_unit, path, err);
    const cJSON *ports = cJSON_GetObjectItemCaseSensitive(fw, "proxy_ports");
    if (rc == 0 && !cJSON_IsArray(ports))
        rc = bad_field(path, "firewall.proxy_ports", "is missing or not an array", err);
    if (rc == 0 && cJSON_GetArraySize(ports) > RF_SETUP_MAX_PROXY_PORTS)
        rc = bad_field(path, "firewall.proxy_ports", "lists too many ports", err);
    rec->n_proxy_ports = 0;
    const cJSON *port;
    cJSON_ArrayForEach(port, ports) {
        if (rc < 0)
            break;
        if (!cJSON_IsNumber(port) || port->valuedouble < 1 || port->valuedouble > 65535 ||
            port->valuedouble != (double)(unsigned)port->valuedouble)
            rc = bad_field(path, "firewall.proxy_ports", "holds a value that is not a port", err);
        else
            rec->proxy_ports[rec->n_proxy_ports++] = (unsigned)port->valuedouble;
    }
    return rc;
}

static int parse_record(const char *text, const char *path, bool accept_incomplete,
                        rf_setup_record *rec, rf_error *err) {
    cJSON *root = cJSON_Parse(text);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return rf_fail(err, -EINVAL, "setup record %s is not a JSON object (re-run `sudo "
                       "ringfence setup` to repair it)", path);
    }
    memset(rec, 0, sizeof *rec);
    unsigned format = 0;
    int rc = get_uint(root, "format", "format", 1, 1000, &format, path, err);
    if (rc == 0 && format != RF_SETUP_FORMAT)
        rc = rf_fail(err, -EINVAL, "setup record %s has format %u; this ringfence reads format %d "
                     "(re-run `sudo ringfence setup`)", path, format, RF_SETUP_FORMAT);
    rec->format = (int)format;
    /* A record without "complete" predates the field and was written whole. */
    const cJSON *complete = cJSON_GetObjectItemCaseSensitive(root, "complete");
    if (rc == 0 && complete && !cJSON_IsBool(complete))
        rc = bad_field(path, "complete", "is not true or false", err);
    rec->incomplete = rc == 0 && cJSON_IsFalse(complete);
    bool partial = rec->incomplete;
    if (rc == 0 && partial && !accept_incomplete)
        rc = rf_fail(err, -EAGAIN, "setup record %s records an unfinished setup (interrupted?): "
                     "re-run `sudo ringfence setup`", path);
    if (rc == 0)
        rc = get_string(root, "version", "version", rec->version, sizeof rec->version, path, err);
    if (rc == 0)
        rc = get_principal(root, "group", false, partial, &rec->group, path, err);
    if (rc == 0)
        rc = get_principal(root, "offline", true, partial, &rec->offline, path, err);
    if (rc == 0)
        rc = get_principal(root, "online", true, partial, &rec->online, path, err);
    if (rc == 0 && rec->offline.id == rec->online.id && rec->offline.id != 0)
        rc = bad_field(path, "online.id", "equals offline.id", err);
    if (rc == 0)
        rc = get_firewall(root, partial, rec, path, err);
    const cJSON *runner = cJSON_GetObjectItemCaseSensitive(root, "runner");
    if (rc == 0 && !cJSON_IsObject(runner))
        rc = bad_field(path, "runner", "is missing or not an object", err);
    if (rc == 0)
        rc = get_path(runner, "path", "runner.path", rec->runner_path, sizeof rec->runner_path,
                      path, err);
    if (rc == 0)
        rc = get_digest(runner, "sha256", "runner.sha256", partial, rec->runner_sha256, path, err);
    cJSON_Delete(root);
    return rc;
}

int rf_setup_record_load(const char *path, bool require_root_owned, rf_setup_record *out,
                         rf_error *err) {
    char *text = NULL;
    int rc = require_root_owned ? check_parent_root_owned(path, err) : 0;
    if (rc == 0)
        rc = read_text(path, require_root_owned, &text, err);
    if (rc == 0)
        rc = parse_record(text, path, false, out, err);
    free(text);
    return rc;
}

int rf_setup_record_load_progress(const char *path, rf_setup_record *out, rf_error *err) {
    char *text = NULL;
    int rc = check_parent_root_owned(path, err);
    if (rc == 0)
        rc = read_text(path, true, &text, err);
    if (rc == 0)
        rc = parse_record(text, path, true, out, err);
    free(text);
    return rc;
}

/* ---- writing ---------------------------------------------------------- */

static cJSON *principal_json(const rf_setup_principal *p, bool is_user) {
    cJSON *obj = cJSON_CreateObject();
    if (!obj || !cJSON_AddStringToObject(obj, "name", p->name) ||
        !cJSON_AddNumberToObject(obj, "id", p->id) ||
        (is_user && !cJSON_AddStringToObject(obj, "home", p->home))) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

static cJSON *record_json(const rf_setup_record *rec) {
    cJSON *root = cJSON_CreateObject();
    cJSON *fw = cJSON_CreateObject(), *runner = cJSON_CreateObject();
    cJSON *ports = cJSON_CreateArray();
    bool ok = root && fw && runner && ports;
    for (size_t i = 0; ok && i < rec->n_proxy_ports; i++) {
        cJSON *n = cJSON_CreateNumber(rec->proxy_ports[i]);
        ok = n && cJSON_AddItemToArray(ports, n);
    }
    ok = ok && cJSON_AddStringToObject(fw, "table", rec->table) &&
         cJSON_AddStringToObject(fw, "sha256", rec->table_sha256) &&
         cJSON_AddStringToObject(fw, "restore_unit", rec->restore_unit) &&
         cJSON_AddItemToObject(fw, "proxy_ports", ports);
    if (!ok) {
        cJSON_Delete(ports);
        ports = NULL;
    }
    ok = ok && cJSON_AddStringToObject(runner, "path", rec->runner_path) &&
         cJSON_AddStringToObject(runner, "sha256", rec->runner_sha256) &&
         cJSON_AddNumberToObject(root, "format", RF_SETUP_FORMAT) &&
         cJSON_AddBoolToObject(root, "complete", !rec->incomplete) &&
         cJSON_AddStringToObject(root, "version", rec->version);
    const struct { const char *key; const rf_setup_principal *p; bool user; } who[] = {
        {"group", &rec->group, false},
        {"offline", &rec->offline, true},
        {"online", &rec->online, true},
    };
    for (size_t i = 0; ok && i < sizeof who / sizeof who[0]; i++) {
        cJSON *p = principal_json(who[i].p, who[i].user);
        ok = p && cJSON_AddItemToObject(root, who[i].key, p);
        if (!ok)
            cJSON_Delete(p);
    }
    if (ok && cJSON_AddItemToObject(root, "firewall", fw))
        fw = NULL;
    else
        ok = false;
    if (ok && cJSON_AddItemToObject(root, "runner", runner))
        runner = NULL;
    else
        ok = false;
    cJSON_Delete(fw);
    cJSON_Delete(runner);
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

static int write_all(int fd, const char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

int rf_setup_record_save(const char *path, const rf_setup_record *rec, rf_error *err) {
    cJSON *root = record_json(rec);
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return rf_fail_errno(err, ENOMEM, "building setup record %s", path);
    char tmp[PATH_MAX];
    int rc = 0;
    /* A fixed name: one writer at a time (ringfence-setup locks the folder),
     * and a file left by a writer killed mid-way is replaced, not piled up. */
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
        rc = rf_fail(err, -ENAMETOOLONG, "setup record path %s is too long", path);
    if (rc == 0 && unlink(tmp) < 0 && errno != ENOENT)
        rc = rf_fail_errno(err, errno, "removing the stale %s", tmp);
    int fd = rc == 0 ? open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644) : -1;
    if (rc == 0 && fd < 0)
        rc = rf_fail_errno(err, errno, "creating %s", tmp);
    if (rc == 0 && fchmod(fd, 0644) < 0) /* the umask must not narrow it: the CLI reads it */
        rc = rf_fail_errno(err, errno, "setting mode 0644 on %s", tmp);
    int wrc = rc == 0 ? write_all(fd, text, strlen(text)) : 0;
    if (rc == 0 && wrc == 0)
        wrc = write_all(fd, "\n", 1);
    if (rc == 0 && wrc < 0)
        rc = rf_fail_errno(err, -wrc, "writing %s", tmp);
    if (rc == 0 && fsync(fd) < 0)
        rc = rf_fail_errno(err, errno, "flushing %s", tmp);
    if (fd >= 0 && close(fd) < 0 && rc == 0)
        rc = rf_fail_errno(err, errno, "closing %s", tmp);
    if (rc == 0 && rename(tmp, path) < 0)
        rc = rf_fail_errno(err, errno, "renaming %s to %s", tmp, path);
    if (rc < 0 && fd >= 0)
        unlink(tmp);
    free(text);
    return rc;
}
