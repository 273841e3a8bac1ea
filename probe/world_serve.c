/*
 * world_serve.c — the world's loopback listeners and the one process that
 * answers them.  Every answer carries the world's nonce, so a probe that gets
 * it back reached this process and not a look-alike inside a namespace.
 *
 *   tcp / tcp6   HTTP: logs the request line to the hits file, answers 200 + nonce
 *   udp          echoes the nonce
 *   dns          a TXT answer holding the nonce, for any one-question query
 *   ssh          an SSH banner whose software version holds the nonce
 *   docker, abstract, agent   a one-line greeting holding the nonce
 *
 * Single-threaded: the probes are sequential and each exchange is bounded by
 * a receive timeout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/error.h"
#include "probe/world_internal.h"

static int bind_inet(int family, int type, int *port, rf_error *err, const char *what) {
    int fd = socket(family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return rf_fail_errno(err, errno, "probe world: socket for the %s listener", what);
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len;
    if (family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *a;
    }
    if (bind(fd, (struct sockaddr *)&ss, len) < 0 || (type == SOCK_STREAM && listen(fd, 16) < 0) ||
        getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
        int e = errno;
        close(fd);
        return rf_fail_errno(err, e, "probe world: binding the %s listener on loopback", what);
    }
    *port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                     : ((struct sockaddr_in *)&ss)->sin_port);
    return fd;
}

static int bind_unix(const char *path, const char *abstract, rf_error *err) {
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    socklen_t len;
    const char *name = path ? path : abstract;
    if (strlen(name) + 1 >= sizeof sa.sun_path)
        return rf_fail(err, -ENAMETOOLONG, "probe world: unix socket name '%s' is too long", name);
    if (path) {
        strcpy(sa.sun_path, path);
        len = sizeof sa;
    } else {
        memcpy(sa.sun_path + 1, abstract, strlen(abstract));
        len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(abstract));
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return rf_fail_errno(err, errno, "probe world: socket(AF_UNIX) for %s", name);
    if (bind(fd, (struct sockaddr *)&sa, len) < 0 || listen(fd, 16) < 0) {
        int e = errno;
        close(fd);
        return rf_fail_errno(err, e, "probe world: binding the unix socket %s%s", path ? "" : "@",
                             name);
    }
    return fd;
}

void rf_world_sockets_close(rf_world_sockets *s) {
    int *fds[] = {&s->tcp, &s->tcp6,   &s->udp,      &s->dns,
                  &s->ssh, &s->docker, &s->abstract, &s->agent};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        if (*fds[i] >= 0)
            close(*fds[i]);
        *fds[i] = -1;
    }
}

int rf_world_sockets_open(rf_world_sockets *s, const char *docker_sock, const char *agent_sock,
                          const char *abstract_name, rf_error *err) {
    memset(s, 0, sizeof *s);
    s->tcp = s->tcp6 = s->udp = s->dns = s->ssh = s->docker = s->abstract = s->agent = -1;
    rf_error ignored = {0};
    if ((s->tcp = bind_inet(AF_INET, SOCK_STREAM, &s->tcp_port, err, "HTTP")) < 0 ||
        (s->udp = bind_inet(AF_INET, SOCK_DGRAM, &s->udp_port, err, "UDP")) < 0 ||
        (s->dns = bind_inet(AF_INET, SOCK_DGRAM, &s->dns_port, err, "DNS")) < 0 ||
        (s->ssh = bind_inet(AF_INET, SOCK_STREAM, &s->ssh_port, err, "ssh")) < 0 ||
        (s->docker = bind_unix(docker_sock, NULL, err)) < 0 ||
        (s->abstract = bind_unix(NULL, abstract_name, err)) < 0 ||
        (s->agent = bind_unix(agent_sock, NULL, err)) < 0) {
        int rc = err->code;
        rf_world_sockets_close(s);
        return rc ? rc : -EIO;
    }
    /* No IPv6 loopback is a property of the machine, not a failure: the
     * tcp6 probe then reports an error in the baseline and says so. */
    s->tcp6 = bind_inet(AF_INET6, SOCK_STREAM, &s->tcp6_port, &ignored, "HTTP (IPv6)");
    if (s->tcp6 < 0) {
        s->tcp6 = -1;
        s->tcp6_port = 0;
    }
    return 0;
}

/* ---- the server process -------------------------------------------------- */

static void set_timeout(int fd, int ms) {
    struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static void send_all(int fd, const char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n <= 0)
            return;
        buf += n;
        len -= (size_t)n;
    }
}

static void serve_http(int lfd, const char *nonce, const char *hits_path) {
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    fcntl(fd, F_SETFL, 0);
    set_timeout(fd, 2000);
    char req[4096];
    size_t got = 0;
    while (got + 1 < sizeof req) {
        ssize_t n = recv(fd, req + got, sizeof req - 1 - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
        req[got] = '\0';
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    req[got] = '\0';
    size_t line = strcspn(req, "\r\n");
    int log = open(hits_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (log >= 0) {
        char entry[4200];
        int n = snprintf(entry, sizeof entry, "%.*s\n", (int)line, req);
        if (write(log, entry, (size_t)n) < 0) {
            /* the log is best effort; the probe then reports it missing */
        }
        close(log);
    }
    char resp[512];
    int n = snprintf(resp, sizeof resp,
                     "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n%s\n",
                     strlen(nonce) + 1, nonce);
    send_all(fd, resp, (size_t)n);
    close(fd);
}

static void serve_greeting(int lfd, const char *greeting, bool wait_for_peer) {
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    fcntl(fd, F_SETFL, 0);
    set_timeout(fd, 1000);
    send_all(fd, greeting, strlen(greeting));
    if (wait_for_peer) {
        /* Give the ssh client time to log the banner before the close. */
        char buf[256];
        (void)!recv(fd, buf, sizeof buf, 0);
    }
    close(fd);
}

static void serve_udp(int fd, const char *nonce) {
    char buf[1500];
    struct sockaddr_storage from;
    socklen_t flen = sizeof from;
    if (recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen) < 0)
        return;
    sendto(fd, nonce, strlen(nonce), 0, (struct sockaddr *)&from, flen);
}

/* Answers a one-question query with a TXT record holding the nonce. */
static void serve_dns(int fd, const char *nonce) {
    unsigned char q[512], a[1024];
    struct sockaddr_storage from;
    socklen_t flen = sizeof from;
    ssize_t n = recvfrom(fd, q, sizeof q, 0, (struct sockaddr *)&from, &flen);
    if (n < 12 || q[4] != 0 || q[5] != 1)
        return;
    size_t off = 12;
    while (off < (size_t)n && q[off] != 0) /* the question name's labels */
        off += (size_t)q[off] + 1;
    off += 1 + 4; /* the root label, QTYPE, QCLASS */
    size_t nl = strlen(nonce);
    if (off > (size_t)n || off + 12 + 1 + nl > sizeof a || nl > 255)
        return;
    memcpy(a, q, off);
    a[2] = 0x81;                     /* QR, RD */
    a[3] = 0x80;                     /* RA, no error */
    a[6] = 0, a[7] = 1;              /* ANCOUNT 1 */
    a[8] = a[9] = a[10] = a[11] = 0; /* no authority, no additional */
    unsigned char *p = a + off;
    *p++ = 0xc0, *p++ = 0x0c;                 /* the name: pointer to the question */
    *p++ = 0, *p++ = 16;                      /* TXT */
    *p++ = 0, *p++ = 1;                       /* IN */
    *p++ = 0, *p++ = 0, *p++ = 0, *p++ = 60;  /* TTL */
    *p++ = 0, *p++ = (unsigned char)(nl + 1); /* RDLENGTH */
    *p++ = (unsigned char)nl;
    memcpy(p, nonce, nl);
    p += nl;
    sendto(fd, a, (size_t)(p - a), 0, (struct sockaddr *)&from, flen);
}

static void serve_forever(const rf_world_sockets *s, const char *nonce, const char *hits_path) {
    char greeting[160], banner[160];
    snprintf(greeting, sizeof greeting, "rfprobe-greeting %s\n", nonce);
    snprintf(banner, sizeof banner, "SSH-2.0-rfprobe_%s\r\n", nonce);
    struct pollfd pf[8];
    int kinds[8], n = 0;
    int fds[8] = {s->tcp, s->tcp6, s->udp, s->dns, s->ssh, s->docker, s->abstract, s->agent};
    for (int i = 0; i < 8; i++)
        if (fds[i] >= 0) {
            pf[n] = (struct pollfd){.fd = fds[i], .events = POLLIN};
            kinds[n++] = i;
        }
    for (;;) {
        if (poll(pf, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            _exit(1);
        }
        for (int i = 0; i < n; i++) {
            if (!(pf[i].revents & POLLIN))
                continue;
            switch (kinds[i]) {
            case 0:
            case 1:
                serve_http(pf[i].fd, nonce, hits_path);
                break;
            case 2:
                serve_udp(pf[i].fd, nonce);
                break;
            case 3:
                serve_dns(pf[i].fd, nonce);
                break;
            case 4:
                serve_greeting(pf[i].fd, banner, true);
                break;
            default:
                serve_greeting(pf[i].fd, greeting, false);
                break;
            }
        }
    }
}

int rf_world_serve(const rf_world_sockets *s, const char *nonce, const char *hits_path, pid_t *pid,
                   rf_error *err) {
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0)
        return rf_fail_errno(err, errno, "probe world: forking the listener process");
    if (child == 0) {
        /* Never outlive ringfence, even when it is killed outright. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(0);
        prctl(PR_SET_NAME, "rf-listeners");
        signal(SIGPIPE, SIG_IGN);
        serve_forever(s, nonce, hits_path);
        _exit(0);
    }
    *pid = child;
    return 0;
}
