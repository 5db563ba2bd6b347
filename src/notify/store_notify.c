/* store_notify.c - all SQL of the notify area (see notify_store.h): inbox items added once per
 * dedupe key, their SMS messages, closing items, a viewer's open items and counts, and the
 * gateway's claims and results. Tables: migration 0005 (inbox_items, outbox). Writes run inside
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
        "INSERT INTO inbox_items(user_id, unit_id, roles, kind, title, link, due_date, dedupe_key,"
        " created_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
        "IIittttti", it->to.user_id, it->to.user_id ? 0LL : it->to.unit_id,
        it->to.user_id ? 0LL : (long long)it->to.roles, it->kind, it->title, it->link, it->due,
        it->dedupe_key, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err notify_store_sms_queue(struct store *db, long long inbox_id, long long user_id,
                                const char *text, long long now)
{
    return store_do(db,
                    "INSERT INTO outbox(inbox_id, user_id, channel, text, created_at, updated_at)"
                    " VALUES (?,?,'sms',?,?,?) ON CONFLICT (inbox_id, user_id, channel) DO NOTHING",
                    "iitii", inbox_id, user_id, text, now, now);
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

enum err notify_store_list(struct store *db, const struct inbox_viewer *v, long long after,
                           long long limit, struct jw *w, long long *n, long long *last)
{
    *n = 0;
    *last = 0;
    struct store_stmt *q = store_q(db,
                                   "SELECT id, kind, title, link, due_date, created_at, user_id"
                                   " FROM inbox_items WHERE done_at IS NULL AND id < ? AND " VISIBLE
                                   " ORDER BY id DESC LIMIT ?",
                                   "iiiii", after > 0 ? after : (long long)(~0ULL >> 1), v->user_id,
                                   v->unit_id, (long long)v->roles, limit);
    while (store_row(q)) {
        (*n)++;
        *last = store_int(q, 0);
        jw_obj(w);
        jw_kint(w, "id", store_int(q, 0));
        jw_kstr(w, "kind", store_text(q, 1));
        jw_kstr(w, "kind_label", inbox_kind_label(store_text(q, 1)));
        jw_kstr(w, "title", store_text(q, 2));
        jw_kstr(w, "link", store_text(q, 3));
        jw_kstr(w, "due_date", store_text(q, 4));
        jw_kint(w, "created_at", store_int(q, 5));
        jw_kstr(w, "target", store_null(q, 6) ? "unit" : "user");
        jw_obj_end(w);
    }
    store_done(q);
    return store_err(db);
}

enum err notify_store_counts(struct store *db, const struct inbox_viewer *v, struct jw *w,
                             long long *total)
{
    *total = 0;
    struct store_stmt *q =
        store_q(db,
                "SELECT kind, COUNT(*) FROM inbox_items WHERE done_at IS NULL AND " VISIBLE
                " GROUP BY kind ORDER BY kind",
                "iii", v->user_id, v->unit_id, (long long)v->roles);
    jw_obj(w);
    while (store_row(q)) {
        jw_kint(w, store_text(q, 0), store_int(q, 1));
        *total += store_int(q, 1);
    }
    jw_obj_end(w);
    store_done(q);
    return store_err(db);
}

enum err notify_store_item_seen(struct store *db, const struct inbox_viewer *v, long long id,
                                bool *found, bool *done)
{
    struct store_stmt *q = store_q(db, "SELECT done_at FROM inbox_items WHERE id = ? AND " VISIBLE,
                                   "iiii", id, v->user_id, v->unit_id, (long long)v->roles);
    *found = store_row(q);
    *done = *found && !store_null(q, 0);
    store_done(q);
    return store_err(db);
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
        " updated_at = ? WHERE id IN (SELECT id FROM outbox WHERE status = 'pending'"
        " OR (status = 'claimed' AND claimed_at < ? AND attempts < ?) ORDER BY id LIMIT ?)"
        " AND (status = 'pending' OR (status = 'claimed' AND claimed_at < ? AND attempts < ?))"
        " RETURNING id, user_id, channel, text, attempts, created_at",
        "iiiiiiii", now, by, now, stale, (long long)OUTBOX_MAX_ATTEMPTS, limit, stale,
        (long long)OUTBOX_MAX_ATTEMPTS);
    size_t cap = 0;
    while (store_row(q)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct outbox_msg *m = realloc(*out, cap * sizeof *m);
            if (!m) abort();
            *out = m;
        }
        struct outbox_msg *m = &(*out)[(*n)++];
        m->id = store_int(q, 0);
        m->user_id = store_int(q, 1);
        snprintf(m->channel, sizeof m->channel, "%s", store_text(q, 2));
        snprintf(m->text, sizeof m->text, "%s", store_text(q, 3));
        m->attempts = store_int(q, 4);
        m->created_at = store_int(q, 5);
        m->phone[0] = '\0';
    }
    store_done(q);
    return store_err(db);
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
