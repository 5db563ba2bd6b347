/* survey.c - the survey service (survey.h): questionnaire versions (the drafter never
 * publishes), waves with their quota cells, and citizens' responses (save-and-resume, one per
 * citizen per wave, quota and skip logic checked on submit, flags recorded). Runs in the
 * caller's transaction; the rules are in survey_rules.c, the SQL in store_survey.c. */
#include "survey/survey.h"
#include "base/date.h"
#include "survey/survey_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum err survey_qn_draft(struct store *db, const char *code, const char *title, json_t *def,
                         long long by, long long now, long long *id, struct problem *p)
{
    if (!survey_def_check(def, p)) return p->err;
    char *text = json_dumps(def, JSON_COMPACT);
    if (!text) return problem_set(p, ERR_INTERNAL, "definition", "问卷定义无法保存");
    enum err e = survey_store_qn_insert(db, code, title, text, by, now, id);
    free(text);
    return e;
}

enum err survey_qn_get(struct store *db, long long id, struct survey_qn *q, json_t **def)
{
    char *text = NULL;
    bool found;
    enum err e = survey_store_qn_get(db, id, q, def ? &text : NULL, &found);
    if (e == OK && !found) e = ERR_NOT_FOUND;
    if (e == OK && def) {
        *def = json_loads(text, 0, NULL);
        if (!*def) e = ERR_INTERNAL;
    }
    free(text);
    return e;
}

enum err survey_qns_each(struct store *db, survey_qn_fn fn, void *ctx)
{
    return survey_store_qns_each(db, fn, ctx);
}

enum err survey_qn_publish(struct store *db, long long id, long long by, long long now,
                           struct problem *p)
{
    struct survey_qn q;
    enum err e = survey_qn_get(db, id, &q, NULL);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "问卷不存在");
    if (e != OK) return e;
    if (strcmp(q.status, "draft"))
        return problem_set(p, ERR_CONFLICT, "status", "只有草稿可以发布（该问卷%s）",
                           survey_status_label(q.status));
    if (q.drafted_by == by)
        return problem_set(p, ERR_FORBIDDEN, "published_by",
                           "起草人不能发布自己起草的问卷，请由另一位工作人员审核发布");
    e = survey_store_qn_set(db, id, "draft", "published", by, now);
    if (e == OK && store_changes(db) != 1)
        return problem_set(p, ERR_CONFLICT, "status", "该问卷已由他人发布");
    return e;
}

enum err survey_qn_close(struct store *db, long long id, long long now, struct problem *p)
{
    struct survey_qn q;
    enum err e = survey_qn_get(db, id, &q, NULL);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "问卷不存在");
    if (e != OK) return e;
    if (strcmp(q.status, "published"))
        return problem_set(p, ERR_CONFLICT, "status", "只有已发布的问卷可以停用（该问卷%s）",
                           survey_status_label(q.status));
    e = survey_store_qn_set(db, id, "published", "closed", 0, now);
    if (e == OK && store_changes(db) != 1)
        return problem_set(p, ERR_CONFLICT, "status", "该问卷已停用");
    return e;
}

/* Whether code names a single-choice or district question of def. */
static bool quota_var_ok(json_t *def, const char *code)
{
    size_t i, j;
    json_t *s, *q;
    json_array_foreach(json_object_get(def, "sections"), i, s)
        json_array_foreach(json_object_get(s, "questions"), j, q)
    {
        const char *c = json_string_value(json_object_get(q, "code"));
        const char *t = json_string_value(json_object_get(q, "type"));
        if (c && !strcmp(c, code))
            return t && (!strcmp(t, "single") || !strcmp(t, "district")) &&
                   !json_object_get(q, "show_if");
    }
    return false;
}

enum err survey_wave_create(struct store *db, const struct survey_wave *w,
                            const struct survey_cell *cells, size_t ncells, long long now,
                            long long *id, struct problem *p)
{
    struct survey_qn q;
    json_t *def = NULL;
    enum err e = survey_qn_get(db, w->questionnaire_id, &q, &def);
    if (e == ERR_NOT_FOUND) return problem_set(p, ERR_RULE, "questionnaire_id", "问卷不存在");
    if (e != OK) return e;
    int a, b;
    if (strcmp(q.status, "published")) {
        e = problem_set(p, ERR_RULE, "questionnaire_id", "只能用已发布的问卷开展调查（该问卷%s）",
                        survey_status_label(q.status));
        goto out;
    }
    if (!date_parse(w->starts, &a) || !date_parse(w->ends, &b) || a > b) {
        e = problem_set(p, ERR_RULE, "ends", "调查期应为 YYYY-MM-DD，且结束不早于开始");
        goto out;
    }
    char vars[160];
    snprintf(vars, sizeof vars, "%s", w->quota_vars);
    int nv = 0;
    for (char *save = NULL, *v = strtok_r(vars, ",", &save); v; v = strtok_r(NULL, ",", &save)) {
        if (++nv > SURVEY_QUOTA_VARS_MAX || !quota_var_ok(def, v)) {
            e = problem_set(p, ERR_RULE, "quota_vars",
                            "配额变量 %s 应为问卷中无条件显示的单选或区县题（至多 %d 个）", v,
                            SURVEY_QUOTA_VARS_MAX);
            goto out;
        }
    }
    if (ncells && !nv) {
        e = problem_set(p, ERR_RULE, "quota_vars", "设置配额单元时须给出配额变量");
        goto out;
    }
    for (size_t i = 0; i < ncells; i++) {
        int parts = 1;
        for (const char *c = cells[i].cell; *c; c++)
            parts += *c == '|';
        if (parts != nv) {
            e = problem_set(p, ERR_RULE, "cells", "第 %zu 个配额单元应给出 %d 个配额变量的取值",
                            i + 1, nv);
            goto out;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(cells[i].cell, cells[j].cell)) {
                e = problem_set(p, ERR_RULE, "cells", "配额单元 %s 重复", cells[i].cell);
                goto out;
            }
    }
    e = survey_store_wave_insert(db, w, now, id);
    for (size_t i = 0; e == OK && i < ncells; i++)
        e = survey_store_cell_insert(db, *id, &cells[i]);
out:
    json_decref(def);
    return e;
}

enum err survey_wave_get(struct store *db, long long id, struct survey_wave *w)
{
    bool found;
    enum err e = survey_store_wave_get(db, id, w, &found);
    return e == OK && !found ? ERR_NOT_FOUND : e;
}

enum err survey_waves_each(struct store *db, survey_wave_fn fn, void *ctx)
{
    return survey_store_waves_each(db, fn, ctx);
}

enum err survey_cells_each(struct store *db, long long wave, survey_cell_fn fn, void *ctx)
{
    return survey_store_cells_each(db, wave, fn, ctx);
}

enum err survey_wave_close(struct store *db, long long id, long long by, long long now,
                           struct problem *p)
{
    struct survey_wave w;
    enum err e = survey_wave_get(db, id, &w);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "调查轮次不存在");
    if (e != OK) return e;
    if (strcmp(w.status, "open")) return problem_set(p, ERR_CONFLICT, "status", "该轮调查已结束");
    e = survey_store_wave_close(db, id, by, now);
    if (e == OK && store_changes(db) != 1)
        return problem_set(p, ERR_CONFLICT, "status", "该轮调查已结束");
    return e;
}

enum err survey_response_get(struct store *db, long long wave, long long citizen,
                             struct survey_response *out, bool *found)
{
    char who[32];
    snprintf(who, sizeof who, "c:%lld", citizen);
    return survey_store_response_get(db, wave, who, out, found);
}

enum err survey_respond(struct store *db, long long wave, long long citizen, json_t *answers,
                        bool final, long long now, struct survey_response *out, struct problem *p)
{
    struct survey_wave w;
    struct survey_qn q;
    json_t *def = NULL;
    char *text = NULL, who[32], flags[64] = "", cell[160] = "";
    snprintf(who, sizeof who, "c:%lld", citizen);
    memset(out, 0, sizeof *out);
    enum err e = survey_wave_get(db, wave, &w);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "调查轮次不存在");
    if (e != OK) return e;
    char today[11];
    date_format(date_today_shanghai(now), today);
    if (strcmp(w.status, "open"))
        return problem_set(p, ERR_RULE, "wave", "本轮调查已结束，不再接收答卷");
    if (strcmp(today, w.starts) < 0 || strcmp(today, w.ends) > 0)
        return problem_set(p, ERR_RULE, "wave", "不在本轮调查的时间内（%s 至 %s）", w.starts,
                           w.ends);
    e = survey_qn_get(db, w.questionnaire_id, &q, &def);
    if (e != OK) return e;
    bool found;
    struct survey_response prev;
    e = survey_store_response_get(db, wave, who, &prev, &found);
    if (e != OK) goto out;
    if (found) free(prev.answers);
    if (found && !strcmp(prev.status, "submitted")) {
        e = problem_set(p, ERR_CONFLICT, "respondent", "您已提交过本轮调查的答卷，每人限答一次");
        goto out;
    }
    if (!survey_answers_check(def, answers, final, flags, sizeof flags, p)) {
        e = p->err;
        goto out;
    }
    text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text || strlen(text) > 64000) {
        e = problem_set(p, ERR_TOO_LARGE, "answers", "答卷过大");
        goto out;
    }
    long long ncells = 0;
    if (w.quota_vars[0] && (e = survey_store_cell_count(db, wave, &ncells)) != OK) goto out;
    bool keyed = w.quota_vars[0] && survey_cell_key(w.quota_vars, answers, cell, sizeof cell);
    if (keyed && ncells) {
        /* A full cell is told at once, on a save too, so nobody answers in vain. */
        bool full = false, known = false;
        if ((e = survey_store_cell_state(db, wave, cell, &known, &full)) != OK) goto out;
        if (!known) {
            e = problem_set(p, ERR_RULE, "quota", "您所在的群体不在本轮调查的抽样范围内，感谢参与");
            goto out;
        }
        if (full) {
            e = problem_set(p, ERR_RULE, "quota",
                            "您所在的群体（按区县、年龄段和性别）本轮名额已满，感谢参与");
            goto out;
        }
    }
    e = survey_store_response_save(db, wave, who, citizen, text, now);
    if (e == OK && store_changes(db) != 1) {
        e = problem_set(p, ERR_CONFLICT, "respondent", "您已提交过本轮调查的答卷，每人限答一次");
        goto out;
    }
    if (e != OK || !final) goto reread;
    if (ncells) {
        bool ok, known;
        if ((e = survey_store_cell_take(db, wave, cell, &ok, &known)) != OK) goto out;
        if (!ok) {
            e = problem_set(p, ERR_RULE, "quota",
                            "您所在的群体（按区县、年龄段和性别）本轮名额已满，感谢参与");
            goto out;
        }
    }
    struct survey_response cur;
    if ((e = survey_store_response_get(db, wave, who, &cur, &found)) != OK) goto out;
    free(cur.answers);
    if (w.min_seconds > 0 && now - cur.started_at < w.min_seconds)
        snprintf(flags + strlen(flags), sizeof flags - strlen(flags), "%stoo_fast",
                 flags[0] ? "," : "");
    e = survey_store_response_submit(db, wave, who, text, cell[0] ? cell : NULL, flags, now);
    if (e == OK && store_changes(db) != 1)
        e = problem_set(p, ERR_CONFLICT, "respondent", "您已提交过本轮调查的答卷，每人限答一次");
reread:
    if (e == OK) e = survey_store_response_get(db, wave, who, out, &found);
out:
    free(text);
    json_decref(def);
    return e;
}
