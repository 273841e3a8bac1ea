/* passwd_name.h — a uid's user name read straight from a passwd file. */
#ifndef RINGFENCE_CORE_PASSWD_NAME_H
#define RINGFENCE_CORE_PASSWD_NAME_H

#include <stddef.h>

/* The name of `uid` in the passwd-format file `path` (normally /etc/passwd),
 * copied into out[len].  Returns 1 when found, 0 when the file has no usable
 * answer (no such uid, a name that does not fit, NIS compat lines `+`/`-`
 * that only NSS can interpret), or -errno when the file cannot be read.  The
 * caller asks NSS (getpwuid_r) whenever this is not 1. */
int rf_passwd_file_name(const char *path, unsigned uid, char *out, size_t len);

#endif
