/* meeting.c - the services of the joint meeting chain (meeting.h): each step checks who acts
 * (the host 市生态环境局, the conveners, each member unit, or the office for any of them),
 * the stage, the date it happened ("on": the office may record past days, nobody a future
 * one) and its deadline (a late step needs a recorded reason and stays late), then stores it
 * with a history row, settles or adds inbox items (supervise/inbox.h), and issues the
 * documents (stored once, never changed). A regular meeting held files the t83 ledger report
 * through work_file() (one event, one record). mt_meeting_json() renders every step with its
 * deadline, status and the units that have not acted. Inside the caller's transaction. */
#include "meeting/meeting_store.h"
#include "base/date.h"
#include "org/units.h"
#include "store/files.h"
#include "supervise/inbox.h"
#include "work/work.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_ROLES ((1u << ROLE_UNIT_ADMIN) | (1u << ROLE_UNIT_REPORTER))

/* ---- what every step loads ---- */

struct ctx {
    struct mt_state st;
    struct mt_calendar cal;
    int dl[MT__STEPS];
    int today;
    struct mt_unit *units;
    size_t nunits;
    long long host;
};

static void ctx_free(struct ctx *c)
{
    mt_calendar_free(&c->cal);
    free(c->units);
    c->units = NULL;
}

static enum err ctx_load(struct store *db, long long id, long long now, struct ctx *c,
                         struct problem *p)
{
    memset(c, 0, sizeof *c);
    mt_calendar_init(&c->cal);
    c->today = date_today_shanghai(now);
    enum err e = mt_state_load(db, id, &c->st);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "会议不存在");
    if (e == OK) e = mt_calendar_load(db, &c->cal);
    if (e == OK) e = mt_units_load(db, &c->st, c->today, &c->units, &c->nunits);
    if (e != OK) return e;
    struct mt_dates d = {.meeting = c->st.meeting,
                         .notice = c->st.notice,
                         .held = c->st.held,
                         .drafted = c->st.drafted,
                         .countersign_days = c->st.countersign_days};
    mt_deadlines(&c->cal, &d, c->dl);
    for (size_t i = 0; i < c->nunits; i++)
        if (c->units[i].host) c->host = c->units[i].unit_id;
    return OK;
}

static struct mt_unit *unit_in(struct ctx *c, long long unit_id)
{
    for (size_t i = 0; i < c->nunits; i++)
        if (c->units[i].unit_id == unit_id) return &c->units[i];
    return NULL;
}

/* The day a step happened. */
static enum err step_day(const struct mt_step_in *s, const struct mt_actor *by, int today, int *on,
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

static bool has_text(const char *s)
{
    return s && mt_utf8_chars(s) > 0;
}

/* A late step needs a reason: 422 naming late_reason without one. */
static enum err need_reason(int deadline, int on, const char *reason, const char *what,
                            const char *rule, struct problem *p)
{
    if (reason && mt_utf8_chars(reason) > MT_REASON_MAX)
        return problem_set(p, ERR_RULE, "late_reason", "原因最多 %d 个字", MT_REASON_MAX);
    if (!mt_is_late(deadline, on) || has_text(reason)) return OK;
    char d[11], o[11];
    return problem_set(p, ERR_RULE, "late_reason",
                       "%s应不晚于 %s（%s），%s 办理已逾期：逾期办理须填写原因（late_reason）",
                       what, mt_fmt(deadline, d), rule, mt_fmt(on, o));
}

static enum err require_host(struct store *db, struct ctx *c, const struct mt_actor *by,
                             const char *what, struct problem *p)
{
    if (by->office) return OK;
    long long host = c->host ? c->host : mt_host_at(db, c->today);
    if (host && by->unit_id == host) return OK;
    struct mt_names *n = NULL;
    problem_set(p, ERR_FORBIDDEN, "id", "只有承办单位（%s）或联席会议办公室可以%s",
                host ? mt_unit_short(&n, db, host) : "市生态环境局", what);
    mt_names_free(n);
    return ERR_FORBIDDEN;
}

static enum err require_convener(struct ctx *c, const struct mt_actor *by, const char *what,
                                 struct problem *p)
{
    if (by->office) return OK;
    struct mt_unit *u = unit_in(c, by->unit_id);
    if (u && u->convener) return OK;
    return problem_set(p, ERR_FORBIDDEN, "id",
                       "只有牵头单位（市委宣传部、市生态环境局）或联席会议办公室可以%s", what);
}

/* The member unit a step is done for: the caller's own, or the one the office names. */
static enum err acting_unit(struct ctx *c, const struct mt_step_in *s, const struct mt_actor *by,
                            struct mt_unit **u, struct problem *p)
{
    long long uid = s && s->unit_id ? s->unit_id : by->unit_id;
    if (s && s->unit_id && s->unit_id != by->unit_id && !by->office)
        return problem_set(p, ERR_FORBIDDEN, "unit", "只能代表本单位办理");
    *u = unit_in(c, uid);
    if (*u) return OK;
    if (by->office && !(s && s->unit_id))
        return problem_set(p, ERR_RULE, "unit", "请用 unit 指明代哪个成员单位办理");
    return problem_set(p, by->office ? ERR_RULE : ERR_FORBIDDEN, "unit",
                       "%s不是本次联席会议的成员单位", by->office ? "该单位" : "本单位");
}

static enum err wrong_stage(const struct mt_state *st, const char *what, struct problem *p)
{
    return problem_set(p, ERR_CONFLICT, "id", "%s，不能%s", mt_stage_conflict(st->stage), what);
}

/* ---- inbox ---- */

static enum err todo(struct store *db, long long id, const char *step, long long unit,
                     const char *kind, const char *title, int due, long long now)
{
    char key[96], link[40], d[11];
    snprintf(key, sizeof key, "meeting:%lld:todo:%s:%lld", id, step, unit);
    snprintf(link, sizeof link, "/meetings/%lld", id);
    struct inbox_item it = {.to = {.unit_id = unit, .roles = UNIT_ROLES},
                            .kind = kind,
                            .title = title,
                            .link = link,
                            .due = mt_fmt(due, d),
                            .dedupe_key = key};
    return inbox_add(db, &it, now, NULL);
}

/* Closes the unit's to-do item and reminders of a step. */
static enum err settle(struct store *db, long long id, const char *step, long long unit,
                       long long by, long long now)
{
    char key[96];
    snprintf(key, sizeof key, "meeting:%lld:todo:%s:%lld", id, step, unit);
    enum err e = inbox_done_key(db, key, by, now);
    snprintf(key, sizeof key, "meeting:%lld:remind:%s:%lld:", id, step, unit);
    if (e == OK) e = inbox_done_prefix(db, key, by, now);
    return e;
}

static void cut(const char *s, size_t max, char *out, size_t outlen)
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

/* ---- documents ---- */

static enum err issue_doc(struct store *db, long long id, enum mt_doc_kind kind, int on,
                          long long now, struct problem *p)
{
    struct store_stmt *q =
        store_q(db, "SELECT doc_no FROM meeting_documents WHERE meeting_id = ? AND kind = ?", "it",
                id, mt_doc_kind_name(kind));
    bool have = store_row(q);
    char no[64] = "";
    if (have) snprintf(no, sizeof no, "%s", store_text(q, 0));
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (have)
        return problem_set(p, ERR_CONFLICT, "id", "%s已印发（%s），不能重复印发",
                           mt_doc_kind_label(kind), no);
    int y;
    date_to_ymd(on, &y, NULL, NULL);
    long long seq;
    enum err e = mt_doc_seq_next(db, y, &seq);
    if (e != OK) return e;
    mt_doc_no(y, seq, no, sizeof no);
    json_t *m = mt_meeting_json(db, id, now);
    if (!m) return store_err(db) ? store_err(db) : ERR_INTERNAL;
    struct mt_doc d;
    char *html = NULL;
    void *pdf = NULL;
    size_t hl = 0, pl = 0;
    bool ok = mt_doc_build(kind, m, no, on, &d);
    json_decref(m);
    if (ok) ok = mt_doc_html(&d, &html, &hl) && mt_doc_pdf(&d, &pdf, &pl);
    char hh[65], ph[65], date[11];
    e = ok ? OK : ERR_INTERNAL;
    if (e == OK) e = files_put(db, html, hl, "text/html; charset=utf-8", now, hh);
    if (e == OK) e = files_put(db, pdf, pl, "application/pdf", now, ph);
    if (e == OK)
        e = store_do(db,
                     "INSERT INTO meeting_documents(meeting_id, kind, doc_year, doc_seq, doc_no, "
                     "title, issued_date,"
                     " html_hash, html_size, pdf_hash, pdf_size, created_at) VALUES "
                     "(?,?,?,?,?,?,?,?,?,?,?,?)",
                     "itiittttitii", id, mt_doc_kind_name(kind), (long long)y, seq, no, d.title,
                     mt_fmt(on, date), hh, (long long)hl, ph, (long long)pl, now);
    if (ok) mt_doc_free(&d);
    free(html);
    free(pdf);
    return e;
}

static void *malloc_cb(void *ctx, size_t n)
{
    (void)ctx;
    void *p = malloc(n);
    if (!p) abort();
    return p;
}

enum err mt_document(struct store *db, long long id, enum mt_doc_kind kind, bool pdf, long long now,
                     void **data, size_t *len, bool *stored, char *name, size_t namelen)
{
    *data = NULL;
    *len = 0;
    *stored = false;
    struct store_stmt *q = store_q(db,
                                   "SELECT html_hash, pdf_hash, doc_no FROM meeting_documents "
                                   "WHERE meeting_id = ? AND kind = ?",
                                   "it", id, mt_doc_kind_name(kind));
    char hash[CRYPTO_HASH_HEX] = "";
    if (store_row(q)) {
        snprintf(hash, sizeof hash, "%s", store_text(q, pdf ? 1 : 0));
        snprintf(name, namelen, "%s_%s.%s", mt_doc_kind_label(kind), store_text(q, 2),
                 pdf ? "pdf" : "html");
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    if (hash[0]) {
        const void *b;
        const char *type;
        enum err fe = files_get(db, hash, malloc_cb, NULL, &b, len, &type);
        if (fe != OK) return fe;
        free((void *)type);
        *data = (void *)b;
        *stored = true;
    }
    if (*stored) return OK;
    struct mt_state st;
    enum err e = mt_state_load(db, id, &st);
    if (e != OK) return e;
    if (kind == MT_DOC_MINUTES && st.version == 0) return ERR_NOT_FOUND;
    json_t *m = mt_meeting_json(db, id, now);
    if (!m) return store_err(db) ? store_err(db) : ERR_INTERNAL;
    struct mt_doc d;
    bool ok = mt_doc_build(kind, m, NULL, date_today_shanghai(now), &d);
    json_decref(m);
    if (!ok) return ERR_INTERNAL;
    char *html = NULL;
    if (pdf)
        ok = mt_doc_pdf(&d, data, len);
    else if ((ok = mt_doc_html(&d, &html, len)))
        *data = html;
    mt_doc_free(&d);
    snprintf(name, namelen, "%s_草稿.%s", mt_doc_kind_label(kind), pdf ? "pdf" : "html");
    return ok ? OK : ERR_INTERNAL;
}

/* ---- the notice ---- */

enum err mt_send_notice(struct store *db, long long id, const struct mt_step_in *s,
                        const char *body, const struct mt_actor *by, long long now,
                        struct problem *p)
{
    struct ctx c;
    enum err e = ctx_load(db, id, now, &c, p);
    int on;
    if (e != OK) goto out;
    if ((e = require_host(db, &c, by, "发出会议通知", p)) != OK) goto out;
    if (c.st.stage != MT_STAGE_PLANNED) {
        char d[11];
        e = problem_set(p, ERR_CONFLICT, "id", "会议通知已于 %s 发出，不能重复发出",
                        mt_fmt(c.st.notice, d));
        goto out;
    }
    if ((e = step_day(s, by, c.today, &on, p)) != OK) goto out;
    if (on > c.st.meeting) {
        e = problem_set(p, ERR_RULE, "on", "通知日期不能晚于会议日期");
        goto out;
    }
    if (body && mt_utf8_chars(body) > MT_TEXT_MAX) {
        e = problem_set(p, ERR_RULE, "body", "通知正文补充内容最多 %d 个字", MT_TEXT_MAX);
        goto out;
    }
    if ((e = need_reason(c.dl[MT_STEP_NOTICE], on, s->late_reason, "会议通知", "会前十五日", p)) !=
        OK)
        goto out;
    struct mt_unit *members;
    size_t n;
    if ((e = mt_members_at(db, on, &members, &n)) != OK) goto out;
    size_t others = 0;
    long long host = 0;
    for (size_t i = 0; i < n; i++) {
        if (members[i].host)
            host = members[i].unit_id;
        else
            others++;
    }
    if (!host || !others) {
        free(members);
        e = problem_set(p, ERR_RULE, "id",
                        host ? "%s没有其他成员单位"
                             : "%s没有承办单位：请先在成员单位中指定承办单位",
                        "通知日期当天");
        goto out;
    }
    bool late = mt_is_late(c.dl[MT_STEP_NOTICE], on);
    char d[11], dl[11];
    mt_fmt(on, d);
    e = store_do(db,
                 "UPDATE meetings SET stage = 'notified', notice_date = ?, notice_body = ?, "
                 "notice_late_reason = ?,"
                 " notice_by_name = ?, updated_at = ? WHERE id = ? AND stage = 'planned'",
                 "ttttii", d, body, late ? s->late_reason : NULL, by->name, now, id);
    if (e == OK && store_changes(db) != 1) e = problem_set(p, ERR_CONFLICT, "id", "会议通知已发出");
    for (size_t i = 0; i < n && e == OK; i++)
        e = store_do(db,
                     "INSERT INTO meeting_units(meeting_id, unit_id, role, is_host, received_date) "
                     "VALUES (?,?,?,?,?)",
                     "iitit", id, members[i].unit_id, members[i].convener ? "convener" : "member",
                     (long long)members[i].host, d);
    if (e == OK)
        e = mt_history(db, id, by, now, on, "notice", host, late, late ? s->late_reason : NULL);
    /* the deadline of the replies, counted from the day the notice is received */
    int reply = mt_days_after(&c.cal, on, MT_TOPIC_DAYS);
    char title[400], t[4 * 60 + 4];
    cut(c.st.title, 60, t, sizeof t);
    snprintf(title, sizeof title, "联席会议通知：%s，请确认收到并于 %s 前提交议题", t,
             mt_fmt(reply, dl));
    for (size_t i = 0; i < n && e == OK; i++)
        if (!members[i].host)
            e = todo(db, id, "reply", members[i].unit_id, "meeting_notice", title, reply, now);
    free(members);
    if (e == OK) e = settle(db, id, "notice", host, by->user_id, now);
    if (e == OK) e = issue_doc(db, id, MT_DOC_NOTICE, on, now, p);
out:
    ctx_free(&c);
    return e;
}

/* ---- receipts and topics ---- */

static enum err open_for_replies(struct ctx *c, const char *what, struct problem *p)
{
    if (c->st.stage == MT_STAGE_NOTIFIED) return OK;
    if (c->st.stage == MT_STAGE_AGENDA_SENT)
        return problem_set(p, ERR_CONFLICT, "id", "议题已告知参会单位，不能再%s", what);
    return wrong_stage(&c->st, what, p);
}

static enum err after_reply(struct store *db, long long id, struct mt_unit *u,
                            const struct mt_actor *by, long long now)
{
    enum err e = OK;
    if (u->confirmed != MT_NONE) e = settle(db, id, "receipt", u->unit_id, by->user_id, now);
    if (e == OK && u->topics != MT_NONE) e = settle(db, id, "topics", u->unit_id, by->user_id, now);
    if (e == OK && u->confirmed != MT_NONE && u->topics != MT_NONE)
        e = settle(db, id, "reply", u->unit_id, by->user_id, now);
    return e;
}

enum err mt_confirm_receipt(struct store *db, long long id, const struct mt_step_in *s,
                            bool no_topics, const struct mt_actor *by, long long now,
                            struct problem *p)
{
    struct ctx c;
    enum err e = ctx_load(db, id, now, &c, p);
    struct mt_unit *u;
    int on;
    if (e != OK) goto out;
    if (c.st.notice == MT_NONE) {
        e = wrong_stage(&c.st, "确认收到", p);
        goto out;
    }
    if ((e = acting_unit(&c, s, by, &u, p)) != OK) goto out;
    if (u->host) {
        e = problem_set(p, ERR_RULE, "unit", "承办单位发出通知，无需确认收到");
        goto out;
    }
    if (c.st.held != MT_NONE) {
        e = wrong_stage(&c.st, "确认收到", p);
        goto out;
    }
    char d[11];
    if (!no_topics && u->confirmed != MT_NONE) {
        e = problem_set(p, ERR_CONFLICT, "id", "已于 %s 确认收到", mt_fmt(u->confirmed, d));
        goto out;
    }
    if (no_topics) {
        if ((e = open_for_replies(&c, "反馈议题", p)) != OK) goto out;
        if (u->ntopics > 0 || u->topics != MT_NONE) {
            e = problem_set(p, ERR_CONFLICT, "no_topics",
                            u->ntopics ? "本单位已提交议题" : "本单位已反馈无议题");
            goto out;
        }
    }
    if ((e = step_day(s, by, c.today, &on, p)) != OK) goto out;
    if (on < u->received) {
        e = problem_set(p, ERR_RULE, "on", "确认日期不能早于收到通知的日期 %s",
                        mt_fmt(u->received, d));
        goto out;
    }
    bool late = mt_is_late(c.dl[MT_STEP_RECEIPT], on);
    if ((e = need_reason(c.dl[MT_STEP_RECEIPT], on, s->late_reason,
                         no_topics ? "反馈议题" : "确认收到", "收到通知后五日内", p)) != OK)
        goto out;
    mt_fmt(on, d);
    e = store_do(db,
                 "UPDATE meeting_units SET confirmed_date = COALESCE(confirmed_date, ?),"
                 " confirmed_by_name = COALESCE(confirmed_by_name, ?),"
                 " confirmed_late_reason = COALESCE(confirmed_late_reason, ?),"
                 " topics_date = CASE WHEN ? = 1 THEN ? ELSE topics_date END,"
                 " no_topics = CASE WHEN ? = 1 THEN 1 ELSE no_topics END"
                 " WHERE meeting_id = ? AND unit_id = ?",
                 "tttitiii", d, by->name, late ? s->late_reason : NULL, (long long)no_topics, d,
                 (long long)no_topics, id, u->unit_id);
    if (e == OK)
        e = mt_history(db, id, by, now, on, no_topics ? "no_topics" : "receipt", u->unit_id, late,
                       late ? s->late_reason : NULL);
    if (u->confirmed == MT_NONE) u->confirmed = on;
    if (no_topics) u->topics = on;
    if (e == OK) e = after_reply(db, id, u, by, now);
out:
    ctx_free(&c);
    return e;
}

enum err mt_submit_topic(struct store *db, long long id, const struct mt_step_in *s,
                         const struct mt_topic_in *t, const struct mt_actor *by, long long now,
                         long long *topic_id, struct problem *p)
{
    struct ctx c;
    enum err e = ctx_load(db, id, now, &c, p);
    struct mt_unit *u;
    int on;
    *topic_id = 0;
    if (e != OK) goto out;
    if (c.st.notice == MT_NONE) {
        e = wrong_stage(&c.st, "提交议题", p);
        goto out;
    }
    if ((e = acting_unit(&c, s, by, &u, p)) != OK) goto out;
    if ((e = open_for_replies(&c, "提交议题", p)) != OK) goto out;
    if (!mt_category_label(t->category)) {
        e = problem_set(p, ERR_RULE, "category",
                        "议题类别应为 1 到 7（联席会议职责第四条（一）至（七））");
        goto out;
    }
    size_t tl = mt_utf8_chars(t->title);
    if (tl == 0 || tl > MT_TITLE_MAX) {
        e = problem_set(p, ERR_RULE, "title", "议题名称应为 1 到 %d 个字", MT_TITLE_MAX);
        goto out;
    }
    size_t bl = mt_utf8_chars(t->background), dl = mt_utf8_chars(t->decision_requested);
    if (bl == 0 || bl > MT_TEXT_MAX) {
        e = problem_set(p, ERR_RULE, "background", "背景情况应为 1 到 %d 个字", MT_TEXT_MAX);
        goto out;
    }
    if (dl == 0 || dl > MT_TEXT_MAX) {
        e = problem_set(p, ERR_RULE, "decision_requested",
                        "需要联席会议决定的事项应为 1 到 %d 个字", MT_TEXT_MAX);
        goto out;
    }
    if (u->no_topics) {
        e = problem_set(p, ERR_CONFLICT, "id", "本单位已反馈无议题");
        goto out;
    }
    if (u->ntopics >= MT_TOPICS_PER_UNIT) {
        e = problem_set(p, ERR_RULE, "id", "每个单位最多提交 %d 个议题", MT_TOPICS_PER_UNIT);
        goto out;
    }
    if ((e = step_day(s, by, c.today, &on, p)) != OK) goto out;
    char d[11], dd[11];
    if (on < c.st.notice) {
        e = problem_set(p, ERR_RULE, "on", "提交日期不能早于通知日期 %s", mt_fmt(c.st.notice, d));
        goto out;
    }
    bool late = mt_is_late(c.dl[MT_STEP_TOPICS], on);
    if (late && !by->office) {
        e = problem_set(p, ERR_RULE, NULL,
                        "议题提交期限已过：应在收到通知后五日内（%s "
                        "前）提交；如需补报，请联系联席会议办公室登记逾期原因",
                        mt_fmt(c.dl[MT_STEP_TOPICS], dd));
        goto out;
    }
    if ((e = need_reason(c.dl[MT_STEP_TOPICS], on, s->late_reason, "议题", "收到通知后五日内",
                         p)) != OK)
        goto out;
    mt_fmt(on, d);
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO meeting_topics(meeting_id, unit_id, category, title, background,"
        " decision_requested, submitted_date, submitted_at, submitted_by, submitted_by_name,"
        " late, late_reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        "iiitttti"
        "Itit",
        id, u->unit_id, (long long)t->category, t->title, t->background, t->decision_requested, d,
        now, by->user_id, by->name, (long long)late, late ? s->late_reason : NULL);
    *topic_id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if ((e = store_err(db)) != OK) goto out;
    e = store_do(db,
                 "UPDATE meeting_units SET topics_date = COALESCE(topics_date, ?), confirmed_date "
                 "= COALESCE(confirmed_date, ?),"
                 " confirmed_by_name = COALESCE(confirmed_by_name, ?),"
                 " confirmed_late_reason = CASE WHEN confirmed_date IS NULL THEN ? ELSE "
                 "confirmed_late_reason END"
                 " WHERE meeting_id = ? AND unit_id = ?",
                 "ttttii", d, d, by->name, late ? s->late_reason : NULL, id, u->unit_id);
    char note[200];
    snprintf(note, sizeof note, "议题 %lld%s%.150s", *topic_id, late ? "（逾期补报）：" : "",
             late ? s->late_reason : "");
    if (e == OK)
        e = mt_history(db, id, by, now, on, late ? "topic_late" : "topic", u->unit_id, late, note);
    if (u->confirmed == MT_NONE) u->confirmed = on;
    if (u->topics == MT_NONE) u->topics = on;
    if (e == OK) e = after_reply(db, id, u, by, now);
out:
    ctx_free(&c);
    return e;
}

json_t *mt_topics_json(struct store *db, long long id)
{
    struct mt_names *names = NULL;
    json_t *a = json_array();
    struct store_stmt *q = store_q(
        db,
        "SELECT id, unit_id, category, title, background, decision_requested, submitted_date,"
        " submitted_by_name, late, late_reason, selection, merged_into, selection_reason,"
        " selection_date, selection_by_name, agenda_order, decision"
        " FROM meeting_topics WHERE meeting_id = ?"
        " ORDER BY CASE WHEN agenda_order IS NULL THEN 1 ELSE 0 END, agenda_order, id",
        "i", id);
    while (store_row(q)) {
        int cat = (int)store_int(q, 2);
        enum mt_selection se = MT_SEL_PENDING;
        mt_selection_parse(store_text(q, 10), &se);
        const char *sel = mt_selection_name(se), *sel_label = mt_selection_label(se);
        json_t *o = json_pack(
            "{s:I,s:{s:I,s:s,s:s},s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s?,s:s,s:s}", "id",
            (json_int_t)store_int(q, 0), "unit", "id", (json_int_t)store_int(q, 1), "name",
            mt_unit_name(&names, db, store_int(q, 1)), "short_name",
            mt_unit_short(&names, db, store_int(q, 1)), "category", cat, "category_label",
            mt_category_label(cat), "title", store_text(q, 3), "background", store_text(q, 4),
            "decision_requested", store_text(q, 5), "submitted_date", store_text(q, 6),
            "submitted_by_name", store_text(q, 7), "late", store_int(q, 8) != 0, "late_reason",
            store_text(q, 9), "selection", sel, "selection_label", sel_label);
        json_object_set_new(o, "merged_into",
                            store_null(q, 11) ? json_null() : json_integer(store_int(q, 11)));
        json_object_set_new(o, "selection_reason",
                            store_null(q, 12) ? json_null() : json_string(store_text(q, 12)));
        json_object_set_new(o, "selection_date",
                            store_null(q, 13) ? json_null() : json_string(store_text(q, 13)));
        json_object_set_new(o, "selection_by_name",
                            store_null(q, 14) ? json_null() : json_string(store_text(q, 14)));
        json_object_set_new(o, "agenda_order",
                            store_null(q, 15) ? json_null() : json_integer(store_int(q, 15)));
        json_object_set_new(o, "decision",
                            store_null(q, 16) ? json_null() : json_string(store_text(q, 16)));
        json_object_set_new(o, "attachments", json_array());
        json_array_append_new(a, o);
    }
    store_done(q);
    q = store_q(
        db,
        "SELECT f.topic_id, f.name, f.content_type, f.size, f.file_hash FROM meeting_topic_files f"
        " JOIN meeting_topics t ON t.id = f.topic_id WHERE t.meeting_id = ? ORDER BY f.topic_id, "
        "f.name",
        "i", id);
    while (store_row(q)) {
        size_t i;
        json_t *o;
        json_array_foreach(a, i,
                           o) if (json_integer_value(json_object_get(o, "id")) == store_int(q, 0))
            json_array_append_new(json_object_get(o, "attachments"),
                                  json_pack("{s:s,s:s,s:I,s:s}", "name", store_text(q, 1),
                                            "content_type", store_text(q, 2), "size",
                                            (json_int_t)store_int(q, 3), "hash", store_text(q, 4)));
    }
    store_done(q);
    mt_names_free(names);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

enum err mt_select_topic(struct store *db, long long id, long long topic_id, const char *decision,
                         long long into, const char *reason, const char *on_s,
                         const struct mt_actor *by, long long now, struct problem *p)
{
    struct ctx c;
    enum err e = ctx_load(db, id, now, &c, p);
    int on;
    if (e != OK) goto out;
    if ((e = require_host(db, &c, by, "筛选议题", p)) != OK) goto out;
    if (c.st.stage != MT_STAGE_NOTIFIED) {
        e = c.st.stage == MT_STAGE_PLANNED
                ? wrong_stage(&c.st, "筛选议题", p)
                : problem_set(p, ERR_CONFLICT, "id", "议题已告知参会单位，筛选结果不能再改");
        goto out;
    }
    struct store_stmt *q =
        store_q(db, "SELECT selection FROM meeting_topics WHERE id = ? AND meeting_id = ?", "ii",
                topic_id, id);
    bool found = store_row(q);
    char cur[16] = "";
    if (found) snprintf(cur, sizeof cur, "%s", store_text(q, 0));
    store_done(q);
    if ((e = store_err(db)) != OK) goto out;
    if (!found) {
        e = problem_set(p, ERR_NOT_FOUND, "tid", "议题不存在");
        goto out;
    }
    struct mt_step_in s = {.on = on_s};
    if ((e = step_day(&s, by, c.today, &on, p)) != OK) goto out;
    enum mt_selection se;
    const char *sel = mt_selection_decision(decision, &se) ? mt_selection_name(se) : NULL;
    if (!sel) {
        e = problem_set(
            p, ERR_RULE, "decision",
            "decision 应为 "
            "select（列为中心议题）、merge（合并到另一议题）、decline（不采纳）或 reset");
        goto out;
    }
    if (strcmp(sel, "declined") == 0 && !has_text(reason)) {
        e = problem_set(p, ERR_RULE, "reason", "不采纳议题须说明理由");
        goto out;
    }
    if (reason && mt_utf8_chars(reason) > MT_REASON_MAX) {
        e = problem_set(p, ERR_RULE, "reason", "理由最多 %d 个字", MT_REASON_MAX);
        goto out;
    }
    if (strcmp(sel, "merged") == 0) {
        q = store_q(db, "SELECT selection FROM meeting_topics WHERE id = ? AND meeting_id = ?",
                    "ii", into, id);
        bool ok = store_row(q) && strcmp(store_text(q, 0), "selected") == 0;
        store_done(q);
        if ((e = store_err(db)) != OK) goto out;
        if (!ok || into == topic_id) {
            e = problem_set(p, ERR_RULE, "into", "合并目标应为本次会议另一个已列为中心议题的议题");
            goto out;
        }
    }
    if (strcmp(cur, "selected") == 0 && strcmp(sel, "selected") != 0) {
        q = store_q(
            db,
            "SELECT COUNT(*) FROM meeting_topics WHERE merged_into = ? AND selection = 'merged'",
            "i", topic_id);
        long long merged = store_row(q) ? store_int(q, 0) : 0;
        store_done(q);
        if ((e = store_err(db)) != OK) goto out;
        if (merged) {
            e = problem_set(p, ERR_CONFLICT, "tid", "已有 %lld 个议题并入本议题，请先调整它们",
                            merged);
            goto out;
        }
    }
    char d[11];
    e = store_do(db,
                 "UPDATE meeting_topics SET selection = ?, merged_into = ?, selection_reason = ?, "
                 "selection_date = ?,"
                 " selection_by_name = ? WHERE id = ?",
                 "tIttti", sel, strcmp(sel, "merged") == 0 ? into : 0LL, reason, mt_fmt(on, d),
                 by->name, topic_id);
    char note[160];
    snprintf(note, sizeof note, "议题 %lld：%s", topic_id, decision);
    if (e == OK) e = mt_history(db, id, by, now, on, "selection", 0, false, note);
out:
    ctx_free(&c);
    return e;
}

/* ---- the agenda ---- */

enum err mt_send_agenda(struct store *db, long long id, const struct mt_step_in *s, json_t *order,
                        const struct mt_actor *by, long long now, struct problem *p)
{
    struct ctx c;
    enum err e = ctx_load(db, id, now, &c, p);
    int on;
    if (e != OK) goto out;
    if ((e = require_convener(&c, by, "告知议题", p)) != OK) goto out;
    if (c.st.stage != MT_STAGE_NOTIFIED) {
        char d[11];
        e = c.st.stage == MT_STAGE_PLANNED
                ? wrong_stage(&c.st, "告知议题", p)
                : problem_set(p, ERR_CONFLICT, "id", "议题已于 %s 告知参会单位，不能重复发送",
                              mt_fmt(c.st.agenda, d));
        goto out;
    }
    struct store_stmt *q = store_q(db,
                                   "SELECT SUM(CASE WHEN selection = 'pending' THEN 1 ELSE 0 END),"
                                   " SUM(CASE WHEN selection = 'selected' THEN 1 ELSE 0 END)"
                                   " FROM meeting_topics WHERE meeting_id = ?",
                                   "i", id);
    long long pending = 0, selected = 0;
    if (store_row(q)) {
        pending = store_int(q, 0);
        selected = store_int(q, 1);
    }
    store_done(q);
    if ((e = store_err(db)) != OK) goto out;
    if (pending) {
        e = problem_set(p, ERR_CONFLICT, "id",
                        "还有 %lld 个议题尚未筛选（列为中心议题、合并或不采纳）", pending);
        goto out;
    }
    if (!selected) {
        e = problem_set(p, ERR_RULE, "id", "尚无中心议题：请先筛选出中心议题");
        goto out;
    }
    if ((e = step_day(s, by, c.today, &on, p)) != OK) goto out;
    char d[11];
    if (on < c.st.notice || on > c.st.meeting) {
        e = problem_set(p, ERR_RULE, "on", "告知议题的日期应在通知日期与会议日期之间");
        goto out;
    }
    if ((e = need_reason(c.dl[MT_STEP_AGENDA], on, s->late_reason, "告知议题", "会前五日", p)) !=
        OK)
        goto out;
    bool late = mt_is_late(c.dl[MT_STEP_AGENDA], on);
    /* the order: as given, then the remaining selected topics by category */
    long long pos = 0;
    if (order) {
        size_t i;
        json_t *v;
        json_array_foreach(order, i, v)
        {
            long long tid = json_integer_value(v);
            q = store_q(db,
                        "SELECT selection, agenda_order FROM meeting_topics WHERE id = ? AND "
                        "meeting_id = ?",
                        "ii", tid, id);
            bool ok = store_row(q) && strcmp(store_text(q, 0), "selected") == 0 && store_null(q, 1);
            store_done(q);
            if (!ok) {
                e = store_err(db)
                        ? store_err(db)
                        : problem_set(
                              p, ERR_RULE, "order",
                              "order 应列出本次会议已列为中心议题的议题编号，每个一次：%lld", tid);
                goto out;
            }
            if ((e = store_do(db, "UPDATE meeting_topics SET agenda_order = ? WHERE id = ?", "ii",
                              ++pos, tid)) != OK)
                goto out;
        }
    }
    q = store_q(db,
                "SELECT id FROM meeting_topics WHERE meeting_id = ? AND selection = 'selected' AND "
                "agenda_order IS NULL"
                " ORDER BY category, id",
                "i", id);
    long long ids[MT_TOPICS_PER_UNIT * 64];
    size_t nids = 0;
    while (store_row(q))
        if (nids < sizeof ids / sizeof *ids) ids[nids++] = store_int(q, 0);
    store_done(q);
    for (size_t i = 0; i < nids && e == OK; i++)
        e = store_do(db, "UPDATE meeting_topics SET agenda_order = ? WHERE id = ?", "ii", ++pos,
                     ids[i]);
    if (e != OK) goto out;
    e = store_do(db,
                 "UPDATE meetings SET stage = 'agenda_sent', agenda_date = ?, agenda_late_reason = "
                 "?, agenda_by_name = ?,"
                 " updated_at = ? WHERE id = ? AND stage = 'notified'",
                 "tttii", mt_fmt(on, d), late ? s->late_reason : NULL, by->name, now, id);
    if (e == OK && store_changes(db) != 1)
        e = problem_set(p, ERR_CONFLICT, "id", "议题已告知参会单位");
    if (e == OK)
        e = mt_history(db, id, by, now, on, "agenda", 0, late, late ? s->late_reason : NULL);
    for (size_t i = 0; i < c.nunits && e == OK; i++) {
        e = settle(db, id, "agenda", c.units[i].unit_id, by->user_id, now);
        /* replies not given are closed: the window has passed */
        if (e == OK) e = settle(db, id, "reply", c.units[i].unit_id, 0, now);
        if (e == OK) e = settle(db, id, "receipt", c.units[i].unit_id, 0, now);
        if (e == OK) e = settle(db, id, "topics", c.units[i].unit_id, 0, now);
        char title[400], t[4 * 60 + 4], md[11];
        cut(c.st.title, 60, t, sizeof t);
        snprintf(title, sizeof title, "议题通知：%s 定于 %s 召开，请做好参会准备", t,
                 mt_fmt(c.st.meeting, md));
        if (e == OK)
            e = todo(db, id, "attend", c.units[i].unit_id, "meeting_agenda", title, c.st.meeting,
                     now);
    }
    if (e == OK) e = issue_doc(db, id, MT_DOC_AGENDA, on, now, p);
out:
    ctx_free(&c);
    return e;
}

/* ---- the meeting held ---- */

/* A unit given by id (integer) or by key, code or name (string); 0 when unknown. */
static long long unit_ref(struct store *db, json_t *v)
{
    if (json_is_integer(v)) {
        json_t *u =
            json_integer_value(v) > 0 ? unit_json(db, (long long)json_integer_value(v)) : NULL;
        long long id = u ? (long long)json_integer_value(v) : 0;
        json_decref(u);
        return id;
    }
    if (json_is_string(v)) return unit_find(db, json_string_value(v));
    return 0;
}

static enum err file_ledger(struct store *db, long long id, struct ctx *c, int on,
                            long long attendees, long long topics, const struct mt_actor *by,
                            long long now)
{
    char d[11], ref[40], summary[4 * MT_TITLE_MAX + 200];
    snprintf(ref, sizeof ref, "meeting:%lld", id);
    snprintf(
        summary, sizeof summary,
        "召开%s，%lld 人参会，研究中心议题 %lld 项（联席会议制度第五条：原则上每半年召开一次）",
        c->st.title, attendees, topics);
    struct work_report r = {.unit_id = c->host,
                            .kind = "joint_meeting",
                            .activity_date = mt_fmt(on, d),
                            .title = c->st.title,
                            .summary = summary,
                            .place = c->st.place,
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
        char note[400];
        snprintf(note, sizeof note, "未能自动登记台账：%s",
                 pr.n ? pr.items[0].msg : "不符合方案要求");
        return store_do(db, "UPDATE meetings SET report_note = ? WHERE id = ?", "ti", note, id);
    }
    if (e != OK) return e;
    /* the office is the ledger's reviewer: a meeting it records is accepted at once */
    if (by->office && (e = work_store_review(db, rid, true, NULL, &wa, now)) != OK) return e;
    return store_do(db, "UPDATE meetings SET report_id = ?, report_note = NULL WHERE id = ?", "ii",
                    rid, id);
}

enum err mt_record_held(struct store *db, long long id, const struct mt_step_in *s,
                        json_t *attendance, json_t *decisions, const struct mt_actor *by,
                        long long now, struct problem *p)
{
    struct ctx c;
    enum err e = ctx_load(db, id, now, &c, p);
    int on;
    if (e != OK) goto out;
    if ((e = require_host(db, &c, by, "登记会议召开情况", p)) != OK) goto out;
    if (c.st.stage != MT_STAGE_AGENDA_SENT) {
        e = c.st.stage == MT_STAGE_NOTIFIED
                ? problem_set(
                      p, ERR_CONFLICT, "id",
                      "议题尚未告知参会单位（第六条：牵头单位应在会前五日告知），不能登记召开")
                : wrong_stage(&c.st, "登记会议召开", p);
        goto out;
    }
    if ((e = step_day(s, by, c.today, &on, p)) != OK) goto out;
    char d[11];
    if (on != c.st.meeting) {
        e = problem_set(p, ERR_RULE, "on", "会议日期为 %s；如会议改期，请先修改会议日期",
                        mt_fmt(c.st.meeting, d));
        goto out;
    }
    size_t na = json_array_size(attendance);
    if (na == 0 || na > MT_MAX_ATTENDANCE) {
        e = problem_set(p, ERR_RULE, "attendance", "出席人员应为 1 到 %d 人", MT_MAX_ATTENDANCE);
        goto out;
    }
    /* attendance */
    size_t i;
    json_t *a;
    json_array_foreach(attendance, i, a)
    {
        char f[48];
        snprintf(f, sizeof f, "attendance[%zu]", i);
        bool guest = json_is_true(json_object_get(a, "guest"));
        json_t *uv = json_object_get(a, "unit");
        long long uid = uv && !json_is_null(uv) ? unit_ref(db, uv) : 0;
        const char *uname = json_string_value(json_object_get(a, "unit_name"));
        const char *person = json_string_value(json_object_get(a, "person"));
        const char *post = json_string_value(json_object_get(a, "post"));
        enum mt_rank rank;
        if (uv && !json_is_null(uv) && !uid) {
            e = problem_set(p, ERR_RULE, f, "单位不存在");
            goto out;
        }
        if (!guest && (!uid || !unit_in(&c, uid))) {
            e = problem_set(
                p, ERR_RULE, f,
                "成员单位的出席人员须写明本次会议的成员单位（unit）；邀请单位请标明 guest");
            goto out;
        }
        if (guest && !uid && !has_text(uname)) {
            e = problem_set(p, ERR_RULE, f, "邀请单位须写明单位名称（unit_name）");
            goto out;
        }
        if (!has_text(person) || mt_utf8_chars(person) > MT_NAME_MAX ||
            (post && mt_utf8_chars(post) > MT_NAME_MAX) ||
            (uname && mt_utf8_chars(uname) > MT_NAME_MAX)) {
            e = problem_set(p, ERR_RULE, f, "姓名应为 1 到 %d 个字，职务、单位名称最多 %d 个字",
                            MT_NAME_MAX, MT_NAME_MAX);
            goto out;
        }
        if (!mt_rank_parse(json_string_value(json_object_get(a, "rank")), &rank)) {
            e = problem_set(
                p, ERR_RULE, f,
                "rank 应为 "
                "principal（主要负责同志）、deputy（分管负责同志）、division（业务处室负责"
                "人）或 staff");
            goto out;
        }
        struct mt_names *n = NULL;
        const char *name = uid ? mt_unit_name(&n, db, uid) : uname;
        e = store_do(db,
                     "INSERT INTO meeting_attendance(meeting_id, unit_id, unit_name, person, post, "
                     "att_rank, guest)"
                     " VALUES (?,?,?,?,?,?,?)",
                     "iItttti", id, uid, name, person, post ? post : "", mt_rank_name(rank),
                     (long long)guest);
        mt_names_free(n);
        if (e != OK) goto out;
    }
    /* a decision per central topic */
    struct store_stmt *q = store_q(
        db, "SELECT id, title FROM meeting_topics WHERE meeting_id = ? AND selection = 'selected'",
        "i", id);
    long long topics = 0;
    char missing[4 * MT_TITLE_MAX + 1] = "";
    long long tids[256];
    size_t nt = 0;
    while (store_row(q)) {
        topics++;
        if (nt < 256) tids[nt++] = store_int(q, 0);
        bool found = false;
        size_t k;
        json_t *dv;
        json_array_foreach(decisions, k,
                           dv) if (json_integer_value(json_object_get(dv, "topic_id")) ==
                                   store_int(q, 0)) found = true;
        if (!found && !missing[0]) snprintf(missing, sizeof missing, "%s", store_text(q, 1));
    }
    store_done(q);
    if ((e = store_err(db)) != OK) goto out;
    if (missing[0]) {
        e = problem_set(p, ERR_RULE, "decisions",
                        "中心议题“%.200s”没有会议决定：每个中心议题都应记录决定", missing);
        goto out;
    }
    json_array_foreach(decisions, i, a)
    {
        char f[48];
        snprintf(f, sizeof f, "decisions[%zu]", i);
        long long tid = json_integer_value(json_object_get(a, "topic_id"));
        const char *text = json_string_value(json_object_get(a, "decision"));
        bool known = false;
        for (size_t k = 0; k < nt; k++)
            if (tids[k] == tid) known = true;
        if (!known) {
            e = problem_set(p, ERR_RULE, f, "topic_id 应为本次会议的中心议题：%lld", tid);
            goto out;
        }
        size_t tl = mt_utf8_chars(text);
        if (tl == 0 || tl > MT_TEXT_MAX) {
            e = problem_set(p, ERR_RULE, f, "会议决定应为 1 到 %d 个字", MT_TEXT_MAX);
            goto out;
        }
        if ((e = store_do(db, "UPDATE meeting_topics SET decision = ? WHERE id = ?", "ti", text,
                          tid)) != OK)
            goto out;
    }
    e = store_do(
        db,
        "UPDATE meetings SET stage = 'held', held_date = ?, held_by_name = ?, updated_at = ?"
        " WHERE id = ? AND stage = 'agenda_sent'",
        "ttii", mt_fmt(on, d), by->name, now, id);
    if (e == OK && store_changes(db) != 1)
        e = problem_set(p, ERR_CONFLICT, "id", "会议召开情况已登记");
    if (e == OK) e = mt_history(db, id, by, now, on, "held", 0, false, NULL);
    for (size_t k = 0; k < c.nunits && e == OK; k++)
        e = settle(db, id, "attend", c.units[k].unit_id, 0, now);
    if (e == OK && c.st.kind == MT_REGULAR)
        e = file_ledger(db, id, &c, on, (long long)na, topics, by, now);
    if (e == OK) {
        char title[400], t[4 * 60 + 4], dl[11];
        cut(c.st.title, 60, t, sizeof t);
        int due = mt_days_after(&c.cal, on, MT_MINUTES_DAYS);
        snprintf(title, sizeof title, "请于 %s 前制作“%s”会议纪要（会议完毕七日内）",
                 mt_fmt(due, dl), t);
        e = todo(db, id, "minutes", c.host, "meeting_minutes_due", title, due, now);
    }
out:
    ctx_free(&c);
    return e;
}

/* ---- minutes and countersigns ---- */

enum err mt_draft_minutes(struct store *db, long long id, const struct mt_step_in *s,
                          const char *body, json_t *decisions, const struct mt_actor *by,
                          long long now, struct problem *p)
{
    struct ctx c;
    enum err e = ctx_load(db, id, now, &c, p);
    int on;
    json_t *norm = NULL;
    if (e != OK) goto out;
    if ((e = require_host(db, &c, by, "制作会议纪要", p)) != OK) goto out;
    if (c.st.stage != MT_STAGE_HELD && c.st.stage != MT_STAGE_MINUTES) {
        e = wrong_stage(&c.st, "制作会议纪要", p);
        goto out;
    }
    size_t bl = mt_utf8_chars(body);
    if (bl == 0 || bl > MT_TEXT_MAX) {
        e = problem_set(p, ERR_RULE, "body", "纪要正文应为 1 到 %d 个字", MT_TEXT_MAX);
        goto out;
    }
    if (json_array_size(decisions) > MT_MAX_DECISIONS) {
        e = problem_set(p, ERR_RULE, "decisions", "议定事项最多 %d 项", MT_MAX_DECISIONS);
        goto out;
    }
    if ((e = step_day(s, by, c.today, &on, p)) != OK) goto out;
    char d[11];
    if (on < c.st.held) {
        e = problem_set(p, ERR_RULE, "on", "纪要日期不能早于会议日期 %s", mt_fmt(c.st.held, d));
        goto out;
    }
    bool first = c.st.version == 0;
    bool late = first && mt_is_late(c.dl[MT_STEP_MINUTES], on);
    if (first && (e = need_reason(c.dl[MT_STEP_MINUTES], on, s->late_reason, "会议纪要",
                                  "会议完毕七日内", p)) != OK)
        goto out;
    norm = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(decisions, i, a)
    {
        char f[48];
        snprintf(f, sizeof f, "decisions[%zu]", i);
        const char *text = json_string_value(json_object_get(a, "text"));
        const char *due = json_string_value(json_object_get(a, "due"));
        long long uid = unit_ref(db, json_object_get(a, "unit"));
        json_t *tv = json_object_get(a, "topic_id");
        long long tid = json_integer_value(tv);
        size_t tl = mt_utf8_chars(text);
        if (tl == 0 || tl > MT_REASON_MAX) {
            e = problem_set(p, ERR_RULE, f, "议定事项应为 1 到 %d 个字", MT_REASON_MAX);
            goto out;
        }
        if (!uid) {
            e = problem_set(p, ERR_RULE, f, "责任单位（unit）不存在");
            goto out;
        }
        json_t *u = unit_json(db, uid);
        const char *tier = json_string_value(json_object_get(u, "tier"));
        bool group = tier && strcmp(tier, "group") == 0;
        json_decref(u);
        if (group) {
            e = problem_set(p, ERR_RULE, f, "责任单位应为具体单位，不能是泛指的单位组");
            goto out;
        }
        int dd = mt_day(due);
        if (dd == MT_NONE || dd < c.st.held) {
            e = problem_set(p, ERR_RULE, f, "完成时限（due）应为 YYYY-MM-DD，且不早于会议日期");
            goto out;
        }
        if (tv && !json_is_null(tv)) {
            struct store_stmt *q = store_q(
                db, "SELECT 1 FROM meeting_topics WHERE id = ? AND meeting_id = ?", "ii", tid, id);
            bool ok = store_row(q);
            store_done(q);
            if (!ok) {
                e = store_err(db)
                        ? store_err(db)
                        : problem_set(p, ERR_RULE, f, "topic_id 不是本次会议的议题：%lld", tid);
                goto out;
            }
        }
        json_t *o = json_pack("{s:i,s:s,s:I,s:s}", "seq", (int)i + 1, "text", text, "unit_id",
                              (json_int_t)uid, "due", due);
        json_object_set_new(o, "topic_id",
                            tv && !json_is_null(tv) ? json_integer(tid) : json_null());
        json_array_append_new(norm, o);
    }
    char *dj = json_dumps(norm, JSON_COMPACT);
    int v = c.st.version + 1;
    e = store_do(db,
                 "INSERT INTO meeting_minutes(meeting_id, version, body, decisions, drafted_date, "
                 "drafted_at, drafted_by_name)"
                 " VALUES (?,?,?,?,?,?,?)",
                 "iitttit", id, (long long)v, body, dj ? dj : "[]", mt_fmt(on, d), now, by->name);
    free(dj);
    if (e == OK)
        e = store_do(
            db,
            "UPDATE meetings SET stage = 'minutes', minutes_version = ?, change_requested = 0,"
            " minutes_date = COALESCE(minutes_date, ?),"
            " minutes_late_reason = CASE WHEN minutes_date IS NULL THEN ? ELSE minutes_late_reason "
            "END,"
            " updated_at = ? WHERE id = ? AND minutes_version = ?",
            "ittiii", (long long)v, d, late ? s->late_reason : NULL, now, id,
            (long long)c.st.version);
    if (e == OK && store_changes(db) != 1)
        e = problem_set(p, ERR_CONFLICT, "id", "会议纪要已被他人修改，请刷新后重试");
    /* drafting is the host's own signature */
    if (e == OK)
        e = store_do(db,
                     "INSERT INTO meeting_countersigns(meeting_id, version, unit_id, action, "
                     "comment, on_date, at, by_name)"
                     " VALUES (?,?,?,'sign','起草单位',?,?,?)",
                     "iiitit", id, (long long)v, c.host, d, now, by->name);
    char note[40];
    snprintf(note, sizeof note, "第 %d 稿", v);
    if (e == OK)
        e = mt_history(db, id, by, now, on, first ? "minutes" : "minutes_revised", c.host, late,
                       late ? s->late_reason : note);
    if (e == OK) e = settle(db, id, "minutes", c.host, by->user_id, now);
    char prev[48];
    snprintf(prev, sizeof prev, "countersign.v%d", c.st.version);
    int due = mt_days_after(&c.cal, on, c.st.countersign_days);
    char step[48], title[400], t[4 * 60 + 4], dl[11];
    snprintf(step, sizeof step, "countersign.v%d", v);
    cut(c.st.title, 60, t, sizeof t);
    snprintf(title, sizeof title, "请于 %s 前会签“%s”会议纪要（第 %d 稿）", mt_fmt(due, dl), t, v);
    for (size_t k = 0; k < c.nunits && e == OK; k++) {
        if (c.st.version > 0) e = settle(db, id, prev, c.units[k].unit_id, 0, now);
        if (e == OK && !c.units[k].host)
            e = todo(db, id, step, c.units[k].unit_id, "meeting_countersign", title, due, now);
    }
    if (e == OK && c.st.version > 0) {
        char key[64];
        snprintf(key, sizeof key, "meeting:%lld:change.v%d:", id, c.st.version);
        e = inbox_done_prefix(db, key, by->user_id, now);
    }
out:
    json_decref(norm);
    ctx_free(&c);
    return e;
}

enum err mt_countersign(struct store *db, long long id, const struct mt_step_in *s,
                        const char *action, const char *comment, const struct mt_actor *by,
                        long long now, struct problem *p)
{
    struct ctx c;
    enum err e = ctx_load(db, id, now, &c, p);
    struct mt_unit *u;
    int on;
    if (e != OK) goto out;
    if ((e = acting_unit(&c, s, by, &u, p)) != OK) goto out;
    if (c.st.stage != MT_STAGE_MINUTES) {
        e = wrong_stage(&c.st, "会签", p);
        goto out;
    }
    bool sign = action && strcmp(action, "sign") == 0;
    if (!sign && !(action && strcmp(action, "change") == 0)) {
        e = problem_set(p, ERR_RULE, "action",
                        "action 应为 sign（会签同意）或 change（提出修改意见）");
        goto out;
    }
    if (!sign && !has_text(comment)) {
        e = problem_set(p, ERR_RULE, "comment", "提出修改意见须写明意见（comment）");
        goto out;
    }
    if (comment && mt_utf8_chars(comment) > MT_REASON_MAX) {
        e = problem_set(p, ERR_RULE, "comment", "意见最多 %d 个字", MT_REASON_MAX);
        goto out;
    }
    if (c.st.change_requested) {
        e = problem_set(p, ERR_CONFLICT, "id",
                        "已有单位对第 %d 稿提出修改意见，请待承办单位修改后重新会签", c.st.version);
        goto out;
    }
    char d[11];
    if (u->signed_on != MT_NONE || u->change) {
        e = problem_set(p, ERR_CONFLICT, "id", "本单位已会签第 %d 稿", c.st.version);
        goto out;
    }
    if ((e = step_day(s, by, c.today, &on, p)) != OK) goto out;
    if (on < c.st.drafted) {
        e = problem_set(p, ERR_RULE, "on", "会签日期不能早于纪要起草日期 %s",
                        mt_fmt(c.st.drafted, d));
        goto out;
    }
    bool late = mt_is_late(c.dl[MT_STEP_COUNTERSIGN], on);
    if ((e = need_reason(c.dl[MT_STEP_COUNTERSIGN], on, s->late_reason, "会签", "会签期限", p)) !=
        OK)
        goto out;
    e = store_do(db,
                 "INSERT INTO meeting_countersigns(meeting_id, version, unit_id, action, comment, "
                 "on_date, at, by_name,"
                 " late_reason) VALUES (?,?,?,?,?,?,?,?,?)",
                 "iiitttitt", id, (long long)c.st.version, u->unit_id, sign ? "sign" : "change",
                 comment, mt_fmt(on, d), now, by->name, late ? s->late_reason : NULL);
    if (e == OK && !sign)
        e = store_do(db, "UPDATE meetings SET change_requested = 1, updated_at = ? WHERE id = ?",
                     "ii", now, id);
    if (e == OK)
        e = mt_history(db, id, by, now, on, sign ? "countersign" : "change_request", u->unit_id,
                       late, sign ? (late ? s->late_reason : NULL) : comment);
    char step[48];
    snprintf(step, sizeof step, "countersign.v%d", c.st.version);
    if (e == OK) e = settle(db, id, step, u->unit_id, by->user_id, now);
    if (e == OK && !sign) {
        /* the host revises; everyone signs the new version again */
        char key[96], link[40], title[400], cm[4 * 60 + 4];
        struct mt_names *n = NULL;
        cut(comment, 60, cm, sizeof cm);
        snprintf(title, sizeof title, "%s对会议纪要第 %d 稿提出修改意见：%s",
                 mt_unit_short(&n, db, u->unit_id), c.st.version, cm);
        mt_names_free(n);
        snprintf(key, sizeof key, "meeting:%lld:change.v%d:%lld", id, c.st.version, u->unit_id);
        snprintf(link, sizeof link, "/meetings/%lld", id);
        struct inbox_item it = {.to = {.unit_id = c.host, .roles = UNIT_ROLES},
                                .kind = "meeting_change",
                                .title = title,
                                .link = link,
                                .dedupe_key = key};
        e = inbox_add(db, &it, now, NULL);
        for (size_t k = 0; k < c.nunits && e == OK; k++)
            e = settle(db, id, step, c.units[k].unit_id, 0, now);
    }
out:
    ctx_free(&c);
    return e;
}

enum err mt_issue_minutes(struct store *db, long long id, const struct mt_step_in *s,
                          const struct mt_actor *by, long long now, struct problem *p)
{
    struct ctx c;
    enum err e = ctx_load(db, id, now, &c, p);
    int on;
    json_t *dec = NULL;
    if (e != OK) goto out;
    if ((e = require_host(db, &c, by, "印发会议纪要", p)) != OK) goto out;
    char d[11];
    if (c.st.stage == MT_STAGE_ISSUED) {
        e = problem_set(p, ERR_CONFLICT, "id", "会议纪要已于 %s 印发，不能重复印发",
                        mt_fmt(c.st.issued, d));
        goto out;
    }
    if (c.st.stage != MT_STAGE_MINUTES) {
        e = wrong_stage(&c.st, "印发会议纪要", p);
        goto out;
    }
    if (c.st.change_requested) {
        e = problem_set(p, ERR_CONFLICT, "id", "有单位对第 %d 稿提出修改意见，须修改后重新会签",
                        c.st.version);
        goto out;
    }
    char missing[600] = "";
    size_t nmiss = 0;
    int last = c.st.drafted;
    struct mt_names *names = NULL;
    for (size_t i = 0; i < c.nunits; i++) {
        if (c.units[i].signed_on == MT_NONE) {
            size_t len = strlen(missing);
            if (len + 80 < sizeof missing)
                snprintf(missing + len, sizeof missing - len, "%s%s", nmiss ? "、" : "",
                         mt_unit_short(&names, db, c.units[i].unit_id));
            nmiss++;
        } else if (c.units[i].signed_on > last) {
            last = c.units[i].signed_on;
        }
    }
    mt_names_free(names);
    if (nmiss) {
        e = problem_set(p, ERR_CONFLICT, "id",
                        "第 %d 稿尚有 %zu 个成员单位未会签：%s；各单位会签后方可印发", c.st.version,
                        nmiss, missing);
        goto out;
    }
    if ((e = step_day(s, by, c.today, &on, p)) != OK) goto out;
    if (on < last) {
        e = problem_set(p, ERR_RULE, "on", "印发日期不能早于最后会签日期 %s", mt_fmt(last, d));
        goto out;
    }
    e = store_do(
        db,
        "UPDATE meetings SET stage = 'issued', issued_date = ?, issued_by_name = ?, updated_at = ?"
        " WHERE id = ? AND stage = 'minutes'",
        "ttii", mt_fmt(on, d), by->name, now, id);
    if (e == OK && store_changes(db) != 1) e = problem_set(p, ERR_CONFLICT, "id", "会议纪要已印发");
    /* the decisions become follow-up items */
    struct store_stmt *q =
        store_q(db, "SELECT decisions FROM meeting_minutes WHERE meeting_id = ? AND version = ?",
                "ii", id, (long long)c.st.version);
    if (store_row(q)) dec = json_loads(store_text(q, 0), 0, NULL);
    store_done(q);
    if (e == OK) e = store_err(db);
    size_t i;
    json_t *a;
    json_array_foreach(dec, i, a)
    {
        if (e != OK) break;
        long long uid = json_integer_value(json_object_get(a, "unit_id"));
        const char *due = json_string_value(json_object_get(a, "due"));
        const char *text = json_string_value(json_object_get(a, "text"));
        json_t *tv = json_object_get(a, "topic_id");
        q = store_q(db,
                    "INSERT INTO meeting_followups(meeting_id, seq, topic_id, text, unit_id, "
                    "due_date, created_at, updated_at)"
                    " VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                    "iiItitii", id, (long long)json_integer_value(json_object_get(a, "seq")),
                    (long long)(json_is_integer(tv) ? json_integer_value(tv) : 0), text, uid, due,
                    now, now);
        long long fid = store_row(q) ? store_int(q, 0) : 0;
        store_done(q);
        if ((e = store_err(db)) != OK) break;
        char key[64], link[40], title[400], t[4 * 80 + 4];
        cut(text, 80, t, sizeof t);
        snprintf(title, sizeof title, "联席会议议定事项：%s", t);
        snprintf(key, sizeof key, "meeting:%lld:followup:%lld", id, fid);
        snprintf(link, sizeof link, "/follow-ups/%lld", fid);
        struct inbox_item it = {.to = {.unit_id = uid, .roles = UNIT_ROLES},
                                .kind = "meeting_followup",
                                .title = title,
                                .link = link,
                                .due = due,
                                .dedupe_key = key};
        e = inbox_add(db, &it, now, NULL);
    }
    if (e == OK) e = mt_history(db, id, by, now, on, "issue", c.host, false, NULL);
    char title[400], t[4 * 60 + 4];
    cut(c.st.title, 60, t, sizeof t);
    snprintf(title, sizeof title, "“%s”会议纪要已印发", t);
    for (size_t k = 0; k < c.nunits && e == OK; k++) {
        char key[64], link[40];
        snprintf(key, sizeof key, "meeting:%lld:issued:%lld", id, c.units[k].unit_id);
        snprintf(link, sizeof link, "/meetings/%lld", id);
        struct inbox_item it = {.to = {.unit_id = c.units[k].unit_id, .roles = UNIT_ROLES},
                                .kind = "meeting_issued",
                                .title = title,
                                .link = link,
                                .dedupe_key = key};
        e = inbox_add(db, &it, now, NULL);
    }
    if (e == OK) e = issue_doc(db, id, MT_DOC_MINUTES, on, now, p);
out:
    json_decref(dec);
    ctx_free(&c);
    return e;
}

enum err mt_unit_role(struct store *db, long long id, long long unit_id, long long now,
                      struct mt_unit_role *out)
{
    memset(out, 0, sizeof *out);
    struct problem p;
    struct ctx c;
    enum err e = ctx_load(db, id, now, &c, &p); /* today's members when no notice was sent yet */
    if (e == OK) {
        struct mt_unit *u = unit_in(&c, unit_id);
        if (u) *out = (struct mt_unit_role){true, u->convener, u->host};
    }
    ctx_free(&c);
    return e;
}

/* ---- the meeting as JSON ---- */

static json_t *unit_obj(struct mt_names **n, struct store *db, long long id)
{
    return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "name", mt_unit_name(n, db, id),
                     "short_name", mt_unit_short(n, db, id));
}

static json_t *jdate(int day)
{
    char d[11];
    return day == MT_NONE ? json_null() : json_string(mt_fmt(day, d));
}

static json_t *step_json(enum mt_step s, int deadline, int done, int today, const char *late_reason,
                         json_t *pending)
{
    enum mt_status st = mt_status_at(deadline, done, today);
    json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:s,s:s}", "step", mt_step_name(s), "label",
                          mt_step_label(s), "rule", mt_step_rule(s), "deadline", jdate(deadline),
                          "done_date", jdate(done), "status", mt_status_name(st), "status_label",
                          mt_status_label(st));
    json_object_set_new(o, "late", json_boolean(st == MT_LATE));
    json_object_set_new(o, "late_reason", late_reason ? json_string(late_reason) : json_null());
    json_object_set_new(o, "pending_units", pending ? pending : json_array());
    return o;
}

static const char *text_or_null(struct store_stmt *q, int col)
{
    return store_null(q, col) ? NULL : store_text(q, col);
}

json_t *mt_meeting_json(struct store *db, long long id, long long now)
{
    struct problem p;
    struct ctx c;
    json_t *o = NULL;
    struct mt_names *n = NULL;
    if (ctx_load(db, id, now, &c, &p) != OK) goto out;
    struct store_stmt *q =
        store_q(db,
                "SELECT title, meeting_date, place, guests, notes, countersign_days, stage,"
                " notice_late_reason, notice_by_name, agenda_late_reason, agenda_by_name,"
                " held_by_name, minutes_late_reason, issued_by_name, report_id, report_note,"
                " created_by_name, created_at, updated_at, notice_body"
                " FROM meetings WHERE id = ?",
                "i", id);
    if (!store_row(q)) {
        store_done(q);
        goto out;
    }
    json_t *guests = json_loads(store_text(q, 3), 0, NULL);
    char notice_lr[4 * MT_REASON_MAX + 1] = "", agenda_lr[4 * MT_REASON_MAX + 1] = "",
                                       minutes_lr[4 * MT_REASON_MAX + 1] = "";
    if (!store_null(q, 7)) snprintf(notice_lr, sizeof notice_lr, "%s", store_text(q, 7));
    if (!store_null(q, 9)) snprintf(agenda_lr, sizeof agenda_lr, "%s", store_text(q, 9));
    if (!store_null(q, 12)) snprintf(minutes_lr, sizeof minutes_lr, "%s", store_text(q, 12));
    o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:i,s:s,s:s}", "id", (json_int_t)id,
                  "kind", mt_kind_name(c.st.kind), "kind_label", mt_kind_label(c.st.kind), "title",
                  store_text(q, 0), "meeting_date", store_text(q, 1), "place", store_text(q, 2),
                  "level", mt_level_name(c.st.level), "level_label", mt_level_label(c.st.level),
                  "guests", guests ? guests : json_array(), "notes", store_text(q, 4),
                  "countersign_days", (int)store_int(q, 5), "stage", mt_stage_name(c.st.stage),
                  "stage_label", mt_stage_label(c.st.stage));
    json_object_set_new(o, "notice_body",
                        text_or_null(q, 19) ? json_string(store_text(q, 19)) : json_null());
    json_object_set_new(o, "notice_date", jdate(c.st.notice));
    json_object_set_new(o, "notice_by_name",
                        text_or_null(q, 8) ? json_string(store_text(q, 8)) : json_null());
    json_object_set_new(o, "agenda_date", jdate(c.st.agenda));
    json_object_set_new(o, "agenda_by_name",
                        text_or_null(q, 10) ? json_string(store_text(q, 10)) : json_null());
    json_object_set_new(o, "held_date", jdate(c.st.held));
    json_object_set_new(o, "held_by_name",
                        text_or_null(q, 11) ? json_string(store_text(q, 11)) : json_null());
    json_object_set_new(o, "minutes_date", jdate(c.st.minutes));
    json_object_set_new(o, "issued_date", jdate(c.st.issued));
    json_object_set_new(o, "issued_by_name",
                        text_or_null(q, 13) ? json_string(store_text(q, 13)) : json_null());
    long long report_id = store_int(q, 14);
    json_t *ledger =
        json_pack("{s:o,s:o}", "report_id", report_id ? json_integer(report_id) : json_null(),
                  "note", text_or_null(q, 15) ? json_string(store_text(q, 15)) : json_null());
    json_object_set_new(o, "created_by_name", json_string(store_text(q, 16)));
    json_object_set_new(o, "created_at", json_integer(store_int(q, 17)));
    json_object_set_new(o, "updated_at", json_integer(store_int(q, 18)));
    store_done(q);
    if (report_id) {
        struct work_row_state ws;
        if (work_store_state(db, report_id, &ws) == OK) {
            json_object_set_new(ledger, "status", json_string(ws.status));
            json_object_set_new(ledger, "status_label", json_string(work_status_label(ws.status)));
        }
    }
    json_object_set_new(ledger, "task", json_integer(83));
    json_object_set_new(ledger, "filed", json_boolean(c.st.kind == MT_REGULAR));
    json_object_set_new(o, "ledger", ledger);
    int y;
    date_to_ymd(c.st.meeting, &y, NULL, NULL);
    json_object_set_new(
        o, "calendar_warning",
        mt_calendar_covers(&c.cal, y)
            ? json_null()
            : json_sprintf("%d 年的节假日安排尚未录入，期限只按周末计算；请联席会议办公室录入", y));

    /* units, conveners, host */
    json_t *units = json_array(), *conveners = json_array();
    json_t *pend_receipt = json_array(), *pend_topics = json_array(), *pend_cs = json_array();
    int last_receipt = MT_NONE, last_topics = MT_NONE, last_sign = MT_NONE;
    bool all_receipt = c.st.notice != MT_NONE, all_topics = all_receipt,
         all_signed = c.st.version > 0;
    for (size_t i = 0; i < c.nunits; i++) {
        struct mt_unit *u = &c.units[i];
        json_t *uo =
            json_pack("{s:o,s:s,s:s,s:b,s:o,s:o}", "unit", unit_obj(&n, db, u->unit_id), "role",
                      u->convener ? "convener" : "member", "role_label",
                      mt_member_role_label(u->convener ? "convener" : "member"), "host", u->host,
                      "received_date", jdate(u->received), "confirmed_date", jdate(u->confirmed));
        if (u->convener) json_array_append_new(conveners, unit_obj(&n, db, u->unit_id));
        if (u->host) json_object_set_new(o, "host", unit_obj(&n, db, u->unit_id));
        if (!u->host && c.st.notice != MT_NONE) {
            enum mt_status rs = mt_status_at(c.dl[MT_STEP_RECEIPT], u->confirmed, c.today);
            enum mt_status ts = mt_status_at(c.dl[MT_STEP_TOPICS], u->topics, c.today);
            json_object_set_new(uo, "receipt_status", json_string(mt_status_name(rs)));
            json_object_set_new(uo, "topics_status", json_string(mt_status_name(ts)));
            if (u->confirmed == MT_NONE) {
                all_receipt = false;
                json_array_append_new(pend_receipt, unit_obj(&n, db, u->unit_id));
            } else if (last_receipt == MT_NONE || u->confirmed > last_receipt) {
                last_receipt = u->confirmed;
            }
            if (u->topics == MT_NONE) {
                all_topics = false;
                json_array_append_new(pend_topics, unit_obj(&n, db, u->unit_id));
            } else if (last_topics == MT_NONE || u->topics > last_topics) {
                last_topics = u->topics;
            }
        }
        json_object_set_new(uo, "topics_date", jdate(u->topics));
        json_object_set_new(uo, "no_topics", json_boolean(u->no_topics));
        json_object_set_new(uo, "topic_count", json_integer(u->ntopics));
        if (c.st.version > 0) {
            enum mt_status cs = mt_status_at(c.dl[MT_STEP_COUNTERSIGN], u->signed_on, c.today);
            json_object_set_new(uo, "countersign",
                                json_pack("{s:i,s:s,s:o,s:s}", "version", c.st.version, "action",
                                          u->signed_on != MT_NONE ? "sign"
                                          : u->change             ? "change"
                                                                  : "none",
                                          "on_date", jdate(u->signed_on), "status",
                                          u->change ? MT_CHANGE_REQUESTED : mt_status_name(cs)));
            if (u->signed_on == MT_NONE) {
                all_signed = false;
                json_array_append_new(pend_cs, unit_obj(&n, db, u->unit_id));
            } else if (last_sign == MT_NONE || u->signed_on > last_sign) {
                last_sign = u->signed_on;
            }
        }
        json_array_append_new(units, uo);
    }
    if (!json_object_get(o, "host")) {
        long long h = mt_host_at(db, c.today);
        json_object_set_new(o, "host", h ? unit_obj(&n, db, h) : json_null());
        c.host = h;
    }
    json_object_set_new(o, "units", units);
    json_object_set_new(o, "conveners", conveners);

    /* topics */
    json_t *topics = mt_topics_json(db, id);
    long long pending_topics = 0;
    int last_selection = MT_NONE;
    size_t i;
    json_t *t;
    json_array_foreach(topics, i, t)
    {
        const char *sel = json_string_value(json_object_get(t, "selection"));
        if (sel && strcmp(sel, "pending") == 0) pending_topics++;
        int sd = mt_day(json_string_value(json_object_get(t, "selection_date")));
        if (sd != MT_NONE && (last_selection == MT_NONE || sd > last_selection))
            last_selection = sd;
    }

    /* steps */
    json_t *steps = json_array();
    json_t *host_only = json_array();
    if (c.host && c.st.notice == MT_NONE)
        json_array_append_new(host_only, unit_obj(&n, db, c.host));
    json_array_append_new(steps, step_json(MT_STEP_NOTICE, c.dl[MT_STEP_NOTICE], c.st.notice,
                                           c.today, notice_lr[0] ? notice_lr : NULL, host_only));
    json_array_append_new(steps, step_json(MT_STEP_RECEIPT, c.dl[MT_STEP_RECEIPT],
                                           all_receipt ? last_receipt : MT_NONE, c.today, NULL,
                                           pend_receipt));
    json_array_append_new(steps, step_json(MT_STEP_TOPICS, c.dl[MT_STEP_TOPICS],
                                           all_topics ? last_topics : MT_NONE, c.today, NULL,
                                           pend_topics));
    json_t *sel_pending = json_array();
    if (c.st.agenda == MT_NONE && c.host)
        json_array_append_new(sel_pending, unit_obj(&n, db, c.host));
    json_t *sel = step_json(MT_STEP_SELECTION, c.dl[MT_STEP_SELECTION],
                            c.st.agenda != MT_NONE
                                ? (last_selection != MT_NONE ? last_selection : c.st.agenda)
                                : MT_NONE,
                            c.today, NULL, sel_pending);
    json_object_set_new(sel, "pending_topics", json_integer(pending_topics));
    json_array_append_new(steps, sel);
    json_t *agenda_pending = json_array();
    if (c.st.agenda == MT_NONE) {
        size_t k;
        json_t *cv;
        json_array_foreach(conveners, k, cv) json_array_append(agenda_pending, cv);
    }
    json_array_append_new(steps,
                          step_json(MT_STEP_AGENDA, c.dl[MT_STEP_AGENDA], c.st.agenda, c.today,
                                    agenda_lr[0] ? agenda_lr : NULL, agenda_pending));
    json_t *held_pending = json_array();
    if (c.st.held == MT_NONE && c.host)
        json_array_append_new(held_pending, unit_obj(&n, db, c.host));
    json_array_append_new(
        steps, step_json(MT_STEP_HELD, c.dl[MT_STEP_HELD], c.st.held, c.today, NULL, held_pending));
    json_t *min_pending = json_array();
    if (c.st.minutes == MT_NONE && c.st.held != MT_NONE && c.host)
        json_array_append_new(min_pending, unit_obj(&n, db, c.host));
    json_array_append_new(steps,
                          step_json(MT_STEP_MINUTES, c.dl[MT_STEP_MINUTES], c.st.minutes, c.today,
                                    minutes_lr[0] ? minutes_lr : NULL, min_pending));
    json_t *cs = step_json(MT_STEP_COUNTERSIGN, c.dl[MT_STEP_COUNTERSIGN],
                           all_signed ? last_sign : MT_NONE, c.today, NULL, pend_cs);
    json_object_set_new(cs, "version", json_integer(c.st.version));
    json_object_set_new(cs, "change_requested", json_boolean(c.st.change_requested));
    if (c.st.change_requested) {
        json_object_set_new(cs, "status", json_string(MT_CHANGE_REQUESTED));
        json_object_set_new(cs, "status_label", json_string(mt_change_requested_label()));
    }
    json_array_append_new(steps, cs);
    json_t *issue_pending = json_array();
    if (c.st.issued == MT_NONE && all_signed && !c.st.change_requested && c.host)
        json_array_append_new(issue_pending, unit_obj(&n, db, c.host));
    json_t *is = step_json(MT_STEP_ISSUE, MT_NONE, c.st.issued, c.today, NULL, issue_pending);
    if (c.st.issued == MT_NONE && all_signed && !c.st.change_requested) {
        json_object_set_new(is, "status", json_string("due"));
        json_object_set_new(is, "status_label", json_string(mt_status_label(MT_DUE)));
    }
    json_array_append_new(steps, is);
    json_object_set_new(o, "steps", steps);
    json_object_set_new(o, "topics", topics ? topics : json_array());

    /* attendance and the check of 第三条 */
    json_t *att = json_array(), *warn = json_array();
    q = store_q(db,
                "SELECT unit_id, unit_name, person, post, att_rank, guest FROM meeting_attendance "
                "WHERE meeting_id = ? ORDER BY id",
                "i", id);
    while (store_row(q)) {
        enum mt_rank r = MT_RANK_STAFF;
        mt_rank_parse(store_text(q, 4), &r);
        json_t *a = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "unit_name", store_text(q, 1), "person",
                              store_text(q, 2), "post", store_text(q, 3), "rank", store_text(q, 4),
                              "rank_label", mt_rank_label(r), "guest", store_int(q, 5) != 0);
        json_object_set_new(a, "unit_id",
                            store_null(q, 0) ? json_null() : json_integer(store_int(q, 0)));
        json_array_append_new(att, a);
    }
    store_done(q);
    if (c.st.held != MT_NONE)
        for (size_t k = 0; k < c.nunits; k++) {
            int best = -1;
            json_t *a;
            size_t j;
            json_array_foreach(att, j, a) if (json_integer_value(json_object_get(a, "unit_id")) ==
                                              c.units[k].unit_id)
            {
                enum mt_rank r;
                if (mt_rank_parse(json_string_value(json_object_get(a, "rank")), &r) &&
                    (int)r > best)
                    best = (int)r;
            }
            enum mt_rank need = mt_required_rank(c.st.level, c.units[k].convener);
            const char *name = mt_unit_short(&n, db, c.units[k].unit_id);
            if (best < 0)
                json_array_append_new(warn, json_sprintf("%s未出席", name));
            else if (best < (int)need)
                json_array_append_new(warn, json_sprintf("%s出席人员级别低于第三条要求（应为%s）",
                                                         name, mt_rank_label(need)));
        }
    json_object_set_new(o, "attendance", att);
    json_object_set_new(o, "attendance_warnings", warn);

    /* minutes */
    if (c.st.version > 0) {
        q = store_q(db,
                    "SELECT version, body, decisions, drafted_date, drafted_by_name FROM "
                    "meeting_minutes WHERE meeting_id = ?"
                    " ORDER BY version",
                    "i", id);
        json_t *versions = json_array(), *cur = NULL;
        while (store_row(q)) {
            json_array_append_new(versions,
                                  json_pack("{s:I,s:s,s:s}", "version", (json_int_t)store_int(q, 0),
                                            "drafted_date", store_text(q, 3), "drafted_by_name",
                                            store_text(q, 4)));
            if (store_int(q, 0) == c.st.version) {
                json_t *dec = json_loads(store_text(q, 2), 0, NULL);
                size_t k;
                json_t *dv;
                json_array_foreach(dec, k, dv)
                {
                    long long uid = json_integer_value(json_object_get(dv, "unit_id"));
                    json_object_set_new(dv, "unit", unit_obj(&n, db, uid));
                }
                json_decref(cur);
                cur = json_pack("{s:i,s:s,s:o,s:s,s:s,s:b,s:o}", "version", c.st.version, "body",
                                store_text(q, 1), "decisions", dec ? dec : json_array(),
                                "drafted_date", store_text(q, 3), "drafted_by_name",
                                store_text(q, 4), "change_requested", c.st.change_requested,
                                "first_drafted_date", jdate(c.st.minutes));
            }
        }
        store_done(q);
        if (cur)
            json_object_set_new(cur, "versions", versions);
        else
            json_decref(versions);
        json_object_set_new(o, "minutes", cur ? cur : json_null());
    } else {
        json_object_set_new(o, "minutes", json_null());
    }
    json_t *signs = json_array();
    q = store_q(db,
                "SELECT version, unit_id, action, comment, on_date, by_name, late_reason FROM "
                "meeting_countersigns"
                " WHERE meeting_id = ? ORDER BY version, id",
                "i", id);
    while (store_row(q)) {
        json_t *so =
            json_pack("{s:I,s:o,s:s,s:s,s:s}", "version", (json_int_t)store_int(q, 0), "unit",
                      unit_obj(&n, db, store_int(q, 1)), "action", store_text(q, 2), "on_date",
                      store_text(q, 4), "by_name", store_text(q, 5));
        json_object_set_new(so, "comment",
                            store_null(q, 3) ? json_null() : json_string(store_text(q, 3)));
        json_object_set_new(so, "late", json_boolean(!store_null(q, 6)));
        json_object_set_new(so, "late_reason",
                            store_null(q, 6) ? json_null() : json_string(store_text(q, 6)));
        json_array_append_new(signs, so);
    }
    store_done(q);
    json_object_set_new(o, "countersigns", signs);

    /* documents */
    json_t *docs = json_array();
    q = store_q(db,
                "SELECT kind, doc_no, title, issued_date, html_hash, html_size, pdf_hash, pdf_size "
                "FROM meeting_documents"
                " WHERE meeting_id = ? ORDER BY id",
                "i", id);
    while (store_row(q)) {
        enum mt_doc_kind k = MT_DOC_NOTICE;
        mt_doc_kind_parse(store_text(q, 0), &k);
        json_array_append_new(docs,
                              json_pack("{s:s,s:s,s:s,s:s,s:s,s:{s:s,s:I},s:{s:s,s:I}}", "kind",
                                        store_text(q, 0), "label", mt_doc_kind_label(k), "doc_no",
                                        store_text(q, 1), "title", store_text(q, 2), "issued_date",
                                        store_text(q, 3), "html", "hash", store_text(q, 4), "size",
                                        (json_int_t)store_int(q, 5), "pdf", "hash",
                                        store_text(q, 6), "size", (json_int_t)store_int(q, 7)));
    }
    store_done(q);
    {
        size_t k;
        json_t *dv;
        json_array_foreach(docs, k, dv)
        {
            const char *kind = json_string_value(json_object_get(dv, "kind"));
            json_object_set_new(dv, "html_url",
                                json_sprintf("/api/v1/meetings/%lld/documents/%s.html", id, kind));
            json_object_set_new(dv, "pdf_url",
                                json_sprintf("/api/v1/meetings/%lld/documents/%s.pdf", id, kind));
        }
    }
    json_object_set_new(o, "documents", docs);

    /* follow-ups: this meeting's, and those to report at it */
    char md[11], prev[11] = "";
    mt_fmt(c.st.meeting, md);
    q = store_q(db, "SELECT MAX(meeting_date) FROM meetings WHERE meeting_date < ? AND id <> ?",
                "ti", md, id);
    if (store_row(q) && !store_null(q, 0)) snprintf(prev, sizeof prev, "%s", store_text(q, 0));
    store_done(q);
    json_t *fu = mt_followups_of(db, id, false, md, NULL, c.today);
    json_t *fr = mt_followups_of(db, id, true, md, prev[0] ? prev : NULL, c.today);
    json_object_set_new(o, "follow_ups", fu ? fu : json_array());
    json_object_set_new(o, "follow_ups_to_report", fr ? fr : json_array());

    /* history */
    json_t *hist = json_array();
    q = store_q(db,
                "SELECT at, on_date, user_name, action, unit_id, late, note FROM meeting_history "
                "WHERE meeting_id = ? ORDER BY id",
                "i", id);
    while (store_row(q)) {
        json_t *h = json_pack("{s:I,s:s,s:s,s:s,s:b}", "at", (json_int_t)store_int(q, 0), "on_date",
                              store_text(q, 1), "by_name", store_text(q, 2), "action",
                              store_text(q, 3), "late", store_int(q, 5) != 0);
        json_object_set_new(h, "unit",
                            store_null(q, 4) ? json_null() : unit_obj(&n, db, store_int(q, 4)));
        json_object_set_new(h, "note",
                            store_null(q, 6) ? json_null() : json_string(store_text(q, 6)));
        json_array_append_new(hist, h);
    }
    store_done(q);
    json_object_set_new(o, "history", hist);
    if (store_err(db)) {
        json_decref(o);
        o = NULL;
    }
out:
    mt_names_free(n);
    ctx_free(&c);
    return o;
}
