/* passwd_name_test.c — a uid's name read straight from a passwd-format file. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/passwd_name.h"
#include "tests/check.h"

static const char *write_file(const char *name, const char *text) {
    static char path[4096];
    const char *dir = getenv("TEST_TMPDIR");
    snprintf(path, sizeof path, "%s/%s", dir && dir[0] ? dir : "/tmp", name);
    FILE *f = fopen(path, "we");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "writing %s failed\n", path);
        exit(1);
    }
    return path;
}

static void test_table(void) {
    static const struct {
        const char *text;
        unsigned uid;
        int want;
        const char *name;
        const char *reason;
    } cases[] = {
        {"root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n", 1000, 1, "alice",
         "a plain entry"},
        {"root:x:0:0:root:/root:/bin/bash\n", 0, 1, "root", "uid 0"},
        {"a:x:100:1::/:/bin/sh\nb:x:10:1::/:/bin/sh\n", 10, 1, "b", "uid 10 is not the prefix of 100"},
        {"a:x:10:1::/:/bin/sh\n", 100, 0, NULL, "uid 100 is not a prefix match of 10"},
        {"a:x:010:1::/:/bin/sh\n", 10, 0, NULL, "zero-padded uid is not the same text as NSS would parse"},
        {"first:x:7:1::/:/bin/sh\nsecond:x:7:1::/:/bin/sh\n", 7, 1, "first", "the first entry wins, as in NSS files"},
        {"broken line\n:x:5:1::/:/bin/sh\nok:x:5:1::/:/bin/sh", 5, 1, "ok",
         "malformed and nameless lines skipped; no final newline"},
        {"a:x:5\n", 5, 0, NULL, "a line without a fourth field is not an entry"},
        {"a:x:1:1::/:/bin/sh\n+@admins\nb:x:2:1::/:/bin/sh\n", 2, 0, NULL, "compat lines: NSS decides"},
        {"-bad\nb:x:2:1::/:/bin/sh\n", 2, 0, NULL, "a compat exclusion: NSS decides"},
        {"a:x:4294967295:1::/:/bin/sh\n", 4294967295u, 1, "a", "the largest uid"},
        {"a:x:4294967296:1::/:/bin/sh\n", 0, 0, NULL, "a uid beyond 32 bits does not wrap to 0"},
        {"", 0, 0, NULL, "an empty file"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = write_file("passwd", cases[i].text);
        char name[64] = "untouched";
        int got = rf_passwd_file_name(path, cases[i].uid, name, sizeof name);
        CHECK(got == cases[i].want, "case %zu (%s): got %d, want %d", i, cases[i].reason, got, cases[i].want);
        if (cases[i].want == 1 && got == 1)
            CHECK_STR_EQ(name, cases[i].name, "case %zu: %s", i, cases[i].reason);
    }
}

static void test_edges(void) {
    const char *path = write_file("passwd", "averyveryverylongname:x:9:1::/:/bin/sh\n");
    char small[8];
    CHECK(rf_passwd_file_name(path, 9, small, sizeof small) == 0, "a name that does not fit is left to NSS");
    char name[64];
    CHECK(rf_passwd_file_name("/nonexistent/passwd", 0, name, sizeof name) == -ENOENT,
          "a missing file is -ENOENT");
    CHECK(rf_passwd_file_name("/", 0, name, sizeof name) == -EFBIG, "a folder is not read");
}

/* On this machine the direct read agrees with NSS for the caller's uid
 * whenever it answers at all. */
static void test_agrees_with_nss(void) {
    char name[256];
    int got = rf_passwd_file_name("/etc/passwd", (unsigned)getuid(), name, sizeof name);
    struct passwd *pw = getpwuid(getuid());
    if (got == 1)
        CHECK_STR_EQ(name, pw ? pw->pw_name : NULL, "/etc/passwd and NSS name uid %u alike", (unsigned)getuid());
    else
        CHECK(got == 0 || got < 0, "no answer is 0 or -errno (got %d)", got);
}

int main(void) {
    test_table();
    test_edges();
    test_agrees_with_nss();
    return check_summary("passwd_name_test");
}
