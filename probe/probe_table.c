/* probe_table.c — every probe, in guarantee order, as one list (the tables come
 * from probe_<guarantee>.c on Linux, probe_<guarantee>_win.c on Windows). */
#include <string.h>

#include "probe/probe.h"

#define MAX_PROBES 128

const rf_probe *rf_probes(size_t *count) {
    static rf_probe all[MAX_PROBES];
    static size_t n;
    if (n == 0) {
        const struct {
            const rf_probe *table;
            size_t count;
        } groups[] = {
            {rf_probes_writes, rf_probes_writes_count},
            {rf_probes_protected, rf_probes_protected_count},
            {rf_probes_deny_read, rf_probes_deny_read_count},
            {rf_probes_network, rf_probes_network_count},
            {rf_probes_process, rf_probes_process_count},
        };
        for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
            for (size_t i = 0; i < groups[g].count && n < MAX_PROBES; i++)
                all[n++] = groups[g].table[i];
    }
    *count = n;
    return all;
}

const rf_probe *rf_probe_find(const char *id) {
    size_t n;
    const rf_probe *all = rf_probes(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].id, id) == 0)
            return &all[i];
    return NULL;
}
