/* facility.c - the registry (file, correct, review) and sessions (create, recur, cancel, read)
 * of the facility area; see facility.h. */
#include "facility/facility_store.h"
#include "base/date.h"
#include "citizen/citizen.h"
#include "org/units.h"
#include "notify/notify.h"
#include <stdio.h>
#include <string.h>

/* Whether the citizen is a member of the organisation (role in *admin: org_admin). */
static bool org_member(struct store *db, long long org, long long citizen, bool *admin,
                       bool *accepted)
{
    json_t *o = citizen_org_for_member(db, org, citizen);
    const char *role = o ? json_string_value(json_object_get(o, "my_role")) : NULL;
    const char *st = o ? json_string_value(json_object_get(o, "status")) : NULL;
    if (admin) *admin = role && strcmp(role, "org_admin") == 0;
    if (accepted) *accepted = st && strcmp(st, "accepted") == 0;
    json_decref(o);
    return role != NULL;
}

static enum err check_new(const struct fac_new *f, bool all, struct problem *p)
{
    if ((all || f->category) && !fac_category_valid(f->category))
        return problem_set(p, ERR_RULE, "category",
                           "类别应为 monitoring（环境监测设施）、sewage（城市污水处理设施）、"
                           "waste（城市生活垃圾处理设施）、hazardous（危险废物和废弃电器电子产品"
                           "处理设施）或 voluntary（其他自愿开放设施）");
    if (f->category && strcmp(f->category, "voluntary") == 0 && (!f->kind_note || !*f->kind_note))
        return problem_set(p, ERR_RULE, "kind_note",
                           "自愿开放的设施请说明类型（如企业开放日、教育基地）");
    if ((all || f->name) && (!f->name || !*f->name))
        return problem_set(p, ERR_RULE, "name", "请填写设施名称");
    if ((all || f->address) && (!f->address || !*f->address))
        return problem_set(p, ERR_RULE, "address", "请填写地址");
    if ((all || f->lat_e6 >= 0) && (f->lat_e6 < 28000000 || f->lat_e6 > 33000000))
        return problem_set(p, ERR_RULE, "lat", "纬度应在重庆市范围内（北纬28°至33°）");
    if ((all || f->lng_e6 >= 0) && (f->lng_e6 < 105000000 || f->lng_e6 > 111000000))
        return problem_set(p, ERR_RULE, "lng", "经度应在重庆市范围内（东经105°至111°）");
    return OK;
}

enum err fac_file(struct store *db, long long by, const struct fac_new *f, long long now,
                  long long *id, struct problem *p)
{
    enum err e = check_new(f, true, p);
    if (e != OK) return e;
    struct unit u;
    e = unit_get(db, f->unit_id, &u);
    if (e == ERR_NOT_FOUND) return problem_set(p, ERR_RULE, "unit_id", "所在区县（单位）不存在");
    if (e != OK) return e;
    bool admin, accepted;
    if (!org_member(db, f->org_id, by, &admin, &accepted) || !admin || !accepted)
        return problem_set(p, ERR_RULE, "org_id",
                           "运营单位应为已通过登记、且由您担任管理员的组织账号");
    return fac_store_insert(db, f, by, now, id);
}

static enum err load(struct store *db, long long id, struct fac_row *f, struct problem *p)
{
    bool found;
    enum err e = fac_store_get(db, id, f, &found);
    if (e == OK && !found) return problem_set(p, ERR_NOT_FOUND, "id", "设施不存在");
    return e;
}

bool fac_is_operator(struct store *db, long long id, long long citizen)
{
    struct fac_row f;
    bool found;
    if (citizen <= 0 || fac_store_get(db, id, &f, &found) != OK || !found) return false;
    return org_member(db, f.org_id, citizen, NULL, NULL);
}

enum err fac_update(struct store *db, long long id, long long by, const struct fac_new *f,
                    long long now, struct problem *p)
{
    struct fac_row r;
    enum err e = load(db, id, &r, p);
    if (e != OK) return e;
    if (!org_member(db, r.org_id, by, NULL, NULL))
        return problem_set(p, ERR_NOT_FOUND, "id", "设施不存在或您不是其运营单位的成员");
    struct fac_new g = *f;
    if (!g.category && strcmp(r.category, "voluntary") == 0 && g.kind_note && !*g.kind_note)
        g.category = r.category;
    if ((e = check_new(&g, false, p)) != OK) return e;
    return fac_store_update(db, id, f, now);
}

enum err fac_review(struct store *db, long long id, const char *decision, const char *reason,
                    const struct fac_actor *who, long long now, struct problem *p)
{
    struct fac_row r;
    enum err e = load(db, id, &r, p);
    if (e != OK) return e;
    if (!who->official) return problem_set(p, ERR_FORBIDDEN, "id", "只有区县或市级主管部门审核");
    if (citizen_is_official(db, who->keys, r.filed_by, who->official))
        return problem_set(p, ERR_FORBIDDEN, "id", "您是该设施的申报人，不能审核自己申报的设施");
    const char *to = fac_decide(r.status, decision);
    if (!to)
        return problem_set(p, ERR_CONFLICT, "decision", "设施当前为“%s”，不能%s",
                           fac_status_label(r.status), decision ? decision : "");
    if (strcmp(decision, "return") == 0 && (!reason || !*reason))
        return problem_set(p, ERR_RULE, "reason", "退回时请说明原因");
    bool done;
    if ((e = fac_store_status(db, id, r.status, to, who->name ? who->name : "", reason, now,
                              &done)) != OK)
        return e;
    return done ? OK : problem_set(p, ERR_CONFLICT, "id", "设施状态已变化，请刷新后重试");
}

long long fac_unit(struct store *db, long long id)
{
    struct fac_row r;
    bool found;
    return fac_store_get(db, id, &r, &found) == OK && found ? r.unit_id : 0;
}

json_t *fac_json(struct store *db, long long id, bool sessions, long long now)
{
    json_t *o = fac_store_json(db, id);
    if (o && sessions) {
        json_t *s = fac_store_next_sessions(db, id, now, 20);
        if (!s) {
            json_decref(o);
            return NULL;
        }
        json_object_set_new(o, "next_sessions", s);
    }
    return o;
}

json_t *fac_list(struct store *db, const struct fac_find *f, long long now, long long after,
                 long long limit, long long *last)
{
    json_t *a;
    if (f->operator_cid > 0) {
        /* the organisations the operator belongs to, then each one's facilities */
        struct citizen_org_filter of = {.member = f->operator_cid};
        long long ol;
        json_t *orgs = citizen_org_list(db, &of, 0, 50, &ol);
        if (!orgs) return NULL;
        a = json_array();
        size_t i;
        json_t *org;
        *last = 0;
        json_array_foreach(orgs, i, org)
        {
            struct fac_find g = *f;
            g.operator_cid = 0;
            g.org = json_integer_value(json_object_get(org, "id"));
            long long l;
            json_t *part = fac_store_list(db, &g, 0, 200, &l);
            if (!part) {
                json_decref(orgs);
                json_decref(a);
                return NULL;
            }
            json_array_extend(a, part);
            json_decref(part);
        }
        json_decref(orgs);
    } else
        a = fac_store_list(db, f, after, limit, last);
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x)
    {
        json_t *s =
            fac_store_next_sessions(db, json_integer_value(json_object_get(x, "id")), now, 3);
        if (!s) {
            json_decref(a);
            return NULL;
        }
        json_object_set_new(x, "next_sessions", s);
    }
    return a;
}

/* ---- sessions ---- */

enum err fac_session_create(struct store *db, long long facility, long long by,
                            const struct fac_session_new *s, long long now, long long *ids, int *n,
                            struct problem *p)
{
    *n = 0;
    struct fac_row f;
    enum err e = load(db, facility, &f, p);
    if (e != OK) return e;
    if (!org_member(db, f.org_id, by, NULL, NULL))
        return problem_set(p, ERR_NOT_FOUND, "id", "设施不存在或您不是其运营单位的成员");
    if (strcmp(f.status, "open") != 0)
        return problem_set(p, ERR_CONFLICT, "id", "设施当前为“%s”，审核通过后才能发布开放场次",
                           fac_status_label(f.status));
    int d;
    if (!s->day || !date_parse(s->day, &d))
        return problem_set(p, ERR_RULE, "day", "日期应为 YYYY-MM-DD");
    if (s->ends_at <= s->starts_at)
        return problem_set(p, ERR_RULE, "ends_at", "结束时间应晚于开始时间");
    if (date_today_shanghai(s->starts_at) != d)
        return problem_set(p, ERR_RULE, "starts_at", "开始时间应在场次日期当天（北京时间）");
    if (s->starts_at <= now) return problem_set(p, ERR_RULE, "starts_at", "开始时间应晚于现在");
    if (s->ind_quota + s->grp_quota < s->capacity && s->ind_quota + s->grp_quota < 1)
        return problem_set(p, ERR_RULE, "individual_quota", "个人和团体名额不能都为0");
    if (s->ind_quota > s->capacity || s->grp_quota > s->capacity)
        return problem_set(p, ERR_RULE, "individual_quota", "个人或团体名额不能超过场次容量");
    if (s->capacity > f.safety_limit)
        return problem_set(p, ERR_RULE, "capacity", "场次容量不能超过设施的安全限额（%lld人）",
                           f.safety_limit);
    if (s->booking_opens >= s->booking_closes || s->booking_closes > s->starts_at)
        return problem_set(p, ERR_RULE, "booking_closes",
                           "预约开放时间应早于预约截止时间，截止时间不晚于场次开始");
    if (s->cancel_by > s->starts_at)
        return problem_set(p, ERR_RULE, "cancel_by", "取消截止时间不能晚于场次开始");
    int times = s->every ? s->times : 1;
    if (s->every && (strcmp(s->every, "week") != 0 && strcmp(s->every, "month") != 0))
        return problem_set(p, ERR_RULE, "repeat.every",
                           "重复方式应为 week（每周）或 month（每月）");
    if (times < 1 || times > FAC_REPEAT_MAX)
        return problem_set(p, ERR_RULE, "repeat.times", "重复次数应为1到%d", FAC_REPEAT_MAX);
    for (int i = 0; i < times; i++) {
        int off = s->every ? fac_repeat_offset(s->day, s->every, i) : 0;
        if (off < 0) continue; /* a month without that day (the 31st …) */
        char day[11];
        date_format(d + off, day);
        long long id;
        if ((e = fac_store_session_insert(db, facility, s, day, off * 86400LL, f.safety_limit,
                                          fac_key_date(day), by, now, &id)) != OK)
            return e;
        ids[(*n)++] = id;
    }
    return OK;
}

long long fac_session_facility(struct store *db, long long session)
{
    struct fac_session_row s;
    bool found;
    return fac_store_session_get(db, session, &s, &found) == OK && found ? s.facility_id : 0;
}

struct notice_ctx {
    struct store *db;
    const char *title;
    long long session, now;
};

static enum err tell(void *arg, long long citizen)
{
    struct notice_ctx *c = arg;
    char key[64];
    snprintf(key, sizeof key, "fac:cancel:%lld", c->session);
    struct citizen_msg m = {.citizen_id = citizen,
                            .kind = "fac_cancel",
                            .title = c->title,
                            .link = "/m/fac/mine",
                            .dedupe_key = key};
    return citizen_inbox_add(c->db, &m, c->now, NULL);
}

enum err fac_session_cancel(struct store *db, long long session, long long by, long long now,
                            struct problem *p)
{
    struct fac_session_row s;
    bool found;
    enum err e = fac_store_session_get(db, session, &s, &found);
    if (e != OK) return e;
    if (!found || !fac_is_operator(db, s.facility_id, by))
        return problem_set(p, ERR_NOT_FOUND, "id", "场次不存在或您不是设施运营单位的成员");
    bool done;
    if ((e = fac_store_session_status(db, session, "open", "cancelled", &done)) != OK) return e;
    if (!done) return problem_set(p, ERR_CONFLICT, "id", "场次已结束或已取消");
    struct fac_row f;
    if ((e = load(db, s.facility_id, &f, p)) != OK) return e;
    char title[FAC_TEXT_MAX + 80];
    snprintf(title, sizeof title, "开放场次已取消：%s（%s）", f.name, s.day);
    struct notice_ctx c = {db, title, session, now};
    if ((e = fac_store_session_people(db, session, tell, &c)) != OK) return e;
    return fac_store_session_clear(db, session, now);
}

json_t *fac_session_json(struct store *db, long long session, bool roster, long long citizen)
{
    (void)citizen;
    json_t *o = fac_store_session_json(db, session);
    if (o && roster) {
        json_t *r = fac_store_roster(db, session);
        if (!r) {
            json_decref(o);
            return NULL;
        }
        json_object_set_new(o, "roster", r);
    }
    return o;
}

json_t *fac_key_dates_json(struct store *db, int year, long long unit)
{
    static const char *const codes[] = {"world_env_day", "low_carbon_day", "eco_day"};
    json_t *a = json_array();
    for (size_t i = 0; i < 3; i++) {
        char day[11];
        bool known = fac_key_date_day(codes[i], year, day);
        json_t *missing = known ? fac_store_without_session(db, day, unit) : json_array();
        if (!missing) {
            json_decref(a);
            return NULL;
        }
        json_array_append_new(a, json_pack("{s:s,s:s,s:s?,s:o}", "code", codes[i], "label",
                                           fac_key_date_label(codes[i]), "day", known ? day : NULL,
                                           "without_session", missing));
    }
    return json_pack("{s:i,s:o}", "year", year, "key_dates", a);
}
