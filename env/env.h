/*
 * env.h — the command's environment: which variables are scrubbed, which are
 * set, and the advisory network shims applied when network is off.
 *
 * The shim table (env_table.c) is the single place that says which variable
 * gets which value and why; the Windows backend uses the same table with its
 * platform's values.  This module knows nothing of policies: callers pass the
 * policy's lists.
 */
#ifndef RF_ENV_H
#define RF_ENV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/ringfence.h"

typedef enum rf_env_action {
    RF_ENV_SET = 0, /* force the value */
    RF_ENV_UNSET,   /* remove the variable */
} rf_env_action;

typedef struct rf_env_shim {
    const char *name;
    rf_env_action action;
    /* The value; "@DENY_SSH@" stands for a shell command that runs the denybin
     * ssh stub (GIT_SSH_COMMAND), substituted by rf_env_build. */
    const char *value_posix;
    const char *value_windows;
    const char *reason; /* one line: why this variable */
} rf_env_shim;

/* The network-off shim table. */
const rf_env_shim *rf_env_network_off_shims(size_t *count);

/* Default `env.scrub` globs: tokens, passwords, cloud credentials, agent sockets. */
const char *const *rf_env_default_scrub(size_t *count);

/* Shell-style glob on a variable name: `*` any run, `?` one character,
 * `[...]` a set.  Case-sensitive. */
bool rf_env_glob_match(const char *pattern, const char *name);

typedef struct rf_env_spec {
    char *const *parent;             /* the environment to start from */
    const char *const *scrub;        /* globs of names to remove */
    size_t n_scrub;
    const char *const *set;          /* "NAME=VALUE" to set, after scrubbing */
    size_t n_set;
    bool network_off;                /* apply the shim table and denybin */
    const char *denybin_dir;         /* prepended to PATH when network_off; may be NULL */
} rf_env_spec;

/* Builds a fresh NULL-terminated environment (order: parent minus scrubbed,
 * then `set`, then the network shims, which win).  Free with rf_env_free. */
int rf_env_build(const rf_env_spec *spec, char ***out, rf_error *err);
void rf_env_free(char **envp);

/* The value of NAME in envp, or NULL. */
const char *rf_env_get(char *const *envp, const char *name);

#endif
