/* api_users.c - account administration: sysadmin manages accounts, unit_admin manages its own
 * unit's reporters, secadmin grants roles and the unmask permission, and holders of that
 * permission read personal data in clear (every such read is audited). */
#include "http/route.h"
#include "http/server.h"
#include "base/jv.h"
#include "org/audit.h"
#include "org/session.h"
#include "org/units.h"
#include "org/users.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_action(json_t *a, const char *name, const char *label)
{
    json_array_append_new(a, json_pack("{s:s,s:s}", "name", name, "label", label));
}

/* What the caller may do with the account now, by the checks its write routes make: the reach
 * of each route's permission (principal_may_for_unit, as req_may_act_for_unit), the one manage
 * rule (user_manage_problem), the grant rule (user_grant_problem) and the unmask permission. An
 * account the caller may re-role also says which roles it may give (grantable_roles). */
static void add_user_actions(struct req *r, const struct user_target *t, json_t *o)
{
    json_t *a = json_array();
    const struct principal *w = r->who;
    enum scope ws = roles_scope(w->roles, PERM_USERS_WRITE);
    enum scope gs = roles_scope(w->roles, PERM_ROLES_GRANT);
    bool disabled = json_is_true(json_object_get(o, "disabled"));
    bool locked = json_is_true(json_object_get(o, "locked"));
    if (principal_may_for_unit(r->db, w, PERM_USERS_WRITE, t->unit_id) &&
        !user_manage_problem(r->db, w->user_id, w->unit_id, ws, t)) {
        add_action(a, "edit", "编辑");
        if (!disabled) add_action(a, "lock", "停用");
        if (disabled || locked) add_action(a, "unlock", disabled ? "启用" : "解除锁定");
        add_action(a, "reset_password", "重置密码");
    }
    bool grant = principal_may_for_unit(r->db, w, PERM_ROLES_GRANT, t->unit_id);
    bool reroles = grant && !user_manage_problem(r->db, w->user_id, w->unit_id, gs, t);
    if (reroles) add_action(a, "roles", "修改角色");
    if (grant && (t->unmask_pii || !user_grant_problem(w->user_id, t)))
        add_action(a, "permissions", "个人信息权限");
    if (w->unmask_pii && (json_is_string(json_object_get(o, "phone")) ||
                          json_is_string(json_object_get(o, "resident_id"))))
        add_action(a, "personal_data", "查看完整信息");
    json_object_set_new(o, "actions", a);
    if (reroles)
        json_object_set_new(o, "grantable_roles", roles_list_json(user_grantable_roles(gs, false)));
}

/* The account as the routes answer it: user_json with the caller's actions; NULL on a storage
 * error. */
static json_t *account_json(struct req *r, long long id)
{
    struct user_target t;
    if (user_target_load(r->db, id, &t) != OK) return NULL;
    json_t *o = user_json(r->db, id, r->now);
    if (o) add_user_actions(r, &t, o);
    return o;
}

static enum err reply_account(struct req *r, int status, long long id)
{
    json_t *o = account_json(r, id);
    return o ? reply_json(r, status, o) : req_store_fail(r);
}

/* The account named by {id}, if the caller may see it: unit-scoped managers only their own
 * unit's and child units' accounts (others answer as absent, and are audited as denied). */
static enum err load_target(struct req *r, struct user_target *t)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    enum err e = user_target_load(r->db, id, t);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "id", "账号不存在");
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "user:%lld", id);
    if (!req_may_act_for_unit(r, t->unit_id)) return req_deny(r, "id", "账号不存在");
    return OK;
}

/* The account named by {id}, if the caller may change it (user_manage_problem). */
static enum err load_managed(struct req *r, struct user_target *t)
{
    enum err e = load_target(r, t);
    if (e != OK) return e;
    const char *why = user_manage_problem(r->db, r->who->user_id, r->who->unit_id,
                                          roles_scope(r->who->roles, r->route->perm), t);
    return why ? req_fail(r, ERR_FORBIDDEN, "id", "%s", why) : OK;
}

static enum err list_users(struct req *r)
{
    long long limit, after;
    enum err pe = req_page(r, &limit, &after);
    if (pe != OK) return pe;
    const char *unit_s = req_query(r, "unit");
    const char *search = req_query(r, "q");
    long long unit = 0;
    if (unit_s && !(unit = unit_find(r->db, unit_s)))
        return req_fail(r, ERR_RULE, "unit", "单位不存在：%s", unit_s);
    if (req_unit_scoped(r)) {
        if (unit && !req_may_act_for_unit(r, unit))
            return req_fail(r, ERR_FORBIDDEN, "unit", "只能查看本单位的账号");
        if (!unit) unit = r->who->unit_id;
    }
    if (search && strlen(search) > 64) return req_fail(r, ERR_RULE, "q", "搜索词过长");
    struct user_filter f = {.after = after, .limit = limit, .unit = unit, .search = search};
    long long ids[1000];
    size_t n = 0;
    long long total = 0;
    enum err e = users_page(r->db, &f, ids, sizeof ids / sizeof *ids, &n);
    if (e == OK) e = users_count(r->db, &f, &total);
    if (e != OK) return req_fail_err(r, e);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = account_json(r, ids[i]);
        if (!o) {
            json_decref(items);
            return req_store_fail(r);
        }
        json_array_append_new(items, o);
    }
    return reply_page_total(r, items, limit, n ? ids[n - 1] : 0, total);
}

static enum err get_user(struct req *r)
{
    struct user_target t;
    enum err e = load_target(r, &t);
    if (e != OK) return e;
    return reply_account(r, 200, t.id);
}

static bool parse_roles(struct req *r, json_t *arr, role_set *out)
{
    *out = 0;
    size_t i;
    json_t *s;
    json_array_foreach(arr, i, s)
    {
        enum role role;
        if (!role_parse(json_string_value(s), &role)) {
            req_fail(r, ERR_RULE, "roles", "未知角色：%s", json_string_value(s));
            return false;
        }
        *out |= 1u << role;
    }
    return true;
}

static enum err create_user(struct req *r)
{
    static const char *const allowed[] = {"username",    "display_name", "unit_id",  "phone",
                                          "resident_id", "roles",        "password", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    struct user_new u = {0};
    u.username = jv_str(&v, "username", true, 64);
    u.display_name = jv_str(&v, "display_name", true, 96);
    u.unit_id = jv_int(&v, "unit_id", true, 1, (1LL << 53), 0);
    u.phone = jv_str(&v, "phone", false, 32);
    u.resident_id = jv_str(&v, "resident_id", false, 32);
    u.password = jv_str(&v, "password", false, 256);
    json_t *roles = jv_str_array(&v, "roles", false, ROLE__COUNT, 32);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    if (roles && !parse_roles(r, roles, &u.roles)) return ERR_RULE;
    role_set may = user_grantable_roles(roles_scope(r->who->roles, r->route->perm), true);
    if (req_unit_scoped(r) && !req_may_act_for_unit(r, u.unit_id))
        return req_fail(r, ERR_FORBIDDEN, "unit_id", "只能为本单位创建账号");
    if (req_unit_scoped(r) && (u.roles & ~may)) {
        return req_fail(r, ERR_FORBIDDEN, "roles",
                        "单位管理员只能授予“单位填报员”角色，其他角色由安全管理员授予");
    } else if (u.roles & ~may) {
        return req_fail(r, ERR_FORBIDDEN, "roles",
                        "三权分立：角色由安全管理员授予，创建账号时不能指定");
    }
    u.must_change_pw = true;
    long long id = 0;
    char otp[24] = "";
    struct problem w = {0};
    enum err e = user_create(r->db, &r->app->keys, &u, r->now, r->who->user_id, &id, otp, &w);
    if (e != OK) return req_fail_problem(r, &w);
    r->audit_object = arena_printf(r->a, "user:%lld", id);
    json_t *o = account_json(r, id);
    if (!o) return req_store_fail(r);
    if (otp[0]) {
        json_object_set_new(o, "one_time_password", json_string(otp));
        req_secret_answer(r, "one_time_password");
    }
    return reply_json(r, 201, o);
}

static enum err update_user(struct req *r)
{
    struct user_target t;
    enum err e = load_managed(r, &t);
    if (e != OK) return e;
    long long id = t.id;
    static const char *const allowed[] = {"display_name", "unit_id", "phone", "resident_id", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *name = jv_str(&v, "display_name", false, 96);
    long long new_unit = jv_int(&v, "unit_id", false, 1, (1LL << 53), 0);
    json_t *ph = json_object_get(r->json, "phone"), *rid = json_object_get(r->json, "resident_id");
    const char *phone = ph && json_is_string(ph) ? json_string_value(ph) : NULL;
    const char *resident = rid && json_is_string(rid) ? json_string_value(rid) : NULL;
    if (ph && !json_is_string(ph)) jv_fail(&v, ERR_BAD_REQUEST, "phone", "字段 phone 应为字符串");
    if (rid && !json_is_string(rid))
        jv_fail(&v, ERR_BAD_REQUEST, "resident_id", "字段 resident_id 应为字符串");
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    if (new_unit) {
        if (!req_may_act_for_unit(r, new_unit))
            return req_fail(r, ERR_FORBIDDEN, "unit_id", "只能调整到本单位");
        struct unit u;
        enum err ue = unit_get(r->db, new_unit, &u);
        if (ue == ERR_NOT_FOUND) return req_fail(r, ERR_RULE, "unit_id", "所属单位不存在");
        if (ue != OK) return req_fail_err(r, ue);
    }
    if (name && (e = user_set_display_name(r->db, id, name, r->now)) != OK)
        return req_fail_err(r, e);
    if (new_unit && new_unit != t.unit_id && (e = user_move(r->db, id, new_unit, r->now)) != OK)
        return req_fail_err(r, e);
    struct problem w = {0};
    if (user_set_personal(r->db, &r->app->keys, id, phone, resident, r->now, &w) != OK)
        return req_fail_problem(r, &w);
    return reply_account(r, 200, id);
}

static enum err set_disabled(struct req *r, bool disabled)
{
    struct user_target t;
    enum err e = load_managed(r, &t);
    if (e != OK) return e;
    if ((e = user_set_disabled(r->db, t.id, disabled, r->now)) != OK) return req_fail_err(r, e);
    return reply_account(r, 200, t.id);
}

static enum err lock_user(struct req *r)
{
    return set_disabled(r, true);
}

static enum err unlock_user(struct req *r)
{
    return set_disabled(r, false);
}

static enum err reset_password(struct req *r)
{
    struct user_target t;
    enum err e = load_managed(r, &t);
    if (e != OK) return e;
    char otp[24];
    user_generate_password(otp);
    struct problem w = {0};
    if (user_set_password(r->db, t.id, otp, true, r->now, &w) != OK) return req_fail_problem(r, &w);
    if ((e = user_revoke_access(r->db, t.id, 0, r->now)) != OK) return req_fail_err(r, e);
    req_secret_answer(r, "one_time_password");
    return reply_json(r, 200, json_pack("{s:I,s:s}", "id", t.id, "one_time_password", otp));
}

static enum err set_roles(struct req *r)
{
    struct user_target t;
    enum err e = load_managed(r, &t);
    if (e != OK) return e;
    long long id = t.id;
    static const char *const allowed[] = {"roles", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    json_t *roles = jv_str_array(&v, "roles", false, ROLE__COUNT, 32);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    if (!roles) return req_fail(r, ERR_BAD_REQUEST, "roles", "缺少必填字段：roles");
    role_set rs;
    if (!parse_roles(r, roles, &rs)) return ERR_RULE;
    if (rs & ~user_grantable_roles(roles_scope(r->who->roles, r->route->perm), false))
        return req_fail(
            r, ERR_FORBIDDEN, "roles",
            "三权分立：管理员角色不能在线授予，须由运维人员在服务器上用 ecoact user 命令办理");
    struct problem w = {0};
    if (user_set_roles(r->db, id, rs, r->who->user_id, r->now, &w) != OK)
        return req_fail_problem(r, &w);
    if (rs != t.roles && (e = user_revoke_access(r->db, id, 0, r->now)) != OK)
        return req_fail_err(r, e);
    char *list = json_dumps(roles, JSON_COMPACT);
    r->audit_detail = arena_strdup(r->a, list ? list : "");
    free(list);
    return reply_account(r, 200, id);
}

static enum err set_permissions(struct req *r)
{
    struct user_target t;
    enum err e = load_target(r, &t);
    if (e != OK) return e;
    long long id = t.id;
    static const char *const allowed[] = {"permissions", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    json_t *perms = jv_str_array(&v, "permissions", false, 8, 32);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    if (!perms) return req_fail(r, ERR_BAD_REQUEST, "permissions", "缺少必填字段：permissions");
    bool unmask = false;
    size_t i;
    json_t *s;
    json_array_foreach(perms, i, s)
    {
        if (strcmp(json_string_value(s), UPERM_UNMASK_PII) != 0)
            return req_fail(r, ERR_RULE, "permissions", "未知权限：%s（可用：unmask_pii）",
                            json_string_value(s));
        unmask = true;
    }
    const char *why = unmask ? user_grant_problem(r->who->user_id, &t) : NULL;
    if (why) return req_fail(r, ERR_FORBIDDEN, "permissions", "%s", why);
    if ((e = user_set_permissions(r->db, id, unmask, r->who->user_id, r->now)) != OK)
        return req_fail_err(r, e);
    r->audit_detail = unmask ? "grant unmask_pii" : "revoke all permissions";
    return reply_account(r, 200, id);
}

static enum err personal_data(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    r->audit_object = arena_printf(r->a, "user:%lld", id);
    if (!r->who->unmask_pii) {
        req_audit(r, "pii.unmask", "denied"); /* every read, allowed or not */
        return req_fail(r, ERR_FORBIDDEN, NULL, "查看完整个人信息需要安全管理员授予的权限");
    }
    json_t *o = user_personal_json(r->db, &r->app->keys, id);
    if (!o)
        return store_err(r->db) ? req_store_fail(r)
                                : req_fail(r, ERR_NOT_FOUND, "id", "账号不存在");
    enum err e = req_audit(r, "pii.unmask", "ok");
    if (e != OK) {
        json_decref(o); /* no audit row, no clear data */
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, o);
}

static enum err list_roles(struct req *r)
{
    json_t *items = json_array();
    for (int i = 0; i < ROLE__COUNT; i++)
        json_array_append_new(items, json_pack("{s:s,s:s,s:b}", "name", role_name((enum role)i),
                                               "label", role_label((enum role)i), "admin",
                                               role_is_admin((enum role)i)));
    return reply_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next_cursor"));
}

const struct route user_routes[] = {
    {M_GET, "/api/v1/roles", PERM_LOGGED_IN, BODY_NONE, NULL, list_roles, ROUTE_ALLOW_PW_CHANGE},
    {M_GET, "/api/v1/users", PERM_USERS_READ, BODY_NONE, NULL, list_users, 0},
    {M_POST, "/api/v1/users", PERM_USERS_WRITE, BODY_JSON, "user.create", create_user, 0},
    {M_GET, "/api/v1/users/{id}", PERM_USERS_READ, BODY_NONE, NULL, get_user, ROUTE_OWN_UNIT},
    {M_PATCH, "/api/v1/users/{id}", PERM_USERS_WRITE, BODY_JSON, "user.update", update_user,
     ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/users/{id}/lock", PERM_USERS_WRITE, BODY_NONE, "user.lock", lock_user,
     ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/users/{id}/unlock", PERM_USERS_WRITE, BODY_NONE, "user.unlock", unlock_user,
     ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/users/{id}/password-reset", PERM_USERS_WRITE, BODY_NONE,
     "user.password_reset", reset_password, ROUTE_OWN_UNIT},
    {M_PUT, "/api/v1/users/{id}/roles", PERM_ROLES_GRANT, BODY_JSON, "user.roles", set_roles,
     ROUTE_OWN_UNIT},
    {M_PUT, "/api/v1/users/{id}/permissions", PERM_ROLES_GRANT, BODY_JSON, "user.permissions",
     set_permissions, ROUTE_OWN_UNIT},
    {M_GET, "/api/v1/users/{id}/personal-data", PERM_LOGGED_IN, BODY_NONE, NULL, personal_data, 0},
    {0},
};
