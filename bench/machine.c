/* machine.c — what the results were measured on: CPU, kernel, load, versions. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"
#include "core/ringfence.h"

static double log_origin;

void bench_log(const char *fmt, ...) {
    if (log_origin == 0)
        log_origin = bench_now();
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "[bench %6.1fs] ", bench_now() - log_origin);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int bench_fmt(char *out, size_t len, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, len, fmt, ap);
    va_end(ap);
    return n;
}

void bench_loadavg(double out[3]) {
    out[0] = out[1] = out[2] = -1;
    FILE *f = fopen("/proc/loadavg", "re");
    if (!f)
        return;
    if (fscanf(f, "%lf %lf %lf", &out[0], &out[1], &out[2]) != 3)
        out[0] = out[1] = out[2] = -1;
    fclose(f);
}

/* The value after "key<spaces>:" on the first matching line of a /proc file. */
static void proc_field(const char *file, const char *key, char *out, size_t len) {
    out[0] = '\0';
    FILE *f = fopen(file, "re");
    if (!f)
        return;
    char line[512];
    size_t klen = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) != 0)
            continue;
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        colon++;
        while (*colon == ' ' || *colon == '\t')
            colon++;
        colon[strcspn(colon, "\n")] = '\0';
        bench_fmt(out, len, "%s", colon);
        break;
    }
    fclose(f);
}

static void first_line(const char *file, char *out, size_t len) {
    out[0] = '\0';
    FILE *f = fopen(file, "re");
    if (!f)
        return;
    if (fgets(out, (int)len, f))
        out[strcspn(out, "\n")] = '\0';
    fclose(f);
}

static void os_name(char *out, size_t len) {
    out[0] = '\0';
    FILE *f = fopen("/etc/os-release", "re");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "PRETTY_NAME=", 12) == 0) {
            char *v = line + 12;
            v[strcspn(v, "\n")] = '\0';
            if (*v == '"') {
                v++;
                v[strcspn(v, "\"")] = '\0';
            }
            bench_fmt(out, len, "%s", v);
        }
    fclose(f);
}

cJSON *bench_machine_json(const bench_ctx *ctx, const launcher *ls, size_t n) {
    cJSON *m = cJSON_CreateObject();
    char buf[512];
    struct utsname u;
    if (uname(&u) == 0) {
        cJSON_AddStringToObject(m, "kernel", u.release);
        cJSON_AddStringToObject(m, "kernel_build", u.version);
        cJSON_AddStringToObject(m, "arch", u.machine);
    }
    os_name(buf, sizeof buf);
    cJSON_AddStringToObject(m, "os", buf);
    cJSON_AddNumberToObject(m, "nproc", (double)sysconf(_SC_NPROCESSORS_ONLN));
    proc_field("/proc/cpuinfo", "model name", buf, sizeof buf);
    cJSON_AddStringToObject(m, "cpu_model", buf);
    proc_field("/proc/meminfo", "MemTotal", buf, sizeof buf);
    cJSON_AddStringToObject(m, "memory", buf);
    first_line("/proc/sys/kernel/unprivileged_userns_clone", buf, sizeof buf);
    cJSON_AddStringToObject(m, "unprivileged_userns_clone", buf[0] ? buf : "(no such sysctl)");
    first_line("/proc/sys/user/max_user_namespaces", buf, sizeof buf);
    cJSON_AddStringToObject(m, "max_user_namespaces", buf);
    cJSON_AddNumberToObject(m, "uid", (double)getuid());
    double la[3];
    bench_loadavg(la);
    cJSON *load = cJSON_AddArrayToObject(m, "loadavg_at_start");
    for (int i = 0; i < 3; i++)
        cJSON_AddItemToArray(load, cJSON_CreateNumber(la[i]));
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cJSON_AddStringToObject(m, "started_utc", buf);
    cJSON_AddStringToObject(m, "mode", ctx->quick ? "quick" : "full");
    cJSON_AddStringToObject(m, "ringfence_version", RINGFENCE_VERSION);

    cJSON *versions = cJSON_AddObjectToObject(m, "versions");
    for (size_t i = 0; i < n; i++)
        if (ls[i].version[0])
            cJSON_AddStringToObject(versions, ls[i].id, ls[i].version);
    static const struct {
        const char *name;
        char *argv[3];
    } tools[] = {
        {"gcc", {"gcc", "--version", NULL}},
        {"make", {"make", "--version", NULL}},
        {"git", {"git", "--version", NULL}},
    };
    for (size_t t = 0; t < sizeof tools / sizeof tools[0]; t++) {
        bench_capture_line(tools[t].argv, NULL, buf, sizeof buf);
        cJSON_AddStringToObject(versions, tools[t].name, buf);
    }

    cJSON *backends = cJSON_AddArrayToObject(m, "ringfence_backends");
    for (size_t i = 0; i < rf_backend_count(); i++) {
        rf_backend_status st;
        memset(&st, 0, sizeof st);
        if (rf_backend_status_get(i, &st) < 0 || !st.name)
            continue;
        cJSON *b = cJSON_CreateObject();
        cJSON_AddStringToObject(b, "name", st.name);
        cJSON_AddBoolToObject(b, "available", st.available);
        cJSON_AddStringToObject(b, "reason", st.reason);
        cJSON_AddStringToObject(b, "layers", st.layers);
        cJSON *g = cJSON_AddObjectToObject(b, "guarantees");
        for (int k = 0; k < RF_G_COUNT; k++)
            cJSON_AddStringToObject(g, rf_guarantee_name((rf_guarantee)k),
                                    rf_level_name(st.level[k]));
        cJSON_AddItemToArray(backends, b);
    }
    return m;
}
