/*
 * status_print_test.c — `ringfence status [--json]` of the Windows build in
 * core's layout: the text table and detail, and JSON that cJSON reads back
 * with core's keys and the backend's levels.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "backends/windows/guarantees.h"
#include "backends/windows/status_print.h"
#include "tests/check.h"

static void tables(rf_backend_status sts[2], const char *wine) {
    memset(sts, 0, 2 * sizeof *sts);
    rf_win_unelevated_table(&sts[0], wine);
    rf_win_none_table(&sts[1]);
}

static void test_text(void) {
    rf_backend_status sts[2];
    tables(sts, NULL);
    char *text = NULL;
    rf_error err = {0};
    CHECK(rf_win_status_render(sts, 2, false, &text, &err) == 0, "%s", err.message);
    if (!text)
        return;
    static const char *const want[] = {
        "backend      available  writes        protected     deny_read     network       "
        "process_tree \n",
        "windows-unelevated yes        enforced      enforced      absent        advisory      "
        "enforced     \n",
        "none         yes        absent        absent        absent        absent        absent"
        "       \n",
        "\nwindows-unelevated: synthetic SIDs",
        "  guarantees:\n    writes        enforced  write-restricted token",
        "    deny_read     absent    reads use the user's own rights; the elevated backend",
        "  layers:\n    synthetic per-root SIDs (BCryptGenRandom)\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        CHECK(strstr(text, want[i]) != NULL, "text holds \"%s\"", want[i]);
    free(text);
}

static void test_json(void) {
    static const struct {
        const char *wine;
        const char *writes, *network;
    } cases[] = {
        {NULL, "enforced", "advisory"},
        {"8.0", "absent", "advisory"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        rf_backend_status sts[2];
        tables(sts, cases[c].wine);
        char *text = NULL;
        rf_error err = {0};
        CHECK(rf_win_status_render(sts, 2, true, &text, &err) == 0, "%s", err.message);
        cJSON *root = text ? cJSON_Parse(text) : NULL;
        CHECK(root != NULL, "the JSON parses: %s", text ? text : "(none)");
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "backends");
        CHECK(cJSON_GetArraySize(list) == 2, "two backends");
        const cJSON *b = cJSON_GetArrayItem(list, 0);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(b, "name");
        CHECK(cJSON_IsString(name) && strcmp(name->valuestring, "windows-unelevated") == 0,
              "the first is windows-unelevated");
        CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "available")), "available");
        CHECK(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(b, "gaps")), "gaps is an array");
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(b, "guarantees");
        const cJSON *writes =
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(g, "writes"), "level");
        const cJSON *network = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(g, "network"), "level");
        CHECK(cJSON_IsString(writes) && strcmp(writes->valuestring, cases[c].writes) == 0,
              "case %zu: writes is %s", c, cases[c].writes);
        CHECK(cJSON_IsString(network) && strcmp(network->valuestring, cases[c].network) == 0,
              "case %zu: network is %s", c, cases[c].network);
        const cJSON *reason = cJSON_GetObjectItemCaseSensitive(b, "reason");
        CHECK(cJSON_IsString(reason) && (cases[c].wine ? strstr(reason->valuestring, "Wine") != NULL
                                                       : strstr(reason->valuestring, "Wine") == NULL),
              "case %zu: the reason names Wine only under Wine", c);
        cJSON_Delete(root);
        free(text);
    }
}

int main(void) {
    test_text();
    test_json();
    return check_summary("status_print_test");
}
