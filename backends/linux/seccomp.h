/*
 * seccomp.h — the seccomp layer: the rule list for a policy (plain data,
 * tested directly), compiled into raw BPF with libseccomp AT BUILD TIME
 * (seccomp_gen turns each of the four variants into C data), copied in
 * prepare and loaded in the child with seccomp(2).  ringfence neither links
 * libseccomp nor compiles at run time: that saved ~100 KiB of peak RSS per
 * `ringfence run`.  seccomp_rules_test checks that the built-in programs
 * are byte for byte what libseccomp makes of the rules now.
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
 * when network is off, plus socket(AF_UNIX) refused when `unix_sockets_off`
 * (no mount namespace to hide the host's sockets; socketpair stays allowed).
 * Fills up to `cap` entries; returns the count, or -ENOSPC when `cap` is too
 * small. */
int rf_seccomp_rules(bool network_off, bool unix_sockets_off, rf_seccomp_rule *out, size_t cap);

typedef struct rf_seccomp_program {
    struct sock_filter *filter;
    unsigned short len;
} rf_seccomp_program;

/* libseccomp: rules -> BPF for the native architecture (other architectures
 * kill the process, see seccomp_compile.c), exported raw.  In
 * //backends/linux:seccomp_compile, which only the generator and tests link. */
int rf_seccomp_compile(const rf_seccomp_rule *rules, size_t n, rf_seccomp_program *out,
                       rf_error *err);
void rf_seccomp_program_free(rf_seccomp_program *prog);

/* The program rf_seccomp_compile makes of rf_seccomp_rules(network_off,
 * unix_sockets_off), as compiled at build time; a malloc'd copy for
 * rf_seccomp_program_free.  In //backends/linux:seccomp_builtin. */
int rf_seccomp_builtin(bool network_off, bool unix_sockets_off, rf_seccomp_program *out, rf_error *err);

/* One generated program (seccomp_programs.c, written by seccomp_gen). */
typedef struct rf_seccomp_builtin_program {
    const struct sock_filter *filter;
    unsigned short len;
} rf_seccomp_builtin_program;

/* [network_off][unix_sockets_off] */
extern const rf_seccomp_builtin_program rf_seccomp_builtin_programs[2][2];

/* In the child: loads the program (no_new_privs must be set).  0 or -errno. */
int rf_seccomp_apply(const rf_seccomp_program *prog);

#endif
