/* meeting_minutes.c - the services of the joint meeting chain from the meeting held on
 * (meeting.h): the attendance and a decision per central topic, with the t83 ledger report a
 * regular meeting files through work_file() (one event, one record); the minutes by the host
 * within 7 days, in versions; every member unit's countersign (会签) of the current version or
 * its change request, which reopens countersigning; and the minutes issued, their decisions
 * becoming follow-up items. The checks the steps share are in meeting.c (meeting_service.h).
 * Inside the caller's transaction. */
#include "meeting/meeting_service.h"
#include "base/date.h"
#include "notify/notify.h"
#include "work/work.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the meeting held ---- */

/* One attendee as requested, checked (field "attendance[i]"). */
static enum err attendee_parse(struct store *db, const struct mt_meeting *m, json_t *a,
                               const char *f, struct mt_attendee *out, struct problem *p)
{
    bool guest = json_is_true(json_object_get(a, "guest"));
    json_t *uv = json_object_get(a, "unit");
    long long uid = uv && !json_is_null(uv) ? mt_unit_ref(db, uv) : 0;
    const char *uname = json_string_value(json_object_get(a, "unit_name"));
    const char *person = json_string_value(json_object_get(a, "person"));
    const char *post = json_string_value(json_object_get(a, "post"));
    if (uv && !json_is_null(uv) && !uid) return problem_set(p, ERR_RULE, f, "单位不存在");
    if (!guest && (!uid || !mt_meeting_unit(m, uid)))
        return problem_set(
            p, ERR_RULE, f,
            "成员单位的出席人员须写明本次会议的成员单位（unit）；邀请单位请标明 guest");
    if (guest && !uid && !mt_has_text(uname))
        return problem_set(p, ERR_RULE, f, "邀请单位须写明单位名称（unit_name）");
    if (!mt_has_text(person) || mt_utf8_chars(person) > MT_NAME_MAX ||
        (post && mt_utf8_chars(post) > MT_NAME_MAX) ||
        (uname && mt_utf8_chars(uname) > MT_NAME_MAX))
        return problem_set(p, ERR_RULE, f, "姓名应为 1 到 %d 个字，职务、单位名称最多 %d 个字",
                           MT_NAME_MAX, MT_NAME_MAX);
    *out = (struct mt_attendee){
        .unit = {uid, "", ""}, .unit_name = uname, .person = person, .post = post, .guest = guest};
    if (!mt_rank_parse(json_string_value(json_object_get(a, "rank")), &out->rank))
        return problem_set(p, ERR_RULE, f,
                           "rank 应为 "
                           "principal（主要负责同志）、deputy（分管负责同志）、division（业务处室负"
                           "责人）或 staff");
    if (uid) {
        struct unit u;
        out->unit_name = mt_unit_get(db, uid, &u) ? arena_strdup(m->arena, u.name) : "";
    }
    return OK;
}

static enum err record_attendance(struct store *db, const struct mt_meeting *m, json_t *attendance,
                                  struct problem *p)
{
    size_t na = json_array_size(attendance);
    if (na == 0 || na > MT_MAX_ATTENDANCE)
        return problem_set(p, ERR_RULE, "attendance", "出席人员应为 1 到 %d 人", MT_MAX_ATTENDANCE);
    size_t i;
    json_t *a;
    json_array_foreach(attendance, i, a)
    {
        char f[48];
        snprintf(f, sizeof f, "attendance[%zu]", i);
        struct mt_attendee x;
        enum err e = attendee_parse(db, m, a, f, &x, p);
        if (e == OK) e = mt_store_attendee_add(db, m->id, &x);
        if (e != OK) return e;
    }
    return OK;
}

static bool decided(json_t *decisions, long long topic_id)
{
    size_t k;
    json_t *dv;
    json_array_foreach(decisions, k, dv)
    {
        if (json_integer_value(json_object_get(dv, "topic_id")) == topic_id) return true;
    }
    return false;
}

/* A decision per central topic (the first one without, by id, is named). */
static enum err record_decisions(struct store *db, const struct mt_meeting *m, json_t *decisions,
                                 long long *topics, struct problem *p)
{
    const struct mt_topic *missing = NULL;
    *topics = 0;
    for (size_t k = 0; k < m->ntopics; k++) {
        const struct mt_topic *t = &m->topics[k];
        if (t->selection != MT_SEL_SELECTED) continue;
        (*topics)++;
        if (!decided(decisions, t->id) && (!missing || t->id < missing->id)) missing = t;
    }
    if (missing)
        return problem_set(p, ERR_RULE, "decisions",
                           "中心议题“%.200s”没有会议决定：每个中心议题都应记录决定",
                           missing->title);
    size_t i;
    json_t *a;
    json_array_foreach(decisions, i, a)
    {
        char f[48];
        snprintf(f, sizeof f, "decisions[%zu]", i);
        long long tid = json_integer_value(json_object_get(a, "topic_id"));
        const char *text = json_string_value(json_object_get(a, "decision"));
        const struct mt_topic *t = mt_meeting_topic(m, tid);
        if (!t || t->selection != MT_SEL_SELECTED)
            return problem_set(p, ERR_RULE, f, "topic_id 应为本次会议的中心议题：%lld", tid);
        size_t tl = mt_utf8_chars(text);
        if (tl == 0 || tl > MT_TEXT_MAX)
            return problem_set(p, ERR_RULE, f, "会议决定应为 1 到 %d 个字", MT_TEXT_MAX);
        enum err e = mt_store_topic_decision(db, tid, text);
        if (e != OK) return e;
    }
    return OK;
}

static enum err file_ledger(struct store *db, const struct mt_meeting *m, int on,
                            long long attendees, long long topics, const struct mt_actor *by,
                            long long now)
{
    char d[11], ref[40], summary[4 * MT_TITLE_MAX + 200];
    snprintf(ref, sizeof ref, "meeting:%lld", m->id);
    snprintf(
        summary, sizeof summary,
        "召开%s，%lld 人参会，研究中心议题 %lld 项（联席会议制度第五条：原则上每半年召开一次）",
        m->title, attendees, topics);
    struct work_report r = {.unit_id = m->host.id,
                            .kind = "joint_meeting",
                            .activity_date = mt_fmt(on, d),
                            .title = m->title,
                            .summary = summary,
                            .place = m->place,
                            .tasks = {83},
                            .ntasks = 1,
                            .metrics = {{"participants", attendees}, {"topics", topics}},
                            .nmetrics = 2};
    /* The meeting chain files the record (no person types it), so the office that held the
     * meeting may accept it without breaking the four-eyes rule of the ledger. */
    struct work_actor system = {0, "联席会议系统"}, wa = {by->user_id, by->name};
    struct work_problems pr;
    long long rid = 0;
    enum err e = work_file(db, &r, NULL, "meeting", ref, &system, now, &rid, &pr);
    if (e == ERR_RULE) {
        /* the plan does not take it (a date outside its period …): say why, keep the meeting */
        char note[sizeof pr.items[0].msg + 64];
        snprintf(note, sizeof note, "未能自动登记台账：%s",
                 pr.n ? pr.items[0].msg : "不符合方案要求");
        return mt_store_report_note(db, m->id, note);
    }
    if (e != OK) return e;
    /* the office is the ledger's reviewer: a meeting it records is accepted at once */
    if (by->office && (e = work_store_review(db, rid, true, NULL, &wa, now)) != OK) return e;
    return mt_store_report_id(db, m->id, rid);
}

/* The host records the meeting held, once the agenda is sent, on the meeting's day. */
enum err mt_may_held(struct store *db, const struct mt_meeting *m, const struct mt_actor *by,
                     int on, struct problem *p)
{
    enum err e = mt_require_host(db, m, by, "登记会议召开情况", p);
    if (e != OK) return e;
    if (m->stage != MT_STAGE_AGENDA_SENT)
        return m->stage == MT_STAGE_NOTIFIED
                   ? problem_set(
                         p, ERR_CONFLICT, "id",
                         "议题尚未告知参会单位（第六条：牵头单位应在会前五日告知），不能登记召开")
                   : mt_wrong_stage(m, "登记会议召开", p);
    char d[11];
    if (on != m->meeting)
        return problem_set(p, ERR_RULE, "on", "会议日期为 %s；如会议改期，请先修改会议日期",
                           mt_fmt(m->meeting, d));
    return OK;
}

enum err mt_record_held(struct store *db, long long id, const struct mt_step_in *s,
                        json_t *attendance, json_t *decisions, const struct mt_actor *by,
                        long long now, struct problem *p)
{
    struct mt_meeting *m;
    enum err e = mt_step_load(db, id, now, MT_LOAD_TOPICS, &m, p);
    int on;
    if (e != OK) return e;
    if ((e = mt_step_day(s, by, m->today, &on, p)) != OK) goto out;
    if ((e = mt_may_held(db, m, by, on, p)) != OK) goto out;
    long long topics;
    if ((e = record_attendance(db, m, attendance, p)) != OK) goto out;
    if ((e = record_decisions(db, m, decisions, &topics, p)) != OK) goto out;
    e = mt_store_held(db, id, on, by->name, now);
    if (e == ERR_CONFLICT) e = problem_set(p, ERR_CONFLICT, "id", "会议召开情况已登记");
    if (e == OK) e = mt_history(db, id, by, now, on, "held", 0, false, NULL);
    for (size_t k = 0; k < m->nunits && e == OK; k++)
        e = mt_settle(db, id, "attend", m->units[k].unit.id, 0, now);
    if (e == OK && m->kind == MT_REGULAR)
        e = file_ledger(db, m, on, (long long)json_array_size(attendance), topics, by, now);
    if (e == OK) {
        char title[400], t[4 * 60 + 4], dl[11];
        mt_cut(m->title, 60, t, sizeof t);
        int due = mt_days_after(&m->cal, on, MT_MINUTES_DAYS);
        snprintf(title, sizeof title, "请于 %s 前制作“%s”会议纪要（会议完毕七日内）",
                 mt_fmt(due, dl), t);
        e = mt_todo(db, id, "minutes", m->host.id, "meeting_minutes_due", title, due, now);
    }
out:
    mt_meeting_free(m);
    return e;
}

/* ---- minutes ---- */

/* One decision of the minutes as requested, checked (field "decisions[i]"). */
static enum err decision_parse(struct store *db, const struct mt_meeting *m, json_t *a, size_t i,
                               struct mt_decision *out, struct problem *p)
{
    char f[48];
    snprintf(f, sizeof f, "decisions[%zu]", i);
    const char *text = json_string_value(json_object_get(a, "text"));
    const char *due = json_string_value(json_object_get(a, "due"));
    long long uid = mt_unit_ref(db, json_object_get(a, "unit"));
    json_t *tv = json_object_get(a, "topic_id");
    long long tid = json_integer_value(tv);
    size_t tl = mt_utf8_chars(text);
    if (tl == 0 || tl > MT_REASON_MAX)
        return problem_set(p, ERR_RULE, f, "议定事项应为 1 到 %d 个字", MT_REASON_MAX);
    if (!uid) return problem_set(p, ERR_RULE, f, "责任单位（unit）不存在");
    struct unit u;
    if (mt_unit_get(db, uid, &u) && strcmp(u.tier, "group") == 0)
        return problem_set(p, ERR_RULE, f, "责任单位应为具体单位，不能是泛指的单位组");
    int dd = mt_day(due);
    if (dd == MT_NONE || dd < m->held)
        return problem_set(p, ERR_RULE, f, "完成时限（due）应为 YYYY-MM-DD，且不早于会议日期");
    bool topic = tv && !json_is_null(tv);
    if (topic && !mt_meeting_topic(m, tid))
        return problem_set(p, ERR_RULE, f, "topic_id 不是本次会议的议题：%lld", tid);
    *out = (struct mt_decision){.seq = (int)i + 1,
                                .text = text,
                                .unit = {uid, "", ""},
                                .due = dd,
                                .topic_id = topic ? tid : 0};
    return OK;
}

/* Everyone but the host countersigns the new version within the window (the host signed it by
 * drafting); the previous version's items and change requests are closed. */
static enum err countersign_todos(struct store *db, const struct mt_meeting *m, int v, int on,
                                  const struct mt_actor *by, long long now)
{
    char prev[48], step[48], title[400], t[4 * 60 + 4], dl[11];
    snprintf(prev, sizeof prev, "countersign.v%d", m->version);
    snprintf(step, sizeof step, "countersign.v%d", v);
    int due = mt_days_after(&m->cal, on, m->countersign_days);
    mt_cut(m->title, 60, t, sizeof t);
    snprintf(title, sizeof title, "请于 %s 前会签“%s”会议纪要（第 %d 稿）", mt_fmt(due, dl), t, v);
    enum err e = OK;
    for (size_t k = 0; k < m->nunits && e == OK; k++) {
        if (m->version > 0) e = mt_settle(db, m->id, prev, m->units[k].unit.id, 0, now);
        if (e == OK && !m->units[k].host)
            e = mt_todo(db, m->id, step, m->units[k].unit.id, "meeting_countersign", title, due,
                        now);
    }
    if (e == OK && m->version > 0) {
        char key[64];
        snprintf(key, sizeof key, "meeting:%lld:change.v%d:", m->id, m->version);
        e = inbox_done_prefix(db, key, by->user_id, now);
    }
    return e;
}

enum err mt_may_minutes(struct store *db, const struct mt_meeting *m, const struct mt_actor *by,
                        struct problem *p)
{
    enum err e = mt_require_host(db, m, by, "制作会议纪要", p);
    if (e == OK && m->stage != MT_STAGE_HELD && m->stage != MT_STAGE_MINUTES)
        e = mt_wrong_stage(m, "制作会议纪要", p);
    return e;
}

/* The minutes' own checks before their decisions. */
static enum err minutes_checks(const char *body, json_t *decisions, struct problem *p)
{
    size_t bl = mt_utf8_chars(body);
    if (bl == 0 || bl > MT_TEXT_MAX)
        return problem_set(p, ERR_RULE, "body", "纪要正文应为 1 到 %d 个字", MT_TEXT_MAX);
    if (json_array_size(decisions) > MT_MAX_DECISIONS)
        return problem_set(p, ERR_RULE, "decisions", "议定事项最多 %d 项", MT_MAX_DECISIONS);
    return OK;
}

/* Stores version v with its decisions, moves the meeting to it, signs it for the host. */
static enum err store_version(struct store *db, const struct mt_meeting *m, int v, const char *body,
                              const struct mt_decision *dec, size_t n, int on,
                              const char *late_reason, const struct mt_actor *by, long long now,
                              struct problem *p)
{
    enum err e = mt_store_minutes_add(db, m->id, v, body, dec, n, on, by->name, now);
    if (e == OK) e = mt_store_minutes_version(db, m->id, v, m->version, on, late_reason, now);
    if (e == ERR_CONFLICT)
        e = problem_set(p, ERR_CONFLICT, "id", "会议纪要已被他人修改，请刷新后重试");
    /* drafting is the host's own signature */
    if (e == OK)
        e = mt_store_sign(db, m->id, v, m->host.id, false, "起草单位", on, by->name, NULL, now);
    return e;
}

enum err mt_draft_minutes(struct store *db, long long id, const struct mt_step_in *s,
                          const char *body, json_t *decisions, const struct mt_actor *by,
                          long long now, struct problem *p)
{
    struct mt_meeting *m;
    enum err e = mt_step_load(db, id, now, MT_LOAD_TOPICS, &m, p);
    int on;
    if (e != OK) return e;
    if ((e = mt_may_minutes(db, m, by, p)) != OK) goto out;
    if ((e = minutes_checks(body, decisions, p)) != OK) goto out;
    if ((e = mt_step_day(s, by, m->today, &on, p)) != OK) goto out;
    char d[11];
    if (on < m->held) {
        e = problem_set(p, ERR_RULE, "on", "纪要日期不能早于会议日期 %s", mt_fmt(m->held, d));
        goto out;
    }
    bool first = m->version == 0;
    bool late = first && mt_is_late(m->deadline[MT_STEP_MINUTES], on);
    if (first && (e = mt_need_reason(m->deadline[MT_STEP_MINUTES], on, s->late_reason, "会议纪要",
                                     "会议完毕七日内", p)) != OK)
        goto out;
    size_t n = json_array_size(decisions), i;
    struct mt_decision *dec = arena_alloc(m->arena, (n ? n : 1) * sizeof *dec);
    json_t *a;
    json_array_foreach(decisions, i, a)
    {
        if ((e = decision_parse(db, m, a, i, &dec[i], p)) != OK) goto out;
    }
    int v = m->version + 1;
    const char *reason = late ? s->late_reason : NULL;
    e = store_version(db, m, v, body, dec, n, on, reason, by, now, p);
    char note[40];
    snprintf(note, sizeof note, "第 %d 稿", v);
    if (e == OK)
        e = mt_history(db, id, by, now, on, first ? "minutes" : "minutes_revised", m->host.id, late,
                       late ? s->late_reason : note);
    if (e == OK) e = mt_settle(db, id, "minutes", m->host.id, by->user_id, now);
    if (e == OK) e = countersign_todos(db, m, v, on, by, now);
out:
    mt_meeting_free(m);
    return e;
}

/* ---- countersigns ---- */

/* A member unit countersigns the current version once, while no change is requested. */
enum err mt_may_countersign(const struct mt_meeting *m, const struct mt_step_in *s,
                            const struct mt_actor *by, struct mt_unit **u, struct problem *p)
{
    enum err e = mt_acting_unit(m, s, by, u, p);
    if (e != OK) return e;
    if (m->stage != MT_STAGE_MINUTES) return mt_wrong_stage(m, "会签", p);
    if (m->change_requested)
        return problem_set(p, ERR_CONFLICT, "id",
                           "已有单位对第 %d 稿提出修改意见，请待承办单位修改后重新会签",
                           m->version);
    if ((*u)->signed_on != MT_NONE || (*u)->change)
        return problem_set(p, ERR_CONFLICT, "id", "本单位已会签第 %d 稿", m->version);
    return OK;
}

static enum err sign_checks(bool sign, const char *action, const char *comment, struct problem *p)
{
    if (!sign && !(action && strcmp(action, "change") == 0))
        return problem_set(p, ERR_RULE, "action",
                           "action 应为 sign（会签同意）或 change（提出修改意见）");
    if (!sign && !mt_has_text(comment))
        return problem_set(p, ERR_RULE, "comment", "提出修改意见须写明意见（comment）");
    if (comment && mt_utf8_chars(comment) > MT_REASON_MAX)
        return problem_set(p, ERR_RULE, "comment", "意见最多 %d 个字", MT_REASON_MAX);
    return OK;
}

/* A change request: the host revises, and everyone signs the new version again. */
static enum err change_requested(struct store *db, const struct mt_meeting *m,
                                 const struct mt_unit *u, const char *comment, const char *step,
                                 long long now)
{
    char key[96], link[40], title[400], cm[4 * 60 + 4];
    struct mt_names *names = mt_names_new(m->arena);
    mt_cut(comment, 60, cm, sizeof cm);
    snprintf(title, sizeof title, "%s对会议纪要第 %d 稿提出修改意见：%s",
             mt_names_short(names, db, u->unit.id), m->version, cm);
    snprintf(key, sizeof key, "meeting:%lld:change.v%d:%lld", m->id, m->version, u->unit.id);
    snprintf(link, sizeof link, "/meetings/%lld", m->id);
    enum err e = mt_tell(db, m->host.id, "meeting_change", title, link, NULL, key, now);
    for (size_t k = 0; k < m->nunits && e == OK; k++)
        e = mt_settle(db, m->id, step, m->units[k].unit.id, 0, now);
    return e;
}

enum err mt_countersign(struct store *db, long long id, const struct mt_step_in *s,
                        const char *action, const char *comment, const struct mt_actor *by,
                        long long now, struct problem *p)
{
    struct mt_meeting *m;
    enum err e = mt_step_load(db, id, now, MT_LOAD_CORE, &m, p);
    struct mt_unit *u;
    int on;
    if (e != OK) return e;
    if ((e = mt_may_countersign(m, s, by, &u, p)) != OK) goto out;
    bool sign = action && strcmp(action, "sign") == 0;
    if ((e = sign_checks(sign, action, comment, p)) != OK) goto out;
    if ((e = mt_step_day(s, by, m->today, &on, p)) != OK) goto out;
    char d[11];
    if (on < m->drafted) {
        e = problem_set(p, ERR_RULE, "on", "会签日期不能早于纪要起草日期 %s",
                        mt_fmt(m->drafted, d));
        goto out;
    }
    bool late = mt_is_late(m->deadline[MT_STEP_COUNTERSIGN], on);
    if ((e = mt_need_reason(m->deadline[MT_STEP_COUNTERSIGN], on, s->late_reason, "会签",
                            "会签期限", p)) != OK)
        goto out;
    const char *reason = late ? s->late_reason : NULL;
    e = mt_store_sign(db, id, m->version, u->unit.id, !sign, comment, on, by->name, reason, now);
    if (e == OK && !sign) e = mt_store_change_requested(db, id, now);
    if (e == OK)
        e = mt_history(db, id, by, now, on, sign ? "countersign" : "change_request", u->unit.id,
                       late, sign ? reason : comment);
    char step[48];
    snprintf(step, sizeof step, "countersign.v%d", m->version);
    if (e == OK) e = mt_settle(db, id, step, u->unit.id, by->user_id, now);
    if (e == OK && !sign) e = change_requested(db, m, u, comment, step, now);
out:
    mt_meeting_free(m);
    return e;
}

/* ---- the minutes issued ---- */

/* Every unit signed the current version (409 naming those that have not); *last: the last day
 * one signed. */
static enum err all_signed(struct store *db, const struct mt_meeting *m, int *last,
                           struct problem *p)
{
    char missing[600] = "";
    size_t nmiss = 0;
    struct mt_names *names = mt_names_new(m->arena);
    *last = m->drafted;
    for (size_t i = 0; i < m->nunits; i++) {
        if (m->units[i].signed_on == MT_NONE) {
            size_t len = strlen(missing);
            if (len + 80 < sizeof missing)
                snprintf(missing + len, sizeof missing - len, "%s%s", nmiss ? "、" : "",
                         mt_names_short(names, db, m->units[i].unit.id));
            nmiss++;
        } else if (m->units[i].signed_on > *last) {
            *last = m->units[i].signed_on;
        }
    }
    if (!nmiss) return OK;
    return problem_set(p, ERR_CONFLICT, "id",
                       "第 %d 稿尚有 %zu 个成员单位未会签：%s；各单位会签后方可印发", m->version,
                       nmiss, missing);
}

/* The decisions of the current version become follow-up items of their responsible units. */
static enum err add_followups(struct store *db, const struct mt_meeting *m, long long now)
{
    const struct mt_minutes *cur = mt_meeting_current_minutes(m);
    enum err e = OK;
    for (size_t i = 0; cur && i < cur->ndecisions && e == OK; i++) {
        const struct mt_decision *x = &cur->decisions[i];
        long long fid;
        if ((e = mt_store_followup_add(db, m->id, x, now, &fid)) != OK) break;
        char key[64], link[40], title[400], t[4 * 80 + 4], due[11];
        mt_cut(x->text, 80, t, sizeof t);
        snprintf(title, sizeof title, "联席会议议定事项：%s", t);
        snprintf(key, sizeof key, "meeting:%lld:followup:%lld", m->id, fid);
        snprintf(link, sizeof link, "/follow-ups/%lld", fid);
        e = mt_tell(db, x->unit.id, "meeting_followup", title, link, mt_fmt(x->due, due), key, now);
    }
    return e;
}

static enum err tell_issued(struct store *db, const struct mt_meeting *m, long long now)
{
    char title[400], t[4 * 60 + 4], link[40];
    mt_cut(m->title, 60, t, sizeof t);
    snprintf(title, sizeof title, "“%s”会议纪要已印发", t);
    snprintf(link, sizeof link, "/meetings/%lld", m->id);
    enum err e = OK;
    for (size_t k = 0; k < m->nunits && e == OK; k++) {
        char key[64];
        snprintf(key, sizeof key, "meeting:%lld:issued:%lld", m->id, m->units[k].unit.id);
        e = mt_tell(db, m->units[k].unit.id, "meeting_issued", title, link, NULL, key, now);
    }
    return e;
}

/* The host issues the current version once every unit signed it and no change is requested. */
enum err mt_may_issue(struct store *db, const struct mt_meeting *m, const struct mt_actor *by,
                      int *last, struct problem *p)
{
    enum err e = mt_require_host(db, m, by, "印发会议纪要", p);
    if (e != OK) return e;
    char d[11];
    if (m->stage == MT_STAGE_ISSUED)
        return problem_set(p, ERR_CONFLICT, "id", "会议纪要已于 %s 印发，不能重复印发",
                           mt_fmt(m->issued, d));
    if (m->stage != MT_STAGE_MINUTES) return mt_wrong_stage(m, "印发会议纪要", p);
    if (m->change_requested)
        return problem_set(p, ERR_CONFLICT, "id", "有单位对第 %d 稿提出修改意见，须修改后重新会签",
                           m->version);
    return all_signed(db, m, last, p);
}

enum err mt_issue_minutes(struct store *db, long long id, const struct mt_step_in *s,
                          const struct mt_actor *by, long long now, struct problem *p)
{
    struct mt_meeting *m;
    enum err e = mt_step_load(db, id, now, MT_LOAD_RECORD, &m, p);
    int on, last;
    if (e != OK) return e;
    if ((e = mt_may_issue(db, m, by, &last, p)) != OK) goto out;
    char d[11];
    if ((e = mt_step_day(s, by, m->today, &on, p)) != OK) goto out;
    if (on < last) {
        e = problem_set(p, ERR_RULE, "on", "印发日期不能早于最后会签日期 %s", mt_fmt(last, d));
        goto out;
    }
    e = mt_store_issued(db, id, on, by->name, now);
    if (e == ERR_CONFLICT) e = problem_set(p, ERR_CONFLICT, "id", "会议纪要已印发");
    if (e == OK) e = add_followups(db, m, now);
    if (e == OK) e = mt_history(db, id, by, now, on, "issue", m->host.id, false, NULL);
    if (e == OK) e = tell_issued(db, m, now);
    if (e == OK) e = mt_issue_doc(db, id, MT_DOC_MINUTES, on, now, p);
out:
    mt_meeting_free(m);
    return e;
}
