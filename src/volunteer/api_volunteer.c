/* api_volunteer.c - the volunteers' and team admins' routes (/api/v1/citizen/vol/…,
 * PERM_CITIZEN): the registry, teams (file, review by the parent team's admins, move, admins,
 * memberships), projects, activities (draft, lifecycle, find) and shifts (sign up, group sign-up,
 * cancel, confirm an offer, record an absence). Parse with jv, call volunteer.h, render. */
#include "volunteer/volunteer.h"
#include "http/route.h"
#include "http/server.h"
#include "base/date.h"
#include <stdio.h>
#include <string.h>

static enum err fail(struct req *r, enum err e, const struct problem *p)
{
    if (p->err == ERR_NOT_FOUND) return req_deny(r, p->field, p->msg);
    if (p->err != OK) return req_fail_problem(r, p);
    return req_fail_err(r, e);
}

static struct vol_actor me(struct req *r)
{
    return (struct vol_actor){.citizen = r->who->citizen_id};
}

static enum err id_param(struct req *r, const char *kind, long long *id)
{
    if (req_param_id(r, "id", id) != OK) return ERR_NOT_FOUND;
    r->audit_object = arena_printf(r->a, "%s:%lld", kind, *id);
    return OK;
}

static enum err options(struct req *r)
{
    return reply_json(r, 200, vol_options_json());
}

/* ---- the registry ---- */

static enum err profile_fields(struct req *r, struct vol_profile *pr)
{
    static const char *const allowed[] = {"skills", "availability", "districts",
                                          "emergency_contact", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    *pr = (struct vol_profile){
        .skills = jv_str(&v, "skills", false, VOL_LIST_MAX),
        .availability = jv_str(&v, "availability", false, VOL_LIST_MAX),
        .districts = jv_str(&v, "districts", false, VOL_LIST_MAX),
        .emergency = jv_str(&v, "emergency_contact", false, 100),
    };
    return jv_ok(&v) ? OK : req_fail_jv(r, &v);
}

static enum err reply_me(struct req *r, int status)
{
    json_t *j = vol_me_json(r->db, &r->app->keys, r->who->citizen_id, r->now);
    if (!j)
        return store_err(r->db) ? req_store_fail(r)
                                : req_fail(r, ERR_NOT_FOUND, "citizen_id", "您还不是注册志愿者");
    req_secret_answer(r, "emergency_contact");
    return reply_json(r, status, j);
}

static enum err join(struct req *r)
{
    struct vol_profile pr;
    enum err e = profile_fields(r, &pr);
    if (e != OK) return e;
    struct problem p = {0};
    e = vol_join(r->db, &r->app->keys, r->who->citizen_id, &pr, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_object = arena_printf(r->a, "volunteer:%lld", r->who->citizen_id);
    return reply_me(r, 201);
}

static enum err update_me(struct req *r)
{
    struct vol_profile pr;
    enum err e = profile_fields(r, &pr);
    if (e != OK) return e;
    struct problem p = {0};
    e = vol_profile_update(r->db, &r->app->keys, r->who->citizen_id, &pr, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_object = arena_printf(r->a, "volunteer:%lld", r->who->citizen_id);
    return reply_me(r, 200);
}

static enum err get_me(struct req *r)
{
    return reply_me(r, 200);
}

static enum err my_signups(struct req *r)
{
    json_t *a = vol_my_signups(r->db, r->who->citizen_id);
    return a ? reply_json(r, 200, json_pack("{s:o}", "items", a)) : req_store_fail(r);
}

/* ---- teams ---- */

static enum err reply_team(struct req *r, int status, long long id)
{
    json_t *j = vol_team_json(r->db, id, r->who->citizen_id);
    if (!j) return store_err(r->db) ? req_store_fail(r) : req_deny(r, "id", "队伍不存在");
    return reply_json(r, status, j);
}

static enum err file_team(struct req *r)
{
    static const char *const allowed[] = {"parent_id", "level",  "name", "areas",
                                          "unit_id",   "org_id", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    struct vol_team_new t = {
        .parent_id = jv_int(&v, "parent_id", false, 0, 1LL << 53, 0),
        .level = jv_str(&v, "level", true, 16),
        .name = jv_str(&v, "name", true, VOL_TEXT_MAX),
        .areas = jv_str(&v, "areas", false, VOL_LIST_MAX),
        .unit_id = jv_int(&v, "unit_id", true, 1, 1LL << 53, 0),
        .org_id = jv_int(&v, "org_id", true, 1, 1LL << 53, 0),
    };
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    long long id;
    enum err e = vol_team_file(r->db, r->who->citizen_id, &t, r->now, &id, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_object = arena_printf(r->a, "vol_team:%lld", id);
    return reply_team(r, 201, id);
}

static enum err list_teams(struct req *r)
{
    long long limit, after, last, unit;
    enum err e = req_page(r, &limit, &after);
    if (e == OK) e = req_query_int(r, "unit", 0, 1LL << 53, 0, &unit);
    if (e != OK) return e;
    json_t *a = vol_team_list(r->db, unit, "active", after, limit, &last);
    return a ? reply_page(r, a, limit, last) : req_store_fail(r);
}

static enum err get_team(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    return reply_team(r, 200, id);
}

static enum err review_team(struct req *r)
{
    long long id;
    if (id_param(r, "vol_team", &id) != OK) return ERR_NOT_FOUND;
    static const char *const allowed[] = {"decision", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *d = jv_str(&v, "decision", true, 16);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    struct vol_actor who = me(r);
    enum err e = vol_team_review(r->db, id, d, &who, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_detail = d;
    return reply_team(r, 200, id);
}

static enum err move_team(struct req *r)
{
    long long id;
    if (id_param(r, "vol_team", &id) != OK) return ERR_NOT_FOUND;
    static const char *const allowed[] = {"parent_id", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    long long parent = jv_int(&v, "parent_id", true, 1, 1LL << 53, 0);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    struct vol_actor who = me(r);
    enum err e = vol_team_move(r->db, id, parent, &who, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return reply_team(r, 200, id);
}

static enum err cid_body(struct req *r, long long *cid)
{
    static const char *const allowed[] = {"citizen_id", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    *cid = jv_int(&v, "citizen_id", true, 1, 1LL << 53, 0);
    return jv_ok(&v) ? OK : req_fail_jv(r, &v);
}

static enum err add_admin(struct req *r)
{
    long long id, cid;
    if (id_param(r, "vol_team", &id) != OK) return ERR_NOT_FOUND;
    enum err e = cid_body(r, &cid);
    if (e != OK) return e;
    struct problem p = {0};
    e = vol_team_admin_add(r->db, id, r->who->citizen_id, cid, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return reply_team(r, 200, id);
}

static enum err apply_team(struct req *r)
{
    long long id;
    if (id_param(r, "vol_team", &id) != OK) return ERR_NOT_FOUND;
    struct problem p = {0};
    enum err e = vol_member_apply(r->db, id, r->who->citizen_id, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return reply_team(r, 200, id);
}

static enum err decide_member(struct req *r)
{
    long long id, cid;
    if (id_param(r, "vol_team", &id) != OK || req_param_id(r, "cid", &cid) != OK)
        return ERR_NOT_FOUND;
    static const char *const allowed[] = {"decision", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    static const char *const ds[] = {"approve", "通过", "reject", "不通过", NULL};
    int i = jv_choice(&v, "decision", true, ds);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    const char *d = ds[2 * i];
    bool approve = i == 0;
    struct problem p = {0};
    enum err e = vol_member_decide(r->db, id, r->who->citizen_id, cid, approve, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_detail = d;
    return reply_team(r, 200, id);
}

/* ---- projects and activities ---- */

static enum err create_project(struct req *r)
{
    long long id;
    if (id_param(r, "vol_team", &id) != OK) return ERR_NOT_FOUND;
    static const char *const allowed[] = {"theme", "service_type", "title", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *theme = jv_str(&v, "theme", true, 32);
    const char *type = jv_str(&v, "service_type", true, 32);
    const char *title = jv_str(&v, "title", true, VOL_TEXT_MAX);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    long long pid;
    enum err e =
        vol_project_create(r->db, id, r->who->citizen_id, theme, type, title, r->now, &pid, &p);
    if (e != OK) return fail(r, e, &p);
    return reply_json(r, 201,
                      json_pack("{s:I,s:I,s:s,s:s,s:s}", "id", pid, "team_id", id, "theme", theme,
                                "service_type", type, "title", title));
}

static enum err reply_activity(struct req *r, int status, long long id)
{
    struct vol_actor who = me(r);
    json_t *j = vol_activity_json(r->db, id, &who, r->now);
    if (!j) return store_err(r->db) ? req_store_fail(r) : req_deny(r, "id", "活动不存在");
    return reply_json(r, status, j);
}

/* The shifts of the body: [{label, starts_at, ends_at, places}]. */
static bool shifts_of(json_t *arr, struct vol_activity_new *a, struct jv *v)
{
    if (!json_is_array(arr) || json_array_size(arr) < 1 || json_array_size(arr) > VOL_SHIFTS_MAX) {
        jv_fail(v, ERR_RULE, "shifts", "班次应为1到%d项的数组", VOL_SHIFTS_MAX);
        return false;
    }
    static const char *const allowed[] = {"label", "starts_at", "ends_at", "places", NULL};
    size_t i;
    json_t *s;
    json_array_foreach(arr, i, s)
    {
        struct jv w = {0};
        if (!json_is_object(s)) {
            jv_fail(v, ERR_RULE, "shifts", "第%zu个班次应为对象", i + 1);
            return false;
        }
        jv_begin(&w, s, allowed);
        struct vol_shift_new *n = &a->shifts[a->nshifts];
        n->label = jv_str(&w, "label", false, VOL_TEXT_MAX);
        n->starts_at = jv_int(&w, "starts_at", true, 0, 1LL << 40, 0);
        n->ends_at = jv_int(&w, "ends_at", true, 0, 1LL << 40, 0);
        n->places = jv_int(&w, "places", true, 1, VOL_PLACES_MAX, 0);
        if (!n->label) n->label = "";
        if (!jv_ok(&w)) {
            jv_fail(v, ERR_RULE, "shifts", "第%zu个班次：%s", i + 1, w.msg);
            return false;
        }
        a->nshifts++;
    }
    return true;
}

static enum err create_activity(struct req *r)
{
    long long pid;
    if (id_param(r, "vol_project", &pid) != OK) return ERR_NOT_FOUND;
    static const char *const allowed[] = {
        "title",        "day",           "place",     "unit_id", "min_age", "skills",
        "signup_opens", "signup_closes", "cancel_by", "shifts",  NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    struct vol_activity_new *a = arena_alloc(r->a, sizeof *a);
    memset(a, 0, sizeof *a);
    a->title = jv_str(&v, "title", true, VOL_TEXT_MAX);
    a->day = jv_str(&v, "day", true, 10);
    a->place = jv_str(&v, "place", true, VOL_TEXT_MAX);
    a->unit_id = jv_int(&v, "unit_id", true, 1, 1LL << 53, 0);
    a->min_age = jv_int(&v, "min_age", false, 0, 100, 0);
    a->skills = jv_str(&v, "skills", false, VOL_LIST_MAX);
    a->signup_opens = jv_int(&v, "signup_opens", true, 0, 1LL << 40, 0);
    a->signup_closes = jv_int(&v, "signup_closes", true, 0, 1LL << 40, 0);
    a->cancel_by = jv_int(&v, "cancel_by", true, 0, 1LL << 40, 0);
    if (jv_ok(&v)) shifts_of(json_object_get(r->json, "shifts"), a, &v);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    long long id;
    enum err e = vol_activity_create(r->db, pid, r->who->citizen_id, a, r->now, &id, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_object = arena_printf(r->a, "vol_activity:%lld", id);
    return reply_activity(r, 201, id);
}

static enum err find_activities(struct req *r)
{
    long long limit, after, last;
    struct vol_find f = {0};
    enum err e = req_page(r, &limit, &after);
    if (e == OK) e = req_query_int(r, "unit", 0, 1LL << 53, 0, &f.unit);
    if (e != OK) return e;
    f.theme = req_query(r, "theme");
    f.from = req_query(r, "from");
    f.to = req_query(r, "to");
    if (f.theme && !*f.theme) f.theme = NULL;
    if (f.from && !*f.from) f.from = NULL;
    if (f.to && !*f.to) f.to = NULL;
    int d;
    if (f.theme && !vol_theme_valid(f.theme)) return req_fail(r, ERR_RULE, "theme", "没有这个主题");
    if (f.from && !date_parse(f.from, &d))
        return req_fail(r, ERR_RULE, "from", "日期应为 YYYY-MM-DD");
    if (f.to && !date_parse(f.to, &d)) return req_fail(r, ERR_RULE, "to", "日期应为 YYYY-MM-DD");
    json_t *a = vol_activity_list(r->db, &f, after, limit, &last);
    return a ? reply_page(r, a, limit, last) : req_store_fail(r);
}

static enum err get_activity(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    return reply_activity(r, 200, id);
}

static enum err act_activity(struct req *r)
{
    long long id;
    if (id_param(r, "vol_activity", &id) != OK) return ERR_NOT_FOUND;
    static const char *const allowed[] = {"step", "reason", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *step = jv_str(&v, "step", true, 16);
    const char *reason = jv_str(&v, "reason", false, 1000);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    struct vol_actor who = me(r);
    enum err e = vol_activity_act(r->db, id, step, reason, &who, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_detail = step;
    return reply_activity(r, 200, id);
}

/* ---- shifts ---- */

static enum err signup(struct req *r)
{
    long long id;
    if (id_param(r, "vol_shift", &id) != OK) return ERR_NOT_FOUND;
    struct problem p = {0};
    const char *state;
    enum err e = vol_signup(r->db, id, r->who->citizen_id, r->now, &state, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_detail = state;
    return reply_json(r, 201,
                      json_pack("{s:I,s:s,s:s}", "shift_id", id, "state", state, "state_label",
                                vol_signup_state_label(state)));
}

static enum err group_signup(struct req *r)
{
    long long id;
    if (id_param(r, "vol_shift", &id) != OK) return ERR_NOT_FOUND;
    json_t *arr = json_object_get(r->json, "members");
    if (json_object_size(r->json) != 1 || !json_is_array(arr) || json_array_size(arr) < 1 ||
        json_array_size(arr) > VOL_GROUP_MAX)
        return req_fail(r, ERR_RULE, "members", "members 应为1到%d个志愿者账号编号的数组",
                        VOL_GROUP_MAX);
    long long ids[VOL_GROUP_MAX];
    int n = 0;
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        if (!json_is_integer(x) || json_integer_value(x) < 1)
            return req_fail(r, ERR_RULE, "members", "第%zu项应为志愿者账号编号", i + 1);
        ids[n++] = json_integer_value(x);
    }
    struct problem p = {0};
    enum err e = vol_signup_group(r->db, id, r->who->citizen_id, ids, n, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return reply_json(r, 201, json_pack("{s:I,s:i}", "shift_id", id, "signed_up", n));
}

static enum err cancel_signup(struct req *r)
{
    long long id;
    if (id_param(r, "vol_shift", &id) != OK) return ERR_NOT_FOUND;
    struct problem p = {0};
    enum err e = vol_signup_cancel(r->db, id, r->who->citizen_id, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return my_signups(r);
}

static enum err confirm_offer(struct req *r)
{
    long long id;
    if (id_param(r, "vol_shift", &id) != OK) return ERR_NOT_FOUND;
    struct problem p = {0};
    enum err e = vol_offer_confirm(r->db, id, r->who->citizen_id, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return my_signups(r);
}

static enum err mark_absent(struct req *r)
{
    long long id, cid;
    if (id_param(r, "vol_shift", &id) != OK) return ERR_NOT_FOUND;
    enum err e = cid_body(r, &cid);
    if (e != OK) return e;
    struct problem p = {0};
    e = vol_mark_absent(r->db, id, r->who->citizen_id, cid, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return reply_json(
        r, 200, json_pack("{s:I,s:I,s:s}", "shift_id", id, "citizen_id", cid, "state", "absent"));
}

static enum err waitlist(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    json_t *a = vol_waitlist_json(r->db, id, r->who->citizen_id);
    if (!a)
        return store_err(r->db) ? req_store_fail(r)
                                : req_deny(r, "id", "班次不存在或您不是主办队伍的管理员");
    return reply_json(r, 200, json_pack("{s:I,s:o}", "shift_id", id, "items", a));
}

#define C PERM_CITIZEN
#define OWN ROUTE_OWN_USER
const struct route vol_routes[] = {
    {M_GET, "/api/v1/citizen/vol/options", C, BODY_NONE, NULL, options, 0},
    {M_POST, "/api/v1/citizen/vol/me", C, BODY_JSON, "vol.join", join, 0},
    {M_PUT, "/api/v1/citizen/vol/me", C, BODY_JSON, "vol.profile", update_me, 0},
    {M_GET, "/api/v1/citizen/vol/me", C, BODY_NONE, NULL, get_me, 0},
    {M_GET, "/api/v1/citizen/vol/me/signups", C, BODY_NONE, NULL, my_signups, 0},
    {M_POST, "/api/v1/citizen/vol/teams", C, BODY_JSON, "vol.team_file", file_team, 0},
    {M_GET, "/api/v1/citizen/vol/teams", C, BODY_NONE, NULL, list_teams, 0},
    {M_GET, "/api/v1/citizen/vol/teams/{id}", C, BODY_NONE, NULL, get_team, 0},
    {M_POST, "/api/v1/citizen/vol/teams/{id}/review", C, BODY_JSON, "vol.team_review", review_team,
     OWN},
    {M_POST, "/api/v1/citizen/vol/teams/{id}/move", C, BODY_JSON, "vol.team_move", move_team, OWN},
    {M_POST, "/api/v1/citizen/vol/teams/{id}/admins", C, BODY_JSON, "vol.team_admin", add_admin,
     OWN},
    {M_POST, "/api/v1/citizen/vol/teams/{id}/join", C, BODY_JSON, "vol.member_apply", apply_team,
     0},
    {M_POST, "/api/v1/citizen/vol/teams/{id}/members/{cid}/decide", C, BODY_JSON,
     "vol.member_decide", decide_member, OWN},
    {M_POST, "/api/v1/citizen/vol/teams/{id}/projects", C, BODY_JSON, "vol.project_create",
     create_project, OWN},
    {M_POST, "/api/v1/citizen/vol/projects/{id}/activities", C, BODY_JSON, "vol.activity_create",
     create_activity, OWN},
    {M_GET, "/api/v1/citizen/vol/activities", C, BODY_NONE, NULL, find_activities, 0},
    {M_GET, "/api/v1/citizen/vol/activities/{id}", C, BODY_NONE, NULL, get_activity, 0},
    {M_POST, "/api/v1/citizen/vol/activities/{id}/steps", C, BODY_JSON, "vol.activity_step",
     act_activity, OWN},
    {M_POST, "/api/v1/citizen/vol/shifts/{id}/signup", C, BODY_JSON, "vol.signup", signup, 0},
    {M_POST, "/api/v1/citizen/vol/shifts/{id}/group", C, BODY_JSON, "vol.group_signup",
     group_signup, OWN},
    {M_POST, "/api/v1/citizen/vol/shifts/{id}/cancel", C, BODY_JSON, "vol.signup_cancel",
     cancel_signup, OWN},
    {M_POST, "/api/v1/citizen/vol/shifts/{id}/confirm", C, BODY_JSON, "vol.offer_confirm",
     confirm_offer, OWN},
    {M_POST, "/api/v1/citizen/vol/shifts/{id}/absent", C, BODY_JSON, "vol.mark_absent", mark_absent,
     OWN},
    {M_GET, "/api/v1/citizen/vol/shifts/{id}/waitlist", C, BODY_NONE, NULL, waitlist, OWN},
    {0},
};
#undef C
#undef OWN
