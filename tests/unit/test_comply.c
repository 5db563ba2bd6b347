/* test_comply.c - unit tests for src/base/comply.c: the hand-worked example
 * of DOMAIN.md §2, made-up-late reports, grace, pro-rating of the 2021 half
 * year, once-by-date duties, metric sums and acceptance after as_of. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/comply.h"
#include "base/date.h"
#include "base/period.h"

#define D(y, m, d) date_from_ymd((y), (m), (d))
#define CAP 128

static struct comply_rule rule(enum period_kind per, int minimum)
{
    return (struct comply_rule){.per = per,
                                .minimum = minimum,
                                .from = D(2021, 7, 1),
                                .to = D(2025, 12, 31),
                                .grace_days = COMPLY_GRACE_DAYS};
}

static struct comply_rule once_rule(int minimum, int due)
{
    return (struct comply_rule){.per = PERIOD_ONCE,
                                .minimum = minimum,
                                .from = D(2021, 7, 1),
                                .to = D(2025, 12, 31),
                                .due = due,
                                .grace_days = COMPLY_GRACE_DAYS};
}

/* Evaluates and returns the period labelled `label` (fails when absent). */
static struct comply_period find(const struct comply_rule *r, const struct comply_event *ev,
                                 size_t nev, int as_of, const char *label)
{
    struct comply_period out[CAP];
    size_t n = comply_evaluate(r, ev, nev, as_of, out, CAP);
    cr_assert_leq(n, CAP);
    for (size_t i = 0; i < n; i++) {
        char buf[32];
        period_label(r->per, out[i].start, buf, sizeof buf);
        if (strcmp(buf, label) == 0) return out[i];
    }
    cr_assert_fail("period %s not emitted", label);
    return out[0];
}

static void expect(struct comply_period p, enum comply_status st, enum comply_light li)
{
    cr_assert_str_eq(comply_status_name(p.status), comply_status_name(st));
    cr_assert_str_eq(comply_light_name(p.light), comply_light_name(li));
    cr_assert_eq(p.late, st == COMPLY_MET_LATE);
}

/* ---- DOMAIN.md §2 hand-worked example, verbatim ---- */

/* 渝中区 (a district): press conference at least once per quarter (task 17). Reports
 * accepted with activity dates 2023-02-10 and 2023-05-20, none later (accepted the
 * same day), plus optionally the late one: dated 2023-09-28, accepted 2023-11-02. */
static size_t yuzhong(struct comply_event ev[3], bool with_late_q3)
{
    ev[0] = (struct comply_event){D(2023, 2, 10), D(2023, 2, 10), 1};
    ev[1] = (struct comply_event){D(2023, 5, 20), D(2023, 5, 20), 1};
    ev[2] = (struct comply_event){D(2023, 9, 28), D(2023, 11, 2), 1};
    return with_late_q3 ? 3 : 2;
}

Test(comply_example, as_of_2023_10_20)
{
    struct comply_rule r = rule(PERIOD_QUARTER, 1);
    struct comply_event ev[3];
    size_t nev = yuzhong(ev, false);
    int as_of = D(2023, 10, 20);
    expect(find(&r, ev, nev, as_of, "2023Q1"), COMPLY_MET, LIGHT_GREEN);
    expect(find(&r, ev, nev, as_of, "2023Q2"), COMPLY_MET, LIGHT_GREEN);
    /* ended 2023-09-30, grace over after 2023-10-15 */
    struct comply_period q3 = find(&r, ev, nev, as_of, "2023Q3");
    expect(q3, COMPLY_MISSED, LIGHT_RED);
    cr_assert_eq(q3.end, D(2023, 9, 30));
    cr_assert_eq(q3.count, 0);
    /* 19 of 92 days elapsed, 0 >= floor(1 x 0.21) = 0 */
    struct comply_period q4 = find(&r, ev, nev, as_of, "2023Q4");
    expect(q4, COMPLY_IN_PROGRESS, LIGHT_GREEN);
    cr_assert_eq(as_of - q4.start, 19);
    cr_assert_eq(q4.end - q4.start + 1, 92);
    cr_assert_eq(q4.minimum, 1);
    cr_assert_eq(q4.count, 0);
    /* Q4 is the last period emitted: 2021Q3 .. 2023Q4 */
    struct comply_period out[CAP];
    cr_assert_eq(comply_evaluate(&r, ev, nev, as_of, out, CAP), 10);
    cr_assert_eq(out[0].start, D(2021, 7, 1));
    cr_assert_eq(out[9].start, D(2023, 10, 1));
}

Test(comply_example, q4_yellow_from_2023_12_09)
{
    struct comply_rule r = rule(PERIOD_QUARTER, 1);
    struct comply_event ev[3];
    size_t nev = yuzhong(ev, false);
    /* 69 of 92 days = 75%: no longer under 75% */
    struct comply_period q4 = find(&r, ev, nev, D(2023, 12, 9), "2023Q4");
    cr_assert_eq(D(2023, 12, 9) - q4.start, 69);
    expect(q4, COMPLY_IN_PROGRESS, LIGHT_YELLOW);
    /* the day before, 68 of 92, still green */
    expect(find(&r, ev, nev, D(2023, 12, 8), "2023Q4"), COMPLY_IN_PROGRESS, LIGHT_GREEN);
}

Test(comply_example, q3_made_up_late_turns_yellow_not_green)
{
    struct comply_rule r = rule(PERIOD_QUARTER, 1);
    struct comply_event ev[3];
    cr_assert_eq(yuzhong(ev, true), 3);
    /* not yet accepted as of 2023-10-20: still red */
    expect(find(&r, ev, 3, D(2023, 10, 20), "2023Q3"), COMPLY_MISSED, LIGHT_RED);
    expect(find(&r, ev, 3, D(2023, 11, 1), "2023Q3"), COMPLY_MISSED, LIGHT_RED);
    /* accepted 2023-11-02: made up late, yellow, never green */
    struct comply_period q3 = find(&r, ev, 3, D(2023, 11, 2), "2023Q3");
    expect(q3, COMPLY_MET_LATE, LIGHT_YELLOW);
    cr_assert_eq(q3.count, 1);
    cr_assert_eq(q3.count_on_time, 0);
    expect(find(&r, ev, 3, D(2026, 11, 20), "2023Q3"), COMPLY_MET_LATE, LIGHT_YELLOW);
    /* the other quarters are unchanged */
    expect(find(&r, ev, 3, D(2023, 11, 2), "2023Q1"), COMPLY_MET, LIGHT_GREEN);
    expect(find(&r, ev, 3, D(2023, 11, 2), "2023Q4"), COMPLY_IN_PROGRESS, LIGHT_GREEN);
}

/* ---- grace ---- */

Test(comply_grace, accepted_on_last_grace_day_is_on_time)
{
    struct comply_rule r = rule(PERIOD_QUARTER, 1);
    struct comply_event ev = {D(2023, 9, 28), D(2023, 10, 15), 1};
    expect(find(&r, &ev, 1, D(2023, 10, 20), "2023Q3"), COMPLY_MET, LIGHT_GREEN);
    ev.accepted_day = D(2023, 10, 16);
    expect(find(&r, &ev, 1, D(2023, 10, 20), "2023Q3"), COMPLY_MET_LATE, LIGHT_YELLOW);
}

Test(comply_grace, inside_grace_green_when_met_yellow_otherwise)
{
    struct comply_rule r = rule(PERIOD_QUARTER, 1);
    expect(find(&r, NULL, 0, D(2023, 10, 1), "2023Q3"), COMPLY_IN_PROGRESS, LIGHT_YELLOW);
    expect(find(&r, NULL, 0, D(2023, 10, 15), "2023Q3"), COMPLY_IN_PROGRESS, LIGHT_YELLOW);
    expect(find(&r, NULL, 0, D(2023, 10, 16), "2023Q3"), COMPLY_MISSED, LIGHT_RED);
    struct comply_event ev = {D(2023, 9, 30), D(2023, 10, 5), 1};
    expect(find(&r, &ev, 1, D(2023, 10, 4), "2023Q3"), COMPLY_IN_PROGRESS, LIGHT_YELLOW);
    expect(find(&r, &ev, 1, D(2023, 10, 5), "2023Q3"), COMPLY_MET, LIGHT_GREEN);
}

Test(comply_grace, activity_date_decides_the_period)
{
    struct comply_rule r = rule(PERIOD_QUARTER, 1);
    /* done 2023-10-01, accepted inside Q3's grace: counts for Q4, not Q3 */
    struct comply_event ev = {D(2023, 10, 1), D(2023, 10, 3), 1};
    expect(find(&r, &ev, 1, D(2023, 10, 20), "2023Q3"), COMPLY_MISSED, LIGHT_RED);
    expect(find(&r, &ev, 1, D(2023, 10, 20), "2023Q4"), COMPLY_MET, LIGHT_GREEN);
}

/* ---- pro-rating of the first (2021) period ---- */

Test(comply_prorate, year_2021_from_july)
{
    const int mins[] = {5, 3, 1, 10};
    const int want[] = {3, 2, 1, 6}; /* ceil(min x 184 / 365) */
    for (size_t i = 0; i < 4; i++) {
        struct comply_rule r = rule(PERIOD_YEAR, mins[i]);
        struct comply_period out[8];
        size_t n = comply_evaluate(&r, NULL, 0, D(2022, 3, 1), out, 8);
        cr_assert_eq(n, 2);
        cr_assert_eq(out[0].start, D(2021, 1, 1));
        cr_assert_eq(out[0].end, D(2021, 12, 31));
        cr_assert_eq(out[0].minimum, want[i], "min %d: got %d", mins[i], out[0].minimum);
        cr_assert_eq(out[1].minimum, mins[i], "2022 is not pro-rated");
    }
}

Test(comply_prorate, met_with_scaled_minimum)
{
    struct comply_rule r = rule(PERIOD_YEAR, 5);
    struct comply_event ev[] = {
        {D(2021, 6, 30), D(2021, 7, 2), 1}, /* before the duty took effect: ignored */
        {D(2021, 8, 1), D(2021, 8, 2), 1},
        {D(2021, 9, 1), D(2021, 9, 2), 1},
    };
    struct comply_period p = find(&r, ev, 3, D(2022, 3, 1), "2021");
    cr_assert_eq(p.minimum, 3);
    cr_assert_eq(p.count, 2);
    expect(p, COMPLY_MISSED, LIGHT_RED);
    struct comply_event ev2[] = {ev[0], ev[1], ev[2], {D(2021, 12, 31), D(2022, 1, 15), 1}};
    p = find(&r, ev2, 4, D(2022, 3, 1), "2021");
    cr_assert_eq(p.count, 3);
    expect(p, COMPLY_MET, LIGHT_GREEN);
}

Test(comply_prorate, aligned_periods_are_not_scaled)
{
    struct comply_rule r = rule(PERIOD_HALF_YEAR, 3);
    struct comply_period out[4];
    cr_assert_eq(comply_evaluate(&r, NULL, 0, D(2021, 12, 1), out, 4), 1);
    cr_assert_eq(out[0].start, D(2021, 7, 1));
    cr_assert_eq(out[0].minimum, 3);
    r = rule(PERIOD_QUARTER, 1);
    cr_assert_eq(comply_evaluate(&r, NULL, 0, D(2021, 7, 1), out, 4), 1);
    cr_assert_eq(out[0].minimum, 1);
}

Test(comply_prorate, school_year_and_the_end_of_the_plan)
{
    struct comply_rule r = rule(PERIOD_SCHOOL_YEAR, 10);
    struct comply_period out[8];
    size_t n = comply_evaluate(&r, NULL, 0, D(2026, 11, 20), out, 8);
    /* 2020-2021 (in effect 07-01..08-31, 62 of 365 days) .. 2025-2026 */
    cr_assert_eq(n, 6);
    cr_assert_eq(out[0].start, D(2020, 9, 1));
    cr_assert_eq(out[0].minimum, 2); /* ceil(10 x 62 / 365) */
    cr_assert_eq(out[1].minimum, 10);
    cr_assert_eq(out[5].start, D(2025, 9, 1));
    cr_assert_eq(out[5].minimum, 4); /* ceil(10 x 122 / 365), plan ends 2025-12-31 */
}

/* Issue 19 defect 9: with the plan's "assess_min_share": 50, a school year less than half
 * inside the plan is shown (with its count) but not assessed; one at least half inside keeps
 * its scaled minimum, and so does 2021 (184 of 365 days). */
Test(comply_prorate, periods_less_than_half_in_effect_are_not_assessed)
{
    struct comply_rule r = rule(PERIOD_SCHOOL_YEAR, 1);
    r.min_share = 50;
    /* a report in the holidays of 2021, inside the plan: counted, still not assessed */
    struct comply_event ev[1] = {{D(2021, 7, 20), D(2021, 7, 21), 1}};
    struct comply_period out[8];
    size_t n = comply_evaluate(&r, ev, 1, D(2026, 11, 20), out, 8);
    cr_assert_eq(n, 6);
    expect(out[0], COMPLY_NOT_ASSESSED, LIGHT_GREY); /* 2020-2021: 62 of 365 days */
    cr_assert_eq(out[0].share_pct, 16);
    cr_assert_eq(out[0].count, 1);
    cr_assert_not(comply_assessed(&out[0]));
    expect(out[1], COMPLY_MISSED, LIGHT_RED); /* 2021-2022: wholly inside, nothing reported */
    cr_assert_eq(out[1].share_pct, 100);
    expect(out[5], COMPLY_NOT_ASSESSED, LIGHT_GREY); /* 2025-2026: 122 of 365 days */
    cr_assert_eq(out[5].share_pct, 33);

    struct comply_rule y = rule(PERIOD_YEAR, 5);
    y.min_share = 50;
    struct comply_period y2021 = find(&y, NULL, 0, D(2022, 3, 1), "2021");
    expect(y2021, COMPLY_MISSED, LIGHT_RED);
    cr_assert_eq(y2021.minimum, 3); /* ceil(5 x 184 / 365), as DOMAIN.md §2 has it */
    cr_assert_eq(y2021.share_pct, 50);

    /* a share exactly at the threshold is assessed; one day less is not */
    struct comply_rule h = rule(PERIOD_SCHOOL_YEAR, 1);
    h.from = D(2021, 3, 2); /* 2021-03-02 .. 2021-08-31: 183 of 365 days, 50.1% */
    h.min_share = 50;
    struct comply_period in = find(&h, NULL, 0, D(2022, 1, 1), "2020-2021学年");
    cr_assert(comply_assessed(&in));
    h.from = D(2021, 3, 4); /* 181 days, 49.6% */
    struct comply_period out2 = find(&h, NULL, 0, D(2022, 1, 1), "2020-2021学年");
    cr_assert_not(comply_assessed(&out2));
}

/* ---- current period, on track ---- */

Test(comply_current, metric_sum_on_track)
{
    /* task 79: at least 10 original articles (sum) per year */
    struct comply_rule r = rule(PERIOD_YEAR, 10);
    struct comply_event ev[] = {
        {D(2023, 3, 1), D(2023, 3, 2), 3},
        {D(2023, 6, 1), D(2023, 6, 2), 1},
    };
    /* 181 of 365 days: floor(10 x 181 / 365) = 4 */
    struct comply_period p = find(&r, ev, 2, D(2023, 7, 1), "2023");
    cr_assert_eq(p.count, 4);
    expect(p, COMPLY_IN_PROGRESS, LIGHT_GREEN);
    p = find(&r, ev, 1, D(2023, 7, 1), "2023");
    cr_assert_eq(p.count, 3);
    expect(p, COMPLY_IN_PROGRESS, LIGHT_YELLOW);
}

Test(comply_current, metric_sum_closed_year)
{
    struct comply_rule r = rule(PERIOD_YEAR, 10);
    struct comply_event ev[] = {
        {D(2023, 12, 20), D(2024, 1, 10), 3}, /* accepted in grace: on time */
        {D(2023, 3, 1), D(2023, 3, 2), 4},
        {D(2023, 11, 5), D(2023, 11, 9), 2},
        {D(2024, 1, 3), D(2024, 1, 4), 50}, /* belongs to 2024 */
    };
    struct comply_period p = find(&r, ev, 3, D(2024, 1, 20), "2023");
    cr_assert_eq(p.count, 9);
    expect(p, COMPLY_MISSED, LIGHT_RED);
    struct comply_event ev2[] = {ev[0], ev[1], ev[2], ev[3], {D(2023, 6, 6), D(2023, 6, 7), 1}};
    p = find(&r, ev2, 5, D(2024, 1, 20), "2023");
    cr_assert_eq(p.count, 10);
    cr_assert_eq(p.count_on_time, 10);
    expect(p, COMPLY_MET, LIGHT_GREEN);
    p = find(&r, ev2, 5, D(2024, 1, 20), "2024");
    cr_assert_eq(p.count, 50);
    expect(p, COMPLY_MET, LIGHT_GREEN);
}

Test(comply_current, met_stays_green_after_75_percent)
{
    struct comply_rule r = rule(PERIOD_QUARTER, 1);
    struct comply_event ev = {D(2023, 10, 2), D(2023, 10, 3), 1};
    expect(find(&r, &ev, 1, D(2023, 12, 31), "2023Q4"), COMPLY_MET, LIGHT_GREEN);
}

Test(comply_current, accepted_after_as_of_not_counted)
{
    struct comply_rule r = rule(PERIOD_QUARTER, 1);
    struct comply_event ev = {D(2023, 11, 1), D(2023, 12, 20), 1};
    struct comply_period p = find(&r, &ev, 1, D(2023, 12, 19), "2023Q4");
    cr_assert_eq(p.count, 0);
    expect(p, COMPLY_IN_PROGRESS, LIGHT_YELLOW);
    p = find(&r, &ev, 1, D(2023, 12, 20), "2023Q4");
    cr_assert_eq(p.count, 1);
    expect(p, COMPLY_MET, LIGHT_GREEN);
}

Test(comply_current, activity_after_as_of_not_counted)
{
    struct comply_rule r = rule(PERIOD_QUARTER, 1);
    struct comply_event ev = {D(2023, 11, 10), D(2023, 11, 1), 1};
    struct comply_period p = find(&r, &ev, 1, D(2023, 11, 5), "2023Q4");
    cr_assert_eq(p.count, 0);
}

/* ---- once by date ---- */

Test(comply_once, ninety_day_rule)
{
    /* task 40: incentive mechanism in place by 2022-06-30 */
    struct comply_rule r = once_rule(1, D(2022, 6, 30));
    struct comply_period p = find(&r, NULL, 0, D(2022, 3, 31), "2021-07-01");
    cr_assert_eq(p.start, D(2021, 7, 1));
    cr_assert_eq(p.end, D(2022, 6, 30));
    cr_assert_eq(D(2022, 6, 30) - D(2022, 3, 31), 91);
    expect(p, COMPLY_NOT_DUE, LIGHT_GREEN);
    expect(find(&r, NULL, 0, D(2021, 7, 1), "2021-07-01"), COMPLY_NOT_DUE, LIGHT_GREEN);
    expect(find(&r, NULL, 0, D(2022, 4, 1), "2021-07-01"), COMPLY_IN_PROGRESS, LIGHT_YELLOW);
    expect(find(&r, NULL, 0, D(2022, 6, 30), "2021-07-01"), COMPLY_IN_PROGRESS, LIGHT_YELLOW);
    expect(find(&r, NULL, 0, D(2022, 7, 15), "2021-07-01"), COMPLY_IN_PROGRESS, LIGHT_YELLOW);
    expect(find(&r, NULL, 0, D(2022, 7, 16), "2021-07-01"), COMPLY_MISSED, LIGHT_RED);
    expect(find(&r, NULL, 0, D(2026, 11, 20), "2021-07-01"), COMPLY_MISSED, LIGHT_RED);
}

Test(comply_once, met_on_time_and_late)
{
    struct comply_rule r = once_rule(1, D(2022, 6, 30));
    struct comply_event ev = {D(2022, 5, 1), D(2022, 5, 3), 1};
    expect(find(&r, &ev, 1, D(2022, 5, 2), "2021-07-01"), COMPLY_IN_PROGRESS, LIGHT_YELLOW);
    expect(find(&r, &ev, 1, D(2022, 5, 3), "2021-07-01"), COMPLY_MET, LIGHT_GREEN);
    expect(find(&r, &ev, 1, D(2025, 1, 1), "2021-07-01"), COMPLY_MET, LIGHT_GREEN);
    /* met early, long before the 90-day window */
    ev = (struct comply_event){D(2021, 9, 1), D(2021, 9, 2), 1};
    expect(find(&r, &ev, 1, D(2021, 10, 1), "2021-07-01"), COMPLY_MET, LIGHT_GREEN);
    /* done in time, accepted after due + grace: made up late */
    ev = (struct comply_event){D(2022, 6, 20), D(2022, 8, 1), 1};
    expect(find(&r, &ev, 1, D(2022, 7, 31), "2021-07-01"), COMPLY_MISSED, LIGHT_RED);
    expect(find(&r, &ev, 1, D(2022, 8, 1), "2021-07-01"), COMPLY_MET_LATE, LIGHT_YELLOW);
    /* accepted on the last grace day: on time */
    ev.accepted_day = D(2022, 7, 15);
    expect(find(&r, &ev, 1, D(2022, 8, 1), "2021-07-01"), COMPLY_MET, LIGHT_GREEN);
    /* done after the due date: made up late */
    ev = (struct comply_event){D(2022, 9, 10), D(2022, 9, 12), 1};
    struct comply_period p = find(&r, &ev, 1, D(2022, 10, 1), "2021-07-01");
    expect(p, COMPLY_MET_LATE, LIGHT_YELLOW);
    cr_assert_eq(p.count, 1);
    cr_assert_eq(p.count_on_time, 0);
}

Test(comply_once, minimum_two_reports)
{
    /* task 38: two surveys by 2025-12-31 */
    struct comply_rule r = once_rule(2, D(2025, 12, 31));
    struct comply_event ev[] = {{D(2024, 5, 1), D(2024, 5, 2), 1},
                                {D(2025, 11, 1), D(2025, 11, 5), 1}};
    expect(find(&r, ev, 1, D(2025, 9, 1), "2021-07-01"), COMPLY_NOT_DUE, LIGHT_GREEN);
    expect(find(&r, ev, 1, D(2025, 10, 2), "2021-07-01"), COMPLY_IN_PROGRESS, LIGHT_YELLOW);
    expect(find(&r, ev, 2, D(2025, 11, 5), "2021-07-01"), COMPLY_MET, LIGHT_GREEN);
}

Test(comply_once, nothing_before_from)
{
    struct comply_rule r = once_rule(1, D(2022, 6, 30));
    struct comply_period out[2];
    cr_assert_eq(comply_evaluate(&r, NULL, 0, D(2021, 6, 30), out, 2), 0);
    cr_assert_eq(comply_evaluate(&r, NULL, 0, D(2021, 7, 1), out, 2), 1);
}

/* ---- emission ---- */

Test(comply_emit, periods_are_consecutive_and_stop_at_to)
{
    struct comply_rule r = rule(PERIOD_QUARTER, 1);
    struct comply_period out[CAP];
    size_t n = comply_evaluate(&r, NULL, 0, D(2026, 11, 20), out, CAP);
    cr_assert_eq(n, 18); /* 2021Q3 .. 2025Q4 */
    for (size_t i = 0; i < n; i++) {
        expect(out[i], COMPLY_MISSED, LIGHT_RED);
        if (i > 0) cr_assert_eq(out[i].start, out[i - 1].end + 1);
    }
    cr_assert_eq(out[17].end, D(2025, 12, 31));
    r = rule(PERIOD_TWO_MONTHS, 1);
    cr_assert_eq(comply_evaluate(&r, NULL, 0, D(2023, 12, 31), out, CAP), 15);
    cr_assert_eq(comply_evaluate(&r, NULL, 0, D(2021, 6, 30), out, CAP), 0);
}

Test(comply_emit, capacity)
{
    struct comply_rule r = rule(PERIOD_MONTH, 1);
    struct comply_period out[5];
    memset(out, 0x5A, sizeof out);
    size_t n = comply_evaluate(&r, NULL, 0, D(2021, 12, 15), out, 3);
    cr_assert_eq(n, 6);
    cr_assert_eq(out[2].start, D(2021, 9, 1));
    unsigned char *tail = (unsigned char *)&out[3];
    for (size_t i = 0; i < 2 * sizeof out[0]; i++)
        cr_assert_eq(tail[i], 0x5A, "wrote past cap");
    cr_assert_eq(comply_evaluate(&r, NULL, 0, D(2021, 12, 15), NULL, 0), 6);
    r = once_rule(1, D(2022, 6, 30));
    cr_assert_eq(comply_evaluate(&r, NULL, 0, D(2021, 12, 15), NULL, 0), 1);
}

Test(comply_emit, unsorted_events)
{
    struct comply_rule r = rule(PERIOD_HALF_YEAR, 2);
    struct comply_event ev[] = {
        {D(2023, 8, 1), D(2023, 8, 1), 1},   {D(2022, 1, 5), D(2022, 1, 6), 1},
        {D(2023, 2, 1), D(2023, 2, 2), 1},   {D(2022, 6, 5), D(2022, 6, 6), 1},
        {D(2023, 12, 1), D(2023, 12, 2), 1},
    };
    expect(find(&r, ev, 5, D(2024, 3, 1), "2022H1"), COMPLY_MET, LIGHT_GREEN);
    expect(find(&r, ev, 5, D(2024, 3, 1), "2022H2"), COMPLY_MISSED, LIGHT_RED);
    expect(find(&r, ev, 5, D(2024, 3, 1), "2023H1"), COMPLY_MISSED, LIGHT_RED);
    expect(find(&r, ev, 5, D(2024, 3, 1), "2023H2"), COMPLY_MET, LIGHT_GREEN);
    expect(find(&r, ev, 5, D(2024, 3, 1), "2024H1"), COMPLY_IN_PROGRESS, LIGHT_GREEN);
}

Test(comply_emit, names)
{
    cr_assert_str_eq(comply_status_name(COMPLY_MET), "met");
    cr_assert_str_eq(comply_status_name(COMPLY_MET_LATE), "met_late");
    cr_assert_str_eq(comply_status_name(COMPLY_MISSED), "missed");
    cr_assert_str_eq(comply_status_name(COMPLY_IN_PROGRESS), "in_progress");
    cr_assert_str_eq(comply_status_name(COMPLY_NOT_DUE), "not_due");
    cr_assert_str_eq(comply_light_name(LIGHT_GREEN), "green");
    cr_assert_str_eq(comply_light_name(LIGHT_YELLOW), "yellow");
    cr_assert_str_eq(comply_light_name(LIGHT_RED), "red");
}

/* Closed: the period's end plus the grace has passed (what is accepted from then on is 补报). */
Test(comply_example, closed_after_end_plus_grace)
{
    struct comply_period p = {.start = date_from_ymd(2025, 10, 1),
                              .end = date_from_ymd(2025, 12, 31)};
    cr_assert_not(comply_closed(&p, 15, date_from_ymd(2026, 1, 15)), "the last day of the grace");
    cr_assert(comply_closed(&p, 15, date_from_ymd(2026, 1, 16)));
    cr_assert_not(comply_closed(&p, 0, date_from_ymd(2025, 12, 31)));
    cr_assert(comply_closed(&p, -3, date_from_ymd(2026, 1, 1)), "a negative grace counts as none");
}
