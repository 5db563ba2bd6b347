/* api_session.c - routes for logging in and out, the caller's own account (/me, password) and
 * the caller's API tokens. */
#include "http/route.h"
#include "http/server.h"
#include "base/jv.h"
#include "org/api_me.h"
#include "org/policy.h"
#include "org/session.h"
#include "org/units.h"
#include "org/users.h"
#include <stdio.h>
#include <string.h>

static json_t *me_json(struct req *r, long long user_id)
{
    json_t *u = user_json(r->db, user_id, r->now);
    if (!u) return NULL;
    json_t *unit =
        unit_json(r->db, json_integer_value(json_object_get(json_object_get(u, "unit"), "id")));
    if (unit) json_object_set_new(u, "unit", unit);
    json_object_set_new(u, "demo", json_boolean(r->app->demo));
    me_add_console(r, u);
    return u;
}

static enum err login(struct req *r)
{
    static const char *const allowed[] = {"username", "password", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *username = jv_str(&v, "username", true, 64);
    const char *password = jv_str(&v, "password", true, 256);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    long long uid;
    enum login_result res;
    r->keep_tx_on_error = true; /* failure counters must stick */
    enum err e = user_login(r->db, username, password, r->now, &uid, &res, &r->retry_after);
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "user:%s", username);
    if (res == LOGIN_DISABLED)
        return req_fail(r, ERR_LOCKED, NULL, "账号已被管理员停用，请联系系统管理员");
    if (res == LOGIN_LOCKED)
        return req_fail(r, ERR_LOCKED, NULL, "连续登录失败次数过多，账号已锁定，请 %d 分钟后再试",
                        (r->retry_after + 59) / 60);
    if (res != LOGIN_OK) return req_fail(r, ERR_UNAUTHORIZED, NULL, "用户名或密码错误");
    char token[CRYPTO_TOKEN_CHARS];
    e = session_create(r->db, uid, r->now, token);
    if (e != OK) return req_fail_err(r, e);
    const char *proto = r->app->opts.trust_proxy ? req_header(r, "X-Forwarded-Proto") : NULL;
    bool secure = proto && strcmp(proto, "https") == 0;
    r->set_cookie = arena_printf(
        r->a, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", SESSION_COOKIE, token,
        policy_get(r->db, r->now)->absolute_hours * 3600, secure ? "; Secure" : "");
    json_t *me = me_json(r, uid);
    if (!me) return req_store_fail(r);
    /* The audit row names the account that logged in. */
    struct principal *p = arena_alloc(r->a, sizeof *p);
    p->user_id = uid;
    p->username = arena_strdup(r->a, username);
    p->unit_id = json_integer_value(json_object_get(json_object_get(me, "unit"), "id"));
    r->who = p;
    r->audit_object = arena_printf(r->a, "user:%lld", uid);
    return reply_json(r, 200, me);
}

static enum err logout(struct req *r)
{
    enum err e = r->who->session_id ? session_end(r->db, r->who->session_id) : OK;
    if (e != OK) return req_fail_err(r, e);
    r->set_cookie =
        arena_printf(r->a, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", SESSION_COOKIE);
    return reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static enum err me(struct req *r)
{
    json_t *o = me_json(r, r->who->user_id);
    return o ? reply_json(r, 200, o) : req_store_fail(r);
}

static enum err change_password(struct req *r)
{
    static const char *const allowed[] = {"old_password", "new_password", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *old = jv_str(&v, "old_password", true, 256);
    const char *new_pw = jv_str(&v, "new_password", true, 256);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    if (!user_password_matches(r->db, r->who->user_id, old))
        return req_fail(r, ERR_RULE, "old_password", "原密码不正确");
    if (strcmp(old, new_pw) == 0)
        return req_fail(r, ERR_RULE, "new_password", "新密码不能与原密码相同");
    struct problem w = {0};
    if (user_set_password(r->db, r->who->user_id, new_pw, false, r->now, &w) != OK) {
        if (!w.field[0]) return req_fail_problem(r, &w);
        return req_fail(r, w.err, "new_password", "%s", w.msg);
    }
    /* Other sessions, API tokens and calendar feeds of this account end: whoever knew the old
     * password is out. */
    enum err e = user_revoke_access(r->db, r->who->user_id, r->who->session_id, r->now);
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "user:%lld", r->who->user_id);
    json_t *o = me_json(r, r->who->user_id);
    return o ? reply_json(r, 200, o) : req_store_fail(r);
}

static bool token_row(void *ctx, const struct apitoken *t)
{
    json_t *scopes = json_array();
    if (strstr(t->scopes, "read")) json_array_append_new(scopes, json_string("read"));
    if (strstr(t->scopes, "write")) json_array_append_new(scopes, json_string("write"));
    json_t *revoked = t->revoked_at ? json_integer(t->revoked_at) : json_null();
    json_array_append_new(ctx, json_pack("{s:I,s:s,s:o,s:I,s:I,s:o}", "id", t->id, "name", t->name,
                                         "scopes", scopes, "created_at", t->created_at,
                                         "expires_at", t->expires_at, "revoked_at", revoked));
    return true;
}

static enum err list_tokens(struct req *r)
{
    json_t *items = json_array();
    enum err e = apitokens_each(r->db, r->who->user_id, token_row, items);
    if (e != OK) {
        json_decref(items);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next_cursor"));
}

static enum err create_token(struct req *r)
{
    static const char *const allowed[] = {"name", "scopes", "expires_in_days", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *name = jv_str(&v, "name", true, 100);
    json_t *scopes = jv_str_array(&v, "scopes", true, 2, 8);
    int max_days = policy_get(r->db, r->now)->token_max_days; /* secadmin's policy */
    long long days =
        jv_int(&v, "expires_in_days", false, 1, max_days, max_days < 90 ? max_days : 90);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    bool rd = false, wr = false;
    size_t i;
    json_t *s;
    json_array_foreach(scopes, i, s)
    {
        if (strcmp(json_string_value(s), "read") == 0)
            rd = true;
        else if (strcmp(json_string_value(s), "write") == 0)
            wr = true;
        else
            return req_fail(r, ERR_RULE, "scopes", "权限范围只能是 read 或 write");
    }
    char token[CRYPTO_TOKEN_CHARS];
    const char *sc = rd && wr ? "read write" : wr ? "write" : "read";
    long long id;
    long long expires = r->now + days * 86400;
    enum err e = apitoken_create(r->db, r->who->user_id, name, sc, r->now, expires, token, &id);
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "api_token:%lld", id);
    req_secret_answer(r, "token");
    return reply_json(r, 201,
                      json_pack("{s:I,s:s,s:s,s:I}", "id", id, "token", token, "scopes", sc,
                                "expires_at", expires));
}

static enum err revoke_token(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    enum err e = apitoken_revoke(r->db, r->who->user_id, id, r->now);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "id", "令牌不存在或已吊销");
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "api_token:%lld", id);
    return reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

const struct route session_routes[] = {
    {M_POST, "/api/v1/session", PERM_PUBLIC, BODY_JSON, "session.create", login,
     ROUTE_LOGIN | ROUTE_ALLOW_PW_CHANGE},
    {M_DELETE, "/api/v1/session", PERM_LOGGED_IN, BODY_NONE, "session.delete", logout,
     ROUTE_ALLOW_PW_CHANGE},
    {M_GET, "/api/v1/me", PERM_LOGGED_IN, BODY_NONE, NULL, me, ROUTE_ALLOW_PW_CHANGE},
    {M_PUT, "/api/v1/me/password", PERM_LOGGED_IN, BODY_JSON, "user.password_change",
     change_password, ROUTE_ALLOW_PW_CHANGE | ROUTE_SESSION_ONLY},
    {M_GET, "/api/v1/tokens", PERM_LOGGED_IN, BODY_NONE, NULL, list_tokens, 0},
    {M_POST, "/api/v1/tokens", PERM_LOGGED_IN, BODY_JSON, "api_token.create", create_token,
     ROUTE_SESSION_ONLY},
    {M_DELETE, "/api/v1/tokens/{id}", PERM_LOGGED_IN, BODY_NONE, "api_token.revoke", revoke_token,
     ROUTE_OWN_USER},
    {0},
};
