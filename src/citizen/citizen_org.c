/* citizen_org.c - registered organisations (volunteer organisations, facility operators,
 * schools, enterprises, environmental social organisations): filed by a verified adult with a
 * GB 32100 credit code and a reviewing unit (a district-level unit or a city department, read
 * through org's unit_get), reviewed by an official of that unit, then that unit's; members with
 * roles org_admin / org_staff. See citizen.h; the SQL is in store_citizen_org.c. */
#include "citizen/citizen.h"
#include "citizen/citizen_store.h"
#include "org/units.h"
#include "org/users.h"
#include <sodium.h>
#include <string.h>

/* The fields of a registration, checked as filed and as filed again. */
static enum err org_check(struct store *db, const struct citizen_org_new *o, struct problem *p)
{
    if (!citizen_org_kind_valid(o->kind))
        return problem_set(
            p, ERR_RULE, "kind",
            "请选择组织类型：志愿服务组织、环保设施运营单位、学校、企业或环保社会组织");
    if (!o->name || !*o->name || strlen(o->name) > CITIZEN_ORG_NAME_MAX)
        return problem_set(p, ERR_RULE, "name", "组织名称应为1到%d个字节", CITIZEN_ORG_NAME_MAX);
    if (!citizen_uscc_check(o->uscc, p)) return p->err;
    struct unit u;
    enum err e = unit_get(db, o->unit_id, &u);
    if (e == ERR_NOT_FOUND || (e == OK && !citizen_org_reviewer_tier(u.tier)))
        return problem_set(p, ERR_RULE, "unit_id", "审核单位应为区县（含管委会）或主管的市级部门");
    return e;
}

/* The credit code is one organisation's: claimed for org (409 when another holds it). */
static enum err claim_uscc(struct store *db, const char *uscc, long long org, long long now,
                           struct problem *p)
{
    long long owner;
    enum err e = citizen_store_unique_claim(db, "uscc", uscc, org, now, &owner);
    if (e == OK && owner != org)
        return problem_set(p, ERR_CONFLICT, "uscc",
                           "该统一社会信用代码已登记，请联系该组织的管理员添加您为成员");
    return e;
}

bool citizen_org_reviewer_tier(const char *tier)
{
    return unit_tier_is_district_level(tier) || strcmp(tier, "city_department") == 0;
}

enum err citizen_org_file(struct store *db, long long by, const struct citizen_org_new *o,
                          long long now, long long *id, struct problem *p)
{
    *id = 0;
    enum err e = org_check(db, o, p);
    if (e != OK) return e;
    struct citizen_brief b;
    e = citizen_get(db, by, now, &b);
    if (e != OK) return e;
    if (!b.verified || b.minor)
        return problem_set(p, ERR_FORBIDDEN, "", "登记组织的负责人须是已完成实名认证的成年人");
    e = citizen_store_org_insert(db, by, o, now, id);
    if (e == OK) e = claim_uscc(db, o->uscc, *id, now, p);
    bool added;
    if (e == OK) e = citizen_store_member_add(db, *id, by, "org_admin", now, &added);
    return e;
}

enum err citizen_org_refile(struct store *db, long long by, long long org,
                            const struct citizen_org_new *o, long long now, struct problem *p)
{
    char mine[12];
    enum err e = citizen_store_member_role(db, org, by, mine);
    if (e != OK) return e;
    if (!mine[0]) return problem_set(p, ERR_NOT_FOUND, "id", "组织不存在");
    if (strcmp(mine, "org_admin") != 0)
        return problem_set(p, ERR_FORBIDDEN, "", "只有组织管理员可以修改并重新提交登记");
    if ((e = org_check(db, o, p)) != OK) return e;
    /* the old code is let go first, so a corrected code and an unchanged one both claim */
    e = citizen_store_unique_release(db, "uscc", org);
    if (e == OK) e = claim_uscc(db, o->uscc, org, now, p);
    bool done = false;
    if (e == OK) e = citizen_store_org_refile(db, org, o, now, &done);
    if (e == OK && !done)
        return problem_set(p, ERR_CONFLICT, "", "只有被退回的登记可以修改后重新提交");
    return e;
}

enum err citizen_org_member_add(struct store *db, const struct keys *k, long long by, long long org,
                                const char *phone, const char *role, long long now,
                                struct problem *p)
{
    char mine[12];
    enum err e = citizen_store_member_role(db, org, by, mine);
    if (e != OK) return e;
    if (!mine[0]) return problem_set(p, ERR_NOT_FOUND, "id", "组织不存在");
    if (strcmp(mine, "org_admin") != 0)
        return problem_set(p, ERR_FORBIDDEN, "", "只有组织管理员（org_admin）可以添加成员");
    if (!citizen_org_role_valid(role))
        return problem_set(p, ERR_RULE, "role", "成员角色应为 org_admin 或 org_staff");
    if (!citizen_phone_check(phone, p)) return p->err;
    char h[CRYPTO_HASH_HEX];
    pii_lookup_hash(k, "citizen.phone", phone, h);
    long long who;
    e = citizen_store_unique_owner(db, "phone", h, &who);
    if (e != OK) return e;
    if (!who) return problem_set(p, ERR_RULE, "phone", "该手机号没有注册公众账号");
    bool added;
    e = citizen_store_member_add(db, org, who, role, now, &added);
    if (e == OK && !added) return problem_set(p, ERR_CONFLICT, "phone", "该账号已是本组织成员");
    return e;
}

long long citizen_org_unit(struct store *db, long long org)
{
    char st[12];
    long long unit, by;
    return citizen_store_org_state(db, org, st, &unit, &by) == OK ? unit : 0;
}

/* Whether the official reviewer is the person behind public account filer: the same phone
 * number or resident ID number (the official's read through org's user_personal_json). */
static bool same_person(struct store *db, const struct keys *k, long long reviewer, long long filer)
{
    json_t *pd = user_personal_json(db, k, reviewer);
    if (!pd) return false;
    static const char *const fields[][3] = {{"phone", "phone", "citizen.phone"},
                                            {"resident_id", "resident_id", "citizen.resident_id"}};
    bool same = false;
    for (size_t i = 0; i < 2 && !same; i++) {
        json_t *v = json_object_get(pd, fields[i][0]);
        if (!json_is_string(v)) continue;
        char h[CRYPTO_HASH_HEX];
        pii_lookup_hash(k, fields[i][2], json_string_value(v), h);
        long long owner = 0;
        same = citizen_store_unique_owner(db, fields[i][1], h, &owner) == OK && owner == filer;
        sodium_memzero((char *)json_string_value(v), json_string_length(v));
    }
    json_decref(pd);
    return same;
}

bool citizen_is_official(struct store *db, const struct keys *k, long long citizen,
                         long long official)
{
    return citizen > 0 && official > 0 && same_person(db, k, official, citizen);
}

bool citizen_org_reviewer_is_filer(struct store *db, const struct keys *k, long long org,
                                   long long reviewer)
{
    char st[12];
    long long unit, by;
    return citizen_store_org_state(db, org, st, &unit, &by) == OK && by &&
           same_person(db, k, reviewer, by);
}

enum err citizen_org_review(struct store *db, const struct keys *k, long long org, bool accept,
                            const char *reason, long long reviewer, long long now,
                            struct problem *p)
{
    char st[12];
    long long unit, by;
    enum err e = citizen_store_org_state(db, org, st, &unit, &by);
    if (e != OK) return e;
    if (!st[0]) return problem_set(p, ERR_NOT_FOUND, "id", "组织不存在");
    if (strcmp(st, "pending") != 0)
        return problem_set(p, ERR_CONFLICT, "decision", "该登记已审核（%s），不能再次审核",
                           citizen_org_status_label(st));
    if (!accept && (!reason || !*reason))
        return problem_set(p, ERR_RULE, "reason", "退回登记须写明理由");
    if (citizen_org_reviewer_is_filer(db, k, org, reviewer))
        return problem_set(p, ERR_FORBIDDEN, "", "本人提交的组织登记不能由本人审核");
    bool done;
    e = citizen_store_org_review(db, org, accept, reason, reviewer, now, &done);
    if (e == OK && !done) return problem_set(p, ERR_CONFLICT, "decision", "该登记已被审核");
    if (e == OK) e = citizen_tell_org_review(db, org, by, accept, reason, now);
    return e;
}

/* The words beside an organisation's codes: kind, status, members' roles, the reviewing unit. */
static void org_labels(struct store *db, json_t *o)
{
    json_object_set_new(o, "unit",
                        unit_json(db, json_integer_value(json_object_get(o, "unit_id"))));
    const char *kind = json_string_value(json_object_get(o, "kind"));
    const char *status = json_string_value(json_object_get(o, "status"));
    json_object_set_new(o, "kind_label", json_string(citizen_org_kind_label(kind)));
    json_object_set_new(o, "status_label", json_string(citizen_org_status_label(status)));
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(o, "members"), i, m)
    {
        const char *role = json_string_value(json_object_get(m, "role"));
        json_object_set_new(m, "role_label", json_string(citizen_org_role_label(role)));
    }
}

json_t *citizen_org_json(struct store *db, long long org, bool members)
{
    json_t *o = citizen_store_org_json(db, org, members);
    if (o) org_labels(db, o);
    return o;
}

json_t *citizen_org_for_member(struct store *db, long long org, long long citizen)
{
    char role[12];
    if (citizen_store_member_role(db, org, citizen, role) != OK || !role[0]) return NULL;
    json_t *o = citizen_org_json(db, org, true);
    if (!o) return NULL;
    const char *status = json_string_value(json_object_get(o, "status"));
    json_object_set_new(o, "my_role", json_string(role));
    json_object_set_new(o, "my_role_label", json_string(citizen_org_role_label(role)));
    json_object_set_new(o, "actions", citizen_org_member_actions(role, status));
    return o;
}

json_t *citizen_org_list(struct store *db, const struct citizen_org_filter *f, long long after,
                         long long limit, long long *last)
{
    json_t *a = citizen_store_org_list(db, f, after, limit, last);
    size_t i;
    json_t *o;
    json_array_foreach(a, i, o) org_labels(db, o);
    return a;
}

enum err citizen_org_count(struct store *db, const struct citizen_org_filter *f, long long *n)
{
    return citizen_store_org_count(db, f, n);
}

static bool add_reviewer(void *ctx, const struct unit *u)
{
    if (citizen_org_reviewer_tier(u->tier))
        json_array_append_new(ctx, json_pack("{s:I,s:s}", "id", u->id, "name", u->name));
    return true;
}

json_t *citizen_org_options_json(struct store *db)
{
    json_t *units = json_array();
    struct unit_filter f = {.limit = -1};
    if (units_each(db, &f, add_reviewer, units) != OK) {
        json_decref(units);
        return NULL;
    }
    json_t *roles = json_pack("[{s:s,s:s},{s:s,s:s}]", "role", "org_admin", "label",
                              citizen_org_role_label("org_admin"), "role", "org_staff", "label",
                              citizen_org_role_label("org_staff"));
    return json_pack("{s:o,s:o,s:o}", "kinds", citizen_org_kinds_json(), "roles", roles, "units",
                     units);
}

json_t *citizen_org_member_personal(struct store *db, const struct keys *k, long long org,
                                    long long citizen, long long now)
{
    char role[12];
    if (citizen_store_member_role(db, org, citizen, role) != OK || !role[0]) return NULL;
    json_t *d = citizen_data_json(db, k, citizen, now, true);
    if (!d) return NULL;
    json_t *rn = json_object_get(d, "realname");
    json_t *o = json_pack("{s:I}", "citizen_id", citizen);
    /* copies, since d's clear strings are wiped below */
    json_object_set_new(o, "phone", json_copy(json_object_get(d, "phone")));
    json_object_set_new(o, "name", json_copy(json_object_get(rn, "name")));
    json_object_set_new(o, "id_number", json_copy(json_object_get(rn, "id_number")));
    citizen_json_wipe_free(d);
    return o;
}
