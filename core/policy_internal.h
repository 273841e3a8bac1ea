/*
 * policy_internal.h — the stages of rf_policy_load, shared by its files and
 * by the unit tests and the fuzzer.
 *
 *   read      policy_load.c   file → bytes (regular file, bounded size)
 *   parse     policy_parse.c  bytes → rf_raw_policy (types, enums, names)
 *   flags     policy_flags.c  rf_overrides → rf_raw_policy (same checks)
 *   resolve   policy_load.c   paths made absolute and symlink-free (path_resolve.c)
 *   merge     policy_merge.c  defaults + user + managed + flags → rf_policy
 *
 * Every stage names the offending field and value in rf_error on failure and
 * returns RF_EPOLICY (or a negative errno for allocation failures).
 */
#ifndef RF_POLICY_INTERNAL_H
#define RF_POLICY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/policy.h"
#include "core/ringfence.h"

/* The largest policy file read; anything bigger is not a hand-written policy. */
#define RF_POLICY_MAX_BYTES (1024 * 1024)

/* A growable vector of owned strings; unlike rf_list it keeps duplicates, so
 * an index still names the element of the file ("writable_roots[2]"). */
typedef struct rf_strv {
    char **v;
    size_t len, cap;
} rf_strv;

int rf_strv_push(rf_strv *s, const char *value); /* copies; -ENOMEM */
void rf_strv_free(rf_strv *s);

/* One policy as written (one file, or the command-line flags), checked for
 * types and names but with paths not yet resolved.  `has_*` tells a key that
 * was present (even as an empty list) from one that was absent. */
typedef struct rf_raw_policy {
    char *workspace; /* NULL: absent */
    bool has_writable_roots;
    rf_strv writable_roots;
    bool has_protected;
    rf_strv protected_names; /* already normalized ("a/b", never "./a/") */
    bool has_deny_read;
    rf_strv deny_read;
    bool has_network;
    rf_network network;
    bool has_tmp;
    rf_tmp tmp;
    rf_strv env_scrub;
    rf_strv env_set; /* "NAME=VALUE"; NAME never contains '=' */
    char *backend;   /* NULL: absent; else "auto" or a known backend name */
    bool require[RF_G_COUNT];
} rf_raw_policy;

void rf_raw_policy_free(rf_raw_policy *raw);

typedef enum rf_policy_kind {
    RF_POLICY_USER = 0, /* the user's file */
    RF_POLICY_MANAGED,  /* the admin-managed file: no "workspace" */
} rf_policy_kind;

/* Parses a policy document of `len` bytes (need not be NUL-terminated) into
 * `out` (zero it first; freed with rf_raw_policy_free even on failure).  The
 * in-memory entry point of the fuzzer: touches nothing outside memory. */
int rf_policy_parse_buffer(const char *text, size_t len, rf_policy_kind kind, rf_raw_policy *out,
                           rf_error *err);

/* The backend names a policy may choose, besides "auto" (one table, in
 * policy_parse.c). */
bool rf_policy_backend_known(const char *name);
const char *rf_policy_backend_choices(void); /* "auto, none, unelevated, elevated" */

/* Checks the command-line overrides into a raw policy (paths still as given);
 * errors name the flag ("--network"). */
int rf_policy_flags_parse(const rf_overrides *flags, rf_raw_policy *out, rf_error *err);

/* Everything the merge needs, every path already absolute and resolved. */
typedef struct rf_merge_input {
    const rf_raw_policy *user;        /* the user's file, or an empty raw policy */
    const rf_raw_policy *managed;     /* NULL: no managed policy */
    const rf_raw_policy *flags;       /* the command-line overrides */
    const char *cwd_workspace;        /* the resolved cwd: the default workspace */
    const char *home;                 /* the resolved home folder */
    const rf_strv *default_deny_read; /* resolved default secrets */
    const char *managed_file;         /* for messages; NULL when none */
    const char *policy_file;          /* for messages; NULL when none */
} rf_merge_input;

/* Builds the normalized policy (out zeroed first; on failure the caller frees
 * it with rf_policy_release).  Applies the rules that keep the result never
 * weaker than the managed policy, and validates the writable roots. */
int rf_policy_merge(const rf_merge_input *in, rf_policy *out, rf_error *err);

/* Frees what a policy owns without freeing the struct itself. */
void rf_policy_release(rf_policy *policy);

/* Full load with the user's policy given as a buffer instead of a file
 * (`base_dir`: the folder relative paths resolve against).  The fuzzer's
 * second entry point; reads nothing but the managed file and path metadata. */
int rf_policy_load_buffer(const rf_load_options *opts, const char *text, size_t len,
                          const char *base_dir, rf_policy **out, rf_error *err);

/* A value quoted for an error message: control characters escaped (a policy
 * value must not be able to drive the user's terminal — escape-sequence
 * injection), long values cut with "...". */
typedef struct rf_quoted {
    char text[320];
} rf_quoted;

const char *rf_quote(rf_quoted *q, const char *value);
/* The same without the surrounding quotes, for JSON text. */
const char *rf_quote_raw(rf_quoted *q, const char *text);

#endif
