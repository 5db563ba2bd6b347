/* volunteer_places.c - fair recruitment: a place is taken with the conditional UPDATE of the
 * shift's counter and the sign-up's UNIQUE key in the caller's one transaction, so a shift is
 * never overfilled and nobody holds two places in it, whatever the concurrency; overlapping
 * shifts are refused (the volunteer's row is locked first, so two sign-ups of one person
 * serialise); a full shift puts the volunteer on its waitlist in priority order (unexcused
 * absences of the last 12 months first, then arrival); a freed place is offered to the next,
 * who confirms before a deadline or the offer passes on (vol_tick); a team admin signs up a
 * group all or none; cancelling after the deadline, or not coming, is an absence, and
 * VOL_ABSENCE_LIMIT of them in a year suspend sign-up for VOL_SUSPEND_DAYS. */
#include "volunteer/volunteer_store.h"
#include "base/date.h"
#include "citizen/citizen.h"
#include "notify/notify.h"
#include <stdio.h>
#include <string.h>

struct ctx {
    struct vol_shift_row s;
    struct vol_activity_row a;
};

static enum err load(struct store *db, long long shift, struct ctx *c, struct problem *p)
{
    bool found;
    enum err e = vol_store_shift_get(db, shift, &c->s, &found);
    if (e != OK) return e;
    if (found) e = vol_store_activity_get(db, c->s.activity_id, &c->a, &found);
    if (e != OK) return e;
    if (!found) return problem_set(p, ERR_NOT_FOUND, "id", "班次不存在");
    return OK;
}

/* The activity accepts sign-ups now. */
static enum err open_now(const struct ctx *c, long long now, struct problem *p)
{
    if (strcmp(c->a.status, "open") != 0)
        return problem_set(p, ERR_CONFLICT, "id", "活动当前为“%s”，不接受报名",
                           vol_activity_status_label(c->a.status));
    if (now < c->a.signup_opens || now > c->a.signup_closes) {
        char o[DATE_CN_TIME_LEN], e[DATE_CN_TIME_LEN];
        date_format_cn_time(c->a.signup_opens, o);
        date_format_cn_time(c->a.signup_closes, e);
        return problem_set(p, ERR_RULE, "signup_window", "不在报名时间内（报名时间：%s至%s）", o,
                           e);
    }
    return OK;
}

/* What may keep one volunteer out of the shift (the row locked); *priority for the waitlist. */
static enum err eligible(struct store *db, const struct ctx *c, long long citizen, long long now,
                         long long *priority, struct problem *p)
{
    bool found;
    long long until;
    char skills[VOL_LIST_MAX + 1];
    enum err e = vol_store_volunteer_lock(db, citizen, now, &found, &until, skills);
    if (e != OK) return e;
    if (!found) return problem_set(p, ERR_FORBIDDEN, "volunteer", "请先注册成为志愿者");
    if (until > now) {
        char d[DATE_CN_TIME_LEN];
        date_format_cn_time(until, d);
        return problem_set(p, ERR_FORBIDDEN, "suspended",
                           "一年内未履约缺席已达%d次，报名资格暂停至%s", VOL_ABSENCE_LIMIT, d);
    }
    struct citizen_brief b;
    if ((e = citizen_get(db, citizen, now, &b)) != OK && e != ERR_NOT_FOUND) return e;
    if (e != OK || !b.active || !b.verified)
        return problem_set(p, ERR_FORBIDDEN, "realname", "请先完成实名认证");
    if (c->a.min_age > 0 && b.age < c->a.min_age)
        return problem_set(p, ERR_RULE, "min_age", "本活动要求年满%lld周岁", c->a.min_age);
    if (!vol_skills_cover(c->a.skills, skills))
        return problem_set(p, ERR_RULE, "skills", "本活动需要以下技能：%s", c->a.skills);
    char st[12];
    long long ou;
    if ((e = vol_store_signup_state(db, c->s.id, citizen, st, &ou)) != OK) return e;
    if (st[0] && strcmp(st, "cancelled") != 0 && strcmp(st, "lapsed") != 0)
        return problem_set(p, ERR_CONFLICT, "shift_id", "您已报名该班次（%s），不能重复报名",
                           vol_signup_state_label(st));
    bool overlap;
    if ((e = vol_store_overlap(db, citizen, c->s.id, c->s.starts_at, c->s.ends_at, &overlap)) != OK)
        return e;
    if (overlap) return problem_set(p, ERR_CONFLICT, "shift_id", "与您已报名的另一班次时间重叠");
    long long absences;
    if ((e = vol_store_absences(db, citizen, now - VOL_ABSENCE_WINDOW, &absences)) != OK) return e;
    *priority = vol_priority(absences);
    return OK;
}

enum err vol_signup(struct store *db, long long shift, long long citizen, long long now,
                    const char **state, struct problem *p)
{
    *state = NULL;
    struct ctx c;
    long long priority;
    enum err e = load(db, shift, &c, p);
    if (e == OK) e = open_now(&c, now, p);
    if (e == OK) e = eligible(db, &c, citizen, now, &priority, p);
    if (e != OK) return e;
    bool placed, added;
    if ((e = vol_store_shift_take(db, shift, 1, &placed)) != OK) return e;
    *state = placed ? "held" : "waiting";
    if ((e = vol_store_signup_put(db, shift, citizen, *state, priority, 0, now, &added)) != OK)
        return e;
    if (!added) /* a twin request won; the caller's rollback returns the place */
        return problem_set(p, ERR_CONFLICT, "shift_id", "您已报名该班次，不能重复报名");
    return OK;
}

enum err vol_signup_group(struct store *db, long long shift, long long leader,
                          const long long *members, int n, long long now, struct problem *p)
{
    struct ctx c;
    enum err e = load(db, shift, &c, p);
    if (e == OK) e = open_now(&c, now, p);
    if (e != OK) return e;
    if (!vol_store_is_admin(db, c.a.team_id, leader))
        return problem_set(p, ERR_FORBIDDEN, "id", "只有主办队伍的管理员可以团体报名");
    if (n < 1 || n > VOL_GROUP_MAX)
        return problem_set(p, ERR_RULE, "members", "团体报名人数应为1到%d人", VOL_GROUP_MAX);
    long long prio[VOL_GROUP_MAX];
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++)
            if (members[j] == members[i])
                return problem_set(p, ERR_RULE, "members", "名单中有重复的志愿者");
        char ms[12];
        if ((e = vol_store_member_status(db, c.a.team_id, members[i], ms)) != OK) return e;
        if (strcmp(ms, "approved") != 0)
            return problem_set(p, ERR_RULE, "members", "第%d位不是本队伍已通过的成员，未报名任何人",
                               i + 1);
        struct problem q = {0};
        if ((e = eligible(db, &c, members[i], now, &prio[i], &q)) != OK)
            return problem_set(p, q.err ? q.err : e, "members", "第%d位：%s，未报名任何人", i + 1,
                               q.msg);
    }
    bool placed;
    if ((e = vol_store_shift_take(db, shift, n, &placed)) != OK) return e;
    if (!placed)
        return problem_set(p, ERR_CONFLICT, "members",
                           "名额不足：本班次剩余%lld个名额，团体报名%d人，未报名任何人",
                           c.s.places - c.s.taken, n);
    for (int i = 0; i < n; i++) {
        bool added;
        if ((e = vol_store_signup_put(db, shift, members[i], "held", prio[i], leader, now,
                                      &added)) != OK)
            return e;
        if (!added)
            return problem_set(p, ERR_CONFLICT, "members", "第%d位已报名该班次，未报名任何人",
                               i + 1);
    }
    return OK;
}

/* A freed place goes to the next on the waitlist as an offer, or back to the shift. */
static enum err pass_on(struct store *db, const struct ctx *c, long long now)
{
    long long next;
    enum err e = vol_store_next_waiting(db, c->s.id, &next);
    if (e != OK) return e;
    long long until = places_offer_until(now, VOL_OFFER_SECONDS, c->s.starts_at);
    if (!next || !until) return vol_store_shift_release(db, c->s.id);
    bool done;
    if ((e = vol_store_signup_set(db, c->s.id, next, "waiting", "offered", until, now, &done)) !=
        OK)
        return e;
    if (!done) return vol_store_shift_release(db, c->s.id);
    char title[300], key[64], link[48], d[DATE_CN_TIME_LEN];
    date_format_cn_time(until, d);
    snprintf(title, sizeof title, "候补名额：%s（请在%s前确认）", c->a.title, d);
    snprintf(key, sizeof key, "vol:offer:%lld:%lld", c->s.id, now);
    snprintf(link, sizeof link, "/m/vol/activities/%lld", c->a.id);
    struct citizen_msg m = {
        .citizen_id = next, .kind = "vol_offer", .title = title, .link = link, .dedupe_key = key};
    return citizen_inbox_add(db, &m, now, NULL);
}

/* Counts an absence; suspends sign-up when the year's absences reach the limit. */
static enum err absence(struct store *db, long long citizen, long long now)
{
    long long n;
    enum err e = vol_store_absences(db, citizen, now - VOL_ABSENCE_WINDOW, &n);
    if (e == OK && vol_absences_suspend(n, VOL_ABSENCE_LIMIT))
        e = vol_store_volunteer_suspend(db, citizen, now + VOL_SUSPEND_DAYS * 86400LL);
    return e;
}

enum err vol_signup_cancel(struct store *db, long long shift, long long citizen, long long now,
                           struct problem *p)
{
    struct ctx c;
    enum err e = load(db, shift, &c, p);
    if (e != OK) return e;
    char st[12];
    long long ou;
    if ((e = vol_store_signup_state(db, shift, citizen, st, &ou)) != OK) return e;
    bool done;
    if (strcmp(st, "waiting") == 0)
        return vol_store_signup_set(db, shift, citizen, st, "cancelled", 0, now, &done);
    if (strcmp(st, "held") != 0 && strcmp(st, "offered") != 0)
        return problem_set(p, ERR_NOT_FOUND, "id", "您没有报名该班次");
    if (now >= c.s.starts_at) return problem_set(p, ERR_CONFLICT, "id", "班次已开始，不能取消报名");
    bool late = strcmp(st, "held") == 0 && !places_cancel_free(now, c.a.cancel_by);
    if ((e = vol_store_signup_set(db, shift, citizen, st, late ? "late_cancel" : "cancelled", 0,
                                  now, &done)) != OK)
        return e;
    if (!done) return problem_set(p, ERR_CONFLICT, "id", "报名状态已变化，请刷新后重试");
    if (late && (e = absence(db, citizen, now)) != OK) return e;
    return pass_on(db, &c, now);
}

enum err vol_offer_confirm(struct store *db, long long shift, long long citizen, long long now,
                           struct problem *p)
{
    struct ctx c;
    enum err e = load(db, shift, &c, p);
    if (e != OK) return e;
    char st[12];
    long long until;
    if ((e = vol_store_signup_state(db, shift, citizen, st, &until)) != OK) return e;
    if (strcmp(st, "offered") != 0)
        return problem_set(p, ERR_NOT_FOUND, "id", "您在该班次没有待确认的候补名额");
    if (now > until) return problem_set(p, ERR_CONFLICT, "id", "候补名额的确认时间已过");
    bool done;
    if ((e = vol_store_signup_set(db, shift, citizen, "offered", "held", 0, now, &done)) != OK)
        return e;
    return done ? OK : problem_set(p, ERR_CONFLICT, "id", "报名状态已变化，请刷新后重试");
}

enum err vol_mark_absent(struct store *db, long long shift, long long by, long long citizen,
                         long long now, struct problem *p)
{
    struct ctx c;
    enum err e = load(db, shift, &c, p);
    if (e != OK) return e;
    if (!vol_store_is_admin(db, c.a.team_id, by))
        return problem_set(p, ERR_NOT_FOUND, "id", "班次不存在或您不是主办队伍的管理员");
    if (now < c.s.starts_at) return problem_set(p, ERR_CONFLICT, "id", "班次开始后才能登记缺席");
    bool done;
    if ((e = vol_store_signup_set(db, shift, citizen, "held", "absent", 0, now, &done)) != OK)
        return e;
    if (!done) return problem_set(p, ERR_NOT_FOUND, "citizen_id", "该志愿者没有在本班次报名");
    return absence(db, citizen, now);
}

json_t *vol_my_signups(struct store *db, long long citizen)
{
    return vol_store_my_signups(db, citizen);
}

json_t *vol_waitlist_json(struct store *db, long long shift, long long citizen)
{
    struct ctx c;
    struct problem p = {0};
    if (load(db, shift, &c, &p) != OK || !vol_store_is_admin(db, c.a.team_id, citizen)) return NULL;
    return vol_store_waitlist(db, shift);
}

enum err vol_tick(struct store *db, const struct keys *k, long long now, char *summary, size_t n)
{
    (void)k;
    long long shifts[100], people[100];
    int got, lapsed = 0;
    enum err e = vol_store_lapsed_offers(db, now, shifts, people, 100, &got);
    for (int i = 0; e == OK && i < got; i++) {
        bool done;
        struct ctx c;
        struct problem p = {0};
        e = vol_store_signup_set(db, shifts[i], people[i], "offered", "lapsed", 0, now, &done);
        if (e == OK && done && (e = load(db, shifts[i], &c, &p)) == OK) {
            e = pass_on(db, &c, now);
            lapsed++;
        }
    }
    if (summary && n && lapsed) snprintf(summary, n, "%d waitlist offer(s) lapsed", lapsed);
    return e;
}
