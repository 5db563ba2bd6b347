/* citizen_rules.c - the pure rules of public accounts (see citizen.h): the mobile number, the
 * password, the resident ID number (GB 11643: structure and birth date through base/validate,
 * the check digit and the age derived here), the unified social credit code (GB 32100), the
 * one-time code's verdict and send limits, organisation kinds and member roles. No store, no
 * HTTP; tested in tests/unit/test_citizen.c with hand-worked examples. */
#include "citizen/citizen.h"
#include "base/date.h"
#include "base/validate.h"
#include <stdio.h>
#include <string.h>

bool citizen_phone_check(const char *phone, struct problem *p)
{
    const char *why = val_mobile(phone);
    if (why) problem_set(p, ERR_RULE, "phone", "%s（须为中国大陆11位手机号）", why);
    return !why;
}

bool citizen_password_check(const char *pw, const char *phone, struct problem *p)
{
    const char *why = val_password(pw, phone);
    if (why) problem_set(p, ERR_RULE, "password", "%s", why);
    return !why;
}

bool citizen_birth_on(const char *date, int today, struct citizen_birth *b)
{
    int days;
    if (!date || !date_parse(date, &days) || days > today) return false;
    date_to_ymd(days, &b->y, &b->m, &b->d);
    int ty, tm, td;
    date_to_ymd(today, &ty, &tm, &td);
    b->age = ty - b->y - ((tm < b->m || (tm == b->m && td < b->d)) ? 1 : 0);
    b->child = b->age < CITIZEN_CHILD_AGE;
    b->minor = b->age < CITIZEN_ADULT_AGE;
    snprintf(b->date, sizeof b->date, "%s", date);
    return true;
}

bool citizen_id_check(const char *id, int today, struct citizen_birth *b, struct problem *p)
{
    const char *why = val_resident_id_at(id, today);
    if (why) {
        problem_set(p, ERR_RULE, "id_number", "%s", why);
        return false;
    }
    char date[11];
    snprintf(date, sizeof date, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
    return citizen_birth_on(date, today, b);
}

bool citizen_uscc_check(const char *code, struct problem *p)
{
    const char *why = val_uscc(code);
    if (why) problem_set(p, ERR_RULE, "uscc", "%s", why);
    return !why;
}

enum otp_verdict citizen_otp_judge(const struct otp_state *s, long long now)
{
    if (!s->exists) return OTP_NONE;
    if (s->used_at) return OTP_USED;
    if (s->tries >= CITIZEN_OTP_TRIES) return OTP_LOCKED;
    if (now >= s->expires_at) return OTP_EXPIRED;
    return s->matches ? OTP_OK : OTP_WRONG;
}

void citizen_otp_problem(enum otp_verdict v, int tries_left, int *retry, struct problem *p)
{
    *retry = 0;
    switch (v) {
    case OTP_OK:
        break;
    case OTP_NONE:
        problem_set(p, ERR_RULE, "code", "请先获取短信验证码");
        break;
    case OTP_EXPIRED:
        problem_set(p, ERR_RULE, "code", "验证码已过期（有效期%d分钟），请重新获取",
                    CITIZEN_OTP_TTL / 60);
        break;
    case OTP_USED:
        problem_set(p, ERR_CONFLICT, "code", "验证码已使用过，请重新获取");
        break;
    case OTP_WRONG:
        if (tries_left > 0) {
            problem_set(p, ERR_RULE, "code", "验证码不正确，还可尝试%d次", tries_left);
            break;
        }
        /* the last try was wrong: locked from now on */
        /* fall through */
    case OTP_LOCKED:
        *retry = CITIZEN_OTP_RESEND;
        problem_set(p, ERR_RATE, "code",
                    "验证码错误次数过多（%d次），该验证码已失效，请%d秒后重新获取",
                    CITIZEN_OTP_TRIES, CITIZEN_OTP_RESEND);
        break;
    }
}

long long citizen_otp_wait(long long last_sent, long long phone_hour, long long ip_hour,
                           long long oldest_phone, long long oldest_ip, long long now,
                           struct problem *p)
{
    long long wait = 0;
    if (ip_hour >= CITIZEN_OTP_IP_HOUR) {
        wait = oldest_ip + 3600 - now;
        problem_set(p, ERR_RATE, "", "本网络获取验证码过于频繁，请%lld分钟后再试",
                    (wait + 59) / 60);
    } else if (phone_hour >= CITIZEN_OTP_PHONE_HOUR) {
        wait = oldest_phone + 3600 - now;
        problem_set(p, ERR_RATE, "phone", "该手机号一小时内最多获取%d次验证码，请%lld分钟后再试",
                    CITIZEN_OTP_PHONE_HOUR, (wait + 59) / 60);
    } else if (last_sent && now - last_sent < CITIZEN_OTP_RESEND) {
        wait = last_sent + CITIZEN_OTP_RESEND - now;
        problem_set(p, ERR_RATE, "phone", "验证码已发送，请%lld秒后再重新获取", wait);
    }
    return wait > 0 ? wait : 0;
}

static const char *const kinds[][2] = {
    {"volunteer_org", "志愿服务组织"},
    {"facility_operator", "环保设施运营单位"},
    {"school", "学校"},
    {"enterprise", "企业"},
    {"social_org", "环保社会组织"},
};

bool citizen_org_kind_valid(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kind, kinds[i][0]) == 0) return true;
    return false;
}

const char *citizen_org_kind_label(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kind, kinds[i][0]) == 0) return kinds[i][1];
    return kind ? kind : "";
}

bool citizen_org_role_valid(const char *role)
{
    return role && (strcmp(role, "org_admin") == 0 || strcmp(role, "org_staff") == 0);
}

const char *citizen_org_role_label(const char *role)
{
    return !role                            ? ""
           : strcmp(role, "org_admin") == 0 ? "管理员"
           : strcmp(role, "org_staff") == 0 ? "工作人员"
                                            : role;
}

const char *citizen_org_status_label(const char *status)
{
    return !status                           ? ""
           : strcmp(status, "pending") == 0  ? "待审核"
           : strcmp(status, "accepted") == 0 ? "已通过"
           : strcmp(status, "returned") == 0 ? "已退回"
                                             : status;
}

json_t *citizen_org_kinds_json(void)
{
    json_t *a = json_array();
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        json_array_append_new(a, json_pack("{s:s,s:s}", "kind", kinds[i][0], "label", kinds[i][1]));
    return a;
}

/* What a member with this role may do with a registration in this status: an org_admin adds
 * members at any time, and corrects and files again a returned registration. */
json_t *citizen_org_member_actions(const char *role, const char *status)
{
    json_t *a = json_array();
    bool admin = role && strcmp(role, "org_admin") == 0;
    if (admin) json_array_append_new(a, json_string("add_member"));
    if (admin && status && strcmp(status, "returned") == 0)
        json_array_append_new(a, json_string("resubmit"));
    return a;
}
