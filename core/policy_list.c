/* policy_list.c — the small list type of the normalized policy, and path containment. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"

bool rf_list_contains(const rf_list *list, const char *value) {
    for (size_t i = 0; i < list->len; i++)
        if (strcmp(list->items[i].value, value) == 0)
            return true;
    return false;
}

int rf_list_add(rf_list *list, const char *value, rf_source source) {
    if (rf_list_contains(list, value))
        return 0;
    if (list->len == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 8;
        rf_item *items = realloc(list->items, cap * sizeof *items);
        if (!items)
            return -ENOMEM;
        list->items = items;
        list->cap = cap;
    }
    char *copy = strdup(value);
    if (!copy)
        return -ENOMEM;
    list->items[list->len].value = copy;
    list->items[list->len].source = source;
    list->len++;
    return 0;
}

void rf_list_free(rf_list *list) {
    for (size_t i = 0; i < list->len; i++)
        free(list->items[i].value);
    free(list->items);
    list->items = NULL;
    list->len = list->cap = 0;
}

#ifdef _WIN32
/* Windows: '\\' or '/' separate, and names compare without regard to ASCII
 * case (NTFS folds case: "C:\\Work" and "c:\\work" are one folder). */
#define PATH_SEP "\\"
static bool is_sep(char c) { return c == '\\' || c == '/'; }
static bool same_char(char a, char b) {
    if (a >= 'A' && a <= 'Z')
        a = (char)(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z')
        b = (char)(b - 'A' + 'a');
    return a == b || (is_sep(a) && is_sep(b));
}
#else
#define PATH_SEP "/"
static bool is_sep(char c) { return c == '/'; }
static bool same_char(char a, char b) { return a == b; }
#endif

bool rf_path_within(const char *path, const char *dir) {
    size_t n = strlen(dir);
    for (size_t i = 0; i < n; i++)
        if (!same_char(path[i], dir[i]))
            return false;
    /* A dir ending in a separator ("/", "C:\\") holds everything below it. */
    return path[n] == '\0' || is_sep(path[n]) || (n > 0 && is_sep(dir[n - 1]));
}

int rf_policy_protected_paths(const rf_policy *policy, rf_list *out) {
    for (size_t r = 0; r < policy->writable_roots.len; r++) {
        const char *root = policy->writable_roots.items[r].value;
        for (size_t p = 0; p < policy->protected_names.len; p++) {
            const rf_item *name = &policy->protected_names.items[p];
            size_t len = strlen(root) + 1 + strlen(name->value) + 1;
            char *path = malloc(len);
            if (!path)
                return -ENOMEM;
            strcpy(path, root);
            if (root[0] == '\0' || !is_sep(root[strlen(root) - 1]))
                strcat(path, PATH_SEP);
            strcat(path, name->value);
            int rc = rf_list_add(out, path, name->source);
            free(path);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}
