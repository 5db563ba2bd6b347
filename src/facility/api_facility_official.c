/* api_facility_official.c - the officials' facility routes (/api/v1/fac/…, PERM_FAC_REVIEW:
 * office for every unit, unit_admin for its unit and child units): list and read the registry,
 * review a record (approve, return, suspend, restore; never its filer), and the key dates with
 * the facilities that have no session planned on them. */
#include "facility/facility.h"
#include "http/route.h"
#include "http/server.h"
#include "base/date.h"
#include <string.h>

static enum err fail(struct req *r, enum err e, const struct problem *p)
{
    if (p->err == ERR_NOT_FOUND) return req_deny(r, p->field, p->msg);
    if (p->err != OK) return req_fail_problem(r, p);
    return req_fail_err(r, e);
}

/* The unit filter of a list: a unit-scoped caller sees its own unit's. */
static enum err unit_filter(struct req *r, long long *unit)
{
    enum err e = req_query_int(r, "unit", 0, 1LL << 53, 0, unit);
    if (e != OK) return e;
    if (req_unit_scoped(r)) {
        if (!*unit) *unit = r->who->unit_id;
        if (!req_may_act_for_unit(r, *unit))
            return req_fail(r, ERR_FORBIDDEN, "unit", "只能查看本单位的设施");
    }
    return OK;
}

static enum err list_facs(struct req *r)
{
    long long limit, after, last;
    struct fac_find f = {0};
    enum err e = req_page(r, &limit, &after);
    if (e == OK) e = unit_filter(r, &f.unit);
    if (e != OK) return e;
    f.status = req_query(r, "status");
    if (f.status && !*f.status) f.status = NULL;
    if (f.status && !fac_status_label(f.status))
        return req_fail(r, ERR_RULE, "status", "状态应为 registered、open、suspended 或 returned");
    f.category = req_query(r, "category");
    if (f.category && !*f.category) f.category = NULL;
    if (f.category && !fac_category_valid(f.category))
        return req_fail(r, ERR_RULE, "category", "没有这个设施类别");
    json_t *a = fac_list(r->db, &f, r->now, after, limit, &last);
    return a ? reply_page(r, a, limit, last) : req_store_fail(r);
}

static enum err reach(struct req *r, long long *id)
{
    if (req_param_id(r, "id", id) != OK) return ERR_NOT_FOUND;
    r->audit_object = arena_printf(r->a, "facility:%lld", *id);
    long long unit = fac_unit(r->db, *id);
    if (!unit || !req_may_act_for_unit(r, unit)) return req_deny(r, "id", "设施不存在");
    return OK;
}

static enum err reply_fac(struct req *r, long long id)
{
    json_t *j = fac_json(r->db, id, true, r->now);
    return j ? reply_json(r, 200, j) : req_store_fail(r);
}

static enum err get_fac(struct req *r)
{
    long long id;
    enum err e = reach(r, &id);
    return e != OK ? e : reply_fac(r, id);
}

static enum err review(struct req *r)
{
    long long id;
    enum err e = reach(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"decision", "reason", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    static const char *const ds[] = {"approve", "通过",    "return", "退回", "suspend",
                                     "暂停",    "restore", "恢复",   NULL};
    int i = jv_choice(&v, "decision", true, ds);
    const char *reason = jv_str(&v, "reason", false, 1000);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    const char *d = ds[2 * i];
    struct problem p = {0};
    struct fac_actor who = {
        .official = r->who->user_id, .keys = &r->app->keys, .name = r->who->display_name};
    e = fac_review(r->db, id, d, reason, &who, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_detail = d;
    return reply_fac(r, id);
}

static enum err key_dates(struct req *r)
{
    long long year, unit;
    enum err e = req_query_int(r, "year", 2021, 2100, 2025, &year);
    if (e == OK) e = unit_filter(r, &unit);
    if (e != OK) return e;
    json_t *j = fac_key_dates_json(r->db, (int)year, unit);
    return j ? reply_json(r, 200, j) : req_store_fail(r);
}

static enum err lights(struct req *r)
{
    long long unit;
    enum err e = unit_filter(r, &unit);
    if (e != OK) return e;
    int as_of = date_today_shanghai(r->now);
    const char *d = req_query(r, "as_of");
    if (d && *d && !date_parse(d, &as_of))
        return req_fail(r, ERR_RULE, "as_of", "日期应为 YYYY-MM-DD");
    json_t *j = fac_lights_json(r->db, unit, as_of);
    return j ? reply_json(r, 200, j) : req_store_fail(r);
}

const struct route fac_official_routes[] = {
    {M_GET, "/api/v1/fac/facilities", PERM_FAC_REVIEW, BODY_NONE, NULL, list_facs, 0},
    {M_GET, "/api/v1/fac/facilities/{id}", PERM_FAC_REVIEW, BODY_NONE, NULL, get_fac,
     ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/fac/facilities/{id}/review", PERM_FAC_REVIEW, BODY_JSON, "fac.review", review,
     ROUTE_OWN_UNIT},
    {M_GET, "/api/v1/fac/lights", PERM_FAC_REVIEW, BODY_NONE, NULL, lights, 0},
    {M_GET, "/api/v1/fac/key-dates", PERM_FAC_REVIEW, BODY_NONE, NULL, key_dates, 0},
    {0},
};
