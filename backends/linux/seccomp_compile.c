/*
 * seccomp_compile.c — rules -> raw BPF with libseccomp.
 *
 * Run at build time by seccomp_gen (the programs ringfence loads are compiled
 * into it, see seccomp_builtin.c) and by the tests that check those programs
 * still match the rules.  ringfence itself does not link libseccomp.
 *
 * Cleanup idiom: a single `out:` label.
 */
#include "backends/linux/seccomp.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/error.h"

static int add_rule(scmp_filter_ctx ctx, const rf_seccomp_rule *r, rf_error *err) {
    int nr = seccomp_syscall_resolve_name(r->syscall);
    if (nr == __NR_SCMP_ERROR)
        return rf_fail(err, -EINVAL, "compiling the seccomp filter: unknown system call '%s'", r->syscall);
    int rc;
    switch (r->cmp) {
    case RF_SC_ARG_NE:
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(r->errnum), nr, 1,
                              SCMP_CMP(r->arg, SCMP_CMP_NE, r->value));
        break;
    case RF_SC_ARG_MASKED:
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(r->errnum), nr, 1,
                              SCMP_CMP(r->arg, SCMP_CMP_MASKED_EQ, r->mask, r->value));
        break;
    default:
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(r->errnum), nr, 0);
        break;
    }
    if (rc < 0)
        return rf_fail_errno(err, -rc, "compiling the seccomp filter: rule for %s", r->syscall);
    return 0;
}

/* Reads the whole exported program back from the memfd. */
static int read_program(int fd, rf_seccomp_program *out, rf_error *err) {
    off_t size = lseek(fd, 0, SEEK_END);
    if (size < 0)
        return rf_fail_errno(err, errno, "sizing the exported seccomp program");
    if (size == 0 || size % (off_t)sizeof(struct sock_filter) != 0 ||
        size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS)
        return rf_fail(err, -EINVAL, "exported seccomp program has a bad size (%lld bytes)",
                       (long long)size);
    out->filter = malloc((size_t)size);
    if (!out->filter)
        return rf_fail_errno(err, ENOMEM, "reading the exported seccomp program");
    ssize_t got = pread(fd, out->filter, (size_t)size, 0);
    if (got != size) {
        free(out->filter);
        out->filter = NULL;
        return rf_fail_errno(err, got < 0 ? errno : EIO, "reading the exported seccomp program");
    }
    out->len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
    return 0;
}

int rf_seccomp_compile(const rf_seccomp_rule *rules, size_t n, rf_seccomp_program *out,
                       rf_error *err) {
    memset(out, 0, sizeof *out);
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx)
        return rf_fail_errno(err, ENOMEM, "compiling the seccomp filter: seccomp_init");
    int rc = 0, fd = -1;
    /* Only the native ABI gets rules.  i386 (int 0x80) hides socket()'s family
     * inside socketcall's memory block, and x32 would need every rule twice:
     * a process switching ABI is killed rather than half-filtered. */
    rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    if (rc < 0) {
        rc = rf_fail_errno(err, -rc, "compiling the seccomp filter: setting the bad-arch action");
        goto out;
    }
    /* The launcher sets no_new_privs itself, in the ordered setup path. */
    rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    if (rc < 0) {
        rc = rf_fail_errno(err, -rc, "compiling the seccomp filter: clearing CTL_NNP");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if ((rc = add_rule(ctx, &rules[i], err)) < 0)
            goto out;
    fd = memfd_create("ringfence-seccomp", MFD_CLOEXEC);
    if (fd < 0) {
        rc = rf_fail_errno(err, errno, "compiling the seccomp filter: memfd_create");
        goto out;
    }
    rc = seccomp_export_bpf(ctx, fd);
    if (rc < 0) {
        rc = rf_fail_errno(err, -rc, "compiling the seccomp filter: seccomp_export_bpf");
        goto out;
    }
    rc = read_program(fd, out, err);
out:
    if (fd >= 0)
        close(fd);
    seccomp_release(ctx);
    return rc;
}

