/* evaluate_store.h - the storage of the annual evaluation (store_evaluate.c, tables of
 * 0006_evaluate.sql), for the evaluation's own services and routes only: other areas call the
 * services in evaluate.h. Writes run inside the caller's transaction. */
#ifndef ECOACT_EVALUATE_STORE_H
#define ECOACT_EVALUATE_STORE_H
#include "evaluate/evaluate.h"

/* The plan's current rubric (the default, version 0, when none is stored); note may be NULL. */
enum err ev_store_rubric(struct store *db, const char *plan, struct ev_rubric *out, char *note,
                         size_t notelen);
/* A stored rubric version (ERR_NOT_FOUND when absent). */
enum err ev_store_rubric_version(struct store *db, const char *plan, int version,
                                 struct ev_rubric *out);
/* Stores r as the next version; r->version gets its number. */
enum err ev_store_rubric_add(struct store *db, const char *plan, struct ev_rubric *r,
                             const char *note, long long user_id, const char *user_name,
                             long long now);
/* Every version, newest first: [{version, weights, late_credit, notice_late_credit, note,
 * created_by, created_at, used_by_years}]; NULL on a storage error. */
json_t *ev_store_rubric_history(struct store *db, const char *plan);

/* An evaluator's score (hundredths): inserted, or replacing the evaluator's earlier one. */
enum err ev_store_score_put(struct store *db, const char *plan, int year, long long unit_id,
                            long long user_id, const char *user_name, long long score,
                            const char *comment, long long now, bool *created);
/* The scores of a year; strings valid during the callback; return false to stop. */
struct ev_score_row {
    long long unit_id, evaluator_id, score, updated_at;
    const char *evaluator_name, *comment;
};
typedef bool (*ev_score_fn)(void *ctx, const struct ev_score_row *s);
enum err ev_store_scores_each(struct store *db, const char *plan, int year, ev_score_fn fn,
                              void *ctx);

/* A published year; ERR_NOT_FOUND when the year is not published. */
struct ev_publication {
    long long id;
    int rubric_version;
    struct ev_rubric rubric; /* as it was applied */
    char as_of[11];
    long long published_at;
    char published_by[128];
    long long units;
};
enum err ev_store_publication(struct store *db, const char *plan, int year,
                              struct ev_publication *out);
/* [{year, rubric_version, as_of, published_at, published_by, units}]; NULL on error. */
json_t *ev_store_publications(struct store *db, const char *plan);
/* Records the publication; ERR_CONFLICT when the year is published already. */
enum err ev_store_publish(struct store *db, const char *plan, int year, const struct ev_rubric *r,
                          const char *as_of, long long units, long long user_id,
                          const char *user_name, long long now, long long *id);
/* One frozen scorecard: the card and its drill-down as JSON text. */
enum err ev_store_result_add(struct store *db, long long publication_id, long long unit_id,
                             const char *card, const char *drilldown);
/* The frozen scorecards (only_unit 0: all); drill NULL unless with_drill. */
typedef bool (*ev_result_fn)(void *ctx, long long unit_id, const char *card, const char *drill);
enum err ev_store_results_each(struct store *db, long long publication_id, bool with_drill,
                               long long only_unit, ev_result_fn fn, void *ctx);

/* The sign-off steps of a year (0015_eval_signoff.sql), oldest first; strings valid during the
 * callback. */
struct ev_signoff_row {
    const char *step; /* request, approve, return */
    long long user_id, at;
    const char *user_name, *note;
};
typedef bool (*ev_signoff_fn)(void *ctx, const struct ev_signoff_row *s);
enum err ev_store_signoff_each(struct store *db, const char *plan, int year, ev_signoff_fn fn,
                               void *ctx);
enum err ev_store_signoff_add(struct store *db, const char *plan, int year, const char *step,
                              long long user_id, const char *user_name, const char *note,
                              long long now);

#endif
