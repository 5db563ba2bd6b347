/* eval_scores.c - the evaluators' side of a year (issue 19): the work list of the year's
 * district-level units with who scored each and when (ev_progress_get), and scores entered in
 * batch from a sheet (ev_scores_import): every row is checked first, and only a sheet without a
 * bad row is stored, each row as the caller's one score for its unit (a later row of another
 * upload replaces it, as ev_score_put does). No SQL: scores go through evaluate_store.h, units
 * through org. */
#include "evaluate/evaluate_store.h"
#include "base/date.h"
#include "base/table.h"
#include "base/utf8.h"
#include "org/units.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tier_rank(const char *tier)
{
    static const char *const order[] = {"district", "county", "zone"};
    for (int i = 0; i < 3; i++)
        if (tier && strcmp(tier, order[i]) == 0) return i;
    return 3;
}

static bool district_level(const char *tier)
{
    return tier_rank(tier) < 3;
}

static int unit_order(const void *a, const void *b)
{
    const struct ev_progress_unit *x = a, *y = b;
    int tx = tier_rank(x->tier), ty = tier_rank(y->tier);
    if (tx != ty) return tx - ty;
    return strcmp(x->code ? x->code : "~", y->code ? y->code : "~");
}

struct gather {
    struct ev_progress *p;
    struct arena *a;
    long long me;
};

static bool gather_score(void *ctx, const struct ev_score_row *s)
{
    struct gather *g = ctx;
    for (size_t i = 0; i < g->p->n; i++) {
        struct ev_progress_unit *u = &g->p->units[i];
        if (u->unit_id != s->unit_id) continue;
        u->scores++;
        if (!u->last_by || s->updated_at >= u->last_at) {
            u->last_by = arena_strdup(g->a, s->evaluator_name ? s->evaluator_name : "");
            u->last_at = s->updated_at;
        }
        if (s->evaluator_id == g->me) {
            u->mine = s->score;
            u->my_comment = arena_strdup(g->a, s->comment ? s->comment : "");
            u->my_at = s->updated_at;
        }
        break;
    }
    return true;
}

enum err ev_progress_get(struct store *db, struct arena *a, const char *plan, int year,
                         long long user_id, long long now, struct ev_progress *out, char *why,
                         size_t whylen)
{
    memset(out, 0, sizeof *out);
    out->year = year;
    struct ev_year y;
    enum err e = ev_year_get(db, a, plan, year, date_today_shanghai(now), 0, &y, why, whylen);
    if (e != OK) return e;
    out->published = y.published;
    out->units = arena_alloc(a, (y.n + 1) * sizeof *out->units);
    for (size_t i = 0; i < y.n; i++) {
        if (!district_level(y.cards[i].tier)) continue;
        struct ev_progress_unit *u = &out->units[out->n++];
        memset(u, 0, sizeof *u);
        u->unit_id = y.cards[i].unit_id;
        u->code = y.cards[i].code;
        u->name = y.cards[i].name;
        u->tier = y.cards[i].tier;
        u->mine = EV_NONE;
    }
    qsort(out->units, out->n, sizeof *out->units, unit_order);
    struct gather g = {.p = out, .a = a, .me = user_id};
    if ((e = ev_store_scores_each(db, plan, year, gather_score, &g)) != OK) return e;
    for (size_t i = 0; i < out->n; i++) {
        out->scored += out->units[i].scores > 0;
        out->mine += out->units[i].mine != EV_NONE;
    }
    return OK;
}

/* ---- the sheet ---- */

/* The columns the template writes (eval_xlsx.c) and the import reads, found by header text. */
static const char *const COL_CODE = "行政区划代码", *const COL_NAME = "单位名称",
                         *const COL_SCORE = "评分（0-100）", *const COL_COMMENT = "评价意见";

static int find_col(const struct table_row *h, const char *prefix)
{
    size_t n = strlen(prefix);
    for (int c = 0; c < h->ncells; c++) {
        const char *s = table_cell(h, c);
        if (s && strncmp(s, prefix, n) == 0) return c;
    }
    return -1;
}

/* The header row: the first of the first three rows naming 行政区划代码 (the template has a
 * title above it). */
static size_t header_row(const struct table *t)
{
    for (size_t i = 0; i < t->nrows && i < 3; i++)
        if (find_col(&t->rows[i], COL_CODE) >= 0) return i;
    return (size_t)-1;
}

enum err ev_scores_import(struct store *db, struct arena *a, const char *plan, int year,
                          const struct table *t, long long user_id, const char *user_name,
                          long long now, bool dry_run, struct ev_import *out,
                          struct table_errors *errs, char *why, size_t whylen)
{
    memset(out, 0, sizeof *out);
    struct ev_progress p;
    enum err e = ev_progress_get(db, a, plan, year, user_id, now, &p, why, whylen);
    if (e != OK) return e;
    if (p.published) {
        snprintf(why, whylen, "%d 年度评估已发布，评分不能再修改", year);
        return ERR_CONFLICT;
    }
    size_t h = header_row(t);
    int cc = -1, cn = -1, cs = -1, cm = -1;
    if (h != (size_t)-1) {
        cc = find_col(&t->rows[h], COL_CODE);
        cn = find_col(&t->rows[h], COL_NAME);
        cs = find_col(&t->rows[h], "评分");
        cm = find_col(&t->rows[h], COL_COMMENT);
    }
    if (h == (size_t)-1 || cs < 0 || cm < 0) {
        table_error_add(errs, h == (size_t)-1 ? 1 : t->rows[h].no, NULL,
                        "表头应包含「%s」「%s」「%s」三列：请下载评分模板填写", COL_CODE, COL_SCORE,
                        COL_COMMENT);
        return ERR_RULE;
    }
    out->rows = arena_alloc(a, (t->nrows + 1) * sizeof *out->rows);
    int *seen_row = arena_alloc(a, (p.n + 1) * sizeof *seen_row);
    memset(seen_row, 0, (p.n + 1) * sizeof *seen_row);
    for (size_t i = h + 1; i < t->nrows; i++) {
        const struct table_row *r = &t->rows[i];
        const char *code = table_cell(r, cc), *name = cn >= 0 ? table_cell(r, cn) : NULL;
        const char *score = table_cell(r, cs), *comment = table_cell(r, cm);
        if (!score && !comment) { /* a unit left unscored in the template */
            out->skipped_blank++;
            continue;
        }
        const char *ref = code ? code : name;
        size_t k = p.n;
        if (!ref) {
            table_error_add(errs, r->no, COL_CODE, "缺少单位：请填写行政区划代码");
        } else {
            long long id = strlen(ref) < 64 ? unit_find(db, ref) : 0;
            if (store_err(db)) return store_err(db);
            for (k = 0; id && k < p.n && p.units[k].unit_id != id; k++)
                ;
            if (!id)
                table_error_add(errs, r->no, code ? COL_CODE : COL_NAME, "单位不存在：%s",
                                TABLE_QUOTE(ref));
            else if (k == p.n)
                table_error_add(errs, r->no, code ? COL_CODE : COL_NAME,
                                "%s不参加 %d 年度评估（只评区县单位中有履职义务的单位）",
                                TABLE_QUOTE(ref), year);
            else if (seen_row[k])
                table_error_add(errs, r->no, code ? COL_CODE : COL_NAME,
                                "单位重复：%s已在第 %d 行评分", p.units[k].name, seen_row[k]);
            else
                seen_row[k] = r->no;
        }
        long long sc = 0;
        if (!score)
            table_error_add(errs, r->no, COL_SCORE, "缺少评分：请填写 0 到 100 之间的数");
        else if (!ev_score_parse(score, &sc))
            table_error_add(errs, r->no, COL_SCORE, "评分应为 0 到 100 之间的数，最多两位小数：%s",
                            TABLE_QUOTE(score));
        if (!comment)
            table_error_add(errs, r->no, COL_COMMENT, "请填写评价意见（说明评分依据）");
        else if (utf8_chars(comment) > EV_COMMENT_MAX_CHARS)
            table_error_add(errs, r->no, COL_COMMENT, "评价意见最多 %d 字（此处 %zu 字）",
                            EV_COMMENT_MAX_CHARS, utf8_chars(comment));
        if (errs->total || k >= p.n) continue;
        struct ev_import_row *o = &out->rows[out->n++];
        o->row = r->no;
        o->unit_id = p.units[k].unit_id;
        o->unit_name = p.units[k].name;
        o->score = sc;
        o->before = p.units[k].mine;
        o->comment = comment;
    }
    if (errs->total) return ERR_RULE;
    if (!out->n) {
        table_error_add(errs, t->nrows ? t->rows[t->nrows - 1].no : 1, NULL,
                        "文件中没有评分：请在「%s」「%s」两列填写后再导入", COL_SCORE, COL_COMMENT);
        return ERR_RULE;
    }
    for (size_t i = 0; i < out->n; i++) {
        bool created = out->rows[i].before == EV_NONE;
        if (!dry_run) {
            e = ev_store_score_put(db, plan, year, out->rows[i].unit_id, user_id, user_name,
                                   out->rows[i].score, out->rows[i].comment, now, &created);
            if (e != OK) return e;
        }
        if (created)
            out->created++;
        else
            out->updated++;
    }
    return OK;
}
