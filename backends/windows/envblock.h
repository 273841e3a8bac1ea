/*
 * envblock.h — the environment block CreateProcessW takes with
 * CREATE_UNICODE_ENVIRONMENT: "NAME=VALUE\0...\0\0" in UTF-16, sorted by name
 * without regard to case (as Windows keeps it), names unique without regard to
 * case (Windows' "Path" and "PATH" are one variable: the later entry wins, so
 * a PATH set by ringfence replaces the parent's "Path").
 *
 * Platform-neutral.  Entries whose name starts with '=' (cmd's per-drive
 * current directories, "=C:=C:\\work") are kept: the name is then everything
 * up to the second '='.
 */
#ifndef RF_WIN_ENVBLOCK_H
#define RF_WIN_ENVBLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "core/ringfence.h"

/* envp: NULL-terminated "NAME=VALUE" strings in UTF-8.  Entries without '='
 * or with an empty name are refused (-EINVAL, naming the entry).  *out is
 * malloc'd; *out_units counts every unit including the final double NUL. */
int rf_envblock_build(char *const *envp, uint16_t **out, size_t *out_units, rf_error *err);

/* PATHEXT for a run with denybin on PATH: `pathext` unchanged when it lists
 * .CMD already (any case, as a whole entry), else with ";.CMD" appended, or
 * ".COM;.EXE;.BAT;.CMD" when NULL or empty (malloc'd; NULL when out of
 * memory).  Order within PATHEXT does not need changing: Windows searches PATH
 * folder by folder and tries every extension in one folder before the next,
 * so a stub in the first folder wins over ssh.exe in a later one; PATHEXT
 * only has to contain .CMD at all. */
char *rf_win_pathext_with_cmd(const char *pathext);

#endif
