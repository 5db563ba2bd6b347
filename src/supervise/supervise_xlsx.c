/* supervise_xlsx.c - the 督办单 list as .xlsx (GET /api/v1/notices/export.xlsx), with the
 * list's filters (q, unit, stage, level, overdue, task, plan; read here once for the list and
 * the export: sv_list_filter) and its reach (a unit-scoped caller
 * exports its own unit's and child units' notices, no drafts). The rows are the list's own
 * (sv_notice_list), read page by page; the route sits in api_supervise.c's export block. */
#include "supervise/supervise_xlsx.h"
#include "base/arena.h"
#include "base/date.h"
#include "base/jw.h"
#include "base/sheet.h"
#include "base/table.h"
#include "http/route.h"
#include "org/units.h"
#include <stdlib.h>
#include <string.h>

#define SV_EXPORT_MAX 20000 /* rows in one .xlsx */
#define SV_EXPORT_PAGE 500
#define SV_SEARCH_MAX 64    /* bytes of q (about 21 汉字), as the other lists */
#define SV_SEARCH_UNITS 200 /* units whose name matches q, at most */

/* The ids of the units whose name, short name or code matches q, as ",3,17," in the arena. */
struct unit_ids {
    struct req *r;
    char *text;
};
static bool add_unit_id(void *ctx, const struct unit *u)
{
    struct unit_ids *ids = ctx;
    ids->text = arena_printf(ids->r->a, "%s%lld,", ids->text, u->id);
    return true;
}

enum err sv_list_filter(struct req *r, struct sv_filter *f)
{
    *f = (struct sv_filter){.stage = -1, .level = -1, .overdue = -1};
    const char *unit = req_query(r, "unit");
    if (unit && *unit) {
        if (!(f->unit = unit_find(r->db, unit)))
            return req_fail(r, ERR_RULE, "unit", "单位不存在：%.64s", unit);
        if (!req_may_act_for_unit(r, f->unit))
            return req_fail(r, ERR_FORBIDDEN, "unit", "只能查看本单位及下属单位的督办单");
    }
    if (req_unit_scoped(r)) f->scope_unit = r->who->unit_id;
    const char *stage = req_query(r, "stage"), *level = req_query(r, "level");
    const char *overdue = req_query(r, "overdue");
    enum sv_stage st;
    enum sv_level lv;
    if (stage && *stage && !sv_stage_parse(stage, &st))
        return req_fail(r, ERR_RULE, "stage",
                        "stage 应为 drafted、issued、signed、in_progress、answered 或 closed");
    if (stage && *stage) f->stage = (int)st;
    if (level && *level && !sv_level_parse(level, &lv))
        return req_fail(r, ERR_RULE, "level", "level 应为 blue、orange 或 red");
    if (level && *level) f->level = (int)lv;
    if (overdue && *overdue) {
        bool yes = !strcmp(overdue, "true") || !strcmp(overdue, "1");
        if (!yes && strcmp(overdue, "false") && strcmp(overdue, "0"))
            return req_fail(r, ERR_RULE, "overdue", "overdue 应为 true 或 false");
        f->overdue = yes;
    }
    enum err e = req_query_int(r, "task", 1, 100000, 0, &f->task);
    if (e != OK) return e;
    f->plan = req_query(r, "plan");
    if (f->plan && !*f->plan) f->plan = NULL;
    if (f->plan && strlen(f->plan) > 64) return req_fail(r, ERR_RULE, "plan", "方案代码过长");
    f->search = req_query(r, "q");
    if (f->search && !*f->search) f->search = NULL;
    if (f->search && strlen(f->search) > SV_SEARCH_MAX)
        return req_fail(r, ERR_RULE, "q", "搜索词过长（最多 %d 字节，约 %d 个汉字）", SV_SEARCH_MAX,
                        SV_SEARCH_MAX / 3);
    if (f->search) {
        struct unit_ids ids = {r, ","};
        struct unit_filter uf = {.limit = SV_SEARCH_UNITS, .search = f->search};
        if ((e = units_each(r->db, &uf, add_unit_id, &ids)) != OK) return req_fail_err(r, e);
        f->search_units = ids.text[1] ? ids.text : NULL;
    }
    return OK;
}

static const char *day_of(struct req *r, json_t *secs)
{
    if (!json_is_integer(secs)) return NULL;
    char d[11];
    date_format(date_today_shanghai(json_integer_value(secs)), d);
    return arena_strdup(r->a, d);
}

static void notice_row(struct req *r, struct sheet *s, json_t *o)
{
    const char *subject = json_string_value(json_object_get(o, "subject"));
    enum sv_subject sj;
    json_t *task = json_object_get(o, "task");
    sheet_text(s, json_string_value(json_object_get(o, "doc_no")));
    sheet_text(s, json_string_value(json_object_get(o, "title")));
    sheet_text(s, json_string_value(json_object_get(json_object_get(o, "unit"), "name")));
    sheet_text(s, subject && sv_subject_parse(subject, &sj) ? sv_subject_label(sj) : subject);
    sheet_text(s, json_is_integer(task)
                      ? arena_printf(r->a, "第%lld项", (long long)json_integer_value(task))
                      : NULL);
    sheet_text(s, json_string_value(json_object_get(o, "stage_label")));
    sheet_text(s, json_string_value(json_object_get(o, "level_label")));
    sheet_date(s, json_string_value(json_object_get(o, "deadline")));
    long long late = json_integer_value(json_object_get(o, "overdue_days"));
    sheet_text(s, json_is_true(json_object_get(o, "overdue"))
                      ? arena_printf(r->a, "逾期 %lld 天", late)
                      : "否");
    sheet_date(s, day_of(r, json_object_get(o, "issued_at")));
    sheet_date(s, json_string_value(json_object_get(o, "answered_date")));
    sheet_int(s, json_integer_value(json_object_get(o, "rounds")));
    sheet_end_row(s);
}

/* One page of the list into the sheet; *n and *last as sv_notice_list's. */
static enum err notice_page(struct req *r, const struct sv_filter *f, struct sheet *s,
                            long long after, long long *n, long long *last)
{
    *n = *last = 0;
    struct jw w;
    jw_init(&w);
    jw_arr(&w);
    enum err e = sv_notice_list(r->db, f, after, SV_EXPORT_PAGE, r->now, &w, n, last);
    jw_arr_end(&w);
    size_t len;
    char *text = e == OK ? jw_take(&w, &len) : NULL;
    jw_free(&w);
    if (e != OK) return e;
    json_t *items = text ? json_loadb(text, len, 0, NULL) : NULL;
    free(text);
    if (!json_is_array(items)) {
        json_decref(items);
        return ERR_INTERNAL;
    }
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) notice_row(r, s, o);
    json_decref(items);
    return OK;
}

enum err sv_export_notices(struct req *r)
{
    struct sv_filter f;
    enum err e = sv_list_filter(r, &f);
    if (e != OK) return e;
    static const struct sheet_col cols[] = {
        {"文号", 18},     {"标题", 40},     {"承办单位", 22}, {"督办事项", 12},
        {"重点任务", 10}, {"办理环节", 10}, {"督办等级", 10}, {"办理期限", 12},
        {"是否逾期", 12}, {"下发日期", 12}, {"反馈日期", 12}, {"反馈次数", 10},
    };
    struct sheet *s =
        sheet_new("督办单", "督办单（按立项时间倒序）", cols, sizeof cols / sizeof *cols);
    if (!s) return req_fail(r, ERR_INTERNAL, NULL, "生成 Excel 文件失败");
    long long after = 0, n = 0, last = 0, total = 0;
    do {
        e = notice_page(r, &f, s, after, &n, &last);
        total += n;
        after = last;
        n = e == OK && n == SV_EXPORT_PAGE ? n : 0;
    } while (n && total < SV_EXPORT_MAX);
    void *data;
    size_t len;
    enum err fe = sheet_finish(s, r->a, &data, &len);
    if (e != OK) return req_fail_err(r, e);
    if (fe != OK) return req_fail(r, fe, NULL, "生成 Excel 文件失败");
    return reply_export(r, TABLE_XLSX_TYPE, data, len, "督办单", "notices", "xlsx");
}
