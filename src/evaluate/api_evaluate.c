/* api_evaluate.c - routes of the annual evaluation (issue 3 §5):
 *   GET  /api/v1/plans/{code}/evaluations                     years: published or not
 *   GET  /api/v1/plans/{code}/evaluations/final(.xlsx)        the final evaluation of the period
 *   GET  /api/v1/plans/{code}/evaluations/{year}              every unit's scorecard with ranks
 *                                                             ({year}.xlsx: the workbook)
 *   GET  /api/v1/plans/{code}/evaluations/{year}/units/{unit} one scorecard with its drill-down
 *   PUT  /api/v1/plans/{code}/evaluations/{year}/scores/{unit} an evaluator's score and comment
 *   GET  /api/v1/plans/{code}/evaluations/{year}/progress     the evaluator's work list
 *   GET  /api/v1/plans/{code}/evaluations/{year}/scores-template.xlsx  the scoring sheet
 *   POST /api/v1/plans/{code}/evaluations/{year}/scores/import scores in batch (?dry_run=1)
 *   POST /api/v1/plans/{code}/evaluations/{year}/publish      freezes the year (office)
 *   GET  /api/v1/plans/{code}/evaluations/{year}/signoff      the leader's sign-off (签批)
 *   POST …/{year}/signoff/request|approve|return              its steps (office; leader)
 *   GET/PUT /api/v1/evaluation-settings                       signoff_required (PUT: office)
 *   GET/PUT /api/v1/plans/{code}/rubric                       the rubric (PUT: office, a new
 * version) POST /api/v1/notices/drafts-from-red                      draft notices for red items
 * (office) Unit-scoped roles (unit_admin, unit_reporter) read their own unit's scorecards only: a
 * filter or path naming another unit is a 403. Parse and validate here; the rules live in
 * evaluate.c and eval_rules.c. */
#include "http/document.h"
#include "http/route.h"
#include "http/server.h"
#include "base/table.h"
#include "base/date.h"
#include "base/jv.h"
#include "evaluate/evaluate_store.h"
#include "org/units.h"
#include "plan/plan.h"
#include "supervise/supervise.h"
#include "work/work.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCORE_RULE                                                                                                                             \
    "履职合规：本年度已结束周期（截止日加15天宽限期已过；周期按截止日所在年度计）中，按时完成计1"  \
    "，"                                                                                                                                      \
    "补报按评分细则计（默认0.5），未完成计0，原始分 = 合计 ÷ 周期数 × "                                            \
    "100。督办反馈及时性：截止日在本年度的"                                                                                   \
    "督办单，期限内反馈计1，逾期反馈按评分细则计（默认0."                                                              \
    "5），逾期未反馈计0；本年度无到期督办单计100。"                                                                        \
    "第三方评估：评估人员评分的平均值。缺少数据的评分项不计，其权重按比例分配给其他评分项。得分 " \
    "= "                                                                                                                                       \
    "原始分 × 实际权重；总分为各项得分之和（保留两位小数）。"
/* What a year's total is, beside the home page's 履职得分, which officials took it for. */
#define TOTAL_LABEL "年度总分"
#define TOTAL_NOTE                                                                                                                            \
    "年度总分是本年度履职合规、督办反馈及时性、第三方评估三项得分之和（按评分细则加权，满分100）" \
    "；"                                                                                                                                     \
    "它不是首页的履职得分（履职得分只看工作义务的完成情况，统计至今全部已结束周期）。"
#define RANK_RULE                                                                                                                                \
    "排名在同类单位中进行（区、县、管理区、市级部门分别排名），按总分从高到低；总分相同名次并列，" \
    "其后"                                                                                                                                     \
    "名次顺延（如 1、2、2、4）；无总分的单位不排名。名次变化 = 上年名次 − "                                       \
    "本年名次（正数为上升）。"
#define FINAL_RULE                                                                                                                          \
    "终期得分为各年度总分按该年度实施月数加权的平均值（2021年7—12月计6个月，其余每年12个月），已" \
    "发布"                                                                                                                                \
    "年度按发布结果计，未发布年度按实时计算结果计（此时结果为暂定）。"

/* ---- common ---- */

/* What officials call the plan (its title), for an export's file name; its code when unknown. */
static const char *plan_title(struct req *r, const char *code)
{
    struct plan_row p;
    if (plan_find(r->db, code, PLAN_V_DEFAULT, &p) != OK || !p.title[0]) return code;
    return arena_strdup(r->a, p.title);
}

static const char *plan_of(struct req *r)
{
    return req_param(r, "code");
}

static enum err read_as_of(struct req *r, int *as_of)
{
    const char *s = req_query(r, "as_of");
    *as_of = date_today_shanghai(r->now);
    if (s && !date_parse(s, as_of))
        return req_fail(r, ERR_RULE, "as_of", "as_of 应为日期 YYYY-MM-DD（如 2024-01-20）");
    return OK;
}

/* {year}: "2023" (xlsx false) or "2023.xlsx" (xlsx true). Anything else is a 404. */
static enum err read_year(struct req *r, int *year, bool *xlsx)
{
    const char *s = req_param(r, "year");
    size_t n = s ? strlen(s) : 0;
    *xlsx = n > 5 && strcmp(s + n - 5, ".xlsx") == 0;
    if (*xlsx) n -= 5;
    if (n != 4) return req_fail(r, ERR_NOT_FOUND, "year", "年度应为四位数字（如 2023）");
    int y = 0;
    for (size_t i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return req_fail(r, ERR_NOT_FOUND, "year", "年度应为四位数字（如 2023）");
        y = y * 10 + (s[i] - '0');
    }
    *year = y;
    return OK;
}

/* The service's error as the answer. A 404 names the plan (code) or the year. */
static enum err failed(struct req *r, enum err e, const char *field, const char *why)
{
    if (why && why[0]) {
        if (e == ERR_NOT_FOUND && !field) field = strstr(why, "方案不存在") ? "code" : "year";
        return req_fail(r, e, field, "%s", why);
    }
    if (store_err(r->db)) return req_store_fail(r);
    return e;
}

/* The unit a unit-scoped caller is held to (0 for wide roles); a unit filter in the query
 * (`unit`) must be one the caller may read. */
static enum err read_scope(struct req *r, long long *only)
{
    *only = 0;
    const char *unit = req_query(r, "unit");
    if (unit) {
        *only = unit_find(r->db, unit);
        if (!*only) return req_fail(r, ERR_RULE, "unit", "单位不存在：%.64s", unit);
        if (req_unit_scoped(r) && *only != r->who->unit_id)
            return req_fail(r, ERR_FORBIDDEN, "unit", "只能查看本单位的考核评估结果");
    } else if (req_unit_scoped(r)) {
        *only = r->who->unit_id;
    }
    return OK;
}

static enum err read_tier(struct req *r, const char **tier)
{
    *tier = req_query(r, "tier");
    if (*tier && !(strcmp(*tier, "district") == 0 || strcmp(*tier, "county") == 0 ||
                   strcmp(*tier, "zone") == 0 || strcmp(*tier, "city_department") == 0))
        return req_fail(r, ERR_RULE, "tier", "tier 应为 district、county、zone 或 city_department");
    return OK;
}

static bool keep(const char *tier_filter, long long only, long long unit_id, const char *tier)
{
    if (only && unit_id != only) return false;
    if (tier_filter && (!tier || strcmp(tier, tier_filter) != 0)) return false;
    return true;
}

static void write_day(struct jw *w, const char *key, int day)
{
    char d[11];
    date_format(day, d);
    jw_kstr(w, key, d);
}

static void write_num(struct jw *w, const char *key, long long h)
{
    jw_key(w, key);
    if (h == EV_NONE) {
        jw_null(w);
        return;
    }
    char n[32];
    ev_fmt(h, n, sizeof n);
    jw_raw(w, n);
}

static void write_rubric(struct jw *w, const struct ev_rubric *rb)
{
    jw_key(w, "rubric");
    jw_obj(w);
    jw_kint(w, "version", rb->version);
    jw_key(w, "weights");
    jw_obj(w);
    for (int i = 0; i < EV__COMPONENTS; i++)
        jw_kint(w, ev_component_key((enum ev_component)i), rb->weight[i]);
    jw_obj_end(w);
    jw_kint(w, "late_credit", rb->late_credit);
    jw_kint(w, "notice_late_credit", rb->notice_late_credit);
    jw_obj_end(w);
}

static void write_year_head(struct jw *w, const struct ev_year *y)
{
    jw_kstr(w, "plan", y->plan);
    jw_kint(w, "year", y->year);
    write_day(w, "as_of", y->as_of);
    jw_kbool(w, "published", y->published);
    jw_key(w, "published_at");
    if (y->published)
        jw_int(w, y->published_at);
    else
        jw_null(w);
    jw_kstr(w, "published_by", y->published ? y->published_by : NULL);
    write_rubric(w, &y->rubric);
    jw_kstr(w, "score_rule", SCORE_RULE);
    jw_kstr(w, "rank_rule", RANK_RULE);
    jw_kstr(w, "total_label", TOTAL_LABEL);
    jw_kstr(w, "total_note", TOTAL_NOTE);
}

static enum err write_signoff(struct req *r, struct jw *w, int year, bool published);

/* ---- years ---- */

static enum err list_years(struct req *r)
{
    int start, end;
    enum err e = ev_plan_period(r->db, plan_of(r), &start, &end);
    if (e == ERR_NOT_FOUND)
        return req_fail(r, ERR_NOT_FOUND, "code", "方案不存在：%.64s", plan_of(r));
    if (e != OK) return req_fail_err(r, e);
    json_t *pubs = ev_store_publications(r->db, plan_of(r));
    if (!pubs) return req_store_fail(r);
    int y0, y1, today = date_today_shanghai(r->now);
    date_to_ymd(start, &y0, NULL, NULL);
    date_to_ymd(end, &y1, NULL, NULL);
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (int y = y0; y <= y1; y++) {
        json_t *p = NULL;
        size_t i;
        json_t *o;
        json_array_foreach(pubs, i, o)
        {
            if (json_integer_value(json_object_get(o, "year")) == y) p = o;
        }
        jw_obj(&w);
        jw_kint(&w, "year", y);
        jw_kint(&w, "months", ev_year_months(start, end, y));
        jw_kbool(&w, "published", p != NULL);
        jw_kbool(&w, "closed", today > date_from_ymd(y, 12, 31) + 15);
        if (p) {
            jw_kint(&w, "published_at", json_integer_value(json_object_get(p, "published_at")));
            jw_kstr(&w, "published_by", json_string_value(json_object_get(p, "published_by")));
            jw_kstr(&w, "as_of", json_string_value(json_object_get(p, "as_of")));
            jw_kint(&w, "rubric_version", json_integer_value(json_object_get(p, "rubric_version")));
            jw_kint(&w, "units", json_integer_value(json_object_get(p, "units")));
        }
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "next_cursor");
    jw_null(&w);
    jw_kstr(&w, "plan", plan_of(r));
    jw_kstr(&w, "final_rule", FINAL_RULE);
    jw_obj_end(&w);
    json_decref(pubs);
    return reply_jw(r, 200, &w);
}

static enum err get_year(struct req *r)
{
    int year, as_of;
    bool xlsx;
    enum err e = read_year(r, &year, &xlsx);
    if (e == OK) e = read_as_of(r, &as_of);
    long long only;
    const char *tier;
    if (e == OK) e = read_scope(r, &only);
    if (e == OK) e = read_tier(r, &tier);
    if (e != OK) return e;
    struct ev_year y;
    char why[320] = "";
    e = ev_year_get(r->db, r->a, plan_of(r), year, as_of, 0, &y, why, sizeof why);
    if (e != OK) return failed(r, e, e == ERR_RULE ? "as_of" : NULL, why);
    /* filters keep the ranks computed over the whole tier */
    size_t k = 0;
    for (size_t i = 0; i < y.n; i++)
        if (keep(tier, only, y.cards[i].unit_id, y.cards[i].tier)) y.cards[k++] = y.cards[i];
    y.n = k;
    if (xlsx) {
        void *data = NULL;
        size_t len = 0;
        if ((e = ev_xlsx_year(&y, r->a, &data, &len)) != OK)
            return req_fail(r, e, NULL, "生成 Excel 文件失败");
        return reply_export(r, TABLE_XLSX_TYPE, data, len,
                            arena_printf(r->a, "%s%d年度考评", plan_title(r, y.plan), year),
                            arena_printf(r->a, "%s-%d-evaluation", y.plan, year), "xlsx");
    }
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < y.n; i++) {
        jw_obj(&w);
        ev_card_write(&w, &y.cards[i], year, &y.rubric);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "next_cursor");
    jw_null(&w);
    write_year_head(&w, &y);
    jw_kint(&w, "count", (long long)y.n);
    if ((e = write_signoff(r, &w, year, y.published)) != OK) {
        jw_free(&w);
        return req_fail_err(r, e);
    }
    jw_obj_end(&w);
    return reply_jw(r, 200, &w);
}

static enum err find_unit(struct req *r, const char *param, long long *unit)
{
    const char *s = req_param(r, param);
    *unit = s ? unit_find(r->db, s) : 0;
    if (!*unit) {
        if (store_err(r->db)) return req_store_fail(r);
        return req_fail(r, ERR_NOT_FOUND, param, "单位不存在：%.64s", s ? s : "");
    }
    return OK;
}

/* The card of {unit} in {year}: the caller's own unit for unit-scoped roles. */
static enum err load_card(struct req *r, struct ev_year *y, const struct ev_card **card)
{
    int year, as_of;
    bool xlsx;
    enum err e = read_year(r, &year, &xlsx);
    if (e == OK && xlsx) e = req_fail(r, ERR_NOT_FOUND, "year", "年度应为四位数字（如 2023）");
    if (e == OK) e = read_as_of(r, &as_of);
    long long unit;
    if (e == OK) e = find_unit(r, "unit", &unit);
    if (e != OK) return e;
    if (req_unit_scoped(r) && unit != r->who->unit_id)
        return req_fail(r, ERR_FORBIDDEN, "unit", "只能查看本单位的考核评估结果");
    char why[320] = "";
    e = ev_year_get(r->db, r->a, plan_of(r), year, as_of, unit, y, why, sizeof why);
    if (e != OK) return failed(r, e, e == ERR_RULE ? "as_of" : NULL, why);
    *card = NULL;
    for (size_t i = 0; i < y->n && !*card; i++)
        if (y->cards[i].unit_id == unit) *card = &y->cards[i];
    if (!*card)
        return req_fail(r, ERR_NOT_FOUND, "unit",
                        "该单位在 %d 年没有考核评估结果（没有应履行的义务）", year);
    return OK;
}

static enum err get_unit_card(struct req *r)
{
    struct ev_year y;
    const struct ev_card *c;
    enum err e = load_card(r, &y, &c);
    if (e != OK) return e;
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    ev_card_write(&w, c, y.year, &y.rubric);
    jw_key(&w, "drilldown");
    if (c->drill)
        jw_raw(&w, c->drill);
    else
        jw_null(&w);
    write_year_head(&w, &y);
    jw_obj_end(&w);
    return reply_jw(r, 200, &w);
}

/* The card printed (issue 19 §8): scorecard.pdf or scorecard.html. */
static enum err unit_scorecard(struct req *r, bool pdf)
{
    struct ev_year y;
    const struct ev_card *c;
    enum err e = load_card(r, &y, &c);
    if (e != OK) return e;
    struct gbdoc d;
    ev_card_doc(&y, c, &d);
    char name[400];
    snprintf(name, sizeof name, "%s_%d年度考核评估结果.pdf", c->name, y.year);
    e = req_reply_gbdoc(r, &d, pdf, name);
    gbdoc_free(&d);
    return e;
}

static enum err scorecard_pdf(struct req *r)
{
    return unit_scorecard(r, true);
}

static enum err scorecard_html(struct req *r)
{
    return unit_scorecard(r, false);
}

/* ---- the final evaluation ---- */

static enum err final_common(struct req *r, bool xlsx)
{
    int as_of;
    long long only;
    const char *tier;
    enum err e = read_as_of(r, &as_of);
    if (e == OK) e = read_scope(r, &only);
    if (e == OK) e = read_tier(r, &tier);
    if (e != OK) return e;
    struct ev_final f;
    char why[320] = "";
    e = ev_final_get(r->db, r->a, plan_of(r), as_of, &f, why, sizeof why);
    if (e != OK) return failed(r, e, e == ERR_RULE ? "as_of" : NULL, why);
    size_t k = 0;
    for (size_t i = 0; i < f.n; i++)
        if (keep(tier, only, f.units[i].unit_id, f.units[i].tier)) f.units[k++] = f.units[i];
    f.n = k;
    if (xlsx) {
        void *data = NULL;
        size_t len = 0;
        if ((e = ev_xlsx_final(&f, r->a, &data, &len)) != OK)
            return req_fail(r, e, NULL, "生成 Excel 文件失败");
        return reply_export(r, TABLE_XLSX_TYPE, data, len,
                            arena_printf(r->a, "%s终期评估", plan_title(r, f.plan)),
                            arena_printf(r->a, "%s-final-evaluation", f.plan), "xlsx");
    }
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < f.n; i++) {
        const struct ev_final_unit *u = &f.units[i];
        jw_obj(&w);
        jw_key(&w, "unit");
        jw_obj(&w);
        jw_kint(&w, "id", u->unit_id);
        jw_kstr(&w, "code", u->code);
        jw_kstr(&w, "name", u->name);
        jw_kstr(&w, "tier", u->tier);
        jw_kstr(&w, "tier_label", ev_tier_label(u->tier));
        jw_obj_end(&w);
        write_num(&w, "total", u->total);
        jw_key(&w, "rank");
        if (u->rank)
            jw_int(&w, u->rank);
        else
            jw_null(&w);
        jw_kint(&w, "rank_of", u->rank_of);
        jw_key(&w, "components");
        jw_arr(&w);
        for (int c = 0; c < EV__COMPONENTS; c++) {
            jw_obj(&w);
            jw_kstr(&w, "key", ev_component_key((enum ev_component)c));
            jw_kstr(&w, "label", ev_component_label((enum ev_component)c));
            write_num(&w, "raw", u->raw[c]);
            write_num(&w, "points", u->points[c]);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_key(&w, "years");
        jw_arr(&w);
        for (int y = 0; y < f.nyears; y++) {
            jw_obj(&w);
            jw_kint(&w, "year", f.first + y);
            write_num(&w, "total", u->year_total[y]);
            jw_key(&w, "rank");
            if (u->year_rank[y])
                jw_int(&w, u->year_rank[y]);
            else
                jw_null(&w);
            jw_kint(&w, "rank_of", u->year_rank_of[y]);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "next_cursor");
    jw_null(&w);
    jw_kstr(&w, "plan", f.plan);
    write_day(&w, "as_of", f.as_of);
    jw_kbool(&w, "provisional", f.provisional);
    jw_key(&w, "years");
    jw_arr(&w);
    for (int y = 0; y < f.nyears; y++) {
        jw_obj(&w);
        jw_kint(&w, "year", f.first + y);
        jw_kint(&w, "months", f.months[y]);
        jw_kbool(&w, "published", f.year_published[y]);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kstr(&w, "final_rule", FINAL_RULE);
    jw_kstr(&w, "rank_rule", RANK_RULE);
    jw_kint(&w, "count", (long long)f.n);
    jw_obj_end(&w);
    return reply_jw(r, 200, &w);
}

static enum err get_final(struct req *r)
{
    return final_common(r, false);
}

static enum err get_final_xlsx(struct req *r)
{
    return final_common(r, true);
}

/* ---- writes ---- */

static enum err put_score(struct req *r)
{
    int year;
    bool xlsx;
    enum err e = read_year(r, &year, &xlsx);
    if (e == OK && xlsx) e = req_fail(r, ERR_NOT_FOUND, "year", "年度应为四位数字（如 2023）");
    long long unit;
    if (e == OK) e = find_unit(r, "unit", &unit);
    if (e != OK) return e;
    static const char *const allowed[] = {"score", "comment", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    json_t *sj = json_object_get(r->json, "score");
    if (jv_ok(&v) && (!sj || json_is_null(sj)))
        jv_fail(&v, ERR_BAD_REQUEST, "score", "缺少必填字段：score（评分，0 到 100）");
    if (jv_ok(&v) && !json_is_number(sj)) jv_fail(&v, ERR_BAD_REQUEST, "score", "评分应为数字");
    const char *comment = jv_str(&v, "comment", true, 4 * 1000);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    long long score;
    if (!ev_score_from_double(json_number_value(sj), &score))
        return req_fail(r, ERR_RULE, "score", "评分应为 0 到 100 之间的数，最多两位小数");
    if (!comment || !*comment)
        return req_fail(r, ERR_RULE, "comment", "请填写评价意见（说明评分依据）");
    if (utf8_chars(comment) > 1000) return req_fail(r, ERR_RULE, "comment", "评价意见最多 1000 字");
    r->audit_object = arena_printf(r->a, "evaluation:%s:%d:unit:%lld", plan_of(r), year, unit);
    bool created;
    char why[320] = "";
    e = ev_score_put(r->db, r->a, plan_of(r), year, unit, r->who->user_id, r->who->display_name,
                     score, comment, r->now, &created, why, sizeof why);
    if (e != OK)
        return failed(r, e, e == ERR_RULE ? "unit" : e == ERR_CONFLICT ? "year" : NULL, why);
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "plan", plan_of(r));
    jw_kint(&w, "year", year);
    jw_kint(&w, "unit_id", unit);
    jw_key(&w, "evaluator");
    jw_obj(&w);
    jw_kint(&w, "id", r->who->user_id);
    jw_kstr(&w, "name", r->who->display_name);
    jw_obj_end(&w);
    write_num(&w, "score", score);
    jw_kstr(&w, "comment", comment);
    jw_kbool(&w, "created", created);
    jw_kint(&w, "updated_at", r->now);
    jw_obj_end(&w);
    return reply_jw(r, created ? 201 : 200, &w);
}

static enum err publish(struct req *r)
{
    int year;
    bool xlsx;
    enum err e = read_year(r, &year, &xlsx);
    if (e == OK && xlsx) e = req_fail(r, ERR_NOT_FOUND, "year", "年度应为四位数字（如 2023）");
    if (e != OK) return e;
    r->audit_object = arena_printf(r->a, "evaluation:%s:%d", plan_of(r), year);
    size_t units;
    char why[320] = "";
    e = ev_publish(r->db, r->a, plan_of(r), year, r->who->user_id, r->who->display_name, r->now,
                   &units, why, sizeof why);
    if (e != OK) return failed(r, e, e == ERR_RULE || e == ERR_CONFLICT ? "year" : NULL, why);
    r->audit_detail = arena_printf(r->a, "%zu units", units);
    struct ev_publication p;
    if ((e = ev_store_publication(r->db, plan_of(r), year, &p)) != OK) return req_fail_err(r, e);
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "plan", plan_of(r));
    jw_kint(&w, "year", year);
    jw_kbool(&w, "published", true);
    jw_kint(&w, "published_at", p.published_at);
    jw_kstr(&w, "published_by", p.published_by);
    jw_kstr(&w, "as_of", p.as_of);
    jw_kint(&w, "units", (long long)units);
    write_rubric(&w, &p.rubric);
    jw_obj_end(&w);
    return reply_jw(r, 200, &w);
}

/* ---- the evaluator's work list and scores in batch ---- */

static void write_unit_ref(struct jw *w, const struct ev_progress_unit *u)
{
    jw_key(w, "unit");
    jw_obj(w);
    jw_kint(w, "id", u->unit_id);
    jw_kstr(w, "code", u->code);
    jw_kstr(w, "name", u->name);
    jw_kstr(w, "tier", u->tier);
    jw_kstr(w, "tier_label", ev_tier_label(u->tier));
    jw_obj_end(w);
}

static enum err load_progress(struct req *r, int *year, struct ev_progress *p)
{
    bool xlsx;
    enum err e = read_year(r, year, &xlsx);
    if (e == OK && xlsx) e = req_fail(r, ERR_NOT_FOUND, "year", "年度应为四位数字（如 2023）");
    if (e != OK) return e;
    char why[320] = "";
    e = ev_progress_get(r->db, r->a, plan_of(r), *year, r->who->user_id, r->now, p, why,
                        sizeof why);
    return e == OK ? OK : failed(r, e, NULL, why);
}

/* GET …/{year}/progress[?status=unscored|scored|mine|not_mine]: the year's district-level units
 * with who scored each and when; the counts are over all of them, the items filtered. */
static enum err get_progress(struct req *r)
{
    const char *status = req_query(r, "status");
    if (status && strcmp(status, "unscored") != 0 && strcmp(status, "scored") != 0 &&
        strcmp(status, "mine") != 0 && strcmp(status, "not_mine") != 0)
        return req_fail(r, ERR_RULE, "status",
                        "status 应为 unscored（未评分）、scored（已评分）、mine（本人已评）或 "
                        "not_mine（本人未评）");
    int year;
    struct ev_progress p;
    enum err e = load_progress(r, &year, &p);
    if (e != OK) return e;
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    size_t shown = 0;
    for (size_t i = 0; i < p.n; i++) {
        const struct ev_progress_unit *u = &p.units[i];
        bool scored = u->scores > 0, mine = u->mine != EV_NONE;
        if (status &&
            ((strcmp(status, "unscored") == 0 && scored) ||
             (strcmp(status, "scored") == 0 && !scored) || (strcmp(status, "mine") == 0 && !mine) ||
             (strcmp(status, "not_mine") == 0 && mine)))
            continue;
        shown++;
        jw_obj(&w);
        write_unit_ref(&w, u);
        jw_kbool(&w, "scored", scored);
        jw_kstr(&w, "status_label", scored ? "已评分" : "未评分");
        jw_kint(&w, "scores", (long long)u->scores);
        jw_kstr(&w, "last_scored_by", u->last_by);
        jw_key(&w, "last_scored_at");
        if (scored)
            jw_int(&w, u->last_at);
        else
            jw_null(&w);
        jw_key(&w, "mine");
        if (mine) {
            jw_obj(&w);
            write_num(&w, "score", u->mine);
            jw_kstr(&w, "comment", u->my_comment);
            jw_kint(&w, "updated_at", u->my_at);
            jw_obj_end(&w);
        } else {
            jw_null(&w);
        }
        jw_key(&w, "actions");
        jw_arr(&w);
        if (!p.published) jw_str(&w, "score");
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "next_cursor");
    jw_null(&w);
    jw_kstr(&w, "plan", plan_of(r));
    jw_kint(&w, "year", year);
    jw_kbool(&w, "published", p.published);
    jw_kint(&w, "total", (long long)p.n);
    jw_kint(&w, "scored", (long long)p.scored);
    jw_kint(&w, "unscored", (long long)(p.n - p.scored));
    jw_kint(&w, "mine", (long long)p.mine);
    jw_kint(&w, "count", (long long)shown);
    jw_key(&w, "actions");
    jw_arr(&w);
    if (!p.published) {
        jw_str(&w, "score");
        jw_str(&w, "import_scores");
    }
    jw_str(&w, "download_template");
    jw_arr_end(&w);
    jw_obj_end(&w);
    return reply_jw(r, 200, &w);
}

static enum err scores_template(struct req *r)
{
    int year;
    struct ev_progress p;
    enum err e = load_progress(r, &year, &p);
    if (e != OK) return e;
    const char *title =
        arena_printf(r->a, "%s %d 年度第三方评估评分表", plan_title(r, plan_of(r)), year);
    void *data = NULL;
    size_t len = 0;
    if ((e = ev_xlsx_scores_template(&p, title, r->a, &data, &len)) != OK)
        return req_fail(r, e, NULL, "生成 Excel 文件失败");
    return reply_export(r, TABLE_XLSX_TYPE, data, len,
                        arena_printf(r->a, "%s%d年度评分模板", plan_title(r, plan_of(r)), year),
                        arena_printf(r->a, "%s-%d-scores-template", plan_of(r), year), "xlsx");
}

/* POST …/{year}/scores/import[?dry_run=1]: an .xlsx (or .csv) of scores; every row is checked
 * first and a bad row changes nothing (422 with the rows' errors). */
static enum err import_scores(struct req *r)
{
    int year;
    bool xlsx;
    enum err e = read_year(r, &year, &xlsx);
    if (e == OK && xlsx) e = req_fail(r, ERR_NOT_FOUND, "year", "年度应为四位数字（如 2023）");
    if (e != OK) return e;
    bool dry_run = req_dry_run(r);
    struct table t;
    bool zip;
    if ((e = req_read_table(r, EV_IMPORT_MAX_BYTES, EV_IMPORT_MAX_ROWS + 3, &t, &zip)) != OK)
        return e;
    r->audit_object = arena_printf(r->a, "evaluation:%s:%d", plan_of(r), year);
    struct ev_import im;
    struct table_errors errs = {0};
    char why[320] = "";
    e = ev_scores_import(r->db, r->a, plan_of(r), year, &t, r->who->user_id, r->who->display_name,
                         r->now, dry_run, &im, &errs, why, sizeof why);
    if (e == ERR_RULE) {
        r->audit_detail = arena_printf(r->a, "rejected: %zu error(s)", errs.total);
        e = reply_row_errors(
            r, &errs,
            arena_printf(r->a, "评分表有 %zu 处错误，未导入任何评分：请按行号和列名修改后重新导入",
                         errs.total));
    } else if (e != OK) {
        e = failed(r, e, e == ERR_CONFLICT ? "year" : NULL, why);
    } else {
        r->audit_detail =
            arena_printf(r->a, "%s%zu created, %zu updated from %s", dry_run ? "dry run: " : "",
                         im.created, im.updated, zip ? "xlsx" : "csv");
        struct jw w;
        jw_init(&w);
        jw_obj(&w);
        jw_kbool(&w, "dry_run", dry_run);
        jw_kint(&w, "count", (long long)im.n);
        jw_kint(&w, "created", (long long)im.created);
        jw_kint(&w, "updated", (long long)im.updated);
        jw_kint(&w, "skipped_blank", (long long)im.skipped_blank);
        jw_key(&w, "rows");
        jw_arr(&w);
        for (size_t i = 0; i < im.n; i++) {
            jw_obj(&w);
            jw_kint(&w, "row", im.rows[i].row);
            jw_kint(&w, "unit_id", im.rows[i].unit_id);
            jw_kstr(&w, "unit_name", im.rows[i].unit_name);
            write_num(&w, "score", im.rows[i].score);
            write_num(&w, "before", im.rows[i].before);
            jw_kstr(&w, "change",
                    im.rows[i].before == EV_NONE            ? "新增"
                    : im.rows[i].before == im.rows[i].score ? "不变"
                                                            : "修改");
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_key(&w, "errors");
        jw_arr(&w);
        jw_arr_end(&w);
        jw_obj_end(&w);
        e = reply_jw(r, dry_run ? 200 : 201, &w);
    }
    table_errors_free(&errs);
    table_free(&t);
    return e;
}

/* ---- the rubric ---- */

static enum err reply_rubric(struct req *r, int status)
{
    struct ev_rubric rb;
    char note[2048];
    enum err e = ev_store_rubric(r->db, plan_of(r), &rb, note, sizeof note);
    if (e != OK) return req_fail_err(r, e);
    json_t *hist = ev_store_rubric_history(r->db, plan_of(r));
    if (!hist) return req_store_fail(r);
    char *hist_text = json_dumps(hist, JSON_COMPACT);
    json_decref(hist);
    if (!hist_text) return ERR_INTERNAL;
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "plan", plan_of(r));
    jw_kint(&w, "version", rb.version);
    jw_kbool(&w, "stored", rb.version > 0);
    jw_key(&w, "weights");
    jw_obj(&w);
    for (int i = 0; i < EV__COMPONENTS; i++)
        jw_kint(&w, ev_component_key((enum ev_component)i), rb.weight[i]);
    jw_obj_end(&w);
    jw_kint(&w, "late_credit", rb.late_credit);
    jw_kint(&w, "notice_late_credit", rb.notice_late_credit);
    jw_kstr(&w, "note", note);
    jw_key(&w, "components");
    jw_arr(&w);
    for (int i = 0; i < EV__COMPONENTS; i++) {
        jw_obj(&w);
        jw_kstr(&w, "key", ev_component_key((enum ev_component)i));
        jw_kstr(&w, "label", ev_component_label((enum ev_component)i));
        jw_kint(&w, "weight", rb.weight[i]);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "history");
    jw_raw(&w, hist_text);
    free(hist_text);
    jw_kstr(&w, "score_rule", SCORE_RULE);
    jw_kstr(&w, "rank_rule", RANK_RULE);
    jw_kstr(&w, "final_rule", FINAL_RULE);
    jw_obj_end(&w);
    return reply_jw(r, status, &w);
}

static enum err plan_exists(struct req *r)
{
    int start, end;
    enum err e = ev_plan_period(r->db, plan_of(r), &start, &end);
    if (e == ERR_NOT_FOUND)
        return req_fail(r, ERR_NOT_FOUND, "code", "方案不存在：%.64s", plan_of(r));
    return e == OK ? OK : req_fail_err(r, e);
}

static enum err get_rubric(struct req *r)
{
    enum err e = plan_exists(r);
    return e != OK ? e : reply_rubric(r, 200);
}

static enum err put_rubric(struct req *r)
{
    enum err e = plan_exists(r);
    if (e != OK) return e;
    static const char *const allowed[] = {"weights", "late_credit", "notice_late_credit", "note",
                                          NULL};
    struct ev_rubric cur, rb;
    char note_now[2048];
    if ((e = ev_store_rubric(r->db, plan_of(r), &cur, note_now, sizeof note_now)) != OK)
        return req_fail_err(r, e);
    rb = cur;
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    json_t *wj = json_object_get(r->json, "weights");
    if (jv_ok(&v) && (!wj || json_is_null(wj)))
        jv_fail(&v, ERR_BAD_REQUEST, "weights", "缺少必填字段：weights（三项权重）");
    if (jv_ok(&v) && !json_is_object(wj))
        jv_fail(&v, ERR_BAD_REQUEST, "weights",
                "weights 应为对象 {\"compliance\":…, \"timeliness\":…, \"evaluator\":…}");
    if (jv_ok(&v)) {
        static const char *const keys[] = {"compliance", "timeliness", "evaluator", NULL};
        struct jv wv = {0};
        jv_begin(&wv, wj, keys);
        for (int i = 0; i < EV__COMPONENTS; i++)
            rb.weight[i] = (int)jv_int(&wv, keys[i], true, -1000000, 1000000, 0);
        if (!jv_ok(&wv))
            jv_fail(&v, wv.err, arena_printf(r->a, "weights.%s", wv.field ? wv.field : ""), "%s",
                    wv.msg);
    }
    rb.late_credit = (int)jv_int(&v, "late_credit", false, -1000000, 1000000, cur.late_credit);
    rb.notice_late_credit =
        (int)jv_int(&v, "notice_late_credit", false, -1000000, 1000000, cur.notice_late_credit);
    const char *note = jv_str(&v, "note", false, 4 * 1000);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    if (note && utf8_chars(note) > 1000) return req_fail(r, ERR_RULE, "note", "说明最多 1000 字");
    struct problem p;
    if (!ev_rubric_check(&rb, &p)) return req_fail(r, p.err, p.field, "%s", p.msg);
    r->audit_object = arena_printf(r->a, "rubric:%s", plan_of(r));
    bool same = cur.version > 0 && cur.late_credit == rb.late_credit &&
                cur.notice_late_credit == rb.notice_late_credit &&
                memcmp(cur.weight, rb.weight, sizeof cur.weight) == 0 &&
                (!note || strcmp(note, note_now) == 0);
    if (same) return reply_rubric(r, 200);
    if ((e = ev_store_rubric_add(r->db, plan_of(r), &rb, note ? note : note_now, r->who->user_id,
                                 r->who->display_name, r->now)) != OK)
        return req_fail_err(r, e);
    r->audit_detail = arena_printf(r->a, "version %d: %d/%d/%d, late %d, notice late %d",
                                   rb.version, rb.weight[0], rb.weight[1], rb.weight[2],
                                   rb.late_credit, rb.notice_late_credit);
    return reply_rubric(r, 200);
}

/* ---- the sign-off (签批) ---- */

static bool may(struct req *r, enum perm p)
{
    return r->who && roles_allow(r->who->roles, p);
}

/* "signoff":{…} and "actions" of a year for this caller: publish (office, closed, not published,
 * signed off when required), request_signoff (office), approve_signoff / return_signoff (a
 * leader who did not ask). */
static enum err write_signoff(struct req *r, struct jw *w, int year, bool published)
{
    struct ev_signoff so;
    enum err e = ev_signoff_get(r->db, r->a, plan_of(r), year, &so);
    if (e != OK) return e;
    jw_key(w, "signoff");
    jw_obj(w);
    jw_kbool(w, "required", so.required);
    jw_kstr(w, "state", ev_signoff_state_key(so.state));
    jw_kstr(w, "state_label", ev_signoff_state_label(so.state));
    jw_key(w, "history");
    jw_arr(w);
    for (size_t i = 0; i < so.n; i++) {
        jw_obj(w);
        jw_kstr(w, "step", so.steps[i].step);
        jw_kstr(w, "step_label", ev_signoff_step_label(so.steps[i].step));
        jw_key(w, "by");
        jw_obj(w);
        jw_kid(w, "id", so.steps[i].user_id);
        jw_kstr(w, "name", so.steps[i].user_name);
        jw_obj_end(w);
        jw_kstr(w, "note", so.steps[i].note);
        jw_kint(w, "at", so.steps[i].at);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    bool closed = date_today_shanghai(r->now) > date_from_ymd(year, 12, 31) + 15;
    enum err ign;
    const char *why;
    long long me = r->who ? r->who->user_id : 0;
    jw_key(w, "actions");
    jw_arr(w);
    if (!published && may(r, PERM_EVAL_ADMIN) && closed &&
        (!so.required || so.state == EV_SO_APPROVED))
        jw_str(w, "publish");
    if (!published && so.required && may(r, PERM_EVAL_ADMIN) &&
        ev_signoff_may(so.state, "request", so.requested_by, me, &ign, &why))
        jw_str(w, "request_signoff");
    if (!published && so.required && may(r, PERM_SIGNOFF) &&
        ev_signoff_may(so.state, "approve", so.requested_by, me, &ign, &why)) {
        jw_str(w, "approve_signoff");
        jw_str(w, "return_signoff");
    }
    if (!published && may(r, PERM_EVAL_SCORE)) jw_str(w, "score");
    jw_arr_end(w);
    return OK;
}

static enum err get_signoff(struct req *r)
{
    int year;
    bool xlsx;
    enum err e = read_year(r, &year, &xlsx);
    if (e == OK) e = plan_exists(r);
    if (e != OK) return e;
    int start, end, y0, y1;
    if ((e = ev_plan_period(r->db, plan_of(r), &start, &end)) != OK) return req_fail_err(r, e);
    date_to_ymd(start, &y0, NULL, NULL);
    date_to_ymd(end, &y1, NULL, NULL);
    if (year < y0 || year > y1)
        return req_fail(r, ERR_NOT_FOUND, "year", "%d 年不在实施方案的实施期（%d—%d 年）内", year,
                        y0, y1);
    struct ev_publication pub;
    e = ev_store_publication(r->db, plan_of(r), year, &pub);
    if (e != OK && e != ERR_NOT_FOUND) return req_fail_err(r, e);
    bool published = e == OK;
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "plan", plan_of(r));
    jw_kint(&w, "year", year);
    jw_kbool(&w, "published", published);
    if ((e = write_signoff(r, &w, year, published)) != OK) {
        jw_free(&w);
        return req_fail_err(r, e);
    }
    jw_obj_end(&w);
    return reply_jw(r, 200, &w);
}

static enum err signoff_step(struct req *r, const char *step, const char *op_detail)
{
    int year;
    bool xlsx;
    enum err e = read_year(r, &year, &xlsx);
    if (e == OK && xlsx) e = req_fail(r, ERR_NOT_FOUND, "year", "年度应为四位数字（如 2023）");
    if (e != OK) return e;
    const char *note = NULL;
    if (r->json) {
        static const char *const allowed[] = {"note", "reason", NULL};
        struct jv v = {0};
        jv_begin(&v, r->json, allowed);
        const char *n = jv_str(&v, "note", false, 4 * 500);
        const char *why_s = jv_str(&v, "reason", false, 4 * 500);
        if (!jv_ok(&v)) return req_fail_jv(r, &v);
        note = strcmp(step, "return") == 0 ? why_s : n;
        const char *f = strcmp(step, "return") == 0 ? "reason" : "note";
        if (note && utf8_chars(note) > 500) return req_fail(r, ERR_RULE, f, "最多 500 字");
    }
    r->audit_object = arena_printf(r->a, "evaluation:%s:%d", plan_of(r), year);
    const char *field = NULL;
    char why[320] = "";
    e = ev_signoff_step_take(r->db, r->a, plan_of(r), year, step, note, r->who->user_id,
                             r->who->display_name, r->now, &field, why, sizeof why);
    if (e != OK) return why[0] ? req_fail(r, e, field, "%s", why) : req_fail_err(r, e);
    r->audit_detail = note && *note ? arena_printf(r->a, "%s: %s", op_detail, note) : op_detail;
    return get_signoff(r);
}

static enum err signoff_request(struct req *r)
{
    return signoff_step(r, "request", "requested");
}

static enum err signoff_approve(struct req *r)
{
    return signoff_step(r, "approve", "approved");
}

static enum err signoff_return(struct req *r)
{
    return signoff_step(r, "return", "returned");
}

static enum err reply_settings(struct req *r)
{
    bool on;
    enum err e = ev_signoff_required(r->db, &on);
    if (e != OK) return req_fail_err(r, e);
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_kbool(&w, "signoff_required", on);
    jw_kstr(&w, "signoff_note",
            "开启后，年度考评结果须由办公室提请签批、领导签批同意后才能发布；提请人不能签批。");
    jw_key(&w, "actions");
    jw_arr(&w);
    if (may(r, PERM_EVAL_ADMIN)) jw_str(&w, "edit");
    jw_arr_end(&w);
    jw_obj_end(&w);
    return reply_jw(r, 200, &w);
}

static enum err get_settings(struct req *r)
{
    return reply_settings(r);
}

static enum err put_settings(struct req *r)
{
    static const char *const allowed[] = {"signoff_required", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    json_t *b = json_object_get(r->json, "signoff_required");
    if (jv_ok(&v) && !json_is_boolean(b))
        jv_fail(&v, ERR_BAD_REQUEST, "signoff_required",
                "signoff_required 应为 true（须领导签批）或 false");
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    r->audit_object = "settings:" EV_SIGNOFF_SETTING;
    enum err e = ev_signoff_set_required(r->db, json_is_true(b), r->who->user_id, r->now);
    if (e != OK) return req_fail_err(r, e);
    r->audit_detail = json_is_true(b) ? "signoff required" : "signoff not required";
    return reply_settings(r);
}

/* ---- red items → draft notices ---- */

static enum err drafts_from_red(struct req *r)
{
    static const char *const allowed[] = {"plan",   "as_of",      "unit",    "task",
                                          "action", "obligation", "period",  "deadline",
                                          "level",  "max",        "dry_run", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *plan = jv_str(&v, "plan", false, 64);
    const char *as_of_s = jv_str(&v, "as_of", false, 16);
    const char *unit_s = jv_str(&v, "unit", false, 64);
    const char *obligation = jv_str(&v, "obligation", false, 64);
    const char *period = jv_str(&v, "period", false, 32);
    const char *deadline = jv_str(&v, "deadline", false, 16);
    const char *level_s = jv_str(&v, "level", false, 16);
    long long max = jv_int(&v, "max", false, 1, 500, 200);
    long long task = jv_int(&v, "task", false, 1, 1000, 0);
    long long action = jv_int(&v, "action", false, 1, 100, 0);
    bool dry_run = jv_bool(&v, "dry_run", false, false);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    int today = date_today_shanghai(r->now);
    struct ev_red_query q = {.plan = plan ? plan : SV_DEFAULT_PLAN,
                             .as_of = today,
                             .task = task,
                             .action = action,
                             .obligation = obligation,
                             .period = period,
                             .level = SV_BLUE,
                             .max = (size_t)max,
                             .dry_run = dry_run};
    if (as_of_s && !date_parse(as_of_s, &q.as_of))
        return req_fail(r, ERR_RULE, "as_of", "as_of 应为日期 YYYY-MM-DD");
    if (unit_s && !(q.unit = unit_find(r->db, unit_s)))
        return req_fail(r, ERR_RULE, "unit", "单位不存在：%.64s", unit_s);
    int dl = today + 15;
    if (deadline && !date_parse(deadline, &dl))
        return req_fail(r, ERR_RULE, "deadline", "deadline 应为日期 YYYY-MM-DD");
    if (dl < today) return req_fail(r, ERR_RULE, "deadline", "反馈期限不能早于今天");
    char dls[11];
    date_format(dl, dls);
    q.deadline = dls;
    enum sv_level lv = SV_BLUE;
    if (level_s && !sv_level_parse(level_s, &lv))
        return req_fail(r, ERR_RULE, "level",
                        "level 应为 blue（蓝色）、orange（橙色）或 red（红色）");
    q.level = (int)lv;
    struct ev_red_result res;
    const char *field = NULL;
    char why[320] = "";
    enum err e = ev_drafts_from_red(r->db, r->a, &q, r->who->user_id, r->who->display_name, r->now,
                                    &res, &field, why, sizeof why);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_RULE, "plan", "方案不存在：%.64s", q.plan);
    if (e != OK) return failed(r, e, field, why);
    r->audit_object = arena_printf(r->a, "notices:drafts-from-red:%s", q.plan);
    r->audit_detail =
        arena_printf(r->a, "%s%zu created, %zu skipped, %zu remaining", dry_run ? "dry run: " : "",
                     res.created, res.skipped, res.remaining);
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "plan", q.plan);
    write_day(&w, "as_of", q.as_of);
    jw_kstr(&w, "deadline", dls);
    jw_kint(&w, "red", (long long)res.red);
    jw_kbool(&w, "dry_run", dry_run);
    jw_kint(&w, dry_run ? "would_create" : "created", (long long)res.created);
    jw_kint(&w, "skipped_open", (long long)res.skipped);
    jw_kint(&w, "remaining", (long long)res.remaining);
    jw_kid(&w, "first_id", res.first_id);
    jw_kid(&w, "last_id", res.last_id);
    jw_obj_end(&w);
    return reply_jw(r, res.created && !dry_run ? 201 : 200, &w);
}

const struct route evaluate_routes[] = {
    {M_GET, "/api/v1/plans/{code}/evaluations", PERM_EVAL_READ, BODY_NONE, NULL, list_years, 0},
    /* the literal paths before {year} (the first match wins) */
    {M_GET, "/api/v1/plans/{code}/evaluations/final", PERM_EVAL_READ, BODY_NONE, NULL, get_final,
     0},
    {M_GET, "/api/v1/plans/{code}/evaluations/final.xlsx", PERM_EVAL_READ, BODY_NONE, NULL,
     get_final_xlsx, 0},
    {M_GET, "/api/v1/plans/{code}/evaluations/{year}", PERM_EVAL_READ, BODY_NONE, NULL, get_year,
     0},
    {M_GET, "/api/v1/plans/{code}/evaluations/{year}/units/{unit}", PERM_EVAL_READ, BODY_NONE, NULL,
     get_unit_card, ROUTE_OWN_UNIT},
    {M_GET, "/api/v1/plans/{code}/evaluations/{year}/units/{unit}/scorecard.pdf", PERM_EVAL_READ,
     BODY_NONE, NULL, scorecard_pdf, ROUTE_OWN_UNIT},
    {M_GET, "/api/v1/plans/{code}/evaluations/{year}/units/{unit}/scorecard.html", PERM_EVAL_READ,
     BODY_NONE, NULL, scorecard_html, ROUTE_OWN_UNIT},
    {M_PUT, "/api/v1/plans/{code}/evaluations/{year}/scores/{unit}", PERM_EVAL_SCORE, BODY_JSON,
     "evaluation.score", put_score, 0},
    {M_GET, "/api/v1/plans/{code}/evaluations/{year}/progress", PERM_EVAL_SCORE, BODY_NONE, NULL,
     get_progress, 0},
    {M_GET, "/api/v1/plans/{code}/evaluations/{year}/scores-template.xlsx", PERM_EVAL_SCORE,
     BODY_NONE, NULL, scores_template, 0},
    {M_POST, "/api/v1/plans/{code}/evaluations/{year}/scores/import", PERM_EVAL_SCORE, BODY_RAW,
     "evaluation.scores_import", import_scores, 0},
    {M_GET, "/api/v1/plans/{code}/evaluations/{year}/signoff", PERM_EVAL_READ, BODY_NONE, NULL,
     get_signoff, 0},
    {M_POST, "/api/v1/plans/{code}/evaluations/{year}/signoff/request", PERM_EVAL_ADMIN, BODY_NONE,
     "evaluation.signoff_request", signoff_request, 0},
    {M_POST, "/api/v1/plans/{code}/evaluations/{year}/signoff/approve", PERM_SIGNOFF, BODY_JSON,
     "evaluation.signoff_approve", signoff_approve, 0},
    {M_POST, "/api/v1/plans/{code}/evaluations/{year}/signoff/return", PERM_SIGNOFF, BODY_JSON,
     "evaluation.signoff_return", signoff_return, 0},
    {M_GET, "/api/v1/evaluation-settings", PERM_EVAL_READ, BODY_NONE, NULL, get_settings, 0},
    {M_PUT, "/api/v1/evaluation-settings", PERM_EVAL_ADMIN, BODY_JSON, "evaluation.settings",
     put_settings, 0},
    {M_POST, "/api/v1/plans/{code}/evaluations/{year}/publish", PERM_EVAL_ADMIN, BODY_NONE,
     "evaluation.publish", publish, 0},
    {M_GET, "/api/v1/plans/{code}/rubric", PERM_EVAL_READ, BODY_NONE, NULL, get_rubric, 0},
    {M_PUT, "/api/v1/plans/{code}/rubric", PERM_EVAL_ADMIN, BODY_JSON, "evaluation.rubric",
     put_rubric, 0},
    {M_POST, "/api/v1/notices/drafts-from-red", PERM_NOTICE_MANAGE, BODY_JSON,
     "notice.drafts_from_red", drafts_from_red, 0},
    {0},
};
