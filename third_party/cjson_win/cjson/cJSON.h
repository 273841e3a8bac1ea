/*
 * cJSON.h (ringfence's subset) — the cJSON calls core/policy_parse.c makes,
 * with cJSON's names and node layout, for builds without libcjson (Windows).
 * Written for ringfence; it shares no code with cJSON.
 *
 * Reading only, plus printing one value compactly (for error messages).
 * Nesting is limited to CJSON_NESTING_LIMIT levels, as in cJSON.
 */
#ifndef RF_CJSON_SUBSET_H
#define RF_CJSON_SUBSET_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CJSON_NESTING_LIMIT 1000

#define cJSON_Invalid (0)
#define cJSON_False (1 << 0)
#define cJSON_True (1 << 1)
#define cJSON_NULL (1 << 2)
#define cJSON_Number (1 << 3)
#define cJSON_String (1 << 4)
#define cJSON_Array (1 << 5)
#define cJSON_Object (1 << 6)

typedef int cJSON_bool;

typedef struct cJSON {
    struct cJSON *next, *prev; /* siblings in an array or object */
    struct cJSON *child;       /* first element / member */
    int type;
    char *valuestring; /* cJSON_String */
    int valueint;      /* cJSON_Number, truncated */
    double valuedouble;
    char *string; /* the member's key inside an object */
} cJSON;

/* Parses `buffer_length` bytes of `value`; with `require_null_terminated`
 * only whitespace may follow the value.  On failure returns NULL and sets
 * *return_parse_end (when not NULL) to where the error was found. */
cJSON *cJSON_ParseWithLengthOpts(const char *value, size_t buffer_length,
                                 const char **return_parse_end,
                                 cJSON_bool require_null_terminated);
void cJSON_Delete(cJSON *item);

/* The member named exactly `string`, or NULL. */
cJSON *cJSON_GetObjectItemCaseSensitive(const cJSON *object, const char *string);

/* Compact JSON text of the value (malloc'd; free()), or NULL. */
char *cJSON_PrintUnformatted(const cJSON *item);

cJSON_bool cJSON_IsBool(const cJSON *item);
cJSON_bool cJSON_IsNull(const cJSON *item);
cJSON_bool cJSON_IsNumber(const cJSON *item);
cJSON_bool cJSON_IsString(const cJSON *item);
cJSON_bool cJSON_IsArray(const cJSON *item);
cJSON_bool cJSON_IsObject(const cJSON *item);

#ifdef __cplusplus
}
#endif
#endif
