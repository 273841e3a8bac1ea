/* placeholder.c — creating, sharing and removing the mount points of absent protected paths. */
#include "backends/linux/placeholder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/policy.h"

static int ensure_private_dir(const char *path, rf_error *err) {
    if (mkdir(path, 0700) < 0 && errno != EEXIST)
        return rf_fail_errno(err, errno, "creating the lock directory %s", path);
    struct stat st;
    if (lstat(path, &st) < 0)
        return rf_fail_errno(err, errno, "checking the lock directory %s", path);
    /* Another user pre-creating /tmp/ringfence-UID could otherwise hold or forge our locks. */
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0)
        return rf_fail(err, -EPERM,
                       "lock directory %s is not a private directory of uid %u (mode %o, owner %u)",
                       path, (unsigned)geteuid(), (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid);
    return 0;
}

int rf_placeholder_lock_dir(char *out, size_t len, rf_error *err) {
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    struct stat st;
    int n;
    if (xdg && xdg[0] == '/' && stat(xdg, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid())
        n = snprintf(out, len, "%s/ringfence", xdg);
    else
        n = snprintf(out, len, "/tmp/ringfence-%u", (unsigned)geteuid());
    if (n < 0 || (size_t)n >= len)
        return rf_fail(err, -ENAMETOOLONG, "lock directory path is too long");
    return ensure_private_dir(out, err);
}

static uint64_t fnv1a(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static void lock_path(char *out, size_t len, const char *dir, const char *root, const char *suffix) {
    snprintf(out, len, "%s/root-%016llx.%s", dir, (unsigned long long)fnv1a(root), suffix);
}

static int open_lock(const char *path, const char *root, rf_error *err) {
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return rf_fail_errno(err, errno, "opening the placeholder lock %s (root %s)", path, root);
    return fd;
}

static int lock_fd(int fd, int op, const char *what, const char *root, rf_error *err) {
    while (flock(fd, op) < 0) {
        if (errno != EINTR)
            return rf_fail_errno(err, errno, "locking the %s lock of %s", what, root);
    }
    return 0;
}

/* Opens and locks the gate exclusively, retrying when a leaving run removed
 * the file between our open and our lock (we would hold a lock on nothing). */
static int lock_gate(rf_placeholder_lock *lk, rf_error *err) {
    for (int attempt = 0; attempt < 100; attempt++) {
        int fd = open_lock(lk->gate_path, lk->root, err);
        if (fd < 0)
            return fd;
        int rc = lock_fd(fd, LOCK_EX, "gate", lk->root, err);
        if (rc < 0) {
            close(fd);
            return rc;
        }
        struct stat held, now;
        if (fstat(fd, &held) == 0 && stat(lk->gate_path, &now) == 0 && held.st_dev == now.st_dev &&
            held.st_ino == now.st_ino) {
            lk->gate_fd = fd;
            return 0;
        }
        close(fd);
    }
    return rf_fail(err, -EAGAIN, "locking the gate lock of %s: it keeps being replaced", lk->root);
}

static void release(rf_placeholders *ph) {
    for (size_t i = 0; i < ph->n_locks; i++) {
        if (ph->locks[i].gate_fd >= 0)
            close(ph->locks[i].gate_fd);
        if (ph->locks[i].users_fd >= 0)
            close(ph->locks[i].users_fd);
    }
    free(ph->locks);
    ph->locks = NULL;
    ph->n_locks = 0;
}

static rf_placeholder_lock *lock_of(rf_placeholders *ph, const char *path) {
    rf_placeholder_lock *best = NULL;
    for (size_t i = 0; i < ph->n_locks; i++)
        if (rf_path_within(path, ph->locks[i].root) &&
            (!best || strlen(ph->locks[i].root) > strlen(best->root)))
            best = &ph->locks[i];
    return best;
}

static int record(int gate_fd, const char *path, rf_error *err) {
    char line[4200];
    int n = snprintf(line, sizeof line, "%s\n", path);
    if (n < 0 || (size_t)n >= sizeof line)
        return rf_fail(err, -ENAMETOOLONG, "recording placeholder %s: path too long", path);
    if (lseek(gate_fd, 0, SEEK_END) < 0 || write(gate_fd, line, (size_t)n) != n)
        return rf_fail_errno(err, errno, "recording placeholder %s", path);
    return 0;
}

/* mkdir -p inside the root, recording each directory made. */
static int create_one(rf_placeholders *ph, const char *path, rf_error *err) {
    rf_placeholder_lock *lk = lock_of(ph, path);
    if (!lk)
        return rf_fail(err, -EINVAL, "placeholder %s is outside every writable root", path);
    char buf[4096];
    size_t len = strlen(path), start = strlen(lk->root);
    if (len >= sizeof buf)
        return rf_fail(err, -ENAMETOOLONG, "creating placeholder %s: path too long", path);
    memcpy(buf, path, len + 1);
    for (size_t i = start + 1; i <= len; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0755) == 0) {
            int rc = record(lk->gate_fd, buf, err);
            if (rc < 0)
                return rc;
        } else if (errno != EEXIST) {
            return rf_fail_errno(err, errno, "creating the placeholder directory %s for protected path %s",
                                 buf, path);
        }
        buf[i] = saved;
    }
    return 0;
}

/* True when the record lists nothing that still exists. */
static bool record_is_void(int fd, off_t size) {
    if (size == 0)
        return true;
    if (size > 65536)
        return false;
    char buf[65537];
    if (pread(fd, buf, (size_t)size, 0) != size)
        return false;
    buf[size] = '\0';
    for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        struct stat st;
        if (lstat(line, &st) == 0 || errno != ENOENT)
            return false;
    }
    return true;
}

/* Lock files of runs that were killed before they could clean up: removed
 * when nobody holds them and they record nothing that still exists (a
 * recorded placeholder waits for the next run in that root, which knows the
 * candidates it may remove). */
static void sweep_stale_locks(const char *lock_dir) {
    DIR *d = opendir(lock_dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, "root-", 5) != 0 || len < 6 || strcmp(e->d_name + len - 5, ".gate") != 0)
            continue;
        char gate[600], users[600];
        snprintf(gate, sizeof gate, "%s/%s", lock_dir, e->d_name);
        snprintf(users, sizeof users, "%s/%.*s.users", lock_dir, (int)(len - 5), e->d_name);
        int g = open(gate, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
        if (g < 0)
            continue;
        struct stat held, now;
        if (flock(g, LOCK_EX | LOCK_NB) == 0 && fstat(g, &held) == 0 && record_is_void(g, held.st_size) &&
            stat(gate, &now) == 0 && now.st_ino == held.st_ino) {
            int u = open(users, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
            if (u < 0 || flock(u, LOCK_EX | LOCK_NB) == 0) {
                unlink(users);
                unlink(gate);
            }
            if (u >= 0)
                close(u);
        }
        close(g);
    }
    closedir(d);
}

int rf_placeholders_open(rf_placeholders *ph, const char *lock_dir, const char *const *roots,
                         size_t n_roots, rf_error *err) {
    sweep_stale_locks(lock_dir);
    ph->locks = calloc(n_roots ? n_roots : 1, sizeof *ph->locks);
    ph->n_locks = 0;
    if (!ph->locks)
        return rf_fail_errno(err, ENOMEM, "locking placeholders");
    int rc = 0;
    for (size_t i = 0; i < n_roots; i++) {
        rf_placeholder_lock *lk = &ph->locks[ph->n_locks++];
        lk->root = roots[i];
        lk->gate_fd = lk->users_fd = -1;
        lock_path(lk->gate_path, sizeof lk->gate_path, lock_dir, roots[i], "gate");
        lock_path(lk->users_path, sizeof lk->users_path, lock_dir, roots[i], "users");
        /* The gate first: a leaving run holds it while it removes placeholders
         * (and the lock files); under it the users file is the current one. */
        if ((rc = lock_gate(lk, err)) < 0)
            goto fail;
        if ((lk->users_fd = open_lock(lk->users_path, roots[i], err)) < 0) {
            rc = lk->users_fd;
            goto fail;
        }
        rc = lock_fd(lk->users_fd, LOCK_SH, "users", roots[i], err);
        flock(lk->gate_fd, LOCK_UN);
        if (rc < 0)
            goto fail;
    }
    return 0;
fail:
    release(ph);
    return rc;
}

int rf_placeholders_create(rf_placeholders *ph, const char *const *create, size_t n_create,
                           rf_error *err) {
    int rc = 0;
    /* Always in root order, so two runs never wait on each other crosswise. */
    for (size_t i = 0; i < ph->n_locks; i++)
        if ((rc = lock_fd(ph->locks[i].gate_fd, LOCK_EX, "gate", ph->locks[i].root, err)) < 0)
            goto fail;
    for (size_t i = 0; i < n_create; i++)
        if ((rc = create_one(ph, create[i], err)) < 0)
            goto fail;
    return 0;
fail:
    rf_placeholders_mounted(ph);
    return rc;
}

void rf_placeholders_mounted(rf_placeholders *ph) {
    for (size_t i = 0; i < ph->n_locks; i++)
        if (ph->locks[i].gate_fd >= 0)
            flock(ph->locks[i].gate_fd, LOCK_UN);
}

static bool is_candidate(const char *path, const char *root, const char *const *cands, size_t n) {
    if (!rf_path_within(path, root) || strcmp(path, root) == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (rf_path_within(cands[i], path))
            return true; /* the protected path itself or a parent mkdir -p made */
    return false;
}

static int cmp_len_desc(const void *a, const void *b) {
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
    return la < lb ? 1 : la > lb ? -1 : 0;
}

/* Under the gate and with the users lock exclusive: remove what can go and
 * rewrite the record with what must stay (entries not ours to judge). */
static bool sweep_root(rf_placeholder_lock *lk, const char *const *cands, size_t n_cands) {
    off_t size = lseek(lk->gate_fd, 0, SEEK_END);
    if (size == 0)
        return false;
    if (size < 0 || size > (1 << 20))
        return true;
    char *text = malloc((size_t)size + 1);
    char **lines = calloc((size_t)size, sizeof *lines);
    if (!text || !lines || pread(lk->gate_fd, text, (size_t)size, 0) != size) {
        free(text);
        free(lines);
        return true;
    }
    text[size] = '\0';
    size_t n = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        lines[n++] = line;
    qsort(lines, n, sizeof *lines, cmp_len_desc); /* children before parents */
    bool keep[n ? n : 1];
    for (size_t i = 0; i < n; i++) {
        keep[i] = false;
        if (!is_candidate(lines[i], lk->root, cands, n_cands)) {
            /* Recorded by a run of another policy (or forged): leave it alone. */
            keep[i] = true;
            continue;
        }
        /* Only an empty directory goes; ENOTEMPTY means real content now. */
        rmdir(lines[i]);
    }
    bool kept = false;
    if (ftruncate(lk->gate_fd, 0) == 0) {
        for (size_t i = 0; i < n; i++) {
            if (keep[i]) {
                record(lk->gate_fd, lines[i], NULL);
                kept = true;
            }
        }
    } else {
        kept = true;
    }
    free(text);
    free(lines);
    return kept;
}

void rf_placeholders_end(rf_placeholders *ph, const char *const *candidates, size_t n_candidates) {
    for (size_t i = 0; i < ph->n_locks; i++) {
        rf_placeholder_lock *lk = &ph->locks[i];
        if (lock_fd(lk->gate_fd, LOCK_EX, "gate", lk->root, NULL) < 0)
            continue;
        /* Converting shared -> exclusive is not atomic, which is fine: we
         * hold the gate, so no run can start using the placeholders. */
        if (flock(lk->users_fd, LOCK_EX | LOCK_NB) == 0 && !sweep_root(lk, candidates, n_candidates)) {
            /* Nobody inside and nothing recorded: leave no lock files behind
             * (waiters on the old gate notice the swap, see lock_gate). */
            unlink(lk->users_path);
            unlink(lk->gate_path);
        }
        flock(lk->users_fd, LOCK_UN);
        flock(lk->gate_fd, LOCK_UN);
    }
    release(ph);
}
