/* survey.h - public eco-behaviour surveys (issue 16, DOMAIN.md §8, task 38): questionnaires as
 * data, waves with quota cells, and collection by registered citizens.
 *
 * - A questionnaire version (draft → published → closed) holds its definition as a JSON
 *   document: sections of questions, each with a stable code, a type (single, multiple, likert
 *   1-5, matrix of likert items, number, text, district), show conditions on earlier questions
 *   and validation. survey_def_check() refuses a logic loop or a reference to a later question
 *   (422 naming the question). The drafter never publishes (four eyes, PERM_SURVEY_ADMIN).
 * - A wave of a published questionnaire has a period, a target and quota cells over some
 *   question codes (district × age band × sex); a full cell refuses the response plainly.
 * - A response is keyed (wave, respondent): one per citizen account per wave. It is saved as a
 *   draft (save-and-resume) and submitted once; flags (too_fast, attention) are recorded on it,
 *   a flagged response is kept, never dropped.
 *
 *   struct problem p;
 *   if (!survey_def_check(def, &p)) return p.err; // 422, p.field names the question
 */
#ifndef ECOACT_SURVEY_H
#define ECOACT_SURVEY_H
#include <jansson.h>
#include <stdbool.h>
#include "base/err.h"
#include "store/store.h"

#define SURVEY_DEF_MAX_QUESTIONS 200
#define SURVEY_QUOTA_VARS_MAX 4
#define SURVEY_CELLS_MAX 2000

struct survey_qn {
    long long id, drafted_by, created_at, published_by, published_at, closed_at;
    char code[32], title[128], status[12];
};

struct survey_wave {
    long long id, questionnaire_id, target, min_seconds, created_by, created_at, closed_by,
        closed_at, submitted, drafts;
    char title[128], starts[11], ends[11], status[12], quota_vars[160];
};

struct survey_cell {
    char cell[160];
    long long target, filled;
};

struct survey_response {
    long long id, wave_id, citizen_id, started_at, updated_at, submitted_at;
    char status[12], flags[64], cell[160];
    char *answers; /* JSON text, malloc'd; free() it */
};

/* Rules (survey_rules.c, pure). */
/* Checks a questionnaire definition; false with p filled (422 naming the question). */
bool survey_def_check(json_t *def, struct problem *p);
/* Checks answers against def: types, ranges, skip logic; with final, required visible
 * questions answered. flags (≥ 64 bytes) gets "attention" when an attention check fails. */
bool survey_answers_check(json_t *def, json_t *answers, bool final, char *flags, size_t flen,
                          struct problem *p);
/* The quota cell of answers over vars ("D_DISTRICT,D_AGE,D_SEX"): "3|2|1"; false when one of the
 * vars is unanswered. */
bool survey_cell_key(const char *vars, json_t *answers, char *out, size_t n);
const char *survey_status_label(const char *status);

/* Services (survey.c), in the caller's transaction. */
enum err survey_qn_draft(struct store *db, const char *code, const char *title, json_t *def,
                         long long by, long long now, long long *id, struct problem *p);
enum err survey_qn_publish(struct store *db, long long id, long long by, long long now,
                           struct problem *p);
enum err survey_qn_close(struct store *db, long long id, long long now, struct problem *p);
/* *def (owned by the caller, json_decref) may be NULL when not wanted. */
enum err survey_qn_get(struct store *db, long long id, struct survey_qn *q, json_t **def);
typedef bool (*survey_qn_fn)(void *ctx, const struct survey_qn *q);
enum err survey_qns_each(struct store *db, survey_qn_fn fn, void *ctx);

enum err survey_wave_create(struct store *db, const struct survey_wave *w,
                            const struct survey_cell *cells, size_t ncells, long long now,
                            long long *id, struct problem *p);
enum err survey_wave_get(struct store *db, long long id, struct survey_wave *w);
typedef bool (*survey_wave_fn)(void *ctx, const struct survey_wave *w);
enum err survey_waves_each(struct store *db, survey_wave_fn fn, void *ctx);
typedef bool (*survey_cell_fn)(void *ctx, const struct survey_cell *c);
enum err survey_cells_each(struct store *db, long long wave, survey_cell_fn fn, void *ctx);
enum err survey_wave_close(struct store *db, long long id, long long by, long long now,
                           struct problem *p);

/* A citizen's response: saved (final false) or submitted (final true). */
enum err survey_respond(struct store *db, long long wave, long long citizen, json_t *answers,
                        bool final, long long now, struct survey_response *out, struct problem *p);
/* *found false when the citizen has none; out->answers malloc'd. */
enum err survey_response_get(struct store *db, long long wave, long long citizen,
                             struct survey_response *out, bool *found);

/* Population margins (0023): the total each variable sums to, the source, whether approximate. */
struct survey_margin_meta {
    long long total, approximate, updated_by, updated_at;
    char source[600];
};
struct survey_margin {
    char var[32];
    long long value, population;
};
typedef bool (*survey_margin_fn)(void *ctx, const struct survey_margin *m);
enum err survey_margins_get(struct store *db, struct survey_margin_meta *meta, survey_margin_fn fn,
                            void *ctx);
/* Replaces the margins: each variable's populations must sum to meta->total (422 naming
 * vars.VAR). */
enum err survey_margins_set(struct store *db, const struct survey_margin_meta *meta,
                            const struct survey_margin *m, size_t n, long long by, long long now,
                            struct problem *p);

#include "survey/survey_rake.h"
#define SURVEY_ARTICLES 10
struct survey_article_est {
    int article;
    char code_imp[32], code_pra[32], name2018[64], name2023[64];
    struct rake_share imp, pra, gap;       /* weighted (valid when the weights are final) */
    struct rake_share imp_u, pra_u, gap_u; /* unweighted */
};
struct survey_analysis {
    long long n, flagged;
    char vars[160];
    struct rake_result rk;
    bool final; /* raking converged: the weighted figures may be shown */
    double tol, trim, deff, neff;
    int maxit;
    size_t trimmed;
    int narticles;
    struct survey_article_est art[SURVEY_ARTICLES];
    char why[256];
    struct survey_margin_meta margins;
};
/* Weights the wave's submitted responses by raking to the margins of vars (comma-separated
 * question codes; "" the wave's quota vars), trims at trim × the mean weight (0: none) and
 * estimates, per article, the share rating it important (4-5), the share practising it often
 * (4-5) and the gap, weighted beside unweighted. */
enum err survey_analyse(struct store *db, long long wave, const char *vars, double tol, int maxit,
                        double trim, struct survey_analysis *out, struct problem *p);

#endif
