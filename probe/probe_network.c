/*
 * probe_network.c — probes of the `network` guarantee: with network off, no
 * traffic leaves the sandbox.  The targets are listeners the world started
 * on loopback, outside the sandbox; `allowed` means the probe got the world's
 * nonce back (so a listener that the sandbox replaced, say in a network
 * namespace, does not count as reached).
 *
 * Raw probes use the system calls directly; conventional ones run a real tool
 * (curl, git, ssh) that honours the proxy variables and PATH, so that an
 * advisory layer shows up as advisory-blocked.
 */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/io_uring.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <resolv.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "probe/probe.h"
#include "probe/world_layout.h"

#define PATHBUF 1200
#define IO_TIMEOUT_MS 3000

/* Waits for fd to be readable and reads once; returns bytes or -errno. */
static ssize_t read_timeout(int fd, char *buf, size_t len) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n = poll(&p, 1, IO_TIMEOUT_MS);
    if (n < 0)
        return -errno;
    if (n == 0)
        return -ETIMEDOUT;
    ssize_t k = recv(fd, buf, len, 0);
    return k < 0 ? -errno : k;
}

/* Reads until EOF or until `needle` shows up; NUL-terminates. */
static bool read_until(int fd, char *buf, size_t len, const char *needle) {
    size_t got = 0;
    while (got + 1 < len) {
        ssize_t k = read_timeout(fd, buf + got, len - 1 - got);
        if (k <= 0)
            break;
        got += (size_t)k;
        buf[got] = '\0';
        if (strstr(buf, needle))
            return true;
    }
    buf[got] = '\0';
    return strstr(buf, needle) != NULL;
}

static void loopback(int family, int port, struct sockaddr_storage *ss, socklen_t *len) {
    memset(ss, 0, sizeof *ss);
    if (family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        a->sin6_addr = in6addr_loopback;
        *len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        *len = sizeof *a;
    }
}

/* 1 when the probe shares the world's network namespace, 0 when it does not,
 * -1 when it cannot tell. */
static int same_netns(const rf_probe_world *w) {
    char mine[64];
    ssize_t n = readlink("/proc/self/ns/net", mine, sizeof mine - 1);
    if (n <= 0 || !w->net_ns[0])
        return -1;
    mine[n] = '\0';
    return strcmp(mine, w->net_ns) == 0;
}

/* A connection that failed.  Refusals (EPERM, EACCES) are blocked.  "Nobody
 * listens" (ECONNREFUSED, unreachable) means the sandbox put the probe in a
 * network of its own — blocked — but only when it really is another network
 * namespace: in the world's own namespace the listener is there (the baseline
 * proved it), so a refusal would be the world's fault: error. */
static void net_failed(const rf_probe_world *w, rf_probe_result *r, int err, const char *what) {
    rf_probe_failed(r, err, what);
    if (err != ECONNREFUSED && err != ENETUNREACH && err != EHOSTUNREACH)
        return;
    int same = same_netns(w);
    if (same == 0)
        rf_probe_blocked(r, err, "%s: %s (isolated: another network namespace)", what,
                         strerror(err));
    else
        rf_probe_error(r, err, "%s: %s, in the world's own network namespace", what, strerror(err));
}

/* An HTTP GET over a connected stream socket; allowed when the nonce returns. */
static void http_over(int fd, const rf_probe_world *w, const char *tag, rf_probe_result *r) {
    char req[256], buf[2048];
    int n =
        snprintf(req, sizeof req, "GET /%s-%s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", tag, w->nonce);
    if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n)
        return rf_probe_error(r, errno, "%s: send the request: %s", tag, strerror(errno));
    if (!read_until(fd, buf, sizeof buf, w->nonce))
        return rf_probe_error(r, 0, "%s: connected, but the reply lacks the nonce", tag);
    rf_probe_allowed(r, "%s: the listener outside answered with the nonce", tag);
}

static void tcp_probe(const rf_probe_world *w, int family, int port, const char *tag,
                      rf_probe_result *r) {
    if (port <= 0)
        return rf_probe_error(r, 0, "%s: the world has no such listener", tag);
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return rf_probe_failed(r, errno, "socket(SOCK_STREAM)");
    struct sockaddr_storage ss;
    socklen_t len;
    loopback(family, port, &ss, &len);
    if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
        int e = errno;
        close(fd);
        return net_failed(w, r, e, "connect to the loopback listener");
    }
    http_over(fd, w, tag, r);
    close(fd);
}

static void p_tcp_connect(const rf_probe_world *w, rf_probe_result *r) {
    tcp_probe(w, AF_INET, w->tcp_port, "tcp4", r);
}

static void p_tcp6_connect(const rf_probe_world *w, rf_probe_result *r) {
    tcp_probe(w, AF_INET6, w->tcp6_port, "tcp6", r);
}

/* Sends one datagram to port and waits for a reply holding the nonce. */
static void udp_exchange(const rf_probe_world *w, int port, const void *msg, size_t msg_len,
                         const char *what, rf_probe_result *r, const char *needle,
                         size_t needle_len) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return rf_probe_failed(r, errno, "socket(AF_INET, SOCK_DGRAM)");
    struct sockaddr_storage ss;
    socklen_t len;
    loopback(AF_INET, port, &ss, &len);
    /* Connected, so that an ICMP "port unreachable" comes back as ECONNREFUSED. */
    if (connect(fd, (struct sockaddr *)&ss, len) < 0 || send(fd, msg, msg_len, 0) < 0) {
        int e = errno;
        close(fd);
        return net_failed(w, r, e, what);
    }
    unsigned char buf[1500];
    ssize_t n = read_timeout(fd, (char *)buf, sizeof buf);
    close(fd);
    if (n < 0)
        return net_failed(w, r, (int)-n, what);
    if (!memmem(buf, (size_t)n, needle, needle_len))
        return rf_probe_error(r, 0, "%s: a reply without the nonce", what);
    rf_probe_allowed(r, "%s: the listener outside answered", what);
}

static void p_udp_send(const rf_probe_world *w, rf_probe_result *r) {
    udp_exchange(w, w->udp_port, "rfprobe", 7, "UDP send to the loopback listener", r, w->nonce,
                 strlen(w->nonce));
}

/* A DNS query (TXT rfprobe.test) built by hand. */
static void p_dns_raw(const rf_probe_world *w, rf_probe_result *r) {
    unsigned char q[512];
    int n = res_mkquery(QUERY, "rfprobe.test", C_IN, T_TXT, NULL, 0, NULL, q, sizeof q);
    if (n < 0)
        return rf_probe_error(r, 0, "res_mkquery failed");
    udp_exchange(w, w->dns_port, q, (size_t)n, "DNS query to the loopback resolver", r, w->nonce,
                 strlen(w->nonce));
}

/* A DNS lookup through the C library's resolver, pointed at the world's server. */
static void p_dns_resolver(const rf_probe_world *w, rf_probe_result *r) {
    struct __res_state st;
    memset(&st, 0, sizeof st);
    if (res_ninit(&st) < 0)
        return rf_probe_error(r, 0, "res_ninit failed");
    st.nscount = 1;
    st.nsaddr_list[0].sin_family = AF_INET;
    st.nsaddr_list[0].sin_port = htons((uint16_t)w->dns_port);
    st.nsaddr_list[0].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    st.retrans = 2;
    st.retry = 1;
    unsigned char ans[1024];
    errno = 0;
    int n = res_nquery(&st, "rfprobe.test", C_IN, T_TXT, ans, sizeof ans);
    int e = errno;
    res_nclose(&st);
    if (n < 0) {
        if (rf_probe_is_refusal(e) || e == ECONNREFUSED || e == ENETUNREACH)
            return net_failed(w, r, e, "res_nquery");
        return rf_probe_error(r, e, "res_nquery failed (h_errno %d): %s", h_errno, strerror(e));
    }
    if (!memmem(ans, (size_t)n, w->nonce, strlen(w->nonce)))
        return rf_probe_error(r, 0, "the resolver answered without the nonce");
    rf_probe_allowed(r, "resolved rfprobe.test through the C library resolver");
}

/* An ICMP echo on a raw socket; allowed when the reply comes back. */
static void p_raw_socket(const rf_probe_world *w, rf_probe_result *r) {
    (void)w;
    int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (fd < 0)
        return rf_probe_failed(r, errno, "socket(AF_INET, SOCK_RAW)");
    uint16_t id = (uint16_t)getpid();
    struct icmphdr echo = {.type = ICMP_ECHO};
    echo.un.echo.id = htons(id);
    echo.un.echo.sequence = htons(1);
    uint32_t sum = 0;
    const uint16_t *words = (const uint16_t *)&echo;
    for (size_t i = 0; i < sizeof echo / 2; i++)
        sum += words[i];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    echo.checksum = (uint16_t)~sum;
    struct sockaddr_storage ss;
    socklen_t len;
    loopback(AF_INET, 0, &ss, &len);
    if (sendto(fd, &echo, sizeof echo, 0, (struct sockaddr *)&ss, len) < 0) {
        int e = errno;
        close(fd);
        return rf_probe_failed(r, e, "send an ICMP echo");
    }
    for (int tries = 0; tries < 8; tries++) {
        char buf[1500];
        ssize_t n = read_timeout(fd, buf, sizeof buf);
        if (n < 0)
            break;
        const struct iphdr *ip = (const struct iphdr *)buf;
        size_t hl = (size_t)ip->ihl * 4;
        if ((size_t)n < hl + sizeof(struct icmphdr))
            continue;
        const struct icmphdr *ic = (const struct icmphdr *)(buf + hl);
        if (ic->type == ICMP_ECHOREPLY && ntohs(ic->un.echo.id) == id) {
            close(fd);
            return rf_probe_allowed(r, "raw ICMP echo to 127.0.0.1 answered");
        }
    }
    close(fd);
    rf_probe_error(r, 0, "raw socket open, but no echo reply came back");
}

static void p_packet_socket(const rf_probe_world *w, rf_probe_result *r) {
    (void)w;
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    if (fd < 0)
        return rf_probe_failed(r, errno, "socket(AF_PACKET, SOCK_RAW)");
    close(fd);
    rf_probe_allowed(r, "opened an AF_PACKET socket (sniff and inject frames)");
}

static void p_tcp_listen(const rf_probe_world *w, rf_probe_result *r) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return rf_probe_failed(r, errno, "socket(AF_INET, SOCK_STREAM)");
    struct sockaddr_storage ss;
    socklen_t len;
    loopback(AF_INET, 0, &ss, &len);
    if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 1) < 0) {
        int e = errno;
        close(fd);
        return rf_probe_failed(r, e, "bind and listen on loopback");
    }
    close(fd);
    /* A listener in a network namespace of its own is unreachable from outside. */
    if (same_netns(w) == 0)
        return rf_probe_blocked(r, 0, "listened, but in another network namespace (isolated)");
    rf_probe_allowed(r, "listened on a loopback TCP port of the host's network");
}

static void p_abstract_unix(const rf_probe_world *w, rf_probe_result *r) {
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t name_len = strlen(w->abstract_name);
    if (name_len + 1 > sizeof sa.sun_path)
        return rf_probe_error(r, ENAMETOOLONG, "abstract name too long");
    memcpy(sa.sun_path + 1, w->abstract_name, name_len);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return rf_probe_failed(r, errno, "socket(AF_UNIX)");
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + name_len);
    if (connect(fd, (struct sockaddr *)&sa, len) < 0) {
        int e = errno;
        close(fd);
        /* Abstract names live in the network namespace. */
        return net_failed(w, r, e, "connect to the abstract socket outside");
    }
    char buf[256];
    bool ok = read_until(fd, buf, sizeof buf, w->nonce);
    close(fd);
    if (!ok)
        return rf_probe_error(r, 0, "connected, but the greeting lacks the nonce");
    rf_probe_allowed(r, "connected to @%s outside", w->abstract_name);
}

/* A unix socket in the host's /tmp, like an ssh-agent's: a network namespace
 * does not stop it, a private /tmp does. */
static void p_unix_tmp_agent(const rf_probe_world *w, rf_probe_result *r) {
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(w->agent_sock) >= sizeof sa.sun_path)
        return rf_probe_error(r, ENAMETOOLONG, "socket path too long");
    strcpy(sa.sun_path, w->agent_sock);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return rf_probe_failed(r, errno, "socket(AF_UNIX)");
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        int e = errno;
        close(fd);
        rf_probe_failed_hidden(r, e, "connect to the agent socket in the host's /tmp");
        if (e == ECONNREFUSED) /* a stale name in a /tmp of the sandbox's own */
            r->outcome = RF_OUT_BLOCKED;
        return;
    }
    char buf[256];
    bool ok = read_until(fd, buf, sizeof buf, w->nonce);
    close(fd);
    if (!ok)
        return rf_probe_error(r, 0, "connected, but the greeting lacks the nonce");
    rf_probe_allowed(r, "connected to %s", w->agent_sock);
}

/* Join the world's network namespace (a root agent's way out of a sandbox
 * that only unshares the network), then connect. */
static void p_setns_host(const rf_probe_world *w, rf_probe_result *r) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/net", w->target_pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return rf_probe_failed_hidden(r, errno, "open the outside process's network namespace");
    int rc = setns(fd, CLONE_NEWNET);
    int e = errno;
    close(fd);
    if (rc < 0)
        return rf_probe_failed(r, e, "setns(CLONE_NEWNET) into the outside namespace");
    tcp_probe(w, AF_INET, w->tcp_port, "setns", r);
}

/* ---- io_uring: socket + connect without the socket()/connect() syscalls -- */

typedef struct uring {
    int fd;
    struct io_uring_params p;
    void *sq_ptr, *cq_ptr;
    size_t sq_size, cq_size;
    struct io_uring_sqe *sqes;
    size_t sqes_size;
} uring;

static void uring_close(uring *u) {
    if (u->sqes)
        munmap(u->sqes, u->sqes_size);
    if (u->cq_ptr && u->cq_ptr != u->sq_ptr)
        munmap(u->cq_ptr, u->cq_size);
    if (u->sq_ptr)
        munmap(u->sq_ptr, u->sq_size);
    if (u->fd >= 0)
        close(u->fd);
}

static int uring_open(uring *u) {
    memset(u, 0, sizeof *u);
    u->fd = (int)syscall(__NR_io_uring_setup, 4, &u->p);
    if (u->fd < 0)
        return -errno;
    u->sq_size = u->p.sq_off.array + u->p.sq_entries * sizeof(uint32_t);
    u->cq_size = u->p.cq_off.cqes + u->p.cq_entries * sizeof(struct io_uring_cqe);
    if (u->p.features & IORING_FEAT_SINGLE_MMAP)
        u->sq_size = u->cq_size = u->sq_size > u->cq_size ? u->sq_size : u->cq_size;
    u->sq_ptr = mmap(NULL, u->sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, u->fd,
                     IORING_OFF_SQ_RING);
    if (u->sq_ptr == MAP_FAILED)
        return u->sq_ptr = NULL, -errno;
    if (u->p.features & IORING_FEAT_SINGLE_MMAP) {
        u->cq_ptr = u->sq_ptr;
    } else {
        u->cq_ptr = mmap(NULL, u->cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, u->fd,
                         IORING_OFF_CQ_RING);
        if (u->cq_ptr == MAP_FAILED)
            return u->cq_ptr = NULL, -errno;
    }
    u->sqes_size = u->p.sq_entries * sizeof(struct io_uring_sqe);
    u->sqes = mmap(NULL, u->sqes_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, u->fd,
                   IORING_OFF_SQES);
    if (u->sqes == MAP_FAILED)
        return u->sqes = NULL, -errno;
    return 0;
}

/* Submits one prepared sqe and waits for its completion; returns cqe->res. */
static int uring_do(uring *u, const struct io_uring_sqe *proto, int *res) {
    char *sq = u->sq_ptr, *cq = u->cq_ptr;
    unsigned *sq_tail = (unsigned *)(sq + u->p.sq_off.tail);
    unsigned mask = *(unsigned *)(sq + u->p.sq_off.ring_mask);
    unsigned *array = (unsigned *)(sq + u->p.sq_off.array);
    unsigned tail = *sq_tail, idx = tail & mask;
    u->sqes[idx] = *proto;
    array[idx] = idx;
    __atomic_store_n(sq_tail, tail + 1, __ATOMIC_RELEASE);
    if (syscall(__NR_io_uring_enter, u->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
        return -errno;
    unsigned *cq_head = (unsigned *)(cq + u->p.cq_off.head);
    unsigned *cq_tail = (unsigned *)(cq + u->p.cq_off.tail);
    unsigned cmask = *(unsigned *)(cq + u->p.cq_off.ring_mask);
    unsigned head = *cq_head;
    if (head == __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE))
        return -EAGAIN;
    struct io_uring_cqe *cqes = (struct io_uring_cqe *)(cq + u->p.cq_off.cqes);
    *res = cqes[head & cmask].res;
    __atomic_store_n(cq_head, head + 1, __ATOMIC_RELEASE);
    return 0;
}

static void p_io_uring_connect(const rf_probe_world *w, rf_probe_result *r) {
    uring u;
    int rc = uring_open(&u);
    if (rc < 0) {
        uring_close(&u);
        return rf_probe_failed(r, -rc, "io_uring_setup");
    }
    /* IORING_OP_SOCKET: a TCP socket the socket() filter never sees. */
    struct io_uring_sqe sqe;
    memset(&sqe, 0, sizeof sqe);
    sqe.opcode = IORING_OP_SOCKET;
    sqe.fd = AF_INET;
    sqe.off = SOCK_STREAM;
    int sock = -1, res = 0;
    if ((rc = uring_do(&u, &sqe, &res)) < 0 || res < 0) {
        uring_close(&u);
        return rf_probe_failed(r, rc < 0 ? -rc : -res, "io_uring IORING_OP_SOCKET");
    }
    sock = res;
    struct sockaddr_storage ss;
    socklen_t len;
    loopback(AF_INET, w->tcp_port, &ss, &len);
    memset(&sqe, 0, sizeof sqe);
    sqe.opcode = IORING_OP_CONNECT;
    sqe.fd = sock;
    sqe.addr = (uint64_t)(uintptr_t)&ss;
    sqe.off = len;
    rc = uring_do(&u, &sqe, &res);
    uring_close(&u);
    if (rc < 0 || res < 0) {
        close(sock);
        return net_failed(w, r, rc < 0 ? -rc : -res, "io_uring IORING_OP_CONNECT");
    }
    http_over(sock, w, "uring", r);
    close(sock);
}

/* ---- tools that honour the conventions ---------------------------------- */

/* Finds `name` on $PATH (as the sandbox's PATH has it: denybin first). */
static bool find_on_path(const char *name, char *out, size_t len) {
    const char *path = getenv("PATH");
    if (!path)
        return false;
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t dl = colon ? (size_t)(colon - path) : strlen(path);
        if (dl > 0 && (size_t)snprintf(out, len, "%.*s/%s", (int)dl, path, name) < len &&
            access(out, X_OK) == 0)
            return true;
        path += dl + (colon ? 1 : 0);
    }
    return false;
}

/* The proxy variables that curl and git use for an http:// URL (libcurl
 * ignores upper-case HTTP_PROXY on purpose). */
static bool http_proxy_env(void) {
    static const char *const names[] = {"http_proxy", "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (getenv(names[i]) && getenv(names[i])[0])
            return true;
    return false;
}

/* True when the HTTP listener logged a request holding `token`. */
static bool http_hit(const rf_probe_world *w, const char *token) {
    char path[PATHBUF], buf[16384];
    return rf_probe_path(w, RF_W_HTTP_HITS, path, sizeof path) &&
           rf_probe_read_file(path, buf, sizeof buf) >= 0 && strstr(buf, token);
}

/* A direct TCP connect to the listener from this process: 0 or the errno. */
static int direct_connect_errno(const rf_probe_world *w) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    struct sockaddr_storage ss;
    socklen_t len;
    loopback(AF_INET, w->tcp_port, &ss, &len);
    int e = connect(fd, (struct sockaddr *)&ss, len) < 0 ? errno : 0;
    close(fd);
    return e;
}

/* Sorts out a tool run that did not reach the listener.  Tools rarely say
 * why a connection failed (curl prints "Couldn't connect to server" for an
 * EPERM from socket()), so when no convention explains the failure, the
 * probe makes the same connection itself, from the same sandbox: refused or
 * isolated there means the OS stopped the tool too. */
static void tool_failed(const rf_probe_world *w, rf_probe_result *r, const char *tool, int rc,
                        const char *out, bool honours_env) {
    char last[200];
    size_t ol = strlen(out);
    snprintf(last, sizeof last, "%s", ol > 190 ? out + ol - 190 : out);
    for (char *c = last; *c; c++)
        if (*c == '\n' || *c == '\r' || *c == '"')
            *c = ' ';
    if (strstr(out, "ringfence: network is off by policy"))
        return rf_probe_advisory(r, "%s: a denybin stub answered: %s", tool, last);
    if (honours_env && strstr(out, "transport 'http' not allowed"))
        return rf_probe_advisory(r, "%s: GIT_ALLOW_PROTOCOL refused http", tool);
    if (honours_env && http_proxy_env())
        return rf_probe_advisory(r, "%s: sent to the proxy from the environment (exit %d): %s",
                                 tool, rc, last);
    int e = direct_connect_errno(w);
    if (e == 0)
        return rf_probe_error(r, 0, "%s failed (exit %d) although a direct connection works: %s",
                              tool, rc, last);
    char what[160];
    snprintf(what, sizeof what, "%s failed (exit %d); the same connection from the probe", tool,
             rc);
    net_failed(w, r, e, what);
}

static void curl_probe(const rf_probe_world *w, bool no_proxy, rf_probe_result *r) {
    if (!w->curl[0] || access(w->curl, X_OK) < 0)
        return rf_probe_error(r, RF_PROBE_ENOTOOL, "curl not installed");
    char url[256], out[8192];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/curl-%s", w->tcp_port, w->nonce);
    char *argv_proxy[] = {(char *)w->curl, "-sS", "-v", "--max-time", "5", url, NULL};
    char *argv_direct[] = {(char *)w->curl, "-sS", "-v", "--max-time", "5",
                           "--noproxy",     "*",   url,  NULL};
    int rc = rf_probe_run_tool(no_proxy ? argv_direct : argv_proxy, out, sizeof out, 10);
    if (rc < 0)
        return rf_probe_error(r, -rc, "running curl: %s", strerror(-rc));
    if (rc == 0 && strstr(out, w->nonce))
        return rf_probe_allowed(r, "curl fetched the nonce from the listener outside");
    tool_failed(w, r, "curl", rc, out, !no_proxy);
}

static void p_curl_proxy(const rf_probe_world *w, rf_probe_result *r) { curl_probe(w, false, r); }
static void p_curl_noproxy(const rf_probe_world *w, rf_probe_result *r) { curl_probe(w, true, r); }

static void p_git_http(const rf_probe_world *w, rf_probe_result *r) {
    if (!w->git[0] || access(w->git, X_OK) < 0)
        return rf_probe_error(r, RF_PROBE_ENOTOOL, "git not installed");
    char url[256], token[128], out[8192];
    snprintf(token, sizeof token, "git-%s-%d", w->nonce, (int)getpid());
    snprintf(url, sizeof url, "http://127.0.0.1:%d/%s/repo.git", w->tcp_port, token);
    char *argv[] = {(char *)w->git, "ls-remote", url, NULL};
    int rc = rf_probe_run_tool(argv, out, sizeof out, 15);
    if (rc < 0)
        return rf_probe_error(r, -rc, "running git: %s", strerror(-rc));
    if (http_hit(w, token))
        return rf_probe_allowed(r, "git reached the HTTP listener outside (exit %d)", rc);
    tool_failed(w, r, "git", rc, out, true);
}

static void ssh_probe(const rf_probe_world *w, const char *ssh, rf_probe_result *r) {
    char port[16], banner[128], out[16384];
    snprintf(port, sizeof port, "%d", w->ssh_port);
    snprintf(banner, sizeof banner, "rfprobe_%s", w->nonce);
    char *argv[] = {(char *)ssh,
                    "-v",
                    "-F",
                    "/dev/null",
                    "-o",
                    "BatchMode=yes",
                    "-o",
                    "StrictHostKeyChecking=no",
                    "-o",
                    "UserKnownHostsFile=/dev/null",
                    "-o",
                    "ConnectTimeout=5",
                    "-p",
                    port,
                    "rfprobe@127.0.0.1",
                    "true",
                    NULL};
    int rc = rf_probe_run_tool(argv, out, sizeof out, 15);
    if (rc < 0)
        return rf_probe_error(r, -rc, "running %s: %s", ssh, strerror(-rc));
    if (strstr(out, banner))
        return rf_probe_allowed(r, "%s exchanged banners with the listener outside", ssh);
    tool_failed(w, r, ssh, rc, out, false);
}

static void p_ssh_path(const rf_probe_world *w, rf_probe_result *r) {
    char ssh[PATHBUF];
    if (!find_on_path("ssh", ssh, sizeof ssh))
        return rf_probe_error(r, RF_PROBE_ENOTOOL, "ssh not installed (not on PATH)");
    ssh_probe(w, ssh, r);
}

static void p_ssh_absolute(const rf_probe_world *w, rf_probe_result *r) {
    if (!w->ssh[0] || access(w->ssh, X_OK) < 0)
        return rf_probe_error(r, RF_PROBE_ENOTOOL, "ssh not installed");
    ssh_probe(w, w->ssh, r);
}

/* clang-format off */
#define P(id, kind, flags, fn, desc) {id, RF_G_NETWORK, kind, flags, fn, desc}

const rf_probe rf_probes_network[] = {
    P("network.tcp_connect", RF_KIND_RAW, 0, p_tcp_connect, "TCP connect to a loopback listener outside"),
    P("network.tcp6_connect", RF_KIND_RAW, 0, p_tcp6_connect, "TCP connect over IPv6 loopback"),
    P("network.tcp_listen", RF_KIND_RAW, 0, p_tcp_listen, "listen on a loopback TCP port"),
    P("network.udp_send", RF_KIND_RAW, 0, p_udp_send, "UDP send to a loopback listener (reply checked)"),
    P("network.dns_raw", RF_KIND_RAW, 0, p_dns_raw, "a hand-built DNS query to a loopback resolver"),
    P("network.dns_resolver", RF_KIND_RAW, 0, p_dns_resolver, "a DNS lookup through the C library resolver"),
    P("network.raw_socket", RF_KIND_RAW, RF_PROBE_NEEDS_ROOT, p_raw_socket, "ICMP echo over a raw socket"),
    P("network.packet_socket", RF_KIND_RAW, RF_PROBE_NEEDS_ROOT, p_packet_socket, "open an AF_PACKET socket"),
    P("network.io_uring_connect", RF_KIND_RAW, 0, p_io_uring_connect, "TCP socket + connect through raw io_uring"),
    P("network.abstract_unix", RF_KIND_RAW, 0, p_abstract_unix, "connect to an abstract unix socket outside"),
    P("network.unix_tmp_agent", RF_KIND_RAW, 0, p_unix_tmp_agent, "connect to an agent socket in the host's /tmp"),
    P("network.setns_host", RF_KIND_RAW, RF_PROBE_NEEDS_ROOT, p_setns_host, "setns into an outside network namespace, then connect"),
    P("network.curl_proxy", RF_KIND_CONVENTIONAL, 0, p_curl_proxy, "curl, honouring the proxy variables"),
    P("network.curl_noproxy", RF_KIND_RAW, 0, p_curl_noproxy, "curl --noproxy '*' (ignores the proxy variables)"),
    P("network.git_http", RF_KIND_CONVENTIONAL, 0, p_git_http, "git ls-remote over http, honouring the environment"),
    P("network.ssh_path", RF_KIND_CONVENTIONAL, 0, p_ssh_path, "ssh as found on PATH"),
    P("network.ssh_absolute", RF_KIND_RAW, 0, p_ssh_absolute, "ssh by absolute path (bypasses PATH stubs)"),
};
const size_t rf_probes_network_count = sizeof rf_probes_network / sizeof rf_probes_network[0];
/* clang-format on */
