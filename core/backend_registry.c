/* backend_registry.c — the backends built into this binary and their cached probes. */
#include <string.h>

#include "backends/linux/elevated/elevated_backend.h"
#include "backends/linux/unelevated.h"
#include "core/backend.h"

extern const rf_backend rf_backend_none;

/* Strongest first. */
static const rf_backend *const registry[] = {
    &rf_backend_elevated,
    &rf_backend_unelevated,
    &rf_backend_none,
};
#define REGISTRY_LEN (sizeof registry / sizeof registry[0])

static rf_backend_status probe_cache[REGISTRY_LEN];
static bool probe_done[REGISTRY_LEN];

const rf_backend *const *rf_backends(size_t *count) {
    *count = REGISTRY_LEN;
    return registry;
}

const rf_backend *rf_backend_find(const char *name) {
    for (size_t i = 0; i < REGISTRY_LEN; i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

const rf_backend_status *rf_backend_probe_cached(const rf_backend *backend) {
    for (size_t i = 0; i < REGISTRY_LEN; i++) {
        if (registry[i] != backend)
            continue;
        if (!probe_done[i]) {
            memset(&probe_cache[i], 0, sizeof probe_cache[i]);
            probe_cache[i].name = backend->name;
            probe_cache[i].description = backend->description;
            backend->probe(&probe_cache[i]);
            probe_done[i] = true;
        }
        return &probe_cache[i];
    }
    return NULL;
}

size_t rf_backend_count(void) { return REGISTRY_LEN; }

int rf_backend_status_get(size_t i, rf_backend_status *out) {
    if (i >= REGISTRY_LEN)
        return -1;
    *out = *rf_backend_probe_cached(registry[i]);
    return 0;
}
