/* runner_request_test.c — the runner's request codec: good requests, and each kind of bad one refused naming the field. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/linux/elevated/runner_request.h"
#include "tests/check.h"

/* The fields of a valid request, in order; a case overrides one. */
static const struct {
    const char *key, *value;
} base[] = {
    {"format", "1"},
    {"parent_pid", "42"},
    {"argv", "[\"sh\",\"-c\",\"exit 3\"]"},
    {"env", "[\"PATH=/usr/bin:/bin\",\"HOME=/home/u\",\"EMPTY=\"]"},
    {"cwd", "\"/ws/sub\""},
    {"network", "false"},
    {"tmp_private", "true"},
    {"tty", "false"},
    {"workspace", "\"/ws\""},
    {"writable_roots", "[\"/data\"]"},
    {"protected", "[\".git\",\"sub/dir\"]"},
    {"deny_read", "[\"/home/u/.ssh\"]"},
};
#define N_BASE (sizeof base / sizeof base[0])

/* The base request with `key` set to `value` (NULL value: key left out). */
static char *build(const char *key, const char *value) {
    static char buf[8192];
    size_t used = 0;
    used += (size_t)snprintf(buf + used, sizeof buf - used, "{");
    bool first = true;
    for (size_t i = 0; i < N_BASE; i++) {
        const char *v = base[i].value;
        if (key && strcmp(key, base[i].key) == 0) {
            if (!value)
                continue;
            v = value;
        }
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s\"%s\":%s", first ? "" : ",", base[i].key, v);
        first = false;
    }
    snprintf(buf + used, sizeof buf - used, "}");
    return buf;
}

typedef struct bad_case {
    const char *key, *value; /* override; value NULL: removed */
    const char *want;        /* substring of the error message (the field) */
} bad_case;

static const bad_case bad_cases[] = {
    {"format", "2", "\"format\""},
    {"format", "\"1\"", "\"format\""},
    {"format", NULL, "\"format\": is missing"},
    {"parent_pid", "0", "\"parent_pid\""},
    {"parent_pid", "-5", "\"parent_pid\""},
    {"parent_pid", "1.5", "\"parent_pid\""},
    {"parent_pid", "99999999999", "\"parent_pid\""},
    {"argv", "[]", "\"argv\""},
    {"argv", "[\"\"]", "\"argv[0]\""},
    {"argv", "[\"ls\",3]", "\"argv[1]\""},
    {"argv", "\"ls\"", "\"argv\""},
    {"env", "[\"NOEQUALS\"]", "\"env[0]\""},
    {"env", "[\"A=1\",\"=x\"]", "\"env[1]\""},
    {"env", "{}", "\"env\""},
    {"cwd", "\"relative/dir\"", "\"cwd\""},
    {"cwd", "\"/ws/../etc\"", "\"cwd\""},
    {"cwd", "\"/ws//x\"", "\"cwd\""},
    {"cwd", "\"/ws/./x\"", "\"cwd\""},
    {"cwd", "\"/ws/\"", "\"cwd\""},
    {"cwd", "null", "\"cwd\""},
    {"network", "0", "\"network\""},
    {"network", "\"off\"", "\"network\""},
    {"tmp_private", "null", "\"tmp_private\""},
    {"tty", "1", "\"tty\""},
    {"workspace", "\"/\"", "\"workspace\": is the root directory"},
    {"workspace", "\"ws\"", "\"workspace\""},
    {"workspace", NULL, "\"workspace\": is missing"},
    {"writable_roots", "[\"/\"]", "\"writable_roots[0]\""},
    {"writable_roots", "[\"/a\",\"/b/..\"]", "\"writable_roots[1]\""},
    {"writable_roots", "[\"/a\",\"rel\"]", "\"writable_roots[1]\""},
    {"protected", "[\"/abs\"]", "\"protected[0]\""},
    {"protected", "[\"a/../b\"]", "\"protected[0]\""},
    {"protected", "[\"\"]", "\"protected[0]\""},
    {"protected", "[\".git/\"]", "\"protected[0]\""},
    {"deny_read", "[\"~/.ssh\"]", "\"deny_read[0]\""},
    {"deny_read", "[true]", "\"deny_read[0]\""},
};

static void test_good(void) {
    rf_runner_request r;
    rf_error err = {0};
    const char *text = build(NULL, NULL);
    int rc = rf_runner_request_parse(text, strlen(text), &r, &err);
    CHECK(rc == 0, "the base request is accepted: %s", err.message);
    if (rc != 0)
        return;
    CHECK(r.parent_pid == 42, "parent_pid read");
    CHECK(r.argc == 3 && r.argv[3] == NULL, "argv NULL-terminated, %zu items", r.argc);
    CHECK_STR_EQ(r.argv[2], "exit 3", "argv[2]");
    CHECK(r.n_env == 3 && r.env[3] == NULL, "env count %zu", r.n_env);
    CHECK_STR_EQ(r.env[2], "EMPTY=", "an empty value is fine");
    CHECK_STR_EQ(r.cwd, "/ws/sub", "cwd");
    CHECK(!r.network && r.tmp_private && !r.tty, "booleans");
    CHECK_STR_EQ(r.workspace, "/ws", "workspace");
    CHECK(r.n_writable_roots == 1 && r.n_protected == 2 && r.n_deny_read == 1, "list counts");
    CHECK_STR_EQ(r.protected_names[1], "sub/dir", "protected[1]");

    /* Round trip: encode what was parsed, parse it again. */
    char *again = NULL;
    size_t len = 0;
    rc = rf_runner_request_encode(&r, &again, &len, &err);
    CHECK(rc == 0 && again && len == strlen(again), "encode: %s", err.message);
    rf_runner_request r2;
    rc = again ? rf_runner_request_parse(again, len, &r2, &err) : -1;
    CHECK(rc == 0, "the encoded request parses: %s", err.message);
    if (rc == 0) {
        CHECK(r2.argc == r.argc && r2.n_env == r.n_env && r2.n_deny_read == r.n_deny_read, "round trip counts");
        CHECK_STR_EQ(r2.deny_read[0], "/home/u/.ssh", "round trip deny_read");
        rf_runner_request_free(&r2);
    }
    free(again);
    rf_runner_request_free(&r);

    /* Minimal: empty lists, cwd "/". */
    text = "{\"format\":1,\"parent_pid\":1,\"argv\":[\"true\"],\"env\":[],\"cwd\":\"/\",\"network\":true,"
           "\"tmp_private\":false,\"tty\":true,\"workspace\":\"/w\",\"writable_roots\":[],\"protected\":[],"
           "\"deny_read\":[]}";
    rc = rf_runner_request_parse(text, strlen(text), &r, &err);
    CHECK(rc == 0 && r.network && r.tty && r.n_env == 0 && r.env && r.env[0] == NULL,
          "minimal request: %s", err.message);
    if (rc == 0)
        rf_runner_request_free(&r);
}

static void expect_refused(const char *text, size_t len, const char *want, const char *why) {
    rf_runner_request r;
    rf_error err = {0};
    int rc = rf_runner_request_parse(text, len, &r, &err);
    CHECK(rc == -EINVAL, "%s: refused (rc %d)", why, rc);
    CHECK(strstr(err.message, want) != NULL, "%s: message names '%s': got '%s'", why, want, err.message);
    CHECK(r.argv == NULL && r.cwd == NULL, "%s: nothing left behind", why);
    if (rc == 0)
        rf_runner_request_free(&r);
}

static void test_bad_fields(void) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        char why[160];
        snprintf(why, sizeof why, "%s = %s", c->key, c->value ? c->value : "(missing)");
        const char *text = build(c->key, c->value);
        expect_refused(text, strlen(text), c->want, why);
    }
}

static void test_bad_documents(void) {
    char buf[9000];
    const char *base_text = build(NULL, NULL);
    size_t blen = strlen(base_text);

    /* Unknown key, and a key twice. */
    memcpy(buf, base_text, blen - 1); /* without the closing brace */
    snprintf(buf + blen - 1, sizeof buf - blen + 1, ",\"extra\":1}");
    expect_refused(buf, strlen(buf), "\"extra\": unknown key", "unknown key");
    memcpy(buf, base_text, blen - 1);
    snprintf(buf + blen - 1, sizeof buf - blen + 1, ",\"cwd\":\"/other\"}");
    expect_refused(buf, strlen(buf), "\"cwd\": appears twice", "duplicate key");

    /* Not an object, truncated, empty. */
    expect_refused("[1,2]", 5, "not a JSON object", "an array");
    expect_refused(base_text, blen - 5, "not a JSON object", "truncated");
    expect_refused("", 0, "not a JSON object", "empty");

    /* NUL: raw, and escaped (a string that would end early in C). */
    memcpy(buf, base_text, blen);
    buf[10] = '\0';
    expect_refused(buf, blen, "NUL", "raw NUL byte");
    const char *esc = build("cwd", "\"/ws\\u0000/../etc\"");
    expect_refused(esc, strlen(esc), "NUL", "escaped NUL");
    /* An escaped backslash before u0000 is not a NUL escape. */
    const char *not_nul = build("env", "[\"A=\\\\u0000\"]");
    rf_runner_request r;
    rf_error err = {0};
    int rc = rf_runner_request_parse(not_nul, strlen(not_nul), &r, &err);
    CHECK(rc == 0, "a literal backslash-u0000 is text, not NUL: %s", err.message);
    if (rc == 0) {
        CHECK_STR_EQ(r.env[0], "A=\\u0000", "the literal survives");
        rf_runner_request_free(&r);
    }

    /* Too many items, too large. */
    size_t big = RF_RUNNER_REQUEST_MAX + 1;
    char *huge = malloc(big + 1);
    if (huge) {
        memset(huge, ' ', big);
        huge[big] = '\0';
        expect_refused(huge, big, "more than the limit", "oversized request");
        free(huge);
    }
    size_t used = (size_t)snprintf(buf, sizeof buf, "[");
    for (int i = 0; i < 65; i++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s\"/r%d\"", i ? "," : "", i);
    snprintf(buf + used, sizeof buf - used, "]");
    char list[9000];
    snprintf(list, sizeof list, "%s", buf);
    const char *many = build("writable_roots", list);
    expect_refused(many, strlen(many), "\"writable_roots\"", "65 writable roots");
}

static void test_encode_refuses(void) {
    char *argv[] = {"ls", NULL};
    char *roots[] = {"relative", NULL};
    rf_runner_request r = {
        .parent_pid = 7, .argv = argv, .argc = 1, .cwd = "/w", .workspace = "/w",
        .writable_roots = roots, .n_writable_roots = 1,
    };
    char *out = NULL;
    size_t len = 0;
    rf_error err = {0};
    int rc = rf_runner_request_encode(&r, &out, &len, &err);
    CHECK(rc == -EINVAL && out == NULL, "encode validates too (rc %d)", rc);
    CHECK(strstr(err.message, "writable_roots[0]") != NULL, "encode names the field: %s", err.message);
}

static void test_frames(void) {
    int fds[2];
    if (pipe(fds) < 0) {
        CHECK(0, "pipe");
        return;
    }
    const char *msg = "{\"a\":1}";
    CHECK(rf_runner_frame_write(fds[1], msg, strlen(msg)) == 0, "frame written");
    char *got = NULL;
    size_t len = 0;
    CHECK(rf_runner_frame_read(fds[0], 64, &got, &len) == 0 && got && len == strlen(msg) &&
              strcmp(got, msg) == 0, "frame read back");
    free(got);
    /* A length above the limit is refused before anything is allocated. */
    CHECK(rf_runner_frame_write(fds[1], msg, strlen(msg)) == 0, "second frame written");
    CHECK(rf_runner_frame_read(fds[0], 4, &got, &len) == -EMSGSIZE, "oversized frame refused");
    close(fds[1]);
    close(fds[0]);
    /* A stream that ends early. */
    if (pipe(fds) < 0)
        return;
    unsigned n = 100;
    CHECK(write(fds[1], &n, sizeof n) == (ssize_t)sizeof n && write(fds[1], "xy", 2) == 2, "short frame written");
    close(fds[1]);
    CHECK(rf_runner_frame_read(fds[0], 1000, &got, &len) == -EPROTO, "short frame refused");
    close(fds[0]);

    /* Report records. */
    if (pipe(fds) < 0)
        return;
    rf_runner_report rep = {.kind = RF_RUNNER_ENDED, .value = 3 << 8};
    snprintf(rep.message, sizeof rep.message, "done");
    CHECK(rf_runner_report_write(fds[1], &rep) == 0, "report written");
    close(fds[1]);
    rf_runner_report back;
    CHECK(rf_runner_report_read(fds[0], &back) == 1 && back.kind == RF_RUNNER_ENDED && back.value == 3 << 8 &&
              strcmp(back.message, "done") == 0, "report read back");
    CHECK(rf_runner_report_read(fds[0], &back) == 0, "EOF after the last report");
    close(fds[0]);
}

int main(void) {
    test_good();
    test_bad_fields();
    test_bad_documents();
    test_encode_refuses();
    test_frames();
    return check_summary("runner_request_test");
}
