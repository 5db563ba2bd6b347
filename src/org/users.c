/* users.c - the account service: its rules (usernames, passwords and the policy, personal
 * data, 三权分立, who manages whom, the lockout) and rendering; see users.h. The SQL is in
 * store_org.c. */
#include "org/users.h"
#include "base/validate.h"
#include "org/org_store.h"
#include "org/policy.h"
#include "org/session.h"
#include "org/units.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The password rules: the baseline of val_password() and the length secadmin set. */
static const char *password_problem(struct store *db, const char *pw, const char *username,
                                    long long now)
{
    const char *bad = val_password(pw, username);
    if (bad) return bad;
    int min = policy_get(db, now)->password_min_length;
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++)
        chars += (*p & 0xc0) != 0x80;
    if ((int)chars < min) {
        static __thread char msg[96];
        snprintf(msg, sizeof msg, "密码至少需要 %d 个字符（安全策略）", min);
        return msg;
    }
    return NULL;
}

bool user_username_valid(const char *u)
{
    size_t n = u ? strlen(u) : 0;
    if (n < 3 || n > 32) return false;
    for (size_t i = 0; i < n; i++) {
        char c = u[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return false;
    }
    return true;
}

void user_generate_password(char out[24])
{
    /* Four groups: upper, lower, digits, lower, joined by '-': every class is present. */
    static const char *const sets[] = {"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz",
                                       "23456789", "abcdefghijkmnpqrstuvwxyz"};
    char *o = out;
    for (int g = 0; g < 4; g++) {
        size_t n = strlen(sets[g]);
        for (int i = 0; i < 4; i++)
            *o++ = sets[g][randombytes_uniform((uint32_t)n)];
        if (g < 3) *o++ = '-';
    }
    *o = '\0';
}

enum err user_target_load(struct store *db, long long id, struct user_target *t)
{
    memset(t, 0, sizeof *t);
    enum err e = org_store_user_target(db, id, &t->unit_id, &t->unmask_pii);
    if (e != OK) return e;
    t->id = id;
    return org_store_user_roles(db, id, &t->roles);
}

const char *user_manage_problem(struct store *db, long long caller_id, long long caller_unit,
                                enum scope scope, const struct user_target *t)
{
    if (t->id == caller_id) return "不能在这里管理自己的账号（修改密码请用“我的账号”）";
    if ((t->roles & ROLES_ADMIN) || t->unmask_pii)
        return "三权分立：管理员账号和持有个人信息查看权限的账号不能由单个管理员在线重置、停用、解"
               "锁或修改，"
               "须由运维人员在服务器上用 ecoact user 命令办理（需数据密钥，记入审计日志）";
    if (scope == SCOPE_ALL) return NULL;
    if (scope != SCOPE_UNIT) return "您的角色无权管理账号";
    if (t->roles & ~ROLES_UNIT_ADMIN_GRANTS)
        return "单位管理员只能管理“单位填报员”账号，其他账号由系统管理员管理";
    if (!unit_within(db, t->unit_id, caller_unit)) return "只能管理本单位及下属单位的账号";
    return NULL;
}

role_set user_grantable_roles(enum scope scope, bool create)
{
    if (scope == SCOPE_NONE) return 0;
    if (create) return scope == SCOPE_UNIT ? ROLES_UNIT_ADMIN_GRANTS : 0;
    return ((1u << ROLE__COUNT) - 1) & ~ROLES_ADMIN;
}

const char *user_grant_problem(long long caller_id, const struct user_target *t)
{
    if (t->id == caller_id) return "不能给自己授予权限";
    if (t->roles & ROLES_ADMIN) return "三权分立：管理员账号不能持有查看个人信息的权限";
    return NULL;
}

enum err user_revoke_access(struct store *db, long long id, long long keep_session, long long now)
{
    enum err e = org_store_sessions_revoke_user(db, id, keep_session);
    if (e == OK) e = org_store_tokens_revoke_user(db, id, now);
    if (e == OK) e = calendar_feeds_revoke_user(db, id, now);
    return e;
}

/* Validates and encrypts one personal field into enc/hash/mask columns. */
static enum err set_pii(struct store *db, const struct keys *k, long long id, const char *field,
                        const char *value, long long now, struct problem *w)
{
    bool phone = strcmp(field, "phone") == 0;
    if (!value) return OK;
    if (!*value) return org_store_user_set_pii(db, id, phone, NULL, 0, NULL, NULL, now);
    const char *bad = phone ? val_mobile(value) : val_resident_id(value);
    if (bad) return problem_set(w, ERR_RULE, phone ? "phone" : "resident_id", "%s", bad);
    char norm[32];
    snprintf(norm, sizeof norm, "%s", value);
    if (!phone && norm[17] == 'x') norm[17] = 'X';
    char h[CRYPTO_HASH_HEX], mask[20];
    pii_lookup_hash(k, field, norm, h);
    if (phone)
        val_mask_mobile(norm, mask);
    else
        val_mask_resident_id(norm, mask);
    unsigned char *enc = NULL;
    size_t enclen = 0;
    if (pii_seal(k, field, norm, &enc, &enclen) != OK) return ERR_INTERNAL;
    sodium_memzero(norm, sizeof norm);
    enum err e = org_store_user_set_pii(db, id, phone, enc, enclen, h, mask, now);
    free(enc);
    if (e == ERR_CONFLICT)
        return problem_set(w, e, phone ? "phone" : "resident_id", "%s",
                           phone ? "该手机号已被其他账号使用"
                                 : "该身份证号已被其他账号使用（一人一号）");
    return e;
}

enum err user_set_personal(struct store *db, const struct keys *k, long long id, const char *phone,
                           const char *resident_id, long long now, struct problem *w)
{
    enum err e = set_pii(db, k, id, "phone", phone, now, w);
    if (e == OK) e = set_pii(db, k, id, "resident_id", resident_id, now, w);
    return e;
}

enum err user_set_password(struct store *db, long long id, const char *password, bool must_change,
                           long long now, struct problem *w)
{
    char username[64];
    enum err e = org_store_user_username(db, id, username, sizeof username);
    if (e == ERR_NOT_FOUND || (e == OK && !username[0]))
        return problem_set(w, ERR_NOT_FOUND, NULL, "账号不存在");
    if (e != OK) return e;
    const char *bad = password_problem(db, password, username, now);
    if (bad) return problem_set(w, ERR_RULE, "password", "%s", bad);
    char hash[256];
    if (pw_hash(password, hash, sizeof hash) != OK) return ERR_INTERNAL;
    return org_store_user_set_password(db, id, hash, must_change, now);
}

bool user_password_matches(struct store *db, long long id, const char *password)
{
    char hash[256];
    if (org_store_user_password_hash(db, id, hash, sizeof hash) != OK || !hash[0]) return false;
    return pw_verify(hash, password);
}

long long user_find(struct store *db, const char *username)
{
    return username ? org_store_user_find(db, username) : 0;
}

role_set user_roles(struct store *db, long long id)
{
    role_set s = 0;
    org_store_user_roles(db, id, &s);
    return s;
}

enum err user_set_roles(struct store *db, long long id, role_set roles, long long by, long long now,
                        struct problem *w)
{
    const char *bad = roles_check_separation(roles);
    if (bad) return problem_set(w, ERR_RULE, "roles", "%s", bad);
    if (roles & ROLES_ADMIN) {
        bool has = false;
        enum err e = org_store_user_has_perm(db, id, UPERM_UNMASK_PII, &has);
        if (e != OK) return e;
        if (has)
            return problem_set(w, ERR_RULE, "roles",
                               "三权分立：持有个人信息查看权限的账号不能成为管理员");
    }
    return org_store_user_set_roles(db, id, roles, by, now);
}

enum err user_set_permissions(struct store *db, long long id, bool unmask, long long by,
                              long long now)
{
    return org_store_user_set_perm(db, id, unmask ? UPERM_UNMASK_PII : NULL, by, now);
}

enum err user_set_display_name(struct store *db, long long id, const char *name, long long now)
{
    return org_store_user_set_display_name(db, id, name, now);
}

enum err user_move(struct store *db, long long id, long long unit_id, long long now)
{
    enum err e = org_store_user_set_unit(db, id, unit_id, now);
    return e == OK ? user_revoke_access(db, id, 0, now) : e;
}

enum err user_set_disabled(struct store *db, long long id, bool disabled, long long now)
{
    enum err e = org_store_user_set_disabled(db, id, disabled, now);
    return e == OK && disabled ? user_revoke_access(db, id, 0, now) : e;
}

enum err users_page(struct store *db, const struct user_filter *f, long long *ids, size_t cap,
                    size_t *n)
{
    return org_store_users_page(db, f, ids, cap, n);
}

enum err users_count(struct store *db, const struct user_filter *f, long long *n)
{
    return org_store_users_count(db, f, n);
}

enum err user_create(struct store *db, const struct keys *k, const struct user_new *u,
                     long long now, long long granted_by, long long *id, char *otp,
                     struct problem *w)
{
    if (!user_username_valid(u->username))
        return problem_set(w, ERR_RULE, "username",
                           "用户名应为 3 到 32 位字母、数字、下划线、点或连字符");
    size_t dn = u->display_name ? strlen(u->display_name) : 0;
    if (dn == 0 || dn > 96)
        return problem_set(w, ERR_RULE, "display_name", "姓名不能为空，且不超过 32 个汉字");
    struct unit unit;
    enum err e = unit_get(db, u->unit_id, &unit);
    if (e == ERR_NOT_FOUND) return problem_set(w, ERR_RULE, "unit_id", "所属单位不存在");
    if (e != OK) return e;
    const char *bad = roles_check_separation(u->roles);
    if (bad) return problem_set(w, ERR_RULE, "roles", "%s", bad);
    const char *pw = u->password;
    if (!pw) {
        user_generate_password(otp);
        pw = otp;
    }
    bad = password_problem(db, pw, u->username, now);
    if (bad) return problem_set(w, ERR_RULE, "password", "%s", bad);
    char hash[256];
    if (pw_hash(pw, hash, sizeof hash) != OK) return ERR_INTERNAL;
    e = org_store_user_insert(db, u->username, u->display_name, u->unit_id, hash,
                              u->must_change_pw || !u->password, now, id);
    if (e == ERR_CONFLICT) return problem_set(w, ERR_CONFLICT, "username", "用户名已存在");
    if (e != OK) return e;
    e = user_set_personal(db, k, *id, u->phone, u->resident_id, now, w);
    if (e == OK) e = user_set_roles(db, *id, u->roles, granted_by, now, w);
    return e;
}

enum err user_login(struct store *db, const char *username, const char *password, long long now,
                    long long *user_id, enum login_result *res, int *retry_after)
{
    *user_id = 0;
    *res = LOGIN_BAD;
    struct org_login row;
    enum err e = org_store_user_login(db, username, &row);
    if (e != OK && e != ERR_NOT_FOUND) return e;
    long long id = row.id, failed = row.failed, locked_until = row.locked_until;
    bool disabled = row.disabled;
    const char *hash = row.hash;
    /* The password is checked first, whatever the account's state, so an unknown, a disabled, a
     * locked account and a wrong password cost the same time. */
    bool right = pw_verify(id ? hash : pw_dummy_hash(), password);
    if (!id) return OK;
    *user_id = id;
    if (locked_until > now) { /* told whatever the password: a lock must not confirm a guess */
        *res = LOGIN_LOCKED;
        *retry_after = (int)(locked_until - now);
        return OK;
    }
    if (disabled) { /* told only to whoever knows the password; others get the usual answer */
        *res = right ? LOGIN_DISABLED : LOGIN_BAD;
        return OK;
    }
    if (right) {
        *res = LOGIN_OK;
        return failed ? org_store_user_failures(db, id, 0) : OK;
    }
    failed++;
    const struct policy *pol = policy_get(db, now);
    if (failed >= pol->max_failures) {
        *res = LOGIN_LOCKED;
        *retry_after = pol->lock_minutes * 60;
        return org_store_user_lock(db, id, now + pol->lock_minutes * 60LL);
    }
    return org_store_user_failures(db, id, failed);
}

static void add_perm(void *ctx, const char *perm)
{
    json_array_append_new(ctx, json_string(perm));
}

enum err user_get(struct store *db, long long id, struct user_info *out)
{
    return org_store_user_row(db, id, out);
}

json_t *user_json(struct store *db, long long id, long long now)
{
    struct user_info u;
    if (user_get(db, id, &u) != OK) return NULL;
    json_t *o =
        json_pack("{s:I,s:s,s:s,s:{s:I,s:s,s:s},s:s?,s:s?,s:b,s:b,s:b,s:I}", "id", u.id, "username",
                  u.username, "display_name", u.display_name, "unit", "id", u.unit_id, "name",
                  u.unit_name, "tier", u.unit_tier, "phone", u.phone_mask[0] ? u.phone_mask : NULL,
                  "resident_id", u.id_mask[0] ? u.id_mask : NULL, "disabled", (int)u.disabled,
                  "locked", u.locked_until > now, "must_change_password", (int)u.must_change_pw,
                  "created_at", u.created_at);
    if (!o) return NULL;
    role_set rs = user_roles(db, id);
    json_t *roles = json_array();
    for (int r = 0; r < ROLE__COUNT; r++)
        if (rs & (1u << r)) json_array_append_new(roles, json_string(role_name((enum role)r)));
    json_object_set_new(o, "roles", roles);
    json_t *perms = json_array();
    org_store_user_perms(db, id, add_perm, perms);
    json_object_set_new(o, "permissions", perms);
    return o;
}

json_t *user_personal_json(struct store *db, const struct keys *k, long long id)
{
    void *sealed[2];
    size_t len[2];
    if (org_store_user_sealed(db, id, &sealed[0], &len[0], &sealed[1], &len[1]) != OK) return NULL;
    json_t *o = json_object();
    const char *fields[2] = {"phone", "resident_id"};
    for (int i = 0; i < 2; i++) {
        char *clear = NULL;
        if (sealed[i] && pii_open(k, fields[i], sealed[i], len[i], &clear) == OK) {
            json_object_set_new(o, fields[i], json_string(clear));
            sodium_memzero(clear, strlen(clear));
            free(clear);
        } else {
            json_object_set_new(o, fields[i], json_null());
        }
        free(sealed[i]);
    }
    return o;
}

enum err users_reachable(struct store *db, long long user_id, long long unit_id, role_set roles,
                         struct user_brief **out, size_t *n)
{
    return org_store_users_reachable(db, user_id, unit_id, roles, out, n);
}
