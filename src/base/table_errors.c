/* table_errors.c - the error list of an imported file: {row, column, message} per problem,
 * the first TABLE_MAX_ERRORS kept and every one counted; and how a message quotes a cell
 * (table_quote), so that neither a message nor the answer repeats a long cell. */
#include "base/table.h"
#include "base/utf8.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *table_quote(const char *s, char *buf)
{
    const size_t max = TABLE_QUOTE_SIZE - sizeof "…"; /* 4 bytes a character at most */
    size_t n = 0, chars = 0;
    if (!s) s = "";
    for (; s[n] && n < max; n++) {
        bool first = ((unsigned char)s[n] & 0xC0) != 0x80; /* not a continuation byte */
        if (first && chars == TABLE_QUOTE_CHARS) break;
        chars += first;
    }
    memcpy(buf, s, n);
    strcpy(buf + n, s[n] ? "…" : "");
    return buf;
}

void table_error_add(struct table_errors *l, int row, const char *column, const char *fmt, ...)
{
    l->total++;
    if (l->n >= TABLE_MAX_ERRORS) return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct table_error *items = realloc(l->items, cap * sizeof *items);
        if (!items) return; /* counted, not listed */
        l->items = items;
        l->cap = cap;
    }
    struct table_error *e = &l->items[l->n++];
    e->row = row;
    e->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    utf8_scrub(e->msg); /* a message cut at the end of msg may end mid-character */
}

json_t *table_errors_json(const struct table_errors *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++) {
        const char *col = l->items[i].column;
        json_array_append_new(a, json_pack("{s:i,s:o,s:s}", "row", l->items[i].row, "column",
                                           col ? json_string(TABLE_QUOTE(col)) : json_null(),
                                           "message", l->items[i].msg));
    }
    return a;
}

void table_errors_free(struct table_errors *l)
{
    if (!l) return;
    free(l->items);
    l->items = NULL;
    l->n = l->cap = l->total = 0;
}
