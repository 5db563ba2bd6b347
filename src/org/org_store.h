/* org_store.h - the storage of the org area (store_org.c: units, users, roles and permissions,
 * sessions, API tokens, calendar feeds, the audit chain, settings), for org's own services only:
 * routes and other areas call the services in units.h, users.h, session.h, audit.h and
 * policy.h. Functions return the connection's error (store_err) unless they say otherwise;
 * writes run inside the caller's transaction unless they say otherwise. */
#ifndef ECOACT_ORG_STORE_H
#define ECOACT_ORG_STORE_H
#include "org/units.h"
#include "org/audit.h"
#include "org/session.h"
#include "org/users.h"

/* ---- units ---- */

/* ERR_NOT_FOUND when there is no unit with this id. */
enum err org_store_unit_get(struct store *db, long long id, struct unit *out);
/* The id of the unit with this id, or with this code or key; 0 when none (or on an error). */
long long org_store_unit_by_id(struct store *db, long long id);
long long org_store_unit_by_ref(struct store *db, const char *code_or_key);
/* Whether unit's parent is parent. */
bool org_store_unit_is_child(struct store *db, long long unit, long long parent);
enum err org_store_units_each(struct store *db, const struct unit_filter *f, unit_fn fn, void *ctx);
/* How many units match f (the cursor and limit aside). */
enum err org_store_units_count(struct store *db, const struct unit_filter *f, long long *n);
/* Inserts a unit; *id 0 when it was a duplicate (ERR_CONFLICT is the connection's error). */
enum err org_store_unit_insert(struct store *db, const struct unit_new *u, long long now,
                               long long *id);
/* A catalogue unit, left alone when its key exists; *added is 1 when it was new. */
enum err org_store_unit_seed(struct store *db, const char *key, const char *code, const char *name,
                             const char *short_name, const char *tier, const char *joint_meeting,
                             bool host, long long now, int *added);
/* Sets the parent of the unit with this key when it has none. */
enum err org_store_unit_seed_parent(struct store *db, const char *key, long long parent_id);
enum err org_store_unit_update(struct store *db, long long id, const char *name,
                               const char *short_name, bool set_active, bool active);

/* ---- users, roles, per-user permissions ---- */

/* The unit of account id and whether it holds unmask_pii; ERR_NOT_FOUND when there is none. */
enum err org_store_user_target(struct store *db, long long id, long long *unit_id, bool *unmask);
/* The account named username (0: none). */
long long org_store_user_find(struct store *db, const char *username);
enum err org_store_user_roles(struct store *db, long long id, role_set *out);
enum err org_store_user_has_perm(struct store *db, long long id, const char *perm, bool *has);
/* Replaces the account's roles with roles. */
enum err org_store_user_set_roles(struct store *db, long long id, role_set roles, long long by,
                                  long long now);
/* Replaces the account's per-user permissions with perm (NULL: none). */
enum err org_store_user_set_perm(struct store *db, long long id, const char *perm, long long by,
                                 long long now);
/* Inserts an account; ERR_CONFLICT when the username is taken. */
enum err org_store_user_insert(struct store *db, const char *username, const char *display_name,
                               long long unit_id, const char *password_hash, bool must_change,
                               long long now, long long *id);
/* Sets the sealed value, lookup hash and mask of the phone (phone true) or the resident id;
 * enc NULL clears the three. ERR_CONFLICT when another account has the same hash. */
enum err org_store_user_set_pii(struct store *db, long long id, bool phone, const void *enc,
                                size_t enclen, const char *hash, const char *mask, long long now);
/* The sealed phone and resident id (malloc'd copies, NULL when not on file; caller frees);
 * ERR_NOT_FOUND when there is no such account. */
enum err org_store_user_sealed(struct store *db, long long id, void **phone, size_t *phone_len,
                               void **rid, size_t *rid_len);
/* ERR_NOT_FOUND when there is no such account. */
enum err org_store_user_username(struct store *db, long long id, char *out, size_t outlen);
enum err org_store_user_password_hash(struct store *db, long long id, char *out, size_t outlen);
/* Sets the password hash and must_change, and clears the failure count and the lock. */
enum err org_store_user_set_password(struct store *db, long long id, const char *hash,
                                     bool must_change, long long now);
enum err org_store_user_set_display_name(struct store *db, long long id, const char *name,
                                         long long now);
enum err org_store_user_set_unit(struct store *db, long long id, long long unit_id, long long now);
/* Sets disabled and clears the failure count and the lock. */
enum err org_store_user_set_disabled(struct store *db, long long id, bool disabled, long long now);

/* What a login needs of an account; ERR_NOT_FOUND when username is unknown. */
struct org_login {
    long long id, failed, locked_until;
    bool disabled;
    char hash[256];
};
enum err org_store_user_login(struct store *db, const char *username, struct org_login *out);
/* The failed-login count; with a lock until `until` (org_store_user_lock), the count restarts. */
enum err org_store_user_failures(struct store *db, long long id, long long failed);
enum err org_store_user_lock(struct store *db, long long id, long long until);

/* See user_get(). */
enum err org_store_user_row(struct store *db, long long id, struct user_info *out);
/* The account's per-user permissions in name order; fn's string is valid during the call. */
enum err org_store_user_perms(struct store *db, long long id,
                              void (*fn)(void *ctx, const char *perm), void *ctx);
/* How many accounts match f (the cursor and limit aside). */
enum err org_store_users_count(struct store *db, const struct user_filter *f, long long *n);
/* Ids of accounts for the account list (see users_page()). */
enum err org_store_users_page(struct store *db, const struct user_filter *f, long long *ids,
                              size_t cap, size_t *n);
/* See users_reachable(). */
enum err org_store_users_reachable(struct store *db, long long user_id, long long unit_id,
                                   role_set roles, struct user_brief **out, size_t *n);

/* ---- sessions and API tokens ---- */

/* The account's roles and whether it holds unmask_pii. */
enum err org_store_user_grants(struct store *db, long long user_id, role_set *roles, bool *unmask);
/* The active (enabled) account user_id as a principal in a (*p NULL when none). */
enum err org_store_principal(struct store *db, struct arena *a, long long user_id,
                             struct principal **p);
/* The session whose token hashes to hash, not revoked, its account enabled: its id, last use
 * and end, and its account as a principal in a (*p NULL when none). Expiry is the caller's. */
enum err org_store_session_find(struct store *db, struct arena *a, const char *hash, long long *sid,
                                long long *last_seen, long long *expires, struct principal **p);
enum err org_store_session_touch(struct store *db, long long sid, long long now);
enum err org_store_session_insert(struct store *db, const char *hash, long long user_id,
                                  long long now, long long expires);
enum err org_store_session_revoke(struct store *db, long long sid);
/* The API token whose token hashes to hash, not revoked, its account enabled: its scopes and
 * end, and its account as a principal in a (*p NULL when none). */
enum err org_store_token_find(struct store *db, struct arena *a, const char *hash, char *scopes,
                              size_t scopeslen, long long *expires, struct principal **p);
enum err org_store_tokens_each(struct store *db, long long user_id, apitoken_fn fn, void *ctx);
enum err org_store_token_insert(struct store *db, const char *hash, long long user_id,
                                const char *name, const char *scopes, long long now,
                                long long expires, long long *id);
/* *revoked says whether an active token id of user_id was revoked. */
enum err org_store_token_revoke(struct store *db, long long user_id, long long id, long long now,
                                bool *revoked);

/* ---- calendar feeds ---- */

enum err org_store_feed_insert(struct store *db, long long unit_id, long long user_id,
                               const char *plan, const char *name, const char *token_hash,
                               long long now, long long *id);
/* ERR_NOT_FOUND when there is no feed id; token_hash (CRYPTO_HASH_HEX bytes) may be NULL. */
enum err org_store_feed_get(struct store *db, long long id, struct calendar_feed *out,
                            char *token_hash);
/* The active feed whose token hashes to token_hash, its owner still enabled, and its stored
 * hash; ERR_NOT_FOUND otherwise. */
enum err org_store_feed_by_hash(struct store *db, const char *token_hash, struct calendar_feed *out,
                                char *stored_hash);
enum err org_store_feed_revoke(struct store *db, long long id, long long now);
enum err org_store_feeds_each(struct store *db, long long user_id, calendar_feed_fn fn, void *ctx);

/* ---- the audit chain ---- */

/* Takes the chain's head row (a row lock on PostgreSQL) before reading it. */
enum err org_store_audit_head_lock(struct store *db);
/* The chain's end: *last_id 0 and prev untouched when there is no head row (*found false). */
enum err org_store_audit_head(struct store *db, long long *last_id, char prev[CRYPTO_HASH_HEX],
                              bool *found);
enum err org_store_audit_insert(struct store *db, long long id, const struct audit_entry *e,
                                const char *prev_hash, const char *hash);
/* Moves the head to (id, hash); first: the head row may not exist yet. */
enum err org_store_audit_head_set(struct store *db, long long id, const char *hash, bool first);
/* Every row in id order with its stored prev_hash and hash (strings valid during the call, NULL
 * for SQL NULL); fn returns false to stop. */
typedef bool (*org_audit_chain_fn)(void *ctx, const struct audit_row *row, const char *prev_hash);
/* upto: 0 for every row, else the rows with id <= upto. */
enum err org_store_audit_chain(struct store *db, long long upto, org_audit_chain_fn fn, void *ctx);
enum err org_store_audit_each(struct store *db, const struct audit_filter *f, audit_fn fn,
                              void *ctx);

/* ---- the audit log's archives ---- */

/* The end of the log's oldest stretch written wholly before `before`: the row before the first
 * written at or after it (every row when none is; 0 when the log is empty). */
enum err org_store_audit_last_before(struct store *db, long long before, long long *last_id);
/* The archive holding the newest archived rows (*found false when nothing is archived). */
enum err org_store_audit_archive_last(struct store *db, struct audit_archive *a, bool *found);
/* Every archive's record, oldest rows first. */
enum err org_store_audit_archive_each(struct store *db,
                                      void (*fn)(void *ctx, const struct audit_archive *a),
                                      void *ctx);
/* Records the archive and deletes its rows from the log, inside the caller's transaction. */
enum err org_store_audit_archive_add(struct store *db, const struct audit_archive *a);

/* ---- settings (the security policy) ---- */

/* Every setting named policy.*; fn gets the name and the value (valid during the call). */
enum err org_store_policy_each(struct store *db,
                               void (*fn)(void *ctx, const char *name, const char *value),
                               void *ctx);
/* One setting's value into out ("" and *found false when unset). */
enum err org_store_setting_get(struct store *db, const char *name, char *out, size_t outlen,
                               bool *found);
/* Sets (inserts or replaces) one setting; by 0 leaves updated_by NULL. */
enum err org_store_setting_put(struct store *db, const char *name, const char *value, long long by,
                               long long now);

/* ---- what carries an account's authority ---- */

/* Revokes the account's sessions but keep (0: none), and its API tokens. */
enum err org_store_sessions_revoke_user(struct store *db, long long user_id, long long keep);
enum err org_store_tokens_revoke_user(struct store *db, long long user_id, long long now);
enum err org_store_feeds_revoke_user(struct store *db, long long user_id, long long now);

#endif
