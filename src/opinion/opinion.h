/* opinion.h - public-opinion monitoring (issue 17, DOMAIN.md §9): keyword rules as data and
 * the items the vendors and officials bring in, matched against every live rule in one pass.
 *
 * - A rule (opinion_rules) is an expression of the rule language (opinion_match.h) with a topic
 *   (大气, 水, 噪声 …), a grade hint (一般 / 重大 / 特别重大) and an owner (the unit that answers
 *   for the topic). It is drafted, edited (an edit of the expression makes it a draft again),
 *   and goes live only with labelled examples (texts that should and should not match), whose
 *   precision and recall it shows; whoever last edited it never puts it live (four eyes).
 * - Every live rule compiles into one matcher (opinion_matcher()): cached per process and
 *   rebuilt when opinion_state.rules_gen moves (each change of a live rule bumps it in its
 *   transaction, so every app server sees the change at its next match).
 * - The test bench (opinion_bench) runs a pasted text through the live rules, or through one
 *   expression, and tells which rules match and where (character offsets).
 *
 *   struct opinion_matcher *m; opinion_matcher_get(db, &m);     // shared, refcounted
 *   opinion_match_text(m, text, len, fn, ctx);                 // fn per matching rule
 *   opinion_matcher_put(m);
 */
#ifndef ECOACT_OPINION_H
#define ECOACT_OPINION_H
#include <stdbool.h>
#include <stddef.h>
#include "base/err.h"
#include "opinion/opinion_match.h"
#include "store/store.h"

#define OPINION_RULES_MAX 20000  /* live rules */
#define OPINION_EXAMPLES_MAX 200 /* per rule */
#define OPINION_TEXT_MAX 65536   /* bytes of an item's or a bench text */

struct opinion_rule {
    long long id, owner_unit, created_by, created_at, updated_by, updated_at, published_by,
        published_at, examples_pos, examples_neg;
    char name[128], topic[16], grade_hint[12], status[12];
    char expr[OM_EXPR_MAX + 1];
};

struct opinion_example {
    long long id, rule_id, created_by, created_at;
    bool expect; /* should match */
    char text[OPINION_TEXT_MAX + 1];
};

/* What the matcher keeps of a live rule. */
struct opinion_rule_brief {
    long long id, owner_unit;
    char name[128], topic[16], grade_hint[12];
};

/* How a rule fares on its examples. */
struct opinion_quality {
    long long tp, fp, fn, tn;
    long long precision_pm, recall_pm; /* per mille; -1 when undefined (no positive answer) */
};

/* ---- rules (opinion_rules.c, pure) ---- */
bool opinion_topic_valid(const char *topic);
const char *opinion_topic_label(const char *topic);
bool opinion_grade_valid(const char *grade);
const char *opinion_grade_label(const char *grade);
const char *opinion_rule_status_label(const char *status);
void opinion_quality_compute(struct opinion_quality *q);

/* ---- service (opinion.c) ---- */
/* The check of an expression (om_check) as a problem: field "expression", the position in msg. */
bool opinion_expr_check(const char *expr, struct om_error *err);
enum err opinion_rule_create(struct store *db, const struct opinion_rule *in, long long by,
                             long long now, long long *id, struct problem *p);
/* Edits name, topic, grade hint, owner and expression; a changed expression makes it a draft. */
enum err opinion_rule_update(struct store *db, long long id, const struct opinion_rule *in,
                             long long by, long long now, struct problem *p);
enum err opinion_rule_get(struct store *db, long long id, struct opinion_rule *out);
typedef bool (*opinion_rule_fn)(void *ctx, const struct opinion_rule *r);
/* status NULL: every rule; topic NULL: every topic. */
enum err opinion_rules_each(struct store *db, const char *status, const char *topic,
                            opinion_rule_fn fn, void *ctx);
/* Puts a draft live: by is not its last editor, it has a match and a non-match example. */
enum err opinion_rule_publish(struct store *db, long long id, long long by, long long now,
                              struct problem *p);
enum err opinion_rule_retire(struct store *db, long long id, long long by, long long now,
                             struct problem *p);
enum err opinion_example_add(struct store *db, long long rule_id, const char *text, bool expect,
                             long long by, long long now, long long *id, struct problem *p);
enum err opinion_example_delete(struct store *db, long long rule_id, long long id,
                                struct problem *p);
typedef bool (*opinion_example_fn)(void *ctx, const struct opinion_example *e, bool matched);
/* The rule's examples, each with whether the rule matches it, and the totals into *q. */
enum err opinion_examples_each(struct store *db, long long rule_id, opinion_example_fn fn,
                               void *ctx, struct opinion_quality *q);

/* The compiled live rules. */
struct opinion_matcher;
enum err opinion_matcher_get(struct store *db, struct opinion_matcher **out);
void opinion_matcher_put(struct opinion_matcher *m);
size_t opinion_matcher_rules(const struct opinion_matcher *m);
/* A matching rule with its hits (character offsets) and the literals' text. */
struct opinion_hit_rule {
    const struct opinion_rule_brief *rule; /* NULL for opinion_match_expr */
    const struct om_hit *hits;
    size_t nhits;
    const struct om_set *set; /* om_literal(set, hit.lit) */
};
typedef bool (*opinion_hit_fn)(void *ctx, const struct opinion_hit_rule *h);
/* Runs text through m (thread-safe); returns how many rules match. */
size_t opinion_match_text(struct opinion_matcher *m, const char *text, size_t len,
                          opinion_hit_fn fn, void *ctx);
/* The bench with one expression instead of the live rules (rule NULL in the callback). */
enum err opinion_match_expr(const char *expr, const char *text, size_t len, opinion_hit_fn fn,
                            void *ctx, struct om_error *err);

#endif
