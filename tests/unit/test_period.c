/* test_period.c - unit tests for src/base/period.c: kind names, period
 * boundaries (leap years, Dec→Jan, school years) and labels. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/date.h"
#include "base/period.h"

static void check(enum period_kind k, int y, int m, int d, int sy, int sm, int sd, int ey, int em,
                  int ed)
{
    int s = -1, e = -1;
    period_containing(k, date_from_ymd(y, m, d), &s, &e);
    char a[11], b[11];
    date_format(s, a);
    date_format(e, b);
    cr_assert_eq(s, date_from_ymd(sy, sm, sd), "%s for %04d-%02d-%02d: start %s",
                 period_kind_name(k), y, m, d, a);
    cr_assert_eq(e, date_from_ymd(ey, em, ed), "%s for %04d-%02d-%02d: end %s", period_kind_name(k),
                 y, m, d, b);
}

static void label(enum period_kind k, int y, int m, int d, const char *want)
{
    char buf[32];
    period_label(k, date_from_ymd(y, m, d), buf, sizeof buf);
    cr_assert_str_eq(buf, want);
}

Test(period, kind_parse_and_name)
{
    const char *names[] = {"month", "two_months",  "quarter", "half_year",
                           "year",  "school_year", "once"};
    enum period_kind want[] = {PERIOD_MONTH, PERIOD_TWO_MONTHS,  PERIOD_QUARTER, PERIOD_HALF_YEAR,
                               PERIOD_YEAR,  PERIOD_SCHOOL_YEAR, PERIOD_ONCE};
    for (size_t i = 0; i < 7; i++) {
        enum period_kind k = PERIOD_ONCE;
        if (want[i] == PERIOD_ONCE) k = PERIOD_MONTH;
        cr_assert(period_kind_parse(names[i], &k));
        cr_assert_eq(k, want[i]);
        cr_assert_str_eq(period_kind_name(want[i]), names[i]);
    }
    enum period_kind k = PERIOD_YEAR;
    cr_assert_not(period_kind_parse("Month", &k));
    cr_assert_not(period_kind_parse("months", &k));
    cr_assert_not(period_kind_parse("", &k));
    cr_assert_not(period_kind_parse(NULL, &k));
    cr_assert_eq(k, PERIOD_YEAR);
    cr_assert_str_eq(period_kind_name((enum period_kind)99), "?");
    cr_assert_str_eq(period_kind_label(PERIOD_HALF_YEAR), "每半年");
    cr_assert_str_eq(period_kind_label(PERIOD_SCHOOL_YEAR), "每学年");
    cr_assert_str_eq(period_kind_label(PERIOD_ONCE), "限期完成");
    cr_assert_str_eq(period_kind_label((enum period_kind)99), "?");
}

Test(period, month)
{
    check(PERIOD_MONTH, 2024, 2, 15, 2024, 2, 1, 2024, 2, 29);
    check(PERIOD_MONTH, 2023, 2, 28, 2023, 2, 1, 2023, 2, 28);
    check(PERIOD_MONTH, 1900, 2, 1, 1900, 2, 1, 1900, 2, 28);
    check(PERIOD_MONTH, 2023, 12, 31, 2023, 12, 1, 2023, 12, 31);
    check(PERIOD_MONTH, 2024, 1, 1, 2024, 1, 1, 2024, 1, 31);
    check(PERIOD_MONTH, 2023, 4, 30, 2023, 4, 1, 2023, 4, 30);
}

Test(period, two_months)
{
    check(PERIOD_TWO_MONTHS, 2024, 1, 1, 2024, 1, 1, 2024, 2, 29);
    check(PERIOD_TWO_MONTHS, 2023, 2, 28, 2023, 1, 1, 2023, 2, 28);
    check(PERIOD_TWO_MONTHS, 2023, 3, 1, 2023, 3, 1, 2023, 4, 30);
    check(PERIOD_TWO_MONTHS, 2023, 8, 31, 2023, 7, 1, 2023, 8, 31);
    check(PERIOD_TWO_MONTHS, 2023, 11, 1, 2023, 11, 1, 2023, 12, 31);
    check(PERIOD_TWO_MONTHS, 2023, 12, 31, 2023, 11, 1, 2023, 12, 31);
}

Test(period, quarter)
{
    check(PERIOD_QUARTER, 2023, 2, 10, 2023, 1, 1, 2023, 3, 31);
    check(PERIOD_QUARTER, 2023, 3, 31, 2023, 1, 1, 2023, 3, 31);
    check(PERIOD_QUARTER, 2023, 4, 1, 2023, 4, 1, 2023, 6, 30);
    check(PERIOD_QUARTER, 2023, 9, 30, 2023, 7, 1, 2023, 9, 30);
    check(PERIOD_QUARTER, 2023, 10, 20, 2023, 10, 1, 2023, 12, 31);
    check(PERIOD_QUARTER, 2023, 12, 31, 2023, 10, 1, 2023, 12, 31);
    int s, e;
    period_containing(PERIOD_QUARTER, date_from_ymd(2023, 10, 20), &s, &e);
    cr_assert_eq(e - s + 1, 92);
    period_containing(PERIOD_QUARTER, date_from_ymd(2024, 1, 1), &s, &e);
    cr_assert_eq(e - s + 1, 91);
    period_containing(PERIOD_QUARTER, date_from_ymd(2023, 1, 1), &s, &e);
    cr_assert_eq(e - s + 1, 90);
}

Test(period, half_year_and_year)
{
    check(PERIOD_HALF_YEAR, 2023, 6, 30, 2023, 1, 1, 2023, 6, 30);
    check(PERIOD_HALF_YEAR, 2023, 7, 1, 2023, 7, 1, 2023, 12, 31);
    check(PERIOD_HALF_YEAR, 2021, 12, 31, 2021, 7, 1, 2021, 12, 31);
    check(PERIOD_YEAR, 2024, 2, 29, 2024, 1, 1, 2024, 12, 31);
    check(PERIOD_YEAR, 2023, 12, 31, 2023, 1, 1, 2023, 12, 31);
    check(PERIOD_YEAR, 2024, 1, 1, 2024, 1, 1, 2024, 12, 31);
    int s, e;
    period_containing(PERIOD_YEAR, date_from_ymd(2024, 6, 1), &s, &e);
    cr_assert_eq(e - s + 1, 366);
    period_containing(PERIOD_YEAR, date_from_ymd(2021, 6, 1), &s, &e);
    cr_assert_eq(e - s + 1, 365);
}

Test(period, school_year)
{
    check(PERIOD_SCHOOL_YEAR, 2023, 9, 1, 2023, 9, 1, 2024, 8, 31);
    check(PERIOD_SCHOOL_YEAR, 2023, 8, 31, 2022, 9, 1, 2023, 8, 31);
    check(PERIOD_SCHOOL_YEAR, 2023, 12, 31, 2023, 9, 1, 2024, 8, 31);
    check(PERIOD_SCHOOL_YEAR, 2024, 1, 1, 2023, 9, 1, 2024, 8, 31);
    check(PERIOD_SCHOOL_YEAR, 2024, 2, 29, 2023, 9, 1, 2024, 8, 31);
    int s, e;
    period_containing(PERIOD_SCHOOL_YEAR, date_from_ymd(2024, 2, 29), &s, &e);
    cr_assert_eq(e - s + 1, 366);
    period_containing(PERIOD_SCHOOL_YEAR, date_from_ymd(2022, 10, 1), &s, &e);
    cr_assert_eq(e - s + 1, 365);
}

Test(period, once_is_the_day)
{
    int day = date_from_ymd(2022, 12, 31), s = 0, e = 0;
    period_containing(PERIOD_ONCE, day, &s, &e);
    cr_assert_eq(s, day);
    cr_assert_eq(e, day);
    period_containing(PERIOD_MONTH, day, &s, NULL); /* NULL outputs allowed */
    cr_assert_eq(s, date_from_ymd(2022, 12, 1));
}

Test(period, consecutive_periods_tile_the_calendar)
{
    enum period_kind kinds[] = {PERIOD_MONTH,     PERIOD_TWO_MONTHS, PERIOD_QUARTER,
                                PERIOD_HALF_YEAR, PERIOD_YEAR,       PERIOD_SCHOOL_YEAR};
    int first = date_from_ymd(2019, 1, 1), last = date_from_ymd(2026, 12, 31);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        int s, e;
        period_containing(kinds[i], first, &s, &e);
        for (int day = first; day <= last; day++) {
            if (day > e) {
                cr_assert_eq(day, e + 1);
                period_containing(kinds[i], day, &s, &e);
                cr_assert_eq(s, day, "%s: period does not start at the next day",
                             period_kind_name(kinds[i]));
            }
            int s2, e2;
            period_containing(kinds[i], day, &s2, &e2);
            cr_assert_eq(s2, s);
            cr_assert_eq(e2, e);
        }
    }
}

Test(period, labels)
{
    label(PERIOD_MONTH, 2023, 1, 15, "2023-01");
    label(PERIOD_MONTH, 2023, 12, 1, "2023-12");
    label(PERIOD_TWO_MONTHS, 2023, 1, 1, "2023-01~02");
    label(PERIOD_TWO_MONTHS, 2023, 12, 5, "2023-11~12");
    label(PERIOD_QUARTER, 2023, 1, 1, "2023Q1");
    label(PERIOD_QUARTER, 2023, 10, 20, "2023Q4");
    label(PERIOD_HALF_YEAR, 2023, 1, 1, "2023H1");
    label(PERIOD_HALF_YEAR, 2021, 7, 1, "2021H2");
    label(PERIOD_YEAR, 2023, 1, 1, "2023");
    label(PERIOD_SCHOOL_YEAR, 2023, 9, 1, "2023-2024学年");
    label(PERIOD_SCHOOL_YEAR, 2024, 3, 1, "2023-2024学年");
    label(PERIOD_ONCE, 2022, 6, 30, "2022-06-30");
}

Test(period, label_truncation_is_safe)
{
    char buf[12];
    memset(buf, 'Z', sizeof buf);
    /* "2023-2024学年" needs 9 + 6 bytes; 11 bytes leave room for one byte of 学 */
    period_label(PERIOD_SCHOOL_YEAR, date_from_ymd(2023, 9, 1), buf, 11);
    cr_assert_str_eq(buf, "2023-2024");
    period_label(PERIOD_QUARTER, date_from_ymd(2023, 9, 1), buf, 5);
    cr_assert_str_eq(buf, "2023");
    buf[0] = 'Z';
    period_label(PERIOD_QUARTER, date_from_ymd(2023, 9, 1), buf, 0);
    cr_assert_eq(buf[0], 'Z');
}

static void label_cn(enum period_kind k, int y, int m, int d, const char *want)
{
    char buf[64];
    period_label_cn(k, date_from_ymd(y, m, d), buf, sizeof buf);
    cr_assert_str_eq(buf, want);
}

/* The periods as people read them in generated texts (issue 19 §3: no 2024Q4). */
Test(period, label_cn)
{
    label_cn(PERIOD_MONTH, 2023, 3, 15, "2023年3月");
    label_cn(PERIOD_TWO_MONTHS, 2023, 4, 30, "2023年3—4月");
    label_cn(PERIOD_QUARTER, 2024, 11, 2, "2024年第四季度");
    label_cn(PERIOD_QUARTER, 2023, 8, 1, "2023年第三季度");
    label_cn(PERIOD_HALF_YEAR, 2023, 7, 1, "2023年下半年");
    label_cn(PERIOD_YEAR, 2021, 12, 31, "2021年");
    label_cn(PERIOD_SCHOOL_YEAR, 2024, 2, 1, "2023—2024学年");
    label_cn(PERIOD_ONCE, 2025, 2, 11, "2025年2月11日");
    char buf[8];
    period_label_cn(PERIOD_QUARTER, date_from_ymd(2024, 11, 2), buf, sizeof buf);
    cr_assert_str_eq(buf, "2024年", "cut on a character boundary");
}
