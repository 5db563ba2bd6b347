/* demo.c - the demo history generator (demo.h): who owes what comes from the published plan
 * itself (its obligations and their rules), so every duty of every unit gets a record per
 * period: met on time, made up late (补报), or missed, drawn from the unit's profile for that
 * year. Profiles: a few districts strong, a few weak, most in between, counties sparser, each
 * with a yearly trend so ranks move; the units of the demo accounts have fixed profiles
 * (渝中区 strong, 万州区 good, 两江新区 middling, 城口县 weak) so the console looks the same
 * for every seed. Reports go through work_file() and the ledger's review; notices through the
 * supervise area's steps; scores through ev_score_put(); publication through ev_publish(). */
#include "org/policy.h"
#include "demo/demo.h"
#include "base/arena.h"
#include "base/comply.h"
#include "base/date.h"
#include "base/period.h"
#include "comply/comply.h"
#include "evaluate/evaluate.h"
#include "plan/plan.h"
#include "supervise/supervise.h"
#include "work/work.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLAN "cq-2021-2025"
#define MAX_UNITS 64
#define GRACE COMPLY_GRACE_DAYS

/* Fixed profiles of the demo accounts' units (and a few more, for a stable picture). */
static const struct {
    const char *key;
    double base, trend;
} pinned[] = {
    {"500103", 0.97, 0.004},   /* 渝中区: strong */
    {"500101", 0.90, 0.010},   /* 万州区: good and improving */
    {"两江新区", 0.80, 0.020}, /* middling, catching up */
    {"500229", 0.50, 0.030},   /* 城口县: weak, improving slowly */
    {"市生态环境局", 0.96, 0.0}, {"市委宣传部", 0.90, 0.0}, {"市文明办", 0.86, 0.01},
    {"市教委", 0.90, 0.0},       {"团市委", 0.84, 0.01},    {"市妇联", 0.76, 0.02},
};

struct du {
    long long id;
    const char *key, *code, *name, *tier;
    double base, trend;
    int schools;
    struct demo_who who;
};

struct row {
    json_t *o; /* the obligation (borrowed from the plan document) */
    const char *key, *kind, *metric, *rule;
    long long task;
    struct comply_rule cr;
    int u[CM_MAX_JOINT];
    size_t nu;
    bool facilities;
};

/* A missed period, for dispatch notices. */
struct miss {
    int u;
    const char *key, *title;
    int start, end;
};

struct gen {
    struct store *db;
    struct arena *a;
    struct demo_rng r;
    const struct demo_opts *o;
    struct demo_stats *st;
    int today; /* the real day of the run: nothing happens later */
    int plan_start, plan_end;
    json_t *doc, *kinds;
    struct du u[MAX_UNITS];
    size_t nu;
    struct miss *miss;
    size_t nmiss, capmiss;
    char *why;
    size_t whylen;
};

static enum err fail(struct gen *g, enum err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum err fail(struct gen *g, enum err e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->why, g->whylen, fmt, ap);
    va_end(ap);
    return e;
}

static int year_of(int day)
{
    int y;
    date_to_ymd(day, &y, NULL, NULL);
    return y;
}

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The unit's chance of meeting a duty on time in a year. */
static double strength(const struct du *u, int year)
{
    double s = u->base + u->trend * (year - 2023);
    if (year == 2021) s -= 0.05; /* the first half-year: mechanisms still being set up */
    return clamp(s, 0.15, 0.995);
}

/* ---- units ---- */

static bool evaluated_tier(const char *t)
{
    return strcmp(t, "district") == 0 || strcmp(t, "county") == 0 || strcmp(t, "zone") == 0;
}

static int unit_index(struct gen *g, const char *key)
{
    for (size_t i = 0; i < g->nu; i++)
        if (strcmp(g->u[i].key, key) == 0 || (g->u[i].code && strcmp(g->u[i].code, key) == 0))
            return (int)i;
    return -1;
}

static enum err load_units(struct gen *g)
{
    struct comply_unit *all;
    size_t n;
    enum err e = comply_units(g->db, g->a, &all, &n);
    if (e != OK) return fail(g, e, "reading units: %s", store_errmsg(g->db));
    /* district-level units first (in id order), then the city departments the plan names */
    for (size_t i = 0; i < n && g->nu < MAX_UNITS; i++) {
        if (!all[i].active || !evaluated_tier(all[i].tier)) continue;
        struct du *u = &g->u[g->nu++];
        u->id = all[i].id;
        u->key = all[i].key;
        u->code = all[i].code;
        u->name = all[i].name;
        u->tier = all[i].tier;
    }
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(g->doc, "obligations"), i, o)
    {
        size_t k;
        json_t *uk;
        json_array_foreach(json_object_get(json_object_get(o, "who"), "units"), k, uk)
        {
            const char *key = json_string_value(uk);
            if (!key || unit_index(g, key) >= 0 || g->nu == MAX_UNITS) continue;
            for (size_t j = 0; j < n; j++)
                if (strcmp(all[j].key, key) == 0) {
                    struct du *u = &g->u[g->nu++];
                    u->id = all[j].id;
                    u->key = all[j].key;
                    u->code = all[j].code;
                    u->name = all[j].name;
                    u->tier = all[j].tier;
                }
        }
    }
    /* profiles: strong, weak, most in between; counties sparser */
    size_t nd = 0;
    for (size_t k = 0; k < g->nu; k++) {
        struct du *u = &g->u[k];
        double x = demo_unit(&g->r);
        if (strcmp(u->tier, "county") == 0)
            u->base = x < 0.15   ? 0.88
                      : x < 0.40 ? 0.42 + 0.1 * demo_unit(&g->r)
                                 : 0.58 + 0.22 * demo_unit(&g->r);
        else if (strcmp(u->tier, "city_department") == 0)
            u->base = 0.8 + 0.15 * demo_unit(&g->r);
        else
            u->base = x < 0.15   ? 0.95 + 0.04 * demo_unit(&g->r)
                      : x < 0.30 ? 0.5 + 0.12 * demo_unit(&g->r)
                                 : 0.72 + 0.2 * demo_unit(&g->r);
        u->trend = -0.03 + 0.07 * demo_unit(&g->r);
        u->schools = (int)demo_range(&g->r, strcmp(u->tier, "county") == 0 ? 35 : 50,
                                     strcmp(u->tier, "county") == 0 ? 140 : 260);
        for (size_t p = 0; p < sizeof pinned / sizeof *pinned; p++)
            if (strcmp(u->key, pinned[p].key) == 0 ||
                (u->code && strcmp(u->code, pinned[p].key) == 0)) {
                u->base = pinned[p].base;
                u->trend = pinned[p].trend;
            }
        if (!u->who.name) u->who.name = arena_printf(g->a, "%s填报员", u->name);
        if (evaluated_tier(u->tier)) nd++;
    }
    if (nd < 10)
        return fail(g, ERR_RULE, "only %zu district-level units: run 'ecoact init' first", nd);
    return OK;
}

/* ---- rows: who owes each duty ---- */

static enum err load_rows(struct gen *g, struct row **out, size_t *n)
{
    json_t *obls = json_object_get(g->doc, "obligations");
    size_t cap = 64 + json_array_size(obls) * (g->nu + 1);
    struct row *rows = arena_alloc(g->a, cap * sizeof *rows);
    size_t k = 0, i;
    json_t *o;
    json_array_foreach(obls, i, o)
    {
        struct row base = {.o = o};
        base.key = json_string_value(json_object_get(o, "key"));
        base.kind = json_string_value(json_object_get(o, "kind"));
        base.metric = json_string_value(json_object_get(o, "metric"));
        base.rule = json_string_value(json_object_get(o, "rule"));
        base.task = json_integer_value(json_object_get(o, "task"));
        if (!base.key || !base.kind || !plan_obligation_rule(o, &base.cr)) continue;
        /* the joint meeting files its own ledger report when it is held (one event, one record) */
        if (base.task == 83) continue;
        json_t *who = json_object_get(o, "who");
        if (json_is_true(json_object_get(who, "facilities"))) {
            base.facilities = true;
            rows[k++] = base;
            continue;
        }
        json_t *tiers = json_object_get(who, "tiers");
        if (tiers) {
            for (size_t u = 0; u < g->nu && k < cap; u++) {
                size_t t;
                json_t *tv;
                json_array_foreach(tiers, t, tv)
                {
                    if (json_string_value(tv) && strcmp(json_string_value(tv), g->u[u].tier) == 0) {
                        rows[k] = base;
                        rows[k].u[0] = (int)u;
                        rows[k].nu = 1;
                        k++;
                    }
                }
            }
            continue;
        }
        struct row rw = base;
        size_t t;
        json_t *uk;
        json_array_foreach(json_object_get(who, "units"), t, uk)
        {
            int ix = json_string_value(uk) ? unit_index(g, json_string_value(uk)) : -1;
            if (ix >= 0 && rw.nu < CM_MAX_JOINT) rw.u[rw.nu++] = ix;
        }
        if (rw.nu && k < cap) rows[k++] = rw;
    }
    *out = rows;
    *n = k;
    return OK;
}

/* ---- one report ---- */

enum fate { F_ON_TIME, F_LATE, F_PENDING, F_RETURNED };

struct filing {
    int act; /* activity day */
    enum fate fate;
    int end;       /* the period's end (due date for once) */
    int label_day; /* for titles */
    int nth;
    long long articles, schools_total, schools_met; /* -1: generate */
};

static int min_i(int a, int b)
{
    return a < b ? a : b;
}

static int pick_day(struct gen *g, int lo, int hi)
{
    if (hi < lo) return lo;
    return lo + (int)demo_range(&g->r, 0, hi - lo);
}

static enum err file_report(struct gen *g, const struct row *rw, struct du *u, struct filing *f)
{
    struct demo_rng *r = &g->r;
    /* what still waits (for review or for correction) was done in the last quarter of 2025 */
    int q4 = date_from_ymd(2025, 10, 1);
    if ((f->fate == F_PENDING || f->fate == F_RETURNED) && f->act < q4) {
        int hi = f->end < g->plan_end ? f->end : g->plan_end;
        f->act = pick_day(g, q4, hi - 3 > q4 ? hi - 3 : q4);
    }
    json_t *kind = NULL;
    size_t ki;
    json_t *kv;
    json_array_foreach(g->kinds, ki, kv)
    {
        const char *c = json_string_value(json_object_get(kv, "code"));
        if (c && strcmp(c, rw->kind) == 0) kind = kv;
    }
    char act[11];
    date_format(f->act, act);
    struct work_report rep = {.unit_id = u->id, .kind = rw->kind, .activity_date = act};
    rep.title = demo_title(g->a, r, rw->kind, u->name, f->act, NULL, rw->task, f->nth);
    rep.summary = demo_summary(g->a, r, rw->kind, u->name, f->act);
    rep.place = demo_place(g->a, r, u->name, rw->kind);
    rep.tasks[rep.ntasks++] = rw->task;
    size_t mi;
    json_t *mv;
    json_array_foreach(json_object_get(kind, "metrics"), mi, mv)
    {
        const char *m = json_string_value(mv);
        if (!m || rep.nmetrics == WORK_MAX_METRICS) continue;
        long long v;
        if (strcmp(m, "articles") == 0 && f->articles >= 0)
            v = f->articles;
        else if (strcmp(m, "schools_total") == 0)
            v = f->schools_total;
        else if (strcmp(m, "schools_met") == 0)
            v = f->schools_met;
        else if (strcmp(m, "class_hours") == 0)
            v = f->schools_met * demo_range(r, 12, 16);
        else
            v = demo_metric(r, rw->kind, m);
        rep.metrics[rep.nmetrics++] = (struct work_metric){m, v};
    }
    /* the timeline */
    int last = g->today - 1;
    int filed, reviewed = 0, corrected = 0, accepted = 0;
    bool returned = false;
    if (f->fate == F_LATE) {
        filed = min_i(f->end + GRACE + 1 + (int)demo_range(r, 3, 70), last - 8);
        accepted = filed + (int)demo_range(r, 1, 6);
    } else {
        filed = min_i(f->act + (int)demo_range(r, 0, 5), last - 8);
        if (filed < f->act) filed = f->act;
        returned = f->fate == F_RETURNED || (f->fate == F_ON_TIME && demo_unit(r) < 0.07);
        if (returned) {
            reviewed = filed + (int)demo_range(r, 1, 2);
            corrected = reviewed + (int)demo_range(r, 1, 3);
            accepted = corrected + (int)demo_range(r, 1, 2);
        } else {
            accepted = filed + (int)demo_range(r, 1, 4);
        }
    }
    struct work_actor filer = {u->who.user_id, u->who.name};
    struct work_actor office = {g->o->office.user_id, g->o->office.name};
    long long id;
    struct work_problems pr;
    enum err e = work_file(
        g->db, &rep, PLAN, "demo", "demo-history", &filer,
        demo_time(filed, 9 + (int)demo_range(r, 0, 8), (int)demo_range(r, 0, 59)), &id, &pr);
    if (e != OK)
        return fail(g, e, "filing “%s” (%s %s): %s %s", rep.title, u->name, act,
                    pr.n ? pr.items[0].field : "", pr.n ? pr.items[0].msg : store_errmsg(g->db));
    g->st->reports++;
    if (f->fate == F_PENDING) {
        g->st->pending++;
        return OK;
    }
    if (returned) {
        e = work_store_review(g->db, id, false, demo_return_reason(r), &office,
                              demo_time(reviewed, 15, (int)demo_range(r, 0, 59)));
        if (e != OK) return fail(g, e, "returning report %lld: %s", id, store_errmsg(g->db));
        g->st->returned++;
        if (f->fate == F_RETURNED) {
            g->st->left_returned++;
            return OK;
        }
        rep.summary = arena_printf(g->a, "%s（已按审核意见补充佐证材料并修改。）", rep.summary);
        struct work_row_state st;
        e = work_store_state(g->db, id, &st);
        if (e == OK)
            e = work_correct(g->db, &st, &rep, NULL, &filer, demo_time(corrected, 10, 30), &pr);
        if (e != OK)
            return fail(g, e, "correcting report %lld: %s %s", id, pr.n ? pr.items[0].field : "",
                        pr.n ? pr.items[0].msg : store_errmsg(g->db));
        g->st->corrected++;
    }
    e = work_store_review(g->db, id, true, NULL, &office,
                          demo_time(accepted, 16, (int)demo_range(r, 0, 59)));
    if (e != OK) return fail(g, e, "accepting report %lld: %s", id, store_errmsg(g->db));
    g->st->accepted++;
    if (f->fate == F_LATE) g->st->late++;
    return OK;
}

/* ---- periods of a duty ---- */

static void add_miss(struct gen *g, int u, const struct row *rw, int start, int end)
{
    if (g->nmiss == g->capmiss) {
        size_t cap = g->capmiss ? g->capmiss * 2 : 256;
        struct miss *m = arena_alloc(g->a, cap * sizeof *m);
        if (g->nmiss) memcpy(m, g->miss, g->nmiss * sizeof *m);
        g->miss = m;
        g->capmiss = cap;
    }
    const char *title = json_string_value(json_object_get(rw->o, "title"));
    g->miss[g->nmiss++] = (struct miss){u, rw->key, title ? title : rw->key, start, end};
}

/* One row's period [start, end] (in effect [lo, hi]), owing need. */
static enum err do_period(struct gen *g, const struct row *rw, int start, int end, int lo, int hi,
                          int need)
{
    struct demo_rng *r = &g->r;
    if (hi > g->plan_end) hi = g->plan_end;
    if (hi > g->today - 10) hi = g->today - 10;
    if (hi < lo) return OK;
    int y = year_of(end <= g->plan_end ? end : g->plan_end);
    if (rw->facilities) {
        /* every open facility, city-wide: district units report their facilities' open days */
        int nrep = demo_unit(r) < 0.93 ? (int)demo_range(r, 1, 3) : 0;
        for (int i = 0; i < nrep; i++) {
            struct du *u = &g->u[demo_range(r, 0, (long long)g->nu - 1)];
            if (!evaluated_tier(u->tier)) continue;
            struct filing f = {.act = pick_day(g, lo, hi - 5),
                               .fate = F_ON_TIME,
                               .end = end,
                               .nth = i + 1,
                               .articles = -1};
            enum err e = file_report(g, rw, u, &f);
            if (e != OK) return e;
        }
        return OK;
    }
    /* the lead unit's profile decides; a joint duty is filed by any of its units */
    struct du *lead = &g->u[rw->u[0]];
    double p = strength(lead, y);
    double x = demo_unit(r);
    enum fate fate = x < p ? F_ON_TIME : x < p + (1 - p) * 0.5 ? F_LATE : (enum fate) - 1;
    bool missed = (int)fate == -1;
    /* the last quarter of 2025: some reports still wait for review */
    bool tail = end >= date_from_ymd(2025, 10, 1) && end <= date_from_ymd(2025, 12, 31);
    if (fate == F_LATE && end + GRACE + 80 >= g->today) fate = F_ON_TIME;
    if (tail && fate == F_ON_TIME) {
        double w = demo_unit(r);
        if (w < 0.12 + 0.2 * (1 - p))
            fate = F_PENDING;
        else if (w < 0.15 + 0.2 * (1 - p))
            fate = F_RETURNED;
    }
    struct du *filer = lead;
    if (rw->nu > 1 && demo_unit(r) < 0.3)
        filer = &g->u[rw->u[demo_range(r, 1, (long long)rw->nu - 1)]];
    struct filing f = {.end = end, .articles = -1};
    if (rw->rule && strcmp(rw->rule, "all_schools") == 0) {
        f.schools_total = filer->schools;
        bool all = !missed;
        f.schools_met =
            all ? filer->schools : filer->schools - demo_range(r, 1, filer->schools / 5 + 1);
        if (missed && demo_unit(r) < 0.4) {
            add_miss(g, rw->u[0], rw, start, end);
            return OK; /* nothing reported */
        }
        int from = hi - 60 > lo ? hi - 60 : lo; /* reported near the school year's end */
        f.act = pick_day(g, from, hi - 3 > from ? hi - 3 : from);
        f.fate = missed ? F_ON_TIME : fate;
        f.nth = 1;
        if (missed) add_miss(g, rw->u[0], rw, start, end);
        return file_report(g, rw, filer, &f);
    }
    if (rw->metric) {
        /* a metric sum (task 79's articles): several reports adding up */
        long long goal = need, sum = 0,
                  target = missed ? demo_range(r, 0, goal - 1) : goal + demo_range(r, 0, 6);
        int nth = 0;
        while (sum < target) {
            long long v = demo_range(r, 2, 6);
            if (sum + v > target && missed) v = target - sum;
            bool last_one = sum + v >= goal;
            f.articles = v;
            f.fate = (fate == F_LATE && last_one) ? F_LATE : (missed ? F_ON_TIME : fate);
            if (fate == F_LATE && !last_one) f.fate = F_ON_TIME;
            f.act = pick_day(g, lo, hi - 3);
            f.nth = ++nth;
            enum err e = file_report(g, rw, filer, &f);
            if (e != OK) return e;
            sum += v;
        }
        if (missed) add_miss(g, rw->u[0], rw, start, end);
        return OK;
    }
    int count = missed ? (int)demo_range(r, 0, need - 1) : need + (demo_unit(r) < 0.15);
    for (int i = 0; i < count; i++) {
        f.nth = i + 1;
        f.fate = missed ? F_ON_TIME : fate;
        if (fate == F_LATE && i < need - 1) f.fate = F_ON_TIME; /* the last one came late */
        if (fate == F_LATE && i >= need) f.fate = F_LATE;
        if (rw->cr.per == PERIOD_ONCE) {
            /* a once-by-date duty: strong units finish early */
            int span = hi - lo;
            f.act = pick_day(g, lo + span / 4, hi - 20);
        } else {
            f.act = pick_day(g, lo, hi - 3);
        }
        enum err e = file_report(g, rw, filer, &f);
        if (e != OK) return e;
    }
    if (missed) add_miss(g, rw->u[0], rw, start, end);
    return OK;
}

static enum err do_row(struct gen *g, const struct row *rw)
{
    const struct comply_rule *c = &rw->cr;
    if (c->minimum <= 0) return OK;
    if (c->per == PERIOD_ONCE)
        return do_period(g, rw, c->from, c->due, c->from, c->due, c->minimum);
    for (int day = c->from; day <= c->to;) {
        int s, e;
        period_containing(c->per, day, &s, &e);
        int lo = s > c->from ? s : c->from, hi = e < c->to ? e : c->to;
        long long num = (long long)c->minimum * (hi - lo + 1), den = e - s + 1;
        int need = (int)((num + den - 1) / den);
        enum err err = do_period(g, rw, s, e, lo, hi, need);
        if (err != OK) return err;
        day = e + 1;
    }
    return OK;
}

/* ---- dispatch notices ---- */

static enum err notice_one(struct gen *g, const struct miss *m, int kind)
{
    /* kind: 0 closed on time, 1 closed late, 2 returned once then closed, 3 answered (waiting
     * for review), 4 in progress (answer returned), 5 signed, 6 issued only, 7 draft */
    struct demo_rng *r = &g->r;
    struct du *u = &g->u[m->u];
    int created = m->end + GRACE + (int)demo_range(r, 4, 20);
    if (created >= g->today - 30) created = g->today - 30;
    int deadline = created + (int)demo_range(r, 10, 20);
    char ps[11], pe[11], dl[11];
    date_format(m->start, ps);
    date_format(m->end, pe);
    date_format(deadline, dl);
    char title[4 * SV_TITLE_MAX + 1];
    sv_utf8_cut(arena_printf(g->a, "关于督促%s完成“%s”的督办单", u->name, m->title), SV_TITLE_MAX,
                title, sizeof title);
    struct sv_notice_in n = {
        .unit_id = u->id,
        .subject = SV_SUBJECT_COMPLIANCE,
        .plan = PLAN,
        .obligation = m->key,
        .period_start = ps,
        .period_end = pe,
        .title = title,
        .requirements =
            arena_printf(g->a,
                         "经履职监测，%s“%s”（%s至%s）未按期完成，亮红灯。请于%s前说明原因、"
                         "补报台账材料并提出整改措施。",
                         u->name, m->title, ps, pe, dl),
        .deadline = dl,
        .level = demo_unit(r) < 0.2 ? SV_ORANGE : SV_BLUE};
    struct sv_actor office = {g->o->office.user_id, g->o->office.name};
    struct sv_actor unit = {u->who.user_id, u->who.name};
    struct problem p = {0};
    long long id;
    enum err e =
        sv_notice_create(g->db, &n, kind != 7, &office, demo_time(created, 10, 0), &id, &p);
    if (e == ERR_CONFLICT) return OK; /* an open notice exists for this item */
    if (e != OK) return fail(g, e, "notice for %s %s: %s", u->name, m->key, p.msg);
    g->st->notices++;
    if (kind >= 6) return OK;
    int signed_on = created + (int)demo_range(r, 1, 3);
    if ((e = sv_notice_sign(g->db, id, "已签收，立即研究落实。", &unit, demo_time(signed_on, 9, 30),
                            &p)) != OK)
        return fail(g, e, "signing notice %lld: %s", id, p.msg);
    if (kind == 5) return OK;
    const char *pg, *df, *nx;
    demo_answer(r, &pg, &df, &nx);
    int answered = kind == 1 ? deadline + (int)demo_range(r, 2, 12)
                             : deadline - (int)demo_range(r, 0, deadline - signed_on - 1);
    if (answered <= signed_on) answered = signed_on + 1;
    if (answered >= g->today) answered = g->today - 1;
    if ((e = sv_notice_answer(g->db, id, pg, df, nx, &unit, demo_time(answered, 11, 0), &p)) != OK)
        return fail(g, e, "answering notice %lld: %s", id, p.msg);
    if (kind == 3) return OK;
    int reviewed = answered + (int)demo_range(r, 1, 3);
    if (kind == 2 || kind == 4) {
        if ((e = sv_notice_review(g->db, id, false, "整改措施不够具体，请补充完成时限和佐证材料。",
                                  &office, demo_time(reviewed, 15, 0), &p)) != OK)
            return fail(g, e, "returning notice %lld: %s", id, p.msg);
        if (kind == 4) return OK;
        answered = reviewed + (int)demo_range(r, 1, 3);
        if ((e = sv_notice_answer(g->db, id, pg, df, nx, &unit, demo_time(answered, 11, 0), &p)) !=
            OK)
            return fail(g, e, "answering notice %lld again: %s", id, p.msg);
        reviewed = answered + (int)demo_range(r, 1, 3);
    }
    if ((e = sv_notice_review(g->db, id, true, NULL, &office, demo_time(reviewed, 15, 0), &p)) !=
        OK)
        return fail(g, e, "closing notice %lld: %s", id, p.msg);
    return OK;
}

static enum err do_notices(struct gen *g)
{
    /* per year: which stages (see notice_one); the items are missed periods of that year */
    static const int plan22[] = {0, 0, 1, 0, 2};
    static const int plan23[] = {0, 1, 0, 0, 1, 2};
    static const int plan24[] = {0, 0, 1, 1, 0, 2};
    static const int plan25[] = {0, 1, 3, 4, 5, 6, 0};
    static const int plan26[] = {7, 7, 6};
    const struct {
        int year;
        const int *kinds;
        size_t n;
    } years[] = {{2022, plan22, 5},
                 {2023, plan23, 6},
                 {2024, plan24, 6},
                 {2025, plan25, 7},
                 {2026, plan26, 3}};
    for (size_t y = 0; y < sizeof years / sizeof *years; y++) {
        /* candidates: periods ending so that the notice falls in the year */
        size_t *cand = arena_alloc(g->a, (g->nmiss + 1) * sizeof *cand), nc = 0;
        for (size_t i = 0; i < g->nmiss; i++) {
            int end = g->miss[i].end, yy = year_of(end + GRACE + 20);
            bool dl_in_year = years[y].year == 2026
                                  ? yy == 2026 && end <= g->plan_end
                                  : yy == years[y].year &&
                                        end + GRACE + 45 < date_from_ymd(years[y].year, 12, 31);
            if (dl_in_year && end - g->miss[i].start < 400) cand[nc++] = i;
        }
        for (size_t k = 0; k < years[y].n && nc; k++) {
            size_t pick = (size_t)demo_range(&g->r, 0, (long long)nc - 1);
            enum err e = notice_one(g, &g->miss[cand[pick]], years[y].kinds[k]);
            if (e != OK) return e;
            cand[pick] = cand[--nc];
        }
    }
    return OK;
}

/* ---- evaluators' scores and publication ---- */

static enum err do_scores(struct gen *g)
{
    for (int y = year_of(g->plan_start); y <= year_of(g->plan_end); y++) {
        int day = date_from_ymd(y + 1, 2, 10);
        for (size_t i = 0; i < g->nu; i++) {
            struct du *u = &g->u[i];
            double s = 52 + 44 * strength(u, y) + 4 * (demo_unit(&g->r) + demo_unit(&g->r) - 1);
            long long h = (long long)llround(clamp(s, 40, 99) * 10) * 10; /* one decimal */
            bool created;
            char why[320] = "";
            int d = day + (int)demo_range(&g->r, 0, 14);
            enum err e = ev_score_put(g->db, g->a, PLAN, y, u->id, g->o->evaluator.user_id,
                                      g->o->evaluator.name, h,
                                      demo_score_comment(g->a, &g->r, u->name, y, h),
                                      demo_time(d, 14, 0), &created, why, sizeof why);
            if (e == ERR_RULE) continue; /* owes nothing that year */
            if (e != OK)
                return fail(g, e, "score %s %d: %s %s", u->name, y, why, store_errmsg(g->db));
            g->st->scores++;
        }
    }
    return OK;
}

static enum err do_publish(struct gen *g)
{
    for (int y = year_of(g->plan_start); y < year_of(g->plan_end); y++) {
        size_t units;
        char why[320] = "";
        enum err e =
            ev_publish(g->db, g->a, PLAN, y, g->o->office.user_id, g->o->office.name,
                       demo_time(date_from_ymd(y + 1, 3, 10), 10, 0), &units, why, sizeof why);
        if (e != OK) return fail(g, e, "publishing %d: %s %s", y, why, store_errmsg(g->db));
        g->st->published++;
    }
    return OK;
}

/* ---- the whole ---- */

bool demo_history_loaded(struct store *db, uint64_t *seed)
{
    char value[24];
    bool found;
    if (setting_get(db, "demo_history", value, sizeof value, &found) != OK) return false;
    if (found && seed) *seed = strtoull(value, NULL, 10);
    return found;
}

enum err demo_history(struct store *db, const struct demo_opts *o, struct demo_stats *st, char *why,
                      size_t whylen)
{
    memset(st, 0, sizeof *st);
    uint64_t old;
    if (demo_history_loaded(db, &old)) {
        snprintf(why, whylen, "a demo history (seed %llu) is loaded already",
                 (unsigned long long)old);
        return ERR_CONFLICT;
    }
    struct gen g = {.db = db,
                    .a = arena_new(1 << 16),
                    .r = {o->seed},
                    .o = o,
                    .st = st,
                    .today = date_today_shanghai(o->now),
                    .why = why,
                    .whylen = whylen};
    struct plan_row pr;
    enum err e = plan_find_published(db, PLAN, &pr);
    if (e != OK) {
        e = fail(&g, e, "plan %s is not loaded: run 'ecoact init' first", PLAN);
        goto out;
    }
    if (!date_parse(pr.start, &g.plan_start) || !date_parse(pr.end, &g.plan_end)) {
        e = fail(&g, ERR_INTERNAL, "plan %s has a bad period", PLAN);
        goto out;
    }
    g.doc = plan_export_doc(db, pr.id);
    if (!g.doc) {
        e = fail(&g, ERR_UNAVAILABLE, "reading plan %s: %s", PLAN, store_errmsg(db));
        goto out;
    }
    g.kinds = json_object_get(g.doc, "activity_kinds");
    if ((e = load_units(&g)) != OK) goto out;
    /* the demo accounts' names and ids for their units' filings */
    for (size_t i = 0; o->filers && o->filers[i].unit; i++) {
        int ix = unit_index(&g, o->filers[i].unit);
        if (ix >= 0) g.u[ix].who = o->filers[i].who;
    }
    struct row *rows;
    size_t nrows;
    if ((e = load_rows(&g, &rows, &nrows)) != OK) goto out;
    for (size_t i = 0; i < nrows; i++)
        if ((e = do_row(&g, &rows[i])) != OK) goto out;
    long long held = 0;
    struct demo_who office = o->office;
    long long office_unit =
        g.u[unit_index(&g, "市生态环境局") >= 0 ? unit_index(&g, "市生态环境局") : 0].id;
    if ((e = demo_meetings(db, &g.r, &office, office_unit, o->now, &held, why, whylen)) != OK)
        goto out;
    st->meetings = held;
    if ((e = do_notices(&g)) != OK) goto out;
    if ((e = do_scores(&g)) != OK) goto out;
    if ((e = do_publish(&g)) != OK) goto out;
    char seed[24];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
    e = setting_put(db, "demo_history", seed, 0, o->now);
    if (e != OK) fail(&g, e, "marking the history: %s", store_errmsg(db));
out:
    json_decref(g.doc);
    arena_free(g.a);
    return e;
}
