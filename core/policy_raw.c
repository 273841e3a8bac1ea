/* policy_raw.c — the raw (as written) policy and its string vectors. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy_internal.h"

int rf_strv_push(rf_strv *s, const char *value) {
    if (s->len == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return -ENOMEM;
        s->v = v;
        s->cap = cap;
    }
    char *copy = strdup(value);
    if (!copy)
        return -ENOMEM;
    s->v[s->len++] = copy;
    return 0;
}

void rf_strv_free(rf_strv *s) {
    for (size_t i = 0; i < s->len; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->len = s->cap = 0;
}

void rf_raw_policy_free(rf_raw_policy *raw) {
    free(raw->workspace);
    raw->workspace = NULL;
    rf_strv_free(&raw->writable_roots);
    rf_strv_free(&raw->protected_names);
    rf_strv_free(&raw->deny_read);
    rf_strv_free(&raw->env_scrub);
    rf_strv_free(&raw->env_set);
    free(raw->backend);
    raw->backend = NULL;
}
