/* store_notify.c - all SQL of the notify area (see notify_store.h): inbox items added once per
 * dedupe key, their SMS messages, closing items, a viewer's open items and counts, and the
 * gateway's claims and results. Tables: migration 0005 (inbox_items, outbox); 0012 added
 * inbox_items.class (todo | toread, from the kind when the item is added). Writes run inside
 * the caller's transaction. */
#include "notify/notify_store.h"
#include "base/jw.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- adding and closing ---- */

enum err notify_store_item_insert(struct store *db, const struct inbox_item *it, long long now,
                                  long long *id)
{
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO inbox_items(user_id, unit_id, roles, kind, class, title, link, due_date,"
        " dedupe_key, created_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (dedupe_key) DO NOTHING"
        " RETURNING id",
        "IIitttttti", it->to.user_id, it->to.user_id ? 0LL : it->to.unit_id,
        it->to.user_id ? 0LL : (long long)it->to.roles, it->kind,
        inbox_class_code(inbox_kind_class(it->kind)), it->title, it->link, it->due, it->dedupe_key,
        now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err notify_store_sms_queue(struct store *db, long long inbox_id, long long user_id,
                                const char *text, bool urgent, long long not_before, long long now)
{
    return store_do(db,
                    "INSERT INTO outbox(inbox_id, user_id, channel, text, urgent, not_before,"
                    " created_at, updated_at) VALUES (?,?,'sms',?,?,?,?,?)"
                    " ON CONFLICT (inbox_id, user_id, channel) DO NOTHING",
                    "iitiiii", inbox_id, user_id, text, (long long)urgent, not_before, now, now);
}

enum err notify_store_done_key(struct store *db, const char *key, long long by, long long now)
{
    return store_do(
        db,
        "UPDATE inbox_items SET done_at = ?, done_by = ? WHERE dedupe_key = ? AND done_at IS NULL",
        "iIt", now, by, key);
}

enum err notify_store_done_like(struct store *db, const char *pattern, long long by, long long now)
{
    return store_do(
        db,
        "UPDATE inbox_items SET done_at = ?, done_by = ? WHERE dedupe_key LIKE ? ESCAPE '!'"
        " AND done_at IS NULL",
        "iIt", now, by, pattern);
}

/* ---- a viewer's items ---- */

#define VISIBLE                                                                                    \
    "(user_id = ? OR (user_id IS NULL AND (unit_id IS NULL OR unit_id = ?) AND (roles & ?) <> 0))"

/* cls "" matches both classes */
#define OF_CLASS "(CAST(? AS TEXT) = '' OR class = ?)"

enum err notify_store_list(struct store *db, const struct inbox_viewer *v, const char *cls,
                           long long after, long long limit, struct jw *w, long long *n,
                           long long *last)
{
    *n = 0;
    *last = 0;
    struct store_stmt *q =
        store_q(db,
                "SELECT id, kind, class, title, link, due_date, created_at, user_id"
                " FROM inbox_items WHERE done_at IS NULL AND id < ? AND " OF_CLASS " AND " VISIBLE
                " ORDER BY id DESC LIMIT ?",
                "ittiiii", after > 0 ? after : (long long)(~0ULL >> 1), cls, cls, v->user_id,
                v->unit_id, (long long)v->roles, limit);
    while (store_row(q)) {
        (*n)++;
        *last = store_int(q, 0);
        enum inbox_class c = INBOX_TODO;
        inbox_class_parse(store_text(q, 2), &c);
        jw_obj(w);
        jw_kint(w, "id", store_int(q, 0));
        jw_kstr(w, "kind", store_text(q, 1));
        jw_kstr(w, "kind_label", inbox_kind_label(store_text(q, 1)));
        jw_kstr(w, "class", inbox_class_code(c));
        jw_kstr(w, "class_label", inbox_class_label(c));
        jw_kstr(w, "title", store_text(q, 3));
        jw_kstr(w, "link", store_text(q, 4));
        jw_kstr(w, "due_date", store_text(q, 5));
        jw_kint(w, "created_at", store_int(q, 6));
        jw_kstr(w, "target", store_null(q, 7) ? "unit" : "user");
        jw_obj_end(w);
    }
    store_done(q);
    return store_err(db);
}

enum err notify_store_counts(struct store *db, const struct inbox_viewer *v, const char *cls,
                             struct jw *w, long long *total)
{
    *total = 0;
    struct store_stmt *q =
        store_q(db,
                "SELECT kind, class, COUNT(*) FROM inbox_items WHERE done_at IS NULL AND " OF_CLASS
                " AND " VISIBLE " GROUP BY kind, class ORDER BY kind",
                "ttiii", cls, cls, v->user_id, v->unit_id, (long long)v->roles);
    json_t *kinds = json_array(); /* one row per kind: a handful */
    while (store_row(q)) {
        const char *k = store_text(q, 0);
        enum inbox_class c = INBOX_TODO;
        inbox_class_parse(store_text(q, 1), &c);
        json_array_append_new(kinds, json_pack("{s:s,s:s,s:s,s:I}", "kind", k ? k : "", "label",
                                               inbox_kind_label(k ? k : ""), "class",
                                               inbox_class_code(c), "count", store_int(q, 2)));
        *total += store_int(q, 2);
    }
    store_done(q);
    size_t i;
    json_t *x;
    jw_key(w, "counts");
    jw_obj(w);
    json_array_foreach(kinds, i, x)
    {
        jw_kint(w, json_string_value(json_object_get(x, "kind")),
                json_integer_value(json_object_get(x, "count")));
    }
    jw_obj_end(w);
    jw_key(w, "kinds");
    jw_arr(w);
    json_array_foreach(kinds, i, x)
    {
        jw_obj(w);
        jw_kstr(w, "kind", json_string_value(json_object_get(x, "kind")));
        jw_kstr(w, "kind_label", json_string_value(json_object_get(x, "label")));
        jw_kstr(w, "class", json_string_value(json_object_get(x, "class")));
        jw_kint(w, "count", json_integer_value(json_object_get(x, "count")));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    json_decref(kinds);
    return store_err(db);
}

enum err notify_store_class_counts(struct store *db, const struct inbox_viewer *v,
                                   long long n[INBOX_CLASSES])
{
    for (int i = 0; i < INBOX_CLASSES; i++)
        n[i] = 0;
    struct store_stmt *q = store_q(db,
                                   "SELECT class, COUNT(*) FROM inbox_items WHERE done_at IS NULL"
                                   " AND " VISIBLE " GROUP BY class",
                                   "iii", v->user_id, v->unit_id, (long long)v->roles);
    while (store_row(q)) {
        enum inbox_class c = INBOX_TODO;
        inbox_class_parse(store_text(q, 0), &c);
        n[c] += store_int(q, 1);
    }
    store_done(q);
    return store_err(db);
}

enum err notify_store_item_seen(struct store *db, const struct inbox_viewer *v, long long id,
                                bool *found, bool *done, char cls[16])
{
    struct store_stmt *q =
        store_q(db, "SELECT done_at, class FROM inbox_items WHERE id = ? AND " VISIBLE, "iiii", id,
                v->user_id, v->unit_id, (long long)v->roles);
    *found = store_row(q);
    *done = *found && !store_null(q, 0);
    const char *c = *found ? store_text(q, 1) : NULL;
    snprintf(cls, 16, "%s", c ? c : "");
    store_done(q);
    return store_err(db);
}

enum err notify_store_done_class(struct store *db, const struct inbox_viewer *v, const char *cls,
                                 long long now, long long *n)
{
    *n = 0;
    enum err e =
        store_do(db,
                 "UPDATE inbox_items SET done_at = ?, done_by = ? WHERE done_at IS NULL"
                 " AND class = ? AND " VISIBLE,
                 "iitiii", now, v->user_id, cls, v->user_id, v->unit_id, (long long)v->roles);
    if (e == OK) *n = store_changes(db);
    return e;
}

enum err notify_store_item_done(struct store *db, long long id, long long by, long long now)
{
    return store_do(
        db, "UPDATE inbox_items SET done_at = ?, done_by = ? WHERE id = ? AND done_at IS NULL",
        "iii", now, by, id);
}

/* ---- outbox ---- */

enum err notify_store_outbox_expire(struct store *db, long long stale, long long now)
{
    return store_do(db,
                    "UPDATE outbox SET status = 'failed', last_error = ?, updated_at = ?"
                    " WHERE status = 'claimed' AND claimed_at < ? AND attempts >= ?",
                    "tiii", "网关多次领取后未回报结果", now, stale, (long long)OUTBOX_MAX_ATTEMPTS);
}

/* Reads rows (id, user_id, channel, text, attempts, created_at, urgent) into a malloc'd array. */
static void read_msgs(struct store_stmt *q, struct outbox_msg **out, size_t *n)
{
    size_t cap = 0;
    while (store_row(q)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct outbox_msg *m = realloc(*out, cap * sizeof *m);
            if (!m) abort();
            *out = m;
        }
        struct outbox_msg *m = &(*out)[(*n)++];
        memset(m, 0, sizeof *m);
        m->id = store_int(q, 0);
        m->user_id = store_int(q, 1);
        snprintf(m->channel, sizeof m->channel, "%s", store_text(q, 2));
        snprintf(m->text, sizeof m->text, "%s", store_text(q, 3));
        m->attempts = store_int(q, 4);
        m->created_at = store_int(q, 5);
        m->urgent = store_int(q, 6) != 0;
    }
}

enum err notify_store_outbox_claim(struct store *db, long long by, long long now, long long stale,
                                   long long limit, struct outbox_msg **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    /* The outer condition repeats the inner one: on PostgreSQL a row claimed by a concurrent
     * transaction is re-checked after its lock is released and skipped. */
    struct store_stmt *q = store_q(
        db,
        "UPDATE outbox SET status = 'claimed', claimed_at = ?, claimed_by = ?, attempts = attempts "
        "+ 1,"
        " updated_at = ? WHERE id IN (SELECT id FROM outbox WHERE (status = 'pending' AND "
        "not_before"
        " <= ?) OR (status = 'claimed' AND claimed_at < ? AND attempts < ?) ORDER BY id LIMIT ?)"
        " AND ((status = 'pending' AND not_before <= ?) OR (status = 'claimed' AND claimed_at < ?"
        " AND attempts < ?)) RETURNING id, user_id, channel, text, attempts, created_at, urgent",
        "iiiiiiiiii", now, by, now, now, stale, (long long)OUTBOX_MAX_ATTEMPTS, limit, now, stale,
        (long long)OUTBOX_MAX_ATTEMPTS);
    read_msgs(q, out, n);
    store_done(q);
    return store_err(db);
}

enum err notify_store_outbox_release(struct store *db, long long id, long long not_before,
                                     long long now)
{
    return store_do(
        db,
        "UPDATE outbox SET status = 'pending', attempts = attempts - 1, claimed_at = NULL,"
        " claimed_by = NULL, not_before = ?, updated_at = ? WHERE id = ? AND"
        " status = 'claimed'",
        "iii", not_before, now, id);
}

enum err notify_store_outbox_fail(struct store *db, long long id, const char *why, long long now)
{
    return store_do(
        db, "UPDATE outbox SET status = 'failed', last_error = ?, updated_at = ? WHERE id = ?",
        "tii", why, now, id);
}

enum err notify_store_outbox_settle(struct store *db, long long id, long long by, bool sent,
                                    const char *error, long long now, char status[16],
                                    long long *attempts)
{
    status[0] = '\0';
    *attempts = 0;
    struct store_stmt *q;
    if (sent)
        q = store_q(
            db,
            "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL, updated_at = ?"
            " WHERE id = ? AND status = 'claimed' AND claimed_by = ? RETURNING status, attempts",
            "iiii", now, now, id, by);
    else
        q = store_q(
            db,
            "UPDATE outbox SET status = CASE WHEN attempts >= ? THEN 'failed' ELSE 'pending' END,"
            " last_error = ?, updated_at = ? WHERE id = ? AND status = 'claimed' AND claimed_by = ?"
            " RETURNING status, attempts",
            "itiii", (long long)OUTBOX_MAX_ATTEMPTS, error ? error : "", now, id, by);
    bool done = store_row(q);
    if (done) {
        snprintf(status, 16, "%s", store_text(q, 0));
        *attempts = store_int(q, 1);
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (done) return OK;
    q = store_q(db, "SELECT status FROM outbox WHERE id = ?", "i", id);
    bool exists = store_row(q);
    if (exists) snprintf(status, 16, "%s", store_text(q, 0));
    store_done(q);
    if (store_err(db)) return store_err(db);
    return exists ? ERR_CONFLICT : ERR_NOT_FOUND;
}

/* ---- push delivery ---- */

enum err notify_store_push_expire(struct store *db, long long stale, long long max_attempts,
                                  long long now)
{
    return store_do(db,
                    "UPDATE outbox SET status = 'failed', last_error = ?, updated_at = ?"
                    " WHERE status = 'claimed' AND claimed_by IS NULL AND claimed_at < ?"
                    " AND attempts >= ?",
                    "tiii", "推送多次未得到结果", now, stale, max_attempts);
}

enum err notify_store_push_claim(struct store *db, long long now, long long stale,
                                 long long max_attempts, long long limit, struct outbox_msg **out,
                                 size_t *n)
{
    *out = NULL;
    *n = 0;
    /* claimed_by NULL marks a push claim; pull results never settle it (claimed_by = ? fails) */
    struct store_stmt *q = store_q(
        db,
        "UPDATE outbox SET status = 'claimed', claimed_at = ?, claimed_by = NULL,"
        " attempts = attempts + 1, updated_at = ? WHERE id IN (SELECT id FROM outbox WHERE"
        " (status = 'pending' AND not_before <= ?) OR (status = 'claimed' AND claimed_at < ? AND"
        " attempts < ?) ORDER BY id LIMIT ?) AND ((status = 'pending' AND not_before <= ?) OR"
        " (status = 'claimed' AND claimed_at < ? AND attempts < ?))"
        " RETURNING id, user_id, channel, text, attempts, created_at, urgent",
        "iiiiiiiii", now, now, now, stale, max_attempts, limit, now, stale, max_attempts);
    read_msgs(q, out, n);
    store_done(q);
    return store_err(db);
}

enum err notify_store_push_settle(struct store *db, long long id, bool sent, const char *error,
                                  long long max_attempts, long long not_before, long long now)
{
    return store_do(
        db,
        "UPDATE outbox SET status = CASE WHEN ? = 1 THEN 'sent' WHEN attempts >= ? THEN 'failed'"
        " ELSE 'pending' END, sent_at = CASE WHEN ? = 1 THEN ? ELSE sent_at END,"
        " last_error = ?, not_before = ?, updated_at = ?"
        " WHERE id = ? AND status = 'claimed' AND claimed_by IS NULL",
        "iiiitiii", (long long)sent, max_attempts, (long long)sent, now, sent ? NULL : error,
        not_before, now, id);
}

/* ---- preferences ---- */

enum err notify_store_prefs_get(struct store *db, long long user_id, struct notify_prefs *out)
{
    *out = (struct notify_prefs){.sms = true, .quiet_from = -1, .quiet_to = -1};
    struct store_stmt *q = store_q(
        db, "SELECT sms, quiet_from, quiet_to FROM notify_prefs WHERE user_id = ?", "i", user_id);
    if (store_row(q)) {
        out->sms = store_int(q, 0) != 0;
        out->quiet_from = store_null(q, 1) ? -1 : (int)store_int(q, 1);
        out->quiet_to = store_null(q, 2) ? -1 : (int)store_int(q, 2);
    }
    store_done(q);
    return store_err(db);
}

enum err notify_store_prefs_put(struct store *db, long long user_id, const struct notify_prefs *p,
                                long long now)
{
    static const char sql[] =
        "INSERT INTO notify_prefs(user_id, sms, quiet_from, quiet_to, updated_at)"
        " VALUES (?,?,?,?,?) ON CONFLICT (user_id) DO UPDATE SET sms = excluded.sms,"
        " quiet_from = excluded.quiet_from, quiet_to = excluded.quiet_to,"
        " updated_at = excluded.updated_at";
    if (p->quiet_from < 0 || p->quiet_to < 0) /* 'n' binds NULL and takes no argument */
        return store_do(db, sql, "iinni", user_id, (long long)p->sms, now);
    return store_do(db, sql, "iiiii", user_id, (long long)p->sms, (long long)p->quiet_from,
                    (long long)p->quiet_to, now);
}

enum err notify_store_requeue_quiet(struct store *db, long long user_id, long long not_before,
                                    long long now)
{
    return store_do(db,
                    "UPDATE outbox SET not_before = ?, updated_at = ? WHERE user_id = ? AND"
                    " status = 'pending' AND urgent = 0",
                    "iii", not_before, now, user_id);
}

/* ---- dead letters ---- */

enum err notify_store_dead_list(struct store *db, long long after, long long limit, struct jw *w,
                                long long *n, long long *last)
{
    *n = 0;
    *last = 0;
    struct store_stmt *q =
        store_q(db,
                "SELECT id, user_id, channel, text, attempts, last_error, created_at, updated_at"
                " FROM outbox WHERE status = 'failed' AND id < ? ORDER BY id DESC LIMIT ?",
                "ii", after > 0 ? after : (long long)(~0ULL >> 1), limit);
    while (store_row(q)) {
        (*n)++;
        *last = store_int(q, 0);
        jw_obj(w);
        jw_kint(w, "id", store_int(q, 0));
        jw_kint(w, "user_id", store_int(q, 1));
        jw_kstr(w, "channel", store_text(q, 2));
        jw_kstr(w, "text", store_text(q, 3));
        jw_kint(w, "attempts", store_int(q, 4));
        jw_kstr(w, "last_error", store_text(q, 5));
        jw_kint(w, "created_at", store_int(q, 6));
        jw_kint(w, "updated_at", store_int(q, 7));
        jw_obj_end(w);
    }
    store_done(q);
    return store_err(db);
}

enum err notify_store_retry(struct store *db, long long id, long long now, char status[16])
{
    status[0] = '\0';
    struct store_stmt *q = store_q(
        db,
        "UPDATE outbox SET status = 'pending', attempts = 0, not_before = 0, claimed_at = NULL,"
        " claimed_by = NULL, updated_at = ? WHERE id = ? AND status = 'failed' RETURNING status",
        "ii", now, id);
    bool done = store_row(q);
    if (done) snprintf(status, 16, "%s", store_text(q, 0));
    store_done(q);
    if (store_err(db) || done) return store_err(db);
    q = store_q(db, "SELECT status FROM outbox WHERE id = ?", "i", id);
    bool exists = store_row(q);
    if (exists) snprintf(status, 16, "%s", store_text(q, 0));
    store_done(q);
    if (store_err(db)) return store_err(db);
    return exists ? ERR_CONFLICT : ERR_NOT_FOUND;
}
