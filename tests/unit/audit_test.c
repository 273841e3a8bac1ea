/* audit_test.c — the audit log: default path, refused locations, records as
 * JSON, file and folder modes, refused pre-existing files, SHA-256 vectors and
 * 50 concurrent writers. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/policy.h"
#include "tests/check.h"

static char base[PATH_MAX]; /* resolved temp folder of this test */

static char *pathf(const char *fmt, const char *a) {
    static char bufs[8][2 * PATH_MAX];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof bufs[0], fmt, base, a ? a : "");
    return b;
}

static void set_env(const char *name, const char *value) {
    if (value)
        setenv(name, value, 1);
    else
        unsetenv(name);
}

static void test_default_path(void) {
    struct passwd *pw = getpwuid(getuid());
    char passwd_log[PATH_MAX] = "";
    if (pw)
        snprintf(passwd_log, sizeof passwd_log, "%s/.local/state/ringfence/audit.jsonl",
                 pw->pw_dir);
    static const struct {
        const char *xdg, *home;
        const char *want; /* NULL: the passwd home's default */
        const char *reason;
    } cases[] = {
        {"/x/state", "/home/u", "/x/state/ringfence/audit.jsonl", "XDG_STATE_HOME wins"},
        {"/x/state/", "/home/u", "/x/state/ringfence/audit.jsonl", "no double slash"},
        {NULL, "/home/u", "/home/u/.local/state/ringfence/audit.jsonl", "XDG unset: HOME"},
        {"rel/state", "/home/u", "/home/u/.local/state/ringfence/audit.jsonl",
         "a relative XDG_STATE_HOME is ignored (XDG spec)"},
        {"", "/home/u", "/home/u/.local/state/ringfence/audit.jsonl", "empty XDG is ignored"},
        {NULL, NULL, NULL, "no HOME: the passwd entry"},
        {NULL, "relative/home", NULL, "a relative HOME: the passwd entry"},
    };
    char *saved_xdg = getenv("XDG_STATE_HOME") ? strdup(getenv("XDG_STATE_HOME")) : NULL;
    char *saved_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        set_env("XDG_STATE_HOME", cases[i].xdg);
        set_env("HOME", cases[i].home);
        char *got = NULL;
        rf_error err = {0};
        int rc = rf_audit_default_path(&got, &err);
        CHECK(rc == 0, "%s: %s", cases[i].reason, err.message);
        CHECK_STR_EQ(got, cases[i].want ? cases[i].want : passwd_log, "%s", cases[i].reason);
        free(got);
    }
    set_env("XDG_STATE_HOME", saved_xdg);
    set_env("HOME", saved_home);
    free(saved_xdg);
    free(saved_home);
}

static void test_location(void) {
    rf_policy policy = {0};
    CHECK(rf_list_add(&policy.writable_roots, pathf("%s/ws", NULL), RF_SRC_USER) == 0, "root");
    CHECK(rf_list_add(&policy.writable_roots, pathf("%s/extra", NULL), RF_SRC_FLAG) == 0, "root");
    static const struct {
        const char *fmt; /* %s is the temp folder */
        int want;        /* 0, or the refusal code */
        const char *reason;
    } cases[] = {
        {"%s/outside/audit.jsonl", 0, "outside every root"},
        {"%s/outside/new/deeper/audit.jsonl", 0, "missing folders outside are fine"},
        {"%s/wsx/audit.jsonl", 0, "a sibling sharing the root's prefix is outside"},
        {"%s/ws/audit.jsonl", -EPERM, "directly in the workspace"},
        {"%s/ws/.ringfence/state/audit.jsonl", -EPERM, "missing folders inside the workspace"},
        {"%s/extra/audit.jsonl", -EPERM, "in the second writable root"},
        {"%s/link-to-ws/audit.jsonl", -EPERM, "a symlink to the workspace does not hide it"},
        {"%s/link-to-ws/new/audit.jsonl", -EPERM, "a symlink above missing folders"},
        {"%s/outside/../ws/audit.jsonl", -EPERM, "'..' through existing folders is resolved"},
        {"%s/outside/missing/../../ws/audit.jsonl", -EINVAL, "'..' below a missing folder"},
        {"%s/ws/link-out/audit.jsonl", -EPERM,
         "a symlink inside the workspace that leads out could be re-pointed by the command"},
        {"%s/hop/audit.jsonl", -EPERM, "a chain of links that passes through the workspace"},
        {"%s/link-to-outside/audit.jsonl", 0, "a symlink outside every root to outside is fine"},
        {"%s/outside/file/audit.jsonl", -ENOTDIR, "a file in the middle of the path"},
        {"%s/loop/audit.jsonl", -ELOOP, "a symlink loop"},
        {"%s/ws", -EPERM, "the root itself as a file name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = pathf(cases[i].fmt, NULL);
        rf_error err = {0};
        int rc = rf_audit_check_location(path, &policy, &err);
        CHECK(rc == cases[i].want, "%s: %s -> %d (%s)", cases[i].reason, path, rc, err.message);
        if (cases[i].want == -EPERM)
            CHECK(strstr(err.message, "writable root") && strstr(err.message, base),
                  "%s: the message names the root: %s", cases[i].reason, err.message);
    }
    /* A relative path is taken from the current directory. */
    char cwd[PATH_MAX];
    CHECK(getcwd(cwd, sizeof cwd) != NULL, "getcwd");
    CHECK(chdir(pathf("%s/ws", NULL)) == 0, "chdir ws");
    rf_error err = {0};
    CHECK(rf_audit_check_location("audit.jsonl", &policy, &err) == -EPERM,
          "a relative log name inside the workspace is refused");
    CHECK(chdir(pathf("%s/outside", NULL)) == 0, "chdir outside");
    CHECK(rf_audit_check_location("audit.jsonl", &policy, &err) == 0,
          "a relative log name outside is accepted: %s", err.message);
    CHECK(chdir(cwd) == 0, "chdir back");
    rf_list_free(&policy.writable_roots);
}

static cJSON *parse_line(const char *line) { return cJSON_Parse(line); }

/* Reads every line of `path` (malloc'd array of malloc'd strings). */
static size_t read_lines(const char *path, char ***out) {
    *out = NULL;
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t len = 0;
    while (getline(&line, &len, f) > 0) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = realloc(*out, cap * sizeof **out);
        }
        line[strcspn(line, "\n")] = '\0';
        (*out)[n++] = strdup(line);
    }
    free(line);
    fclose(f);
    return n;
}

static void free_lines(char **lines, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

static const char *str_of(const cJSON *obj, const char *key) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

static bool is_iso_time(const char *s) {
    /* 2026-11-25T22:43:05.123Z */
    struct tm tm = {0};
    const char *rest = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    return rest && strlen(s) == 24 && rest[0] == '.' && rest[1] >= '0' && rest[1] <= '9' &&
           rest[2] >= '0' && rest[2] <= '9' && rest[3] >= '0' && rest[3] <= '9' && rest[4] == 'Z';
}

static void check_common(const cJSON *obj, const char *event) {
    CHECK_STR_EQ(str_of(obj, "event"), event, "event name");
    CHECK(is_iso_time(str_of(obj, "time")), "%s: time '%s' is ISO-8601 UTC with ms", event,
          str_of(obj, "time") ? str_of(obj, "time") : "(null)");
    struct passwd *pw = getpwuid(getuid());
    CHECK_STR_EQ(str_of(obj, "user"), pw ? pw->pw_name : NULL, "%s: user name", event);
    const cJSON *uid = cJSON_GetObjectItemCaseSensitive(obj, "uid");
    const cJSON *pid = cJSON_GetObjectItemCaseSensitive(obj, "pid");
    CHECK(cJSON_IsNumber(uid) && uid->valuedouble == (double)getuid(), "%s: uid", event);
    CHECK(cJSON_IsNumber(pid) && pid->valuedouble == (double)getpid(), "%s: pid", event);
}

static void test_records(void) {
    const char *log = pathf("%s/state/ringfence/audit.jsonl", NULL);
    char *argv[] = {"git", "commit", "-m", "line one\nline two \"quoted\"", "bad\xff\xfe", NULL};
    rf_backend_status status = {.name = "test"};
    status.level[RF_G_WRITES] = RF_ENFORCED;
    status.level[RF_G_NETWORK] = RF_ADVISORY;
    status.level[RF_G_PROCESS_TREE] = RF_ABSENT;
    snprintf(status.gaps, sizeof status.gaps, "writes.metadata: not covered\nnetwork.udp: neither\n");
    rf_audit_start start = {
        .run_id = "0123abcd",
        .backend = "unelevated",
        .argv = argv,
        .cwd = "/work/repo",
        .policy_sha256 = "ba7816bf",
        .guarantees = &status,
    };
    rf_audit_end ends[] = {
        {.run_id = "0123abcd", .exit_code = 3, .status = 3, .signal = 0, .duration_ms = 12.5},
        {.run_id = "feed",
         .exit_code = 137,
         .status = -1,
         .signal = 9,
         .duration_ms = 1234.56789,
         .timed_out = true},
    };
    /* duration_ms is written rounded to the microsecond. */
    const double want_ms[] = {12.5, 1234.568};
    rf_error perr = {
        .code = RF_EPOLICY, .field = "network", .message = "policy field 'network': bad"};
    rf_error err = {0};
    CHECK(rf_audit_run_start(log, &start, &err) == 0, "run.start: %s", err.message);
    for (size_t i = 0; i < 2; i++)
        CHECK(rf_audit_run_end(log, &ends[i], &err) == 0, "run.end: %s", err.message);
    CHECK(rf_audit_policy_error(log, &perr, "/etc/p.json", &err) == 0, "policy.error: %s",
          err.message);
    rf_error no_field = {.code = -ENOENT, .message = "reading x"};
    CHECK(rf_audit_policy_error(log, &no_field, NULL, &err) == 0, "policy.error: %s", err.message);

    struct stat st;
    CHECK(stat(log, &st) == 0 && (st.st_mode & 07777) == 0600, "log mode %04o, want 0600",
          (unsigned)(st.st_mode & 07777));
    CHECK(stat(pathf("%s/state/ringfence", NULL), &st) == 0 && (st.st_mode & 07777) == 0700,
          "created folder mode %04o, want 0700", (unsigned)(st.st_mode & 07777));

    char **lines;
    size_t n = read_lines(log, &lines);
    CHECK(n == 5, "5 records, got %zu", n);
    cJSON *obj[5] = {0};
    for (size_t i = 0; i < n && i < 5; i++) {
        obj[i] = parse_line(lines[i]);
        CHECK(obj[i] != NULL, "line %zu parses as JSON: %s", i, lines[i]);
    }
    if (obj[0]) {
        check_common(obj[0], "run.start");
        CHECK_STR_EQ(str_of(obj[0], "run_id"), "0123abcd", "run_id");
        CHECK_STR_EQ(str_of(obj[0], "backend"), "unelevated", "backend");
        CHECK_STR_EQ(str_of(obj[0], "cwd"), "/work/repo", "cwd");
        CHECK_STR_EQ(str_of(obj[0], "policy_sha256"), "ba7816bf", "policy digest");
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj[0], "argv");
        CHECK(cJSON_IsArray(a) && cJSON_GetArraySize(a) == 5, "argv has 5 items");
        for (int i = 0; i < 4 && cJSON_IsArray(a); i++)
            CHECK_STR_EQ(cJSON_GetArrayItem(a, i)->valuestring, argv[i], "argv[%d] kept", i);
        if (cJSON_IsArray(a) && cJSON_GetArraySize(a) == 5)
            CHECK_STR_EQ(cJSON_GetArrayItem(a, 4)->valuestring, "bad\xEF\xBF\xBD\xEF\xBF\xBD",
                         "invalid UTF-8 becomes U+FFFD");
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(obj[0], "guarantees");
        for (int i = 0; i < RF_G_COUNT; i++)
            CHECK_STR_EQ(str_of(g, rf_guarantee_name(i)), rf_level_name(status.level[i]),
                         "guarantee %s", rf_guarantee_name(i));
        const cJSON *gaps = cJSON_GetObjectItemCaseSensitive(obj[0], "gaps");
        CHECK(cJSON_IsArray(gaps) && cJSON_GetArraySize(gaps) == 2, "gaps: one item per line");
        if (cJSON_IsArray(gaps) && cJSON_GetArraySize(gaps) == 2) {
            CHECK_STR_EQ(cJSON_GetArrayItem(gaps, 0)->valuestring, "writes.metadata: not covered", "gap 0");
            CHECK_STR_EQ(cJSON_GetArrayItem(gaps, 1)->valuestring, "network.udp: neither", "gap 1");
        }
    }
    for (size_t i = 0; i < 2; i++) {
        const cJSON *o = obj[1 + i];
        if (!o)
            continue;
        check_common(o, "run.end");
        CHECK_STR_EQ(str_of(o, "run_id"), ends[i].run_id, "end run_id");
        const cJSON *exit_ = cJSON_GetObjectItemCaseSensitive(o, "exit");
        const cJSON *status_ = cJSON_GetObjectItemCaseSensitive(o, "status");
        const cJSON *signal_ = cJSON_GetObjectItemCaseSensitive(o, "signal");
        const cJSON *dur = cJSON_GetObjectItemCaseSensitive(o, "duration_ms");
        const cJSON *to = cJSON_GetObjectItemCaseSensitive(o, "timed_out");
        CHECK(cJSON_IsNumber(exit_) && exit_->valueint == ends[i].exit_code, "exit");
        CHECK(ends[i].status < 0 ? cJSON_IsNull(status_)
                                 : cJSON_IsNumber(status_) && status_->valueint == ends[i].status,
              "status (null when none)");
        CHECK(cJSON_IsNumber(signal_) && signal_->valueint == ends[i].signal, "signal");
        CHECK(cJSON_IsNumber(dur) && dur->valuedouble == want_ms[i], "duration_ms %.6f, want %.3f",
              cJSON_IsNumber(dur) ? dur->valuedouble : -1.0, want_ms[i]);
        CHECK(cJSON_IsBool(to) && cJSON_IsTrue(to) == ends[i].timed_out, "timed_out");
    }
    if (obj[3]) {
        check_common(obj[3], "policy.error");
        CHECK_STR_EQ(str_of(obj[3], "field"), "network", "field");
        CHECK_STR_EQ(str_of(obj[3], "message"), perr.message, "message");
        CHECK_STR_EQ(str_of(obj[3], "policy_file"), "/etc/p.json", "policy_file");
    }
    if (obj[4]) {
        CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(obj[4], "field")), "no field: null");
        CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(obj[4], "policy_file")),
              "no policy file: null");
    }
    for (size_t i = 0; i < 5; i++)
        cJSON_Delete(obj[i]);
    free_lines(lines, n);
}

/* argv bytes that are not UTF-8 become U+FFFD, valid text is kept as is. */
static void test_utf8(void) {
    static const struct {
        const char *in, *want, *reason;
    } cases[] = {
        {"plain", "plain", "ASCII"},
        {"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
         "2-, 3- and 4-byte sequences"},
        {"a\xFF"
         "b",
         "a\xEF\xBF\xBD"
         "b",
         "a byte that never starts a sequence"},
        {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD", "an overlong '/'"},
        {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", "a UTF-16 surrogate"},
        {"\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", "beyond U+10FFFF"},
        {"x\xE2\x82", "x\xEF\xBF\xBD\xEF\xBF\xBD", "a sequence cut short by the end"},
        {"tab\tnl\n", "tab\tnl\n", "control characters are JSON-escaped, not replaced"},
    };
    const char *log = pathf("%s/utf8/audit.jsonl", NULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *argv[] = {(char *)cases[i].in, NULL};
        rf_audit_start start = {.run_id = "u", .backend = "b", .argv = argv, .cwd = "/"};
        rf_error err = {0};
        CHECK(rf_audit_run_start(log, &start, &err) == 0, "%s: %s", cases[i].reason, err.message);
    }
    char **lines;
    size_t n = read_lines(log, &lines);
    CHECK(n == sizeof cases / sizeof cases[0], "one line per case, got %zu", n);
    for (size_t i = 0; i < n && i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *o = parse_line(lines[i]);
        const cJSON *a = o ? cJSON_GetObjectItemCaseSensitive(o, "argv") : NULL;
        const cJSON *first = cJSON_IsArray(a) ? cJSON_GetArrayItem(a, 0) : NULL;
        CHECK_STR_EQ(cJSON_IsString(first) ? first->valuestring : NULL, cases[i].want, "%s",
                     cases[i].reason);
        CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "guarantees")),
              "no guarantee table: null");
        cJSON_Delete(o);
    }
    free_lines(lines, n);
}

/* Prepares a hostile log location; returns false when it cannot on this machine. */
typedef bool (*plant_fn)(const char *path);

static bool plant_0644(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    bool ok = fchmod(fd, 0644) == 0 && write(fd, "x\n", 2) == 2;
    close(fd);
    return ok;
}
static bool plant_symlink(const char *path) {
    return symlink(pathf("%s/outside/target", NULL), path) == 0;
}
static bool plant_fifo(const char *path) { return mkfifo(path, 0600) == 0; }
static bool plant_dir(const char *path) { return mkdir(path, 0700) == 0; }
static bool plant_foreign(const char *path) {
    /* Only root can give a file away; elsewhere the case is skipped. */
    if (geteuid() != 0)
        return false;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    bool ok = fchown(fd, 65534, 65534) == 0;
    close(fd);
    return ok;
}
static bool plant_open_folder(const char *path) {
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = '\0';
    return chmod(dir, 0777) == 0;
}

static void test_refusals(void) {
    static const struct {
        const char *name;
        plant_fn plant;
        int want;
        const char *reason;
    } cases[] = {
        {"mode0644", plant_0644, -EPERM, "a pre-existing 0644 log could be read by others"},
        {"symlink", plant_symlink, -ELOOP, "a symlink could redirect the writes"},
        {"fifo", plant_fifo, -ENXIO, "a FIFO must not block the run"},
        {"dir", plant_dir, -EISDIR, "a folder is not a log"},
        {"foreign", plant_foreign, -EPERM, "a log owned by another user"},
        {"openfolder", plant_open_folder, -EPERM, "a world-writable log folder"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char dir[PATH_MAX + 64], log[PATH_MAX + 128];
        snprintf(dir, sizeof dir, "%s/refuse-%s", base, cases[i].name);
        snprintf(log, sizeof log, "%s/audit.jsonl", dir);
        CHECK(mkdir(dir, 0700) == 0, "mkdir %s", dir);
        if (!cases[i].plant(log)) {
            printf("skip %s: cannot prepare it here (%s)\n", cases[i].name, strerror(errno));
            continue;
        }
        struct stat before, after;
        bool existed = lstat(log, &before) == 0;
        rf_audit_end end = {.run_id = "x", .status = -1};
        rf_error err = {0};
        time_t t0 = time(NULL);
        int rc = rf_audit_run_end(log, &end, &err);
        CHECK(rc == cases[i].want, "%s: got %d (%s)", cases[i].reason, rc, err.message);
        CHECK(err.message[0] && strstr(err.message, "audit log"), "%s: message '%s'",
              cases[i].reason, err.message);
        CHECK(time(NULL) - t0 < 2, "%s: returns at once", cases[i].reason);
        if (existed && S_ISREG(before.st_mode))
            CHECK(lstat(log, &after) == 0 && after.st_size == before.st_size,
                  "%s: nothing was appended", cases[i].reason);
    }
    CHECK(access(pathf("%s/outside/target", NULL), F_OK) != 0,
          "the symlink's target was not created");
}

static void test_sha256(void) {
    static const struct {
        const char *input, *want;
    } cases[] = {
        /* FIPS 180-2 / NIST example vectors. */
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char hex[65];
        rf_error err = {0};
        CHECK(rf_sha256_hex(cases[i].input, strlen(cases[i].input), hex, &err) == 0, "%s",
              err.message);
        CHECK_STR_EQ(hex, cases[i].want, "sha256('%s')", cases[i].input);
    }
}

enum { WRITERS = 50, RECORDS_EACH = 20 };

static void test_concurrency(void) {
    const char *log = pathf("%s/concurrent/audit.jsonl", NULL);
    /* A long argv-like id makes each record big enough that torn writes would show. */
    char pad[2048];
    memset(pad, 'p', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        if (pids[w] == 0) {
            int failures = 0;
            for (int r = 0; r < RECORDS_EACH; r++) {
                char id[2200];
                snprintf(id, sizeof id, "w%d-r%d-%s", w, r, pad);
                rf_audit_end end = {.run_id = id, .exit_code = w, .status = r, .signal = 0};
                rf_error err = {0};
                if (rf_audit_run_end(log, &end, &err) < 0) {
                    fprintf(stderr, "writer %d: %s\n", w, err.message);
                    failures++;
                }
            }
            _exit(failures ? 1 : 0);
        }
        CHECK(pids[w] > 0, "fork writer %d: %s", w, strerror(errno));
    }
    int failed_writers = 0;
    for (int w = 0; w < WRITERS; w++) {
        int st;
        if (pids[w] > 0 && (waitpid(pids[w], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)))
            failed_writers++;
    }
    CHECK(failed_writers == 0, "%d writers failed", failed_writers);

    char **lines;
    size_t n = read_lines(log, &lines);
    CHECK(n == WRITERS * RECORDS_EACH, "exactly %d records, got %zu", WRITERS * RECORDS_EACH, n);
    static bool seen[WRITERS][RECORDS_EACH];
    size_t bad = 0, dup = 0;
    for (size_t i = 0; i < n; i++) {
        cJSON *o = parse_line(lines[i]);
        const char *id = o ? str_of(o, "run_id") : NULL;
        int w, r;
        if (!o || !id || sscanf(id, "w%d-r%d-", &w, &r) != 2 || w < 0 || w >= WRITERS || r < 0 ||
            r >= RECORDS_EACH || strcmp(strchr(strchr(id, '-') + 1, '-') + 1, pad) != 0) {
            bad++;
        } else {
            dup += seen[w][r];
            seen[w][r] = true;
        }
        cJSON_Delete(o);
    }
    CHECK(bad == 0, "%zu lines did not parse back into a whole record", bad);
    CHECK(dup == 0, "%zu records appeared twice", dup);
    free_lines(lines, n);
}

static int remove_tree(const char *path) {
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    return system(cmd);
}

int main(void) {
    const char *tmp = getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp";
    char templ[PATH_MAX];
    snprintf(templ, sizeof templ, "%s/rf-audit-XXXXXX", tmp);
    if (!mkdtemp(templ) || !realpath(templ, base)) {
        perror("mkdtemp");
        return 1;
    }
    const char *dirs[] = {"ws", "extra", "outside", "wsx"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        CHECK(mkdir(pathf("%s/%s", dirs[i]), 0700) == 0, "mkdir %s", dirs[i]);
    /* name -> target (relative to the temp folder when it starts without '/') */
    static const char *const links[][2] = {
        {"link-to-ws", "ws"},   {"ws/link-out", "../outside"},
        {"hop", "ws/link-out"}, {"link-to-outside", "outside"},
        {"loop", "loop"},
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        CHECK(symlink(links[i][1], pathf("%s/%s", links[i][0])) == 0, "symlink %s", links[i][0]);
    int fd = open(pathf("%s/outside/file", NULL), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    CHECK(fd >= 0, "create outside/file");
    close(fd);

    test_default_path();
    test_location();
    test_records();
    test_utf8();
    test_refusals();
    test_sha256();
    test_concurrency();

    remove_tree(base);
    return check_summary("audit_test");
}
