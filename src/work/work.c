/* work.c - the work ledger's services for the API and for other areas. One event, one record:
 * an area that records something an obligation counts (a volunteer activity held, a facility
 * opening, a meeting held, a survey wave closed) files the ledger report itself with
 * work_file(), checked against the plan exactly as a report filed through the API, and keeps
 * the report id; nobody types the same fact twice. Who may file for which unit is the
 * caller's rule (routes check it with req_may_act_for_unit()). */
#include "work/work.h"
#include "base/date.h"
#include "org/units.h"
#include "plan/plan.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool work_unit_can_report(struct store *db, long long id, long long *parent, char *why,
                          size_t whylen)
{
    *parent = 0;
    struct unit u;
    if (unit_get(db, id, &u) != OK) {
        snprintf(why, whylen, "单位不存在");
        return false;
    }
    bool ok = true;
    if (strcmp(u.tier, "group") == 0) {
        snprintf(why, whylen, "“%s”是泛指的单位组，不能作为报送单位", u.name);
        ok = false;
    } else if (!u.active) {
        snprintf(why, whylen, "单位“%s”已停用", u.name);
        ok = false;
    }
    *parent = u.parent_id;
    return ok;
}

static enum err problem(struct work_problems *pr, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum err problem(struct work_problems *pr, const char *field, const char *fmt, ...)
{
    char msg[sizeof pr->items[0].msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pr->n = 1;
    return problem_set(&pr->items[0], ERR_RULE, field, "%s", msg);
}

/* The plan's catalogue for checks; free with done_catalog. ERR_RULE with pr filled when the
 * plan is not published. */
struct cat {
    struct work_plan p;
    json_t *kinds;
    struct work_catalog c;
};

static enum err load_catalog(struct store *db, const char *code, long long now, struct cat *k,
                             struct work_problems *pr)
{
    memset(k, 0, sizeof *k);
    enum err e = work_plan_load(db, code, &k->p);
    if (e == ERR_NOT_FOUND) return problem(pr, "plan", "方案不存在或尚未发布：%.64s", code);
    if (e != OK) return e;
    k->kinds = plan_kinds(db);
    if (!k->kinds) return store_err(db) ? store_err(db) : ERR_INTERNAL;
    k->c = (struct work_catalog){.plan = k->p.code,
                                 .start = k->p.start,
                                 .end = k->p.end,
                                 .today = date_today_shanghai(now),
                                 .tasks = k->p.tasks,
                                 .ntasks = k->p.ntasks,
                                 .kinds = k->kinds};
    return OK;
}

static void done_catalog(struct cat *k)
{
    json_decref(k->kinds);
    work_plan_free(&k->p);
}

enum err work_file_all(struct store *db, const struct work_report *rs, size_t n, const char *plan,
                       const char *source, const struct work_actor *by, long long now,
                       long long *ids, size_t *bad, struct work_problems *pr)
{
    pr->n = 0;
    *bad = 0;
    struct cat k;
    enum err e = load_catalog(db, plan ? plan : WORK_DEFAULT_PLAN, now, &k, pr);
    long long unit = 0, parent = 0; /* the last unit checked: imports list a unit many times */
    for (size_t i = 0; i < n && e == OK; i++) {
        const struct work_report *r = &rs[i];
        *bad = i;
        ids[i] = 0;
        char why[256];
        if (!unit || r->unit_id != unit) {
            if (!work_unit_can_report(db, r->unit_id, &parent, why, sizeof why)) {
                e = store_err(db) ? store_err(db) : problem(pr, "unit", "%s", why);
                break;
            }
            unit = r->unit_id;
        }
        if (!work_report_check(r, &k.c, pr))
            e = ERR_RULE;
        else
            e = work_store_insert(db, r, k.p.code, parent, source, NULL, by, now, &ids[i]);
    }
    done_catalog(&k);
    return e;
}

enum err work_file(struct store *db, const struct work_report *r, const char *plan,
                   const char *source, const char *source_ref, const struct work_actor *by,
                   long long now, long long *id, struct work_problems *pr)
{
    pr->n = 0;
    *id = 0;
    char why[256];
    long long parent;
    if (!work_unit_can_report(db, r->unit_id, &parent, why, sizeof why)) {
        if (store_err(db)) return store_err(db);
        return problem(pr, "unit", "%s", why);
    }
    struct cat k;
    enum err e = load_catalog(db, plan ? plan : WORK_DEFAULT_PLAN, now, &k, pr);
    if (e == OK) {
        if (!work_report_check(r, &k.c, pr))
            e = ERR_RULE;
        else
            e = work_store_insert(db, r, k.p.code, parent, source, source_ref, by, now, id);
    }
    done_catalog(&k);
    return e;
}

enum err work_correct(struct store *db, const struct work_row_state *s, const struct work_report *r,
                      const char *plan, const struct work_actor *by, long long now,
                      struct work_problems *pr)
{
    pr->n = 0;
    if (r->unit_id && r->unit_id != s->unit_id)
        return problem(pr, "unit", "不能更改报送单位：如报错了单位，请以正确单位重新报送");
    if (plan && strcmp(plan, s->plan) != 0) return problem(pr, "plan", "不能更改报送所属的方案");
    struct work_report rep = *r;
    rep.unit_id = s->unit_id;
    struct cat k;
    enum err e = load_catalog(db, s->plan, now, &k, pr);
    if (e == OK)
        e = work_report_check(&rep, &k.c, pr) ? work_store_update(db, s->id, &rep, by, now)
                                              : ERR_RULE;
    done_catalog(&k);
    return e;
}

/* ---- accepted reports, for the compliance index ---- */

enum err work_accepted_each(struct store *db, work_accepted_fn fn, void *ctx)
{
    return work_store_accepted_scan(db, 0, fn, ctx);
}

enum err work_accepted_get(struct store *db, long long id, work_accepted_fn fn, void *ctx)
{
    return id > 0 ? work_store_accepted_scan(db, id, fn, ctx) : OK;
}

enum err work_accepted_values(struct store *db, const char *kind, const char *metric,
                              work_value_fn fn, void *ctx)
{
    return work_store_accepted_values(db, kind, metric, fn, ctx);
}

enum err work_accepted_counter(struct store *db, long long *seq)
{
    return work_store_changes_counter(db, seq);
}

enum err work_accepted_oldest(struct store *db, long long *seq)
{
    return work_store_changes_oldest(db, seq);
}

enum err work_accepted_changes(struct store *db, long long from, long long to, work_change_fn fn,
                               void *ctx)
{
    return work_store_changes_scan(db, from, to, fn, ctx);
}
