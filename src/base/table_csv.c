/* table_csv.c - the table every import reads (rows of text cells with their row numbers in the
 * file) and the .csv reader: RFC 4180 (quoted fields with "" escapes, fields spanning lines),
 * UTF-8 with or without a BOM, CRLF / LF / CR line ends. A pure function of the bytes with
 * every size bounded (rows, columns, cell length), so it can be fuzzed. */
#include "base/table.h"
#include "base/utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void table_free(struct table *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->nrows; i++) {
        for (int c = 0; c < t->rows[i].ncells; c++)
            free(t->rows[i].cells[c]);
        free(t->rows[i].cells);
    }
    free(t->rows);
    t->rows = NULL;
    t->nrows = t->cap = 0;
}

bool table_add_row(struct table *t, int no)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct table_row *r = realloc(t->rows, cap * sizeof *r);
        if (!r) return false;
        t->rows = r;
        t->cap = cap;
    }
    t->rows[t->nrows++] = (struct table_row){.no = no};
    return true;
}

/* Trims ASCII spaces (and a full-width space) in place; NULL for an empty cell. */
char *table_trim(char *s)
{
    if (!s) return NULL;
    for (;;) {
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        else if (strncmp(s, "\xE3\x80\x80", 3) == 0)
            s += 3;
        else
            break;
    }
    size_t n = strlen(s);
    for (;;) {
        if (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
            n--;
        else if (n >= 3 && strncmp(s + n - 3, "\xE3\x80\x80", 3) == 0)
            n -= 3;
        else
            break;
    }
    s[n] = '\0';
    return n ? s : NULL;
}

char *table_cell(const struct table_row *r, int col)
{
    return col >= 0 && col < r->ncells ? table_trim(r->cells[col]) : NULL;
}

bool table_set(struct table *t, int col, const char *text, size_t len)
{
    if (!t->nrows || col < 0 || col >= TABLE_MAX_COLS) return false;
    struct table_row *r = &t->rows[t->nrows - 1];
    if (col >= r->ncells) {
        char **cells = realloc(r->cells, (size_t)(col + 1) * sizeof *cells);
        if (!cells) return false;
        for (int i = r->ncells; i <= col; i++)
            cells[i] = NULL;
        r->cells = cells;
        r->ncells = col + 1;
    }
    char *s = malloc(len + 1);
    if (!s) return false;
    memcpy(s, text, len);
    s[len] = '\0';
    free(r->cells[col]);
    r->cells[col] = s;
    return true;
}

/* A growing buffer for one field. */
struct field {
    char *buf;
    size_t len, cap;
};

static bool field_put(struct field *f, const char *s, size_t n)
{
    if (f->len + n > TABLE_CELL_MAX_BYTES) return false;
    if (f->len + n + 1 > f->cap) {
        size_t cap = f->cap ? f->cap : 256;
        while (cap < f->len + n + 1)
            cap *= 2;
        char *b = realloc(f->buf, cap);
        if (!b) return false;
        f->buf = b;
        f->cap = cap;
    }
    memcpy(f->buf + f->len, s, n);
    f->len += n;
    return true;
}

enum err table_csv_read(const char *data, size_t len, size_t max_rows, struct table *out,
                       char *why, size_t whylen)
{
    memset(out, 0, sizeof *out);
    enum err e = ERR_RULE;
    struct field f = {0};
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) data += 3, len -= 3;
    if (memchr(data, '\0', len)) {
        snprintf(why, whylen, "文件含有空字符，不是文本格式的 CSV");
        goto out;
    }
    if (!utf8_valid(data, len)) {
        snprintf(why, whylen, "文件不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”");
        goto out;
    }
    size_t i = 0;
    int row = 0;
    while (i < len) {
        /* one record */
        row++;
        if (out->nrows >= max_rows) {
            snprintf(why, whylen, "行数过多：除表头外一次最多导入 %zu 行",
                     max_rows ? max_rows - 1 : 0);
            goto out;
        }
        if (!table_add_row(out, row)) goto oom;
        int col = 0;
        int start_row = row;
        for (;;) {
            f.len = 0;
            bool quoted = false;
            if (i < len && data[i] == '"') {
                quoted = true;
                i++;
                for (;;) {
                    if (i >= len) {
                        snprintf(why, whylen, "第 %d 行：引号未闭合", start_row);
                        goto out;
                    }
                    if (data[i] == '"') {
                        if (i + 1 < len && data[i + 1] == '"') {
                            if (!field_put(&f, "\"", 1)) goto too_long;
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    const char *q = memchr(data + i, '"', len - i);
                    size_t run = q ? (size_t)(q - (data + i)) : len - i;
                    if (!field_put(&f, data + i, run)) goto too_long;
                    i += run;
                }
                /* text after the closing quote up to the separator is kept, as Excel does */
            }
            size_t run = 0;
            while (i + run < len && data[i + run] != ',' && data[i + run] != '\n' &&
                   data[i + run] != '\r')
                run++;
            if (run && !field_put(&f, data + i, run)) goto too_long;
            i += run;
            if (f.len || quoted) {
                if (col >= TABLE_MAX_COLS) {
                    snprintf(why, whylen, "第 %d 行：列数过多（最多 %d 列）", start_row,
                             TABLE_MAX_COLS);
                    goto out;
                }
                if (f.len && !table_set(out, col, f.buf, f.len)) goto oom;
            }
            col++;
            if (i < len && data[i] == ',') {
                i++;
                continue;
            }
            break;
        }
        /* end of record; a record of empty cells is left out (its number stays used) */
        if (out->rows[out->nrows - 1].ncells == 0) {
            free(out->rows[out->nrows - 1].cells);
            out->nrows--;
        }
        if (i < len && data[i] == '\r') i++;
        if (i < len && data[i] == '\n') i++;
    }
    e = OK;
    goto out;
too_long:
    snprintf(why, whylen, "单元格内容过长（最多 %u 字节）", TABLE_CELL_MAX_BYTES);
    goto out;
oom:
    snprintf(why, whylen, "内存不足");
    e = ERR_INTERNAL;
out:
    free(f.buf);
    if (e != OK) table_free(out);
    return e;
}
