/*
 * denybin_stubs_test.c — the .cmd stubs built into the Windows binary match
 * the one list (denybin/tools.list, from denybin/tools.bzl): one stub per
 * tool, each printing the clear message and exiting 1; and installing
 * rewrites a stub only when its bytes differ.
 *
 * argv[1]: tools.list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/denybin_stubs.h"
#include "tests/check.h"

static const rf_win_stub *find(const char *file_name) {
    for (size_t i = 0; i < rf_win_denybin_stub_count; i++)
        if (strcmp(rf_win_denybin_stubs[i].file_name, file_name) == 0)
            return &rf_win_denybin_stubs[i];
    return NULL;
}

static void test_against_list(const char *list_path) {
    FILE *f = fopen(list_path, "re");
    CHECK(f != NULL, "open %s", list_path);
    if (!f)
        return;
    char line[256];
    size_t tools = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        tools++;
        char file_name[300], message[400];
        snprintf(file_name, sizeof file_name, "%s.cmd", line);
        snprintf(message, sizeof message,
                 ">&2 echo ringfence: network is off by policy (%s blocked)\r\n", line);
        const rf_win_stub *stub = find(file_name);
        CHECK(stub != NULL, "a stub for %s", line);
        if (!stub)
            continue;
        CHECK(strlen(stub->text) == stub->size, "%s: size matches its text", file_name);
        CHECK(strncmp(stub->text, "@echo off\r\n", 11) == 0, "%s: starts with @echo off, CRLF",
              file_name);
        CHECK(strstr(stub->text, message) != NULL, "%s: prints the clear message on stderr",
              file_name);
        size_t n = strlen(stub->text);
        CHECK(n > 11 && strcmp(stub->text + n - 11, "exit /b 1\r\n") == 0,
              "%s: ends with exit /b 1", file_name);
    }
    fclose(f);
    CHECK(tools > 0 && tools == rf_win_denybin_stub_count, "%zu tools listed, %zu stubs built in",
          tools, rf_win_denybin_stub_count);
}

static void test_needs_write(void) {
    const rf_win_stub *stub = &rf_win_denybin_stubs[0];
    char *changed = malloc(stub->size);
    if (!changed)
        return;
    memcpy(changed, stub->text, stub->size);
    changed[stub->size / 2] ^= 1;
    static const char *const reasons[] = {"no file: write", "same bytes: leave alone",
                                          "one byte changed: rewrite", "shorter: rewrite",
                                          "longer: rewrite"};
    const bool want[] = {true, false, true, true, true};
    char *longer = malloc(stub->size + 1);
    if (longer) {
        memcpy(longer, stub->text, stub->size);
        longer[stub->size] = 'x';
    }
    const char *existing[] = {NULL, stub->text, changed, stub->text, longer};
    const size_t sizes[] = {0, stub->size, stub->size, stub->size - 1, stub->size + 1};
    for (size_t i = 0; i < 5; i++)
        CHECK(rf_win_stub_needs_write(stub, existing[i], sizes[i]) == want[i], "%s", reasons[i]);
    free(changed);
    free(longer);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: denybin_stubs_test TOOLS_LIST\n");
        return 2;
    }
    test_against_list(argv[1]);
    test_needs_write();
    return check_summary("denybin_stubs_test");
}
