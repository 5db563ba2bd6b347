/* api_meeting.c - routes of the joint meeting system (联席会议, 附件2): member units (the office
 * edits them), meetings (the office plans them), each step of the chain (notice, receipts,
 * topics and their selection, agenda, the meeting held, minutes, countersigns, issue), the
 * documents as printable HTML and PDF, follow-up items, the holiday calendars, and a manual run
 * of the reminders. Parse and validate here, call the services, render what they return
 * (meeting_json.c): who may act (host, conveners, member units, the office for any) and every
 * rule of the chain are in meeting.c and meeting_minutes.c; no SQL here. Writes run inside the
 * pipeline's transaction (server.c): a refused step stores nothing. */
#include "http/route.h"
#include "http/server.h"
#include "base/date.h"
#include "base/jv.h"
#include "meeting/meeting.h"
#include "http/upload.h"
#include "base/jw.h"
#include "org/units.h"
#include "supervise/supervise.h"
#include "base/filetype.h"
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- common ---- */

static struct mt_actor actor(struct req *r)
{
    return (struct mt_actor){r->who->user_id, r->who->display_name, r->who->unit_id,
                             req_has_role(r, ROLE_OFFICE)};
}

/* The meeting named by {id}. */
static enum err meeting_param(struct req *r, long long *id)
{
    if (req_param_id(r, "id", id) != OK) return ERR_NOT_FOUND;
    if (!mt_meeting_exists(r->db, *id)) {
        if (store_err(r->db)) return req_store_fail(r);
        return req_fail(r, ERR_NOT_FOUND, "id", "会议不存在");
    }
    r->audit_object = arena_printf(r->a, "meeting:%lld", *id);
    return OK;
}

/* Whether the countersign route refuses the caller: a member unit signs through its unit_admin,
 * or a reporter when it has none (DOMAIN.md §1); a unit that is not a member is refused by the
 * service. */
static enum err countersign_refused(struct req *r, long long id, bool *refused)
{
    *refused = false;
    if (req_has_role(r, ROLE_OFFICE) || req_has_role(r, ROLE_UNIT_ADMIN)) return OK;
    struct mt_unit_role role;
    enum err e = mt_unit_role(r->db, id, r->who->unit_id, r->now, &role);
    if (e == OK && role.member)
        *refused = sv_unit_has_role(r->db, r->who->unit_id, 1u << ROLE_UNIT_ADMIN);
    return e;
}

/* The meeting as of now, with what the caller may do: the routes' permissions and the
 * countersign rule above, then the services' own checks (mt_meeting_actions). */
static enum err load_for_caller(struct req *r, long long id, unsigned parts, struct mt_meeting **m)
{
    struct mt_caller c = {.act = roles_allow(r->who->roles, PERM_MEETING_ACT),
                          .manage = roles_allow(r->who->roles, PERM_MEETING_MANAGE)};
    enum err e = countersign_refused(r, id, &c.countersign_refused);
    if (e == OK) e = mt_meeting_load(r->db, id, r->now, parts | MT_LOAD_TOPICS | MT_LOAD_RECORD, m);
    struct mt_actor by = actor(r);
    if (e == OK && (e = mt_meeting_actions(r->db, *m, &by, &c)) != OK) mt_meeting_free(*m);
    return e;
}

static enum err reply_meeting(struct req *r, int status, long long id)
{
    struct mt_meeting *m;
    enum err e = load_for_caller(r, id, MT_LOAD_ALL, &m);
    if (e != OK) return req_fail_err(r, e);
    struct jw w;
    jw_init(&w);
    mt_meeting_write(&w, m);
    mt_meeting_free(m);
    return reply_jw(r, status, &w);
}

/* {"items":[…],"next_cursor":null}: begin, then end with the items written. */
static void items_begin(struct jw *w)
{
    jw_init(w);
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
}

static enum err items_end(struct req *r, struct jw *w)
{
    jw_arr_end(w);
    jw_key(w, "next_cursor");
    jw_null(w);
    jw_obj_end(w);
    return reply_jw(r, 200, w);
}

/* A unit given as an id, a GB/T 2260 code or a key. */
static enum err unit_field(struct req *r, json_t *v, const char *field, long long *id)
{
    *id = 0;
    if (json_is_integer(v)) {
        long long u = (long long)json_integer_value(v);
        if (u > 0 && mt_unit_exists(r->db, u)) *id = u;
        if (!*id)
            return req_fail(r, ERR_RULE, field, "单位不存在：%lld",
                            (long long)json_integer_value(v));
        return OK;
    }
    if (json_is_string(v)) {
        *id = unit_find(r->db, json_string_value(v));
        if (!*id) return req_fail(r, ERR_RULE, field, "单位不存在：%.64s", json_string_value(v));
        return OK;
    }
    return req_fail(r, ERR_BAD_REQUEST, field, "字段 %s 应为单位编号、行政区划代码或单位简称",
                    field);
}

/* The fields every step takes: "on", "late_reason" and (for the office) "unit". */
static enum err step_fields(struct req *r, struct jv *v, struct mt_step_in *s)
{
    memset(s, 0, sizeof *s);
    s->on = jv_str(v, "on", false, 32);
    s->late_reason = jv_str(v, "late_reason", false, 4 * MT_REASON_MAX + 8);
    if (!jv_ok(v)) return req_fail_jv(r, v);
    json_t *u = json_object_get(r->json, "unit");
    if (u && !json_is_null(u)) return unit_field(r, u, "unit", &s->unit_id);
    return OK;
}

static json_t *array_field(struct req *r, const char *name, bool required, enum err *e)
{
    json_t *a = json_object_get(r->json, name);
    *e = OK;
    if (!a || json_is_null(a)) {
        if (required) *e = req_fail(r, ERR_BAD_REQUEST, name, "缺少必填字段：%s", name);
        return NULL;
    }
    if (!json_is_array(a)) {
        *e = req_fail(r, ERR_BAD_REQUEST, name, "字段 %s 应为数组", name);
        return NULL;
    }
    return a;
}

/* Each item of the array field name must be an object that check() passes; a failure names
 * the item ("decisions[2].due"). */
static enum err check_items(struct req *r, const char *name, json_t *arr, const char *const *keys,
                            void (*check)(struct jv *a, json_t *item))
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        if (!json_is_object(x))
            return req_fail(r, ERR_BAD_REQUEST, name, "%s 的每一项应为对象", name);
        struct jv a = {0};
        jv_begin(&a, x, keys);
        check(&a, x);
        if (!jv_ok(&a))
            return req_fail(r, a.err,
                            arena_printf(r->a, "%s[%zu].%s", name, i, a.field ? a.field : ""), "%s",
                            a.msg);
    }
    return OK;
}

static void attendance_item(struct jv *a, json_t *x)
{
    (void)x;
    jv_str(a, "unit_name", false, 4 * MT_NAME_MAX + 8);
    jv_str(a, "person", true, 4 * MT_NAME_MAX + 8);
    jv_str(a, "post", false, 4 * MT_NAME_MAX + 8);
    jv_str(a, "rank", true, 16);
    jv_bool(a, "guest", false, false);
}

static void held_decision_item(struct jv *a, json_t *x)
{
    (void)x;
    jv_int(a, "topic_id", true, 1, 1LL << 50, 0);
    jv_str(a, "decision", true, 4 * MT_TEXT_MAX + 8);
}

static void minutes_decision_item(struct jv *a, json_t *x)
{
    json_t *tv = json_object_get(x, "topic_id");
    if (tv && !json_is_null(tv)) jv_int(a, "topic_id", false, 1, 1LL << 50, 0);
    jv_str(a, "text", true, 4 * MT_REASON_MAX + 8);
    jv_str(a, "due", true, 32);
    json_t *u = json_object_get(x, "unit");
    if (jv_ok(a) && !json_is_integer(u) && !json_is_string(u))
        jv_fail(a, ERR_BAD_REQUEST, "unit", "缺少责任单位（unit：单位编号或简称）");
}

/* ---- member units ---- */

static enum err list_members(struct req *r)
{
    int asof = date_today_shanghai(r->now);
    const char *d = req_query(r, "date");
    if (d && !date_parse(d, &asof)) return req_fail(r, ERR_RULE, "date", "date 应为 YYYY-MM-DD");
    struct mt_member *items;
    size_t n;
    enum err e = mt_members(r->db, asof, r->a, &items, &n);
    if (e != OK) return req_fail_err(r, e);
    struct jw w;
    items_begin(&w);
    for (size_t i = 0; i < n; i++)
        mt_member_write(&w, &items[i]);
    return items_end(r, &w);
}

/* The membership as listed today. */
static enum err reply_member(struct req *r, int status, long long id)
{
    struct mt_member *items;
    size_t n;
    enum err e = mt_members(r->db, date_today_shanghai(r->now), r->a, &items, &n);
    if (e != OK) return req_fail_err(r, e);
    for (size_t i = 0; i < n; i++)
        if (items[i].id == id) {
            struct jw w;
            jw_init(&w);
            mt_member_write(&w, &items[i]);
            return reply_jw(r, status, &w);
        }
    return req_store_fail(r);
}

static enum err add_member(struct req *r)
{
    static const char *const allowed[] = {"unit", "role", "host", "joined_on", "note", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *role = jv_str(&v, "role", false, 16);
    bool host = jv_bool(&v, "host", false, false);
    const char *joined = jv_str(&v, "joined_on", false, 32);
    const char *note = jv_str(&v, "note", false, 4 * MT_REASON_MAX + 8);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    json_t *u = json_object_get(r->json, "unit");
    if (!u) return req_fail(r, ERR_BAD_REQUEST, "unit", "缺少必填字段：unit");
    long long unit;
    enum err e = unit_field(r, u, "unit", &unit);
    if (e != OK) return e;
    char today[11];
    date_format(date_today_shanghai(r->now), today);
    struct problem p = {0};
    long long id;
    e = mt_member_add(r->db, unit, role ? role : "member", host, joined ? joined : today, note,
                      r->now, &id, &p);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "meeting-member:%lld", id);
    return reply_member(r, 201, id);
}

static enum err update_member(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    static const char *const allowed[] = {"role", "host", "left_on", "note", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *role = jv_str(&v, "role", false, 16);
    json_t *hv = json_object_get(r->json, "host");
    bool host = jv_bool(&v, "host", false, false);
    json_t *lv = json_object_get(r->json, "left_on");
    const char *left = lv && !json_is_null(lv) ? jv_str(&v, "left_on", false, 32) : NULL;
    const char *note = jv_str(&v, "note", false, 4 * MT_REASON_MAX + 8);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    r->audit_object = arena_printf(r->a, "meeting-member:%lld", id);
    struct problem p = {0};
    enum err e = mt_member_update(r->db, id, role, hv ? (int)host : -1, left,
                                  lv && json_is_null(lv), note, r->now, &p);
    if (e != OK) return req_fail_problem(r, &p);
    return reply_member(r, 200, id);
}

/* ---- meetings ---- */

static const char *const meeting_fields[] = {
    "kind", "title", "date", "place", "level", "guests", "notes", "countersign_days", NULL};

static enum err parse_meeting(struct req *r, struct mt_meeting_in *in, unsigned *fields,
                              bool create)
{
    struct jv v = {0};
    jv_begin(&v, r->json, create ? meeting_fields : meeting_fields + 1);
    const char *kind = create ? jv_str(&v, "kind", false, 16) : NULL;
    in->title = jv_str(&v, "title", create, 4 * MT_TITLE_MAX + 8);
    in->date = jv_str(&v, "date", create, 32);
    in->place = jv_str(&v, "place", false, 4 * MT_PLACE_MAX + 8);
    const char *level = jv_str(&v, "level", false, 16);
    in->guests = jv_str_array(&v, "guests", false, MT_MAX_GUESTS + 1, 4 * MT_NAME_MAX + 8);
    in->notes = jv_str(&v, "notes", false, 4 * MT_TEXT_MAX + 8);
    in->countersign_days =
        (int)jv_int(&v, "countersign_days", false, -1000, 1000, MT_COUNTERSIGN_DAYS);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    *fields = 0;
    if (create || in->title) *fields |= MT_F_TITLE;
    if (create || in->date) *fields |= MT_F_DATE;
    if (create || json_object_get(r->json, "place")) *fields |= MT_F_PLACE;
    if (create || level) *fields |= MT_F_LEVEL;
    if (create || json_object_get(r->json, "guests")) *fields |= MT_F_GUESTS;
    if (create || json_object_get(r->json, "notes")) *fields |= MT_F_NOTES;
    if (create || json_object_get(r->json, "countersign_days")) *fields |= MT_F_CSDAYS;
    in->kind = MT_REGULAR;
    if (kind && !mt_kind_parse(kind, &in->kind))
        return req_fail(r, ERR_RULE, "kind",
                        "kind 应为 regular（例会，每半年一次）或 special（专题会议）");
    in->level = MT_LEVEL_STANDARD;
    if (level && !mt_level_parse(level, &in->level))
        return req_fail(r, ERR_RULE, "level",
                        "level 应为 standard（牵头单位分管负责同志、成员单位业务处室负责人参加）或 "
                        "senior（牵头单位主要负责同志、成员单位分管负责同志参加）");
    return OK;
}

static enum err create_meeting(struct req *r)
{
    struct mt_meeting_in in = {0};
    unsigned fields;
    enum err e = parse_meeting(r, &in, &fields, true);
    if (e != OK) return e;
    struct mt_actor by = actor(r);
    struct problem p = {0};
    long long id;
    if ((e = mt_meeting_create(r->db, &in, &by, r->now, &id, &p)) != OK)
        return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "meeting:%lld", id);
    return reply_meeting(r, 201, id);
}

static enum err get_meeting(struct req *r)
{
    long long id;
    enum err e = meeting_param(r, &id);
    return e != OK ? e : reply_meeting(r, 200, id);
}

static enum err update_meeting(struct req *r)
{
    long long id;
    enum err e = meeting_param(r, &id);
    if (e != OK) return e;
    struct mt_meeting_in in = {0};
    unsigned fields;
    if ((e = parse_meeting(r, &in, &fields, false)) != OK) return e;
    struct mt_actor by = actor(r);
    struct problem p = {0};
    if ((e = mt_meeting_update(r->db, id, &in, fields, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    return reply_meeting(r, 200, id);
}

static enum err list_meetings(struct req *r)
{
    long long limit, after, year;
    enum err e = req_page(r, &limit, &after);
    if (e == OK) e = req_query_int(r, "year", 2021, 2100, 0, &year);
    if (e != OK) return e;
    const char *kind = req_query(r, "kind"), *stage = req_query(r, "stage");
    enum mt_kind k;
    if (kind && !mt_kind_parse(kind, &k))
        return req_fail(r, ERR_RULE, "kind", "kind 应为 regular 或 special");
    enum mt_stage st;
    if (stage && !mt_stage_parse(stage, &st))
        return req_fail(r, ERR_RULE, "stage",
                        "stage 应为 planned、notified、agenda_sent、held、minutes 或 issued");
    const char *search = req_query(r, "q");
    if (search && strlen(search) > 64)
        return req_fail(r, ERR_RULE, "q", "搜索词过长（最多 64 字节，约 21 个汉字）");
    struct mt_meeting_filter f = {(int)year, kind, stage, search && *search ? search : NULL};
    struct mt_meeting_row *rows;
    size_t n;
    long long total;
    if ((e = mt_meeting_list(r->db, &f, after, limit, r->a, &rows, &n, &total)) != OK)
        return req_fail_err(r, e);
    struct jw w;
    jw_init(&w);
    jw_page_begin(&w);
    for (size_t i = 0; i < n; i++)
        mt_meeting_row_write(&w, &rows[i]);
    return reply_jw_page_total(r, &w, limit, (long long)n, n ? rows[n - 1].id : 0, total);
}

/* ---- steps ---- */

static enum err send_notice(struct req *r)
{
    long long id;
    enum err e = meeting_param(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"on", "late_reason", "body", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *body = jv_str(&v, "body", false, 4 * MT_TEXT_MAX + 8);
    struct mt_step_in s;
    if ((e = step_fields(r, &v, &s)) != OK) return e;
    struct mt_actor by = actor(r);
    struct problem p = {0};
    if ((e = mt_send_notice(r->db, id, &s, body, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    r->audit_detail = s.late_reason ? "notice (late)" : "notice";
    return reply_meeting(r, 200, id);
}

static enum err confirm_receipt(struct req *r)
{
    long long id;
    enum err e = meeting_param(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"on", "late_reason", "unit", "no_topics", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    bool none = jv_bool(&v, "no_topics", false, false);
    struct mt_step_in s;
    if ((e = step_fields(r, &v, &s)) != OK) return e;
    struct mt_actor by = actor(r);
    struct problem p = {0};
    if ((e = mt_confirm_receipt(r->db, id, &s, none, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    return reply_meeting(r, 200, id);
}

static enum err list_topics(struct req *r)
{
    long long id;
    enum err e = meeting_param(r, &id);
    if (e != OK) return e;
    struct mt_meeting *m;
    if ((e = load_for_caller(r, id, MT_LOAD_LABELS, &m)) != OK) return req_fail_err(r, e);
    struct jw w;
    items_begin(&w);
    for (size_t i = 0; i < m->ntopics; i++)
        mt_topic_write(&w, m, &m->topics[i]);
    mt_meeting_free(m);
    return items_end(r, &w);
}

static enum err reply_topic(struct req *r, int status, long long id, long long tid)
{
    struct mt_meeting *m;
    enum err e = load_for_caller(r, id, MT_LOAD_LABELS, &m);
    if (e != OK) return req_fail_err(r, e);
    const struct mt_topic *t = mt_meeting_topic(m, tid);
    struct jw w;
    jw_init(&w);
    if (t) mt_topic_write(&w, m, t);
    mt_meeting_free(m);
    if (!t) {
        jw_free(&w);
        return req_store_fail(r);
    }
    return reply_jw(r, status, &w);
}

static enum err submit_topic(struct req *r)
{
    long long id;
    enum err e = meeting_param(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {
        "on", "late_reason", "unit", "category", "title", "background", "decision_requested", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    struct mt_topic_in t = {0};
    t.category = (int)jv_int(&v, "category", true, -1000, 1000, 0);
    t.title = jv_str(&v, "title", true, 4 * MT_TITLE_MAX + 8);
    t.background = jv_str(&v, "background", true, 4 * MT_TEXT_MAX + 8);
    t.decision_requested = jv_str(&v, "decision_requested", true, 4 * MT_TEXT_MAX + 8);
    struct mt_step_in s;
    if ((e = step_fields(r, &v, &s)) != OK) return e;
    struct mt_actor by = actor(r);
    struct problem p = {0};
    long long tid;
    if ((e = mt_submit_topic(r->db, id, &s, &t, &by, r->now, &tid, &p)) != OK)
        return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "meeting:%lld/topic:%lld", id, tid);
    return reply_topic(r, 201, id, tid);
}

static enum err select_topic(struct req *r)
{
    long long id, tid;
    enum err e = meeting_param(r, &id);
    if (e != OK) return e;
    if (req_param_id(r, "tid", &tid) != OK) return ERR_NOT_FOUND;
    static const char *const allowed[] = {"decision", "into", "reason", "on", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *decision = jv_str(&v, "decision", true, 16);
    long long into = jv_int(&v, "into", false, 0, 1LL << 50, 0);
    const char *reason = jv_str(&v, "reason", false, 4 * MT_REASON_MAX + 8);
    const char *on = jv_str(&v, "on", false, 32);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    r->audit_object = arena_printf(r->a, "meeting:%lld/topic:%lld", id, tid);
    struct mt_actor by = actor(r);
    struct problem p = {0};
    if ((e = mt_select_topic(r->db, id, tid, decision, into, reason, on, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    r->audit_detail = decision;
    return reply_topic(r, 200, id, tid);
}

static enum err send_agenda(struct req *r)
{
    long long id;
    enum err e = meeting_param(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"on", "late_reason", "order", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    struct mt_step_in s;
    if ((e = step_fields(r, &v, &s)) != OK) return e;
    json_t *order = array_field(r, "order", false, &e);
    if (e != OK) return e;
    size_t i;
    json_t *x;
    json_array_foreach(order, i, x) if (!json_is_integer(x)) return req_fail(
        r, ERR_BAD_REQUEST, "order", "order 应为议题编号（整数）的数组");
    struct mt_actor by = actor(r);
    struct problem p = {0};
    if ((e = mt_send_agenda(r->db, id, &s, order, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    return reply_meeting(r, 200, id);
}

static enum err record_held(struct req *r)
{
    long long id;
    enum err e = meeting_param(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"on", "attendance", "decisions", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    struct mt_step_in s;
    if ((e = step_fields(r, &v, &s)) != OK) return e;
    json_t *att = array_field(r, "attendance", true, &e);
    if (e != OK) return e;
    json_t *dec = array_field(r, "decisions", false, &e);
    if (e != OK) return e;
    static const char *const att_keys[] = {"unit", "unit_name", "person", "post",
                                           "rank", "guest",     NULL};
    static const char *const dec_keys[] = {"topic_id", "decision", NULL};
    if ((e = check_items(r, "attendance", att, att_keys, attendance_item)) != OK ||
        (e = check_items(r, "decisions", dec, dec_keys, held_decision_item)) != OK)
        return e;
    json_t *empty = dec ? NULL : json_array();
    struct mt_actor by = actor(r);
    struct problem p = {0};
    e = mt_record_held(r->db, id, &s, att, dec ? dec : empty, &by, r->now, &p);
    json_decref(empty);
    if (e != OK) return req_fail_problem(r, &p);
    return reply_meeting(r, 200, id);
}

static enum err draft_minutes(struct req *r)
{
    long long id;
    enum err e = meeting_param(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"on", "late_reason", "body", "decisions", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *body = jv_str(&v, "body", true, 4 * MT_TEXT_MAX + 8);
    struct mt_step_in s;
    if ((e = step_fields(r, &v, &s)) != OK) return e;
    json_t *dec = array_field(r, "decisions", false, &e);
    if (e != OK) return e;
    static const char *const dec_keys[] = {"topic_id", "text", "unit", "due", NULL};
    if ((e = check_items(r, "decisions", dec, dec_keys, minutes_decision_item)) != OK) return e;
    json_t *empty = dec ? NULL : json_array();
    struct mt_actor by = actor(r);
    struct problem p = {0};
    e = mt_draft_minutes(r->db, id, &s, body, dec ? dec : empty, &by, r->now, &p);
    json_decref(empty);
    if (e != OK) return req_fail_problem(r, &p);
    return reply_meeting(r, 200, id);
}

static enum err countersign(struct req *r)
{
    long long id;
    enum err e = meeting_param(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"on", "late_reason", "unit", "action", "comment", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *action = jv_str(&v, "action", false, 16);
    const char *comment = jv_str(&v, "comment", false, 4 * MT_REASON_MAX + 8);
    struct mt_step_in s;
    if ((e = step_fields(r, &v, &s)) != OK) return e;
    bool refused;
    if ((e = countersign_refused(r, id, &refused)) != OK) return req_fail_err(r, e);
    if (refused)
        return req_fail(r, ERR_FORBIDDEN, "id", "本单位设有单位管理员，会签须由单位管理员办理");
    struct mt_actor by = actor(r);
    struct problem p = {0};
    if ((e = mt_countersign(r->db, id, &s, action ? action : "sign", comment, &by, r->now, &p)) !=
        OK)
        return req_fail_problem(r, &p);
    r->audit_detail = action ? action : "sign";
    return reply_meeting(r, 200, id);
}

static enum err issue_minutes(struct req *r)
{
    long long id;
    enum err e = meeting_param(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"on", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    struct mt_step_in s;
    if ((e = step_fields(r, &v, &s)) != OK) return e;
    struct mt_actor by = actor(r);
    struct problem p = {0};
    if ((e = mt_issue_minutes(r->db, id, &s, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    return reply_meeting(r, 200, id);
}

/* ---- files ---- */

static enum err put_attachment(struct req *r)
{
    long long id, tid;
    enum err e = meeting_param(r, &id);
    if (e != OK) return e;
    if (req_param_id(r, "tid", &tid) != OK) return ERR_NOT_FOUND;
    long long unit = mt_topic_unit(r->db, id, tid);
    if (!unit)
        return store_err(r->db) ? req_store_fail(r)
                                : req_fail(r, ERR_NOT_FOUND, "tid", "议题不存在");
    const char *name = req_param(r, "name");
    const char *declared;
    if ((e = upload_check(r, name, &declared)) != OK) return e;
    struct mt_actor by = actor(r);
    struct problem p = {0};
    bool created;
    char hash[65];
    e = mt_topic_file_put(r->db, id, tid, name, declared, r->body, r->body_len, &by, r->now,
                          &created, hash, &p);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "meeting:%lld/topic:%lld/%s", id, tid, name);
    return upload_answer(r, name, declared, hash, created);
}

static enum err get_attachment(struct req *r)
{
    long long id, tid;
    enum err e = meeting_param(r, &id);
    if (e != OK) return e;
    if (req_param_id(r, "tid", &tid) != OK) return ERR_NOT_FOUND;
    const char *name = req_param(r, "name");
    const void *data;
    size_t len;
    const char *type;
    e = filetype_name_valid(name)
            ? mt_topic_file_get(r->db, id, tid, name, upload_arena_alloc, r->a, &data, &len, &type)
            : ERR_NOT_FOUND;
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "name", "附件不存在");
    if (e != OK) return req_fail_err(r, e);
    return upload_download(r, name, type, data, len);
}

static enum err get_document(struct req *r)
{
    long long id;
    enum err e = meeting_param(r, &id);
    if (e != OK) return e;
    const char *file = req_param(r, "file");
    const char *dot = file ? strrchr(file, '.') : NULL;
    enum mt_doc_kind kind;
    char kname[16];
    bool pdf = dot && strcmp(dot, ".pdf") == 0, html = dot && strcmp(dot, ".html") == 0;
    if (!dot || (size_t)(dot - file) >= sizeof kname || (!pdf && !html))
        return req_fail(r, ERR_NOT_FOUND, "file",
                        "文件应为 notice、agenda 或 minutes 加 .pdf 或 .html");
    memcpy(kname, file, (size_t)(dot - file));
    kname[dot - file] = '\0';
    if (!mt_doc_kind_parse(kname, &kind))
        return req_fail(r, ERR_NOT_FOUND, "file",
                        "文件应为 notice、agenda 或 minutes 加 .pdf 或 .html");
    void *data;
    size_t len;
    bool stored;
    char name[256];
    e = mt_document(r->db, id, kind, pdf, r->now, &data, &len, &stored, name, sizeof name);
    if (e == ERR_NOT_FOUND)
        return req_fail(r, ERR_NOT_FOUND, "file", "%s尚未起草", mt_doc_kind_label(kind));
    if (e != OK) return req_fail_err(r, e);
    void *copy = arena_alloc(r->a, len ? len : 1);
    if (len) memcpy(copy, data, len);
    free(data);
    struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
    evhttp_add_header(h, "X-Document-State", stored ? "issued" : "draft");
    if (html) return reply_raw(r, 200, "text/html; charset=utf-8", copy, len, NULL);
    return reply_raw(r, 200, "application/pdf", copy, len, arena_strdup(r->a, name));
}

/* ---- follow-ups ---- */

static enum err list_followups(struct req *r)
{
    long long limit, after;
    enum err e = req_page(r, &limit, &after);
    struct mt_followup_filter f = {.overdue = -1};
    if (e == OK) e = req_query_int(r, "meeting", 1, 1LL << 50, 0, &f.meeting);
    if (e != OK) return e;
    const char *unit = req_query(r, "unit");
    if (unit) {
        f.unit = unit_find(r->db, unit);
        if (!f.unit) return req_fail(r, ERR_RULE, "unit", "单位不存在：%.64s", unit);
    }
    f.status = req_query(r, "status");
    enum mt_fu_status fs;
    if (f.status && !mt_fu_status_parse(f.status, &fs))
        return req_fail(r, ERR_RULE, "status", "status 应为 open、in_progress 或 done");
    const char *overdue = req_query(r, "overdue");
    if (overdue) {
        if (strcmp(overdue, "true") == 0 || strcmp(overdue, "1") == 0)
            f.overdue = 1;
        else if (strcmp(overdue, "false") == 0 || strcmp(overdue, "0") == 0)
            f.overdue = 0;
        else
            return req_fail(r, ERR_RULE, "overdue", "overdue 应为 true 或 false");
    }
    struct mt_followup *rows;
    size_t n;
    if ((e = mt_followup_list(r->db, &f, after, limit, r->now, r->a, &rows, &n)) != OK)
        return req_fail_err(r, e);
    struct jw w;
    jw_init(&w);
    jw_page_begin(&w);
    struct mt_actor by = actor(r);
    bool act = roles_allow(r->who->roles, PERM_MEETING_ACT);
    for (size_t i = 0; i < n; i++) {
        rows[i].with_actions = true;
        rows[i].may_update = act && mt_may_update_followup(&by, rows[i].unit.id);
        mt_followup_write(&w, &rows[i], date_today_shanghai(r->now));
    }
    return reply_jw_page(r, &w, limit, (long long)n, n ? rows[n - 1].id : 0);
}

static enum err reply_followup(struct req *r, long long id)
{
    struct mt_followup f;
    enum err e = mt_followup_get(r->db, id, r->a, &f);
    if (e != OK) return req_fail_err(r, e);
    struct mt_actor by = actor(r);
    f.with_actions = true;
    f.may_update =
        roles_allow(r->who->roles, PERM_MEETING_ACT) && mt_may_update_followup(&by, f.unit.id);
    struct jw w;
    jw_init(&w);
    mt_followup_write(&w, &f, date_today_shanghai(r->now));
    return reply_jw(r, 200, &w);
}

/* The follow-up the path names and its responsible unit. */
static enum err followup_param(struct req *r, long long *id, long long *unit)
{
    if (req_param_id(r, "id", id) != OK) return ERR_NOT_FOUND;
    enum err e = mt_followup_unit(r->db, *id, unit);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "id", "议定事项不存在");
    return e == OK ? OK : req_fail_err(r, e);
}

static enum err get_followup(struct req *r)
{
    long long id, unit;
    enum err e = followup_param(r, &id, &unit);
    if (e != OK) return e;
    return reply_followup(r, id);
}

static enum err update_followup(struct req *r)
{
    long long id, unit;
    enum err e = followup_param(r, &id, &unit);
    if (e != OK) return e;
    r->audit_object = arena_printf(r->a, "follow-up:%lld", id);
    struct mt_actor by = actor(r);
    if (!mt_may_update_followup(&by, unit))
        return req_fail(r, ERR_FORBIDDEN, "id", "只有责任单位或联席会议办公室可以更新落实情况");
    static const char *const allowed[] = {"status", "progress", "on", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *status = jv_str(&v, "status", false, 16);
    const char *progress = jv_str(&v, "progress", false, 4 * MT_TEXT_MAX + 8);
    const char *on = jv_str(&v, "on", false, 32);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    int today = date_today_shanghai(r->now), d = today;
    if (on && !date_parse(on, &d)) return req_fail(r, ERR_RULE, "on", "日期应为 YYYY-MM-DD");
    if (d > today) return req_fail(r, ERR_RULE, "on", "日期不能晚于今天");
    if (d != today && !req_has_role(r, ROLE_OFFICE))
        return req_fail(r, ERR_FORBIDDEN, "on", "只有联席会议办公室可以补录以前的日期");
    char ds[11];
    date_format(d, ds);
    struct problem p = {0};
    if ((e = mt_followup_update(r->db, id, status, progress, ds, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    return reply_followup(r, id);
}

/* ---- calendars ---- */

static enum err year_param(struct req *r, int *year)
{
    const char *s = req_param(r, "year");
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || *end || v < 2000 || v > 2100)
        return req_fail(r, ERR_NOT_FOUND, "year", "年份应在 2000 至 2100 之间");
    *year = (int)v;
    r->audit_object = arena_printf(r->a, "calendar:%d", *year);
    return OK;
}

static enum err list_calendars(struct req *r)
{
    struct mt_calendar_year *years;
    size_t n;
    enum err e = mt_calendar_years(r->db, r->a, &years, &n);
    if (e != OK) return req_fail_err(r, e);
    struct jw w;
    items_begin(&w);
    for (size_t i = 0; i < n; i++)
        mt_calendar_year_write(&w, &years[i], false);
    return items_end(r, &w);
}

/* One year with its days; 404 when not stored. */
static enum err reply_year(struct req *r, int year)
{
    struct mt_calendar_year y;
    enum err e = mt_calendar_year_get(r->db, year, r->a, &y);
    if (e == ERR_NOT_FOUND)
        return req_fail(r, ERR_NOT_FOUND, "year", "%d 年的节假日安排尚未录入", year);
    if (e != OK) return req_fail_err(r, e);
    struct jw w;
    jw_init(&w);
    mt_calendar_year_write(&w, &y, true);
    return reply_jw(r, 200, &w);
}

static enum err get_calendar(struct req *r)
{
    int year;
    enum err e = year_param(r, &year);
    if (e != OK) return e;
    return reply_year(r, year);
}

static enum err put_calendar(struct req *r)
{
    int year;
    enum err e = year_param(r, &year);
    if (e != OK) return e;
    int y;
    date_to_ymd(date_today_shanghai(r->now), &y, NULL, NULL);
    if (year < y)
        return req_fail(r, ERR_RULE, "year",
                        "%d 年已过去，其节假日安排不能再改：已据此计算的期限须保持不变", year);
    struct mt_year *yr = arena_alloc(r->a, sizeof *yr);
    struct problem p = {0};
    if (!mt_year_parse(r->json, year, yr, &p)) return req_fail_problem(r, &p);
    struct mt_actor by = actor(r);
    if ((e = mt_calendar_put(r->db, yr, &by, r->now, &p)) != OK) return req_fail_problem(r, &p);
    return reply_year(r, year);
}

static enum err get_vocabulary(struct req *r)
{
    struct jw w;
    jw_init(&w);
    mt_vocabulary_write(&w);
    return reply_jw(r, 200, &w);
}

/* The deadlines a meeting on ?date= would have (the form's preview): mt_meeting_deadlines. */
static enum err get_deadlines(struct req *r)
{
    const char *date = req_query(r, "date");
    int dl[MT__STEPS];
    struct problem p = {0};
    enum err e = mt_meeting_deadlines(r->db, date, dl, &p);
    if (e != OK) return req_fail_problem(r, &p);
    int day = 0;
    date_parse(date, &day); /* checked by mt_meeting_deadlines */
    struct jw w;
    jw_init(&w);
    mt_deadlines_write(&w, day, dl, date_today_shanghai(r->now));
    return reply_jw(r, 200, &w);
}

static enum err run_reminders(struct req *r)
{
    int added = 0;
    enum err e = mt_remind(r->db, r->now, &added);
    if (e != OK) return req_fail_err(r, e);
    r->audit_detail = arena_printf(r->a, "%d reminder(s)", added);
    return reply_json(r, 200, json_pack("{s:i}", "added", added));
}

const struct route meeting_routes[] = {
    {M_GET, "/api/v1/meeting-members", PERM_MEETING_READ, BODY_NONE, NULL, list_members, 0},
    {M_POST, "/api/v1/meeting-members", PERM_MEETING_MANAGE, BODY_JSON, "meeting.member.add",
     add_member, 0},
    {M_PATCH, "/api/v1/meeting-members/{id}", PERM_MEETING_MANAGE, BODY_JSON,
     "meeting.member.update", update_member, 0},
    {M_GET, "/api/v1/meetings", PERM_MEETING_READ, BODY_NONE, NULL, list_meetings, 0},
    {M_POST, "/api/v1/meetings", PERM_MEETING_MANAGE, BODY_JSON, "meeting.create", create_meeting,
     0},
    {M_GET, "/api/v1/meetings/{id}", PERM_MEETING_READ, BODY_NONE, NULL, get_meeting, 0},
    {M_PATCH, "/api/v1/meetings/{id}", PERM_MEETING_MANAGE, BODY_JSON, "meeting.update",
     update_meeting, 0},
    {M_POST, "/api/v1/meetings/{id}/notice", PERM_MEETING_ACT, BODY_JSON, "meeting.notice",
     send_notice, 0},
    {M_POST, "/api/v1/meetings/{id}/receipts", PERM_MEETING_ACT, BODY_JSON, "meeting.receipt",
     confirm_receipt, 0},
    {M_GET, "/api/v1/meetings/{id}/topics", PERM_MEETING_READ, BODY_NONE, NULL, list_topics, 0},
    {M_POST, "/api/v1/meetings/{id}/topics", PERM_MEETING_ACT, BODY_JSON, "meeting.topic",
     submit_topic, 0},
    {M_POST, "/api/v1/meetings/{id}/topics/{tid}/selection", PERM_MEETING_ACT, BODY_JSON,
     "meeting.topic.select", select_topic, 0},
    {M_GET, "/api/v1/meetings/{id}/topics/{tid}/attachments/{name}", PERM_MEETING_READ, BODY_NONE,
     NULL, get_attachment, 0},
    {M_PUT, "/api/v1/meetings/{id}/topics/{tid}/attachments/{name}", PERM_MEETING_ACT, BODY_RAW,
     "meeting.topic.attachment", put_attachment, 0},
    {M_POST, "/api/v1/meetings/{id}/agenda", PERM_MEETING_ACT, BODY_JSON, "meeting.agenda",
     send_agenda, 0},
    {M_POST, "/api/v1/meetings/{id}/held", PERM_MEETING_ACT, BODY_JSON, "meeting.held", record_held,
     0},
    {M_POST, "/api/v1/meetings/{id}/minutes", PERM_MEETING_ACT, BODY_JSON, "meeting.minutes",
     draft_minutes, 0},
    {M_POST, "/api/v1/meetings/{id}/countersigns", PERM_MEETING_ACT, BODY_JSON,
     "meeting.countersign", countersign, 0},
    {M_POST, "/api/v1/meetings/{id}/minutes/issue", PERM_MEETING_ACT, BODY_JSON,
     "meeting.minutes.issue", issue_minutes, 0},
    {M_GET, "/api/v1/meetings/{id}/documents/{file}", PERM_MEETING_READ, BODY_NONE, NULL,
     get_document, 0},
    {M_GET, "/api/v1/follow-ups", PERM_MEETING_READ, BODY_NONE, NULL, list_followups, 0},
    {M_GET, "/api/v1/follow-ups/{id}", PERM_MEETING_READ, BODY_NONE, NULL, get_followup, 0},
    {M_PATCH, "/api/v1/follow-ups/{id}", PERM_MEETING_ACT, BODY_JSON, "meeting.followup.update",
     update_followup, ROUTE_OWN_UNIT},
    {M_GET, "/api/v1/meeting-vocabulary", PERM_MEETING_READ, BODY_NONE, NULL, get_vocabulary, 0},
    {M_GET, "/api/v1/meeting-deadlines", PERM_MEETING_MANAGE, BODY_NONE, NULL, get_deadlines, 0},
    {M_GET, "/api/v1/calendars", PERM_MEETING_READ, BODY_NONE, NULL, list_calendars, 0},
    {M_GET, "/api/v1/calendars/{year}", PERM_MEETING_READ, BODY_NONE, NULL, get_calendar, 0},
    {M_PUT, "/api/v1/calendars/{year}", PERM_MEETING_MANAGE, BODY_JSON, "calendar.put",
     put_calendar, 0},
    {M_POST, "/api/v1/meeting-reminders", PERM_MEETING_MANAGE, BODY_JSON, "meeting.reminders",
     run_reminders, 0},
    {0},
};
