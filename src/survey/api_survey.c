/* api_survey.c - routes of surveys: questionnaire versions (office: survey_admin; the drafter
 * never publishes), waves with quota cells (survey_admin), and a registered citizen's response
 * (PERM_CITIZEN: only the caller's own, saved and resumed, then submitted once). Parse, call
 * survey.h, render. */
#include "http/route.h"
#include "http/server.h"
#include "base/jv.h"
#include "survey/survey.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *qn_json(struct req *r, const struct survey_qn *q)
{
    json_t *actions = json_array();
    if (!strcmp(q->status, "draft") && q->drafted_by != r->who->user_id)
        json_array_append_new(actions, json_string("publish"));
    if (!strcmp(q->status, "published")) json_array_append_new(actions, json_string("close"));
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:o}", "id", q->id, "code", q->code,
                     "title", q->title, "status", q->status, "status_label",
                     survey_status_label(q->status), "drafted_by", q->drafted_by, "created_at",
                     q->created_at, "published_by", q->published_by, "published_at",
                     q->published_at, "closed_at", q->closed_at, "actions", actions);
}

struct lctx {
    struct req *r;
    json_t *items;
};

static bool add_qn(void *ctx, const struct survey_qn *q)
{
    struct lctx *c = ctx;
    json_array_append_new(c->items, qn_json(c->r, q));
    return true;
}

static enum err qns(struct req *r)
{
    struct lctx c = {r, json_array()};
    enum err e = survey_qns_each(r->db, add_qn, &c);
    if (e != OK) {
        json_decref(c.items);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, json_pack("{s:o,s:n}", "items", c.items, "next_cursor"));
}

static enum err qn_reply(struct req *r, long long id, int status)
{
    struct survey_qn q;
    json_t *def;
    enum err e = survey_qn_get(r->db, id, &q, &def);
    if (e == ERR_NOT_FOUND) return req_fail(r, e, "id", "问卷不存在");
    if (e != OK) return req_fail_err(r, e);
    json_t *o = qn_json(r, &q);
    json_object_set_new(o, "definition", def);
    return reply_json(r, status, o);
}

static enum err qn_get(struct req *r)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    return qn_reply(r, id, 200);
}

static enum err qn_draft(struct req *r)
{
    static const char *const allowed[] = {"code", "title", "definition", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *code = jv_str(&v, "code", true, 31);
    const char *title = jv_str(&v, "title", true, 120);
    json_t *def = json_object_get(r->json, "definition");
    if (jv_ok(&v) && !json_is_object(def))
        jv_fail(&v, ERR_BAD_REQUEST, "definition", "definition 应为对象 {sections:[…]}");
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    long long id = 0;
    enum err e = survey_qn_draft(r->db, code, title, def, r->who->user_id, r->now, &id, &p);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "survey_questionnaire:%lld", id);
    return qn_reply(r, id, 201);
}

static enum err qn_step(struct req *r, bool publish)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    r->audit_object = arena_printf(r->a, "survey_questionnaire:%lld", id);
    struct problem p = {0};
    e = publish ? survey_qn_publish(r->db, id, r->who->user_id, r->now, &p)
                : survey_qn_close(r->db, id, r->now, &p);
    if (e != OK) return req_fail_problem(r, &p);
    return qn_reply(r, id, 200);
}

static enum err qn_publish(struct req *r)
{
    return qn_step(r, true);
}

static enum err qn_close(struct req *r)
{
    return qn_step(r, false);
}

static json_t *wave_json(const struct survey_wave *w)
{
    json_t *actions = json_array();
    if (!strcmp(w->status, "open")) json_array_append_new(actions, json_string("close"));
    return json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:o}", "id", w->id,
                     "questionnaire_id", w->questionnaire_id, "title", w->title, "starts",
                     w->starts, "ends", w->ends, "target", w->target, "min_seconds", w->min_seconds,
                     "quota_vars", w->quota_vars, "status", w->status, "status_label",
                     survey_status_label(w->status), "submitted", w->submitted, "drafts", w->drafts,
                     "created_by", w->created_by, "closed_at", w->closed_at, "actions", actions);
}

static bool add_wave(void *ctx, const struct survey_wave *w)
{
    struct lctx *c = ctx;
    json_array_append_new(c->items, wave_json(w));
    return true;
}

static enum err waves(struct req *r)
{
    struct lctx c = {r, json_array()};
    enum err e = survey_waves_each(r->db, add_wave, &c);
    if (e != OK) {
        json_decref(c.items);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, json_pack("{s:o,s:n}", "items", c.items, "next_cursor"));
}

static bool add_cell(void *ctx, const struct survey_cell *cl)
{
    json_array_append_new(ctx,
                          json_pack("{s:s,s:I,s:I,s:b}", "cell", cl->cell, "target", cl->target,
                                    "filled", cl->filled, "full", cl->filled >= cl->target));
    return true;
}

static enum err wave_reply(struct req *r, long long id, int status)
{
    struct survey_wave w;
    enum err e = survey_wave_get(r->db, id, &w);
    if (e == ERR_NOT_FOUND) return req_fail(r, e, "id", "调查轮次不存在");
    if (e != OK) return req_fail_err(r, e);
    json_t *cells = json_array();
    e = survey_cells_each(r->db, id, add_cell, cells);
    json_t *o = wave_json(&w);
    json_object_set_new(o, "cells", cells);
    if (e != OK) {
        json_decref(o);
        return req_fail_err(r, e);
    }
    return reply_json(r, status, o);
}

static enum err wave_get(struct req *r)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    return wave_reply(r, id, 200);
}

static enum err wave_create(struct req *r)
{
    static const char *const allowed[] = {
        "questionnaire_id", "title",      "starts", "ends", "target",
        "min_seconds",      "quota_vars", "cells",  NULL};
    struct jv v = {0};
    struct survey_wave w = {0};
    jv_begin(&v, r->json, allowed);
    w.questionnaire_id = jv_int(&v, "questionnaire_id", true, 1, (1LL << 53), 0);
    const char *title = jv_str(&v, "title", true, 120);
    const char *starts = jv_str(&v, "starts", true, 10);
    const char *ends = jv_str(&v, "ends", true, 10);
    w.target = jv_int(&v, "target", true, 1, 10000000, 0);
    w.min_seconds = jv_int(&v, "min_seconds", false, 0, 86400, 60);
    json_t *vars = jv_str_array(&v, "quota_vars", false, SURVEY_QUOTA_VARS_MAX, 31);
    json_t *cells = json_object_get(r->json, "cells");
    if (jv_ok(&v) && cells && (!json_is_array(cells) || json_array_size(cells) > SURVEY_CELLS_MAX))
        jv_fail(&v, ERR_BAD_REQUEST, "cells", "cells 应为数组（至多 %d 个）", SURVEY_CELLS_MAX);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    snprintf(w.title, sizeof w.title, "%s", title);
    snprintf(w.starts, sizeof w.starts, "%s", starts);
    snprintf(w.ends, sizeof w.ends, "%s", ends);
    size_t i, len = 0;
    json_t *x;
    json_array_foreach(vars, i, x)
    {
        int n = snprintf(w.quota_vars + len, sizeof w.quota_vars - len, "%s%s", i ? "," : "",
                         json_string_value(x));
        if (n > 0) len += (size_t)n;
    }
    size_t nc = json_array_size(cells);
    struct survey_cell *cs = arena_alloc(r->a, (nc ? nc : 1) * sizeof *cs);
    json_array_foreach(cells, i, x)
    {
        static const char *const cell_allowed[] = {"cell", "target", NULL};
        struct jv cv = {0};
        jv_begin(&cv, x, cell_allowed);
        json_t *vals = json_object_get(x, "cell");
        cs[i].target = jv_int(&cv, "target", true, 0, 10000000, 0);
        if (jv_ok(&cv) && (!json_is_array(vals) || json_array_size(vals) == 0 ||
                           json_array_size(vals) > SURVEY_QUOTA_VARS_MAX))
            jv_fail(&cv, ERR_BAD_REQUEST, "cell", "cell 应为配额变量取值的整数数组");
        size_t j, l = 0;
        json_t *y;
        json_array_foreach(vals, j, y)
        {
            if (!json_is_integer(y)) {
                jv_fail(&cv, ERR_BAD_REQUEST, "cell", "cell 应为整数数组");
                break;
            }
            int n = snprintf(cs[i].cell + l, sizeof cs[i].cell - l, "%s%lld", j ? "|" : "",
                             (long long)json_integer_value(y));
            if (n > 0) l += (size_t)n;
        }
        if (!jv_ok(&cv)) {
            cv.field = arena_printf(r->a, "cells[%zu].%s", i, cv.field ? cv.field : "");
            return req_fail_jv(r, &cv);
        }
    }
    w.created_by = r->who->user_id;
    struct problem p = {0};
    long long id = 0;
    enum err e = survey_wave_create(r->db, &w, cs, nc, r->now, &id, &p);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "survey_wave:%lld", id);
    return wave_reply(r, id, 201);
}

static enum err wave_close(struct req *r)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    r->audit_object = arena_printf(r->a, "survey_wave:%lld", id);
    struct problem p = {0};
    e = survey_wave_close(r->db, id, r->who->user_id, r->now, &p);
    if (e != OK) return req_fail_problem(r, &p);
    return wave_reply(r, id, 200);
}

static json_t *response_json(const struct survey_response *s)
{
    json_t *answers = json_loads(s->answers ? s->answers : "{}", 0, NULL);
    json_t *flags = json_array();
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s->flags);
    for (char *save = NULL, *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save))
        json_array_append_new(flags, json_string(f));
    return json_pack("{s:I,s:I,s:s,s:s,s:o,s:o,s:I,s:I,s:I}", "id", s->id, "wave_id", s->wave_id,
                     "status", s->status, "status_label", survey_status_label(s->status), "answers",
                     answers ? answers : json_object(), "flags", flags, "started_at", s->started_at,
                     "updated_at", s->updated_at, "submitted_at", s->submitted_at);
}

/* The form of a wave for its respondent: the wave, the questionnaire and the saved answers. */
static enum err my_form(struct req *r)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    struct survey_wave w;
    struct survey_qn q;
    json_t *def = NULL;
    e = survey_wave_get(r->db, id, &w);
    if (e == ERR_NOT_FOUND) return req_fail(r, e, "id", "调查轮次不存在");
    if (e == OK) e = survey_qn_get(r->db, w.questionnaire_id, &q, &def);
    if (e != OK) return req_fail_err(r, e);
    struct survey_response s;
    bool found = false;
    e = survey_response_get(r->db, id, r->who->citizen_id, &s, &found);
    if (e != OK) {
        json_decref(def);
        return req_fail_err(r, e);
    }
    json_t *resp = found ? response_json(&s) : json_null();
    if (found) free(s.answers);
    json_t *actions = json_array();
    if (!strcmp(w.status, "open") && (!found || !strcmp(s.status, "draft"))) {
        json_array_append_new(actions, json_string("save"));
        json_array_append_new(actions, json_string("submit"));
    }
    return reply_json(r, 200,
                      json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "wave_id", w.id, "title",
                                w.title, "starts", w.starts, "ends", w.ends, "status", w.status,
                                "questionnaire_title", q.title, "definition", def, "response", resp,
                                "actions", actions));
}

static enum err my_answer(struct req *r, bool final)
{
    long long id;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"answers", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    json_t *answers = json_object_get(r->json, "answers");
    if (jv_ok(&v) && !json_is_object(answers))
        jv_fail(&v, ERR_BAD_REQUEST, "answers", "answers 应为对象 {题目编码: 答案}");
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    struct survey_response s;
    e = survey_respond(r->db, id, r->who->citizen_id, answers, final, r->now, &s, &p);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "survey_response:%lld", s.id);
    json_t *o = response_json(&s);
    free(s.answers);
    return reply_json(r, 200, o);
}

static enum err my_save(struct req *r)
{
    return my_answer(r, false);
}

static enum err my_submit(struct req *r)
{
    return my_answer(r, true);
}

/* Open waves a citizen may answer. */
static bool add_open(void *ctx, const struct survey_wave *w)
{
    if (!strcmp(w->status, "open"))
        json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:s}", "id", w->id, "title", w->title,
                                             "starts", w->starts, "ends", w->ends));
    return true;
}

static enum err my_waves(struct req *r)
{
    json_t *items = json_array();
    enum err e = survey_waves_each(r->db, add_open, items);
    if (e != OK) {
        json_decref(items);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next_cursor"));
}

static bool add_margin_json(void *ctx, const struct survey_margin *m)
{
    json_t *vars = ctx, *o = json_object_get(vars, m->var);
    if (!o) json_object_set_new(vars, m->var, o = json_object());
    char k[24];
    snprintf(k, sizeof k, "%lld", m->value);
    json_object_set_new(o, k, json_integer(m->population));
    return true;
}

static json_t *meta_json(const struct survey_margin_meta *m)
{
    return json_pack("{s:I,s:s,s:b,s:s*,s:I,s:I}", "total", m->total, "source", m->source,
                     "approximate", m->approximate != 0, "approximate_note",
                     m->approximate ? "演示用近似数据，不是普查原表" : NULL, "updated_by",
                     m->updated_by, "updated_at", m->updated_at);
}

static enum err margins_reply(struct req *r)
{
    struct survey_margin_meta meta;
    json_t *vars = json_object();
    enum err e = survey_margins_get(r->db, &meta, add_margin_json, vars);
    if (e != OK) {
        json_decref(vars);
        return req_fail_err(r, e);
    }
    json_t *o = meta_json(&meta);
    json_object_set_new(o, "vars", vars);
    return reply_json(r, 200, o);
}

static enum err margins(struct req *r)
{
    return margins_reply(r);
}

static enum err margins_set(struct req *r)
{
    static const char *const allowed[] = {"total", "source", "approximate", "vars", NULL};
    struct jv v = {0};
    struct survey_margin_meta meta = {0};
    jv_begin(&v, r->json, allowed);
    meta.total = jv_int(&v, "total", true, 1, 2000000000LL, 0);
    const char *src = jv_str(&v, "source", true, 590);
    meta.approximate = jv_bool(&v, "approximate", true, false);
    json_t *vars = json_object_get(r->json, "vars");
    if (jv_ok(&v) &&
        (!json_is_object(vars) || json_object_size(vars) == 0 || json_object_size(vars) > 8))
        jv_fail(&v, ERR_BAD_REQUEST, "vars", "vars 应为对象 {题目编码: {取值: 人口}}（至多 8 个）");
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    snprintf(meta.source, sizeof meta.source, "%s", src);
    struct survey_margin *ms = arena_alloc(r->a, 8 * 64 * sizeof *ms);
    size_t n = 0;
    const char *var;
    json_t *cats;
    json_object_foreach(vars, var, cats)
    {
        const char *val;
        json_t *pop;
        char field[48];
        snprintf(field, sizeof field, "vars.%.31s", var);
        if (strlen(var) > 31 || !json_is_object(cats) || json_object_size(cats) == 0 ||
            json_object_size(cats) > 64)
            return req_fail(r, ERR_BAD_REQUEST, arena_printf(r->a, "%s", field),
                            "%s 应为 {取值: 人口}（1 至 64 类）", field);
        json_object_foreach(cats, val, pop)
        {
            char *end;
            long long x = strtoll(val, &end, 10);
            if (*end || end == val || !json_is_integer(pop) || json_integer_value(pop) < 0 ||
                json_integer_value(pop) > 2000000000LL)
                return req_fail(r, ERR_BAD_REQUEST, arena_printf(r->a, "%s", field),
                                "%s 的取值应为整数，人口为非负整数", field);
            snprintf(ms[n].var, sizeof ms[n].var, "%s", var);
            ms[n].value = x;
            ms[n++].population = json_integer_value(pop);
        }
    }
    struct problem p = {0};
    enum err e = survey_margins_set(r->db, &meta, ms, n, r->who->user_id, r->now, &p);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = "survey_margins";
    return margins_reply(r);
}

static json_t *share_json(const struct rake_share *s)
{
    return json_pack("{s:f,s:f,s:f,s:f,s:I}", "p", s->p, "se", s->se, "ci_lo", s->lo, "ci_hi",
                     s->hi, "n", (json_int_t)s->n);
}

static enum err analysis(struct req *r)
{
    long long id, maxit, trim10;
    enum err e = req_param_id(r, "id", &id);
    if (e != OK) return e;
    if ((e = req_query_int(r, "maxit", 1, 1000, 100, &maxit)) != OK) return e;
    if ((e = req_query_int(r, "trim", 0, 1000, 0, &trim10)) != OK) return e; /* tenths */
    const char *vars = req_query(r, "vars");
    if (vars && strlen(vars) > 150) return req_fail(r, ERR_BAD_REQUEST, "vars", "vars 过长");
    struct survey_analysis *a = arena_alloc(r->a, sizeof *a);
    struct problem p = {0};
    e = survey_analyse(r->db, id, vars, 1e-10, (int)maxit, (double)trim10 / 10.0, a, &p);
    if (e != OK) return req_fail_problem(r, &p);
    json_t *arts = json_array();
    for (int i = 0; i < a->narticles; i++) {
        const struct survey_article_est *x = &a->art[i];
        json_array_append_new(
            arts, json_pack("{s:i,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "article", x->article,
                            "name_2018", x->name2018, "name_2023", x->name2023, "importance",
                            a->final ? share_json(&x->imp) : json_null(), "practice",
                            a->final ? share_json(&x->pra) : json_null(), "gap",
                            a->final ? share_json(&x->gap) : json_null(), "importance_unweighted",
                            share_json(&x->imp_u), "practice_unweighted", share_json(&x->pra_u),
                            "gap_unweighted", share_json(&x->gap_u)));
    }
    json_t *weights = json_pack(
        "{s:s,s:b,s:i,s:i,s:f,s:o,s:f,s:I,s:o,s:o,s:s*}", "method", "raking", "final", a->final,
        "iterations", a->rk.iterations, "maxit", a->maxit, "tolerance", a->tol, "max_gap",
        isfinite(a->rk.max_gap) ? json_real(a->rk.max_gap) : json_null(), "trim", a->trim,
        "trimmed", (json_int_t)a->trimmed, "design_effect",
        a->final ? json_real(a->deff) : json_null(), "effective_n",
        a->final ? json_real(a->neff) : json_null(), "message", a->why[0] ? a->why : NULL);
    json_t *margins_o = meta_json(&a->margins);
    return reply_json(r, 200,
                      json_pack("{s:I,s:I,s:I,s:s,s:o,s:o,s:o,s:s}", "wave_id", id, "responses",
                                a->n, "flagged", a->flagged, "vars", a->vars, "weights", weights,
                                "margins", margins_o, "articles", arts, "share_of",
                                "评 4-5 分（比较/非常重要；经常/总是）的比例"));
}

const struct route survey_routes[] = {
    {M_GET, "/api/v1/survey/questionnaires", PERM_SURVEY_ADMIN, BODY_NONE, NULL, qns, 0},
    {M_GET, "/api/v1/survey/questionnaires/{id}", PERM_SURVEY_ADMIN, BODY_NONE, NULL, qn_get, 0},
    {M_POST, "/api/v1/survey/questionnaires", PERM_SURVEY_ADMIN, BODY_JSON,
     "survey.questionnaire.draft", qn_draft, 0},
    {M_POST, "/api/v1/survey/questionnaires/{id}/publish", PERM_SURVEY_ADMIN, BODY_NONE,
     "survey.questionnaire.publish", qn_publish, 0},
    {M_POST, "/api/v1/survey/questionnaires/{id}/close", PERM_SURVEY_ADMIN, BODY_NONE,
     "survey.questionnaire.close", qn_close, 0},
    {M_GET, "/api/v1/survey/waves", PERM_SURVEY_ADMIN, BODY_NONE, NULL, waves, 0},
    {M_GET, "/api/v1/survey/waves/{id}", PERM_SURVEY_ADMIN, BODY_NONE, NULL, wave_get, 0},
    {M_POST, "/api/v1/survey/waves", PERM_SURVEY_ADMIN, BODY_JSON, "survey.wave.create",
     wave_create, 0},
    {M_POST, "/api/v1/survey/waves/{id}/close", PERM_SURVEY_ADMIN, BODY_NONE, "survey.wave.close",
     wave_close, 0},
    {M_GET, "/api/v1/survey/margins", PERM_SURVEY_ADMIN, BODY_NONE, NULL, margins, 0},
    {M_PUT, "/api/v1/survey/margins", PERM_SURVEY_ADMIN, BODY_JSON, "survey.margins.set",
     margins_set, 0},
    {M_GET, "/api/v1/survey/waves/{id}/analysis", PERM_SURVEY_ADMIN, BODY_NONE, NULL, analysis, 0},
    {M_GET, "/api/v1/citizen/surveys", PERM_CITIZEN, BODY_NONE, NULL, my_waves, 0},
    {M_GET, "/api/v1/citizen/surveys/{id}", PERM_CITIZEN, BODY_NONE, NULL, my_form, 0},
    {M_PUT, "/api/v1/citizen/surveys/{id}/response", PERM_CITIZEN, BODY_JSON,
     "survey.response.save", my_save, 0},
    {M_POST, "/api/v1/citizen/surveys/{id}/submit", PERM_CITIZEN, BODY_JSON,
     "survey.response.submit", my_submit, 0},
    {0},
};
