/* inbox.c - the SQL of the inbox and the outbox (see inbox.h): adding an item once per dedupe
 * key with one SMS per targeted user who has a phone, closing items, a viewer's open items
 * and counts, and the gateway's claim and result. Inside the caller's transaction where it
 * writes. Tables: migrations 0005 (inbox_items, outbox). */
#include "supervise/inbox.h"
#include "base/date.h"
#include "base/jw.h"
#include "supervise/supervise.h"
#include "org/users.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- who a target reaches: the org area's reachable accounts ---- */

static enum err members(struct store *db, const struct inbox_target *t, struct user_brief **out, size_t *n)
{
    return users_reachable(db, t->user_id, t->unit_id, t->roles, out, n);
}

bool sv_unit_has_role(struct store *db, long long unit_id, unsigned role_bit)
{
    struct inbox_target t = {.unit_id = unit_id, .roles = role_bit};
    struct user_brief *m;
    size_t n;
    if (!unit_id || members(db, &t, &m, &n) != OK) return false;
    free(m);
    return n > 0;
}

/* ---- adding and closing ---- */

enum err inbox_add(struct store *db, const struct inbox_item *it, long long now, bool *added)
{
    if (added) *added = false;
    int d;
    size_t tl = it->title ? sv_utf8_chars(it->title) : 0;
    if (!inbox_kind_valid(it->kind) || tl == 0 || tl > 200 || !it->link || it->link[0] != '/' ||
        strlen(it->link) > 300 || (it->due && !date_parse(it->due, &d)) || !it->dedupe_key ||
        !*it->dedupe_key || strlen(it->dedupe_key) > 200 || (!it->to.user_id && !it->to.roles))
        return ERR_RULE;
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO inbox_items(user_id, unit_id, roles, kind, title, link, due_date, dedupe_key,"
        " created_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
        "IIittttti", it->to.user_id, it->to.user_id ? 0LL : it->to.unit_id,
        it->to.user_id ? 0LL : (long long)it->to.roles, it->kind, it->title, it->link, it->due,
        it->dedupe_key, now);
    long long id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (!id) return OK; /* a repeat */
    if (added) *added = true;
    struct user_brief *m;
    size_t n;
    enum err e = members(db, &it->to, &m, &n);
    char text[4 * INBOX_SMS_MAX_CHARS + 1];
    inbox_sms_text(it->kind, it->title, it->due, text, sizeof text);
    for (size_t i = 0; i < n && e == OK; i++)
        if (m[i].has_phone)
            e = store_do(
                db,
                "INSERT INTO outbox(inbox_id, user_id, channel, text, created_at, updated_at)"
                " VALUES (?,?,'sms',?,?,?) ON CONFLICT (inbox_id, user_id, channel) DO NOTHING",
                "iitii", id, m[i].id, text, now, now);
    free(m);
    return e;
}

enum err inbox_done_key(struct store *db, const char *key, long long by, long long now)
{
    return store_do(
        db,
        "UPDATE inbox_items SET done_at = ?, done_by = ? WHERE dedupe_key = ? AND done_at IS NULL",
        "iIt", now, by, key);
}

enum err inbox_done_prefix(struct store *db, const char *prefix, long long by, long long now)
{
    char *pat = store_like(prefix, false); /* _ and % in a key match only themselves */
    enum err e = store_do(
        db,
        "UPDATE inbox_items SET done_at = ?, done_by = ? WHERE dedupe_key LIKE ? ESCAPE '!'"
        " AND done_at IS NULL",
        "iIt", now, by, pat);
    free(pat);
    return e;
}

/* ---- a viewer's items ---- */

#define VISIBLE                                                                                    \
    "(user_id = ? OR (user_id IS NULL AND (unit_id IS NULL OR unit_id = ?) AND (roles & ?) <> 0))"

enum err inbox_list(struct store *db, const struct inbox_viewer *v, long long after,
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

enum err inbox_counts(struct store *db, const struct inbox_viewer *v, struct jw *w,
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

enum err inbox_mark_done(struct store *db, const struct inbox_viewer *v, long long id,
                         long long now, bool *was_done)
{
    *was_done = false;
    struct store_stmt *q = store_q(db, "SELECT done_at FROM inbox_items WHERE id = ? AND " VISIBLE,
                                   "iiii", id, v->user_id, v->unit_id, (long long)v->roles);
    bool found = store_row(q);
    *was_done = found && !store_null(q, 0);
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (!found) return ERR_NOT_FOUND;
    if (*was_done) return OK;
    return store_do(
        db, "UPDATE inbox_items SET done_at = ?, done_by = ? WHERE id = ? AND done_at IS NULL",
        "iii", now, v->user_id, id);
}

/* ---- outbox ---- */

static int by_id(const void *a, const void *b)
{
    long long x = ((const struct outbox_msg *)a)->id, y = ((const struct outbox_msg *)b)->id;
    return x < y ? -1 : x > y;
}

enum err outbox_claim(struct store *db, long long by, long long now, long long limit,
                      struct outbox_msg **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    long long stale = now - OUTBOX_CLAIM_TIMEOUT;
    /* Claims never answered OUTBOX_MAX_ATTEMPTS times: give up on them. */
    enum err e =
        store_do(db,
                 "UPDATE outbox SET status = 'failed', last_error = ?, updated_at = ?"
                 " WHERE status = 'claimed' AND claimed_at < ? AND attempts >= ?",
                 "tiii", "网关多次领取后未回报结果", now, stale, (long long)OUTBOX_MAX_ATTEMPTS);
    if (e != OK) return e;
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
    }
    store_done(q);
    if (*n > 1) qsort(*out, *n, sizeof **out, by_id);
    return store_err(db);
}

enum err outbox_fail_now(struct store *db, long long id, const char *why, long long now)
{
    return store_do(
        db, "UPDATE outbox SET status = 'failed', last_error = ?, updated_at = ? WHERE id = ?",
        "tii", why, now, id);
}

enum err outbox_result(struct store *db, long long id, long long by, bool sent, const char *error,
                       long long now, char status[16], long long *attempts)
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
