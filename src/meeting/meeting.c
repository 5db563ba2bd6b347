/* meeting.c - the services of the joint meeting chain up to the agenda (meeting.h): the notice,
 * the member units' receipts and topics, the host's selection of the central topics and the
 * conveners' agenda; and the checks every step shares (meeting_service.h). Each step loads the
 * meeting once (meeting_load.c), checks who acts (the host 市生态环境局, the conveners, each
 * member unit, or the office for any of them), the stage, the date it happened ("on": the
 * office may record past days, nobody a future one) and its deadline (a late step needs a
 * recorded reason and stays late), then stores it through store_meeting.c with a history row,
 * settles or adds inbox items (notify/notify.h) and issues the documents (stored once, never
 * changed). The meeting held, the minutes, countersigns and their issue are in
 * meeting_minutes.c. Inside the caller's transaction. */
#include "meeting/meeting_service.h"
#include "base/date.h"
#include "base/utf8.h"
#include "notify/notify.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what every step shares ---- */

enum err mt_step_load(struct store *db, long long id, long long now, unsigned parts,
                      struct mt_meeting **m, struct problem *p)
{
    enum err e = mt_meeting_load(db, id, now, parts, m);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "会议不存在");
    return e;
}

enum err mt_step_day(const struct mt_step_in *s, const struct mt_actor *by, int today, int *on,
                     struct problem *p)
{
    *on = today;
    if (!s || !s->on) return OK;
    int d = mt_day(s->on);
    if (d == MT_NONE) return problem_set(p, ERR_RULE, "on", "日期应为 YYYY-MM-DD：%.20s", s->on);
    if (d > today) return problem_set(p, ERR_RULE, "on", "日期 %s 晚于今天，不能预先登记", s->on);
    if (d != today && !by->office)
        return problem_set(p, ERR_FORBIDDEN, "on", "只有联席会议办公室可以补录以前的日期");
    *on = d;
    return OK;
}

bool mt_has_text(const char *s)
{
    return s && mt_utf8_chars(s) > 0;
}

enum err mt_need_reason(int deadline, int on, const char *reason, const char *what,
                        const char *rule, struct problem *p)
{
    if (reason && mt_utf8_chars(reason) > MT_REASON_MAX)
        return problem_set(p, ERR_RULE, "late_reason", "原因最多 %d 个字", MT_REASON_MAX);
    if (!mt_is_late(deadline, on) || mt_has_text(reason)) return OK;
    char d[11], o[11];
    return problem_set(p, ERR_RULE, "late_reason",
                       "%s应不晚于 %s（%s），%s 办理已逾期：逾期办理须填写原因（late_reason）",
                       what, mt_fmt(deadline, d), rule, mt_fmt(on, o));
}

enum err mt_require_host(struct store *db, const struct mt_meeting *m, const struct mt_actor *by,
                         const char *what, struct problem *p)
{
    if (by->office) return OK;
    long long host = m->host.id;
    if (host && by->unit_id == host) return OK;
    const char *name = "市生态环境局";
    struct unit u;
    if (host) name = mt_unit_get(db, host, &u) ? mt_unit_short_of(&u) : "";
    return problem_set(p, ERR_FORBIDDEN, "id", "只有承办单位（%s）或联席会议办公室可以%s", name,
                       what);
}

static enum err require_convener(const struct mt_meeting *m, const struct mt_actor *by,
                                 const char *what, struct problem *p)
{
    if (by->office) return OK;
    struct mt_unit *u = mt_meeting_unit(m, by->unit_id);
    if (u && u->convener) return OK;
    return problem_set(p, ERR_FORBIDDEN, "id",
                       "只有牵头单位（市委宣传部、市生态环境局）或联席会议办公室可以%s", what);
}

enum err mt_acting_unit(const struct mt_meeting *m, const struct mt_step_in *s,
                        const struct mt_actor *by, struct mt_unit **u, struct problem *p)
{
    long long uid = s && s->unit_id ? s->unit_id : by->unit_id;
    if (s && s->unit_id && s->unit_id != by->unit_id && !by->office)
        return problem_set(p, ERR_FORBIDDEN, "unit", "只能代表本单位办理");
    *u = mt_meeting_unit(m, uid);
    if (*u) return OK;
    if (by->office && !(s && s->unit_id))
        return problem_set(p, ERR_RULE, "unit", "请用 unit 指明代哪个成员单位办理");
    return problem_set(p, by->office ? ERR_RULE : ERR_FORBIDDEN, "unit",
                       "%s不是本次联席会议的成员单位", by->office ? "该单位" : "本单位");
}

enum err mt_wrong_stage(const struct mt_meeting *m, const char *what, struct problem *p)
{
    return problem_set(p, ERR_CONFLICT, "id", "%s，不能%s", mt_stage_conflict(m->stage), what);
}

/* ---- inbox ---- */

enum err mt_todo(struct store *db, long long id, const char *step, long long unit, const char *kind,
                 const char *title, int due, long long now)
{
    char key[96], link[40], d[11];
    snprintf(key, sizeof key, "meeting:%lld:todo:%s:%lld", id, step, unit);
    snprintf(link, sizeof link, "/meetings/%lld", id);
    return mt_tell(db, unit, kind, title, link, mt_fmt(due, d), key, now);
}

enum err mt_settle(struct store *db, long long id, const char *step, long long unit, long long by,
                   long long now)
{
    char key[96];
    snprintf(key, sizeof key, "meeting:%lld:todo:%s:%lld", id, step, unit);
    enum err e = inbox_done_key(db, key, by, now);
    snprintf(key, sizeof key, "meeting:%lld:remind:%s:%lld:", id, step, unit);
    if (e == OK) e = inbox_done_prefix(db, key, by, now);
    return e;
}

enum err mt_tell(struct store *db, long long unit, const char *kind, const char *title,
                 const char *link, const char *due, const char *key, long long now)
{
    struct inbox_item it = {.to = {.unit_id = unit, .roles = MT_UNIT_ROLES},
                            .kind = kind,
                            .title = title,
                            .link = link,
                            .due = due,
                            .dedupe_key = key};
    return inbox_add(db, &it, now, NULL);
}

void mt_cut(const char *s, size_t max, char *out, size_t outlen)
{
    size_t n = 0, i = 0, used = 0;
    for (; s[i] && n < max; n++) {
        size_t len = 1;
        while (s[i + len] && ((unsigned char)s[i + len] & 0xC0) == 0x80)
            len++;
        if (used + len + 1 >= outlen) break;
        memcpy(out + used, s + i, len);
        used += len;
        i += len;
    }
    out[used] = '\0';
    if (s[i] && used + 4 < outlen) {
        memcpy(out + used, "…", 3);
        out[used + 3] = '\0';
    }
}

/* ---- the notice ---- */

static enum err notice_checks(const struct mt_meeting *m, const struct mt_step_in *s,
                              const char *body, int on, struct problem *p)
{
    if (on > m->meeting) return problem_set(p, ERR_RULE, "on", "通知日期不能晚于会议日期");
    if (body && mt_utf8_chars(body) > MT_TEXT_MAX)
        return problem_set(p, ERR_RULE, "body", "通知正文补充内容最多 %d 个字", MT_TEXT_MAX);
    return mt_need_reason(m->deadline[MT_STEP_NOTICE], on, s->late_reason, "会议通知", "会前十五日",
                          p);
}

/* The members of the notice's day, with its host; 422 without a host or other members. */
static enum err notice_members(struct store *db, struct mt_meeting *m, int on, struct mt_unit **u,
                               size_t *n, long long *host, struct problem *p)
{
    enum err e = mt_store_members_at(db, on, m->arena, u, n);
    if (e != OK) return e;
    size_t others = 0;
    *host = 0;
    for (size_t i = 0; i < *n; i++) {
        if ((*u)[i].host)
            *host = (*u)[i].unit.id;
        else
            others++;
    }
    if (!*host || !others)
        return problem_set(p, ERR_RULE, "id",
                           *host ? "%s没有其他成员单位"
                                 : "%s没有承办单位：请先在成员单位中指定承办单位",
                           "通知日期当天");
    return OK;
}

/* Every member unit but the host is asked to confirm and to submit topics by the deadline. */
static enum err notice_todos(struct store *db, const struct mt_meeting *m, const struct mt_unit *u,
                             size_t n, int on, long long now)
{
    int reply = mt_days_after(&m->cal, on, MT_TOPIC_DAYS);
    char title[400], t[4 * 60 + 4], dl[11];
    mt_cut(m->title, 60, t, sizeof t);
    snprintf(title, sizeof title, "联席会议通知：%s，请确认收到并于 %s 前提交议题", t,
             mt_fmt(reply, dl));
    enum err e = OK;
    for (size_t i = 0; i < n && e == OK; i++)
        if (!u[i].host)
            e = mt_todo(db, m->id, "reply", u[i].unit.id, "meeting_notice", title, reply, now);
    return e;
}

enum err mt_may_notice(struct store *db, const struct mt_meeting *m, const struct mt_actor *by,
                       struct problem *p)
{
    enum err e = mt_require_host(db, m, by, "发出会议通知", p);
    char d[11];
    if (e == OK && m->stage != MT_STAGE_PLANNED)
        e = problem_set(p, ERR_CONFLICT, "id", "会议通知已于 %s 发出，不能重复发出",
                        mt_fmt(m->notice, d));
    return e;
}

enum err mt_send_notice(struct store *db, long long id, const struct mt_step_in *s,
                        const char *body, const struct mt_actor *by, long long now,
                        struct problem *p)
{
    struct mt_meeting *m;
    enum err e = mt_step_load(db, id, now, MT_LOAD_CORE, &m, p);
    int on;
    if (e != OK) return e;
    if ((e = mt_may_notice(db, m, by, p)) != OK) goto out;
    if ((e = mt_step_day(s, by, m->today, &on, p)) != OK) goto out;
    if ((e = notice_checks(m, s, body, on, p)) != OK) goto out;
    struct mt_unit *members;
    size_t n;
    long long host;
    if ((e = notice_members(db, m, on, &members, &n, &host, p)) != OK) goto out;
    bool late = mt_is_late(m->deadline[MT_STEP_NOTICE], on);
    const char *reason = late ? s->late_reason : NULL;
    e = mt_store_notice(db, id, on, body, reason, by->name, now);
    if (e == ERR_CONFLICT) e = problem_set(p, ERR_CONFLICT, "id", "会议通知已发出");
    for (size_t i = 0; i < n && e == OK; i++)
        e = mt_store_unit_add(db, id, &members[i], on);
    if (e == OK) e = mt_history(db, id, by, now, on, "notice", host, late, reason);
    /* the deadline of the replies, counted from the day the notice is received */
    if (e == OK) e = notice_todos(db, m, members, n, on, now);
    if (e == OK) e = mt_settle(db, id, "notice", host, by->user_id, now);
    if (e == OK) e = mt_issue_doc(db, id, MT_DOC_NOTICE, on, now, p);
out:
    mt_meeting_free(m);
    return e;
}

/* ---- receipts and topics ---- */

static enum err open_for_replies(const struct mt_meeting *m, const char *what, struct problem *p)
{
    if (m->stage == MT_STAGE_NOTIFIED) return OK;
    if (m->stage == MT_STAGE_AGENDA_SENT)
        return problem_set(p, ERR_CONFLICT, "id", "议题已告知参会单位，不能再%s", what);
    return mt_wrong_stage(m, what, p);
}

static enum err after_reply(struct store *db, long long id, const struct mt_unit *u,
                            const struct mt_actor *by, long long now)
{
    enum err e = OK;
    long long unit = u->unit.id;
    if (u->confirmed != MT_NONE) e = mt_settle(db, id, "receipt", unit, by->user_id, now);
    if (e == OK && u->topics != MT_NONE) e = mt_settle(db, id, "topics", unit, by->user_id, now);
    if (e == OK && u->confirmed != MT_NONE && u->topics != MT_NONE)
        e = mt_settle(db, id, "reply", unit, by->user_id, now);
    return e;
}

/* Who may confirm, at which stage, and whether "no topics" can still be said. */
static enum err receipt_checks(const struct mt_meeting *m, const struct mt_unit *u, bool no_topics,
                               struct problem *p)
{
    if (u->host) return problem_set(p, ERR_RULE, "unit", "承办单位发出通知，无需确认收到");
    if (m->held != MT_NONE) return mt_wrong_stage(m, "确认收到", p);
    char d[11];
    if (!no_topics && u->confirmed != MT_NONE)
        return problem_set(p, ERR_CONFLICT, "id", "已于 %s 确认收到", mt_fmt(u->confirmed, d));
    if (!no_topics) return OK;
    enum err e = open_for_replies(m, "反馈议题", p);
    if (e == OK && (u->ntopics > 0 || u->topics != MT_NONE))
        e = problem_set(p, ERR_CONFLICT, "no_topics",
                        u->ntopics ? "本单位已提交议题" : "本单位已反馈无议题");
    return e;
}

enum err mt_may_receipt(const struct mt_meeting *m, const struct mt_step_in *s,
                        const struct mt_actor *by, bool no_topics, struct mt_unit **u,
                        struct problem *p)
{
    if (m->notice == MT_NONE) return mt_wrong_stage(m, "确认收到", p);
    enum err e = mt_acting_unit(m, s, by, u, p);
    return e == OK ? receipt_checks(m, *u, no_topics, p) : e;
}

enum err mt_confirm_receipt(struct store *db, long long id, const struct mt_step_in *s,
                            bool no_topics, const struct mt_actor *by, long long now,
                            struct problem *p)
{
    struct mt_meeting *m;
    enum err e = mt_step_load(db, id, now, MT_LOAD_CORE, &m, p);
    struct mt_unit *u;
    int on;
    if (e != OK) return e;
    if ((e = mt_may_receipt(m, s, by, no_topics, &u, p)) != OK) goto out;
    if ((e = mt_step_day(s, by, m->today, &on, p)) != OK) goto out;
    char d[11];
    if (on < u->received) {
        e = problem_set(p, ERR_RULE, "on", "确认日期不能早于收到通知的日期 %s",
                        mt_fmt(u->received, d));
        goto out;
    }
    bool late = mt_is_late(m->deadline[MT_STEP_RECEIPT], on);
    if ((e = mt_need_reason(m->deadline[MT_STEP_RECEIPT], on, s->late_reason,
                            no_topics ? "反馈议题" : "确认收到", "收到通知后五日内", p)) != OK)
        goto out;
    const char *reason = late ? s->late_reason : NULL;
    e = mt_store_receipt(db, id, u->unit.id, on, by->name, reason, no_topics);
    if (e == OK)
        e = mt_history(db, id, by, now, on, no_topics ? "no_topics" : "receipt", u->unit.id, late,
                       reason);
    if (u->confirmed == MT_NONE) u->confirmed = on;
    if (no_topics) u->topics = on;
    if (e == OK) e = after_reply(db, id, u, by, now);
out:
    mt_meeting_free(m);
    return e;
}

/* The topic's own fields. */
static enum err topic_checks(const struct mt_topic_in *t, struct problem *p)
{
    if (!mt_category_label(t->category))
        return problem_set(p, ERR_RULE, "category",
                           "议题类别应为 1 到 7（联席会议职责第四条（一）至（七））");
    size_t tl = mt_utf8_chars(t->title);
    if (tl == 0 || tl > MT_TITLE_MAX)
        return problem_set(p, ERR_RULE, "title", "议题名称应为 1 到 %d 个字", MT_TITLE_MAX);
    size_t bl = mt_utf8_chars(t->background), dl = mt_utf8_chars(t->decision_requested);
    if (bl == 0 || bl > MT_TEXT_MAX)
        return problem_set(p, ERR_RULE, "background", "背景情况应为 1 到 %d 个字", MT_TEXT_MAX);
    if (dl == 0 || dl > MT_TEXT_MAX)
        return problem_set(p, ERR_RULE, "decision_requested",
                           "需要联席会议决定的事项应为 1 到 %d 个字", MT_TEXT_MAX);
    return OK;
}

/* Who submits a topic, when: a member unit while replies are open, with room for one more, in
 * its window (after it only the office records one, with the reason). */
enum err mt_may_topic(const struct mt_meeting *m, const struct mt_step_in *s,
                      const struct mt_actor *by, int on, struct mt_unit **u, struct problem *p)
{
    if (m->notice == MT_NONE) return mt_wrong_stage(m, "提交议题", p);
    enum err e = mt_acting_unit(m, s, by, u, p);
    if (e == OK) e = open_for_replies(m, "提交议题", p);
    if (e != OK) return e;
    if ((*u)->no_topics) return problem_set(p, ERR_CONFLICT, "id", "本单位已反馈无议题");
    if ((*u)->ntopics >= MT_TOPICS_PER_UNIT)
        return problem_set(p, ERR_RULE, "id", "每个单位最多提交 %d 个议题", MT_TOPICS_PER_UNIT);
    char d[11];
    if (mt_is_late(m->deadline[MT_STEP_TOPICS], on) && !by->office)
        return problem_set(p, ERR_RULE, NULL,
                           "议题提交期限已过：应在收到通知后五日内（%s "
                           "前）提交；如需补报，请联系联席会议办公室登记逾期原因",
                           mt_fmt(m->deadline[MT_STEP_TOPICS], d));
    return OK;
}

/* The day of a topic, and its reason when late. */
static enum err topic_day(const struct mt_meeting *m, const struct mt_step_in *s, int on,
                          struct problem *p)
{
    char d[11];
    if (on < m->notice)
        return problem_set(p, ERR_RULE, "on", "提交日期不能早于通知日期 %s", mt_fmt(m->notice, d));
    return mt_need_reason(m->deadline[MT_STEP_TOPICS], on, s->late_reason, "议题",
                          "收到通知后五日内", p);
}

enum err mt_submit_topic(struct store *db, long long id, const struct mt_step_in *s,
                         const struct mt_topic_in *t, const struct mt_actor *by, long long now,
                         long long *topic_id, struct problem *p)
{
    struct mt_meeting *m;
    enum err e = mt_step_load(db, id, now, MT_LOAD_CORE, &m, p);
    struct mt_unit *u;
    int on;
    *topic_id = 0;
    if (e != OK) return e;
    if ((e = mt_step_day(s, by, m->today, &on, p)) != OK) goto out;
    if ((e = mt_may_topic(m, s, by, on, &u, p)) != OK) goto out;
    if ((e = topic_checks(t, p)) != OK) goto out;
    if ((e = topic_day(m, s, on, p)) != OK) goto out;
    bool late = mt_is_late(m->deadline[MT_STEP_TOPICS], on);
    const char *reason = late ? s->late_reason : NULL;
    e = mt_store_topic_add(db, id, u->unit.id, t, on, by, late, reason, now, topic_id);
    if (e == OK) e = mt_store_topic_reply(db, id, u->unit.id, on, by->name, reason);
    char note[400], title[130];
    utf8_cut(t->title ? t->title : "", 40, title, sizeof title);
    snprintf(note, sizeof note, "议题「%s」%s%.150s", title, late ? "（逾期补报）：" : "",
             late ? s->late_reason : "");
    utf8_scrub(note);
    if (e == OK)
        e = mt_history(db, id, by, now, on, late ? "topic_late" : "topic", u->unit.id, late, note);
    if (u->confirmed == MT_NONE) u->confirmed = on;
    if (u->topics == MT_NONE) u->topics = on;
    if (e == OK) e = after_reply(db, id, u, by, now);
out:
    mt_meeting_free(m);
    return e;
}

/* ---- the selection ---- */

/* What the host decides of topic t: the selection, with its reason and merge target checked. */
enum err mt_selection_check(const struct mt_meeting *m, const struct mt_topic *t,
                            const char *decision, long long into, const char *reason,
                            enum mt_selection *sel, struct problem *p)
{
    if (!mt_selection_decision(decision, sel))
        return problem_set(p, ERR_RULE, "decision",
                           "decision 应为 "
                           "select（列为中心议题）、merge（合并到另一议题）、decline（不采纳）或 "
                           "reset");
    if (*sel == MT_SEL_DECLINED && !mt_has_text(reason))
        return problem_set(p, ERR_RULE, "reason", "不采纳议题须说明理由");
    if (reason && mt_utf8_chars(reason) > MT_REASON_MAX)
        return problem_set(p, ERR_RULE, "reason", "理由最多 %d 个字", MT_REASON_MAX);
    const struct mt_topic *target = mt_meeting_topic(m, into);
    if (*sel == MT_SEL_MERGED && (!target || target->selection != MT_SEL_SELECTED || into == t->id))
        return problem_set(p, ERR_RULE, "into", "合并目标应为本次会议另一个已列为中心议题的议题");
    long long merged = 0;
    for (size_t i = 0; i < m->ntopics; i++)
        if (m->topics[i].merged_into == t->id && m->topics[i].selection == MT_SEL_MERGED) merged++;
    if (t->selection == MT_SEL_SELECTED && *sel != MT_SEL_SELECTED && merged)
        return problem_set(p, ERR_CONFLICT, "tid", "已有 %lld 个议题并入本议题，请先调整它们",
                           merged);
    return OK;
}

enum err mt_may_select(struct store *db, const struct mt_meeting *m, const struct mt_actor *by,
                       struct problem *p)
{
    enum err e = mt_require_host(db, m, by, "筛选议题", p);
    if (e != OK || m->stage == MT_STAGE_NOTIFIED) return e;
    return m->stage == MT_STAGE_PLANNED
               ? mt_wrong_stage(m, "筛选议题", p)
               : problem_set(p, ERR_CONFLICT, "id", "议题已告知参会单位，筛选结果不能再改");
}

enum err mt_select_topic(struct store *db, long long id, long long topic_id, const char *decision,
                         long long into, const char *reason, const char *on_s,
                         const struct mt_actor *by, long long now, struct problem *p)
{
    struct mt_meeting *m;
    enum err e = mt_step_load(db, id, now, MT_LOAD_TOPICS, &m, p);
    int on;
    if (e != OK) return e;
    if ((e = mt_may_select(db, m, by, p)) != OK) goto out;
    const struct mt_topic *t = mt_meeting_topic(m, topic_id);
    if (!t) {
        e = problem_set(p, ERR_NOT_FOUND, "tid", "议题不存在");
        goto out;
    }
    struct mt_step_in s = {.on = on_s};
    if ((e = mt_step_day(&s, by, m->today, &on, p)) != OK) goto out;
    enum mt_selection sel;
    if ((e = mt_selection_check(m, t, decision, into, reason, &sel, p)) != OK) goto out;
    e = mt_store_topic_select(db, topic_id, sel, into, reason, on, by->name);
    char note[300], title[130];
    utf8_cut(t->title ? t->title : "", 40, title, sizeof title);
    snprintf(note, sizeof note, "议题「%s」：%s", title, mt_selection_label(sel));
    if (e == OK) e = mt_history(db, id, by, now, on, "selection", 0, false, note);
out:
    mt_meeting_free(m);
    return e;
}

/* ---- the agenda ---- */

/* Every topic is selected, merged or declined, and one at least is selected. */
static enum err agenda_topics(const struct mt_meeting *m, struct problem *p)
{
    long long pending = 0, selected = 0;
    for (size_t i = 0; i < m->ntopics; i++) {
        if (m->topics[i].selection == MT_SEL_PENDING) pending++;
        if (m->topics[i].selection == MT_SEL_SELECTED) selected++;
    }
    if (pending)
        return problem_set(p, ERR_CONFLICT, "id",
                           "还有 %lld 个议题尚未筛选（列为中心议题、合并或不采纳）", pending);
    if (!selected) return problem_set(p, ERR_RULE, "id", "尚无中心议题：请先筛选出中心议题");
    return OK;
}

/* The order: as given, then the remaining central topics by category (then by id). */
static enum err agenda_order(struct store *db, struct mt_meeting *m, json_t *order,
                             struct problem *p)
{
    long long pos = 0;
    size_t i;
    json_t *v;
    json_array_foreach(order, i, v)
    {
        long long tid = json_integer_value(v);
        struct mt_topic *t = mt_meeting_topic(m, tid);
        if (!t || t->selection != MT_SEL_SELECTED || t->agenda_order)
            return problem_set(p, ERR_RULE, "order",
                               "order 应列出本次会议已列为中心议题的议题编号，每个一次：%lld", tid);
        t->agenda_order = ++pos;
        enum err e = mt_store_topic_order(db, tid, pos);
        if (e != OK) return e;
    }
    for (;;) {
        struct mt_topic *next = NULL;
        for (size_t k = 0; k < m->ntopics; k++) {
            struct mt_topic *t = &m->topics[k];
            if (t->selection != MT_SEL_SELECTED || t->agenda_order) continue;
            if (!next || t->category < next->category ||
                (t->category == next->category && t->id < next->id))
                next = t;
        }
        if (!next) return OK;
        next->agenda_order = ++pos;
        enum err e = mt_store_topic_order(db, next->id, pos);
        if (e != OK) return e;
    }
}

/* The replies not given are closed (their window has passed); everyone prepares to attend. */
static enum err agenda_todos(struct store *db, const struct mt_meeting *m,
                             const struct mt_actor *by, long long now)
{
    char title[400], t[4 * 60 + 4], md[11];
    mt_cut(m->title, 60, t, sizeof t);
    snprintf(title, sizeof title, "议题通知：%s 定于 %s 召开，请做好参会准备", t,
             mt_fmt(m->meeting, md));
    enum err e = OK;
    for (size_t i = 0; i < m->nunits && e == OK; i++) {
        long long unit = m->units[i].unit.id;
        e = mt_settle(db, m->id, "agenda", unit, by->user_id, now);
        if (e == OK) e = mt_settle(db, m->id, "reply", unit, 0, now);
        if (e == OK) e = mt_settle(db, m->id, "receipt", unit, 0, now);
        if (e == OK) e = mt_settle(db, m->id, "topics", unit, 0, now);
        if (e == OK)
            e = mt_todo(db, m->id, "attend", unit, "meeting_agenda", title, m->meeting, now);
    }
    return e;
}

enum err mt_may_agenda(const struct mt_meeting *m, const struct mt_actor *by, struct problem *p)
{
    enum err e = require_convener(m, by, "告知议题", p);
    if (e != OK) return e;
    char d[11];
    if (m->stage != MT_STAGE_NOTIFIED)
        return m->stage == MT_STAGE_PLANNED
                   ? mt_wrong_stage(m, "告知议题", p)
                   : problem_set(p, ERR_CONFLICT, "id", "议题已于 %s 告知参会单位，不能重复发送",
                                 mt_fmt(m->agenda, d));
    return agenda_topics(m, p);
}

enum err mt_send_agenda(struct store *db, long long id, const struct mt_step_in *s, json_t *order,
                        const struct mt_actor *by, long long now, struct problem *p)
{
    struct mt_meeting *m;
    enum err e = mt_step_load(db, id, now, MT_LOAD_TOPICS, &m, p);
    int on;
    if (e != OK) return e;
    if ((e = mt_may_agenda(m, by, p)) != OK) goto out;
    if ((e = mt_step_day(s, by, m->today, &on, p)) != OK) goto out;
    if (on < m->notice || on > m->meeting) {
        e = problem_set(p, ERR_RULE, "on", "告知议题的日期应在通知日期与会议日期之间");
        goto out;
    }
    if ((e = mt_need_reason(m->deadline[MT_STEP_AGENDA], on, s->late_reason, "告知议题", "会前五日",
                            p)) != OK)
        goto out;
    bool late = mt_is_late(m->deadline[MT_STEP_AGENDA], on);
    const char *reason = late ? s->late_reason : NULL;
    if ((e = agenda_order(db, m, order, p)) != OK) goto out;
    e = mt_store_agenda(db, id, on, reason, by->name, now);
    if (e == ERR_CONFLICT) e = problem_set(p, ERR_CONFLICT, "id", "议题已告知参会单位");
    if (e == OK) e = mt_history(db, id, by, now, on, "agenda", 0, late, reason);
    if (e == OK) e = agenda_todos(db, m, by, now);
    if (e == OK) e = mt_issue_doc(db, id, MT_DOC_AGENDA, on, now, p);
out:
    mt_meeting_free(m);
    return e;
}

enum err mt_unit_role(struct store *db, long long id, long long unit_id, long long now,
                      struct mt_unit_role *out)
{
    memset(out, 0, sizeof *out);
    struct mt_meeting *m;
    enum err e = mt_meeting_load(db, id, now, MT_LOAD_CORE, &m); /* today's members before notice */
    if (e != OK) return e;
    struct mt_unit *u = mt_meeting_unit(m, unit_id);
    if (u) *out = (struct mt_unit_role){true, u->convener, u->host};
    mt_meeting_free(m);
    return OK;
}
