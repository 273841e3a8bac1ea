/* world_file_win.c — reading the Windows world file (JSON, written by world_win.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "probe/probe_win.h"

static bool get_str(const cJSON *obj, const char *key, char *out, size_t len, bool required,
                    char *why, size_t why_len) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    out[0] = '\0';
    if (!v && !required)
        return true;
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= len) {
        snprintf(why, why_len, "world file: field '%s' must be a string shorter than %zu", key,
                 len);
        return false;
    }
    strcpy(out, v->valuestring);
    return true;
}

/* Ports, a pid, a length: whole numbers of at most 32 bits (cJSON keeps doubles). */
static bool get_int(const cJSON *obj, const char *key, long long *out, char *why,
                    size_t why_len) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= 4294967295.0) ||
        (double)(long long)v->valuedouble != v->valuedouble) {
        snprintf(why, why_len, "world file: field '%s' must be an integer", key);
        return false;
    }
    *out = (long long)v->valuedouble;
    return true;
}

int rf_probe_world_load(const char *path, rf_probe_world *w, char *why, size_t why_len) {
    memset(w, 0, sizeof *w);
    char *text = malloc(65536);
    if (!text)
        return -(int)ERROR_OUTOFMEMORY;
    long n = rf_probe_read_file(path, text, 65536);
    if (n < 0) {
        char msg[300];
        rf_probe_win_text((DWORD)-n, msg, sizeof msg);
        snprintf(why, why_len, "reading the world file %s: %s", path, msg);
        free(text);
        return (int)n;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, true);
    if (!cJSON_IsObject(root)) {
        if (root)
            snprintf(why, why_len, "world file %s: not a JSON object", path);
        else
            snprintf(why, why_len, "world file %s: not a JSON object (invalid JSON at byte %lld)",
                     path, (long long)(end ? end - text : 0));
        cJSON_Delete(root);
        free(text);
        return -(int)ERROR_INVALID_DATA;
    }
    free(text);
    long long tcp, udp, ssh, pid, tlen;
    char addr[32], handle[32];
    bool ok = get_str(root, "root", w->root, sizeof w->root, true, why, why_len) &&
              get_str(root, "nonce", w->nonce, sizeof w->nonce, true, why, why_len) &&
              get_int(root, "tcp_port", &tcp, why, why_len) &&
              get_int(root, "udp_port", &udp, why, why_len) &&
              get_int(root, "ssh_port", &ssh, why, why_len) &&
              get_str(root, "pipe", w->pipe, sizeof w->pipe, true, why, why_len) &&
              get_int(root, "target_pid", &pid, why, why_len) &&
              get_str(root, "target_addr", addr, sizeof addr, true, why, why_len) &&
              get_int(root, "target_len", &tlen, why, why_len) &&
              get_str(root, "target_handle", handle, sizeof handle, true, why, why_len) &&
              get_str(root, "curl", w->curl, sizeof w->curl, false, why, why_len) &&
              get_str(root, "git", w->git, sizeof w->git, false, why, why_len) &&
              get_str(root, "ssh", w->ssh, sizeof w->ssh, false, why, why_len);
    cJSON_Delete(root);
    if (!ok)
        return -(int)ERROR_INVALID_DATA;
    w->tcp_port = (int)tcp;
    w->udp_port = (int)udp;
    w->ssh_port = (int)ssh;
    w->target_pid = (int)pid;
    w->target_len = (size_t)tlen;
    w->target_addr = strtoull(addr, NULL, 16);
    w->target_handle = strtoull(handle, NULL, 16);
    if (w->target_len == 0 || w->target_len > strlen(w->nonce)) {
        snprintf(why, why_len, "world file: target_len %lld does not fit the nonce", tlen);
        return -(int)ERROR_INVALID_DATA;
    }
    return 0;
}
