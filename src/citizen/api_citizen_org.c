/* api_citizen_org.c - organisations' routes: a citizen files a registration, lists its own and
 * adds members (/api/v1/citizen/orgs…); officials of the reviewing unit list, read and review
 * them (/api/v1/orgs…, PERM_ORG_READ / PERM_ORG_REVIEW, scoped by the unit of the role that
 * grants them: a district sees its own). People appear masked. Parse, call citizen.h, render. */
#include "citizen/api_citizen_org.h"
#include "http/route.h"
#include "http/server.h"
#include "org/session.h"
#include <stdio.h>
#include <string.h>

/* The service's problem (404 as a refusal: req_deny), or the error it returned. */
static enum err fail(struct req *r, enum err e, const struct problem *p)
{
    if (p->err == ERR_NOT_FOUND) return req_deny(r, p->field, p->msg);
    if (p->err != OK) return req_fail_problem(r, p);
    return req_fail_err(r, e);
}

/* The fields of a registration from the body: OK, or the failure answered. */
static enum err org_fields(struct req *r, struct citizen_org_new *o)
{
    static const char *const allowed[] = {"kind", "name", "uscc", "unit_id", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    *o = (struct citizen_org_new){
        .kind = jv_str(&v, "kind", true, 32),
        .name = jv_str(&v, "name", true, CITIZEN_ORG_NAME_MAX),
        .uscc = jv_str(&v, "uscc", true, 18),
        .unit_id = jv_int(&v, "unit_id", true, 1, 1LL << 53, 0),
    };
    return jv_ok(&v) ? OK : req_fail_jv(r, &v);
}

/* The organisation as the calling member sees it, with status. */
static enum err reply_mine(struct req *r, int status, long long id)
{
    json_t *j = citizen_org_for_member(r->db, id, r->who->citizen_id);
    return j ? reply_json(r, status, j) : req_store_fail(r);
}

static enum err file_org(struct req *r)
{
    struct citizen_org_new o;
    enum err e = org_fields(r, &o);
    if (e != OK) return e;
    struct problem p = {0};
    long long id;
    e = citizen_org_file(r->db, r->who->citizen_id, &o, r->now, &id, &p);
    if (e != OK) return p.err != OK ? req_fail_problem(r, &p) : req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "organisation:%lld", id);
    return reply_mine(r, 201, id);
}

static enum err refile_org(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    r->audit_object = arena_printf(r->a, "organisation:%lld", id);
    struct citizen_org_new o;
    enum err e = org_fields(r, &o);
    if (e != OK) return e;
    struct problem p = {0};
    e = citizen_org_refile(r->db, r->who->citizen_id, id, &o, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return reply_mine(r, 200, id);
}

static enum err my_org(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    json_t *j = citizen_org_for_member(r->db, id, r->who->citizen_id);
    if (!j) return store_err(r->db) ? req_store_fail(r) : req_deny(r, "id", "组织不存在");
    return reply_json(r, 200, j);
}

static enum err org_options(struct req *r)
{
    json_t *j = citizen_org_options_json(r->db);
    return j ? reply_json(r, 200, j) : req_store_fail(r);
}

static enum err page(struct req *r, const struct citizen_org_filter *f)
{
    long long limit, after, last, total;
    enum err e = req_page(r, &limit, &after);
    if (e != OK) return e;
    if ((e = citizen_org_count(r->db, f, &total)) != OK) return req_fail_err(r, e);
    json_t *a = citizen_org_list(r->db, f, after, limit, &last);
    return a ? reply_page_total(r, a, limit, last, total) : req_store_fail(r);
}

static enum err my_orgs(struct req *r)
{
    return page(r, &(struct citizen_org_filter){.member = r->who->citizen_id});
}

static enum err add_member(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    static const char *const allowed[] = {"phone", "role", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *phone = jv_str(&v, "phone", true, 32);
    const char *role = jv_str(&v, "role", false, 16);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    r->audit_object = arena_printf(r->a, "organisation:%lld", id);
    struct problem p = {0};
    enum err e = citizen_org_member_add(r->db, &r->app->keys, r->who->citizen_id, id, phone,
                                        role ? role : "org_staff", r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return reply_mine(r, 200, id);
}

/* ---- officials ---- */

enum err org_filter_from_query(struct req *r, struct citizen_org_filter *f)
{
    *f = (struct citizen_org_filter){0};
    enum err e = req_query_int(r, "unit", 0, 1LL << 53, 0, &f->unit);
    if (e != OK) return e;
    f->status = req_query(r, "status");
    if (f->status && !*f->status) f->status = NULL;
    if (f->status && strcmp(f->status, "pending") != 0 && strcmp(f->status, "accepted") != 0 &&
        strcmp(f->status, "returned") != 0)
        return req_fail(r, ERR_RULE, "status",
                        "状态应为 pending（待审核）、accepted（已通过）或 returned（已退回）");
    const char *q = req_query(r, "q");
    if (q && strlen(q) > 64) return req_fail(r, ERR_RULE, "q", "搜索词过长（不超过64个字节）");
    f->search = q && *q ? q : NULL;
    if (req_unit_scoped(r)) {
        if (!f->unit) f->unit = r->who->unit_id; /* a unit-scoped reader sees its own unit's */
        if (!req_may_act_for_unit(r, f->unit))
            return req_fail(r, ERR_FORBIDDEN, "unit", "只能查看本单位审核的组织");
    }
    return OK;
}

static enum err list_orgs(struct req *r)
{
    struct citizen_org_filter f;
    enum err e = org_filter_from_query(r, &f);
    return e != OK ? e : page(r, &f);
}

/* The organisation named by the path if the caller's permission reaches its unit; else 404. */
static enum err reach(struct req *r, long long *id)
{
    if (req_param_id(r, "id", id) != OK) return ERR_NOT_FOUND;
    long long unit = citizen_org_unit(r->db, *id);
    r->audit_object = arena_printf(r->a, "organisation:%lld", *id);
    if (!unit || !req_may_act_for_unit(r, unit)) return req_deny(r, "id", "组织不存在");
    return OK;
}

/* The organisation as an official sees it, with what the caller may do: review a pending one
 * within the reach of its review permission, unless the caller filed it. */
static enum err reply_org(struct req *r, long long id)
{
    json_t *j = citizen_org_json(r->db, id, true);
    if (!j) return req_store_fail(r);
    json_t *a = json_array();
    const char *st = json_string_value(json_object_get(j, "status"));
    long long unit = json_integer_value(json_object_get(j, "unit_id"));
    if (st && strcmp(st, "pending") == 0 &&
        principal_may_for_unit(r->db, r->who, PERM_ORG_REVIEW, unit) &&
        !citizen_org_reviewer_is_filer(r->db, &r->app->keys, id, r->who->user_id))
        json_array_append_new(a, json_string("review"));
    json_object_set_new(j, "actions", a);
    return reply_json(r, 200, j);
}

static enum err get_org(struct req *r)
{
    long long id;
    enum err e = reach(r, &id);
    if (e != OK) return e;
    return reply_org(r, id);
}

static enum err review_org(struct req *r)
{
    long long id;
    enum err e = reach(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"decision", "reason", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    static const char *const ds[] = {"accept", "通过", "return", "退回", NULL};
    bool accept = jv_choice(&v, "decision", true, ds) == 0;
    const char *reason = jv_str(&v, "reason", false, 1000);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    e = citizen_org_review(r->db, &r->app->keys, id, accept, reason, r->who->user_id, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_detail = accept ? "accepted" : "returned";
    return reply_org(r, id);
}

/* A member's clear phone, name and ID number: the unmask_pii permission (granted by secadmin)
 * and the organisation within the caller's reach. */
static enum err member_personal(struct req *r)
{
    long long id, cid;
    if (req_param_id(r, "id", &id) != OK || req_param_id(r, "cid", &cid) != OK)
        return ERR_NOT_FOUND;
    r->audit_object = arena_printf(r->a, "citizen:%lld", cid);
    if (!r->who->unmask_pii) {
        req_audit(r, "pii.unmask", "denied"); /* every read, allowed or not */
        return req_fail(r, ERR_FORBIDDEN, NULL, "查看完整个人信息需要安全管理员授予的权限");
    }
    long long unit = citizen_org_unit(r->db, id);
    if (!unit || !req_may_act_for_unit(r, unit)) return req_deny(r, "id", "组织不存在");
    json_t *o = citizen_org_member_personal(r->db, &r->app->keys, id, cid, r->now);
    if (!o)
        return store_err(r->db) ? req_store_fail(r)
                                : req_fail(r, ERR_NOT_FOUND, "cid", "该组织没有这个成员");
    enum err e = req_audit(r, "pii.unmask", "ok");
    if (e != OK) {
        citizen_json_wipe_free(o); /* no audit row, no clear data */
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, o);
}

const struct route citizen_org_routes[] = {
    {M_GET, "/api/v1/citizen/org-options", PERM_CITIZEN, BODY_NONE, NULL, org_options, 0},
    {M_POST, "/api/v1/citizen/orgs", PERM_CITIZEN, BODY_JSON, "organisation.file", file_org, 0},
    {M_GET, "/api/v1/citizen/orgs", PERM_CITIZEN, BODY_NONE, NULL, my_orgs, 0},
    {M_GET, "/api/v1/citizen/orgs/{id}", PERM_CITIZEN, BODY_NONE, NULL, my_org, ROUTE_OWN_USER},
    {M_PUT, "/api/v1/citizen/orgs/{id}", PERM_CITIZEN, BODY_JSON, "organisation.refile", refile_org,
     ROUTE_OWN_USER},
    {M_POST, "/api/v1/citizen/orgs/{id}/members", PERM_CITIZEN, BODY_JSON,
     "organisation.member_add", add_member, ROUTE_OWN_USER},
    {M_GET, "/api/v1/orgs", PERM_ORG_READ, BODY_NONE, NULL, list_orgs, 0},
    {M_GET, "/api/v1/orgs/export.xlsx", PERM_ORG_READ, BODY_NONE, NULL, export_orgs, 0},
    {M_GET, "/api/v1/orgs/{id}", PERM_ORG_READ, BODY_NONE, NULL, get_org, ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/orgs/{id}/review", PERM_ORG_REVIEW, BODY_JSON, "organisation.review",
     review_org, ROUTE_OWN_UNIT},
    {M_GET, "/api/v1/orgs/{id}/members/{cid}/personal-data", PERM_ORG_READ, BODY_NONE, NULL,
     member_personal, ROUTE_OWN_UNIT},
    {0},
};
