/* store_work.c - the SQL of the work ledger: reports with their task and metric rows, the
 * review steps, evidence links to content-addressed files, the history of every step, and the
 * filtered scans behind lists, the review queue and the export. Writes run inside the caller's
 * transaction (the HTTP pipeline's, for routes). */
#include "work/work.h"
#include "store/files.h"
#include "base/filetype.h"
#include "notify/notify.h"
#include "base/crypto.h"
#include "base/date.h"
#include "org/units.h"
#include "plan/plan.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the plan ---- */

enum err work_plan_load(struct store *db, const char *code, struct work_plan *p)
{
    memset(p, 0, sizeof *p);
    struct plan_row row;
    enum err e = plan_find_published(db, code, &row);
    if (e != OK) return e;
    p->plan_id = row.id;
    snprintf(p->code, sizeof p->code, "%s", row.code);
    if (!date_parse(row.start, &p->start) || !date_parse(row.end, &p->end)) return ERR_INTERNAL;
    size_t n = 0;
    e = plan_task_numbers(db, p->plan_id, &p->tasks, &n);
    p->ntasks = n;
    return e;
}

void work_plan_free(struct work_plan *p)
{
    if (!p) return;
    free(p->tasks);
    p->tasks = NULL;
    p->ntasks = 0;
}

/* ---- unit labels, cached for one request ---- */

struct work_units {
    struct work_unit_label *items;
    size_t n, cap;
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

const struct work_unit_label *work_unit_label(struct work_units **cache, struct store *db,
                                              long long id)
{
    if (!*cache) *cache = calloc(1, sizeof **cache);
    struct work_units *c = *cache;
    if (!c) return NULL;
    for (size_t i = 0; i < c->n; i++)
        if (c->items[i].id == id) return &c->items[i];
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        struct work_unit_label *a = realloc(c->items, cap * sizeof *a);
        if (!a) return NULL;
        c->items = a;
        c->cap = cap;
    }
    struct unit u;
    bool found = unit_get(db, id, &u) == OK;
    struct work_unit_label *l = &c->items[c->n++];
    l->id = id;
    l->key = dup_or_null(found ? u.key : NULL);
    l->code = dup_or_null(found && u.code[0] ? u.code : NULL);
    l->name = dup_or_null(found ? u.name : NULL);
    return l;
}

void work_units_free(struct work_units *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->items[i].key);
        free(c->items[i].code);
        free(c->items[i].name);
    }
    free(c->items);
    free(c);
}

/* ---- reports ---- */

static json_t *tasks_json(const struct work_report *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->ntasks; i++)
        json_array_append_new(a, json_integer(r->tasks[i]));
    return a;
}

static json_t *metrics_json(const struct work_report *r)
{
    json_t *o = json_object();
    for (size_t i = 0; i < r->nmetrics; i++)
        json_object_set_new(o, r->metrics[i].name, json_integer(r->metrics[i].value));
    return o;
}

static json_t *links_json(const struct work_report *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->nlinks; i++)
        json_array_append_new(a, json_string(r->links[i]));
    return a;
}

static char *dumps(json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    json_decref(j);
    return s;
}

static enum err history(struct store *db, long long id, const struct work_actor *by, long long now,
                        const char *action, const char *status, const char *reason, json_t *changes)
{
    char *ch = changes ? dumps(changes) : NULL;
    enum err e =
        store_do(db,
                 "INSERT INTO report_history(report_id, at, user_id, user_name, action, status, "
                 "reason, changes)"
                 " VALUES (?,?,?,?,?,?,?,?)",
                 "iiItttt"
                 "t",
                 id, now, by->user_id, by->name ? by->name : "", action, status, reason, ch);
    free(ch);
    return e;
}

/* Claims a report for a change: touches it unless it is accepted. On PostgreSQL the row lock
 * is held to the end of the transaction, so a review running at the same time waits, and a
 * change waiting behind an acceptance sees it (ERR_CONFLICT); SQLite writers are serialised. */
static enum err claim_editable(struct store *db, long long id, long long now)
{
    enum err e =
        store_do(db, "UPDATE reports SET updated_at = ? WHERE id = ? AND status <> 'accepted'",
                 "ii", now, id);
    if (e != OK) return e;
    return store_changes(db) == 1 ? OK : ERR_CONFLICT;
}

/* Task and metric rows of a report (replacing the old ones when replace). */
static enum err write_parts(struct store *db, long long id, const struct work_report *r,
                            bool replace)
{
    enum err e = OK;
    if (replace) e = store_do(db, "DELETE FROM report_tasks WHERE report_id = ?", "i", id);
    if (replace && e == OK)
        e = store_do(db, "DELETE FROM report_metrics WHERE report_id = ?", "i", id);
    for (size_t i = 0; i < r->ntasks && e == OK; i++)
        e = store_do(db, "INSERT INTO report_tasks(report_id, task_no) VALUES (?,?)", "ii", id,
                     r->tasks[i]);
    for (size_t i = 0; i < r->nmetrics && e == OK; i++)
        e = store_do(db, "INSERT INTO report_metrics(report_id, name, value) VALUES (?,?,?)", "iti",
                     id, r->metrics[i].name, r->metrics[i].value);
    return e;
}

enum err work_store_insert(struct store *db, const struct work_report *r, const char *plan,
                           long long parent_unit_id, const char *source, const char *source_ref,
                           const struct work_actor *by, long long now, long long *id)
{
    char *tasks = dumps(tasks_json(r)), *metrics = dumps(metrics_json(r)),
         *links = dumps(links_json(r));
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO reports(unit_id, parent_unit_id, plan_code, kind, activity_date, title,"
        " summary, place, tasks, metrics, links, status, source, source_ref, created_by,"
        " created_by_name, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,'submitted',?,?,?,?,?,?) RETURNING id",
        "iItttttttttttItii", r->unit_id, parent_unit_id, plan, r->kind, r->activity_date, r->title,
        r->summary ? r->summary : "", r->place ? r->place : "", tasks, metrics, links, source,
        source_ref, by->user_id, by->name ? by->name : "", now, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    free(tasks);
    free(metrics);
    free(links);
    if (!*id) return store_err(db) ? store_err(db) : ERR_INTERNAL;
    enum err e = write_parts(db, *id, r, false);
    json_t *how = strcmp(source, "api") == 0 ? NULL : json_pack("{s:s}", "source", source);
    if (how && source_ref) json_object_set_new(how, "source_ref", json_string(source_ref));
    if (e == OK)
        e = history(db, *id, by, now, "submit", "submitted", NULL, how);
    else
        json_decref(how);
    return e;
}

/* Adds {field: {from, to}} when the two JSON values differ; steals both. */
static void diff(json_t *changes, const char *field, json_t *from, json_t *to)
{
    if (!json_equal(from, to))
        json_object_set_new(changes, field, json_pack("{s:o,s:o}", "from", from, "to", to));
    else {
        json_decref(from);
        json_decref(to);
    }
}

static json_t *text_json(const char *s)
{
    return json_string(s ? s : "");
}

static json_t *load(const char *text, json_t *def)
{
    json_t *j = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    if (j) {
        json_decref(def);
        return j;
    }
    return def;
}

enum err work_store_update(struct store *db, long long id, const struct work_report *r,
                           const struct work_actor *by, long long now)
{
    enum err e = claim_editable(db, id, now);
    if (e != OK) return e;
    struct store_stmt *q =
        store_q(db,
                "SELECT kind, activity_date, title, summary, place, tasks, metrics, links, status"
                " FROM reports WHERE id = ?",
                "i", id);
    if (!store_row(q)) {
        store_done(q);
        return store_err(db) ? store_err(db) : ERR_NOT_FOUND;
    }
    json_t *changes = json_object();
    diff(changes, "kind", text_json(store_text(q, 0)), text_json(r->kind));
    diff(changes, "activity_date", text_json(store_text(q, 1)), text_json(r->activity_date));
    diff(changes, "title", text_json(store_text(q, 2)), text_json(r->title));
    diff(changes, "summary", text_json(store_text(q, 3)), text_json(r->summary));
    diff(changes, "place", text_json(store_text(q, 4)), text_json(r->place));
    diff(changes, "tasks", load(store_text(q, 5), json_array()), tasks_json(r));
    diff(changes, "metrics", load(store_text(q, 6), json_object()), metrics_json(r));
    diff(changes, "links", load(store_text(q, 7), json_array()), links_json(r));
    bool returned = strcmp(store_text(q, 8), "returned") == 0;
    store_done(q);
    if (!returned && json_object_size(changes) == 0) { /* nothing to record */
        json_decref(changes);
        return OK;
    }
    if (json_object_size(changes) == 0) { /* a resubmission as it was */
        json_decref(changes);
        changes = NULL;
    }
    char *tasks = dumps(tasks_json(r)), *metrics = dumps(metrics_json(r)),
         *links = dumps(links_json(r));
    e = store_do(
        db,
        "UPDATE reports SET kind = ?, activity_date = ?, title = ?, summary = ?, place = ?,"
        " tasks = ?, metrics = ?, links = ?, status = 'submitted', return_reason = NULL,"
        " updated_at = ? WHERE id = ?",
        "ttttttttii", r->kind, r->activity_date, r->title, r->summary ? r->summary : "",
        r->place ? r->place : "", tasks, metrics, links, now, id);
    free(tasks);
    free(metrics);
    free(links);
    if (e == OK) e = write_parts(db, id, r, true);
    if (e != OK) {
        json_decref(changes);
        return e;
    }
    e = history(db, id, by, now, returned ? "resubmit" : "update", "submitted", NULL, changes);
    if (e == OK && returned) { /* the correction is done: its inbox item closes */
        char prefix[48];
        snprintf(prefix, sizeof prefix, "report:%lld:returned:", id);
        e = inbox_done_prefix(db, prefix, by->user_id, now);
    }
    return e;
}

/* A returned report goes into its author's inbox (or, for an imported one, its unit's filers'). */
static enum err tell_returned(struct store *db, long long id, long long now)
{
    struct store_stmt *q =
        store_q(db, "SELECT created_by, unit_id, title FROM reports WHERE id = ?", "i", id);
    if (!store_row(q)) {
        store_done(q);
        return store_err(db) ? store_err(db) : ERR_NOT_FOUND;
    }
    struct inbox_item it = {.kind = "report_returned"};
    it.to.user_id = store_int(q, 0);
    it.to.unit_id = store_int(q, 1);
    it.to.roles = (1u << ROLE_UNIT_REPORTER) | (1u << ROLE_UNIT_ADMIN);
    char title[256], link[48], key[64];
    snprintf(title, sizeof title, "报送被退回：%.200s", store_text(q, 2));
    store_done(q);
    snprintf(link, sizeof link, "/reports/%lld", id);
    snprintf(key, sizeof key, "report:%lld:returned:%lld", id, now);
    it.title = title;
    it.link = link;
    it.dedupe_key = key;
    return inbox_add(db, &it, now, NULL);
}

enum err work_may_review(struct store *db, long long id, long long user_id, bool *may)
{
    /* Four eyes: whoever filed, corrected or added evidence to the report never reviews it. */
    struct store_stmt *q =
        store_q(db,
                "SELECT 1 FROM reports WHERE id = ? AND created_by = ? UNION ALL"
                " SELECT 1 FROM report_history WHERE report_id = ? AND user_id = ?"
                " AND action NOT IN ('accept', 'return')",
                "iiii", id, user_id, id, user_id);
    bool authored = store_row(q);
    store_done(q);
    *may = !authored;
    return store_err(db);
}

enum err work_store_review(struct store *db, long long id, bool accept, const char *reason,
                           const struct work_actor *by, long long now)
{
    bool may;
    enum err e = work_may_review(db, id, by->user_id, &may);
    if (e != OK) return e;
    if (!may) return ERR_FORBIDDEN;
    char day[11];
    date_format(date_today_shanghai(now), day);
    e = store_do(
        db,
        "UPDATE reports SET status = ?, accepted_date = ?, reviewed_at = ?, reviewed_by = ?,"
        " reviewer_name = ?, return_reason = ?, updated_at = ? WHERE id = ? AND status = "
        "'submitted'",
        "ttiIttii", accept ? "accepted" : "returned", accept ? day : NULL, now, by->user_id,
        by->name ? by->name : "", accept ? NULL : reason, now, id);
    if (e != OK) return e;
    if (store_changes(db) != 1) return ERR_CONFLICT;
    e = history(db, id, by, now, accept ? "accept" : "return", accept ? "accepted" : "returned",
                reason, accept ? json_pack("{s:s}", "accepted_date", day) : NULL);
    return e == OK && !accept ? tell_returned(db, id, now) : e;
}

enum err work_store_state(struct store *db, long long id, struct work_row_state *out)
{
    memset(out, 0, sizeof *out);
    struct store_stmt *q = store_q(
        db, "SELECT id, unit_id, parent_unit_id, status, plan_code FROM reports WHERE id = ?", "i",
        id);
    bool found = store_row(q);
    if (found) {
        out->id = store_int(q, 0);
        out->unit_id = store_int(q, 1);
        out->parent_unit_id = store_int(q, 2);
        snprintf(out->status, sizeof out->status, "%s", store_text(q, 3));
        snprintf(out->plan, sizeof out->plan, "%s", store_text(q, 4));
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

static json_t *unit_brief(struct store *db, long long id)
{
    struct unit u;
    if (unit_get(db, id, &u) != OK) return json_null();
    json_t *o = json_pack("{s:I,s:s,s:s?,s:s}", "id", (json_int_t)id, "key", u.key, "code",
                          u.code[0] ? u.code : NULL, "name", u.name);
    return o ? o : json_null();
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *work_store_report_json(struct store *db, long long id, bool with_history)
{
    struct store_stmt *q = store_q(
        db,
        "SELECT id, unit_id, parent_unit_id, plan_code, kind, activity_date, title, summary, "
        "place, tasks,"
        " metrics, links, status, accepted_date, reviewed_at, reviewer_name, return_reason, source,"
        " created_by, created_by_name, created_at, updated_at, source_ref FROM reports WHERE id = "
        "?",
        "i", id);
    if (!store_row(q)) {
        store_done(q);
        return NULL;
    }
    json_t *kinds = plan_kinds(db);
    const char *kind = store_text(q, 4);
    json_t *k = json_object_get(kinds, kind);
    const char *status = store_text(q, 12);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(store_int(q, 0)));
    json_object_set_new(o, "unit", unit_brief(db, store_int(q, 1)));
    json_object_set_new(o, "parent_unit_id",
                        store_null(q, 2) ? json_null() : json_integer(store_int(q, 2)));
    json_object_set_new(o, "plan", json_string(store_text(q, 3)));
    json_object_set_new(o, "kind", json_string(kind));
    json_object_set_new(o, "kind_name", str_or_null(json_string_value(json_object_get(k, "name"))));
    json_object_set_new(o, "activity_date", json_string(store_text(q, 5)));
    json_object_set_new(o, "title", json_string(store_text(q, 6)));
    json_object_set_new(o, "summary", json_string(store_text(q, 7)));
    json_object_set_new(o, "place", json_string(store_text(q, 8)));
    json_object_set_new(o, "tasks", load(store_text(q, 9), json_array()));
    json_object_set_new(o, "metrics", load(store_text(q, 10), json_object()));
    json_object_set_new(o, "links", load(store_text(q, 11), json_array()));
    json_object_set_new(o, "status", json_string(status));
    json_object_set_new(o, "status_label", json_string(work_status_label(status)));
    json_object_set_new(o, "accepted_date", str_or_null(store_text(q, 13)));
    json_object_set_new(o, "reviewed_at",
                        store_null(q, 14) ? json_null() : json_integer(store_int(q, 14)));
    json_object_set_new(o, "reviewer_name", str_or_null(store_text(q, 15)));
    json_object_set_new(o, "return_reason", str_or_null(store_text(q, 16)));
    json_object_set_new(o, "source", json_string(store_text(q, 17)));
    json_object_set_new(o, "created_by",
                        json_pack("{s:o,s:s}", "id",
                                  store_null(q, 18) ? json_null() : json_integer(store_int(q, 18)),
                                  "name", store_text(q, 19)));
    json_object_set_new(o, "created_at", json_integer(store_int(q, 20)));
    json_object_set_new(o, "updated_at", json_integer(store_int(q, 21)));
    json_object_set_new(o, "source_ref", str_or_null(store_text(q, 22)));
    store_done(q);
    json_decref(kinds);

    json_t *ev = json_array();
    q = store_q(db,
                "SELECT name, content_type, size, file_hash, added_at FROM report_evidence WHERE "
                "report_id = ?"
                " ORDER BY name",
                "i", id);
    while (store_row(q))
        json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:I,s:s,s:I}", "name", store_text(q, 0),
                                            "content_type", store_text(q, 1), "type_label",
                                            filetype_label(store_text(q, 1)), "size",
                                            (json_int_t)store_int(q, 2), "hash", store_text(q, 3),
                                            "added_at", (json_int_t)store_int(q, 4)));
    store_done(q);
    json_object_set_new(o, "evidence", ev);

    if (with_history) {
        json_t *h = json_array();
        q = store_q(
            db,
            "SELECT at, user_id, user_name, action, status, reason, changes FROM report_history"
            " WHERE report_id = ? ORDER BY id",
            "i", id);
        while (store_row(q))
            json_array_append_new(
                h, json_pack("{s:I,s:{s:o,s:s},s:s,s:s,s:o,s:o}", "at", (json_int_t)store_int(q, 0),
                             "by", "id",
                             store_null(q, 1) ? json_null() : json_integer(store_int(q, 1)), "name",
                             store_text(q, 2), "action", store_text(q, 3), "status",
                             store_text(q, 4), "reason", str_or_null(store_text(q, 5)), "changes",
                             load(store_text(q, 6), json_null())));
        store_done(q);
        json_object_set_new(o, "history", h);
    }
    if (store_err(db)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ---- evidence ---- */

enum err work_store_evidence_count(struct store *db, long long report_id, long long *n)
{
    struct store_stmt *q =
        store_q(db, "SELECT COUNT(*) FROM report_evidence WHERE report_id = ?", "i", report_id);
    *n = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err work_store_evidence_put(struct store *db, long long report_id, const char *name,
                                 const char *type, const void *data, size_t len,
                                 const struct work_actor *by, long long now, bool *created,
                                 char hash[65])
{
    enum err e = claim_editable(db, report_id, now);
    if (e != OK) return e;
    e = files_put(db, data, len, type, now, hash);
    if (e != OK) return e;
    struct store_stmt *q =
        store_q(db, "SELECT file_hash FROM report_evidence WHERE report_id = ? AND name = ?", "it",
                report_id, name);
    *created = !store_row(q);
    char *old = *created ? NULL : strdup(store_text(q, 0));
    store_done(q);
    e = store_do(
        db,
        "INSERT INTO report_evidence(report_id, name, file_hash, content_type, size, added_by, "
        "added_at)"
        " VALUES (?,?,?,?,?,?,?) ON CONFLICT (report_id, name) DO UPDATE SET file_hash = "
        "excluded.file_hash,"
        " content_type = excluded.content_type, size = excluded.size, added_by = excluded.added_by,"
        " added_at = excluded.added_at",
        "ittti"
        "Ii",
        report_id, name, hash, type, (long long)len, by->user_id, now);
    if (e == OK) {
        struct store_stmt *s =
            store_q(db, "SELECT status FROM reports WHERE id = ?", "i", report_id);
        char status[16] = "submitted";
        if (store_row(s)) snprintf(status, sizeof status, "%s", store_text(s, 0));
        store_done(s);
        json_t *ch = json_pack("{s:s,s:s,s:s,s:I}", "name", name, "hash", hash, "content_type",
                               type, "size", (json_int_t)len);
        if (old) json_object_set_new(ch, "replaced_hash", json_string(old));
        e = history(db, report_id, by, now, *created ? "evidence_add" : "evidence_replace", status,
                    NULL, ch);
    }
    free(old);
    return e;
}

enum err work_store_evidence_get(struct store *db, long long report_id, const char *name,
                                 void *(*alloc)(void *ctx, size_t n), void *ctx, const void **data,
                                 size_t *len, const char **type)
{
    struct store_stmt *q =
        store_q(db, "SELECT file_hash FROM report_evidence WHERE report_id = ? AND name = ?", "it",
                report_id, name);
    char hash[CRYPTO_HASH_HEX] = "";
    if (store_row(q)) snprintf(hash, sizeof hash, "%s", store_text(q, 0));
    store_done(q);
    if (store_err(db)) return store_err(db);
    return hash[0] ? files_get(db, hash, alloc, ctx, data, len, type) : ERR_NOT_FOUND;
}

enum err work_store_evidence_delete(struct store *db, long long report_id, const char *name,
                                    const struct work_actor *by, long long now)
{
    enum err e = claim_editable(db, report_id, now);
    if (e != OK) return e;
    struct store_stmt *q = store_q(
        db,
        "SELECT e.file_hash, r.status FROM report_evidence e JOIN reports r ON r.id = e.report_id"
        " WHERE e.report_id = ? AND e.name = ?",
        "it", report_id, name);
    if (!store_row(q)) {
        store_done(q);
        return store_err(db) ? store_err(db) : ERR_NOT_FOUND;
    }
    json_t *ch = json_pack("{s:s,s:s}", "name", name, "hash", store_text(q, 0));
    char status[16];
    snprintf(status, sizeof status, "%s", store_text(q, 1));
    store_done(q);
    e = store_do(db, "DELETE FROM report_evidence WHERE report_id = ? AND name = ?", "it",
                 report_id, name);
    if (e == OK)
        e = history(db, report_id, by, now, "evidence_remove", status, NULL, ch);
    else
        json_decref(ch);
    return e;
}

/* ---- scans ---- */

#define LIST_COLUMNS                                                                               \
    "SELECT r.id, r.unit_id, r.parent_unit_id, r.plan_code, r.kind, r.activity_date, r.title,"     \
    " r.summary, r.place, r.tasks, r.metrics, r.links, r.status, r.accepted_date, "                \
    "r.created_by_name,"                                                                           \
    " r.created_at, r.updated_at, (SELECT COUNT(*) FROM report_evidence e WHERE e.report_id = "    \
    "r.id)"                                                                                        \
    " FROM reports r"
#define LIST_WHERE                                                                                 \
    " WHERE (CAST(? AS BIGINT) = 0 OR r.unit_id = ? OR r.parent_unit_id = ?)"                      \
    " AND (CAST(? AS BIGINT) = 0 OR r.unit_id = ? OR r.parent_unit_id = ?)"                        \
    " AND (CAST(? AS BIGINT) = 0 OR r.parent_unit_id = ?)"                                         \
    " AND (CAST(? AS TEXT) IS NULL OR r.kind = ?)"                                                 \
    " AND (CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM report_tasks t WHERE t.report_id = r.id" \
    "  AND t.task_no = ?))"                                                                        \
    " AND (CAST(? AS TEXT) IS NULL OR r.activity_date >= ?)"                                       \
    " AND (CAST(? AS TEXT) IS NULL OR r.activity_date <= ?)"                                       \
    " AND (CAST(? AS TEXT) IS NULL OR r.status = ?)"                                               \
    " AND (CAST(? AS TEXT) IS NULL OR r.plan_code = ?)"                                            \
    " AND (CAST(? AS TEXT) IS NULL OR LOWER(r.title) LIKE LOWER(?) ESCAPE '!'"                     \
    "  OR LOWER(r.summary) LIKE LOWER(?) ESCAPE '!' OR LOWER(r.place) LIKE LOWER(?) ESCAPE '!'"    \
    "  OR LOWER(r.created_by_name) LIKE LOWER(?) ESCAPE '!')"                                      \
    " AND (CAST(? AS BIGINT) = 0 OR r.updated_at >= ?)"                                            \
    " AND (CAST(? AS BIGINT) = 0 OR r.updated_at < ?)"
#define LIST_FMT "iiiiiiiittiitttttttttttttiiii"
/* The bound values of LIST_WHERE, in order (like: the escaped pattern of f->search). */
#define LIST_ARGS(f, like)                                                                         \
    (f)->unit, (f)->unit, (f)->unit, (f)->scope_unit, (f)->scope_unit, (f)->scope_unit,            \
        (f)->reviewer_parent, (f)->reviewer_parent, (f)->kind, (f)->kind, (f)->task, (f)->task,    \
        (f)->from, (f)->from, (f)->to, (f)->to, (f)->status, (f)->status, (f)->plan, (f)->plan,    \
        like, like, like, like, like, (f)->sub_from, (f)->sub_from, (f)->sub_to, (f)->sub_to

/* The page's SQL for a sort: keyset by id for newest/oldest, else LIMIT … OFFSET. */
static const char *list_sql(enum work_sort sort)
{
    switch (sort) {
    case WORK_SORT_OLDEST:
        return LIST_COLUMNS LIST_WHERE
            " AND (CAST(? AS BIGINT) = 0 OR r.id > ?) ORDER BY r.id LIMIT ?";
    case WORK_SORT_UNIT:
        return LIST_COLUMNS LIST_WHERE
            " AND CAST(? AS BIGINT) >= 0 ORDER BY r.unit_id, r.id DESC LIMIT ? OFFSET ?";
    case WORK_SORT_ACTIVITY:
        return LIST_COLUMNS LIST_WHERE
            " AND CAST(? AS BIGINT) >= 0 ORDER BY r.activity_date, r.id LIMIT ? OFFSET ?";
    default:
        return LIST_COLUMNS LIST_WHERE
            " AND (CAST(? AS BIGINT) = 0 OR r.id < ?) ORDER BY r.id DESC LIMIT ?";
    }
}

enum err work_store_count(struct store *db, const struct work_filter *f, long long *n)
{
    char *like = store_like(f->search, true);
    struct store_stmt *q =
        store_q(db, "SELECT COUNT(*) FROM reports r" LIST_WHERE, LIST_FMT, LIST_ARGS(f, like));
    *n = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    free(like);
    return store_err(db);
}

enum err work_store_each(struct store *db, const struct work_filter *f, long long after,
                         long long limit, work_row_fn fn, void *ctx)
{
    char *like = store_like(f->search, true);
    bool offset = work_sort_offset(f->sort);
    struct store_stmt *q =
        store_q(db, list_sql(f->sort), LIST_FMT "iii", LIST_ARGS(f, like), offset ? 0 : after,
                offset ? limit : after, offset ? after : limit);
    bool go = true;
    while (go && store_row(q)) {
        struct work_list_row row = {
            .id = store_int(q, 0),
            .unit_id = store_int(q, 1),
            .parent_unit_id = store_int(q, 2),
            .plan = store_text(q, 3),
            .kind = store_text(q, 4),
            .activity_date = store_text(q, 5),
            .title = store_text(q, 6),
            .summary = store_text(q, 7),
            .place = store_text(q, 8),
            .tasks = store_text(q, 9),
            .metrics = store_text(q, 10),
            .links = store_text(q, 11),
            .status = store_text(q, 12),
            .accepted_date = store_text(q, 13),
            .created_by_name = store_text(q, 14),
            .created_at = store_int(q, 15),
            .updated_at = store_int(q, 16),
            .evidence_count = store_int(q, 17),
        };
        go = fn(ctx, &row);
    }
    store_done(q);
    free(like);
    return store_err(db);
}

/* ---- accepted reports and the change log, for the compliance index ----
 * One scan of reports gives everything (the row's JSON copies of tasks and metrics, not two
 * more joined tables for a million rows). The change log (comply_counter, comply_changes) is
 * written by the triggers of 0004_comply.sql on reports. */

#define ACCEPTED_COLS                                                                              \
    "id, plan_code, unit_id, parent_unit_id, kind, activity_date, accepted_date, tasks, metrics"

enum err work_store_accepted_scan(struct store *db, long long id, work_accepted_fn fn, void *ctx)
{
    struct store_stmt *q =
        id ? store_q(db,
                     "SELECT " ACCEPTED_COLS " FROM reports WHERE id = ? AND status = 'accepted'",
                     "i", id)
           : store_q(db, "SELECT " ACCEPTED_COLS " FROM reports WHERE status = 'accepted'", "");
    struct work_accepted r;
    char names[WORK_ACCEPTED_MAX_METRICS * 72];
    while (store_row(q)) {
        r.id = store_int(q, 0);
        r.plan = store_text(q, 1);
        r.unit_id = store_int(q, 2);
        r.parent_unit_id = store_null(q, 3) ? 0 : store_int(q, 3);
        r.kind = store_text(q, 4);
        r.activity_date = store_text(q, 5);
        r.accepted_date = store_text(q, 6);
        r.ntasks = work_tasks_parse(store_text(q, 7), r.tasks, WORK_ACCEPTED_MAX_TASKS);
        r.nmetrics = work_metrics_parse(store_text(q, 8), r.metrics, WORK_ACCEPTED_MAX_METRICS,
                                        names, sizeof names);
        if (!fn(ctx, &r)) break;
    }
    store_done(q);
    return store_err(db);
}

enum err work_store_accepted_values(struct store *db, const char *kind, const char *metric,
                                    work_value_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(
        db, "SELECT id, metrics FROM reports WHERE status = 'accepted' AND kind = ?", "t", kind);
    struct work_metric m[WORK_ACCEPTED_MAX_METRICS];
    char names[WORK_ACCEPTED_MAX_METRICS * 72];
    while (store_row(q)) {
        size_t n =
            work_metrics_parse(store_text(q, 1), m, WORK_ACCEPTED_MAX_METRICS, names, sizeof names);
        long long v = 0;
        for (size_t i = 0; i < n; i++)
            if (strcmp(m[i].name, metric) == 0) {
                v = m[i].value;
                break;
            }
        if (!fn(ctx, store_int(q, 0), v)) break;
    }
    store_done(q);
    return store_err(db);
}

enum err work_store_changes_counter(struct store *db, long long *seq)
{
    struct store_stmt *q = store_q(db, "SELECT seq FROM comply_counter WHERE id = 1", "");
    *seq = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err work_store_changes_oldest(struct store *db, long long *seq)
{
    struct store_stmt *q = store_q(db, "SELECT MIN(seq) FROM comply_changes", "");
    *seq = store_row(q) && !store_null(q, 0) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err work_store_changes_scan(struct store *db, long long from, long long to, work_change_fn fn,
                                 void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT report_id, was_accepted FROM comply_changes"
                                   " WHERE seq > ? AND seq <= ? ORDER BY seq",
                                   "ii", from, to);
    while (store_row(q))
        if (!fn(ctx, store_int(q, 0), store_int(q, 1) != 0)) break;
    store_done(q);
    return store_err(db);
}
