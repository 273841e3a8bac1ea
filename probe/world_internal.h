/* world_internal.h — the pieces of the probe world: its listeners and its target. */
#ifndef RF_PROBE_WORLD_INTERNAL_H
#define RF_PROBE_WORLD_INTERNAL_H

#include <stddef.h>
#include <sys/types.h>

#include "core/ringfence.h"

/* The listening sockets, bound before the server forks (so the ports are
 * known at once); -1 when that one could not be made (tcp6 without IPv6). */
typedef struct rf_world_sockets {
    int tcp, tcp6, udp, dns, ssh, docker, abstract, agent;
    int tcp_port, tcp6_port, udp_port, dns_port, ssh_port;
} rf_world_sockets;

/* Binds every listener on loopback; docker_sock is the unix socket path,
 * agent_sock one in the host's /tmp (an ssh-agent stand-in) and
 * abstract_name the abstract name (without its leading NUL). */
int rf_world_sockets_open(rf_world_sockets *s, const char *docker_sock, const char *agent_sock,
                          const char *abstract_name, rf_error *err);
void rf_world_sockets_close(rf_world_sockets *s);

/* Forks the server that answers on every listener until it is killed (or its
 * parent dies).  `hits_path` logs each HTTP request line. */
int rf_world_serve(const rf_world_sockets *s, const char *nonce, const char *hits_path, pid_t *pid,
                   rf_error *err);

/* The target process: named "rf-target", it holds the nonce at *addr (the
 * same address in the caller, since it is forked) and `fd_path` open. */
typedef struct rf_world_target {
    pid_t pid;
    unsigned long addr;
    size_t len;
    int fd;
} rf_world_target;

int rf_world_target_start(const char *nonce, const char *fd_path, rf_world_target *t,
                          rf_error *err);

#endif
