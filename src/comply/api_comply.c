/* api_comply.c - routes of the compliance engine (issue 3 §3):
 *   GET  /api/v1/plans/{code}/compliance          the matrix: obligation × unit(s) × period
 *   GET  /api/v1/plans/{code}/compliance/summary  lights per unit, per action, units × actions,
 *                                                 and each unit's score
 *   GET  /api/v1/units/{id}/obligations-due       what a unit owes in the next 90 days
 *   GET/POST /api/v1/calendar-feeds, DELETE /api/v1/calendar-feeds/{id}
 *   GET  /api/v1/calendar/{token}.ics             the same 90 days as a calendar (public: the
 *                                                 token is the credential)
 * Unit-scoped roles (unit_admin, unit_reporter) see their own unit's rows only; a filter
 * naming a unit they may not act for is a 403. Big answers are written with jw. */
#include "http/route.h"
#include "http/server.h"
#include "base/date.h"
#include "base/jv.h"
#include "base/sheet.h"
#include "base/table.h"
#include "comply/comply.h"
#include "org/session.h"
#include "org/units.h"
#include "plan/plan.h"
#include "work/work.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCORE_RULE                                                                                                                        \
    "已结束的周期（截止日加15天宽限期已过）中，按时完成计1，补报计0.5，未完成计0；得分 = 合计 ÷ " \
    "已结束周期数 × 100"
/* What the score is, beside the evaluation's 年度总分, which officials took it for. */
#define SCORE_LABEL "履职得分"
#define SCORE_NOTE                                                                                                                               \
    "履职得分只看工作义务按周期的完成情况，统计截至统计日期的全部已结束周期，随台账审核实时变化；" \
    "它不是年度考评的年度总分（年度总分按年度计算，另计督办反馈及时性和第三方评估）。"
#define CITY_WIDE_NOTE                                                                             \
    "设施登记前按全市计：由市生态环境局代表全市，全市各单位报送并通过审核的设施开放活动均计入"

/* ---- query parameters ---- */

static enum err read_as_of(struct req *r, int *as_of)
{
    const char *s = req_query(r, "as_of");
    *as_of = date_today_shanghai(r->now);
    if (s && !date_parse(s, as_of))
        return req_fail(r, ERR_RULE, "as_of", "as_of 应为日期 YYYY-MM-DD（如 2023-10-20）");
    return OK;
}

static enum err read_version(struct req *r, int *version)
{
    const char *s = req_query(r, "version");
    *version = PLAN_V_DEFAULT;
    if (!s) return OK;
    if (strcmp(s, "draft") == 0) {
        *version = PLAN_V_DRAFT;
        return OK;
    }
    long long v;
    enum err e = req_query_int(r, "version", 1, 100000, 0, &v);
    *version = (int)v;
    return e;
}

/* The filters shared by the matrix and its summary; unit-scoped callers are held to their
 * unit. */
static enum err read_query(struct req *r, struct comply_query *q)
{
    memset(q, 0, sizeof *q);
    q->plan = req_param(r, "code");
    enum err e = read_as_of(r, &q->as_of);
    if (e == OK) e = read_version(r, &q->version);
    if (e != OK) return e;
    const char *unit = req_query(r, "unit");
    if (unit) {
        q->unit = unit_find(r->db, unit);
        if (!q->unit) return req_fail(r, ERR_RULE, "unit", "单位不存在：%.64s", unit);
        if (!req_may_act_for_unit(r, q->unit))
            return req_fail(r, ERR_FORBIDDEN, "unit", "只能查看本单位的履职情况");
    } else if (req_unit_scoped(r)) {
        q->unit = r->who->unit_id;
    }
    if ((e = req_query_int(r, "task", 1, 100000, 0, &q->task)) != OK ||
        (e = req_query_int(r, "action", 1, 999, 0, &q->action)) != OK)
        return e;
    q->obligation = req_query(r, "obligation");
    if (q->obligation && (strlen(q->obligation) > 64 || !*q->obligation))
        return req_fail(r, ERR_RULE, "obligation", "义务编码无效");
    const char *light = req_query(r, "light");
    for (const char *s = light; s && *s;) {
        size_t n = strcspn(s, ",");
        if (n == 5 && strncmp(s, "green", 5) == 0)
            q->lights |= COMPLY_LIGHT_BIT(LIGHT_GREEN);
        else if (n == 6 && strncmp(s, "yellow", 6) == 0)
            q->lights |= COMPLY_LIGHT_BIT(LIGHT_YELLOW);
        else if (n == 3 && strncmp(s, "red", 3) == 0)
            q->lights |= COMPLY_LIGHT_BIT(LIGHT_RED);
        else if (n == 4 && strncmp(s, "grey", 4) == 0)
            q->lights |= COMPLY_LIGHT_BIT(LIGHT_GREY);
        else
            return req_fail(r, ERR_RULE, "light",
                            "light 应为 green、yellow、red 或 grey（可用逗号分隔多个）");
        s += n + (s[n] == ',');
    }
    q->period = req_query(r, "period");
    if (q->period && (strlen(q->period) > 32 || !*q->period))
        return req_fail(r, ERR_RULE, "period", "period 应为周期标签（如 2023Q3）或日期 YYYY-MM-DD");
    return OK;
}

/* comply_run's error as the answer. */
static enum err run_failed(struct req *r, enum err e, const char *field, const char *why)
{
    if (e == ERR_NOT_FOUND)
        return req_fail(r, ERR_NOT_FOUND, "code", "方案不存在：%.64s", req_param(r, "code"));
    if (e == ERR_RULE) return req_fail(r, ERR_RULE, field, "%s", why);
    if (store_err(r->db)) return req_store_fail(r);
    return e;
}

/* ---- writing cells ---- */

static void write_day(struct jw *w, const char *key, int day)
{
    char d[11];
    date_format(day, d);
    jw_kstr(w, key, d);
}

static void write_obligation(struct jw *w, const struct comply_cell *c)
{
    const struct comply_obl *o = c->o;
    jw_key(w, "obligation");
    jw_obj(w);
    jw_kstr(w, "key", o->key);
    jw_kint(w, "task", o->task);
    jw_kstr(w, "title", o->title);
    jw_kstr(w, "per", o->per_name);
    jw_kstr(w, "per_label", period_kind_label(o->rule.per));
    jw_kint(w, "minimum", o->rule.minimum);
    jw_kstr(w, "kind", o->kind);
    jw_kstr(w, "metric", o->metric);
    jw_kstr(w, "rule", o->rule_name);
    jw_kid(w, "action", o->action);
    jw_obj_end(w);
}

static void write_units(struct jw *w, const struct comply_cell *c)
{
    jw_key(w, "units");
    jw_arr(w);
    for (size_t i = 0; i < c->nunits; i++) {
        jw_obj(w);
        jw_kint(w, "id", c->units[i]->id);
        jw_kstr(w, "name", c->units[i]->name);
        jw_kstr(w, "code", c->units[i]->code);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kstr(w, "scope", c->city_wide ? "city_wide" : c->nunits > 1 ? "joint" : "unit");
    if (c->city_wide) jw_kstr(w, "note", CITY_WIDE_NOTE);
}

static void write_period(struct jw *w, const struct comply_cell *c)
{
    jw_key(w, "period");
    jw_obj(w);
    write_day(w, "start", c->p->start);
    write_day(w, "end", c->p->end);
    jw_kstr(w, "label", c->label);
    jw_obj_end(w);
    write_day(w, "deadline", c->p->end + c->o->rule.grace_days);
}

static void write_judgement(struct jw *w, const struct comply_cell *c)
{
    jw_kint(w, "count", c->p->count);
    jw_kint(w, "on_time", c->p->count_on_time);
    jw_kint(w, "minimum", c->p->minimum);
    jw_kstr(w, "status", comply_status_name(c->p->status));
    jw_kstr(w, "light", comply_light_name(c->p->light));
    jw_kbool(w, "late", c->p->late);
    if (!comply_assessed(c->p)) {
        char from[DATE_CN_LEN], to[DATE_CN_LEN];
        date_format_cn(c->o->rule.from, from);
        date_format_cn(c->o->rule.to, to);
        char why[256];
        snprintf(why, sizeof why, "本周期仅 %d%% 在义务实施期（%s 至 %s）内，不足 %d%%，不考核",
                 c->p->share_pct, from, to, c->o->rule.min_share);
        jw_kstr(w, "not_assessed_reason", why);
    }
}

/* An obligation that outlives comply_run (a draft's model is freed when it returns): the
 * fields the answers use, copied into the request's arena. */
static const struct comply_obl *obl_keep(struct arena *a, const struct comply_obl *o)
{
    struct comply_obl *c = arena_alloc(a, sizeof *c);
    *c = *o;
    c->key = arena_strdup(a, o->key);
    c->title = arena_strdup(a, o->title);
    c->kind = arena_strdup(a, o->kind);
    c->metric = o->metric ? arena_strdup(a, o->metric) : NULL;
    c->rule_name = o->rule_name ? arena_strdup(a, o->rule_name) : NULL;
    c->note = NULL;
    c->per_name = arena_strdup(a, o->per_name);
    c->units = c->tiers = NULL;
    c->nunits = c->ntiers = 0;
    return c;
}

/* ---- the matrix ---- */

struct matrix {
    struct jw *w;
    long long skip, limit; /* limit 0: everything */
    long long seen, written;
    bool more;
    char *ids; /* "[1,2,…]" of one cell, reused (a million ids: jw_int one by one was a fifth of
                  the time) */
    size_t cap;
};

/* Writes the ids of the cell's counted reports as one JSON array into m->ids. */
static bool ids_text(struct matrix *m, const struct comply_cell *c)
{
    size_t need = 3 + c->nev * 21;
    if (need > m->cap) {
        size_t cap = m->cap ? m->cap : 4096;
        while (cap < need)
            cap *= 2;
        char *n = realloc(m->ids, cap);
        if (!n) return false;
        m->ids = n;
        m->cap = cap;
    }
    char *o = m->ids;
    *o++ = '[';
    for (size_t i = 0; i < c->nev; i++) {
        if (!comply_counts(&c->ev[i], c->as_of)) continue;
        if (o[-1] != '[') *o++ = ',';
        char d[24], *p = d + sizeof d;
        unsigned long long v = (unsigned long long)c->rid[i];
        do
            *--p = (char)('0' + v % 10);
        while (v /= 10);
        while (p < d + sizeof d)
            *o++ = *p++;
    }
    *o++ = ']';
    *o = '\0';
    return true;
}

static bool matrix_cell(void *ctx, const struct comply_cell *c)
{
    struct matrix *m = ctx;
    if (m->seen++ < m->skip) return true;
    if (m->limit && m->written == m->limit) {
        m->more = true;
        return false;
    }
    m->written++;
    struct jw *w = m->w;
    jw_obj(w);
    write_obligation(w, c);
    write_units(w, c);
    write_period(w, c);
    write_judgement(w, c);
    jw_key(w, "report_ids");
    if (ids_text(m, c))
        jw_raw(w, m->ids);
    else
        w->failed = true;
    jw_obj_end(w);
    return true;
}

/* The size of the last whole matrix, to size the next answer's buffer at once (growing it
 * from 1 KB by doubling copied every byte about twice more). */
static _Atomic size_t last_matrix_size;

static void write_head(struct jw *w, const struct comply_info *info, int as_of)
{
    jw_key(w, "plan");
    jw_obj(w);
    jw_kstr(w, "code", info->code);
    jw_kint(w, "version", info->version);
    jw_kbool(w, "draft", info->draft);
    write_day(w, "start", info->start);
    write_day(w, "end", info->end);
    jw_obj_end(w);
    write_day(w, "as_of", as_of);
}

static enum err get_matrix(struct req *r)
{
    struct comply_query q;
    enum err e = read_query(r, &q);
    if (e != OK) return e;
    struct matrix m = {0};
    if ((e = req_query_int(r, "limit", 1, 1000000, 0, &m.limit)) != OK) return e;
    const char *cursor = req_query(r, "cursor");
    if (cursor) {
        char *end;
        m.skip = strtoll(cursor, &end, 10);
        if (*end || m.skip < 0 || strlen(cursor) > 12)
            return req_fail(r, ERR_BAD_REQUEST, "cursor",
                            "cursor 无效：请使用上一页返回的 next_cursor");
    }
    q.want_events = true;
    struct jw w;
    jw_init(&w);
    size_t guess = last_matrix_size;
    if (guess > 65536 && (w.buf = malloc(guess + guess / 8))) {
        w.cap = guess + guess / 8;
        w.buf[0] = '\0';
    }
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    m.w = &w;
    struct comply_info info;
    const char *field;
    char why[256];
    e = comply_run(comply_engine(), req_read_db(r), r->a, &q, matrix_cell, &m, &info, &field, why,
                   sizeof why);
    free(m.ids);
    if (e != OK) {
        jw_free(&w);
        return run_failed(r, e, field, why);
    }
    jw_arr_end(&w);
    jw_key(&w, "next_cursor");
    if (m.more) {
        char c[24];
        snprintf(c, sizeof c, "%lld", m.skip + m.written);
        jw_str(&w, c);
    } else {
        jw_null(&w);
    }
    write_head(&w, &info, q.as_of);
    jw_kint(&w, "count", m.written);
    jw_obj_end(&w);
    if (!q.unit && !q.task && !q.action && !q.obligation && !q.lights && !q.period && !m.limit)
        last_matrix_size = w.len;
    return reply_jw(r, 200, &w);
}

/* ---- the summary ---- */

struct tally {
    long long green, yellow, red, closed, met, late, missed;
};

struct sum_unit {
    const struct comply_unit *u;
    struct tally t;
    struct tally *by_action; /* na entries */
};

struct summary {
    struct req *r;
    struct comply_plan *plan; /* a copy of the plan's actions (the model may be freed) */
    struct sum_unit *units;
    size_t n, cap;
    struct tally *actions; /* na entries */
    size_t na;
};

static void count(struct tally *t, const struct comply_cell *c)
{
    if (!comply_assessed(c->p)) return; /* grey: shown, never counted */
    if (c->p->light == LIGHT_GREEN)
        t->green++;
    else if (c->p->light == LIGHT_YELLOW)
        t->yellow++;
    else
        t->red++;
    /* closed: the period's end plus its grace has passed */
    if (comply_closed(c->p, c->o->rule.grace_days, c->as_of)) {
        t->closed++;
        if (c->p->status == COMPLY_MET)
            t->met++;
        else if (c->p->status == COMPLY_MET_LATE)
            t->late++;
        else
            t->missed++;
    }
}

static size_t action_slot(const struct comply_plan *p, int action)
{
    for (size_t i = 0; i < p->na; i++)
        if (p->a[i].no == action) return i;
    return p->na; /* the "unknown" slot */
}

static bool summary_cell(void *ctx, const struct comply_cell *c)
{
    struct summary *s = ctx;
    if (!s->plan) {
        struct arena *ar = s->r->a;
        s->plan = arena_alloc(ar, sizeof *s->plan);
        s->plan->na = c->plan->na;
        s->plan->a = arena_alloc(ar, (c->plan->na + 1) * sizeof *s->plan->a);
        for (size_t i = 0; i < c->plan->na; i++) {
            s->plan->a[i].no = c->plan->a[i].no;
            s->plan->a[i].title =
                c->plan->a[i].title ? arena_strdup(ar, c->plan->a[i].title) : NULL;
        }
        s->na = c->plan->na + 1;
        s->actions = arena_alloc(ar, s->na * sizeof *s->actions);
    }
    size_t a = action_slot(c->plan, c->o->action);
    count(&s->actions[a], c);
    for (size_t k = 0; k < c->nunits; k++) {
        struct sum_unit *su = NULL;
        for (size_t i = 0; i < s->n && !su; i++)
            if (s->units[i].u->id == c->units[k]->id) su = &s->units[i];
        if (!su) {
            if (s->n == s->cap) {
                size_t cap = s->cap ? s->cap * 2 : 64;
                struct sum_unit *nu = arena_alloc(s->r->a, cap * sizeof *nu);
                if (s->n) memcpy(nu, s->units, s->n * sizeof *nu);
                s->units = nu;
                s->cap = cap;
            }
            su = &s->units[s->n++];
            su->u = c->units[k];
            su->by_action = arena_alloc(s->r->a, s->na * sizeof *su->by_action);
        }
        count(&su->t, c);
        count(&su->by_action[a], c);
    }
    return true;
}

static void write_lights(struct jw *w, const struct tally *t)
{
    jw_kint(w, "green", t->green);
    jw_kint(w, "yellow", t->yellow);
    jw_kint(w, "red", t->red);
}

static int unit_order(const void *a, const void *b)
{
    const struct sum_unit *x = a, *y = b;
    return x->u->id < y->u->id ? -1 : x->u->id > y->u->id;
}

/* The score of a tally (SCORE_RULE) in tenths of a percent, rounded half up, in integers. */
static long long score_tenths(const struct tally *t)
{
    return ((t->met * 2 + t->late) * 1000 + t->closed) / (t->closed * 2);
}

static enum err get_summary(struct req *r)
{
    struct comply_query q;
    enum err e = read_query(r, &q);
    if (e != OK) return e;
    struct summary s = {.r = r};
    struct comply_info info;
    const char *field;
    char why[256];
    e = comply_run(comply_engine(), req_read_db(r), r->a, &q, summary_cell, &s, &info, &field, why,
                   sizeof why);
    if (e != OK) return run_failed(r, e, field, why);
    if (s.n) qsort(s.units, s.n, sizeof *s.units, unit_order);
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    write_head(&w, &info, q.as_of);
    jw_kstr(&w, "score_rule", SCORE_RULE);
    jw_kstr(&w, "score_label", SCORE_LABEL);
    jw_kstr(&w, "score_note", SCORE_NOTE);
    jw_key(&w, "units");
    jw_arr(&w);
    for (size_t i = 0; i < s.n; i++) {
        const struct sum_unit *su = &s.units[i];
        jw_obj(&w);
        jw_kint(&w, "id", su->u->id);
        jw_kstr(&w, "name", su->u->name);
        jw_kstr(&w, "code", su->u->code);
        jw_kstr(&w, "tier", su->u->tier);
        write_lights(&w, &su->t);
        jw_kint(&w, "closed", su->t.closed);
        jw_kint(&w, "met", su->t.met);
        jw_kint(&w, "met_late", su->t.late);
        jw_kint(&w, "missed", su->t.missed);
        jw_key(&w, "score");
        if (su->t.closed) {
            long long tenths = score_tenths(&su->t);
            char num[32];
            snprintf(num, sizeof num, "%lld.%lld", tenths / 10, tenths % 10);
            jw_raw(&w, num);
        } else {
            jw_null(&w);
        }
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "actions");
    jw_arr(&w);
    for (size_t a = 0; s.plan && a < s.na; a++) {
        const struct tally *t = &s.actions[a];
        if (a == s.plan->na && !t->green && !t->yellow && !t->red) continue;
        jw_obj(&w);
        jw_kid(&w, "no", a < s.plan->na ? s.plan->a[a].no : 0);
        jw_kstr(&w, "title", a < s.plan->na ? s.plan->a[a].title : NULL);
        write_lights(&w, t);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "matrix"); /* units × actions, the console's heat map */
    jw_arr(&w);
    for (size_t i = 0; i < s.n; i++)
        for (size_t a = 0; a < s.na; a++) {
            const struct tally *t = &s.units[i].by_action[a];
            if (!t->green && !t->yellow && !t->red) continue;
            jw_obj(&w);
            jw_kint(&w, "unit_id", s.units[i].u->id);
            jw_kid(&w, "action", a < s.plan->na ? s.plan->a[a].no : 0);
            write_lights(&w, t);
            jw_obj_end(&w);
        }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return reply_jw(r, 200, &w);
}

/* ---- what a unit owes in the next 90 days ---- */

struct due_item {
    const struct comply_obl *o;
    size_t seq; /* the engine's order: plan order, then units, then periods */
    const struct comply_unit *units[CM_MAX_JOINT];
    size_t nunits;
    bool city_wide, future;
    struct comply_period p;
    char label[40];
};

struct due {
    struct req *r;
    int until;
    struct due_item *items;
    size_t n, cap;
};

static bool due_cell(void *ctx, const struct comply_cell *c)
{
    struct due *d = ctx;
    if (c->p->end > d->until) return true; /* ends beyond the outlook */
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        struct due_item *ni = arena_alloc(d->r->a, cap * sizeof *ni);
        if (d->n) memcpy(ni, d->items, d->n * sizeof *ni);
        d->items = ni;
        d->cap = cap;
    }
    struct due_item *it = &d->items[d->n++];
    it->o = obl_keep(d->r->a, c->o);
    it->seq = d->n;
    memcpy(it->units, c->units, sizeof it->units);
    it->nunits = c->nunits;
    it->city_wide = c->city_wide;
    it->future = c->future;
    it->p = *c->p;
    memcpy(it->label, c->label, sizeof it->label);
    return true;
}

static int due_order(const void *a, const void *b)
{
    const struct due_item *x = a, *y = b;
    if (x->p.end != y->p.end) return x->p.end < y->p.end ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static long long missing(const struct due_item *it)
{
    long long m = it->p.minimum - it->p.count;
    return m > 0 ? m : 0;
}

/* The unit's open duties ending within 90 days of as_of, sorted by end date. */
static enum err collect_due(struct req *r, const char *plan, long long unit, int as_of,
                            struct due *d, struct comply_info *info)
{
    struct comply_query q = {.plan = plan,
                             .version = PLAN_V_DEFAULT,
                             .as_of = as_of,
                             .horizon = as_of + COMPLY_OUTLOOK_DAYS,
                             .unit = unit,
                             .open_only = true};
    d->r = r;
    d->until = as_of + COMPLY_OUTLOOK_DAYS;
    const char *field;
    char why[256];
    enum err e =
        comply_run(comply_engine(), r->db, r->a, &q, due_cell, d, info, &field, why, sizeof why);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "plan", "方案不存在：%.64s", plan);
    if (e != OK) return run_failed(r, e, field, why);
    if (d->n) qsort(d->items, d->n, sizeof *d->items, due_order);
    return OK;
}

static enum err get_obligations_due(struct req *r)
{
    long long unit = unit_find(r->db, req_param(r, "id"));
    if (!unit)
        return store_err(r->db) ? req_store_fail(r)
                                : req_fail(r, ERR_NOT_FOUND, "id", "单位不存在");
    if (!req_may_act_for_unit(r, unit))
        return req_fail(r, ERR_FORBIDDEN, "id", "只能查看本单位的应报事项");
    int as_of;
    enum err e = read_as_of(r, &as_of);
    if (e != OK) return e;
    const char *plan = req_query(r, "plan");
    if (!plan) plan = WORK_DEFAULT_PLAN;
    if (strlen(plan) > 64) return req_fail(r, ERR_RULE, "plan", "方案代码过长");
    struct due d = {0};
    struct comply_info info;
    if ((e = collect_due(r, plan, unit, as_of, &d, &info)) != OK) return e;
    struct unit u;
    e = unit_get(r->db, unit, &u);
    if (e != OK && e != ERR_NOT_FOUND) return req_fail_err(r, e);
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < d.n; i++) {
        const struct due_item *it = &d.items[i];
        struct comply_cell c = {.plan = NULL,
                                .o = it->o,
                                .nunits = it->nunits,
                                .city_wide = it->city_wide,
                                .p = &it->p,
                                .as_of = as_of};
        memcpy(c.units, it->units, sizeof c.units);
        memcpy(c.label, it->label, sizeof c.label);
        jw_obj(&w);
        write_obligation(&w, &c);
        write_units(&w, &c);
        write_period(&w, &c);
        write_judgement(&w, &c);
        jw_kint(&w, "missing", missing(it));
        jw_kbool(&w, "future", it->future);
        jw_kint(&w, "days_left", it->p.end - as_of);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "next_cursor");
    jw_null(&w);
    jw_key(&w, "unit");
    jw_obj(&w);
    jw_kint(&w, "id", unit);
    jw_kstr(&w, "name", e == OK ? u.short_name : NULL);
    jw_kstr(&w, "code", e == OK && u.code[0] ? u.code : NULL);
    jw_obj_end(&w);
    write_head(&w, &info, as_of);
    write_day(&w, "until", as_of + COMPLY_OUTLOOK_DAYS);
    jw_obj_end(&w);
    return reply_jw(r, 200, &w);
}

/* ---- calendar feeds ---- */

static const char *feed_path(struct req *r, const char *token)
{
    return arena_printf(r->a, "/api/v1/calendar/%s.ics", token);
}

static const char *feed_url(struct req *r, const char *path)
{
    const char *host = req_header(r, "Host");
    const char *proto = r->app->opts.trust_proxy ? req_header(r, "X-Forwarded-Proto") : NULL;
    bool https = proto && strcmp(proto, "https") == 0;
    if (!host || strlen(host) > 255 || strpbrk(host, " \t\r\n/\\\"<>")) host = r->app->opts.listen;
    return arena_printf(r->a, "%s://%s%s", https ? "https" : "http", host, path);
}

static enum err create_feed(struct req *r)
{
    static const char *const allowed[] = {"unit", "name", "plan", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *name = jv_str(&v, "name", false, 300);
    const char *plan = jv_str(&v, "plan", false, 64);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    long long unit = r->who->unit_id;
    json_t *uj = json_object_get(r->json, "unit");
    if (uj && !json_is_null(uj)) {
        if (json_is_integer(uj)) {
            char buf[24];
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(uj));
            unit = unit_find(r->db, buf);
        } else if (json_is_string(uj)) {
            unit = unit_find(r->db, json_string_value(uj));
        } else {
            return req_fail(r, ERR_BAD_REQUEST, "unit",
                            "字段 unit 应为单位编号、行政区划代码或单位简称");
        }
        if (!unit) return req_fail(r, ERR_RULE, "unit", "单位不存在");
        if (req_unit_scoped(r) && unit != r->who->unit_id)
            return req_fail(r, ERR_FORBIDDEN, "unit", "只能为本单位订阅日历");
    }
    if (name && utf8_chars(name) > 100) return req_fail(r, ERR_RULE, "name", "名称最多 100 个字符");
    if (!plan) plan = WORK_DEFAULT_PLAN;
    struct plan_row pr;
    enum err e = plan_find(r->db, plan, PLAN_V_DEFAULT, &pr);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_RULE, "plan", "方案不存在：%.64s", plan);
    if (e != OK) return req_fail_err(r, e);
    struct unit u;
    e = unit_get(r->db, unit, &u);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_RULE, "unit", "单位不存在");
    if (e != OK) return req_fail_err(r, e);
    if (!name || !*name) name = arena_printf(r->a, "%s应报事项", u.short_name);
    char token[CRYPTO_TOKEN_CHARS];
    long long id;
    if ((e = calendar_feed_create(r->db, r->who->user_id, unit, plan, name, r->now, token, &id)) !=
        OK)
        return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "calendar_feed:%lld", id);
    const char *path = feed_path(r, token);
    json_t *o =
        json_pack("{s:I,s:{s:I,s:s},s:s,s:s,s:I,s:n,s:s,s:s}", "id", (json_int_t)id, "unit", "id",
                  (json_int_t)unit, "name", u.short_name, "name", name, "plan", plan, "created_at",
                  (json_int_t)r->now, "revoked_at", "path", path, "url", feed_url(r, path));
    req_secret_answer(r, "path");
    req_secret_answer(r, "url");
    return reply_json(r, 201, o);
}

static bool feed_row(void *ctx, const struct calendar_feed_item *row)
{
    json_array_append_new(
        ctx, json_pack("{s:I,s:{s:I,s:s},s:s,s:s,s:I,s:o}", "id", (json_int_t)row->id, "unit", "id",
                       (json_int_t)row->unit_id, "name", row->unit_name, "name", row->name, "plan",
                       row->plan, "created_at", (json_int_t)row->created_at, "revoked_at",
                       row->revoked_at ? json_integer(row->revoked_at) : json_null()));
    return true;
}

static enum err list_feeds(struct req *r)
{
    json_t *items = json_array();
    enum err e = calendar_feeds_each(r->db, r->who->user_id, feed_row, items);
    if (e != OK) {
        json_decref(items);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next_cursor"));
}

static enum err revoke_feed(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    struct calendar_feed f;
    enum err e = calendar_feed_get(r->db, id, &f);
    if (e != OK && e != ERR_NOT_FOUND) return req_fail_err(r, e);
    /* the owner; the office; a unit_admin for its unit's feeds. Others: as if absent. */
    bool may = e == OK && (f.user_id == r->who->user_id || req_has_role(r, ROLE_OFFICE) ||
                           (req_has_role(r, ROLE_UNIT_ADMIN) && f.unit_id == r->who->unit_id));
    if (!may) return req_fail(r, ERR_NOT_FOUND, "id", "日历订阅不存在");
    r->audit_object = arena_printf(r->a, "calendar_feed:%lld", id);
    if (!f.revoked_at && (e = calendar_feed_revoke(r->db, id, r->now)) != OK)
        return req_fail_err(r, e);
    return reply_json(r, 200,
                      json_pack("{s:I,s:b,s:I}", "id", (json_int_t)id, "revoked", 1, "revoked_at",
                                (json_int_t)(f.revoked_at ? f.revoked_at : r->now)));
}

/* The calendar text of a unit's next 90 days. */
static enum err calendar(struct req *r)
{
    const char *file = req_param(r, "file");
    size_t len = file ? strlen(file) : 0;
    const char *unknown = "日历订阅不存在或已吊销";
    if (len != CRYPTO_TOKEN_CHARS - 1 + 4 || strcmp(file + len - 4, ".ics") != 0)
        return req_fail(r, ERR_NOT_FOUND, NULL, "%s", unknown);
    char token[CRYPTO_TOKEN_CHARS];
    memcpy(token, file, CRYPTO_TOKEN_CHARS - 1);
    token[CRYPTO_TOKEN_CHARS - 1] = '\0';
    struct calendar_feed f;
    enum err e = calendar_feed_by_token(r->db, token, &f);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, NULL, "%s", unknown);
    if (e != OK) return req_fail_err(r, e);
    /* A feed serves only what its owner may read today: an account since disabled, without the
     * compliance permission or moved to another unit no longer gets it. */
    struct principal *owner;
    if ((e = principal_load(r->db, r->a, f.user_id, &owner)) != OK) return req_fail_err(r, e);
    if (!principal_may_for_unit(r->db, owner, PERM_COMPLY_READ, f.unit_id))
        return req_fail(r, ERR_NOT_FOUND, NULL, "%s", unknown);
    r->audit_object = arena_printf(r->a, "calendar_feed:%lld", f.id);
    int as_of; /* today; ?as_of= previews another day (calendar apps send none) */
    if ((e = read_as_of(r, &as_of)) != OK) return e;
    struct due d = {0};
    struct comply_info info;
    if ((e = collect_due(r, f.plan, f.unit_id, as_of, &d, &info)) != OK) return e;
    struct unit u;
    e = unit_get(r->db, f.unit_id, &u);
    if (e != OK && e != ERR_NOT_FOUND) return req_fail_err(r, e);
    const char *uname = e == OK ? u.short_name : "本单位";
    struct ics c;
    char *calname = arena_printf(r->a, "%s应报事项", uname); /* people read it: no plan code */
    comply_ics_begin(&c, calname, "-//ecoact//compliance 1.0//ZH");
    for (size_t i = 0; i < d.n; i++) {
        const struct due_item *it = &d.items[i];
        const struct comply_obl *o = it->o;
        /* what people read in their calendar: dates as 年月日, the period by its dates (no
         * 2024Q4), the duty by its title (no key; the key stays in the UID) */
        char dd[DATE_CN_LEN], sd[DATE_CN_LEN], gd[DATE_CN_LEN], iso[11];
        date_format_cn(it->p.end, dd);
        date_format_cn(it->p.start, sd);
        date_format_cn(it->p.end + o->rule.grace_days, gd);
        date_format(it->p.start, iso);
        const char *need;
        if (o->value == CM_ALL_SCHOOLS)
            need = "尚未报告全部学校达到12课时";
        else if (o->value == CM_METRIC)
            need = arena_printf(r->a, "还差%s %lld", work_metric_label(o->metric), missing(it));
        else
            need = arena_printf(r->a, "还差%lld次", missing(it));
        char *summary = arena_printf(r->a, "【%s】%s %s截止：%s", uname, o->title, dd, need);
        char *desc = arena_printf(r->a,
                                  "第%lld项任务（%s至少%d）\n周期 %s 至 %s，已计 %lld，应完成 %d\n"
                                  "截止 %s，%d 天宽限期至 %s；宽限期后通过审核的报送按补报计。",
                                  o->task, period_kind_label(o->rule.per), o->rule.minimum, sd, dd,
                                  it->p.count, it->p.minimum, dd, o->rule.grace_days, gd);
        if (it->city_wide) desc = arena_printf(r->a, "%s\n%s", desc, CITY_WIDE_NOTE);
        char *uid = arena_printf(r->a, "%lld-%s-%s@ecoact", f.unit_id, o->key, iso);
        comply_ics_event(&c, uid, r->now, it->p.end, summary, desc);
    }
    comply_ics_end(&c);
    size_t n;
    char *text = comply_ics_take(&c, &n);
    if (!text) return ERR_INTERNAL;
    char *copy = arena_alloc(r->a, n + 1);
    memcpy(copy, text, n + 1);
    free(text);
    return reply_raw(r, 200, "text/calendar; charset=utf-8", copy, n, NULL);
}

/* ---- the matrix and the units' view as .xlsx (the console's CSV of the matrix stays) ---- */

/* 「合规矩阵」 or 「合规矩阵_城口县」: the file's title, by the unit filter. */
static const char *scope_title(struct req *r, const char *what, long long unit)
{
    struct unit u;
    if (unit && unit_get(r->db, unit, &u) == OK) return arena_printf(r->a, "%s_%s", what, u.name);
    return arena_printf(r->a, "%s_全市", what);
}

struct matrix_sheet {
    struct sheet *s;
    struct arena *a;
    char as_of[11];
    const char *words; /* q: the page's keyword (a duty's title, a unit, 第N项, a key); NULL: all */
};

/* Whether the cell matches the keyword as the matrix page filters its rows. */
static bool cell_has_words(const struct comply_cell *c, const char *words)
{
    char task[24];
    snprintf(task, sizeof task, "第%d项", (int)c->o->task);
    if (strstr(c->o->title, words) || !strcmp(task, words) || !strcmp(c->o->key, words))
        return true;
    for (size_t i = 0; i < c->nunits; i++)
        if (c->units[i]->name && strstr(c->units[i]->name, words)) return true;
    return false;
}

/* The counted reports' ids, space-separated (台账编号). */
static const char *report_ids(struct arena *a, const struct comply_cell *c)
{
    char *out = arena_alloc(a, c->nev * 21 + 1), *o = out;
    for (size_t i = 0; i < c->nev; i++)
        if (comply_counts(&c->ev[i], c->as_of))
            o += sprintf(o, "%s%lld", o == out ? "" : " ", (long long)c->rid[i]);
    *o = '\0';
    return out;
}

static bool matrix_sheet_cell(void *ctx, const struct comply_cell *c)
{
    struct matrix_sheet *x = ctx;
    struct sheet *s = x->s;
    if (x->words && !cell_has_words(c, x->words)) return true;
    char units[1024] = "", d[11], task[24];
    for (size_t i = 0; i < c->nunits; i++) {
        size_t at = strlen(units);
        snprintf(units + at, sizeof units - at, "%s%s", i ? "、" : "", c->units[i]->name);
    }
    snprintf(task, sizeof task, "第%d项", (int)c->o->task);
    sheet_text(s, units);
    sheet_text(s, c->city_wide ? "全市统计" : c->nunits > 1 ? "共同承担" : "本单位");
    sheet_text(s, task);
    sheet_text(s, c->o->key);
    sheet_text(s, c->o->title);
    sheet_text(s, period_kind_label(c->o->rule.per));
    sheet_text(s, c->label);
    int days[] = {c->p->start, c->p->end, c->p->end + c->o->rule.grace_days};
    for (size_t k = 0; k < 3; k++) {
        date_format(days[k], d);
        sheet_date(s, d);
    }
    sheet_int(s, c->p->count);
    sheet_int(s, c->p->count_on_time);
    sheet_int(s, c->p->minimum);
    sheet_text(s, comply_status_label(c->p->status));
    sheet_text(s, comply_light_label(c->p->light));
    sheet_text(s, c->p->late ? "是" : "否");
    sheet_text(s, report_ids(x->a, c));
    sheet_date(s, x->as_of);
    sheet_end_row(s);
    return true;
}

/* The matrix as .xlsx, or as CSV (the columns the console's CSV had). */
static enum err export_matrix_as(struct req *r, bool csv)
{
    struct comply_query q;
    enum err e = read_query(r, &q);
    if (e != OK) return e;
    q.want_events = true;
    const char *words = req_query(r, "q");
    if (words && strlen(words) > 64)
        return req_fail(r, ERR_RULE, "q", "关键词过长（最多 64 字节）");
    static const struct sheet_col cols[] = {
        {"单位", 24},     {"承担方式", 10},
        {"任务", 8},      {"义务编码", 22},
        {"工作义务", 48}, {"频次", 8},
        {"周期", 14},     {"周期开始", 12},
        {"周期结束", 12}, {"截止日期（含15天宽限期）", 14},
        {"已计", 8},      {"按时", 8},
        {"应完成", 8},    {"状态", 10},
        {"预警灯", 8},    {"补报", 6},
        {"台账编号", 20}, {"统计日期", 12},
    };
    size_t nc = sizeof cols / sizeof *cols;
    struct matrix_sheet x = {
        .a = r->a,
        .s = csv ? sheet_new_csv(cols, nc)
                 : sheet_new("合规矩阵", "合规矩阵（工作义务 × 周期的预警灯）", cols, nc)};
    if (!x.s) return req_fail(r, ERR_INTERNAL, NULL, "生成文件失败");
    date_format(q.as_of, x.as_of);
    x.words = words && *words ? words : NULL;
    struct comply_info info;
    const char *field;
    char why[256];
    e = comply_run(comply_engine(), req_read_db(r), r->a, &q, matrix_sheet_cell, &x, &info, &field,
                   why, sizeof why);
    void *data;
    size_t len;
    enum err fe = sheet_finish(x.s, r->a, &data, &len);
    if (e != OK) return run_failed(r, e, field, why);
    if (fe != OK) return req_fail(r, fe, NULL, "生成文件失败");
    return reply_export(r, csv ? "text/csv; charset=utf-8" : TABLE_XLSX_TYPE, data, len,
                        scope_title(r, "合规矩阵", q.unit), "compliance-matrix",
                        csv ? "csv" : "xlsx");
}

static enum err export_matrix(struct req *r)
{
    return export_matrix_as(r, false);
}

static enum err export_matrix_csv(struct req *r)
{
    return export_matrix_as(r, true);
}

static void units_sheet_row(struct sheet *s, const struct sum_unit *su)
{
    sheet_text(s, su->u->name);
    sheet_text(s, unit_tier_label(su->u->tier));
    if (su->t.closed)
        sheet_tenths(s, score_tenths(&su->t));
    else
        sheet_text(s, "—");
    sheet_int(s, su->t.closed);
    sheet_int(s, su->t.met);
    sheet_int(s, su->t.late);
    sheet_int(s, su->t.missed);
    sheet_int(s, su->t.red);
    sheet_int(s, su->t.yellow);
    sheet_int(s, su->t.green);
    sheet_text(s, su->u->code);
    sheet_end_row(s);
}

static enum err export_units(struct req *r)
{
    struct comply_query q;
    enum err e = read_query(r, &q);
    if (e != OK) return e;
    struct summary sm = {.r = r};
    struct comply_info info;
    const char *field;
    char why[256];
    e = comply_run(comply_engine(), req_read_db(r), r->a, &q, summary_cell, &sm, &info, &field, why,
                   sizeof why);
    if (e != OK) return run_failed(r, e, field, why);
    if (sm.n) qsort(sm.units, sm.n, sizeof *sm.units, unit_order);
    static const struct sheet_col cols[] = {
        {"单位", 24},     {"类别", 10},     {"履职得分", 10},     {"已结束周期", 12},
        {"按时完成", 10}, {"补报完成", 10}, {"未完成", 10},       {"红灯", 8},
        {"黄灯", 8},      {"绿灯", 8},      {"行政区划代码", 14},
    };
    char as_of[11];
    date_format(q.as_of, as_of);
    struct sheet *s =
        sheet_new("单位履职", arena_printf(r->a, "单位履职（统计日期 %s）。%s", as_of, SCORE_RULE),
                  cols, sizeof cols / sizeof *cols);
    if (!s) return req_fail(r, ERR_INTERNAL, NULL, "生成 Excel 文件失败");
    for (size_t i = 0; i < sm.n; i++)
        units_sheet_row(s, &sm.units[i]);
    void *data;
    size_t len;
    if ((e = sheet_finish(s, r->a, &data, &len)) != OK)
        return req_fail(r, e, NULL, "生成 Excel 文件失败");
    return reply_export(r, TABLE_XLSX_TYPE, data, len, scope_title(r, "单位履职", q.unit),
                        "compliance-units", "xlsx");
}

const struct route comply_routes[] = {
    {M_GET, "/api/v1/plans/{code}/compliance", PERM_COMPLY_READ, BODY_NONE, NULL, get_matrix,
     ROUTE_REVALIDATE},
    {M_GET, "/api/v1/plans/{code}/compliance/summary", PERM_COMPLY_READ, BODY_NONE, NULL,
     get_summary, 0},
    {M_GET, "/api/v1/plans/{code}/compliance/export.xlsx", PERM_COMPLY_READ, BODY_NONE, NULL,
     export_matrix, 0},
    {M_GET, "/api/v1/plans/{code}/compliance/export.csv", PERM_COMPLY_READ, BODY_NONE, NULL,
     export_matrix_csv, 0},
    {M_GET, "/api/v1/plans/{code}/compliance/units.xlsx", PERM_COMPLY_READ, BODY_NONE, NULL,
     export_units, 0},
    {M_GET, "/api/v1/units/{id}/obligations-due", PERM_COMPLY_READ, BODY_NONE, NULL,
     get_obligations_due, ROUTE_OWN_UNIT},
    {M_GET, "/api/v1/calendar-feeds", PERM_LOGGED_IN, BODY_NONE, NULL, list_feeds,
     0}, /* one's own */
    {M_POST, "/api/v1/calendar-feeds", PERM_COMPLY_READ, BODY_JSON, "calendar_feed.create",
     create_feed, 0},
    {M_DELETE, "/api/v1/calendar-feeds/{id}", PERM_LOGGED_IN, BODY_NONE, "calendar_feed.revoke",
     revoke_feed, ROUTE_OWN_UNIT},
    {M_GET, "/api/v1/calendar/{file}", PERM_PUBLIC, BODY_NONE, NULL, calendar, 0},
    {0},
};
