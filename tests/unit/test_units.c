/* test_units.c - unit tests for the unit tiers of src/org/units.c: every tier has its label
 * (/me labels.tiers), and every labelled tier is one a unit may have. */
#include <criterion/criterion.h>
#include <string.h>

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
