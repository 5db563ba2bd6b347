/* store_survey.c - all of survey's SQL (survey_store.h), over its own tables (0022_survey.sql):
 * prepared statements with `?`, portable to SQLite and PostgreSQL. A quota cell's place is taken
 * by one UPDATE guarded by "filled < target", so concurrent submissions cannot overfill it; a
 * draft is saved by an upsert that never touches a submitted response. */
#include "survey/survey_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CP(dst, q, col)                                                                            \
    snprintf((dst), sizeof(dst), "%s", store_text((q), (col)) ? store_text((q), (col)) : "")

static enum err done(struct store *db, struct store_stmt *q)
{
    store_done(q);
    return store_err(db);
}

static char *dup_text(struct store_stmt *q, int col)
{
    const char *t = store_text(q, col);
    return strdup(t ? t : "{}");
}

enum err survey_store_qn_insert(struct store *db, const char *code, const char *title,
                                const char *def, long long by, long long now, long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO survey_questionnaires (code, title, definition, "
                                   "status, drafted_by, created_at) VALUES (?, ?, ?, 'draft', ?, "
                                   "?) RETURNING id",
                                   "tttii", code, title, def, by, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

#define QN_COLS                                                                                    \
    "id, code, title, status, COALESCE(drafted_by, 0), created_at, COALESCE(published_by, 0), "    \
    "COALESCE(published_at, 0), COALESCE(closed_at, 0), definition"

static void read_qn(struct store_stmt *q, struct survey_qn *n)
{
    memset(n, 0, sizeof *n);
    n->id = store_int(q, 0);
    CP(n->code, q, 1);
    CP(n->title, q, 2);
    CP(n->status, q, 3);
    n->drafted_by = store_int(q, 4);
    n->created_at = store_int(q, 5);
    n->published_by = store_int(q, 6);
    n->published_at = store_int(q, 7);
    n->closed_at = store_int(q, 8);
}

enum err survey_store_qn_get(struct store *db, long long id, struct survey_qn *n, char **def,
                             bool *found)
{
    struct store_stmt *q =
        store_q(db, "SELECT " QN_COLS " FROM survey_questionnaires WHERE id = ?", "i", id);
    *found = store_row(q);
    if (*found) {
        read_qn(q, n);
        if (def) *def = dup_text(q, 9);
    }
    return done(db, q);
}

enum err survey_store_qns_each(struct store *db, survey_qn_fn fn, void *ctx)
{
    struct store_stmt *q =
        store_q(db, "SELECT " QN_COLS " FROM survey_questionnaires ORDER BY id DESC", "");
    struct survey_qn n;
    while (store_row(q)) {
        read_qn(q, &n);
        if (!fn(ctx, &n)) break;
    }
    return done(db, q);
}

enum err survey_store_qn_set(struct store *db, long long id, const char *from, const char *to,
                             long long by, long long now)
{
    if (!strcmp(to, "published"))
        return store_do(db,
                        "UPDATE survey_questionnaires SET status = ?, published_by = ?, "
                        "published_at = ? WHERE id = ? AND status = ?",
                        "tiiit", to, by, now, id, from);
    return store_do(db,
                    "UPDATE survey_questionnaires SET status = ?, closed_at = ? WHERE id = ? AND "
                    "status = ?",
                    "tiit", to, now, id, from);
}

enum err survey_store_wave_insert(struct store *db, const struct survey_wave *w, long long now,
                                  long long *id)
{
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO survey_waves (questionnaire_id, title, starts, "
                                   "ends, target, min_seconds, quota_vars, status, created_by, "
                                   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) "
                                   "RETURNING id",
                                   "itttiitii", w->questionnaire_id, w->title, w->starts, w->ends,
                                   w->target, w->min_seconds, w->quota_vars, w->created_by, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

enum err survey_store_cell_insert(struct store *db, long long wave, const struct survey_cell *c)
{
    return store_do(db,
                    "INSERT INTO survey_quota_cells (wave_id, cell, target, filled) VALUES (?, ?, "
                    "?, 0)",
                    "iti", wave, c->cell, c->target);
}

#define WAVE_COLS                                                                                  \
    "w.id, questionnaire_id, title, starts, ends, target, min_seconds, quota_vars, status, "       \
    "created_by, created_at, COALESCE(closed_by, 0), COALESCE(closed_at, 0), (SELECT COUNT(*) "    \
    "FROM survey_responses r WHERE r.wave_id = w.id AND r.status = 'submitted'), (SELECT "         \
    "COUNT(*) FROM survey_responses r WHERE r.wave_id = w.id AND r.status = 'draft')"

static void read_wave(struct store_stmt *q, struct survey_wave *w)
{
    memset(w, 0, sizeof *w);
    w->id = store_int(q, 0);
    w->questionnaire_id = store_int(q, 1);
    CP(w->title, q, 2);
    CP(w->starts, q, 3);
    CP(w->ends, q, 4);
    w->target = store_int(q, 5);
    w->min_seconds = store_int(q, 6);
    CP(w->quota_vars, q, 7);
    CP(w->status, q, 8);
    w->created_by = store_int(q, 9);
    w->created_at = store_int(q, 10);
    w->closed_by = store_int(q, 11);
    w->closed_at = store_int(q, 12);
    w->submitted = store_int(q, 13);
    w->drafts = store_int(q, 14);
}

enum err survey_store_wave_get(struct store *db, long long id, struct survey_wave *w, bool *found)
{
    struct store_stmt *q =
        store_q(db, "SELECT " WAVE_COLS " FROM survey_waves w WHERE w.id = ?", "i", id);
    *found = store_row(q);
    if (*found) read_wave(q, w);
    return done(db, q);
}

enum err survey_store_waves_each(struct store *db, survey_wave_fn fn, void *ctx)
{
    struct store_stmt *q =
        store_q(db, "SELECT " WAVE_COLS " FROM survey_waves w ORDER BY w.id DESC", "");
    struct survey_wave w;
    while (store_row(q)) {
        read_wave(q, &w);
        if (!fn(ctx, &w)) break;
    }
    return done(db, q);
}

enum err survey_store_cells_each(struct store *db, long long wave, survey_cell_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT cell, target, filled FROM survey_quota_cells WHERE "
                                   "wave_id = ? ORDER BY cell",
                                   "i", wave);
    struct survey_cell c;
    while (store_row(q)) {
        memset(&c, 0, sizeof c);
        CP(c.cell, q, 0);
        c.target = store_int(q, 1);
        c.filled = store_int(q, 2);
        if (!fn(ctx, &c)) break;
    }
    return done(db, q);
}

enum err survey_store_cell_count(struct store *db, long long wave, long long *n)
{
    struct store_stmt *q =
        store_q(db, "SELECT COUNT(*) FROM survey_quota_cells WHERE wave_id = ?", "i", wave);
    *n = store_row(q) ? store_int(q, 0) : 0;
    return done(db, q);
}

enum err survey_store_cell_take(struct store *db, long long wave, const char *cell, bool *ok,
                                bool *known)
{
    enum err e = store_do(db,
                          "UPDATE survey_quota_cells SET filled = filled + 1 WHERE wave_id = ? "
                          "AND cell = ? AND filled < target",
                          "it", wave, cell);
    if (e != OK) return e;
    *ok = store_changes(db) == 1;
    *known = *ok;
    if (*ok) return OK;
    struct store_stmt *q = store_q(
        db, "SELECT 1 FROM survey_quota_cells WHERE wave_id = ? AND cell = ?", "it", wave, cell);
    *known = store_row(q);
    return done(db, q);
}

enum err survey_store_cell_state(struct store *db, long long wave, const char *cell, bool *known,
                                 bool *full)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT filled, target FROM survey_quota_cells WHERE wave_id = ? "
                "AND cell = ?",
                "it", wave, cell);
    *known = store_row(q);
    *full = *known && store_int(q, 0) >= store_int(q, 1);
    return done(db, q);
}

enum err survey_store_wave_close(struct store *db, long long id, long long by, long long now)
{
    return store_do(db,
                    "UPDATE survey_waves SET status = 'closed', closed_by = ?, closed_at = ? WHERE "
                    "id = ? AND status = 'open'",
                    "iii", by, now, id);
}

enum err survey_store_response_get(struct store *db, long long wave, const char *respondent,
                                   struct survey_response *r, bool *found)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT id, wave_id, COALESCE(citizen_id, 0), status, answers, "
                                   "COALESCE(cell, ''), flags, started_at, updated_at, "
                                   "COALESCE(submitted_at, 0) FROM survey_responses WHERE wave_id "
                                   "= ? AND respondent = ?",
                                   "it", wave, respondent);
    *found = store_row(q);
    if (*found) {
        memset(r, 0, sizeof *r);
        r->id = store_int(q, 0);
        r->wave_id = store_int(q, 1);
        r->citizen_id = store_int(q, 2);
        CP(r->status, q, 3);
        r->answers = dup_text(q, 4);
        CP(r->cell, q, 5);
        CP(r->flags, q, 6);
        r->started_at = store_int(q, 7);
        r->updated_at = store_int(q, 8);
        r->submitted_at = store_int(q, 9);
    }
    return done(db, q);
}

enum err survey_store_response_save(struct store *db, long long wave, const char *respondent,
                                    long long citizen, const char *answers, long long now)
{
    return store_do(db,
                    "INSERT INTO survey_responses (wave_id, respondent, citizen_id, status, "
                    "answers, flags, started_at, updated_at) VALUES (?, ?, ?, 'draft', ?, '', ?, "
                    "?) ON CONFLICT (wave_id, respondent) DO UPDATE SET answers = "
                    "excluded.answers, updated_at = excluded.updated_at WHERE "
                    "survey_responses.status = 'draft'",
                    "itItii", wave, respondent, citizen, answers, now, now);
}

enum err survey_store_response_submit(struct store *db, long long wave, const char *respondent,
                                      const char *answers, const char *cell, const char *flags,
                                      long long now)
{
    return store_do(db,
                    "UPDATE survey_responses SET status = 'submitted', answers = ?, cell = ?, "
                    "flags = ?, updated_at = ?, submitted_at = ? WHERE wave_id = ? AND respondent "
                    "= ? AND status = 'draft'",
                    "tttiiit", answers, cell, flags, now, now, wave, respondent);
}

enum err survey_store_margin_meta(struct store *db, struct survey_margin_meta *m)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT total, source, approximate, COALESCE(updated_by, 0), "
                                   "updated_at FROM survey_margin_meta WHERE id = 1",
                                   "");
    memset(m, 0, sizeof *m);
    if (store_row(q)) {
        m->total = store_int(q, 0);
        CP(m->source, q, 1);
        m->approximate = store_int(q, 2);
        m->updated_by = store_int(q, 3);
        m->updated_at = store_int(q, 4);
    }
    return done(db, q);
}

enum err survey_store_margins_each(struct store *db, survey_margin_fn fn, void *ctx)
{
    struct store_stmt *q =
        store_q(db, "SELECT var, value, population FROM survey_margins ORDER BY var, value", "");
    struct survey_margin m;
    while (store_row(q)) {
        memset(&m, 0, sizeof m);
        CP(m.var, q, 0);
        m.value = store_int(q, 1);
        m.population = store_int(q, 2);
        if (!fn(ctx, &m)) break;
    }
    return done(db, q);
}

enum err survey_store_margins_replace(struct store *db, const struct survey_margin_meta *meta,
                                      const struct survey_margin *m, size_t n, long long by,
                                      long long now)
{
    enum err e = store_do(db,
                          "UPDATE survey_margin_meta SET total = ?, source = ?, approximate = ?, "
                          "updated_by = ?, updated_at = ? WHERE id = 1",
                          "itiii", meta->total, meta->source, meta->approximate, by, now);
    if (e == OK) e = store_do(db, "DELETE FROM survey_margins", "");
    for (size_t i = 0; e == OK && i < n; i++)
        e = store_do(db, "INSERT INTO survey_margins (var, value, population) VALUES (?, ?, ?)",
                     "tii", m[i].var, m[i].value, m[i].population);
    return e;
}

enum err survey_store_submitted_each(struct store *db, long long wave, survey_answers_fn fn,
                                     void *ctx)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT answers, flags FROM survey_responses WHERE wave_id = ? "
                                   "AND status = 'submitted' ORDER BY id",
                                   "i", wave);
    while (store_row(q))
        if (!fn(ctx, store_text(q, 0), store_text(q, 1))) break;
    return done(db, q);
}
