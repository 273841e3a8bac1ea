/*
 * probe_network_win.c — the `network` probes of rf-probe.exe: loopback
 * listeners outside stand for the internet (Winsock TCP and UDP, SMB to the
 * world's pipe), and curl, git and ssh show what the advisory layer (proxy
 * variables, GIT_ALLOW_PROTOCOL, denybin .cmd stubs first on PATH) stops.
 */
#include <winsock2.h>
#include <ws2tcpip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/probe_win.h"
#include "probe/world_layout.h"

static void loopback(int port, struct sockaddr_in *a) {
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons((u_short)port);
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

static SOCKET open_socket(int type, rf_probe_result *r) {
    int e = rf_probe_wsa_start();
    if (e) {
        rf_probe_error(r, e, "WSAStartup failed");
        return INVALID_SOCKET;
    }
    SOCKET s = socket(AF_INET, type, 0);
    if (s == INVALID_SOCKET) {
        rf_probe_failed(r, WSAGetLastError(), "socket(AF_INET)");
        return INVALID_SOCKET;
    }
    DWORD ms = 5000;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof ms);
    return s;
}

/* Reads until `needle` shows up, the peer closes, or the timeout. */
static bool recv_until(SOCKET s, char *buf, size_t len, const char *needle) {
    size_t got = 0;
    while (got + 1 < len) {
        int n = recv(s, buf + got, (int)(len - 1 - got), 0);
        if (n <= 0)
            break;
        got += (size_t)n;
        buf[got] = '\0';
        if (strstr(buf, needle))
            return true;
    }
    buf[got] = '\0';
    return strstr(buf, needle) != NULL;
}

static void p_tcp_connect(const rf_probe_world *w, rf_probe_result *r) {
    SOCKET s = open_socket(SOCK_STREAM, r);
    if (s == INVALID_SOCKET)
        return;
    struct sockaddr_in a;
    loopback(w->tcp_port, &a);
    if (connect(s, (struct sockaddr *)&a, sizeof a) == SOCKET_ERROR) {
        int e = WSAGetLastError();
        closesocket(s);
        return rf_probe_failed(r, e, "connect to the loopback listener");
    }
    char req[256], buf[2048];
    int n = snprintf(req, sizeof req, "GET /tcp4-%s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", w->nonce);
    bool ok = send(s, req, n, 0) == n && recv_until(s, buf, sizeof buf, w->nonce);
    closesocket(s);
    if (!ok)
        return rf_probe_error(r, 0, "connected, but the reply lacks the nonce");
    rf_probe_allowed(r, "the TCP listener outside answered with the nonce");
}

static void p_udp_send(const rf_probe_world *w, rf_probe_result *r) {
    SOCKET s = open_socket(SOCK_DGRAM, r);
    if (s == INVALID_SOCKET)
        return;
    struct sockaddr_in a;
    loopback(w->udp_port, &a);
    char buf[1500];
    int n = -1;
    if (connect(s, (struct sockaddr *)&a, sizeof a) == SOCKET_ERROR ||
        send(s, "rfprobe", 7, 0) != 7 || (n = recv(s, buf, sizeof buf - 1, 0)) < 0) {
        int e = WSAGetLastError();
        closesocket(s);
        return rf_probe_failed(r, e, "UDP exchange with the loopback listener");
    }
    closesocket(s);
    buf[n] = '\0';
    if (!strstr(buf, w->nonce))
        return rf_probe_error(r, 0, "UDP: a reply without the nonce");
    rf_probe_allowed(r, "the UDP listener outside answered with the nonce");
}

static void p_tcp_listen(const rf_probe_world *w, rf_probe_result *r) {
    (void)w;
    SOCKET s = open_socket(SOCK_STREAM, r);
    if (s == INVALID_SOCKET)
        return;
    struct sockaddr_in a;
    loopback(0, &a);
    if (bind(s, (struct sockaddr *)&a, sizeof a) == SOCKET_ERROR ||
        listen(s, 1) == SOCKET_ERROR) {
        int e = WSAGetLastError();
        closesocket(s);
        return rf_probe_failed(r, e, "bind and listen on loopback");
    }
    int len = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &len);
    closesocket(s);
    rf_probe_allowed(r, "listening on 127.0.0.1:%d", ntohs(a.sin_port));
}

/* SMB to loopback: the world's pipe as \\127.0.0.1\pipe\NAME. */
static void p_named_pipe_remote(const rf_probe_world *w, rf_probe_result *r) {
    const char *name = strrchr(w->pipe, '\\');
    wchar_t path[300];
    char narrow[300];
    snprintf(narrow, sizeof narrow, "\\\\127.0.0.1\\pipe\\%s", name ? name + 1 : w->pipe);
    if (!rf_probe_widen(narrow, path, 300))
        return rf_probe_error(r, ERROR_INVALID_NAME, "bad pipe name");
    HANDLE h = CreateFileW(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        /* No SMB server on this machine (the Server service off, Wine):
         * a property of the machine, like a tool not installed. */
        if (e == ERROR_BAD_NETPATH || e == ERROR_BAD_NET_NAME)
            return rf_probe_error(r, RF_PROBE_ENOTOOL,
                                  "no SMB server answers on loopback (error %lu)", (unsigned long)e);
        return rf_probe_failed(r, (int)e, "open the world's pipe over SMB to loopback");
    }
    char buf[256];
    DWORD n = 0;
    BOOL ok = ReadFile(h, buf, sizeof buf - 1, &n, NULL);
    CloseHandle(h);
    buf[ok ? n : 0] = '\0';
    if (!strstr(buf, w->nonce))
        return rf_probe_error(r, 0, "opened the pipe over SMB but no nonce came back");
    rf_probe_allowed(r, "read the nonce over \\\\127.0.0.1\\pipe\\");
}

/* ---- tools ---------------------------------------------------------------- */

static bool http_proxy_env(void) {
    static const char *const names[] = {"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (getenv(names[i]) && getenv(names[i])[0])
            return true;
    return false;
}

static bool http_hit(const rf_probe_world *w, const char *token) {
    char path[RF_WPATH], buf[16384];
    return rf_probe_path(w, RF_W_HTTP_HITS, path, sizeof path) &&
           rf_probe_read_file(path, buf, sizeof buf) >= 0 && strstr(buf, token);
}

/* A direct TCP connect to the listener from this process: 0 or the WSA error. */
static int direct_connect_error(const rf_probe_world *w) {
    if (rf_probe_wsa_start())
        return WSANOTINITIALISED;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    if (s == INVALID_SOCKET)
        return WSAGetLastError();
    struct sockaddr_in a;
    loopback(w->tcp_port, &a);
    int e = connect(s, (struct sockaddr *)&a, sizeof a) == SOCKET_ERROR ? WSAGetLastError() : 0;
    closesocket(s);
    return e;
}

/* A tool run that did not reach the listener: a convention explains it
 * (advisory-blocked), or the same connection from the probe says what the
 * OS did. */
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
    int e = direct_connect_error(w);
    if (e == 0)
        return rf_probe_error(r, 0, "%s failed (exit %d) although a direct connection works: %s",
                              tool, rc, last);
    char what[160];
    snprintf(what, sizeof what, "%s failed (exit %d); the same connection from the probe", tool,
             rc);
    rf_probe_failed(r, e, what);
}

static void tool_error(rf_probe_result *r, const char *tool, int rc) {
    char text[200];
    rf_probe_win_text((DWORD)-rc, text, sizeof text);
    rf_probe_error(r, -rc, "running %s: %s", tool, text);
}

static void curl_probe(const rf_probe_world *w, bool no_proxy, rf_probe_result *r) {
    if (!w->curl[0])
        return rf_probe_error(r, RF_PROBE_ENOTOOL, "curl not installed");
    char url[256], out[8192];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/curl-%s", w->tcp_port, w->nonce);
    char *argv_proxy[] = {(char *)w->curl, "-sS", "-v", "--max-time", "5", url, NULL};
    char *argv_direct[] = {(char *)w->curl, "-sS", "-v", "--max-time", "5",
                           "--noproxy",     "*",   url,  NULL};
    int rc = rf_probe_run_tool(no_proxy ? argv_direct : argv_proxy, out, sizeof out, 10);
    if (rc < 0)
        return tool_error(r, "curl", rc);
    if (rc == 0 && strstr(out, w->nonce))
        return rf_probe_allowed(r, "curl fetched the nonce from the listener outside");
    tool_failed(w, r, "curl", rc, out, !no_proxy);
}

static void p_curl_proxy(const rf_probe_world *w, rf_probe_result *r) { curl_probe(w, false, r); }
static void p_curl_noproxy(const rf_probe_world *w, rf_probe_result *r) { curl_probe(w, true, r); }

static void p_git_http(const rf_probe_world *w, rf_probe_result *r) {
    if (!w->git[0])
        return rf_probe_error(r, RF_PROBE_ENOTOOL, "git not installed");
    char url[256], token[128], out[8192];
    snprintf(token, sizeof token, "git-%s-%lu", w->nonce, (unsigned long)GetCurrentProcessId());
    snprintf(url, sizeof url, "http://127.0.0.1:%d/%s/repo.git", w->tcp_port, token);
    char *argv[] = {(char *)w->git, "ls-remote", url, NULL};
    int rc = rf_probe_run_tool(argv, out, sizeof out, 15);
    if (rc < 0)
        return tool_error(r, "git", rc);
    if (http_hit(w, token))
        return rf_probe_allowed(r, "git reached the HTTP listener outside (exit %d)", rc);
    tool_failed(w, r, "git", rc, out, true);
}

static void ssh_probe(const rf_probe_world *w, const char *ssh, rf_probe_result *r) {
    char port[16], banner[128], out[16384];
    snprintf(port, sizeof port, "%d", w->ssh_port);
    snprintf(banner, sizeof banner, "rfprobe_%s", w->nonce);
    char *argv[] = {(char *)ssh, "-v", "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=NUL",
                    "-o", "ConnectTimeout=5", "-p", port, "rfprobe@127.0.0.1", "exit",
                    NULL};
    int rc = rf_probe_run_tool(argv, out, sizeof out, 15);
    if (rc < 0)
        return tool_error(r, ssh, rc);
    if (strstr(out, banner))
        return rf_probe_allowed(r, "%s exchanged banners with the listener outside", ssh);
    tool_failed(w, r, ssh, rc, out, false);
}

/* `ssh` as a command would name it: PATH decides, so a denybin stub wins. */
static void p_ssh_path(const rf_probe_world *w, rf_probe_result *r) {
    if (!w->ssh[0])
        return rf_probe_error(r, RF_PROBE_ENOTOOL, "ssh not installed");
    ssh_probe(w, "ssh", r);
}

static void p_ssh_absolute(const rf_probe_world *w, rf_probe_result *r) {
    if (!w->ssh[0])
        return rf_probe_error(r, RF_PROBE_ENOTOOL, "ssh not installed");
    ssh_probe(w, w->ssh, r);
}

/* clang-format off */
#define P(id, kind, flags, fn, desc) {id, RF_G_NETWORK, kind, flags, fn, desc, NULL}

const rf_probe rf_probes_network[] = {
    P("network.tcp_connect", RF_KIND_RAW, 0, p_tcp_connect, "TCP connect (Winsock) to a loopback listener outside"),
    P("network.tcp_listen", RF_KIND_RAW, 0, p_tcp_listen, "listen on a loopback TCP port"),
    P("network.udp_send", RF_KIND_RAW, 0, p_udp_send, "UDP send to a loopback listener (reply checked)"),
    P("network.named_pipe_remote", RF_KIND_RAW, 0, p_named_pipe_remote, "the world's pipe over SMB to loopback (\\\\127.0.0.1\\pipe\\...)"),
    P("network.curl_proxy", RF_KIND_CONVENTIONAL, 0, p_curl_proxy, "curl, honouring the proxy variables"),
    P("network.curl_noproxy", RF_KIND_RAW, 0, p_curl_noproxy, "curl --noproxy * (ignores the proxy variables)"),
    P("network.git_http", RF_KIND_CONVENTIONAL, 0, p_git_http, "git ls-remote over http, honouring the environment"),
    P("network.ssh_path", RF_KIND_CONVENTIONAL, 0, p_ssh_path, "ssh as found on PATH (a denybin stub first)"),
    P("network.ssh_absolute", RF_KIND_RAW, 0, p_ssh_absolute, "ssh by absolute path (bypasses PATH stubs)"),
};
const size_t rf_probes_network_count = sizeof rf_probes_network / sizeof rf_probes_network[0];
/* clang-format on */
