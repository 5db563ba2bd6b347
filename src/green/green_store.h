/* green_store.h - the private storage interface of green (store_green.c): all of its SQL, over
 * its own tables (0020_green.sql). */
#ifndef ECOACT_GREEN_STORE_H
#define ECOACT_GREEN_STORE_H
#include "green/green.h"

enum err green_store_behaviour_get(struct store *db, const char *code, struct green_behaviour *b,
                                   bool *found);
enum err green_store_behaviours_each(struct store *db,
                                     bool (*fn)(void *, const struct green_behaviour *), void *ctx);
/* The published version with the latest effective_from ≤ day; *id 0 when none. */
enum err green_store_version_in_force(struct store *db, const char *day, long long *id);
enum err green_store_factor_get(struct store *db, long long version_id, const char *behaviour,
                                struct green_factor *f, bool *found);
enum err green_store_factors_each(struct store *db, long long version_id, green_factor_fn fn,
                                  void *ctx);
enum err green_store_factor_insert(struct store *db, const struct green_factor *f);
enum err green_store_versions_each(struct store *db, green_version_fn fn, void *ctx);
enum err green_store_version_get(struct store *db, long long id, struct green_version *v,
                                 bool *found);
enum err green_store_version_insert(struct store *db, const char *title, const char *from,
                                    long long by, long long now, long long *id);
enum err green_store_version_publish(struct store *db, long long id, long long by, long long now);

enum err green_store_channel_insert(struct store *db, const char *name, const char *op,
                                    const char *behaviours, long long cred_id, long long by,
                                    long long now, long long *id);
enum err green_store_channels_each(struct store *db, green_channel_fn fn, void *ctx);
/* by_cred: look up by the credential's id instead of the channel's. */
enum err green_store_channel_get(struct store *db, long long id, bool by_cred,
                                 struct green_channel *c, bool *found);
enum err green_store_channel_revoke(struct store *db, long long id, long long now);

/* The event (channel, source id): *found, its body hash and result. */
enum err green_store_event_find(struct store *db, long long channel, const char *seid, bool *found,
                                char hash[CRYPTO_HASH_HEX], struct green_result *res);
/* Inserts the event with its result (entry_id 0); *id 0 when a twin holds the key. */
enum err green_store_event_insert(struct store *db, long long channel, const struct green_event *ev,
                                  const struct green_result *res, long long now, long long *id);
enum err green_store_event_set_entry(struct store *db, long long id, long long entry_id);
/* A credited event of the same act: trip (route, started_at within ±window) or day. */
enum err green_store_dedup_trip(struct store *db, long long citizen, const char *behaviour,
                                const char *route, long long from, long long to, long long *id);
enum err green_store_dedup_day(struct store *db, long long citizen, const char *behaviour,
                               const char *day, long long *id);

/* Locks the citizen's account row (made when absent) and reads it. */
enum err green_store_account_lock(struct store *db, long long citizen, long long now,
                                  struct green_account *a);
enum err green_store_account_read(struct store *db, long long citizen, struct green_account *a,
                                  bool *found);
enum err green_store_account_set(struct store *db, const struct green_account *a, long long now);
enum err green_store_usage_get(struct store *db, long long citizen, const char *behaviour,
                               const char *period, long long *points);
enum err green_store_usage_add(struct store *db, long long citizen, const char *behaviour,
                               const char *period, long long points);
enum err green_store_issuer_add(struct store *db, const char *day, long long shard,
                                long long amount);
enum err green_store_entry_insert(struct store *db, const struct green_entry *e, long long *id);
enum err green_store_entry_get(struct store *db, long long id, struct green_entry *e, bool *found);
enum err green_store_reversal_of(struct store *db, long long citizen, long long id, long long *rev);
enum err green_store_entries_each(struct store *db, long long citizen, long long before_seq,
                                  long long limit, green_entry_fn fn, void *ctx);
/* Every entry ordered by account and seq (verify). */
enum err green_store_entries_walk(struct store *db, green_entry_fn fn, void *ctx);
enum err green_store_totals_each(struct store *db, long long citizen, green_total_fn fn, void *ctx);
enum err green_store_lot_insert(struct store *db, long long citizen, long long entry_id,
                                const char *earned, const char *expires, long long amount);
/* Takes amount from the lot of entry_id; *ok false when it holds less. */
enum err green_store_lot_take(struct store *db, long long citizen, long long entry_id,
                              long long amount, bool *ok);
enum err green_store_next_expiry(struct store *db, long long citizen, const char *today,
                                 char date[11], long long *amount);
/* Sums for verify. */
typedef bool (*green_issuer_fn)(void *ctx, const char *day, long long shard, long long balance,
                                long long entries);
enum err green_store_issuers_each(struct store *db, green_issuer_fn fn, void *ctx);
/* The entries' sums per issuing account (balance = -sum). */
enum err green_store_issuer_sums_each(struct store *db, green_issuer_fn fn, void *ctx);
enum err green_store_accounts_each(struct store *db,
                                   bool (*fn)(void *, const struct green_account *), void *ctx);

#endif
