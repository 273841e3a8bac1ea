/*
 * cjson_win.c — ringfence's reader for the cJSON subset in cjson/cJSON.h:
 * recursive descent over RFC 8259 JSON, building cJSON-shaped nodes.
 *
 * Cleanup idiom: a failed parse frees the partial tree at the top
 * (cJSON_ParseWithLengthOpts); inner functions only return NULL.
 */
#include "cjson/cJSON.h"

#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    const char *p, *end;
    const char *error; /* first failure position */
    int depth;
} reader;

static void *fail(reader *r) {
    if (!r->error)
        r->error = r->p;
    return NULL;
}

static void skip_ws(reader *r) {
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static bool literal(reader *r, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return false;
    r->p += n;
    return true;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool read_hex4(reader *r, unsigned *out) {
    if (r->end - r->p < 4)
        return false;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(r->p[i]);
        if (h < 0)
            return false;
        v = (v << 4) | (unsigned)h;
    }
    r->p += 4;
    *out = v;
    return true;
}

static size_t put_utf8(char *o, unsigned cp) {
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* r->p at the opening quote; returns the malloc'd UTF-8 value. */
static char *read_string(reader *r) {
    const char *start = ++r->p;
    size_t cap = 1;
    /* Every input byte yields at most one output byte, except \uXXXX (six
     * bytes, at most four out): the input length bounds the output. */
    for (const char *q = start; q < r->end && *q != '"'; q++) {
        cap++;
        if (*q == '\\' && q + 1 < r->end)
            q++, cap++;
    }
    char *s = malloc(cap);
    if (!s)
        return fail(r);
    size_t o = 0;
    for (;;) {
        if (r->p >= r->end) {
            free(s);
            return fail(r);
        }
        unsigned char c = (unsigned char)*r->p;
        if (c == '"')
            break;
        if (c < 0x20) { /* RFC 8259: control characters must be escaped */
            free(s);
            return fail(r);
        }
        if (c != '\\') {
            s[o++] = (char)c;
            r->p++;
            continue;
        }
        const char *escape = r->p;
        if (r->p + 1 >= r->end) {
            free(s);
            return fail(r);
        }
        char e = r->p[1];
        r->p += 2;
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *k = e ? strchr(from, e) : NULL;
        if (k) {
            s[o++] = to[k - from];
            continue;
        }
        unsigned cp, lo;
        if (e != 'u' || !read_hex4(r, &cp)) {
            r->p = escape;
            free(s);
            return fail(r);
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            /* A high surrogate must be followed by its low half. */
            if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u') {
                r->p = escape;
                free(s);
                return fail(r);
            }
            r->p += 2;
            if (!read_hex4(r, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                r->p = escape;
                free(s);
                return fail(r);
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            r->p = escape;
            free(s);
            return fail(r);
        }
        o += put_utf8(s + o, cp);
    }
    r->p++; /* the closing quote */
    s[o] = '\0';
    return s;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool read_number(reader *r, cJSON *item) {
    const char *q = r->p;
    if (q < r->end && *q == '-')
        q++;
    if (q >= r->end || !is_digit(*q))
        return false;
    if (*q == '0')
        q++;
    else
        while (q < r->end && is_digit(*q))
            q++;
    if (q < r->end && *q == '.') {
        q++;
        if (q >= r->end || !is_digit(*q))
            return false;
        while (q < r->end && is_digit(*q))
            q++;
    }
    if (q < r->end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < r->end && (*q == '+' || *q == '-'))
            q++;
        if (q >= r->end || !is_digit(*q))
            return false;
        while (q < r->end && is_digit(*q))
            q++;
    }
    size_t n = (size_t)(q - r->p);
    char buf[64];
    if (n >= sizeof buf)
        return false; /* no policy value needs a longer number */
    memcpy(buf, r->p, n);
    buf[n] = '\0';
    double v = strtod(buf, NULL);
    item->type = cJSON_Number;
    item->valuedouble = v;
    item->valueint = v >= INT_MAX ? INT_MAX : v <= (double)INT_MIN ? INT_MIN : (int)v;
    r->p = q;
    return true;
}

static cJSON *read_value(reader *r);

/* r->p at '[' or '{'. */
static cJSON *read_container(reader *r, cJSON *item, bool object) {
    char close = object ? '}' : ']';
    if (++r->depth > CJSON_NESTING_LIMIT)
        return fail(r);
    r->p++;
    skip_ws(r);
    cJSON *last = NULL;
    if (r->p < r->end && *r->p == close) {
        r->p++;
        r->depth--;
        return item;
    }
    for (;;) {
        skip_ws(r);
        char *key = NULL;
        if (object) {
            if (r->p >= r->end || *r->p != '"')
                return fail(r);
            key = read_string(r);
            if (!key)
                return NULL;
            skip_ws(r);
            if (r->p >= r->end || *r->p != ':') {
                free(key);
                return fail(r);
            }
            r->p++;
            skip_ws(r);
        }
        cJSON *child = read_value(r);
        if (!child) {
            free(key);
            return NULL;
        }
        child->string = key;
        if (last) {
            last->next = child;
            child->prev = last;
        } else {
            item->child = child;
        }
        last = child;
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            r->p++;
            r->depth--;
            return item;
        }
        return fail(r);
    }
}

static cJSON *read_value(reader *r) {
    cJSON *item = calloc(1, sizeof *item);
    if (!item)
        return fail(r);
    /* Linked to the caller's tree only on success; freed here on failure. */
    cJSON *done = NULL;
    if (r->p >= r->end) {
        fail(r);
    } else if (literal(r, "null")) {
        item->type = cJSON_NULL;
        done = item;
    } else if (literal(r, "true")) {
        item->type = cJSON_True;
        item->valueint = 1;
        done = item;
    } else if (literal(r, "false")) {
        item->type = cJSON_False;
        done = item;
    } else if (*r->p == '"') {
        item->type = cJSON_String;
        item->valuestring = read_string(r);
        done = item->valuestring ? item : NULL;
    } else if (*r->p == '[' || *r->p == '{') {
        bool object = *r->p == '{';
        item->type = object ? cJSON_Object : cJSON_Array;
        done = read_container(r, item, object);
    } else if (read_number(r, item)) {
        done = item;
    } else {
        fail(r);
    }
    if (!done)
        cJSON_Delete(item);
    return done;
}

cJSON *cJSON_ParseWithLengthOpts(const char *value, size_t buffer_length,
                                 const char **return_parse_end,
                                 cJSON_bool require_null_terminated) {
    if (!value || buffer_length == 0) {
        if (return_parse_end)
            *return_parse_end = value;
        return NULL;
    }
    reader r = {value, value + buffer_length, NULL, 0};
    /* A length that counts the terminating NUL: the NUL ends the text. */
    const char *nul = memchr(value, '\0', buffer_length);
    if (nul)
        r.end = nul;
    if (r.end - r.p >= 3 && memcmp(r.p, "\xEF\xBB\xBF", 3) == 0)
        r.p += 3; /* a UTF-8 byte-order mark, as editors on Windows write */
    skip_ws(&r);
    cJSON *root = read_value(&r);
    if (root) {
        skip_ws(&r);
        if (require_null_terminated && r.p < r.end) {
            r.error = r.p;
            cJSON_Delete(root);
            root = NULL;
        }
    }
    if (return_parse_end)
        *return_parse_end = root ? r.p : (r.error ? r.error : r.p);
    return root;
}

void cJSON_Delete(cJSON *item) {
    while (item) {
        cJSON *next = item->next;
        cJSON_Delete(item->child);
        free(item->valuestring);
        free(item->string);
        free(item);
        item = next;
    }
}

cJSON *cJSON_GetObjectItemCaseSensitive(const cJSON *object, const char *string) {
    if (!object || !string)
        return NULL;
    for (cJSON *c = object->child; c; c = c->next)
        if (c->string && strcmp(c->string, string) == 0)
            return c;
    return NULL;
}

cJSON_bool cJSON_IsBool(const cJSON *item) {
    return item && (item->type & (cJSON_True | cJSON_False)) != 0;
}
cJSON_bool cJSON_IsNull(const cJSON *item) { return item && item->type == cJSON_NULL; }
cJSON_bool cJSON_IsNumber(const cJSON *item) { return item && item->type == cJSON_Number; }
cJSON_bool cJSON_IsString(const cJSON *item) { return item && item->type == cJSON_String; }
cJSON_bool cJSON_IsArray(const cJSON *item) { return item && item->type == cJSON_Array; }
cJSON_bool cJSON_IsObject(const cJSON *item) { return item && item->type == cJSON_Object; }

/* ---- printing ---------------------------------------------------------- */

typedef struct outbuf {
    char *data;
    size_t len, cap;
    bool failed;
} outbuf;

static void put(outbuf *b, const char *s, size_t n) {
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *data = realloc(b->data, cap);
        if (!data) {
            b->failed = true;
            return;
        }
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void put_str(outbuf *b, const char *s) { put(b, s, strlen(s)); }

static void put_quoted(outbuf *b, const char *s) {
    put(b, "\"", 1);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        char esc[8];
        switch (*c) {
        case '"': put_str(b, "\\\""); break;
        case '\\': put_str(b, "\\\\"); break;
        case '\b': put_str(b, "\\b"); break;
        case '\f': put_str(b, "\\f"); break;
        case '\n': put_str(b, "\\n"); break;
        case '\r': put_str(b, "\\r"); break;
        case '\t': put_str(b, "\\t"); break;
        default:
            if (*c < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", *c);
                put_str(b, esc);
            } else {
                put(b, (const char *)c, 1);
            }
        }
    }
    put(b, "\"", 1);
}

static void put_number(outbuf *b, double v) {
    char num[32];
    if (!isfinite(v))
        snprintf(num, sizeof num, "null");
    else if (v == (double)(long long)v && fabs(v) < 1e15)
        snprintf(num, sizeof num, "%lld", (long long)v);
    else {
        /* The shortest of 15 or 17 digits that reads back as the same value. */
        snprintf(num, sizeof num, "%1.15g", v);
        if (strtod(num, NULL) != v)
            snprintf(num, sizeof num, "%1.17g", v);
    }
    put_str(b, num);
}

static void print_value(outbuf *b, const cJSON *item) {
    switch (item->type) {
    case cJSON_NULL: put_str(b, "null"); return;
    case cJSON_True: put_str(b, "true"); return;
    case cJSON_False: put_str(b, "false"); return;
    case cJSON_Number: put_number(b, item->valuedouble); return;
    case cJSON_String: put_quoted(b, item->valuestring ? item->valuestring : ""); return;
    case cJSON_Array:
    case cJSON_Object: {
        bool object = item->type == cJSON_Object;
        put_str(b, object ? "{" : "[");
        for (const cJSON *c = item->child; c; c = c->next) {
            if (object) {
                put_quoted(b, c->string ? c->string : "");
                put_str(b, ":");
            }
            print_value(b, c);
            if (c->next)
                put_str(b, ",");
        }
        put_str(b, object ? "}" : "]");
        return;
    }
    default: b->failed = true;
    }
}

char *cJSON_PrintUnformatted(const cJSON *item) {
    if (!item)
        return NULL;
    outbuf b = {0};
    print_value(&b, item);
    if (b.failed || !b.data) {
        free(b.data);
        return NULL;
    }
    return b.data;
}
