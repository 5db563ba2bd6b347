/* store_comply.c - the SQL of the compliance engine: the change counter and log
 * (0004_comply.sql), loading accepted reports into the index (all at once, or only what
 * changed), metric values, the units, and calendar feeds.
 *
 * The engine is a read-only projection of the work ledger: it reads reports, report_tasks and
 * report_metrics (and units) and never writes them; triggers on those tables write the change
 * log. Only accepted reports are read. */
#include "comply/comply.h"
#include "base/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum err comply_store_counter(struct store *db, long long *seq)
{
    struct store_stmt *q = store_q(db, "SELECT seq FROM comply_counter WHERE id = 1", "");
    *seq = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err comply_store_oldest_change(struct store *db, long long *seq)
{
    struct store_stmt *q = store_q(db, "SELECT MIN(seq) FROM comply_changes", "");
    *seq = store_row(q) && !store_null(q, 0) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

#define REPORT_COLS                                                                                \
    "r.id, r.plan_code, r.unit_id, r.parent_unit_id, r.kind, r.activity_date, r.accepted_date"

/* Reads one report row (REPORT_COLS [, task_no]) into r; false when it cannot count (a date
 * that does not parse, no acceptance date). */
static bool read_report(struct cx_index *x, struct store_stmt *q, bool with_task,
                        struct cx_report *r)
{
    memset(r, 0, sizeof *r);
    r->id = store_int(q, 0);
    r->plan = cx_plan_id(x, store_text(q, 1), true);
    r->unit = store_int(q, 2);
    r->parent = store_null(q, 3) ? 0 : store_int(q, 3);
    r->kind = cx_kind_id(x, store_text(q, 4), true);
    if (with_task) r->task = store_int(q, 7);
    return r->plan >= 0 && r->kind >= 0 && date_parse(store_text(q, 5), &r->act) &&
           date_parse(store_text(q, 6), &r->acc);
}

static int pair_cmp(const void *a, const void *b)
{
    const long long *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

enum err comply_store_fill_slot(struct store *db, struct cx_index *x, int kind, int slot)
{
    const char *kname = cx_kind_name(x, kind), *metric = cx_slot_metric(x, kind, slot);
    if (!kname || !metric) return OK;
    size_t n = 0, cap = 1024;
    long long(*pairs)[2] = malloc(cap * sizeof *pairs);
    if (!pairs) return ERR_INTERNAL;
    struct store_stmt *q = store_q(db,
                                   "SELECT m.report_id, m.value FROM report_metrics m"
                                   " JOIN reports r ON r.id = m.report_id"
                                   " WHERE r.status = 'accepted' AND r.kind = ? AND m.name = ?",
                                   "tt", kname, metric);
    bool ok = true;
    while (ok && store_row(q)) {
        if (n == cap) {
            long long(*np)[2] = realloc(pairs, (cap * 2) * sizeof *pairs);
            if (!np) {
                ok = false;
                break;
            }
            pairs = np;
            cap *= 2;
        }
        pairs[n][0] = store_int(q, 0);
        pairs[n][1] = store_int(q, 1);
        n++;
    }
    store_done(q);
    enum err e = store_err(db);
    if (e == OK && !ok) e = ERR_INTERNAL;
    if (e == OK) {
        qsort(pairs, n, sizeof *pairs, pair_cmp);
        cx_fill_slot(x, kind, slot, (const long long(*)[2])pairs, n);
    }
    free(pairs);
    return e;
}

/* Fills every tracked slot of every kind. */
static enum err fill_all_slots(struct store *db, struct cx_index *x)
{
    for (int k = 0; cx_kind_name(x, k); k++)
        for (int s = 0; s < cx_nslots(x, k); s++) {
            enum err e = comply_store_fill_slot(db, x, k, s);
            if (e != OK) return e;
        }
    return OK;
}

enum err comply_store_load_all(struct store *db, struct cx_index *x)
{
    cx_reset(x);
    cx_bulk_begin(x);
    bool ok = true;
    struct cx_report r;
    /* progress reports: one event per task named (their tasks decide the duty) */
    struct store_stmt *q = store_q(db,
                                   "SELECT " REPORT_COLS " FROM reports r"
                                   " WHERE r.status = 'accepted' AND r.kind <> ?",
                                   "t", CM_TASK_KIND);
    while (ok && store_row(q))
        if (read_report(x, q, false, &r)) ok = cx_add(x, &r);
    store_done(q);
    if (ok && store_err(db) == OK) {
        q = store_q(db,
                    "SELECT " REPORT_COLS ", t.task_no FROM reports r"
                    " JOIN report_tasks t ON t.report_id = r.id"
                    " WHERE r.status = 'accepted' AND r.kind = ?",
                    "t", CM_TASK_KIND);
        while (ok && store_row(q))
            if (read_report(x, q, true, &r)) ok = cx_add(x, &r);
        store_done(q);
    }
    if (!cx_bulk_end(x)) ok = false;
    enum err e = store_err(db);
    if (e == OK && !ok) e = ERR_INTERNAL;
    if (e == OK) e = fill_all_slots(db, x);
    if (e != OK) cx_reset(x);
    return e;
}

/* Adds report id's current state, when accepted (its tasks and tracked metrics with it). */
static enum err add_current(struct store *db, struct cx_index *x, long long id)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT " REPORT_COLS " FROM reports r"
                                   " WHERE r.id = ? AND r.status = 'accepted'",
                                   "i", id);
    struct cx_report r;
    bool found = store_row(q) && read_report(x, q, false, &r);
    store_done(q);
    if (store_err(db) || !found) return store_err(db);
    int ns = cx_nslots(x, r.kind);
    for (int s = 0; s < ns; s++) {
        q = store_q(db, "SELECT value FROM report_metrics WHERE report_id = ? AND name = ?", "it",
                    id, cx_slot_metric(x, r.kind, s));
        r.values[s] = store_row(q) ? store_int(q, 0) : 0;
        store_done(q);
    }
    bool ok = true;
    if (strcmp(cx_kind_name(x, r.kind), CM_TASK_KIND) == 0) {
        q = store_q(db, "SELECT task_no FROM report_tasks WHERE report_id = ?", "i", id);
        while (ok && store_row(q)) {
            r.task = store_int(q, 0);
            ok = cx_add(x, &r);
        }
        store_done(q);
    } else {
        ok = cx_add(x, &r);
    }
    if (store_err(db)) return store_err(db);
    return ok ? OK : ERR_INTERNAL;
}

enum err comply_store_apply_changes(struct store *db, struct cx_index *x, long long from,
                                    long long to, size_t max, bool *too_many)
{
    *too_many = false;
    size_t n = 0, nold = 0, cap = 64;
    long long *ids = malloc(cap * sizeof *ids), *old = malloc(cap * sizeof *old);
    enum err e = ids && old ? OK : ERR_INTERNAL;
    struct store_stmt *q =
        e == OK ? store_q(db,
                          "SELECT report_id, was_accepted FROM comply_changes"
                          " WHERE seq > ? AND seq <= ? ORDER BY seq",
                          "ii", from, to)
                : NULL;
    while (e == OK && store_row(q)) {
        long long id = store_int(q, 0);
        bool was = store_int(q, 1) != 0, seen = false;
        for (size_t i = 0; i < n && !seen; i++) seen = ids[i] == id;
        if (!seen) {
            if (n == max) {
                *too_many = true;
                break;
            }
            if (n == cap) {
                long long *a = realloc(ids, cap * 2 * sizeof *a), *b = a ? realloc(old, cap * 2 * sizeof *b) : NULL;
                if (a) ids = a;
                if (b) old = b;
                if (!a || !b) {
                    e = ERR_INTERNAL;
                    break;
                }
                cap *= 2;
            }
            ids[n++] = id;
        }
        if (was) {
            bool listed = false;
            for (size_t i = 0; i < nold && !listed; i++) listed = old[i] == id;
            if (!listed) old[nold++] = id;
        }
    }
    store_done(q);
    if (e == OK) e = store_err(db);
    if (e == OK && !*too_many) {
        /* reports that were accepted lose their old events first; then each changed report is
         * added as it is now (adding is idempotent) */
        cx_remove(x, old, nold);
        for (size_t i = 0; i < n && e == OK; i++) e = add_current(db, x, ids[i]);
    }
    free(ids);
    free(old);
    return e;
}

enum err comply_store_units(struct store *db, struct arena *a, struct cm_unit **out, size_t *n)
{
    size_t cap = 128;
    *n = 0;
    *out = arena_alloc(a, cap * sizeof **out);
    struct store_stmt *q = store_q(db,
                                   "SELECT id, parent_id, ukey, code, short_name, tier, active"
                                   " FROM units ORDER BY id",
                                   "");
    while (store_row(q)) {
        if (*n == cap) {
            struct cm_unit *m = arena_alloc(a, cap * 2 * sizeof *m);
            memcpy(m, *out, cap * sizeof *m);
            *out = m;
            cap *= 2;
        }
        struct cm_unit *u = &(*out)[(*n)++];
        u->id = store_int(q, 0);
        u->parent = store_null(q, 1) ? 0 : store_int(q, 1);
        u->key = arena_strdup(a, store_text(q, 2));
        u->code = store_null(q, 3) ? NULL : arena_strdup(a, store_text(q, 3));
        u->name = arena_strdup(a, store_text(q, 4));
        u->tier = arena_strdup(a, store_text(q, 5));
        u->active = store_int(q, 6) != 0;
    }
    store_done(q);
    return store_err(db);
}

/* ---- calendar feeds ---- */

enum err comply_store_feed_create(struct store *db, long long unit_id, long long user_id,
                                  const char *plan, const char *name, const char *token_hash,
                                  long long now, long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO calendar_feeds(unit_id, user_id, plan_code, name,"
                                   " token_hash, created_at) VALUES (?,?,?,?,?,?) RETURNING id",
                                   "iittti", unit_id, user_id, plan, name, token_hash, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    return *id ? OK : ERR_INTERNAL;
}

static enum err read_feed(struct store *db, struct store_stmt *q, struct comply_feed *out)
{
    memset(out, 0, sizeof *out);
    bool found = store_row(q);
    if (found) {
        out->id = store_int(q, 0);
        out->unit_id = store_int(q, 1);
        out->user_id = store_int(q, 2);
        snprintf(out->plan, sizeof out->plan, "%s", store_text(q, 3));
        out->created_at = store_int(q, 4);
        out->revoked_at = store_null(q, 5) ? 0 : store_int(q, 5);
        snprintf(out->token_hash, sizeof out->token_hash, "%s", store_text(q, 6));
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

#define FEED_COLS "f.id, f.unit_id, f.user_id, f.plan_code, f.created_at, f.revoked_at, f.token_hash"

enum err comply_store_feed_by_token(struct store *db, const char *token_hash, struct comply_feed *out)
{
    return read_feed(db,
                     store_q(db,
                             "SELECT " FEED_COLS " FROM calendar_feeds f JOIN users u ON u.id = f.user_id"
                             " WHERE f.token_hash = ? AND f.revoked_at IS NULL AND u.disabled = 0",
                             "t", token_hash),
                     out);
}

enum err comply_store_feed_get(struct store *db, long long id, struct comply_feed *out)
{
    return read_feed(db, store_q(db, "SELECT " FEED_COLS " FROM calendar_feeds f WHERE f.id = ?", "i", id),
                     out);
}

enum err comply_store_feed_revoke(struct store *db, long long id, long long now)
{
    return store_do(db, "UPDATE calendar_feeds SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                    "ii", now, id);
}

enum err comply_store_feed_list(struct store *db, long long user_id, comply_feed_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT f.id, f.unit_id, u.short_name, f.plan_code, f.name, f.created_at,"
                                   " f.revoked_at FROM calendar_feeds f JOIN units u ON u.id = f.unit_id"
                                   " WHERE f.user_id = ? ORDER BY f.id DESC LIMIT 200",
                                   "i", user_id);
    while (store_row(q)) {
        struct comply_feed_row row = {
            .id = store_int(q, 0),
            .unit_id = store_int(q, 1),
            .unit_name = store_text(q, 2),
            .plan = store_text(q, 3),
            .name = store_text(q, 4),
            .created_at = store_int(q, 5),
            .revoked_at = store_null(q, 6) ? 0 : store_int(q, 6),
        };
        if (!fn(ctx, &row)) break;
    }
    store_done(q);
    return store_err(db);
}
