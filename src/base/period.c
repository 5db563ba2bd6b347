/* period.c - calendar reporting periods: kind names, the period holding a
 * day and its label. */
#include "base/period.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"

static const char *const kind_names[] = {
    [PERIOD_MONTH] = "month",     [PERIOD_TWO_MONTHS] = "two_months",
    [PERIOD_QUARTER] = "quarter", [PERIOD_HALF_YEAR] = "half_year",
    [PERIOD_YEAR] = "year",       [PERIOD_SCHOOL_YEAR] = "school_year",
    [PERIOD_ONCE] = "once",
};

#define KIND_COUNT (sizeof kind_names / sizeof kind_names[0])

/* How often a duty of each kind recurs, as the obligations and the console show it. */
static const char *const kind_labels[KIND_COUNT] = {
    [PERIOD_MONTH] = "每月",     [PERIOD_TWO_MONTHS] = "每两个月",
    [PERIOD_QUARTER] = "每季度", [PERIOD_HALF_YEAR] = "每半年",
    [PERIOD_YEAR] = "每年",      [PERIOD_SCHOOL_YEAR] = "每学年",
    [PERIOD_ONCE] = "限期完成",
};

bool period_kind_parse(const char *s, enum period_kind *k)
{
    if (!s) return false;
    for (size_t i = 0; i < KIND_COUNT; i++) {
        if (strcmp(s, kind_names[i]) == 0) {
            if (k) *k = (enum period_kind)i;
            return true;
        }
    }
    return false;
}

const char *period_kind_name(enum period_kind k)
{
    if ((unsigned)k >= KIND_COUNT) return "?";
    return kind_names[k];
}

const char *period_kind_label(enum period_kind k)
{
    if ((unsigned)k >= KIND_COUNT) return "?";
    return kind_labels[k];
}

/* Period made of `len` months starting at month m0 of year y (may spill into y+1). */
static void month_span(int y, int m0, int len, int *start, int *end)
{
    int ey = y, em = m0 + len - 1;
    if (em > 12) {
        em -= 12;
        ey++;
    }
    *start = date_from_ymd(y, m0, 1);
    *end = date_from_ymd(ey, em, date_days_in_month(ey, em));
}

void period_containing(enum period_kind k, int day, int *start, int *end)
{
    int y, m, s, e;
    date_to_ymd(day, &y, &m, NULL);
    switch (k) {
    case PERIOD_MONTH:
        month_span(y, m, 1, &s, &e);
        break;
    case PERIOD_TWO_MONTHS:
        month_span(y, (m - 1) / 2 * 2 + 1, 2, &s, &e);
        break;
    case PERIOD_QUARTER:
        month_span(y, (m - 1) / 3 * 3 + 1, 3, &s, &e);
        break;
    case PERIOD_HALF_YEAR:
        month_span(y, m <= 6 ? 1 : 7, 6, &s, &e);
        break;
    case PERIOD_YEAR:
        month_span(y, 1, 12, &s, &e);
        break;
    case PERIOD_SCHOOL_YEAR:
        month_span(m >= 9 ? y : y - 1, 9, 12, &s, &e);
        break;
    case PERIOD_ONCE:
    default:
        s = e = day;
        break;
    }
    if (start) *start = s;
    if (end) *end = e;
}

/* After truncation, drop a trailing partial UTF-8 sequence. */
static void trim_partial_utf8(char *buf)
{
    size_t len = strlen(buf), i = len, cont = 0;
    while (i > 0 && ((unsigned char)buf[i - 1] & 0xC0) == 0x80) {
        i--;
        cont++;
    }
    if (i == 0) return;
    unsigned char lead = (unsigned char)buf[i - 1];
    size_t need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    if (need > 0 && cont < need) buf[i - 1] = '\0';
}

void period_label(enum period_kind k, int start, char *buf, size_t n)
{
    int s, y, m, d;
    if (!buf || n == 0) return;
    period_containing(k, start, &s, NULL);
    date_to_ymd(s, &y, &m, &d);
    switch (k) {
    case PERIOD_MONTH:
        snprintf(buf, n, "%04d-%02d", y, m);
        break;
    case PERIOD_TWO_MONTHS:
        snprintf(buf, n, "%04d-%02d~%02d", y, m, m + 1);
        break;
    case PERIOD_QUARTER:
        snprintf(buf, n, "%04dQ%d", y, (m - 1) / 3 + 1);
        break;
    case PERIOD_HALF_YEAR:
        snprintf(buf, n, "%04dH%d", y, m <= 6 ? 1 : 2);
        break;
    case PERIOD_YEAR:
        snprintf(buf, n, "%04d", y);
        break;
    case PERIOD_SCHOOL_YEAR:
        snprintf(buf, n, "%04d-%04d学年", y, y + 1);
        trim_partial_utf8(buf);
        break;
    case PERIOD_ONCE:
    default:
        snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
        break;
    }
}

void period_label_cn(enum period_kind k, int start, char *buf, size_t n)
{
    static const char *const q[] = {"一", "二", "三", "四"};
    int s, y, m, d;
    if (!buf || n == 0) return;
    period_containing(k, start, &s, NULL);
    date_to_ymd(s, &y, &m, &d);
    switch (k) {
    case PERIOD_MONTH:
        snprintf(buf, n, "%d年%d月", y, m);
        break;
    case PERIOD_TWO_MONTHS:
        snprintf(buf, n, "%d年%d—%d月", y, m, m + 1);
        break;
    case PERIOD_QUARTER:
        snprintf(buf, n, "%d年第%s季度", y, q[(m - 1) / 3]);
        break;
    case PERIOD_HALF_YEAR:
        snprintf(buf, n, "%d年%s", y, m <= 6 ? "上半年" : "下半年");
        break;
    case PERIOD_YEAR:
        snprintf(buf, n, "%d年", y);
        break;
    case PERIOD_SCHOOL_YEAR:
        snprintf(buf, n, "%d—%d学年", y, y + 1);
        break;
    case PERIOD_ONCE:
    default: {
        char cn[DATE_CN_LEN];
        date_format_cn(s, cn);
        snprintf(buf, n, "%s", cn);
        break;
    }
    }
    trim_partial_utf8(buf);
}
