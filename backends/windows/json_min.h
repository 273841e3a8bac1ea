/*
 * json_min.h — a small JSON reader and writer for the Windows state file.
 *
 * Why not cJSON: the Windows build must not carry a copy of cJSON and this
 * offline machine cannot fetch its sources at build time, so the state file
 * (a fixed, small schema) uses this reader/writer on both platforms.  It
 * accepts RFC 8259 JSON with integer numbers only, nesting up to 16 levels.
 */
#ifndef RF_WIN_JSON_MIN_H
#define RF_WIN_JSON_MIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ringfence.h"

typedef enum rf_json_type {
    RF_JSON_NULL = 0,
    RF_JSON_BOOL,
    RF_JSON_INT,
    RF_JSON_STRING,
    RF_JSON_ARRAY,
    RF_JSON_OBJECT,
} rf_json_type;

typedef struct rf_json rf_json;
struct rf_json {
    rf_json_type type;
    bool boolean;
    int64_t integer;
    char *string;      /* RF_JSON_STRING: UTF-8 value */
    char *key;         /* member name when inside an object */
    rf_json **items;   /* array elements / object members */
    size_t len;
};

/* Parses `text` (NUL-terminated); errors name the byte offset. */
int rf_json_parse(const char *text, rf_json **out, rf_error *err);
void rf_json_free(rf_json *value);

/* The member `key` of an object, or NULL. */
const rf_json *rf_json_get(const rf_json *object, const char *key);

/* Appends `s` as a quoted JSON string to a growing buffer. */
typedef struct rf_jsonbuf {
    char *data;
    size_t len, cap;
    bool failed; /* an allocation failed: the text is incomplete */
} rf_jsonbuf;

void rf_jsonbuf_raw(rf_jsonbuf *b, const char *s);
void rf_jsonbuf_string(rf_jsonbuf *b, const char *s);
void rf_jsonbuf_int(rf_jsonbuf *b, int64_t v);

#endif
