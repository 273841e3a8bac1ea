/* cmd_policy.c — `ringfence policy check FILE` and `ringfence policy show`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/cli/cli.h"

static const char policy_usage[] =
    "usage: ringfence policy check FILE\n"
    "       ringfence policy show [options] [--json]\n"
    "\n"
    "check   validates FILE (merged with the admin-managed policy, if any) and\n"
    "        prints the first error naming the field, or 'ok'.  Exit 0 or 125.\n"
    "show    prints the merged policy that `run` would use, and where each value\n"
    "        came from: default, policy (your file), managed (the admin's), flag.\n"
    "\n"
    "options of show:\n" RF_POLICY_OPTIONS_HELP "  --json               JSON output\n";

static void print_value_line(const char *key, const cJSON *entry, bool first) {
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(entry, "value");
    const cJSON *source = cJSON_GetObjectItemCaseSensitive(entry, "source");
    char *text = NULL;
    if (cJSON_IsString(value))
        text = strdup(value->valuestring);
    else if (value)
        text = cJSON_PrintUnformatted(value);
    printf("%-16s %-40s (%s)\n", first ? key : "", text ? text : "?",
           cJSON_IsString(source) ? source->valuestring : "?");
    free(text);
}

/* Renders the JSON-with-sources form as aligned "key value (source)" lines. */
static void print_entries(const char *key, const cJSON *node) {
    if (cJSON_IsArray(node)) {
        if (cJSON_GetArraySize(node) == 0)
            printf("%-16s %-40s\n", key, "(none)");
        bool first = true;
        const cJSON *item;
        cJSON_ArrayForEach(item, node) {
            print_value_line(key, item, first);
            first = false;
        }
    } else if (cJSON_IsObject(node) && cJSON_GetObjectItemCaseSensitive(node, "source")) {
        print_value_line(key, node, true);
    } else if (cJSON_IsObject(node)) {
        const cJSON *child;
        cJSON_ArrayForEach(child, node) {
            char sub[128];
            snprintf(sub, sizeof sub, "%s.%s", key, child->string);
            print_entries(sub, child);
        }
    } else if (cJSON_IsString(node)) {
        printf("%-16s %s\n", key, node->valuestring);
    } else if (cJSON_IsNull(node)) {
        printf("%-16s %-40s\n", key, "(none)");
    } else {
        char *text = cJSON_PrintUnformatted(node);
        printf("%-16s %s\n", key, text ? text : "?");
        free(text);
    }
}

static int show(int argc, char **argv) {
    static const struct option longopts[] = {
        RF_POLICY_LONG_OPTIONS,
        {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    rf_policy_args args = {0};
    bool json = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (rf_cli_policy_option(&args, opt, optarg))
            continue;
        if (opt == OPT_JSON) {
            json = true;
        } else if (opt == OPT_HELP) {
            fputs(policy_usage, stdout);
            return 0;
        } else {
            fputs(policy_usage, stderr);
            return RF_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        rf_cli_error("policy show: unexpected argument '%s'", argv[optind]);
        return RF_EXIT_USAGE;
    }
    rf_policy *policy = rf_cli_load_policy(&args);
    if (!policy)
        return RF_EXIT_FAILURE;
    char *text = rf_policy_to_json(policy, true);
    rf_policy_free(policy);
    if (!text) {
        rf_cli_error("policy show: out of memory");
        return RF_EXIT_FAILURE;
    }
    if (json) {
        printf("%s\n", text);
        free(text);
        return 0;
    }
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!root) {
        rf_cli_error("policy show: internal error reading the policy JSON");
        return RF_EXIT_FAILURE;
    }
    const cJSON *entry;
    cJSON_ArrayForEach(entry, root) print_entries(entry->string, entry);
    cJSON_Delete(root);
    return 0;
}

static int check(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        fputs(policy_usage, stdout);
        return 0;
    }
    if (argc != 2) {
        rf_cli_error("policy check: expected exactly one FILE (usage: ringfence policy check FILE)");
        return RF_EXIT_USAGE;
    }
    rf_policy_args args = {.policy_file = argv[1]};
    rf_policy *policy = rf_cli_load_policy(&args);
    if (!policy)
        return RF_EXIT_FAILURE;
    rf_policy_free(policy);
    printf("%s: ok\n", argv[1]);
    return 0;
}

int rf_cmd_policy(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(policy_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? RF_EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "check") == 0)
        return check(argc - 1, argv + 1);
    if (strcmp(argv[1], "show") == 0)
        return show(argc - 1, argv + 1);
    rf_cli_error("policy: unknown subcommand '%s' (check, show)", argv[1]);
    return RF_EXIT_USAGE;
}
