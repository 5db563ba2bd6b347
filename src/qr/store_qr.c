/* store_qr.c - all SQL of the qr area (see qr_store.h): the single-use record of redeemed codes,
 * table qr_redemptions (migration 0009). Inside the caller's transaction. */
#include "qr/qr_store.h"

enum err qr_store_redeem(struct store *db, const struct qr_claim *c, long long by, long long now,
                         bool *first, long long *used_at)
{
    *first = false;
    *used_at = 0;
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO qr_redemptions(nonce, purpose, subject_id, expires_at, redeemed_by,"
        " redeemed_at) VALUES (?,?,?,?,?,?) ON CONFLICT (nonce) DO NOTHING RETURNING redeemed_at",
        "tiiiIi", c->nonce, (long long)c->purpose, c->subject_id, c->expires_at, by, now);
    *first = store_row(q);
    store_done(q);
    if (store_err(db) != OK) return store_err(db);
    if (*first) {
        *used_at = now;
        return OK;
    }
    return qr_store_used(db, c->nonce, used_at);
}

enum err qr_store_used(struct store *db, const char *nonce, long long *used_at)
{
    *used_at = 0;
    struct store_stmt *q =
        store_q(db, "SELECT redeemed_at FROM qr_redemptions WHERE nonce = ?", "t", nonce);
    if (store_row(q)) *used_at = store_int(q, 0);
    store_done(q);
    return store_err(db);
}
