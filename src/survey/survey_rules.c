/* survey_rules.c - the pure rules of surveys (survey.h): a questionnaire definition's shape and
 * logic (codes unique and stable, show conditions only on earlier questions, no loops), answers
 * against a definition (types, ranges, skip logic, required), and the quota cell of a response.
 * No database; unit-tested in tests/unit/test_survey.c. */
#include "survey/survey.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

struct qref {
    json_t *q;
    const char *code;
    char field[64];
};

static const char *const types[] = {"single", "multiple", "likert",   "matrix",
                                    "number", "text",     "district", NULL};
static const char *const ops[] = {"eq", "ne", "in", "gte", "lte", NULL};

static bool in_list(const char *s, const char *const *l)
{
    for (; s && *l; l++)
        if (strcmp(s, *l) == 0) return true;
    return false;
}

static bool code_ok(const char *c)
{
    if (!c || !isalpha((unsigned char)c[0])) return false;
    size_t n = strlen(c);
    if (n > 31) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)c[i]) && c[i] != '_') return false;
    return true;
}

/* The questions in order; false when there are too many. */
static bool flatten(json_t *def, struct qref *qs, size_t *n, struct problem *p)
{
    json_t *secs = json_object_get(def, "sections");
    *n = 0;
    if (!json_is_array(secs) || json_array_size(secs) == 0 || json_array_size(secs) > 50) {
        problem_set(p, ERR_RULE, "definition.sections", "问卷至少应有 1 个、至多 50 个部分");
        return false;
    }
    size_t i, j;
    json_t *s, *q;
    json_array_foreach(secs, i, s)
    {
        json_t *list = json_object_get(s, "questions");
        if (!json_is_object(s) || !json_is_string(json_object_get(s, "title")) ||
            !json_is_array(list) || json_array_size(list) == 0) {
            problem_set(p, ERR_RULE, "definition.sections", "第 %zu 部分应有标题和至少 1 道题",
                        i + 1);
            return false;
        }
        json_array_foreach(list, j, q)
        {
            if (*n == SURVEY_DEF_MAX_QUESTIONS) {
                problem_set(p, ERR_RULE, "definition.sections", "题目不得超过 %d 道",
                            SURVEY_DEF_MAX_QUESTIONS);
                return false;
            }
            qs[*n].q = q;
            qs[*n].code = json_string_value(json_object_get(q, "code"));
            snprintf(qs[*n].field, sizeof qs[*n].field, "sections[%zu].questions[%zu]", i, j);
            (*n)++;
        }
    }
    return true;
}

static long find(const struct qref *qs, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (qs[i].code && strcmp(qs[i].code, code) == 0) return (long)i;
    return -1;
}

/* The conditions of q as an array (show_if is one condition or an array of them, all must
 * hold); NULL when it has none. The answer is borrowed or new (*owned). */
static json_t *conds(json_t *q, bool *owned)
{
    json_t *c = json_object_get(q, "show_if");
    *owned = false;
    if (!c) return NULL;
    if (json_is_array(c)) return c;
    *owned = true;
    return json_pack("[O]", c);
}

static bool options_ok(json_t *q, const char *field, const char *code, struct problem *p)
{
    json_t *opts = json_object_get(q, "options");
    if (!json_is_array(opts) || json_array_size(opts) == 0 || json_array_size(opts) > 100) {
        problem_set(p, ERR_RULE, field, "题目 %s 应有 1 至 100 个选项", code);
        return false;
    }
    size_t i, j;
    json_t *o, *o2;
    json_array_foreach(opts, i, o)
    {
        if (!json_is_integer(json_object_get(o, "value")) ||
            !json_is_string(json_object_get(o, "label"))) {
            problem_set(p, ERR_RULE, field, "题目 %s 的第 %zu 个选项应有整数 value 和 label", code,
                        i + 1);
            return false;
        }
        json_array_foreach(opts, j, o2)
        {
            if (j < i && json_integer_value(json_object_get(o2, "value")) ==
                             json_integer_value(json_object_get(o, "value"))) {
                problem_set(p, ERR_RULE, field, "题目 %s 的选项值重复", code);
                return false;
            }
        }
    }
    return true;
}

static bool question_ok(const struct qref *qs, size_t n, size_t k, struct problem *p)
{
    json_t *q = qs[k].q;
    const char *field = qs[k].field, *code = qs[k].code;
    if (!json_is_object(q) || !code_ok(code)) {
        problem_set(p, ERR_RULE, field,
                    "题目编码应以字母开头，只含字母、数字和下划线，最长 31 个字符");
        return false;
    }
    if (find(qs, n, code) != (long)k) {
        problem_set(p, ERR_RULE, field, "题目编码 %s 重复", code);
        return false;
    }
    const char *type = json_string_value(json_object_get(q, "type"));
    if (!in_list(type, types)) {
        problem_set(p, ERR_RULE, field,
                    "题目 %s 的题型应为 single、multiple、likert、matrix、number、text 或 district",
                    code);
        return false;
    }
    const char *text = json_string_value(json_object_get(q, "text"));
    if (!text || !*text || strlen(text) > 1000) {
        problem_set(p, ERR_RULE, field, "题目 %s 应有题干（最长 1000 字节）", code);
        return false;
    }
    if ((!strcmp(type, "single") || !strcmp(type, "multiple") || !strcmp(type, "district")) &&
        !options_ok(q, field, code, p))
        return false;
    if (!strcmp(type, "matrix")) {
        json_t *items = json_object_get(q, "items");
        size_t i;
        json_t *it;
        if (!json_is_array(items) || json_array_size(items) == 0 || json_array_size(items) > 50) {
            problem_set(p, ERR_RULE, field, "矩阵题 %s 应有 1 至 50 个小题", code);
            return false;
        }
        json_array_foreach(items, i,
                           it) if (!code_ok(json_string_value(json_object_get(it, "code"))) ||
                                   !json_is_string(json_object_get(it, "text")))
        {
            problem_set(p, ERR_RULE, field, "矩阵题 %s 的第 %zu 个小题应有编码和题干", code, i + 1);
            return false;
        }
    }
    if (!strcmp(type, "number")) {
        json_t *mn = json_object_get(q, "min"), *mx = json_object_get(q, "max");
        if (!json_is_integer(mn) || !json_is_integer(mx) ||
            json_integer_value(mn) > json_integer_value(mx)) {
            problem_set(p, ERR_RULE, field, "数值题 %s 应有整数 min ≤ max", code);
            return false;
        }
    }
    /* Logic: each condition names a known, earlier question. */
    bool owned;
    json_t *cs = conds(q, &owned);
    bool ok = true;
    size_t i;
    json_t *c;
    json_array_foreach(cs, i, c)
    {
        const char *ref = json_string_value(json_object_get(c, "q"));
        const char *op = json_string_value(json_object_get(c, "op"));
        json_t *val = json_object_get(c, "value");
        long at = find(qs, n, ref);
        if (at < 0) {
            ok = !problem_set(p, ERR_RULE, field, "题目 %s 的显示条件引用了不存在的题目 %s", code,
                              ref ? ref : "");
            break;
        }
        if (!in_list(op, ops) ||
            !(json_is_integer(val) || (!strcmp(op, "in") && json_is_array(val)))) {
            ok = !problem_set(p, ERR_RULE, field,
                              "题目 %s 的显示条件应为 {q, op: eq|ne|in|gte|lte, value}", code);
            break;
        }
    }
    if (owned) json_decref(cs);
    return ok;
}

/* A loop in the show conditions through question k: colour 1 on the path, 2 done. */
static long loop_from(const struct qref *qs, size_t n, size_t k, unsigned char *colour)
{
    colour[k] = 1;
    bool owned;
    json_t *cs = conds(qs[k].q, &owned);
    long hit = -1;
    size_t i;
    json_t *c;
    json_array_foreach(cs, i, c)
    {
        long at = find(qs, n, json_string_value(json_object_get(c, "q")));
        if (at < 0) continue;
        if (colour[at] == 1) {
            hit = at;
            break;
        }
        if (colour[at] == 0 && (hit = loop_from(qs, n, (size_t)at, colour)) >= 0) break;
    }
    if (owned) json_decref(cs);
    colour[k] = 2;
    return hit;
}

bool survey_def_check(json_t *def, struct problem *p)
{
    struct qref qs[SURVEY_DEF_MAX_QUESTIONS];
    size_t n;
    if (!json_is_object(def))
        return !problem_set(p, ERR_RULE, "definition", "问卷定义应为对象 {sections:[…]}");
    if (!flatten(def, qs, &n, p)) return false;
    for (size_t k = 0; k < n; k++)
        if (!question_ok(qs, n, k, p)) return false;
    unsigned char colour[SURVEY_DEF_MAX_QUESTIONS] = {0};
    for (size_t k = 0; k < n; k++) {
        if (colour[k]) continue;
        long at = loop_from(qs, n, k, colour);
        if (at >= 0)
            return !problem_set(p, ERR_RULE, qs[at].field,
                                "题目 %s 的显示条件形成逻辑循环（条件最终又依赖它自己）",
                                qs[at].code);
    }
    for (size_t k = 0; k < n; k++) {
        bool owned;
        json_t *cs = conds(qs[k].q, &owned);
        size_t i;
        json_t *c;
        long later = -1;
        json_array_foreach(cs, i, c)
        {
            long at = find(qs, n, json_string_value(json_object_get(c, "q")));
            if (at >= (long)k) later = at;
        }
        if (owned) json_decref(cs);
        if (later >= 0)
            return !problem_set(p, ERR_RULE, qs[k].field,
                                "题目 %s 的显示条件引用了后面的题目 %s（只能引用前面的题目）",
                                qs[k].code, qs[later].code);
    }
    return true;
}

static bool has_option(json_t *q, json_int_t v)
{
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(q, "options"), i,
                       o) if (json_integer_value(json_object_get(o, "value")) == v) return true;
    return false;
}

/* Whether one condition holds for the answers (an unanswered question holds none). */
static bool cond_holds(json_t *c, json_t *answers)
{
    const char *op = json_string_value(json_object_get(c, "op"));
    json_t *a = json_object_get(answers, json_string_value(json_object_get(c, "q")));
    json_t *val = json_object_get(c, "value");
    if (!a || json_is_null(a)) return false;
    if (json_is_array(a)) { /* multiple choice: eq = contains */
        size_t i;
        json_t *x;
        bool has = false;
        json_array_foreach(a, i, x) has = has || json_integer_value(x) == json_integer_value(val);
        return strcmp(op, "ne") == 0 ? !has : has;
    }
    if (!json_is_integer(a)) return false;
    json_int_t x = json_integer_value(a), v = json_integer_value(val);
    if (!strcmp(op, "eq")) return x == v;
    if (!strcmp(op, "ne")) return x != v;
    if (!strcmp(op, "gte")) return x >= v;
    if (!strcmp(op, "lte")) return x <= v;
    size_t i;
    json_t *y;
    json_array_foreach(val, i, y) if (json_integer_value(y) == x) return true;
    return false;
}

static bool visible(json_t *q, json_t *answers)
{
    bool owned, ok = true;
    json_t *cs = conds(q, &owned);
    size_t i;
    json_t *c;
    json_array_foreach(cs, i, c) ok = ok && cond_holds(c, answers);
    if (owned) json_decref(cs);
    return ok;
}

static bool value_ok(json_t *q, const char *type, json_t *a)
{
    if (!strcmp(type, "single") || !strcmp(type, "district"))
        return json_is_integer(a) && has_option(q, json_integer_value(a));
    if (!strcmp(type, "likert"))
        return json_is_integer(a) && json_integer_value(a) >= 1 && json_integer_value(a) <= 5;
    if (!strcmp(type, "number"))
        return json_is_integer(a) &&
               json_integer_value(a) >= json_integer_value(json_object_get(q, "min")) &&
               json_integer_value(a) <= json_integer_value(json_object_get(q, "max"));
    if (!strcmp(type, "text")) {
        json_int_t max = json_integer_value(json_object_get(q, "maxlen"));
        if (max <= 0 || max > 2000) max = 2000;
        return json_is_string(a) && (json_int_t)json_string_length(a) <= max;
    }
    if (!strcmp(type, "multiple")) {
        size_t i, j;
        json_t *x, *y;
        if (!json_is_array(a) || json_array_size(a) == 0) return false;
        json_array_foreach(a, i, x)
        {
            if (!json_is_integer(x) || !has_option(q, json_integer_value(x))) return false;
            json_array_foreach(a, j, y) if (j < i && json_equal(x, y)) return false;
        }
        return true;
    }
    /* matrix: {item: 1..5}, only its items */
    if (!json_is_object(a)) return false;
    const char *k;
    json_t *x;
    json_object_foreach(a, k, x)
    {
        bool known = false;
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(q, "items"), i, it) known =
            known || strcmp(json_string_value(json_object_get(it, "code")), k) == 0;
        if (!known || !json_is_integer(x) || json_integer_value(x) < 1 || json_integer_value(x) > 5)
            return false;
    }
    return true;
}

static bool complete(json_t *q, const char *type, json_t *a)
{
    if (!a || json_is_null(a)) return false;
    if (strcmp(type, "matrix")) return true;
    return json_object_size(a) == json_array_size(json_object_get(q, "items"));
}

bool survey_answers_check(json_t *def, json_t *answers, bool final, char *flags, size_t flen,
                          struct problem *p)
{
    struct qref qs[SURVEY_DEF_MAX_QUESTIONS];
    size_t n;
    struct problem ignore;
    if (flags && flen) flags[0] = 0;
    if (!flatten(def, qs, &n, &ignore))
        return !problem_set(p, ERR_INTERNAL, "definition", "问卷定义无效");
    if (!json_is_object(answers))
        return !problem_set(p, ERR_BAD_REQUEST, "answers", "answers 应为对象 {题目编码: 答案}");
    const char *k;
    json_t *a;
    json_object_foreach(answers, k, a) if (find(qs, n, k) < 0) return !problem_set(
        p, ERR_RULE, "answers", "问卷中没有题目 %.40s", k);
    for (size_t i = 0; i < n; i++) {
        json_t *q = qs[i].q;
        const char *type = json_string_value(json_object_get(q, "type"));
        a = json_object_get(answers, qs[i].code);
        char field[48];
        snprintf(field, sizeof field, "answers.%s", qs[i].code);
        bool shown = visible(q, answers);
        if (a && !json_is_null(a) && !shown)
            return !problem_set(p, ERR_RULE, field,
                                "按跳题逻辑，题目 %s 不应作答（其显示条件不成立）", qs[i].code);
        if (a && !json_is_null(a) && !value_ok(q, type, a))
            return !problem_set(p, ERR_RULE, field, "题目 %s 的答案超出允许的范围", qs[i].code);
        if (final && shown && json_is_true(json_object_get(q, "required")) && !complete(q, type, a))
            return !problem_set(p, ERR_RULE, field, "请回答题目 %s", qs[i].code);
        json_t *expect = json_object_get(q, "attention_expect");
        if (flags && a && json_is_integer(expect) && !json_equal(a, expect) &&
            !strstr(flags, "attention"))
            snprintf(flags + strlen(flags), flen - strlen(flags), "%sattention",
                     flags[0] ? "," : "");
    }
    return true;
}

bool survey_cell_key(const char *vars, json_t *answers, char *out, size_t n)
{
    char buf[160];
    snprintf(buf, sizeof buf, "%s", vars ? vars : "");
    out[0] = 0;
    size_t len = 0;
    for (char *save = NULL, *v = strtok_r(buf, ",", &save); v; v = strtok_r(NULL, ",", &save)) {
        json_t *a = json_object_get(answers, v);
        if (!json_is_integer(a)) return false;
        int w = snprintf(out + len, n - len, "%s%lld", len ? "|" : "",
                         (long long)json_integer_value(a));
        if (w < 0 || (size_t)w >= n - len) return false;
        len += (size_t)w;
    }
    return true;
}

const char *survey_status_label(const char *s)
{
    if (!strcmp(s, "draft")) return "草稿";
    if (!strcmp(s, "published")) return "已发布";
    if (!strcmp(s, "open")) return "收集中";
    if (!strcmp(s, "closed")) return "已结束";
    if (!strcmp(s, "submitted")) return "已提交";
    return s;
}
