/* date.c - civil date arithmetic (days since 1970-01-01, proleptic
 * Gregorian), strict ISO-8601 date parsing and Asia/Shanghai "today". */
#include "base/date.h"

#include <limits.h>
#include <stdio.h>

/* Floor division for a positive divisor. */
static long long floor_div(long long a, long long b)
{
    long long q = a / b;
    if ((a % b) != 0 && a < 0) q--;
    return q;
}

int date_from_ymd(int y, int m, int d)
{
    /* Shift the year to start on March 1 so the leap day is the last day. */
    long long yy = (long long)y - (m <= 2 ? 1 : 0);
    long long era = floor_div(yy, 400);
    long long yoe = yy - era * 400;                        /* [0, 399] */
    long long mp = m > 2 ? m - 3 : m + 9;                  /* March = 0 */
    long long doy = (153 * mp + 2) / 5 + (long long)d - 1; /* [0, 365] */
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
    return (int)(era * 146097 + doe - 719468);
}

void date_to_ymd(int days, int *y, int *m, int *d)
{
    long long z = (long long)days + 719468;
    long long era = floor_div(z, 146097);
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    long long dd = doy - (153 * mp + 2) / 5 + 1;
    long long mm = mp < 10 ? mp + 3 : mp - 9;
    long long yy = yoe + era * 400 + (mm <= 2 ? 1 : 0);
    if (y) *y = (int)yy;
    if (m) *m = (int)mm;
    if (d) *d = (int)dd;
}

bool date_is_leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    if (m == 2 && date_is_leap_year(y)) return 29;
    return dim[m - 1];
}

bool date_valid_ymd(int y, int m, int d)
{
    if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR || m < 1 || m > 12) return false;
    return d >= 1 && d <= date_days_in_month(y, m);
}

static bool parse_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool date_parse(const char *s, int *days)
{
    int y, m, d;
    if (!s) return false;
    /* Check each position before reading further so short strings are safe. */
    if (!parse_digits(s, 4, &y) || s[4] != '-' || !parse_digits(s + 5, 2, &m) || s[7] != '-' ||
        !parse_digits(s + 8, 2, &d) || s[10] != '\0')
        return false;
    if (!date_valid_ymd(y, m, d)) return false;
    if (days) *days = date_from_ymd(y, m, d);
    return true;
}

void date_format(int days, char out[11])
{
    int y, m, d;
    date_to_ymd(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(out, 11, "0000-00-00");
        return;
    }
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

void date_format_cn(int days, char out[DATE_CN_LEN])
{
    int y, m, d;
    date_to_ymd(days, &y, &m, &d);
    snprintf(out, DATE_CN_LEN, "%d年%d月%d日", y, m, d);
}

void date_format_cn_time(long long unix_seconds, char out[DATE_CN_TIME_LEN])
{
    char d[DATE_CN_LEN];
    long long local = unix_seconds + 8LL * 3600;
    date_format_cn(date_today_shanghai(unix_seconds), d);
    snprintf(out, DATE_CN_TIME_LEN, "%s%02lld:%02lld", d, (local % 86400 + 86400) % 86400 / 3600,
             (local % 3600 + 3600) % 3600 / 60);
}

int date_today_shanghai(long long unix_seconds)
{
    const long long offset = 8LL * 3600;
    /* Clamp so the result fits an int (about +-5.8 million years). */
    const long long lim = (long long)INT_MAX * 86400;
    long long s = unix_seconds;
    if (s > lim) s = lim;
    if (s < -lim) s = -lim;
    return (int)floor_div(s + offset, 86400);
}

int date_weekday(int days)
{
    /* 1970-01-01 was a Thursday (3 when Monday = 0). */
    return (int)(((long long)days % 7 + 7 + 3) % 7);
}
