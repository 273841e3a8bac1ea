/*
 * seccomp_gen.c — build-time tool: compiles the four seccomp programs
 * (network off or on × unix sockets off or on) from rf_seccomp_rules with
 * libseccomp and prints them as C data (seccomp_programs.c, a genrule).
 *
 * The programs are for the architecture this tool runs on; the output
 * refuses to compile for any other, so a cross build fails loudly instead
 * of loading a filter whose architecture check kills every command.
 */
#include <stdio.h>

#include "backends/linux/seccomp.h"
#include "core/error.h"

#if defined(__x86_64__) && !defined(__ILP32__)
#define ARCH_NAME "x86_64"
#define ARCH_TEST "defined(__x86_64__) && !defined(__ILP32__)"
#elif defined(__aarch64__)
#define ARCH_NAME "aarch64"
#define ARCH_TEST "defined(__aarch64__)"
#else
#error "seccomp_gen: add this architecture's name and its compiler test"
#endif

static int print_program(bool network_off, bool unix_off) {
    rf_seccomp_rule rules[64];
    int n = rf_seccomp_rules(network_off, unix_off, rules, 64);
    if (n < 0) {
        fprintf(stderr, "seccomp_gen: listing the rules: %d\n", n);
        return -1;
    }
    rf_seccomp_program prog;
    rf_error err = {0};
    if (rf_seccomp_compile(rules, (size_t)n, &prog, &err) < 0) {
        fprintf(stderr, "seccomp_gen: %s\n", err.message);
        return -1;
    }
    printf("static const struct sock_filter prog_net_%s_unix_%s[%u] = {\n", network_off ? "off" : "on",
           unix_off ? "off" : "on", (unsigned)prog.len);
    for (unsigned i = 0; i < prog.len; i++)
        printf("    {0x%04x, %u, %u, 0x%08x},\n", (unsigned)prog.filter[i].code, (unsigned)prog.filter[i].jt,
               (unsigned)prog.filter[i].jf, (unsigned)prog.filter[i].k);
    printf("};\n\n");
    rf_seccomp_program_free(&prog);
    return 0;
}

int main(void) {
    printf("/* Generated at build time by //backends/linux:seccomp_gen from rf_seccomp_rules()\n"
           " * with libseccomp, for %s.  Do not edit: change the rules in seccomp.c. */\n"
           "#include \"backends/linux/seccomp.h\"\n\n"
           "#if !(%s)\n"
           "#error \"these seccomp programs were compiled for %s (the build host); this target needs its own\"\n"
           "#endif\n\n",
           ARCH_NAME, ARCH_TEST, ARCH_NAME);
    for (int net = 0; net < 2; net++)
        for (int ux = 0; ux < 2; ux++)
            if (print_program(net, ux) < 0)
                return 1;
    printf("const rf_seccomp_builtin_program rf_seccomp_builtin_programs[2][2] = {\n"
           "    {{prog_net_on_unix_on, sizeof prog_net_on_unix_on / sizeof prog_net_on_unix_on[0]},\n"
           "     {prog_net_on_unix_off, sizeof prog_net_on_unix_off / sizeof prog_net_on_unix_off[0]}},\n"
           "    {{prog_net_off_unix_on, sizeof prog_net_off_unix_on / sizeof prog_net_off_unix_on[0]},\n"
           "     {prog_net_off_unix_off, sizeof prog_net_off_unix_off / sizeof prog_net_off_unix_off[0]}},\n"
           "};\n");
    return fflush(stdout) == 0 ? 0 : 1;
}
