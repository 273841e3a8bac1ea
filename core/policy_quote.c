/* policy_quote.c — quoting policy values for error messages. */
#include <stdio.h>
#include <string.h>

#include "core/policy_internal.h"

/* Copies `value` into q, escaping control characters (a policy value must not
 * be able to drive the user's terminal: escape-sequence injection) and
 * cutting it with "..." when it is long. */
static const char *quote(rf_quoted *q, const char *value, bool with_quotes) {
    const size_t room = sizeof q->text - 6; /* closing quote, "...", NUL */
    size_t n = 0;
    if (with_quotes)
        q->text[n++] = '"';
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        char esc[8];
        int m;
        if (with_quotes && (*p == '"' || *p == '\\'))
            m = snprintf(esc, sizeof esc, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            m = snprintf(esc, sizeof esc, "\\x%02x", *p);
        else
            m = snprintf(esc, sizeof esc, "%c", *p);
        if (n + (size_t)m > room) {
            snprintf(q->text + n, sizeof q->text - n, "%s...", with_quotes ? "\"" : "");
            return q->text;
        }
        memcpy(q->text + n, esc, (size_t)m);
        n += (size_t)m;
    }
    if (with_quotes)
        q->text[n++] = '"';
    q->text[n] = '\0';
    return q->text;
}

const char *rf_quote(rf_quoted *q, const char *value) {
    return quote(q, value, true);
}

const char *rf_quote_raw(rf_quoted *q, const char *text) {
    return quote(q, text, false);
}
