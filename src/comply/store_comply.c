/* store_comply.c - the SQL of the compliance engine: the change counter and log
 * (0004_comply.sql), loading accepted reports into the index (all at once, or only what
 * changed), metric values and the units. Calendar feeds are org's (org/session.h).
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
    "r.id, r.plan_code, r.unit_id, r.parent_unit_id, r.kind, r.activity_date, r.accepted_date,"    \
    " r.tasks, r.metrics"

/* The report row keeps its tasks and metrics as JSON text beside the report_tasks and
 * report_metrics rows (store_work.c writes both, compact: "[16,17]", {"articles":4}); one scan
 * of reports then gives everything, instead of joining two more tables for a million rows. */

/* Task numbers of a JSON array of integers; at most max. */
static size_t parse_tasks(const char *json, long long *out, size_t max)
{
    size_t n = 0;
    for (const char *p = json; p && *p && n < max;) {
        if (*p >= '0' && *p <= '9') {
            char *end;
            out[n++] = strtoll(p, &end, 10);
            p = end;
        } else {
            p++;
        }
    }
    return n;
}

/* The integer value of "name" in a flat JSON object of integers; 0 when absent. */
static long long metric_value(const char *json, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = json ? strchr(json, '"') : NULL; p; p = strchr(p + 1, '"')) {
        if (strncmp(p + 1, name, len) == 0 && p[len + 1] == '"') {
            const char *v = p + len + 2;
            while (*v == ' ')
                v++;
            if (*v != ':') continue;
            v++;
            while (*v == ' ')
                v++;
            long long x = strtoll(v, NULL, 10);
            return x > 0 ? x : 0;
        }
        const char *close = strchr(p + 1, '"'); /* skip the rest of this string */
        if (!close) break;
        p = close;
    }
    return 0;
}

/* Adds the report of the current row (REPORT_COLS): one event per task named for progress
 * reports, with the values of the kind's tracked metrics. false on out-of-memory. */
static bool add_row(struct cx_index *x, struct store_stmt *q, int task_kind)
{
    struct cx_report r = {0};
    r.id = store_int(q, 0);
    r.plan = cx_plan_id(x, store_text(q, 1), true);
    r.unit = store_int(q, 2);
    r.parent = store_null(q, 3) ? 0 : store_int(q, 3);
    r.kind = cx_kind_id(x, store_text(q, 4), true);
    if (r.plan < 0 || r.kind < 0 || !date_parse(store_text(q, 5), &r.act) ||
        !date_parse(store_text(q, 6), &r.acc))
        return true; /* cannot count */
    int ns = cx_nslots(x, r.kind);
    for (int s = 0; s < ns; s++)
        r.values[s] = metric_value(store_text(q, 8), cx_slot_metric(x, r.kind, s));
    if (r.kind != task_kind) return cx_add(x, &r);
    long long tasks[64];
    size_t n = parse_tasks(store_text(q, 7), tasks, 64);
    for (size_t i = 0; i < n; i++) {
        r.task = tasks[i];
        if (!cx_add(x, &r)) return false;
    }
    return true;
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
    struct store_stmt *q = store_q(
        db, "SELECT id, metrics FROM reports WHERE status = 'accepted' AND kind = ?", "t", kname);
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
        pairs[n][1] = metric_value(store_text(q, 1), metric);
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

enum err comply_store_load_all(struct store *db, struct cx_index *x)
{
    cx_reset(x);
    cx_bulk_begin(x);
    bool ok = true;
    int task_kind = cx_kind_id(x, CM_TASK_KIND, true);
    struct store_stmt *q =
        store_q(db, "SELECT " REPORT_COLS " FROM reports r WHERE r.status = 'accepted'", "");
    while (ok && store_row(q))
        ok = add_row(x, q, task_kind);
    store_done(q);
    if (!cx_bulk_end(x)) ok = false;
    enum err e = store_err(db);
    if (e == OK && !ok) e = ERR_INTERNAL;
    /* the values of tracked metrics were read along; bulk_end keeps them (see cx_bulk_end) */
    if (e != OK) cx_reset(x);
    return e;
}

/* Adds report id's current state, when accepted. */
static enum err add_current(struct store *db, struct cx_index *x, long long id)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT " REPORT_COLS " FROM reports r"
                                   " WHERE r.id = ? AND r.status = 'accepted'",
                                   "i", id);
    bool ok = true;
    if (store_row(q)) ok = add_row(x, q, cx_kind_id(x, CM_TASK_KIND, true));
    store_done(q);
    if (store_err(db)) return store_err(db);
    return ok ? OK : ERR_INTERNAL;
}

static int id_cmp(const void *a, const void *b)
{
    const long long *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

enum err comply_store_apply_changes(struct store *db, struct cx_index *x, long long from,
                                    long long to, size_t max, bool *too_many)
{
    *too_many = false;
    size_t n = 0, cap = 64;
    long long(*rows)[2] = malloc(cap * sizeof *rows); /* (report id, was accepted) */
    enum err e = rows ? OK : ERR_INTERNAL;
    struct store_stmt *q =
        e == OK
            ? store_q(
                  db,
                  "SELECT report_id, was_accepted FROM comply_changes WHERE seq > ? AND seq <= ?",
                  "ii", from, to)
            : NULL;
    while (e == OK && store_row(q)) {
        if (n == max) {
            *too_many = true;
            break;
        }
        if (n == cap) {
            long long(*m)[2] = realloc(rows, cap * 2 * sizeof *rows);
            if (!m) {
                e = ERR_INTERNAL;
                break;
            }
            rows = m;
            cap *= 2;
        }
        rows[n][0] = store_int(q, 0);
        rows[n][1] = store_int(q, 1) != 0;
        n++;
    }
    store_done(q);
    if (e == OK) e = store_err(db);
    if (e == OK && !*too_many) {
        /* each report once; was accepted when any of its changes says so */
        qsort(rows, n, sizeof *rows, id_cmp);
        size_t u = 0;
        for (size_t i = 0; i < n; i++) {
            if (u > 0 && rows[u - 1][0] == rows[i][0])
                rows[u - 1][1] |= rows[i][1];
            else {
                rows[u][0] = rows[i][0];
                rows[u][1] = rows[i][1];
                u++;
            }
        }
        /* reports that were accepted lose their old events first; then each changed report is
         * added as it is now (adding is idempotent) */
        size_t nold = 0;
        long long *old = malloc((u ? u : 1) * sizeof *old);
        if (!old) e = ERR_INTERNAL;
        for (size_t i = 0; old && i < u; i++)
            if (rows[i][1]) old[nold++] = rows[i][0];
        if (old) cx_remove(x, old, nold);
        free(old);
        for (size_t i = 0; i < u && e == OK; i++)
            e = add_current(db, x, rows[i][0]);
    }
    free(rows);
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
