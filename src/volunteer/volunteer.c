/* volunteer.c - teams (filing, review by the level above, moving within the tree with the
 * history kept), the volunteer registry (verified citizens, their numbers, the sealed emergency
 * contact) and team memberships. The level above a team is its parent team's admins; a
 * top-level team (市级总队) is reviewed by the officials holding PERM_VOL_REVIEW for its unit
 * (the route checks that reach). Whoever filed a team, or administers it, never reviews it. */
#include "volunteer/volunteer_store.h"
#include "base/date.h"
#include "citizen/citizen.h"
#include "org/units.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EMERGENCY_FIELD "vol_emergency"

static void actor_text(const struct vol_actor *who, char out[40])
{
    if (who->citizen)
        snprintf(out, 40, "citizen:%lld", who->citizen);
    else
        snprintf(out, 40, "user:%lld", who->official);
}

static enum err need_verified(struct store *db, long long citizen, long long now, struct problem *p)
{
    struct citizen_brief b;
    enum err e = citizen_get(db, citizen, now, &b);
    if (e != OK && e != ERR_NOT_FOUND) return e;
    if (e != OK || !b.active || !b.verified)
        return problem_set(p, ERR_FORBIDDEN, "realname", "请先完成实名认证");
    return OK;
}

enum err vol_team_file(struct store *db, long long by, const struct vol_team_new *t, long long now,
                       long long *id, struct problem *p)
{
    *id = 0;
    enum err e = need_verified(db, by, now, p);
    if (e != OK) return e;
    if (!vol_level_valid(t->level))
        return problem_set(p, ERR_RULE, "level",
                           "层级应为 city（市级总队）、direct（直属分队）、district（区县分队）、"
                           "org（环保志愿服务组织）或 street（乡镇街道志愿服务队）");
    struct vol_team_row parent = {0};
    if (t->parent_id) {
        bool found;
        if ((e = vol_store_team_get(db, t->parent_id, &parent, &found)) != OK) return e;
        if (!found) return problem_set(p, ERR_RULE, "parent_id", "上级队伍不存在");
    }
    if (!vol_level_under(t->parent_id ? parent.level : NULL, t->level))
        return problem_set(p, ERR_RULE, "parent_id",
                           t->parent_id ? "该层级的队伍不能设在这个上级队伍之下"
                                        : "只有市级总队可以没有上级队伍");
    struct unit u;
    e = unit_get(db, t->unit_id, &u);
    if (e == ERR_NOT_FOUND) return problem_set(p, ERR_RULE, "unit_id", "所属区县（单位）不存在");
    if (e != OK) return e;
    json_t *org = citizen_org_for_member(db, t->org_id, by);
    const char *role = org ? json_string_value(json_object_get(org, "my_role")) : NULL;
    const char *ost = org ? json_string_value(json_object_get(org, "status")) : NULL;
    bool ok = role && strcmp(role, "org_admin") == 0 && ost && strcmp(ost, "accepted") == 0;
    json_decref(org);
    if (!ok)
        return problem_set(p, ERR_RULE, "org_id",
                           "组织账号应为已通过登记、且由您担任管理员的社会组织");
    if ((e = vol_store_team_insert(db, t, by, now, id)) != OK) return e;
    if ((e = vol_store_admin_add(db, *id, by, now)) != OK) return e;
    char actor[40];
    actor_text(&(struct vol_actor){.citizen = by}, actor);
    return vol_store_history_add(db, *id, now, actor, "filed", t->name);
}

bool vol_team_is_admin(struct store *db, long long team, long long citizen)
{
    return citizen > 0 && vol_store_is_admin(db, team, citizen);
}

bool vol_team_citizen_reviews(struct store *db, long long team, long long citizen)
{
    struct vol_team_row t;
    bool found;
    if (vol_store_team_get(db, team, &t, &found) != OK || !found || !t.parent_id) return false;
    return t.filed_by != citizen && !vol_store_is_admin(db, team, citizen) &&
           vol_store_is_admin(db, t.parent_id, citizen);
}

/* Whether who is the level above the team (the route has checked an official's reach). */
static bool reviews(struct store *db, const struct vol_team_row *t, const struct vol_actor *who)
{
    if (who->official)
        return t->parent_id == 0 && !citizen_is_official(db, who->keys, t->filed_by, who->official);
    return vol_team_citizen_reviews(db, t->id, who->citizen);
}

enum err vol_team_review(struct store *db, long long team, const char *decision,
                         const struct vol_actor *who, long long now, struct problem *p)
{
    struct vol_team_row t;
    bool found;
    enum err e = vol_store_team_get(db, team, &t, &found);
    if (e != OK) return e;
    if (!found) return problem_set(p, ERR_NOT_FOUND, "id", "队伍不存在");
    if (!reviews(db, &t, who))
        return problem_set(p, ERR_FORBIDDEN, "id",
                           t.parent_id ? "只有上级队伍的管理员可以审核本队伍（申报人不能审核）"
                                       : "市级总队由联席会议办公室或所属区县审核");
    const char *to = vol_team_decide(t.status, decision);
    if (!to)
        return problem_set(p, ERR_CONFLICT, "decision", "队伍当前为“%s”，不能执行该审核操作",
                           vol_team_status_label(t.status));
    char actor[40];
    actor_text(who, actor);
    bool done;
    if ((e = vol_store_team_status(db, team, t.status, to, actor, now, &done)) != OK) return e;
    if (!done) return problem_set(p, ERR_CONFLICT, "decision", "队伍状态已变化，请刷新后重试");
    return vol_store_history_add(db, team, now, actor, decision, to);
}

enum err vol_team_move(struct store *db, long long team, long long parent,
                       const struct vol_actor *who, long long now, struct problem *p)
{
    struct vol_team_row t, np;
    bool found;
    enum err e = vol_store_team_get(db, team, &t, &found);
    if (e != OK) return e;
    if (!found) return problem_set(p, ERR_NOT_FOUND, "id", "队伍不存在");
    if ((e = vol_store_team_get(db, parent, &np, &found)) != OK) return e;
    if (!found) return problem_set(p, ERR_RULE, "parent_id", "新的上级队伍不存在");
    bool may = who->official
                   ? true
                   : (vol_store_is_admin(db, parent, who->citizen) && t.filed_by != who->citizen);
    if (!may)
        return problem_set(p, ERR_FORBIDDEN, "parent_id", "只有新的上级队伍的管理员可以接收本队伍");
    if (!vol_level_under(np.level, t.level))
        return problem_set(p, ERR_RULE, "parent_id", "该层级的队伍不能设在这个上级队伍之下");
    for (long long up = parent, hops = 0; up; hops++) { /* no team under its own subtree */
        if (up == team || hops > 16)
            return problem_set(p, ERR_RULE, "parent_id", "不能把队伍移到它自己的下级队伍之下");
        struct vol_team_row r;
        if ((e = vol_store_team_get(db, up, &r, &found)) != OK) return e;
        up = found ? r.parent_id : 0;
    }
    if ((e = vol_store_team_parent(db, team, parent, now)) != OK) return e;
    char actor[40], detail[64];
    actor_text(who, actor);
    snprintf(detail, sizeof detail, "%lld→%lld", t.parent_id, parent);
    return vol_store_history_add(db, team, now, actor, "moved", detail);
}

enum err vol_team_admin_add(struct store *db, long long team, long long by, long long citizen,
                            long long now, struct problem *p)
{
    if (!vol_store_is_admin(db, team, by))
        return problem_set(p, ERR_NOT_FOUND, "id", "队伍不存在或您不是其管理员");
    char st[12];
    enum err e = vol_store_member_status(db, team, citizen, st);
    if (e != OK) return e;
    if (strcmp(st, "approved") != 0)
        return problem_set(p, ERR_RULE, "citizen_id", "只能把本队伍已通过的成员设为管理员");
    if ((e = vol_store_admin_add(db, team, citizen, now)) != OK) return e;
    char actor[40], detail[32];
    actor_text(&(struct vol_actor){.citizen = by}, actor);
    snprintf(detail, sizeof detail, "citizen:%lld", citizen);
    return vol_store_history_add(db, team, now, actor, "admin_added", detail);
}

long long vol_team_unit(struct store *db, long long team)
{
    struct vol_team_row t;
    bool found;
    return vol_store_team_get(db, team, &t, &found) == OK && found ? t.unit_id : 0;
}

json_t *vol_team_json(struct store *db, long long team, long long citizen)
{
    json_t *o = vol_store_team_json(db, team);
    if (!o || !citizen) return o;
    json_t *a = json_array();
    const char *st = json_string_value(json_object_get(o, "status"));
    bool admin = vol_store_is_admin(db, team, citizen);
    if (vol_team_citizen_reviews(db, team, citizen)) {
        if (vol_team_decide(st, "approve")) json_array_append_new(a, json_string("approve"));
        if (vol_team_decide(st, "suspend")) json_array_append_new(a, json_string("suspend"));
        if (vol_team_decide(st, "restore")) json_array_append_new(a, json_string("restore"));
    }
    if (admin) {
        json_array_append_new(a, json_string("add_admin"));
        json_array_append_new(a, json_string("decide_members"));
        if (st && strcmp(st, "active") == 0) json_array_append_new(a, json_string("publish"));
    }
    char ms[12] = "";
    vol_store_member_status(db, team, citizen, ms);
    if (!admin && st && strcmp(st, "active") == 0 && (!ms[0] || strcmp(ms, "rejected") == 0))
        json_array_append_new(a, json_string("join"));
    json_object_set_new(o, "my_membership", ms[0] ? json_string(ms) : json_null());
    json_object_set_new(o, "actions", a);
    return o;
}

json_t *vol_team_list(struct store *db, long long unit, const char *status, long long after,
                      long long limit, long long *last)
{
    return vol_store_team_list(db, unit, status, after, limit, last);
}

/* ---- the registry ---- */

static bool list_ok(const char *s, const char *field, struct problem *p)
{
    if (s && strlen(s) > VOL_LIST_MAX) {
        problem_set(p, ERR_RULE, field, "内容过长（不超过%d个字节）", VOL_LIST_MAX);
        return false;
    }
    return true;
}

/* Seals the contact (NULL: keep); mask gets "张*" + last 4 digits style text. */
static enum err seal_contact(const struct keys *k, const char *c, unsigned char **seal, size_t *n,
                             char mask[64], struct problem *p)
{
    *seal = NULL;
    *n = 0;
    mask[0] = '\0';
    if (!c) return OK;
    size_t len = strlen(c);
    if (len < 2 || len > 100)
        return problem_set(p, ERR_RULE, "emergency_contact",
                           "紧急联系人应写明姓名和电话（不超过100个字节）");
    size_t tail = len >= 4 ? 4 : len;
    snprintf(mask, 64, "****%s", c + len - tail);
    return pii_seal(k, EMERGENCY_FIELD, c, seal, n) == OK ? OK : ERR_INTERNAL;
}

enum err vol_join(struct store *db, const struct keys *k, long long citizen,
                  const struct vol_profile *pr, long long now, struct problem *p)
{
    enum err e = need_verified(db, citizen, now, p);
    if (e != OK) return e;
    if (!list_ok(pr->skills, "skills", p) || !list_ok(pr->availability, "availability", p) ||
        !list_ok(pr->districts, "districts", p))
        return p->err;
    unsigned char *seal;
    size_t n;
    char mask[64];
    if ((e = seal_contact(k, pr->emergency, &seal, &n, mask, p)) != OK) return e;
    int y, m, d;
    date_to_ymd(date_today_shanghai(now), &y, &m, &d);
    char number[32];
    vol_number(citizen, y, number);
    bool added;
    e = vol_store_volunteer_insert(db, citizen, number, pr, seal, n, mask[0] ? mask : NULL, now,
                                   &added);
    free(seal);
    if (e != OK) return e;
    if (!added) return problem_set(p, ERR_CONFLICT, "citizen_id", "您已在志愿者名册中");
    return OK;
}

enum err vol_profile_update(struct store *db, const struct keys *k, long long citizen,
                            const struct vol_profile *pr, long long now, struct problem *p)
{
    if (!list_ok(pr->skills, "skills", p) || !list_ok(pr->availability, "availability", p) ||
        !list_ok(pr->districts, "districts", p))
        return p->err;
    unsigned char *seal;
    size_t n;
    char mask[64];
    enum err e = seal_contact(k, pr->emergency, &seal, &n, mask, p);
    if (e != OK) return e;
    bool found;
    e = vol_store_volunteer_update(db, citizen, pr, seal, n, mask, now, &found);
    free(seal);
    if (e == OK && !found) return problem_set(p, ERR_NOT_FOUND, "citizen_id", "您还不是注册志愿者");
    return e;
}

json_t *vol_me_json(struct store *db, const struct keys *k, long long citizen, long long now)
{
    unsigned char *seal;
    size_t n;
    json_t *o = vol_store_volunteer_json(db, citizen, &seal, &n);
    if (!o) return NULL;
    char *clear = NULL;
    if (seal && pii_open(k, EMERGENCY_FIELD, seal, n, &clear) == OK) {
        json_object_set_new(o, "emergency_contact", json_string(clear));
        sodium_memzero(clear, strlen(clear));
        free(clear);
    } else {
        json_object_set_new(o, "emergency_contact", json_null());
    }
    free(seal);
    long long since = now - VOL_ABSENCE_WINDOW, absences = 0;
    vol_store_absences(db, citizen, since, &absences);
    json_object_set_new(o, "absences_12m", json_integer(absences));
    long long until = json_integer_value(json_object_get(o, "suspended_until"));
    json_object_set_new(o, "suspended", json_boolean(until > now));
    return o;
}

enum err vol_member_apply(struct store *db, long long team, long long citizen, long long now,
                          struct problem *p)
{
    (void)now;
    struct vol_team_row t;
    bool found;
    enum err e = vol_store_team_get(db, team, &t, &found);
    if (e != OK) return e;
    if (!found) return problem_set(p, ERR_NOT_FOUND, "id", "队伍不存在");
    unsigned char *seal;
    size_t n;
    json_t *me = vol_store_volunteer_json(db, citizen, &seal, &n);
    free(seal);
    if (!me) return problem_set(p, ERR_RULE, "citizen_id", "请先注册成为志愿者");
    json_decref(me);
    if (strcmp(t.status, "active") != 0)
        return problem_set(p, ERR_CONFLICT, "id", "该队伍尚未启用，暂不接受加入申请");
    bool added;
    if ((e = vol_store_member_apply(db, team, citizen, now, &added)) != OK) return e;
    if (!added) return problem_set(p, ERR_CONFLICT, "id", "您已申请或已加入该队伍");
    return OK;
}

enum err vol_member_decide(struct store *db, long long team, long long by, long long citizen,
                           bool approve, long long now, struct problem *p)
{
    if (!vol_store_is_admin(db, team, by))
        return problem_set(p, ERR_NOT_FOUND, "id", "队伍不存在或您不是其管理员");
    if (by == citizen) return problem_set(p, ERR_FORBIDDEN, "cid", "不能审批自己的加入申请");
    bool done;
    enum err e = vol_store_member_decide(db, team, citizen, approve ? "approved" : "rejected", by,
                                         now, &done);
    if (e == OK && !done) return problem_set(p, ERR_NOT_FOUND, "cid", "没有这个待审批的加入申请");
    return e;
}
