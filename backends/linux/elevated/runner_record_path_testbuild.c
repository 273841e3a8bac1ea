/*
 * runner_record_path_testbuild.c — the test build of the runner reads
 * setup.json beside its own executable, so tests never touch /etc.  Never
 * from the environment (the runner is setuid): /proc/self/exe is the binary
 * the kernel ran, and the record and its folder must still be root-owned.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backends/linux/elevated/runner.h"
#include "core/error.h"

int rf_runner_record_path(char *out, size_t len, rf_error *err) {
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n < 0)
        return rf_fail_errno(err, errno, "reading /proc/self/exe to find the test setup record");
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return rf_fail(err, -EINVAL, "/proc/self/exe is %s: not an absolute path", exe);
    *slash = '\0';
    if ((size_t)snprintf(out, len, "%s/setup.json", exe) >= len)
        return rf_fail(err, -ENAMETOOLONG, "test setup record path %s/setup.json is too long", exe);
    return 0;
}
