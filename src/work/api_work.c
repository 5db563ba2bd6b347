/* api_work.c - routes of the work ledger (台账): file a report (for one's own unit or a child
 * unit; the office for any), read and list them (unit-scoped roles see their unit and its
 * children), correct and resubmit, evidence files (allow-listed types, checked by the declared
 * type and the first bytes), review (the office; a unit_admin for its child units' reports),
 * the review queue, import from .csv/.xlsx (all rows or none) and export as .xlsx.
 * Writes run inside the pipeline's transaction (server.c): a failed check stores nothing. */
#include "http/batch.h"
#include "http/document.h"
#include "http/route.h"
#include "http/server.h"
#include "base/date.h"
#include "base/filetype.h"
#include "base/jv.h"
#include "org/session.h"
#include "org/units.h"
#include "plan/plan.h"
#include "work/work.h"
#include "http/upload.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- common ---- */

static struct work_actor actor(struct req *r)
{
    return (struct work_actor){r->who ? r->who->user_id : 0, r->who ? r->who->display_name : ""};
}

static bool office(struct req *r)
{
    return req_has_role(r, ROLE_OFFICE);
}

/* The plan and everything a report is checked against. Free with done_catalog(). */
struct cat {
    struct work_plan plan;
    json_t *kinds;
    struct work_catalog c;
};

static enum err load_catalog(struct req *r, const char *code, const char *field, struct cat *k)
{
    memset(k, 0, sizeof *k);
    enum err e = work_plan_load(r->db, code, &k->plan);
    if (e == ERR_NOT_FOUND)
        return req_fail(r, ERR_RULE, field, "方案不存在或尚未发布：%.64s", code);
    if (e != OK) return req_fail_err(r, e);
    k->kinds = plan_kinds(r->db);
    if (!k->kinds) return req_store_fail(r);
    k->c = (struct work_catalog){.plan = k->plan.code,
                                 .start = k->plan.start,
                                 .end = k->plan.end,
                                 .today = date_today_shanghai(r->now),
                                 .tasks = k->plan.tasks,
                                 .ntasks = k->plan.ntasks,
                                 .kinds = k->kinds};
    return OK;
}

static void done_catalog(struct cat *k)
{
    work_plan_free(&k->plan);
    json_decref(k->kinds);
    k->kinds = NULL;
}

/* The report named by {id}, if the caller may see it. */
static enum err load_report(struct req *r, struct work_row_state *s)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    enum err e = work_store_state(r->db, id, s);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "id", "报送不存在");
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "report:%lld", id);
    if (!req_may_act_for_unit(r, s->unit_id)) return req_deny(r, "id", "报送不存在");
    return OK;
}

/* A report the caller may change: not accepted yet. */
static enum err load_editable(struct req *r, struct work_row_state *s)
{
    enum err e = load_report(r, s);
    if (e != OK) return e;
    if (strcmp(s->status, "accepted") == 0)
        return req_fail(r, ERR_CONFLICT, NULL, "该报送已通过审核，不能再修改或增删佐证材料");
    return OK;
}

/* ---- the report body ---- */

static const char *const report_fields[] = {"plan",    "unit",    "kind",  "activity_date",
                                            "title",   "summary", "place", "tasks",
                                            "metrics", "links",   NULL};

/* Reads the JSON body into rep (strings borrowed from r->json). *unit_given is 0 when the body
 * names no unit; ERR_NOT_FOUND-free: an unknown unit is a 422 here. */
static enum err parse_report(struct req *r, struct work_report *rep, const char **plan,
                             long long *unit_given)
{
    struct jv v = {0};
    memset(rep, 0, sizeof *rep);
    jv_begin(&v, r->json, report_fields);
    *plan = jv_str(&v, "plan", false, 64);
    rep->kind = jv_str(&v, "kind", false, 64);
    rep->activity_date = jv_str(&v, "activity_date", false, 32);
    rep->title = jv_str(&v, "title", false, 4 * WORK_TITLE_MAX);
    rep->summary = jv_str(&v, "summary", false, 4 * WORK_SUMMARY_MAX);
    rep->place = jv_str(&v, "place", false, 4 * WORK_PLACE_MAX);
    json_t *links = jv_str_array(&v, "links", false, WORK_MAX_LINKS, WORK_LINK_MAX);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);

    *unit_given = 0;
    json_t *u = json_object_get(r->json, "unit");
    if (u && !json_is_null(u)) {
        if (json_is_integer(u)) {
            struct unit found;
            enum err ue = unit_get(r->db, (long long)json_integer_value(u), &found);
            if (ue == ERR_NOT_FOUND)
                return req_fail(r, ERR_RULE, "unit", "单位不存在：%lld",
                                (long long)json_integer_value(u));
            if (ue != OK) return req_fail_err(r, ue);
            *unit_given = found.id;
        } else if (json_is_string(u)) {
            *unit_given = unit_find(r->db, json_string_value(u));
            if (!*unit_given)
                return req_fail(r, ERR_RULE, "unit", "单位不存在：%.64s", json_string_value(u));
        } else {
            return req_fail(r, ERR_BAD_REQUEST, "unit",
                            "字段 unit 应为单位编号、行政区划代码或单位简称");
        }
    }

    json_t *tasks = json_object_get(r->json, "tasks");
    if (tasks && !json_is_null(tasks)) {
        if (!json_is_array(tasks))
            return req_fail(r, ERR_BAD_REQUEST, "tasks", "字段 tasks 应为任务编号数组");
        if (json_array_size(tasks) > WORK_MAX_TASKS)
            return req_fail(r, ERR_RULE, "tasks", "一份报送最多服务 %d 项任务", WORK_MAX_TASKS);
        size_t i;
        json_t *t;
        json_array_foreach(tasks, i, t)
        {
            if (!json_is_integer(t))
                return req_fail(r, ERR_BAD_REQUEST, "tasks", "任务编号应为整数");
            rep->tasks[rep->ntasks++] = json_integer_value(t);
        }
    }
    json_t *metrics = json_object_get(r->json, "metrics");
    if (metrics && !json_is_null(metrics)) {
        if (!json_is_object(metrics))
            return req_fail(r, ERR_BAD_REQUEST, "metrics",
                            "字段 metrics 应为对象：{\"指标名\": 整数}");
        if (json_object_size(metrics) > WORK_MAX_METRICS)
            return req_fail(r, ERR_RULE, "metrics", "指标最多 %d 项", WORK_MAX_METRICS);
        const char *name;
        json_t *val;
        json_object_foreach(metrics, name, val)
        {
            if (strlen(name) == 0 || strlen(name) > 64)
                return req_fail(r, ERR_RULE, "metrics", "指标名应为 1 到 64 个字符");
            if (!json_is_integer(val))
                return req_fail(r, ERR_BAD_REQUEST, arena_printf(r->a, "metrics.%s", name),
                                "指标 %s 应为整数", name);
            rep->metrics[rep->nmetrics++] = (struct work_metric){name, json_integer_value(val)};
        }
    }
    size_t i;
    json_t *l;
    json_array_foreach(links, i, l) rep->links[rep->nlinks++] = json_string_value(l);
    return OK;
}

/* Whether the caller reviews this report as a reviewer: the office any; a unit_admin its child
 * units' reports (why says otherwise). The four-eyes rule is work_may_review's. */
static bool reviewer_for(struct req *r, const struct work_row_state *s, const char **why)
{
    if (office(r)) return true;
    if (s->parent_unit_id && s->parent_unit_id == r->who->unit_id) return true;
    *why = s->unit_id == r->who->unit_id ? "本单位的报送由联席会议办公室审核"
                                         : "单位管理员只能审核下属单位的报送";
    return false;
}

static void add_action(json_t *a, const char *name, const char *label)
{
    json_array_append_new(a, json_pack("{s:s,s:s}", "name", name, "label", label));
}

/* What the caller may do with the report now, by the rules the write routes apply: edit and
 * evidence (may write for its unit, not accepted), review (a reviewer for it, submitted, and
 * the four-eyes rule allows). NULL on a storage error. */
static json_t *report_actions(struct req *r, const struct work_row_state *s)
{
    json_t *a = json_array();
    const char *why;
    if (strcmp(s->status, "accepted") != 0 &&
        principal_may_for_unit(r->db, r->who, PERM_REPORT_WRITE, s->unit_id)) {
        add_action(a, "edit", "修改");
        add_action(a, "evidence", "增删佐证材料");
    }
    bool may = false;
    if (strcmp(s->status, "submitted") == 0 &&
        principal_may_for_unit(r->db, r->who, PERM_REPORT_REVIEW, s->unit_id) &&
        reviewer_for(r, s, &why)) {
        if (work_may_review(r->db, s->id, r->who->user_id, &may) != OK) {
            json_decref(a);
            return NULL;
        }
        if (may) add_action(a, "review", "审核");
    }
    return a;
}

static enum err reply_report(struct req *r, int status, long long id)
{
    struct work_row_state s;
    enum err e = work_store_state(r->db, id, &s);
    if (e != OK) return req_fail_err(r, e);
    json_t *a = report_actions(r, &s);
    json_t *o = a ? work_store_report_json(r->db, id, true) : NULL;
    if (!o) {
        json_decref(a);
        return req_store_fail(r);
    }
    json_object_set_new(o, "actions", a);
    return reply_json(r, status, o);
}

/* ---- file, read, correct ---- */

static enum err create_report(struct req *r)
{
    struct work_report rep;
    const char *plan;
    long long unit;
    enum err e = parse_report(r, &rep, &plan, &unit);
    if (e != OK) return e;
    rep.unit_id = unit ? unit : r->who->unit_id;
    if (!req_may_act_for_unit(r, rep.unit_id))
        return req_fail(r, ERR_FORBIDDEN, "unit", "只能为本单位及下属单位报送");
    struct work_actor by = actor(r);
    struct work_problems pr;
    long long id;
    e = work_file(r->db, &rep, plan, "api", NULL, &by, r->now, &id, &pr);
    if (e == ERR_RULE && pr.n) return req_fail_problem(r, &pr.items[0]);
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "report:%lld", id);
    return reply_report(r, 201, id);
}

static enum err get_report(struct req *r)
{
    struct work_row_state s;
    enum err e = load_report(r, &s);
    return e != OK ? e : reply_report(r, 200, s.id);
}

static enum err update_report(struct req *r)
{
    struct work_row_state s;
    enum err e = load_editable(r, &s);
    if (e != OK) return e;
    struct work_report rep;
    const char *plan;
    long long unit;
    if ((e = parse_report(r, &rep, &plan, &unit)) != OK) return e;
    rep.unit_id = unit;
    struct work_actor by = actor(r);
    struct work_problems pr;
    e = work_correct(r->db, &s, &rep, plan, &by, r->now, &pr);
    if (e == ERR_RULE && pr.n) return req_fail_problem(r, &pr.items[0]);
    if (e == ERR_CONFLICT)
        return req_fail(r, ERR_CONFLICT, NULL, "该报送刚刚已通过审核，不能再修改");
    if (e != OK) return req_fail_err(r, e);
    return reply_report(r, 200, s.id);
}

/* ---- review ---- */

/* One review by the caller: found, within reach, a reviewer for it, the decision well formed,
 * still submitted, and the four-eyes rule (work_store_review). The single route and the batch
 * route both call it; errors go through req_fail. */
static enum err review_one(struct req *r, long long id, const char *decision, const char *reason)
{
    struct work_row_state s;
    enum err e = work_store_state(r->db, id, &s);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "id", "报送不存在");
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "report:%lld", id);
    if (!req_may_act_for_unit(r, s.unit_id)) return req_deny(r, "id", "报送不存在");
    const char *why;
    if (!reviewer_for(r, &s, &why)) return req_fail(r, ERR_FORBIDDEN, "id", "%s", why);
    bool accept = decision && strcmp(decision, "accept") == 0;
    if (!accept && (!decision || strcmp(decision, "return") != 0))
        return req_fail(r, ERR_RULE, "decision", "decision 应为 accept（通过）或 return（退回）");
    if (!accept && (!reason || !*reason))
        return req_fail(r, ERR_RULE, "reason", "退回时须填写退回理由，说明需要如何修改");
    if (reason && utf8_chars(reason) > WORK_REASON_MAX)
        return req_fail(r, ERR_RULE, "reason", "理由最多 %d 字", WORK_REASON_MAX);
    if (strcmp(s.status, "submitted") != 0)
        return req_fail(r, ERR_CONFLICT, NULL, "该报送%s，不在待审核状态",
                        strcmp(s.status, "accepted") == 0 ? "已通过审核"
                                                          : "已退回，待填报单位修改后重新提交");
    struct work_actor by = actor(r);
    e = work_store_review(r->db, id, accept, reason, &by, r->now);
    if (e == ERR_CONFLICT) return req_fail(r, ERR_CONFLICT, NULL, "该报送已被他人审核");
    if (e == ERR_FORBIDDEN)
        return req_fail(r, ERR_FORBIDDEN, "id", "四眼原则：您填报或修改过这份报送，须由他人审核");
    return e != OK ? req_fail_err(r, e) : OK;
}

static enum err review_report(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    struct work_row_state s;
    enum err e = work_store_state(r->db, id, &s);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "id", "报送不存在");
    if (e != OK) return req_fail_err(r, e);
    if (!req_may_act_for_unit(r, s.unit_id)) return req_deny(r, "id", "报送不存在");
    static const char *const allowed[] = {"decision", "reason", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *decision = jv_str(&v, "decision", true, 16);
    const char *reason = jv_str(&v, "reason", false, 4 * WORK_REASON_MAX);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    if ((e = review_one(r, id, decision, reason)) != OK) return e;
    return reply_report(r, 200, id);
}

/* POST /reports/review-batch {"ids":[…], "decision", "reason"?}: review_one per report, each in
 * a transaction of its own (req_batch_run), so a refusal undoes nothing else. */
struct review_batch {
    const char *decision, *reason;
};

static enum err review_batch_item(struct req *r, long long id, void *ctx)
{
    const struct review_batch *b = ctx;
    return review_one(r, id, b->decision, b->reason);
}

static enum err review_batch(struct req *r)
{
    static const char *const allowed[] = {"ids", "decision", "reason", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    static const char *const ds[] = {"accept", "通过", "return", "退回", NULL};
    int i = jv_choice(&v, "decision", true, ds);
    struct review_batch b = {.reason = jv_str(&v, "reason", false, 4 * WORK_REASON_MAX)};
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    b.decision = ds[2 * i];
    bool accept = i == 0;
    if (!accept && (!b.reason || !*b.reason))
        return req_fail(r, ERR_RULE, "reason", "退回时须填写退回理由，说明需要如何修改");
    if (b.reason && utf8_chars(b.reason) > WORK_REASON_MAX)
        return req_fail(r, ERR_RULE, "reason", "理由最多 %d 字", WORK_REASON_MAX);
    long long *ids;
    size_t n;
    enum err e = req_batch_ids(r, json_object_get(r->json, "ids"), &ids, &n);
    if (e != OK) return e;
    return req_batch_run(r, ids, n, "report.review", review_batch_item, &b);
}

/* ---- lists ---- */

/* A day "YYYY-MM-DD" of query parameter name as the unix second its Shanghai day begins (end:
 * the next day's); 0 when absent. */
static enum err read_day(struct req *r, const char *name, bool end, long long *out)
{
    *out = 0;
    const char *s = req_query(r, name);
    int day;
    if (!s) return OK;
    if (!date_parse(s, &day)) return req_fail(r, ERR_RULE, name, "%s 应为日期 YYYY-MM-DD", name);
    *out = (long long)(day + (end ? 1 : 0)) * 86400 - 8LL * 3600;
    return OK;
}

/* q, sort, period and the submitted dates: the review queue's search and order. */
static enum err read_search(struct req *r, struct work_filter *f)
{
    f->search = req_query(r, "q");
    if (f->search && !*f->search) f->search = NULL;
    if (f->search && strlen(f->search) > WORK_SEARCH_MAX)
        return req_fail(r, ERR_RULE, "q", "搜索词过长（最多 %d 字节，约 %d 个汉字）",
                        WORK_SEARCH_MAX, WORK_SEARCH_MAX / 3);
    const char *sort = req_query(r, "sort");
    if (sort && !work_sort_parse(sort, &f->sort))
        return req_fail(r, ERR_RULE, "sort",
                        "sort 应为 newest（最新在前）、oldest（最早在前）、unit（按单位）或 "
                        "activity_date（按活动日期）");
    const char *period = req_query(r, "period");
    if (period) {
        int from, to;
        if (!work_period_range(period, &from, &to))
            return req_fail(r, ERR_RULE, "period",
                            "period 应为年份 2025、季度 2025Q1、半年 2025H1 或月份 2025-03");
        char *a = arena_alloc(r->a, 11), *b = arena_alloc(r->a, 11);
        date_format(from, a);
        date_format(to, b);
        if (!f->from || strcmp(a, f->from) > 0) f->from = a;
        if (!f->to || strcmp(b, f->to) < 0) f->to = b;
    }
    enum err e = read_day(r, "submitted_from", false, &f->sub_from);
    if (e == OK) e = read_day(r, "submitted_to", true, &f->sub_to);
    return e;
}

/* Reads the list filters shared by the list, the review queue and the export. */
static enum err read_filter(struct req *r, struct work_filter *f)
{
    memset(f, 0, sizeof *f);
    const char *unit = req_query(r, "unit");
    if (unit) {
        f->unit = unit_find(r->db, unit);
        if (!f->unit) return req_fail(r, ERR_RULE, "unit", "单位不存在：%.64s", unit);
        if (!req_may_act_for_unit(r, f->unit))
            return req_fail(r, ERR_FORBIDDEN, "unit", "只能查看本单位及下属单位的报送");
    }
    if (req_unit_scoped(r)) f->scope_unit = r->who->unit_id;
    f->kind = req_query(r, "kind");
    if (f->kind && strlen(f->kind) > 64) return req_fail(r, ERR_RULE, "kind", "未知活动类型");
    enum err e = req_query_int(r, "task", 1, 100000, 0, &f->task);
    if (e != OK) return e;
    int day;
    f->from = req_query(r, "from");
    if (f->from && !date_parse(f->from, &day))
        return req_fail(r, ERR_RULE, "from", "from 应为日期 YYYY-MM-DD");
    f->to = req_query(r, "to");
    if (f->to && !date_parse(f->to, &day))
        return req_fail(r, ERR_RULE, "to", "to 应为日期 YYYY-MM-DD");
    f->status = req_query(r, "status");
    if (f->status && !work_status_valid(f->status))
        return req_fail(r, ERR_RULE, "status", "status 应为 submitted、accepted 或 returned");
    f->plan = req_query(r, "plan");
    if (f->plan && strlen(f->plan) > 64) return req_fail(r, ERR_RULE, "plan", "方案代码过长");
    return read_search(r, f);
}

struct page {
    struct req *r;
    struct jw *w;
    json_t *kinds;
    struct work_units *units;
    long long n, last;
};

static bool write_item(void *ctx, const struct work_list_row *row)
{
    struct page *p = ctx;
    struct jw *w = p->w;
    p->n++;
    p->last = row->id;
    const struct work_unit_label *u = work_unit_label(&p->units, p->r->db, row->unit_id);
    jw_obj(w);
    jw_kint(w, "id", row->id);
    jw_kstr(w, "plan", row->plan);
    jw_key(w, "unit");
    jw_obj(w);
    jw_kint(w, "id", row->unit_id);
    jw_kstr(w, "key", u ? u->key : NULL);
    jw_kstr(w, "code", u ? u->code : NULL);
    jw_kstr(w, "name", u ? u->name : NULL);
    jw_obj_end(w);
    jw_kid(w, "parent_unit_id", row->parent_unit_id);
    jw_kstr(w, "kind", row->kind);
    jw_kstr(w, "kind_name",
            json_string_value(json_object_get(json_object_get(p->kinds, row->kind), "name")));
    jw_kstr(w, "activity_date", row->activity_date);
    jw_kstr(w, "title", row->title);
    jw_kstr(w, "place", row->place);
    jw_key(w, "tasks");
    jw_raw(w, row->tasks);
    jw_key(w, "metrics");
    jw_raw(w, row->metrics);
    jw_kstr(w, "status", row->status);
    jw_kstr(w, "status_label", work_status_label(row->status));
    jw_kstr(w, "accepted_date", row->accepted_date);
    jw_kstr(w, "created_by_name", row->created_by_name);
    jw_kint(w, "evidence_count", row->evidence_count);
    jw_kint(w, "created_at", row->created_at);
    jw_kint(w, "updated_at", row->updated_at);
    jw_obj_end(w);
    return true;
}

static enum err reply_list(struct req *r, struct work_filter *f)
{
    long long limit, after;
    enum err e = req_page(r, &limit, &after);
    if (e != OK) return e;
    struct jw w;
    jw_init(&w);
    jw_page_begin(&w);
    struct page p = {.r = r, .w = &w, .kinds = plan_kinds(r->db)};
    long long total = 0;
    e = work_store_each(r->db, f, after, limit, write_item, &p);
    if (e == OK) e = work_store_count(r->db, f, &total);
    json_decref(p.kinds);
    work_units_free(p.units);
    if (e != OK) {
        jw_free(&w);
        return req_fail_err(r, e);
    }
    /* offset sorts: the cursor is the offset of the next page */
    long long last = work_sort_offset(f->sort) ? after + p.n : p.last;
    return reply_jw_page_total(r, &w, limit, p.n, last, total);
}

static enum err list_reports(struct req *r)
{
    struct work_filter f;
    enum err e = read_filter(r, &f);
    return e != OK ? e : reply_list(r, &f);
}

static enum err review_queue(struct req *r)
{
    struct work_filter f;
    enum err e = read_filter(r, &f);
    if (e != OK) return e;
    f.status = "submitted"; /* newest first unless sort says otherwise */
    if (!office(r))
        f.reviewer_parent = r->who->unit_id; /* a unit_admin: its child units' reports */
    return reply_list(r, &f);
}

/* ---- printing (issue 19 §8) ---- */

static enum err report_document(struct req *r, bool pdf)
{
    struct work_row_state s;
    enum err e = load_report(r, &s);
    if (e != OK) return e;
    struct gbdoc d;
    if ((e = work_report_doc(r->db, s.id, r->now, &d)) != OK) return req_fail_err(r, e);
    char name[96];
    snprintf(name, sizeof name, "台账_%lld.pdf", s.id);
    e = req_reply_gbdoc(r, &d, pdf, name);
    gbdoc_free(&d);
    return e;
}

static enum err report_pdf(struct req *r)
{
    return report_document(r, true);
}

static enum err report_html(struct req *r)
{
    return report_document(r, false);
}

/* ---- evidence ---- */

static const char *evidence_name(struct req *r)
{
    const char *name = req_param(r, "name");
    return filetype_name_valid(name) ? name : NULL;
}

static enum err put_evidence(struct req *r)
{
    struct work_row_state s;
    enum err e = load_editable(r, &s);
    if (e != OK) return e;
    const char *name = evidence_name(r);
    if (r->body_len > r->app->opts.max_upload_body)
        return req_fail(r, ERR_TOO_LARGE, NULL, "文件过大（最多 %zu 字节）",
                        r->app->opts.max_upload_body);
    const char *declared;
    if ((e = upload_check(r, name, &declared)) != OK) return e;
    long long count;
    if ((e = work_store_evidence_count(r->db, s.id, &count)) != OK) return req_fail_err(r, e);
    struct work_actor by = actor(r);
    bool created;
    char hash[65];
    e = work_store_evidence_put(r->db, s.id, name, declared, r->body, r->body_len, &by, r->now,
                                &created, hash);
    if (e == ERR_CONFLICT)
        return req_fail(r, ERR_CONFLICT, NULL, "该报送刚刚已通过审核，不能再增删佐证材料");
    if (e != OK) return req_fail_err(r, e);
    if (created &&
        count >= WORK_EVIDENCE_PER_REPORT) /* replacing a name is allowed; the error rolls back */
        return req_fail(r, ERR_RULE, "name", "每份报送最多 %d 个佐证材料",
                        WORK_EVIDENCE_PER_REPORT);
    r->audit_object = arena_printf(r->a, "report:%lld/evidence/%s", s.id, name);
    return upload_answer(r, name, declared, hash, created);
}

static enum err get_evidence(struct req *r)
{
    struct work_row_state s;
    enum err e = load_report(r, &s);
    if (e != OK) return e;
    const char *name = evidence_name(r);
    const void *data;
    size_t len;
    const char *type;
    e = name ? work_store_evidence_get(r->db, s.id, name, upload_arena_alloc, r->a, &data, &len,
                                       &type)
             : ERR_NOT_FOUND;
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "name", "佐证材料不存在");
    if (e != OK) return req_fail_err(r, e);
    return upload_download(r, name, type, data, len);
}

static enum err delete_evidence(struct req *r)
{
    struct work_row_state s;
    enum err e = load_editable(r, &s);
    if (e != OK) return e;
    const char *name = evidence_name(r);
    struct work_actor by = actor(r);
    e = name ? work_store_evidence_delete(r->db, s.id, name, &by, r->now) : ERR_NOT_FOUND;
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "name", "佐证材料不存在");
    if (e == ERR_CONFLICT)
        return req_fail(r, ERR_CONFLICT, NULL, "该报送刚刚已通过审核，不能再增删佐证材料");
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "report:%lld/evidence/%s", s.id, name);
    return reply_json(r, 200, json_pack("{s:b,s:s}", "deleted", 1, "name", name));
}

/* ---- import ---- */

struct resolver {
    struct req *r;
    struct {
        char ref[64];
        long long id, parent;
        char why[320];
    } cache[256];
    size_t n;
};

static long long resolve_unit(void *ctx, const char *ref, char *why, size_t whylen)
{
    struct resolver *rs = ctx;
    for (size_t i = 0; i < rs->n; i++)
        if (strcmp(rs->cache[i].ref, ref) == 0) {
            snprintf(why, whylen, "%s", rs->cache[i].why);
            return rs->cache[i].id;
        }
    long long id = strlen(ref) < 64 ? unit_find(rs->r->db, ref) : 0, parent = 0;
    char w[320] = "";
    if (!id)
        snprintf(w, sizeof w, "单位不存在：%s（填写行政区划代码或单位简称）", TABLE_QUOTE(ref));
    else if (!req_may_act_for_unit(rs->r, id))
        snprintf(w, sizeof w, "无权为该单位报送：%s（只能为本单位及下属单位报送）",
                 TABLE_QUOTE(ref)),
            id = 0;
    else if (!work_unit_can_report(rs->r->db, id, &parent, w, sizeof w))
        id = 0;
    if (rs->n < sizeof rs->cache / sizeof *rs->cache && strlen(ref) < sizeof rs->cache[0].ref) {
        snprintf(rs->cache[rs->n].ref, sizeof rs->cache[0].ref, "%s", ref);
        rs->cache[rs->n].id = id;
        rs->cache[rs->n].parent = parent;
        snprintf(rs->cache[rs->n].why, sizeof rs->cache[0].why, "%s", w);
        rs->n++;
    }
    snprintf(why, whylen, "%s", w);
    return id;
}

static enum err import_reports(struct req *r)
{
    bool dry_run = req_dry_run(r);
    const char *plan = req_query(r, "plan");
    struct table t;
    bool zip;
    enum err e = req_read_table(r, WORK_IMPORT_MAX_BYTES, WORK_IMPORT_MAX_ROWS + 1, &t, &zip);
    if (e != OK) return e;

    struct cat k;
    struct work_import im = {0};
    struct resolver *rs = calloc(1, sizeof *rs);
    if (!rs) {
        table_free(&t);
        return ERR_INTERNAL;
    }
    rs->r = r;
    if ((e = load_catalog(r, plan ? plan : WORK_DEFAULT_PLAN, "plan", &k)) != OK) goto out;
    e = work_import_rows(&t, &k.c, resolve_unit, rs, &im);
    if (e == ERR_INTERNAL) goto out;
    if (e == ERR_RULE) {
        /* every error, nothing imported: 422 with the list (the transaction keeps only the audit
         * row) */
        r->audit_detail = arena_printf(r->a, "rejected: %zu error(s)", im.errors.total);
        e = reply_row_errors(
            r, &im.errors,
            arena_printf(r->a,
                         "导入文件有 %zu 处错误，未导入任何记录：请按行号和列名修改后重新导入",
                         im.errors.total));
        goto out;
    }
    if (dry_run) {
        r->audit_detail = arena_printf(r->a, "dry run: %zu row(s) valid", im.nreports);
        e = reply_json(
            r, 200,
            json_pack("{s:b,s:I,s:[]}", "dry_run", 1, "count", (json_int_t)im.nreports, "errors"));
        goto out;
    }
    struct work_actor by = actor(r);
    long long *filed = calloc(im.nreports ? im.nreports : 1, sizeof *filed);
    if (!filed) {
        e = ERR_INTERNAL;
        goto out;
    }
    struct work_problems pr;
    size_t bad;
    e = work_file_all(r->db, im.reports, im.nreports, k.plan.code, "import", &by, r->now, filed,
                      &bad, &pr);
    if (e == ERR_RULE && pr.n) {
        e = req_fail(r, ERR_RULE, pr.items[0].field, "第 %d 行：%s", im.row_no[bad],
                     pr.items[0].msg);
        free(filed);
        goto out;
    }
    if (e != OK) {
        free(filed);
        e = req_fail_err(r, e);
        goto out;
    }
    json_t *ids = json_array();
    for (size_t i = 0; i < im.nreports; i++)
        json_array_append_new(ids, json_integer(filed[i]));
    free(filed);
    r->audit_object = arena_printf(r->a, "reports:import");
    r->audit_detail =
        arena_printf(r->a, "%zu report(s) imported from %s", im.nreports, zip ? "xlsx" : "csv");
    e = reply_json(
        r, 201,
        json_pack("{s:b,s:I,s:o}", "dry_run", 0, "count", (json_int_t)im.nreports, "ids", ids));
out:
    work_import_free(&im);
    done_catalog(&k);
    table_free(&t);
    free(rs);
    return e;
}

/* ---- export ---- */

static enum err export_reports(struct req *r)
{
    struct work_filter f;
    enum err e = read_filter(r, &f);
    if (e != OK) return e;
    json_t *kinds = plan_kinds(r->db);
    void *data;
    size_t len;
    char why[320] = "";
    e = work_export_xlsx(r->db, &f, kinds, &data, &len, why, sizeof why);
    json_decref(kinds);
    if (e == ERR_RULE) return req_fail(r, e, NULL, "%s", why);
    if (e != OK) {
        if (why[0]) return req_fail(r, ERR_INTERNAL, NULL, "%s", why);
        return req_fail_err(r, e);
    }
    void *copy = arena_alloc(r->a, len);
    memcpy(copy, data, len);
    free(data);
    return reply_export(r, TABLE_XLSX_TYPE, copy, len, "工作台账", "reports", "xlsx");
}

static enum err import_template(struct req *r)
{
    struct unit u;
    const char *unit = "500103";
    if (req_unit_scoped(r) && unit_get(r->db, r->who->unit_id, &u) == OK)
        unit = arena_strdup(r->a, u.code[0] ? u.code : u.key);
    void *data;
    size_t len;
    enum err e = work_import_template(unit, r->a, &data, &len);
    if (e != OK) return req_fail(r, e, NULL, "生成 Excel 文件失败");
    return reply_export(r, TABLE_XLSX_TYPE, data, len, "台账导入模板", "reports-import-template",
                        "xlsx");
}

const struct route work_routes[] = {
    {M_GET, "/api/v1/reports", PERM_REPORT_READ, BODY_NONE, NULL, list_reports, 0},
    {M_POST, "/api/v1/reports", PERM_REPORT_WRITE, BODY_JSON, "report.create", create_report, 0},
    {M_GET, "/api/v1/reports/review-queue", PERM_REPORT_REVIEW, BODY_NONE, NULL, review_queue, 0},
    {M_POST, "/api/v1/reports/review-batch", PERM_REPORT_REVIEW, BODY_JSON, "report.review",
     review_batch, ROUTE_NO_TX},
    {M_GET, "/api/v1/reports/export.xlsx", PERM_REPORT_READ, BODY_NONE, NULL, export_reports, 0},
    {M_GET, "/api/v1/reports/import-template.xlsx", PERM_REPORT_WRITE, BODY_NONE, NULL,
     import_template, 0},
    {M_POST, "/api/v1/reports/import", PERM_REPORT_WRITE, BODY_RAW, "report.import", import_reports,
     0},
    {M_GET, "/api/v1/reports/{id}", PERM_REPORT_READ, BODY_NONE, NULL, get_report, ROUTE_OWN_UNIT},
    {M_PUT, "/api/v1/reports/{id}", PERM_REPORT_WRITE, BODY_JSON, "report.update", update_report,
     ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/reports/{id}/review", PERM_REPORT_REVIEW, BODY_JSON, "report.review",
     review_report, ROUTE_OWN_UNIT},
    {M_GET, "/api/v1/reports/{id}/document.pdf", PERM_REPORT_READ, BODY_NONE, NULL, report_pdf,
     ROUTE_OWN_UNIT},
    {M_GET, "/api/v1/reports/{id}/document.html", PERM_REPORT_READ, BODY_NONE, NULL, report_html,
     ROUTE_OWN_UNIT},
    {M_GET, "/api/v1/reports/{id}/evidence/{name}", PERM_REPORT_READ, BODY_NONE, NULL, get_evidence,
     ROUTE_OWN_UNIT},
    {M_PUT, "/api/v1/reports/{id}/evidence/{name}", PERM_REPORT_WRITE, BODY_RAW,
     "report.evidence.put", put_evidence, ROUTE_OWN_UNIT},
    {M_DELETE, "/api/v1/reports/{id}/evidence/{name}", PERM_REPORT_WRITE, BODY_NONE,
     "report.evidence.delete", delete_evidence, ROUTE_OWN_UNIT},
    {0},
};
