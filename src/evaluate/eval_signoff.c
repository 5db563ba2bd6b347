/* eval_signoff.c - the leader's sign-off (签批) of a year's evaluation: when the setting
 * evaluate.signoff_required is on, the office asks for sign-off, a leader approves (optional
 * note) or returns it (reason required), and only an approved year can be published
 * (ev_publish). Whoever asked never decides. The steps are stored in order and are the year's
 * history; the rule of who may take which step is ev_signoff_may (eval_rules.c). No SQL. */
#include "evaluate/evaluate_store.h"
#include "base/date.h"
#include "org/policy.h"
#include <stdio.h>
#include <string.h>

enum err ev_signoff_required(struct store *db, bool *on)
{
    char v[8];
    bool found;
    enum err e = setting_get(db, EV_SIGNOFF_SETTING, v, sizeof v, &found);
    *on = e == OK && found && strcmp(v, "1") == 0;
    return e;
}

enum err ev_signoff_set_required(struct store *db, bool on, long long by, long long now)
{
    return setting_put(db, EV_SIGNOFF_SETTING, on ? "1" : "0", by, now);
}

struct steps {
    struct arena *a;
    struct ev_signoff *s;
    size_t cap;
};

static bool add_step(void *ctx, const struct ev_signoff_row *r)
{
    struct steps *st = ctx;
    struct ev_signoff *s = st->s;
    if (s->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 8;
        struct ev_signoff_step *n = arena_alloc(st->a, cap * sizeof *n);
        if (s->n) memcpy(n, s->steps, s->n * sizeof *n);
        s->steps = n;
        st->cap = cap;
    }
    struct ev_signoff_step *o = &s->steps[s->n++];
    o->step = arena_strdup(st->a, r->step ? r->step : "");
    o->user_name = arena_strdup(st->a, r->user_name ? r->user_name : "");
    o->note = arena_strdup(st->a, r->note ? r->note : "");
    o->user_id = r->user_id;
    o->at = r->at;
    if (strcmp(o->step, "request") == 0) s->requested_by = r->user_id;
    s->state = ev_signoff_state_of(o->step);
    return true;
}

enum err ev_signoff_get(struct store *db, struct arena *a, const char *plan, int year,
                        struct ev_signoff *out)
{
    memset(out, 0, sizeof *out);
    enum err e = ev_signoff_required(db, &out->required);
    if (e != OK) return e;
    struct steps st = {.a = a, .s = out};
    return ev_store_signoff_each(db, plan, year, add_step, &st);
}

enum err ev_signoff_step_take(struct store *db, struct arena *a, const char *plan, int year,
                              const char *step, const char *note, long long user_id,
                              const char *user_name, long long now, const char **field, char *why,
                              size_t whylen)
{
    *field = NULL;
    int start, end;
    enum err e = ev_plan_period(db, plan, &start, &end);
    if (e == ERR_NOT_FOUND) {
        snprintf(why, whylen, "方案不存在：%.64s", plan);
        *field = "code";
        return e;
    }
    if (e != OK) return e;
    int y0, y1;
    date_to_ymd(start, &y0, NULL, NULL);
    date_to_ymd(end, &y1, NULL, NULL);
    if (year < y0 || year > y1) {
        snprintf(why, whylen, "%d 年不在实施方案的实施期（%d—%d 年）内，没有该年度的考评", year, y0,
                 y1);
        *field = "year";
        return ERR_NOT_FOUND;
    }
    struct ev_publication pub;
    e = ev_store_publication(db, plan, year, &pub);
    if (e == OK) {
        snprintf(why, whylen, "%d 年度评估已于 %s 发布，不需要再签批", year, pub.as_of);
        *field = "year";
        return ERR_CONFLICT;
    }
    if (e != ERR_NOT_FOUND) return e;
    struct ev_signoff s;
    if ((e = ev_signoff_get(db, a, plan, year, &s)) != OK) return e;
    if (!s.required) {
        snprintf(why, whylen, "未开启考评结果签批，办公室可直接发布");
        *field = "signoff";
        return ERR_RULE;
    }
    const char *w;
    if (!ev_signoff_may(s.state, step, s.requested_by, user_id, &e, &w)) {
        snprintf(why, whylen, "%s", w);
        *field = "signoff";
        return e;
    }
    if (strcmp(step, "return") == 0 && (!note || !*note)) {
        snprintf(why, whylen, "退回须填写退回理由");
        *field = "reason";
        return ERR_RULE;
    }
    return ev_store_signoff_add(db, plan, year, step, user_id, user_name, note, now);
}
