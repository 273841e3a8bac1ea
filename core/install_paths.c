/* install_paths.c — finding the files that ship beside the ringfence binary. */
#include "core/install_paths.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

static char *join3(const char *a, const char *b, const char *c) {
    size_t len = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(len);
    if (s)
        snprintf(s, len, "%s%s%s", a, b, c);
    return s;
}

static int try_candidate(const char *dir, const char *infix, const char *relative, char **out) {
    char *path = join3(dir, infix, relative);
    if (!path)
        return -ENOMEM;
    if (access(path, F_OK) == 0) {
        *out = path;
        return 1;
    }
    free(path);
    return 0;
}

int rf_install_find(const char *relative, char **out, rf_error *err) {
    *out = NULL;
    int rc;
    const char *libdir = getenv("RINGFENCE_LIBDIR");
    if (libdir && libdir[0] == '/' && (rc = try_candidate(libdir, "/", relative, out)) != 0)
        return rc < 0 ? rf_fail_errno(err, -rc, "looking for %s", relative) : 0;

    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n < 0)
        return rf_fail_errno(err, errno, "reading /proc/self/exe to find %s", relative);
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    if ((rc = try_candidate(exe, "/", relative, out)) != 0 ||
        (rc = try_candidate(exe, "/../lib/ringfence/", relative, out)) != 0)
        return rc < 0 ? rf_fail_errno(err, -rc, "looking for %s", relative) : 0;
    return rf_fail(err, -ENOENT,
                   "cannot find %s beside %s or in %s/../lib/ringfence (is ringfence installed "
                   "completely? set RINGFENCE_LIBDIR to the folder that holds it)",
                   relative, exe, exe);
}
