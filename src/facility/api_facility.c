/* api_facility.c - the public's and operators' facility routes (/api/v1/citizen/fac/…,
 * PERM_CITIZEN): find facilities and their sessions, book (individual with companions, or a
 * group), my bookings with their QR codes, cancel, confirm an offer, feedback; operators (members
 * of the facility's organisation) file and correct the record, add sessions, and run the gate
 * (check-in, walk-ins, leaving, the roster) and record a session held. Parse with jv, call
 * facility.h, render. */
#include "facility/facility.h"
#include "http/route.h"
#include "http/server.h"
#include "base/date.h"
#include "qr/qr.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static enum err fail(struct req *r, enum err e, const struct problem *p)
{
    if (p->err == ERR_NOT_FOUND) return req_deny(r, p->field, p->msg);
    if (p->err != OK) return req_fail_problem(r, p);
    return req_fail_err(r, e);
}

static enum err id_param(struct req *r, const char *kind, long long *id)
{
    if (req_param_id(r, "id", id) != OK) return ERR_NOT_FOUND;
    r->audit_object = arena_printf(r->a, "%s:%lld", kind, *id);
    return OK;
}

static long long me(struct req *r)
{
    return r->who->citizen_id;
}

static enum err options(struct req *r)
{
    return reply_json(r, 200, fac_options_json());
}

/* ---- the registry ---- */

/* A coordinate in degrees → micro-degrees; -1 when absent (and not required). */
static long long coord(struct req *r, struct jv *v, const char *name, bool required)
{
    json_t *x = json_object_get(r->json, name);
    if (!x) {
        if (required) jv_fail(v, ERR_RULE, name, "请填写%s", strcmp(name, "lat") ? "经度" : "纬度");
        return -1;
    }
    if (!json_is_number(x) || !isfinite(json_number_value(x)) || json_number_value(x) < 0 ||
        json_number_value(x) > 180) {
        jv_fail(v, ERR_RULE, name, "%s应为以度为单位的数字", strcmp(name, "lat") ? "经度" : "纬度");
        return -1;
    }
    return llround(json_number_value(x) * 1e6);
}

static enum err fac_fields(struct req *r, struct fac_new *f, bool all)
{
    static const char *const allowed[] = {
        "category", "kind_note",    "name",    "org_id", "unit_id",       "address",     "lat",
        "lng",      "safety_limit", "min_age", "batch",  "accessibility", "id_required", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    *f = (struct fac_new){
        .category = jv_str(&v, "category", all, 16),
        .kind_note = jv_str(&v, "kind_note", false, FAC_TEXT_MAX),
        .name = jv_str(&v, "name", all, FAC_TEXT_MAX),
        .address = jv_str(&v, "address", all, FAC_TEXT_MAX),
        .accessibility = jv_str(&v, "accessibility", false, FAC_TEXT_MAX),
        .batch = jv_str(&v, "batch", false, 40),
        .org_id = all ? jv_int(&v, "org_id", true, 1, 1LL << 53, 0) : 0,
        .unit_id = all ? jv_int(&v, "unit_id", true, 1, 1LL << 53, 0) : 0,
        .safety_limit = jv_int(&v, "safety_limit", all, 1, FAC_CAPACITY_MAX, all ? 0 : -1),
        .min_age = jv_int(&v, "min_age", false, 0, 18, all ? 0 : -1),
        .id_required = jv_bool(&v, "id_required", false, false),
    };
    if (!all && (json_object_get(r->json, "org_id") || json_object_get(r->json, "unit_id")))
        jv_fail(&v, ERR_RULE, "org_id", "运营单位和所在区县不能修改");
    if (jv_ok(&v)) f->lat_e6 = coord(r, &v, "lat", all);
    if (jv_ok(&v)) f->lng_e6 = coord(r, &v, "lng", all);
    return jv_ok(&v) ? OK : req_fail_jv(r, &v);
}

static enum err reply_fac(struct req *r, int status, long long id)
{
    json_t *j = fac_json(r->db, id, true, r->now);
    if (!j) return store_err(r->db) ? req_store_fail(r) : req_deny(r, "id", "设施不存在");
    json_object_set_new(j, "operator", json_boolean(fac_is_operator(r->db, id, me(r))));
    return reply_json(r, status, j);
}

static enum err file_fac(struct req *r)
{
    struct fac_new f;
    enum err e = fac_fields(r, &f, true);
    if (e != OK) return e;
    struct problem p = {0};
    long long id;
    e = fac_file(r->db, me(r), &f, r->now, &id, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_object = arena_printf(r->a, "facility:%lld", id);
    return reply_fac(r, 201, id);
}

static enum err update_fac(struct req *r)
{
    long long id;
    if (id_param(r, "facility", &id) != OK) return ERR_NOT_FOUND;
    struct fac_new f;
    enum err e = fac_fields(r, &f, false);
    if (e != OK) return e;
    struct problem p = {0};
    e = fac_update(r->db, id, me(r), &f, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return reply_fac(r, 200, id);
}

static enum err find(struct req *r, bool mine)
{
    long long limit, after, last = 0;
    struct fac_find f = {0};
    enum err e = req_page(r, &limit, &after);
    if (e == OK) e = req_query_int(r, "unit", 0, 1LL << 53, 0, &f.unit);
    if (e != OK) return e;
    f.category = req_query(r, "category");
    if (f.category && !*f.category) f.category = NULL;
    if (f.category && !fac_category_valid(f.category))
        return req_fail(r, ERR_RULE, "category", "没有这个设施类别");
    if (mine)
        f.operator_cid = me(r);
    else
        f.status = "open";
    json_t *a = fac_list(r->db, &f, r->now, after, limit, &last);
    return a ? reply_page(r, a, limit, mine ? 0 : last) : req_store_fail(r);
}

static enum err list_facs(struct req *r)
{
    return find(r, false);
}

static enum err my_facs(struct req *r)
{
    return find(r, true);
}

static enum err get_fac(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    json_t *j = fac_json(r->db, id, false, r->now);
    if (!j) return store_err(r->db) ? req_store_fail(r) : req_deny(r, "id", "设施不存在");
    const char *st = json_string_value(json_object_get(j, "status"));
    bool open = st && strcmp(st, "open") == 0;
    json_decref(j);
    if (!open && !fac_is_operator(r->db, id, me(r))) return req_deny(r, "id", "设施不存在");
    return reply_fac(r, 200, id);
}

/* ---- sessions ---- */

static enum err create_sessions(struct req *r)
{
    long long id;
    if (id_param(r, "facility", &id) != OK) return ERR_NOT_FOUND;
    static const char *const allowed[] = {
        "day",         "starts_at",     "ends_at",        "capacity",  "individual_quota",
        "group_quota", "booking_opens", "booking_closes", "cancel_by", "repeat",
        NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    struct fac_session_new s = {
        .day = jv_str(&v, "day", true, 10),
        .starts_at = jv_int(&v, "starts_at", true, 0, 1LL << 40, 0),
        .ends_at = jv_int(&v, "ends_at", true, 0, 1LL << 40, 0),
        .capacity = jv_int(&v, "capacity", true, 1, FAC_CAPACITY_MAX, 0),
        .ind_quota = jv_int(&v, "individual_quota", true, 0, FAC_CAPACITY_MAX, 0),
        .grp_quota = jv_int(&v, "group_quota", true, 0, FAC_CAPACITY_MAX, 0),
        .booking_opens = jv_int(&v, "booking_opens", true, 0, 1LL << 40, 0),
        .booking_closes = jv_int(&v, "booking_closes", true, 0, 1LL << 40, 0),
        .cancel_by = jv_int(&v, "cancel_by", true, 0, 1LL << 40, 0),
    };
    json_t *rep = json_object_get(r->json, "repeat");
    if (jv_ok(&v) && rep && !json_is_null(rep)) {
        static const char *const rallowed[] = {"every", "times", NULL};
        struct jv w = {0};
        if (!json_is_object(rep))
            jv_fail(&v, ERR_RULE, "repeat", "repeat 应为 {every, times}");
        else {
            jv_begin(&w, rep, rallowed);
            s.every = jv_str(&w, "every", true, 8);
            s.times = (int)jv_int(&w, "times", true, 1, FAC_REPEAT_MAX, 1);
            if (!jv_ok(&w)) jv_fail(&v, ERR_RULE, "repeat", "repeat：%s", w.msg);
        }
    }
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    long long ids[FAC_REPEAT_MAX];
    int n;
    enum err e = fac_session_create(r->db, id, me(r), &s, r->now, ids, &n, &p);
    if (e != OK) return fail(r, e, &p);
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        json_t *j = fac_session_json(r->db, ids[i], false, 0);
        if (!j) {
            json_decref(a);
            return req_store_fail(r);
        }
        json_array_append_new(a, j);
    }
    return reply_json(r, 201, json_pack("{s:I,s:o}", "facility_id", id, "sessions", a));
}

static enum err get_session(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    json_t *j = fac_session_json(r->db, id, false, me(r));
    if (!j) return store_err(r->db) ? req_store_fail(r) : req_deny(r, "id", "场次不存在");
    return reply_json(r, 200, j);
}

/* The session named by the path, if the caller operates its facility; else 404. */
static enum err operated(struct req *r, long long *id)
{
    if (id_param(r, "fac_session", id) != OK) return ERR_NOT_FOUND;
    long long f = fac_session_facility(r->db, *id);
    if (!f || !fac_is_operator(r->db, f, me(r)))
        return req_deny(r, "id", "场次不存在或您不是设施运营单位的成员");
    return OK;
}

static enum err reply_roster(struct req *r, int status, long long id)
{
    json_t *j = fac_session_json(r->db, id, true, me(r));
    json_t *w = j ? fac_waitlist_json(r->db, id) : NULL;
    if (!j || !w) {
        json_decref(j);
        return req_store_fail(r);
    }
    json_object_set_new(j, "waitlist", w);
    return reply_json(r, status, j);
}

static enum err roster(struct req *r)
{
    long long id;
    enum err e = operated(r, &id);
    return e != OK ? e : reply_roster(r, 200, id);
}

static enum err cancel_session(struct req *r)
{
    long long id;
    enum err e = operated(r, &id);
    if (e != OK) return e;
    struct problem p = {0};
    e = fac_session_cancel(r->db, id, me(r), r->now, &p);
    return e != OK ? fail(r, e, &p) : reply_roster(r, 200, id);
}

static enum err held(struct req *r)
{
    long long id;
    enum err e = operated(r, &id);
    if (e != OK) return e;
    struct problem p = {0};
    e = fac_session_held(r->db, id, me(r), r->now, &p);
    return e != OK ? fail(r, e, &p) : reply_roster(r, 200, id);
}

static enum err checkin(struct req *r)
{
    long long id;
    enum err e = operated(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"code", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *code = jv_str(&v, "code", true, QR_TEXT_MAX);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    long long booking;
    e = fac_checkin(r->db, &r->app->keys, id, me(r), code, r->now, &booking, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_detail = arena_printf(r->a, "fac_booking:%lld", booking);
    return reply_roster(r, 200, id);
}

static enum err walkin(struct req *r)
{
    long long id;
    enum err e = operated(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"count", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    long long n = jv_int(&v, "count", true, 1, FAC_GROUP_MAX, 0);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    e = fac_walkin(r->db, id, me(r), n, r->now, &p);
    return e != OK ? fail(r, e, &p) : reply_roster(r, 200, id);
}

static enum err leave(struct req *r)
{
    long long id;
    enum err e = operated(r, &id);
    if (e != OK) return e;
    static const char *const allowed[] = {"booking_id", "count", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    long long b = jv_int(&v, "booking_id", false, 1, 1LL << 53, 0);
    long long n = jv_int(&v, "count", false, 1, FAC_GROUP_MAX, 0);
    if (jv_ok(&v) && !b == !n)
        jv_fail(&v, ERR_RULE, "booking_id", "请给出 booking_id 或 count 之一");
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    e = fac_leave(r->db, id, me(r), b, n, r->now, &p);
    return e != OK ? fail(r, e, &p) : reply_roster(r, 200, id);
}

/* ---- bookings ---- */

static bool companions_of(json_t *arr, struct fac_booking_new *b, struct jv *v)
{
    if (!arr || json_is_null(arr)) return true;
    if (!json_is_array(arr) || json_array_size(arr) > FAC_COMPANIONS_MAX) {
        jv_fail(v, ERR_RULE, "companions", "同行人应为至多%d项的数组", FAC_COMPANIONS_MAX);
        return false;
    }
    static const char *const allowed[] = {"name", "resident_id", NULL};
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c)
    {
        struct jv w = {0};
        if (!json_is_object(c)) {
            jv_fail(v, ERR_RULE, "companions", "第%zu位同行人应为对象", i + 1);
            return false;
        }
        jv_begin(&w, c, allowed);
        b->companions[i].name = jv_str(&w, "name", true, 60);
        b->companions[i].resident_id = jv_str(&w, "resident_id", true, 18);
        if (!jv_ok(&w)) {
            jv_fail(v, ERR_RULE, "companions", "第%zu位同行人：%s", i + 1, w.msg);
            return false;
        }
        b->ncompanions++;
    }
    return true;
}

static enum err book(struct req *r)
{
    long long id;
    if (id_param(r, "fac_session", &id) != OK) return ERR_NOT_FOUND;
    static const char *const allowed[] = {"companions", "group_name", "leader_name", "headcount",
                                          NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    struct fac_booking_new *b = arena_alloc(r->a, sizeof *b);
    memset(b, 0, sizeof *b);
    b->session = id;
    b->citizen = me(r);
    b->group_name = jv_str(&v, "group_name", false, FAC_TEXT_MAX);
    b->leader_name = jv_str(&v, "leader_name", false, 60);
    b->headcount = jv_int(&v, "headcount", b->group_name != NULL, 1, FAC_GROUP_MAX, 0);
    if (jv_ok(&v)) companions_of(json_object_get(r->json, "companions"), b, &v);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    long long bid;
    const char *state;
    enum err e = fac_book(r->db, &r->app->keys, b, r->now, &bid, &state, &p);
    if (e != OK) return fail(r, e, &p);
    r->audit_detail = state;
    return reply_json(r, 201,
                      json_pack("{s:I,s:I,s:s,s:s}", "id", bid, "session_id", id, "state", state,
                                "state_label", fac_booking_state_label(state)));
}

static enum err my_bookings(struct req *r)
{
    json_t *a = fac_my_bookings(r->db, me(r));
    return a ? reply_json(r, 200, json_pack("{s:o}", "items", a)) : req_store_fail(r);
}

static enum err booking_qr(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    char text[QR_TEXT_MAX];
    struct problem p = {0};
    enum err e = fac_booking_qr(r->db, &r->app->keys, id, me(r), r->now, text, &p);
    if (e != OK) return fail(r, e, &p);
    char *svg = NULL;
    size_t n = 0;
    if (qr_svg(text, &svg, &n) != OK) return req_fail_err(r, ERR_INTERNAL);
    json_t *j = json_pack("{s:I,s:s,s:s%}", "booking_id", id, "code", text, "svg", svg, n);
    free(svg);
    return reply_json(r, 200, j);
}

static enum err cancel_booking(struct req *r)
{
    long long id;
    if (id_param(r, "fac_booking", &id) != OK) return ERR_NOT_FOUND;
    struct problem p = {0};
    enum err e = fac_cancel(r->db, id, me(r), r->now, &p);
    return e != OK ? fail(r, e, &p) : my_bookings(r);
}

static enum err confirm_booking(struct req *r)
{
    long long id;
    if (id_param(r, "fac_booking", &id) != OK) return ERR_NOT_FOUND;
    struct problem p = {0};
    enum err e = fac_confirm(r->db, id, me(r), r->now, &p);
    return e != OK ? fail(r, e, &p) : my_bookings(r);
}

static enum err feedback(struct req *r)
{
    long long id;
    if (id_param(r, "fac_booking", &id) != OK) return ERR_NOT_FOUND;
    static const char *const allowed[] = {"rating", "comment", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    long long rating = jv_int(&v, "rating", true, 1, 5, 0);
    const char *comment = jv_str(&v, "comment", false, FAC_COMMENT_MAX);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    struct problem p = {0};
    enum err e = fac_feedback(r->db, id, me(r), rating, comment, r->now, &p);
    if (e != OK) return fail(r, e, &p);
    return reply_json(r, 201, json_pack("{s:I,s:I}", "booking_id", id, "rating", rating));
}

#define C PERM_CITIZEN
#define OWN ROUTE_OWN_USER
const struct route fac_routes[] = {
    {M_GET, "/api/v1/citizen/fac/options", C, BODY_NONE, NULL, options, 0},
    {M_GET, "/api/v1/citizen/fac/facilities", C, BODY_NONE, NULL, list_facs, 0},
    {M_POST, "/api/v1/citizen/fac/facilities", C, BODY_JSON, "fac.file", file_fac, 0},
    {M_GET, "/api/v1/citizen/fac/operated", C, BODY_NONE, NULL, my_facs, 0},
    {M_GET, "/api/v1/citizen/fac/facilities/{id}", C, BODY_NONE, NULL, get_fac, OWN},
    {M_PUT, "/api/v1/citizen/fac/facilities/{id}", C, BODY_JSON, "fac.update", update_fac, OWN},
    {M_POST, "/api/v1/citizen/fac/facilities/{id}/sessions", C, BODY_JSON, "fac.session_create",
     create_sessions, OWN},
    {M_GET, "/api/v1/citizen/fac/sessions/{id}", C, BODY_NONE, NULL, get_session, 0},
    {M_GET, "/api/v1/citizen/fac/sessions/{id}/roster", C, BODY_NONE, NULL, roster, OWN},
    {M_POST, "/api/v1/citizen/fac/sessions/{id}/cancel", C, BODY_JSON, "fac.session_cancel",
     cancel_session, OWN},
    {M_POST, "/api/v1/citizen/fac/sessions/{id}/held", C, BODY_JSON, "fac.session_held", held, OWN},
    {M_POST, "/api/v1/citizen/fac/sessions/{id}/checkin", C, BODY_JSON, "fac.checkin", checkin,
     OWN},
    {M_POST, "/api/v1/citizen/fac/sessions/{id}/walkin", C, BODY_JSON, "fac.walkin", walkin, OWN},
    {M_POST, "/api/v1/citizen/fac/sessions/{id}/leave", C, BODY_JSON, "fac.leave", leave, OWN},
    {M_POST, "/api/v1/citizen/fac/sessions/{id}/book", C, BODY_JSON, "fac.book", book, 0},
    {M_GET, "/api/v1/citizen/fac/bookings", C, BODY_NONE, NULL, my_bookings, 0},
    {M_GET, "/api/v1/citizen/fac/bookings/{id}/qr", C, BODY_NONE, NULL, booking_qr, OWN},
    {M_POST, "/api/v1/citizen/fac/bookings/{id}/cancel", C, BODY_JSON, "fac.cancel", cancel_booking,
     OWN},
    {M_POST, "/api/v1/citizen/fac/bookings/{id}/confirm", C, BODY_JSON, "fac.confirm",
     confirm_booking, OWN},
    {M_POST, "/api/v1/citizen/fac/bookings/{id}/feedback", C, BODY_JSON, "fac.feedback", feedback,
     OWN},
    {0},
};
#undef C
#undef OWN
