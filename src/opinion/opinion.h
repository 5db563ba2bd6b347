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
#include "base/crypto.h"
#include "opinion/opinion_match.h"
#include "org/chancred.h"
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

struct opinion_matcher;

/* ---- items (opinion_items.c) ---- */
#define OPINION_SCOPE "opinion:ingest"
#define OPINION_BATCH_MAX 1000
#define OPINION_BATCH_MAX_BYTES (16u << 20)
#define OPINION_SIMHASH_DISTANCE 3      /* a near-duplicate: at most 3 of 64 bits differ */
#define OPINION_NEAR_WINDOW (7 * 86400) /* … among the items of the last 7 days */

struct opinion_channel {
    long long id, cred_id, created_by, created_at, revoked_at;
    char name[128], vendor[128];
};

/* An item as a vendor or an official brings it (strings owned by the caller). */
struct opinion_item_in {
    const char *source_item_id, *source, *url, *author, *text, *media, *body_hash;
    long long published_at, reads, shares, comments;
};

/* What became of an item. */
struct opinion_result {
    long long item_id, event_id, duplicate_of, rules;
    long long unit_id; /* where it was routed: the district it names, the city office, 0 */
    char route[12];    /* district | several | none */
    char places[400];  /* the place names found, "、"-separated */
    char kind[16];     /* new | near_duplicate | duplicate */
    char grade[12];
    bool replayed;
};

struct opinion_item {
    long long id, channel_id, published_at, reads, shares, comments, duplicate_of, event_id,
        entered_by, created_at, unit_id;
    char route[12], places[400];
    char source_item_id[132], source[68], url[2004], author_hash[68], media[12], kind[16],
        grade[12];
    char text[OPINION_TEXT_MAX + 1];
};

struct opinion_event {
    long long id, items, reads, shares, comments, first_at, last_at, created_at;
    char title[200];
};

bool opinion_media_valid(const char *media);
const char *opinion_media_label(const char *media);
const char *opinion_kind_label(const char *kind);
/* The simhash of a text over its character bigrams (white space left out), and the distance. */
unsigned long long opinion_simhash(const char *text, size_t len);
int opinion_hamming(unsigned long long a, unsigned long long b);
/* Checks an item's fields; false with p (field names the item's field). */
bool opinion_item_check(const struct opinion_item_in *in, struct problem *p);

enum err opinion_channel_create(struct store *db, const struct keys *k, const char *name,
                                const char *vendor, long long by, long long now,
                                struct chancred_secret *out, long long *id, struct problem *p);
typedef bool (*opinion_channel_fn)(void *ctx, const struct opinion_channel *c);
enum err opinion_channels_each(struct store *db, opinion_channel_fn fn, void *ctx);
enum err opinion_channel_get(struct store *db, long long id, bool by_cred,
                             struct opinion_channel *out);
enum err opinion_channel_revoke(struct store *db, long long id, long long now, struct problem *p);
/* Takes one item in (channel 0: by hand, entered_by the official), in the caller's transaction:
 * replay, duplicate by URL, near-duplicate by simhash, event, matching against m. */
/* The gazetteer: each district-level unit's name (and its stem without 区/县 when two or more
 * characters remain) and every row of opinion_places, compiled into one matcher. */
struct opinion_place {
    long long id, created_by, created_at;
    char name[128], kind[12], unit_ref[64];
};
struct opinion_gazetteer;
enum err opinion_gazetteer_load(struct store *db, struct opinion_gazetteer **out);
void opinion_gazetteer_free(struct opinion_gazetteer *g);
/* Routes a text: one district-level unit named → that unit ("district"); several → the city
 * office, the joint meeting's host unit ("several"); none → 0 ("none", the office triages). */
void opinion_route(const struct opinion_gazetteer *g, const char *text, size_t len, long long *unit,
                   char route[12], char places[400]);
typedef bool (*opinion_place_fn)(void *ctx, const struct opinion_place *pl);
enum err opinion_places_each(struct store *db, opinion_place_fn fn, void *ctx);
enum err opinion_place_add(struct store *db, const char *name, const char *kind,
                           const char *unit_ref, long long by, long long now, long long *id,
                           struct problem *p);
enum err opinion_place_delete(struct store *db, long long id, struct problem *p);

enum err opinion_item_ingest(struct store *db, const struct keys *k, struct opinion_matcher *m,
                             const struct opinion_gazetteer *g, long long channel,
                             const struct opinion_item_in *in, long long entered_by, long long now,
                             struct opinion_result *res, struct problem *p);
enum err opinion_item_get(struct store *db, long long id, struct opinion_item *out);
typedef bool (*opinion_item_fn)(void *ctx, const struct opinion_item *it);
enum err opinion_items_each(struct store *db, long long before_id, long long limit,
                            opinion_item_fn fn, void *ctx);
typedef bool (*opinion_item_rule_fn)(void *ctx, long long rule_id, const char *topic,
                                     const char *grade_hint, long long owner_unit);
enum err opinion_item_rules_each(struct store *db, long long item_id, opinion_item_rule_fn fn,
                                 void *ctx);
typedef bool (*opinion_event_fn)(void *ctx, const struct opinion_event *ev);
enum err opinion_events_each(struct store *db, long long limit, opinion_event_fn fn, void *ctx);

/* ---- handling (opinion_cases.c) ---- */
#define OPINION_SIGNOFF_UNIT "市委宣传部"
struct opinion_case {
    long long item_id, due_at, unit_id, deadline, assessed_by, assigned_by, responded_by, signed_by,
        signed_at, released_by, released_at, closed_by, closed_at, escalated_at, created_at,
        updated_at;
    char status[12], grade[12];
    char response[4001], links[2001];
};
struct opinion_settings {
    long long reach_major, reach_grave;
};
/* The clock of a grade in seconds: 5 h 特别重大, 24 h 重大, 48 h 一般. */
long long opinion_clock(const char *grade);
const char *opinion_case_status_label(const char *status);
/* The grade of reach alone under the thresholds ("general" below both). */
const char *opinion_reach_grade(const struct opinion_settings *s, long long reads,
                                long long shares);
enum err opinion_settings_get(struct store *db, struct opinion_settings *out);
enum err opinion_settings_set(struct store *db, const struct opinion_settings *in,
                              struct problem *p);
enum err opinion_case_get(struct store *db, long long item_id, struct opinion_case *out);
/* The steps; each refuses (409) a case not in the step's state. unit_scope: the caller's unit
 * when its permission is unit-scoped (0: every unit). */
enum err opinion_case_assess(struct store *db, long long id, const char *grade, long long by,
                             long long now, struct problem *p);
enum err opinion_case_assign(struct store *db, long long id, long long unit, long long deadline,
                             long long by, long long now, struct problem *p);
enum err opinion_case_respond(struct store *db, long long id, long long unit_scope,
                              const char *response, const char *links, long long by, long long now,
                              struct problem *p);
/* by_unit: the signer's unit, which must be 市委宣传部's. */
enum err opinion_case_signoff(struct store *db, long long id, long long by, long long by_unit,
                              long long now, struct problem *p);
enum err opinion_case_release(struct store *db, long long id, long long unit_scope, long long by,
                              long long now, struct problem *p);
enum err opinion_case_close(struct store *db, long long id, long long by, long long now,
                            struct problem *p);
/* The tick: every case whose clock ran out before release is escalated once (the office and the
 * assigned unit are told in their inbox). */
enum err opinion_tick(struct store *db, const struct keys *k, long long now, char *summary,
                      size_t len);

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
