/* json_min.c — recursive-descent JSON reader and string writer. */
#include "backends/windows/json_min.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define MAX_DEPTH 16

typedef struct parser {
    const char *text;
    const char *p;
    rf_error *err;
} parser;

static int fail_at(parser *ps, const char *what) {
    return rf_fail(ps->err, -EINVAL, "parse state JSON: %s at byte %llu", what,
                   (unsigned long long)(ps->p - ps->text));
}

static void skip_ws(parser *ps) {
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
        ps->p++;
}

void rf_json_free(rf_json *v) {
    if (!v)
        return;
    for (size_t i = 0; i < v->len; i++)
        rf_json_free(v->items[i]);
    free(v->items);
    free(v->string);
    free(v->key);
    free(v);
}

static int push_item(parser *ps, rf_json *parent, rf_json *child) {
    rf_json **items = realloc(parent->items, (parent->len + 1) * sizeof *items);
    if (!items) {
        rf_json_free(child);
        return rf_fail(ps->err, -ENOMEM, "parse state JSON: out of memory");
    }
    parent->items = items;
    parent->items[parent->len++] = child;
    return 0;
}

static int hex4(const char *p, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
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

/* ps->p at the opening quote; *out malloc'd. */
static int parse_string(parser *ps, char **out) {
    const char *start = ++ps->p;
    size_t cap = 0;
    for (const char *q = start; *q && *q != '"'; q++)
        cap += (*q == '\\' && q[1]) ? (q++, 4) : 1;
    char *s = malloc(cap + 1);
    if (!s)
        return rf_fail(ps->err, -ENOMEM, "parse state JSON: out of memory");
    size_t o = 0;
    for (;;) {
        unsigned char c = (unsigned char)*ps->p;
        if (c == '\0' || c < 0x20) {
            free(s);
            return fail_at(ps, c ? "control character in string" : "unterminated string");
        }
        if (c == '"')
            break;
        if (c != '\\') {
            s[o++] = (char)c;
            ps->p++;
            continue;
        }
        char e = ps->p[1];
        ps->p += 2;
        switch (e) {
        case '"': s[o++] = '"'; break;
        case '\\': s[o++] = '\\'; break;
        case '/': s[o++] = '/'; break;
        case 'b': s[o++] = '\b'; break;
        case 'f': s[o++] = '\f'; break;
        case 'n': s[o++] = '\n'; break;
        case 'r': s[o++] = '\r'; break;
        case 't': s[o++] = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (hex4(ps->p, &cp) < 0) {
                free(s);
                return fail_at(ps, "bad \\u escape");
            }
            ps->p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && ps->p[0] == '\\' && ps->p[1] == 'u' &&
                hex4(ps->p + 2, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                ps->p += 6;
            } else if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0) {
                free(s);
                return fail_at(ps, "unpaired surrogate or NUL in \\u escape");
            }
            o += put_utf8(s + o, cp);
            break;
        }
        default:
            free(s);
            return fail_at(ps, "bad escape");
        }
    }
    ps->p++;
    s[o] = '\0';
    *out = s;
    return 0;
}

static int parse_value(parser *ps, rf_json **out, int depth);

static int parse_container(parser *ps, rf_json *v, int depth) {
    bool object = v->type == RF_JSON_OBJECT;
    char close = object ? '}' : ']';
    ps->p++;
    skip_ws(ps);
    if (*ps->p == close) {
        ps->p++;
        return 0;
    }
    for (;;) {
        char *key = NULL;
        skip_ws(ps);
        if (object) {
            if (*ps->p != '"')
                return fail_at(ps, "expected a member name");
            int rc = parse_string(ps, &key);
            if (rc < 0)
                return rc;
            skip_ws(ps);
            if (*ps->p != ':') {
                free(key);
                return fail_at(ps, "expected ':'");
            }
            ps->p++;
        }
        rf_json *child = NULL;
        int rc = parse_value(ps, &child, depth + 1);
        if (rc < 0) {
            free(key);
            return rc;
        }
        child->key = key;
        rc = push_item(ps, v, child);
        if (rc < 0)
            return rc;
        skip_ws(ps);
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p == close) {
            ps->p++;
            return 0;
        }
        return fail_at(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int parse_int(parser *ps, rf_json *v) {
    const char *p = ps->p;
    bool neg = *p == '-';
    if (neg)
        p++;
    if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
        return fail_at(ps, "bad number");
    uint64_t mag = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (mag > (UINT64_C(1) << 62) / 5)
            return fail_at(ps, "number out of range");
        mag = mag * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.' || *p == 'e' || *p == 'E')
        return fail_at(ps, "only integer numbers are accepted");
    if (mag > (uint64_t)INT64_MAX)
        return fail_at(ps, "number out of range");
    v->integer = neg ? -(int64_t)mag : (int64_t)mag;
    ps->p = p;
    return 0;
}

static int parse_value(parser *ps, rf_json **out, int depth) {
    if (depth > MAX_DEPTH)
        return fail_at(ps, "nesting too deep");
    skip_ws(ps);
    rf_json *v = calloc(1, sizeof *v);
    if (!v)
        return rf_fail(ps->err, -ENOMEM, "parse state JSON: out of memory");
    int rc = 0;
    char c = *ps->p;
    if (c == '{' || c == '[') {
        v->type = c == '{' ? RF_JSON_OBJECT : RF_JSON_ARRAY;
        rc = parse_container(ps, v, depth);
    } else if (c == '"') {
        v->type = RF_JSON_STRING;
        rc = parse_string(ps, &v->string);
    } else if (strncmp(ps->p, "true", 4) == 0 || strncmp(ps->p, "false", 5) == 0) {
        v->type = RF_JSON_BOOL;
        v->boolean = c == 't';
        ps->p += v->boolean ? 4 : 5;
    } else if (strncmp(ps->p, "null", 4) == 0) {
        ps->p += 4;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        v->type = RF_JSON_INT;
        rc = parse_int(ps, v);
    } else {
        rc = fail_at(ps, "unexpected character");
    }
    if (rc < 0) {
        rf_json_free(v);
        return rc;
    }
    *out = v;
    return 0;
}

int rf_json_parse(const char *text, rf_json **out, rf_error *err) {
    parser ps = {.text = text, .p = text, .err = err};
    *out = NULL;
    rf_json *v = NULL;
    int rc = parse_value(&ps, &v, 0);
    if (rc < 0)
        return rc;
    skip_ws(&ps);
    if (*ps.p != '\0') {
        rf_json_free(v);
        return fail_at(&ps, "trailing text");
    }
    *out = v;
    return 0;
}

const rf_json *rf_json_get(const rf_json *object, const char *key) {
    if (!object || object->type != RF_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < object->len; i++)
        if (strcmp(object->items[i]->key, key) == 0)
            return object->items[i];
    return NULL;
}

static void buf_put(rf_jsonbuf *b, const char *s, size_t n) {
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
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

void rf_jsonbuf_raw(rf_jsonbuf *b, const char *s) { buf_put(b, s, strlen(s)); }

void rf_jsonbuf_string(rf_jsonbuf *b, const char *s) {
    buf_put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            buf_put(b, esc, 2);
        } else if (*p < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            buf_put(b, esc, 6);
        } else {
            buf_put(b, (const char *)p, 1);
        }
    }
    buf_put(b, "\"", 1);
}

void rf_jsonbuf_int(rf_jsonbuf *b, int64_t v) {
    char num[32];
    snprintf(num, sizeof num, "%" PRId64, v);
    rf_jsonbuf_raw(b, num);
}
