/* api_volunteer_official.c - the officials' volunteer routes (/api/v1/vol/…, PERM_VOL_REVIEW:
 * office for every unit, unit_admin for its unit and child units): list and read teams and
 * activities, review top-level teams (市级总队) and their activities. Teams under a parent are
 * reviewed by the parent's admins on the portal; these routes refuse them. */
#include "volunteer/volunteer.h"
#include "http/route.h"
#include "http/server.h"
#include "citizen/citizen.h"
#include "org/session.h"
#include <string.h>

static enum err fail(struct req *r, enum err e, const struct problem *p)
{
    if (p->err == ERR_NOT_FOUND) return req_deny(r, p->field, p->msg);
    if (p->err != OK) return req_fail_problem(r, p);
    return req_fail_err(r, e);
}

static struct vol_actor official(struct req *r)
{
    return (struct vol_actor){.official = r->who->user_id, .keys = &r->app->keys};
}

/* The unit filter of a list: a unit-scoped caller sees its own unit's. */
static enum err unit_filter(struct req *r, long long *unit)
{
    enum err e = req_query_int(r, "unit", 0, 1LL << 53, 0, unit);
    if (e != OK) return e;
    if (req_unit_scoped(r)) {
        if (!*unit) *unit = r->who->unit_id;
        if (!req_may_act_for_unit(r, *unit))
            return req_fail(r, ERR_FORBIDDEN, "unit", "只能查看本单位的志愿服务队伍和活动");
    }
    return OK;
}

static enum err list_teams(struct req *r)
{
    long long limit, after, last, unit;
    enum err e = req_page(r, &limit, &after);
    if (e == OK) e = unit_filter(r, &unit);
    if (e != OK) return e;
    const char *st = req_query(r, "status");
    if (st && !*st) st = NULL;
    if (st && !vol_team_status_label(st))
        return req_fail(r, ERR_RULE, "status", "状态应为 registered、active 或 suspended");
    json_t *a = vol_team_list(r->db, unit, st, after, limit, &last);
    return a ? reply_page(r, a, limit, last) : req_store_fail(r);
}

/* The team named by the path if within the caller's reach; else 404. */
static enum err reach_team(struct req *r, long long *id)
{
    if (req_param_id(r, "id", id) != OK) return ERR_NOT_FOUND;
    r->audit_object = arena_printf(r->a, "vol_team:%lld", *id);
    long long unit = vol_team_unit(r->db, *id);
    if (!unit || !req_may_act_for_unit(r, unit)) return req_deny(r, "id", "队伍不存在");
    return OK;
}

static enum err reply_team(struct req *r, long long id)
{
    json_t *j = vol_team_json(r->db, id, 0);
    if (!j) return req_store_fail(r);
    json_t *a = json_array();
    const char *st = json_string_value(json_object_get(j, "status"));
    bool top =
        json_integer_value(json_object_get(j, "parent_id")) == 0 &&
        !citizen_is_official(r->db, &r->app->keys,
                             json_integer_value(json_object_get(j, "filed_by")), r->who->user_id);
    static const char *const decisions[] = {"approve", "suspend", "restore"};
    for (size_t i = 0; top && i < 3; i++)
        if (vol_team_decide(st, decisions[i])) json_array_append_new(a, json_string(decisions[i]));
    json_object_set_new(j, "actions", a);
    return reply_json(r, 200, j);
}

static enum err get_team(struct req *r)
{
    long long id;
    enum err e = reach_team(r, &id);
    return e != OK ? e : reply_team(r, id);
}

static enum err review_team(struct req *r)
{
    long long id;
    enum err e = reach_team(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"decision", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *d = jv_str(&v, "decision", true, 16);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    struct vol_actor who = official(r);
    e = vol_team_review(r->db, id, d, &who, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_detail = d;
    return reply_team(r, id);
}

static enum err list_activities(struct req *r)
{
    long long limit, after, last;
    struct vol_find f = {0};
    enum err e = req_page(r, &limit, &after);
    if (e == OK) e = unit_filter(r, &f.team_unit);
    if (e != OK) return e;
    f.status = req_query(r, "status");
    if (!f.status || !*f.status) f.status = "review";
    if (!vol_activity_status_label(f.status))
        return req_fail(r, ERR_RULE, "status", "没有这个活动状态");
    json_t *a = vol_activity_list(r->db, &f, after, limit, &last);
    return a ? reply_page(r, a, limit, last) : req_store_fail(r);
}

static enum err reach_activity(struct req *r, long long *id)
{
    if (req_param_id(r, "id", id) != OK) return ERR_NOT_FOUND;
    r->audit_object = arena_printf(r->a, "vol_activity:%lld", *id);
    long long unit = vol_activity_unit(r->db, *id);
    if (!unit || !req_may_act_for_unit(r, unit)) return req_deny(r, "id", "活动不存在");
    return OK;
}

static enum err reply_activity(struct req *r, long long id)
{
    struct vol_actor who = official(r);
    json_t *j = vol_activity_json(r->db, id, &who, r->now);
    return j ? reply_json(r, 200, j) : req_store_fail(r);
}

static enum err get_activity(struct req *r)
{
    long long id;
    enum err e = reach_activity(r, &id);
    return e != OK ? e : reply_activity(r, id);
}

static enum err review_activity(struct req *r)
{
    long long id;
    enum err e = reach_activity(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"decision", "reason", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    static const char *const ds[] = {"approve", "通过", "return", "退回", NULL};
    int i = jv_choice(&v, "decision", true, ds);
    const char *reason = jv_str(&v, "reason", false, 1000);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    const char *d = ds[2 * i];
    struct problem p = {0};
    struct vol_actor who = official(r);
    e = vol_activity_act(r->db, id, d, reason, &who, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_detail = d;
    return reply_activity(r, id);
}

const struct route vol_official_routes[] = {
    {M_GET, "/api/v1/vol/teams", PERM_VOL_REVIEW, BODY_NONE, NULL, list_teams, 0},
    {M_GET, "/api/v1/vol/teams/{id}", PERM_VOL_REVIEW, BODY_NONE, NULL, get_team, ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/vol/teams/{id}/review", PERM_VOL_REVIEW, BODY_JSON, "vol.team_review",
     review_team, ROUTE_OWN_UNIT},
    {M_GET, "/api/v1/vol/activities", PERM_VOL_REVIEW, BODY_NONE, NULL, list_activities, 0},
    {M_GET, "/api/v1/vol/activities/{id}", PERM_VOL_REVIEW, BODY_NONE, NULL, get_activity,
     ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/vol/activities/{id}/review", PERM_VOL_REVIEW, BODY_JSON,
     "vol.activity_review", review_activity, ROUTE_OWN_UNIT},
    {0},
};
