/* work_import.c - turns a table read from an uploaded .csv or .xlsx into reports: maps the
 * header (Chinese column names, metric names or their Chinese labels), reads each row's cells
 * (unit through the caller's resolver, kind by code or Chinese name, dates as text or Excel
 * serials, task lists, integer metrics, links) and checks each report with
 * work_report_check(). Every problem is listed as {row, column, message}; the caller imports
 * nothing unless the list is empty. Pure apart from the resolver callback. */
#include "work/work.h"
#include "base/date.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum col_kind {
    C_NONE,
    C_UNIT,
    C_KIND,
    C_DATE,
    C_TITLE,
    C_SUMMARY,
    C_PLACE,
    C_TASKS,
    C_LINKS,
    C_METRIC,
    C_IGNORED
};

static const struct {
    const char *names[3];
    enum col_kind kind;
    const char *field; /* work_report_check's field name */
} known[] = {
    {{"单位", "unit", NULL}, C_UNIT, "unit"},
    {{"类型", "活动类型", "kind"}, C_KIND, "kind"},
    {{"活动日期", "activity_date", NULL}, C_DATE, "activity_date"},
    {{"标题", "title", NULL}, C_TITLE, "title"},
    {{"摘要", "summary", NULL}, C_SUMMARY, "summary"},
    {{"地点", "place", NULL}, C_PLACE, "place"},
    {{"服务任务", "tasks", NULL}, C_TASKS, "tasks"},
    {{"链接", "links", NULL}, C_LINKS, "links"},
    {{"编号", "状态", "提交人"}, C_IGNORED, NULL},
    {{"审核日期", "单位名称", "提交时间"}, C_IGNORED, NULL},
};

struct col {
    enum col_kind kind;
    const char *header; /* as written */
    const char *metric; /* C_METRIC */
};

void work_import_free(struct work_import *im)
{
    if (!im) return;
    free(im->reports);
    free(im->row_no);
    table_errors_free(&im->errors);
    free(im->dates);
    for (size_t i = 0; i < im->nlink_text; i++)
        free(im->link_text[i]);
    free(im->link_text);
    memset(im, 0, sizeof *im);
}

/* The header's column for a report field, for mapping check problems back to columns. */
static const char *column_of(const struct col *cols, int ncols, const char *field)
{
    for (int i = 0; i < ncols; i++) {
        if (cols[i].kind == C_METRIC) {
            if (strncmp(field, "metrics.", 8) == 0 && strcmp(cols[i].metric, field + 8) == 0)
                return cols[i].header;
            continue;
        }
        for (size_t k = 0; k < sizeof known / sizeof *known; k++)
            if (known[k].kind == cols[i].kind && known[k].field &&
                strcmp(known[k].field, field) == 0)
                return cols[i].header;
    }
    return NULL;
}

/* Splits a links cell on white space and full-width separators, in place. */
static size_t split_links(char *s, const char **links, size_t max, bool *too_many)
{
    size_t n = 0;
    *too_many = false;
    char *p = s;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            *p++ = '\0';
        if (!*p) break;
        if (n == max) {
            *too_many = true;
            break;
        }
        links[n++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            p++;
    }
    return n;
}

/* The import's reading state: its inputs and the header as mapped. */
struct reader {
    const struct table *t;
    const struct work_catalog *c;
    work_unit_resolver resolve;
    void *ctx;
    struct work_import *im;
    struct col cols[TABLE_MAX_COLS];
    int ncols;
};

/* The known column a header names (C_NONE if none), noting a repeated one as an error. */
static enum col_kind known_column(struct reader *rd, const struct table_row *h, const char *name,
                                  bool *seen)
{
    enum col_kind kind = C_NONE;
    for (size_t k = 0; k < sizeof known / sizeof *known && !kind; k++)
        for (int a = 0; a < 3; a++)
            if (known[k].names[a] && strcmp(known[k].names[a], name) == 0) {
                kind = known[k].kind;
                if (known[k].kind != C_IGNORED) {
                    if (seen[k])
                        table_error_add(&rd->im->errors, h->no, name, "列“%s”重复",
                                        TABLE_QUOTE(name));
                    seen[k] = true;
                }
            }
    return kind;
}

/* Maps column i of the header: a known column, a metric, or an unknown one (an error). */
static void map_column(struct reader *rd, const struct table_row *h, int i, bool *seen)
{
    const char *name = table_cell(h, i);
    struct col *col = &rd->cols[i];
    col->header = name;
    if (!name) return;
    if ((col->kind = known_column(rd, h, name, seen))) return;
    const char *metric = work_metric_from_header(name);
    if (metric) {
        for (int j = 0; j < i; j++)
            if (rd->cols[j].kind == C_METRIC && strcmp(rd->cols[j].metric, metric) == 0)
                table_error_add(&rd->im->errors, h->no, name, "指标列“%s”重复", TABLE_QUOTE(name));
        col->kind = C_METRIC;
        col->metric = metric;
        return;
    }
    table_error_add(
        &rd->im->errors, h->no, name,
        "未知的列“%s”：可用的列为 单位、类型、活动日期、标题、摘要、地点、服务任务、链接 "
        "及各指标名",
        TABLE_QUOTE(name));
}

/* Maps the header (row 1) to columns; false when it has errors. */
static bool map_header(struct reader *rd)
{
    const struct table_row *h = &rd->t->rows[0];
    rd->ncols = h->ncells;
    bool seen[sizeof known / sizeof *known] = {false};
    for (int i = 0; i < rd->ncols; i++)
        map_column(rd, h, i, seen);
    for (size_t k = 0; k < 4; k++) /* 单位, 类型, 活动日期, 标题 */
        if (!seen[k])
            table_error_add(&rd->im->errors, h->no, known[k].names[0], "缺少必需的列“%s”",
                            known[k].names[0]);
    return rd->im->errors.total == 0;
}

/* Reads one cell v of column i of row ri into r; returns false when it could not be read (an
 * error is added), ERR_INTERNAL in *e when memory ran out. */
static bool read_cell(struct reader *rd, size_t ri, int i, const char *v, struct work_report *r,
                      enum err *e)
{
    struct table_errors *errs = &rd->im->errors;
    int no = rd->t->rows[ri].no;
    const struct col *col = &rd->cols[i];
    const char *hd = col->header;
    char why[320] = "";
    switch (col->kind) {
    case C_UNIT:
        r->unit_id = rd->resolve(rd->ctx, v, why, sizeof why);
        if (r->unit_id) return true;
        table_error_add(errs, no, hd, "%s", why[0] ? why : "单位不存在");
        return false;
    case C_KIND: {
        const char *code = NULL;
        if (work_kind_find(rd->c, v, &code)) {
            r->kind = code;
            return true;
        }
        table_error_add(errs, no, hd, "未知活动类型：%s", TABLE_QUOTE(v));
        return false;
    }
    case C_DATE: {
        int day;
        if (work_cell_date(v, rd->t->date1904, &day) && day > -719162 && day < 2932897) {
            date_format(day, rd->im->dates[ri]);
            r->activity_date = rd->im->dates[ri];
            return true;
        }
        table_error_add(
            errs, no, hd,
            "无法识别的日期：%s（应为日期，格式为 2025-02-11，也可写 2025/2/11 或 2025年2月11日）",
            TABLE_QUOTE(v));
        return false;
    }
    case C_TITLE:
        r->title = v;
        return true;
    case C_SUMMARY:
        r->summary = v;
        return true;
    case C_PLACE:
        r->place = v;
        return true;
    case C_TASKS: {
        char bad[64];
        if (work_cell_tasks(v, r->tasks, WORK_MAX_TASKS, &r->ntasks, bad, sizeof bad)) return true;
        table_error_add(errs, no, hd, "任务编号无效：%s（多个编号用“、”或“,”分隔）", bad);
        return false;
    }
    case C_LINKS: {
        bool too_many;
        char *copy = rd->im->link_text[ri] = strdup(v); /* split in place; cells are shared */
        if (!copy) {
            *e = ERR_INTERNAL;
            return false;
        }
        r->nlinks = split_links(copy, r->links, WORK_MAX_LINKS, &too_many);
        if (!too_many) return true;
        table_error_add(errs, no, hd, "链接最多 %d 个", WORK_MAX_LINKS);
        return false;
    }
    case C_METRIC: {
        long long n;
        if (!work_cell_int(v, &n))
            table_error_add(errs, no, hd, "指标应为整数：%s", TABLE_QUOTE(v));
        else if (r->nmetrics < WORK_MAX_METRICS)
            r->metrics[r->nmetrics++] = (struct work_metric){col->metric, n};
        return true; /* the report check has nothing more to say of a metric's cell */
    }
    case C_IGNORED:
    case C_NONE:
        break;
    }
    return true;
}

/* Whether row has a non-empty cell. */
static bool row_has_data(const struct table_row *row)
{
    for (int i = 0; i < row->ncells; i++)
        if (table_cell(row, i) != NULL) return true;
    return false;
}

/* Reads the cells of row ri into r; *bad gets a bit (1 << kind) for each column kind whose cell
 * failed to read. */
static enum err read_cells(struct reader *rd, size_t ri, struct work_report *r, unsigned *bad)
{
    const struct table_row *row = &rd->t->rows[ri];
    enum err e = OK;
    *bad = 0;
    for (int i = 0; i < row->ncells; i++) {
        const char *v = table_cell(row, i);
        if (!v) continue;
        if (i >= rd->ncols || !rd->cols[i].header) {
            table_error_add(&rd->im->errors, row->no, NULL, "第 %d 列没有表头，但有内容", i + 1);
            continue;
        }
        if (!read_cell(rd, ri, i, v, r, &e)) *bad |= 1u << rd->cols[i].kind;
        if (e != OK) return e;
    }
    return OK;
}

/* Whether field (work_report_check's) is that of a column kind whose cell failed to read. */
static bool field_failed(const char *field, unsigned bad)
{
    for (size_t k = 0; k < sizeof known / sizeof *known; k++)
        if (known[k].field && strcmp(known[k].field, field) == 0)
            return (bad & (1u << known[k].kind)) != 0;
    return false;
}

/* Checks the report read from row: 单位 here (the report check knows no units), the other fields
 * through work_report_check, except those whose cell already failed to read. */
static void check_report(struct reader *rd, const struct table_row *row,
                         const struct work_report *r, unsigned bad)
{
    if (!r->unit_id && !(bad & (1u << C_UNIT)))
        table_error_add(&rd->im->errors, row->no, column_of(rd->cols, rd->ncols, "unit"),
                        "请填写单位（行政区划代码或单位简称）");
    struct work_problems pr;
    if (work_report_check(r, rd->c, &pr)) return;
    for (size_t k = 0; k < pr.n; k++)
        if (!field_failed(pr.items[k].field, bad))
            table_error_add(&rd->im->errors, row->no,
                            column_of(rd->cols, rd->ncols, pr.items[k].field), "%s",
                            pr.items[k].msg);
}

/* Reads the data rows (2 onwards) into reports, skipping empty ones. */
static enum err read_rows(struct reader *rd)
{
    struct work_import *im = rd->im;
    for (size_t ri = 1; ri < rd->t->nrows; ri++) {
        const struct table_row *row = &rd->t->rows[ri];
        if (!row_has_data(row)) continue;
        struct work_report *r = &im->reports[im->nreports];
        memset(r, 0, sizeof *r);
        unsigned bad;
        enum err e = read_cells(rd, ri, r, &bad);
        if (e != OK) return e;
        check_report(rd, row, r, bad);
        im->row_no[im->nreports++] = row->no;
    }
    return OK;
}

enum err work_import_rows(const struct table *t, const struct work_catalog *c,
                          work_unit_resolver resolve, void *ctx, struct work_import *im)
{
    memset(im, 0, sizeof *im);
    im->reports = calloc(t->nrows ? t->nrows : 1, sizeof *im->reports);
    im->row_no = calloc(t->nrows ? t->nrows : 1, sizeof *im->row_no);
    if (!im->reports || !im->row_no) return ERR_INTERNAL;
    if (t->nrows == 0) {
        table_error_add(&im->errors, 1, NULL,
                        "文件中没有数据：第一行应为表头（单位、类型、活动日期、标题……）");
        return ERR_RULE;
    }
    struct reader rd = {.t = t, .c = c, .resolve = resolve, .ctx = ctx, .im = im};
    if (!map_header(&rd)) return ERR_RULE;
    if (t->nrows - 1 > WORK_IMPORT_MAX_ROWS) {
        table_error_add(&im->errors, t->rows[WORK_IMPORT_MAX_ROWS + 1].no, NULL,
                        "行数过多：一次最多导入 %d 行", WORK_IMPORT_MAX_ROWS);
        return ERR_RULE;
    }
    im->dates = calloc(t->nrows, sizeof *im->dates); /* the reports' dates as text */
    im->link_text = calloc(t->nrows, sizeof *im->link_text);
    if (!im->dates || !im->link_text) return ERR_INTERNAL;
    im->nlink_text = t->nrows;
    enum err e = read_rows(&rd);
    if (e != OK) return e;
    if (im->nreports == 0 && im->errors.total == 0)
        table_error_add(&im->errors, 2, NULL, "文件中只有表头，没有数据行");
    return im->errors.total ? ERR_RULE : OK;
}
