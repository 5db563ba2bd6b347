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

enum err citizen_org_file(struct store *db, long long by, const struct citizen_org_new *o,
                          long long now, long long *id, struct problem *p)
{
    *id = 0;
    if (!citizen_org_kind_valid(o->kind))
        return problem_set(p, ERR_RULE, "kind",
                           "组织类型应为 volunteer_org、facility_operator、school、enterprise 或 "
                           "social_org");
    if (!o->name || !*o->name || strlen(o->name) > CITIZEN_ORG_NAME_MAX)
        return problem_set(p, ERR_RULE, "name", "组织名称应为1到%d个字节", CITIZEN_ORG_NAME_MAX);
    if (!citizen_uscc_check(o->uscc, p)) return p->err;
    struct unit u;
    enum err e = unit_get(db, o->unit_id, &u);
    if (e == ERR_NOT_FOUND ||
        (e == OK && !unit_tier_is_district_level(u.tier) && strcmp(u.tier, "city_department") != 0))
        return problem_set(p, ERR_RULE, "unit_id", "审核单位应为区县（含管委会）或主管的市级部门");
    if (e != OK) return e;
    struct citizen_brief b;
    e = citizen_get(db, by, now, &b);
    if (e != OK) return e;
    if (!b.verified || b.minor)
        return problem_set(p, ERR_FORBIDDEN, "", "登记组织的负责人须是已完成实名认证的成年人");
    long long owner;
    e = citizen_store_org_insert(db, by, o, now, id);
    if (e == OK) e = citizen_store_unique_claim(db, "uscc", o->uscc, *id, now, &owner);
    if (e == OK && owner != *id)
        return problem_set(p, ERR_CONFLICT, "uscc",
                           "该统一社会信用代码已登记，请联系该组织的管理员添加您为成员");
    bool added;
    if (e == OK) e = citizen_store_member_add(db, *id, by, "org_admin", now, &added);
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
                           strcmp(st, "accepted") == 0 ? "已通过" : "已退回");
    if (!accept && (!reason || !*reason))
        return problem_set(p, ERR_RULE, "reason", "退回登记须写明理由");
    if (by && same_person(db, k, reviewer, by))
        return problem_set(p, ERR_FORBIDDEN, "", "本人提交的组织登记不能由本人审核");
    bool done;
    e = citizen_store_org_review(db, org, accept, reason, reviewer, now, &done);
    if (e == OK && !done) return problem_set(p, ERR_CONFLICT, "decision", "该登记已被审核");
    if (e == OK) e = citizen_tell_org_review(db, org, by, accept, reason, now);
    return e;
}

json_t *citizen_org_json(struct store *db, long long org, bool members)
{
    json_t *o = citizen_store_org_json(db, org, members);
    if (!o) return NULL;
    json_object_set_new(
        o, "kind_label",
        json_string(citizen_org_kind_label(json_string_value(json_object_get(o, "kind")))));
    json_object_set_new(o, "unit",
                        unit_json(db, json_integer_value(json_object_get(o, "unit_id"))));
    return o;
}

json_t *citizen_org_list(struct store *db, long long unit, const char *status, long long member,
                         long long after, long long limit, long long *last)
{
    json_t *a = citizen_store_org_list(db, unit, status, member, after, limit, last);
    size_t i;
    json_t *o;
    json_array_foreach(a, i, o)
    {
        json_object_set_new(
            o, "kind_label",
            json_string(citizen_org_kind_label(json_string_value(json_object_get(o, "kind")))));
    }
    return a;
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
