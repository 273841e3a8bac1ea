/* acl_io.h — reading and writing the POSIX ACLs of an open file with libacl,
 * converted to and from the plain data of acl_model.h. */
#ifndef RF_ELEVATED_ACL_IO_H
#define RF_ELEVATED_ACL_IO_H

#include <stdbool.h>

#include "backends/linux/elevated/acl_model.h"
#include "core/ringfence.h"

/* `fd` may be an O_PATH descriptor: the ACL is read through
 * /proc/self/fd/N, so it lands on the inode that was opened and checked,
 * whatever the path names now.  A default ACL that does not exist reads as
 * n == 0.  `what` names the file in error messages. */
int rf_acl_read(int fd, bool is_default, rf_acl *out, const char *what, rf_error *err);

/* Writes the ACL; a default ACL with n == 0 is deleted. */
int rf_acl_write(int fd, bool is_default, const rf_acl *acl, const char *what, rf_error *err);

#endif
