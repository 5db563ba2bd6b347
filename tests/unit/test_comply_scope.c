/* test_comply_scope.c - unit tests for src/comply/comply_rules.c: the plan model read from the plan
 * document, who owes each duty (tiers → one row per unit, listed units → one joint row, the
 * facilities duty → one city-wide row owed by 市生态环境局), event selection (one report once
 * across a joint row's units, metric sums, task 51's all-schools value), and the per-period
 * evaluation giving exactly what comply_evaluate() gives for the whole rule. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/embedded.h"
#include "comply/scope.h"

#define D(y, m, d) date_from_ymd((y), (m), (d))

/* ---- the plan model from the embedded 2021-2025 plan ---- */

static struct comply_plan *load_plan(void)
{
    const char *text = NULL;
    for (const struct embedded_file *e = embedded_data; e->name; e++)
        if (strstr(e->name, "cq-2021-2025.json")) text = e->text;
    cr_assert_not_null(text, "embedded plan");
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    cr_assert_not_null(doc, "%s", jerr.text);
    char why[200];
    struct comply_plan *p = comply_plan_from_doc(doc, 1, false, why, sizeof why);
    json_decref(doc);
    cr_assert_not_null(p, "%s", why);
    return p;
}

Test(comply_scope, plan_model)
{
    struct comply_plan *p = load_plan();
    cr_assert_str_eq(p->code, "cq-2021-2025");
    cr_assert_eq(p->start, D(2021, 7, 1));
    cr_assert_eq(p->end, D(2025, 12, 31));
    cr_assert_eq(p->no, 89);
    cr_assert_eq(p->na, 11);
    const struct comply_obl *o = comply_plan_obligation(p, "t17-press-district");
    cr_assert_not_null(o);
    cr_assert_eq(o->task, 17);
    cr_assert_eq(o->action, 3);
    cr_assert_eq(o->who, CM_WHO_TIERS);
    cr_assert_eq(o->ntiers, 2);
    cr_assert_eq(o->rule.per, PERIOD_QUARTER);
    cr_assert_eq(o->rule.minimum, 1);
    cr_assert_eq(o->rule.grace_days, COMPLY_GRACE_DAYS);
    cr_assert_eq(o->value, CM_COUNT);
    o = comply_plan_obligation(p, "t79-original-articles");
    cr_assert_eq(o->value, CM_METRIC);
    cr_assert_str_eq(o->metric, "articles");
    o = comply_plan_obligation(p, "t51-school-class-hours");
    cr_assert_eq(o->value, CM_ALL_SCHOOLS);
    cr_assert_eq(o->rule.per, PERIOD_SCHOOL_YEAR);
    o = comply_plan_obligation(p, "t82-terminals");
    cr_assert_eq(o->rule.per, PERIOD_ONCE);
    cr_assert_eq(o->rule.due, D(2023, 12, 31));
    o = comply_plan_obligation(p, "t74-facility-opening");
    cr_assert_eq(o->who, CM_WHO_FACILITIES);
    o = comply_plan_obligation(p, "t85-progress");
    cr_assert_eq(o->who, CM_WHO_UNITS);
    cr_assert_eq(o->nunits, 6);
    cr_assert_null(comply_plan_obligation(p, "nope"));
    cr_assert_str_eq(comply_plan_action_title(p, 3), "开展新闻宣传与舆论引导行动");
    comply_plan_free(p);
    comply_plan_free(NULL);
}

/* ---- rows ---- */

/* 26 districts, 12 counties, 3 zones, the city departments, a group, a child unit, an inactive
 * district. */
static size_t units(struct comply_unit *u)
{
    static char keys[64][32];
    size_t n = 0;
    const char *city[] = {"市委宣传部", "市生态环境局", "市文明办", "市教委",
                          "团市委",     "市妇联",       "市民政局"};
    for (size_t i = 0; i < 7; i++)
        u[n++] = (struct comply_unit){.id = (long long)n + 1,
                                      .key = city[i],
                                      .name = city[i],
                                      .tier = "city_department",
                                      .active = true};
    for (int i = 0; i < 26; i++) {
        snprintf(keys[i], sizeof keys[i], "区%d", i);
        u[n++] = (struct comply_unit){.id = (long long)n + 1,
                                      .key = keys[i],
                                      .name = keys[i],
                                      .tier = "district",
                                      .active = true};
    }
    for (int i = 0; i < 12; i++) {
        snprintf(keys[26 + i], sizeof keys[0], "县%d", i);
        u[n++] = (struct comply_unit){.id = (long long)n + 1,
                                      .key = keys[26 + i],
                                      .name = keys[26 + i],
                                      .tier = "county",
                                      .active = true};
    }
    const char *zones[] = {"两江新区", "重庆高新区", "万盛经开区"};
    for (int i = 0; i < 3; i++)
        u[n++] = (struct comply_unit){.id = (long long)n + 1,
                                      .key = zones[i],
                                      .name = zones[i],
                                      .tier = "zone",
                                      .active = true};
    u[n++] = (struct comply_unit){.id = (long long)n + 1,
                                  .key = "有关区县",
                                  .name = "有关区县",
                                  .tier = "group",
                                  .active = true};
    u[n++] = (struct comply_unit){.id = (long long)n + 1,
                                  .key = "渝中区教委",
                                  .name = "渝中区教委",
                                  .tier = "department",
                                  .parent = 8,
                                  .active = true};
    u[n++] = (struct comply_unit){
        .id = (long long)n + 1, .key = "旧区", .name = "旧区", .tier = "district", .active = false};
    return n;
}

static size_t rows_of(const struct comply_plan *p, const struct comply_rows *rows, const char *key)
{
    size_t n = 0;
    for (size_t i = 0; i < rows->n; i++)
        n += strcmp(p->o[rows->r[i].obl].key, key) == 0;
    return n;
}

static const struct comply_row *row_of(const struct comply_plan *p, const struct comply_rows *rows,
                                       const char *key)
{
    for (size_t i = 0; i < rows->n; i++)
        if (strcmp(p->o[rows->r[i].obl].key, key) == 0) return &rows->r[i];
    return NULL;
}

Test(comply_scope, who_owes_each_duty)
{
    struct comply_plan *p = load_plan();
    struct comply_unit u[80];
    size_t nu = units(u);
    struct comply_rows rows;
    cr_assert(comply_rows_build(p, u, nu, &rows));
    /* task 17: quarterly for the 26 districts and 3 zones, half-yearly for the 12 counties; not
     * for the inactive district, the group or the child unit */
    cr_assert_eq(rows_of(p, &rows, "t17-press-district"), 29);
    cr_assert_eq(rows_of(p, &rows, "t17-press-county"), 12);
    cr_assert_eq(rows_of(p, &rows, "t5-district-seminar"), 41);
    for (size_t i = 0; i < rows.n; i++) {
        const struct comply_row *r = &rows.r[i];
        for (size_t k = 0; k < r->n; k++) {
            const struct comply_unit *x = &u[rows.idx[r->first + k]];
            cr_assert(x->active && strcmp(x->tier, "group") != 0 && x->parent == 0,
                      "%s owes nothing", x->key);
        }
    }
    /* joint duties: one row with every lead unit, in the plan's order */
    const struct comply_row *t14 = row_of(p, &rows, "t14-walking-interview");
    cr_assert_eq(rows_of(p, &rows, "t14-walking-interview"), 1);
    cr_assert_eq(t14->n, 2);
    cr_assert_str_eq(u[rows.idx[t14->first]].key, "市生态环境局");
    cr_assert_str_eq(u[rows.idx[t14->first + 1]].key, "市委宣传部");
    cr_assert(!t14->city_wide);
    const struct comply_row *t85 = row_of(p, &rows, "t85-progress");
    cr_assert_eq(t85->n, 6);
    /* task 74: one city-wide row owed by 市生态环境局 */
    const struct comply_row *t74 = row_of(p, &rows, "t74-facility-opening");
    cr_assert_eq(rows_of(p, &rows, "t74-facility-opening"), 1);
    cr_assert(t74->city_wide);
    cr_assert_eq(t74->n, 1);
    cr_assert_str_eq(u[rows.idx[t74->first]].key, CM_FACILITY_OWNER);
    /* every obligation has at least one row */
    for (size_t k = 0; k < p->no; k++)
        cr_assert_gt(rows_of(p, &rows, p->o[k].key), 0, "%s", p->o[k].key);
    comply_rows_free(&rows);
    /* a joint unit that is inactive is left out of the row; with none left, no row */
    u[1].active = false; /* 市生态环境局 */
    cr_assert(comply_rows_build(p, u, nu, &rows));
    t14 = row_of(p, &rows, "t14-walking-interview");
    cr_assert_eq(t14->n, 1);
    cr_assert_str_eq(u[rows.idx[t14->first]].key, "市委宣传部");
    cr_assert_null(row_of(p, &rows, "t16-press-month"));
    cr_assert_null(row_of(p, &rows, "t74-facility-opening"));
    comply_rows_free(&rows);
    comply_plan_free(p);
}

/* ---- event selection ---- */

static struct comply_index_bucket bucket(struct comply_event *ev, long long *rid, size_t n)
{
    return (struct comply_index_bucket){.n = n, .cap = n, .ev = ev, .rid = rid};
}

Test(comply_scope, one_bucket_count_is_a_slice_without_copy)
{
    struct comply_event ev[] = {{D(2023, 2, 10), D(2023, 2, 10), 1},
                                {D(2023, 5, 20), D(2023, 5, 20), 1},
                                {D(2023, 9, 28), D(2023, 11, 2), 1}};
    long long rid[] = {1, 2, 3};
    struct comply_index_bucket b = bucket(ev, rid, 3);
    struct comply_source s = {.b = {&b}, .nb = 1, .value = CM_COUNT, .slot_a = -1, .slot_b = -1};
    struct comply_scratch sc = {0};
    const struct comply_event *e;
    const long long *r;
    cr_assert_eq(comply_select(&s, D(2023, 4, 1), D(2023, 9, 30), &sc, &e, &r), 2);
    cr_assert_eq(e, &ev[1]);
    cr_assert_eq(r, &rid[1]);
    cr_assert_eq(comply_select(&s, D(2024, 1, 1), D(2024, 3, 31), &sc, &e, &r), 0);
    cr_assert_eq(comply_select(&s, D(2023, 1, 1), D(2022, 1, 1), &sc, &e, &r), 0);
    cr_assert_null(sc.ev, "no scratch used");
    comply_scratch_free(&sc);
}

Test(comply_scope, joint_rows_count_each_report_once)
{
    /* report 5 is held by both units (a child unit of one, say); 6 only by the second */
    struct comply_event e1[] = {{D(2022, 3, 1), D(2022, 3, 2), 1},
                                {D(2022, 6, 1), D(2022, 6, 2), 1}};
    long long r1[] = {4, 5};
    struct comply_event e2[] = {{D(2022, 6, 1), D(2022, 6, 2), 1},
                                {D(2022, 7, 1), D(2022, 7, 2), 1}};
    long long r2[] = {5, 6};
    struct comply_index_bucket b1 = bucket(e1, r1, 2), b2 = bucket(e2, r2, 2);
    struct comply_source s = {
        .b = {&b1, &b2}, .nb = 2, .value = CM_COUNT, .slot_a = -1, .slot_b = -1};
    struct comply_scratch sc = {0};
    const struct comply_event *e;
    const long long *r;
    size_t n = comply_select(&s, D(2022, 1, 1), D(2022, 12, 31), &sc, &e, &r);
    cr_assert_eq(n, 3);
    cr_assert_eq(r[0], 4);
    cr_assert_eq(r[1], 5);
    cr_assert_eq(r[2], 6);
    cr_assert_eq(e[2].activity_day, D(2022, 7, 1));
    struct comply_rule rule = {.per = PERIOD_YEAR,
                               .minimum = 3,
                               .from = D(2022, 1, 1),
                               .to = D(2022, 12, 31),
                               .grace_days = COMPLY_GRACE_DAYS};
    struct comply_period p;
    cr_assert_eq(comply_evaluate(&rule, e, n, D(2023, 3, 1), &p, 1), 1);
    cr_assert_eq(p.count, 3);
    comply_scratch_free(&sc);
}

Test(comply_scope, metric_sums_and_the_all_schools_value)
{
    struct comply_event ev[] = {{D(2023, 3, 1), D(2023, 3, 2), 1},
                                {D(2023, 6, 1), D(2023, 6, 2), 1},
                                {D(2023, 7, 1), D(2023, 7, 2), 1}};
    long long rid[] = {1, 2, 3};
    long long total[] = {50, 50, 0}, met[] = {48, 50, 0};
    struct comply_index_bucket b = bucket(ev, rid, 3);
    b.mv[0] = total;
    b.mv[1] = met;
    struct comply_scratch sc = {0};
    const struct comply_event *e;
    const long long *r;
    struct comply_source sum = {.b = {&b}, .nb = 1, .value = CM_METRIC, .slot_a = 0, .slot_b = -1};
    cr_assert_eq(comply_select(&sum, D(2023, 1, 1), D(2023, 12, 31), &sc, &e, &r), 3);
    cr_assert_eq(e[0].value + e[1].value + e[2].value, 100);
    /* task 51: 1 when every school taught ≥ 12 课时 (schools_met ≥ schools_total > 0) */
    struct comply_source all = {
        .b = {&b}, .nb = 1, .value = CM_ALL_SCHOOLS, .slot_a = 0, .slot_b = 1};
    cr_assert_eq(comply_select(&all, D(2022, 9, 1), D(2023, 8, 31), &sc, &e, &r), 3);
    cr_assert_eq(e[0].value, 0, "48 of 50");
    cr_assert_eq(e[1].value, 1, "50 of 50");
    cr_assert_eq(e[2].value, 0, "no schools reported");
    cr_assert_eq(r[1], 2);
    /* an untracked slot counts 0 */
    struct comply_source none = {
        .b = {&b}, .nb = 1, .value = CM_METRIC, .slot_a = -1, .slot_b = -1};
    cr_assert_eq(comply_select(&none, D(2023, 1, 1), D(2023, 12, 31), &sc, &e, &r), 3);
    cr_assert_eq(e[0].value, 0);
    comply_scratch_free(&sc);
}

/* ---- per-period evaluation equals the whole rule ---- */

struct collect {
    struct comply_period p[128];
    size_t n, future, counted;
    int as_of;
};

static bool collect(void *ctx, const struct comply_period *p, bool future,
                    const struct comply_event *ev, const long long *rid, size_t n)
{
    (void)rid;
    struct collect *c = ctx;
    cr_assert_lt(c->n, 128);
    c->p[c->n++] = *p;
    c->future += future;
    for (size_t i = 0; i < n; i++)
        c->counted += comply_counts(&ev[i], c->as_of);
    return true;
}

static int cmp_ev(const void *a, const void *b)
{
    const struct comply_event *x = a, *y = b;
    return x->activity_day - y->activity_day;
}

Test(comply_scope, periods_one_at_a_time_equal_the_whole_rule)
{
    const enum period_kind pers[] = {PERIOD_MONTH,     PERIOD_TWO_MONTHS, PERIOD_QUARTER,
                                     PERIOD_HALF_YEAR, PERIOD_YEAR,       PERIOD_SCHOOL_YEAR,
                                     PERIOD_ONCE};
    srand(42);
    for (int round = 0; round < 300; round++) {
        struct comply_rule rule = {.per = pers[round % 7],
                                   .minimum = 1 + rand() % 6,
                                   .from = D(2021, 7, 1),
                                   .to = D(2025, 12, 31),
                                   .due = D(2021, 7, 1) + rand() % 1700,
                                   .grace_days = COMPLY_GRACE_DAYS};
        size_t nev = (size_t)(rand() % 60);
        struct comply_event ev[64];
        long long rid[64];
        for (size_t i = 0; i < nev; i++) {
            int act = D(2021, 5, 1) + rand() % 1900;
            ev[i] = (struct comply_event){act, act + rand() % 60, 1};
        }
        qsort(ev, nev, sizeof *ev, cmp_ev);
        for (size_t i = 0; i < nev; i++)
            rid[i] = (long long)i + 1;
        struct comply_index_bucket b = bucket(ev, rid, nev);
        struct comply_source s = {
            .b = {&b}, .nb = 1, .value = CM_COUNT, .slot_a = -1, .slot_b = -1};
        int as_of = D(2021, 7, 1) + rand() % 2000;
        struct comply_period whole[128];
        size_t nw = comply_evaluate(&rule, ev, nev, as_of, whole, 128);
        struct collect c = {.as_of = as_of};
        struct comply_scratch sc = {0};
        bool oom;
        cr_assert(comply_eval(&rule, &s, as_of, as_of, &sc, collect, &c, &oom));
        cr_assert(!oom);
        cr_assert_eq(c.n, nw, "round %d: %zu periods, want %zu", round, c.n, nw);
        long long counted = 0;
        for (size_t i = 0; i < nw; i++) {
            cr_assert_eq(c.p[i].start, whole[i].start, "round %d period %zu", round, i);
            cr_assert_eq(c.p[i].end, whole[i].end);
            cr_assert_eq(c.p[i].minimum, whole[i].minimum);
            cr_assert_eq(c.p[i].count, whole[i].count, "round %d period %zu", round, i);
            cr_assert_eq(c.p[i].count_on_time, whole[i].count_on_time);
            cr_assert_eq(c.p[i].status, whole[i].status);
            cr_assert_eq(c.p[i].light, whole[i].light);
            counted += whole[i].count;
        }
        cr_assert_eq((long long)c.counted, counted, "round %d: the events behind the counts",
                     round);
        comply_scratch_free(&sc);
    }
}

Test(comply_scope, the_outlook_adds_future_periods)
{
    struct comply_rule rule = {.per = PERIOD_MONTH,
                               .minimum = 1,
                               .from = D(2021, 7, 1),
                               .to = D(2025, 12, 31),
                               .grace_days = COMPLY_GRACE_DAYS};
    struct comply_source s = {.nb = 0, .value = CM_COUNT, .slot_a = -1, .slot_b = -1};
    struct collect c = {.as_of = D(2024, 10, 20)};
    struct comply_scratch sc = {0};
    bool oom;
    cr_assert(comply_eval(&rule, &s, D(2024, 10, 20), D(2025, 1, 18), &sc, collect, &c, &oom));
    cr_assert_eq(c.future, 3); /* 2024-11, 2024-12, 2025-01 start by 2025-01-18 */
    struct comply_period last = c.p[c.n - 1];
    cr_assert_eq(last.start, D(2025, 1, 1));
    cr_assert_eq(last.status, COMPLY_NOT_DUE);
    cr_assert_eq(last.light, LIGHT_GREEN);
    cr_assert_eq(last.minimum, 1);
    cr_assert_eq(last.count, 0);
    /* never past the rule's end */
    struct collect c2 = {.as_of = D(2025, 11, 20)};
    cr_assert(comply_eval(&rule, &s, D(2025, 11, 20), D(2026, 2, 18), &sc, collect, &c2, &oom));
    cr_assert_eq(c2.future, 1);
    cr_assert_eq(c2.p[c2.n - 1].start, D(2025, 12, 1));
    comply_scratch_free(&sc);
}

Test(comply_scope, labels)
{
    struct comply_rule once = {
        .per = PERIOD_ONCE, .minimum = 1, .from = D(2021, 7, 1), .due = D(2022, 6, 30)};
    char buf[40];
    comply_period_label(&once, once.from, buf, sizeof buf);
    cr_assert_str_eq(buf, "2022-06-30前");
    struct comply_rule q = {.per = PERIOD_QUARTER};
    comply_period_label(&q, D(2023, 7, 1), buf, sizeof buf);
    cr_assert_str_eq(buf, "2023Q3");
}

/* A report counts for a duty by its kind; progress reports only for the tasks they name. */
Test(comply_scope, which_duties_a_report_counts_for)
{
    struct comply_obl press = {.kind = "press_conference", .task = 17};
    struct comply_obl progress = {.kind = CM_TASK_KIND, .task = 6};
    long long tasks[] = {5, 6};
    cr_assert(comply_obl_counts(&press, "press_conference", NULL, 0), "any task");
    cr_assert_not(comply_obl_counts(&press, "case_exchange", tasks, 2));
    cr_assert_not(comply_obl_counts(&press, NULL, tasks, 2));
    cr_assert(comply_obl_counts(&progress, CM_TASK_KIND, tasks, 2));
    cr_assert_not(comply_obl_counts(&progress, CM_TASK_KIND, tasks, 1), "task 5 only");
}
