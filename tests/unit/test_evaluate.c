/* test_evaluate.c - unit tests for the pure rules of the annual evaluation (src/evaluate/
 * eval_rules.c): the rubric's check (weights summing to 100, credits), each component's raw
 * value (late credit, no notice due scores 100, the evaluators' mean), weighing with missing
 * components (their weight spread over the others), the total as the sum of the points, ranks
 * within a tier (ties share a rank, the next is skipped; tiers apart; no total, no rank),
 * year-on-year change, the months of each plan year and the month-weighted mean of the final
 * evaluation, and the number formats; also the demo generator's random stream. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/date.h"
#include "demo/demo.h"
#include "evaluate/evaluate.h"

static int D(const char *s)
{
    int d = 0;
    cr_assert(date_parse(s, &d), "bad test date %s", s);
    return d;
}

/* ---- the rubric ---- */

Test(rubric, the_default_sums_to_100_and_passes)
{
    struct ev_rubric r;
    ev_rubric_default(&r);
    cr_assert_eq(r.weight[EV_COMPLIANCE] + r.weight[EV_TIMELINESS] + r.weight[EV_EVALUATOR], 100);
    cr_assert_eq(r.late_credit, 50);
    struct problem p;
    cr_assert(ev_rubric_check(&r, &p));
}

Test(rubric, weights_not_summing_to_100_are_refused_naming_weights)
{
    struct ev_rubric r;
    ev_rubric_default(&r);
    r.weight[EV_EVALUATOR] = 30; /* 105 */
    struct problem p;
    cr_assert_not(ev_rubric_check(&r, &p));
    cr_assert_eq(p.err, ERR_RULE);
    cr_assert_str_eq(p.field, "weights");
    cr_assert(strstr(p.msg, "105"), "%s", p.msg);
    r.weight[EV_EVALUATOR] = 20; /* 95 */
    cr_assert_not(ev_rubric_check(&r, &p));
    cr_assert_str_eq(p.field, "weights");
}

Test(rubric, a_weight_out_of_range_names_its_component)
{
    struct ev_rubric r = {.weight = {120, -10, -10}, .late_credit = 50, .notice_late_credit = 50};
    struct problem p;
    cr_assert_not(ev_rubric_check(&r, &p));
    cr_assert_str_eq(p.field, "weights.compliance");
    struct ev_rubric ok = {.weight = {100, 0, 0}, .late_credit = 0, .notice_late_credit = 100};
    cr_assert(ev_rubric_check(&ok, &p), "one component may take all the weight");
    ok.late_credit = 101;
    cr_assert_not(ev_rubric_check(&ok, &p));
    cr_assert_str_eq(p.field, "late_credit");
    ok.late_credit = 50;
    ok.notice_late_credit = -1;
    cr_assert_not(ev_rubric_check(&ok, &p));
    cr_assert_str_eq(p.field, "notice_late_credit");
}

/* ---- raw values ---- */

Test(raw, compliance_counts_late_periods_at_the_late_credit)
{
    struct ev_tally t = {.closed = 9, .met = 2, .late = 1, .missed = 6};
    cr_assert_eq(ev_compliance_raw(&t, 50), 2778); /* (2 + 0.5) / 9 = 27.78 (the engine's 27.8) */
    cr_assert_eq(ev_compliance_raw(&t, 0), 2222);
    cr_assert_eq(ev_compliance_raw(&t, 100), 3333);
    struct ev_tally all = {.closed = 16, .met = 16};
    cr_assert_eq(ev_compliance_raw(&all, 50), EV_FULL);
    struct ev_tally none = {0};
    cr_assert_eq(ev_compliance_raw(&none, 50), EV_NONE, "no closed period: missing, not zero");
}

Test(raw, timeliness_on_time_late_unanswered_and_none_due)
{
    struct ev_tally t = {
        .notices = 4, .on_time = 1, .answered_late = 1, .unanswered = 1, .pending = 1};
    cr_assert_eq(ev_timeliness_raw(&t, 50), 5000); /* (1 + 0.5 + 0) / 3: pending not counted */
    struct ev_tally none = {0};
    cr_assert_eq(ev_timeliness_raw(&none, 50), EV_FULL, "no notice due: nothing answered late");
    struct ev_tally open = {.notices = 2, .pending = 2};
    cr_assert_eq(ev_timeliness_raw(&open, 50), EV_FULL);
}

Test(raw, evaluator_is_the_mean_rounded_half_up)
{
    struct ev_tally t = {.scores = 2, .score_sum = 8850 + 9001};
    cr_assert_eq(ev_evaluator_raw(&t), 8926); /* 89.255 → 89.26 */
    struct ev_tally none = {0};
    cr_assert_eq(ev_evaluator_raw(&none), EV_NONE);
}

/* ---- weighing ---- */

Test(score, weighted_points_and_a_total_that_is_their_sum)
{
    struct ev_rubric r;
    ev_rubric_default(&r);
    long long raw[3] = {8000, 10000, 9000};
    struct ev_score s;
    ev_score(&r, raw, &s);
    cr_assert_eq(s.points[EV_COMPLIANCE], 4800);
    cr_assert_eq(s.points[EV_TIMELINESS], 1500);
    cr_assert_eq(s.points[EV_EVALUATOR], 2250);
    cr_assert_eq(s.total, 8550);
    cr_assert_eq(s.applied[EV_COMPLIANCE], 6000);
    cr_assert_eq(s.total, s.points[0] + s.points[1] + s.points[2]);
}

Test(score, a_missing_component_spreads_its_weight_over_the_others)
{
    struct ev_rubric r;
    ev_rubric_default(&r);
    long long raw[3] = {8000, 10000, EV_NONE}; /* no evaluator score yet */
    struct ev_score s;
    ev_score(&r, raw, &s);
    cr_assert_eq(s.applied[EV_COMPLIANCE], 8000); /* 60 / 75 */
    cr_assert_eq(s.applied[EV_TIMELINESS], 2000);
    cr_assert_eq(s.applied[EV_EVALUATOR], 0);
    cr_assert_eq(s.points[EV_EVALUATOR], EV_NONE);
    cr_assert_eq(s.points[EV_COMPLIANCE], 6400);
    cr_assert_eq(s.points[EV_TIMELINESS], 2000);
    cr_assert_eq(s.total, 8400);
    /* the same unit with a score equal to its weighted rest loses nothing */
    long long raw2[3] = {8000, 10000, 8400};
    struct ev_score s2;
    ev_score(&r, raw2, &s2);
    cr_assert_eq(s2.total, 8400);
}

Test(score, nothing_to_weigh_gives_no_total)
{
    struct ev_rubric r = {.weight = {100, 0, 0}, .late_credit = 50, .notice_late_credit = 50};
    long long raw[3] = {EV_NONE, 10000, 9000}; /* only components without weight have data */
    struct ev_score s;
    ev_score(&r, raw, &s);
    cr_assert_eq(s.total, EV_NONE);
    long long none[3] = {EV_NONE, EV_NONE, EV_NONE};
    ev_score(&r, none, &s);
    cr_assert_eq(s.total, EV_NONE);
}

Test(score, a_tally_is_scored_with_the_rubric_credits)
{
    struct ev_rubric r;
    ev_rubric_default(&r);
    struct ev_tally t = {.closed = 4,
                         .met = 3,
                         .late = 1,
                         .notices = 1,
                         .answered_late = 1,
                         .scores = 1,
                         .score_sum = 9000};
    struct ev_score s;
    ev_score_tally(&r, &t, &s);
    cr_assert_eq(s.raw[EV_COMPLIANCE], 8750);
    cr_assert_eq(s.raw[EV_TIMELINESS], 5000);
    cr_assert_eq(s.raw[EV_EVALUATOR], 9000);
    cr_assert_eq(s.total, 5250 + 750 + 2250);
}

/* ---- ranks ---- */

Test(rank, ties_share_a_rank_and_the_next_is_skipped)
{
    struct ev_rankee a[] = {{"district", 9000, 0, 0},
                            {"district", 9500, 0, 0},
                            {"district", 9000, 0, 0},
                            {"district", 8000, 0, 0}};
    ev_rank(a, 4);
    cr_assert_eq(a[1].rank, 1);
    cr_assert_eq(a[0].rank, 2);
    cr_assert_eq(a[2].rank, 2);
    cr_assert_eq(a[3].rank, 4);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(a[i].rank_of, 4);
}

Test(rank, tiers_are_ranked_apart)
{
    struct ev_rankee a[] = {{"district", 7000, 0, 0},
                            {"county", 6000, 0, 0},
                            {"district", 8000, 0, 0},
                            {"county", 9000, 0, 0},
                            {"zone", 5000, 0, 0}};
    ev_rank(a, 5);
    cr_assert_eq(a[0].rank, 2);
    cr_assert_eq(a[2].rank, 1);
    cr_assert_eq(a[0].rank_of, 2);
    cr_assert_eq(a[1].rank, 2, "a county is not ranked among districts");
    cr_assert_eq(a[3].rank, 1);
    cr_assert_eq(a[4].rank, 1);
    cr_assert_eq(a[4].rank_of, 1);
}

Test(rank, units_without_a_total_are_not_ranked_nor_counted)
{
    struct ev_rankee a[] = {
        {"district", EV_NONE, 0, 0}, {"district", 8000, 0, 0}, {"district", 9000, 0, 0}};
    ev_rank(a, 3);
    cr_assert_eq(a[0].rank, 0);
    cr_assert_eq(a[1].rank, 2);
    cr_assert_eq(a[2].rank, 1);
    cr_assert_eq(a[1].rank_of, 2);
}

Test(change, points_and_ranks_on_the_year_before)
{
    struct ev_change c;
    ev_change(8550, 3, 8000, 7, &c);
    cr_assert(c.has_points && c.has_rank);
    cr_assert_eq(c.points, 550);
    cr_assert_eq(c.rank, 4, "moved up four places");
    ev_change(7000, 9, 8000, 2, &c);
    cr_assert_eq(c.points, -1000);
    cr_assert_eq(c.rank, -7);
    ev_change(7000, 9, EV_NONE, 0, &c);
    cr_assert_not(c.has_points);
    cr_assert_not(c.has_rank);
    ev_change(EV_NONE, 0, 7000, 3, &c);
    cr_assert_not(c.has_points);
    cr_assert_not(c.has_rank);
}

/* ---- years ---- */

Test(years, months_of_each_plan_year)
{
    int s = D("2021-07-01"), e = D("2025-12-31");
    cr_assert_eq(ev_year_months(s, e, 2021), 6);
    cr_assert_eq(ev_year_months(s, e, 2022), 12);
    cr_assert_eq(ev_year_months(s, e, 2025), 12);
    cr_assert_eq(ev_year_months(s, e, 2026), 0);
    cr_assert_eq(ev_year_months(s, e, 2020), 0);
    cr_assert_eq(ev_year_months(D("2021-06-30"), e, 2021), 7, "a month counts with any day");
}

Test(years, the_final_is_the_month_weighted_mean_of_yearly_totals)
{
    int m[5] = {6, 12, 12, 12, 12};
    long long t[5] = {6000, 8000, 8000, 8000, 9000};
    /* (6·60 + 12·80·3 + 12·90) / 54 = 80.0 */
    cr_assert_eq(ev_weighted_mean(t, m, 5), 8000);
    long long gap[5] = {EV_NONE, 8000, 9000, EV_NONE, EV_NONE};
    cr_assert_eq(ev_weighted_mean(gap, m, 5), 8500, "years without a total are left out");
    long long none[5] = {EV_NONE, EV_NONE, EV_NONE, EV_NONE, EV_NONE};
    cr_assert_eq(ev_weighted_mean(none, m, 5), EV_NONE);
    long long odd[2] = {1, 2};
    int w[2] = {1, 1};
    cr_assert_eq(ev_weighted_mean(odd, w, 2), 2, "1.5 rounds half up");
}

/* ---- numbers ---- */

Test(numbers, hundredths_print_with_at_most_two_decimals)
{
    char b[32];
    ev_fmt(8746, b, sizeof b);
    cr_assert_str_eq(b, "87.46");
    ev_fmt(8750, b, sizeof b);
    cr_assert_str_eq(b, "87.5");
    ev_fmt(10000, b, sizeof b);
    cr_assert_str_eq(b, "100");
    ev_fmt(5, b, sizeof b);
    cr_assert_str_eq(b, "0.05");
    ev_fmt(-105, b, sizeof b);
    cr_assert_str_eq(b, "-1.05");
    ev_fmt(0, b, sizeof b);
    cr_assert_str_eq(b, "0");
}

Test(numbers, evaluator_scores_are_0_to_100_with_two_decimals_at_most)
{
    long long h;
    cr_assert(ev_score_from_double(88.5, &h));
    cr_assert_eq(h, 8850);
    cr_assert(ev_score_from_double(100, &h));
    cr_assert_eq(h, 10000);
    cr_assert(ev_score_from_double(0, &h));
    cr_assert_eq(h, 0);
    cr_assert(ev_score_from_double(72.25, &h));
    cr_assert_eq(h, 7225);
    cr_assert_not(ev_score_from_double(120, &h));
    cr_assert_not(ev_score_from_double(-1, &h));
    cr_assert_not(ev_score_from_double(88.555, &h));
    cr_assert_not(ev_score_from_double(100.01, &h));
}

Test(numbers, a_score_cell_of_a_sheet)
{
    long long h;
    cr_assert(ev_score_parse("87", &h));
    cr_assert_eq(h, 8700);
    cr_assert(ev_score_parse("92.25", &h));
    cr_assert_eq(h, 9225);
    cr_assert(ev_score_parse("88.499999999999", &h)); /* a spreadsheet's binary fraction */
    cr_assert_eq(h, 8850);
    cr_assert_not(ev_score_parse("120", &h));
    cr_assert_not(ev_score_parse("-1", &h));
    cr_assert_not(ev_score_parse("8a", &h));
    cr_assert_not(ev_score_parse("1e2", &h));
    cr_assert_not(ev_score_parse("nan", &h));
    cr_assert_not(ev_score_parse(".5", &h));
    cr_assert_not(ev_score_parse("1.2.3", &h));
    cr_assert_not(ev_score_parse("", &h));
    cr_assert_not(ev_score_parse(NULL, &h));
}

Test(signoff, who_may_take_which_step)
{
    enum err e;
    const char *why;
    cr_assert(ev_signoff_may(EV_SO_NONE, "request", 0, 7, &e, &why));
    cr_assert(ev_signoff_may(EV_SO_RETURNED, "request", 7, 7, &e, &why));
    cr_assert_not(ev_signoff_may(EV_SO_REQUESTED, "request", 7, 7, &e, &why));
    cr_assert_eq(e, ERR_CONFLICT);
    cr_assert_not(ev_signoff_may(EV_SO_NONE, "approve", 0, 8, &e, &why));
    cr_assert_eq(e, ERR_CONFLICT);
    cr_assert(ev_signoff_may(EV_SO_REQUESTED, "approve", 7, 8, &e, &why));
    cr_assert(ev_signoff_may(EV_SO_REQUESTED, "return", 7, 8, &e, &why));
    /* whoever asked never decides */
    cr_assert_not(ev_signoff_may(EV_SO_REQUESTED, "approve", 7, 7, &e, &why));
    cr_assert_eq(e, ERR_FORBIDDEN);
    cr_assert_not(ev_signoff_may(EV_SO_APPROVED, "return", 7, 8, &e, &why));
    cr_assert_eq(ev_signoff_state_of("return"), EV_SO_RETURNED);
    cr_assert_eq(ev_signoff_state_of(NULL), EV_SO_NONE);
    cr_assert_str_eq(ev_signoff_state_label(EV_SO_REQUESTED), "待领导签批");
}

Test(labels, components_and_tiers)
{
    cr_assert_str_eq(ev_component_key(EV_TIMELINESS), "timeliness");
    cr_assert_str_eq(ev_component_label(EV_COMPLIANCE), "履职合规");
    cr_assert_str_eq(ev_tier_label("county"), "县");
    cr_assert(ev_tier_evaluated("zone"));
    cr_assert(ev_tier_evaluated("city_department"));
    cr_assert_not(ev_tier_evaluated("group"));
    cr_assert_not(ev_tier_evaluated("school"));
}

/* ---- the demo's random stream ---- */

Test(demo, the_same_seed_gives_the_same_stream)
{
    struct demo_rng a = {2025}, b = {2025}, c = {2026};
    bool differs = false;
    for (int i = 0; i < 100; i++) {
        uint64_t x = demo_next(&a), y = demo_next(&b), z = demo_next(&c);
        cr_assert_eq(x, y);
        differs = differs || x != z;
    }
    cr_assert(differs);
    struct demo_rng r = {1};
    for (int i = 0; i < 1000; i++) {
        long long v = demo_range(&r, 3, 7);
        cr_assert(v >= 3 && v <= 7);
        double u = demo_unit(&r);
        cr_assert(u >= 0 && u < 1);
    }
}

Test(demo, times_are_shanghai_days)
{
    int d = D("2023-06-05");
    cr_assert_eq(date_today_shanghai(demo_time(d, 0, 0)), d);
    cr_assert_eq(date_today_shanghai(demo_time(d, 23, 59)), d);
}
