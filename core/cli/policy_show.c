/*
 * policy_show.c — `ringfence policy show`'s output (policy_show.h), shared by
 * the Linux CLI (cmd_policy.c) and the Windows one (run_win.c).
 */
#include "core/cli/policy_show.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static void print_value_line(FILE *out, const char *key, const cJSON *entry, bool first) {
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(entry, "value");
    const cJSON *source = cJSON_GetObjectItemCaseSensitive(entry, "source");
    char *text = NULL;
    if (cJSON_IsString(value))
        text = strdup(value->valuestring);
    else if (value)
        text = cJSON_PrintUnformatted(value);
    fprintf(out, "%-16s %-40s (%s)\n", first ? key : "", text ? text : "?",
           cJSON_IsString(source) ? source->valuestring : "?");
    free(text);
}

/* Renders the JSON-with-sources form as aligned "key value (source)" lines. */
static void print_entries(FILE *out, const char *key, const cJSON *node) {
    if (cJSON_IsArray(node)) {
        if (cJSON_GetArraySize(node) == 0)
            fprintf(out, "%-16s %-40s\n", key, "(none)");
        bool first = true;
        const cJSON *item;
        cJSON_ArrayForEach(item, node) {
            print_value_line(out, key, item, first);
            first = false;
        }
    } else if (cJSON_IsObject(node) && cJSON_GetObjectItemCaseSensitive(node, "source")) {
        print_value_line(out, key, node, true);
    } else if (cJSON_IsObject(node)) {
        const cJSON *child;
        cJSON_ArrayForEach(child, node) {
            char sub[128];
            snprintf(sub, sizeof sub, "%s.%s", key, child->string);
            print_entries(out, sub, child);
        }
    } else if (cJSON_IsString(node)) {
        fprintf(out, "%-16s %s\n", key, node->valuestring);
    } else if (cJSON_IsNull(node)) {
        fprintf(out, "%-16s %-40s\n", key, "(none)");
    } else {
        char *text = cJSON_PrintUnformatted(node);
        fprintf(out, "%-16s %s\n", key, text ? text : "?");
        free(text);
    }
}

int rf_policy_show(FILE *out, const rf_policy *policy, bool json) {
    char *text = rf_policy_to_json(policy, true);
    if (!text)
        return -1;
    if (json) {
        fprintf(out, "%s\n", text);
        free(text);
        return 0;
    }
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!root)
        return -1;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, root) print_entries(out, entry->string, entry);
    cJSON_Delete(root);
    return 0;
}
