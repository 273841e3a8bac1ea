/* acl_io.h — reading and writing the POSIX ACLs of an open file with libacl,
 * converted to and from the plain data of acl_model.h. */
#ifndef RF_ELEVATED_ACL_IO_H
#define RF_ELEVATED_ACL_IO_H

#include <stdbool.h>

#include "backends/linux/elevated/acl_model.h"
#include "core/ringfence.h"

/* An open file: `fd` opened for reading (access ACLs go through the fd,
 * acl_get_fd / acl_set_fd) or with O_PATH (`o_path`: through
 * /proc/self/fd/N, as are default ACLs, which have no fd call).  Either way
 * the ACL lands on the inode that was opened and checked, whatever the path
 * names now. */
typedef struct rf_acl_file {
    int fd;
    bool o_path;
    const char *what; /* the path, for error messages */
} rf_acl_file;

/* A default ACL that does not exist reads as n == 0. */
int rf_acl_read(const rf_acl_file *f, bool is_default, rf_acl *out, rf_error *err);

/* Writes the ACL; a default ACL with n == 0 is deleted. */
int rf_acl_write(const rf_acl_file *f, bool is_default, const rf_acl *acl, rf_error *err);

#endif
