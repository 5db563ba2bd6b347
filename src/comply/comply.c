/* comply.c - the compliance engine's shared state and its one entry point, comply_run().
 *
 * One index of accepted reports per process, shared by the loop threads behind a read-write
 * lock (writer-preferring, so a refresh is not starved by a stream of readers). Why shared
 * rather than one per thread: the index of a million reports takes ~25 MB and a full load ~1 s;
 * per thread that would be paid once per thread in both memory and time, and each thread's
 * copy would lag on its own. Readers hold the lock only while evaluating and writing their
 * answer; a writer holds it only to apply changes, which are small.
 *
 * Freshness: every call first reads the work ledger's change counter (work_accepted_counter:
 * one indexed row, 0004_comply.sql).
 * When it equals the counter the index reflects, the call evaluates under the read lock at
 * once. Otherwise it takes the write lock, reads the counter again and applies the changes
 * logged since (only those reports are read), or reloads everything when it is more than
 * COMPLY_MAX_INCREMENTAL reports behind, the log no longer reaches back, or the counter went
 * backwards (a restored database). Because the counter and the log live in the database and
 * are written by the ledger's triggers on its own reports, this works with several app
 * servers and after restarts. Reports come only through the ledger's service (ledger.c).
 *
 * Plans: a published version never changes, so its model (read once from the plan document)
 * is cached for the life of the process; a draft is read again on each call. */
#include "comply/comply.h"
#include "base/date.h"
#include "base/log.h"
#include "plan/plan.h"
#include "work/work.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this many changed reports, a full reload is cheaper than reading each. */
#define COMPLY_MAX_INCREMENTAL 20000

struct comply_engine {
    pthread_rwlock_t lock; /* guards x, seq, loaded and the index_* fields of plans */
    struct comply_index *x;
    long long seq;
    bool loaded;
    pthread_mutex_t plans_mu; /* guards the cache list (entries are immutable once listed) */
    struct comply_plan **plans;
    size_t nplans, capplans;
};

struct comply_engine *comply_engine_new(void)
{
    struct comply_engine *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->x = comply_index_new();
    if (!e->x) {
        free(e);
        return NULL;
    }
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&e->lock, &attr);
    pthread_rwlockattr_destroy(&attr);
    pthread_mutex_init(&e->plans_mu, NULL);
    return e;
}

void comply_engine_free(struct comply_engine *e)
{
    if (!e) return;
    comply_index_free(e->x);
    for (size_t i = 0; i < e->nplans; i++)
        comply_plan_free(e->plans[i]);
    free(e->plans);
    pthread_rwlock_destroy(&e->lock);
    pthread_mutex_destroy(&e->plans_mu);
    free(e);
}

static struct comply_engine *global;
static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_free(void)
{
    comply_engine_free(global);
    global = NULL;
}

static void global_init(void)
{
    global = comply_engine_new();
    atexit(global_free);
}

struct comply_engine *comply_engine(void)
{
    pthread_once(&global_once, global_init);
    return global;
}

void comply_engine_stats(struct comply_engine *e, size_t *events, size_t *bytes, long long *seq)
{
    pthread_rwlock_rdlock(&e->lock);
    *events = comply_index_events(e->x);
    *bytes = comply_index_bytes(e->x);
    *seq = e->seq;
    pthread_rwlock_unlock(&e->lock);
}

/* ---- plans ---- */

/* The model of a stored plan version: cached when published (*owned false), else built for
 * this call (*owned true: free it). */
static enum err plan_model(struct comply_engine *e, struct store *db, const struct plan_row *row,
                           struct comply_plan **out, bool *owned)
{
    *out = NULL;
    *owned = false;
    if (!row->draft) {
        pthread_mutex_lock(&e->plans_mu);
        for (size_t i = 0; i < e->nplans && !*out; i++)
            if (e->plans[i]->id == row->id && e->plans[i]->version == row->version &&
                strcmp(e->plans[i]->code, row->code) == 0)
                *out = e->plans[i];
        pthread_mutex_unlock(&e->plans_mu);
        if (*out) return OK;
    }
    json_t *doc = plan_export_doc(db, row->id);
    if (!doc) return store_err(db) ? store_err(db) : ERR_NOT_FOUND;
    char why[200];
    struct comply_plan *p = comply_plan_from_doc(doc, row->id, row->draft, why, sizeof why);
    json_decref(doc);
    if (!p) {
        log_error("compliance: plan %s v%d cannot be read: %s", row->code, row->version, why);
        return ERR_INTERNAL;
    }
    if (row->draft) {
        *out = p;
        *owned = true;
        return OK;
    }
    pthread_mutex_lock(&e->plans_mu);
    for (size_t i = 0; i < e->nplans && !*out; i++)
        if (e->plans[i]->id == p->id && e->plans[i]->version == p->version &&
            strcmp(e->plans[i]->code, p->code) == 0)
            *out = e->plans[i]; /* another thread was first */
    if (!*out && e->nplans == e->capplans) {
        size_t cap = e->capplans ? e->capplans * 2 : 4;
        struct comply_plan **n = realloc(e->plans, cap * sizeof *n);
        if (n) {
            e->plans = n;
            e->capplans = cap;
        }
    }
    if (!*out && e->nplans < e->capplans) {
        e->plans[e->nplans++] = p;
        *out = p;
        p = NULL;
    }
    pthread_mutex_unlock(&e->plans_mu);
    if (p && *out)
        comply_plan_free(p);
    else if (p) { /* no room to cache it: use it for this call only */
        *out = p;
        *owned = true;
    }
    return OK;
}

/* ---- keeping the index fresh (write lock held) ---- */

static enum err refresh(struct comply_engine *e, struct store *db)
{
    long long counter;
    enum err err = work_accepted_counter(db, &counter);
    if (err != OK) return err;
    if (e->loaded && e->seq == counter) return OK;
    bool full = !e->loaded || counter < e->seq || counter - e->seq > COMPLY_MAX_INCREMENTAL;
    if (!full) {
        long long oldest;
        if ((err = work_accepted_oldest(db, &oldest)) != OK) return err;
        full = oldest == 0 || oldest > e->seq + 1;
    }
    if (!full) {
        bool too_many;
        err = comply_ledger_apply_changes(db, e->x, e->seq, counter, COMPLY_MAX_INCREMENTAL,
                                          &too_many);
        if (err == OK && !too_many) {
            e->seq = counter;
            return OK;
        }
        if (err != OK) {
            e->loaded = false;
            comply_index_reset(e->x);
            return err;
        }
    }
    /* The counter was read first: whatever committed after it is in the log above it and is
     * applied (idempotently) by a later call. */
    e->loaded = false;
    err = comply_ledger_load_all(db, e->x);
    if (err != OK) return err;
    e->seq = counter;
    e->loaded = true;
    log_info("compliance index loaded: %zu events, %zu bytes, change %lld",
             comply_index_events(e->x), comply_index_bytes(e->x), counter);
    return OK;
}

/* Tracks a metric of a kind, filling its values when the slot is new. */
static enum err track(struct comply_engine *e, struct store *db, int kind, const char *metric,
                      int *slot)
{
    *slot = comply_index_slot(e->x, kind, metric);
    if (*slot >= 0) return OK;
    *slot = comply_index_track(e->x, kind, metric);
    if (*slot < 0) return OK; /* no slot left: the metric counts as 0 */
    return comply_ledger_fill_slot(db, e->x, kind, *slot);
}

/* Interns the plan's codes and prepares the index for its duties: metric slots, city-wide
 * buckets. */
static enum err resolve(struct comply_engine *e, struct store *db, struct comply_plan *p)
{
    if (p->resolved) return OK;
    p->index_plan = comply_index_plan_id(e->x, p->code, true);
    for (size_t i = 0; i < p->no; i++) {
        struct comply_obl *o = &p->o[i];
        o->index_kind = comply_index_kind_id(e->x, o->kind, true);
        o->slot_a = o->slot_b = -1;
        if (o->index_kind < 0) continue;
        enum err err = OK;
        if (o->value == CM_METRIC)
            err = track(e, db, o->index_kind, o->metric, &o->slot_a);
        else if (o->value == CM_ALL_SCHOOLS) {
            err = track(e, db, o->index_kind, CM_SCHOOLS_TOTAL, &o->slot_a);
            if (err == OK) err = track(e, db, o->index_kind, CM_SCHOOLS_MET, &o->slot_b);
        }
        if (err != OK) return err;
        if (o->who == CM_WHO_FACILITIES) comply_index_make_city_wide(e->x, o->index_kind);
    }
    p->resolved = true;
    return OK;
}

/* ---- evaluation (read lock held) ---- */

struct run {
    const struct comply_query *q;
    comply_cell_fn fn;
    void *ctx;
    struct comply_cell cell;
    int period_day; /* q->period as a date, 0 when a label */
    size_t cells;
    bool stopped;
};

static bool on_period(void *ctx, const struct comply_period *p, bool future,
                      const struct comply_event *ev, const long long *rid, size_t n)
{
    struct run *run = ctx;
    const struct comply_query *q = run->q;
    if (q->lights && !(q->lights & COMPLY_LIGHT_BIT(p->light))) return true;
    struct comply_cell *c = &run->cell;
    comply_period_label(&c->o->rule, p->start, c->label, sizeof c->label);
    if (q->period) {
        if (run->period_day ? run->period_day < p->start || run->period_day > p->end
                            : strcmp(q->period, c->label) != 0)
            return true;
    }
    if (q->open_only && !future &&
        (comply_closed(p, c->o->rule.grace_days, q->as_of) || p->status == COMPLY_MET ||
         p->status == COMPLY_MET_LATE || !comply_assessed(p)))
        return true;
    c->p = p;
    c->future = future;
    c->ev = q->want_events ? ev : NULL;
    c->rid = q->want_events ? rid : NULL;
    c->nev = q->want_events ? n : 0;
    run->cells++;
    if (!run->fn(run->ctx, c)) {
        run->stopped = true;
        return false;
    }
    return true;
}

static enum err evaluate(struct comply_engine *e, const struct comply_plan *p,
                         const struct comply_unit *units, size_t nunits, struct run *run,
                         struct comply_info *info)
{
    const struct comply_query *q = run->q;
    struct comply_rows rows;
    if (!comply_rows_build(p, units, nunits, &rows)) return ERR_INTERNAL;
    struct comply_scratch sc = {0};
    enum err err = OK;
    int horizon = q->horizon > q->as_of ? q->horizon : q->as_of;
    for (size_t i = 0; i < rows.n && !run->stopped; i++) {
        const struct comply_row *row = &rows.r[i];
        const struct comply_obl *o = &p->o[row->obl];
        if (q->task && o->task != q->task) continue;
        if (q->action && o->action != q->action) continue;
        if (q->obligation && strcmp(q->obligation, o->key) != 0) continue;
        if (q->unit) {
            bool mine = false;
            for (size_t k = 0; k < row->n; k++)
                mine |= units[rows.idx[row->first + k]].id == q->unit;
            if (!mine) continue;
        }
        info->rows++;
        struct comply_source src = {.value = o->value, .slot_a = o->slot_a, .slot_b = o->slot_b};
        long long task = strcmp(o->kind, CM_TASK_KIND) == 0 ? o->task : 0;
        struct comply_cell *c = &run->cell;
        memset(c, 0, sizeof *c);
        c->plan = p;
        c->o = o;
        c->city_wide = row->city_wide;
        c->as_of = q->as_of;
        for (size_t k = 0; k < row->n && k < CM_MAX_JOINT; k++) {
            const struct comply_unit *u = &units[rows.idx[row->first + k]];
            c->units[c->nunits++] = u;
            const struct comply_index_bucket *b =
                o->index_kind < 0 ? NULL
                                  : comply_index_find(e->x, p->index_plan, o->index_kind,
                                                      row->city_wide ? 0 : u->id, task);
            if (b && b->n) src.b[src.nb++] = b;
        }
        bool oom;
        comply_eval(&o->rule, &src, q->as_of, horizon, &sc, on_period, run, &oom);
        if (oom) err = ERR_INTERNAL;
        if (err != OK) break;
    }
    info->cells = run->cells;
    comply_scratch_free(&sc);
    comply_rows_free(&rows);
    return err;
}

enum err comply_run(struct comply_engine *e, struct store *db, struct arena *a,
                    const struct comply_query *q, comply_cell_fn fn, void *ctx,
                    struct comply_info *info, const char **field, char *why, size_t whylen)
{
    memset(info, 0, sizeof *info);
    *field = NULL;
    why[0] = '\0';
    if (!e) return ERR_INTERNAL;
    struct plan_row row;
    enum err err = plan_find(db, q->plan, q->version, &row);
    if (err != OK) return err;
    struct comply_plan *p;
    bool owned;
    if ((err = plan_model(e, db, &row, &p, &owned)) != OK) return err;
    info->plan_id = p->id;
    snprintf(info->code, sizeof info->code, "%s", p->code);
    info->version = p->version;
    info->draft = p->draft;
    info->start = p->start;
    info->end = p->end;

    struct comply_unit *units = NULL;
    size_t nunits = 0;
    long long counter = 0;
    struct run run = {.q = q, .fn = fn, .ctx = ctx};
    if (q->as_of < p->start) {
        char d[DATE_CN_LEN];
        date_format_cn(p->start, d);
        *field = "as_of";
        snprintf(why, whylen, "统计日期 as_of 不能早于方案开始日期 %s", d);
        err = ERR_RULE;
    } else if (q->obligation && !comply_plan_obligation(p, q->obligation)) {
        *field = "obligation";
        snprintf(why, whylen, "方案 %s 中没有义务 %.64s", p->code, q->obligation);
        err = ERR_RULE;
    }
    if (err == OK) err = comply_units(db, a, &units, &nunits);
    if (err == OK) err = work_accepted_counter(db, &counter);
    if (err == OK && q->period) {
        int d;
        run.period_day = date_parse(q->period, &d) ? d : 0;
    }
    if (err == OK) {
        pthread_rwlock_rdlock(&e->lock);
        if (!e->loaded || e->seq != counter || !p->resolved) {
            pthread_rwlock_unlock(&e->lock);
            pthread_rwlock_wrlock(&e->lock);
            err = refresh(e, db);
            if (err == OK) err = resolve(e, db, p);
            pthread_rwlock_unlock(&e->lock);
            if (err == OK) pthread_rwlock_rdlock(&e->lock);
        }
        if (err == OK) {
            info->seq = e->seq;
            err = evaluate(e, p, units, nunits, &run, info);
            pthread_rwlock_unlock(&e->lock);
        }
    }
    if (owned) comply_plan_free(p);
    return err;
}
