/* table_csv.c - the table every import reads (rows of trimmed text cells with their row numbers
 * in the file; the text kept in one arena, where cells may share a string; the decoded size
 * counted against TABLE_MAX_DECODED_BYTES as cells are set) and the .csv reader: RFC 4180
 * (quoted fields with "" escapes, fields spanning lines), UTF-8 with or without a BOM, CRLF /
 * LF / CR line ends. A pure function of the bytes with every size bounded (rows, columns, cell
 * length, the whole table), so it can be fuzzed. */
#include "base/table.h"
#include "base/arena.h"
#include "base/utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#define TABLE_ARENA_BLOCK 65536
#define TABLE_TRIM_BYTES (1u << 20) /* a table this large gives its memory back when freed */

void table_free(struct table *t)
{
    if (!t) return;
    bool large =
        t->bytes >= TABLE_TRIM_BYTES || (t->strings && arena_used(t->strings) >= TABLE_TRIM_BYTES);
    for (size_t i = 0; i < t->nrows; i++)
        free(t->rows[i].cells);
    free(t->rows);
    arena_free(t->strings);
    t->rows = NULL;
    t->strings = NULL;
    t->nrows = t->cap = t->bytes = 0;
#ifdef __GLIBC__
    /* glibc keeps freed memory in its arenas (one per thread); a big table would otherwise stay
     * in the server's resident size after the request */
    if (large) malloc_trim(0);
#else
    (void)large;
#endif
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

/* The length of the blank at the start of s (n bytes): a space, tab, line end or U+3000; 0 for
 * none. */
static size_t blank_at(const char *s, size_t n)
{
    if (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) return 1;
    return n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
}

/* The same at the end of s. */
static size_t blank_before(const char *s, size_t n)
{
    if (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        return 1;
    return n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
}

/* The text of s (*n bytes) without the blanks around it; *n becomes its length. */
static const char *trimmed(const char *s, size_t *n)
{
    for (size_t k; (k = blank_at(s, *n));)
        s += k, *n -= k;
    for (size_t k; (k = blank_before(s, *n));)
        *n -= k;
    return s;
}

char *table_trim(char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s);
    char *t = (char *)trimmed(s, &n);
    t[n] = '\0';
    return n ? t : NULL;
}

const char *table_cell(const struct table_row *r, int col)
{
    return col >= 0 && col < r->ncells ? r->cells[col] : NULL;
}

const char *table_intern(struct table *t, const char *text, size_t *len)
{
    text = trimmed(text, len);
    if (!*len) return NULL;
    if (!t->strings) t->strings = arena_new(TABLE_ARENA_BLOCK);
    return arena_strndup(t->strings, text, *len);
}

/* Makes room for cell col of the last row, within the budget for len more bytes. */
static enum err make_room(struct table *t, int col, size_t len)
{
    if (!t->nrows || col < 0 || col >= TABLE_MAX_COLS) return ERR_RULE;
    if (len >= TABLE_MAX_DECODED_BYTES - t->bytes)
        return ERR_TOO_LARGE; /* bytes + len + 1 stays within */
    struct table_row *r = &t->rows[t->nrows - 1];
    if (col >= r->ncells) {
        const char **cells = realloc(r->cells, (size_t)(col + 1) * sizeof *cells);
        if (!cells) return ERR_INTERNAL;
        for (int i = r->ncells; i <= col; i++)
            cells[i] = NULL;
        r->cells = cells;
        r->ncells = col + 1;
    }
    t->bytes += len + 1;
    return OK;
}

enum err table_share(struct table *t, int col, const char *s, size_t len)
{
    if (!s) return !t->nrows || col < 0 || col >= TABLE_MAX_COLS ? ERR_RULE : OK;
    enum err e = make_room(t, col, len);
    if (e == OK) t->rows[t->nrows - 1].cells[col] = s;
    return e;
}

enum err table_set(struct table *t, int col, const char *text, size_t len)
{
    text = trimmed(text, &len);
    if (!len) return table_share(t, col, NULL, 0);
    enum err e = make_room(t, col, len); /* the budget first, then the copy */
    if (e == OK) t->rows[t->nrows - 1].cells[col] = table_intern(t, text, &len);
    return e;
}

void table_set_why(enum err e, char *why, size_t whylen)
{
    if (e == ERR_TOO_LARGE)
        snprintf(
            why, whylen,
            "表格内容解码后超过 %u "
            "MiB（各单元格文字合计，引用同一共享字符串的单元格每次都计入）：请拆成几个文件导入",
            TABLE_MAX_DECODED_BYTES >> 20);
    else if (e == ERR_RULE)
        snprintf(why, whylen, "单元格位置无效");
    else
        snprintf(why, whylen, "内存不足");
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

enum err table_csv_read(const char *data, size_t len, size_t max_rows, struct table *out, char *why,
                        size_t whylen)
{
    memset(out, 0, sizeof *out);
    enum err e = ERR_RULE, set = OK;
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
                if (f.len && (set = table_set(out, col, f.buf, f.len)) != OK) goto not_set;
            }
            col++;
            if (i < len && data[i] == ',') {
                i++;
                continue;
            }
            break;
        }
        /* end of record; a record of blank cells is left out (its number stays used) */
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
not_set:
    table_set_why(set, why, whylen);
    e = set;
    goto out;
oom:
    snprintf(why, whylen, "内存不足");
    e = ERR_INTERNAL;
out:
    free(f.buf);
    if (e != OK) table_free(out);
    return e;
}
