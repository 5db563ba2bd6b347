/* table_errors.c - the error list of an imported file: {row, column, message} per problem,
 * the first TABLE_MAX_ERRORS kept and every one counted. */
#include "base/table.h"
#include "base/utf8.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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
    utf8_scrub(e->msg); /* a cell quoted with %.Ns or a long message may be cut mid-character */
}

json_t *table_errors_json(const struct table_errors *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, json_pack("{s:i,s:o,s:s}", "row", l->items[i].row, "column",
                                           l->items[i].column ? json_string(l->items[i].column) : json_null(),
                                           "message", l->items[i].msg));
    return a;
}

void table_errors_free(struct table_errors *l)
{
    if (!l) return;
    free(l->items);
    l->items = NULL;
    l->n = l->cap = l->total = 0;
}
