/* comply_rules.c - the plan model, rows (who owes each duty), event selection and per-period
 * evaluation of the compliance engine; pure, see scope.h. */
#include "comply/scope.h"
#include "base/date.h"
#include "plan/plan.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the plan model ---- */

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void obl_free(struct comply_obl *o)
{
    free(o->key);
    free(o->title);
    free(o->kind);
    free(o->metric);
    free(o->rule_name);
    free(o->note);
    free(o->per_name);
    for (size_t i = 0; i < o->nunits; i++)
        free(o->units[i]);
    free(o->units);
    for (size_t i = 0; i < o->ntiers; i++)
        free(o->tiers[i]);
    free(o->tiers);
}

void comply_plan_free(struct comply_plan *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->no; i++)
        obl_free(&p->o[i]);
    free(p->o);
    for (size_t i = 0; i < p->na; i++)
        free(p->a[i].title);
    free(p->a);
    free(p->code);
    free(p->title);
    free(p);
}

static char **str_list(json_t *arr, size_t *n)
{
    *n = json_array_size(arr);
    char **out = calloc(*n ? *n : 1, sizeof *out);
    if (!out) return NULL;
    for (size_t i = 0; i < *n; i++) {
        const char *s = json_string_value(json_array_get(arr, i));
        out[i] = strdup(s ? s : "");
    }
    return out;
}

static int task_action(json_t *tasks, long long no)
{
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t) if (json_integer_value(json_object_get(t, "no")) == no) return (
        int)json_integer_value(json_object_get(t, "action"));
    return 0;
}

struct comply_plan *comply_plan_from_doc(json_t *doc, long long id, bool draft, char *why,
                                         size_t whylen)
{
    struct comply_plan *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->id = id;
    p->draft = draft;
    p->code = dup_or_null(json_string_value(json_object_get(doc, "code")));
    p->title = dup_or_null(json_string_value(json_object_get(doc, "title")));
    p->version = (int)json_integer_value(json_object_get(doc, "version"));
    if (!p->code || !date_parse(json_string_value(json_object_get(doc, "start")), &p->start) ||
        !date_parse(json_string_value(json_object_get(doc, "end")), &p->end)) {
        snprintf(why, whylen, "plan document without code, start or end");
        comply_plan_free(p);
        return NULL;
    }
    json_t *actions = json_object_get(doc, "actions");
    p->na = json_array_size(actions);
    p->a = calloc(p->na ? p->na : 1, sizeof *p->a);
    for (size_t i = 0; p->a && i < p->na; i++) {
        json_t *a = json_array_get(actions, i);
        p->a[i].no = (int)json_integer_value(json_object_get(a, "no"));
        p->a[i].title = dup_or_null(json_string_value(json_object_get(a, "title")));
    }
    json_t *tasks = json_object_get(doc, "tasks");
    json_t *obls = json_object_get(doc, "obligations");
    p->no = json_array_size(obls);
    p->o = calloc(p->no ? p->no : 1, sizeof *p->o);
    if (!p->a || !p->o) {
        comply_plan_free(p);
        return NULL;
    }
    for (size_t i = 0; i < p->no; i++) {
        json_t *j = json_array_get(obls, i);
        struct comply_obl *o = &p->o[i];
        o->key = dup_or_null(json_string_value(json_object_get(j, "key")));
        o->title = dup_or_null(json_string_value(json_object_get(j, "title")));
        o->kind = dup_or_null(json_string_value(json_object_get(j, "kind")));
        o->metric = dup_or_null(json_string_value(json_object_get(j, "metric")));
        o->rule_name = dup_or_null(json_string_value(json_object_get(j, "rule")));
        o->note = dup_or_null(json_string_value(json_object_get(j, "note")));
        o->per_name = dup_or_null(json_string_value(json_object_get(j, "per")));
        o->task = (long long)json_integer_value(json_object_get(j, "task"));
        o->action = task_action(tasks, o->task);
        o->index_kind = o->slot_a = o->slot_b = -1;
        json_t *who = json_object_get(j, "who");
        if (json_is_array(json_object_get(who, "units"))) {
            o->who = CM_WHO_UNITS;
            o->units = str_list(json_object_get(who, "units"), &o->nunits);
        } else if (json_is_array(json_object_get(who, "tiers"))) {
            o->who = CM_WHO_TIERS;
            o->tiers = str_list(json_object_get(who, "tiers"), &o->ntiers);
        } else {
            o->who = CM_WHO_FACILITIES;
        }
        if (!o->key || !o->title || !o->kind || !o->per_name ||
            !plan_obligation_rule(j, &o->rule) || (o->who == CM_WHO_UNITS && !o->units) ||
            (o->who == CM_WHO_TIERS && !o->tiers)) {
            snprintf(why, whylen, "obligation %zu (%s) cannot be read", i, o->key ? o->key : "?");
            comply_plan_free(p);
            return NULL;
        }
        if (o->rule_name && strcmp(o->rule_name, CM_RULE_ALL_SCHOOLS) == 0)
            o->value = CM_ALL_SCHOOLS;
        else if (o->metric)
            o->value = CM_METRIC;
        else
            o->value = CM_COUNT;
    }
    return p;
}

const struct comply_obl *comply_plan_obligation(const struct comply_plan *p, const char *key)
{
    for (size_t i = 0; key && i < p->no; i++)
        if (strcmp(p->o[i].key, key) == 0) return &p->o[i];
    return NULL;
}

bool comply_obl_counts(const struct comply_obl *o, const char *kind, const long long *tasks,
                       size_t ntasks)
{
    if (!kind || strcmp(o->kind, kind) != 0) return false;
    if (strcmp(o->kind, CM_TASK_KIND) != 0) return true;
    for (size_t i = 0; i < ntasks; i++)
        if (tasks[i] == o->task) return true;
    return false;
}

const char *comply_plan_action_title(const struct comply_plan *p, int no)
{
    for (size_t i = 0; i < p->na; i++)
        if (p->a[i].no == no) return p->a[i].title;
    return NULL;
}

/* ---- rows ---- */

static bool push_idx(struct comply_rows *rows, size_t i)
{
    if (rows->nidx == rows->capidx) {
        size_t cap = rows->capidx ? rows->capidx * 2 : 256;
        size_t *n = realloc(rows->idx, cap * sizeof *n);
        if (!n) return false;
        rows->idx = n;
        rows->capidx = cap;
    }
    rows->idx[rows->nidx++] = i;
    return true;
}

static bool push_row(struct comply_rows *rows, size_t obl, size_t first, bool city_wide)
{
    if (rows->n == rows->cap) {
        size_t cap = rows->cap ? rows->cap * 2 : 128;
        struct comply_row *n = realloc(rows->r, cap * sizeof *n);
        if (!n) return false;
        rows->r = n;
        rows->cap = cap;
    }
    rows->r[rows->n++] = (struct comply_row){obl, first, rows->nidx - first, city_wide};
    return true;
}

/* A unit that can owe duties: active and not a named group. */
static bool owes(const struct comply_unit *u)
{
    return u->active && !(u->tier && strcmp(u->tier, "group") == 0);
}

static long long find_key(const struct comply_unit *u, size_t nu, const char *key)
{
    for (size_t i = 0; key && i < nu; i++)
        if (u[i].key && strcmp(u[i].key, key) == 0) return (long long)i;
    return -1;
}

bool comply_rows_build(const struct comply_plan *p, const struct comply_unit *u, size_t nu,
                       struct comply_rows *out)
{
    memset(out, 0, sizeof *out);
    for (size_t k = 0; k < p->no; k++) {
        const struct comply_obl *o = &p->o[k];
        size_t first = out->nidx;
        if (o->who == CM_WHO_UNITS) {
            for (size_t j = 0; j < o->nunits && out->nidx - first < CM_MAX_JOINT; j++) {
                long long i = find_key(u, nu, o->units[j]);
                bool dup = false;
                for (size_t m = first; m < out->nidx; m++)
                    dup |= out->idx[m] == (size_t)i;
                if (i >= 0 && !dup && owes(&u[i]) && !push_idx(out, (size_t)i)) goto oom;
            }
            if (out->nidx > first && !push_row(out, k, first, false)) goto oom;
        } else if (o->who == CM_WHO_TIERS) {
            for (size_t i = 0; i < nu; i++) {
                if (!owes(&u[i]) || !u[i].tier) continue;
                bool in = false;
                for (size_t t = 0; t < o->ntiers; t++)
                    in |= strcmp(o->tiers[t], u[i].tier) == 0;
                if (!in) continue;
                size_t one = out->nidx;
                if (!push_idx(out, i) || !push_row(out, k, one, false)) goto oom;
            }
        } else {
            long long i = find_key(u, nu, CM_FACILITY_OWNER);
            if (i >= 0 && owes(&u[i]) &&
                (!push_idx(out, (size_t)i) || !push_row(out, k, first, true)))
                goto oom;
        }
    }
    return true;
oom:
    comply_rows_free(out);
    return false;
}

void comply_rows_free(struct comply_rows *rows)
{
    free(rows->r);
    free(rows->idx);
    memset(rows, 0, sizeof *rows);
}

/* ---- event selection ---- */

void comply_scratch_free(struct comply_scratch *s)
{
    free(s->ev);
    free(s->rid);
    memset(s, 0, sizeof *s);
}

static bool scratch_reserve(struct comply_scratch *s, size_t n)
{
    if (n <= s->cap) return true;
    size_t cap = s->cap ? s->cap : 256;
    while (cap < n)
        cap *= 2;
    struct comply_event *ev = realloc(s->ev, cap * sizeof *ev);
    if (!ev) return false;
    s->ev = ev;
    long long *rid = realloc(s->rid, cap * sizeof *rid);
    if (!rid) return false;
    s->rid = rid;
    s->cap = cap;
    return true;
}

static long long value_at(const struct comply_source *s, const struct comply_index_bucket *b,
                          size_t i)
{
    switch (s->value) {
    case CM_COUNT:
        return 1;
    case CM_METRIC:
        return s->slot_a >= 0 && b->mv[s->slot_a] ? b->mv[s->slot_a][i] : 0;
    case CM_ALL_SCHOOLS: {
        long long total = s->slot_a >= 0 && b->mv[s->slot_a] ? b->mv[s->slot_a][i] : 0;
        long long met = s->slot_b >= 0 && b->mv[s->slot_b] ? b->mv[s->slot_b][i] : 0;
        return total > 0 && met >= total ? 1 : 0;
    }
    }
    return 0;
}

size_t comply_select(const struct comply_source *s, int lo, int hi, struct comply_scratch *sc,
                     const struct comply_event **ev, const long long **rid)
{
    *ev = NULL;
    *rid = NULL;
    if (lo > hi || s->nb == 0) return 0;
    size_t from[CM_MAX_JOINT], to[CM_MAX_JOINT], total = 0;
    for (size_t k = 0; k < s->nb; k++) {
        from[k] = comply_index_lower(s->b[k], lo);
        to[k] = hi == INT_MAX ? s->b[k]->n : comply_index_lower(s->b[k], hi + 1);
        total += to[k] - from[k];
    }
    if (s->nb == 1 && s->value == CM_COUNT) { /* the bucket's own slice */
        *ev = s->b[0]->ev + from[0];
        *rid = s->b[0]->rid + from[0];
        return total;
    }
    if (!scratch_reserve(sc, total ? total : 1)) return (size_t)-1;
    size_t n = 0;
    if (s->nb == 1) {
        const struct comply_index_bucket *b = s->b[0];
        for (size_t i = from[0]; i < to[0]; i++, n++) {
            sc->ev[n] = b->ev[i];
            sc->ev[n].value = value_at(s, b, i);
            sc->rid[n] = b->rid[i];
        }
    } else { /* merge the sorted slices; a report held by two of the row's units counts once */
        for (;;) {
            size_t best = s->nb;
            for (size_t k = 0; k < s->nb; k++) {
                if (from[k] == to[k]) continue;
                const struct comply_index_bucket *b = s->b[k];
                if (best == s->nb) {
                    best = k;
                    continue;
                }
                const struct comply_index_bucket *c = s->b[best];
                int da = b->ev[from[k]].activity_day, db = c->ev[from[best]].activity_day;
                if (da < db || (da == db && b->rid[from[k]] < c->rid[from[best]])) best = k;
            }
            if (best == s->nb) break;
            const struct comply_index_bucket *b = s->b[best];
            size_t i = from[best]++;
            if (n > 0 && sc->rid[n - 1] == b->rid[i] &&
                sc->ev[n - 1].activity_day == b->ev[i].activity_day)
                continue;
            sc->ev[n] = b->ev[i];
            sc->ev[n].value = value_at(s, b, i);
            sc->rid[n] = b->rid[i];
            n++;
        }
    }
    *ev = sc->ev;
    *rid = sc->rid;
    return n;
}

/* ---- evaluation ---- */

void comply_period_label(const struct comply_rule *rule, int start, char *buf, size_t n)
{
    if (rule->per == PERIOD_ONCE) {
        char d[11];
        date_format(rule->due, d);
        snprintf(buf, n, "%s前", d);
    } else {
        period_label(rule->per, start, buf, n);
    }
}

bool comply_eval(const struct comply_rule *rule, const struct comply_source *s, int as_of,
                 int horizon, struct comply_scratch *sc, comply_period_fn fn, void *ctx, bool *oom)
{
    *oom = false;
    const struct comply_event *ev;
    const long long *rid;
    struct comply_period p;
    if (rule->per == PERIOD_ONCE) {
        if (as_of < rule->from || rule->due < rule->from) return true;
        /* done after the due date still counts, as made up late */
        size_t n = comply_select(s, rule->from, as_of, sc, &ev, &rid);
        if (n == (size_t)-1) return !(*oom = true);
        if (comply_evaluate(rule, ev, n, as_of, &p, 1) != 1) return true;
        return fn(ctx, &p, false, ev, rid, n);
    }
    int start, end;
    period_containing(rule->per, rule->from, &start, &end);
    while (start <= rule->to) {
        /* One period at a time: the rule cut to this period pro-rates and judges it exactly as
         * the whole rule would (same period, same days in effect), over its events only. */
        struct comply_rule sub = *rule;
        sub.from = start > rule->from ? start : rule->from;
        sub.to = end < rule->to ? end : rule->to;
        if (sub.from <= as_of) {
            size_t n = comply_select(s, sub.from, end, sc, &ev, &rid);
            if (n == (size_t)-1) return !(*oom = true);
            if (comply_evaluate(&sub, ev, n, as_of, &p, 1) == 1 && !fn(ctx, &p, false, ev, rid, n))
                return false;
        } else if (sub.from <= horizon) {
            if (comply_evaluate(&sub, NULL, 0, sub.from, &p, 1) == 1) {
                p.count = p.count_on_time = 0;
                p.status = COMPLY_NOT_DUE;
                p.light = LIGHT_GREEN;
                p.late = false;
                if (!fn(ctx, &p, true, NULL, NULL, 0)) return false;
            }
        } else {
            break;
        }
        if (end == INT_MAX) break;
        period_containing(rule->per, end + 1, &start, &end);
    }
    return true;
}
