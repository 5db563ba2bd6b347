/* test_volunteer.c - unit tests for the volunteer area's pure rules (src/volunteer/
 * volunteer_rules.c): places and the waitlist order (the rules other areas will call), offer
 * deadlines, free and late cancellation, priority and suspension, overlaps, skills, the
 * volunteer number, team levels in the tree, team and activity state machines, labels. */
#include <criterion/criterion.h>
#include <string.h>

#include "volunteer/volunteer.h"

Test(volunteer, places_fit)
{
    cr_assert(places_fit(50, 49, 1));
    cr_assert_not(places_fit(50, 50, 1));
    cr_assert(places_fit(3, 0, 3));
    cr_assert_not(places_fit(3, 0, 4)); /* a group that does not fit: nobody */
    cr_assert_not(places_fit(3, 1, 0));
    cr_assert_not(places_fit(3, 4, 1)); /* overfilled never fits more */
    cr_assert_not(places_fit(0, 0, 1));
}

Test(volunteer, queue_order)
{
    struct places_queued a = {0, 10}, b = {0, 11}, c = {1, 2};
    cr_assert_lt(places_queue_cmp(&a, &b), 0);
    cr_assert_lt(places_queue_cmp(&b, &c), 0); /* fewer absences first, whatever the arrival */
    cr_assert_gt(places_queue_cmp(&c, &a), 0);
    cr_assert_eq(places_queue_cmp(&a, &a), 0);
    cr_assert_eq(vol_priority(0), 0);
    cr_assert_eq(vol_priority(3), 3);
    cr_assert_eq(vol_priority(-1), 0);
}

Test(volunteer, offers_and_cancelling)
{
    cr_assert_eq(places_offer_until(1000, 86400, 1000000), 1000 + 86400);
    cr_assert_eq(places_offer_until(1000, 86400, 5000), 5000); /* never past the shift start */
    cr_assert_eq(places_offer_until(5000, 86400, 5000), 0);    /* too late to offer */
    cr_assert(places_cancel_free(100, 100));
    cr_assert_not(places_cancel_free(101, 100));
    cr_assert_not(vol_absences_suspend(4, VOL_ABSENCE_LIMIT));
    cr_assert(vol_absences_suspend(5, VOL_ABSENCE_LIMIT));
    cr_assert_not(vol_absences_suspend(99, 0)); /* a limit of 0 turns it off */
}

Test(volunteer, overlap_and_skills)
{
    cr_assert(vol_overlap(0, 10, 5, 15));
    cr_assert_not(vol_overlap(0, 10, 10, 20)); /* back to back */
    cr_assert(vol_overlap(0, 30, 10, 20));
    cr_assert(vol_skills_cover("", "x"));
    cr_assert(vol_skills_cover("急救", "摄影,急救"));
    cr_assert_not(vol_skills_cover("急救,驾驶", "急救"));
    cr_assert_not(vol_skills_cover("急", "急救")); /* whole items only */
    cr_assert(vol_skills_cover("急救,", "急救"));
}

Test(volunteer, number)
{
    char n[32];
    vol_number(123, 2026, n);
    cr_assert_str_eq(n, "ZY202600000123");
    cr_assert_eq(strlen(n), 14);
}

Test(volunteer, levels)
{
    cr_assert(vol_level_under(NULL, "city"));
    cr_assert_not(vol_level_under(NULL, "district"));
    cr_assert(vol_level_under("city", "direct"));
    cr_assert(vol_level_under("city", "district"));
    cr_assert(vol_level_under("district", "org"));
    cr_assert(vol_level_under("district", "street"));
    cr_assert_not(vol_level_under("district", "city"));
    cr_assert_not(vol_level_under("street", "street"));
    cr_assert_not(vol_level_under("city", "nonsense"));
    cr_assert_str_eq(vol_level_label("org"), "环保志愿服务组织");
}

Test(volunteer, state_machines)
{
    cr_assert_str_eq(vol_team_decide("registered", "approve"), "active");
    cr_assert_str_eq(vol_team_decide("active", "suspend"), "suspended");
    cr_assert_str_eq(vol_team_decide("suspended", "restore"), "active");
    cr_assert_null(vol_team_decide("active", "approve"));
    cr_assert_null(vol_team_decide(NULL, "approve"));
    cr_assert_str_eq(vol_activity_step("draft", "submit"), "review");
    cr_assert_str_eq(vol_activity_step("review", "approve"), "open");
    cr_assert_str_eq(vol_activity_step("review", "return"), "draft");
    cr_assert_str_eq(vol_activity_step("open", "close"), "closed");
    cr_assert_str_eq(vol_activity_step("closed", "held"), "held");
    cr_assert_str_eq(vol_activity_step("open", "cancel"), "cancelled");
    cr_assert_null(vol_activity_step("draft", "approve"));
    cr_assert_null(vol_activity_step("held", "cancel"));
    cr_assert_null(vol_activity_step("open", "held"));
}

Test(volunteer, themes_and_labels)
{
    cr_assert(vol_theme_valid("waste_sorting"));
    cr_assert_not(vol_theme_valid("Waste"));
    cr_assert_str_eq(vol_theme_label("green_hills"), "守护绿水青山");
    cr_assert(vol_service_type_valid("legal"));
    cr_assert_str_eq(vol_service_type_label("theory"), "理论宣讲");
    cr_assert_str_eq(vol_activity_status_label("withdrawn"), "已取消发布");
    cr_assert_str_eq(vol_activity_status_label("cancelled"), "已取消活动");
    cr_assert_str_eq(vol_signup_state_label("waiting"), "候补中");
    cr_assert_null(vol_signup_state_label("x"));
    json_t *o = vol_options_json();
    cr_assert_eq(json_array_size(json_object_get(o, "themes")), 5);
    cr_assert_eq(json_array_size(json_object_get(o, "service_types")), 5);
    cr_assert_eq(json_array_size(json_object_get(o, "levels")), 5);
    json_decref(o);
}
