/* survey_store.h - the private storage interface of survey (store_survey.c): all of its SQL,
 * over its own tables (0022_survey.sql). */
#ifndef ECOACT_SURVEY_STORE_H
#define ECOACT_SURVEY_STORE_H
#include "survey/survey.h"

enum err survey_store_qn_insert(struct store *db, const char *code, const char *title,
                                const char *def, long long by, long long now, long long *id);
/* *def malloc'd (NULL when not wanted). */
enum err survey_store_qn_get(struct store *db, long long id, struct survey_qn *q, char **def,
                             bool *found);
enum err survey_store_qns_each(struct store *db, survey_qn_fn fn, void *ctx);
/* Moves status from → to; store_changes() tells whether it did. */
enum err survey_store_qn_set(struct store *db, long long id, const char *from, const char *to,
                             long long by, long long now);

enum err survey_store_wave_insert(struct store *db, const struct survey_wave *w, long long now,
                                  long long *id);
enum err survey_store_cell_insert(struct store *db, long long wave, const struct survey_cell *c);
enum err survey_store_wave_get(struct store *db, long long id, struct survey_wave *w, bool *found);
enum err survey_store_waves_each(struct store *db, survey_wave_fn fn, void *ctx);
enum err survey_store_cells_each(struct store *db, long long wave, survey_cell_fn fn, void *ctx);
enum err survey_store_cell_count(struct store *db, long long wave, long long *n);
/* Takes a place in the cell: *ok false when it is full or unknown (*known tells which). */
enum err survey_store_cell_take(struct store *db, long long wave, const char *cell, bool *ok,
                                bool *known);
enum err survey_store_cell_state(struct store *db, long long wave, const char *cell, bool *known,
                                 bool *full);
enum err survey_store_wave_close(struct store *db, long long id, long long by, long long now);

enum err survey_store_response_get(struct store *db, long long wave, const char *respondent,
                                   struct survey_response *r, bool *found);
/* Inserts a draft, or updates the draft (never a submitted response): store_changes() 0 when
 * the respondent's response is already submitted. */
enum err survey_store_response_save(struct store *db, long long wave, const char *respondent,
                                    long long citizen, const char *answers, long long now);
enum err survey_store_response_submit(struct store *db, long long wave, const char *respondent,
                                      const char *answers, const char *cell, const char *flags,
                                      long long now);

enum err survey_store_margin_meta(struct store *db, struct survey_margin_meta *m);
enum err survey_store_margins_each(struct store *db, survey_margin_fn fn, void *ctx);
enum err survey_store_margins_replace(struct store *db, const struct survey_margin_meta *meta,
                                      const struct survey_margin *m, size_t n, long long by,
                                      long long now);
/* The submitted responses of a wave: answers (JSON text) and flags. */
typedef bool (*survey_answers_fn)(void *ctx, const char *answers, const char *flags);
enum err survey_store_submitted_each(struct store *db, long long wave, survey_answers_fn fn,
                                     void *ctx);

#endif
