/* test_comply_index.c - unit tests for src/comply/store_comply.c, the compliance engine's in-memory
 * index of accepted reports: owners (the unit, its parent, city-wide), progress reports by task,
 * sorted buckets, idempotent inserts, removal, bulk loading, metric slots. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/date.h"
#include "comply/index.h"

#define D(y, m, d) date_from_ymd((y), (m), (d))

static struct comply_index_report rep(struct comply_index *x, long long id, long long unit,
                                      long long parent, const char *kind, int act, int acc)
{
    return (struct comply_index_report){.id = id,
                                        .unit = unit,
                                        .parent = parent,
                                        .plan = comply_index_plan_id(x, "cq-2021-2025", true),
                                        .kind = comply_index_kind_id(x, kind, true),
                                        .act = act,
                                        .acc = acc};
}

static const struct comply_index_bucket *find(struct comply_index *x, const char *kind,
                                              long long unit, long long task)
{
    return comply_index_find(x, comply_index_plan_id(x, "cq-2021-2025", false),
                             comply_index_kind_id(x, kind, false), unit, task);
}

Test(comply_index, names_are_interned)
{
    struct comply_index *x = comply_index_new();
    int a = comply_index_kind_id(x, "press_conference", true);
    int b = comply_index_kind_id(x, "seminar", true);
    cr_assert_neq(a, b);
    cr_assert_eq(comply_index_kind_id(x, "press_conference", false), a);
    cr_assert_eq(comply_index_kind_id(x, "unknown", false), -1);
    cr_assert_str_eq(comply_index_kind_name(x, b), "seminar");
    cr_assert_null(comply_index_kind_name(x, 99));
    char name[16];
    for (int i = 0; i < 200; i++) { /* growth of the hash table */
        snprintf(name, sizeof name, "k%d", i);
        cr_assert_geq(comply_index_kind_id(x, name, true), 0);
    }
    cr_assert_eq(comply_index_kind_id(x, "seminar", false), b);
    comply_index_free(x);
}

Test(comply_index, a_report_counts_for_its_unit_and_its_parent)
{
    struct comply_index *x = comply_index_new();
    struct comply_index_report r =
        rep(x, 7, 101, 3, "culture_product", D(2022, 10, 10), D(2022, 10, 12));
    cr_assert(comply_index_add(x, &r));
    const struct comply_index_bucket *child = find(x, "culture_product", 101, 0);
    const struct comply_index_bucket *district = find(x, "culture_product", 3, 0);
    cr_assert_not_null(child);
    cr_assert_not_null(district);
    cr_assert_eq(district->n, 1);
    cr_assert_eq(district->rid[0], 7);
    cr_assert_eq(district->ev[0].activity_day, D(2022, 10, 10));
    cr_assert_eq(district->ev[0].accepted_day, D(2022, 10, 12));
    cr_assert_eq(district->ev[0].value, 1);
    cr_assert_null(find(x, "culture_product", 0, 0), "not city-wide");
    cr_assert_eq(comply_index_events(x), 2);
    comply_index_free(x);
}

Test(comply_index, buckets_stay_sorted_and_inserts_are_idempotent)
{
    struct comply_index *x = comply_index_new();
    int days[] = {D(2023, 5, 20), D(2023, 2, 10), D(2023, 9, 28), D(2023, 2, 10)};
    for (int i = 0; i < 4; i++) {
        struct comply_index_report r = rep(x, 10 + i, 3, 0, "press_conference", days[i], days[i]);
        cr_assert(comply_index_add(x, &r));
    }
    struct comply_index_report again = rep(x, 11, 3, 0, "press_conference", days[1], days[1]);
    cr_assert(comply_index_add(x, &again)); /* seen twice: one event */
    const struct comply_index_bucket *b = find(x, "press_conference", 3, 0);
    cr_assert_eq(b->n, 4);
    long long want[] = {11, 13, 10, 12}; /* by (activity day, id) */
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(b->rid[i], want[i]);
    cr_assert_eq(comply_index_lower(b, D(2023, 2, 10)), 0);
    cr_assert_eq(comply_index_lower(b, D(2023, 2, 11)), 2);
    cr_assert_eq(comply_index_lower(b, D(2024, 1, 1)), 4);
    comply_index_free(x);
}

Test(comply_index, progress_reports_by_task)
{
    struct comply_index *x = comply_index_new();
    struct comply_index_report r = rep(x, 5, 2, 0, "progress_report", D(2022, 4, 1), D(2022, 4, 2));
    r.task = 1;
    cr_assert(comply_index_add(x, &r));
    r.task = 2;
    cr_assert(comply_index_add(x, &r));
    cr_assert_eq(find(x, "progress_report", 2, 1)->n, 1);
    cr_assert_eq(find(x, "progress_report", 2, 2)->n, 1);
    cr_assert_null(find(x, "progress_report", 2, 0));
    cr_assert_null(find(x, "progress_report", 2, 6));
    comply_index_free(x);
}

Test(comply_index, removal_drops_every_event_of_the_reports)
{
    struct comply_index *x = comply_index_new();
    for (long long id = 1; id <= 10; id++) {
        struct comply_index_report r = rep(x, id, id % 2 ? 3 : 4, id == 4 ? 3 : 0, "seminar",
                                           D(2022, 1, (int)id), D(2022, 2, 1));
        cr_assert(comply_index_add(x, &r));
    }
    cr_assert_eq(comply_index_events(x), 11); /* report 4 also under its parent 3 */
    long long gone[] = {9, 4, 1};
    cr_assert_eq(comply_index_remove(x, gone, 3), 4);
    const struct comply_index_bucket *b3 = find(x, "seminar", 3, 0);
    for (size_t i = 0; i < b3->n; i++)
        cr_assert(b3->rid[i] != 9 && b3->rid[i] != 1 && b3->rid[i] != 4);
    cr_assert_eq(b3->n, 3);                       /* 3, 5, 7 */
    cr_assert_eq(find(x, "seminar", 4, 0)->n, 4); /* 2, 6, 8, 10 */
    cr_assert_eq(comply_index_remove(x, gone, 3), 0);
    /* a removed report comes back as it is now */
    struct comply_index_report back = rep(x, 4, 4, 0, "seminar", D(2022, 3, 1), D(2022, 3, 2));
    cr_assert(comply_index_add(x, &back));
    cr_assert_eq(find(x, "seminar", 4, 0)->n, 5);
    cr_assert_eq(find(x, "seminar", 3, 0)->n, 3);
    comply_index_free(x);
}

Test(comply_index, bulk_load_sorts_and_drops_repeats)
{
    struct comply_index *x = comply_index_new();
    comply_index_bulk_begin(x);
    for (int i = 0; i < 1000; i++) {
        int day = D(2021, 7, 1) + (i * 7919) % 1600;
        struct comply_index_report r = rep(x, 1000 - i, 3, 0, "seminar", day, day + 3);
        cr_assert(comply_index_add(x, &r));
        if (i % 10 == 0) cr_assert(comply_index_add(x, &r)); /* the same row twice */
    }
    cr_assert(comply_index_bulk_end(x));
    const struct comply_index_bucket *b = find(x, "seminar", 3, 0);
    cr_assert_eq(b->n, 1000);
    for (size_t i = 1; i < b->n; i++)
        cr_assert(
            b->ev[i - 1].activity_day < b->ev[i].activity_day ||
            (b->ev[i - 1].activity_day == b->ev[i].activity_day && b->rid[i - 1] < b->rid[i]));
    /* after the bulk load, single inserts keep the order */
    struct comply_index_report r = rep(x, 5000, 3, 0, "seminar", D(2022, 1, 1), D(2022, 1, 1));
    cr_assert(comply_index_add(x, &r));
    size_t at = comply_index_lower(b, D(2022, 1, 1));
    bool found = false;
    for (size_t i = at; i < b->n && b->ev[i].activity_day == D(2022, 1, 1); i++)
        found |= b->rid[i] == 5000;
    cr_assert(found);
    comply_index_reset(x);
    cr_assert_eq(comply_index_events(x), 0);
    cr_assert_eq(comply_index_kind_id(x, "seminar", false) >= 0, true, "names survive a reset");
    comply_index_free(x);
}

Test(comply_index, metric_slots)
{
    struct comply_index *x = comply_index_new();
    int kind = comply_index_kind_id(x, "original_article", true);
    for (long long id = 1; id <= 3; id++) {
        struct comply_index_report r =
            rep(x, id, 5, 0, "original_article", D(2022, (int)id, 1), D(2022, (int)id, 2));
        cr_assert(comply_index_add(x, &r));
    }
    cr_assert_eq(comply_index_slot(x, kind, "articles"), -1);
    int s = comply_index_track(x, kind, "articles");
    cr_assert_eq(s, 0);
    cr_assert_eq(comply_index_track(x, kind, "articles"), 0, "tracked once");
    cr_assert_eq(comply_index_nslots(x, kind), 1);
    cr_assert_str_eq(comply_index_slot_metric(x, kind, 0), "articles");
    const long long pairs[][2] = {{1, 4}, {3, 6}}; /* report 2 lacks the metric */
    comply_index_fill_slot(x, kind, s, pairs, 2);
    const struct comply_index_bucket *b = find(x, "original_article", 5, 0);
    cr_assert_eq(b->mv[s][0], 4);
    cr_assert_eq(b->mv[s][1], 0);
    cr_assert_eq(b->mv[s][2], 6);
    /* inserts carry their values along, in order */
    struct comply_index_report r =
        rep(x, 9, 5, 0, "original_article", D(2022, 1, 15), D(2022, 1, 16));
    r.values[s] = 7;
    cr_assert(comply_index_add(x, &r));
    cr_assert_eq(b->rid[1], 9);
    cr_assert_eq(b->mv[s][1], 7);
    cr_assert_eq(b->mv[s][2], 0);
    /* a new owner's bucket of a tracked kind gets values too */
    struct comply_index_report other =
        rep(x, 10, 6, 0, "original_article", D(2022, 5, 1), D(2022, 5, 1));
    other.values[s] = 2;
    cr_assert(comply_index_add(x, &other));
    cr_assert_eq(find(x, "original_article", 6, 0)->mv[s][0], 2);
    comply_index_free(x);
}

Test(comply_index, city_wide_buckets)
{
    struct comply_index *x = comply_index_new();
    int kind = comply_index_kind_id(x, "facility_opening", true);
    struct comply_index_report a =
        rep(x, 1, 3, 0, "facility_opening", D(2023, 3, 5), D(2023, 3, 6));
    struct comply_index_report b =
        rep(x, 2, 101, 3, "facility_opening", D(2023, 3, 1), D(2023, 3, 2));
    cr_assert(comply_index_add(x, &a));
    cr_assert(comply_index_add(x, &b));
    cr_assert(!comply_index_is_city_wide(x, kind));
    comply_index_make_city_wide(x, kind);
    cr_assert(comply_index_is_city_wide(x, kind));
    const struct comply_index_bucket *city = find(x, "facility_opening", 0, 0);
    cr_assert_not_null(city);
    cr_assert_eq(city->n, 2, "report 2 is held by two units but counted once city-wide");
    cr_assert_eq(city->rid[0], 2);
    cr_assert_eq(city->rid[1], 1);
    struct comply_index_report c =
        rep(x, 3, 7, 0, "facility_opening", D(2023, 4, 1), D(2023, 4, 1));
    cr_assert(comply_index_add(x, &c));
    cr_assert_eq(city->n, 3, "kept up to date");
    long long gone = 2;
    cr_assert_eq(comply_index_remove(x, &gone, 1), 3);
    cr_assert_eq(city->n, 2);
    /* a reset keeps the kind city-wide: a bulk load rebuilds its buckets */
    comply_index_reset(x);
    comply_index_bulk_begin(x);
    cr_assert(comply_index_add(x, &a));
    cr_assert(comply_index_bulk_end(x));
    cr_assert_eq(find(x, "facility_opening", 0, 0)->n, 1);
    comply_index_free(x);
}

Test(comply_index, unknown_plan_or_kind_is_ignored)
{
    struct comply_index *x = comply_index_new();
    struct comply_index_report r = {.id = 1, .unit = 3, .plan = -1, .kind = 0, .act = 1, .acc = 1};
    cr_assert(comply_index_add(x, &r));
    cr_assert_eq(comply_index_events(x), 0);
    comply_index_free(x);
    comply_index_free(NULL);
}
