/* cmd_status.c — `ringfence status [--json]`: every backend, whether it is
 * available (or why not), its layers and its guarantee table. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/cli/cli.h"

static const char status_usage[] =
    "usage: ringfence status [--json]\n"
    "\n"
    "Shows every backend built into ringfence: whether it is available on this\n"
    "machine (or why not), the layers it applies, and for each guarantee\n"
    "whether it is enforced by the OS, advisory, or absent.\n";

/* One indented line per line of text (layers, gaps). */
static void print_lines(const char *text) {
    const char *line = text;
    while (*line) {
        const char *nl = line;
        while (*nl && *nl != '\n')
            nl++;
        printf("    %.*s\n", (int)(nl - line), line);
        line = *nl ? nl + 1 : nl;
    }
}

/* "gaps": one string per line: facets of an enforced guarantee not covered. */
static bool add_gaps(cJSON *obj, const char *gaps) {
    cJSON *array = cJSON_AddArrayToObject(obj, "gaps");
    if (!array)
        return false;
    const char *line = gaps;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len > 0) {
            char buf[512];
            snprintf(buf, sizeof buf, "%.*s", (int)len, line);
            cJSON *item = cJSON_CreateString(buf);
            if (!item)
                return false;
            cJSON_AddItemToArray(array, item);
        }
        line += len + (nl ? 1 : 0);
    }
    return true;
}

static void print_text(void) {
    printf("%-12s %-10s", "backend", "available");
    for (int g = 0; g < RF_G_COUNT; g++)
        printf(" %-13s", rf_guarantee_name((rf_guarantee)g));
    printf("\n");
    size_t n = rf_backend_count();
    for (size_t i = 0; i < n; i++) {
        rf_backend_status st;
        rf_backend_status_get(i, &st);
        printf("%-12s %-10s", st.name, st.available ? "yes" : "no");
        for (int g = 0; g < RF_G_COUNT; g++)
            printf(" %-13s", st.available ? rf_level_name(st.level[g]) : "-");
        printf("\n");
    }
    for (size_t i = 0; i < n; i++) {
        rf_backend_status st;
        rf_backend_status_get(i, &st);
        printf("\n%s: %s\n  %s\n", st.name, st.description, st.reason);
        if (!st.available)
            continue;
        printf("  layers:\n");
        print_lines(st.layers);
        printf("  guarantees:\n");
        for (int g = 0; g < RF_G_COUNT; g++)
            printf("    %-13s %-9s %s\n", rf_guarantee_name((rf_guarantee)g),
                   rf_level_name(st.level[g]), st.why[g]);
        if (st.gaps[0] != '\0') {
            printf("  gaps:\n");
            print_lines(st.gaps);
        }
    }
}

static int print_json(void) {
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "backends");
    size_t n = rf_backend_count();
    for (size_t i = 0; i < n; i++) {
        rf_backend_status st;
        rf_backend_status_get(i, &st);
        cJSON *b = cJSON_CreateObject();
        cJSON_AddStringToObject(b, "name", st.name);
        cJSON_AddStringToObject(b, "description", st.description);
        cJSON_AddBoolToObject(b, "available", st.available);
        cJSON_AddStringToObject(b, "reason", st.reason);
        cJSON_AddStringToObject(b, "layers", st.layers);
        if (!add_gaps(b, st.gaps)) {
            cJSON_Delete(root);
            rf_cli_error("status: out of memory printing JSON");
            return RF_EXIT_FAILURE;
        }
        cJSON *g = cJSON_AddObjectToObject(b, "guarantees");
        for (int k = 0; k < RF_G_COUNT; k++) {
            cJSON *e = cJSON_AddObjectToObject(g, rf_guarantee_name((rf_guarantee)k));
            cJSON_AddStringToObject(e, "level", st.available ? rf_level_name(st.level[k]) : "absent");
            cJSON_AddStringToObject(e, "why", st.available ? st.why[k] : st.reason);
        }
        cJSON_AddItemToArray(list, b);
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        rf_cli_error("status: out of memory printing JSON");
        return RF_EXIT_FAILURE;
    }
    printf("%s\n", text);
    free(text);
    return 0;
}

int rf_cmd_status(int argc, char **argv) {
    static const struct option longopts[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    bool json = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_JSON:
            json = true;
            break;
        case OPT_HELP:
            fputs(status_usage, stdout);
            return 0;
        default:
            fputs(status_usage, stderr);
            return RF_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        rf_cli_error("status: unexpected argument '%s'", argv[optind]);
        return RF_EXIT_USAGE;
    }
    if (json)
        return print_json();
    print_text();
    return 0;
}
