/* probe_table_test — the probe table is well-formed: enough probes, unique
 * ids named for their guarantee, a description and a function each, and a
 * control probe per guarantee family where one makes sense. */
#include <string.h>

#include "probe/probe.h"
#include "tests/check.h"

int main(void) {
    size_t n;
    const rf_probe *p = rf_probes(&n);
    CHECK(n >= 40, "the suite has %zu probes; the issue asks for at least 40", n);
    size_t per_guarantee[RF_G_COUNT] = {0}, controls = 0;
    for (size_t i = 0; i < n; i++) {
        const char *g = rf_guarantee_name(p[i].guarantee);
        size_t gl = strlen(g);
        bool prefixed = strncmp(p[i].id, g, gl) == 0 && p[i].id[gl] == '.';
        if (p[i].guarantee == RF_G_PROCESS_TREE)
            prefixed = strncmp(p[i].id, "process.", 8) == 0;
        CHECK(prefixed, "%s: the id must start with its guarantee (%s)", p[i].id, g);
        CHECK(p[i].run != NULL, "%s: no function", p[i].id);
        CHECK(p[i].description && p[i].description[0], "%s: no description", p[i].id);
        CHECK(rf_probe_find(p[i].id) == &p[i], "%s: the id is not unique", p[i].id);
        per_guarantee[p[i].guarantee]++;
        controls += p[i].kind == RF_KIND_CONTROL;
    }
    for (int g = 0; g < RF_G_COUNT; g++)
        CHECK(per_guarantee[g] >= 3, "guarantee %s has only %zu probes",
              rf_guarantee_name((rf_guarantee)g), per_guarantee[g]);
    CHECK(controls >= 1, "no control probe: over-confinement would go unnoticed");
    CHECK(rf_probe_find("no.such.probe") == NULL, "an unknown id is not found");
    for (int o = RF_OUT_ALLOWED; o <= RF_OUT_ERROR; o++)
        CHECK(rf_probe_outcome_from_name(rf_probe_outcome_name((rf_probe_outcome)o)) == o,
              "outcome %d round-trips through its name", o);
    return check_summary("probe_table");
}
