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

enum err work_import_rows(const struct table *t, const struct work_catalog *c,
                          work_unit_resolver resolve, void *ctx, struct work_import *im)
{
    memset(im, 0, sizeof *im);
    im->reports = calloc(t->nrows ? t->nrows : 1, sizeof *im->reports);
    im->row_no = calloc(t->nrows ? t->nrows : 1, sizeof *im->row_no);
    struct col cols[TABLE_MAX_COLS] = {{0}};
    int ncols = 0;
    if (!im->reports || !im->row_no) return ERR_INTERNAL;
    if (t->nrows == 0) {
        table_error_add(&im->errors, 1, NULL,
                        "文件中没有数据：第一行应为表头（单位、类型、活动日期、标题……）");
        return ERR_RULE;
    }

    /* header */
    struct table_row *h = &t->rows[0];
    ncols = h->ncells;
    bool seen[sizeof known / sizeof *known] = {false};
    for (int i = 0; i < ncols; i++) {
        const char *name = table_cell(h, i);
        cols[i].header = name;
        if (!name) continue;
        for (size_t k = 0; k < sizeof known / sizeof *known && !cols[i].kind; k++)
            for (int a = 0; a < 3; a++)
                if (known[k].names[a] && strcmp(known[k].names[a], name) == 0) {
                    cols[i].kind = known[k].kind;
                    if (known[k].kind != C_IGNORED) {
                        if (seen[k])
                            table_error_add(&im->errors, h->no, name, "列“%s”重复",
                                            TABLE_QUOTE(name));
                        seen[k] = true;
                    }
                }
        if (cols[i].kind) continue;
        const char *metric = work_metric_from_header(name);
        if (metric) {
            for (int j = 0; j < i; j++)
                if (cols[j].kind == C_METRIC && strcmp(cols[j].metric, metric) == 0)
                    table_error_add(&im->errors, h->no, name, "指标列“%s”重复", TABLE_QUOTE(name));
            cols[i].kind = C_METRIC;
            cols[i].metric = metric;
            continue;
        }
        table_error_add(
            &im->errors, h->no, name,
            "未知的列“%s”：可用的列为 单位、类型、活动日期、标题、摘要、地点、服务任务、链接 "
            "及各指标名",
            TABLE_QUOTE(name));
    }
    for (size_t k = 0; k < 4; k++) /* 单位, 类型, 活动日期, 标题 */
        if (!seen[k])
            table_error_add(&im->errors, h->no, known[k].names[0], "缺少必需的列“%s”",
                            known[k].names[0]);
    if (im->errors.total) return ERR_RULE;

    if (t->nrows - 1 > WORK_IMPORT_MAX_ROWS) {
        table_error_add(&im->errors, t->rows[WORK_IMPORT_MAX_ROWS + 1].no, NULL,
                        "行数过多：一次最多导入 %d 行", WORK_IMPORT_MAX_ROWS);
        return ERR_RULE;
    }
    char(*dates)[11] = im->dates = calloc(t->nrows, sizeof *dates); /* the reports' dates as text */
    im->link_text = calloc(t->nrows, sizeof *im->link_text);
    if (!dates || !im->link_text) return ERR_INTERNAL;
    im->nlink_text = t->nrows;

    for (size_t ri = 1; ri < t->nrows; ri++) {
        struct table_row *row = &t->rows[ri];
        bool any = false;
        for (int i = 0; i < row->ncells && !any; i++)
            any = table_cell(row, i) != NULL;
        if (!any) continue;
        bool bad_unit = false, bad_kind = false, bad_date = false, bad_tasks = false,
             bad_links = false;
        struct work_report *r = &im->reports[im->nreports];
        memset(r, 0, sizeof *r);
        for (int i = 0; i < row->ncells; i++) {
            const char *v = table_cell(row, i);
            if (!v) continue;
            if (i >= ncols || !cols[i].header) {
                table_error_add(&im->errors, row->no, NULL, "第 %d 列没有表头，但有内容", i + 1);
                continue;
            }
            const char *hd = cols[i].header;
            char why[320] = "";
            switch (cols[i].kind) {
            case C_UNIT:
                r->unit_id = resolve(ctx, v, why, sizeof why);
                if (!r->unit_id) {
                    table_error_add(&im->errors, row->no, hd, "%s", why[0] ? why : "单位不存在");
                    bad_unit = true;
                }
                break;
            case C_KIND: {
                const char *code = NULL;
                if (work_kind_find(c, v, &code))
                    r->kind = code;
                else {
                    table_error_add(&im->errors, row->no, hd, "未知活动类型：%s", TABLE_QUOTE(v));
                    bad_kind = true;
                }
                break;
            }
            case C_DATE: {
                int day;
                if (work_cell_date(v, t->date1904, &day) && day > -719162 && day < 2932897) {
                    date_format(day, dates[ri]);
                    r->activity_date = dates[ri];
                } else {
                    table_error_add(&im->errors, row->no, hd,
                                    "无法识别的日期：%s（应为 YYYY-MM-DD）", TABLE_QUOTE(v));
                    bad_date = true;
                }
                break;
            }
            case C_TITLE:
                r->title = v;
                break;
            case C_SUMMARY:
                r->summary = v;
                break;
            case C_PLACE:
                r->place = v;
                break;
            case C_TASKS: {
                char bad[64];
                if (!work_cell_tasks(v, r->tasks, WORK_MAX_TASKS, &r->ntasks, bad, sizeof bad)) {
                    table_error_add(&im->errors, row->no, hd,
                                    "任务编号无效：%s（多个编号用“、”或“,”分隔）", bad);
                    bad_tasks = true;
                }
                break;
            }
            case C_LINKS: {
                bool too_many;
                char *copy = im->link_text[ri] = strdup(v); /* split in place; cells are shared */
                if (!copy) return ERR_INTERNAL;
                r->nlinks = split_links(copy, r->links, WORK_MAX_LINKS, &too_many);
                if (too_many) {
                    table_error_add(&im->errors, row->no, hd, "链接最多 %d 个", WORK_MAX_LINKS);
                    bad_links = true;
                }
                break;
            }
            case C_METRIC: {
                long long n;
                if (!work_cell_int(v, &n))
                    table_error_add(&im->errors, row->no, hd, "指标应为整数：%s", TABLE_QUOTE(v));
                else if (r->nmetrics < WORK_MAX_METRICS)
                    r->metrics[r->nmetrics++] = (struct work_metric){cols[i].metric, n};
                break;
            }
            case C_IGNORED:
            case C_NONE:
                break;
            }
        }
        /* 单位 is checked here (the report check knows no units); the other fields there, except
         * those whose cell already failed to read */
        if (!r->unit_id && !bad_unit)
            table_error_add(&im->errors, row->no, column_of(cols, ncols, "unit"),
                            "请填写单位（行政区划代码或单位简称）");
        struct work_problems pr;
        if (!work_report_check(r, c, &pr))
            for (size_t k = 0; k < pr.n; k++) {
                const char *f = pr.items[k].field;
                if ((bad_kind && strcmp(f, "kind") == 0) ||
                    (bad_date && strcmp(f, "activity_date") == 0) ||
                    (bad_tasks && strcmp(f, "tasks") == 0) ||
                    (bad_links && strcmp(f, "links") == 0))
                    continue;
                table_error_add(&im->errors, row->no, column_of(cols, ncols, f), "%s",
                                pr.items[k].msg);
            }
        im->row_no[im->nreports++] = row->no;
    }
    if (im->nreports == 0 && im->errors.total == 0)
        table_error_add(&im->errors, 2, NULL, "文件中只有表头，没有数据行");
    return im->errors.total ? ERR_RULE : OK;
}
