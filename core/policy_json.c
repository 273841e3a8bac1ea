/*
 * policy_json.c — the normalized policy as canonical JSON.
 *
 * Keys always come in the same order and the text is compact, so the same
 * policy gives the same bytes (the audit log records their sha256).  Without
 * sources the keys are those of a policy file (plus "policy_file" and
 * "managed_file"); with sources every scalar and every list item becomes
 * {"value": ..., "source": "default" | "policy" | "managed" | "flag"}.
 *
 * Cleanup idiom: one cJSON tree, deleted at `out`.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "core/ringfence.h"

/* A string value, bare or with its source; NULL on allocation failure. */
static cJSON *value_node(const char *value, rf_source source, bool with_sources) {
    if (!with_sources)
        return cJSON_CreateString(value);
    cJSON *node = cJSON_CreateObject();
    if (!node)
        return NULL;
    if (!cJSON_AddStringToObject(node, "value", value) ||
        !cJSON_AddStringToObject(node, "source", rf_source_name(source))) {
        cJSON_Delete(node);
        return NULL;
    }
    return node;
}

static bool add_value(cJSON *parent, const char *key, const char *value, rf_source source,
                      bool with_sources) {
    cJSON *node = value_node(value, source, with_sources);
    if (!node)
        return false;
    if (!cJSON_AddItemToObject(parent, key, node)) {
        cJSON_Delete(node);
        return false;
    }
    return true;
}

static bool add_list(cJSON *parent, const char *key, const rf_list *list, bool with_sources) {
    cJSON *array = cJSON_AddArrayToObject(parent, key);
    if (!array)
        return false;
    for (size_t i = 0; i < list->len; i++) {
        cJSON *node = value_node(list->items[i].value, list->items[i].source, with_sources);
        if (!node)
            return false;
        if (!cJSON_AddItemToArray(array, node)) {
            cJSON_Delete(node);
            return false;
        }
    }
    return true;
}

static bool add_path_or_null(cJSON *parent, const char *key, const char *path) {
    return path ? cJSON_AddStringToObject(parent, key, path) != NULL
                : cJSON_AddNullToObject(parent, key) != NULL;
}

static bool add_env(cJSON *root, const rf_policy *policy, bool with_sources) {
    cJSON *env = cJSON_AddObjectToObject(root, "env");
    if (!env || !add_list(env, "scrub", &policy->env_scrub, with_sources))
        return false;
    cJSON *set = cJSON_AddObjectToObject(env, "set");
    if (!set)
        return false;
    for (size_t i = 0; i < policy->env_set.len; i++) {
        const char *pair = policy->env_set.items[i].value;
        const char *eq = strchr(pair, '=');
        if (!eq)
            continue; /* never happens: names are checked to hold no '=' */
        char *name = strndup(pair, (size_t)(eq - pair));
        if (!name)
            return false;
        bool ok = add_value(set, name, eq + 1, policy->env_set.items[i].source, with_sources);
        free(name);
        if (!ok)
            return false;
    }
    return true;
}

static bool add_require(cJSON *root, const rf_policy *policy, bool with_sources) {
    cJSON *array = cJSON_AddArrayToObject(root, "require");
    if (!array)
        return false;
    for (int g = 0; g < RF_G_COUNT; g++) {
        if (!policy->require[g])
            continue;
        cJSON *node =
            value_node(rf_guarantee_name((rf_guarantee)g), policy->require_source[g], with_sources);
        if (!node)
            return false;
        if (!cJSON_AddItemToArray(array, node)) {
            cJSON_Delete(node);
            return false;
        }
    }
    return true;
}

char *rf_policy_to_json(const rf_policy *policy, bool with_sources) {
    char *text = NULL;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    bool ok =
        /* Raw "1": cJSON 1.7.15 would print it through sprintf("%1.15g") and
         * sscanf, floating-point code every `ringfence run` would then load. */
        cJSON_AddRawToObject(root, "version", "1") &&
        add_path_or_null(root, "policy_file", policy->policy_file) &&
        add_path_or_null(root, "managed_file", policy->managed_file) &&
        add_value(root, "workspace", policy->workspace, policy->workspace_source, with_sources) &&
        add_list(root, "writable_roots", &policy->writable_roots, with_sources) &&
        add_list(root, "protected", &policy->protected_names, with_sources) &&
        add_list(root, "deny_read", &policy->deny_read, with_sources) &&
        add_value(root, "network", policy->network == RF_NET_ON ? "on" : "off",
                  policy->network_source, with_sources) &&
        add_value(root, "tmp", policy->tmp == RF_TMP_SHARED ? "shared" : "private",
                  policy->tmp_source, with_sources) &&
        add_env(root, policy, with_sources) &&
        add_value(root, "backend", policy->backend, policy->backend_source, with_sources) &&
        add_require(root, policy, with_sources);
    if (ok)
        text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return text;
}
