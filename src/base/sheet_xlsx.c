/* sheet_xlsx.c - a list as a one-sheet .xlsx workbook, or as CSV; see sheet.h. */
#include "base/sheet.h"
#include "base/arena.h"
#include "base/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

struct sheet {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *title_fmt, *head_fmt, *date_fmt, *wrap_fmt, *tenth_fmt;
    lxw_row_t row;
    lxw_col_t col;
    char path[512];
    bool csv; /* CSV into buf instead of a workbook */
    char *buf;
    size_t len, cap;
};

/* ---- CSV ---- */

static void put(struct sheet *s, const char *text, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 65536;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *b = realloc(s->buf, cap);
        if (!b) abort(); /* out of memory */
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, text, n);
    s->len += n;
}

static void csv_cell(struct sheet *s, const char *text)
{
    if (s->col++) put(s, ",", 1);
    if (!text || !*text) return;
    bool quote = strpbrk(text, ",\"\r\n") != NULL;
    if (quote) put(s, "\"", 1);
    if (strchr("=+-@\t\r", text[0])) put(s, "'", 1);
    for (const char *p = text; *p; p++) {
        put(s, p, 1);
        if (*p == '"') put(s, "\"", 1); /* doubled */
    }
    if (quote) put(s, "\"", 1);
}

struct sheet *sheet_new_csv(const struct sheet_col *cols, size_t ncols)
{
    struct sheet *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->csv = true;
    put(s, "\xEF\xBB\xBF", 3);
    for (size_t c = 0; c < ncols; c++)
        csv_cell(s, cols[c].name);
    put(s, "\r\n", 2);
    s->col = 0;
    return s;
}

static void add_formats(struct sheet *s)
{
    s->title_fmt = workbook_add_format(s->wb);
    format_set_bold(s->title_fmt);
    format_set_font_size(s->title_fmt, 14);
    s->head_fmt = workbook_add_format(s->wb);
    format_set_bold(s->head_fmt);
    format_set_bg_color(s->head_fmt, 0xDDEBF7);
    format_set_border(s->head_fmt, LXW_BORDER_THIN);
    s->date_fmt = workbook_add_format(s->wb);
    format_set_num_format(s->date_fmt, "yyyy-mm-dd");
    s->tenth_fmt = workbook_add_format(s->wb);
    format_set_num_format(s->tenth_fmt, "0.0");
    s->wrap_fmt = workbook_add_format(s->wb);
    format_set_text_wrap(s->wrap_fmt);
}

/* A new worksheet with its widths, title (when given) and header; false when it cannot. */
static bool add_sheet(struct sheet *s, const char *name, const char *title,
                      const struct sheet_col *cols, size_t ncols)
{
    if (ncols == 0 || ncols > 200 || !(s->ws = workbook_add_worksheet(s->wb, name))) return false;
    lxw_col_t last = (lxw_col_t)(ncols - 1);
    lxw_row_t head = title ? 1 : 0;
    for (lxw_col_t c = 0; c <= last; c++)
        worksheet_set_column(s->ws, c, c, cols[c].width, NULL);
    if (title) worksheet_write_string(s->ws, 0, 0, title, s->title_fmt);
    for (lxw_col_t c = 0; c <= last; c++)
        worksheet_write_string(s->ws, head, c, cols[c].name, s->head_fmt);
    worksheet_freeze_panes(s->ws, head + 1, 0);
    worksheet_autofilter(s->ws, head, 0, head, last);
    s->row = head + 1;
    s->col = 0;
    return true;
}

struct sheet *sheet_new(const char *name, const char *title, const struct sheet_col *cols,
                        size_t ncols)
{
    struct sheet *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    snprintf(s->path, sizeof s->path, "%s/ecoact-sheet-XXXXXX", tmp);
    int fd = mkstemp(s->path);
    if (fd < 0) {
        free(s);
        return NULL;
    }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)tmp};
    s->wb = workbook_new_opt(s->path, &opt);
    if (s->wb) add_formats(s);
    if (!s->wb || !add_sheet(s, name, title, cols, ncols)) {
        if (s->wb) workbook_close(s->wb);
        unlink(s->path);
        free(s);
        return NULL;
    }
    return s;
}

bool sheet_next(struct sheet *s, const char *name, const char *title, const struct sheet_col *cols,
                size_t ncols)
{
    if (s->csv) return false; /* one table only */
    return add_sheet(s, name, title, cols, ncols);
}

void sheet_text(struct sheet *s, const char *text)
{
    if (s->csv) return csv_cell(s, text);
    if (text && *text) worksheet_write_string(s->ws, s->row, s->col, text, NULL);
    s->col++;
}

void sheet_int(struct sheet *s, long long v)
{
    if (s->csv) {
        char n[24];
        snprintf(n, sizeof n, "%lld", v);
        return csv_cell(s, n);
    }
    worksheet_write_number(s->ws, s->row, s->col++, (double)v, NULL);
}

void sheet_tenths(struct sheet *s, long long tenths)
{
    if (s->csv) {
        char n[32];
        snprintf(n, sizeof n, "%s%lld.%lld", tenths < 0 ? "-" : "", llabs(tenths) / 10,
                 llabs(tenths) % 10);
        return csv_cell(s, n);
    }
    worksheet_write_number(s->ws, s->row, s->col++, (double)tenths / 10.0, s->tenth_fmt);
}

void sheet_date(struct sheet *s, const char *ymd)
{
    if (s->csv) return csv_cell(s, ymd);
    int day;
    if (ymd && date_parse(ymd, &day))
        worksheet_write_number(s->ws, s->row, s->col, (double)day + 25569.0, s->date_fmt);
    else if (ymd && *ymd)
        worksheet_write_string(s->ws, s->row, s->col, ymd, NULL);
    s->col++;
}

void sheet_end_row(struct sheet *s)
{
    if (s->csv) put(s, "\r\n", 2);
    s->row++;
    s->col = 0;
}

static enum err read_back(const char *path, struct arena *a, void **out, size_t *len)
{
    enum err e = ERR_INTERNAL;
    FILE *fp = fopen(path, "rb");
    struct stat st;
    if (fp && fstat(fileno(fp), &st) == 0 && st.st_size > 0) {
        *len = (size_t)st.st_size;
        *out = arena_alloc(a, *len);
        if (fread(*out, 1, *len, fp) == *len) e = OK;
    }
    if (fp) fclose(fp);
    return e;
}

enum err sheet_finish(struct sheet *s, struct arena *a, void **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (s->csv) {
        *out = arena_alloc(a, s->len);
        memcpy(*out, s->buf, s->len);
        *len = s->len;
        free(s->buf);
        free(s);
        return OK;
    }
    enum err e =
        workbook_close(s->wb) == LXW_NO_ERROR ? read_back(s->path, a, out, len) : ERR_INTERNAL;
    unlink(s->path);
    free(s);
    return e;
}
