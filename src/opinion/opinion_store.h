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

#endif
