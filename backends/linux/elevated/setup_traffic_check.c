/*
 * setup_traffic_check.c — what the firewall table does to real traffic (run
 * by setup_test.sh inside its own network namespace, after setup).
 *
 * usage: setup_traffic_check OFFLINE_UID ONLINE_UID PROXY_PORT [REMOTE4 REMOTE6]
 *
 * With REMOTE4 / REMOTE6 (addresses routed through the test's veth pair
 * rftd0/rftd1, where nothing answers), also the offline user's traffic to a
 * non-loopback destination.
 *
 * Listens on loopback as root, then, for each case, forks a child that
 * becomes the given uid (no supplementary groups) and connects or sends.
 * Rejected traffic must fail fast (well under a second), not time out.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/check.h"

/* OP_PING_REPLY and OP_UDP_CLOSED succeed only when the kernel's answer (an
 * echo reply, a port unreachable) comes back: packets the kernel sends on no
 * one's behalf carry no socket, and the table must let them out. */
typedef enum { OP_TCP, OP_UDP, OP_PING, OP_PING_REPLY, OP_UDP_CLOSED } op_kind;

typedef struct traffic_case {
    const char *reason;
    int who;          /* 0 offline, 1 online */
    op_kind op;
    int family;       /* AF_INET or AF_INET6 */
    int port_index;   /* 0 proxy port, 1 another port (TCP) / the UDP port */
    bool allowed;
    bool remote;      /* to REMOTE4 / REMOTE6 instead of loopback */
} traffic_case;

/* who: 0 offline, 1 online; port 0 the proxy port, 1 another; remote: to the
 * veth pair's network instead of loopback. */
#define LOCAL false
#define REMOTE true
static const traffic_case cases[] = {
    {"offline user, TCP to a non-proxy loopback port: rejected", 0, OP_TCP, AF_INET, 1, false,
     LOCAL},
    {"offline user, TCP to the proxy port: allowed", 0, OP_TCP, AF_INET, 0, true, LOCAL},
    {"online user, TCP to a non-proxy loopback port: allowed", 1, OP_TCP, AF_INET, 1, true,
     LOCAL},
    {"offline user, IPv6 TCP to a non-proxy port: rejected", 0, OP_TCP, AF_INET6, 1, false,
     LOCAL},
    {"offline user, IPv6 TCP to the proxy port: allowed", 0, OP_TCP, AF_INET6, 0, true, LOCAL},
    {"offline user, UDP send: rejected", 0, OP_UDP, AF_INET, 1, false, LOCAL},
    {"online user, UDP send: allowed", 1, OP_UDP, AF_INET, 1, true, LOCAL},
    {"offline user, IPv6 UDP send: rejected", 0, OP_UDP, AF_INET6, 1, false, LOCAL},
    {"offline user, ICMP echo: rejected", 0, OP_PING, AF_INET, 0, false, LOCAL},
    {"online user, ICMP echo: allowed", 1, OP_PING, AF_INET, 0, true, LOCAL},
    {"offline user, TCP to a remote address: rejected", 0, OP_TCP, AF_INET, 1, false, REMOTE},
    {"offline user, IPv6 TCP to a remote address: rejected", 0, OP_TCP, AF_INET6, 1, false,
     REMOTE},
    {"offline user, UDP to a remote address: rejected", 0, OP_UDP, AF_INET, 1, false, REMOTE},
    {"online user, UDP to a remote address: allowed", 1, OP_UDP, AF_INET, 1, true, REMOTE},
    {"offline user, ICMP echo to a remote address: rejected", 0, OP_PING, AF_INET, 0, false,
     REMOTE},
    {"offline user, TCP to the proxy port on a remote address: rejected", 0, OP_TCP, AF_INET, 0,
     false, REMOTE},
    {"online user, ICMP echo: the kernel's reply comes back", 1, OP_PING_REPLY, AF_INET, 0, true,
     LOCAL},
    {"online user, ICMPv6 echo: the kernel's reply comes back", 1, OP_PING_REPLY, AF_INET6, 0,
     true, LOCAL},
    {"online user, UDP to a closed port: port unreachable comes back", 1, OP_UDP_CLOSED, AF_INET,
     1, true, LOCAL},
    {"online user, IPv6 UDP to a closed port: port unreachable comes back", 1, OP_UDP_CLOSED,
     AF_INET6, 1, true, LOCAL},
    /* The rejection of an ICMPv6 echo shows as the ICMPv6 error received. */
    {"offline user, ICMPv6 echo: rejected", 0, OP_PING_REPLY, AF_INET6, 0, false, LOCAL},
};

static const char *remote_addr[2]; /* IPv4, IPv6 text; NULL: no remote cases */

static socklen_t address(int family, unsigned port, bool remote, struct sockaddr_storage *ss) {
    memset(ss, 0, sizeof *ss);
    if (family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (remote && inet_pton(AF_INET, remote_addr[0], &a->sin_addr) != 1)
            exit(2);
        return sizeof *a;
    }
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons((uint16_t)port);
    a->sin6_addr = in6addr_loopback;
    if (remote && inet_pton(AF_INET6, remote_addr[1], &a->sin6_addr) != 1)
        exit(2);
    return sizeof *a;
}

static socklen_t loopback(int family, unsigned port, struct sockaddr_storage *ss) {
    return address(family, port, false, ss);
}

/* A listening (TCP) or bound (UDP) socket on loopback; *port gets the port. */
static int open_server(int family, int type, unsigned *port) {
    struct sockaddr_storage ss;
    socklen_t len = loopback(family, *port, &ss);
    int fd = socket(family, type | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, (struct sockaddr *)&ss, len) < 0 || (type == SOCK_STREAM && listen(fd, 16) < 0)) {
        perror("setup_traffic_check: opening a loopback server");
        exit(2);
    }
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
        perror("getsockname");
        exit(2);
    }
    *port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                    : ((struct sockaddr_in6 *)&ss)->sin6_port);
    return fd;
}

/* An echo request; with `want_reply`, 0 only when the reply arrives. */
static int ping(int fd, int family, const struct sockaddr_storage *ss, socklen_t len,
                bool want_reply) {
    struct icmphdr echo = {.type = ICMP_ECHO};
    struct icmp6_hdr echo6 = {.icmp6_type = ICMP6_ECHO_REQUEST};
    echo.un.echo.sequence = htons(1);
    echo6.icmp6_seq = htons(1);
    const void *msg = family == AF_INET ? (const void *)&echo : (const void *)&echo6;
    size_t msg_len = family == AF_INET ? sizeof echo : sizeof echo6;
    /* Connected: an ICMP error (the rejection of an ICMPv6 echo) is then
     * reported by recv(); sendto() of an ICMPv6 echo succeeds regardless. */
    if (connect(fd, (const struct sockaddr *)ss, len) < 0 || send(fd, msg, msg_len, 0) < 0)
        return errno;
    char reply[64];
    struct timeval wait = {.tv_sec = 1};
    if (want_reply && (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait) < 0 ||
                       recv(fd, reply, sizeof reply, 0) < 0))
        return errno;
    return 0;
}

/* In the child, as the case's user: 0 when the traffic went out (or, for the
 * kernel-answer cases, when the answer came back), else errno. */
static int attempt(const traffic_case *c, unsigned port) {
    struct sockaddr_storage ss;
    socklen_t len = address(c->family, port, c->remote, &ss);
    bool icmp = c->op == OP_PING || c->op == OP_PING_REPLY;
    int type = c->op == OP_TCP ? SOCK_STREAM : SOCK_DGRAM;
    int proto = !icmp ? 0 : c->family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
    int fd = socket(c->family, type | SOCK_CLOEXEC, proto);
    if (fd < 0)
        return errno;
    if (c->op == OP_TCP)
        return connect(fd, (struct sockaddr *)&ss, len) < 0 ? errno : 0;
    if (icmp)
        return ping(fd, c->family, &ss, len, c->op == OP_PING_REPLY);
    if (connect(fd, (struct sockaddr *)&ss, len) < 0)
        return errno;
    /* Twice: an ICMP error for the first datagram is reported on the next call. */
    for (int i = 0; i < 2; i++) {
        if (send(fd, "x", 1, 0) < 0)
            return c->op == OP_UDP_CLOSED && errno == ECONNREFUSED ? 0 : errno;
        usleep(50 * 1000);
    }
    return c->op == OP_UDP_CLOSED ? ETIMEDOUT : 0;
}

static int run_as(uid_t uid, const traffic_case *c, unsigned port, double *seconds) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        alarm(5); /* a dropped (not rejected) packet would hang: fail instead */
        if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
            setresuid(uid, uid, uid) < 0)
            _exit(250);
        _exit(attempt(c, port));
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            exit(2);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (WIFSIGNALED(status))
        return -WTERMSIG(status);
    return WEXITSTATUS(status);
}

/* Only lo and the test's veth pair: a namespace of the test's own. */
static bool only_loopback(void) {
    struct if_nameindex *ifs = if_nameindex();
    bool only = ifs != NULL;
    for (struct if_nameindex *i = ifs; i && i->if_index != 0; i++)
        only = only && (strcmp(i->if_name, "lo") == 0 || strncmp(i->if_name, "rftd", 4) == 0);
    if (ifs)
        if_freenameindex(ifs);
    return only;
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 6) {
        fprintf(stderr, "usage: %s OFFLINE_UID ONLINE_UID PROXY_PORT [REMOTE4 REMOTE6]\n",
                argv[0]);
        return 2;
    }
    if (argc == 6) {
        remote_addr[0] = argv[4];
        remote_addr[1] = argv[5];
    }
    if (!only_loopback()) {
        fprintf(stderr, "setup_traffic_check: run me in a network namespace of my own\n");
        return 2;
    }
    uid_t uids[2] = {(uid_t)atoi(argv[1]), (uid_t)atoi(argv[2])};
    /* ICMP echo sockets for every group, in this namespace only. */
    int fd = open("/proc/sys/net/ipv4/ping_group_range", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, "0 2147483647", 12) != 12 || close(fd) < 0) {
        perror("setup_traffic_check: /proc/sys/net/ipv4/ping_group_range");
        return 2;
    }
    unsigned tcp4[2] = {(unsigned)atoi(argv[3]), 0}, tcp6[2] = {tcp4[0], 0}, udp4 = 0, udp6 = 0;
    unsigned closed4 = 0, closed6 = 0; /* bound, then closed: nothing listens there */
    close(open_server(AF_INET, SOCK_DGRAM, &closed4));
    close(open_server(AF_INET6, SOCK_DGRAM, &closed6));
    for (int i = 0; i < 2; i++) {
        open_server(AF_INET, SOCK_STREAM, &tcp4[i]);
        open_server(AF_INET6, SOCK_STREAM, &tcp6[i]);
    }
    open_server(AF_INET, SOCK_DGRAM, &udp4);
    open_server(AF_INET6, SOCK_DGRAM, &udp6);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const traffic_case *c = &cases[i];
        if (c->remote && !remote_addr[0])
            continue;
        unsigned port = c->remote ? (c->port_index == 0 ? tcp4[0] : 80u)
                        : c->op == OP_UDP_CLOSED ? (c->family == AF_INET ? closed4 : closed6)
                        : c->op == OP_UDP ? (c->family == AF_INET ? udp4 : udp6)
                        : c->family == AF_INET ? tcp4[c->port_index]
                                               : tcp6[c->port_index];
        double seconds;
        int res = run_as(uids[c->who], c, port, &seconds);
        printf("%-58s -> %s (%.3f s)\n", c->reason,
               res == 0 ? "went out" : res > 0 ? strerror(res) : "killed (hung)", seconds);
        if (c->allowed) {
            CHECK(res == 0, "%s: got %s", c->reason, res > 0 ? strerror(res) : "a hang");
        } else {
            bool refused = res == ECONNREFUSED || res == EPERM || res == EHOSTUNREACH ||
                           res == EACCES;
            CHECK(refused, "%s: got %s", c->reason,
                  res == 0 ? "success" : res > 0 ? strerror(res) : "a hang");
            CHECK(seconds < 1.0, "%s: took %.3f s; rejection must be fast", c->reason, seconds);
        }
    }
    return check_summary("setup_traffic_check");
}
