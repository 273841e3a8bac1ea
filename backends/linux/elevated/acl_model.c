/* acl_model.c — POSIX ACLs as plain data (see acl_model.h). */
#include "backends/linux/elevated/acl_model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void rf_acl_from_mode(rf_acl *out, mode_t mode) {
    out->n = 3;
    out->e[0] = (rf_acl_entry){RF_ACL_USER_OBJ, 0, (mode >> 6) & 7};
    out->e[1] = (rf_acl_entry){RF_ACL_GROUP_OBJ, 0, (mode >> 3) & 7};
    out->e[2] = (rf_acl_entry){RF_ACL_OTHER, 0, mode & 7};
}

unsigned rf_acl_resolve_perm(unsigned perm, mode_t mode) {
    if (perm & RF_ACL_BIG_X) {
        perm &= ~(unsigned)RF_ACL_BIG_X;
        if (S_ISDIR(mode) || (mode & 0111))
            perm |= RF_ACL_X;
    }
    return perm & 7;
}

static rf_acl_entry *find(rf_acl *acl, int tag, unsigned id) {
    for (size_t i = 0; i < acl->n; i++)
        if (acl->e[i].tag == tag &&
            (acl->e[i].id == id || (tag != RF_ACL_USER && tag != RF_ACL_GROUP)))
            return &acl->e[i];
    return NULL;
}

static int append(rf_acl *acl, rf_acl_entry e) {
    if (acl->n >= RF_ACL_MAX_ENTRIES)
        return -E2BIG;
    acl->e[acl->n++] = e;
    return 0;
}

static bool is_named(const rf_acl_entry *e) {
    return e->tag == RF_ACL_USER || e->tag == RF_ACL_GROUP;
}

static bool in_uids(unsigned uid, const unsigned *uids, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (uids[i] == uid)
            return true;
    return false;
}

static bool is_ours(const rf_acl_entry *e, const rf_acl_named *named, size_t n) {
    if (e->tag != RF_ACL_USER)
        return false;
    for (size_t i = 0; i < n; i++)
        if (named[i].uid == e->id)
            return true;
    return false;
}

int rf_acl_add_named(rf_acl *acl, const rf_acl *base, const rf_acl_named *named, size_t n) {
    if (acl->n == 0) {
        /* A new default ACL starts from the base entries of the access ACL. */
        for (size_t i = 0; i < base->n; i++) {
            rf_acl_entry e = base->e[i];
            if (e.tag == RF_ACL_USER_OBJ || e.tag == RF_ACL_GROUP_OBJ || e.tag == RF_ACL_OTHER)
                acl->e[acl->n++] = e;
        }
    }
    rf_acl_entry *group_obj = find(acl, RF_ACL_GROUP_OBJ, 0);
    rf_acl_entry *mask = find(acl, RF_ACL_MASK, 0);
    if (!group_obj)
        return -EINVAL;
    unsigned old_mask = mask ? mask->perm : group_obj->perm;
    unsigned added = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned perm = named[i].perm & 7;
        added |= perm;
        rf_acl_entry *e = find(acl, RF_ACL_USER, named[i].uid);
        if (e)
            e->perm = perm;
        else if (append(acl, (rf_acl_entry){RF_ACL_USER, named[i].uid, perm}) < 0)
            return -E2BIG;
    }
    unsigned new_mask = old_mask | added;
    /* Mask widening: a bit the new mask opens would also reach the owning
     * group and other named entries that the old mask held back. */
    unsigned opened = new_mask & ~old_mask;
    for (size_t i = 0; i < acl->n; i++) {
        rf_acl_entry *e = &acl->e[i];
        if ((e->tag == RF_ACL_GROUP_OBJ || is_named(e)) && !is_ours(e, named, n))
            e->perm &= ~opened;
    }
    mask = find(acl, RF_ACL_MASK, 0);
    if (mask)
        mask->perm = new_mask;
    else if (append(acl, (rf_acl_entry){RF_ACL_MASK, 0, new_mask}) < 0)
        return -E2BIG;
    rf_acl_sort(acl);
    return 0;
}

void rf_acl_strip(rf_acl *acl, const unsigned *uids, size_t n_uids, bool is_default) {
    if (acl->n == 0)
        return;
    size_t kept = 0;
    bool named_left = false;
    for (size_t i = 0; i < acl->n; i++) {
        if (acl->e[i].tag == RF_ACL_USER && in_uids(acl->e[i].id, uids, n_uids))
            continue;
        named_left |= is_named(&acl->e[i]);
        acl->e[kept++] = acl->e[i];
    }
    acl->n = kept;
    rf_acl_entry *mask = find(acl, RF_ACL_MASK, 0);
    rf_acl_entry *group_obj = find(acl, RF_ACL_GROUP_OBJ, 0);
    if (!named_left) {
        if (is_default) {
            acl->n = 0;
            return;
        }
        if (mask && group_obj)
            group_obj->perm &= mask->perm;
        kept = 0;
        for (size_t i = 0; i < acl->n; i++)
            if (acl->e[i].tag != RF_ACL_MASK)
                acl->e[kept++] = acl->e[i];
        acl->n = kept;
    } else if (mask) {
        unsigned m = 0;
        for (size_t i = 0; i < acl->n; i++)
            if (acl->e[i].tag == RF_ACL_GROUP_OBJ || is_named(&acl->e[i]))
                m |= acl->e[i].perm;
        mask->perm = m;
    }
    rf_acl_sort(acl);
}

static int compare_entries(const void *a, const void *b) {
    const rf_acl_entry *x = a, *y = b;
    if (x->tag != y->tag)
        return x->tag < y->tag ? -1 : 1;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return 0;
}

void rf_acl_sort(rf_acl *acl) { qsort(acl->e, acl->n, sizeof acl->e[0], compare_entries); }

bool rf_acl_equal(const rf_acl *a, const rf_acl *b) {
    if (a->n != b->n)
        return false;
    rf_acl x = *a, y = *b;
    rf_acl_sort(&x);
    rf_acl_sort(&y);
    for (size_t i = 0; i < x.n; i++)
        if (x.e[i].tag != y.e[i].tag || x.e[i].id != y.e[i].id || x.e[i].perm != y.e[i].perm)
            return false;
    return true;
}

unsigned rf_acl_effective(const rf_acl *acl, unsigned owner, unsigned group, unsigned uid,
                          const unsigned *gids, size_t n_gids) {
    rf_acl copy = *acl;
    rf_acl_entry *mask = find(&copy, RF_ACL_MASK, 0);
    unsigned m = mask ? mask->perm : 7;
    if (uid == owner) {
        rf_acl_entry *e = find(&copy, RF_ACL_USER_OBJ, 0);
        return e ? e->perm : 0;
    }
    rf_acl_entry *named = find(&copy, RF_ACL_USER, uid);
    if (named)
        return named->perm & m;
    bool group_matched = false;
    unsigned from_groups = 0;
    for (size_t i = 0; i < copy.n; i++) {
        const rf_acl_entry *e = &copy.e[i];
        bool match = (e->tag == RF_ACL_GROUP_OBJ && in_uids(group, gids, n_gids)) ||
                     (e->tag == RF_ACL_GROUP && in_uids(e->id, gids, n_gids));
        if (match) {
            group_matched = true;
            from_groups |= e->perm & m;
        }
    }
    if (group_matched)
        return from_groups;
    rf_acl_entry *other = find(&copy, RF_ACL_OTHER, 0);
    return other ? other->perm : 0;
}

static const char *tag_prefix(int tag) {
    switch (tag) {
    case RF_ACL_USER_OBJ:
    case RF_ACL_USER:
        return "u";
    case RF_ACL_GROUP_OBJ:
    case RF_ACL_GROUP:
        return "g";
    case RF_ACL_MASK:
        return "m";
    default:
        return "o";
    }
}

void rf_acl_format(const rf_acl *acl, char *buf, size_t size) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < acl->n && used < size; i++) {
        const rf_acl_entry *e = &acl->e[i];
        char id[16] = "";
        if (is_named(e))
            snprintf(id, sizeof id, "%u", e->id);
        int w = snprintf(buf + used, size - used, "%s%s:%s:%c%c%c", i ? "," : "",
                         tag_prefix(e->tag), id, (e->perm & 4) ? 'r' : '-',
                         (e->perm & 2) ? 'w' : '-', (e->perm & 1) ? 'x' : '-');
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static int parse_entry(const char *s, size_t len, rf_acl_entry *e) {
    char tmp[32];
    if (len == 0 || len >= sizeof tmp)
        return -EINVAL;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    char *c1 = strchr(tmp, ':');
    char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2 || c1 != tmp + 1 || strlen(c2 + 1) != 3)
        return -EINVAL;
    bool has_id = c2 > c1 + 1;
    unsigned long id = 0;
    if (has_id) {
        char *end = NULL;
        *c2 = '\0';
        id = strtoul(c1 + 1, &end, 10);
        if (*end != '\0' || id > 0xffffffffUL || c1[1] == '-')
            return -EINVAL;
    }
    const char *p = c2 + 1;
    const char want[3] = {'r', 'w', 'x'};
    unsigned perm = 0;
    for (int i = 0; i < 3; i++) {
        if (p[i] == want[i])
            perm |= 4u >> i;
        else if (p[i] != '-')
            return -EINVAL;
    }
    switch (tmp[0]) {
    case 'u':
        e->tag = has_id ? RF_ACL_USER : RF_ACL_USER_OBJ;
        break;
    case 'g':
        e->tag = has_id ? RF_ACL_GROUP : RF_ACL_GROUP_OBJ;
        break;
    case 'm':
        e->tag = RF_ACL_MASK;
        break;
    case 'o':
        e->tag = RF_ACL_OTHER;
        break;
    default:
        return -EINVAL;
    }
    if (has_id && e->tag != RF_ACL_USER && e->tag != RF_ACL_GROUP)
        return -EINVAL;
    e->id = (unsigned)id;
    e->perm = perm;
    return 0;
}

int rf_acl_parse(const char *text, rf_acl *out) {
    out->n = 0;
    const char *s = text;
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        if (out->n >= RF_ACL_MAX_ENTRIES || parse_entry(s, len, &out->e[out->n]) < 0)
            return -EINVAL;
        out->n++;
        s += len;
        if (comma)
            s++;
    }
    return 0;
}
