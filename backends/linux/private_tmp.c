/* private_tmp.c — the per-sandbox temporary folder of the no-namespace mode. */
#include "backends/linux/private_tmp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

const char *const rf_private_tmp_vars[] = {"TMPDIR", "TMP", "TEMP", "TEMPDIR", NULL};

int rf_private_tmp_create(char *out, size_t len, rf_error *err) {
    if (snprintf(out, len, "/tmp/ringfence-tmp-XXXXXX") >= (int)len)
        return rf_fail_errno(err, ENAMETOOLONG, "creating the sandbox's temporary folder");
    if (!mkdtemp(out)) { /* mkdtemp: mode 0700, a fresh name no one else owns */
        int e = errno;
        out[0] = '\0';
        return rf_fail_errno(err, e, "creating the sandbox's temporary folder under /tmp");
    }
    return 0;
}

/* Empties the directory open at `dirfd` (which it closes), depth first,
 * through file descriptors only: a symlink is unlinked, never followed. */
static int empty_dir(int dirfd) {
    DIR *d = fdopendir(dirfd);
    if (!d) {
        int e = errno;
        close(dirfd);
        return -e;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (unlinkat(dirfd, e->d_name, 0) == 0)
            continue;
        if (errno != EISDIR && errno != EPERM) {
            rc = rc ? rc : -errno;
            continue;
        }
        int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) {
            rc = rc ? rc : -errno;
            continue;
        }
        int r = empty_dir(sub);
        if (r < 0)
            rc = rc ? rc : r;
        if (unlinkat(dirfd, e->d_name, AT_REMOVEDIR) < 0)
            rc = rc ? rc : -errno;
    }
    closedir(d);
    return rc;
}

int rf_private_tmp_remove(const char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -errno;
    int rc = empty_dir(fd);
    if (rmdir(path) < 0 && rc == 0)
        rc = -errno;
    return rc;
}

static bool is_tmp_var(const char *entry) {
    for (size_t i = 0; rf_private_tmp_vars[i]; i++) {
        size_t k = strlen(rf_private_tmp_vars[i]);
        if (strncmp(entry, rf_private_tmp_vars[i], k) == 0 && entry[k] == '=')
            return true;
    }
    return false;
}

char **rf_private_tmp_env(char *const *envp, const char *dir) {
    size_t n = 0, n_vars = 0;
    while (envp && envp[n])
        n++;
    while (rf_private_tmp_vars[n_vars])
        n_vars++;
    char **env = calloc(n + n_vars + 1, sizeof *env);
    if (!env)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_tmp_var(envp[i]))
            continue;
        if (!(env[k++] = strdup(envp[i])))
            goto fail;
    }
    for (size_t v = 0; v < n_vars; v++) {
        size_t len = strlen(rf_private_tmp_vars[v]) + 1 + strlen(dir) + 1;
        if (!(env[k] = malloc(len)))
            goto fail;
        snprintf(env[k++], len, "%s=%s", rf_private_tmp_vars[v], dir);
    }
    env[k] = NULL;
    return env;
fail:
    rf_private_tmp_env_free(env);
    return NULL;
}

void rf_private_tmp_env_free(char **env) {
    if (!env)
        return;
    for (size_t i = 0; env[i]; i++)
        free(env[i]);
    free(env);
}
