/*
 * policy_fuzz.c — libFuzzer target for the policy parser and loader.
 *
 * The input is a user policy document, optionally followed by the line
 * "@@managed@@" and a managed policy document.  Each input is:
 *   1. parsed in memory as a user and as a managed policy
 *      (rf_policy_parse_buffer: no disk access at all);
 *   2. loaded in full (rf_policy_load_buffer: paths resolved against a fixed
 *      throwaway tree, merged with the managed part when present, which is
 *      the only thing written: to a file inside that tree) and printed with
 *      and without sources.
 * The load only reads metadata (lstat, readlink, stat) of the paths the input
 * names; nothing else on the machine changes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/policy.h"
#include "core/policy_internal.h"
#include "core/ringfence.h"

static const char separator[] = "\n@@managed@@\n";

static char base_dir[4096], home_dir[4200], ws_dir[4200], managed_path[4200];

static void cleanup(void) {
    unlink(managed_path);
    rmdir(home_dir);
    rmdir(ws_dir);
    rmdir(base_dir);
}

static void setup_once(void) {
    if (base_dir[0])
        return;
    const char *tmp = getenv("TEST_TMPDIR");
    snprintf(base_dir, sizeof base_dir, "%s/rf-fuzz-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    char resolved[4096];
    if (!mkdtemp(base_dir) || !realpath(base_dir, resolved)) {
        perror("policy_fuzz: mkdtemp");
        abort();
    }
    /* Resolved, so the invariants compare like with like. */
    snprintf(base_dir, sizeof base_dir, "%s", resolved);
    snprintf(home_dir, sizeof home_dir, "%s/home", base_dir);
    snprintf(ws_dir, sizeof ws_dir, "%s/ws", base_dir);
    snprintf(managed_path, sizeof managed_path, "%s/managed.json", base_dir);
    if (mkdir(home_dir, 0700) != 0 || mkdir(ws_dir, 0700) != 0) {
        perror("policy_fuzz: mkdir");
        abort();
    }
    atexit(cleanup);
}

static void write_managed(const uint8_t *data, size_t size) {
    int fd = open(managed_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size)) {
        perror("policy_fuzz: write managed policy");
        abort();
    }
    close(fd);
}

static void parse_only(const uint8_t *data, size_t size, rf_policy_kind kind) {
    rf_raw_policy raw;
    rf_error err;
    memset(&raw, 0, sizeof raw);
    int rc = rf_policy_parse_buffer((const char *)data, size, kind, &raw, &err);
    /* A failure must name a field and say something. */
    if (rc == RF_EPOLICY && (err.field[0] == '\0' || err.message[0] == '\0'))
        abort();
    rf_raw_policy_free(&raw);
}

/* What every loaded policy promises its backends (core/policy.h). */
static void check_invariants(const rf_policy *p) {
    if (!p->workspace || p->writable_roots.len == 0 ||
        strcmp(p->writable_roots.items[0].value, p->workspace) != 0)
        abort();
    for (size_t i = 0; i < p->writable_roots.len; i++) {
        const char *root = p->writable_roots.items[i].value;
        if (root[0] != '/' || strcmp(root, "/") == 0 || rf_path_within(home_dir, root))
            abort();
        for (size_t j = 0; j < i; j++)
            if (strcmp(root, p->writable_roots.items[j].value) == 0)
                abort();
    }
    for (size_t i = 0; i < p->deny_read.len; i++)
        if (p->deny_read.items[i].value[0] != '/' || strstr(p->deny_read.items[i].value, "/../") ||
            strstr(p->deny_read.items[i].value, "/./"))
            abort();
    for (size_t i = 0; i < p->protected_names.len; i++) {
        const char *name = p->protected_names.items[i].value;
        size_t n = strlen(name);
        if (n == 0 || name[0] == '/' || name[n - 1] == '/' || strcmp(name, "..") == 0 ||
            strncmp(name, "../", 3) == 0 || strstr(name, "/../") ||
            (n >= 3 && strcmp(name + n - 3, "/..") == 0))
            abort();
    }
    for (size_t i = 0; i < p->env_set.len; i++) {
        const char *pair = p->env_set.items[i].value;
        if (pair[0] == '=' || !strchr(pair, '='))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    setup_once();
    const uint8_t *managed = NULL;
    size_t user_size = size, managed_size = 0;
    const uint8_t *sep = memmem(data, size, separator, sizeof separator - 1);
    if (sep) {
        user_size = (size_t)(sep - data);
        managed = sep + sizeof separator - 1;
        managed_size = size - user_size - (sizeof separator - 1);
    }

    parse_only(data, user_size, RF_POLICY_USER);
    parse_only(data, user_size, RF_POLICY_MANAGED);

    if (managed)
        write_managed(managed, managed_size);
    else
        unlink(managed_path);
    rf_load_options opts = {
        .managed_file = managed_path,
        .cwd = ws_dir,
        .home = home_dir,
    };
    rf_policy *policy = NULL;
    rf_error err;
    int rc = rf_policy_load_buffer(&opts, (const char *)data, user_size, ws_dir, &policy, &err);
    if (rc == 0) {
        if (!policy)
            abort();
        check_invariants(policy);
        for (int with = 0; with < 2; with++)
            free(rf_policy_to_json(policy, with));
    } else if (policy) {
        abort();
    }
    rf_policy_free(policy);
    return 0;
}
