/* audit_record_test.c — the audit records as text, shared by the Linux and
 * Windows logs: exact lines for each event, the Windows identity (uid null,
 * sid), cleaning of bytes that are not UTF-8, gaps split into items,
 * durations rounded to the microsecond, and one newline at the end only. */
#include <stdlib.h>
#include <string.h>

#include "core/audit_record.h"
#include "tests/check.h"

static const rf_audit_who linux_who = {
    .time = "2026-11-26T01:02:03.456Z", .user = "alice", .uid = 1000, .sid = NULL, .pid = 42};
static const rf_audit_who windows_who = {.time = "2026-11-26T01:02:03.456Z",
                                         .user = "alice",
                                         .uid = -1,
                                         .sid = "S-1-5-21-1-2-3-1001",
                                         .pid = 7};
static const rf_audit_who nameless_who = {
    .time = "1970-01-01T00:00:00.000Z", .user = NULL, .uid = 0, .sid = NULL, .pid = 1};

#define HEAD_LINUX                                                                             \
    "\"time\":\"2026-11-26T01:02:03.456Z\",\"user\":\"alice\",\"uid\":1000,\"pid\":42"
#define HEAD_WINDOWS                                                                           \
    "\"time\":\"2026-11-26T01:02:03.456Z\",\"user\":\"alice\",\"uid\":null,"                  \
    "\"sid\":\"S-1-5-21-1-2-3-1001\",\"pid\":7"

static void test_run_start(void) {
    rf_backend_status st;
    memset(&st, 0, sizeof st);
    st.level[RF_G_WRITES] = RF_ENFORCED;
    st.level[RF_G_PROTECTED] = RF_ENFORCED;
    st.level[RF_G_NETWORK] = RF_ADVISORY;
    st.level[RF_G_PROCESS_TREE] = RF_ENFORCED;
    snprintf(st.gaps, sizeof st.gaps, "process_tree.other_process: reads\n\nwrites.metadata: x\n");
    rf_backend_status none;
    memset(&none, 0, sizeof none);
    char *argv_plain[] = {"cmd", "/c", "exit 3", NULL};
    char *argv_bytes[] = {"a\xff" "b", "\xc3\xa9", "\xed\xa0\x80", NULL};
    static const char gaps_json[] =
        "\"gaps\":[\"process_tree.other_process: reads\",\"writes.metadata: x\"]";
    static const char table_json[] =
        "\"guarantees\":{\"writes\":\"enforced\",\"protected\":\"enforced\",\"deny_read\":"
        "\"absent\",\"network\":\"advisory\",\"process_tree\":\"enforced\"}";
    const struct {
        const rf_audit_who *who;
        char **argv;
        const rf_backend_status *st;
        const char *want;
        const char *reason;
    } cases[] = {
        {&linux_who, argv_plain, &st,
         "{\"event\":\"run.start\"," HEAD_LINUX ",\"run_id\":\"r1\",\"backend\":\"b\",\"cwd\":"
         "\"/w\",\"argv\":[\"cmd\",\"/c\",\"exit 3\"],\"policy_sha256\":\"d\",",
         "Linux identity: uid a number, no sid"},
        {&windows_who, argv_plain, &st,
         "{\"event\":\"run.start\"," HEAD_WINDOWS ",\"run_id\":\"r1\",\"backend\":\"b\",\"cwd\":"
         "\"/w\",\"argv\":[\"cmd\",\"/c\",\"exit 3\"],\"policy_sha256\":\"d\",",
         "Windows identity: uid null, the SID after it"},
        {&linux_who, argv_bytes, &st,
         "{\"event\":\"run.start\"," HEAD_LINUX ",\"run_id\":\"r1\",\"backend\":\"b\",\"cwd\":"
         "\"/w\",\"argv\":[\"a\xef\xbf\xbd" "b\",\"\xc3\xa9\",\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"],"
         "\"policy_sha256\":\"d\",",
         "bytes that are not UTF-8 (and a surrogate) become U+FFFD; valid UTF-8 stays"},
        {&nameless_who, argv_plain, &none,
         "{\"event\":\"run.start\",\"time\":\"1970-01-01T00:00:00.000Z\",\"user\":null,\"uid\":0,"
         "\"pid\":1,\"run_id\":\"r1\",\"backend\":\"b\",\"cwd\":\"/w\",\"argv\":[\"cmd\",\"/c\","
         "\"exit 3\"],\"policy_sha256\":\"d\",",
         "no account name: null; uid 0 is a number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_audit_start rec = {.run_id = "r1",
                              .backend = "b",
                              .argv = cases[i].argv,
                              .cwd = "/w",
                              .policy_sha256 = "d",
                              .guarantees = cases[i].st};
        char *line = rf_audit_record_run_start(cases[i].who, &rec);
        CHECK(line != NULL, "%s: built", cases[i].reason);
        if (!line)
            continue;
        size_t want_len = strlen(cases[i].want);
        CHECK(strncmp(line, cases[i].want, want_len) == 0, "%s: got %s", cases[i].reason, line);
        bool with_gaps = cases[i].st == &st;
        char tail[512];
        snprintf(tail, sizeof tail, "%s,%s}\n", with_gaps ? table_json : "\"guarantees\":{"
                 "\"writes\":\"absent\",\"protected\":\"absent\",\"deny_read\":\"absent\","
                 "\"network\":\"absent\",\"process_tree\":\"absent\"}",
                 with_gaps ? gaps_json : "\"gaps\":[]");
        CHECK_STR_EQ(strlen(line) >= want_len ? line + want_len : "", tail,
                     "%s: guarantee table and gaps (empty lines skipped), one newline", cases[i].reason);
        CHECK(strchr(line, '\n') == line + strlen(line) - 1, "%s: the only newline ends the line",
              cases[i].reason);
        free(line);
    }
}

static void test_run_end(void) {
    const struct {
        const rf_audit_who *who;
        rf_audit_end rec;
        const char *want;
        const char *reason;
    } cases[] = {
        {&windows_who, {"r2", 3, 3, 0, 68.7854, false},
         "{\"event\":\"run.end\"," HEAD_WINDOWS ",\"run_id\":\"r2\",\"exit\":3,\"status\":3,"
         "\"signal\":0,\"duration_ms\":68.785,\"timed_out\":false}\n",
         "Windows run: rounded to the microsecond"},
        {&linux_who, {"r3", 124, -1, 0, 1000.0005, true},
         "{\"event\":\"run.end\"," HEAD_LINUX ",\"run_id\":\"r3\",\"exit\":124,\"status\":null,"
         "\"signal\":0,\"duration_ms\":1000.001,\"timed_out\":true}\n",
         "timeout: status null, half a microsecond rounds up"},
        {&linux_who, {"r4", 137, -1, 9, 0.0, false},
         "{\"event\":\"run.end\"," HEAD_LINUX ",\"run_id\":\"r4\",\"exit\":137,\"status\":null,"
         "\"signal\":9,\"duration_ms\":0.000,\"timed_out\":false}\n",
         "killed by a signal"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *line = rf_audit_record_run_end(cases[i].who, &cases[i].rec);
        CHECK_STR_EQ(line, cases[i].want, "%s", cases[i].reason);
        free(line);
    }
}

static void test_policy_error(void) {
    rf_error with_field = {.code = RF_EPOLICY, .field = "network", .message = "bad \"x\""};
    rf_error without_field = {.code = RF_EPOLICY, .field = "", .message = "m"};
    const struct {
        const rf_error *perr;
        const char *file;
        const char *want;
        const char *reason;
    } cases[] = {
        {&with_field, "C:\\p.json",
         "{\"event\":\"policy.error\"," HEAD_WINDOWS ",\"field\":\"network\",\"message\":"
         "\"bad \\\"x\\\"\",\"policy_file\":\"C:\\\\p.json\"}\n",
         "field, escaped message and a Windows path"},
        {&without_field, NULL,
         "{\"event\":\"policy.error\"," HEAD_WINDOWS ",\"field\":null,\"message\":\"m\","
         "\"policy_file\":null}\n",
         "no field and no file: nulls"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *line = rf_audit_record_policy_error(&windows_who, cases[i].perr, cases[i].file);
        CHECK_STR_EQ(line, cases[i].want, "%s", cases[i].reason);
        free(line);
    }
}

int main(void) {
    test_run_start();
    test_run_end();
    test_policy_error();
    return check_summary("audit_record_test");
}
