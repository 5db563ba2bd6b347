/* store_notify_citizen.c - the SQL of citizens' in-app messages (table citizen_inbox of
 * 0011_citizen_inbox.sql; see notify.h): every statement names the account first, so the table
 * can be partitioned by account. Writes run inside the caller's transaction. */
#include "notify/notify_store.h"
#include "store/counters.h"
#include "base/jw.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

enum err notify_store_cmsg_insert(struct store *db, const struct citizen_msg *m, long long now,
                                  long long *id)
{
    /* the id counts per account (a number skipped when the dedupe key was there already) */
    long long no;
    *id = 0;
    enum err e = counter_next(db, "citizen_inbox", m->citizen_id, &no);
    if (e != OK) return e;
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO citizen_inbox(citizen_id, id, kind, title, body, link, due_date, dedupe_key,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (citizen_id, dedupe_key) DO NOTHING RETURNING id",
        "iitttttti", m->citizen_id, no, m->kind, m->title, m->body, m->link, m->due, m->dedupe_key,
        now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err notify_store_cmsg_done_key(struct store *db, long long citizen_id, const char *key,
                                    long long now)
{
    return store_do(db,
                    "UPDATE citizen_inbox SET done_at = ? WHERE citizen_id = ? AND dedupe_key = ?"
                    " AND done_at IS NULL",
                    "iit", now, citizen_id, key);
}

enum err notify_store_cmsg_done_like(struct store *db, long long citizen_id, const char *pattern,
                                     long long now)
{
    return store_do(
        db,
        "UPDATE citizen_inbox SET done_at = ? WHERE citizen_id = ? AND dedupe_key LIKE ?"
        " ESCAPE '!' AND done_at IS NULL",
        "iit", now, citizen_id, pattern);
}

enum err notify_store_cmsg_list(struct store *db, long long citizen_id, long long after,
                                long long limit, struct jw *w, long long *n, long long *last)
{
    *n = 0;
    *last = 0;
    struct store_stmt *q =
        store_q(db,
                "SELECT id, kind, title, body, link, due_date, created_at, read_at, done_at"
                " FROM citizen_inbox WHERE citizen_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                "iii", citizen_id, after > 0 ? after : (long long)(~0ULL >> 1), limit);
    while (store_row(q)) {
        (*n)++;
        *last = store_int(q, 0);
        bool read = !store_null(q, 7), done = !store_null(q, 8);
        jw_obj(w);
        jw_kint(w, "id", store_int(q, 0));
        jw_kstr(w, "kind", store_text(q, 1));
        jw_kstr(w, "kind_label", citizen_msg_kind_label(store_text(q, 1)));
        jw_kstr(w, "title", store_text(q, 2));
        jw_kstr(w, "body", store_text(q, 3));
        jw_kstr(w, "link", store_text(q, 4));
        jw_kstr(w, "due_date", store_text(q, 5));
        jw_kint(w, "created_at", store_int(q, 6));
        jw_key(w, "read_at");
        if (read)
            jw_int(w, store_int(q, 7));
        else
            jw_null(w);
        jw_key(w, "done_at");
        if (done)
            jw_int(w, store_int(q, 8));
        else
            jw_null(w);
        jw_kstr(w, "state", done ? "done" : read ? "read" : "unread");
        jw_obj_end(w);
    }
    store_done(q);
    return store_err(db);
}

enum err notify_store_cmsg_count(struct store *db, long long citizen_id,
                                 struct citizen_inbox_counts *c)
{
    memset(c, 0, sizeof *c);
    struct store_stmt *q =
        store_q(db,
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN done_at IS NULL THEN 1 ELSE 0 END), 0),"
                " COALESCE(SUM(CASE WHEN done_at IS NULL AND read_at IS NULL THEN 1 ELSE 0 END), 0)"
                " FROM citizen_inbox WHERE citizen_id = ?",
                "i", citizen_id);
    if (store_row(q)) {
        c->total = store_int(q, 0);
        c->open = store_int(q, 1);
        c->unread = store_int(q, 2);
    }
    store_done(q);
    return store_err(db);
}

enum err notify_store_cmsg_mark(struct store *db, long long citizen_id, long long id, bool done,
                                long long now, bool *found, bool *was)
{
    *found = *was = false;
    struct store_stmt *q =
        store_q(db, "SELECT read_at, done_at FROM citizen_inbox WHERE citizen_id = ? AND id = ?",
                "ii", citizen_id, id);
    if (store_row(q)) {
        *found = true;
        *was = done ? !store_null(q, 1) : !store_null(q, 0);
    }
    store_done(q);
    if (store_err(db) || !*found || *was) return store_err(db);
    if (done)
        return store_do(db,
                        "UPDATE citizen_inbox SET done_at = ?, read_at = COALESCE(read_at, ?)"
                        " WHERE citizen_id = ? AND id = ? AND done_at IS NULL",
                        "iiii", now, now, citizen_id, id);
    return store_do(db,
                    "UPDATE citizen_inbox SET read_at = ? WHERE citizen_id = ? AND id = ?"
                    " AND read_at IS NULL",
                    "iii", now, citizen_id, id);
}

enum err notify_store_cmsg_delete_all(struct store *db, long long citizen_id)
{
    return store_do(db, "DELETE FROM citizen_inbox WHERE citizen_id = ?", "i", citizen_id);
}

enum err notify_store_cmsg_delete_like(struct store *db, long long citizen_id, const char *pattern)
{
    return store_do(
        db, "DELETE FROM citizen_inbox WHERE citizen_id = ? AND dedupe_key LIKE ? ESCAPE '!'", "it",
        citizen_id, pattern);
}

static json_t *int_or_null(struct store_stmt *q, int col)
{
    return store_null(q, col) ? json_null() : json_integer(store_int(q, col));
}

static json_t *text_or_null(struct store_stmt *q, int col)
{
    return store_null(q, col) ? json_null() : json_string(store_text(q, col));
}

json_t *notify_store_cmsg_json(struct store *db, long long citizen_id)
{
    json_t *a = json_array();
    struct store_stmt *q =
        store_q(db,
                "SELECT id, kind, title, body, link, due_date, created_at, read_at, done_at"
                " FROM citizen_inbox WHERE citizen_id = ? ORDER BY id",
                "i", citizen_id);
    while (store_row(q)) {
        json_t *o = json_pack("{s:I,s:s,s:s,s:s}", "id", store_int(q, 0), "kind", store_text(q, 1),
                              "kind_label", citizen_msg_kind_label(store_text(q, 1)), "title",
                              store_text(q, 2));
        json_object_set_new(o, "body", text_or_null(q, 3));
        json_object_set_new(o, "link", json_string(store_text(q, 4)));
        json_object_set_new(o, "due_date", text_or_null(q, 5));
        json_object_set_new(o, "created_at", json_integer(store_int(q, 6)));
        json_object_set_new(o, "read_at", int_or_null(q, 7));
        json_object_set_new(o, "done_at", int_or_null(q, 8));
        json_array_append_new(a, o);
    }
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}
