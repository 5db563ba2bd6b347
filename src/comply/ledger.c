/* ledger.c - the compliance index fed through the work ledger's service (work.h, "accepted
 * reports"): every accepted report at once, then only the reports the ledger's change log names,
 * and the values of a metric when a duty starts summing it. The engine never reads the
 * ledger's tables; it holds what the service hands it, as events (index.h). */
#include "comply/comply.h"
#include "base/date.h"
#include "work/work.h"
#include <stdlib.h>
#include <string.h>

struct adding {
    struct comply_index *x;
    int task_kind;
    bool ok; /* false after an out-of-memory */
};

/* Adds an accepted report: one event per task named for progress reports, with the values of
 * the kind's tracked metrics (negative values count as 0). */
static bool add_report(void *ctx, const struct work_accepted *w)
{
    struct adding *ad = ctx;
    struct comply_index *x = ad->x;
    struct comply_index_report r = {0};
    r.id = w->id;
    r.plan = comply_index_plan_id(x, w->plan, true);
    r.unit = w->unit_id;
    r.parent = w->parent_unit_id;
    r.kind = comply_index_kind_id(x, w->kind, true);
    if (r.plan < 0 || r.kind < 0 || !date_parse(w->activity_date, &r.act) ||
        !date_parse(w->accepted_date, &r.acc))
        return true; /* cannot count */
    int ns = comply_index_nslots(x, r.kind);
    for (int s = 0; s < ns; s++) {
        const char *metric = comply_index_slot_metric(x, r.kind, s);
        for (size_t i = 0; metric && i < w->nmetrics; i++)
            if (strcmp(w->metrics[i].name, metric) == 0) {
                r.values[s] = w->metrics[i].value > 0 ? w->metrics[i].value : 0;
                break;
            }
    }
    if (r.kind != ad->task_kind) return (ad->ok = comply_index_add(x, &r));
    for (size_t i = 0; i < w->ntasks; i++) {
        r.task = w->tasks[i];
        if (!comply_index_add(x, &r)) return (ad->ok = false);
    }
    return true;
}

enum err comply_ledger_load_all(struct store *db, struct comply_index *x)
{
    comply_index_reset(x);
    comply_index_bulk_begin(x);
    struct adding ad = {x, comply_index_kind_id(x, CM_TASK_KIND, true), true};
    enum err e = work_accepted_each(db, add_report, &ad);
    if (!comply_index_bulk_end(x)) ad.ok = false;
    if (e == OK && !ad.ok) e = ERR_INTERNAL;
    /* the values of tracked metrics were read along; bulk_end keeps them (see
     * comply_index_bulk_end) */
    if (e != OK) comply_index_reset(x);
    return e;
}

/* ---- the values of one tracked slot ---- */

struct pairs {
    long long (*v)[2]; /* (report id, value) */
    size_t n, cap;
    bool ok;
};

static bool add_pair(void *ctx, long long id, long long value)
{
    struct pairs *p = ctx;
    if (p->n == p->cap) {
        long long(*m)[2] = realloc(p->v, p->cap * 2 * sizeof *p->v);
        if (!m) return (p->ok = false);
        p->v = m;
        p->cap *= 2;
    }
    p->v[p->n][0] = id;
    p->v[p->n][1] = value > 0 ? value : 0;
    p->n++;
    return true;
}

static int pair_cmp(const void *a, const void *b)
{
    const long long *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

enum err comply_ledger_fill_slot(struct store *db, struct comply_index *x, int kind, int slot)
{
    const char *kname = comply_index_kind_name(x, kind),
               *metric = comply_index_slot_metric(x, kind, slot);
    if (!kname || !metric) return OK;
    struct pairs p = {malloc(1024 * sizeof *p.v), 0, 1024, true};
    if (!p.v) return ERR_INTERNAL;
    enum err e = work_accepted_values(db, kname, metric, add_pair, &p);
    if (e == OK && !p.ok) e = ERR_INTERNAL;
    if (e == OK) {
        qsort(p.v, p.n, sizeof *p.v, pair_cmp);
        comply_index_fill_slot(x, kind, slot, (const long long(*)[2])p.v, p.n);
    }
    free(p.v);
    return e;
}

/* ---- the changes since the last counter value seen ---- */

struct changes {
    long long (*rows)[2]; /* (report id, was accepted) */
    size_t n, cap, max;
    bool too_many, ok;
};

static bool add_change(void *ctx, long long report_id, bool was_accepted)
{
    struct changes *c = ctx;
    if (c->n == c->max) {
        c->too_many = true;
        return false;
    }
    if (c->n == c->cap) {
        long long(*m)[2] = realloc(c->rows, c->cap * 2 * sizeof *c->rows);
        if (!m) return (c->ok = false);
        c->rows = m;
        c->cap *= 2;
    }
    c->rows[c->n][0] = report_id;
    c->rows[c->n][1] = was_accepted;
    c->n++;
    return true;
}

enum err comply_ledger_apply_changes(struct store *db, struct comply_index *x, long long from,
                                     long long to, size_t max, bool *too_many)
{
    struct changes c = {malloc(64 * sizeof *c.rows), 0, 64, max, false, true};
    enum err e = c.rows ? work_accepted_changes(db, from, to, add_change, &c) : ERR_INTERNAL;
    if (e == OK && !c.ok) e = ERR_INTERNAL;
    *too_many = c.too_many;
    if (e == OK && !c.too_many) {
        /* each report once; was accepted when any of its changes says so */
        qsort(c.rows, c.n, sizeof *c.rows, pair_cmp);
        size_t u = 0;
        for (size_t i = 0; i < c.n; i++) {
            if (u > 0 && c.rows[u - 1][0] == c.rows[i][0])
                c.rows[u - 1][1] |= c.rows[i][1];
            else {
                c.rows[u][0] = c.rows[i][0];
                c.rows[u][1] = c.rows[i][1];
                u++;
            }
        }
        /* reports that were accepted lose their old events first; then each changed report is
         * added as it is now (adding is idempotent) */
        size_t nold = 0;
        long long *old = malloc((u ? u : 1) * sizeof *old);
        if (!old) e = ERR_INTERNAL;
        for (size_t i = 0; old && i < u; i++)
            if (c.rows[i][1]) old[nold++] = c.rows[i][0];
        if (old) comply_index_remove(x, old, nold);
        free(old);
        struct adding ad = {x, comply_index_kind_id(x, CM_TASK_KIND, true), true};
        for (size_t i = 0; i < u && e == OK; i++) {
            e = work_accepted_get(db, c.rows[i][0], add_report, &ad);
            if (e == OK && !ad.ok) e = ERR_INTERNAL;
        }
    }
    free(c.rows);
    return e;
}
