/* work_export.c - the ledger as an .xlsx workbook (libxlsxwriter): one sheet 台账 with a bold,
 * frozen, filterable header row and one row per report - 编号, 单位, 单位名称, 类型, 活动日期
 * (a real date), 标题, 摘要, 地点, 服务任务, 状态, one column per metric of the kinds present,
 * 链接, 提交人, 审核日期 (a date). The columns are the import's, so an exported file can be
 * edited and imported again (the import ignores 编号, 单位名称, 状态, 提交人 and 审核日期).
 * libxlsxwriter 1.1.4 (Debian 12) writes only to files: the workbook goes to a private
 * temporary file that is read back and removed. */
#include "work/work.h"
#include "base/date.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MAX_METRIC_COLS 40

struct exp {
    struct store *db;
    json_t *kinds;
    json_t *present; /* kind codes seen in pass 1 */
    long long count;
    lxw_worksheet *ws;
    lxw_format *date_fmt, *wrap_fmt;
    const char *metrics[MAX_METRIC_COLS];
    int nmetrics;
    lxw_row_t row;
    struct work_units *units;
};

static bool count_row(void *ctx, const struct work_list_row *r)
{
    struct exp *x = ctx;
    x->count++;
    json_object_set_new(x->present, r->kind, json_true());
    return x->count <= WORK_EXPORT_MAX_ROWS;
}

enum {
    COL_ID,
    COL_UNIT,
    COL_UNIT_NAME,
    COL_KIND,
    COL_DATE,
    COL_TITLE,
    COL_SUMMARY,
    COL_PLACE,
    COL_TASKS,
    COL_STATUS,
    COL_METRICS
};

static void write_date(struct exp *x, lxw_col_t col, const char *text)
{
    int day;
    if (text && date_parse(text, &day))
        worksheet_write_number(x->ws, x->row, col, work_excel_serial(day), x->date_fmt);
}

static bool write_row(void *ctx, const struct work_list_row *r)
{
    struct exp *x = ctx;
    lxw_worksheet *ws = x->ws;
    const struct work_unit_label *u = work_unit_label(&x->units, x->db, r->unit_id);
    json_t *k = json_object_get(x->kinds, r->kind);
    const char *kname = json_string_value(json_object_get(k, "name"));
    worksheet_write_number(ws, x->row, COL_ID, (double)r->id, NULL);
    worksheet_write_string(ws, x->row, COL_UNIT, u && u->key ? u->key : "", NULL);
    worksheet_write_string(ws, x->row, COL_UNIT_NAME, u && u->name ? u->name : "", NULL);
    worksheet_write_string(ws, x->row, COL_KIND, kname ? kname : r->kind, NULL);
    write_date(x, COL_DATE, r->activity_date);
    worksheet_write_string(ws, x->row, COL_TITLE, r->title, NULL);
    if (r->summary && *r->summary)
        worksheet_write_string(ws, x->row, COL_SUMMARY, r->summary, NULL);
    if (r->place && *r->place) worksheet_write_string(ws, x->row, COL_PLACE, r->place, NULL);

    json_t *tasks = json_loads(r->tasks, 0, NULL);
    char buf[256] = "";
    size_t at = 0, i;
    json_t *t;
    json_array_foreach(tasks, i, t)
    {
        int n = snprintf(buf + at, sizeof buf - at, "%s%lld", i ? "、" : "",
                         (long long)json_integer_value(t));
        if (n < 0 || (size_t)n >= sizeof buf - at) break;
        at += (size_t)n;
    }
    json_decref(tasks);
    worksheet_write_string(ws, x->row, COL_TASKS, buf, NULL);
    worksheet_write_string(ws, x->row, COL_STATUS, work_status_label(r->status), NULL);

    json_t *metrics = json_loads(r->metrics, 0, NULL);
    for (int m = 0; m < x->nmetrics; m++) {
        json_t *v = json_object_get(metrics, x->metrics[m]);
        if (json_is_integer(v))
            worksheet_write_number(ws, x->row, (lxw_col_t)(COL_METRICS + m),
                                   (double)json_integer_value(v), NULL);
    }
    json_decref(metrics);

    lxw_col_t c = (lxw_col_t)(COL_METRICS + x->nmetrics);
    json_t *links = json_loads(r->links, 0, NULL);
    if (json_array_size(links)) {
        size_t total = 1;
        json_array_foreach(links, i, t) total += json_string_length(t) + 1;
        char *joined = calloc(1, total);
        if (joined) {
            json_array_foreach(links, i, t)
            {
                if (i) strcat(joined, "\n");
                strcat(joined, json_string_value(t));
            }
            worksheet_write_string(ws, x->row, c, joined, x->wrap_fmt);
            free(joined);
        }
    }
    json_decref(links);
    worksheet_write_string(ws, x->row, c + 1, r->created_by_name ? r->created_by_name : "", NULL);
    write_date(x, c + 2, r->accepted_date);
    x->row++;
    return true;
}

static enum err read_file(const char *path, void **out, size_t *outlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) return ERR_INTERNAL;
    struct stat st;
    enum err e = ERR_INTERNAL;
    if (fstat(fileno(f), &st) == 0 && st.st_size > 0) {
        *out = malloc((size_t)st.st_size);
        if (*out && fread(*out, 1, (size_t)st.st_size, f) == (size_t)st.st_size) {
            *outlen = (size_t)st.st_size;
            e = OK;
        } else {
            free(*out);
            *out = NULL;
        }
    }
    fclose(f);
    return e;
}

/* Pass 1: counts the reports and notes their kinds; ERR_RULE (why) when there are too many. */
static enum err count_rows(struct exp *x, const struct work_filter *f, char *why, size_t whylen)
{
    enum err e = work_store_each(x->db, f, 0, WORK_EXPORT_MAX_ROWS + 1, count_row, x);
    if (e != OK) return e;
    if (x->count <= WORK_EXPORT_MAX_ROWS) return OK;
    snprintf(why, whylen,
             "符合条件的报送超过 %d 条，请缩小范围（按单位、类型或日期筛选）后分批导出",
             WORK_EXPORT_MAX_ROWS);
    return ERR_RULE;
}

/* The metric columns: the metrics of the kinds present, in catalogue order. */
static void metric_columns(struct exp *x)
{
    const char *code;
    json_t *k;
    json_object_foreach(x->kinds, code, k)
    {
        if (!json_object_get(x->present, code)) continue;
        size_t i;
        json_t *m;
        json_array_foreach(json_object_get(k, "metrics"), i, m)
        {
            const char *name = json_string_value(m);
            bool dup = !name;
            for (int j = 0; j < x->nmetrics && !dup; j++)
                dup = strcmp(x->metrics[j], name) == 0;
            if (!dup && x->nmetrics < MAX_METRIC_COLS) x->metrics[x->nmetrics++] = name;
        }
    }
}

/* Creates the workbook in a private temporary file (its name in path) with the sheet 台账 in
 * x->ws. */
static enum err open_workbook(struct exp *x, char *path, size_t pathlen, lxw_workbook **wb,
                              char *why, size_t whylen)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    snprintf(path, pathlen, "%s/ecoact-export-XXXXXX", tmp);
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(why, whylen, "无法创建临时文件：%s", strerror(errno));
        return ERR_INTERNAL;
    }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)tmp};
    *wb = workbook_new_opt(path, &opt);
    x->ws = *wb ? workbook_add_worksheet(*wb, "台账") : NULL;
    if (x->ws) return OK;
    if (*wb) workbook_close(*wb);
    unlink(path);
    snprintf(why, whylen, "无法创建工作簿");
    return ERR_INTERNAL;
}

/* The formats of dates and links in x; returns the header's. */
static lxw_format *add_formats(struct exp *x, lxw_workbook *wb)
{
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_bg_color(bold, 0xDDEBF7);
    format_set_border(bold, LXW_BORDER_THIN);
    x->date_fmt = workbook_add_format(wb);
    format_set_num_format(x->date_fmt, "yyyy-mm-dd");
    x->wrap_fmt = workbook_add_format(wb);
    format_set_text_wrap(x->wrap_fmt);
    return bold;
}

/* The header row (frozen, filterable) and the columns' widths and formats. */
static void write_header(struct exp *x, lxw_format *bold)
{
    static const struct {
        const char *name;
        double width;
    } fixed[] = {{"编号", 8},  {"单位", 14}, {"单位名称", 24}, {"类型", 22},     {"活动日期", 12},
                 {"标题", 40}, {"摘要", 50}, {"地点", 20},     {"服务任务", 12}, {"状态", 10}};
    lxw_worksheet *ws = x->ws;
    for (lxw_col_t c = 0; c < COL_METRICS; c++) {
        worksheet_set_column(ws, c, c, fixed[c].width, c == COL_DATE ? x->date_fmt : NULL);
        worksheet_write_string(ws, 0, c, fixed[c].name, bold);
    }
    for (int m = 0; m < x->nmetrics; m++) {
        lxw_col_t c = (lxw_col_t)(COL_METRICS + m);
        worksheet_set_column(ws, c, c, 12, NULL);
        worksheet_write_string(ws, 0, c, work_metric_label(x->metrics[m]), bold);
    }
    lxw_col_t c = (lxw_col_t)(COL_METRICS + x->nmetrics);
    worksheet_set_column(ws, c, c, 40, NULL);
    worksheet_write_string(ws, 0, c, "链接", bold);
    worksheet_set_column(ws, c + 1, c + 1, 12, NULL);
    worksheet_write_string(ws, 0, c + 1, "提交人", bold);
    worksheet_set_column(ws, c + 2, c + 2, 12, x->date_fmt);
    worksheet_write_string(ws, 0, c + 2, "审核日期", bold);
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, 0, c + 2);
}

enum err work_export_xlsx(struct store *db, const struct work_filter *f, json_t *kinds, void **out,
                          size_t *outlen, char *why, size_t whylen)
{
    *out = NULL;
    *outlen = 0;
    struct exp x = {.db = db, .kinds = kinds, .present = json_object()};
    char path[512];
    lxw_workbook *wb = NULL;
    enum err e = count_rows(&x, f, why, whylen);
    if (e == OK) {
        metric_columns(&x);
        e = open_workbook(&x, path, sizeof path, &wb, why, whylen);
    }
    if (e != OK) {
        json_decref(x.present);
        return e;
    }
    write_header(&x, add_formats(&x, wb));
    x.row = 1;
    e = work_store_each(db, f, 0, WORK_EXPORT_MAX_ROWS, write_row, &x); /* pass 2 */
    lxw_error le = workbook_close(wb);
    work_units_free(x.units);
    json_decref(x.present);
    if (e == OK && le != LXW_NO_ERROR) {
        snprintf(why, whylen, "生成工作簿失败：%s", lxw_strerror(le));
        e = ERR_INTERNAL;
    }
    if (e == OK) e = read_file(path, out, outlen);
    unlink(path);
    return e;
}
