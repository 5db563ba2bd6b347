/* store_notify_direct.c - the SQL of SMS messages to a phone number (table outbox_direct of
 * 0008_citizen.sql; see notify.h): queued sealed, claimed by the gateway, settled; the sealed
 * number and secret are erased when a message is settled, fails for good or expires. A claim by
 * account 0 (the webhook deliverer) stores claimed_by NULL. */
#include "notify/notify_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum err notify_store_direct_insert(struct store *db, const unsigned char *phone, size_t phone_n,
                                    const char *text, const unsigned char *secret, size_t secret_n,
                                    long long expires_at, long long now)
{
    return store_do(db,
                    "INSERT INTO outbox_direct(phone_seal, text, secret_seal, expires_at,"
                    " created_at, updated_at) VALUES (?,?,?,?,?,?)",
                    "btbiii", phone, phone_n, text, secret, secret_n, expires_at, now, now);
}

static unsigned char *blob_copy(struct store_stmt *q, int col, size_t *n)
{
    *n = 0;
    if (store_null(q, col)) return NULL;
    const void *b = store_blob(q, col, n);
    if (!b || !*n) return NULL;
    unsigned char *c = malloc(*n);
    if (!c) abort();
    memcpy(c, b, *n);
    return c;
}

static enum err expire(struct store *db, long long stale, long long now)
{
    return store_do(db,
                    "UPDATE outbox_direct SET status = 'failed', phone_seal = NULL,"
                    " secret_seal = NULL, last_error = CASE WHEN expires_at <= ? THEN ? ELSE ? END,"
                    " updated_at = ? WHERE status IN ('pending', 'claimed') AND (expires_at <= ?"
                    " OR (status = 'claimed' AND claimed_at < ? AND attempts >= ?))",
                    "ittiiii", now, "消息已过期未发送", "网关多次领取后未回报结果", now, now, stale,
                    (long long)OUTBOX_MAX_ATTEMPTS);
}

enum err notify_store_direct_claim(struct store *db, long long by, long long now, long long stale,
                                   long long limit, struct outbox_msg **out,
                                   struct direct_seals **seals, size_t *n)
{
    *out = NULL;
    *seals = NULL;
    *n = 0;
    enum err e = expire(db, stale, now);
    if (e != OK) return e;
    struct store_stmt *q = store_q(
        db,
        "UPDATE outbox_direct SET status = 'claimed', claimed_at = ?, claimed_by = NULLIF(?, 0),"
        " attempts = attempts + 1, updated_at = ? WHERE id IN (SELECT id FROM outbox_direct"
        " WHERE status = 'pending' OR (status = 'claimed' AND claimed_at < ? AND attempts < ?)"
        " ORDER BY id LIMIT ?) AND (status = 'pending' OR (status = 'claimed' AND claimed_at < ?"
        " AND attempts < ?)) RETURNING id, text, attempts, created_at, phone_seal, secret_seal",
        "iiiiiiii", now, by, now, stale, (long long)OUTBOX_MAX_ATTEMPTS, limit, stale,
        (long long)OUTBOX_MAX_ATTEMPTS);
    size_t cap = 0;
    while (store_row(q)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct outbox_msg *m = realloc(*out, cap * sizeof *m);
            struct direct_seals *s = realloc(*seals, cap * sizeof *s);
            if (!m || !s) abort();
            *out = m;
            *seals = s;
        }
        struct outbox_msg *m = &(*out)[*n];
        struct direct_seals *s = &(*seals)[(*n)++];
        memset(m, 0, sizeof *m);
        m->id = store_int(q, 0);
        snprintf(m->channel, sizeof m->channel, "sms");
        snprintf(m->text, sizeof m->text, "%s", store_text(q, 1));
        m->attempts = store_int(q, 2);
        m->created_at = store_int(q, 3);
        s->phone = blob_copy(q, 4, &s->phone_n);
        s->secret = blob_copy(q, 5, &s->secret_n);
    }
    store_done(q);
    return store_err(db);
}

enum err notify_store_direct_settle(struct store *db, long long id, long long by, bool sent,
                                    const char *error, long long now, char status[16],
                                    long long *attempts)
{
    status[0] = '\0';
    *attempts = 0;
    struct store_stmt *q;
    if (sent)
        q = store_q(
            db,
            "UPDATE outbox_direct SET status = 'sent', sent_at = ?, last_error = NULL,"
            " phone_seal = NULL, secret_seal = NULL, updated_at = ? WHERE id = ? AND"
            " status = 'claimed' AND COALESCE(claimed_by, 0) = ? RETURNING status, attempts",
            "iiii", now, now, id, by);
    else
        q = store_q(
            db,
            "UPDATE outbox_direct SET status = CASE WHEN attempts >= ? THEN 'failed' ELSE"
            " 'pending' END, phone_seal = CASE WHEN attempts >= ? THEN NULL ELSE"
            " phone_seal END, secret_seal = CASE WHEN attempts >= ? THEN NULL ELSE"
            " secret_seal END, last_error = ?, updated_at = ? WHERE id = ? AND"
            " status = 'claimed' AND COALESCE(claimed_by, 0) = ? RETURNING status, attempts",
            "iiitiii", (long long)OUTBOX_MAX_ATTEMPTS, (long long)OUTBOX_MAX_ATTEMPTS,
            (long long)OUTBOX_MAX_ATTEMPTS, error ? error : "", now, id, by);
    bool done = store_row(q);
    if (done) {
        snprintf(status, 16, "%s", store_text(q, 0));
        *attempts = store_int(q, 1);
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (done) return OK;
    q = store_q(db, "SELECT status FROM outbox_direct WHERE id = ?", "i", id);
    bool exists = store_row(q);
    if (exists) snprintf(status, 16, "%s", store_text(q, 0));
    store_done(q);
    if (store_err(db)) return store_err(db);
    return exists ? ERR_CONFLICT : ERR_NOT_FOUND;
}
