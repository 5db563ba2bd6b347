/* date.h - civil (proleptic Gregorian) dates as int days since 1970-01-01,
 * strict ISO parsing/formatting, and "today" in Asia/Shanghai (UTC+8). */
#ifndef ECOACT_BASE_DATE_H
#define ECOACT_BASE_DATE_H

#include <stdbool.h>

/* Years accepted by date_valid_ymd / date_parse. */
#define DATE_MIN_YEAR 1
#define DATE_MAX_YEAR 9999

/* Days since 1970-01-01 for y-m-d. m must be 1..12; d is taken linearly, so
 * d = 0 is the last day of the previous month. Meant for |y| < 1000000. */
int date_from_ymd(int y, int m, int d);
/* Inverse of date_from_ymd. Any output pointer may be NULL. */
void date_to_ymd(int days, int *y, int *m, int *d);
/* True when y-m-d is a real date and DATE_MIN_YEAR <= y <= DATE_MAX_YEAR. */
bool date_valid_ymd(int y, int m, int d);
/* 1..12 → 28..31; 0 for an invalid month. */
int date_days_in_month(int y, int m);
bool date_is_leap_year(int y);

/* Strict "YYYY-MM-DD" (exactly 10 chars, real date). *days untouched on failure. */
bool date_parse(const char *s, int *days);
/* "YYYY-MM-DD"; for a year outside 0..9999 out gets "0000-00-00". */
void date_format(int days, char out[11]);
/* "2025年2月11日", as people read a date (messages shown in the console and documents). */
#define DATE_CN_LEN 24
void date_format_cn(int days, char out[DATE_CN_LEN]);

/* "2025年2月11日09:30": a Unix time as people read it, in Beijing time (the refusals that name
 * a sign-up or booking window, a cooldown's end). */
#define DATE_CN_TIME_LEN (DATE_CN_LEN + 8)
void date_format_cn_time(long long unix_seconds, char out[DATE_CN_TIME_LEN]);
/* Civil date in Asia/Shanghai (UTC+8, no DST since 1991) of a Unix time. */
int date_today_shanghai(long long unix_seconds);
/* 0 = Monday .. 6 = Sunday. */
int date_weekday(int days);

#endif
