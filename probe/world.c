/*
 * world.c — building, resetting and tearing down the probe world (world.h).
 * Cleanup idiom: goto out with one exit.
 */
#include "probe/world.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/error.h"
#include "probe/probe.h"
#include "probe/world_internal.h"
#include "probe/world_layout.h"

struct rf_world {
    char root[PATH_MAX];
    char nonce[33];
    char world_file[PATH_MAX + 32], policy_file[PATH_MAX + 32], tmp_path[128], agent_sock[128];
    char lock_path[PATH_MAX + 32], workspace[PATH_MAX + 32];
    char abstract_name[64];
    rf_world_sockets sockets;
    pid_t server_pid;
    rf_world_target target;
    bool started; /* listeners and target up: the world file can be written */
};

static int write_world_file(const rf_world *w, rf_error *err);

static int make_path(const rf_world *w, const char *rel, char *buf, size_t len, rf_error *err) {
    int n = snprintf(buf, len, "%s/%s", w->root, rel);
    if (n < 0 || (size_t)n >= len)
        return rf_fail(err, -ENAMETOOLONG, "probe world: path %s/%s is too long", w->root, rel);
    return 0;
}

static int mkdir_rel(const rf_world *w, const char *rel, rf_error *err) {
    char path[PATH_MAX + 64];
    int rc = make_path(w, rel, path, sizeof path, err);
    if (rc < 0)
        return rc;
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        return rf_fail_errno(err, errno, "probe world: mkdir %s", path);
    return 0;
}

static int write_rel(const rf_world *w, const char *rel, const char *content, mode_t mode,
                     rf_error *err) {
    char path[PATH_MAX + 64];
    int rc = make_path(w, rel, path, sizeof path, err);
    if (rc < 0)
        return rc;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return rf_fail_errno(err, errno, "probe world: creating %s", path);
    size_t len = strlen(content);
    ssize_t n = write(fd, content, len);
    int e = n < 0 ? errno : (size_t)n != len ? EIO : 0;
    if (close(fd) < 0 && !e)
        e = errno;
    if (e)
        return rf_fail_errno(err, e, "probe world: writing %s", path);
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    int rc = (flag == FTW_DP) ? rmdir(path) : unlink(path);
    return rc < 0 && errno != ENOENT ? -1 : 0;
}

/* rm -rf without following symlinks (FTW_PHYS): a probe may have planted one. */
static int remove_tree(const char *path, rf_error *err) {
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : rf_fail_errno(err, errno, "probe world: lstat %s", path);
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) < 0)
            return rf_fail_errno(err, errno, "probe world: removing %s", path);
        return 0;
    }
    if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0)
        return rf_fail_errno(err, errno, "probe world: removing %s", path);
    return 0;
}

static int remove_rel(const rf_world *w, const char *rel, rf_error *err) {
    char path[PATH_MAX + 64];
    int rc = make_path(w, rel, path, sizeof path, err);
    return rc < 0 ? rc : remove_tree(path, err);
}

/* ---- the fixtures ------------------------------------------------------- */

static const char *const fixture_dirs[] = {
    RF_W_WS,
    RF_W_WS "/.git",
    RF_W_WS "/.git/hooks",
    RF_W_WS "/.git/objects",
    RF_W_WS "/.git/refs",
    RF_W_WS "/.git/refs/heads",
    RF_W_WS_CODEX,
    RF_W_WS_DECOY,
    RF_W_WS_RINGFENCE,
    RF_W_NOGIT,
    RF_W_EXTRA,
    RF_W_EXTRA "/.git",
    RF_W_OUTSIDE,
    RF_W_OUT_RMDIR,
    RF_W_SECRET_DIR,
};

static const char git_config[] =
    "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n";

static const struct {
    const char *rel;
    const char *content; /* NULL: the nonce line */
} fixture_files[] = {
    {RF_W_WS_FILE, "a workspace file\n"},
    {RF_W_WS "/flip-inside.txt", ""},
    {RF_W_WS "/.git/HEAD", "ref: refs/heads/main\n"},
    {RF_W_WS_GIT_CONFIG, git_config},
    {RF_W_WS_GIT_DESCRIPTION, "probe workspace\n"},
    {RF_W_WS_CODEX_CONFIG, "model = \"decoy-free\"\n"},
    {RF_W_WS_DECOY "/config.toml", "model = \"attacker\"\n"},
    {RF_W_EXTRA_GIT_CONFIG, git_config},
    {RF_W_EXTRA "/.git/HEAD", "ref: refs/heads/main\n"},
    {RF_W_OUT_APPEND, "outside\n"},
    {RF_W_OUT_TRUNCATE, "outside, to be truncated\n"},
    {RF_W_OUT_OVERWRITE, "outside\n"},
    {RF_W_OUT_RENAME, "outside\n"},
    {RF_W_OUT_UNLINK, "outside\n"},
    {RF_W_OUT_CHMOD, "outside\n"},
    {RF_W_OUT_CHOWN, "outside\n"},
    {RF_W_OUT_UTIME, "outside\n"},
    {RF_W_OUT_XATTR, "outside\n"},
    {RF_W_OUT_SYMLINK_TARGET, "outside\n"},
    {RF_W_OUT_FLIP_TARGET, ""},
    {RF_W_OUT_HARDLINK_SRC, "outside\n"},
    {RF_W_OUT_RENAME_IN, "outside\n"},
    {RF_W_OUT_BY_HANDLE, "outside\n"},
    {RF_W_HTTP_HITS, ""},
    {RF_W_SECRET_FILE, NULL},
    {RF_W_SECRET_SINGLE, NULL},
};

/* The folders the probes change, removed and made again. */
static const char *const reset_roots[] = {RF_W_WS,      RF_W_NOGIT,      RF_W_EXTRA,
                                          RF_W_OUTSIDE, RF_W_SECRET_DIR, RF_W_SECRET_SINGLE};

int rf_world_reset(rf_world *w, rf_error *err) {
    int rc = 0;
    for (size_t i = 0; i < sizeof reset_roots / sizeof reset_roots[0]; i++)
        if ((rc = remove_rel(w, reset_roots[i], err)) < 0)
            return rc;
    char shm[256];
    if ((rc = remove_tree(w->tmp_path, err)) < 0 ||
        (rf_probe_shm_path(w->tmp_path, shm, sizeof shm) && (rc = remove_tree(shm, err)) < 0))
        return rc;
    for (size_t i = 0; i < sizeof fixture_dirs / sizeof fixture_dirs[0]; i++)
        if ((rc = mkdir_rel(w, fixture_dirs[i], err)) < 0)
            return rc;
    char secret[96];
    snprintf(secret, sizeof secret, "secret-token=%s\n", w->nonce);
    for (size_t i = 0; i < sizeof fixture_files / sizeof fixture_files[0]; i++) {
        const char *content = fixture_files[i].content ? fixture_files[i].content : secret;
        mode_t mode = fixture_files[i].content ? 0644 : 0600;
        if ((rc = write_rel(w, fixture_files[i].rel, content, mode, err)) < 0)
            return rc;
    }
    if ((rc = write_rel(w, RF_W_LOCK, "", 0644, err)) < 0)
        return rc;
    /* The file handles in the world file name inodes that were just made. */
    return w->started ? write_world_file(w, err) : 0;
}

/* ---- the policy and the world file --------------------------------------- */

static int write_json(const rf_world *w, const char *rel, cJSON *doc, rf_error *err) {
    char *text = cJSON_Print(doc);
    if (!text)
        return rf_fail(err, -ENOMEM, "probe world: printing %s", rel);
    int rc = write_rel(w, rel, text, 0644, err);
    free(text);
    return rc;
}

static int write_policy(const rf_world *w, rf_error *err) {
    char ws[PATH_MAX + 64], nogit[PATH_MAX + 64], extra[PATH_MAX + 64], secret[PATH_MAX + 64],
        single[PATH_MAX + 64], sock[PATH_MAX + 64];
    int rc;
    if ((rc = make_path(w, RF_W_WS, ws, sizeof ws, err)) < 0 ||
        (rc = make_path(w, RF_W_NOGIT, nogit, sizeof nogit, err)) < 0 ||
        (rc = make_path(w, RF_W_EXTRA, extra, sizeof extra, err)) < 0 ||
        (rc = make_path(w, RF_W_SECRET_DIR, secret, sizeof secret, err)) < 0 ||
        (rc = make_path(w, RF_W_SECRET_SINGLE, single, sizeof single, err)) < 0 ||
        (rc = make_path(w, RF_W_DOCKER_SOCK, sock, sizeof sock, err)) < 0)
        return rc;
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "version", 1);
    cJSON_AddStringToObject(doc, "workspace", ws);
    const char *roots[] = {nogit, extra};
    cJSON_AddItemToObject(doc, "writable_roots", cJSON_CreateStringArray(roots, 2));
    const char *deny[] = {secret, single, sock};
    cJSON_AddItemToObject(doc, "deny_read", cJSON_CreateStringArray(deny, 3));
    cJSON_AddStringToObject(doc, "network", "off");
    cJSON_AddStringToObject(doc, "tmp", "private");
    rc = write_json(w, RF_W_POLICY, doc, err);
    cJSON_Delete(doc);
    return rc;
}

/* The first executable `name` on the caller's PATH, or "". */
static void find_tool(const char *name, char *out, size_t len) {
    const char *path = getenv("PATH");
    out[0] = '\0';
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t dl = colon ? (size_t)(colon - path) : strlen(path);
        if (dl > 0 && (size_t)snprintf(out, len, "%.*s/%s", (int)dl, path, name) < len &&
            access(out, X_OK) == 0)
            return;
        out[0] = '\0';
        path += dl + (colon ? 1 : 0);
    }
}

/* The file handle of rel (name_to_handle_at), as {"type": N, "hex": "..."}:
 * the open_by_handle_at probes use it to reach the file without its path. */
static int add_handle(cJSON *doc, const rf_world *w, const char *key, const char *rel,
                      rf_error *err) {
    char path[PATH_MAX + 64];
    int rc = make_path(w, rel, path, sizeof path, err);
    if (rc < 0)
        return rc;
    union {
        struct file_handle fh;
        char space[sizeof(struct file_handle) + MAX_HANDLE_SZ];
    } h;
    h.fh.handle_bytes = MAX_HANDLE_SZ;
    int mount_id;
    if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0) < 0)
        return rf_fail_errno(err, errno, "probe world: name_to_handle_at %s", path);
    char hex[2 * MAX_HANDLE_SZ + 1];
    for (unsigned i = 0; i < h.fh.handle_bytes; i++)
        snprintf(hex + 2 * i, 3, "%02x", h.fh.f_handle[i]);
    hex[2 * h.fh.handle_bytes] = '\0';
    cJSON *o = cJSON_AddObjectToObject(doc, key);
    cJSON_AddNumberToObject(o, "type", h.fh.handle_type);
    cJSON_AddStringToObject(o, "hex", hex);
    return 0;
}

static int write_world_file(const rf_world *w, rf_error *err) {
    char sock[PATH_MAX + 64], addr[32], curl[512], git[512], ssh[512];
    int rc = make_path(w, RF_W_DOCKER_SOCK, sock, sizeof sock, err);
    if (rc < 0)
        return rc;
    snprintf(addr, sizeof addr, "%lx", w->target.addr);
    find_tool("curl", curl, sizeof curl);
    find_tool("git", git, sizeof git);
    find_tool("ssh", ssh, sizeof ssh);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "root", w->root);
    cJSON_AddStringToObject(doc, "nonce", w->nonce);
    cJSON_AddNumberToObject(doc, "tcp_port", w->sockets.tcp_port);
    cJSON_AddNumberToObject(doc, "tcp6_port", w->sockets.tcp6_port);
    cJSON_AddNumberToObject(doc, "udp_port", w->sockets.udp_port);
    cJSON_AddNumberToObject(doc, "dns_port", w->sockets.dns_port);
    cJSON_AddNumberToObject(doc, "ssh_port", w->sockets.ssh_port);
    cJSON_AddStringToObject(doc, "abstract_name", w->abstract_name);
    cJSON_AddStringToObject(doc, "docker_sock", sock);
    cJSON_AddNumberToObject(doc, "target_pid", w->target.pid);
    cJSON_AddStringToObject(doc, "target_addr", addr);
    cJSON_AddNumberToObject(doc, "target_len", (double)w->target.len);
    cJSON_AddNumberToObject(doc, "target_fd", w->target.fd);
    cJSON_AddStringToObject(doc, "tmp_path", w->tmp_path);
    cJSON_AddStringToObject(doc, "agent_sock", w->agent_sock);
    if ((rc = add_handle(doc, w, "secret_handle", RF_W_SECRET_FILE, err)) < 0 ||
        (rc = add_handle(doc, w, "outside_handle", RF_W_OUT_BY_HANDLE, err)) < 0) {
        cJSON_Delete(doc);
        return rc;
    }
    cJSON_AddStringToObject(doc, "lock_path", w->lock_path);
    cJSON_AddStringToObject(doc, "curl", curl);
    cJSON_AddStringToObject(doc, "git", git);
    cJSON_AddStringToObject(doc, "ssh", ssh);
    char net_ns[64] = "";
    ssize_t n = readlink("/proc/self/ns/net", net_ns, sizeof net_ns - 1);
    net_ns[n > 0 ? n : 0] = '\0';
    cJSON_AddStringToObject(doc, "net_ns", net_ns);
    rc = write_json(w, RF_W_WORLD_JSON, doc, err);
    cJSON_Delete(doc);
    return rc;
}

/* ---- lifecycle ------------------------------------------------------------ */

static int make_nonce(char *out, size_t len, rf_error *err) {
    unsigned char raw[8];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
        return rf_fail_errno(err, errno, "probe world: getrandom for the nonce");
    for (size_t i = 0; i < sizeof raw && 2 * i + 2 < len; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

int rf_world_create(const char *base_dir, rf_world **out, rf_error *err) {
    *out = NULL;
    int rc = 0;
    rf_world *w = calloc(1, sizeof *w);
    if (!w)
        return rf_fail_errno(err, ENOMEM, "probe world: allocating");
    w->sockets.tcp = w->sockets.tcp6 = w->sockets.udp = w->sockets.dns = w->sockets.ssh =
        w->sockets.docker = w->sockets.abstract = w->sockets.agent = -1;
    w->target.fd = -1;
    if (!base_dir)
        base_dir = getenv("RINGFENCE_PROBE_DIR");
    if (!base_dir || !base_dir[0])
        base_dir = "/var/tmp";
    char tmpl[PATH_MAX];
    if (snprintf(tmpl, sizeof tmpl, "%s/ringfence-probe.XXXXXX", base_dir) >= (int)sizeof tmpl) {
        rc = rf_fail(err, -ENAMETOOLONG, "probe world: base folder %s is too long", base_dir);
        goto out;
    }
    if (!mkdtemp(tmpl)) {
        rc = rf_fail_errno(err, errno, "probe world: mkdtemp in %s", base_dir);
        goto out;
    }
    /* The policy resolves symlinks: use the resolved name everywhere. */
    if (!realpath(tmpl, w->root)) {
        rc = rf_fail_errno(err, errno, "probe world: resolving %s", tmpl);
        rmdir(tmpl);
        goto out;
    }
    if ((rc = make_nonce(w->nonce, sizeof w->nonce, err)) < 0)
        goto out;
    snprintf(w->tmp_path, sizeof w->tmp_path, "/tmp/rf-probe-%s.txt", w->nonce);
    snprintf(w->agent_sock, sizeof w->agent_sock, "/tmp/rf-probe-%s.sock", w->nonce);
    snprintf(w->abstract_name, sizeof w->abstract_name, "ringfence-probe-%s", w->nonce);
    snprintf(w->world_file, sizeof w->world_file, "%s/%s", w->root, RF_W_WORLD_JSON);
    snprintf(w->policy_file, sizeof w->policy_file, "%s/%s", w->root, RF_W_POLICY);
    snprintf(w->lock_path, sizeof w->lock_path, "%s/%s", w->root, RF_W_LOCK);
    snprintf(w->workspace, sizeof w->workspace, "%s/%s", w->root, RF_W_WS);
    if ((rc = mkdir_rel(w, RF_W_RUN, err)) < 0 || (rc = mkdir_rel(w, RF_W_STATE, err)) < 0 ||
        (rc = rf_world_reset(w, err)) < 0 || (rc = write_policy(w, err)) < 0)
        goto out;
    char sock[PATH_MAX + 64], hits[PATH_MAX + 64], target_file[PATH_MAX + 64];
    if ((rc = make_path(w, RF_W_DOCKER_SOCK, sock, sizeof sock, err)) < 0 ||
        (rc = make_path(w, RF_W_HTTP_HITS, hits, sizeof hits, err)) < 0 ||
        (rc = make_path(w, RF_W_STATE "/target-fd.txt", target_file, sizeof target_file, err)) < 0)
        goto out;
    if ((rc = rf_world_sockets_open(&w->sockets, sock, w->agent_sock, w->abstract_name, err)) < 0 ||
        (rc = rf_world_serve(&w->sockets, w->nonce, hits, &w->server_pid, err)) < 0)
        goto out;
    rf_world_sockets_close(&w->sockets); /* the server holds them now */
    if ((rc = rf_world_target_start(w->nonce, target_file, &w->target, err)) < 0)
        goto out;
    w->started = true;
    if ((rc = write_world_file(w, err)) < 0)
        goto out;
out:
    if (rc < 0) {
        rf_world_destroy(w);
        return rc;
    }
    *out = w;
    return 0;
}

const char *rf_world_root(const rf_world *w) { return w->root; }
const char *rf_world_file(const rf_world *w) { return w->world_file; }
const char *rf_world_policy_file(const rf_world *w) { return w->policy_file; }
const char *rf_world_workspace(const rf_world *w) { return w->workspace; }
const char *rf_world_tmp_path(const rf_world *w) { return w->tmp_path; }
const char *rf_world_lock_path(const rf_world *w) { return w->lock_path; }
const char *rf_world_nonce(const rf_world *w) { return w->nonce; }

static void end_process(pid_t pid) {
    if (pid <= 0)
        return;
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
}

void rf_world_destroy(rf_world *w) {
    if (!w)
        return;
    end_process(w->server_pid);
    end_process(w->target.pid);
    if (w->target.fd >= 0)
        close(w->target.fd);
    rf_world_sockets_close(&w->sockets);
    rf_error ignored = {0};
    char shm[256];
    if (w->tmp_path[0])
        remove_tree(w->tmp_path, &ignored);
    if (w->tmp_path[0] && rf_probe_shm_path(w->tmp_path, shm, sizeof shm))
        remove_tree(shm, &ignored);
    if (w->agent_sock[0])
        remove_tree(w->agent_sock, &ignored);
    if (w->root[0])
        remove_tree(w->root, &ignored);
    free(w);
}
