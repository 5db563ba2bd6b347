/* api_qr.c - routes of the qr area: a signed-in account's own code (JSON text, PNG, SVG; a fresh
 * code valid QR_PERSON_TTL seconds on every request, never stored), and the desk's scan (verify
 * and, for single-use purposes, redeem once) and verify (check only). Who may scan: the
 * permission qr_scan (office, unit_admin, unit_reporter: the staff who run activities and open
 * days; org/perm.c). Parse, call qr.h, render. */
#include "http/route.h"
#include "http/server.h"
#include "base/jv.h"
#include "citizen/citizen.h"
#include "org/users.h"
#include "qr/qr.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The caller's own code: an official's (person) or, on the portal's routes, a citizen's. */
static enum qr_purpose own_purpose(const struct req *r)
{
    return r->who->citizen_id > 0 ? QR_CITIZEN : QR_PERSON;
}

static long long own_subject(const struct req *r)
{
    return r->who->citizen_id > 0 ? r->who->citizen_id : r->who->user_id;
}

static enum err own_code(struct req *r, char text[QR_TEXT_MAX])
{
    if (qr_issue(&r->app->keys, own_purpose(r), own_subject(r), QR_PERSON_TTL, r->now, text) != OK)
        return req_fail(r, ERR_INTERNAL, NULL, "二维码生成失败");
    return OK;
}

static enum err my_qr(struct req *r)
{
    char text[QR_TEXT_MAX];
    enum err e = own_code(r, text);
    if (e != OK) return e;
    return reply_json(r, 200,
                      json_pack("{s:s,s:s,s:s,s:I,s:I}", "code", text, "purpose",
                                qr_purpose_name(own_purpose(r)), "purpose_label",
                                qr_purpose_label(own_purpose(r)), "subject_id", own_subject(r),
                                "expires_at", r->now + QR_PERSON_TTL));
}

/* Copies malloc'd bytes into the request's arena (raw answers live there) and frees them. */
static enum err reply_owned(struct req *r, const char *type, void *data, size_t len)
{
    void *copy = arena_alloc(r->a, len);
    memcpy(copy, data, len);
    free(data);
    return reply_raw(r, 200, type, copy, len, NULL);
}

static enum err my_qr_png(struct req *r)
{
    long long scale;
    enum err e = req_query_int(r, "scale", 1, 16, 8, &scale);
    if (e != OK) return e;
    char text[QR_TEXT_MAX];
    if ((e = own_code(r, text)) != OK) return e;
    unsigned char *png;
    size_t len;
    if (qr_png(text, (int)scale, &png, &len) != OK)
        return req_fail(r, ERR_INTERNAL, NULL, "二维码生成失败");
    return reply_owned(r, "image/png", png, len);
}

static enum err my_qr_svg(struct req *r)
{
    char text[QR_TEXT_MAX];
    enum err e = own_code(r, text);
    if (e != OK) return e;
    char *svg;
    size_t len;
    if (qr_svg(text, &svg, &len) != OK) return req_fail(r, ERR_INTERNAL, NULL, "二维码生成失败");
    return reply_owned(r, "image/svg+xml", svg, len);
}

/* Reads {code, purpose, subject_id?}; a bad field is answered. */
static enum err scan_input(struct req *r, const char **code, enum qr_purpose *want,
                           long long *subject)
{
    static const char *const allowed[] = {"code", "purpose", "subject_id", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    *code = jv_str(&v, "code", true, QR_TEXT_MAX - 1);
    const char *purpose = jv_str(&v, "purpose", true, 16);
    *subject = jv_int(&v, "subject_id", false, 1, (long long)(~0ULL >> 1), 0);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    if (!qr_purpose_parse(purpose, want))
        return req_fail(r, ERR_RULE, "purpose",
                        "purpose 应为 checkin（活动签到）、booking（预约入场）、voucher（兑换券）、"
                        "person（个人码）或 citizen（市民码）");
    return OK;
}

static json_t *claim_json(const struct qr_claim *c, bool redeemed, long long now)
{
    return json_pack("{s:b,s:s,s:s,s:I,s:I,s:b,s:o}", "valid", 1, "purpose",
                     qr_purpose_name(c->purpose), "purpose_label", qr_purpose_label(c->purpose),
                     "subject_id", c->subject_id, "expires_at", c->expires_at, "single_use",
                     qr_single_use(c->purpose), "redeemed_at",
                     redeemed ? json_integer(now) : json_null());
}

/* A person's code names an account: the desk sees who it is, and a disabled or removed account's
 * code is refused (it may be up to QR_PERSON_TTL seconds old). */
static enum err person(struct req *r, long long id, json_t *answer)
{
    struct user_info u;
    enum err e = user_get(r->db, id, &u);
    if (e == ERR_NOT_FOUND || (e == OK && u.disabled))
        return req_fail(r, ERR_RULE, "subject_id", "该个人码的账号不存在或已停用");
    if (e != OK) return req_fail_err(r, e);
    json_object_set_new(answer, "person",
                        json_pack("{s:I,s:s,s:s}", "id", u.id, "display_name", u.display_name,
                                  "unit_name", u.unit_name));
    return OK;
}

/* A citizen's code: the desk learns only what areas may know (verified, minor, child), and a
 * deleted account's code is refused. */
static enum err citizen(struct req *r, long long id, json_t *answer)
{
    struct citizen_brief b;
    enum err e = citizen_get(r->db, id, r->now, &b);
    if (e == ERR_NOT_FOUND || (e == OK && !b.active))
        return req_fail(r, ERR_RULE, "subject_id", "该市民码的账号不存在或已注销");
    if (e != OK) return req_fail_err(r, e);
    json_object_set_new(answer, "citizen",
                        json_pack("{s:I,s:b,s:b,s:b}", "id", b.id, "verified", b.verified, "minor",
                                  b.minor, "child", b.child));
    return OK;
}

static enum err scan(struct req *r, bool redeem)
{
    const char *code;
    enum qr_purpose want;
    long long subject;
    enum err e = scan_input(r, &code, &want, &subject);
    if (e != OK) return e;
    struct qr_claim c;
    struct problem p = {0};
    if (redeem)
        e = qr_redeem(r->db, &r->app->keys, code, want, subject, r->who->user_id, r->now, &c, &p);
    else
        e = qr_check(r->db, &r->app->keys, code, want, subject, r->now, &c, &p);
    if (e != OK && p.msg[0]) {
        /* a refused code (forged, expired, replayed …) is audited as a failure: the transaction
         * holds nothing else (a refused redemption wrote nothing), so it is committed */
        r->audit_detail = arena_printf(r->a, "refused: %s", p.field);
        r->keep_tx_on_error = true;
        return req_fail_problem(r, &p);
    }
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "qr:%s:%lld", qr_purpose_name(c.purpose), c.subject_id);
    r->audit_detail = arena_printf(r->a, "nonce %s", c.nonce);
    json_t *answer = claim_json(&c, redeem && qr_single_use(c.purpose), r->now);
    if ((c.purpose == QR_PERSON && (e = person(r, c.subject_id, answer)) != OK) ||
        (c.purpose == QR_CITIZEN && (e = citizen(r, c.subject_id, answer)) != OK)) {
        json_decref(answer);
        return e;
    }
    return reply_json(r, 200, answer);
}

static enum err scan_route(struct req *r)
{
    return scan(r, true);
}

static enum err verify_route(struct req *r)
{
    return scan(r, false);
}

/* The public key that verifies the codes, for a scanner app or a partner's that checks them
 * offline (it still needs a redeeming scan for single use). */
static enum err public_key(struct req *r)
{
    char b64[64];
    sodium_bin2base64(b64, sizeof b64, r->app->keys.qr_pk, sizeof r->app->keys.qr_pk,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return reply_json(r, 200,
                      json_pack("{s:s,s:s,s:s}", "algorithm", "Ed25519", "public_key", b64,
                                "format", QR_FORMAT_DOC));
}

const struct route qr_routes[] = {
    {M_GET, "/api/v1/me/qr", PERM_LOGGED_IN, BODY_NONE, NULL, my_qr, 0},
    {M_GET, "/api/v1/me/qr.png", PERM_LOGGED_IN, BODY_NONE, NULL, my_qr_png, 0},
    {M_GET, "/api/v1/me/qr.svg", PERM_LOGGED_IN, BODY_NONE, NULL, my_qr_svg, 0},
    {M_GET, "/api/v1/qr/public-key", PERM_PUBLIC, BODY_NONE, NULL, public_key, 0},
    {M_GET, "/api/v1/citizen/me/qr", PERM_CITIZEN, BODY_NONE, NULL, my_qr, 0},
    {M_GET, "/api/v1/citizen/me/qr.png", PERM_CITIZEN, BODY_NONE, NULL, my_qr_png, 0},
    {M_GET, "/api/v1/citizen/me/qr.svg", PERM_CITIZEN, BODY_NONE, NULL, my_qr_svg, 0},
    {M_POST, "/api/v1/qr/scan", PERM_QR_SCAN, BODY_JSON, "qr.scan", scan_route, 0},
    {M_POST, "/api/v1/qr/verify", PERM_QR_SCAN, BODY_JSON, "qr.verify", verify_route, 0},
    {0},
};
