/* acl_io.c — POSIX ACLs of an open file through libacl (see acl_io.h). */
#include "backends/linux/elevated/acl_io.h"

#include <acl/libacl.h>
#include <errno.h>
#include <stdio.h>
#include <sys/acl.h>

#include "core/error.h"

static void fd_path(int fd, char buf[64]) { snprintf(buf, 64, "/proc/self/fd/%d", fd); }

static int tag_from_libacl(acl_tag_t tag) {
    switch (tag) {
    case ACL_USER_OBJ:
        return RF_ACL_USER_OBJ;
    case ACL_USER:
        return RF_ACL_USER;
    case ACL_GROUP_OBJ:
        return RF_ACL_GROUP_OBJ;
    case ACL_GROUP:
        return RF_ACL_GROUP;
    case ACL_MASK:
        return RF_ACL_MASK;
    case ACL_OTHER:
        return RF_ACL_OTHER;
    default:
        return 0;
    }
}

static acl_tag_t tag_to_libacl(int tag) {
    switch (tag) {
    case RF_ACL_USER_OBJ:
        return ACL_USER_OBJ;
    case RF_ACL_USER:
        return ACL_USER;
    case RF_ACL_GROUP_OBJ:
        return ACL_GROUP_OBJ;
    case RF_ACL_GROUP:
        return ACL_GROUP;
    case RF_ACL_MASK:
        return ACL_MASK;
    default:
        return ACL_OTHER;
    }
}

static int convert_in(acl_t acl, rf_acl *out) {
    out->n = 0;
    acl_entry_t entry;
    for (int w = acl_get_entry(acl, ACL_FIRST_ENTRY, &entry); w == 1;
         w = acl_get_entry(acl, ACL_NEXT_ENTRY, &entry)) {
        acl_tag_t tag;
        acl_permset_t perms;
        if (out->n >= RF_ACL_MAX_ENTRIES)
            return -E2BIG;
        if (acl_get_tag_type(entry, &tag) < 0 || acl_get_permset(entry, &perms) < 0)
            return -errno;
        rf_acl_entry *e = &out->e[out->n++];
        e->tag = tag_from_libacl(tag);
        e->id = 0;
        e->perm = (acl_get_perm(perms, ACL_READ) == 1 ? RF_ACL_R : 0) |
                  (acl_get_perm(perms, ACL_WRITE) == 1 ? RF_ACL_W : 0) |
                  (acl_get_perm(perms, ACL_EXECUTE) == 1 ? RF_ACL_X : 0);
        if (tag == ACL_USER || tag == ACL_GROUP) {
            void *q = acl_get_qualifier(entry);
            if (!q)
                return -errno;
            e->id = tag == ACL_USER ? (unsigned)*(uid_t *)q : (unsigned)*(gid_t *)q;
            acl_free(q);
        }
        if (!e->tag)
            return -EINVAL;
    }
    rf_acl_sort(out);
    return 0;
}

int rf_acl_read(const rf_acl_file *f, bool is_default, rf_acl *out, rf_error *err) {
    const char *what = f->what;
    char path[64];
    fd_path(f->fd, path);
    acl_t acl = (is_default || f->o_path)
                    ? acl_get_file(path, is_default ? ACL_TYPE_DEFAULT : ACL_TYPE_ACCESS)
                    : acl_get_fd(f->fd);
    if (!acl)
        return rf_fail_errno(err, errno, "reading the %s ACL of %s",
                             is_default ? "default" : "access", what);
    int rc = convert_in(acl, out);
    acl_free(acl);
    if (rc < 0)
        return rf_fail_errno(err, -rc, "reading the %s ACL of %s",
                             is_default ? "default" : "access", what);
    return 0;
}

static int convert_out(const rf_acl *in, acl_t *out) {
    acl_t acl = acl_init((int)in->n);
    if (!acl)
        return -errno;
    for (size_t i = 0; i < in->n; i++) {
        const rf_acl_entry *e = &in->e[i];
        acl_entry_t entry;
        acl_permset_t perms;
        if (acl_create_entry(&acl, &entry) < 0 ||
            acl_set_tag_type(entry, tag_to_libacl(e->tag)) < 0 ||
            acl_get_permset(entry, &perms) < 0 || acl_clear_perms(perms) < 0)
            goto fail;
        if (((e->perm & RF_ACL_R) && acl_add_perm(perms, ACL_READ) < 0) ||
            ((e->perm & RF_ACL_W) && acl_add_perm(perms, ACL_WRITE) < 0) ||
            ((e->perm & RF_ACL_X) && acl_add_perm(perms, ACL_EXECUTE) < 0) ||
            acl_set_permset(entry, perms) < 0)
            goto fail;
        if (e->tag == RF_ACL_USER || e->tag == RF_ACL_GROUP) {
            id_t id = e->id;
            if (acl_set_qualifier(entry, &id) < 0)
                goto fail;
        }
    }
    if (acl_valid(acl) < 0) {
        errno = EINVAL;
        goto fail;
    }
    *out = acl;
    return 0;
fail:;
    int e = errno;
    acl_free(acl);
    return -e;
}

int rf_acl_write(const rf_acl_file *f, bool is_default, const rf_acl *acl, rf_error *err) {
    const char *what = f->what;
    char path[64];
    fd_path(f->fd, path);
    const char *type = is_default ? "default" : "access";
    if (is_default && acl->n == 0) {
        if (acl_delete_def_file(path) < 0)
            return rf_fail_errno(err, errno, "deleting the default ACL of %s", what);
        return 0;
    }
    acl_t out = NULL;
    int rc = convert_out(acl, &out);
    if (rc < 0) {
        char text[RF_ACL_TEXT_MAX];
        rf_acl_format(acl, text, sizeof text);
        return rf_fail_errno(err, -rc, "building the %s ACL %s for %s", type, text, what);
    }
    if (((is_default || f->o_path)
             ? acl_set_file(path, is_default ? ACL_TYPE_DEFAULT : ACL_TYPE_ACCESS, out)
             : acl_set_fd(f->fd, out)) < 0)
        rc = rf_fail_errno(err, errno, "setting the %s ACL of %s", type, what);
    acl_free(out);
    return rc;
}
