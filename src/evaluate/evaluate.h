/* evaluate.h - the annual evaluation (年度考核评估, issue 3 §5) and the final evaluation of a
 * plan period: each unit's scorecard per year from three components weighted by the plan's
 * rubric, its rank among the units of its tier, the change on the year before, and the
 * drill-down to the periods, reports, dispatch notices and scores behind every point.
 *
 *   compliance  履职合规: the compliance engine's closed periods of the year (a period belongs to
 *               the year holding its end; a once-by-date duty to the year of its due date):
 *               met on time 1, made up late (补报) the rubric's late credit (½), missed 0;
 *               raw = credit ÷ closed periods × 100
 *   timeliness  督办反馈及时性: dispatch notices issued to the unit whose deadline falls in the
 *               year: answered by the deadline 1, answered later the rubric's late credit (½),
 *               unanswered after the deadline 0 (still open before it: not counted yet);
 *               a unit that needed no notice scores 100
 *   evaluator   第三方评估: the mean of the evaluators' scores (0-100) for the unit and year
 * A component with no data (no closed period yet; no evaluator score) is left out and the
 * weights of the others are scaled up to 100, so nobody gains or loses by a missing input;
 * the scorecard says which weights were applied.
 * Points: raw × applied weight ÷ 100; total: the sum of the points. Everything is counted in
 * hundredths (integers); answers show two decimals at most.
 * Ranks: within the tier (district, county, zone, city_department), by total, highest first;
 * equal totals share a rank and the next rank is skipped (1, 2, 2, 4); units without a total
 * are not ranked.
 * The final evaluation: the mean of the yearly totals weighted by the months of each year the
 * plan covers (2021: July-December, 6 of 54 months), over the years the unit was scored;
 * published years count as published.
 *
 * Pure parts (no I/O; unit-tested in tests/unit/test_evaluate.c): eval_rules.c.
 * Services: evaluate.c (computing years from the compliance engine, the supervise area's
 * notices and the stored scores; publishing; drafting notices for red items). SQL:
 * store_evaluate.c (tables of 0006_evaluate.sql). Excel: eval_xlsx.c. Routes: api_evaluate.c. */
#ifndef ECOACT_EVALUATE_H
#define ECOACT_EVALUATE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "base/arena.h"
#include "base/err.h"
#include "store/store.h"

/* A value that is missing (no data). */
#define EV_NONE (-1LL)
/* Hundredths: 100 points = 10000. */
#define EV_FULL 10000LL

enum ev_component { EV_COMPLIANCE, EV_TIMELINESS, EV_EVALUATOR, EV__COMPONENTS };
const char *ev_component_key(enum ev_component c); /* "compliance" … */
const char *ev_component_label(enum ev_component c); /* 履职合规 督办反馈及时性 第三方评估 */
/* What a component counts, in a sentence for people. */
const char *ev_component_hint(enum ev_component c);

/* Tiers ranked apart, and their labels (区 / 县 / 管理区 / 市级部门). */
const char *ev_tier_label(const char *tier);
/* Whether units of this tier are evaluated (district-level tiers and city departments). */
bool ev_tier_evaluated(const char *tier);

/* ---- the rubric (eval_rules.c) ---- */

struct ev_rubric {
    int version;                /* 0: the built-in default (not stored) */
    int weight[EV__COMPONENTS]; /* whole percent, summing to 100 */
    int late_credit;            /* percent of a period made up late (补报) */
    int notice_late_credit;     /* percent of an answer after the deadline */
};

/* 60 / 15 / 25, late credits 50 (the engine's "补报计0.5"). */
void ev_rubric_default(struct ev_rubric *r);

/* Weights 0..100 summing to 100 (field "weights"), credits 0..100. */
bool ev_rubric_check(const struct ev_rubric *r, struct problem *p);

/* ---- one unit's year (eval_rules.c) ---- */

struct ev_tally {
    /* compliance: closed periods of the year */
    long long closed, met, late, missed;
    /* notices whose deadline falls in the year */
    long long notices, on_time, answered_late, unanswered, pending;
    /* evaluator scores (hundredths) */
    long long scores, score_sum;
};

/* Raw values in hundredths (0..10000) or EV_NONE. */
long long ev_compliance_raw(const struct ev_tally *t, int late_credit);
long long ev_timeliness_raw(const struct ev_tally *t, int notice_late_credit);
long long ev_evaluator_raw(const struct ev_tally *t);

struct ev_score {
    long long raw[EV__COMPONENTS];     /* hundredths or EV_NONE */
    long long applied[EV__COMPONENTS]; /* weight applied, hundredths of a percent (6000 = 60%);
                                          0 for a missing component */
    long long points[EV__COMPONENTS];  /* hundredths or EV_NONE */
    long long total;                   /* hundredths, the sum of the points; EV_NONE when no
                                          component with a weight has data */
};
/* Weighs raw values (EV_NONE = missing) by the rubric. */
void ev_score(const struct ev_rubric *r, const long long raw[EV__COMPONENTS], struct ev_score *out);
/* The three raws of a tally, then ev_score. */
void ev_score_tally(const struct ev_rubric *r, const struct ev_tally *t, struct ev_score *out);

/* ---- ranks and change (eval_rules.c) ---- */

struct ev_rankee {
    const char *group; /* tier */
    long long total;   /* EV_NONE: not ranked */
    int rank, rank_of; /* out: rank (0 when not ranked), units ranked in the group */
};
/* Ranks every element within its group (competition ranking: ties share, the next is
 * skipped). Order of the array is kept. */
void ev_rank(struct ev_rankee *a, size_t n);

struct ev_change {
    bool has_points, has_rank;
    long long points; /* total − previous total (hundredths) */
    int rank;         /* previous rank − rank: positive when the unit moved up */
};
void ev_change(long long total, int rank, long long prev_total, int prev_rank,
               struct ev_change *out);

/* ---- years (eval_rules.c) ---- */

/* Months of year the plan [start, end] covers (day numbers): a month counts when the plan
 * covers any of its days. 0 outside. */
int ev_year_months(int start, int end, int year);
/* Σ w·v / Σ w over entries whose v is not EV_NONE and w > 0, rounded half up; EV_NONE when
 * there is none. */
long long ev_weighted_mean(const long long *v, const int *w, size_t n);

/* ---- numbers (eval_rules.c) ---- */

/* Hundredths as a JSON number with at most two decimals: 8746 → "87.46", 8750 → "87.5",
 * 10000 → "100", −105 → "-1.05". out ≥ 32 bytes. */
void ev_fmt(long long hundredths, char *out, size_t n);
/* An evaluator's score: a number 0..100 with at most two decimals → hundredths. */
bool ev_score_from_double(double v, long long *hundredths);
/* round(num × 10000 / den), half up, for non-negative num and den > 0. */
long long ev_ratio(long long num, long long den);

/* ---- scorecards (evaluate.c) ---- */

struct ev_card {
    long long unit_id;
    const char *code, *name, *tier; /* in the arena */
    struct ev_tally t;
    struct ev_score s;
    int rank, rank_of;
    bool has_prev; /* a previous year exists in the plan */
    long long prev_total;
    int prev_rank;
    const char *drill; /* JSON text of the drill-down (arena), or NULL */
};

struct ev_year {
    char plan[72];
    int year;
    int as_of; /* day number the year was evaluated at */
    bool published;
    long long published_at;
    char published_by[128];
    struct ev_rubric rubric;
    struct ev_card *cards; /* arena; sorted by tier, then rank, then code */
    size_t n;
};

/* Writes the card's fields (inside an object the caller opened): unit, year, total, rank,
 * rank_of, components, previous, change. The same text is frozen on publication. */
struct jw;
void ev_card_write(struct jw *w, const struct ev_card *c, int year, const struct ev_rubric *r);

/* The card printed as a GB/T 9704 document (eval_doc.c): total and rank, components, the counts
 * behind them; marked 草稿 while the year is not published. gbdoc_free() it. */
struct gbdoc;
void ev_card_doc(const struct ev_year *y, const struct ev_card *c, struct gbdoc *out);

/* The plan's period (day numbers); ERR_NOT_FOUND when there is no such plan. */
enum err ev_plan_period(struct store *db, const char *plan, int *start, int *end);

/* A year: its published snapshot, or computed as of as_of (rank within tier, change on the
 * year before: published or computed at the same as_of). drill_unit: the unit whose
 * drill-down to build (-1 every unit, 0 none). Everything lives in arena a. ERR_NOT_FOUND
 * when the plan does not exist or the year lies outside it (*why says which). */
enum err ev_year_get(struct store *db, struct arena *a, const char *plan, int year, int as_of,
                     long long drill_unit, struct ev_year *out, char *why, size_t whylen);

/* The final evaluation over the plan's years: per unit the yearly totals and ranks and their
 * month-weighted mean. */
struct ev_final_unit {
    long long unit_id;
    const char *code, *name, *tier;
    long long year_total[8]; /* per plan year (index year − first), EV_NONE when not scored */
    int year_rank[8], year_rank_of[8];
    long long raw[EV__COMPONENTS], points[EV__COMPONENTS]; /* month-weighted means */
    long long total;
    int rank, rank_of;
};
struct ev_final {
    char plan[72];
    int first, nyears; /* plan years */
    int months[8];
    bool year_published[8];
    int as_of;
    bool provisional; /* a year is not published yet */
    struct ev_final_unit *units;
    size_t n;
};
enum err ev_final_get(struct store *db, struct arena *a, const char *plan, int as_of,
                      struct ev_final *out, char *why, size_t whylen);

/* .xlsx workbooks (eval_xlsx.c): sheets 总表 and 明细; *out in arena a. */
enum err ev_xlsx_year(const struct ev_year *y, struct arena *a, void **out, size_t *len);
enum err ev_xlsx_final(const struct ev_final *f, struct arena *a, void **out, size_t *len);

/* Publishes a year as of today (now): computes every scorecard with its drill-down and stores
 * it; later score and rubric changes leave it as it is. ERR_CONFLICT when already published or when
 * the sign-off is required and not given (ev_signoff_get);
 * ERR_RULE when the year's periods are not all closed yet (*why); ERR_NOT_FOUND as above. */
enum err ev_publish(struct store *db, struct arena *a, const char *plan, int year,
                    long long user_id, const char *user_name, long long now, size_t *units,
                    char *why, size_t whylen);

/* An evaluator's score (hundredths) and comment for a unit and year, as the evaluator's one
 * score (a second call replaces it). ERR_CONFLICT when the year is published; ERR_RULE when the
 * unit owes nothing in that year (not evaluated); ERR_NOT_FOUND for the plan or year. */
enum err ev_score_put(struct store *db, struct arena *a, const char *plan, int year,
                      long long unit_id, long long user_id, const char *user_name, long long score,
                      const char *comment, long long now, bool *created, char *why, size_t whylen);

/* Red compliance items → draft dispatch notices (through the supervise area), one per unit of
 * each red cell that has no open notice. */
struct ev_red_query {
    const char *plan;
    int as_of;
    long long unit;         /* 0: all */
    long long task, action; /* the matrix's filters: 0: all */
    const char *obligation; /* NULL: all */
    const char *period;     /* NULL: all */
    const char *deadline;   /* YYYY-MM-DD */
    int level;              /* enum sv_level */
    size_t max;             /* drafts at most this many */
    bool dry_run;           /* count what would be drafted (created), write nothing */
};
struct ev_red_result {
    size_t red;       /* red unit items found */
    size_t created;   /* drafts created */
    size_t skipped;   /* already had an open notice */
    size_t remaining; /* left for another call (max reached) */
    long long first_id, last_id;
};
enum err ev_drafts_from_red(struct store *db, struct arena *a, const struct ev_red_query *q,
                            long long user_id, const char *user_name, long long now,
                            struct ev_red_result *out, const char **field, char *why,
                            size_t whylen);

/* ---- the evaluator's work list (issue 19 §8 of the evaluation: progress) ---- */

/* One district-level unit (district, county, zone) of the year and the scores it has: scored
 * when any evaluator scored it; last_* the latest score; mine the caller's own (EV_NONE). */
struct ev_progress_unit {
    long long unit_id;
    const char *code, *name, *tier; /* arena */
    size_t scores;
    const char *last_by; /* arena; NULL when unscored */
    long long last_at;
    long long mine; /* hundredths or EV_NONE */
    const char *my_comment;
    long long my_at;
};
struct ev_progress {
    int year;
    bool published;
    struct ev_progress_unit *units; /* arena; tier order, then code */
    size_t n, scored, mine;
};
/* The year's district-level units as of today with their scores; user_id: whose are "mine". */
enum err ev_progress_get(struct store *db, struct arena *a, const char *plan, int year,
                         long long user_id, long long now, struct ev_progress *out, char *why,
                         size_t whylen);
/* The scoring template (.xlsx, sheet 评分): the units prefilled with the caller's own scores. */
enum err ev_xlsx_scores_template(const struct ev_progress *p, const char *title, struct arena *a,
                                 void **out, size_t *len);

/* ---- scores in batch from a sheet ---- */

#define EV_IMPORT_MAX_BYTES (2u * 1024 * 1024)
#define EV_IMPORT_MAX_ROWS 500
#define EV_COMMENT_MAX_CHARS 1000

/* A score cell: "87", "87.5", "87.25" (0..100, two decimals at most) → hundredths. Pure. */
bool ev_score_parse(const char *s, long long *hundredths);

struct table;
struct table_errors;
struct ev_import_row {
    int row; /* in the file */
    long long unit_id;
    const char *unit_name;
    long long score, before; /* before: the caller's earlier score, EV_NONE */
    const char *comment;
};
struct ev_import {
    struct ev_import_row *rows; /* arena */
    size_t n, created, updated, skipped_blank;
};
/* Checks every row of the sheet (header row with 行政区划代码, 评分, 评价意见; unknown unit, a unit
 * not evaluated that year, score out of range, missing or too long comment, duplicate unit)
 * into errs; ERR_RULE when any row is bad (nothing written). Otherwise, unless dry_run, stores
 * every row as the caller's score (inside the caller's transaction). ERR_CONFLICT when the year
 * is published, ERR_NOT_FOUND for the plan or year (*why). */
enum err ev_scores_import(struct store *db, struct arena *a, const char *plan, int year,
                          const struct table *t, long long user_id, const char *user_name,
                          long long now, bool dry_run, struct ev_import *out,
                          struct table_errors *errs, char *why, size_t whylen);

/* ---- the leader's sign-off (签批) before publication (eval_signoff.c; rules in eval_rules.c) ----
 */

/* The setting (org's settings) that makes publishing wait for a leader's sign-off. */
#define EV_SIGNOFF_SETTING "evaluate.signoff_required"

enum ev_signoff_state { EV_SO_NONE, EV_SO_REQUESTED, EV_SO_APPROVED, EV_SO_RETURNED };
const char *ev_signoff_state_key(enum ev_signoff_state s); /* none requested approved returned */
const char *
ev_signoff_state_label(enum ev_signoff_state s); /* 未提请签批 待领导签批 已签批 已退回 */
const char *ev_signoff_step_label(const char *step); /* 提请签批 签批同意 退回 */
/* The state after the last step ("request", "approve", "return"; NULL: none). */
enum ev_signoff_state ev_signoff_state_of(const char *last_step);
/* Whether user may take step ("request": the office; "approve"/"return": a leader) now: the
 * state allows it and a decider is not the one who asked (requested_by). Pure; *why in Chinese
 * and *e (ERR_CONFLICT for the state, ERR_FORBIDDEN for the person) when not. */
bool ev_signoff_may(enum ev_signoff_state s, const char *step, long long requested_by,
                    long long user_id, enum err *e, const char **why);

struct ev_signoff_step {
    const char *step, *user_name, *note; /* arena */
    long long user_id, at;
};
struct ev_signoff {
    bool required;
    enum ev_signoff_state state;
    long long requested_by;        /* the latest request's account, 0 none */
    struct ev_signoff_step *steps; /* oldest first */
    size_t n;
};
enum err ev_signoff_required(struct store *db, bool *on);
enum err ev_signoff_set_required(struct store *db, bool on, long long by, long long now);
enum err ev_signoff_get(struct store *db, struct arena *a, const char *plan, int year,
                        struct ev_signoff *out);
/* Takes step ("request", "approve", "return") for the year: ERR_NOT_FOUND (plan, year),
 * ERR_CONFLICT (published, the state), ERR_FORBIDDEN (one's own request), ERR_RULE (sign-off not
 * required; a return without a reason, field "reason"); *why in Chinese. */
enum err ev_signoff_step_take(struct store *db, struct arena *a, const char *plan, int year,
                              const char *step, const char *note, long long user_id,
                              const char *user_name, long long now, const char **field, char *why,
                              size_t whylen);

#endif
