/* test_facility.c - unit tests for the facility area's pure rules (src/facility/
 * facility_rules.c): categories and labels, the review's state machine, key dates (六五环境日,
 * 全国低碳日 from its table, 全国生态日 from 2023), weekly and monthly recurrence, the no-show
 * cooldown and the two-month periods of the duty. */
#include <criterion/criterion.h>
#include <string.h>

#include "facility/facility.h"

Test(facility, categories)
{
    cr_assert(fac_category_valid("sewage"));
    cr_assert(fac_category_valid("voluntary"));
    cr_assert_not(fac_category_valid("zoo"));
    cr_assert_not(fac_category_valid(NULL));
    cr_assert_str_eq(fac_category_label("hazardous"), "危险废物和废弃电器电子产品处理设施");
    cr_assert_str_eq(fac_booking_state_label("waiting"), "候补中");
    cr_assert_null(fac_booking_state_label("nope"));
}

Test(facility, review)
{
    cr_assert_str_eq(fac_decide("registered", "approve"), "open");
    cr_assert_str_eq(fac_decide("registered", "return"), "returned");
    cr_assert_str_eq(fac_decide("open", "suspend"), "suspended");
    cr_assert_str_eq(fac_decide("suspended", "restore"), "open");
    cr_assert_null(fac_decide("returned", "approve")); /* corrected first, then reviewed */
    cr_assert_null(fac_decide("open", "approve"));
    cr_assert_null(fac_decide(NULL, "approve"));
}

Test(facility, key_dates)
{
    cr_assert_str_eq(fac_key_date("2025-06-05"), "world_env_day");
    cr_assert_str_eq(fac_key_date("2024-08-15"), "eco_day");
    cr_assert_str_eq(fac_key_date("2022-08-15"), ""); /* 全国生态日 began in 2023 */
    cr_assert_str_eq(fac_key_date("2023-07-12"), "low_carbon_day");
    cr_assert_str_eq(fac_key_date("2025-06-06"), "");
    cr_assert_str_eq(fac_key_date("junk"), "");
    char d[11];
    cr_assert(fac_key_date_day("eco_day", 2026, d));
    cr_assert_str_eq(d, "2026-08-15");
    cr_assert_not(fac_key_date_day("low_carbon_day", 2030, d)); /* not announced: no date */
    cr_assert_str_eq(fac_key_date_label("world_env_day"), "六五环境日");
}

Test(facility, recurrence)
{
    cr_assert_eq(fac_repeat_offset("2026-01-10", "week", 0), 0);
    cr_assert_eq(fac_repeat_offset("2026-01-10", "week", 3), 21);
    cr_assert_eq(fac_repeat_offset("2026-01-10", "month", 1), 31);
    cr_assert_eq(fac_repeat_offset("2026-01-10", "month", 2), 59);
    cr_assert_eq(fac_repeat_offset("2026-11-10", "month", 2), 61); /* into next year */
    cr_assert_eq(fac_repeat_offset("2026-01-31", "month", 1), -1); /* no 31 February */
    cr_assert_eq(fac_repeat_offset("2026-01-10", "day", 1), -1);
}

Test(facility, cooldown_and_periods)
{
    long long until;
    cr_assert_not(fac_cooldown(FAC_NOSHOW_LIMIT - 1, 1000, 1001, &until));
    cr_assert(fac_cooldown(FAC_NOSHOW_LIMIT, 1000, 1001, &until));
    cr_assert_eq(until, 1000 + FAC_COOLDOWN_DAYS * 86400LL);
    cr_assert_not(fac_cooldown(FAC_NOSHOW_LIMIT, 1000, until, &until)); /* over at its end */
    cr_assert_eq(fac_bimonth(1), 1);
    cr_assert_eq(fac_bimonth(2), 1);
    cr_assert_eq(fac_bimonth(4), 2);
    cr_assert_eq(fac_bimonth(12), 6);
    cr_assert_eq(fac_bimonth(0), 0);
}
