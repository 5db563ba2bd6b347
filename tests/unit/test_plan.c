/* test_plan.c - unit tests for src/plan/plan_rules.c, the pure rules of the plan area:
 * reading 任务时限 texts into kind and date, the "@districts" selector (41 district-level
 * units: districts, counties and zones), obligation and task checks with the field at fault,
 * and whole plan documents - the embedded 2021-2025 plan checked against the embedded units,
 * and broken copies of it whose errors name the JSON path. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/date.h"
#include "base/embedded.h"
#include "plan/plan.h"

/* ---- a unit catalogue from the embedded units.json (key or code → id) ---- */

static json_t *units_by_ref; /* object ref → integer id */
static json_t *units_tier;   /* object ref → tier */

static void load_units(void)
{
    json_t *root = json_loads(embedded_find(embedded_data, "units.json"), 0, NULL);
    cr_assert_not_null(root);
    units_by_ref = json_object();
    units_tier = json_object();
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(root, "units"), i, u)
    {
        const char *key = json_string_value(json_object_get(u, "key"));
        const char *code = json_string_value(json_object_get(u, "code"));
        const char *tier = json_string_value(json_object_get(u, "tier"));
        json_object_set_new(units_by_ref, key, json_integer((json_int_t)i + 1));
        json_object_set_new(units_tier, key, json_string(tier));
        if (code) json_object_set_new(units_by_ref, code, json_integer((json_int_t)i + 1));
    }
    json_decref(root);
}

static void free_units(void)
{
    json_decref(units_by_ref);
    json_decref(units_tier);
}

static long long lookup(void *ctx, const char *ref)
{
    (void)ctx;
    return json_integer_value(json_object_get(units_by_ref, ref));
}

static json_t *plan_doc(void)
{
    json_t *doc = json_loads(embedded_find(embedded_data, "cq-2021-2025.json"), 0, NULL);
    cr_assert_not_null(doc);
    return doc;
}

static struct plan_check_ctx ctx(json_t *kinds)
{
    struct plan_check_ctx c = {.unit = lookup, .kinds = kinds};
    date_parse("2021-07-01", &c.plan_start);
    date_parse("2025-12-31", &c.plan_end);
    return c;
}

/* ---- deadlines ---- */

static void expect_date(const char *text, const char *ymd)
{
    enum plan_deadline_kind k = PLAN_DL_NONE;
    int day = 0;
    cr_assert(plan_deadline_parse(text, &k, &day), "not parsed: %s", text);
    cr_assert_eq(k, PLAN_DL_DATE, "%s: kind %d", text, k);
    char out[11];
    date_format(day, out);
    cr_assert_str_eq(out, ymd, "%s", text);
}

static void expect_kind(const char *text, enum plan_deadline_kind want)
{
    enum plan_deadline_kind k = PLAN_DL_DATE;
    int day = 0;
    cr_assert(plan_deadline_parse(text, &k, &day), "not parsed: %s", text);
    cr_assert_eq(k, want, "%s", text);
}

Test(deadline, the_time_limits_of_the_seed)
{
    expect_date("2021年底前", "2021-12-31");
    expect_date("2022年底前", "2022-12-31");
    expect_date("2025年底前", "2025-12-31");
    expect_date("2022年6月前", "2022-06-30");
    expect_kind("立即落实，长期坚持", PLAN_DL_STANDING);
    expect_kind("立即落实、长期坚持", PLAN_DL_STANDING);
    expect_kind("长期坚持", PLAN_DL_STANDING);
    expect_kind("", PLAN_DL_NONE);
    expect_kind(NULL, PLAN_DL_NONE);
}

Test(deadline, other_written_forms)
{
    expect_date("2025年年底前", "2025-12-31");
    expect_date("2023年2月底前", "2023-02-28");
    expect_date("2024年2月前", "2024-02-29");
    expect_date("2022年6月30日前", "2022-06-30");
    expect_date("2022年9月1日", "2022-09-01");
    expect_date("2022年上半年", "2022-06-30");
    expect_date("2022年下半年", "2022-12-31");
    expect_date(" 2026年底前　", "2026-12-31"); /* spaces, ideographic too */
    expect_kind("  ", PLAN_DL_NONE);
    expect_kind("持续推进", PLAN_DL_STANDING);
    expect_kind("立即落实", PLAN_DL_STANDING);
}

Test(deadline, unreadable_texts_are_refused)
{
    static const char *const bad[] = {
        "明年",      "2022年", "2022年13月前", "2022年2月30日前", "2022年底前完成", "22年底前",
        "2022年6月", "每年",   "2022-06-30",   "12345年底前",     "年底前",         "2022年0月前"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        enum plan_deadline_kind k;
        int day;
        cr_assert_not(plan_deadline_parse(bad[i], &k, &day), "parsed: %s", bad[i]);
    }
}

Test(deadline, kind_names)
{
    enum plan_deadline_kind k;
    cr_assert(plan_deadline_kind_parse("standing", &k) && k == PLAN_DL_STANDING);
    cr_assert(plan_deadline_kind_parse("date", &k) && k == PLAN_DL_DATE);
    cr_assert(plan_deadline_kind_parse("none", &k) && k == PLAN_DL_NONE);
    cr_assert_not(plan_deadline_kind_parse("soon", &k));
    cr_assert_str_eq(plan_deadline_kind_name(PLAN_DL_STANDING), "standing");
}

static json_t *deadline(const char *json)
{
    json_t *d = json_loads(json, 0, NULL);
    cr_assert_not_null(d, "%s", json);
    return d;
}

Test(deadline, check_fills_kind_and_date_from_the_text)
{
    struct problem p = {0};
    json_t *d = deadline("{\"text\":\"2022年6月前\"}");
    cr_assert(plan_check_deadline(d, "", &p), "%s", p.msg);
    cr_assert_str_eq(json_string_value(json_object_get(d, "kind")), "date");
    cr_assert_str_eq(json_string_value(json_object_get(d, "date")), "2022-06-30");
    json_decref(d);

    d = deadline("{\"kind\":\"standing\",\"text\":\"立即落实，长期坚持\",\"date\":null}");
    cr_assert(plan_check_deadline(d, "", &p), "%s", p.msg);
    cr_assert(json_is_null(json_object_get(d, "date")));
    json_decref(d);

    /* an unreadable text is kept with an explicit kind and date */
    d = deadline("{\"kind\":\"date\",\"text\":\"第一季度末前\",\"date\":\"2026-03-31\"}");
    cr_assert(plan_check_deadline(d, "", &p), "%s", p.msg);
    json_decref(d);
}

static void expect_problem(bool ok, const struct problem *p, enum err e, const char *field)
{
    cr_assert_not(ok, "accepted, expected %s", field);
    cr_assert_eq(p->err, e, "err %d for %s (%s)", p->err, p->field, p->msg);
    cr_assert_str_eq(p->field, field, "%s", p->msg);
    cr_assert_gt(strlen(p->msg), 0);
}

Test(deadline, check_refuses_contradictions)
{
    struct problem p = {0};
    json_t *d = deadline("{\"text\":\"2022年6月前\",\"date\":\"2022-12-31\"}");
    expect_problem(plan_check_deadline(d, "", &p), &p, ERR_RULE, "date");
    json_decref(d);
    d = deadline("{\"kind\":\"standing\",\"text\":\"2022年底前\"}");
    expect_problem(plan_check_deadline(d, "deadline", &p), &p, ERR_RULE, "deadline.kind");
    json_decref(d);
    d = deadline("{\"kind\":\"none\",\"text\":\"随时\"}");
    expect_problem(plan_check_deadline(d, "", &p), &p, ERR_RULE, "text");
    json_decref(d);
    d = deadline("{\"text\":\"看情况\"}");
    expect_problem(plan_check_deadline(d, "", &p), &p, ERR_RULE, "text");
    json_decref(d);
    d = deadline("{\"kind\":\"date\",\"text\":\"\"}");
    expect_problem(plan_check_deadline(d, "", &p), &p, ERR_RULE, "date");
    json_decref(d);
    d = deadline("{\"kind\":\"standing\",\"text\":\"长期坚持\",\"date\":\"2022-01-01\"}");
    expect_problem(plan_check_deadline(d, "", &p), &p, ERR_RULE, "date");
    json_decref(d);
    d = deadline("{\"kind\":\"soon\"}");
    expect_problem(plan_check_deadline(d, "", &p), &p, ERR_RULE, "kind");
    json_decref(d);
    d = deadline("{\"when\":\"2022\"}");
    expect_problem(plan_check_deadline(d, "", &p), &p, ERR_BAD_REQUEST, "when");
    json_decref(d);
}

/* ---- selectors and codes ---- */

Test(selector, districts_means_districts_counties_and_zones)
{
    cr_assert(plan_selector_known("@districts"));
    cr_assert_not(plan_selector_known("@cities"));
    cr_assert_not(plan_selector_known("各区县"));
    cr_assert(plan_selector_covers("@districts", "district"));
    cr_assert(plan_selector_covers("@districts", "county"));
    cr_assert(plan_selector_covers("@districts", "zone"));
    cr_assert_not(plan_selector_covers("@districts", "city_department"));
    cr_assert_not(plan_selector_covers("@districts", "group"));
    cr_assert_not(plan_selector_covers("@districts", "school"));
    cr_assert_not(plan_selector_covers("@nothing", "district"));
    cr_assert_str_eq(plan_selector_label("@districts"), "各区县");
    cr_assert_null(plan_selector_label("@x"));
}

Test(selector, expands_to_the_41_district_level_units_of_the_catalogue)
{
    load_units();
    json_t *root = json_loads(embedded_find(embedded_data, "units.json"), 0, NULL);
    size_t i, n = 0, zones = 0;
    json_t *u;
    json_array_foreach(json_object_get(root, "units"), i, u)
    {
        const char *tier = json_string_value(json_object_get(u, "tier"));
        if (plan_selector_covers("@districts", tier)) {
            n++;
            if (strcmp(tier, "zone") == 0) zones++;
        }
    }
    cr_assert_eq(n, 41);
    cr_assert_eq(zones, 3);
    json_decref(root);
    free_units();
}

Test(codes, plan_codes_and_keys)
{
    cr_assert(plan_code_valid("cq-2021-2025"));
    cr_assert(plan_code_valid("cq-2026-2030"));
    cr_assert_not(plan_code_valid("c"));
    cr_assert_not(plan_code_valid("CQ-2021"));
    cr_assert_not(plan_code_valid("-cq"));
    cr_assert_not(plan_code_valid("cq 2021"));
    cr_assert_not(plan_code_valid("重庆"));
    cr_assert_not(plan_code_valid(NULL));
    cr_assert(plan_key_valid("t17-press-district"));
    cr_assert(plan_key_valid("press_conference"));
    cr_assert_not(plan_key_valid(""));
    cr_assert_not(plan_key_valid("t17/press"));
    cr_assert(plan_rule_known("all_schools"));
    cr_assert_not(plan_rule_known("most_schools"));
}

/* The words /me labels.plans gives: every deadline kind plan_deadline_kind_parse accepts, and
 * every rule plan_rule_known knows, has a label. */
Test(plan, vocabulary)
{
    json_t *v = plan_vocabulary_json();
    json_t *dl = json_object_get(v, "deadline_kinds");
    cr_assert_eq(json_object_size(dl), 3);
    const char *k;
    json_t *l;
    json_object_foreach(dl, k, l)
    {
        enum plan_deadline_kind kind;
        cr_assert(plan_deadline_kind_parse(k, &kind), "%s", k);
    }
    cr_assert_str_eq(json_string_value(json_object_get(dl, "standing")), "长期坚持");
    cr_assert_str_eq(json_string_value(json_object_get(dl, "date")), "限期完成");
    json_object_foreach(json_object_get(v, "rules"), k, l) cr_assert(plan_rule_known(k), "%s", k);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(v, "statuses"), "draft")),
                     "草稿");
    cr_assert_str_eq(
        json_string_value(json_object_get(json_object_get(v, "action_kinds"), "safeguard")),
        "保障措施");
    json_decref(v);
}

/* ---- obligations ---- */

static json_t *kinds_catalogue(void)
{
    return json_loads("{\"press_conference\":{\"name\":\"新闻发布会\",\"metrics\":["
                      "\"participants\",\"reports\"]},"
                      "\"original_article\":{\"name\":\"原创稿件\",\"metrics\":[\"articles\"]}}",
                      0, NULL);
}

static json_t *obligation(void)
{
    return json_loads("{\"key\":\"t17-press-district\",\"task\":17,\"title\":\"区级新闻发布会\","
                      "\"who\":{\"tiers\":[\"district\",\"zone\"]},\"kind\":\"press_conference\","
                      "\"metric\":null,\"rule\":null,\"minimum\":1,\"per\":\"quarter\","
                      "\"from\":\"2021-07-01\",\"to\":\"2025-12-31\"}",
                      0, NULL);
}

/* Checks obligation() with one field replaced (value NULL removes it). */
static bool check_with(const char *name, json_t *value, struct problem *p)
{
    json_t *o = obligation(), *kinds = kinds_catalogue();
    if (value)
        json_object_set_new(o, name, value);
    else
        json_object_del(o, name);
    struct plan_check_ctx c = ctx(kinds);
    memset(p, 0, sizeof *p);
    bool ok = plan_check_obligation(o, "", &c, p);
    json_decref(o);
    json_decref(kinds);
    return ok;
}

Test(obligation, a_valid_one_passes_and_gets_due_null)
{
    load_units();
    json_t *o = obligation(), *kinds = kinds_catalogue();
    struct plan_check_ctx c = ctx(kinds);
    struct problem p = {0};
    cr_assert(plan_check_obligation(o, "", &c, &p), "%s", p.msg);
    cr_assert(json_is_null(json_object_get(o, "due")));
    json_decref(o);
    json_decref(kinds);
    free_units();
}

Test(obligation, minimum_must_be_positive)
{
    struct problem p;
    load_units();
    expect_problem(check_with("minimum", json_integer(-1), &p), &p, ERR_RULE, "minimum");
    cr_assert(strstr(p.msg, "-1"), "%s", p.msg);
    expect_problem(check_with("minimum", json_integer(0), &p), &p, ERR_RULE, "minimum");
    expect_problem(check_with("minimum", json_string("3"), &p), &p, ERR_BAD_REQUEST, "minimum");
    expect_problem(check_with("minimum", json_real(1.5), &p), &p, ERR_BAD_REQUEST, "minimum");
    expect_problem(check_with("minimum", NULL, &p), &p, ERR_BAD_REQUEST, "minimum");
    cr_assert(check_with("minimum", json_integer(10), &p), "%s", p.msg);
    free_units();
}

Test(obligation, assess_min_share_is_a_percent_and_reaches_the_rule)
{
    struct problem p;
    load_units();
    cr_assert(check_with("assess_min_share", json_integer(50), &p), "%s", p.msg);
    cr_assert(check_with("assess_min_share", json_integer(0), &p), "%s", p.msg);
    cr_assert(check_with("assess_min_share", json_integer(100), &p), "%s", p.msg);
    expect_problem(check_with("assess_min_share", json_integer(101), &p), &p, ERR_RULE,
                   "assess_min_share");
    expect_problem(check_with("assess_min_share", json_integer(-1), &p), &p, ERR_RULE,
                   "assess_min_share");
    expect_problem(check_with("assess_min_share", json_string("50%"), &p), &p, ERR_BAD_REQUEST,
                   "assess_min_share");
    json_t *o = obligation();
    struct comply_rule r;
    cr_assert(plan_obligation_rule(o, &r));
    cr_assert_eq(r.min_share, 0, "absent: every period is assessed, as before");
    json_object_set_new(o, "assess_min_share", json_integer(50));
    cr_assert(plan_obligation_rule(o, &r));
    cr_assert_eq(r.min_share, 50);
    json_decref(o);
    free_units();
}

Test(obligation, per_is_one_of_the_known_periods)
{
    struct problem p;
    load_units();
    static const char *const ok[] = {"month",     "two_months", "quarter",
                                     "half_year", "year",       "school_year"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        cr_assert(check_with("per", json_string(ok[i]), &p), "%s: %s", ok[i], p.msg);
    expect_problem(check_with("per", json_string("weekly"), &p), &p, ERR_RULE, "per");
    expect_problem(check_with("per", json_string("Quarter"), &p), &p, ERR_RULE, "per");
    free_units();
}

Test(obligation, once_needs_due_and_only_once_has_it)
{
    struct problem p;
    load_units();
    expect_problem(check_with("per", json_string("once"), &p), &p, ERR_RULE, "due");
    expect_problem(check_with("due", json_string("2022-12-31"), &p), &p, ERR_RULE, "due");
    json_t *o = obligation(), *kinds = kinds_catalogue();
    json_object_set_new(o, "per", json_string("once"));
    json_object_set_new(o, "due", json_string("2022-12-31"));
    struct plan_check_ctx c = ctx(kinds);
    cr_assert(plan_check_obligation(o, "", &c, &p), "%s", p.msg);
    json_object_set_new(o, "due", json_string("2021-06-30"));
    expect_problem(plan_check_obligation(o, "", &c, &p), &p, ERR_RULE, "due");
    json_object_set_new(o, "due", json_string("2022-02-30"));
    expect_problem(plan_check_obligation(o, "", &c, &p), &p, ERR_RULE, "due");
    json_decref(o);
    json_decref(kinds);
    free_units();
}

Test(obligation, from_not_after_to_and_defaults_from_the_plan)
{
    struct problem p;
    load_units();
    expect_problem(check_with("from", json_string("2026-01-01"), &p), &p, ERR_RULE, "from");
    /* without from/to the plan period is used */
    json_t *o = obligation(), *kinds = kinds_catalogue();
    json_object_del(o, "from");
    json_object_del(o, "to");
    struct plan_check_ctx c = ctx(kinds);
    cr_assert(plan_check_obligation(o, "", &c, &p), "%s", p.msg);
    cr_assert_str_eq(json_string_value(json_object_get(o, "from")), "2021-07-01");
    cr_assert_str_eq(json_string_value(json_object_get(o, "to")), "2025-12-31");
    /* outside the plan period only matters when strict (publishing, importing) */
    json_object_set_new(o, "to", json_string("2026-06-30"));
    cr_assert(plan_check_obligation(o, "", &c, &p), "%s", p.msg);
    c.strict_period = true;
    expect_problem(plan_check_obligation(o, "obligations[4]", &c, &p), &p, ERR_RULE,
                   "obligations[4].to");
    json_decref(o);
    json_decref(kinds);
    free_units();
}

Test(obligation, who_units_must_resolve_and_name_the_unknown_one)
{
    struct problem p;
    load_units();
    cr_assert(check_with("who", json_pack("{s:[s,s]}", "units", "市生态环境局", "市委宣传部"), &p),
              "%s", p.msg);
    expect_problem(
        check_with("who", json_pack("{s:[s,s]}", "units", "市生态环境局", "市宣传局"), &p), &p,
        ERR_RULE, "who.units");
    cr_assert(strstr(p.msg, "市宣传局"), "%s", p.msg);
    expect_problem(check_with("who", json_pack("{s:[s]}", "units", "@districts"), &p), &p, ERR_RULE,
                   "who.units");
    expect_problem(check_with("who", json_pack("{s:[s,s]}", "units", "市教委", "市教委"), &p), &p,
                   ERR_RULE, "who.units");
    expect_problem(check_with("who", json_pack("{s:[]}", "units"), &p), &p, ERR_RULE, "who.units");
    expect_problem(check_with("who", json_pack("{s:[s]}", "tiers", "province"), &p), &p, ERR_RULE,
                   "who.tiers");
    expect_problem(
        check_with("who", json_pack("{s:[s],s:[s]}", "tiers", "county", "units", "市教委"), &p), &p,
        ERR_RULE, "who");
    expect_problem(check_with("who", json_pack("{s:b}", "facilities", 0), &p), &p, ERR_RULE,
                   "who.facilities");
    expect_problem(
        check_with("who", json_pack("{s:s,s:[s]}", "kind", "units", "tiers", "county"), &p), &p,
        ERR_RULE, "who.kind");
    cr_assert(check_with("who", json_pack("{s:b}", "facilities", 1), &p), "%s", p.msg);
    cr_assert(check_with("who", json_pack("{s:s,s:[s]}", "kind", "units", "units", "500103"), &p),
              "%s", p.msg);
    free_units();
}

Test(obligation, kind_metric_rule_and_unknown_fields)
{
    struct problem p;
    load_units();
    expect_problem(check_with("kind", json_string("tea_party"), &p), &p, ERR_RULE, "kind");
    expect_problem(check_with("metric", json_string("articles"), &p), &p, ERR_RULE, "metric");
    cr_assert(check_with("metric", json_string("reports"), &p), "%s", p.msg);
    expect_problem(check_with("rule", json_string("most_schools"), &p), &p, ERR_RULE, "rule");
    expect_problem(check_with("key", json_string("T17 press"), &p), &p, ERR_RULE, "key");
    expect_problem(check_with("colour", json_string("red"), &p), &p, ERR_BAD_REQUEST, "colour");
    expect_problem(check_with("task", json_string("17"), &p), &p, ERR_BAD_REQUEST, "task");
    free_units();
}

Test(obligation, becomes_a_compliance_rule)
{
    json_t *doc = plan_doc();
    json_t *obls = json_object_get(doc, "obligations");
    struct comply_rule r;
    int from, to, due;
    date_parse("2021-07-01", &from);
    date_parse("2025-12-31", &to);
    size_t i;
    json_t *o;
    size_t n = 0;
    json_array_foreach(obls, i, o)
    {
        cr_assert(plan_obligation_rule(o, &r), "obligation %zu", i);
        const char *key = json_string_value(json_object_get(o, "key"));
        if (strcmp(key, "t17-press-district") == 0) {
            cr_assert_eq(r.per, PERIOD_QUARTER);
            cr_assert_eq(r.minimum, 1);
            cr_assert_eq(r.from, from);
            cr_assert_eq(r.to, to);
            cr_assert_eq(r.grace_days, COMPLY_GRACE_DAYS);
            n++;
        } else if (strcmp(key, "t38-behaviour-survey") == 0) {
            date_parse("2025-12-31", &due);
            cr_assert_eq(r.per, PERIOD_ONCE);
            cr_assert_eq(r.minimum, 2);
            cr_assert_eq(r.due, due);
            n++;
        } else if (strcmp(key, "t51-school-class-hours") == 0) {
            cr_assert_eq(r.per, PERIOD_SCHOOL_YEAR);
            n++;
        }
    }
    cr_assert_eq(n, 3);
    json_t *bad = json_pack("{s:i,s:s,s:s,s:s}", "minimum", 1, "per", "once", "from", "2021-07-01",
                            "to", "2025-12-31");
    cr_assert_not(plan_obligation_rule(bad, &r), "once without due");
    json_object_set_new(bad, "per", json_string("weekly"));
    cr_assert_not(plan_obligation_rule(bad, &r));
    json_decref(bad);
    json_decref(doc);
}

/* ---- tasks ---- */

static json_t *task17(void)
{
    json_t *doc = plan_doc();
    json_t *t = json_deep_copy(json_array_get(json_object_get(doc, "tasks"), 16));
    json_decref(doc);
    return t;
}

Test(task, task_17_passes_and_unit_errors_name_the_unit)
{
    load_units();
    struct plan_check_ctx c = ctx(NULL);
    struct problem p = {0};
    json_t *t = task17();
    cr_assert_eq(json_integer_value(json_object_get(t, "no")), 17);
    cr_assert(plan_check_task(t, "", &c, &p), "%s", p.msg);
    json_array_set_new(json_object_get(t, "coop"), 0, json_string("区县宣传科"));
    expect_problem(plan_check_task(t, "tasks[16]", &c, &p), &p, ERR_RULE, "tasks[16].coop");
    cr_assert(strstr(p.msg, "区县宣传科"), "%s", p.msg);
    cr_assert(strstr(p.msg, "tasks[16].coop"), "the message names the path: %s", p.msg);
    json_array_set_new(json_object_get(t, "coop"), 0, json_string("@everyone"));
    expect_problem(plan_check_task(t, "", &c, &p), &p, ERR_RULE, "coop");
    json_decref(t);
    free_units();
}

Test(task, defaults_and_shape)
{
    load_units();
    struct plan_check_ctx c = ctx(NULL);
    struct problem p = {0};
    json_t *t =
        json_pack("{s:i,s:i,s:i,s:s,s:s,s:s,s:[s]}", "no", 87, "action", 3, "measure", 2, "content",
                  "做好新闻发布", "text", "新任务", "lead_text", "各区县", "lead", "@districts");
    cr_assert(plan_check_task(t, "", &c, &p), "%s", p.msg);
    cr_assert(json_is_false(json_object_get(t, "content_continued")));
    cr_assert_str_eq(json_string_value(json_object_get(t, "coop_text")), "");
    cr_assert_eq(json_array_size(json_object_get(t, "coop")), 0);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t, "deadline"), "kind")),
                     "none");
    json_object_set_new(t, "lead", json_array());
    expect_problem(plan_check_task(t, "", &c, &p), &p, ERR_RULE, "lead");
    json_object_set_new(t, "lead", json_pack("[s,s]", "市教委", "市教委"));
    expect_problem(plan_check_task(t, "", &c, &p), &p, ERR_RULE, "lead");
    json_object_set_new(t, "lead", json_pack("[i]", 3));
    expect_problem(plan_check_task(t, "", &c, &p), &p, ERR_BAD_REQUEST, "lead[0]");
    json_object_set_new(t, "lead", json_pack("[s]", "市教委"));
    json_object_set_new(t, "no", json_integer(0));
    expect_problem(plan_check_task(t, "", &c, &p), &p, ERR_RULE, "no");
    json_object_set_new(t, "no", json_integer(87));
    json_object_set_new(t, "deadline", json_pack("{s:s}", "text", "2026年6月前"));
    cr_assert(plan_check_task(t, "", &c, &p), "%s", p.msg);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t, "deadline"), "date")),
                     "2026-06-30");
    json_object_set_new(t, "deadline", json_pack("{s:s}", "text", "尽快"));
    expect_problem(plan_check_task(t, "tasks[0]", &c, &p), &p, ERR_RULE, "tasks[0].deadline.text");
    json_decref(t);
    free_units();
}

Test(action, measures_are_numbered_uniquely)
{
    struct problem p = {0};
    json_t *a = json_loads("{\"no\":12,\"title\":\"新行动\",\"measures\":[{\"no\":1,\"title\":"
                           "\"甲\",\"text\":\"甲。\"},"
                           "{\"no\":1,\"title\":\"乙\",\"text\":\"乙。\"}]}",
                           0, NULL);
    expect_problem(plan_check_action(a, "actions[11]", &p), &p, ERR_RULE,
                   "actions[11].measures[1].no");
    json_decref(a);
    a = json_loads("{\"no\":12,\"title\":\"新行动\"}", 0, NULL);
    cr_assert(plan_check_action(a, "", &p), "%s", p.msg);
    cr_assert_str_eq(json_string_value(json_object_get(a, "kind")), "action");
    cr_assert_eq(json_array_size(json_object_get(a, "measures")), 0);
    json_object_set_new(a, "kind", json_string("chapter"));
    expect_problem(plan_check_action(a, "", &p), &p, ERR_RULE, "kind");
    json_decref(a);
}

/* ---- whole documents ---- */

static bool check_doc(json_t *doc, json_t *kinds, struct problem *p)
{
    struct plan_check_ctx c = {.unit = lookup, .kinds = kinds};
    return plan_check_doc(doc, &c, p);
}

Test(document, the_embedded_plan_passes_against_the_embedded_units)
{
    load_units();
    json_t *doc = plan_doc();
    struct problem p;
    cr_assert(check_doc(doc, NULL, &p), "%s", p.msg);
    cr_assert_eq(json_array_size(json_object_get(doc, "tasks")), 86);
    cr_assert_eq(json_array_size(json_object_get(doc, "obligations")), 89);
    cr_assert_eq(json_array_size(json_object_get(doc, "actions")), 11);
    /* deadlines: 23 and 45 have none; 40 is 2022-06-30 */
    json_t *tasks = json_object_get(doc, "tasks");
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(json_array_get(tasks, 22), "deadline"), "kind")),
                     "none");
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(json_array_get(tasks, 44), "deadline"), "kind")),
                     "none");
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(json_array_get(tasks, 39), "deadline"), "date")),
                     "2022-06-30");
    json_decref(doc);
    free_units();
}

Test(document, every_deadline_text_of_the_plan_reads_as_its_kind_and_date)
{
    json_t *doc = plan_doc();
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(doc, "tasks"), i, t)
    {
        json_t *d = json_object_get(t, "deadline");
        enum plan_deadline_kind k;
        int day = 0;
        const char *text = json_string_value(json_object_get(d, "text"));
        cr_assert(plan_deadline_parse(text, &k, &day), "task %zu: %s", i + 1, text);
        cr_assert_str_eq(plan_deadline_kind_name(k), json_string_value(json_object_get(d, "kind")),
                         "task %zu", i + 1);
        if (k == PLAN_DL_DATE) {
            char ymd[11];
            date_format(day, ymd);
            cr_assert_str_eq(ymd, json_string_value(json_object_get(d, "date")), "task %zu", i + 1);
        }
    }
    json_decref(doc);
}

Test(document, errors_name_the_json_path)
{
    load_units();
    struct problem p;
    json_t *doc = plan_doc();
    json_array_set_new(json_object_get(json_array_get(json_object_get(doc, "tasks"), 12), "lead"),
                       0, json_string("市不存在局"));
    expect_problem(check_doc(doc, NULL, &p), &p, ERR_RULE, "tasks[12].lead");
    cr_assert(strstr(p.msg, "市不存在局"), "%s", p.msg);
    json_decref(doc);

    doc = plan_doc();
    json_object_set_new(json_array_get(json_object_get(doc, "obligations"), 3), "minimum",
                        json_integer(-2));
    expect_problem(check_doc(doc, NULL, &p), &p, ERR_RULE, "obligations[3].minimum");
    json_decref(doc);

    doc = plan_doc();
    json_object_set_new(json_array_get(json_object_get(doc, "tasks"), 5), "no", json_integer(5));
    expect_problem(check_doc(doc, NULL, &p), &p, ERR_RULE, "tasks[5].no");
    json_decref(doc);

    doc = plan_doc();
    json_object_set_new(json_array_get(json_object_get(doc, "tasks"), 0), "measure",
                        json_integer(9));
    expect_problem(check_doc(doc, NULL, &p), &p, ERR_RULE, "tasks[0].measure");
    json_decref(doc);

    doc = plan_doc();
    json_object_set_new(json_array_get(json_object_get(doc, "obligations"), 0), "task",
                        json_integer(99));
    expect_problem(check_doc(doc, NULL, &p), &p, ERR_RULE, "obligations[0].task");
    json_decref(doc);

    doc = plan_doc();
    json_object_set_new(json_array_get(json_object_get(doc, "obligations"), 1), "key",
                        json_string("t3-study-articles"));
    expect_problem(check_doc(doc, NULL, &p), &p, ERR_RULE, "obligations[1].key");
    json_decref(doc);

    doc = plan_doc();
    json_object_set_new(json_array_get(json_object_get(doc, "obligations"), 2), "to",
                        json_string("2026-12-31"));
    expect_problem(check_doc(doc, NULL, &p), &p, ERR_RULE, "obligations[2].to");
    json_decref(doc);

    doc = plan_doc();
    json_object_set_new(json_array_get(json_object_get(doc, "obligations"), 2), "kind",
                        json_string("no_such_kind"));
    expect_problem(check_doc(doc, NULL, &p), &p, ERR_RULE, "obligations[2].kind");
    json_decref(doc);

    doc = plan_doc();
    json_object_set_new(doc, "code", json_string("CQ 2021"));
    expect_problem(check_doc(doc, NULL, &p), &p, ERR_RULE, "code");
    json_decref(doc);

    doc = plan_doc();
    json_object_set_new(doc, "end", json_string("2020-12-31"));
    expect_problem(check_doc(doc, NULL, &p), &p, ERR_RULE, "end");
    json_decref(doc);

    doc = plan_doc();
    json_object_set_new(doc, "extra", json_true());
    expect_problem(check_doc(doc, NULL, &p), &p, ERR_BAD_REQUEST, "extra");
    json_decref(doc);

    doc = plan_doc();
    json_object_set_new(doc, "tasks", json_string("none"));
    expect_problem(check_doc(doc, NULL, &p), &p, ERR_BAD_REQUEST, "tasks");
    json_decref(doc);
    free_units();
}

Test(document, activity_kinds_are_shared_and_cannot_be_redefined)
{
    load_units();
    struct problem p;
    json_t *doc = plan_doc();
    json_t *stored =
        json_pack("{s:{s:s,s:[s,s,s]}}", "press_conference", "name", "新闻发布会（媒体通气会）",
                  "metrics", "participants", "media_outlets", "reports");
    cr_assert(check_doc(doc, stored, &p), "%s", p.msg); /* same definition: fine */
    json_decref(stored);
    stored = json_pack("{s:{s:s,s:[s]}}", "press_conference", "name", "发布会", "metrics",
                       "participants");
    expect_problem(check_doc(doc, stored, &p), &p, ERR_RULE, "activity_kinds[0]");
    json_decref(stored);
    json_decref(doc);

    /* an obligation may use a kind known only to the stored catalogue */
    doc = plan_doc();
    json_object_set_new(doc, "activity_kinds", json_array());
    expect_problem(check_doc(doc, NULL, &p), &p, ERR_RULE, "obligations[0].kind");
    json_decref(doc);
    free_units();
}

/* ---- a 附件1 sheet into a draft's tasks (plan_sheet.c) ---- */

/* A table of rows (NULL-terminated arrays of 6 cells; "" is an empty cell) numbered from
 * first_row. */
static void sheet_table(struct table *t, int first_row, const char *const (*rows)[6], size_t n)
{
    memset(t, 0, sizeof *t);
    for (size_t r = 0; r < n; r++) {
        cr_assert(table_add_row(t, first_row + (int)r));
        for (int c = 0; c < 6; c++)
            if (rows[r][c] && *rows[r][c])
                cr_assert_eq(table_set(t, c, rows[r][c], strlen(rows[r][c])), OK);
    }
}

static void expect_sheet_error(const struct plan_sheet *s, size_t i, int row, const char *column,
                               const char *part)
{
    cr_assert_gt(s->errors.n, i, "only %zu errors", s->errors.n);
    const struct table_error *e = &s->errors.items[i];
    cr_assert_eq(e->row, row, "error %zu: row %d (%s)", i, e->row, e->msg);
    if (column) cr_assert_str_eq(e->column, column, "error %zu: %s", i, e->msg);
    cr_assert(strstr(e->msg, part), "error %zu: %s lacks %s", i, e->msg, part);
}

Test(sheet, finds_the_header_below_the_title_and_reads_rows_like_the_printed_table)
{
    load_units();
    json_t *draft = plan_doc();
    static const char *const rows[][6] = {
        {"附件1", "", "", "", "", ""},
        {"重点任务分工表", "", "", "", "", ""},
        {"序 号", "重点内容", "具体任务", "牵头单位", "配合单位", "任务\n时限"},
        {"15", "加强新闻宣传", "每年召开1次媒体座谈会。", "市生态环境局、市委宣传部",
         "有关部门（单位）", "立即落实，长期坚持"},
        {"16.0", "", "新任务。", "市委宣传部", "市文明办、团市委等部门（单位），各区县",
         "2026年6月底前"},
        {"", "", "", "", "", ""},
        {"90", "", "任务。", "各区县", "", ""},
    };
    struct table t;
    sheet_table(&t, 1, rows, sizeof rows / sizeof *rows);
    struct plan_check_ctx c = ctx(NULL);
    struct plan_sheet s;
    cr_assert_eq(plan_sheet_read(&t, draft, &c, &s), OK, "%s",
                 s.errors.n ? s.errors.items[0].msg : "");
    cr_assert_eq(json_array_size(s.tasks), 3);
    cr_assert_eq(s.rows[0], 4);
    cr_assert_eq(s.rows[2], 7);
    json_t *t15 = json_array_get(s.tasks, 0), *t16 = json_array_get(s.tasks, 1),
           *t90 = json_array_get(s.tasks, 2);
    /* 重点内容 names action 3's measure 1 (加强新闻宣传); blank continues it */
    cr_assert_eq(json_integer_value(json_object_get(t15, "action")), 3);
    cr_assert_eq(json_integer_value(json_object_get(t16, "action")), 3);
    cr_assert_eq(json_integer_value(json_object_get(t16, "measure")), 1);
    cr_assert(json_is_true(json_object_get(t16, "content_continued")));
    cr_assert_str_eq(json_string_value(json_object_get(t16, "content")), "加强新闻宣传");
    json_t *want = json_pack("[s,s,s,s]", "市文明办", "团市委", "有关部门（单位）", "@districts");
    cr_assert(json_equal(json_object_get(t16, "coop"), want), "%s",
              json_dumps(json_object_get(t16, "coop"), 0));
    json_decref(want);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t16, "deadline"), "date")),
                     "2026-06-30");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(t90, "lead"), 0)),
                     "@districts");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t90, "deadline"), "kind")),
                     "none");

    /* what replacing the draft's 86 tasks with these three would change */
    json_t *ch = plan_sheet_changes(draft, s.tasks);
    cr_assert_eq(json_array_size(json_object_get(ch, "added")), 1);
    cr_assert_eq(json_array_size(json_object_get(ch, "removed")), 84);
    /* 15 was a continued row, now written out; 16 changed everything */
    cr_assert_eq(json_array_size(json_object_get(ch, "changed")), 2);
    cr_assert_eq(json_integer_value(json_object_get(ch, "unchanged")), 0);
    cr_assert_gt(json_array_size(json_object_get(ch, "obligations_removed")), 80);
    json_decref(ch);
    plan_sheet_free(&s);
    table_free(&t);
    json_decref(draft);
    free_units();
}

Test(sheet, every_bad_cell_is_named_by_row_and_column)
{
    load_units();
    json_t *draft = plan_doc();
    static const char *const rows[][6] = {
        {"序号", "重点内容", "具体任务", "牵头单位", "配合单位", "任务时限"},
        {"1", "", "接续不了。", "市生态环境局", "", ""},
        {"2", "加强新闻宣传", "任务。", "市生态环境局、市无此局", "", ""},
        {"3", "加强新闻宣传", "任务。", "市生态环境局", "平等部门", ""},
        {"4", "加强新闻宣传", "任务。", "市生态环境局", "", "尽快"},
        {"2", "加强新闻宣传", "", "市生态环境局", "", ""},
        {"-4", "没有的措施", "任务。", "", "", ""},
        {"8", "", "接续上一行。", "市生态环境局", "", ""},
    };
    struct table t;
    sheet_table(&t, 1, rows, sizeof rows / sizeof *rows);
    struct plan_check_ctx c = ctx(NULL);
    struct plan_sheet s;
    cr_assert_eq(plan_sheet_read(&t, draft, &c, &s), ERR_RULE);
    expect_sheet_error(&s, 0, 2, PLAN_COL_CONTENT, "第一行");
    expect_sheet_error(&s, 1, 3, PLAN_COL_LEAD, "市无此局");
    expect_sheet_error(&s, 2, 4, PLAN_COL_COOP, "平等部门");
    expect_sheet_error(&s, 3, 5, PLAN_COL_DEADLINE, "尽快");
    expect_sheet_error(&s, 4, 6, PLAN_COL_NO, "第 3 行重复");
    expect_sheet_error(&s, 5, 6, PLAN_COL_TEXT, "具体任务为空");
    expect_sheet_error(&s, 6, 7, PLAN_COL_NO, "1 到 9999");
    expect_sheet_error(&s, 7, 7, PLAN_COL_CONTENT, "没有的措施");
    expect_sheet_error(&s, 8, 7, PLAN_COL_LEAD, "牵头单位为空");
    expect_sheet_error(&s, 9, 8, PLAN_COL_CONTENT, "上一行的重点内容有误");
    cr_assert_eq(s.errors.total, 10);
    cr_assert_null(s.doc);
    plan_sheet_free(&s);
    table_free(&t);

    static const char *const nohead[][6] = {{"单位", "类型", "", "", "", ""}};
    sheet_table(&t, 1, nohead, 1);
    cr_assert_eq(plan_sheet_read(&t, draft, &c, &s), ERR_RULE);
    expect_sheet_error(&s, 0, 1, NULL, "找不到表头");
    plan_sheet_free(&s);
    table_free(&t);
    json_decref(draft);
    free_units();
}
