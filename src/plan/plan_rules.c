/* plan_rules.c - the pure rules of the plan area: reading 任务时限 texts, the "@districts"
 * selector, and checking plan documents and their items (actions, tasks, obligations,
 * activity kinds) field by field with errors that name the JSON path. No I/O: units are
 * looked up through the caller's callback. Checks also fill defaults in place so storage
 * code can rely on every field being there. */
#include "plan/plan.h"
#include "base/date.h"
#include "base/period.h"
#include "org/units.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- deadlines ---- */

static const char *const dl_names[] = {
    [PLAN_DL_NONE] = "none", [PLAN_DL_DATE] = "date", [PLAN_DL_STANDING] = "standing"};

const char *plan_deadline_kind_name(enum plan_deadline_kind k)
{
    return k <= PLAN_DL_STANDING ? dl_names[k] : "?";
}

/* The kinds as shown: a date (“2022年6月前”), standing (“长期坚持”), none. */
static const char *const dl_labels[] = {
    [PLAN_DL_DATE] = "限期完成", [PLAN_DL_STANDING] = "长期坚持", [PLAN_DL_NONE] = "无时限"};

bool plan_deadline_kind_parse(const char *s, enum plan_deadline_kind *k)
{
    for (int i = 0; i <= PLAN_DL_STANDING; i++)
        if (s && strcmp(s, dl_names[i]) == 0) {
            *k = (enum plan_deadline_kind)i;
            return true;
        }
    return false;
}

/* Reads 1..max ASCII digits at *s; advances. */
static bool read_num(const char **s, int max_digits, int *out)
{
    int v = 0, n = 0;
    while (**s >= '0' && **s <= '9' && n < max_digits) {
        v = v * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    if (n == 0 || (**s >= '0' && **s <= '9')) return false;
    *out = v;
    return true;
}

/* Consumes lit at *s when present. */
static bool eat(const char **s, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(*s, lit, n) != 0) return false;
    *s += n;
    return true;
}

static bool is_space_at(const char *s, size_t *len)
{
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
        *len = 1;
        return true;
    }
    if (strncmp(s, "\xe3\x80\x80", 3) == 0) { /* U+3000 ideographic space */
        *len = 3;
        return true;
    }
    return false;
}

bool plan_deadline_parse(const char *text, enum plan_deadline_kind *kind, int *day)
{
    if (!text) text = "";
    char buf[256];
    size_t len;
    while (*text && is_space_at(text, &len))
        text += len;
    size_t n = strlen(text);
    if (n >= sizeof buf) return false;
    memcpy(buf, text, n + 1);
    /* trim the end */
    for (;;) {
        if (n > 0 &&
            (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\n' || buf[n - 1] == '\r'))
            buf[--n] = '\0';
        else if (n >= 3 && strcmp(buf + n - 3, "\xe3\x80\x80") == 0)
            buf[n -= 3] = '\0';
        else
            break;
    }
    if (n == 0) {
        *kind = PLAN_DL_NONE;
        return true;
    }
    if (strstr(buf, "长期坚持") || strstr(buf, "持续推进") || strcmp(buf, "立即落实") == 0 ||
        strcmp(buf, "长期") == 0) {
        *kind = PLAN_DL_STANDING;
        return true;
    }
    const char *s = buf;
    int y, m = 12, d = 0;
    if (!read_num(&s, 4, &y) || y < 1900 || y > 2200 || !eat(&s, "年")) return false;
    if (eat(&s, "底前") || eat(&s, "年底前") || eat(&s, "底")) {
        m = 12;
        d = 31;
    } else if (eat(&s, "上半年")) {
        m = 6;
        d = 30;
        eat(&s, "内");
    } else if (eat(&s, "下半年")) {
        m = 12;
        d = 31;
        eat(&s, "内");
    } else {
        if (!read_num(&s, 2, &m) || m < 1 || m > 12 || !eat(&s, "月")) return false;
        if (eat(&s, "底前") || eat(&s, "前") || eat(&s, "底")) {
            d = date_days_in_month(y, m);
        } else {
            if (!read_num(&s, 2, &d) || !eat(&s, "日")) return false;
            if (!date_valid_ymd(y, m, d)) return false;
            eat(&s, "前");
        }
    }
    if (*s) return false;
    *kind = PLAN_DL_DATE;
    *day = date_from_ymd(y, m, d);
    return true;
}

/* ---- selectors, codes ---- */

bool plan_selector_known(const char *ref)
{
    return ref && strcmp(ref, "@districts") == 0;
}

bool plan_selector_covers(const char *selector, const char *tier)
{
    return plan_selector_known(selector) && unit_tier_is_district_level(tier);
}

const char *plan_selector_label(const char *selector)
{
    return plan_selector_known(selector) ? "各区县" : NULL;
}

const char *plan_selector_for_label(const char *label)
{
    return label && strcmp(label, "各区县") == 0 ? "@districts" : NULL;
}

static bool key_chars(const char *s, size_t min, size_t max, const char *extra)
{
    if (!s) return false;
    size_t n = strlen(s);
    if (n < min || n > max) return false;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || strchr(extra, ch)))
            return false;
    }
    return true;
}

bool plan_code_valid(const char *code)
{
    return key_chars(code, 2, 64, "-");
}

bool plan_key_valid(const char *key)
{
    return key_chars(key, 1, 64, "-_");
}

bool plan_rule_known(const char *rule)
{
    return rule && strcmp(rule, "all_schools") == 0;
}

json_t *plan_vocabulary_json(void)
{
    json_t *dl = json_object();
    /* in the order the forms offer them */
    static const enum plan_deadline_kind order[] = {PLAN_DL_DATE, PLAN_DL_STANDING, PLAN_DL_NONE};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        json_object_set_new(dl, dl_names[order[i]], json_string(dl_labels[order[i]]));
    return json_pack("{s:{s:s,s:s},s:o,s:{s:s,s:s},s:{s:s}}", "statuses", "draft", "草稿",
                     "published", "已发布", "deadline_kinds", dl, "action_kinds", "action", "行动",
                     "safeguard", "保障措施", "rules", "all_schools",
                     "全部学校达标（学校总数 = 达标学校数）");
}

/* ---- checking helpers ---- */

/* Records a problem at path.name (path may be empty; name may be empty). Returns false. */
__attribute__((format(printf, 5, 6))) static bool
fail(struct problem *p, enum err e, const char *path, const char *name, const char *fmt, ...)
{
    char at[sizeof p->field], reason[256];
    snprintf(at, sizeof at, "%s%s%s", path, *path && *name && name[0] != '[' ? "." : "", name);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (*path)
        problem_set(p, e, at, "%s：%s", at, reason);
    else
        problem_set(p, e, at, "%s", reason);
    return false;
}

static bool only_fields(json_t *o, const char *path, const char *what, const char *const *allowed,
                        struct problem *p)
{
    if (!json_is_object(o)) return fail(p, ERR_BAD_REQUEST, path, "", "%s应为 JSON 对象", what);
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        (void)v;
        bool known = false;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, key) == 0) known = true;
        if (!known) return fail(p, ERR_BAD_REQUEST, path, key, "未知字段：%s", key);
    }
    return true;
}

/* The field or NULL when absent or JSON null. */
static json_t *field(json_t *o, const char *name)
{
    json_t *x = json_object_get(o, name);
    return x && !json_is_null(x) ? x : NULL;
}

static bool get_int(json_t *o, const char *path, const char *name, bool required, long long min,
                    long long max, long long def, long long *out, struct problem *p)
{
    json_t *x = field(o, name);
    *out = def;
    if (!x) return required ? fail(p, ERR_BAD_REQUEST, path, name, "缺少必填字段：%s", name) : true;
    if (!json_is_integer(x)) return fail(p, ERR_BAD_REQUEST, path, name, "字段 %s 应为整数", name);
    long long v = json_integer_value(x);
    if (v < min || v > max)
        return fail(p, ERR_RULE, path, name, "字段 %s 应在 %lld 到 %lld 之间（现为 %lld）", name,
                    min, max, v);
    *out = v;
    return true;
}

/* A string field; "" counts as absent for required fields unless allow_empty. */
static bool get_str(json_t *o, const char *path, const char *name, bool required, bool allow_empty,
                    size_t maxlen, const char **out, struct problem *p)
{
    json_t *x = field(o, name);
    *out = NULL;
    if (!x) return required ? fail(p, ERR_BAD_REQUEST, path, name, "缺少必填字段：%s", name) : true;
    if (!json_is_string(x)) return fail(p, ERR_BAD_REQUEST, path, name, "字段 %s 应为字符串", name);
    const char *s = json_string_value(x);
    size_t n = json_string_length(x);
    if (strlen(s) != n) return fail(p, ERR_BAD_REQUEST, path, name, "字段 %s 含有空字符", name);
    if (n == 0 && required && !allow_empty)
        return fail(p, ERR_RULE, path, name, "字段 %s 不能为空", name);
    if (n > maxlen)
        return fail(p, ERR_RULE, path, name, "字段 %s 过长（最多 %zu 字节）", name, maxlen);
    *out = s;
    return true;
}

/* A 'YYYY-MM-DD' field; *day stays 0 when absent. */
static bool get_date(json_t *o, const char *path, const char *name, bool required, int *day,
                     struct problem *p)
{
    const char *s;
    *day = 0;
    if (!get_str(o, path, name, required, false, 10, &s, p)) return false;
    if (!s) return true;
    if (!date_parse(s, day))
        return fail(p, ERR_RULE, path, name, "字段 %s 应为有效日期 YYYY-MM-DD（现为 %s）", name, s);
    return true;
}

static bool get_bool(json_t *o, const char *path, const char *name, bool def, bool *out,
                     struct problem *p)
{
    json_t *x = field(o, name);
    *out = def;
    if (!x) return true;
    if (!json_is_boolean(x))
        return fail(p, ERR_BAD_REQUEST, path, name, "字段 %s 应为 true 或 false", name);
    *out = json_is_true(x);
    return true;
}

/* An array field (default: a new empty array is set when absent and not required). */
static json_t *get_array(json_t *o, const char *path, const char *name, bool required,
                         size_t max_items, struct problem *p)
{
    json_t *x = field(o, name);
    if (!x) {
        if (required) {
            fail(p, ERR_BAD_REQUEST, path, name, "缺少必填字段：%s", name);
            return NULL;
        }
        x = json_array();
        json_object_set_new(o, name, x);
        return x;
    }
    if (!json_is_array(x)) {
        fail(p, ERR_BAD_REQUEST, path, name, "字段 %s 应为数组", name);
        return NULL;
    }
    if (json_array_size(x) > max_items) {
        fail(p, ERR_RULE, path, name, "字段 %s 最多 %zu 项", name, max_items);
        return NULL;
    }
    return x;
}

/* Optional free text (note): a string or null. */
static bool get_note(json_t *o, const char *path, const char *name, struct problem *p)
{
    const char *s;
    return get_str(o, path, name, false, true, 4000, &s, p);
}

/* Unit references of a task's lead or coop list: strings, each a known selector or a unit
 * that resolves; no repeats. */
static bool check_refs(json_t *arr, const char *path, const char *name, bool selectors_ok,
                       const struct plan_check_ctx *c, struct problem *p)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        char nm[48];
        snprintf(nm, sizeof nm, "%s[%zu]", name, i);
        if (!json_is_string(x))
            return fail(p, ERR_BAD_REQUEST, path, nm,
                        "单位应写作单位简称、行政区划代码或选择符（字符串）");
        const char *ref = json_string_value(x);
        if (!*ref || json_string_length(x) > 200)
            return fail(p, ERR_RULE, path, name, "单位不能为空或过长");
        if (ref[0] == '@') {
            if (!selectors_ok)
                return fail(p, ERR_RULE, path, name, "此处不能使用选择符 %s：请改用 tiers 列出层级",
                            ref);
            if (!plan_selector_known(ref))
                return fail(p, ERR_RULE, path, name, "未知的单位选择符：%s（可用：@districts）",
                            ref);
        } else if (!c->unit(c->unit_ctx, ref)) {
            return fail(p, ERR_RULE, path, name, "单位不存在：%s", ref);
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(json_string_value(json_array_get(arr, j)), ref) == 0)
                return fail(p, ERR_RULE, path, name, "单位重复：%s", ref);
    }
    return true;
}

/* ---- items ---- */

bool plan_check_action(json_t *a, const char *path, struct problem *p)
{
    static const char *const allowed[] = {"no", "title", "kind", "measures", NULL};
    if (!only_fields(a, path, "行动", allowed, p)) return false;
    long long no;
    const char *title, *kind;
    if (!get_int(a, path, "no", true, 1, 999, 0, &no, p) ||
        !get_str(a, path, "title", true, false, 300, &title, p) ||
        !get_str(a, path, "kind", false, false, 16, &kind, p))
        return false;
    if (kind && strcmp(kind, "action") != 0 && strcmp(kind, "safeguard") != 0)
        return fail(p, ERR_RULE, path, "kind",
                    "行动类型应为 action（行动）或 safeguard（保障措施）");
    if (!kind) json_object_set_new(a, "kind", json_string("action"));
    json_t *ms = get_array(a, path, "measures", false, 200, p);
    if (!ms) return false;
    static const char *const mallowed[] = {"no", "title", "text", NULL};
    size_t i;
    json_t *m;
    json_array_foreach(ms, i, m)
    {
        char mp[160];
        snprintf(mp, sizeof mp, "%s%smeasures[%zu]", path, *path ? "." : "", i);
        long long mno;
        const char *mt, *mx;
        if (!only_fields(m, mp, "措施", mallowed, p) ||
            !get_int(m, mp, "no", true, 1, 999, 0, &mno, p) ||
            !get_str(m, mp, "title", true, false, 300, &mt, p) ||
            !get_str(m, mp, "text", true, true, 20000, &mx, p))
            return false;
        for (size_t j = 0; j < i; j++)
            if (json_integer_value(json_object_get(json_array_get(ms, j), "no")) == mno)
                return fail(p, ERR_RULE, mp, "no", "措施序号重复：%lld", mno);
    }
    return true;
}

bool plan_check_deadline(json_t *d, const char *path, struct problem *p)
{
    static const char *const allowed[] = {"kind", "text", "date", NULL};
    if (!only_fields(d, path, "任务时限", allowed, p)) return false;
    const char *text, *kind_s;
    int day = 0;
    if (!get_str(d, path, "text", false, true, 200, &text, p) ||
        !get_str(d, path, "kind", false, false, 16, &kind_s, p) ||
        !get_date(d, path, "date", false, &day, p))
        return false;
    if (!text) text = "";
    enum plan_deadline_kind pk = PLAN_DL_NONE, kind;
    int pday = 0;
    bool parsed = plan_deadline_parse(text, &pk, &pday);
    if (!kind_s) {
        if (!parsed)
            return fail(p, ERR_RULE, path, "text",
                        "无法识别任务时限「%s」：请同时给出 kind（date、standing 或 none）和 date",
                        text);
        kind = pk;
        if (day && kind == PLAN_DL_DATE && day != pday)
            return fail(p, ERR_RULE, path, "date", "日期与时限文字「%s」不符", text);
        day = pday;
    } else {
        if (!plan_deadline_kind_parse(kind_s, &kind))
            return fail(p, ERR_RULE, path, "kind",
                        "时限类型应为 date（期限）、standing（长期坚持）或 none（无）");
        if (parsed && *text && pk != kind)
            return fail(p, ERR_RULE, path, "kind", "时限类型 %s 与时限文字「%s」不符", kind_s,
                        text);
        bool text_date = parsed && pk == PLAN_DL_DATE;
        if (kind == PLAN_DL_DATE) {
            if (!day && !text_date)
                return fail(p, ERR_RULE, path, "date", "期限类时限须给出日期 date");
            if (!day)
                day = pday;
            else if (text_date && day != pday)
                return fail(p, ERR_RULE, path, "date", "日期与时限文字「%s」不符", text);
        } else if (day) {
            return fail(p, ERR_RULE, path, "date", "只有期限类时限（kind = date）才有日期");
        }
        if (kind == PLAN_DL_NONE && *text)
            return fail(p, ERR_RULE, path, "text", "无时限（kind = none）时时限文字应为空");
    }
    char ds[11];
    if (kind == PLAN_DL_DATE) date_format(day, ds);
    json_object_set_new(d, "kind", json_string(plan_deadline_kind_name(kind)));
    json_object_set_new(d, "text", json_string(text));
    json_object_set_new(d, "date", kind == PLAN_DL_DATE ? json_string(ds) : json_null());
    return true;
}

bool plan_check_task(json_t *t, const char *path, const struct plan_check_ctx *c, struct problem *p)
{
    static const char *const allowed[] = {
        "no",       "action",    "measure", "content",   "content_continued",
        "text",     "lead_text", "lead",    "coop_text", "coop",
        "deadline", "note",      NULL};
    if (!only_fields(t, path, "任务", allowed, p)) return false;
    long long no, action, measure;
    const char *content, *text, *lead_text, *coop_text;
    bool cont;
    if (!get_int(t, path, "no", true, 1, 9999, 0, &no, p) ||
        !get_int(t, path, "action", true, 1, 999, 0, &action, p) ||
        !get_int(t, path, "measure", true, 1, 999, 0, &measure, p) ||
        !get_str(t, path, "content", true, false, 500, &content, p) ||
        !get_bool(t, path, "content_continued", false, &cont, p) ||
        !get_str(t, path, "text", true, false, 20000, &text, p) ||
        !get_str(t, path, "lead_text", true, false, 1000, &lead_text, p) ||
        !get_str(t, path, "coop_text", false, true, 1000, &coop_text, p) ||
        !get_note(t, path, "note", p))
        return false;
    json_object_set_new(t, "content_continued", json_boolean(cont));
    if (!coop_text) json_object_set_new(t, "coop_text", json_string(""));
    json_t *lead = get_array(t, path, "lead", true, 100, p);
    if (!lead) return false;
    if (json_array_size(lead) == 0) return fail(p, ERR_RULE, path, "lead", "至少要有一个牵头单位");
    if (!check_refs(lead, path, "lead", true, c, p)) return false;
    json_t *coop = get_array(t, path, "coop", false, 100, p);
    if (!coop || !check_refs(coop, path, "coop", true, c, p)) return false;
    json_t *d = field(t, "deadline");
    if (!d) {
        d = json_object();
        json_object_set_new(t, "deadline", d);
    }
    char dp[160];
    snprintf(dp, sizeof dp, "%s%sdeadline", path, *path ? "." : "");
    return plan_check_deadline(d, dp, p);
}

/* An obligation's who: exactly one of units (1..100 that resolve), tiers (1..16 known ones, no
 * repeats) or facilities (true). */
static bool check_who(json_t *o, const char *path, const struct plan_check_ctx *c,
                      struct problem *p)
{
    json_t *who = field(o, "who");
    char wp[160];
    snprintf(wp, sizeof wp, "%s%swho", path, *path ? "." : "");
    if (!who) return fail(p, ERR_BAD_REQUEST, path, "who", "缺少必填字段：who");
    static const char *const wallowed[] = {"kind", "units", "tiers", "facilities", NULL};
    if (!only_fields(who, wp, "义务主体", wallowed, p)) return false;
    const char *wk;
    if (!get_str(who, wp, "kind", false, false, 16, &wk, p)) return false;
    json_t *units = field(who, "units"), *tiers = field(who, "tiers"),
           *fac = field(who, "facilities");
    int given = (units != NULL) + (tiers != NULL) + (fac != NULL);
    if (given != 1)
        return fail(p, ERR_RULE, path, "who",
                    "义务主体应给出 units（共同承担的单位）、tiers（各层级单位分别承担）或 "
                    "facilities 之一");
    const char *kind_of = units ? "units" : tiers ? "tiers" : "facilities";
    if (wk && strcmp(wk, kind_of) != 0)
        return fail(p, ERR_RULE, wp, "kind", "who.kind 为 %s，却给出了 %s", wk, kind_of);
    if (units) {
        if (!json_is_array(units))
            return fail(p, ERR_BAD_REQUEST, wp, "units", "字段 units 应为数组");
        if (json_array_size(units) == 0 || json_array_size(units) > 100)
            return fail(p, ERR_RULE, wp, "units", "应列出 1 到 100 个单位");
        if (!check_refs(units, wp, "units", false, c, p)) return false;
    } else if (tiers) {
        if (!json_is_array(tiers))
            return fail(p, ERR_BAD_REQUEST, wp, "tiers", "字段 tiers 应为数组");
        if (json_array_size(tiers) == 0 || json_array_size(tiers) > 16)
            return fail(p, ERR_RULE, wp, "tiers", "应列出 1 到 16 个层级");
        size_t i;
        json_t *x;
        json_array_foreach(tiers, i, x)
        {
            if (!json_is_string(x)) return fail(p, ERR_BAD_REQUEST, wp, "tiers", "层级应为字符串");
            if (!unit_tier_valid(json_string_value(x)))
                return fail(p, ERR_RULE, wp, "tiers", "未知单位层级：%s", json_string_value(x));
            for (size_t j = 0; j < i; j++)
                if (json_equal(json_array_get(tiers, j), x))
                    return fail(p, ERR_RULE, wp, "tiers", "层级重复：%s", json_string_value(x));
        }
    } else if (!json_is_true(fac)) {
        return fail(p, ERR_RULE, wp, "facilities",
                    "facilities 只能为 true（每个开放设施分别承担）");
    }
    return true;
}

/* What an obligation counts: its activity kind (a known one when the catalogue is given), a
 * metric of that kind, a known counting rule. */
static bool check_what(json_t *o, const char *path, const struct plan_check_ctx *c,
                       struct problem *p)
{
    const char *kind, *metric, *rule;
    if (!get_str(o, path, "kind", true, false, 64, &kind, p) ||
        !get_str(o, path, "metric", false, false, 64, &metric, p) ||
        !get_str(o, path, "rule", false, false, 64, &rule, p))
        return false;
    json_t *kdef = c->kinds ? json_object_get(c->kinds, kind) : NULL;
    if (c->kinds && !kdef) return fail(p, ERR_RULE, path, "kind", "未知活动类型：%s", kind);
    if (metric && kdef) {
        bool found = false;
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(kdef, "metrics"), i,
                           x) if (strcmp(json_string_value(x), metric) == 0) found = true;
        if (!found)
            return fail(p, ERR_RULE, path, "metric", "活动类型 %s 没有指标 %s", kind, metric);
    }
    if (rule && !plan_rule_known(rule))
        return fail(p, ERR_RULE, path, "rule", "未知计算规则：%s（可用：all_schools）", rule);
    return true;
}

/* How often: a positive minimum per period, from/to (the plan period when absent; inside it
 * when strict), a due date for a one-off obligation only. */
static bool check_when(json_t *o, const char *path, const struct plan_check_ctx *c,
                       struct problem *p)
{
    const char *per_s;
    long long minimum;
    json_t *mx = field(o, "minimum");
    if (mx && json_is_integer(mx) && json_integer_value(mx) <= 0)
        return fail(p, ERR_RULE, path, "minimum", "最少次数 minimum 应为正整数（现为 %lld）",
                    (long long)json_integer_value(mx));
    if (!get_int(o, path, "minimum", true, 1, 1000000, 0, &minimum, p)) return false;
    if (!get_str(o, path, "per", true, false, 16, &per_s, p)) return false;
    long long share;
    if (!get_int(o, path, "assess_min_share", false, 0, 100, 0, &share, p)) return false;
    enum period_kind per;
    if (!period_kind_parse(per_s, &per))
        return fail(p, ERR_RULE, path, "per",
                    "周期 per 应为 month、two_months、quarter、half_year、year、school_year 或 "
                    "once（现为 %s）",
                    per_s);
    int due, from, to;
    if (!get_date(o, path, "due", false, &due, p)) return false;
    if (!get_date(o, path, "from", !c->plan_start, &from, p) ||
        !get_date(o, path, "to", !c->plan_end, &to, p))
        return false;
    char ds[11];
    if (!from) {
        from = c->plan_start;
        date_format(from, ds);
        json_object_set_new(o, "from", json_string(ds));
    }
    if (!to) {
        to = c->plan_end;
        date_format(to, ds);
        json_object_set_new(o, "to", json_string(ds));
    }
    if (from > to) return fail(p, ERR_RULE, path, "from", "开始日期 from 晚于结束日期 to");
    if (per == PERIOD_ONCE) {
        if (!due)
            return fail(p, ERR_RULE, path, "due", "一次性义务（per = once）须给出完成期限 due");
        if (due < from) return fail(p, ERR_RULE, path, "due", "完成期限 due 早于开始日期 from");
    } else if (due) {
        return fail(p, ERR_RULE, path, "due", "只有一次性义务（per = once）才有完成期限 due");
    }
    if (c->strict_period && c->plan_start && from < c->plan_start)
        return fail(p, ERR_RULE, path, "from", "开始日期 from 早于方案起始日");
    if (c->strict_period && c->plan_end && to > c->plan_end)
        return fail(p, ERR_RULE, path, "to", "结束日期 to 晚于方案截止日");
    if (!due) json_object_set_new(o, "due", json_null());
    return true;
}

bool plan_check_obligation(json_t *o, const char *path, const struct plan_check_ctx *c,
                           struct problem *p)
{
    static const char *const allowed[] = {
        "key", "task", "title", "who", "kind", "metric",           "rule", "minimum",
        "per", "due",  "from",  "to",  "note", "assess_min_share", NULL};
    if (!only_fields(o, path, "义务", allowed, p)) return false;
    const char *key, *title;
    long long task;
    if (!get_str(o, path, "key", true, false, 64, &key, p)) return false;
    if (!plan_key_valid(key))
        return fail(p, ERR_RULE, path, "key",
                    "义务编码应为 1 到 64 个小写字母、数字、- 或 _（现为 %s）", key);
    if (!get_int(o, path, "task", true, 1, 9999, 0, &task, p) ||
        !get_str(o, path, "title", true, false, 500, &title, p) || !get_note(o, path, "note", p))
        return false;
    return check_who(o, path, c, p) && check_what(o, path, c, p) && check_when(o, path, c, p);
}

bool plan_check_activity_kind(json_t *k, const char *path, struct problem *p)
{
    static const char *const allowed[] = {"code", "name", "metrics", NULL};
    if (!only_fields(k, path, "活动类型", allowed, p)) return false;
    const char *code, *name;
    if (!get_str(k, path, "code", true, false, 64, &code, p) ||
        !get_str(k, path, "name", true, false, 200, &name, p))
        return false;
    if (!plan_key_valid(code))
        return fail(p, ERR_RULE, path, "code", "活动类型编码应为小写字母、数字、- 或 _（现为 %s）",
                    code);
    json_t *ms = get_array(k, path, "metrics", false, 50, p);
    if (!ms) return false;
    size_t i;
    json_t *x;
    json_array_foreach(ms, i, x)
    {
        if (!json_is_string(x))
            return fail(p, ERR_BAD_REQUEST, path, "metrics", "指标名应为字符串");
        if (!plan_key_valid(json_string_value(x)))
            return fail(p, ERR_RULE, path, "metrics", "指标名应为小写字母、数字、- 或 _（现为 %s）",
                        json_string_value(x));
        for (size_t j = 0; j < i; j++)
            if (json_equal(json_array_get(ms, j), x))
                return fail(p, ERR_RULE, path, "metrics", "指标重复：%s", json_string_value(x));
    }
    return true;
}

bool plan_obligation_rule(json_t *o, struct comply_rule *out)
{
    memset(out, 0, sizeof *out);
    json_t *m = json_object_get(o, "minimum");
    const char *due = json_string_value(json_object_get(o, "due"));
    if (!json_is_integer(m) || json_integer_value(m) < 1 || json_integer_value(m) > 1000000 ||
        !period_kind_parse(json_string_value(json_object_get(o, "per")), &out->per) ||
        !date_parse(json_string_value(json_object_get(o, "from")), &out->from) ||
        !date_parse(json_string_value(json_object_get(o, "to")), &out->to))
        return false;
    out->minimum = (int)json_integer_value(m);
    out->grace_days = COMPLY_GRACE_DAYS;
    long long share = json_integer_value(json_object_get(o, "assess_min_share"));
    out->min_share = share > 0 && share <= 100 ? (int)share : 0;
    if (out->per == PERIOD_ONCE) return due && date_parse(due, &out->due);
    return true;
}

/* ---- the whole document ---- */

json_t *plan_find_no(json_t *arr, long long no)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) if (json_integer_value(json_object_get(x, "no")) == no) return x;
    return NULL;
}

/* The plan fields of a document: code, version, status, title, doc_no, issued, start ≤ end
 * (*start and *end their day numbers). */
static bool check_plan_fields(json_t *doc, int *start, int *end, struct problem *p)
{
    const char *code, *status, *title, *doc_no;
    long long version;
    int issued;
    if (!get_str(doc, "", "code", true, false, 64, &code, p)) return false;
    if (!plan_code_valid(code))
        return fail(p, ERR_RULE, "", "code", "方案编码应为 2 到 64 个小写字母、数字或 -（现为 %s）",
                    code);
    if (!get_int(doc, "", "version", false, 1, 100000, 1, &version, p) ||
        !get_str(doc, "", "status", false, false, 16, &status, p))
        return false;
    if (status && strcmp(status, "draft") != 0 && strcmp(status, "published") != 0)
        return fail(p, ERR_RULE, "", "status", "状态应为 draft 或 published");
    if (!get_str(doc, "", "title", true, false, 500, &title, p) ||
        !get_str(doc, "", "doc_no", false, true, 100, &doc_no, p) ||
        !get_date(doc, "", "issued", false, &issued, p) ||
        !get_date(doc, "", "start", true, start, p) || !get_date(doc, "", "end", true, end, p))
        return false;
    if (*start > *end) return fail(p, ERR_RULE, "", "end", "方案截止日 end 早于起始日 start");
    return true;
}

/* year_themes (one per year) and notes (strings). */
static bool check_themes_notes(json_t *doc, struct problem *p)
{
    json_t *themes = get_array(doc, "", "year_themes", false, 100, p);
    if (!themes) return false;
    size_t i;
    json_t *x;
    json_array_foreach(themes, i, x)
    {
        char ip[48];
        snprintf(ip, sizeof ip, "year_themes[%zu]", i);
        static const char *const tallowed[] = {"year", "text", NULL};
        long long year;
        const char *text;
        if (!only_fields(x, ip, "年度主题", tallowed, p) ||
            !get_int(x, ip, "year", true, 1900, 2200, 0, &year, p) ||
            !get_str(x, ip, "text", true, false, 4000, &text, p))
            return false;
        for (size_t j = 0; j < i; j++)
            if (json_integer_value(json_object_get(json_array_get(themes, j), "year")) == year)
                return fail(p, ERR_RULE, ip, "year", "年度重复：%lld", year);
    }
    json_t *notes = get_array(doc, "", "notes", false, 1000, p);
    if (!notes) return false;
    json_array_foreach(notes, i, x)
    {
        if (!json_is_string(x)) {
            char ip[48];
            snprintf(ip, sizeof ip, "notes[%zu]", i);
            return fail(p, ERR_BAD_REQUEST, ip, "", "说明应为字符串");
        }
    }
    return true;
}

/* The document's own activity kinds, each checked and unique, added to kinds (a copy of the
 * stored catalogue c->kinds); one that redefines a stored kind differently is refused. */
static bool check_doc_kinds(json_t *doc, const struct plan_check_ctx *c, json_t *kinds,
                            struct problem *p)
{
    json_t *dk = get_array(doc, "", "activity_kinds", false, 1000, p);
    if (!dk) return false;
    size_t i;
    json_t *x;
    json_array_foreach(dk, i, x)
    {
        char ip[48];
        snprintf(ip, sizeof ip, "activity_kinds[%zu]", i);
        if (!plan_check_activity_kind(x, ip, p)) return false;
        const char *kc = json_string_value(json_object_get(x, "code"));
        for (size_t j = 0; j < i; j++)
            if (strcmp(json_string_value(json_object_get(json_array_get(dk, j), "code")), kc) == 0)
                return fail(p, ERR_RULE, ip, "code", "活动类型编码重复：%s", kc);
        json_t *mine = json_pack("{s:O,s:O}", "name", json_object_get(x, "name"), "metrics",
                                 json_object_get(x, "metrics"));
        json_t *known = c->kinds ? json_object_get(c->kinds, kc) : NULL;
        if (known && !json_equal(known, mine)) {
            json_decref(mine);
            return fail(p, ERR_RULE, ip, "",
                        "活动类型 %s 已存在且名称或指标不同：活动类型由各方案共用，不能在此改变",
                        kc);
        }
        json_object_set_new(kinds, kc, mine);
    }
    return true;
}

/* The actions, each checked, numbers unique: the array, NULL on a problem. */
static json_t *check_doc_actions(json_t *doc, struct problem *p)
{
    json_t *actions = get_array(doc, "", "actions", true, 200, p);
    if (!actions) return NULL;
    size_t i;
    json_t *x;
    json_array_foreach(actions, i, x)
    {
        char ip[48];
        snprintf(ip, sizeof ip, "actions[%zu]", i);
        if (!plan_check_action(x, ip, p)) return NULL;
        long long no = json_integer_value(json_object_get(x, "no"));
        for (size_t j = 0; j < i; j++)
            if (json_integer_value(json_object_get(json_array_get(actions, j), "no")) == no) {
                fail(p, ERR_RULE, ip, "no", "行动序号重复：%lld", no);
                return NULL;
            }
    }
    return actions;
}

/* The tasks, each checked in the plan (cc), numbers unique, each on an action and measure of
 * actions: the array, NULL on a problem. */
static json_t *check_doc_tasks(json_t *doc, json_t *actions, const struct plan_check_ctx *cc,
                               struct problem *p)
{
    json_t *tasks = get_array(doc, "", "tasks", true, 5000, p);
    if (!tasks) return NULL;
    size_t i;
    json_t *x;
    json_array_foreach(tasks, i, x)
    {
        char ip[48];
        snprintf(ip, sizeof ip, "tasks[%zu]", i);
        if (!plan_check_task(x, ip, cc, p)) return NULL;
        long long no = json_integer_value(json_object_get(x, "no"));
        for (size_t j = 0; j < i; j++)
            if (json_integer_value(json_object_get(json_array_get(tasks, j), "no")) == no) {
                fail(p, ERR_RULE, ip, "no", "任务序号重复：%lld", no);
                return NULL;
            }
        long long an = json_integer_value(json_object_get(x, "action"));
        long long mn = json_integer_value(json_object_get(x, "measure"));
        json_t *a = plan_find_no(actions, an);
        if (!a) {
            fail(p, ERR_RULE, ip, "action", "行动 %lld 不存在", an);
            return NULL;
        }
        if (!plan_find_no(json_object_get(a, "measures"), mn)) {
            fail(p, ERR_RULE, ip, "measure", "行动 %lld 没有措施 %lld", an, mn);
            return NULL;
        }
    }
    return tasks;
}

/* The obligations, each checked in the plan (cc), keys unique, each on a task of tasks. */
static bool check_doc_obligations(json_t *doc, json_t *tasks, const struct plan_check_ctx *cc,
                                  struct problem *p)
{
    json_t *obls = get_array(doc, "", "obligations", false, 10000, p);
    if (!obls) return false;
    size_t i;
    json_t *x;
    json_array_foreach(obls, i, x)
    {
        char ip[48];
        snprintf(ip, sizeof ip, "obligations[%zu]", i);
        if (!plan_check_obligation(x, ip, cc, p)) return false;
        const char *key = json_string_value(json_object_get(x, "key"));
        for (size_t j = 0; j < i; j++)
            if (strcmp(json_string_value(json_object_get(json_array_get(obls, j), "key")), key) ==
                0)
                return fail(p, ERR_RULE, ip, "key", "义务编码重复：%s", key);
        long long tn = json_integer_value(json_object_get(x, "task"));
        if (!plan_find_no(tasks, tn)) return fail(p, ERR_RULE, ip, "task", "任务 %lld 不存在", tn);
    }
    return true;
}

bool plan_check_doc(json_t *doc, const struct plan_check_ctx *c, struct problem *p)
{
    static const char *const allowed[] = {"code",        "version", "status", "title",
                                          "doc_no",      "issued",  "start",  "end",
                                          "year_themes", "actions", "tasks",  "activity_kinds",
                                          "obligations", "notes",   NULL};
    memset(p, 0, sizeof *p);
    if (!only_fields(doc, "", "方案文件", allowed, p)) return false;
    int start, end;
    if (!check_plan_fields(doc, &start, &end, p) || !check_themes_notes(doc, p)) return false;
    /* activity kinds: the stored catalogue plus the document's own; items are checked in the
     * plan's period, strictly */
    json_t *kinds = c->kinds ? json_deep_copy(c->kinds) : json_object();
    struct plan_check_ctx cc = *c;
    cc.kinds = kinds;
    cc.plan_start = start;
    cc.plan_end = end;
    cc.strict_period = true;
    json_t *actions = NULL, *tasks = NULL;
    bool ok = check_doc_kinds(doc, c, kinds, p) && (actions = check_doc_actions(doc, p)) &&
              (tasks = check_doc_tasks(doc, actions, &cc, p)) &&
              check_doc_obligations(doc, tasks, &cc, p);
    json_decref(kinds);
    return ok;
}
