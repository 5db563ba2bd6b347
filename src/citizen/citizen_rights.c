/* citizen_rights.c - real-name verification (one account per resident ID number, a guardian's
 * consent under 14), consents, corrections, what is held about a person, and deletion, which
 * anonymises the account and runs every area's anonymise hook (see citizen.h). The SQL is in
 * store_citizen.c. Inside the caller's transaction where it writes. */
#include "base/date.h"
#include "base/validate.h"
#include "citizen/citizen.h"
#include "citizen/citizen_store.h"
#include "notify/notify.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID_FIELD "citizen.resident_id"
#define NAME_FIELD "citizen.name"

/* ---- what other areas may know ---- */

enum err citizen_get(struct store *db, long long id, long long now, struct citizen_brief *b)
{
    memset(b, 0, sizeof *b);
    b->id = id;
    b->age = -1;
    struct citizen_row row;
    bool found;
    enum err e = citizen_store_get(db, id, &row, &found);
    if (e != OK) return e;
    if (!found) return ERR_NOT_FOUND;
    b->active = strcmp(row.status, "active") == 0;
    b->verified = strcmp(row.realname, "verified") == 0;
    struct citizen_birth br;
    if (row.birth_date[0] && citizen_birth_on(row.birth_date, date_today_shanghai(now), &br)) {
        b->age = br.age;
        b->child = br.child;
        b->minor = br.minor;
    }
    citizen_row_free(&row);
    return OK;
}

bool citizen_is_minor(struct store *db, long long id, long long now)
{
    struct citizen_brief b;
    return citizen_get(db, id, now, &b) == OK && b.minor;
}

/* ---- real name ---- */

static bool name_check(const char *name, struct problem *p)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > CITIZEN_NAME_MAX)
        return !problem_set(p, ERR_RULE, "name", "姓名应为1到%d个字节", CITIZEN_NAME_MAX);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return !problem_set(p, ERR_RULE, "name", "姓名不能含有控制字符");
    return true;
}

/* "张*" / "欧**": the first character, a star for each of the others. */
static void mask_name(const char *name, char *out, size_t cap)
{
    size_t first = 1;
    while (name[first] && ((unsigned char)name[first] & 0xC0) == 0x80)
        first++;
    size_t used = (size_t)snprintf(out, cap, "%.*s", (int)first, name);
    for (const char *c = name + first; *c && used + 2 < cap; c++)
        if (((unsigned char)*c & 0xC0) != 0x80) out[used++] = '*';
    out[used < cap ? used : cap - 1] = '\0';
}

static enum err seal_realname(struct store *db, const struct keys *k, long long id,
                              const char *name, const char *idno, const char *birth,
                              const char *status, long long now, struct problem *p)
{
    bool done = false;
    struct sealed sn = {0}, si = {0};
    char nm[80], im[19];
    mask_name(name, nm, sizeof nm);
    val_mask_resident_id(idno, im);
    enum err e = pii_seal(k, NAME_FIELD, name, &sn.b, &sn.n);
    if (e == OK) e = pii_seal(k, ID_FIELD, idno, &si.b, &si.n);
    if (e == OK)
        e = citizen_store_set_realname(db, id, &sn, nm, &si, im, birth, status, now, &done);
    free(sn.b);
    free(si.b);
    if (e == OK && !done) return problem_set(p, ERR_CONFLICT, "id_number", "本账号已提交实名认证");
    return e;
}

/* The refusal of a number another account holds: how to recover that account. */
static enum err taken(struct store *db, long long owner, struct problem *p)
{
    struct citizen_row row;
    bool found;
    enum err e = citizen_store_get(db, owner, &row, &found);
    if (e != OK) return e;
    problem_set(
        p, ERR_CONFLICT, "id_number",
        "该身份证号已实名认证另一个账号（手机号%s）。一个身份证号只能认证一个账号：请用该手机号"
        "登录，忘记密码可凭短信验证码找回；该手机号已不再使用的，请携带身份证到所在区县生态环境"
        "局申请找回账号",
        found && row.phone_mask[0] ? row.phone_mask : "已停用");
    if (found) citizen_row_free(&row);
    return p->err;
}

enum err citizen_realname(struct store *db, const struct keys *k, long long id, const char *name,
                          const char *id_number, const char *version, long long now,
                          const char **status, struct problem *p)
{
    *status = NULL;
    struct citizen_birth b;
    if (!name_check(name, p)) return p->err;
    if (!citizen_id_check(id_number, date_today_shanghai(now), &b, p)) return p->err;
    if (!version || strcmp(version, CITIZEN_PRIVACY_VERSION) != 0)
        return problem_set(
            p, ERR_RULE, "sensitive_consent",
            "身份证号属于敏感个人信息，须单独同意当前版本（%s）的敏感个人信息处理规则",
            CITIZEN_PRIVACY_VERSION);
    struct citizen_brief cur;
    enum err e = citizen_get(db, id, now, &cur);
    if (e != OK) return e;
    if (cur.age >= 0)
        return problem_set(p, ERR_CONFLICT, "id_number",
                           "本账号已提交实名认证；如需更改，请先撤回敏感个人信息同意");
    char idno[19], h[CRYPTO_HASH_HEX];
    snprintf(idno, sizeof idno, "%.17s%c", id_number, id_number[17] == 'x' ? 'X' : id_number[17]);
    pii_lookup_hash(k, ID_FIELD, idno, h);
    long long owner;
    e = citizen_store_unique_claim(db, "resident_id", h, id, now, &owner);
    if (e == OK && owner != id) e = taken(db, owner, p);
    *status = b.child ? "pending_guardian" : "verified";
    if (e == OK) e = seal_realname(db, k, id, name, idno, b.date, *status, now, p);
    if (e == OK) e = citizen_store_consent_add(db, id, "sensitive", version, id, now);
    sodium_memzero(idno, sizeof idno);
    return e;
}

/* ---- guardians ---- */

enum err citizen_guardian_request(struct store *db, const struct keys *k, long long child,
                                  const char *guardian_phone, long long now, long long *guardian_id,
                                  struct problem *p)
{
    *guardian_id = 0;
    struct citizen_row row;
    bool found;
    enum err e = citizen_store_get(db, child, &row, &found);
    if (e != OK || !found) return e != OK ? e : ERR_NOT_FOUND;
    bool pending = strcmp(row.realname, "pending_guardian") == 0;
    citizen_row_free(&row);
    if (!pending)
        return problem_set(p, ERR_RULE, "guardian_phone",
                           "只有实名认证为未满14周岁、等待监护人同意的账号需要关联监护人");
    if (!citizen_phone_check(guardian_phone, p)) {
        snprintf(p->field, sizeof p->field, "guardian_phone");
        return p->err;
    }
    char h[CRYPTO_HASH_HEX];
    pii_lookup_hash(k, "citizen.phone", guardian_phone, h);
    long long g;
    e = citizen_store_unique_owner(db, "phone", h, &g);
    if (e != OK) return e;
    struct citizen_brief gb = {0};
    if (g && g != child) e = citizen_get(db, g, now, &gb);
    if (e != OK) return e;
    if (!g || g == child || !gb.active)
        return problem_set(p, ERR_RULE, "guardian_phone",
                           "该手机号没有注册账号：请监护人先注册并完成实名认证");
    if (!gb.verified || gb.minor)
        return problem_set(p, ERR_RULE, "guardian_phone",
                           "监护人须是已完成实名认证的成年人（年满18周岁）");
    *guardian_id = g;
    e = citizen_store_guardian_request(db, child, g, now);
    if (e == OK) e = citizen_tell_guardian_request(db, child, g, now);
    return e;
}

enum err citizen_guardian_decide(struct store *db, long long guardian, long long child,
                                 bool approve, const char *version, long long now,
                                 struct problem *p)
{
    char st[12];
    enum err e = citizen_store_guardian_status(db, child, guardian, st);
    if (e != OK) return e;
    if (strcmp(st, "pending") != 0)
        return problem_set(p, ERR_NOT_FOUND, "id", "没有该账号等待您同意的监护人请求");
    if (approve && (!version || strcmp(version, CITIZEN_PRIVACY_VERSION) != 0))
        return problem_set(p, ERR_RULE, "consent_version",
                           "请同意当前版本（%s）的儿童个人信息处理规则", CITIZEN_PRIVACY_VERSION);
    struct citizen_brief gb;
    e = citizen_get(db, guardian, now, &gb);
    if (e != OK) return e;
    if (approve && (!gb.verified || gb.minor))
        return problem_set(p, ERR_FORBIDDEN, "", "监护人须是已完成实名认证的成年人");
    bool done = false;
    e = citizen_store_guardian_decide(db, child, guardian, approve, now, &done);
    if (e == OK && !done) /* decided meanwhile, from another device */
        return problem_set(p, ERR_NOT_FOUND, "id", "没有该账号等待您同意的监护人请求");
    if (e == OK && approve) e = citizen_store_set_status(db, child, "verified", now);
    if (e == OK && approve)
        e = citizen_store_consent_add(db, child, "child", version, guardian, now);
    if (e == OK) e = citizen_tell_guardian_decided(db, child, guardian, approve, now);
    return e;
}

/* ---- consents and corrections ---- */

enum err citizen_consent_withdraw(struct store *db, long long id, const char *kind, long long now,
                                  struct problem *p)
{
    if (kind && strcmp(kind, "privacy") == 0)
        return problem_set(p, ERR_RULE, "kind", "撤回隐私政策同意即不再使用账号，请使用“注销账号”");
    if (!kind || (strcmp(kind, "sensitive") != 0 && strcmp(kind, "child") != 0))
        return problem_set(p, ERR_NOT_FOUND, "kind", "没有这种同意：%s", kind ? kind : "");
    long long n, m;
    enum err e = citizen_store_consent_withdraw(db, id, "sensitive", now, &n);
    if (e == OK) e = citizen_store_consent_withdraw(db, id, "child", now, &m);
    if (e != OK) return e;
    if (n + m == 0) return problem_set(p, ERR_CONFLICT, "kind", "没有可撤回的同意");
    /* without the consent the ID number may not be kept: verification is undone */
    e = citizen_store_unique_release(db, "resident_id", id);
    if (e == OK) e = citizen_store_set_status(db, id, "none", now);
    if (e == OK) e = citizen_close_guardian_requests(db, id, now);
    if (e == OK) e = citizen_store_guardians_delete(db, id);
    return e;
}

enum err citizen_ward_withdraw(struct store *db, long long guardian, long long child, long long now,
                               struct problem *p)
{
    char st[12];
    enum err e = citizen_store_guardian_status(db, child, guardian, st);
    if (e != OK) return e;
    if (strcmp(st, "approved") != 0)
        return problem_set(p, ERR_NOT_FOUND, "id", "您不是该账号已同意的监护人");
    e = citizen_consent_withdraw(db, child, "child", now, p);
    if (e == OK) e = citizen_tell_guardian_withdrawn(db, child, now);
    return e;
}

enum err citizen_correct(struct store *db, const struct keys *k, long long id, const char *nickname,
                         const char *name, long long now, struct problem *p)
{
    if (nickname && strlen(nickname) > CITIZEN_NAME_MAX)
        return problem_set(p, ERR_RULE, "nickname", "昵称最多%d个字节", CITIZEN_NAME_MAX);
    struct sealed s = {0};
    char nm[80] = "";
    if (name) {
        if (!name_check(name, p)) return p->err;
        struct citizen_brief b;
        enum err e = citizen_get(db, id, now, &b);
        if (e != OK) return e;
        if (b.age < 0) return problem_set(p, ERR_RULE, "name", "尚未实名认证，没有可更正的姓名");
        mask_name(name, nm, sizeof nm);
        if (pii_seal(k, NAME_FIELD, name, &s.b, &s.n) != OK) return ERR_INTERNAL;
    }
    enum err e = citizen_store_set_names(db, id, nickname, name ? &s : NULL, nm, now);
    free(s.b);
    return e;
}

/* ---- deletion ---- */

static citizen_anonymise_fn hooks[16];
static size_t nhooks;

void citizen_anonymise_hook(citizen_anonymise_fn fn)
{
    for (size_t i = 0; i < nhooks; i++)
        if (hooks[i] == fn) return;
    if (nhooks < sizeof hooks / sizeof *hooks) hooks[nhooks++] = fn;
}

enum err citizen_delete(struct store *db, long long id, long long now, struct problem *p)
{
    struct citizen_brief b;
    enum err e = citizen_get(db, id, now, &b);
    if (e != OK) return e;
    if (!b.active) return problem_set(p, ERR_NOT_FOUND, "", "账号不存在或已注销");
    for (size_t i = 0; i < nhooks && e == OK; i++)
        e = hooks[i](db, id, now);
    if (e == OK) e = citizen_store_sessions_end(db, id);
    if (e == OK) e = citizen_store_consents_delete(db, id);
    if (e == OK) e = citizen_forget_messages(db, id, now); /* the messages name the person */
    if (e == OK) e = citizen_store_guardians_delete(db, id);
    if (e == OK) e = citizen_store_memberships_delete(db, id);
    if (e == OK) e = citizen_store_orgs_unlink(db, id);
    if (e == OK) e = citizen_store_anonymise(db, id, now);
    return e;
}
