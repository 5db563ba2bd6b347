/* api_filing.c - what a report about to be filed will count toward, before it is filed:
 *   GET /api/v1/units/{id}/filing-check?activity_date=&kind=&tasks=&plan=
 * For the unit's duties the report would count for (comply_obl_counts: its kind, and for
 * progress reports its tasks), the period holding the activity date, its deadline (end plus
 * the grace days) and whether it is already closed today (comply_closed): a report accepted
 * after the deadline counts only as made up late (补报). The report form warns with it, so the
 * console keeps no copy of the rule. */
#include "http/route.h"
#include "http/server.h"
#include "base/date.h"
#include "comply/comply.h"
#include "org/units.h"
#include "plan/plan.h"
#include "work/work.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct filing {
    struct jw *w;
    const char *kind;
    long long tasks[WORK_MAX_TASKS];
    size_t ntasks;
    int today;
    bool late;
};

static void write_day(struct jw *w, const char *key, int day)
{
    char d[11];
    date_format(day, d);
    jw_kstr(w, key, d);
}

static bool filing_cell(void *ctx, const struct comply_cell *c)
{
    struct filing *f = ctx;
    if (!comply_obl_counts(c->o, f->kind, f->tasks, f->ntasks)) return true;
    bool assessed = comply_assessed(c->p);
    bool closed = comply_closed(c->p, c->o->rule.grace_days, f->today);
    f->late |= assessed && closed;
    struct jw *w = f->w;
    jw_obj(w);
    jw_key(w, "obligation");
    jw_obj(w);
    jw_kstr(w, "key", c->o->key);
    jw_kint(w, "task", c->o->task);
    jw_kstr(w, "title", c->o->title);
    jw_obj_end(w);
    jw_key(w, "period");
    jw_obj(w);
    write_day(w, "start", c->p->start);
    write_day(w, "end", c->p->end);
    jw_kstr(w, "label", c->label);
    jw_obj_end(w);
    write_day(w, "deadline", c->p->end + c->o->rule.grace_days);
    jw_kbool(w, "assessed", assessed);
    jw_kbool(w, "closed", closed);
    jw_obj_end(w);
    return true;
}

/* tasks=1,2,3: at most WORK_MAX_TASKS task numbers. */
static enum err read_tasks(struct req *r, struct filing *f)
{
    const char *s = req_query(r, "tasks");
    if (!s || !*s) return OK;
    if (strlen(s) > 200) return req_fail(r, ERR_RULE, "tasks", "tasks 过长");
    while (*s) {
        char *end;
        long long t = strtoll(s, &end, 10);
        if (end == s || t < 1 || t > 100000 || (*end && *end != ','))
            return req_fail(r, ERR_RULE, "tasks", "tasks 应为以逗号分隔的任务编号，如 17,18");
        if (f->ntasks == WORK_MAX_TASKS)
            return req_fail(r, ERR_RULE, "tasks", "一份报送最多服务 %d 项任务", WORK_MAX_TASKS);
        f->tasks[f->ntasks++] = t;
        s = *end ? end + 1 : end;
    }
    return OK;
}

static enum err filing_check(struct req *r)
{
    long long unit = unit_find(r->db, req_param(r, "id"));
    if (!unit)
        return store_err(r->db) ? req_store_fail(r)
                                : req_fail(r, ERR_NOT_FOUND, "id", "单位不存在");
    if (!req_may_act_for_unit(r, unit)) return req_fail(r, ERR_FORBIDDEN, "id", "只能为本单位填报");
    const char *date = req_query(r, "activity_date"), *plan = req_query(r, "plan");
    int day;
    if (!date || !date_parse(date, &day))
        return req_fail(r, ERR_RULE, "activity_date", "activity_date 应为日期 YYYY-MM-DD");
    struct filing f = {.kind = req_query(r, "kind"), .today = date_today_shanghai(r->now)};
    if (!f.kind || !*f.kind || strlen(f.kind) > 64)
        return req_fail(r, ERR_RULE, "kind", "请指明活动类型 kind");
    enum err e = read_tasks(r, &f);
    if (e != OK) return e;
    if (!plan) plan = WORK_DEFAULT_PLAN;
    if (strlen(plan) > 64) return req_fail(r, ERR_RULE, "plan", "方案代码过长");
    struct jw w;
    jw_init(&w);
    f.w = &w;
    jw_obj(&w);
    jw_kstr(&w, "activity_date", date);
    write_day(&w, "today", f.today);
    jw_key(&w, "items");
    jw_arr(&w);
    struct comply_query q = {
        .plan = plan, .version = PLAN_V_DEFAULT, .as_of = f.today, .unit = unit, .period = date};
    struct comply_info info;
    const char *field;
    char why[256];
    /* a day after today or outside the plan holds no period of the plan: nothing to warn of */
    if (day <= f.today)
        e = comply_run(comply_engine(), r->db, r->a, &q, filing_cell, &f, &info, &field, why,
                       sizeof why);
    if (e == OK) {
        jw_arr_end(&w);
        jw_kbool(&w, "late", f.late);
        jw_obj_end(&w);
        return reply_jw(r, 200, &w);
    }
    jw_free(&w);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "plan", "方案不存在：%.64s", plan);
    if (e == ERR_RULE) return req_fail(r, ERR_RULE, field, "%s", why);
    return store_err(r->db) ? req_store_fail(r) : e;
}

const struct route comply_filing_routes[] = {
    {M_GET, "/api/v1/units/{id}/filing-check", PERM_REPORT_WRITE, BODY_NONE, NULL, filing_check,
     ROUTE_OWN_UNIT},
    {0},
};
