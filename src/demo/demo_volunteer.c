/* demo_volunteer.c - the demo's volunteer platform (issue 13): 陈绿 files a 市级总队 for her
 * accepted 渝中区 organisation and the unit administrator approves it; she and 林青 join the
 * registry, 林青 joins the team; a project of 垃圾分类 and two activities ten and twelve days
 * ahead, approved and open, one with a morning and an afternoon shift; 林青 signs up for the
 * morning. Through the volunteer area's services, in the caller's transaction. */
#include "demo/demo.h"
#include "base/date.h"
#include "volunteer/volunteer.h"
#include <string.h>

static enum err activity(struct store *db, const struct keys *k, long long project, long long by,
                         const struct demo_citizen_opts *o, const char *title, const char *place,
                         int days, int nshifts, long long *id, long long *first_shift,
                         struct problem *p)
{
    long long start = o->now + days * 86400LL;
    start -= (start + 8 * 3600) % 86400; /* that day's Shanghai midnight */
    struct vol_activity_new a = {.title = title,
                                 .day = NULL,
                                 .place = place,
                                 .skills = "",
                                 .unit_id = o->yuzhong_unit,
                                 .signup_opens = o->now - 3600,
                                 .signup_closes = start,
                                 .cancel_by = start - 86400,
                                 .nshifts = nshifts};
    static const char *const labels[] = {"上午班", "下午班"};
    for (int i = 0; i < nshifts; i++)
        a.shifts[i] = (struct vol_shift_new){.label = labels[i],
                                             .starts_at = start + (9 + 5 * i) * 3600,
                                             .ends_at = start + (12 + 5 * i) * 3600,
                                             .places = 20};
    char day[11];
    date_format((int)((start + 8 * 3600) / 86400), day);
    a.day = day;
    enum err e = vol_activity_create(db, project, by, &a, o->now, id, p);
    struct vol_actor admin = {.citizen = by}, official = {.official = o->reviewer, .keys = k};
    if (e == OK) e = vol_activity_act(db, *id, "submit", NULL, &admin, o->now, p);
    if (e == OK) e = vol_activity_act(db, *id, "approve", NULL, &official, o->now, p);
    if (e == OK && first_shift) {
        json_t *j = vol_activity_json(db, *id, &admin, o->now);
        json_t *s = json_array_get(json_object_get(j, "shifts"), 0);
        *first_shift = json_integer_value(json_object_get(s, "id"));
        json_decref(j);
    }
    return e;
}

enum err demo_volunteers(struct store *db, const struct keys *k, const struct demo_citizen_opts *o,
                         long long guardian, long long member, long long org, struct problem *p)
{
    struct vol_team_new t = {.level = "city",
                             .name = "重庆市生态环境志愿服务总队",
                             .areas = "渝中区,江北区,南岸区",
                             .unit_id = o->yuzhong_unit,
                             .org_id = org};
    long long team, project, a1, a2, shift;
    struct vol_actor official = {.official = o->reviewer, .keys = k};
    enum err e = vol_team_file(db, guardian, &t, o->now, &team, p);
    if (e == OK) e = vol_team_review(db, team, "approve", &official, o->now, p);
    struct vol_profile me = {
        .skills = "组织协调", .districts = "渝中区", .emergency = "陈大绿 13700137009"};
    struct vol_profile her = {.skills = "摄影,急救", .districts = "万州区,渝中区"};
    if (e == OK) e = vol_join(db, k, guardian, &me, o->now, p);
    if (e == OK) e = vol_join(db, k, member, &her, o->now, p);
    if (e == OK) e = vol_member_apply(db, team, member, o->now, p);
    if (e == OK) e = vol_member_decide(db, team, guardian, member, true, o->now, p);
    if (e == OK)
        e = vol_project_create(db, team, guardian, "waste_sorting", "practice", "垃圾分类进社区",
                               o->now, &project, p);
    if (e == OK)
        e = activity(db, k, project, guardian, o, "解放碑垃圾分类宣传", "解放碑步行街", 10, 2, &a1,
                     &shift, p);
    if (e == OK)
        e = activity(db, k, project, guardian, o, "鹅岭公园捡拾垃圾", "鹅岭公园", 12, 1, &a2, NULL,
                     p);
    const char *state;
    if (e == OK) e = vol_signup(db, shift, member, o->now, &state, p);
    return e;
}
