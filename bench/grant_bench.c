/*
 * grant_bench.c — what `ringfence grant` costs, and what it saves later.
 *
 *   bazel run -c opt //bench:grant_bench -- [--max N]      (as root or any user)
 *
 * For trees of 100, 1,000, 10,000 and 100,000 files (folders of 100 files):
 *   - first grant (ringfence-grant's code, in process, walk in the
 *     foreground), per 1,000 files;
 *   - `setfacl -R -m` doing the same entries (both sandbox uids rwX, default
 *     entries for them and the real user), per 1,000 files;
 *   - a second grant (already recorded) and rf_grant_lookup: flat;
 *   - ungrant, per 1,000 files.
 * Made-up uids only; everything lives under a temporary folder, removed after.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backends/linux/elevated/grant_ops.h"
#include "backends/linux/elevated/grant_record.h"
#include "backends/linux/elevated/setup_record.h"

enum { SB1 = 4000001, SB2 = 4000002 };

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int make_tree(const char *root, long files) {
    if (mkdir(root, 0755) < 0)
        return -errno;
    char path[4096];
    for (long d = 0; d * 100 < files; d++) {
        snprintf(path, sizeof path, "%s/d%05ld", root, d);
        if (mkdir(path, 0755) < 0)
            return -errno;
        for (long f = d * 100; f < files && f < (d + 1) * 100; f++) {
            snprintf(path, sizeof path, "%s/d%05ld/f%07ld.c", root, d, f);
            int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
            if (fd < 0)
                return -errno;
            close(fd);
        }
    }
    return 0;
}

static int write_setup(const char *path) {
    rf_setup_record r;
    memset(&r, 0, sizeof r);
    r.format = RF_SETUP_FORMAT;
    snprintf(r.version, sizeof r.version, "%s", RINGFENCE_VERSION);
    snprintf(r.group.name, sizeof r.group.name, "rftest-users");
    r.group.id = 4000100;
    snprintf(r.offline.name, sizeof r.offline.name, "rftest-offline");
    r.offline.id = SB1;
    snprintf(r.offline.home, sizeof r.offline.home, "/var/lib/ringfence/rftest-offline");
    snprintf(r.online.name, sizeof r.online.name, "rftest-online");
    r.online.id = SB2;
    snprintf(r.online.home, sizeof r.online.home, "/var/lib/ringfence/rftest-online");
    snprintf(r.table, sizeof r.table, "ringfence");
    memset(r.table_sha256, 'a', 64);
    memset(r.runner_sha256, 'b', 64);
    snprintf(r.restore_unit, sizeof r.restore_unit, "/etc/systemd/system/rftest.service");
    snprintf(r.runner_path, sizeof r.runner_path, "/usr/local/lib/ringfence/ringfence-runner");
    rf_error err = {0};
    int rc = rf_setup_record_save(path, &r, &err);
    if (rc < 0)
        fprintf(stderr, "grant_bench: %s\n", err.message);
    return rc;
}

/* Runs fn with stdout on /dev/null (the grant's own messages). */
static int quiet(int (*fn)(const rf_grant_options *, rf_error *), const rf_grant_options *o) {
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    dup2(null, STDOUT_FILENO);
    rf_error err = {0};
    int rc = fn(o, &err);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    close(null);
    if (rc < 0)
        fprintf(stderr, "grant_bench: %s\n", err.message);
    return rc;
}

static int sh(const char *cmd) {
    int rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, "grant_bench: `%s` failed (%d)\n", cmd, rc);
    return rc;
}

int main(int argc, char **argv) {
    long max = 100000;
    if (argc == 3 && strcmp(argv[1], "--max") == 0)
        max = atol(argv[2]);
    char base[] = "/tmp/rftest-grant-bench-XXXXXX";
    if (!mkdtemp(base)) {
        perror("mkdtemp");
        return 1;
    }
    char home[256], state[256], setup[256];
    snprintf(home, sizeof home, "%s/home", base);
    snprintf(state, sizeof state, "%s/state", base);
    snprintf(setup, sizeof setup, "%s/setup.json", base);
    if (mkdir(home, 0700) < 0 || write_setup(setup) < 0)
        return 1;
    setenv("HOME", home, 1);
    setenv("XDG_STATE_HOME", state, 1);
    printf("| files | first grant | per 1,000 files | setfacl -R | per 1,000 files | second grant "
           "| rf_grant_lookup | ungrant | per 1,000 files |\n");
    printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    int rc = 0;
    for (long n = 100; rc == 0 && n <= max; n *= 10) {
        char ws[512], cmd[2048];
        snprintf(ws, sizeof ws, "%s/ws%ld", home, n);
        if ((rc = make_tree(ws, n)) < 0) {
            fprintf(stderr, "grant_bench: creating %s: %s\n", ws, strerror(-rc));
            break;
        }
        sync();
        rf_grant_options o = {.dir = ws, .setup_record = setup, .wait = true};
        double t0 = now();
        rc = quiet(rf_grant_run, &o);
        double first = now() - t0;
        t0 = now();
        rc = rc ? rc : quiet(rf_grant_run, &o);
        double second = now() - t0;
        enum { LOOKUPS = 2000 };
        t0 = now();
        for (int i = 0; rc == 0 && i < LOOKUPS; i++) {
            bool granted = false;
            rf_error err = {0};
            rc = rf_grant_lookup(ws, &granted, &err);
            if (rc == 0 && !granted) {
                fprintf(stderr, "grant_bench: lookup says %s is not granted\n", ws);
                rc = -1;
            }
        }
        double lookup = (now() - t0) / LOOKUPS;
        t0 = now();
        rc = rc ? rc : quiet(rf_ungrant_run, &o);
        double ungrant = now() - t0;
        /* The same entries with setfacl, then removed (not timed). */
        snprintf(cmd, sizeof cmd,
                 "setfacl -R -m u:%d:rwX,u:%d:rwX,d:u:%d:rwX,d:u:%d:rwX,d:u:%u:rwX '%s'", SB1, SB2,
                 SB1, SB2, (unsigned)getuid(), ws);
        t0 = now();
        rc = rc ? rc : sh(cmd);
        double setfacl = now() - t0;
        snprintf(cmd, sizeof cmd, "setfacl -R -b -k '%s'", ws);
        rc = rc ? rc : sh(cmd);
        double per = (double)n / 1000.0;
        printf("| %ld | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.2f ms | %.1f µs | %.1f ms | %.1f "
               "ms |\n",
               n, first * 1e3, first * 1e3 / per, setfacl * 1e3, setfacl * 1e3 / per, second * 1e3,
               lookup * 1e6, ungrant * 1e3, ungrant * 1e3 / per);
        fflush(stdout);
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", ws);
        sh(cmd);
    }
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    sh(cmd);
    return rc == 0 ? 0 : 1;
}
