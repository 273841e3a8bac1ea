/*
 * seccomp.h — the seccomp layer: the rule list for a policy (plain data,
 * tested directly), compiled ONCE into a raw BPF program with libseccomp in
 * prepare, and loaded in the child with seccomp(2), so a spawn pays no
 * compile cost.
 *
 * Every rule returns an errno (EPERM, or ENOSYS for clone3 so glibc falls
 * back to clone): a refused call fails cleanly instead of killing the tool.
 */
#ifndef RF_BACKENDS_LINUX_SECCOMP_H
#define RF_BACKENDS_LINUX_SECCOMP_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ringfence.h"

typedef enum rf_seccomp_cmp {
    RF_SC_ALWAYS = 0, /* no argument condition */
    RF_SC_ARG_NE,     /* refuse when arg != value */
    RF_SC_ARG_MASKED, /* refuse when (arg & mask) == value */
} rf_seccomp_cmp;

typedef struct rf_seccomp_rule {
    const char *syscall;
    int errnum;          /* EPERM or ENOSYS */
    rf_seccomp_cmp cmp;
    unsigned arg;        /* argument index for the condition */
    uint64_t mask, value;
    const char *why;     /* the escape it closes */
} rf_seccomp_rule;

/* The rules for a policy: the fixed list, plus socket() limited to AF_UNIX
 * when network is off.  Fills up to `cap` entries; returns the count, or
 * -ENOSPC when `cap` is too small. */
int rf_seccomp_rules(bool network_off, rf_seccomp_rule *out, size_t cap);

typedef struct rf_seccomp_program {
    struct sock_filter *filter;
    unsigned short len;
} rf_seccomp_program;

/* libseccomp: rules -> BPF for the native architecture (other architectures
 * kill the process, see seccomp.c), exported raw. */
int rf_seccomp_compile(const rf_seccomp_rule *rules, size_t n, rf_seccomp_program *out,
                       rf_error *err);
void rf_seccomp_program_free(rf_seccomp_program *prog);

/* In the child: loads the program (no_new_privs must be set).  0 or -errno. */
int rf_seccomp_apply(const rf_seccomp_program *prog);

#endif
