/* opinion_match.h - the keyword-rule language of public-opinion monitoring and its one-pass
 * matcher (pure: no storage, no HTTP).
 *
 * The language (DOMAIN.md §9), from loosest to tightest:
 *   a OR b          either
 *   a AND b, a b    both (words side by side are an AND)
 *   NOT a           a does not occur
 *   a NEAR/n b      an occurrence of a and one of b at most n characters apart (either order)
 *   a ONEAR/n b     the same with a first
 *   ( … )           grouping;  "…"  a phrase (spaces and operators inside are literal)
 * so NOT > AND > OR, and NEAR/ONEAR bind tighter still; their operands are words, phrases, NEARs
 * or parenthesised ORs of those (a position is needed, so no AND or NOT below a NEAR). Operators
 * are upper-case and stand alone; ASCII letters match without regard to case.
 *
 * Refused (om_check, with the character position of the fault): a parse error, NEAR without
 * a distance, an empty rule, a rule of only NOT, a literal of one ASCII character, and a rule
 * that holds on a text in which none of its words occur (it would match everything).
 *
 * Every rule's literals go into one Aho-Corasick automaton over the UTF-8 bytes (one DFA, byte
 * classes), so one pass over a text finds every literal's occurrences with their character
 * positions; then only the rules with a literal among the hits are evaluated.
 *   struct om_set *s = om_build(rules, n, &err, &bad);   // read-only, shareable between threads
 *   struct om_scratch *sc = om_scratch_new(s);           // one per thread
 *   om_match(s, sc, text, len, on_rule, ctx);            // on_rule per matching rule
 */
#ifndef ECOACT_OPINION_MATCH_H
#define ECOACT_OPINION_MATCH_H
#include <stdbool.h>
#include <stddef.h>

#define OM_EXPR_MAX 4000 /* bytes of one rule */
#define OM_LITS_MAX 128  /* literals in one rule */
#define OM_DEPTH_MAX 32  /* nesting */
#define OM_NEAR_MAX 2000 /* the n of NEAR/n */

struct om_error {
    size_t pos;  /* character offset (0-based) of the fault in the rule */
    size_t byte; /* the same as a byte offset */
    char msg[200];
};

/* One occurrence of a literal in the text: character offsets, end exclusive. */
struct om_hit {
    unsigned lit; /* index into the set's literals (om_literal) */
    unsigned start, end;
};

struct om_rule_src {
    const char *expr;
};

struct om_set;
struct om_scratch;

/* Whether expr is a rule the matcher takes; false with err filled. */
bool om_check(const char *expr, struct om_error *err);
/* Compiles n rules into one set; NULL with err and *bad (the index of the refused rule) on a
 * rule om_check refuses, or with *bad == n when memory ran out. */
struct om_set *om_build(const struct om_rule_src *rules, size_t n, struct om_error *err,
                        size_t *bad);
void om_free(struct om_set *s);
size_t om_rules(const struct om_set *s);
size_t om_literals(const struct om_set *s);
size_t om_states(const struct om_set *s);
/* Literal i as the automaton holds it (ASCII folded to lower case), its length in bytes. */
const char *om_literal(const struct om_set *s, unsigned i, size_t *len);
/* Whether literal lit counts for rule (it occurs in the rule outside every NOT). */
bool om_rule_uses(const struct om_set *s, size_t rule, unsigned lit);

struct om_scratch *om_scratch_new(const struct om_set *s);
void om_scratch_free(struct om_scratch *sc);

/* Called per matching rule with the occurrences of its positive literals (ordered by end). */
typedef bool (*om_match_fn)(void *ctx, size_t rule, const struct om_hit *hits, size_t n);
/* Runs the text (UTF-8) through the set; returns the number of rules that match. fn may be NULL. */
size_t om_match(const struct om_set *s, struct om_scratch *sc, const char *text, size_t len,
                om_match_fn fn, void *ctx);
/* Whether any literal occurs in the text (grep -F semantics; the benchmark's count). */
bool om_any(const struct om_set *s, const char *text, size_t len);

#endif
