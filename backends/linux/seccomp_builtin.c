/* seccomp_builtin.c — the seccomp programs compiled at build time, handed out as copies. */
#include "backends/linux/seccomp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int rf_seccomp_builtin(bool network_off, bool unix_sockets_off, rf_seccomp_program *out, rf_error *err) {
    memset(out, 0, sizeof *out);
    const rf_seccomp_builtin_program *p = &rf_seccomp_builtin_programs[network_off][unix_sockets_off];
    if (p->len == 0)
        return rf_fail(err, -EINVAL, "the built-in seccomp program (network %s, unix sockets %s) is empty",
                       network_off ? "off" : "on", unix_sockets_off ? "off" : "on");
    out->filter = malloc(p->len * sizeof *out->filter);
    if (!out->filter)
        return rf_fail_errno(err, ENOMEM, "copying the built-in seccomp program");
    memcpy(out->filter, p->filter, p->len * sizeof *out->filter);
    out->len = p->len;
    return 0;
}
