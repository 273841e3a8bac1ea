/*
 * check.h — the tiny harness of ringfence's C tests.
 *
 * Tests are table-driven: a test lists its cases as data (input, expected
 * result, reason) and loops; CHECK prints the reason of a failing case.  main()
 * ends with `return check_summary("name");`, which prints "name: N passed,
 * N failed" and returns non-zero when any check failed.
 */
#ifndef RF_TESTS_CHECK_H
#define RF_TESTS_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int check_passed_count, check_failed_count;

#define CHECK(cond, ...)                                                                 \
    do {                                                                                 \
        if (cond) {                                                                      \
            check_passed_count++;                                                        \
        } else {                                                                         \
            check_failed_count++;                                                        \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);              \
            fprintf(stderr, __VA_ARGS__);                                                \
            fputc('\n', stderr);                                                         \
        }                                                                                \
    } while (0)

#define CHECK_STR_EQ(a, b, ...)                                                          \
    do {                                                                                 \
        const char *check_a_ = (a), *check_b_ = (b);                                     \
        bool check_ok_ = check_a_ && check_b_ && strcmp(check_a_, check_b_) == 0;        \
        CHECK(check_ok_, __VA_ARGS__);                                                   \
        if (!check_ok_)                                                                  \
            fprintf(stderr, "    got '%s', want '%s'\n", check_a_ ? check_a_ : "(null)",   \
                    check_b_ ? check_b_ : "(null)");                                     \
    } while (0)

static inline int check_summary(const char *name) {
    printf("%s: %d passed, %d failed\n", name, check_passed_count, check_failed_count);
    return check_failed_count ? 1 : 0;
}

#endif
