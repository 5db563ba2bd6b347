/* demo_facility.c - the demo's facilities open to the public (issue 15): 陈绿 files
 * 鸡冠石污水处理厂 for her accepted 渝中区 organisation and the unit administrator approves it; a
 * weekly session eight days ahead, three times, and 林青 books the first with a companion. Through
 * the facility area's services, in the caller's transaction. */
#include "demo/demo.h"
#include "base/date.h"
#include "facility/facility.h"
#include <string.h>

enum err demo_facilities(struct store *db, const struct keys *k, const struct demo_citizen_opts *o,
                         long long guardian, long long member, long long org, struct problem *p)
{
    struct fac_new f = {.category = "sewage",
                        .name = "鸡冠石污水处理厂",
                        .address = "重庆市南岸区鸡冠石镇",
                        .accessibility = "无障碍通道；讲解员陪同",
                        .batch = "第一批",
                        .org_id = org,
                        .unit_id = o->yuzhong_unit,
                        .lat_e6 = 29560000,
                        .lng_e6 = 106640000,
                        .safety_limit = 60,
                        .min_age = 8};
    long long fac, ids[FAC_REPEAT_MAX], booking;
    int n;
    struct fac_actor official = {.official = o->reviewer, .keys = k, .name = "演示审核人"};
    enum err e = fac_file(db, guardian, &f, o->now, &fac, p);
    if (e == OK) e = fac_review(db, fac, "approve", NULL, &official, o->now, p);
    long long start = o->now + 8 * 86400LL;
    start -= (start + 8 * 3600) % 86400; /* that day's Shanghai midnight */
    char day[11];
    date_format((int)((start + 8 * 3600) / 86400), day);
    struct fac_session_new s = {.day = day,
                                .starts_at = start + 9 * 3600 + 1800,
                                .ends_at = start + 11 * 3600 + 1800,
                                .capacity = 40,
                                .ind_quota = 20,
                                .grp_quota = 20,
                                .booking_opens = o->now - 3600,
                                .booking_closes = start,
                                .cancel_by = start - 86400,
                                .every = "week",
                                .times = 3};
    if (e == OK) e = fac_session_create(db, fac, guardian, &s, o->now, ids, &n, p);
    struct fac_booking_new b = {
        .citizen = member, .ncompanions = 1, .companions = {{"林小青", "500103199201010015"}}};
    const char *state;
    b.session = e == OK ? ids[0] : 0;
    if (e == OK) e = fac_book(db, k, &b, o->now, &booking, &state, p);
    return e;
}
