/* plan_xlsx.c - a plan's key tasks as an .xlsx in the layout of 附件1 (重点任务分工表):
 * columns 序号, 重点内容, 具体任务, 牵头单位, 配合单位, 任务时限; a 重点内容 that continues the
 * row above is one merged cell, as in the printed table; original words everywhere (lead_text,
 * coop_text, the time limit as written). libxlsxwriter writes files only, so the workbook goes
 * to a private temporary file that is read back and removed. */
#include "plan/plan.h"
#include "base/arena.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* Writes the workbook for doc (a plan document) to path. */
static bool write_book(json_t *doc, const char *path, const char *tmpdir)
{
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = (char *)tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) return false;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "重点任务分工表");

    lxw_format *label = workbook_add_format(wb);
    format_set_font_name(label, "黑体");
    format_set_font_size(label, 12);
    lxw_format *title = workbook_add_format(wb);
    format_set_font_name(title, "方正小标宋_GBK");
    format_set_font_size(title, 16);
    format_set_align(title, LXW_ALIGN_CENTER);
    format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(title);
    lxw_format *head = workbook_add_format(wb);
    format_set_font_name(head, "黑体");
    format_set_font_size(head, 11);
    format_set_bold(head);
    format_set_align(head, LXW_ALIGN_CENTER);
    format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_text_wrap(head);
    lxw_format *cell = workbook_add_format(wb);
    format_set_font_name(cell, "仿宋_GB2312");
    format_set_font_size(cell, 10);
    format_set_align(cell, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(cell, LXW_BORDER_THIN);
    format_set_text_wrap(cell);
    lxw_format *center = workbook_add_format(wb);
    format_set_font_name(center, "仿宋_GB2312");
    format_set_font_size(center, 10);
    format_set_align(center, LXW_ALIGN_CENTER);
    format_set_align(center, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(center, LXW_BORDER_THIN);
    format_set_text_wrap(center);

    worksheet_set_column(ws, 0, 0, 6, NULL);
    worksheet_set_column(ws, 1, 1, 16, NULL);
    worksheet_set_column(ws, 2, 2, 58, NULL);
    worksheet_set_column(ws, 3, 3, 22, NULL);
    worksheet_set_column(ws, 4, 4, 30, NULL);
    worksheet_set_column(ws, 5, 5, 14, NULL);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_repeat_rows(ws, 2, 2);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_freeze_panes(ws, 3, 0);

    worksheet_write_string(ws, 0, 0, "附件1", label);
    char t[1024];
    snprintf(t, sizeof t, "%s重点任务分工表", jstr(doc, "title"));
    worksheet_set_row(ws, 1, 48, NULL);
    worksheet_merge_range(ws, 1, 0, 1, 5, t, title);
    static const char *const heads[] = {"序号",     "重点内容", "具体任务",
                                        "牵头单位", "配合单位", "任务时限"};
    for (int c = 0; c < 6; c++)
        worksheet_write_string(ws, 2, (lxw_col_t)c, heads[c], head);

    json_t *tasks = json_object_get(doc, "tasks");
    size_t n = json_array_size(tasks);
    lxw_row_t row = 3;
    for (size_t i = 0; i < n; i++, row++) {
        json_t *tk = json_array_get(tasks, i);
        worksheet_write_number(ws, row, 0, (double)json_integer_value(json_object_get(tk, "no")),
                               center);
        worksheet_write_string(ws, row, 2, jstr(tk, "text"), cell);
        worksheet_write_string(ws, row, 3, jstr(tk, "lead_text"), center);
        worksheet_write_string(ws, row, 4, jstr(tk, "coop_text"), center);
        worksheet_write_string(ws, row, 5, jstr(json_object_get(tk, "deadline"), "text"), center);
        /* 重点内容: one cell for this task and the ones that continue it */
        if (!json_is_true(json_object_get(tk, "content_continued")) || i == 0) {
            size_t last = i;
            while (last + 1 < n && json_is_true(json_object_get(json_array_get(tasks, last + 1),
                                                                "content_continued")))
                last++;
            lxw_row_t end = row + (lxw_row_t)(last - i);
            if (end > row)
                worksheet_merge_range(ws, row, 1, end, 1, jstr(tk, "content"), center);
            else
                worksheet_write_string(ws, row, 1, jstr(tk, "content"), center);
        }
    }
    return workbook_close(wb) == LXW_NO_ERROR;
}

enum err plan_xlsx_tasks(json_t *doc, struct arena *a, void **out, size_t *len)
{
    const char *tmpdir = getenv("TMPDIR");
    if (!tmpdir || !*tmpdir) tmpdir = "/tmp";
    char path[512];
    snprintf(path, sizeof path, "%s/ecoact-plan-XXXXXX", tmpdir);
    int fd = mkstemp(path);
    if (fd < 0) return ERR_UNAVAILABLE;
    close(fd);
    enum err e = ERR_INTERNAL;
    if (write_book(doc, path, tmpdir)) {
        FILE *f = fopen(path, "rb");
        struct stat st;
        if (f && fstat(fileno(f), &st) == 0 && st.st_size > 0) {
            *len = (size_t)st.st_size;
            *out = arena_alloc(a, *len);
            if (fread(*out, 1, *len, f) == *len) e = OK;
        }
        if (f) fclose(f);
    }
    unlink(path);
    return e;
}
