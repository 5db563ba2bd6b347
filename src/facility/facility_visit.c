/* facility_visit.c - the visit: the booking's signed QR code (qr.h, QR_BOOKING, single use)
 * checked in at the gate by an operator, walk-ins while there is space, the live count inside
 * held against the safety limit with a conditional UPDATE, feedback, and the session recorded as
 * held, which files the task 74 ledger report once through the work ledger (one event, one
 * record). */
#include "facility/facility_store.h"
#include "base/date.h"
#include "qr/qr.h"
#include "work/work.h"
#include <stdio.h>
#include <string.h>

#define GATE_OPENS 7200 /* the gate opens two hours before the session */

struct ctx {
    struct fac_session_row s;
    struct fac_row f;
};

static enum err load(struct store *db, long long session, long long by, struct ctx *c,
                     struct problem *p)
{
    bool found;
    enum err e = fac_store_session_get(db, session, &c->s, &found);
    if (e == OK && found) e = fac_store_get(db, c->s.facility_id, &c->f, &found);
    if (e != OK) return e;
    if (!found || !fac_is_operator(db, c->s.facility_id, by))
        return problem_set(p, ERR_NOT_FOUND, "id", "场次不存在或您不是设施运营单位的成员");
    return OK;
}

static enum err gate_open(const struct ctx *c, long long now, struct problem *p)
{
    if (strcmp(c->s.status, "open") != 0)
        return problem_set(p, ERR_CONFLICT, "id", "场次已结束或已取消");
    if (now < c->s.starts_at - GATE_OPENS || now > c->s.ends_at)
        return problem_set(p, ERR_CONFLICT, "id", "不在场次入场时间内（开始前2小时至结束）");
    return OK;
}

enum err fac_booking_qr(struct store *db, const struct keys *k, long long booking,
                        long long citizen, long long now, char *text, struct problem *p)
{
    struct fac_booking_row b;
    struct fac_session_row s;
    bool found;
    enum err e = fac_store_booking_get(db, booking, &b, &found);
    if (e != OK) return e;
    if (!found || b.citizen_id != citizen) return problem_set(p, ERR_NOT_FOUND, "id", "预约不存在");
    if (strcmp(b.state, "held") != 0)
        return problem_set(p, ERR_CONFLICT, "id", "该预约当前为“%s”，没有入场码",
                           fac_booking_state_label(b.state));
    if ((e = fac_store_session_get(db, b.session_id, &s, &found)) != OK) return e;
    long long ttl = s.ends_at - now + 3600;
    if (ttl < 60) ttl = 60;
    if (ttl > QR_TTL_MAX) ttl = QR_TTL_MAX;
    return qr_issue(k, QR_BOOKING, booking, ttl, now, text);
}

enum err fac_checkin(struct store *db, const struct keys *k, long long session, long long by,
                     const char *code, long long now, long long *booking, struct problem *p)
{
    *booking = 0;
    struct ctx c;
    enum err e = load(db, session, by, &c, p);
    if (e == OK) e = gate_open(&c, now, p);
    if (e != OK) return e;
    struct qr_claim cl;
    if ((e = qr_check(db, k, code, QR_BOOKING, 0, now, &cl, p)) != OK) return e;
    struct fac_booking_row b;
    bool found;
    if ((e = fac_store_booking_get(db, cl.subject_id, &b, &found)) != OK) return e;
    if (!found || b.session_id != session)
        return problem_set(p, ERR_RULE, "subject_id", "该入场码不属于本场次");
    if (strcmp(b.state, "held") != 0)
        return problem_set(p, ERR_CONFLICT, "nonce", "该预约当前为“%s”，不能再次入场",
                           fac_booking_state_label(b.state));
    /* redeemed_by names an official's account; the operator is a citizen, named by the audit */
    if ((e = qr_redeem(db, k, code, QR_BOOKING, cl.subject_id, 0, now, &cl, p)) != OK) return e;
    bool ok;
    if ((e = fac_store_enter(db, session, b.headcount, &ok)) != OK) return e;
    if (!ok)
        return problem_set(p, ERR_CONFLICT, "safety_limit",
                           "场内人数已达安全限额（%lld人），请待有人离场后再入场",
                           c.s.safety_limit);
    if ((e = fac_store_booking_set(db, b.id, "held", "entered", 0, now, &ok)) != OK) return e;
    if (!ok) return problem_set(p, ERR_CONFLICT, "nonce", "该预约已入场");
    *booking = b.id;
    return OK;
}

enum err fac_walkin(struct store *db, long long session, long long by, long long n, long long now,
                    struct problem *p)
{
    struct ctx c;
    enum err e = load(db, session, by, &c, p);
    if (e == OK) e = gate_open(&c, now, p);
    if (e != OK) return e;
    if (n < 1 || n > FAC_GROUP_MAX)
        return problem_set(p, ERR_RULE, "count", "现场登记人数应为1到%d人", FAC_GROUP_MAX);
    bool ok;
    if ((e = fac_store_walkin_take(db, session, n, &ok)) != OK) return e;
    if (!ok)
        return problem_set(p, ERR_CONFLICT, "count", "本场次已满，剩余名额%lld个",
                           c.s.capacity - c.s.ind_taken - c.s.grp_taken - c.s.walkins);
    if ((e = fac_store_enter(db, session, n, &ok)) != OK) return e;
    return ok ? OK
              : problem_set(p, ERR_CONFLICT, "safety_limit",
                            "场内人数已达安全限额（%lld人），请待有人离场后再入场",
                            c.s.safety_limit);
}

enum err fac_leave(struct store *db, long long session, long long by, long long booking,
                   long long n, long long now, struct problem *p)
{
    struct ctx c;
    enum err e = load(db, session, by, &c, p);
    if (e != OK) return e;
    bool ok;
    if (booking > 0) {
        struct fac_booking_row b;
        bool found;
        if ((e = fac_store_booking_get(db, booking, &b, &found)) != OK) return e;
        if (!found || b.session_id != session)
            return problem_set(p, ERR_NOT_FOUND, "booking_id", "本场次没有这个预约");
        if ((e = fac_store_booking_set(db, booking, "entered", "left", 0, now, &ok)) != OK)
            return e;
        if (!ok) return problem_set(p, ERR_CONFLICT, "booking_id", "该预约不在场内");
        n = b.headcount;
    } else if (n < 1 || n > FAC_GROUP_MAX)
        return problem_set(p, ERR_RULE, "count", "离场人数应为1到%d人", FAC_GROUP_MAX);
    if ((e = fac_store_exit(db, session, n, &ok)) != OK) return e;
    return ok ? OK : problem_set(p, ERR_CONFLICT, "count", "场内只有%lld人", c.s.inside);
}

enum err fac_feedback(struct store *db, long long booking, long long citizen, long long rating,
                      const char *comment, long long now, struct problem *p)
{
    struct fac_booking_row b;
    bool found, added;
    enum err e = fac_store_booking_get(db, booking, &b, &found);
    if (e != OK) return e;
    if (!found || b.citizen_id != citizen) return problem_set(p, ERR_NOT_FOUND, "id", "预约不存在");
    if (strcmp(b.state, "entered") != 0 && strcmp(b.state, "left") != 0)
        return problem_set(p, ERR_CONFLICT, "id", "参观后才能评价");
    if (rating < 1 || rating > 5) return problem_set(p, ERR_RULE, "rating", "评分应为1到5");
    if ((e = fac_store_feedback(db, booking, rating, comment, now, &added)) != OK) return e;
    return added ? OK : problem_set(p, ERR_CONFLICT, "id", "您已评价过这次参观");
}

/* The task 74 ledger report of a held session (one event, one record). */
static enum err file_ledger(struct store *db, const struct ctx *c, long long now)
{
    long long groups;
    enum err e = fac_store_groups_came(db, c->s.id, &groups);
    if (e != OK) return e;
    long long visitors = c->s.entered;
    char title[FAC_TEXT_MAX + 40], summary[FAC_TEXT_MAX + 200], ref[40];
    snprintf(title, sizeof title, "%s向公众开放", c->f.name);
    snprintf(summary, sizeof summary,
             "%s %s 开放一场，接待公众 %lld 人，其中团体 %lld 个（含现场登记 %lld 人）", c->f.name,
             c->s.day, visitors, groups, c->s.walkins);
    snprintf(ref, sizeof ref, "fac_session:%lld", c->s.id);
    struct work_report r = {.unit_id = c->f.unit_id,
                            .kind = "facility_opening",
                            .activity_date = c->s.day,
                            .title = title,
                            .summary = summary,
                            .place = c->f.name,
                            .tasks = {74},
                            .ntasks = 1,
                            .metrics = {{"participants", visitors}, {"sessions", 1}},
                            .nmetrics = 2};
    struct work_actor system = {0, "设施开放系统"};
    struct work_problems pr;
    long long rid = 0;
    e = work_file(db, &r, NULL, "facility", ref, &system, now, &rid, &pr);
    if (e == ERR_RULE) {
        char note[sizeof pr.items[0].msg + 64];
        snprintf(note, sizeof note, "未能自动登记台账：%s",
                 pr.n ? pr.items[0].msg : "不符合方案要求");
        return fac_store_session_report(db, c->s.id, 0, note);
    }
    if (e != OK) return e;
    return fac_store_session_report(db, c->s.id, rid, NULL);
}

enum err fac_session_held(struct store *db, long long session, long long by, long long now,
                          struct problem *p)
{
    struct ctx c;
    enum err e = load(db, session, by, &c, p);
    if (e != OK) return e;
    if (now < c.s.starts_at) return problem_set(p, ERR_CONFLICT, "id", "场次开始后才能登记开放");
    bool done;
    if ((e = fac_store_session_status(db, session, "open", "held", &done)) != OK) return e;
    if (!done)
        return problem_set(p, ERR_CONFLICT, "id",
                           strcmp(c.s.status, "held") == 0 ? "该场次已登记开放" : "场次已取消");
    if ((e = fac_store_session_held_at(db, session, now)) != OK) return e;
    if ((e = fac_store_mark_noshows(db, session, now)) != OK) return e;
    return file_ledger(db, &c, now);
}
