/* work_template.c - the import template of the ledger as .xlsx (GET
 * /api/v1/reports/import-template.xlsx): sheet 台账 with the import's header in the first row
 * and one example row (the caller's own unit when it files for one unit), and sheet 填写说明
 * saying what each column takes, in Chinese. The import reads the first sheet, so the template
 * filled in goes straight back in (POST /api/v1/reports/import). */
#include "work/work.h"
#include "base/sheet.h"

static const char *const hints[][2] = {
    {"单位", "必填：行政区划代码或单位简称，如 500103 或 渝中区"},
    {"类型", "必填：活动类型的名称或编码，如 新闻发布会（媒体通气会）"},
    {"活动日期", "必填：日期，格式为 2025-02-11，也可写 2025/2/11 或 2025年2月11日"},
    {"标题", "必填，最多 200 字"},
    {"摘要", "选填，最多 5000 字"},
    {"地点", "选填"},
    {"服务任务", "选填：方案重点任务的序号，多个用顿号分隔，如 16、17"},
    {"链接", "选填：网址，多个用换行分隔"},
    {"参与人数",
     "活动类型的指标（整数），每个指标一列，列名用中文名称，如 参与人数、媒体数、报道数"},
};
#define NHINTS (sizeof hints / sizeof *hints)

enum err work_import_template(const char *unit, struct arena *a, void **out, size_t *len)
{
    static const char *const metrics[] = {"participants", "media_outlets", "reports"};
    struct sheet_col cols[NHINTS + 2];
    size_t n = 0;
    for (; n < NHINTS - 1; n++)
        cols[n] = (struct sheet_col){hints[n][0], n == 3 ? 40 : n == 1 ? 26 : 14};
    for (size_t m = 0; m < 3; m++)
        cols[n++] = (struct sheet_col){work_metric_label(metrics[m]), 10};
    struct sheet *s = sheet_new("台账", NULL, cols, n);
    if (!s) return ERR_INTERNAL;
    const char *example[] = {unit,         "新闻发布会（媒体通气会）",
                             "2025-03-20", "示例：第一季度生态环境新闻发布会",
                             NULL,         NULL,
                             "17",         NULL};
    for (size_t i = 0; i < sizeof example / sizeof *example; i++)
        i == 2 ? sheet_date(s, example[i]) : sheet_text(s, example[i]);
    sheet_int(s, 30);
    sheet_int(s, 5);
    sheet_int(s, 8);
    sheet_end_row(s);
    static const struct sheet_col how[] = {{"列", 12}, {"填写要求", 80}};
    if (sheet_next(s, "填写说明", "台账导入模板填写说明：删除示例行后，每行填写一条台账", how, 2))
        for (size_t i = 0; i < NHINTS; i++) {
            sheet_text(s, hints[i][0]);
            sheet_text(s, hints[i][1]);
            sheet_end_row(s);
        }
    return sheet_finish(s, a, out, len);
}
