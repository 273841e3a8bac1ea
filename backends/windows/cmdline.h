/*
 * cmdline.h — Windows command lines: argv -> one string by the MSVCRT rules,
 * and the inverse parser (the rules of the C runtime's argv setup and of
 * CommandLineToArgvW), so that every quoting can be checked by a round trip.
 *
 * Platform-neutral (UTF-8 in, UTF-8 out); the Windows side converts to UTF-16.
 *
 * Rules (after the program name):
 *   - arguments are separated by spaces or tabs outside quotes;
 *   - 2n backslashes before a quote give n backslashes and the quote toggles
 *     quoting; 2n+1 backslashes before a quote give n backslashes and a literal
 *     quote; backslashes not before a quote are literal;
 *   - inside quotes, "" gives a literal quote (the post-2008 CRT rule).
 * The program name (argv[0]) is special: no backslash escapes, quotes only
 * delimit, so a program name containing a quote cannot be represented.
 */
#ifndef RF_WIN_CMDLINE_H
#define RF_WIN_CMDLINE_H

#include <stddef.h>

#include "core/ringfence.h"

/* Quotes argv (argc >= 1) into a malloc'd command line.  Fails with -EINVAL
 * when argv[0] contains a quote or is empty. */
int rf_cmdline_quote(char *const *argv, size_t argc, char **out, rf_error *err);

/* The command line for a batch file (.cmd/.bat), which Windows runs through
 * cmd.exe: `"<comspec>" /d /e:off /v:off /s /c ""<script>" args..."`.
 * cmd.exe reads its own metacharacters before the script sees the arguments,
 * so an argument "a&calc" would start calc (the "BatBadBut" injection,
 * CVE-2024-24576).  Every argument holding a blank or one of & | < > ^ ( ) ,
 * ; = is quoted, and arguments holding what cmd.exe expands or ends a quote
 * with (" % ! CR LF) are refused with -EINVAL naming the argument. */
int rf_cmdline_quote_batch(const char *comspec, char *const *argv, size_t argc, char **out,
                           rf_error *err);

/* Splits a command line into a malloc'd NULL-terminated argv (free with
 * rf_cmdline_free_argv). */
int rf_cmdline_parse(const char *line, char ***argv_out, size_t *argc_out, rf_error *err);
void rf_cmdline_free_argv(char **argv);

#endif
