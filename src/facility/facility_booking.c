/* facility_booking.c - booking a session: places are taken with the conditional UPDATE of the
 * session's counters (the individual or group quota, within the capacity) and the booking's
 * UNIQUE key in the caller's one transaction, the same approach as volunteer sign-up, so a session
 * is never oversold whatever the concurrency; two bookings of one person serialise on their
 * fac_visitors row (the limit on live bookings holds under concurrency too). A full session puts
 * an individual booking on the waitlist in arrival order; a group fits whole or is refused. A
 * freed place is offered to the head of the waitlist, who confirms before a deadline or the tick
 * passes it on. Cancelling after the deadline counts as a no-show; FAC_NOSHOW_LIMIT of them in a
 * year bring a cooldown of FAC_COOLDOWN_DAYS. */
#include "facility/facility_store.h"
#include "base/date.h"
#include "base/validate.h"
#include "citizen/citizen.h"
#include "notify/notify.h"
#include "volunteer/volunteer.h"
#include <stdio.h>
#include <string.h>

struct ctx {
    struct fac_session_row s;
    struct fac_row f;
};

static enum err load(struct store *db, long long session, struct ctx *c, struct problem *p)
{
    bool found;
    enum err e = fac_store_session_get(db, session, &c->s, &found);
    if (e == OK && found) e = fac_store_get(db, c->s.facility_id, &c->f, &found);
    if (e != OK) return e;
    if (!found) return problem_set(p, ERR_NOT_FOUND, "id", "场次不存在");
    return OK;
}

/* The companions: a name and a valid resident ID each, old enough; hashes and masks out. */
struct checked {
    char hash[CRYPTO_HASH_HEX], mask[19];
    int age;
};

static enum err companions(const struct keys *k, const struct fac_booking_new *b,
                           const struct ctx *c, long long now, struct checked *out,
                           struct problem *p)
{
    int today = date_today_shanghai(now);
    for (int i = 0; i < b->ncompanions; i++) {
        const struct fac_companion *m = &b->companions[i];
        if (!m->name || !*m->name)
            return problem_set(p, ERR_RULE, "companions", "第%d位同行人：请填写姓名", i + 1);
        struct citizen_birth bd;
        struct problem q = {0};
        if (!m->resident_id || !citizen_id_check(m->resident_id, today, &bd, &q))
            return problem_set(p, ERR_RULE, "companions", "第%d位同行人：%s", i + 1,
                               q.msg[0] ? q.msg : "请填写有效的居民身份证号码");
        for (int j = 0; j < i; j++)
            if (strcmp(b->companions[j].resident_id, m->resident_id) == 0)
                return problem_set(p, ERR_RULE, "companions", "第%d位同行人与第%d位重复", i + 1,
                                   j + 1);
        if (c->f.min_age > 0 && bd.age < c->f.min_age)
            return problem_set(p, ERR_RULE, "min_age",
                               "第%d位同行人未满%lld周岁，本设施不接待%lld周岁以下的参观者", i + 1,
                               c->f.min_age, c->f.min_age);
        pii_lookup_hash(k, "fac.companion_id", m->resident_id, out[i].hash);
        val_mask_resident_id(m->resident_id, out[i].mask);
        out[i].age = bd.age;
    }
    return OK;
}

enum err fac_book(struct store *db, const struct keys *k, const struct fac_booking_new *b,
                  long long now, long long *id, const char **state, struct problem *p)
{
    *id = 0;
    *state = NULL;
    struct ctx c;
    enum err e = load(db, b->session, &c, p);
    if (e != OK) return e;
    bool group = b->group_name != NULL;
    if (strcmp(c.s.status, "open") != 0 || strcmp(c.f.status, "open") != 0)
        return problem_set(p, ERR_CONFLICT, "id", "该场次已结束或已取消，不接受预约");
    if (now < c.s.booking_opens || now > c.s.booking_closes) {
        char o[DATE_CN_TIME_LEN], x[DATE_CN_TIME_LEN];
        date_format_cn_time(c.s.booking_opens, o);
        date_format_cn_time(c.s.booking_closes, x);
        return problem_set(p, ERR_RULE, "booking_window", "不在预约时间内（预约时间：%s至%s）", o,
                           x);
    }
    struct citizen_brief cb;
    if ((e = citizen_get(db, b->citizen, now, &cb)) != OK && e != ERR_NOT_FOUND) return e;
    if (e != OK || !cb.active || !cb.verified)
        return problem_set(p, ERR_FORBIDDEN, "realname", "请先完成实名认证");
    if (c.f.min_age > 0 && cb.age < c.f.min_age)
        return problem_set(p, ERR_RULE, "min_age", "本设施不接待%lld周岁以下的参观者", c.f.min_age);
    long long n;
    if (group) {
        if (!*b->group_name || !b->leader_name || !*b->leader_name)
            return problem_set(p, ERR_RULE, "leader_name", "团体预约请填写团体名称和领队姓名");
        if (b->headcount < 1 || b->headcount > FAC_GROUP_MAX)
            return problem_set(p, ERR_RULE, "headcount", "团体人数应为1到%d人", FAC_GROUP_MAX);
        if (b->ncompanions)
            return problem_set(p, ERR_RULE, "companions", "团体预约的名单请以 .xlsx 上传");
        n = b->headcount;
    } else
        n = 1 + b->ncompanions;
    struct checked chk[FAC_COMPANIONS_MAX];
    if ((e = companions(k, b, &c, now, chk, p)) != OK) return e;
    if ((e = fac_store_visitor_lock(db, b->citizen, now)) != OK) return e;
    long long noshows, last, until, active;
    if ((e = fac_store_noshows(db, b->citizen, now - FAC_NOSHOW_WINDOW, &noshows, &last)) != OK)
        return e;
    if (fac_cooldown(noshows, last, now, &until)) {
        char d[DATE_CN_TIME_LEN];
        date_format_cn_time(until, d);
        return problem_set(p, ERR_FORBIDDEN, "cooldown",
                           "一年内预约后未到场已达%lld次，%s前暂停预约", noshows, d);
    }
    if ((e = fac_store_active_count(db, b->citizen, now, &active)) != OK) return e;
    if (active >= FAC_ACTIVE_MAX)
        return problem_set(p, ERR_RULE, "limit",
                           "您已有%lld个未完成的预约（每人最多%d个），请先参观或取消后再预约",
                           active, FAC_ACTIVE_MAX);
    bool placed;
    if ((e = fac_store_take(db, b->session, group, n, &placed)) != OK) return e;
    if (!placed && group)
        return problem_set(p, ERR_CONFLICT, "headcount",
                           "团体名额不足：本场次剩余团体名额%lld个，团体%lld人，未预约",
                           c.s.grp_quota - c.s.grp_taken, n);
    *state = placed ? "held" : "waiting";
    if ((e = fac_store_booking_put(db, b, *state, n, now, id)) != OK) return e;
    if (!*id) /* booked already (or a twin request won); the caller's rollback returns places */
        return problem_set(p, ERR_CONFLICT, "id", "您已预约该场次，不能重复预约");
    for (int i = 0; i < b->ncompanions; i++)
        if ((e = fac_store_companion_add(db, *id, i + 1, b->companions[i].name, chk[i].hash,
                                         chk[i].mask, chk[i].age)) != OK)
            return e;
    return OK;
}

/* Freed individual places go to the waitlist's head while they fit, as offers. */
static enum err pass_on(struct store *db, const struct ctx *c, long long now)
{
    for (int guard = 0; guard < 1000; guard++) {
        long long next, n, citizen;
        enum err e = fac_store_next_waiting(db, c->s.id, &next, &n, &citizen);
        if (e != OK || !next) return e;
        long long until = places_offer_until(now, FAC_OFFER_SECONDS, c->s.starts_at);
        if (!until) return OK;
        bool ok, done;
        if ((e = fac_store_take(db, c->s.id, false, n, &ok)) != OK || !ok) return e;
        if ((e = fac_store_booking_set(db, next, "waiting", "offered", until, now, &done)) != OK)
            return e;
        if (!done) return fac_store_release(db, c->s.id, false, n);
        char title[FAC_TEXT_MAX + 120], key[64], d[DATE_CN_TIME_LEN];
        date_format_cn_time(until, d);
        snprintf(title, sizeof title, "候补名额：%s %s（请在%s前确认）", c->f.name, c->s.day, d);
        snprintf(key, sizeof key, "fac:offer:%lld:%lld", next, now);
        struct citizen_msg m = {.citizen_id = citizen,
                                .kind = "fac_offer",
                                .title = title,
                                .link = "/m/fac/mine",
                                .dedupe_key = key};
        if ((e = citizen_inbox_add(db, &m, now, NULL)) != OK) return e;
    }
    return OK;
}

static enum err mine(struct store *db, long long booking, long long citizen,
                     struct fac_booking_row *b, struct problem *p)
{
    bool found;
    enum err e = fac_store_booking_get(db, booking, b, &found);
    if (e != OK) return e;
    if (!found || b->citizen_id != citizen)
        return problem_set(p, ERR_NOT_FOUND, "id", "预约不存在");
    return OK;
}

long long fac_booking_session(struct store *db, long long booking, long long citizen)
{
    struct fac_booking_row b;
    struct problem p = {0};
    return mine(db, booking, citizen, &b, &p) == OK ? b.session_id : 0;
}

enum err fac_cancel(struct store *db, long long booking, long long citizen, long long now,
                    struct problem *p)
{
    struct fac_booking_row b;
    struct ctx c;
    enum err e = mine(db, booking, citizen, &b, p);
    if (e == OK) e = load(db, b.session_id, &c, p);
    if (e != OK) return e;
    bool done;
    if (strcmp(b.state, "waiting") == 0)
        return fac_store_booking_set(db, booking, "waiting", "cancelled", 0, now, &done);
    if (strcmp(b.state, "held") != 0 && strcmp(b.state, "offered") != 0)
        return problem_set(p, ERR_CONFLICT, "id", "该预约当前为“%s”，不能取消",
                           fac_booking_state_label(b.state));
    if (now >= c.s.starts_at) return problem_set(p, ERR_CONFLICT, "id", "场次已开始，不能取消");
    bool late = strcmp(b.state, "held") == 0 && !places_cancel_free(now, c.s.cancel_by);
    if ((e = fac_store_booking_set(db, booking, b.state, late ? "late_cancel" : "cancelled", 0, now,
                                   &done)) != OK)
        return e;
    if (!done) return problem_set(p, ERR_CONFLICT, "id", "预约状态已变化，请刷新后重试");
    if ((e = fac_store_release(db, c.s.id, b.group, b.headcount)) != OK) return e;
    return pass_on(db, &c, now);
}

enum err fac_confirm(struct store *db, long long booking, long long citizen, long long now,
                     struct problem *p)
{
    struct fac_booking_row b;
    enum err e = mine(db, booking, citizen, &b, p);
    if (e != OK) return e;
    if (strcmp(b.state, "offered") != 0)
        return problem_set(p, ERR_CONFLICT, "id", "该预约没有待确认的候补名额");
    if (now > b.offer_until) return problem_set(p, ERR_CONFLICT, "id", "候补名额的确认时间已过");
    bool done;
    if ((e = fac_store_booking_set(db, booking, "offered", "held", 0, now, &done)) != OK) return e;
    return done ? OK : problem_set(p, ERR_CONFLICT, "id", "预约状态已变化，请刷新后重试");
}

json_t *fac_my_bookings(struct store *db, long long citizen)
{
    return fac_store_my_bookings(db, citizen);
}

json_t *fac_waitlist_json(struct store *db, long long session)
{
    return fac_store_waitlist(db, session);
}

enum err fac_tick(struct store *db, const struct keys *k, long long now, char *summary, size_t n)
{
    (void)k;
    long long ids[100];
    int got, lapsed = 0;
    enum err e = fac_store_lapsed_offers(db, now, ids, 100, &got);
    for (int i = 0; e == OK && i < got; i++) {
        struct fac_booking_row b;
        bool found, done;
        struct ctx c;
        struct problem p = {0};
        if ((e = fac_store_booking_get(db, ids[i], &b, &found)) != OK || !found) continue;
        e = fac_store_booking_set(db, ids[i], "offered", "lapsed", 0, now, &done);
        if (e == OK && done && (e = load(db, b.session_id, &c, &p)) == OK &&
            (e = fac_store_release(db, b.session_id, false, b.headcount)) == OK) {
            e = pass_on(db, &c, now);
            lapsed++;
        }
    }
    if (summary && n && lapsed) snprintf(summary, n, "%d waitlist offer(s) lapsed", lapsed);
    return e;
}
