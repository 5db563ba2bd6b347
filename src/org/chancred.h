/* chancred.h - channel credentials: how a partner system (a metro, bus, bike-share or recycling
 * operator feeding green points, a public-opinion monitoring vendor) pushes data in. A credential
 * has one scope ("green:ingest") and two parts, both shown once when it is made:
 *   - a bearer token (`Authorization: Bearer <token>`), kept only as its hash;
 *   - an HMAC-SHA256 secret: the request carries `X-Ecoact-Timestamp: <unix seconds>` and
 *     `X-Ecoact-Signature: v1=<hex>` = HMAC-SHA256(secret text, "<timestamp>.<body>"), the
 *     format of the outbox's webhooks (docs/outbox.md). The secret is sealed under the data key
 *     (the server must recompute the MAC, so a hash would not do).
 * A timestamp more than CHANCRED_SKEW seconds away is refused, and so is a signature seen
 * before (channel_replays keeps them for the window). The area that owns the channel (green's
 * green_channels, opinion_channels) keeps the credential's id; its route checks the request
 * first, inside the request's transaction, through http's req_channel(r, scope, &cred_id),
 * which reads the headers and answers chancred_check()'s problem.
 * The route carries ROUTE_CHANNEL (http/route.h): the pipeline leaves the bearer token to the
 * handler, and the connection guard admits a large body for a known token. */
#ifndef ECOACT_CHANCRED_H
#define ECOACT_CHANCRED_H
#include <stdbool.h>
#include <stddef.h>
#include "base/crypto.h"
#include "base/err.h"
#include "store/store.h"

#define CHANCRED_SKEW 300 /* ±5 minutes */
#define CHANCRED_SECRET_CHARS 65

struct chancred_secret {
    char token[CRYPTO_TOKEN_CHARS];
    char secret[CHANCRED_SECRET_CHARS]; /* 32 random bytes as hex: the HMAC key is this text */
};

struct chancred_request {
    const char *authorization; /* the header as sent: "Bearer …" */
    const char *timestamp, *signature;
    const void *body;
    size_t len;
};

/* Makes a credential of scope; out receives its token and secret (show them once). */
enum err chancred_create(struct store *db, const struct keys *k, const char *scope,
                         const char *name, long long by, long long now, struct chancred_secret *out,
                         long long *id);
/* Revokes credential id (a revoked one stays revoked). */
enum err chancred_revoke(struct store *db, long long id, long long now);
/* Whether token is an active credential's (any scope): for the connection guard. */
bool chancred_token_known(struct store *db, const char *token);
/* Checks a signed request for scope: OK with *cred_id, else p says which header is at fault
 * (401 Authorization, X-Ecoact-Timestamp, X-Ecoact-Signature; 409 X-Ecoact-Signature for a
 * replay). Records the signature as used. */
enum err chancred_check(struct store *db, const struct keys *k, const char *scope,
                        const struct chancred_request *rq, long long now, long long *cred_id,
                        struct problem *p);
/* Pure: the v1 signature of body at ts under secret, as "v1=<hex>" (out holds 68 bytes). */
void chancred_sign(const char *secret, const char *ts, const void *body, size_t len, char out[68]);

#endif
