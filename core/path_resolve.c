/*
 * path_resolve.c — `~` expansion, absolute paths, symlink resolution and
 * protected-name normalization for the policy.  Only metadata is read.
 *
 * Cleanup idiom: goto out.
 */
#include "core/path_resolve.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/policy_internal.h"

/* The most symlinks followed in one path, as the kernel's limit (ELOOP). */
#define RF_MAX_SYMLINKS 40

static char *join2(const char *a, const char *sep, const char *b) {
    size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
    char *s = malloc(la + ls + lb + 1);
    if (!s)
        return NULL;
    memcpy(s, a, la);
    memcpy(s + la, sep, ls);
    memcpy(s + la + ls, b, lb + 1);
    return s;
}

int rf_home_find(const char *home, char **out, rf_error *err) {
    *out = NULL;
    const char *found = home;
    char *pwbuf = NULL;
    int rc = 0;
    if (found && found[0] != '/')
        return rf_fail(err, -EINVAL, "home folder \"%s\" given by the caller is not absolute",
                       found);
    if (!found) {
        const char *env_home = getenv("HOME");
        if (env_home && env_home[0] == '/')
            found = env_home;
    }
    if (!found) {
        long size = sysconf(_SC_GETPW_R_SIZE_MAX);
        size_t bufsize = size > 0 ? (size_t)size : 16384;
        pwbuf = malloc(bufsize);
        if (!pwbuf)
            return -ENOMEM;
        struct passwd pw, *entry = NULL;
        int e = getpwuid_r(getuid(), &pw, pwbuf, bufsize, &entry);
        if (e != 0 || !entry || !entry->pw_dir || entry->pw_dir[0] != '/') {
            rc = rf_fail_errno(err, e ? e : ENOENT,
                               "find the home folder: $HOME is unset and uid %u has no usable "
                               "passwd entry",
                               (unsigned)getuid());
            goto out;
        }
        found = entry->pw_dir;
    }
    rc = rf_path_resolve(found, "home", out, err);
out:
    free(pwbuf);
    return rc;
}

int rf_path_expand(const char *path, const char *base_dir, const char *home, const char *field,
                   char **out, rf_error *err) {
    rf_quoted q;
    *out = NULL;
    if (path[0] == '\0')
        return rf_fail_policy(err, field, "empty path");
    if (path[0] == '~') {
        if (path[1] == '\0')
            *out = strdup(home);
        else if (path[1] == '/')
            *out = join2(home, "", path + 1);
        else
            return rf_fail_policy(err, field, "%s: the ~user form is not supported, write the path",
                                  rf_quote(&q, path));
    } else if (path[0] == '/') {
        *out = strdup(path);
    } else {
        if (!base_dir || base_dir[0] != '/')
            return rf_fail_policy(err, field, "relative path %s has no folder to resolve against",
                                  rf_quote(&q, path));
        *out = join2(base_dir, "/", path);
    }
    return *out ? 0 : -ENOMEM;
}

/* Appends "/name" (name of `n` bytes) to `buf` of length *len. */
static bool append_component(char *buf, size_t *len, const char *name, size_t n) {
    if (*len + 1 + n >= PATH_MAX)
        return false;
    buf[(*len)++] = '/';
    memcpy(buf + *len, name, n);
    *len += n;
    buf[*len] = '\0';
    return true;
}

static void drop_last_component(char *buf, size_t *len) {
    while (*len > 0 && buf[*len - 1] != '/')
        (*len)--;
    if (*len > 0)
        (*len)--; /* the '/' itself */
    buf[*len] = '\0';
}

int rf_path_resolve(const char *path, const char *field, char **out, rf_error *err) {
    rf_quoted q;
    *out = NULL;
    if (path[0] != '/')
        return rf_fail_policy(err, field, "%s is not an absolute path", rf_quote(&q, path));
    if (strlen(path) >= PATH_MAX)
        return rf_fail_policy(err, field, "%s is longer than PATH_MAX", rf_quote(&q, path));

    /* `resolved` is symlink-free ("" stands for "/"); `pending` is what is
     * left to walk.  A symlink's target replaces it in front of the rest. */
    char resolved[PATH_MAX], pending[PATH_MAX], target[PATH_MAX], next[PATH_MAX];
    size_t rlen = 0;
    resolved[0] = '\0';
    snprintf(pending, sizeof pending, "%s", path);
    size_t pos = 0;
    int links = 0;

    for (;;) {
        while (pending[pos] == '/')
            pos++;
        if (pending[pos] == '\0')
            break;
        const char *name = pending + pos;
        size_t n = (size_t)(strchrnul(name, '/') - name);
        pos += n;
        if (n == 1 && name[0] == '.')
            continue;
        if (n == 2 && name[0] == '.' && name[1] == '.') {
            drop_last_component(resolved, &rlen);
            continue;
        }
        size_t parent_len = rlen;
        if (!append_component(resolved, &rlen, name, n))
            return rf_fail_policy(err, field, "%s resolves to a path longer than PATH_MAX",
                                  rf_quote(&q, path));
        struct stat st;
        if (lstat(resolved, &st) != 0) {
            /* Missing (or unsearchable: the sandboxed command, running as the
             * same user, cannot traverse it either): keep the rest lexical. */
            int e = errno;
            if (e == ENOENT || e == ENOTDIR || e == EACCES)
                continue;
            return rf_fail_policy(err, field, "%s: lstat %s: %s", rf_quote(&q, path), resolved,
                                  strerror(e));
        }
        if (!S_ISLNK(st.st_mode))
            continue;
        /* Follow the link so the policy names what it points at: a link must
         * not widen (writable root) or dodge (deny_read) the boundary. */
        if (++links > RF_MAX_SYMLINKS)
            return rf_fail_policy(err, field, "%s: %s", rf_quote(&q, path), strerror(ELOOP));
        ssize_t tlen = readlink(resolved, target, sizeof target);
        if (tlen < 0) {
            int e = errno;
            return rf_fail_policy(err, field, "%s: readlink %s: %s", rf_quote(&q, path), resolved,
                                  strerror(e));
        }
        if ((size_t)tlen >= sizeof target)
            return rf_fail_policy(err, field, "symlink %s has a target longer than PATH_MAX",
                                  resolved);
        target[tlen] = '\0';
        int m = snprintf(next, sizeof next, "%s/%s", target, pending + pos);
        if (m < 0 || (size_t)m >= sizeof next)
            return rf_fail_policy(err, field, "%s resolves to a path longer than PATH_MAX",
                                  rf_quote(&q, path));
        memcpy(pending, next, (size_t)m + 1);
        pos = 0;
        if (target[0] == '/')
            rlen = 0;
        else
            rlen = parent_len;
        resolved[rlen] = '\0';
    }
    *out = strdup(rlen == 0 ? "/" : resolved);
    return *out ? 0 : -ENOMEM;
}

int rf_path_expand_resolve(const char *path, const char *base_dir, const char *home,
                           const char *field, char **out, rf_error *err) {
    char *expanded = NULL;
    int rc = rf_path_expand(path, base_dir, home, field, &expanded, err);
    if (rc == 0)
        rc = rf_path_resolve(expanded, field, out, err);
    free(expanded);
    return rc;
}

int rf_path_require_dir(const char *path, const char *given, const char *field, rf_error *err) {
    rf_quoted qg, qp;
    struct stat st;
    bool same = strcmp(path, given) == 0;
    if (stat(path, &st) != 0) {
        int e = errno;
        return rf_fail_policy(err, field, "%s%s%s cannot be used: %s", rf_quote(&qg, given),
                              same ? "" : " resolved to ", same ? "" : rf_quote(&qp, path),
                              strerror(e));
    }
    if (!S_ISDIR(st.st_mode))
        return rf_fail_policy(err, field, "%s%s%s is not a directory", rf_quote(&qg, given),
                              same ? "" : " resolved to ", same ? "" : rf_quote(&qp, path));
    return 0;
}
