/* session.h - who is calling: cookie sessions (256-bit random tokens stored hashed, idle and
 * absolute expiry) and bearer API tokens (scoped, expiring, revocable). */
#ifndef ECOACT_SESSION_H
#define ECOACT_SESSION_H
#include "base/arena.h"
#include "http/req.h"
#include "store/store.h"

/* Resolves a session cookie token. OK with *who NULL when the token is unknown or expired. */
enum err session_resolve(struct store *db, struct arena *a, const char *token, long long now,
                         struct principal **who);
/* Resolves a bearer API token the same way; the scope must cover the method (read/write). */
enum err apitoken_resolve(struct store *db, struct arena *a, const char *token, long long now,
                          bool write, struct principal **who);
/* Creates a session for user_id; token_out receives the cookie value. Inside a transaction. */
enum err session_create(struct store *db, long long user_id, long long now,
                        char token_out[CRYPTO_TOKEN_CHARS]);
/* The active account user_id as a principal with its current unit, roles and permissions (for
 * acting on behalf of an owner, e.g. a calendar feed); *who NULL when unknown or disabled. */
enum err principal_load(struct store *db, struct arena *a, long long user_id, struct principal **who);
/* Whether who may use perm for unit_id: wide roles for any unit, unit-scoped roles for their own
 * unit and its child units (roles_scope()). */
bool principal_may_for_unit(struct store *db, const struct principal *who, enum perm p,
                            long long unit_id);
/* Loads the user's roles and permissions into who. */
enum err principal_load_grants(struct store *db, struct principal *who);
/* Ends the cookie session session_id (logging out). */
enum err session_end(struct store *db, long long session_id);

/* An API token of one account as its owner sees it (never the token). */
struct apitoken {
    long long id, created_at, expires_at, revoked_at; /* revoked_at 0: active */
    const char *name, *scopes;                         /* valid during the callback */
};
typedef bool (*apitoken_fn)(void *ctx, const struct apitoken *t);
/* The account's tokens, newest first, at most 200; fn returns false to stop. */
enum err apitokens_each(struct store *db, long long user_id, apitoken_fn fn, void *ctx);
/* Issues a token ("read", "write" or "read write") to user_id until expires_at; token_out
 * receives it (shown once: only its hash is kept), *id its id. */
enum err apitoken_create(struct store *db, long long user_id, const char *name, const char *scopes,
                         long long now, long long expires_at, char token_out[CRYPTO_TOKEN_CHARS],
                         long long *id);
/* Revokes user_id's active token id; ERR_NOT_FOUND when it has none such. */
enum err apitoken_revoke(struct store *db, long long user_id, long long id, long long now);

#endif
