/* eval_xlsx.c - a year's evaluation and the final evaluation as .xlsx workbooks with two sheets:
 * 总表 (every unit with its rank within its tier, total and component points) and 明细 (one row
 * per unit and component: weights, raw value, points and what they were made of); and the
 * evaluators' scoring template (sheet 评分). Bold
 * headers, set widths, the header row frozen; the layout follows plan_xlsx.c. libxlsxwriter
 * writes files only, so the workbook goes to a private temporary file read back and removed. */
#include "evaluate/evaluate.h"
#include "base/date.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

struct fmts {
    lxw_format *title, *head, *cell, *center, *num;
};

static void make_formats(lxw_workbook *wb, struct fmts *f)
{
    f->title = workbook_add_format(wb);
    format_set_font_name(f->title, "方正小标宋_GBK");
    format_set_font_size(f->title, 16);
    format_set_align(f->title, LXW_ALIGN_CENTER);
    format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);
    f->head = workbook_add_format(wb);
    format_set_font_name(f->head, "黑体");
    format_set_font_size(f->head, 11);
    format_set_bold(f->head);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(f->head, LXW_BORDER_THIN);
    format_set_text_wrap(f->head);
    format_set_bg_color(f->head, 0xDDEBF7);
    f->cell = workbook_add_format(wb);
    format_set_font_name(f->cell, "仿宋_GB2312");
    format_set_font_size(f->cell, 10);
    format_set_align(f->cell, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(f->cell, LXW_BORDER_THIN);
    format_set_text_wrap(f->cell);
    f->center = workbook_add_format(wb);
    format_set_font_name(f->center, "仿宋_GB2312");
    format_set_font_size(f->center, 10);
    format_set_align(f->center, LXW_ALIGN_CENTER);
    format_set_align(f->center, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(f->center, LXW_BORDER_THIN);
    f->num = workbook_add_format(wb);
    format_set_font_name(f->num, "仿宋_GB2312");
    format_set_font_size(f->num, 10);
    format_set_align(f->num, LXW_ALIGN_CENTER);
    format_set_align(f->num, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(f->num, LXW_BORDER_THIN);
    format_set_num_format(f->num, "0.00");
}

/* A header row at row 1 under a merged title in row 0; the panes frozen below it. */
static void heads(lxw_worksheet *ws, const struct fmts *f, const char *title, const char *const *h,
                  const double *widths, int n)
{
    worksheet_set_row(ws, 0, 30, NULL);
    worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(n - 1), title, f->title);
    worksheet_set_row(ws, 1, 32, NULL);
    for (int c = 0; c < n; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
        worksheet_write_string(ws, 1, (lxw_col_t)c, h[c], f->head);
    }
    worksheet_freeze_panes(ws, 2, 0);
    worksheet_autofilter(ws, 1, 0, 1, (lxw_col_t)(n - 1));
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_repeat_rows(ws, 1, 1);
    worksheet_fit_to_pages(ws, 1, 0);
}

/* A number in hundredths, or an empty bordered cell for none. */
static void num(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, long long h, const struct fmts *f)
{
    if (h == EV_NONE)
        worksheet_write_blank(ws, r, c, f->num);
    else
        worksheet_write_number(ws, r, c, (double)h / 100.0, f->num);
}

static void rank_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, int rank, int of,
                      const struct fmts *f)
{
    if (rank <= 0) {
        worksheet_write_string(ws, r, c, "—", f->center);
        return;
    }
    char t[32];
    snprintf(t, sizeof t, "%d/%d", rank, of);
    worksheet_write_string(ws, r, c, t, f->center);
}

static const char *s_or(const char *s)
{
    return s ? s : "";
}

static void component_note(const struct ev_card *c, int i, char *out, size_t n)
{
    char a[32];
    if (i == EV_COMPLIANCE) {
        if (c->t.closed == 0)
            snprintf(out, n, "无已结束周期，权重按比例分配给其他评分项");
        else
            snprintf(out, n, "已结束周期 %lld 个：按时完成 %lld，补报 %lld，未完成 %lld",
                     c->t.closed, c->t.met, c->t.late, c->t.missed);
    } else if (i == EV_TIMELINESS) {
        if (c->t.on_time + c->t.answered_late + c->t.unanswered == 0)
            snprintf(out, n, "本年度无到期督办单，计满分%s",
                     c->t.pending ? "（另有未到期督办单）" : "");
        else
            snprintf(
                out, n,
                "到期督办单 %lld 件：按期反馈 %lld，逾期反馈 %lld，逾期未反馈 %lld；未到期 %lld",
                c->t.on_time + c->t.answered_late + c->t.unanswered, c->t.on_time,
                c->t.answered_late, c->t.unanswered, c->t.pending);
    } else {
        if (c->t.scores == 0) {
            snprintf(out, n, "无评估评分，权重按比例分配给其他评分项");
        } else {
            ev_fmt(ev_evaluator_raw(&c->t), a, sizeof a);
            snprintf(out, n, "评估评分 %lld 份，平均 %s 分", c->t.scores, a);
        }
    }
}

static bool write_year(const struct ev_year *y, const char *path, const char *tmpdir)
{
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = (char *)tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) return false;
    struct fmts f;
    make_formats(wb, &f);
    char title[256];
    snprintf(title, sizeof title, "%s %d 年度考核评估结果%s", y->plan, y->year,
             y->published ? "" : "（未发布，实时计算）");

    lxw_worksheet *ws = workbook_add_worksheet(wb, "总表");
    static const char *const h1[] = {"类别",     "类别内排名",   "单位",         "行政区划代码",
                                     "总分",     "履职合规得分", "督办反馈得分", "第三方评估得分",
                                     "上年总分", "分数变化",     "名次变化"};
    static const double w1[] = {10, 11, 16, 13, 9, 12, 12, 13, 10, 10, 10};
    heads(ws, &f, title, h1, w1, 11);
    for (size_t i = 0; i < y->n; i++) {
        const struct ev_card *c = &y->cards[i];
        lxw_row_t r = (lxw_row_t)(i + 2);
        worksheet_write_string(ws, r, 0, ev_tier_label(c->tier), f.center);
        rank_cell(ws, r, 1, c->rank, c->rank_of, &f);
        worksheet_write_string(ws, r, 2, s_or(c->name), f.cell);
        worksheet_write_string(ws, r, 3, s_or(c->code), f.center);
        num(ws, r, 4, c->s.total, &f);
        for (int k = 0; k < EV__COMPONENTS; k++)
            num(ws, r, (lxw_col_t)(5 + k), c->s.points[k], &f);
        struct ev_change ch;
        ev_change(c->s.total, c->rank, c->has_prev ? c->prev_total : EV_NONE,
                  c->has_prev ? c->prev_rank : 0, &ch);
        num(ws, r, 8, c->has_prev ? c->prev_total : EV_NONE, &f);
        num(ws, r, 9, ch.has_points ? ch.points : EV_NONE, &f);
        if (ch.has_rank) {
            char t[24];
            snprintf(t, sizeof t, "%s%d", ch.rank > 0 ? "↑" : ch.rank < 0 ? "↓" : "", abs(ch.rank));
            worksheet_write_string(ws, r, 10, t, f.center);
        } else {
            worksheet_write_string(ws, r, 10, "—", f.center);
        }
    }

    lxw_worksheet *wd = workbook_add_worksheet(wb, "明细");
    static const char *const h2[] = {"单位",          "类别",   "评分项", "权重（%）",
                                     "实际权重（%）", "原始分", "得分",   "说明"};
    static const double w2[] = {16, 10, 16, 10, 12, 10, 10, 60};
    snprintf(title, sizeof title, "%s %d 年度考核评估明细", y->plan, y->year);
    heads(wd, &f, title, h2, w2, 8);
    lxw_row_t r = 2;
    for (size_t i = 0; i < y->n; i++) {
        const struct ev_card *c = &y->cards[i];
        for (int k = 0; k < EV__COMPONENTS; k++, r++) {
            char note[512];
            component_note(c, k, note, sizeof note);
            worksheet_write_string(wd, r, 0, s_or(c->name), f.cell);
            worksheet_write_string(wd, r, 1, ev_tier_label(c->tier), f.center);
            worksheet_write_string(wd, r, 2, ev_component_label((enum ev_component)k), f.center);
            worksheet_write_number(wd, r, 3, y->rubric.weight[k], f.center);
            num(wd, r, 4, c->s.raw[k] == EV_NONE ? EV_NONE : c->s.applied[k], &f);
            num(wd, r, 5, c->s.raw[k], &f);
            num(wd, r, 6, c->s.points[k], &f);
            worksheet_write_string(wd, r, 7, note, f.cell);
        }
    }
    return workbook_close(wb) == LXW_NO_ERROR;
}

static bool write_final(const struct ev_final *fi, const char *path, const char *tmpdir)
{
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = (char *)tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) return false;
    struct fmts f;
    make_formats(wb, &f);
    char title[256];
    snprintf(title, sizeof title, "%s %d—%d 年终期考核评估结果%s", fi->plan, fi->first,
             fi->first + fi->nyears - 1, fi->provisional ? "（含未发布年度，暂定）" : "");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "总表");
    const char *h1[6 + 8];
    double w1[6 + 8];
    int n = 0;
    static const char *const fixed[] = {"类别", "类别内排名", "单位", "行政区划代码", "终期得分"};
    static const double fw[] = {10, 11, 16, 13, 10};
    for (int i = 0; i < 5; i++, n++) {
        h1[n] = fixed[i];
        w1[n] = fw[i];
    }
    char yh[8][32];
    for (int k = 0; k < fi->nyears; k++, n++) {
        snprintf(yh[k], sizeof yh[k], "%d年总分（%d个月）", fi->first + k, fi->months[k]);
        h1[n] = yh[k];
        w1[n] = 13;
    }
    heads(ws, &f, title, h1, w1, n);
    for (size_t i = 0; i < fi->n; i++) {
        const struct ev_final_unit *u = &fi->units[i];
        lxw_row_t r = (lxw_row_t)(i + 2);
        worksheet_write_string(ws, r, 0, ev_tier_label(u->tier), f.center);
        rank_cell(ws, r, 1, u->rank, u->rank_of, &f);
        worksheet_write_string(ws, r, 2, s_or(u->name), f.cell);
        worksheet_write_string(ws, r, 3, s_or(u->code), f.center);
        num(ws, r, 4, u->total, &f);
        for (int k = 0; k < fi->nyears; k++)
            num(ws, r, (lxw_col_t)(5 + k), u->year_total[k], &f);
    }
    lxw_worksheet *wd = workbook_add_worksheet(wb, "明细");
    static const char *const h2[] = {"单位",           "类别",         "评分项",
                                     "加权平均原始分", "加权平均得分", "说明"};
    static const double w2[] = {16, 10, 16, 15, 13, 60};
    snprintf(title, sizeof title, "%s 终期考核评估明细（各年按月数加权平均）", fi->plan);
    heads(wd, &f, title, h2, w2, 6);
    lxw_row_t r = 2;
    for (size_t i = 0; i < fi->n; i++) {
        const struct ev_final_unit *u = &fi->units[i];
        for (int k = 0; k <= EV__COMPONENTS; k++, r++) {
            worksheet_write_string(wd, r, 0, s_or(u->name), f.cell);
            worksheet_write_string(wd, r, 1, ev_tier_label(u->tier), f.center);
            if (k == EV__COMPONENTS) {
                worksheet_write_string(wd, r, 2, "合计", f.center);
                worksheet_write_blank(wd, r, 3, f.num);
                num(wd, r, 4, u->total, &f);
                char note[256] = "", part[48];
                for (int y = 0; y < fi->nyears; y++) {
                    if (u->year_total[y] == EV_NONE) continue;
                    char t[32];
                    ev_fmt(u->year_total[y], t, sizeof t);
                    snprintf(part, sizeof part, "%s%d年 %s", note[0] ? "，" : "", fi->first + y, t);
                    strncat(note, part, sizeof note - strlen(note) - 1);
                }
                worksheet_write_string(wd, r, 5, note, f.cell);
                continue;
            }
            worksheet_write_string(wd, r, 2, ev_component_label((enum ev_component)k), f.center);
            num(wd, r, 3, u->raw[k], &f);
            num(wd, r, 4, u->points[k], &f);
            worksheet_write_string(wd, r, 5, "", f.cell);
        }
    }
    return workbook_close(wb) == LXW_NO_ERROR;
}

struct tmpl {
    const struct ev_progress *p;
    const char *title;
};

/* The scoring template: a title, then 行政区划代码 单位名称 类别 评分（0-100） 评价意见, one row
 * per unit, the caller's earlier score and comment filled in. The import (eval_scores.c) finds the
 * columns by these headers. */
static bool write_template(const struct tmpl *t, const char *path, const char *tmpdir)
{
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = (char *)tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) return false;
    struct fmts f;
    make_formats(wb, &f);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "评分");
    static const char *const h[] = {"行政区划代码", "单位名称", "类别", "评分（0-100）",
                                    "评价意见（必填，最多1000字）"};
    static const double w[] = {14, 18, 10, 14, 70};
    heads(ws, &f, t->title, h, w, 5);
    for (size_t i = 0; i < t->p->n; i++) {
        const struct ev_progress_unit *u = &t->p->units[i];
        lxw_row_t r = (lxw_row_t)(i + 2);
        worksheet_write_string(ws, r, 0, s_or(u->code), f.center);
        worksheet_write_string(ws, r, 1, s_or(u->name), f.cell);
        worksheet_write_string(ws, r, 2, ev_tier_label(u->tier), f.center);
        num(ws, r, 3, u->mine, &f);
        worksheet_write_string(ws, r, 4, u->mine == EV_NONE ? "" : s_or(u->my_comment), f.cell);
    }
    return workbook_close(wb) == LXW_NO_ERROR;
}

/* Writes through a private temporary file; the bytes land in the arena. */
static enum err via_file(const void *what, int kind, struct arena *a, void **out, size_t *len)
{
    const char *tmpdir = getenv("TMPDIR");
    if (!tmpdir || !*tmpdir) tmpdir = "/tmp";
    char path[512];
    snprintf(path, sizeof path, "%s/ecoact-eval-XXXXXX", tmpdir);
    int fd = mkstemp(path);
    if (fd < 0) return ERR_UNAVAILABLE;
    close(fd);
    enum err e = ERR_INTERNAL;
    bool ok = kind == 2   ? write_template(what, path, tmpdir)
              : kind == 1 ? write_final(what, path, tmpdir)
                          : write_year(what, path, tmpdir);
    if (ok) {
        FILE *fp = fopen(path, "rb");
        struct stat st;
        if (fp && fstat(fileno(fp), &st) == 0 && st.st_size > 0) {
            *len = (size_t)st.st_size;
            *out = arena_alloc(a, *len);
            if (fread(*out, 1, *len, fp) == *len) e = OK;
        }
        if (fp) fclose(fp);
    }
    unlink(path);
    return e;
}

enum err ev_xlsx_year(const struct ev_year *y, struct arena *a, void **out, size_t *len)
{
    return via_file(y, 0, a, out, len);
}

enum err ev_xlsx_final(const struct ev_final *f, struct arena *a, void **out, size_t *len)
{
    return via_file(f, 1, a, out, len);
}

enum err ev_xlsx_scores_template(const struct ev_progress *p, const char *title, struct arena *a,
                                 void **out, size_t *len)
{
    struct tmpl t = {.p = p, .title = title};
    return via_file(&t, 2, a, out, len);
}
