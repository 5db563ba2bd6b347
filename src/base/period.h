/* period.h - reporting periods (month, two months, quarter, half-year, year,
 * school year, once): parsing kind names, finding the period holding a day,
 * and human labels. Days are date.h day numbers. */
#ifndef ECOACT_BASE_PERIOD_H
#define ECOACT_BASE_PERIOD_H

#include <stdbool.h>
#include <stddef.h>

enum period_kind {
    PERIOD_MONTH,
    PERIOD_TWO_MONTHS, /* Jan-Feb, Mar-Apr, ..., Nov-Dec */
    PERIOD_QUARTER,
    PERIOD_HALF_YEAR,
    PERIOD_YEAR,
    PERIOD_SCHOOL_YEAR, /* Sep 1 - Aug 31 */
    PERIOD_ONCE         /* one span given by the rule itself (from .. due) */
};

/* "month", "two_months", "quarter", "half_year", "year", "school_year", "once". */
bool period_kind_parse(const char *s, enum period_kind *k);
/* The name period_kind_parse accepts; "?" for an out-of-range value. */
const char *period_kind_name(enum period_kind k);
/* How often a duty of kind k recurs: 每月 / 每两个月 / 每季度 / 每半年 / 每年 / 每学年 / 限期完成
 * (the obligations' per_label, and /me labels.periods); "?" for an out-of-range value. */
const char *period_kind_label(enum period_kind k);

/* The period of kind k holding day, as inclusive [*start, *end]. PERIOD_ONCE has
 * no calendar bounds: it yields the single day (the rule supplies the span). */
void period_containing(enum period_kind k, int day, int *start, int *end);

/* Label of the period of kind k holding start: "2023-01", "2023-01~02",
 * "2023Q1", "2023H1", "2023", "2023-2024学年"; PERIOD_ONCE gives the date
 * "2023-01-01". Always NUL-terminated when n > 0 (truncated if too small). */
void period_label(enum period_kind k, int start, char *buf, size_t n);
/* The same period as people read it: "2023年1月", "2023年1—2月", "2023年第一季度",
 * "2023年上半年", "2023年", "2023—2024学年"; PERIOD_ONCE gives "2023年1月1日". */
void period_label_cn(enum period_kind k, int start, char *buf, size_t n);

#endif
