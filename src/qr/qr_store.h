/* qr_store.h - internal interface of the qr area between its services (qr.c) and its SQL
 * (store_qr.c, table qr_redemptions of migration 0009). Not for other areas: they use qr.h. */
#ifndef ECOACT_QR_STORE_H
#define ECOACT_QR_STORE_H
#include "qr/qr.h"

/* Records the one use of the code named by c->nonce, unless it was used before: then *first is
 * false and *used_at gets when. Atomic: the nonce is the primary key (INSERT … ON CONFLICT DO
 * NOTHING), so of two concurrent redemptions exactly one inserts. */
enum err qr_store_redeem(struct store *db, const struct qr_claim *c, long long by, long long now,
                         bool *first, long long *used_at);
/* Whether the code was used (*used_at > 0 then). */
enum err qr_store_used(struct store *db, const char *nonce, long long *used_at);

#endif
