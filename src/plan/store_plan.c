/* store_plan.c - all of the plan area's SQL (plan_store.h, private to the area): finding plan
 * versions and items, the plans row and item writes inside drafts, the lists, rebuilding a
 * stored plan as a document (export, copy into a draft) and the JSON renderings the API
 * answers with. The rules around these are the service's (plan.c), and so are org's units:
 * rows hold unit ids, the service resolves names to ids before a write and hands in the
 * units' keys and names (struct plan_units) for a rendering. Dates are 'YYYY-MM-DD'
 * text (see migrations 0002_plan). Every function runs inside the caller's transaction where
 * it writes; errors are the connection's sticky store_err(). */
#include "plan/plan_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- finding versions ---- */

#define PLAN_COLS "SELECT id, code, version, status, start_date, end_date, title FROM plans "

static enum err read_plan(struct store *db, struct store_stmt *q, struct plan_row *out)
{
    bool found = store_row(q);
    if (found) {
        out->id = store_int(q, 0);
        snprintf(out->code, sizeof out->code, "%s", store_text(q, 1));
        out->version = (int)store_int(q, 2);
        out->draft = strcmp(store_text(q, 3), "draft") == 0;
        snprintf(out->start, sizeof out->start, "%s", store_text(q, 4));
        snprintf(out->end, sizeof out->end, "%s", store_text(q, 5));
        snprintf(out->title, sizeof out->title, "%s", store_text(q, 6));
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

enum err plan_store_find(struct store *db, const char *code, int version, struct plan_row *out)
{
    memset(out, 0, sizeof *out);
    struct store_stmt *q;
    if (version > 0)
        q = store_q(db, PLAN_COLS "WHERE code = ? AND version = ?", "ti", code, (long long)version);
    else if (version == PLAN_V_DRAFT)
        q = store_q(db, PLAN_COLS "WHERE code = ? AND status = 'draft'", "t", code);
    else
        q = store_q(db,
                    PLAN_COLS
                    "WHERE code = ? ORDER BY CASE WHEN status = 'published' THEN 0 ELSE 1 END,"
                    " version DESC LIMIT 1",
                    "t", code);
    return read_plan(db, q, out);
}

enum err plan_store_find_published(struct store *db, const char *code, struct plan_row *out)
{
    memset(out, 0, sizeof *out);
    return read_plan(
        db,
        store_q(db,
                PLAN_COLS "WHERE code = ? AND status = 'published' ORDER BY version DESC LIMIT 1",
                "t", code),
        out);
}

int plan_store_max_version(struct store *db, const char *code)
{
    struct store_stmt *q =
        store_q(db, "SELECT COALESCE(MAX(version), 0) FROM plans WHERE code = ?", "t", code);
    int v = store_row(q) ? (int)store_int(q, 0) : 0;
    store_done(q);
    return v;
}

bool plan_store_has_version(struct store *db, const char *code, long long version)
{
    struct store_stmt *q =
        store_q(db, "SELECT 1 FROM plans WHERE code = ? AND version = ?", "ti", code, version);
    bool found = store_row(q);
    store_done(q);
    return found;
}

enum err plan_store_task_numbers(struct store *db, long long plan_id, long long **nos, size_t *n)
{
    *nos = NULL;
    *n = 0;
    size_t cap = 0;
    struct store_stmt *q =
        store_q(db, "SELECT no FROM plan_tasks WHERE plan_id = ? ORDER BY no", "i", plan_id);
    while (store_row(q)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 128;
            long long *t = realloc(*nos, cap * sizeof *t);
            if (!t) abort();
            *nos = t;
        }
        (*nos)[(*n)++] = store_int(q, 0);
    }
    store_done(q);
    return store_err(db);
}

/* ---- small helpers ---- */

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static long long jint(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* Compact JSON text (malloc'd). */
static char *dump(json_t *j)
{
    return json_dumps(j ? j : json_null(), JSON_COMPACT);
}

/* Parses stored JSON text; an empty array when absent or bad. */
static json_t *load_json_text(const char *s)
{
    json_t *j = s ? json_loads(s, 0, NULL) : NULL;
    return j ? j : json_array();
}

static json_t *text_or_null(struct store_stmt *q, int col)
{
    return store_null(q, col) ? json_null() : json_string(store_text(q, col));
}

/* ---- item writes ---- */

enum err plan_store_set_task_units(struct store *db, long long task_id,
                                   const struct plan_task_unit *rows, size_t n)
{
    if (store_do(db, "DELETE FROM plan_task_units WHERE task_id = ?", "i", task_id) != OK)
        return store_err(db);
    for (size_t i = 0; i < n; i++)
        if (store_do(
                db,
                "INSERT INTO plan_task_units(task_id, role, pos, unit_id, via) VALUES (?,?,?,?,?)",
                "itiit", task_id, rows[i].role, rows[i].pos, rows[i].unit_id, rows[i].via) != OK)
            break;
    return store_err(db);
}

enum err plan_store_insert_task(struct store *db, long long plan_id, json_t *t, long long *task_id)
{
    json_t *d = json_object_get(t, "deadline");
    const char *note = jstr(t, "note");
    struct store_stmt *q =
        store_q(db,
                "INSERT INTO plan_tasks(plan_id, no, action_id, measure_id, content, "
                "content_continued, body,"
                " lead_text, coop_text, deadline_kind, deadline_text, deadline_date, note)"
                " VALUES (?, ?, (SELECT id FROM plan_actions WHERE plan_id = ? AND no = ?),"
                " (SELECT m.id FROM plan_measures m JOIN plan_actions a ON a.id = m.action_id"
                "  WHERE a.plan_id = ? AND a.no = ? AND m.no = ?),"
                " ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                "iiiiiiitittttttt", plan_id, jint(t, "no"), plan_id, jint(t, "action"), plan_id,
                jint(t, "action"), jint(t, "measure"), jstr(t, "content"),
                (long long)json_is_true(json_object_get(t, "content_continued")), jstr(t, "text"),
                jstr(t, "lead_text"), jstr(t, "coop_text"), jstr(d, "kind"), jstr(d, "text"),
                jstr(d, "date"), note);
    *task_id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (!*task_id) return store_err(db) ? store_err(db) : ERR_INTERNAL;
    return OK;
}

enum err plan_store_update_task(struct store *db, long long task_id, json_t *t)
{
    json_t *d = json_object_get(t, "deadline");
    store_do(
        db,
        "UPDATE plan_tasks SET no = ?,"
        " action_id = (SELECT a.id FROM plan_actions a WHERE a.plan_id = plan_tasks.plan_id AND "
        "a.no = ?),"
        " measure_id = (SELECT m.id FROM plan_measures m JOIN plan_actions a ON a.id = m.action_id"
        "  WHERE a.plan_id = plan_tasks.plan_id AND a.no = ? AND m.no = ?),"
        " content = ?, content_continued = ?, body = ?, lead_text = ?, coop_text = ?,"
        " deadline_kind = ?, deadline_text = ?, deadline_date = ?, note = ? WHERE id = ?",
        "iiiitittttttti", jint(t, "no"), jint(t, "action"), jint(t, "action"), jint(t, "measure"),
        jstr(t, "content"), (long long)json_is_true(json_object_get(t, "content_continued")),
        jstr(t, "text"), jstr(t, "lead_text"), jstr(t, "coop_text"), jstr(d, "kind"),
        jstr(d, "text"), jstr(d, "date"), jstr(t, "note"), task_id);
    return store_err(db);
}

enum err plan_store_set_obligation_who(struct store *db, long long id, json_t *o,
                                       const long long *unit_ids, size_t n)
{
    store_do(db, "DELETE FROM plan_obligation_units WHERE obligation_id = ?", "i", id);
    store_do(db, "DELETE FROM plan_obligation_tiers WHERE obligation_id = ?", "i", id);
    json_t *who = json_object_get(o, "who");
    json_t *units = json_object_get(who, "units"), *tiers = json_object_get(who, "tiers");
    size_t i;
    json_t *x;
    if (json_is_array(units)) {
        for (i = 0; i < n; i++)
            store_do(
                db, "INSERT INTO plan_obligation_units(obligation_id, pos, unit_id) VALUES (?,?,?)",
                "iii", id, (long long)i, unit_ids[i]);
    } else if (json_is_array(tiers)) {
        json_array_foreach(tiers, i, x) store_do(
            db, "INSERT INTO plan_obligation_tiers(obligation_id, pos, tier) VALUES (?,?,?)", "iit",
            id, (long long)i, json_string_value(x));
    }
    return store_err(db);
}

static const char *who_kind(json_t *o)
{
    json_t *who = json_object_get(o, "who");
    if (json_is_array(json_object_get(who, "units"))) return "units";
    if (json_is_array(json_object_get(who, "tiers"))) return "tiers";
    return "facilities";
}

enum err plan_store_insert_obligation(struct store *db, long long plan_id, json_t *o, long long *id)
{
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO plan_obligations(plan_id, okey, task_id, title, who_kind, kind, metric, rule, "
        "minimum,"
        " per, due, from_date, to_date, note, assess_min_share)"
        " VALUES (?, ?, (SELECT id FROM plan_tasks WHERE plan_id = ? AND no = ?), ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id",
        "itiitttttittttti", plan_id, jstr(o, "key"), plan_id, jint(o, "task"), jstr(o, "title"),
        who_kind(o), jstr(o, "kind"), jstr(o, "metric"), jstr(o, "rule"), jint(o, "minimum"),
        jstr(o, "per"), jstr(o, "due"), jstr(o, "from"), jstr(o, "to"), jstr(o, "note"),
        jint(o, "assess_min_share"));
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (!*id) return store_err(db) ? store_err(db) : ERR_INTERNAL;
    return OK;
}

enum err plan_store_update_obligation(struct store *db, long long id, json_t *o)
{
    store_do(
        db,
        "UPDATE plan_obligations SET okey = ?,"
        " task_id = (SELECT t.id FROM plan_tasks t WHERE t.plan_id = plan_obligations.plan_id AND "
        "t.no = ?),"
        " title = ?, who_kind = ?, kind = ?, metric = ?, rule = ?, minimum = ?, per = ?, due = ?,"
        " from_date = ?, to_date = ?, note = ?, assess_min_share = ? WHERE id = ?",
        "titttttitttttii", jstr(o, "key"), jint(o, "task"), jstr(o, "title"), who_kind(o),
        jstr(o, "kind"), jstr(o, "metric"), jstr(o, "rule"), jint(o, "minimum"), jstr(o, "per"),
        jstr(o, "due"), jstr(o, "from"), jstr(o, "to"), jstr(o, "note"),
        jint(o, "assess_min_share"), id);
    return store_err(db);
}

static void upsert_measures(struct store *db, long long action_id, json_t *a)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(a, "measures"), i, m) store_do(
        db,
        "INSERT INTO plan_measures(action_id, no, title, body) VALUES (?,?,?,?)"
        " ON CONFLICT (action_id, no) DO UPDATE SET title = excluded.title, body = excluded.body",
        "iitt", action_id, jint(m, "no"), jstr(m, "title"), jstr(m, "text"));
}

/* Documents omit the kind of an ordinary action. */
static const char *action_kind(json_t *a)
{
    const char *k = jstr(a, "kind");
    return k ? k : "action";
}

enum err plan_store_insert_action(struct store *db, long long plan_id, json_t *a, long long *id)
{
    struct store_stmt *q = store_q(
        db, "INSERT INTO plan_actions(plan_id, no, title, kind) VALUES (?,?,?,?) RETURNING id",
        "iitt", plan_id, jint(a, "no"), jstr(a, "title"), action_kind(a));
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (!*id) return store_err(db) ? store_err(db) : ERR_INTERNAL;
    upsert_measures(db, *id, a);
    return store_err(db);
}

enum err plan_store_update_action(struct store *db, long long action_id, json_t *a)
{
    store_do(db, "UPDATE plan_actions SET no = ?, title = ?, kind = ? WHERE id = ?", "itti",
             jint(a, "no"), jstr(a, "title"), action_kind(a), action_id);
    upsert_measures(db, action_id, a);
    /* measures no longer listed */
    long long gone[1000];
    size_t n = 0;
    struct store_stmt *q =
        store_q(db, "SELECT id, no FROM plan_measures WHERE action_id = ?", "i", action_id);
    while (store_row(q)) {
        long long no = store_int(q, 1);
        bool listed = false;
        size_t i;
        json_t *m;
        json_array_foreach(json_object_get(a, "measures"), i, m) if (jint(m, "no") == no) listed =
            true;
        if (!listed && n < 1000) gone[n++] = store_int(q, 0);
    }
    store_done(q);
    for (size_t i = 0; i < n; i++)
        store_do(db, "DELETE FROM plan_measures WHERE id = ?", "i", gone[i]);
    return store_err(db);
}

/* ---- finding items ---- */

/* The first column of the first row of a query (0 when there is none). */
static long long one_int(struct store_stmt *q)
{
    long long v = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return v;
}

long long plan_store_action_id(struct store *db, long long plan_id, long long no)
{
    return one_int(
        store_q(db, "SELECT id FROM plan_actions WHERE plan_id = ? AND no = ?", "ii", plan_id, no));
}

long long plan_store_measure_id(struct store *db, long long action_id, long long no)
{
    return one_int(store_q(db, "SELECT id FROM plan_measures WHERE action_id = ? AND no = ?", "ii",
                           action_id, no));
}

long long plan_store_task_id(struct store *db, long long plan_id, long long no)
{
    return one_int(
        store_q(db, "SELECT id FROM plan_tasks WHERE plan_id = ? AND no = ?", "ii", plan_id, no));
}

long long plan_store_obligation_id(struct store *db, long long plan_id, const char *key)
{
    return one_int(store_q(db, "SELECT id FROM plan_obligations WHERE plan_id = ? AND okey = ?",
                           "it", plan_id, key));
}

long long plan_store_action_tasks(struct store *db, long long action_id)
{
    return one_int(
        store_q(db, "SELECT COUNT(*) FROM plan_tasks WHERE action_id = ?", "i", action_id));
}

long long plan_store_task_obligations(struct store *db, long long task_id)
{
    return one_int(
        store_q(db, "SELECT COUNT(*) FROM plan_obligations WHERE task_id = ?", "i", task_id));
}

enum err plan_store_measure_in_use(struct store *db, long long action_id, json_t *measures,
                                   long long *measure, long long *task)
{
    *measure = *task = 0;
    struct store_stmt *q =
        store_q(db,
                "SELECT m.no, t.no FROM plan_measures m JOIN plan_tasks t ON t.measure_id = m.id"
                " WHERE m.action_id = ? ORDER BY m.no, t.no",
                "i", action_id);
    while (store_row(q) && !*measure) {
        bool listed = false;
        size_t i;
        json_t *m;
        json_array_foreach(measures, i, m) if (jint(m, "no") == store_int(q, 0)) listed = true;
        if (!listed) *measure = store_int(q, 0), *task = store_int(q, 1);
    }
    store_done(q);
    return store_err(db);
}

enum err plan_store_delete_action(struct store *db, long long action_id)
{
    return store_do(db, "DELETE FROM plan_actions WHERE id = ?", "i", action_id);
}

enum err plan_store_delete_task(struct store *db, long long task_id)
{
    return store_do(db, "DELETE FROM plan_tasks WHERE id = ?", "i", task_id);
}

enum err plan_store_delete_task_no(struct store *db, long long plan_id, long long no)
{
    return store_do(db, "DELETE FROM plan_tasks WHERE plan_id = ? AND no = ?", "ii", plan_id, no);
}

enum err plan_store_delete_obligation(struct store *db, long long obligation_id)
{
    return store_do(db, "DELETE FROM plan_obligations WHERE id = ?", "i", obligation_id);
}

/* ---- lists ---- */

enum err plan_store_list(struct store *db, const char *status, const char *code, long long after,
                         long long limit, json_t *items, long long *last)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT id, code, title, start_date, end_date, status, version, doc_no, issued"
                " FROM plans WHERE id > ? AND (CAST(? AS TEXT) IS NULL OR status = ?)"
                " AND (CAST(? AS TEXT) IS NULL OR code = ?) ORDER BY id LIMIT ?",
                "itttti", after, status, status, code, code, limit);
    *last = 0;
    while (store_row(q)) {
        *last = store_int(q, 0);
        json_array_append_new(items,
                              json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:s?,s:s?}", "code",
                                        store_text(q, 1), "title", store_text(q, 2), "start",
                                        store_text(q, 3), "end", store_text(q, 4), "status",
                                        store_text(q, 5), "version", store_int(q, 6), "doc_no",
                                        store_text(q, 7), "issued", store_text(q, 8)));
    }
    store_done(q);
    return store_err(db);
}

/* Ids of the first column and the cursor (second column) of the last row, up to cap rows. */
static enum err page_ids(struct store *db, struct store_stmt *q, long long *ids, size_t cap,
                         size_t *n, long long *last)
{
    *n = 0;
    if (last) *last = 0;
    while (store_row(q) && *n < cap) {
        ids[(*n)++] = store_int(q, 0);
        if (last) *last = store_int(q, 1);
    }
    store_done(q);
    return store_err(db);
}

enum err plan_store_action_ids(struct store *db, long long plan_id, long long after,
                               long long limit, long long *ids, size_t cap, size_t *n,
                               long long *last)
{
    return page_ids(
        db,
        store_q(db,
                "SELECT id, no FROM plan_actions WHERE plan_id = ? AND no > ? ORDER BY no LIMIT ?",
                "iii", plan_id, after, limit),
        ids, cap, n, last);
}

enum err plan_store_task_ids(struct store *db, long long plan_id, long long action, long long unit,
                             const char *role, long long after, long long limit, long long *ids,
                             size_t cap, size_t *n, long long *last)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT t.id, t.no FROM plan_tasks t JOIN plan_actions a ON a.id = t.action_id"
                " WHERE t.plan_id = ? AND t.no > ?"
                " AND (CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM plan_task_units u WHERE "
                "u.task_id = t.id"
                "  AND u.unit_id = ? AND (CAST(? AS TEXT) IS NULL OR u.role = ?)))"
                " AND (CAST(? AS BIGINT) = 0 OR a.no = ?) ORDER BY t.no LIMIT ?",
                "iiiittiii", plan_id, after, unit, unit, role, role, action, action, limit);
    return page_ids(db, q, ids, cap, n, last);
}

enum err plan_store_obligation_ids(struct store *db, long long plan_id, long long task,
                                   long long unit, const char *tier, long long after,
                                   long long limit, long long *ids, size_t cap, size_t *n)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT o.id FROM plan_obligations o JOIN plan_tasks t ON t.id = o.task_id"
                " WHERE o.plan_id = ? AND o.id > ? AND (CAST(? AS BIGINT) = 0 OR t.no = ?)"
                " AND (CAST(? AS BIGINT) = 0"
                "  OR EXISTS (SELECT 1 FROM plan_obligation_units w WHERE w.obligation_id = o.id "
                "AND w.unit_id = ?)"
                "  OR EXISTS (SELECT 1 FROM plan_obligation_tiers w WHERE w.obligation_id = o.id "
                "AND w.tier = ?))"
                " ORDER BY o.id LIMIT ?",
                "iiiiiiti", plan_id, after, task, task, unit, unit, tier, limit);
    return page_ids(db, q, ids, cap, n, NULL);
}

enum err plan_store_kind_list(struct store *db, long long plan_id, long long after, long long limit,
                              json_t *items, long long *last)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT k.id, k.code, k.name, k.metrics FROM activity_kinds k WHERE k.id > ?"
                " AND (CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM plan_activity_kinds p"
                "  WHERE p.kind_id = k.id AND p.plan_id = ?)) ORDER BY k.id LIMIT ?",
                "iiii", after, plan_id, plan_id, limit);
    *last = 0;
    while (store_row(q)) {
        *last = store_int(q, 0);
        json_t *m = json_loads(store_text(q, 3), 0, NULL);
        json_array_append_new(items, json_pack("{s:s,s:s,s:o}", "code", store_text(q, 1), "name",
                                               store_text(q, 2), "metrics", m ? m : json_array()));
    }
    store_done(q);
    return store_err(db);
}

/* ---- whole documents ---- */

enum err plan_store_insert_plan(struct store *db, json_t *doc, int version, const char *status,
                                long long parent_id, long long user, long long now,
                                long long *plan_id)
{
    bool published = strcmp(status, "published") == 0;
    char *themes = dump(json_object_get(doc, "year_themes"));
    char *notes = dump(json_object_get(doc, "notes"));
    struct store_stmt *q =
        store_q(db,
                "INSERT INTO plans(code, version, title, doc_no, issued, start_date, end_date, "
                "status, parent_id,"
                " year_themes, notes, created_at, created_by, updated_at, updated_by, "
                "published_at, published_by)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                "titttttt"
                "Itt"
                "iIiI"
                "II",
                jstr(doc, "code"), (long long)version, jstr(doc, "title"), jstr(doc, "doc_no"),
                jstr(doc, "issued"), jstr(doc, "start"), jstr(doc, "end"), status, parent_id,
                themes, notes, now, user, now, user, published ? now : 0LL, published ? user : 0LL);
    *plan_id = store_row(q) ? store_int(q, 0) : 0; /* bound texts must live until the first row */
    store_done(q);
    free(themes);
    free(notes);
    if (!*plan_id) return store_err(db) ? store_err(db) : ERR_INTERNAL;

    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(doc, "activity_kinds"), i, x)
    {
        char *metrics = dump(json_object_get(x, "metrics"));
        store_do(db,
                 "INSERT INTO activity_kinds(code, name, metrics, created_at) VALUES (?,?,?,?)"
                 " ON CONFLICT (code) DO NOTHING",
                 "ttti", jstr(x, "code"), jstr(x, "name"), metrics, now);
        free(metrics);
        store_do(db,
                 "INSERT INTO plan_activity_kinds(plan_id, kind_id, pos) SELECT ?, id, ? FROM "
                 "activity_kinds WHERE code = ?",
                 "iit", *plan_id, (long long)i, jstr(x, "code"));
    }
    return store_err(db);
}

enum err plan_store_update_plan(struct store *db, long long plan_id, json_t *doc, long long user,
                                long long now)
{
    char *themes = dump(json_object_get(doc, "year_themes"));
    char *notes = dump(json_object_get(doc, "notes"));
    store_do(db,
             "UPDATE plans SET title = ?, doc_no = ?, issued = ?, start_date = ?, end_date = ?, "
             "year_themes = ?,"
             " notes = ?, updated_at = ?, updated_by = ? WHERE id = ?",
             "tttttttiIi", jstr(doc, "title"), jstr(doc, "doc_no"), jstr(doc, "issued"),
             jstr(doc, "start"), jstr(doc, "end"), themes, notes, now, user, plan_id);
    free(themes);
    free(notes);
    return store_err(db);
}

enum err plan_store_touch(struct store *db, long long plan_id, long long user, long long now)
{
    return store_do(db, "UPDATE plans SET updated_at = ?, updated_by = ? WHERE id = ?", "iIi", now,
                    user, plan_id);
}

enum err plan_store_publish(struct store *db, long long plan_id, long long user, long long now)
{
    return store_do(
        db,
        "UPDATE plans SET status = 'published', published_at = ?, published_by = ?, updated_at = ?,"
        " updated_by = ? WHERE id = ?",
        "iiiii", now, user, now, user, plan_id);
}

enum err plan_store_delete(struct store *db, long long plan_id)
{
    return store_do(db, "DELETE FROM plans WHERE id = ?", "i", plan_id);
}

json_t *plan_store_action_doc(struct store *db, long long action_id)
{
    struct store_stmt *q =
        store_q(db, "SELECT no, title, kind FROM plan_actions WHERE id = ?", "i", action_id);
    json_t *a = NULL;
    if (store_row(q)) {
        a = json_pack("{s:I,s:s}", "no", store_int(q, 0), "title", store_text(q, 1));
        if (strcmp(store_text(q, 2), "action") != 0)
            json_object_set_new(a, "kind", json_string(store_text(q, 2)));
    }
    store_done(q);
    if (!a) return NULL;
    json_t *ms = json_array();
    q = store_q(db, "SELECT no, title, body FROM plan_measures WHERE action_id = ? ORDER BY no",
                "i", action_id);
    while (store_row(q))
        json_array_append_new(ms, json_pack("{s:I,s:s,s:s}", "no", store_int(q, 0), "title",
                                            store_text(q, 1), "text", store_text(q, 2)));
    store_done(q);
    json_object_set_new(a, "measures", ms);
    return a;
}

/* The task's lead and coop lists as written in the document: unit keys, selectors once. */
static void task_refs(struct store *db, long long task_id, const struct plan_units *units,
                      json_t **lead, json_t **coop)
{
    *lead = json_array();
    *coop = json_array();
    long long last_pos[2] = {-1, -1};
    struct store_stmt *q =
        store_q(db,
                "SELECT u.role, u.pos, u.via, u.unit_id FROM plan_task_units u WHERE u.task_id = ?"
                " ORDER BY u.role DESC, u.pos, u.unit_id",
                "i", task_id);
    while (store_row(q)) {
        const struct plan_unit *n = plan_units_get(units, store_int(q, 3));
        if (!n) continue;
        int r = strcmp(store_text(q, 0), "lead") == 0 ? 0 : 1;
        long long pos = store_int(q, 1);
        if (pos == last_pos[r]) continue;
        last_pos[r] = pos;
        const char *ref = store_null(q, 2) ? n->key : store_text(q, 2);
        json_array_append_new(r == 0 ? *lead : *coop, json_string(ref));
    }
    store_done(q);
}

json_t *plan_store_task_doc(struct store *db, long long task_id, const struct plan_units *units)
{
    struct store_stmt *q = store_q(
        db,
        "SELECT t.no, a.no, m.no, t.content, t.content_continued, t.body, t.lead_text, t.coop_text,"
        " t.deadline_kind, t.deadline_text, t.deadline_date, t.note FROM plan_tasks t"
        " JOIN plan_actions a ON a.id = t.action_id JOIN plan_measures m ON m.id = t.measure_id "
        "WHERE t.id = ?",
        "i", task_id);
    json_t *t = NULL, *note = NULL;
    const char *lead_text = NULL, *coop_text = NULL;
    if (store_row(q)) {
        t = json_pack("{s:I,s:I,s:I,s:s,s:b,s:s}", "no", store_int(q, 0), "action", store_int(q, 1),
                      "measure", store_int(q, 2), "content", store_text(q, 3), "content_continued",
                      (int)store_int(q, 4), "text", store_text(q, 5));
        lead_text = strdup(store_text(q, 6));
        coop_text = strdup(store_text(q, 7));
        json_object_set_new(t, "deadline",
                            json_pack("{s:s,s:s,s:o}", "kind", store_text(q, 8), "text",
                                      store_text(q, 9), "date", text_or_null(q, 10)));
        if (!store_null(q, 11)) note = json_string(store_text(q, 11));
    }
    store_done(q);
    if (!t) return NULL;
    json_t *lead, *coop;
    task_refs(db, task_id, units, &lead, &coop);
    /* keep the document's key order: deadline and note come last */
    json_t *dl = json_incref(json_object_get(t, "deadline"));
    json_object_del(t, "deadline");
    json_object_set_new(t, "lead_text", json_string(lead_text));
    json_object_set_new(t, "lead", lead);
    json_object_set_new(t, "coop_text", json_string(coop_text));
    json_object_set_new(t, "coop", coop);
    json_object_set_new(t, "deadline", dl);
    if (note) json_object_set_new(t, "note", note);
    free((char *)lead_text);
    free((char *)coop_text);
    return t;
}

json_t *plan_store_obligation_doc(struct store *db, long long id, const struct plan_units *units)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT o.okey, t.no, o.title, o.who_kind, o.kind, o.metric, o.rule, o.minimum,"
                " o.per, o.due, o.from_date, o.to_date, o.note, o.assess_min_share"
                " FROM plan_obligations o"
                " JOIN plan_tasks t ON t.id = o.task_id WHERE o.id = ?",
                "i", id);
    json_t *o = NULL, *tail = NULL;
    char wk[16] = "";
    if (store_row(q)) {
        o = json_pack("{s:s,s:I,s:s}", "key", store_text(q, 0), "task", store_int(q, 1), "title",
                      store_text(q, 2));
        snprintf(wk, sizeof wk, "%s", store_text(q, 3));
        tail = json_pack("{s:s,s:o,s:o,s:I,s:s}", "kind", store_text(q, 4), "metric",
                         text_or_null(q, 5), "rule", text_or_null(q, 6), "minimum", store_int(q, 7),
                         "per", store_text(q, 8));
        if (strcmp(store_text(q, 8), "once") == 0)
            json_object_set_new(tail, "due", text_or_null(q, 9));
        json_object_set_new(tail, "from", json_string(store_text(q, 10)));
        json_object_set_new(tail, "to", json_string(store_text(q, 11)));
        if (!store_null(q, 12)) json_object_set_new(tail, "note", json_string(store_text(q, 12)));
        if (store_int(q, 13) > 0)
            json_object_set_new(tail, "assess_min_share", json_integer(store_int(q, 13)));
    }
    store_done(q);
    if (!o) return NULL;
    json_t *who = json_object();
    if (strcmp(wk, "units") == 0) {
        json_t *keys = json_array();
        q = store_q(
            db, "SELECT unit_id FROM plan_obligation_units WHERE obligation_id = ? ORDER BY pos",
            "i", id);
        while (store_row(q)) {
            const struct plan_unit *n = plan_units_get(units, store_int(q, 0));
            if (n) json_array_append_new(keys, json_string(n->key));
        }
        store_done(q);
        json_object_set_new(who, "units", keys);
    } else if (strcmp(wk, "tiers") == 0) {
        json_t *tiers = json_array();
        q = store_q(db,
                    "SELECT tier FROM plan_obligation_tiers WHERE obligation_id = ? ORDER BY pos",
                    "i", id);
        while (store_row(q))
            json_array_append_new(tiers, json_string(store_text(q, 0)));
        store_done(q);
        json_object_set_new(who, "tiers", tiers);
    } else {
        json_object_set_new(who, "facilities", json_true());
    }
    json_object_set_new(o, "who", who);
    json_object_update(o, tail);
    json_decref(tail);
    return o;
}

/* Ids of a query's first column (malloc'd array). */
static long long *collect_ids(struct store_stmt *q, size_t *n)
{
    size_t cap = 64;
    long long *ids = malloc(cap * sizeof *ids);
    if (!ids) abort();
    *n = 0;
    while (store_row(q)) {
        if (*n == cap && !(ids = realloc(ids, (cap *= 2) * sizeof *ids))) abort();
        ids[(*n)++] = store_int(q, 0);
    }
    store_done(q);
    return ids;
}

json_t *plan_store_export_doc(struct store *db, long long plan_id, const struct plan_units *units)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT code, version, status, title, doc_no, issued, start_date, end_date,"
                " year_themes, notes FROM plans WHERE id = ?",
                "i", plan_id);
    json_t *doc = NULL, *notes = NULL;
    if (store_row(q)) {
        doc = json_pack("{s:s,s:I,s:s,s:s,s:o,s:o,s:s,s:s,s:o}", "code", store_text(q, 0),
                        "version", store_int(q, 1), "status", store_text(q, 2), "title",
                        store_text(q, 3), "doc_no", text_or_null(q, 4), "issued",
                        text_or_null(q, 5), "start", store_text(q, 6), "end", store_text(q, 7),
                        "year_themes", load_json_text(store_text(q, 8)));
        notes = load_json_text(store_text(q, 9));
    }
    store_done(q);
    if (!doc) return NULL;

    size_t n;
    long long *ids = collect_ids(
        store_q(db, "SELECT id FROM plan_actions WHERE plan_id = ? ORDER BY no", "i", plan_id), &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, plan_store_action_doc(db, ids[i]));
    free(ids);
    json_object_set_new(doc, "actions", arr);

    ids = collect_ids(
        store_q(db, "SELECT id FROM plan_tasks WHERE plan_id = ? ORDER BY no", "i", plan_id), &n);
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, plan_store_task_doc(db, ids[i], units));
    free(ids);
    json_object_set_new(doc, "tasks", arr);

    arr = json_array();
    q = store_q(db,
                "SELECT k.code, k.name, k.metrics FROM plan_activity_kinds p JOIN activity_kinds k "
                "ON k.id = p.kind_id"
                " WHERE p.plan_id = ? ORDER BY p.pos",
                "i", plan_id);
    while (store_row(q))
        json_array_append_new(arr, json_pack("{s:s,s:s,s:o}", "code", store_text(q, 0), "name",
                                             store_text(q, 1), "metrics",
                                             load_json_text(store_text(q, 2))));
    store_done(q);
    json_object_set_new(doc, "activity_kinds", arr);

    ids = collect_ids(
        store_q(db, "SELECT id FROM plan_obligations WHERE plan_id = ? ORDER BY id", "i", plan_id),
        &n);
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, plan_store_obligation_doc(db, ids[i], units));
    free(ids);
    json_object_set_new(doc, "obligations", arr);
    json_object_set_new(doc, "notes", notes);
    if (store_err(db)) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

json_t *plan_store_kinds(struct store *db)
{
    json_t *o = json_object();
    struct store_stmt *q =
        store_q(db, "SELECT code, name, metrics FROM activity_kinds ORDER BY id", "");
    while (store_row(q))
        json_object_set_new(o, store_text(q, 0),
                            json_pack("{s:s,s:o}", "name", store_text(q, 1), "metrics",
                                      load_json_text(store_text(q, 2))));
    store_done(q);
    return o;
}

/* ---- renderings ---- */

json_t *plan_store_plan_json(struct store *db, long long plan_id)
{
    struct store_stmt *q = store_q(
        db,
        "SELECT p.code, p.version, p.status, p.title, p.doc_no, p.issued, p.start_date, p.end_date,"
        " p.year_themes, p.notes, p.created_at, p.updated_at, p.published_at, par.code, par.version"
        " FROM plans p LEFT JOIN plans par ON par.id = p.parent_id WHERE p.id = ?",
        "i", plan_id);
    json_t *o = NULL;
    char code[72] = "";
    if (store_row(q)) {
        snprintf(code, sizeof code, "%s", store_text(q, 0));
        o = json_pack("{s:s,s:I,s:s,s:s,s:o,s:o,s:s,s:s,s:o,s:o,s:I,s:I,s:o,s:o}", "code",
                      store_text(q, 0), "version", store_int(q, 1), "status", store_text(q, 2),
                      "title", store_text(q, 3), "doc_no", text_or_null(q, 4), "issued",
                      text_or_null(q, 5), "start", store_text(q, 6), "end", store_text(q, 7),
                      "year_themes", load_json_text(store_text(q, 8)), "notes",
                      load_json_text(store_text(q, 9)), "created_at", store_int(q, 10),
                      "updated_at", store_int(q, 11), "published_at",
                      store_null(q, 12) ? json_null() : json_integer(store_int(q, 12)), "parent",
                      store_null(q, 13) ? json_null()
                                        : json_pack("{s:s,s:I}", "code", store_text(q, 13),
                                                    "version", store_int(q, 14)));
    }
    store_done(q);
    if (!o) return NULL;
    q = store_q(db,
                "SELECT (SELECT COUNT(*) FROM plan_actions WHERE plan_id = ?),"
                " (SELECT COUNT(*) FROM plan_measures m JOIN plan_actions a ON a.id = m.action_id "
                "WHERE a.plan_id = ?),"
                " (SELECT COUNT(*) FROM plan_tasks WHERE plan_id = ?),"
                " (SELECT COUNT(*) FROM plan_obligations WHERE plan_id = ?),"
                " (SELECT COUNT(*) FROM plan_activity_kinds WHERE plan_id = ?)",
                "iiiii", plan_id, plan_id, plan_id, plan_id, plan_id);
    if (store_row(q))
        json_object_set_new(o, "counts",
                            json_pack("{s:I,s:I,s:I,s:I,s:I}", "actions", store_int(q, 0),
                                      "measures", store_int(q, 1), "tasks", store_int(q, 2),
                                      "obligations", store_int(q, 3), "activity_kinds",
                                      store_int(q, 4)));
    store_done(q);
    json_t *versions = json_array();
    q = store_q(db, "SELECT version, status FROM plans WHERE code = ? ORDER BY version", "t", code);
    while (store_row(q))
        json_array_append_new(versions, json_pack("{s:I,s:s}", "version", store_int(q, 0), "status",
                                                  store_text(q, 1)));
    store_done(q);
    json_object_set_new(o, "versions", versions);
    if (store_err(db)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* {"id","key","name"} of a unit (its short name), once per array; nothing for NULL. */
static void add_unit(json_t *arr, const struct plan_unit *u)
{
    size_t i;
    json_t *x;
    if (!u) return;
    json_array_foreach(arr, i, x) if (json_integer_value(json_object_get(x, "id")) == u->id) return;
    json_array_append_new(
        arr, json_pack("{s:I,s:s,s:s}", "id", u->id, "key", u->key, "name", u->short_name));
}

json_t *plan_store_obligation_json(struct store *db, long long id, const struct plan_units *units)
{
    json_t *o = plan_store_obligation_doc(db, id, units);
    if (!o) return NULL;
    json_t *who = json_object_get(o, "who");
    json_t *w;
    if (json_object_get(who, "units")) {
        json_t *list = json_array();
        struct store_stmt *q = store_q(
            db, "SELECT unit_id FROM plan_obligation_units WHERE obligation_id = ? ORDER BY pos",
            "i", id);
        while (store_row(q))
            add_unit(list, plan_units_get(units, store_int(q, 0)));
        store_done(q);
        w = json_pack("{s:s,s:o}", "kind", "units", "units", list);
    } else if (json_object_get(who, "tiers")) {
        w = json_pack("{s:s,s:O}", "kind", "tiers", "tiers", json_object_get(who, "tiers"));
    } else {
        w = json_pack("{s:s}", "kind", "facilities");
    }
    json_object_set_new(o, "who", w);
    if (!json_object_get(o, "due")) json_object_set_new(o, "due", json_null());
    if (!json_object_get(o, "note")) json_object_set_new(o, "note", json_null());
    json_t *out = json_pack("{s:I}", "id", id);
    json_object_update(out, o);
    json_decref(o);
    return out;
}

json_t *plan_store_task_json(struct store *db, long long task_id, bool with_obligations,
                             const struct plan_units *units)
{
    json_t *doc = plan_store_task_doc(db, task_id, units);
    if (!doc) return NULL;
    json_t *lead_units = json_array(), *coop_units = json_array();
    struct store_stmt *q =
        store_q(db,
                "SELECT u.role, u.unit_id FROM plan_task_units u WHERE u.task_id = ?"
                " ORDER BY u.role DESC, u.pos, u.unit_id",
                "i", task_id);
    while (store_row(q))
        add_unit(strcmp(store_text(q, 0), "lead") == 0 ? lead_units : coop_units,
                 plan_units_get(units, store_int(q, 1)));
    store_done(q);
    json_t *t = json_pack(
        "{s:I,s:O,s:O,s:O,s:O,s:O,s:O,s:o,s:o,s:O,s:O,s:O,s:O,s:O,s:o}", "id", task_id, "no",
        json_object_get(doc, "no"), "action", json_object_get(doc, "action"), "measure",
        json_object_get(doc, "measure"), "content", json_object_get(doc, "content"),
        "content_continued", json_object_get(doc, "content_continued"), "text",
        json_object_get(doc, "text"), "lead_units", lead_units, "coop_units", coop_units,
        "lead_text", json_object_get(doc, "lead_text"), "coop_text",
        json_object_get(doc, "coop_text"), "lead", json_object_get(doc, "lead"), "coop",
        json_object_get(doc, "coop"), "deadline", json_object_get(doc, "deadline"), "note",
        json_object_get(doc, "note") ? json_incref(json_object_get(doc, "note")) : json_null());
    json_decref(doc);
    if (with_obligations) {
        size_t n;
        long long *ids =
            collect_ids(store_q(db, "SELECT id FROM plan_obligations WHERE task_id = ? ORDER BY id",
                                "i", task_id),
                        &n);
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_t *o = plan_store_obligation_json(db, ids[i], units);
            if (o) json_array_append_new(arr, o);
        }
        free(ids);
        json_object_set_new(t, "obligations", arr);
    }
    return t;
}

json_t *plan_store_action_json(struct store *db, long long action_id)
{
    json_t *a = plan_store_action_doc(db, action_id);
    if (!a) return NULL;
    if (!json_object_get(a, "kind")) json_object_set_new(a, "kind", json_string("action"));
    long long n = plan_store_action_tasks(db, action_id);
    json_t *out =
        json_pack("{s:I,s:O,s:O,s:O,s:O,s:I}", "id", action_id, "no", json_object_get(a, "no"),
                  "title", json_object_get(a, "title"), "kind", json_object_get(a, "kind"),
                  "measures", json_object_get(a, "measures"), "tasks", n);
    json_decref(a);
    return out;
}
