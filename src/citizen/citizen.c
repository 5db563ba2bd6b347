/* citizen.c - the services of public accounts (see citizen.h): one-time codes (sent through the
 * notify area's outbox_direct, kept only as keyed hashes), registration, log-in, the public
 * sessions the server resolves, re-authentication for sensitive steps, the change of phone
 * number. Real name, guardians, consents, data and deletion are in citizen_rights.c. The SQL is
 * in store_citizen.c. Inside the caller's transaction where it writes. */
#include "citizen/citizen.h"
#include "base/gen.h"
#include "base/validate.h"
#include "citizen/citizen_store.h"
#include "http/req.h"
#include "notify/notify.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PHONE_FIELD "citizen.phone"

static void phone_hash(const struct keys *k, const char *phone, char out[CRYPTO_HASH_HEX])
{
    pii_lookup_hash(k, PHONE_FIELD, phone, out);
}

/* The code's keyed hash binds the number and the purpose: a code for one is nothing for another. */
static void code_hash(const struct keys *k, const char *ph, const char *purpose, const char *code,
                      char out[CRYPTO_HASH_HEX])
{
    char buf[CRYPTO_HASH_HEX + 64];
    snprintf(buf, sizeof buf, "%s|%s|%s", ph, purpose, code);
    pii_lookup_hash(k, "citizen.otp", buf, out);
    sodium_memzero(buf, sizeof buf);
}

static bool purpose_valid(const char *p)
{
    return p && (strcmp(p, "register") == 0 || strcmp(p, "change_phone") == 0 ||
                 strcmp(p, "reset_password") == 0);
}

enum err citizen_otp_send(struct store *db, const struct keys *k, const char *phone,
                          const char *purpose, const char *ip, long long now, int *retry,
                          struct problem *p)
{
    *retry = 0;
    if (!citizen_phone_check(phone, p)) return p->err;
    if (!purpose_valid(purpose))
        return problem_set(p, ERR_RULE, "purpose",
                           "purpose 应为 register（注册）或 change_phone（更换手机号）");
    char ph[CRYPTO_HASH_HEX];
    phone_hash(k, phone, ph);
    struct otp_counts c;
    enum err e = citizen_store_otp_counts(db, ph, ip, now, &c);
    if (e != OK) return e;
    long long wait =
        citizen_otp_wait(c.last_sent, c.phone_hour, c.ip_hour, c.oldest_phone, c.oldest_ip, now, p);
    if (wait > 0) {
        *retry = (int)wait;
        return p->err;
    }
    char code[CITIZEN_OTP_DIGITS + 1];
    for (int i = 0; i < CITIZEN_OTP_DIGITS; i++)
        code[i] = (char)('0' + randombytes_uniform(10));
    code[CITIZEN_OTP_DIGITS] = '\0';
    char ch[CRYPTO_HASH_HEX];
    code_hash(k, ph, purpose, code, ch);
    e = citizen_store_otp_insert(db, ph, purpose, ch, ip, now);
    char text[256];
    snprintf(text, sizeof text,
             "【生态宣教】您的%s验证码为" OUTBOX_SECRET "，%d分钟内有效，请勿告诉他人。",
             strcmp(purpose, "register") == 0       ? "注册"
             : strcmp(purpose, "change_phone") == 0 ? "更换手机号"
                                                    : "找回密码",
             CITIZEN_OTP_TTL / 60);
    if (e == OK) e = outbox_direct_add(db, k, phone, text, code, now + CITIZEN_OTP_TTL, now);
    sodium_memzero(code, sizeof code);
    return e;
}

enum err citizen_otp_take(struct store *db, const struct keys *k, const char *phone,
                          const char *purpose, const char *code, long long now, int *retry,
                          struct problem *p)
{
    *retry = 0;
    if (!citizen_phone_check(phone, p)) return p->err;
    if (!code || strlen(code) != CITIZEN_OTP_DIGITS ||
        strspn(code, "0123456789") != CITIZEN_OTP_DIGITS)
        return problem_set(p, ERR_RULE, "code", "验证码应为%d位数字", CITIZEN_OTP_DIGITS);
    char ph[CRYPTO_HASH_HEX], stored[CRYPTO_HASH_HEX], given[CRYPTO_HASH_HEX];
    phone_hash(k, phone, ph);
    long long id;
    struct otp_state s;
    enum err e = citizen_store_otp_latest(db, ph, purpose, &id, stored, &s);
    if (e != OK) return e;
    code_hash(k, ph, purpose, code, given);
    s.matches = s.exists && crypto_eq(stored, given);
    enum otp_verdict v = citizen_otp_judge(&s, now);
    if (v == OTP_WRONG) {
        e = citizen_store_otp_wrong(db, id);
        if (e != OK) return e;
    }
    if (v == OTP_OK) {
        bool won;
        e = citizen_store_otp_use(db, id, now, &won);
        if (e != OK) return e;
        if (won) return OK;
        v = OTP_USED; /* a concurrent twin took it first */
    }
    citizen_otp_problem(v, CITIZEN_OTP_TRIES - s.tries - 1, retry, p);
    return p->err;
}

enum err citizen_register(struct store *db, const struct keys *k, const char *phone,
                          const char *password, const char *privacy_version, long long now,
                          long long *id, struct problem *p)
{
    *id = 0;
    if (!citizen_password_check(password, phone, p)) return p->err;
    if (!privacy_version || strcmp(privacy_version, CITIZEN_PRIVACY_VERSION) != 0)
        return problem_set(p, ERR_RULE, "privacy_version", "请阅读并同意当前版本（%s）的隐私政策",
                           CITIZEN_PRIVACY_VERSION);
    char pw[crypto_pwhash_STRBYTES];
    if (pw_hash(password, pw, sizeof pw) != OK) return ERR_INTERNAL;
    enum err e = citizen_register_hashed(db, k, phone, pw, now, id, p);
    sodium_memzero(pw, sizeof pw);
    return e;
}

enum err citizen_register_hashed(struct store *db, const struct keys *k, const char *phone,
                                 const char *pw, long long now, long long *id, struct problem *p)
{
    *id = 0;
    if (!citizen_phone_check(phone, p)) return p->err;
    char ph[CRYPTO_HASH_HEX];
    phone_hash(k, phone, ph);
    long long owner;
    enum err e = citizen_store_unique_owner(db, "phone", ph, &owner);
    if (e != OK) return e;
    if (owner)
        return problem_set(p, ERR_CONFLICT, "phone",
                           "该手机号已注册，请直接登录；忘记密码可通过短信验证码找回");
    struct sealed s = {0};
    char mask[12];
    val_mask_mobile(phone, mask);
    e = pii_seal(k, PHONE_FIELD, phone, &s.b, &s.n);
    if (e == OK) e = citizen_store_insert(db, &s, mask, pw, now, id);
    free(s.b);
    if (e == OK) e = citizen_store_unique_claim(db, "phone", ph, *id, now, &owner);
    if (e == OK && owner != *id) /* a concurrent registration of the number won */
        return problem_set(p, ERR_CONFLICT, "phone", "该手机号已注册，请直接登录");
    if (e == OK)
        e = citizen_store_consent_add(db, *id, "privacy", CITIZEN_PRIVACY_VERSION, *id, now);
    return e;
}

/* The cookie value: "<id>.<random>", so a session is found by its account (partitioning). */
enum err citizen_session_new(struct store *db, long long id, long long now,
                             char token[CITIZEN_TOKEN_MAX])
{
    char t[CRYPTO_TOKEN_CHARS], h[CRYPTO_HASH_HEX];
    token_new(t);
    snprintf(token, CITIZEN_TOKEN_MAX, "%lld.%s", id, t);
    token_hash(token, h);
    sodium_memzero(t, sizeof t);
    return citizen_store_session_insert(db, id, h, now);
}

/* A password check that counts failures and locks (the row is the account's). */
static enum err check_password(struct store *db, struct citizen_row *row, const char *password,
                               long long now, int *retry, struct problem *p)
{
    if (row->locked_until > now) {
        *retry = (int)(row->locked_until - now);
        return problem_set(p, ERR_LOCKED, "", "密码错误次数过多，账号已锁定，请%lld分钟后再试",
                           (row->locked_until - now + 59) / 60);
    }
    if (pw_verify(row->pw_hash, password)) {
        if (row->failures) return citizen_store_failures(db, row->id, 0, 0, now);
        return OK;
    }
    long long f = row->failures + 1;
    bool lock = f >= CITIZEN_MAX_FAILURES;
    enum err e = citizen_store_failures(db, row->id, lock ? 0 : f,
                                        lock ? now + CITIZEN_LOCK_SECONDS : 0, now);
    if (e != OK) return e;
    if (lock) {
        *retry = CITIZEN_LOCK_SECONDS;
        return problem_set(p, ERR_LOCKED, "password", "密码错误%d次，账号已锁定%d分钟",
                           CITIZEN_MAX_FAILURES, CITIZEN_LOCK_SECONDS / 60);
    }
    return problem_set(p, ERR_UNAUTHORIZED, "password", "密码不正确，还可尝试%lld次",
                       CITIZEN_MAX_FAILURES - f);
}

enum err citizen_login(struct store *db, const struct keys *k, const char *phone,
                       const char *password, long long now, long long *id,
                       char token[CITIZEN_TOKEN_MAX], int *retry, struct problem *p)
{
    *id = 0;
    *retry = 0;
    token[0] = '\0';
    char ph[CRYPTO_HASH_HEX];
    phone_hash(k, phone ? phone : "", ph);
    long long owner;
    enum err e = citizen_store_unique_owner(db, "phone", ph, &owner);
    if (e != OK) return e;
    struct citizen_row row;
    bool found = false;
    if (owner) e = citizen_store_get(db, owner, &row, &found);
    if (e != OK) return e;
    if (!found || strcmp(row.status, "active") != 0) {
        if (found) citizen_row_free(&row);
        (void)pw_verify(pw_dummy_hash(), password); /* the same time as a wrong password */
        return problem_set(p, ERR_UNAUTHORIZED, "", "手机号或密码不正确");
    }
    e = check_password(db, &row, password, now, retry, p);
    citizen_row_free(&row);
    if (e == ERR_UNAUTHORIZED) return problem_set(p, ERR_UNAUTHORIZED, "", "手机号或密码不正确");
    if (e != OK) return e;
    *id = owner;
    return citizen_session_new(db, owner, now, token);
}

/* The account id a token names, or 0 when malformed. */
static long long token_owner(const char *token)
{
    if (!token || strlen(token) >= CITIZEN_TOKEN_MAX) return 0;
    char *end;
    long long id = strtoll(token, &end, 10);
    return id > 0 && *end == '.' ? id : 0;
}

enum err citizen_logout(struct store *db, const char *token)
{
    long long id = token_owner(token);
    if (!id) return OK;
    char h[CRYPTO_HASH_HEX];
    token_hash(token, h);
    return citizen_store_session_delete(db, id, h);
}

enum err citizen_session_resolve(struct store *db, struct arena *a, const char *token,
                                 long long now, struct principal **who)
{
    *who = NULL;
    long long id = token_owner(token);
    if (!id) return OK;
    char h[CRYPTO_HASH_HEX];
    token_hash(token, h);
    long long last_seen, expires;
    bool found;
    enum err e = citizen_store_session_find(db, id, h, &last_seen, &expires, &found);
    if (e != OK || !found || now >= expires || now - last_seen >= CITIZEN_SESSION_IDLE) return e;
    if (now - last_seen >= 60 && !store_in_tx(db)) {
        e = citizen_store_session_touch(db, id, h, now);
        if (e != OK) return e;
    }
    struct principal *p = arena_alloc(a, sizeof *p);
    memset(p, 0, sizeof *p);
    p->citizen_id = id;
    p->user_id = -id;
    p->username = arena_printf(a, "citizen:%lld", id);
    p->display_name = "";
    p->via_cookie = true;
    *who = p;
    return OK;
}

enum err citizen_reauth(struct store *db, long long id, const char *password, long long now,
                        int *retry, struct problem *p)
{
    *retry = 0;
    if (!password || !*password)
        return problem_set(p, ERR_UNAUTHORIZED, "password", "此操作须再次输入登录密码");
    struct citizen_row row;
    bool found;
    enum err e = citizen_store_get(db, id, &row, &found);
    if (e != OK) return e;
    if (!found) return ERR_NOT_FOUND;
    e = check_password(db, &row, password, now, retry, p);
    citizen_row_free(&row);
    return e;
}

enum err citizen_change_phone(struct store *db, const struct keys *k, long long id,
                              const char *phone, long long now, struct problem *p)
{
    if (!citizen_phone_check(phone, p)) return p->err;
    char ph[CRYPTO_HASH_HEX], mask[12];
    phone_hash(k, phone, ph);
    long long owner;
    enum err e = citizen_store_unique_owner(db, "phone", ph, &owner);
    if (e != OK) return e;
    if (owner == id) return problem_set(p, ERR_RULE, "phone", "新手机号与当前手机号相同");
    if (owner) return problem_set(p, ERR_CONFLICT, "phone", "该手机号已被另一个账号使用");
    /* the old number is free again, the new one is this account's (a concurrent claim of it
     * by another account wins or loses on the key) */
    e = citizen_store_unique_release(db, "phone", id);
    if (e == OK) e = citizen_store_unique_claim(db, "phone", ph, id, now, &owner);
    if (e != OK) return e;
    if (owner != id) return problem_set(p, ERR_CONFLICT, "phone", "该手机号已被另一个账号使用");
    struct sealed s = {0};
    val_mask_mobile(phone, mask);
    if (e == OK) e = pii_seal(k, PHONE_FIELD, phone, &s.b, &s.n);
    if (e == OK) e = citizen_store_set_phone(db, id, &s, mask, now);
    free(s.b);
    return e;
}

enum err citizen_password_reset(struct store *db, const struct keys *k, const char *phone,
                                const char *password, long long now, long long *id,
                                struct problem *p)
{
    *id = 0;
    char ph[CRYPTO_HASH_HEX], pw[crypto_pwhash_STRBYTES];
    phone_hash(k, phone, ph);
    enum err e = citizen_store_unique_owner(db, "phone", ph, id);
    if (e != OK) return e;
    if (!*id) return problem_set(p, ERR_RULE, "phone", "该手机号没有注册账号，请先注册");
    if (pw_hash(password, pw, sizeof pw) != OK) return ERR_INTERNAL;
    e = citizen_store_set_password(db, *id, pw, now);
    if (e == OK) e = citizen_store_sessions_end(db, *id); /* every device signs in again */
    sodium_memzero(pw, sizeof pw);
    return e;
}

enum err citizen_password_change(struct store *db, const struct keys *k, long long id,
                                 const char *current, const char *password, long long now,
                                 char token[CITIZEN_TOKEN_MAX], struct problem *p)
{
    struct citizen_row row;
    bool found;
    char *phone = NULL, pw[crypto_pwhash_STRBYTES];
    enum err e = citizen_store_get(db, id, &row, &found);
    if (e != OK) return e;
    if (!found) return ERR_NOT_FOUND;
    if (row.phone.b) e = pii_open(k, PHONE_FIELD, row.phone.b, row.phone.n, &phone);
    if (e == OK && !citizen_password_check(password, phone ? phone : "", p)) {
        snprintf(p->field, sizeof p->field, "new_password"); /* the route's name for it */
        e = p->err;
    }
    if (e == OK && strcmp(current, password) == 0)
        e = problem_set(p, ERR_RULE, "new_password", "新密码不能与当前密码相同");
    if (e == OK && pw_hash(password, pw, sizeof pw) != OK) e = ERR_INTERNAL;
    if (e == OK) e = citizen_store_set_password(db, id, pw, now);
    if (e == OK) e = citizen_store_sessions_end(db, id); /* other devices sign in again */
    if (e == OK) e = citizen_session_new(db, id, now, token);
    if (phone) sodium_memzero(phone, strlen(phone));
    free(phone);
    sodium_memzero(pw, sizeof pw);
    citizen_row_free(&row);
    return e;
}
