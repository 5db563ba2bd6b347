/* session.h - who is calling: cookie sessions (256-bit random tokens stored hashed, idle and
 * absolute expiry), bearer API tokens (scoped, expiring, revocable) and calendar feeds (a
 * private .ics URL with a token, for calendar apps that send no cookies: stored hashed,
 * revocable, ended with the account's other access by user_revoke_access()). */
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
enum err principal_load(struct store *db, struct arena *a, long long user_id,
                        struct principal **who);
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
    const char *name, *scopes;                        /* valid during the callback */
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

/* A calendar feed: the obligations due of one unit under one plan, for its owner. */
struct calendar_feed {
    long long id, unit_id, user_id, created_at, revoked_at; /* revoked_at 0: active */
    char plan[72];
};
/* Issues a feed of unit_id and plan to user_id (the caller checks them); token_out receives its
 * token (shown once: only its hash is kept), *id its id. */
enum err calendar_feed_create(struct store *db, long long user_id, long long unit_id,
                              const char *plan, const char *name, long long now,
                              char token_out[CRYPTO_TOKEN_CHARS], long long *id);
/* ERR_NOT_FOUND when there is no feed id. */
enum err calendar_feed_get(struct store *db, long long id, struct calendar_feed *out);
/* The active feed of token whose owner is still enabled (the stored hash compared in constant
 * time); ERR_NOT_FOUND otherwise. */
enum err calendar_feed_by_token(struct store *db, const char *token, struct calendar_feed *out);
/* Revokes feed id (an already revoked one is left as it was). */
enum err calendar_feed_revoke(struct store *db, long long id, long long now);
/* One of an account's feeds with its unit's short name; strings valid during the callback. */
struct calendar_feed_item {
    long long id, unit_id, created_at, revoked_at; /* revoked_at 0: active */
    const char *unit_name, *plan, *name;
};
typedef bool (*calendar_feed_fn)(void *ctx, const struct calendar_feed_item *f);
/* The account's feeds, newest first, at most 200; fn returns false to stop. */
enum err calendar_feeds_each(struct store *db, long long user_id, calendar_feed_fn fn, void *ctx);
/* Revokes every active feed of the account (part of user_revoke_access()). */
enum err calendar_feeds_revoke_user(struct store *db, long long user_id, long long now);

#endif
