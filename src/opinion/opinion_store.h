/* opinion_store.h - the private storage interface of opinion (store_opinion.c): all of its SQL,
 * over its own tables (0024_opinion_rules.sql, 0025_opinion_items.sql). */
#ifndef ECOACT_OPINION_STORE_H
#define ECOACT_OPINION_STORE_H
#include "opinion/opinion.h"

enum err opinion_store_rule_insert(struct store *db, const struct opinion_rule *in, long long by,
                                   long long now, long long *id);
/* draft: set the status back to draft (the expression changed). */
enum err opinion_store_rule_update(struct store *db, long long id, const struct opinion_rule *in,
                                   bool draft, long long by, long long now);
enum err opinion_store_rule_get(struct store *db, long long id, struct opinion_rule *r,
                                bool *found);
enum err opinion_store_rules_each(struct store *db, const char *status, const char *topic,
                                  opinion_rule_fn fn, void *ctx);
/* from → to; *changed false when the rule was not in from. live records published_by/at. */
enum err opinion_store_rule_status(struct store *db, long long id, const char *from, const char *to,
                                   long long by, long long now, bool *changed);
enum err opinion_store_gen_bump(struct store *db);
enum err opinion_store_gen_get(struct store *db, long long *gen);
enum err opinion_store_example_insert(struct store *db, long long rule_id, const char *text,
                                      bool expect, long long by, long long now, long long *id);
enum err opinion_store_example_delete(struct store *db, long long rule_id, long long id,
                                      bool *found);
enum err opinion_store_examples_each(struct store *db, long long rule_id,
                                     bool (*fn)(void *, const struct opinion_example *), void *ctx);

/* ---- items (store_opinion_items.c) ---- */
enum err opinion_store_channel_insert(struct store *db, const char *name, const char *vendor,
                                      long long cred_id, long long by, long long now,
                                      long long *id);
enum err opinion_store_channels_each(struct store *db, opinion_channel_fn fn, void *ctx);
enum err opinion_store_channel_get(struct store *db, long long id, bool by_cred,
                                   struct opinion_channel *c, bool *found);
enum err opinion_store_channel_revoke(struct store *db, long long id, long long now);
/* The item (channel, source id): *found, its body hash and result. */
enum err opinion_store_item_find(struct store *db, long long channel, const char *sid, bool *found,
                                 char hash[CRYPTO_HASH_HEX], struct opinion_result *res);
/* The first item with this URL (not itself a duplicate); *id 0 when none. */
enum err opinion_store_item_by_url(struct store *db, const char *url, long long *id,
                                   long long *event);
/* Items since `since` sharing a 16-bit band with h: fn gets each id, event and simhash. */
enum err opinion_store_near_each(struct store *db, unsigned long long h, long long since,
                                 bool (*fn)(void *, long long id, long long event,
                                            unsigned long long h),
                                 void *ctx);
enum err opinion_store_item_insert(struct store *db, long long channel,
                                   const struct opinion_item_in *in, const char *author_hash,
                                   unsigned long long h, const struct opinion_result *res,
                                   long long entered_by, long long now, long long *id);
enum err opinion_store_item_rule_insert(struct store *db, long long item, long long rule,
                                        const char *topic, const char *grade, long long owner);
enum err opinion_store_event_insert(struct store *db, const char *title,
                                    const struct opinion_item_in *in, long long now, long long *id);
enum err opinion_store_event_add(struct store *db, long long id, const struct opinion_item_in *in);
enum err opinion_store_item_get(struct store *db, long long id, struct opinion_item *it,
                                bool *found);
enum err opinion_store_items_each(struct store *db, long long before_id, long long limit,
                                  opinion_item_fn fn, void *ctx);
enum err opinion_store_item_rules_each(struct store *db, long long item_id, opinion_item_rule_fn fn,
                                       void *ctx);
enum err opinion_store_events_each(struct store *db, long long limit, opinion_event_fn fn,
                                   void *ctx);

enum err opinion_store_places_each(struct store *db, opinion_place_fn fn, void *ctx);
/* *id 0 when the name is taken. */
enum err opinion_store_place_insert(struct store *db, const char *name, const char *kind,
                                    const char *unit_ref, long long by, long long now,
                                    long long *id);
enum err opinion_store_place_delete(struct store *db, long long id, bool *found);

enum err opinion_store_settings_get(struct store *db, struct opinion_settings *s);
enum err opinion_store_settings_set(struct store *db, const struct opinion_settings *s);
enum err opinion_store_case_insert(struct store *db, long long item, const char *grade,
                                   long long due, long long now);
enum err opinion_store_case_get(struct store *db, long long item, struct opinion_case *c,
                                bool *found);
/* Writes c's mutable fields where the row is still in status from; *changed. */
enum err opinion_store_case_update(struct store *db, const struct opinion_case *c, const char *from,
                                   bool *changed);
typedef bool (*opinion_case_fn)(void *ctx, const struct opinion_case *c);
enum err opinion_store_cases_overdue(struct store *db, long long now, opinion_case_fn fn,
                                     void *ctx);
enum err opinion_store_case_escalated(struct store *db, long long item, long long now);

#endif
