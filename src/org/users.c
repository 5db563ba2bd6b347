/* users.c - account rules; see users.h. */
#include "org/users.h"
#include "base/validate.h"
#include "org/policy.h"
#include "org/units.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum err problem(struct user_problem *w, enum err e, const char *field, const char *msg)
{
    w->field = field;
    snprintf(w->msg, sizeof w->msg, "%s", msg);
    return e;
}

/* The password rules: the baseline of val_password() and the length secadmin set. */
static const char *password_problem(struct store *db, const char *pw, const char *username, long long now)
{
    const char *bad = val_password(pw, username);
    if (bad) return bad;
    int min = policy_get(db, now)->password_min_length;
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++) chars += (*p & 0xc0) != 0x80;
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
        for (int i = 0; i < 4; i++) *o++ = sets[g][randombytes_uniform((uint32_t)n)];
        if (g < 3) *o++ = '-';
    }
    *o = '\0';
}

enum err user_target_load(struct store *db, long long id, struct user_target *t)
{
    memset(t, 0, sizeof *t);
    struct store_stmt *q = store_q(db,
                                   "SELECT u.unit_id, (SELECT COUNT(*) FROM user_perms p WHERE p.user_id = u.id"
                                   " AND p.perm = ?) FROM users u WHERE u.id = ?",
                                   "ti", UPERM_UNMASK_PII, id);
    if (store_row(q)) {
        t->id = id;
        t->unit_id = store_int(q, 0);
        t->unmask_pii = store_int(q, 1) > 0;
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (!t->id) return ERR_NOT_FOUND;
    t->roles = user_roles(db, id);
    return store_err(db);
}

const char *user_manage_problem(struct store *db, long long caller_id, long long caller_unit,
                                enum scope scope, const struct user_target *t)
{
    if (t->id == caller_id) return "不能在这里管理自己的账号（修改密码请用“我的账号”）";
    if ((t->roles & ROLES_ADMIN) || t->unmask_pii)
        return "三权分立：管理员账号和持有个人信息查看权限的账号不能由单个管理员在线重置、停用、解锁或修改，"
               "须由运维人员在服务器上用 ecoact user 命令办理（需数据密钥，记入审计日志）";
    if (scope == SCOPE_ALL) return NULL;
    if (scope != SCOPE_UNIT) return "您的角色无权管理账号";
    if (t->roles & ~ROLES_UNIT_ADMIN_GRANTS)
        return "单位管理员只能管理“单位填报员”账号，其他账号由系统管理员管理";
    if (!unit_within(db, t->unit_id, caller_unit)) return "只能管理本单位及下属单位的账号";
    return NULL;
}

const char *user_grant_problem(long long caller_id, const struct user_target *t, const char *perm)
{
    (void)perm;
    if (t->id == caller_id) return "不能给自己授予权限";
    if (t->roles & ROLES_ADMIN) return "三权分立：管理员账号不能持有查看个人信息的权限";
    return NULL;
}

enum err user_revoke_access(struct store *db, long long id, long long keep_session, long long now)
{
    enum err e = store_do(db, "UPDATE sessions SET revoked = 1 WHERE user_id = ? AND id <> ? AND revoked = 0",
                          "ii", id, keep_session);
    if (e == OK)
        e = store_do(db, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                     "ii", now, id);
    if (e == OK)
        e = store_do(db, "UPDATE calendar_feeds SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                     "ii", now, id);
    return e;
}

/* Validates and encrypts one personal field into enc/hash/mask columns. */
static enum err set_pii(struct store *db, const struct keys *k, long long id, const char *field,
                        const char *value, long long now, struct user_problem *w)
{
    bool phone = strcmp(field, "phone") == 0;
    if (!value) return OK;
    if (!*value) {
        return store_do(db,
                        phone ? "UPDATE users SET phone_enc = NULL, phone_hash = NULL, phone_mask = NULL,"
                                " updated_at = ? WHERE id = ?"
                              : "UPDATE users SET id_enc = NULL, id_hash = NULL, id_mask = NULL,"
                                " updated_at = ? WHERE id = ?",
                        "ii", now, id);
    }
    const char *bad = phone ? val_mobile(value) : val_resident_id(value);
    if (bad) return problem(w, ERR_RULE, phone ? "phone" : "resident_id", bad);
    char norm[32];
    snprintf(norm, sizeof norm, "%s", value);
    if (!phone && norm[17] == 'x') norm[17] = 'X';
    char h[CRYPTO_HASH_HEX], mask[20];
    pii_lookup_hash(k, field, norm, h);
    if (phone) val_mask_mobile(norm, mask);
    else val_mask_resident_id(norm, mask);
    unsigned char *enc = NULL;
    size_t enclen = 0;
    if (pii_seal(k, field, norm, &enc, &enclen) != OK) return ERR_INTERNAL;
    sodium_memzero(norm, sizeof norm);
    enum err e = store_do(db,
                          phone ? "UPDATE users SET phone_enc = ?, phone_hash = ?, phone_mask = ?,"
                                  " updated_at = ? WHERE id = ?"
                                : "UPDATE users SET id_enc = ?, id_hash = ?, id_mask = ?,"
                                  " updated_at = ? WHERE id = ?",
                          "bttii", enc, enclen, h, mask, now, id);
    free(enc);
    if (e == ERR_CONFLICT)
        return problem(w, e, phone ? "phone" : "resident_id",
                       phone ? "该手机号已被其他账号使用" : "该身份证号已被其他账号使用（一人一号）");
    return e;
}

enum err user_set_personal(struct store *db, const struct keys *k, long long id, const char *phone,
                           const char *resident_id, long long now, struct user_problem *w)
{
    enum err e = set_pii(db, k, id, "phone", phone, now, w);
    if (e == OK) e = set_pii(db, k, id, "resident_id", resident_id, now, w);
    return e;
}

enum err user_set_password(struct store *db, long long id, const char *password, bool must_change,
                           long long now, struct user_problem *w)
{
    struct store_stmt *q = store_q(db, "SELECT username FROM users WHERE id = ?", "i", id);
    char username[64] = "";
    if (store_row(q)) snprintf(username, sizeof username, "%s", store_text(q, 0));
    store_done(q);
    if (!username[0]) return problem(w, ERR_NOT_FOUND, NULL, "账号不存在");
    const char *bad = password_problem(db, password, username, now);
    if (bad) return problem(w, ERR_RULE, "password", bad);
    char hash[256];
    if (pw_hash(password, hash, sizeof hash) != OK) return ERR_INTERNAL;
    return store_do(db,
                    "UPDATE users SET password_hash = ?, must_change_pw = ?, failed_count = 0,"
                    " locked_until = 0, updated_at = ? WHERE id = ?",
                    "tiii", hash, (long long)must_change, now, id);
}

role_set user_roles(struct store *db, long long id)
{
    role_set s = 0;
    struct store_stmt *q = store_q(db, "SELECT role FROM user_roles WHERE user_id = ?", "i", id);
    while (store_row(q)) {
        enum role r;
        if (role_parse(store_text(q, 0), &r)) s |= 1u << r;
    }
    store_done(q);
    return s;
}

enum err user_set_roles(struct store *db, long long id, role_set roles, long long by, long long now,
                        struct user_problem *w)
{
    const char *bad = roles_check_separation(roles);
    if (bad) return problem(w, ERR_RULE, "roles", bad);
    if (roles & ROLES_ADMIN) {
        struct store_stmt *q = store_q(db, "SELECT 1 FROM user_perms WHERE user_id = ? AND perm = ?",
                                       "it", id, UPERM_UNMASK_PII);
        bool has = store_row(q);
        store_done(q);
        if (has) return problem(w, ERR_RULE, "roles", "三权分立：持有个人信息查看权限的账号不能成为管理员");
    }
    enum err e = store_do(db, "DELETE FROM user_roles WHERE user_id = ?", "i", id);
    for (int r = 0; r < ROLE__COUNT && e == OK; r++)
        if (roles & (1u << r))
            e = store_do(db, "INSERT INTO user_roles(user_id, role, granted_by, granted_at) VALUES (?,?,?,?)",
                         "itii", id, role_name((enum role)r), by, now);
    return e;
}

enum err user_create(struct store *db, const struct keys *k, const struct user_new *u,
                     long long now, long long granted_by, long long *id, char *otp,
                     struct user_problem *w)
{
    if (!user_username_valid(u->username))
        return problem(w, ERR_RULE, "username", "用户名应为 3 到 32 位字母、数字、下划线、点或连字符");
    size_t dn = u->display_name ? strlen(u->display_name) : 0;
    if (dn == 0 || dn > 96) return problem(w, ERR_RULE, "display_name", "姓名不能为空，且不超过 32 个汉字");
    struct store_stmt *q = store_q(db, "SELECT 1 FROM units WHERE id = ?", "i", u->unit_id);
    bool unit_ok = store_row(q);
    store_done(q);
    if (!unit_ok) return problem(w, ERR_RULE, "unit_id", "所属单位不存在");
    const char *bad = roles_check_separation(u->roles);
    if (bad) return problem(w, ERR_RULE, "roles", bad);
    const char *pw = u->password;
    if (!pw) {
        user_generate_password(otp);
        pw = otp;
    }
    bad = password_problem(db, pw, u->username, now);
    if (bad) return problem(w, ERR_RULE, "password", bad);
    char hash[256];
    if (pw_hash(pw, hash, sizeof hash) != OK) return ERR_INTERNAL;
    q = store_q(db,
                "INSERT INTO users(username, display_name, unit_id, password_hash, must_change_pw,"
                " created_at, updated_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
                "ttitiii", u->username, u->display_name, u->unit_id, hash,
                (long long)(u->must_change_pw || !u->password), now, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db) == ERR_CONFLICT) return problem(w, ERR_CONFLICT, "username", "用户名已存在");
    if (store_err(db)) return store_err(db);
    enum err e = user_set_personal(db, k, *id, u->phone, u->resident_id, now, w);
    if (e == OK) e = user_set_roles(db, *id, u->roles, granted_by, now, w);
    return e;
}

enum err user_login(struct store *db, const char *username, const char *password, long long now,
                    long long *user_id, enum login_result *res, int *retry_after)
{
    *user_id = 0;
    *res = LOGIN_BAD;
    struct store_stmt *q = store_q(db,
                                   "SELECT id, password_hash, failed_count, locked_until, disabled"
                                   " FROM users WHERE username = ?",
                                   "t", username);
    long long id = 0, failed = 0, locked_until = 0, disabled = 0;
    char hash[256] = "";
    if (store_row(q)) {
        id = store_int(q, 0);
        snprintf(hash, sizeof hash, "%s", store_text(q, 1));
        failed = store_int(q, 2);
        locked_until = store_int(q, 3);
        disabled = store_int(q, 4);
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
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
        return failed ? store_do(db, "UPDATE users SET failed_count = 0 WHERE id = ?", "i", id) : OK;
    }
    failed++;
    const struct policy *pol = policy_get(db, now);
    if (failed >= pol->max_failures) {
        *res = LOGIN_LOCKED;
        *retry_after = pol->lock_minutes * 60;
        return store_do(db, "UPDATE users SET failed_count = 0, locked_until = ? WHERE id = ?", "ii",
                        now + pol->lock_minutes * 60LL, id);
    }
    return store_do(db, "UPDATE users SET failed_count = ? WHERE id = ?", "ii", failed, id);
}

json_t *user_json(struct store *db, long long id, long long now)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT u.id, u.username, u.display_name, u.unit_id, n.name, n.tier,"
                                   " u.phone_mask, u.id_mask, u.disabled, u.locked_until,"
                                   " u.must_change_pw, u.created_at FROM users u"
                                   " JOIN units n ON n.id = u.unit_id WHERE u.id = ?",
                                   "i", id);
    json_t *o = NULL;
    if (store_row(q)) {
        o = json_pack("{s:I,s:s,s:s,s:{s:I,s:s,s:s},s:s?,s:s?,s:b,s:b,s:b,s:I}", "id",
                      store_int(q, 0), "username", store_text(q, 1), "display_name",
                      store_text(q, 2), "unit", "id", store_int(q, 3), "name", store_text(q, 4),
                      "tier", store_text(q, 5), "phone", store_text(q, 6), "resident_id",
                      store_text(q, 7), "disabled", (int)store_int(q, 8), "locked",
                      store_int(q, 9) > now, "must_change_password", (int)store_int(q, 10),
                      "created_at", store_int(q, 11));
    }
    store_done(q);
    if (!o) return NULL;
    role_set rs = user_roles(db, id);
    json_t *roles = json_array();
    for (int r = 0; r < ROLE__COUNT; r++)
        if (rs & (1u << r)) json_array_append_new(roles, json_string(role_name((enum role)r)));
    json_object_set_new(o, "roles", roles);
    q = store_q(db, "SELECT perm FROM user_perms WHERE user_id = ? ORDER BY perm", "i", id);
    json_t *perms = json_array();
    while (store_row(q)) json_array_append_new(perms, json_string(store_text(q, 0)));
    store_done(q);
    json_object_set_new(o, "permissions", perms);
    return o;
}

json_t *user_personal_json(struct store *db, const struct keys *k, long long id)
{
    struct store_stmt *q = store_q(db, "SELECT phone_enc, id_enc FROM users WHERE id = ?", "i", id);
    json_t *o = NULL;
    if (store_row(q)) {
        o = json_object();
        const char *fields[2] = {"phone", "resident_id"};
        for (int i = 0; i < 2; i++) {
            size_t len = 0;
            const void *b = store_blob(q, i, &len);
            char *clear = NULL;
            if (b && len && pii_open(k, fields[i], b, len, &clear) == OK) {
                json_object_set_new(o, fields[i], json_string(clear));
                sodium_memzero(clear, strlen(clear));
                free(clear);
            } else {
                json_object_set_new(o, fields[i], json_null());
            }
        }
    }
    store_done(q);
    return o;
}

enum err users_reachable(struct store *db, long long user_id, long long unit_id, role_set roles,
                         struct user_brief **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    struct store_stmt *q;
    if (user_id)
        q = store_q(db,
                    "SELECT u.id, '', CASE WHEN u.phone_enc IS NULL THEN 0 ELSE 1 END FROM users u"
                    " WHERE u.id = ? AND u.disabled = 0",
                    "i", user_id);
    else
        q = store_q(db,
                    "SELECT u.id, r.role, CASE WHEN u.phone_enc IS NULL THEN 0 ELSE 1 END"
                    " FROM users u JOIN user_roles r ON r.user_id = u.id"
                    " WHERE u.disabled = 0 AND (CAST(? AS BIGINT) = 0 OR u.unit_id = ?) ORDER BY u.id",
                    "ii", unit_id, unit_id);
    while (store_row(q)) {
        long long id = store_int(q, 0);
        if (!user_id) {
            enum role r;
            if (!role_parse(store_text(q, 1), &r) || !(roles & (1u << r))) continue;
        }
        if (*n && (*out)[*n - 1].id == id) continue; /* one row per role held */
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct user_brief *m = realloc(*out, cap * sizeof *m);
            if (!m) abort();
            *out = m;
        }
        (*out)[(*n)++] = (struct user_brief){id, store_int(q, 2) != 0};
    }
    store_done(q);
    return store_err(db);
}
