/* test_date.c - unit tests for src/base/date.c: day numbers, validity,
 * strict parsing and formatting, Shanghai "today" and weekdays. */
#include <criterion/criterion.h>

#include "base/date.h"

Test(date, epoch_and_known_days)
{
    cr_assert_eq(date_from_ymd(1970, 1, 1), 0);
    cr_assert_eq(date_from_ymd(1970, 1, 2), 1);
    cr_assert_eq(date_from_ymd(1969, 12, 31), -1);
    cr_assert_eq(date_from_ymd(2000, 3, 1), 11017);
    cr_assert_eq(date_from_ymd(2021, 7, 1), 18809);
    cr_assert_eq(date_from_ymd(1900, 1, 1), -25567);
    cr_assert_eq(date_from_ymd(2023, 10, 20) - date_from_ymd(2023, 10, 1), 19);
}

Test(date, round_trip_every_day_1899_to_2101)
{
    int start = date_from_ymd(1899, 1, 1), end = date_from_ymd(2101, 12, 31);
    int py = 1898, pm = 12, pd = 31;
    for (int day = start; day <= end; day++) {
        int y, m, d;
        date_to_ymd(day, &y, &m, &d);
        cr_assert(date_valid_ymd(y, m, d), "day %d -> %d-%d-%d", day, y, m, d);
        cr_assert_eq(date_from_ymd(y, m, d), day);
        /* consecutive: next day of previous */
        if (d == 1) {
            cr_assert_eq(pd, date_days_in_month(py, pm));
            cr_assert(m == pm + 1 || (m == 1 && pm == 12 && y == py + 1));
        } else {
            cr_assert_eq(d, pd + 1);
            cr_assert_eq(m, pm);
            cr_assert_eq(y, py);
        }
        py = y;
        pm = m;
        pd = d;
    }
}

Test(date, to_ymd_null_outputs)
{
    int m = 0;
    date_to_ymd(date_from_ymd(2024, 2, 29), NULL, &m, NULL);
    cr_assert_eq(m, 2);
}

Test(date, leap_years_and_month_lengths)
{
    cr_assert_eq(date_days_in_month(2024, 2), 29);
    cr_assert_eq(date_days_in_month(2023, 2), 28);
    cr_assert_eq(date_days_in_month(1900, 2), 28);
    cr_assert_eq(date_days_in_month(2000, 2), 29);
    cr_assert_eq(date_days_in_month(2023, 4), 30);
    cr_assert_eq(date_days_in_month(2023, 12), 31);
    cr_assert_eq(date_days_in_month(2023, 13), 0);
    cr_assert_eq(date_days_in_month(2023, 0), 0);
    cr_assert_eq(date_from_ymd(2025, 1, 1) - date_from_ymd(2024, 1, 1), 366);
    cr_assert_eq(date_from_ymd(2101, 1, 1) - date_from_ymd(2100, 1, 1), 365);
}

Test(date, valid_ymd)
{
    cr_assert(date_valid_ymd(2024, 2, 29));
    cr_assert_not(date_valid_ymd(2023, 2, 29));
    cr_assert_not(date_valid_ymd(1999, 2, 30));
    cr_assert_not(date_valid_ymd(2023, 4, 31));
    cr_assert_not(date_valid_ymd(2023, 0, 1));
    cr_assert_not(date_valid_ymd(2023, 1, 0));
    cr_assert_not(date_valid_ymd(0, 1, 1));
    cr_assert(date_valid_ymd(9999, 12, 31));
    cr_assert_not(date_valid_ymd(10000, 1, 1));
}

Test(date, parse_strict)
{
    int d = -7;
    cr_assert(date_parse("2023-10-20", &d));
    cr_assert_eq(d, date_from_ymd(2023, 10, 20));
    cr_assert(date_parse("2024-02-29", &d));
    cr_assert_eq(d, date_from_ymd(2024, 2, 29));

    d = 12345;
    const char *bad[] = {"2023-02-29",  "1999-02-30",  "2023-1-20",     "2023-10-2", "2023/10/20",
                         "2023-10-20 ", " 2023-10-20", "2023-10-20T00", "20231020",  "",
                         "2023-13-01",  "2023-00-10",  "0000-01-01",    "2023-10-",  "abcd-ef-gh",
                         "+023-10-20",  "2023-1a-20"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_not(date_parse(bad[i], &d), "accepted \"%s\"", bad[i]);
        cr_assert_eq(d, 12345, "changed output for \"%s\"", bad[i]);
    }
    cr_assert_not(date_parse(NULL, &d));
}

Test(date, format)
{
    char buf[11];
    date_format(0, buf);
    cr_assert_str_eq(buf, "1970-01-01");
    date_format(date_from_ymd(2024, 2, 29), buf);
    cr_assert_str_eq(buf, "2024-02-29");
    date_format(date_from_ymd(1900, 1, 1), buf);
    cr_assert_str_eq(buf, "1900-01-01");
    date_format(date_from_ymd(9999, 12, 31), buf);
    cr_assert_str_eq(buf, "9999-12-31");
    date_format(date_from_ymd(10000, 1, 1), buf);
    cr_assert_str_eq(buf, "0000-00-00");
}

Test(date, today_shanghai)
{
    /* 2023-10-19T16:00:00Z is 2023-10-20 00:00 in Shanghai. */
    long long t = 1697731200LL;
    cr_assert_eq(date_today_shanghai(t), date_from_ymd(2023, 10, 20));
    cr_assert_eq(date_today_shanghai(t - 1), date_from_ymd(2023, 10, 19));
    cr_assert_eq(date_today_shanghai(t + 86399), date_from_ymd(2023, 10, 20));
    cr_assert_eq(date_today_shanghai(t + 86400), date_from_ymd(2023, 10, 21));
    cr_assert_eq(date_today_shanghai(0), 0);
    cr_assert_eq(date_today_shanghai(-8 * 3600), 0);
    cr_assert_eq(date_today_shanghai(-8 * 3600 - 1), -1);
    cr_assert_eq(date_today_shanghai(16 * 3600), 1);
}

Test(date, weekday)
{
    cr_assert_eq(date_weekday(0), 3);                           /* 1970-01-01 Thu */
    cr_assert_eq(date_weekday(date_from_ymd(2023, 10, 20)), 4); /* Friday */
    cr_assert_eq(date_weekday(date_from_ymd(2021, 6, 30)), 2);  /* Wednesday */
    cr_assert_eq(date_weekday(date_from_ymd(2024, 1, 1)), 0);   /* Monday */
    cr_assert_eq(date_weekday(date_from_ymd(2023, 12, 31)), 6); /* Sunday */
    cr_assert_eq(date_weekday(date_from_ymd(1969, 12, 28)), 6); /* Sunday */
    cr_assert_eq(date_weekday(date_from_ymd(1900, 1, 1)), 0);   /* Monday */
}

Test(date, format_cn_as_people_read_it)
{
    char s[DATE_CN_LEN];
    date_format_cn(date_from_ymd(2025, 2, 11), s);
    cr_assert_str_eq(s, "2025年2月11日");
    date_format_cn(date_from_ymd(2021, 12, 31), s);
    cr_assert_str_eq(s, "2021年12月31日");
}
