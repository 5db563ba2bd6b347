/* store_evaluate.c - the SQL of the annual evaluation (tables of 0006_evaluate.sql): rubric
 * versions, evaluators' scores, published years and their frozen scorecards, and the sign-off
 * steps of a year (0015_eval_signoff.sql). Portable SQL with
 * `?` placeholders; every write runs inside the caller's transaction. */
#include "evaluate/evaluate_store.h"
#include <stdio.h>
#include <string.h>

#define RUBRIC_COLS                                                                                \
    "version, w_compliance, w_timeliness, w_evaluator, late_credit, notice_late_credit"

static void read_rubric(struct store_stmt *q, int col, struct ev_rubric *r)
{
    r->version = (int)store_int(q, col);
    r->weight[EV_COMPLIANCE] = (int)store_int(q, col + 1);
    r->weight[EV_TIMELINESS] = (int)store_int(q, col + 2);
    r->weight[EV_EVALUATOR] = (int)store_int(q, col + 3);
    r->late_credit = (int)store_int(q, col + 4);
    r->notice_late_credit = (int)store_int(q, col + 5);
}

enum err ev_store_rubric(struct store *db, const char *plan, struct ev_rubric *out, char *note,
                         size_t notelen)
{
    ev_rubric_default(out);
    if (note && notelen) note[0] = '\0';
    struct store_stmt *q =
        store_q(db,
                "SELECT " RUBRIC_COLS ", note FROM eval_rubrics WHERE plan_code = ?"
                " ORDER BY version DESC LIMIT 1",
                "t", plan);
    if (store_row(q)) {
        read_rubric(q, 0, out);
        if (note && notelen)
            snprintf(note, notelen, "%s", store_text(q, 6) ? store_text(q, 6) : "");
    }
    store_done(q);
    return store_err(db);
}

enum err ev_store_rubric_version(struct store *db, const char *plan, int version,
                                 struct ev_rubric *out)
{
    struct store_stmt *q =
        store_q(db, "SELECT " RUBRIC_COLS " FROM eval_rubrics WHERE plan_code = ? AND version = ?",
                "ti", plan, (long long)version);
    bool found = store_row(q);
    if (found) read_rubric(q, 0, out);
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

enum err ev_store_rubric_add(struct store *db, const char *plan, struct ev_rubric *r,
                             const char *note, long long user_id, const char *user_name,
                             long long now)
{
    struct store_stmt *q = store_q(
        db, "SELECT COALESCE(MAX(version), 0) FROM eval_rubrics WHERE plan_code = ?", "t", plan);
    long long v = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    r->version = (int)(v + 1);
    return store_do(db,
                    "INSERT INTO eval_rubrics(plan_code, version, w_compliance, w_timeliness,"
                    " w_evaluator, late_credit, notice_late_credit, note, created_by,"
                    " created_by_name, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    "tiiiiiitIti", plan, (long long)r->version, (long long)r->weight[EV_COMPLIANCE],
                    (long long)r->weight[EV_TIMELINESS], (long long)r->weight[EV_EVALUATOR],
                    (long long)r->late_credit, (long long)r->notice_late_credit, note ? note : "",
                    user_id, user_name ? user_name : "", now);
}

json_t *ev_store_rubric_history(struct store *db, const char *plan)
{
    json_t *a = json_array();
    struct store_stmt *q = store_q(db,
                                   "SELECT " RUBRIC_COLS ", note, created_by_name, created_at"
                                   " FROM eval_rubrics WHERE plan_code = ? ORDER BY version DESC",
                                   "t", plan);
    while (store_row(q)) {
        struct ev_rubric r;
        read_rubric(q, 0, &r);
        json_array_append_new(
            a, json_pack("{s:i,s:{s:i,s:i,s:i},s:i,s:i,s:s,s:s,s:I,s:[]}", "version", r.version,
                         "weights", "compliance", r.weight[EV_COMPLIANCE], "timeliness",
                         r.weight[EV_TIMELINESS], "evaluator", r.weight[EV_EVALUATOR],
                         "late_credit", r.late_credit, "notice_late_credit", r.notice_late_credit,
                         "note", store_text(q, 6) ? store_text(q, 6) : "", "created_by",
                         store_text(q, 7) ? store_text(q, 7) : "", "created_at",
                         (json_int_t)store_int(q, 8), "used_by_years"));
    }
    store_done(q);
    /* which published years were scored with each version */
    q = store_q(db,
                "SELECT rubric_version, year FROM eval_publications WHERE plan_code = ?"
                " ORDER BY year",
                "t", plan);
    while (store_row(q)) {
        size_t i;
        json_t *o;
        json_array_foreach(a, i, o)
        {
            if (json_integer_value(json_object_get(o, "version")) == store_int(q, 0))
                json_array_append_new(json_object_get(o, "used_by_years"),
                                      json_integer(store_int(q, 1)));
        }
    }
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* ---- scores ---- */

enum err ev_store_score_put(struct store *db, const char *plan, int year, long long unit_id,
                            long long user_id, const char *user_name, long long score,
                            const char *comment, long long now, bool *created)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT id FROM eval_scores WHERE plan_code = ? AND year = ?"
                                   " AND unit_id = ? AND evaluator_id = ?",
                                   "tiii", plan, (long long)year, unit_id, user_id);
    long long id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    *created = id == 0;
    if (id)
        return store_do(db,
                        "UPDATE eval_scores SET score = ?, comment = ?, evaluator_name = ?,"
                        " updated_at = ? WHERE id = ?",
                        "ittii", score, comment, user_name ? user_name : "", now, id);
    return store_do(db,
                    "INSERT INTO eval_scores(plan_code, year, unit_id, evaluator_id,"
                    " evaluator_name, score, comment, created_at, updated_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?)",
                    "tiiititii", plan, (long long)year, unit_id, user_id,
                    user_name ? user_name : "", score, comment, now, now);
}

enum err ev_store_scores_each(struct store *db, const char *plan, int year, ev_score_fn fn,
                              void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT unit_id, evaluator_id, evaluator_name, score, comment,"
                                   " updated_at FROM eval_scores WHERE plan_code = ? AND year = ?"
                                   " ORDER BY unit_id, evaluator_id",
                                   "ti", plan, (long long)year);
    while (store_row(q)) {
        struct ev_score_row s = {.unit_id = store_int(q, 0),
                                 .evaluator_id = store_int(q, 1),
                                 .evaluator_name = store_text(q, 2),
                                 .score = store_int(q, 3),
                                 .comment = store_text(q, 4),
                                 .updated_at = store_int(q, 5)};
        if (!fn(ctx, &s)) break;
    }
    store_done(q);
    return store_err(db);
}

/* ---- publications ---- */

enum err ev_store_publication(struct store *db, const char *plan, int year,
                              struct ev_publication *out)
{
    memset(out, 0, sizeof *out);
    struct store_stmt *q = store_q(db,
                                   "SELECT id, rubric_version, as_of, published_at,"
                                   " published_by_name, units, w_compliance, w_timeliness,"
                                   " w_evaluator, late_credit, notice_late_credit"
                                   " FROM eval_publications WHERE plan_code = ? AND year = ?",
                                   "ti", plan, (long long)year);
    bool found = store_row(q);
    if (found) {
        out->id = store_int(q, 0);
        out->rubric_version = (int)store_int(q, 1);
        snprintf(out->as_of, sizeof out->as_of, "%s", store_text(q, 2) ? store_text(q, 2) : "");
        out->published_at = store_int(q, 3);
        snprintf(out->published_by, sizeof out->published_by, "%s",
                 store_text(q, 4) ? store_text(q, 4) : "");
        out->units = store_int(q, 5);
        out->rubric.version = out->rubric_version;
        out->rubric.weight[EV_COMPLIANCE] = (int)store_int(q, 6);
        out->rubric.weight[EV_TIMELINESS] = (int)store_int(q, 7);
        out->rubric.weight[EV_EVALUATOR] = (int)store_int(q, 8);
        out->rubric.late_credit = (int)store_int(q, 9);
        out->rubric.notice_late_credit = (int)store_int(q, 10);
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

json_t *ev_store_publications(struct store *db, const char *plan)
{
    json_t *a = json_array();
    struct store_stmt *q = store_q(db,
                                   "SELECT year, rubric_version, as_of, published_at,"
                                   " published_by_name, units FROM eval_publications"
                                   " WHERE plan_code = ? ORDER BY year",
                                   "t", plan);
    while (store_row(q))
        json_array_append_new(a, json_pack("{s:I,s:I,s:s,s:I,s:s,s:I}", "year",
                                           (json_int_t)store_int(q, 0), "rubric_version",
                                           (json_int_t)store_int(q, 1), "as_of",
                                           store_text(q, 2) ? store_text(q, 2) : "", "published_at",
                                           (json_int_t)store_int(q, 3), "published_by",
                                           store_text(q, 4) ? store_text(q, 4) : "", "units",
                                           (json_int_t)store_int(q, 5)));
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

enum err ev_store_publish(struct store *db, const char *plan, int year, const struct ev_rubric *r,
                          const char *as_of, long long units, long long user_id,
                          const char *user_name, long long now, long long *id)
{
    *id = 0;
    /* the unique (plan_code, year) makes a concurrent twin wait, then fail: a conflict */
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO eval_publications(plan_code, year, rubric_version, w_compliance,"
        " w_timeliness, w_evaluator, late_credit, notice_late_credit, as_of, units,"
        " published_at, published_by, published_by_name) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT (plan_code, year) DO NOTHING RETURNING id",
        "tiiiiiiitiiIt", plan, (long long)year, (long long)r->version,
        (long long)r->weight[EV_COMPLIANCE], (long long)r->weight[EV_TIMELINESS],
        (long long)r->weight[EV_EVALUATOR], (long long)r->late_credit,
        (long long)r->notice_late_credit, as_of, units, now, user_id, user_name ? user_name : "");
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    return *id ? OK : ERR_CONFLICT;
}

enum err ev_store_result_add(struct store *db, long long publication_id, long long unit_id,
                             const char *card, const char *drilldown)
{
    return store_do(db,
                    "INSERT INTO eval_results(publication_id, unit_id, card, drilldown)"
                    " VALUES (?,?,?,?)",
                    "iitt", publication_id, unit_id, card, drilldown ? drilldown : "{}");
}

enum err ev_store_results_each(struct store *db, long long publication_id, bool with_drill,
                               long long only_unit, ev_result_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(
        db,
        with_drill ? "SELECT unit_id, card, drilldown FROM eval_results WHERE publication_id = ?"
                     " AND (CAST(? AS BIGINT) = 0 OR unit_id = ?) ORDER BY unit_id"
                   : "SELECT unit_id, card, '' FROM eval_results WHERE publication_id = ?"
                     " AND (CAST(? AS BIGINT) = 0 OR unit_id = ?) ORDER BY unit_id",
        "iii", publication_id, only_unit, only_unit);
    while (store_row(q))
        if (!fn(ctx, store_int(q, 0), store_text(q, 1), with_drill ? store_text(q, 2) : NULL))
            break;
    store_done(q);
    return store_err(db);
}

/* ---- sign-off (0015_eval_signoff.sql) ---- */

enum err ev_store_signoff_each(struct store *db, const char *plan, int year, ev_signoff_fn fn,
                               void *ctx)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT step, user_id, user_name, note, at FROM eval_signoff_steps"
                " WHERE plan_code = ? AND year = ? ORDER BY id",
                "ti", plan, (long long)year);
    while (store_row(q)) {
        struct ev_signoff_row s = {.step = store_text(q, 0),
                                   .user_id = store_int(q, 1),
                                   .user_name = store_text(q, 2),
                                   .note = store_text(q, 3),
                                   .at = store_int(q, 4)};
        if (!fn(ctx, &s)) break;
    }
    store_done(q);
    return store_err(db);
}

enum err ev_store_signoff_add(struct store *db, const char *plan, int year, const char *step,
                              long long user_id, const char *user_name, const char *note,
                              long long now)
{
    return store_do(
        db,
        "INSERT INTO eval_signoff_steps(plan_code, year, step, user_id, user_name, note,"
        " at) VALUES (?,?,?,?,?,?,?)",
        "titItti", plan, (long long)year, step, user_id, user_name ? user_name : "",
        note ? note : "", now);
}
