/* access_model.c — DACL evaluation, inheritance and NTFS create/delete rules, for tests. */
#include "tests/windows/access_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/winpath.h"

static char *key_of(const char *path) {
    char *key = NULL;
    if (rf_winpath_key(path, &key, NULL) < 0)
        return NULL;
    return key;
}

/* The folder key above `key`, or NULL for a drive root. */
static char *parent_key(const char *key) {
    const char *slash = strrchr(key, '\\');
    size_t len = strlen(key);
    if (!slash || (len == 3 && key[1] == ':'))
        return NULL;
    size_t n = (size_t)(slash - key);
    if (n == 2 && key[1] == ':')
        n = 3; /* "c:\" */
    char *p = malloc(n + 1);
    memcpy(p, key, n);
    p[n] = '\0';
    return p;
}

static am_node *find_key(am_fs *fs, const char *key) {
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->nodes[i].key, key) == 0)
            return &fs->nodes[i];
    return NULL;
}

am_node *am_find(am_fs *fs, const char *path) {
    char *key = key_of(path);
    am_node *n = key ? find_key(fs, key) : NULL;
    free(key);
    return n;
}

static int add_key(am_fs *fs, char *key, bool is_dir, const char *owner) {
    char *pk = parent_key(key);
    am_node *parent = pk ? find_key(fs, pk) : NULL;
    free(pk);
    if ((pk && !parent) || find_key(fs, key)) {
        free(key);
        return -1;
    }
    char own[RF_SID_TEXT_MAX]; /* parent points into the array realloc may move */
    snprintf(own, sizeof own, "%s", owner ? owner : (parent ? parent->owner : "S-1-5-18"));
    fs->nodes = realloc(fs->nodes, (fs->n + 1) * sizeof *fs->nodes);
    am_node *n = &fs->nodes[fs->n++];
    memset(n, 0, sizeof *n);
    n->key = key;
    n->is_dir = is_dir;
    memcpy(n->owner, own, sizeof own);
    return 0;
}

int am_add(am_fs *fs, const char *path, bool is_dir, const char *owner) {
    char *key = key_of(path);
    return key ? add_key(fs, key, is_dir, owner) : -1;
}

void am_add_ace(am_node *node, const char *sid, rf_ace_type type, uint32_t mask, uint32_t flags) {
    node->aces = realloc(node->aces, (node->n_aces + 1) * sizeof *node->aces);
    am_ace *a = &node->aces[node->n_aces++];
    snprintf(a->sid, sizeof a->sid, "%s", sid);
    a->type = type;
    a->mask = mask;
    a->flags = flags;
}

void am_free(am_fs *fs) {
    for (size_t i = 0; i < fs->n; i++) {
        free(fs->nodes[i].key);
        free(fs->nodes[i].aces);
    }
    free(fs->nodes);
    fs->nodes = NULL;
    fs->n = 0;
}

/* Does an ACE stored `depth` levels above `node` apply to it? */
static bool inherits_to(const am_ace *a, const am_node *node, size_t depth) {
    if (depth == 0)
        return !(a->flags & RF_INHERIT_ONLY);
    if (depth > 1 && (a->flags & RF_NO_PROPAGATE_INHERIT))
        return false;
    return node->is_dir ? (a->flags & RF_CONTAINER_INHERIT) != 0
                        : (a->flags & RF_OBJECT_INHERIT) != 0;
}

/* The effective DACL: explicit deny, explicit allow, then each ancestor's
 * inheritable ACEs, nearest first, until a protected DACL. */
static size_t effective_dacl(am_fs *fs, const am_node *node, const am_ace **out, size_t cap) {
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < node->n_aces && n < cap; i++)
            if (inherits_to(&node->aces[i], node, 0) &&
                node->aces[i].type == (pass == 0 ? RF_ACE_DENY : RF_ACE_ALLOW))
                out[n++] = &node->aces[i];
    const am_node *cur = node;
    char *key = NULL;
    for (size_t depth = 1; !cur->protected_dacl; depth++) {
        char *pk = parent_key(cur->key);
        free(key);
        key = pk;
        if (!pk)
            break;
        const am_node *parent = find_key(fs, pk);
        if (!parent)
            break;
        /* The folder's own DACL is canonical (deny before allow), and
         * inherited ACEs keep that order. */
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < parent->n_aces && n < cap; i++)
                if (inherits_to(&parent->aces[i], node, depth) &&
                    parent->aces[i].type == (pass == 0 ? RF_ACE_DENY : RF_ACE_ALLOW))
                    out[n++] = &parent->aces[i];
        cur = parent;
    }
    free(key);
    return n;
}

static bool has_sid(const char *const *sids, size_t n, const char *sid) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(sids[i], sid) == 0)
            return true;
    return false;
}

static uint32_t one_pass(const am_ace **dacl, size_t n, const char *const *sids, size_t n_sids,
                         const char *owner) {
    uint32_t granted = 0, denied = 0;
    if (has_sid(sids, n_sids, owner))
        granted |= RF_READ_CONTROL | RF_WRITE_DAC; /* owner implicit rights */
    for (size_t i = 0; i < n; i++) {
        if (!has_sid(sids, n_sids, dacl[i]->sid))
            continue;
        if (dacl[i]->type == RF_ACE_ALLOW)
            granted |= dacl[i]->mask & ~denied;
        else
            denied |= dacl[i]->mask & ~granted;
    }
    return granted;
}

uint32_t am_granted(am_fs *fs, const am_node *node, const am_token *tok, uint32_t desired) {
    if (node->null_dacl)
        return desired;
    const am_ace *dacl[256];
    size_t n = effective_dacl(fs, node, dacl, 256);
    uint32_t normal = one_pass(dacl, n, tok->sids, tok->n_sids, node->owner);
    uint32_t granted = normal;
    if (tok->restricted) {
        uint32_t restricted =
            one_pass(dacl, n, tok->restricted, tok->n_restricted, node->owner);
        if (tok->write_restricted)
            granted = normal & (restricted | ~tok->write_mask);
        else
            granted = normal & restricted;
    }
    return granted & desired;
}

static bool allowed(am_fs *fs, const am_node *node, const am_token *tok, uint32_t desired) {
    return node && am_granted(fs, node, tok, desired) == desired;
}

static am_node *parent_of(am_fs *fs, const char *path) {
    char *key = key_of(path);
    char *pk = key ? parent_key(key) : NULL;
    am_node *p = pk ? find_key(fs, pk) : NULL;
    free(key);
    free(pk);
    return p;
}

static bool may_delete(am_fs *fs, const am_token *tok, am_node *node, am_node *parent) {
    /* NTFS: DELETE on the object, or FILE_DELETE_CHILD on its folder (which
     * wins even over a deny-DELETE ACE on the object). */
    return allowed(fs, node, tok, RF_DELETE) || allowed(fs, parent, tok, RF_FILE_DELETE_CHILD);
}

static void rename_subtree(am_fs *fs, const char *from, const char *to) {
    size_t fl = strlen(from);
    for (size_t i = 0; i < fs->n; i++) {
        char *k = fs->nodes[i].key;
        if (strncmp(k, from, fl) == 0 && (k[fl] == '\0' || k[fl] == '\\')) {
            char *nk = malloc(strlen(to) + strlen(k + fl) + 1);
            strcpy(nk, to);
            strcat(nk, k + fl);
            free(k);
            fs->nodes[i].key = nk;
        }
    }
}

static void remove_node(am_fs *fs, am_node *node) {
    size_t i = (size_t)(node - fs->nodes);
    free(node->key);
    free(node->aces);
    fs->nodes[i] = fs->nodes[--fs->n];
}

bool am_try(am_fs *fs, const am_token *tok, am_op op, const char *path, const char *path2,
            const char *owner) {
    am_node *node = am_find(fs, path), *parent = parent_of(fs, path);
    switch (op) {
    case AM_READ:
        return allowed(fs, node, tok, RF_FILE_READ_DATA);
    case AM_WRITE:
        if (node)
            return !node->is_dir && allowed(fs, node, tok, RF_FILE_WRITE_DATA);
        if (!allowed(fs, parent, tok, RF_FILE_WRITE_DATA)) /* FILE_ADD_FILE */
            return false;
        return am_add(fs, path, false, owner) == 0;
    case AM_MKDIR:
        if (node || !allowed(fs, parent, tok, RF_FILE_APPEND_DATA)) /* FILE_ADD_SUBDIRECTORY */
            return false;
        return am_add(fs, path, true, owner) == 0;
    case AM_DELETE:
        if (!node || !may_delete(fs, tok, node, parent))
            return false;
        remove_node(fs, node);
        return true;
    case AM_CHMOD:
        return allowed(fs, node, tok, RF_WRITE_DAC);
    case AM_RENAME: {
        am_node *target_parent = parent_of(fs, path2);
        if (!node || am_find(fs, path2) || !target_parent || !may_delete(fs, tok, node, parent))
            return false;
        uint32_t add = node->is_dir ? RF_FILE_APPEND_DATA : RF_FILE_WRITE_DATA;
        if (!allowed(fs, target_parent, tok, add))
            return false;
        char *from = key_of(path), *to = key_of(path2);
        rename_subtree(fs, from, to);
        free(from);
        free(to);
        return true;
    }
    }
    return false;
}

int am_apply_plan(am_fs *fs, const rf_acl_plan *plan, const char *owner) {
    int added = 0;
    for (size_t i = 0; i < plan->len; i++) {
        const rf_ace *a = &plan->aces[i];
        if (a->is_device)
            continue;
        am_node *node = am_find(fs, a->path);
        if (!node && a->create_if_absent) {
            /* Like the Windows apply: create missing folders down to the path. */
            char *key = key_of(a->path);
            if (!key)
                return -1;
            for (char *sep = strchr(key + 3, '\\');; sep = strchr(sep + 1, '\\')) {
                if (sep)
                    *sep = '\0';
                if (!find_key(fs, key) && add_key(fs, strdup(key), true, owner) < 0) {
                    free(key);
                    return -1;
                }
                if (!sep)
                    break;
                *sep = '\\';
            }
            free(key);
            node = am_find(fs, a->path);
        }
        if (!node)
            return -1;
        bool present = false;
        for (size_t k = 0; k < node->n_aces; k++)
            present |= node->aces[k].type == a->type && node->aces[k].mask == a->mask &&
                       node->aces[k].flags == a->inherit && strcmp(node->aces[k].sid, a->sid) == 0;
        if (!present) {
            am_add_ace(node, a->sid, a->type, a->mask, a->inherit);
            added++;
        }
    }
    return added;
}
