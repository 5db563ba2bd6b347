/* evaluate.c - the services of the annual evaluation (evaluate.h): computing a year's
 * scorecards live, reading and writing published (frozen) years, the final evaluation over the
 * plan's years, and drafting dispatch notices for red compliance items.
 *
 * Inputs come only through other areas' public functions: the compliance engine's cells
 * (comply_run: one pass over the plan up to as_of gives every year's closed periods and, for a
 * drill-down, their report ids), the supervise area's notice list (sv_notice_list, read back as
 * JSON) and its notice services for drafts, units through org/units.h. Scoring and ranking are
 * the pure functions of eval_rules.c. Everything a caller gets lives in its arena. */
#include "evaluate/evaluate_store.h"
#include "base/comply.h"
#include "base/date.h"
#include "base/jw.h"
#include "comply/comply.h"
#include "org/units.h"
#include "plan/plan.h"
#include "supervise/supervise.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_YEARS 8

static void say(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(char *why, size_t whylen, const char *fmt, ...)
{
    if (!why || !whylen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
}

static int year_of(int day)
{
    int y;
    date_to_ymd(day, &y, NULL, NULL);
    return y;
}

enum err ev_plan_period(struct store *db, const char *plan, int *start, int *end)
{
    struct plan_row row;
    enum err e = plan_find(db, plan, PLAN_V_DEFAULT, &row);
    if (e != OK) return e;
    if (!date_parse(row.start, start) || !date_parse(row.end, end)) return ERR_INTERNAL;
    return OK;
}

/* ---- the live computation: every plan year up to `last` in one pass ---- */

struct acc {
    long long id;
    const char *code, *name, *tier;
    struct ev_tally t[MAX_YEARS];
    bool in_year[MAX_YEARS];
    /* drill-down writers of the drill year (NULL unless drilled) */
    struct jw *cw, *nw, *sw;
};

struct live {
    struct store *db;
    struct arena *a;
    int first, nyears, as_of;
    long long drill_unit; /* -1 all, 0 none */
    int drill_year;       /* index */
    int late_credit, notice_late_credit;
    struct acc *u;
    size_t n, cap;
};

static struct jw *new_jw(struct arena *a)
{
    struct jw *w = arena_alloc(a, sizeof *w);
    jw_init(w);
    jw_arr(w);
    return w;
}

static struct acc *acc_add(struct live *L, long long id, const char *code, const char *name,
                           const char *tier)
{
    if (L->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 64;
        struct acc *nu = arena_alloc(L->a, cap * sizeof *nu);
        if (L->n) memcpy(nu, L->u, L->n * sizeof *nu);
        L->u = nu;
        L->cap = cap;
    }
    struct acc *u = &L->u[L->n++];
    memset(u, 0, sizeof *u);
    u->id = id;
    u->code = code ? arena_strdup(L->a, code) : NULL;
    u->name = arena_strdup(L->a, name ? name : "");
    u->tier = arena_strdup(L->a, tier ? tier : "");
    if (L->drill_unit == -1 || L->drill_unit == id) {
        u->cw = new_jw(L->a);
        u->nw = new_jw(L->a);
        u->sw = new_jw(L->a);
    }
    return u;
}

static struct acc *acc_find(struct live *L, long long id)
{
    for (size_t i = 0; i < L->n; i++)
        if (L->u[i].id == id) return &L->u[i];
    return NULL;
}

/* The evaluated unit a record of unit `id` counts for: the unit itself when its tier is
 * evaluated, else its parent (a district's child unit). NULL when neither. */
static struct acc *acc_for(struct live *L, long long id, int depth)
{
    struct acc *u = acc_find(L, id);
    if (u || depth > 2) return u;
    struct unit j;
    if (unit_get(L->db, id, &j) != OK) return NULL;
    if (ev_tier_evaluated(j.tier))
        u = acc_add(L, id, j.code[0] ? j.code : NULL, j.short_name, j.tier);
    else if (j.parent_id)
        u = acc_for(L, j.parent_id, depth + 1);
    return u;
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

static void drill_cell(struct live *L, struct acc *u, const struct comply_cell *c)
{
    struct jw *w = u->cw;
    const struct comply_obl *o = c->o;
    jw_obj(w);
    jw_key(w, "obligation");
    jw_obj(w);
    jw_kstr(w, "key", o->key);
    jw_kint(w, "task", o->task);
    jw_kstr(w, "title", o->title);
    jw_kstr(w, "per_label", period_kind_label(o->rule.per));
    jw_obj_end(w);
    jw_key(w, "period");
    jw_obj(w);
    jw_kstr(w, "label", c->label);
    write_day(w, "start", c->p->start);
    write_day(w, "end", c->p->end);
    jw_obj_end(w);
    write_day(w, "deadline", c->p->end + o->rule.grace_days);
    jw_kint(w, "minimum", c->p->minimum);
    jw_kint(w, "count", c->p->count);
    jw_kint(w, "on_time", c->p->count_on_time);
    jw_kstr(w, "status", comply_status_name(c->p->status));
    jw_kstr(w, "light", comply_light_name(c->p->light));
    long long credit = !comply_assessed(c->p)            ? EV_NONE
                       : c->p->status == COMPLY_MET      ? 100
                       : c->p->status == COMPLY_MET_LATE ? L->late_credit
                                                         : 0;
    write_num(w, "credit", credit);
    jw_key(w, "report_ids");
    jw_arr(w);
    for (size_t i = 0; i < c->nev; i++)
        if (comply_counts(&c->ev[i], c->as_of)) jw_int(w, c->rid[i]);
    jw_arr_end(w);
    jw_obj_end(w);
}

static bool live_cell(void *ctx, const struct comply_cell *c)
{
    struct live *L = ctx;
    int yi = year_of(c->p->end) - L->first;
    if (yi < 0 || yi >= L->nyears) return true;
    bool closed =
        comply_assessed(c->p) && (long long)c->as_of > (long long)c->p->end + c->o->rule.grace_days;
    for (size_t k = 0; k < c->nunits; k++) {
        const struct comply_unit *cu = c->units[k];
        if (!ev_tier_evaluated(cu->tier)) continue;
        struct acc *u = acc_find(L, cu->id);
        if (!u) u = acc_add(L, cu->id, cu->code, cu->name, cu->tier);
        u->in_year[yi] = true;
        if (!closed) continue;
        struct ev_tally *t = &u->t[yi];
        t->closed++;
        if (c->p->status == COMPLY_MET)
            t->met++;
        else if (c->p->status == COMPLY_MET_LATE)
            t->late++;
        else
            t->missed++;
        if (u->cw && yi == L->drill_year) drill_cell(L, u, c);
    }
    return true;
}

/* Notices of the plan through the supervise area's list, page by page. */
/* Counts one notice for its unit in the year of its deadline (drafts and notices issued after
 * as_of do not count). */
static bool count_notice(void *ctx, const struct sv_notice_brief *it)
{
    struct live *L = ctx;
    const char *stage = it->stage, *dl = it->deadline, *ans = it->answered_date;
    int deadline, answered;
    if (!stage || strcmp(stage, "drafted") == 0 || !dl || !date_parse(dl, &deadline)) return true;
    if (it->issued && date_today_shanghai(it->issued_at) > L->as_of)
        return true; /* not issued yet at as_of */
    int yi = year_of(deadline) - L->first;
    if (yi < 0 || yi >= L->nyears) return true;
    struct acc *u = acc_for(L, it->unit_id, 0);
    if (!u) return true;
    bool was_answered = ans && date_parse(ans, &answered) && answered <= L->as_of;
    struct ev_tally *t = &u->t[yi];
    const char *outcome;
    long long credit = EV_NONE;
    if (was_answered && answered <= deadline) {
        outcome = "on_time";
        t->on_time++;
        credit = 100;
    } else if (was_answered) {
        outcome = "late";
        t->answered_late++;
        credit = L->notice_late_credit;
    } else if (deadline < L->as_of) {
        outcome = "unanswered";
        t->unanswered++;
        credit = 0;
    } else {
        outcome = "pending";
        t->pending++;
    }
    t->notices++;
    u->in_year[yi] = true;
    if (u->nw && yi == L->drill_year) {
        struct jw *d = u->nw;
        jw_obj(d);
        jw_kint(d, "id", it->id);
        jw_kstr(d, "doc_no", it->doc_no);
        jw_kstr(d, "title", it->title);
        jw_kstr(d, "deadline", dl);
        jw_kstr(d, "answered_date", was_answered ? ans : NULL);
        jw_kstr(d, "stage", stage);
        jw_kstr(d, "level", it->level);
        jw_kstr(d, "outcome", outcome);
        write_num(d, "credit", credit);
        jw_obj_end(d);
    }
    return true;
}

/* The plan's notices, through supervision's service. */
static enum err live_notices(struct live *L, const char *plan)
{
    return sv_notices_each(L->db, plan, count_notice, L);
}

struct score_ctx {
    struct live *L;
    int yi;
};

static bool live_score(void *ctx, const struct ev_score_row *s)
{
    struct score_ctx *sc = ctx;
    struct acc *u = acc_for(sc->L, s->unit_id, 0);
    if (!u) return true;
    struct ev_tally *t = &u->t[sc->yi];
    t->scores++;
    t->score_sum += s->score;
    u->in_year[sc->yi] = true;
    if (u->sw && sc->yi == sc->L->drill_year) {
        struct jw *d = u->sw;
        jw_obj(d);
        jw_key(d, "evaluator");
        jw_obj(d);
        jw_kint(d, "id", s->evaluator_id);
        jw_kstr(d, "name", s->evaluator_name);
        jw_obj_end(d);
        write_num(d, "score", s->score);
        jw_kstr(d, "comment", s->comment);
        jw_kint(d, "updated_at", s->updated_at);
        jw_obj_end(d);
    }
    return true;
}

/* Closes the drill writers of u into one JSON text in the arena (NULL when not drilled);
 * frees the writers' buffers. */
static const char *drill_text(struct arena *a, struct acc *u)
{
    if (!u->cw) return NULL;
    struct jw *ws[3] = {u->cw, u->nw, u->sw};
    char *parts[3] = {0};
    bool ok = true;
    for (int i = 0; i < 3; i++) {
        jw_arr_end(ws[i]);
        size_t len;
        parts[i] = jw_take(ws[i], &len);
        jw_free(ws[i]);
        ok = ok && parts[i];
    }
    u->cw = u->nw = u->sw = NULL;
    const char *out = ok ? arena_printf(a, "{\"compliance\":%s,\"notices\":%s,\"scores\":%s}",
                                        parts[0], parts[1], parts[2])
                         : NULL;
    for (int i = 0; i < 3; i++)
        free(parts[i]);
    return out;
}

static void live_free_writers(struct live *L)
{
    for (size_t i = 0; i < L->n; i++)
        if (L->u[i].cw) {
            jw_free(L->u[i].cw);
            jw_free(L->u[i].nw);
            jw_free(L->u[i].sw);
            L->u[i].cw = L->u[i].nw = L->u[i].sw = NULL;
        }
}

/* Runs the engine, reads notices and scores: L->u holds every evaluated unit's tallies of the
 * years first .. first + nyears − 1 as of L->as_of. */
static enum err live_run(struct live *L, const char *plan, const char **field, char *why,
                         size_t whylen)
{
    struct comply_query q = {.plan = plan,
                             .version = PLAN_V_DEFAULT,
                             .as_of = L->as_of,
                             .want_events = L->drill_unit != 0};
    struct comply_info info;
    const char *f = NULL;
    char w[256] = "";
    enum err e = comply_run(comply_engine(), L->db, L->a, &q, live_cell, L, &info, &f, w, sizeof w);
    if (e != OK) {
        if (field) *field = f;
        say(why, whylen, "%s", w);
        return e;
    }
    if ((e = live_notices(L, plan)) != OK) return e;
    for (int yi = 0; yi < L->nyears; yi++) {
        struct score_ctx sc = {L, yi};
        if ((e = ev_store_scores_each(L->db, plan, L->first + yi, live_score, &sc)) != OK) return e;
    }
    return OK;
}

/* ---- cards ---- */

static int tier_order(const char *tier)
{
    static const char *const order[] = {"district", "county", "zone", "city_department"};
    for (int i = 0; i < 4; i++)
        if (tier && strcmp(tier, order[i]) == 0) return i;
    return 4;
}

static int card_order(const void *a, const void *b)
{
    const struct ev_card *x = a, *y = b;
    int tx = tier_order(x->tier), ty = tier_order(y->tier);
    if (tx != ty) return tx - ty;
    int rx = x->rank ? x->rank : 1 << 20, ry = y->rank ? y->rank : 1 << 20;
    if (rx != ry) return rx - ry;
    int c = strcmp(x->code ? x->code : "~", y->code ? y->code : "~");
    if (c) return c;
    return x->unit_id < y->unit_id ? -1 : x->unit_id > y->unit_id;
}

/* Scores and ranks the cards of one year. */
static void score_cards(const struct ev_rubric *r, struct ev_card *c, size_t n, struct arena *a)
{
    struct ev_rankee *rk = arena_alloc(a, (n + 1) * sizeof *rk);
    for (size_t i = 0; i < n; i++) {
        ev_score_tally(r, &c[i].t, &c[i].s);
        rk[i].group = c[i].tier;
        rk[i].total = c[i].s.total;
    }
    ev_rank(rk, n);
    for (size_t i = 0; i < n; i++) {
        c[i].rank = rk[i].rank;
        c[i].rank_of = rk[i].rank_of;
    }
}

/* The cards of year index yi from a live computation (drill texts taken from the writers). */
static void live_cards(struct live *L, int yi, const struct ev_rubric *r, struct ev_card **out,
                       size_t *n)
{
    struct ev_card *c = arena_alloc(L->a, (L->n + 1) * sizeof *c);
    size_t k = 0;
    for (size_t i = 0; i < L->n; i++) {
        struct acc *u = &L->u[i];
        if (!u->in_year[yi]) continue;
        c[k].unit_id = u->id;
        c[k].code = u->code;
        c[k].name = u->name;
        c[k].tier = u->tier;
        c[k].t = u->t[yi];
        c[k].prev_total = EV_NONE;
        if (yi == L->drill_year) c[k].drill = drill_text(L->a, u);
        k++;
    }
    score_cards(r, c, k, L->a);
    *out = c;
    *n = k;
}

/* ---- the card as JSON (answers and the frozen copy) ---- */

void ev_card_write(struct jw *w, const struct ev_card *c, int year, const struct ev_rubric *r)
{
    jw_key(w, "unit");
    jw_obj(w);
    jw_kint(w, "id", c->unit_id);
    jw_kstr(w, "code", c->code);
    jw_kstr(w, "name", c->name);
    jw_kstr(w, "tier", c->tier);
    jw_kstr(w, "tier_label", ev_tier_label(c->tier));
    jw_obj_end(w);
    jw_kint(w, "year", year);
    write_num(w, "total", c->s.total);
    jw_key(w, "rank");
    if (c->rank)
        jw_int(w, c->rank);
    else
        jw_null(w);
    jw_kint(w, "rank_of", c->rank_of);
    jw_key(w, "components");
    jw_arr(w);
    for (int i = 0; i < EV__COMPONENTS; i++) {
        jw_obj(w);
        jw_kstr(w, "key", ev_component_key((enum ev_component)i));
        jw_kstr(w, "label", ev_component_label((enum ev_component)i));
        jw_kint(w, "weight", r->weight[i]);
        write_num(w, "applied_weight", c->s.applied[i]);
        write_num(w, "raw", c->s.raw[i]);
        write_num(w, "points", c->s.points[i]);
        jw_kbool(w, "missing", c->s.raw[i] == EV_NONE);
        if (i == EV_COMPLIANCE) {
            jw_kint(w, "closed", c->t.closed);
            jw_kint(w, "met", c->t.met);
            jw_kint(w, "met_late", c->t.late);
            jw_kint(w, "missed", c->t.missed);
        } else if (i == EV_TIMELINESS) {
            jw_kint(w, "notices", c->t.notices);
            jw_kint(w, "on_time", c->t.on_time);
            jw_kint(w, "late", c->t.answered_late);
            jw_kint(w, "unanswered", c->t.unanswered);
            jw_kint(w, "pending", c->t.pending);
        } else {
            jw_kint(w, "scores", c->t.scores);
            jw_kint(w, "score_sum_hundredths", c->t.score_sum);
        }
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "previous");
    if (c->has_prev) {
        jw_obj(w);
        jw_kint(w, "year", year - 1);
        write_num(w, "total", c->prev_total);
        jw_key(w, "rank");
        if (c->prev_rank)
            jw_int(w, c->prev_rank);
        else
            jw_null(w);
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    struct ev_change ch;
    ev_change(c->s.total, c->rank, c->has_prev ? c->prev_total : EV_NONE,
              c->has_prev ? c->prev_rank : 0, &ch);
    jw_key(w, "change");
    if (c->has_prev) {
        jw_obj(w);
        write_num(w, "points", ch.has_points ? ch.points : EV_NONE);
        jw_key(w, "rank");
        if (ch.has_rank)
            jw_int(w, ch.rank);
        else
            jw_null(w);
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
}

static long long num_h(json_t *v)
{
    if (!v || json_is_null(v)) return EV_NONE;
    double d = json_number_value(v);
    return (long long)llround(d * 100.0);
}

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static long long jint(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* Reads a card written by ev_card_write (a frozen copy). */
static bool card_read(struct arena *a, const char *text, struct ev_card *c)
{
    json_t *o = json_loads(text, 0, NULL);
    if (!o) return false;
    memset(c, 0, sizeof *c);
    json_t *u = json_object_get(o, "unit");
    c->unit_id = jint(u, "id");
    const char *code = json_string_value(json_object_get(u, "code"));
    c->code = code ? arena_strdup(a, code) : NULL;
    c->name = arena_strdup(a, jstr(u, "name"));
    c->tier = arena_strdup(a, jstr(u, "tier"));
    c->s.total = num_h(json_object_get(o, "total"));
    c->rank = (int)jint(o, "rank");
    c->rank_of = (int)jint(o, "rank_of");
    size_t i;
    json_t *comp;
    json_array_foreach(json_object_get(o, "components"), i, comp)
    {
        if (i >= EV__COMPONENTS) break;
        c->s.raw[i] = num_h(json_object_get(comp, "raw"));
        c->s.points[i] = num_h(json_object_get(comp, "points"));
        c->s.applied[i] = num_h(json_object_get(comp, "applied_weight"));
        if (c->s.applied[i] == EV_NONE) c->s.applied[i] = 0;
        if (i == EV_COMPLIANCE) {
            c->t.closed = jint(comp, "closed");
            c->t.met = jint(comp, "met");
            c->t.late = jint(comp, "met_late");
            c->t.missed = jint(comp, "missed");
        } else if (i == EV_TIMELINESS) {
            c->t.notices = jint(comp, "notices");
            c->t.on_time = jint(comp, "on_time");
            c->t.answered_late = jint(comp, "late");
            c->t.unanswered = jint(comp, "unanswered");
            c->t.pending = jint(comp, "pending");
        } else {
            c->t.scores = jint(comp, "scores");
            c->t.score_sum = jint(comp, "score_sum_hundredths");
        }
    }
    json_t *prev = json_object_get(o, "previous");
    c->has_prev = json_is_object(prev);
    c->prev_total = c->has_prev ? num_h(json_object_get(prev, "total")) : EV_NONE;
    c->prev_rank = c->has_prev ? (int)jint(prev, "rank") : 0;
    json_decref(o);
    return true;
}

struct snap {
    struct arena *a;
    struct ev_card *c;
    size_t n, cap;
    bool bad;
};

static bool snap_row(void *ctx, long long unit_id, const char *card, const char *drill)
{
    struct snap *s = ctx;
    (void)unit_id;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        struct ev_card *nc = arena_alloc(s->a, cap * sizeof *nc);
        if (s->n) memcpy(nc, s->c, s->n * sizeof *nc);
        s->c = nc;
        s->cap = cap;
    }
    if (!card_read(s->a, card, &s->c[s->n])) {
        s->bad = true;
        return false;
    }
    s->c[s->n].drill = drill ? arena_strdup(s->a, drill) : NULL;
    s->n++;
    return true;
}

/* The frozen cards of a published year. */
static enum err snapshot_cards(struct store *db, struct arena *a, const struct ev_publication *p,
                               long long drill_unit, struct ev_card **out, size_t *n)
{
    struct snap s = {.a = a};
    enum err e = ev_store_results_each(db, p->id, drill_unit != 0, drill_unit > 0 ? drill_unit : 0,
                                       snap_row, &s);
    if (e == OK && s.bad) e = ERR_INTERNAL;
    if (e != OK) return e;
    /* with one unit drilled, the others still come (without the drill-down) */
    if (drill_unit > 0) {
        struct snap all = {.a = a};
        e = ev_store_results_each(db, p->id, false, 0, snap_row, &all);
        if (e == OK && all.bad) e = ERR_INTERNAL;
        if (e != OK) return e;
        for (size_t i = 0; i < all.n; i++)
            for (size_t j = 0; j < s.n; j++)
                if (all.c[i].unit_id == s.c[j].unit_id) all.c[i].drill = s.c[j].drill;
        s = all;
    }
    *out = s.c;
    *n = s.n;
    return OK;
}

/* ---- a year ---- */

static enum err check_year(struct store *db, const char *plan, int year, int *first, int *last,
                           int *start, int *end, char *why, size_t whylen)
{
    enum err e = ev_plan_period(db, plan, start, end);
    if (e == ERR_NOT_FOUND) {
        say(why, whylen, "方案不存在：%.64s", plan);
        return e;
    }
    if (e != OK) return e;
    *first = year_of(*start);
    *last = year_of(*end);
    if (*last - *first + 1 > MAX_YEARS) *last = *first + MAX_YEARS - 1;
    if (year && (year < *first || year > *last)) {
        say(why, whylen, "%d 年不在实施方案的实施期（%d—%d 年）内，没有该年度的考评", year, *first,
            *last);
        return ERR_NOT_FOUND;
    }
    return OK;
}

static void set_prev(struct ev_card *c, size_t n, const struct ev_card *p, size_t np)
{
    for (size_t i = 0; i < n; i++) {
        c[i].has_prev = true;
        c[i].prev_total = EV_NONE;
        c[i].prev_rank = 0;
        for (size_t j = 0; j < np; j++)
            if (p[j].unit_id == c[i].unit_id) {
                c[i].prev_total = p[j].s.total;
                c[i].prev_rank = p[j].rank;
            }
    }
}

enum err ev_year_get(struct store *db, struct arena *a, const char *plan, int year, int as_of,
                     long long drill_unit, struct ev_year *out, char *why, size_t whylen)
{
    memset(out, 0, sizeof *out);
    snprintf(out->plan, sizeof out->plan, "%s", plan);
    out->year = year;
    int first, last, start, end;
    enum err e = check_year(db, plan, year, &first, &last, &start, &end, why, whylen);
    if (e != OK) return e;
    struct ev_publication pub;
    e = ev_store_publication(db, plan, year, &pub);
    if (e == OK) {
        out->published = true;
        out->published_at = pub.published_at;
        snprintf(out->published_by, sizeof out->published_by, "%s", pub.published_by);
        out->rubric = pub.rubric;
        if (!date_parse(pub.as_of, &out->as_of)) out->as_of = as_of;
        if ((e = snapshot_cards(db, a, &pub, drill_unit, &out->cards, &out->n)) != OK) return e;
        qsort(out->cards, out->n, sizeof *out->cards, card_order);
        return OK;
    }
    if (e != ERR_NOT_FOUND) return e;
    if ((e = ev_store_rubric(db, plan, &out->rubric, NULL, 0)) != OK) return e;
    out->as_of = as_of;
    struct live L = {.db = db,
                     .a = a,
                     .first = first,
                     .nyears = year - first + 1,
                     .as_of = as_of,
                     .drill_unit = drill_unit,
                     .drill_year = year - first,
                     .late_credit = out->rubric.late_credit,
                     .notice_late_credit = out->rubric.notice_late_credit};
    const char *field = NULL;
    e = live_run(&L, plan, &field, why, whylen);
    if (e == OK) {
        live_cards(&L, year - first, &out->rubric, &out->cards, &out->n);
        if (year > first) {
            struct ev_publication pp;
            struct ev_card *pc = NULL;
            size_t np = 0;
            e = ev_store_publication(db, plan, year - 1, &pp);
            if (e == OK) {
                e = snapshot_cards(db, a, &pp, 0, &pc, &np);
            } else if (e == ERR_NOT_FOUND) {
                e = OK;
                live_cards(&L, year - 1 - first, &out->rubric, &pc, &np);
            }
            if (e == OK) set_prev(out->cards, out->n, pc, np);
        }
    }
    live_free_writers(&L);
    if (e != OK) return e;
    qsort(out->cards, out->n, sizeof *out->cards, card_order);
    return OK;
}

/* ---- the final evaluation ---- */

struct fin_acc {
    struct ev_final_unit u;
    long long raw[EV__COMPONENTS][MAX_YEARS], points[EV__COMPONENTS][MAX_YEARS];
};

/* The units of the final evaluation, gathered year by year. */
struct fin {
    struct arena *a;
    struct fin_acc *f;
    size_t n, cap;
};

/* The accumulator of card c's unit; a new one starts with every year unscored. */
static struct fin_acc *fin_acc_of(struct fin *F, const struct ev_card *c)
{
    for (size_t j = 0; j < F->n; j++)
        if (F->f[j].u.unit_id == c->unit_id) return &F->f[j];
    if (F->n == F->cap) {
        struct fin_acc *nfa = arena_alloc(F->a, 2 * F->cap * sizeof *nfa);
        memcpy(nfa, F->f, F->n * sizeof *nfa);
        F->f = nfa;
        F->cap *= 2;
    }
    struct fin_acc *fa = &F->f[F->n++];
    memset(fa, 0, sizeof *fa);
    fa->u.unit_id = c->unit_id;
    fa->u.code = c->code;
    fa->u.name = c->name;
    fa->u.tier = c->tier;
    for (int k = 0; k < MAX_YEARS; k++) {
        fa->u.year_total[k] = EV_NONE;
        for (int m = 0; m < EV__COMPONENTS; m++)
            fa->raw[m][k] = fa->points[m][k] = EV_NONE;
    }
    return fa;
}

/* Puts the card c of plan year yi into its unit's accumulator fa. */
static void fin_add_card(struct fin_acc *fa, int yi, const struct ev_card *c)
{
    fa->u.year_total[yi] = c->s.total;
    fa->u.year_rank[yi] = c->rank;
    fa->u.year_rank_of[yi] = c->rank_of;
    for (int m = 0; m < EV__COMPONENTS; m++) {
        fa->raw[m][yi] = c->s.raw[m];
        /* a component left out that year adds nothing to the mean of its points */
        fa->points[m][yi] = c->s.total == EV_NONE       ? EV_NONE
                            : c->s.points[m] == EV_NONE ? 0
                                                        : c->s.points[m];
    }
}

/* Each plan year's months and publication (pub); a year not published makes out provisional. */
static enum err final_years(struct store *db, const char *plan, int start, int end,
                            struct ev_final *out, struct ev_publication *pub)
{
    for (int yi = 0; yi < out->nyears; yi++) {
        out->months[yi] = ev_year_months(start, end, out->first + yi);
        enum err e = ev_store_publication(db, plan, out->first + yi, &pub[yi]);
        if (e == OK)
            out->year_published[yi] = true;
        else if (e == ERR_NOT_FOUND)
            out->provisional = true;
        else
            return e;
    }
    return OK;
}

/* Gathers every year's cards into F: a published year's as frozen, the others' live from L. */
static enum err final_gather(struct store *db, struct live *L, const struct ev_rubric *cur,
                             const struct ev_final *out, const struct ev_publication *pub,
                             struct fin *F)
{
    for (int yi = 0; yi < out->nyears; yi++) {
        struct ev_card *c = NULL;
        size_t n = 0;
        if (out->year_published[yi]) {
            enum err e = snapshot_cards(db, F->a, &pub[yi], 0, &c, &n);
            if (e != OK) return e;
        } else {
            live_cards(L, yi, cur, &c, &n);
        }
        for (size_t i = 0; i < n; i++)
            fin_add_card(fin_acc_of(F, &c[i]), yi, &c[i]);
    }
    return OK;
}

/* Each unit's month-weighted means over the years and its rank among them, into out->units. */
static void final_rank(struct fin *F, struct ev_final *out)
{
    struct ev_rankee *rk = arena_alloc(F->a, (F->n + 1) * sizeof *rk);
    out->units = arena_alloc(F->a, (F->n + 1) * sizeof *out->units);
    for (size_t i = 0; i < F->n; i++) {
        struct ev_final_unit *u = &F->f[i].u;
        u->total = ev_weighted_mean(u->year_total, out->months, (size_t)out->nyears);
        for (int m = 0; m < EV__COMPONENTS; m++) {
            u->raw[m] = ev_weighted_mean(F->f[i].raw[m], out->months, (size_t)out->nyears);
            u->points[m] = ev_weighted_mean(F->f[i].points[m], out->months, (size_t)out->nyears);
        }
        rk[i].group = u->tier;
        rk[i].total = u->total;
    }
    ev_rank(rk, F->n);
    for (size_t i = 0; i < F->n; i++) {
        F->f[i].u.rank = rk[i].rank;
        F->f[i].u.rank_of = rk[i].rank_of;
        out->units[i] = F->f[i].u;
    }
    out->n = F->n;
}

/* Sorts out->units in the order of a year's cards: tier, rank, code. */
static void final_sort(struct arena *a, struct ev_final *out)
{
    size_t nf = out->n;
    struct ev_card *tmp = arena_alloc(a, (nf + 1) * sizeof *tmp);
    for (size_t i = 0; i < nf; i++) {
        tmp[i].unit_id = (long long)i; /* index, sorted by the fields below */
        tmp[i].tier = out->units[i].tier;
        tmp[i].rank = out->units[i].rank;
        tmp[i].code = out->units[i].code;
    }
    qsort(tmp, nf, sizeof *tmp, card_order);
    struct ev_final_unit *sorted = arena_alloc(a, (nf + 1) * sizeof *sorted);
    for (size_t i = 0; i < nf; i++)
        sorted[i] = out->units[tmp[i].unit_id];
    out->units = sorted;
}

enum err ev_final_get(struct store *db, struct arena *a, const char *plan, int as_of,
                      struct ev_final *out, char *why, size_t whylen)
{
    memset(out, 0, sizeof *out);
    snprintf(out->plan, sizeof out->plan, "%s", plan);
    out->as_of = as_of;
    int first, last, start, end;
    enum err e = check_year(db, plan, 0, &first, &last, &start, &end, why, whylen);
    if (e != OK) return e;
    out->first = first;
    out->nyears = last - first + 1;
    struct ev_rubric cur;
    if ((e = ev_store_rubric(db, plan, &cur, NULL, 0)) != OK) return e;
    struct live L = {.db = db,
                     .a = a,
                     .first = first,
                     .nyears = out->nyears,
                     .as_of = as_of,
                     .drill_unit = 0,
                     .drill_year = -1,
                     .late_credit = cur.late_credit,
                     .notice_late_credit = cur.notice_late_credit};
    struct ev_publication pub[MAX_YEARS];
    if ((e = final_years(db, plan, start, end, out, pub)) != OK) return e;
    if (out->provisional && (e = live_run(&L, plan, NULL, why, whylen)) != OK) {
        live_free_writers(&L);
        return e;
    }
    struct fin F = {.a = a, .f = arena_alloc(a, 128 * sizeof *F.f), .cap = 128};
    e = final_gather(db, &L, &cur, out, pub, &F);
    live_free_writers(&L);
    if (e != OK) return e;
    final_rank(&F, out);
    final_sort(a, out);
    return OK;
}

/* ---- publishing ---- */

enum err ev_publish(struct store *db, struct arena *a, const char *plan, int year,
                    long long user_id, const char *user_name, long long now, size_t *units,
                    char *why, size_t whylen)
{
    *units = 0;
    int first, last, start, end;
    enum err e = check_year(db, plan, year, &first, &last, &start, &end, why, whylen);
    if (e != OK) return e;
    struct ev_publication pub;
    e = ev_store_publication(db, plan, year, &pub);
    if (e == OK) {
        say(why, whylen, "%d 年度评估已于 %s 发布，不能再次发布", year, pub.as_of);
        return ERR_CONFLICT;
    }
    if (e != ERR_NOT_FOUND) return e;
    int today = date_today_shanghai(now);
    int closes = date_from_ymd(year, 12, 31) + COMPLY_GRACE_DAYS;
    if (today <= closes) {
        char d[DATE_CN_LEN];
        date_format_cn(closes + 1, d);
        say(why, whylen,
            "%d 年尚有周期未结束（最后一个周期的宽限期至 %d年12月31日后 %d 天），%s起才能发布",
            year, year, COMPLY_GRACE_DAYS, d);
        return ERR_RULE;
    }
    struct ev_signoff so;
    if ((e = ev_signoff_get(db, a, plan, year, &so)) != OK) return e;
    if (so.required && so.state != EV_SO_APPROVED) {
        say(why, whylen, "%d 年度评估须经领导签批后才能发布（当前：%s）", year,
            ev_signoff_state_label(so.state));
        return ERR_CONFLICT;
    }
    struct ev_year y;
    if ((e = ev_year_get(db, a, plan, year, today, -1, &y, why, whylen)) != OK) return e;
    char asof[11];
    date_format(today, asof);
    long long pid;
    e = ev_store_publish(db, plan, year, &y.rubric, asof, (long long)y.n, user_id, user_name, now,
                         &pid);
    if (e == ERR_CONFLICT) say(why, whylen, "%d 年度评估刚刚已被发布", year);
    for (size_t i = 0; i < y.n && e == OK; i++) {
        struct jw w;
        jw_init(&w);
        jw_obj(&w);
        ev_card_write(&w, &y.cards[i], year, &y.rubric);
        jw_obj_end(&w);
        size_t len;
        char *card = jw_take(&w, &len);
        jw_free(&w);
        if (!card) {
            e = ERR_INTERNAL;
            break;
        }
        e = ev_store_result_add(db, pid, y.cards[i].unit_id, card, y.cards[i].drill);
        free(card);
    }
    if (e == OK) *units = y.n;
    return e;
}

/* ---- red items → draft notices ---- */

struct red_item {
    const char *key, *title, *label;
    int start, end, minimum, grace;
    long long count;
    long long units[CM_MAX_JOINT];
    const char *names[CM_MAX_JOINT];
    size_t nunits;
};

struct red {
    struct arena *a;
    struct red_item *it;
    size_t n, cap;
};

static bool red_cell(void *ctx, const struct comply_cell *c)
{
    struct red *r = ctx;
    if (c->p->light != LIGHT_RED) return true;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        struct red_item *ni = arena_alloc(r->a, cap * sizeof *ni);
        if (r->n) memcpy(ni, r->it, r->n * sizeof *ni);
        r->it = ni;
        r->cap = cap;
    }
    struct red_item *it = &r->it[r->n++];
    it->key = arena_strdup(r->a, c->o->key);
    it->title = arena_strdup(r->a, c->o->title);
    char cn[64]; /* the period as people read it (2024年第四季度), not the label 2024Q4 */
    period_label_cn(c->o->rule.per, c->p->start, cn, sizeof cn);
    it->label = arena_strdup(r->a, cn);
    it->start = c->p->start;
    it->end = c->p->end;
    it->minimum = c->p->minimum;
    it->grace = c->o->rule.grace_days;
    it->count = c->p->count;
    for (size_t k = 0; k < c->nunits && k < CM_MAX_JOINT; k++) {
        it->units[k] = c->units[k]->id;
        it->names[k] = c->units[k]->name;
    }
    it->nunits = c->nunits;
    return true;
}

/* Drafts the notice of one red item for unit k; *id gets it. */
static enum err draft_one(struct store *db, struct arena *a, const struct ev_red_query *q,
                          const struct red_item *it, size_t k, const struct sv_actor *by,
                          long long now, long long *id, const char **field, char *why,
                          size_t whylen)
{
    char ps[11], pe[11], dl[DATE_CN_LEN], asof[DATE_CN_LEN], psc[DATE_CN_LEN], pec[DATE_CN_LEN];
    date_format(it->start, ps);
    date_format(it->end, pe);
    /* the texts people read: dates as 2025年2月11日 */
    date_format_cn(it->start, psc);
    date_format_cn(it->end, pec);
    date_format_cn(it->end + it->grace, dl);
    date_format_cn(q->as_of, asof);
    char title[4 * SV_TITLE_MAX + 1], full[2048];
    snprintf(full, sizeof full, "关于督促%s完成“%s”（%s）的督办单", it->names[k], it->title,
             it->label);
    sv_utf8_cut(full, SV_TITLE_MAX, title, sizeof title);
    char *req = arena_printf(a,
                             "经履职监测，%s“%s”%s周期（%s至%s）应完成 %d，截至 %s 已计 %lld，"
                             "已过截止日（含 %d 天宽限期，至 "
                             "%s），亮红灯。请说明未完成原因，尽快补报相关台账材料，"
                             "并提出整改措施和完成时限。",
                             it->names[k], it->title, it->label, psc, pec, it->minimum, asof,
                             it->count, it->grace, dl);
    struct sv_notice_in n = {.unit_id = it->units[k],
                             .subject = SV_SUBJECT_COMPLIANCE,
                             .plan = q->plan,
                             .obligation = it->key,
                             .period_start = ps,
                             .period_end = pe,
                             .title = title,
                             .requirements = req,
                             .deadline = q->deadline,
                             .level = (enum sv_level)q->level};
    struct problem p = {0};
    enum err e = sv_notice_create(db, &n, false, by, now, id, &p);
    if (e != OK && p.msg[0]) {
        *field = p.field[0] ? arena_strdup(a, p.field) : NULL;
        say(why, whylen, "%s", p.msg);
    }
    return e;
}

enum err ev_drafts_from_red(struct store *db, struct arena *a, const struct ev_red_query *q,
                            long long user_id, const char *user_name, long long now,
                            struct ev_red_result *out, const char **field, char *why, size_t whylen)
{
    memset(out, 0, sizeof *out);
    *field = NULL;
    struct comply_query cq = {.plan = q->plan,
                              .version = PLAN_V_DEFAULT,
                              .as_of = q->as_of,
                              .unit = q->unit,
                              .task = q->task,
                              .action = q->action,
                              .obligation = q->obligation,
                              .period = q->period,
                              .lights = COMPLY_LIGHT_BIT(LIGHT_RED)};
    struct red r = {.a = a};
    struct comply_info info;
    enum err e = comply_run(comply_engine(), db, a, &cq, red_cell, &r, &info, field, why, whylen);
    if (e != OK) return e;
    struct sv_actor by = {user_id, user_name};
    for (size_t i = 0; i < r.n; i++) {
        const struct red_item *it = &r.it[i];
        char ps[11], pe[11];
        date_format(it->start, ps);
        date_format(it->end, pe);
        for (size_t k = 0; k < it->nunits; k++) {
            if (q->unit && it->units[k] != q->unit) continue;
            out->red++;
            long long open = sv_notice_open_for_item(db, it->units[k], it->key, ps, pe);
            if (store_err(db)) return store_err(db);
            if (open) {
                out->skipped++;
            } else if (out->created >= q->max) {
                out->remaining++;
            } else if (q->dry_run) {
                out->created++;
            } else {
                long long id;
                e = draft_one(db, a, q, it, k, &by, now, &id, field, why, whylen);
                if (e != OK) return e;
                if (!out->first_id) out->first_id = id;
                out->last_id = id;
                out->created++;
            }
        }
    }
    return OK;
}

/* ---- evaluators' scores ---- */

struct owes {
    int year;
    bool found;
};

static bool owes_cell(void *ctx, const struct comply_cell *c)
{
    struct owes *o = ctx;
    if (year_of(c->p->end) == o->year) {
        o->found = true;
        return false;
    }
    return true;
}

enum err ev_score_put(struct store *db, struct arena *a, const char *plan, int year,
                      long long unit_id, long long user_id, const char *user_name, long long score,
                      const char *comment, long long now, bool *created, char *why, size_t whylen)
{
    *created = false;
    int first, last, start, end;
    enum err e = check_year(db, plan, year, &first, &last, &start, &end, why, whylen);
    if (e != OK) return e;
    struct ev_publication pub;
    e = ev_store_publication(db, plan, year, &pub);
    if (e == OK) {
        say(why, whylen, "%d 年度评估已于 %s 发布，评分不能再修改", year, pub.as_of);
        return ERR_CONFLICT;
    }
    if (e != ERR_NOT_FOUND) return e;
    /* the unit must owe something that year: a row of the engine in one of its periods */
    struct unit u;
    if ((e = unit_get(db, unit_id, &u)) != OK) return e;
    bool evaluated = ev_tier_evaluated(u.tier);
    char name[sizeof u.short_name];
    snprintf(name, sizeof name, "%s", u.short_name);
    struct owes o = {.year = year};
    if (evaluated) {
        int horizon = date_from_ymd(year, 12, 31);
        struct comply_query q = {.plan = plan,
                                 .version = PLAN_V_DEFAULT,
                                 .as_of = start,
                                 .horizon = horizon,
                                 .unit = unit_id};
        struct comply_info info;
        const char *field;
        char w[256];
        e = comply_run(comply_engine(), db, a, &q, owes_cell, &o, &info, &field, w, sizeof w);
        if (e != OK) {
            say(why, whylen, "%s", w);
            return e;
        }
    }
    if (!o.found) {
        say(why, whylen, "%s在 %d 年没有本方案规定的履职义务，不参加年度评估", name, year);
        return ERR_RULE;
    }
    return ev_store_score_put(db, plan, year, unit_id, user_id, user_name, score, comment, now,
                              created);
}
