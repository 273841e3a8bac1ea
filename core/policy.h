/*
 * policy.h — the normalized in-memory policy that every backend consumes.
 *
 * Produced only by rf_policy_load (policy_load.c): JSON parsed (policy_parse.c),
 * paths resolved (path_resolve.c), merged with the managed policy
 * (policy_merge.c).  After that every path is absolute, free of symlinks, `.`
 * and `..`, and every list is free of duplicates.  Backends never see JSON.
 */
#ifndef RF_POLICY_H
#define RF_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/ringfence.h"

/* Where a value came from; shown by `ringfence policy show`. */
typedef enum rf_source {
    RF_SRC_DEFAULT = 0,
    RF_SRC_USER,    /* the user's policy file */
    RF_SRC_MANAGED, /* the admin-managed policy */
    RF_SRC_FLAG,    /* a command-line flag */
} rf_source;

const char *rf_source_name(rf_source src); /* "default", "policy", "managed", "flag" */

typedef struct rf_item {
    char *value;
    rf_source source;
} rf_item;

typedef struct rf_list {
    rf_item *items;
    size_t len, cap;
} rf_list;

typedef enum rf_network { RF_NET_OFF = 0, RF_NET_ON } rf_network;
typedef enum rf_tmp { RF_TMP_PRIVATE = 0, RF_TMP_SHARED } rf_tmp;

struct rf_policy {
    /* The workspace: an existing directory; also writable_roots.items[0]. */
    char *workspace;
    rf_source workspace_source;

    /* Absolute, resolved, existing directories.  items[0] is the workspace;
     * none is "/", the home folder or an ancestor of it. */
    rf_list writable_roots;

    /* Relative names (".git", "sub/dir") kept read-only inside every writable
     * root; never absolute, never containing "..". */
    rf_list protected_names;

    /* Absolute, resolved paths that must not be read or listed; they need not
     * exist. */
    rf_list deny_read;

    rf_network network;
    rf_source network_source;
    rf_tmp tmp;
    rf_source tmp_source;

    rf_list env_scrub; /* glob patterns on variable names */
    rf_list env_set;   /* "NAME=VALUE" */

    char *backend; /* "auto" or a backend name */
    rf_source backend_source;

    bool require[RF_G_COUNT];
    rf_source require_source[RF_G_COUNT];

    char *policy_file;  /* resolved path of the user's file, or NULL */
    char *managed_file; /* resolved path of the managed file, or NULL */
};

/* List helpers (policy_list.c).  rf_list_add copies `value`; it returns
 * -ENOMEM on allocation failure and 0 when the value was added or already
 * present (the first source is kept). */
int rf_list_add(rf_list *list, const char *value, rf_source source);
bool rf_list_contains(const rf_list *list, const char *value);
void rf_list_free(rf_list *list);

/* Absolute paths of `name` inside every writable root, in root order
 * (malloc'd list; the caller frees with rf_list_free).  Sources are those of
 * the protected names. */
int rf_policy_protected_paths(const rf_policy *policy, rf_list *out);

/* True when `path` equals `dir` or lies beneath it (both normalized). */
bool rf_path_within(const char *path, const char *dir);

#endif
