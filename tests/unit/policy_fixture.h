/*
 * policy_fixture.h — a throwaway folder tree for the policy tests.
 *
 *   ROOT/home/            the fake home folder (options.home)
 *   ROOT/home/.ssh/       an existing secret folder
 *   ROOT/home/proj/       a project inside home
 *   ROOT/ws/              the workspace (options.cwd)
 *   ROOT/ws/sub/          a nested folder
 *   ROOT/ws/link_out  ->  ../outside      (a link that leaves the workspace)
 *   ROOT/ws/link_home ->  ../home         (a link to the home folder)
 *   ROOT/ws/dangling  ->  ../outside/notyet
 *   ROOT/ws/loop_a    ->  loop_b, ROOT/ws/loop_b -> loop_a
 *   ROOT/other/, ROOT/outside/            more folders
 *   ROOT/file.txt                         a regular file
 *   ROOT/policies/proj/                   where policy files go
 *
 * ROOT is resolved (realpath), so expected paths are ROOT + suffix.
 */
#ifndef RF_TESTS_POLICY_FIXTURE_H
#define RF_TESTS_POLICY_FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char fx_root[PATH_MAX];

static __attribute__((unused)) void fx_die(const char *what) {
    fprintf(stderr, "fixture: %s: %s\n", what, strerror(errno));
    exit(2);
}

/* ROOT + suffix in a static rotating buffer (enough for one expression). */
static __attribute__((unused)) const char *fx_path(const char *suffix) {
    static char bufs[8][PATH_MAX];
    static int next;
    char *b = bufs[next++ % 8];
    int n = snprintf(b, PATH_MAX, "%s%s%s", fx_root, suffix[0] ? "/" : "", suffix);
    if (n < 0 || n >= PATH_MAX) {
        errno = ENAMETOOLONG;
        fx_die(suffix);
    }
    return b;
}

static __attribute__((unused)) void fx_mkdir(const char *suffix) {
    if (mkdir(fx_path(suffix), 0755) != 0)
        fx_die(suffix);
}

static __attribute__((unused)) void fx_symlink(const char *target, const char *suffix) {
    if (symlink(target, fx_path(suffix)) != 0)
        fx_die(suffix);
}

/* Writes `len` bytes (strlen when len is 0) to an absolute path. */
static __attribute__((unused)) void fx_write_abs(const char *path, const char *text, size_t len) {
    if (len == 0)
        len = strlen(text);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        fx_die(path);
    if (write(fd, text, len) != (ssize_t)len)
        fx_die(path);
    close(fd);
}

/* Replaces every "@ROOT@" in `text` (malloc'd). */
static __attribute__((unused)) char *fx_subst(const char *text) {
    const char *mark = "@ROOT@";
    size_t n = 0;
    for (const char *p = strstr(text, mark); p; p = strstr(p + 6, mark))
        n++;
    char *out = malloc(strlen(text) + n * strlen(fx_root) + 1);
    if (!out)
        fx_die("malloc");
    char *o = out;
    const char *p = text, *hit;
    while ((hit = strstr(p, mark))) {
        memcpy(o, p, (size_t)(hit - p));
        o += hit - p;
        strcpy(o, fx_root);
        o += strlen(fx_root);
        p = hit + 6;
    }
    strcpy(o, p);
    return out;
}

/* Writes a policy (with @ROOT@ substituted) to ROOT/suffix; returns the path. */
static __attribute__((unused)) const char *fx_policy(const char *suffix, const char *json) {
    char *text = fx_subst(json);
    const char *path = fx_path(suffix);
    fx_write_abs(path, text, 0);
    free(text);
    return path;
}

static __attribute__((unused)) void fx_setup(void) {
    const char *base = getenv("TEST_TMPDIR");
    char tmpl[PATH_MAX];
    int n = snprintf(tmpl, sizeof tmpl, "%s/rf-policy-XXXXXX", base && base[0] ? base : "/tmp");
    if (n < 0 || (size_t)n >= sizeof tmpl) {
        errno = ENAMETOOLONG;
        fx_die("TEST_TMPDIR");
    }
    if (!mkdtemp(tmpl))
        fx_die("mkdtemp");
    if (!realpath(tmpl, fx_root))
        fx_die("realpath");
    const char *dirs[] = {"home",  "home/.ssh", "home/proj", "ws",           "ws/sub",
                          "other", "outside",   "policies",  "policies/proj"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        fx_mkdir(dirs[i]);
    fx_symlink("../outside", "ws/link_out");
    fx_symlink("../home", "ws/link_home");
    fx_symlink("../outside/notyet", "ws/dangling");
    fx_symlink("loop_b", "ws/loop_a");
    fx_symlink("loop_a", "ws/loop_b");
    fx_write_abs(fx_path("file.txt"), "not a folder\n", 0);
}

static __attribute__((unused)) int fx_remove_one(const char *path, const struct stat *st, int flag,
                                                 struct FTW *ftw) {
    (void)st;
    (void)ftw;
    if ((flag == FTW_DP ? rmdir(path) : unlink(path)) != 0)
        fprintf(stderr, "fixture: remove %s: %s\n", path, strerror(errno));
    return 0;
}

static __attribute__((unused)) void fx_teardown(void) {
    if (fx_root[0])
        nftw(fx_root, fx_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fingerprint of the tree (names, types, sizes, mtimes) to prove that a
 * load changed nothing. */
static unsigned long long fx_fingerprint_acc;
static __attribute__((unused)) int fx_fingerprint_one(const char *path, const struct stat *st,
                                                      int flag, struct FTW *ftw) {
    (void)flag;
    (void)ftw;
    unsigned long long h = fx_fingerprint_acc ^ 1469598103934665603ULL;
    for (const char *p = path; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h ^= (unsigned long long)st->st_mode * 31 + (unsigned long long)st->st_size * 17 +
         (unsigned long long)st->st_mtim.tv_nsec + (unsigned long long)st->st_mtim.tv_sec;
    fx_fingerprint_acc += h;
    return 0;
}

static __attribute__((unused)) unsigned long long fx_fingerprint(void) {
    fx_fingerprint_acc = 0;
    nftw(fx_root, fx_fingerprint_one, 16, FTW_PHYS);
    return fx_fingerprint_acc;
}

#endif
