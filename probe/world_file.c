/* world_file.c — reading the world file (JSON) that tells rf-probe its targets. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "probe/probe.h"

static bool get_str(const cJSON *obj, const char *key, char *out, size_t len, bool required,
                    char *why, size_t why_len) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        out[0] = '\0';
        if (required)
            snprintf(why, why_len, "world file: field '%s' is missing", key);
        return !required;
    }
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= len) {
        snprintf(why, why_len, "world file: field '%s' must be a string shorter than %zu", key,
                 len);
        return false;
    }
    strcpy(out, v->valuestring);
    return true;
}

static bool get_int(const cJSON *obj, const char *key, long *out, char *why, size_t why_len) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsNumber(v)) {
        snprintf(why, why_len, "world file: field '%s' must be a number", key);
        return false;
    }
    *out = (long)v->valuedouble;
    return true;
}

static bool get_handle(const cJSON *obj, const char *key, rf_probe_handle *h, char *why,
                       size_t why_len) {
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(obj, key);
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(o, "type");
    const cJSON *hex = cJSON_GetObjectItemCaseSensitive(o, "hex");
    size_t n = cJSON_IsString(hex) ? strlen(hex->valuestring) : 0;
    if (!cJSON_IsNumber(type) || n == 0 || n % 2 || n / 2 > sizeof h->bytes) {
        snprintf(why, why_len, "world file: field '%s' must be {type, hex} of a file handle", key);
        return false;
    }
    h->type = (int)type->valuedouble;
    h->len = (unsigned)(n / 2);
    for (size_t i = 0; i < h->len; i++) {
        unsigned byte;
        if (sscanf(hex->valuestring + 2 * i, "%2x", &byte) != 1) {
            snprintf(why, why_len, "world file: field '%s' has bad hex", key);
            return false;
        }
        h->bytes[i] = (unsigned char)byte;
    }
    return true;
}

int rf_probe_world_load(const char *path, rf_probe_world *w, char *why, size_t why_len) {
    memset(w, 0, sizeof *w);
    char *text = malloc(65536);
    if (!text)
        return -ENOMEM;
    long n = rf_probe_read_file(path, text, 65536);
    if (n < 0) {
        snprintf(why, why_len, "reading the world file %s: %s", path, strerror((int)-n));
        free(text);
        return (int)n;
    }
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!cJSON_IsObject(root)) {
        snprintf(why, why_len, "world file %s: not a JSON object", path);
        cJSON_Delete(root);
        return -EINVAL;
    }
    long tcp, tcp6, udp, dns, ssh, pid, fd, tlen;
    char addr[32];
    bool ok =
        get_str(root, "root", w->root, sizeof w->root, true, why, why_len) &&
        get_str(root, "nonce", w->nonce, sizeof w->nonce, true, why, why_len) &&
        get_int(root, "tcp_port", &tcp, why, why_len) &&
        get_int(root, "tcp6_port", &tcp6, why, why_len) &&
        get_int(root, "udp_port", &udp, why, why_len) &&
        get_int(root, "dns_port", &dns, why, why_len) &&
        get_int(root, "ssh_port", &ssh, why, why_len) &&
        get_str(root, "abstract_name", w->abstract_name, sizeof w->abstract_name, true, why,
                why_len) &&
        get_str(root, "docker_sock", w->docker_sock, sizeof w->docker_sock, true, why, why_len) &&
        get_int(root, "target_pid", &pid, why, why_len) &&
        get_str(root, "target_addr", addr, sizeof addr, true, why, why_len) &&
        get_int(root, "target_len", &tlen, why, why_len) &&
        get_int(root, "target_fd", &fd, why, why_len) &&
        get_str(root, "tmp_path", w->tmp_path, sizeof w->tmp_path, true, why, why_len) &&
        get_str(root, "lock_path", w->lock_path, sizeof w->lock_path, true, why, why_len) &&
        get_str(root, "curl", w->curl, sizeof w->curl, false, why, why_len) &&
        get_str(root, "git", w->git, sizeof w->git, false, why, why_len) &&
        get_str(root, "ssh", w->ssh, sizeof w->ssh, false, why, why_len) &&
        get_str(root, "net_ns", w->net_ns, sizeof w->net_ns, false, why, why_len) &&
        get_str(root, "agent_sock", w->agent_sock, sizeof w->agent_sock, true, why, why_len) &&
        get_handle(root, "secret_handle", &w->secret_handle, why, why_len) &&
        get_handle(root, "outside_handle", &w->outside_handle, why, why_len);
    cJSON_Delete(root);
    if (!ok)
        return -EINVAL;
    w->tcp_port = (int)tcp;
    w->tcp6_port = (int)tcp6;
    w->udp_port = (int)udp;
    w->dns_port = (int)dns;
    w->ssh_port = (int)ssh;
    w->target_pid = (int)pid;
    w->target_fd = (int)fd;
    w->target_len = (size_t)tlen;
    w->target_addr = strtoul(addr, NULL, 16);
    if (w->target_len == 0 || w->target_len > strlen(w->nonce)) {
        snprintf(why, why_len, "world file: target_len %ld does not fit the nonce", tlen);
        return -EINVAL;
    }
    return 0;
}
