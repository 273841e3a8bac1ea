/*
 * world_test — the probe world comes up complete and goes away completely:
 * the folder, the /tmp markers, the listener process and the target process.
 * A world that cannot be built leaves nothing behind and says why.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe/probe.h"
#include "probe/world.h"
#include "probe/world_layout.h"
#include "tests/check.h"

static bool exists(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0;
}

static int tcp_connect(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = connect(fd, (struct sockaddr *)&a, sizeof a) == 0 ? 0 : -errno;
    close(fd);
    return rc;
}

int main(void) {
    /* The default base (/var/tmp): a unix socket path must fit in 108 bytes,
     * which Bazel's TEST_TMPDIR does not leave room for. */
    rf_world *world = NULL;
    rf_error err = {0};
    int rc = rf_world_create(NULL, &world, &err);
    CHECK(rc == 0, "building the world: %s", err.message);
    if (rc < 0)
        return check_summary("world");

    rf_probe_world w;
    char why[512] = "";
    CHECK(rf_probe_world_load(rf_world_file(world), &w, why, sizeof why) == 0,
          "the world file reads back: %s", why);
    char root[1100], ws_git[1200], secret[1200], policy[1200];
    snprintf(root, sizeof root, "%s", rf_world_root(world));
    snprintf(ws_git, sizeof ws_git, "%s/" RF_W_WS_GIT_CONFIG, root);
    snprintf(secret, sizeof secret, "%s/" RF_W_SECRET_FILE, root);
    snprintf(policy, sizeof policy, "%s", rf_world_policy_file(world));
    CHECK(exists(ws_git), "the workspace has .git/config");
    CHECK(exists(secret), "the secret is planted");
    CHECK(exists(policy), "the policy is written");
    CHECK(exists(w.agent_sock), "the agent socket is in the host's /tmp");
    CHECK(tcp_connect(w.tcp_port) == 0, "the HTTP listener accepts");
    char comm_path[64], comm[64] = "";
    snprintf(comm_path, sizeof comm_path, "/proc/%d/comm", w.target_pid);
    CHECK(rf_probe_read_file(comm_path, comm, sizeof comm) > 0 &&
              strncmp(comm, "rf-target", 9) == 0,
          "the target process runs (comm '%s')", comm);

    /* A reset puts a fixture back and keeps the listeners. */
    CHECK(unlink(ws_git) == 0, "removing a fixture");
    CHECK(rf_world_reset(world, &err) == 0, "reset: %s", err.message);
    CHECK(exists(ws_git), "reset restored .git/config");
    CHECK(tcp_connect(w.tcp_port) == 0, "the listener survives a reset");

    rf_world_destroy(world);
    CHECK(!exists(root), "the world folder is gone");
    char shm[256];
    CHECK(rf_probe_shm_path(w.tmp_path, shm, sizeof shm), "the /dev/shm marker's path");
    CHECK(!exists(w.agent_sock) && !exists(w.tmp_path) && !exists(shm),
          "the /tmp and /dev/shm markers are gone");
    CHECK(kill(w.target_pid, 0) < 0 && errno == ESRCH, "the target process is gone");
    CHECK(tcp_connect(w.tcp_port) == -ECONNREFUSED, "the listener is gone");

    /* A world that cannot be built leaves nothing and names the folder. */
    rf_error bad = {0};
    world = NULL;
    rc = rf_world_create("/nonexistent/rf-probe-base", &world, &bad);
    CHECK(rc < 0 && world == NULL, "a missing base folder fails");
    CHECK(strstr(bad.message, "/nonexistent/rf-probe-base") != NULL,
          "the error names the folder: %s", bad.message);
    return check_summary("world");
}
