/* private_tmp_test.c — the no-namespace temporary folder: created private, named in the environment, removed
 * without following symlinks (table-driven where there is a table). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/linux/private_tmp.h"
#include "tests/check.h"

static const char *env_get(char *const *env, const char *name) {
    size_t k = strlen(name);
    for (size_t i = 0; env[i]; i++)
        if (strncmp(env[i], name, k) == 0 && env[i][k] == '=')
            return env[i] + k + 1;
    return NULL;
}

static size_t env_count(char *const *env, const char *name) {
    size_t k = strlen(name), n = 0;
    for (size_t i = 0; env[i]; i++)
        n += strncmp(env[i], name, k) == 0 && env[i][k] == '=';
    return n;
}

int main(void) {
    char dir[64];
    rf_error err = {0};
    CHECK(rf_private_tmp_create(dir, sizeof dir, &err) == 0, "create: %s", err.message);
    struct stat st;
    CHECK(lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700,
          "%s is a directory of mode 0700", dir);
    CHECK(strncmp(dir, "/tmp/ringfence-tmp-", 19) == 0, "%s lies under /tmp", dir);

    /* The environment: every variable points at the folder, once; the rest is kept. */
    char *envp[] = {"PATH=/usr/bin", "TMPDIR=/tmp", "TEMP=/var/tmp", "HOME=/home/u", NULL};
    char **env = rf_private_tmp_env(envp, dir);
    CHECK(env != NULL, "environment copy");
    for (size_t i = 0; env && rf_private_tmp_vars[i]; i++) {
        const char *v = env_get(env, rf_private_tmp_vars[i]);
        CHECK(v && strcmp(v, dir) == 0 && env_count(env, rf_private_tmp_vars[i]) == 1, "%s=%s once",
              rf_private_tmp_vars[i], v ? v : "(unset)");
    }
    CHECK(env && env_get(env, "PATH") && env_get(env, "HOME"), "the other variables are kept");
    CHECK(strcmp(envp[1], "TMPDIR=/tmp") == 0, "the core's environment is untouched");
    rf_private_tmp_env_free(env);

    /* Removal: nested folders, files, and a planted symlink whose target must survive. */
    char victim_dir[64], victim[128], p[256];
    snprintf(victim_dir, sizeof victim_dir, "/tmp/rf-victim-XXXXXX");
    CHECK(mkdtemp(victim_dir) != NULL, "victim folder");
    snprintf(victim, sizeof victim, "%s/keep.txt", victim_dir);
    int fd = open(victim, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    CHECK(fd >= 0, "victim file");
    if (fd >= 0)
        close(fd);
    const char *dirs[] = {"a", "a/b", "a/b/c"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, dirs[i]);
        CHECK(mkdir(p, 0700) == 0, "mkdir %s", p);
    }
    snprintf(p, sizeof p, "%s/a/b/c/f", dir);
    fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0)
        close(fd);
    snprintf(p, sizeof p, "%s/a/link-dir", dir);
    CHECK(symlink(victim_dir, p) == 0, "symlink to a folder outside");
    snprintf(p, sizeof p, "%s/link-file", dir);
    CHECK(symlink(victim, p) == 0, "symlink to a file outside");
    CHECK(rf_private_tmp_remove(dir) == 0, "remove %s", dir);
    CHECK(lstat(dir, &st) < 0 && errno == ENOENT, "%s is gone", dir);
    CHECK(lstat(victim, &st) == 0, "the symlinks' target %s survives", victim);
    CHECK(rf_private_tmp_remove(dir) == 0, "removing an absent folder is not an error");
    unlink(victim);
    rmdir(victim_dir);
    return check_summary("private_tmp");
}
