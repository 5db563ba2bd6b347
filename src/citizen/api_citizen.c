/* api_citizen.c - the routes of public accounts (/api/v1/citizen/…; the contract is
 * docs/openapi.yaml): the privacy notice, one-time codes, registration, log-in and log-out
 * (the public cookie PUBLIC_SESSION_COOKIE, never the officials' one), the person's data, its
 * correction and download, the change of phone and deletion (the password again), real name,
 * guardians and consents. Parse (jv), call citizen.h, render. Organisations' routes are in
 * api_citizen_org.c. */
#include "citizen/citizen.h"
#include "http/route.h"
#include "http/server.h"
#include <stdio.h>
#include <string.h>

/* The service's problem (or, when it set none, the storage error) as the answer. */
static enum err fail(struct req *r, enum err e, const struct problem *p)
{
    if (p->err != OK) return req_fail_problem(r, p);
    return e == ERR_NOT_FOUND ? req_fail(r, e, NULL, "账号不存在") : req_fail_err(r, e);
}

static void set_cookie(struct req *r, const char *token, long long max_age)
{
    const char *proto = r->app->opts.trust_proxy ? req_header(r, "X-Forwarded-Proto") : NULL;
    bool secure = proto && strcmp(proto, "https") == 0;
    r->set_cookie = arena_printf(r->a, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
                                 PUBLIC_SESSION_COOKIE, token, max_age, secure ? "; Secure" : "");
}

/* The audit row and the answer name the account (a citizen, not an official). */
static void as_citizen(struct req *r, long long id)
{
    struct principal *p = arena_alloc(r->a, sizeof *p);
    memset(p, 0, sizeof *p);
    p->citizen_id = id;
    p->user_id = -id;
    p->username = arena_printf(r->a, "citizen:%lld", id);
    r->who = p;
    r->audit_object = arena_printf(r->a, "citizen:%lld", id);
}

static enum err privacy(struct req *r)
{
    return reply_json(
        r, 200,
        json_pack(
            "{s:s,s:s,s:s,s:s}", "version", CITIZEN_PRIVACY_VERSION, "notice",
            "生态宣教平台收集您的手机号（注册、登录、接收通知）、昵称，以及您选择提供的实名信息，"
            "用于参加志愿服务、积分等活动；不向第三方提供；您可随时查看、下载、更正、撤回同意或注销"
            "账号。",
            "sensitive",
            "身份证号属于敏感个人信息，仅用于实名认证和“一人一号”，加密保存；工作人员只能看到脱敏后"
            "的号码。",
            "child",
            "不满十四周岁未成年人的个人信息属于敏感个人信息，须经监护人同意，监护人账号与儿童账号关"
            "联。"));
}

static enum err send_code(struct req *r)
{
    static const char *const allowed[] = {"phone", "purpose", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *phone = jv_str(&v, "phone", true, 32);
    const char *purpose = jv_str(&v, "purpose", false, 16);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    enum err e = citizen_otp_send(r->db, &r->app->keys, phone, purpose ? purpose : "register",
                                  r->ip, r->now, &r->retry_after, &p);
    if (e == ERR_RATE) { /* nothing was written: the transaction keeps only its audit row */
        r->keep_tx_on_error = true;
        r->denied = true;
        r->audit_detail = "too many codes requested";
    }
    if (e != OK) return fail(r, e, &p);
    r->audit_detail = purpose ? purpose : "register";
    return reply_json(r, 202,
                      json_pack("{s:b,s:i,s:i}", "sent", 1, "expires_in", CITIZEN_OTP_TTL,
                                "resend_after", CITIZEN_OTP_RESEND));
}

static enum err registration(struct req *r)
{
    static const char *const allowed[] = {"phone", "code", "password", "privacy_version", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *phone = jv_str(&v, "phone", true, 32);
    const char *code = jv_str(&v, "code", true, 16);
    const char *password = jv_str(&v, "password", true, 256);
    const char *version = jv_str(&v, "privacy_version", true, 32);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    if (!citizen_phone_check(phone, &p) || !citizen_password_check(password, phone, &p))
        return req_fail_problem(r, &p);
    enum err e = citizen_otp_take(r->db, &r->app->keys, phone, "register", code, r->now,
                                  &r->retry_after, &p);
    if (e != OK) {
        r->keep_tx_on_error = true; /* the wrong try counts */
        r->denied = e == ERR_RATE;  /* brute force: audited as denied */
        return fail(r, e, &p);
    }
    long long id;
    e = citizen_register(r->db, &r->app->keys, phone, password, version, r->now, &id, &p);
    char token[CITIZEN_TOKEN_MAX];
    if (e == OK) e = citizen_session_new(r->db, id, r->now, token);
    if (e != OK) return fail(r, e, &p);
    as_citizen(r, id);
    set_cookie(r, token, CITIZEN_SESSION_MAX);
    json_t *me = citizen_data_json(r->db, &r->app->keys, id, r->now, false);
    return me ? reply_json(r, 201, me) : req_store_fail(r);
}

static enum err reset_password(struct req *r)
{
    static const char *const allowed[] = {"phone", "code", "password", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *phone = jv_str(&v, "phone", true, 32);
    const char *code = jv_str(&v, "code", true, 16);
    const char *password = jv_str(&v, "password", true, 256);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    if (!citizen_phone_check(phone, &p) || !citizen_password_check(password, phone, &p))
        return req_fail_problem(r, &p);
    enum err e = citizen_otp_take(r->db, &r->app->keys, phone, "reset_password", code, r->now,
                                  &r->retry_after, &p);
    if (e != OK) {
        r->keep_tx_on_error = true; /* the wrong try counts */
        r->denied = e == ERR_RATE;
        return fail(r, e, &p);
    }
    long long id;
    e = citizen_password_reset(r->db, &r->app->keys, phone, password, r->now, &id, &p);
    if (e != OK) return fail(r, e, &p);
    as_citizen(r, id);
    return reply_json(r, 200, json_pack("{s:b}", "reset", 1));
}

static enum err login(struct req *r)
{
    static const char *const allowed[] = {"phone", "password", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *phone = jv_str(&v, "phone", true, 32);
    const char *password = jv_str(&v, "password", true, 256);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    r->keep_tx_on_error = true; /* failure counters must stick */
    struct problem p = {0};
    long long id;
    char token[CITIZEN_TOKEN_MAX];
    enum err e = citizen_login(r->db, &r->app->keys, phone, password, r->now, &id, token,
                               &r->retry_after, &p);
    if (e != OK) return fail(r, e, &p);
    as_citizen(r, id);
    set_cookie(r, token, CITIZEN_SESSION_MAX);
    json_t *me = citizen_data_json(r->db, &r->app->keys, id, r->now, false);
    return me ? reply_json(r, 200, me) : req_store_fail(r);
}

/* The public cookie's value in this request, or NULL. */
static const char *public_token(struct req *r)
{
    const char *c = req_header(r, "Cookie");
    size_t n = strlen(PUBLIC_SESSION_COOKIE);
    for (const char *at = c; at && (at = strstr(at, PUBLIC_SESSION_COOKIE)); at += n) {
        if ((at == c || at[-1] == ' ' || at[-1] == ';') && at[n] == '=') {
            size_t len = strcspn(at + n + 1, ";");
            return len < CITIZEN_TOKEN_MAX ? arena_printf(r->a, "%.*s", (int)len, at + n + 1)
                                           : NULL;
        }
    }
    return NULL;
}

static enum err logout(struct req *r)
{
    enum err e = citizen_logout(r->db, public_token(r));
    if (e != OK) return req_fail_err(r, e);
    set_cookie(r, "", 0);
    return reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static enum err me(struct req *r)
{
    json_t *o = citizen_data_json(r->db, &r->app->keys, r->who->citizen_id, r->now, false);
    return o ? reply_json(r, 200, o) : req_store_fail(r);
}

static enum err correct(struct req *r)
{
    static const char *const allowed[] = {"nickname", "name", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *nick = jv_str(&v, "nickname", false, CITIZEN_NAME_MAX);
    const char *name = jv_str(&v, "name", false, CITIZEN_NAME_MAX);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    enum err e = citizen_correct(r->db, &r->app->keys, r->who->citizen_id, nick, name, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return me(r);
}

/* The password again (the first field of a sensitive step's body); failures count. */
static enum err reauth(struct req *r, const char *password)
{
    struct problem p = {0};
    enum err e = citizen_reauth(r->db, r->who->citizen_id, password, r->now, &r->retry_after, &p);
    if (e == OK) return OK;
    r->keep_tx_on_error = true;
    r->audit_detail = "re-authentication failed";
    return fail(r, e, &p);
}

/* The download: clear values, the person's own; never stored as an idempotent answer. */
static enum err export(struct req *r) {
    static const char *const allowed[] = {"password", NULL}; struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *password = jv_str(&v, "password", false, 256);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    enum err e = reauth(r, password);
    if (e != OK) return e;
    json_t *d = citizen_data_json(r->db, &r->app->keys, r->who->citizen_id, r->now, true);
    if (!d) return req_store_fail(r);
    req_secret_answer(r, "data");
    r->audit_detail = "personal data downloaded";
    return reply_json(r, 200,
                      json_pack("{s:o,s:I,s:s}", "data", d, "exported_at", r->now, "format",
                                "ecoact-personal-data/1"));
}

static enum err change_phone(struct req *r)
{
    static const char *const allowed[] = {"password", "phone", "code", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *password = jv_str(&v, "password", false, 256);
    const char *phone = jv_str(&v, "phone", true, 32);
    const char *code = jv_str(&v, "code", true, 16);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    enum err e = reauth(r, password);
    if (e != OK) return e;
    struct problem p = {0};
    e = citizen_otp_take(r->db, &r->app->keys, phone, "change_phone", code, r->now, &r->retry_after,
                         &p);
    if (e != OK) {
        r->keep_tx_on_error = true;
        return fail(r, e, &p);
    }
    e = citizen_change_phone(r->db, &r->app->keys, r->who->citizen_id, phone, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return me(r);
}

/* A new password, the current one given again; this device stays signed in, others end. */
static enum err change_password(struct req *r)
{
    static const char *const allowed[] = {"password", "new_password", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *password = jv_str(&v, "password", false, 256);
    const char *fresh = jv_str(&v, "new_password", true, 256);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    enum err e = reauth(r, password);
    if (e != OK) return e;
    struct problem p = {0};
    char token[CITIZEN_TOKEN_MAX];
    e = citizen_password_change(r->db, &r->app->keys, r->who->citizen_id, password, fresh, r->now,
                                token, &p);
    if (e != OK) return fail(r, e, &p);
    set_cookie(r, token, CITIZEN_SESSION_MAX);
    return reply_json(r, 200, json_pack("{s:b}", "changed", 1));
}

static enum err delete_me(struct req *r)
{
    static const char *const allowed[] = {"password", NULL};
    const char *password = NULL;
    if (r->json) { /* a DELETE without a body gets none: then the password is missing */
        struct jv v = {0};
        jv_begin(&v, r->json, allowed);
        password = jv_str(&v, "password", false, 256);
        if (!jv_ok(&v)) return req_fail_jv(r, &v);
    }
    enum err e = reauth(r, password);
    if (e != OK) return e;
    struct problem p = {0};
    e = citizen_delete(r->db, r->who->citizen_id, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    set_cookie(r, "", 0);
    r->audit_detail = "account deleted (anonymised)";
    return reply_json(r, 200, json_pack("{s:b,s:I}", "deleted", 1, "id", r->who->citizen_id));
}

static enum err realname(struct req *r)
{
    static const char *const allowed[] = {"name", "id_number", "sensitive_consent", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *name = jv_str(&v, "name", true, CITIZEN_NAME_MAX);
    const char *idno = jv_str(&v, "id_number", true, 18);
    const char *consent = jv_str(&v, "sensitive_consent", true, 32);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    const char *status;
    enum err e = citizen_realname(r->db, &r->app->keys, r->who->citizen_id, name, idno, consent,
                                  r->now, &status, &p);
    if (e != OK) return fail(r, e, &p);
    json_t *d = citizen_data_json(r->db, &r->app->keys, r->who->citizen_id, r->now, false);
    if (!d) return req_store_fail(r);
    json_t *rn = json_incref(json_object_get(d, "realname"));
    json_decref(d);
    return reply_json(r, 200, rn);
}

static enum err guardian(struct req *r)
{
    static const char *const allowed[] = {"guardian_phone", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *phone = jv_str(&v, "guardian_phone", true, 32);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    long long g;
    enum err e =
        citizen_guardian_request(r->db, &r->app->keys, r->who->citizen_id, phone, r->now, &g, &p);
    if (e != OK) return fail(r, e, &p);
    return reply_json(r, 200, json_pack("{s:I,s:s}", "guardian_id", g, "status", "pending"));
}

static enum err ward_consent(struct req *r)
{
    long long child;
    if (req_param_id(r, "id", &child) != OK) return ERR_NOT_FOUND;
    static const char *const allowed[] = {"approve", "consent_version", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    bool approve = jv_bool(&v, "approve", true, false);
    const char *version = jv_str(&v, "consent_version", false, 32);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    r->audit_object = arena_printf(r->a, "citizen:%lld", child);
    enum err e =
        citizen_guardian_decide(r->db, r->who->citizen_id, child, approve, version, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return reply_json(
        r, 200,
        json_pack("{s:I,s:s}", "child_id", child, "status", approve ? "approved" : "refused"));
}

static enum err ward_withdraw(struct req *r)
{
    long long child;
    if (req_param_id(r, "id", &child) != OK) return ERR_NOT_FOUND;
    r->audit_object = arena_printf(r->a, "citizen:%lld", child);
    struct problem p = {0};
    enum err e = citizen_ward_withdraw(r->db, r->who->citizen_id, child, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return reply_json(r, 200, json_pack("{s:I,s:s}", "child_id", child, "status", "withdrawn"));
}

static enum err withdraw(struct req *r)
{
    const char *kind = req_param(r, "kind");
    struct problem p = {0};
    enum err e = citizen_consent_withdraw(r->db, r->who->citizen_id, kind, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_detail = kind;
    return me(r);
}

const struct route citizen_routes[] = {
    {M_GET, "/api/v1/citizen/privacy", PERM_PUBLIC, BODY_NONE, NULL, privacy, 0},
    {M_POST, "/api/v1/citizen/otp", PERM_PUBLIC, BODY_JSON, "citizen.otp", send_code, ROUTE_LOGIN},
    {M_POST, "/api/v1/citizen/register", PERM_PUBLIC, BODY_JSON, "citizen.register", registration,
     ROUTE_LOGIN},
    {M_POST, "/api/v1/citizen/session", PERM_PUBLIC, BODY_JSON, "citizen.login", login,
     ROUTE_LOGIN},
    {M_POST, "/api/v1/citizen/password-reset", PERM_PUBLIC, BODY_JSON, "citizen.password_reset",
     reset_password, ROUTE_LOGIN},
    {M_DELETE, "/api/v1/citizen/session", PERM_CITIZEN, BODY_NONE, "citizen.logout", logout, 0},
    {M_GET, "/api/v1/citizen/me", PERM_CITIZEN, BODY_NONE, NULL, me, 0},
    {M_PATCH, "/api/v1/citizen/me", PERM_CITIZEN, BODY_JSON, "citizen.correct", correct, 0},
    {M_DELETE, "/api/v1/citizen/me", PERM_CITIZEN, BODY_JSON, "citizen.delete", delete_me, 0},
    {M_POST, "/api/v1/citizen/me/export", PERM_CITIZEN, BODY_JSON, "citizen.export", export, 0},
    {M_POST, "/api/v1/citizen/me/phone", PERM_CITIZEN, BODY_JSON, "citizen.phone", change_phone, 0},
    {M_POST, "/api/v1/citizen/me/password", PERM_CITIZEN, BODY_JSON, "citizen.password",
     change_password, 0},
    {M_POST, "/api/v1/citizen/me/realname", PERM_CITIZEN, BODY_JSON, "citizen.realname", realname,
     0},
    {M_POST, "/api/v1/citizen/me/guardian", PERM_CITIZEN, BODY_JSON, "citizen.guardian", guardian,
     0},
    {M_POST, "/api/v1/citizen/me/consents/{kind}/withdraw", PERM_CITIZEN, BODY_NONE,
     "citizen.consent_withdraw", withdraw, 0},
    {M_POST, "/api/v1/citizen/wards/{id}/consent", PERM_CITIZEN, BODY_JSON, "citizen.ward_consent",
     ward_consent, ROUTE_OWN_USER},
    {M_POST, "/api/v1/citizen/wards/{id}/withdraw", PERM_CITIZEN, BODY_NONE,
     "citizen.ward_withdraw", ward_withdraw, ROUTE_OWN_USER},
    {0},
};
