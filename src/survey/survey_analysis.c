/* survey_analysis.c - population margins and the analysis of a wave (survey.h): the margins the
 * office enters (each variable summing to the total), and the wave's submitted responses raked
 * to them (survey_rake.c), trimmed, and estimated per article: importance, practice and the
 * knowing-doing gap, weighted beside unweighted. When raking does not converge, or cannot run,
 * the analysis says so and marks the weights not final; the caller shows no weighted figure. */
#include "survey/survey.h"
#include "survey/survey_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum err survey_margins_get(struct store *db, struct survey_margin_meta *meta, survey_margin_fn fn,
                            void *ctx)
{
    enum err e = survey_store_margin_meta(db, meta);
    if (e == OK && fn) e = survey_store_margins_each(db, fn, ctx);
    return e;
}

enum err survey_margins_set(struct store *db, const struct survey_margin_meta *meta,
                            const struct survey_margin *m, size_t n, long long by, long long now,
                            struct problem *p)
{
    for (size_t i = 0; i < n; i++) {
        long long sum = 0;
        bool first = true;
        for (size_t j = 0; j < n; j++) {
            if (strcmp(m[i].var, m[j].var)) continue;
            if (j < i) first = false;
            if (j != i && m[j].value == m[i].value)
                return problem_set(p, ERR_RULE, "vars", "%s 的取值 %lld 重复", m[i].var,
                                   m[i].value);
            sum += m[j].population;
        }
        if (first && sum != meta->total) {
            char field[48];
            snprintf(field, sizeof field, "vars.%s", m[i].var);
            return problem_set(p, ERR_RULE, field,
                               "%s 各类人口之和 %lld 不等于总人口 %lld，请核对后再保存", m[i].var,
                               sum, meta->total);
        }
    }
    return survey_store_margins_replace(db, meta, m, n, by, now);
}

struct var {
    char code[32];
    size_t ncat;
    long long values[64];
    double pop[64];
    int *cat;
};

struct load {
    struct var *v;
    size_t nv, n, cap;
    int *imp[SURVEY_ARTICLES], *pra[SURVEY_ARTICLES];
    const struct survey_analysis *a;
    long long flagged;
    char why[256];
    bool oom;
};

static bool add_margin(void *ctx, const struct survey_margin *m)
{
    struct load *l = ctx;
    for (size_t k = 0; k < l->nv; k++)
        if (!strcmp(l->v[k].code, m->var) && l->v[k].ncat < 64) {
            l->v[k].values[l->v[k].ncat] = m->value;
            l->v[k].pop[l->v[k].ncat++] = (double)m->population;
        }
    return true;
}

static int item(json_t *answers, const char *code)
{
    json_t *x = json_object_get(answers, code);
    if (!json_is_integer(x)) return -1;
    return json_integer_value(x) >= 4;
}

static bool grow(struct load *l)
{
    size_t cap = l->cap ? l->cap * 2 : 256;
    for (size_t k = 0; k < l->nv; k++) {
        int *c = realloc(l->v[k].cat, cap * sizeof *c);
        if (!c) return false;
        l->v[k].cat = c;
    }
    for (int a = 0; a < l->a->narticles; a++) {
        int *i = realloc(l->imp[a], cap * sizeof *i), *q;
        if (!i) return false;
        l->imp[a] = i;
        if (!(q = realloc(l->pra[a], cap * sizeof *q))) return false;
        l->pra[a] = q;
    }
    l->cap = cap;
    return true;
}

static bool add_response(void *ctx, const char *text, const char *flags)
{
    struct load *l = ctx;
    if (l->n == l->cap && !grow(l)) {
        l->oom = true;
        return false;
    }
    json_t *ans = json_loads(text ? text : "{}", 0, NULL);
    for (size_t k = 0; k < l->nv; k++) {
        json_t *x = json_object_get(ans, l->v[k].code);
        int at = -1;
        for (size_t c = 0; json_is_integer(x) && c < l->v[k].ncat; c++)
            if (l->v[k].values[c] == json_integer_value(x)) at = (int)c;
        if (at < 0 && !l->why[0])
            snprintf(l->why, sizeof l->why, "有答卷的 %s 不在总体边际的类别中，无法加权",
                     l->v[k].code);
        l->v[k].cat[l->n] = at < 0 ? 0 : at;
    }
    for (int a = 0; a < l->a->narticles; a++) {
        l->imp[a][l->n] = item(ans, l->a->art[a].code_imp);
        l->pra[a][l->n] = item(ans, l->a->art[a].code_pra);
    }
    json_decref(ans);
    if (flags && *flags) l->flagged++;
    l->n++;
    return true;
}

/* The article items of a definition: role importance / practice with their article number. */
static void articles(json_t *def, struct survey_analysis *out)
{
    size_t i, j;
    json_t *s, *q;
    json_array_foreach(json_object_get(def, "sections"), i, s)
        json_array_foreach(json_object_get(s, "questions"), j, q)
    {
        json_int_t art = json_integer_value(json_object_get(q, "article"));
        const char *role = json_string_value(json_object_get(q, "role"));
        if (art < 1 || art > SURVEY_ARTICLES || !role) continue;
        if (out->narticles < art) out->narticles = (int)art;
        struct survey_article_est *e = &out->art[art - 1];
        e->article = (int)art;
        json_t *alt = json_object_get(q, "alt_labels");
        snprintf(e->name2018, sizeof e->name2018, "%s",
                 json_string_value(json_object_get(alt, "2018"))
                     ? json_string_value(json_object_get(alt, "2018"))
                     : "");
        snprintf(e->name2023, sizeof e->name2023, "%s",
                 json_string_value(json_object_get(alt, "2023"))
                     ? json_string_value(json_object_get(alt, "2023"))
                     : "");
        const char *code = json_string_value(json_object_get(q, "code"));
        if (!strcmp(role, "importance"))
            snprintf(e->code_imp, sizeof e->code_imp, "%s", code);
        else if (!strcmp(role, "practice"))
            snprintf(e->code_pra, sizeof e->code_pra, "%s", code);
    }
}

enum err survey_analyse(struct store *db, long long wave, const char *vars, double tol, int maxit,
                        double trim, struct survey_analysis *out, struct problem *p)
{
    memset(out, 0, sizeof *out);
    struct survey_wave w;
    struct survey_qn qn;
    json_t *def = NULL;
    enum err e = survey_wave_get(db, wave, &w);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "调查轮次不存在");
    if (e != OK) return e;
    if ((e = survey_qn_get(db, w.questionnaire_id, &qn, &def)) != OK) return e;
    articles(def, out);
    json_decref(def);
    snprintf(out->vars, sizeof out->vars, "%s", vars && *vars ? vars : w.quota_vars);
    out->tol = tol;
    out->maxit = maxit;
    out->trim = trim;
    struct var v[SURVEY_QUOTA_VARS_MAX] = {0};
    struct load l = {.v = v, .a = out};
    char buf[160];
    snprintf(buf, sizeof buf, "%s", out->vars);
    for (char *save = NULL, *x = strtok_r(buf, ",", &save); x; x = strtok_r(NULL, ",", &save)) {
        if (l.nv == SURVEY_QUOTA_VARS_MAX) {
            e = problem_set(p, ERR_RULE, "vars", "加权变量至多 %d 个", SURVEY_QUOTA_VARS_MAX);
            goto out;
        }
        snprintf(v[l.nv++].code, sizeof v[0].code, "%s", x);
    }
    if (l.nv == 0) {
        e = problem_set(p, ERR_RULE, "vars", "请给出加权变量（如 D_AGE,D_SEX）");
        goto out;
    }
    if ((e = survey_margins_get(db, &out->margins, add_margin, &l)) != OK) goto out;
    for (size_t k = 0; k < l.nv; k++)
        if (v[k].ncat == 0) {
            e = problem_set(p, ERR_RULE, "vars", "变量 %s 没有总体边际数据，请先录入", v[k].code);
            goto out;
        }
    if ((e = survey_store_submitted_each(db, wave, add_response, &l)) != OK) goto out;
    if (l.oom) {
        e = problem_set(p, ERR_UNAVAILABLE, "", "内存不足");
        goto out;
    }
    out->n = (long long)l.n;
    out->flagged = l.flagged;
    double *wt = calloc(l.n ? l.n : 1, sizeof *wt);
    if (!wt) {
        e = problem_set(p, ERR_UNAVAILABLE, "", "内存不足");
        goto out;
    }
    double total = 0;
    for (size_t k = 0; k < l.nv && k < 1; k++)
        for (size_t c = 0; c < v[k].ncat; c++)
            total += v[k].pop[c];
    for (size_t i = 0; i < l.n; i++)
        wt[i] = l.n && total > 0 ? total / (double)l.n : 1;
    struct rake_var rv[SURVEY_QUOTA_VARS_MAX];
    for (size_t k = 0; k < l.nv; k++)
        rv[k] = (struct rake_var){v[k].ncat, v[k].cat, v[k].pop};
    if (l.why[0]) {
        snprintf(out->why, sizeof out->why, "%s", l.why);
    } else if (l.n < 2) {
        snprintf(out->why, sizeof out->why, "已提交答卷不足 2 份，无法加权");
    } else {
        rake(l.n, rv, l.nv, wt, tol, maxit, &out->rk);
        out->final = out->rk.converged;
        if (out->rk.why)
            snprintf(out->why, sizeof out->why, "%s", out->rk.why);
        else if (!out->final)
            snprintf(out->why, sizeof out->why,
                     "迭代 %d 次后仍未收敛（最大相对偏差 %.3g，容差 %.3g），权重不是最终结果",
                     out->rk.iterations, out->rk.max_gap, tol);
    }
    if (out->final && trim > 1) out->trimmed = rake_trim(l.n, wt, trim);
    if (out->final) rake_kish(l.n, wt, &out->deff, &out->neff);
    double *one = malloc((l.n ? l.n : 1) * sizeof *one);
    for (size_t i = 0; one && i < l.n; i++)
        one[i] = 1;
    for (int a = 0; one && a < out->narticles; a++) {
        struct survey_article_est *x = &out->art[a];
        rake_share(l.n, one, l.imp[a], &x->imp_u);
        rake_share(l.n, one, l.pra[a], &x->pra_u);
        rake_gap(l.n, one, l.imp[a], l.pra[a], &x->gap_u);
        if (!out->final) continue;
        rake_share(l.n, wt, l.imp[a], &x->imp);
        rake_share(l.n, wt, l.pra[a], &x->pra);
        rake_gap(l.n, wt, l.imp[a], l.pra[a], &x->gap);
    }
    if (!one) e = problem_set(p, ERR_UNAVAILABLE, "", "内存不足");
    free(one);
    free(wt);
out:
    for (size_t k = 0; k < SURVEY_QUOTA_VARS_MAX; k++)
        free(v[k].cat);
    for (int a = 0; a < SURVEY_ARTICLES; a++) {
        free(l.imp[a]);
        free(l.pra[a]);
    }
    return e;
}
