/*
 * probe_deny_read.c — probes of the `deny_read` guarantee: the planted secret
 * cannot be read or listed, and the docker.sock stand-in cannot be reached.
 * `allowed` needs the secret's nonce (or the socket's greeting) in hand.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "probe/probe.h"
#include "probe/world_layout.h"

#define PATHBUF 1200

static void read_secret(const char *path, const rf_probe_world *w, const char *what,
                        rf_probe_result *r) {
    char buf[4096];
    long n = rf_probe_read_file(path, buf, sizeof buf);
    if (n < 0)
        return rf_probe_failed_hidden(r, (int)-n, what);
    if (!strstr(buf, w->nonce)) {
        /* An empty file mounted over the secret reads fine and says nothing. */
        return rf_probe_blocked(r, 0, "%s: read %ld bytes without the secret (covered)", what, n);
    }
    rf_probe_allowed(r, "%s: read the secret from %s", what, path);
}

static void p_read_file(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    if (!rf_probe_path(w, RF_W_SECRET_FILE, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    read_secret(path, w, "read the planted secret", r);
}

static void p_single_file(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    if (!rf_probe_path(w, RF_W_SECRET_SINGLE, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    read_secret(path, w, "read a deny_read file", r);
}

static void p_via_symlink(const rf_probe_world *w, rf_probe_result *r) {
    char link[PATHBUF], target[PATHBUF];
    if (!rf_probe_path(w, RF_W_WS "/secret-link", link, sizeof link) ||
        !rf_probe_path(w, RF_W_SECRET_FILE, target, sizeof target))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    unlink(link);
    if (symlink(target, link) < 0)
        return rf_probe_error(r, errno, "symlink in the workspace: %s", strerror(errno));
    read_secret(link, w, "read the secret through a workspace symlink", r);
}

static void p_list_dir(const rf_probe_world *w, rf_probe_result *r) {
    char path[PATHBUF];
    if (!rf_probe_path(w, RF_W_SECRET_DIR, path, sizeof path))
        return rf_probe_error(r, ENAMETOOLONG, "path too long");
    DIR *d = opendir(path);
    if (!d)
        return rf_probe_failed_hidden(r, errno, "list the secret folder");
    bool seen = false;
    int entries = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            entries++;
        if (strcmp(de->d_name, "token.txt") == 0)
            seen = true;
    }
    closedir(d);
    if (!seen) {
        return rf_probe_blocked(
            r, 0, "listed %s: %d entries, the secret is not among them (covered)", path, entries);
    }
    rf_probe_allowed(r, "listed %s and saw token.txt", path);
}

/* The secret by file handle: no path, so mounts over its folder do not
 * cover it (the "shocker" escape); needs CAP_DAC_READ_SEARCH. */
static void p_open_by_handle(const rf_probe_world *w, rf_probe_result *r) {
    int fd = rf_probe_open_handle(w, &w->secret_handle, O_RDONLY);
    if (fd < 0)
        return rf_probe_failed(r, -fd, "open_by_handle_at the secret");
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0)
        return rf_probe_failed(r, errno, "read the secret by handle");
    buf[n] = '\0';
    if (!strstr(buf, w->nonce))
        return rf_probe_error(r, 0, "opened by handle, but the content is not the secret");
    rf_probe_allowed(r, "read the secret through open_by_handle_at");
}

/* Connect to the docker.sock stand-in and read its greeting (the nonce). */
static void p_docker_sock(const rf_probe_world *w, rf_probe_result *r) {
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(w->docker_sock) >= sizeof sa.sun_path)
        return rf_probe_error(r, ENAMETOOLONG, "socket path too long");
    strcpy(sa.sun_path, w->docker_sock);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return rf_probe_error(r, errno, "socket(AF_UNIX): %s", strerror(errno));
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        int e = errno;
        close(fd);
        rf_probe_failed_hidden(r, e, "connect to the docker.sock stand-in");
        /* A socket covered by an empty file refuses the connection. */
        if (e == ECONNREFUSED)
            r->outcome = RF_OUT_BLOCKED;
        return;
    }
    char buf[256] = "";
    struct pollfd p = {.fd = fd, .events = POLLIN};
    ssize_t n = poll(&p, 1, 3000) == 1 ? read(fd, buf, sizeof buf - 1) : -1;
    close(fd);
    if (n <= 0)
        return rf_probe_error(r, errno, "connected but the stand-in sent nothing");
    buf[n] = '\0';
    if (!strstr(buf, w->nonce))
        return rf_probe_error(r, 0, "connected but the greeting lacks the nonce");
    rf_probe_allowed(r, "connected to %s and read its greeting", w->docker_sock);
}

/* clang-format off */
#define P(id, flags, fn, desc) {id, RF_G_DENY_READ, RF_KIND_RAW, flags, fn, desc}

const rf_probe rf_probes_deny_read[] = {
    P("deny_read.read_file", 0, p_read_file, "read the planted secret"),
    P("deny_read.list_dir", 0, p_list_dir, "list the secret's folder"),
    P("deny_read.via_symlink", 0, p_via_symlink, "read the secret through a workspace symlink"),
    P("deny_read.single_file", 0, p_single_file, "read a deny_read entry that is a single file"),
    P("deny_read.open_by_handle", RF_PROBE_NEEDS_ROOT, p_open_by_handle, "read the secret by file handle (open_by_handle_at)"),
    P("deny_read.docker_sock", 0, p_docker_sock, "connect to the docker.sock stand-in"),
};
const size_t rf_probes_deny_read_count = sizeof rf_probes_deny_read / sizeof rf_probes_deny_read[0];
/* clang-format on */
