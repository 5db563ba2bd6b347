/* test_units.c - unit tests for the words org gives /me labels: the unit tiers of
 * src/org/units.c (every tier has its label, and every labelled tier is one a unit may have) and
 * the audit log's actions and results (src/org/audit.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "org/audit.h"
#include "org/units.h"

Test(units, tier_labels)
{
    cr_assert_str_eq(unit_tier_label("district"), "区");
    cr_assert_str_eq(unit_tier_label("city_department"), "市级部门");
    cr_assert_str_eq(unit_tier_label("department"), "区县部门");
    cr_assert_str_eq(unit_tier_label("planet"), "planet");
    cr_assert_not(unit_tier_valid("planet"));
    json_t *t = unit_tiers_json();
    cr_assert_eq(json_object_size(t), 13);
    const char *k;
    json_t *l;
    json_object_foreach(t, k, l)
    {
        cr_assert(unit_tier_valid(k), "%s", k);
        cr_assert_str_eq(json_string_value(l), unit_tier_label(k));
        cr_assert_neq(strcmp(json_string_value(l), k), 0, "%s has a label", k);
    }
    json_decref(t);
}

Test(units, audit_labels)
{
    json_t *a = audit_labels_json();
    json_t *acts = json_object_get(a, "actions"), *res = json_object_get(a, "results");
    cr_assert_str_eq(json_string_value(json_object_get(acts, "session.create")), "登录");
    cr_assert_str_eq(json_string_value(json_object_get(acts, "request.denied")), "越权请求被拒绝");
    cr_assert_eq(json_object_size(res), 3);
    cr_assert_str_eq(json_string_value(json_object_get(res, "denied")), "拒绝");
    json_decref(a);
}
