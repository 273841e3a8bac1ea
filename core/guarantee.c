/* guarantee.c — names of guarantees, levels and policy sources. */
#include <string.h>

#include "core/policy.h"
#include "core/ringfence.h"

static const char *const guarantee_names[RF_G_COUNT] = {
    [RF_G_WRITES] = "writes",
    [RF_G_PROTECTED] = "protected",
    [RF_G_DENY_READ] = "deny_read",
    [RF_G_NETWORK] = "network",
    [RF_G_PROCESS_TREE] = "process_tree",
};

const char *rf_guarantee_name(rf_guarantee g) {
    return (g >= 0 && g < RF_G_COUNT) ? guarantee_names[g] : "unknown";
}

int rf_guarantee_from_name(const char *name) {
    for (int g = 0; g < RF_G_COUNT; g++)
        if (strcmp(guarantee_names[g], name) == 0)
            return g;
    return -1;
}

const char *rf_level_name(rf_level level) {
    switch (level) {
    case RF_ENFORCED:
        return "enforced";
    case RF_ADVISORY:
        return "advisory";
    case RF_ABSENT:
        return "absent";
    }
    return "unknown";
}

const char *rf_source_name(rf_source src) {
    switch (src) {
    case RF_SRC_DEFAULT:
        return "default";
    case RF_SRC_USER:
        return "policy";
    case RF_SRC_MANAGED:
        return "managed";
    case RF_SRC_FLAG:
        return "flag";
    }
    return "unknown";
}
