/* store_supervise.c - the SQL of dispatch notices (督办单): checking a notice against the units
 * and the plan (through their services), storing drafts, every stage transition as one
 * conditional UPDATE (a concurrent change is a 409, never a lost write) with its history row
 * and inbox items, escalation catch-up, evidence links, and the JSON renderings. Every function
 * runs inside the caller's write transaction where it writes. Tables: migrations 0005. */
#include "supervise/supervise.h"
#include "supervise/notice_doc.h"
#include "store/files.h"
#include "base/filetype.h"
#include "base/date.h"
#include "base/jw.h"
#include "org/perm.h"
#include "org/policy.h"
#include "org/units.h"
#include "plan/plan.h"
#include "notify/notify.h"
#include "work/work.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int today_of(long long now)
{
    return date_today_shanghai(now);
}

static const char *stage_s(enum sv_stage s)
{
    return sv_stage_name(s);
}

/* ---- history ---- */

static enum err history(struct store *db, long long id, const struct sv_actor *by, long long now,
                        const char *action, enum sv_stage stage, enum sv_level level,
                        const char *note, const char *dedupe)
{
    return store_do(
        db,
        "INSERT INTO notice_history(notice_id, at, user_id, user_name, action, stage,"
        " level, note, dedupe) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (dedupe) DO NOTHING",
        "iiItttitt", id, now, by->user_id, by->name ? by->name : "", action, stage_s(stage),
        (long long)level, note && *note ? note : NULL, dedupe);
}

/* ---- state ---- */

enum err sv_notice_state(struct store *db, long long id, struct sv_state *s)
{
    memset(s, 0, sizeof *s);
    struct store_stmt *q =
        store_q(db,
                "SELECT id, unit_id, parent_unit_id, stage, base_level, level, deadline,"
                " answered_date, doc_no, title, rounds, signoff_state, signoff_requested_by"
                " FROM notices WHERE id = ?",
                "i", id);
    bool found = store_row(q);
    if (found) {
        s->id = store_int(q, 0);
        s->unit_id = store_int(q, 1);
        s->parent_unit_id = store_int(q, 2);
        if (!sv_stage_parse(store_text(q, 3), &s->stage)) s->stage = SV_DRAFTED;
        s->base_level = (enum sv_level)store_int(q, 4);
        s->level = (enum sv_level)store_int(q, 5);
        snprintf(s->deadline, sizeof s->deadline, "%s", store_text(q, 6));
        snprintf(s->answered_date, sizeof s->answered_date, "%s",
                 store_text(q, 7) ? store_text(q, 7) : "");
        snprintf(s->doc_no, sizeof s->doc_no, "%s", store_text(q, 8) ? store_text(q, 8) : "");
        snprintf(s->title, sizeof s->title, "%s", store_text(q, 9));
        s->round = store_int(q, 10);
        s->signoff = sv_signoff_parse(store_text(q, 11));
        s->signoff_requested_by = store_null(q, 12) ? 0 : store_int(q, 12);
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}

long long sv_notice_open_for_item(struct store *db, long long unit_id, const char *obligation,
                                  const char *period_start, const char *period_end)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT id FROM notices WHERE unit_id = ? AND subject = 'compliance'"
                " AND obligation_key = ? AND period_start = ? AND period_end = ?"
                " AND stage <> 'closed' ORDER BY id DESC LIMIT 1",
                "ittt", unit_id, obligation, period_start, period_end);
    long long id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return id;
}

/* Loads the state and checks that action is allowed at its stage. */
static enum err claim(struct store *db, long long id, enum sv_action a, struct sv_state *s,
                      enum sv_stage *to, struct problem *p)
{
    enum err e = sv_notice_state(db, id, s);
    if (e == ERR_NOT_FOUND) return problem_set(p, e, "id", "督办单不存在");
    if (e != OK) return e;
    if (!sv_transition(s->stage, a, to)) {
        char msg[320];
        sv_refusal(s->stage, a, msg, sizeof msg);
        return problem_set(p, ERR_CONFLICT, NULL, "%s", msg);
    }
    return OK;
}

/* A conditional UPDATE changed nothing: someone else moved the notice first. */
static enum err moved(struct store *db, struct problem *p)
{
    if (store_err(db)) return store_err(db);
    return problem_set(p, ERR_CONFLICT, NULL, "督办单刚刚已被他人处理，请刷新后再试");
}

/* ---- checks against units and the plan ---- */

static enum err check_refs(struct store *db, const struct sv_notice_in *n, long long *parent,
                           struct problem *p)
{
    struct unit u;
    enum err e = unit_get(db, n->unit_id, &u);
    if (e == ERR_NOT_FOUND) return problem_set(p, ERR_RULE, "unit", "单位不存在：%lld", n->unit_id);
    if (e != OK) return e;
    if (strcmp(u.tier, "group") == 0)
        e = problem_set(p, ERR_RULE, "unit", "“%s”是泛指的单位组，督办单须发给具体单位", u.name);
    else if (!u.active)
        e = problem_set(p, ERR_RULE, "unit", "单位“%s”已停用", u.name);
    *parent = u.parent_id;
    if (e != OK) return e;

    struct plan_row plan;
    e = plan_find_published(db, n->plan, &plan);
    if (e == ERR_NOT_FOUND)
        return problem_set(p, ERR_RULE, "plan", "方案不存在或尚未发布：%.64s", n->plan);
    if (e != OK) return e;
    if (n->subject == SV_SUBJECT_TASK) {
        long long *nos;
        size_t nn;
        if ((e = plan_task_numbers(db, plan.id, &nos, &nn)) != OK) return e;
        bool found = false;
        for (size_t i = 0; i < nn && !found; i++)
            found = nos[i] == n->task_no;
        free(nos);
        if (!found)
            return problem_set(p, ERR_RULE, "task", "方案 %s 没有第 %lld 项重点任务", plan.code,
                               n->task_no);
        return OK;
    }
    json_t *doc = plan_export_doc(db, plan.id);
    if (!doc) return store_err(db) ? store_err(db) : ERR_INTERNAL;
    bool found = false;
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(doc, "obligations"), i, o)
    {
        const char *k = json_string_value(json_object_get(o, "key"));
        if (k && strcmp(k, n->obligation) == 0) found = true;
    }
    json_decref(doc);
    if (!found)
        return problem_set(p, ERR_RULE, "obligation",
                           "%s中没有这项工作义务，请从重点任务的工作义务中选择", plan.title);
    return OK;
}

static enum err check_all(struct store *db, const struct sv_notice_in *n, long long now,
                          long long *parent, struct problem *p)
{
    if (!sv_notice_check(n, today_of(now), p)) return p->err;
    return check_refs(db, n, parent, p);
}

/* ---- inbox items of a notice (through the notify area) ---- */

bool sv_unit_has_role(struct store *db, long long unit_id, unsigned role_bit)
{
    struct inbox_target t = {.unit_id = unit_id, .roles = role_bit};
    return unit_id && inbox_reaches(db, &t);
}

static const char *link_of(long long id, char *buf, size_t n)
{
    snprintf(buf, n, "/notices/%lld", id);
    return buf;
}

static enum err inbox_for_unit(struct store *db, const struct sv_state *s, role_set roles,
                               const char *kind, const char *title, const char *key, long long now)
{
    char link[40];
    struct inbox_item it = {.to = {.unit_id = s->unit_id, .roles = roles},
                            .kind = kind,
                            .title = title,
                            .link = link_of(s->id, link, sizeof link),
                            .due = s->deadline,
                            .dedupe_key = key};
    return inbox_add(db, &it, now, NULL);
}

#define UNIT_STAFF ((1u << ROLE_UNIT_ADMIN) | (1u << ROLE_UNIT_REPORTER))

unsigned sv_signer_roles(struct store *db, long long unit_id)
{
    return sv_unit_has_role(db, unit_id, 1u << ROLE_UNIT_ADMIN) ? 1u << ROLE_UNIT_ADMIN
                                                                : UNIT_STAFF;
}

static void item_title(char *out, size_t n, const char *what, const struct sv_state *s)
{
    char t[4 * 80 + 1];
    sv_utf8_cut(s->title, 80, t, sizeof t);
    snprintf(out, n, "%s%s%s", what, s->doc_no[0] ? s->doc_no : "", t);
}

/* ---- create, update ---- */

enum err sv_notice_create(struct store *db, const struct sv_notice_in *n, bool issue,
                          const struct sv_actor *by, long long now, long long *id,
                          struct problem *p)
{
    *id = 0;
    long long parent = 0;
    enum err e = check_all(db, n, now, &parent, p);
    if (e != OK) return e;
    bool task = n->subject == SV_SUBJECT_TASK;
    long long twin = task ? 0
                          : sv_notice_open_for_item(db, n->unit_id, n->obligation, n->period_start,
                                                    n->period_end);
    if (store_err(db)) return store_err(db);
    if (twin)
        return problem_set(p, ERR_CONFLICT, "obligation",
                           "该单位的这一预警事项已有未办结的督办单（编号 %lld），不再重复立项",
                           twin);
    struct store_stmt *q = store_q(
        db,
        "INSERT INTO notices(unit_id, parent_unit_id, subject, plan_code, task_no, obligation_key,"
        " period_start, period_end, title, requirements, deadline, stage, base_level, level,"
        " created_by, created_by_name, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,'drafted',?,?,?,?,?,?) RETURNING id",
        "iIttIttttttiiItii", n->unit_id, parent, sv_subject_name(n->subject), n->plan,
        task ? n->task_no : 0LL, task ? NULL : n->obligation, task ? NULL : n->period_start,
        task ? NULL : n->period_end, n->title, n->requirements, n->deadline, (long long)n->level,
        (long long)n->level, by->user_id, by->name ? by->name : "", now, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    e = history(db, *id, by, now, "draft", SV_DRAFTED, n->level, NULL, NULL);
    if (e == OK && issue) e = sv_notice_issue(db, *id, NULL, by, now, p);
    return e;
}

enum err sv_notice_update(struct store *db, long long id, const struct sv_notice_in *n,
                          const struct sv_actor *by, long long now, struct problem *p)
{
    struct sv_state s;
    enum sv_stage to;
    enum err e = claim(db, id, SV_EDIT, &s, &to, p);
    if (e != OK) return e;
    enum err se;
    const char *busy = sv_signoff_refusal(SV_EDIT, sv_signoff_required(db), s.signoff, 0, 0, &se);
    if (busy) return problem_set(p, se, NULL, "%s", busy);
    long long parent = 0;
    if ((e = check_all(db, n, now, &parent, p)) != OK) return e;
    bool task = n->subject == SV_SUBJECT_TASK;
    e = store_do(db,
                 "UPDATE notices SET unit_id = ?, parent_unit_id = ?, subject = ?, plan_code = ?,"
                 " task_no = ?, obligation_key = ?, period_start = ?, period_end = ?, title = ?,"
                 " requirements = ?, deadline = ?, base_level = ?, level = ?, updated_at = ?,"
                 " signoff_state = NULL WHERE id = ? AND stage = 'drafted'",
                 "iIttIttttttiiii", n->unit_id, parent, sv_subject_name(n->subject), n->plan,
                 task ? n->task_no : 0LL, task ? NULL : n->obligation,
                 task ? NULL : n->period_start, task ? NULL : n->period_end, n->title,
                 n->requirements, n->deadline, (long long)n->level, (long long)n->level, now, id);
    if (e != OK) return e;
    if (store_changes(db) != 1) return moved(db, p);
    return history(db, id, by, now, "update", SV_DRAFTED, n->level, NULL, NULL);
}

enum err sv_notice_discard(struct store *db, long long id, long long now, char *title,
                           size_t titlelen, struct problem *p)
{
    struct sv_state s;
    enum sv_stage to;
    enum err e = claim(db, id, SV_DISCARD, &s, &to, p);
    if (e != OK) return e;
    snprintf(title, titlelen, "%s", s.title);
    e = store_do(db, "DELETE FROM notices WHERE id = ? AND stage = 'drafted'", "i", id);
    if (e != OK) return e;
    if (store_changes(db) != 1) return moved(db, p);
    /* a draft waiting for 签批 leaves nothing in the leaders' 待办 */
    char prefix[48];
    snprintf(prefix, sizeof prefix, "notice:%lld:", id);
    return inbox_done_prefix(db, prefix, 0, now);
}

json_t *sv_notice_fields(struct store *db, long long id, struct sv_notice_in *n)
{
    memset(n, 0, sizeof *n);
    struct store_stmt *q =
        store_q(db,
                "SELECT unit_id, subject, plan_code, task_no, obligation_key, period_start,"
                " period_end, title, requirements, deadline, base_level FROM notices WHERE id = ?",
                "i", id);
    json_t *o = NULL;
    if (store_row(q)) {
        o = json_pack("{s:s,s:s?,s:s?,s:s?,s:s,s:s,s:s,s:s}", "subject", store_text(q, 1),
                      "obligation", store_text(q, 4), "period_start", store_text(q, 5),
                      "period_end", store_text(q, 6), "plan", store_text(q, 2), "title",
                      store_text(q, 7), "requirements", store_text(q, 8), "deadline",
                      store_text(q, 9));
        n->unit_id = store_int(q, 0);
        n->task_no = store_null(q, 3) ? 0 : store_int(q, 3);
        n->level = (enum sv_level)store_int(q, 10);
    }
    store_done(q);
    if (!o) return NULL;
    if (!sv_subject_parse(json_string_value(json_object_get(o, "subject")), &n->subject))
        n->subject = SV_SUBJECT_TASK;
    n->plan = json_string_value(json_object_get(o, "plan"));
    n->obligation = json_string_value(json_object_get(o, "obligation"));
    n->period_start = json_string_value(json_object_get(o, "period_start"));
    n->period_end = json_string_value(json_object_get(o, "period_end"));
    n->title = json_string_value(json_object_get(o, "title"));
    n->requirements = json_string_value(json_object_get(o, "requirements"));
    n->deadline = json_string_value(json_object_get(o, "deadline"));
    return o;
}

/* ---- transitions ---- */

enum err sv_notice_issue(struct store *db, long long id, const char *note,
                         const struct sv_actor *by, long long now, struct problem *p)
{
    struct sv_state s;
    enum sv_stage to;
    enum err e = claim(db, id, SV_ISSUE, &s, &to, p);
    if (e != OK) return e;
    enum err se;
    const char *unsigned_why =
        sv_signoff_refusal(SV_ISSUE, sv_signoff_required(db), s.signoff, 0, 0, &se);
    if (unsigned_why) return problem_set(p, se, NULL, "%s", unsigned_why);
    int dl, today = today_of(now);
    if (!date_parse(s.deadline, &dl) || dl < today) {
        char cn[DATE_CN_LEN] = "";
        if (date_parse(s.deadline, &dl)) date_format_cn(dl, cn);
        return problem_set(p, ERR_RULE, "deadline", "办理期限%s已过，请先修改办理期限再下发", cn);
    }
    int year;
    long long seq; /* 文号: the office's prefix, the year's next number (notice_doc.c) */
    if ((e = sv_notice_number(db, today, &year, &seq, s.doc_no, sizeof s.doc_no)) != OK) return e;
    e = store_do(db,
                 "UPDATE notices SET stage = 'issued', doc_year = ?, doc_seq = ?, doc_no = ?,"
                 " issued_at = ?, updated_at = ? WHERE id = ? AND stage = 'drafted'",
                 "iitiii", (long long)year, seq, s.doc_no, now, now, id);
    if (e != OK) return e;
    if (store_changes(db) != 1) return moved(db, p);
    if ((e = history(db, id, by, now, "issue", to, s.level, note, NULL)) != OK) return e;
    /* Who signs: the unit's unit_admin, or its reporters when it has none (sv_signer_roles). */
    role_set signers = sv_signer_roles(db, s.unit_id);
    char title[600], key[64];
    item_title(title, sizeof title, "新督办单待签收：", &s);
    snprintf(key, sizeof key, "notice:%lld:sign", id);
    return inbox_for_unit(db, &s, signers, "notice_sign", title, key, now);
}

/* Records the escalation to level once (by its dedupe key). */
static enum err record_level(struct store *db, const struct sv_state *s, enum sv_level level,
                             const struct sv_actor *by, long long now, const char *note)
{
    char key[64];
    snprintf(key, sizeof key, "notice:%lld:level:%d", s->id, (int)level);
    return history(db, s->id, by, now, "escalate", s->stage, level, note, key);
}

enum err sv_notice_catch_up(struct store *db, long long id, long long now, bool *changed)
{
    *changed = false;
    struct sv_state s;
    enum err e = sv_notice_state(db, id, &s);
    if (e != OK || !sv_stage_pending(s.stage)) return e;
    int dl, ans = SV_NO_DAY, today = today_of(now);
    if (!date_parse(s.deadline, &dl)) return OK;
    if (s.answered_date[0]) date_parse(s.answered_date, &ans);
    enum sv_level want = sv_level_at(s.base_level, dl, ans, today);
    if (want <= s.level) return OK;
    e = store_do(db, "UPDATE notices SET level = ?, updated_at = ? WHERE id = ? AND level = ?",
                 "iiii", (long long)want, now, id, (long long)s.level);
    if (e != OK || store_changes(db) != 1) return e; /* another tick did it */
    *changed = true;
    char note[160];
    snprintf(note, sizeof note, "逾期 %d 天，自动升级为%s督办", sv_overdue_days(dl, ans, today),
             sv_level_label(want));
    struct sv_actor sys = {0, "系统"};
    if ((e = record_level(db, &s, want, &sys, now, note)) != OK) return e;
    if (want == SV_RED) {
        char title[600], key[64];
        item_title(title, sizeof title, "督办单升级为红色：", &s);
        snprintf(key, sizeof key, "notice:%lld:red", id);
        e = inbox_for_unit(db, &s, UNIT_STAFF, "notice_escalated", title, key, now);
    }
    return e;
}

enum err sv_notice_sign(struct store *db, long long id, const char *note, const struct sv_actor *by,
                        long long now, struct problem *p)
{
    bool ch;
    enum err e = sv_notice_catch_up(db, id, now, &ch);
    struct sv_state s;
    enum sv_stage to;
    if (e == OK) e = claim(db, id, SV_SIGN, &s, &to, p);
    if (e != OK) return e;
    e = store_do(db,
                 "UPDATE notices SET stage = 'signed', signed_at = ?, signed_by_name = ?,"
                 " updated_at = ? WHERE id = ? AND stage = 'issued'",
                 "itii", now, by->name ? by->name : "", now, id);
    if (e != OK) return e;
    if (store_changes(db) != 1) return moved(db, p);
    if ((e = history(db, id, by, now, "sign", to, s.level, note, NULL)) != OK) return e;
    char key[64];
    snprintf(key, sizeof key, "notice:%lld:sign", id);
    if ((e = inbox_done_key(db, key, by->user_id, now)) != OK) return e;
    /* Whoever may answer (the unit's staff, PERM_NOTICE_HANDLE) has it in 待办 until answered
     * (sv_notice_answer settles every "notice:<id>:" item). */
    char title[600];
    item_title(title, sizeof title, "督办单待反馈：", &s);
    snprintf(key, sizeof key, "notice:%lld:answer", id);
    return inbox_for_unit(db, &s, UNIT_STAFF, "notice_answer", title, key, now);
}

/* signed → in progress (the first evidence); a no-op otherwise. */
static enum err start(struct store *db, struct sv_state *s, const struct sv_actor *by,
                      long long now, struct problem *p)
{
    if (s->stage != SV_SIGNED) return OK;
    enum err e = store_do(db,
                          "UPDATE notices SET stage = 'in_progress', started_at = ?, updated_at = ?"
                          " WHERE id = ? AND stage = 'signed'",
                          "iii", now, now, s->id);
    if (e != OK) return e;
    if (store_changes(db) != 1) return moved(db, p);
    s->stage = SV_IN_PROGRESS;
    return history(db, s->id, by, now, "start", SV_IN_PROGRESS, s->level, NULL, NULL);
}

enum err sv_notice_answer(struct store *db, long long id, const char *progress,
                          const char *difficulties, const char *next_steps,
                          const struct sv_actor *by, long long now, struct problem *p)
{
    bool ch;
    enum err e = sv_notice_catch_up(db, id, now, &ch);
    struct sv_state s;
    enum sv_stage to;
    if (e == OK) e = claim(db, id, SV_ANSWER, &s, &to, p);
    if (e != OK) return e;
    char today[11];
    date_format(today_of(now), today);
    long long round = s.round + 1;
    e = store_do(db,
                 "UPDATE notices SET stage = 'answered', answered_date = ?, answered_at = ?,"
                 " rounds = ?, updated_at = ? WHERE id = ? AND stage = ?",
                 "tiiiit", today, now, round, now, id, stage_s(s.stage));
    if (e != OK) return e;
    if (store_changes(db) != 1) return moved(db, p);
    e = store_do(db,
                 "INSERT INTO notice_answers(notice_id, round, progress, difficulties, next_steps,"
                 " answered_date, answered_at, user_id, user_name) VALUES (?,?,?,?,?,?,?,?,?)",
                 "iittttiIt", id, round, progress, difficulties ? difficulties : "", next_steps,
                 today, now, by->user_id, by->name ? by->name : "");
    char note[64];
    snprintf(note, sizeof note, "第 %lld 次反馈", round);
    if (e == OK) e = history(db, id, by, now, "answer", to, s.level, note, NULL);
    /* The unit's open items about this notice are settled; the office reviews. */
    char prefix[48], key[64], title[600];
    snprintf(prefix, sizeof prefix, "notice:%lld:", id);
    if (e == OK) e = inbox_done_prefix(db, prefix, by->user_id, now);
    snprintf(key, sizeof key, "notice:%lld:review:%lld", id, round);
    item_title(title, sizeof title, "督办反馈待复核：", &s);
    char link[40];
    struct inbox_item it = {.to = {.roles = 1u << ROLE_OFFICE},
                            .kind = "notice_review",
                            .title = title,
                            .link = link_of(id, link, sizeof link),
                            .due = NULL,
                            .dedupe_key = key};
    if (e == OK) e = inbox_add(db, &it, now, NULL);
    return e;
}

enum err sv_may_review(struct store *db, long long id, long long user_id, bool *may)
{
    /* Four eyes: whoever signed, answered or added evidence to this notice never reviews it. */
    struct store_stmt *q =
        store_q(db,
                "SELECT 1 FROM notice_history WHERE notice_id = ? AND user_id = ?"
                " AND action IN ('sign', 'answer', 'evidence_add', 'evidence_replace',"
                " 'evidence_remove') LIMIT 1",
                "ii", id, user_id);
    bool handled = store_row(q);
    store_done(q);
    *may = !handled;
    return store_err(db);
}

enum err sv_notice_review(struct store *db, long long id, bool accept, const char *reason,
                          const struct sv_actor *by, long long now, struct problem *p)
{
    struct sv_state s;
    enum sv_stage to;
    enum err e = claim(db, id, accept ? SV_ACCEPT : SV_RETURN, &s, &to, p);
    if (e != OK) return e;
    bool may;
    if ((e = sv_may_review(db, id, by->user_id, &may)) != OK) return e;
    if (!may)
        return problem_set(p, ERR_FORBIDDEN, "id",
                           "四眼原则：您签收、反馈或补充过这份督办单，须由他人复核");
    if (accept)
        e = store_do(db,
                     "UPDATE notices SET stage = 'closed', closed_at = ?, updated_at = ?"
                     " WHERE id = ? AND stage = 'answered'",
                     "iii", now, now, id);
    else
        e = store_do(db,
                     "UPDATE notices SET stage = 'in_progress', answered_date = NULL,"
                     " updated_at = ? WHERE id = ? AND stage = 'answered'",
                     "ii", now, id);
    if (e != OK) return e;
    if (store_changes(db) != 1) return moved(db, p);
    e = store_do(db,
                 "UPDATE notice_answers SET decision = ?, reason = ?, reviewed_at = ?,"
                 " reviewer_id = ?, reviewer_name = ? WHERE notice_id = ? AND round = ?",
                 "ttiItii", accept ? "accept" : "return", reason && *reason ? reason : NULL, now,
                 by->user_id, by->name ? by->name : "", id, s.round);
    if (e == OK)
        e = history(db, id, by, now, accept ? "accept" : "return", to, s.level, reason, NULL);
    char key[64];
    snprintf(key, sizeof key, "notice:%lld:review:%lld", id, s.round);
    if (e == OK) e = inbox_done_key(db, key, by->user_id, now);
    if (e == OK && !accept) {
        char title[600];
        item_title(title, sizeof title, "督办反馈被退回：", &s);
        snprintf(key, sizeof key, "notice:%lld:returned:%lld", id, s.round);
        e = inbox_for_unit(db, &s, UNIT_STAFF, "notice_returned", title, key, now);
    }
    if (e == OK && accept) {
        char prefix[48];
        snprintf(prefix, sizeof prefix, "notice:%lld:", id);
        e = inbox_done_prefix(db, prefix, by->user_id, now);
    }
    return e;
}

enum err sv_notice_escalate(struct store *db, long long id, const char *note,
                            const struct sv_actor *by, long long now, struct problem *p)
{
    bool ch;
    enum err e = sv_notice_catch_up(db, id, now, &ch);
    struct sv_state s;
    enum sv_stage to;
    if (e == OK) e = claim(db, id, SV_ESCALATE, &s, &to, p);
    if (e != OK) return e;
    if (s.level >= SV_RED)
        return problem_set(p, ERR_CONFLICT, NULL, "督办单已是最高的红色督办，不能再升级");
    enum sv_level next = (enum sv_level)(s.level + 1);
    e = store_do(
        db,
        "UPDATE notices SET base_level = ?, level = ?, updated_at = ? WHERE id = ? AND level = ?",
        "iiiii", (long long)next, (long long)next, now, id, (long long)s.level);
    if (e != OK) return e;
    if (store_changes(db) != 1) return moved(db, p);
    char full[SV_NOTE_MAX * 4 + 64];
    snprintf(full, sizeof full, "人工升级为%s督办%s%s", sv_level_label(next),
             note && *note ? "：" : "", note ? note : "");
    if ((e = record_level(db, &s, next, by, now, full)) != OK) return e;
    if (next == SV_RED) {
        char title[600], key[64];
        item_title(title, sizeof title, "督办单升级为红色：", &s);
        snprintf(key, sizeof key, "notice:%lld:red", id);
        e = inbox_for_unit(db, &s, UNIT_STAFF, "notice_escalated", title, key, now);
    }
    return e;
}

/* ---- 签批 ---- */

bool sv_signoff_required(struct store *db)
{
    char v[8] = "";
    bool found = false;
    return setting_get(db, SV_SIGNOFF_SETTING, v, sizeof v, &found) == OK && found &&
           strcmp(v, "1") == 0;
}

enum err sv_signoff_required_set(struct store *db, bool on, long long by, long long now)
{
    return setting_put(db, SV_SIGNOFF_SETTING, on ? "1" : "0", by, now);
}

enum err sv_notice_signoff_request(struct store *db, long long id, const char *note,
                                   const struct sv_actor *by, long long now, struct problem *p)
{
    struct sv_state s;
    enum sv_stage to;
    enum err e = claim(db, id, SV_SIGNOFF_REQUEST, &s, &to, p), se;
    if (e != OK) return e;
    const char *why = sv_signoff_refusal(SV_SIGNOFF_REQUEST, sv_signoff_required(db), s.signoff,
                                         by->user_id, s.signoff_requested_by, &se);
    if (why) return problem_set(p, se, NULL, "%s", why);
    e = store_do(db,
                 "UPDATE notices SET signoff_state = 'requested', signoff_requested_by = ?,"
                 " signoff_requested_by_name = ?, signoff_requested_at = ?, signoff_by_name = NULL,"
                 " signoff_at = NULL, signoff_note = NULL, updated_at = ?"
                 " WHERE id = ? AND stage = 'drafted'",
                 "Itiii", by->user_id, by->name ? by->name : "", now, now, id);
    if (e != OK) return e;
    if (store_changes(db) != 1) return moved(db, p);
    if ((e = history(db, id, by, now, "signoff_request", s.stage, s.level, note, NULL)) != OK)
        return e;
    char title[600], key[64], link[40];
    item_title(title, sizeof title, "督办单待签批：", &s);
    snprintf(key, sizeof key, "notice:%lld:signoff:%lld", id, now);
    struct inbox_item it = {.to = {.roles = 1u << ROLE_LEADER},
                            .kind = "notice_signoff",
                            .title = title,
                            .link = link_of(id, link, sizeof link),
                            .due = NULL,
                            .dedupe_key = key};
    return inbox_add(db, &it, now, NULL);
}

enum err sv_notice_signoff(struct store *db, long long id, bool approve, const char *note,
                           const struct sv_actor *by, long long now, struct problem *p)
{
    struct sv_state s;
    enum sv_stage to;
    enum sv_action a = approve ? SV_SIGNOFF : SV_SIGNOFF_RETURN;
    enum err e = claim(db, id, a, &s, &to, p), se;
    if (e != OK) return e;
    const char *why = sv_signoff_refusal(a, sv_signoff_required(db), s.signoff, by->user_id,
                                         s.signoff_requested_by, &se);
    if (why) return problem_set(p, se, "id", "%s", why);
    if (!approve && (!note || !*note))
        return problem_set(p, ERR_RULE, "reason", "退回签批时须填写理由");
    e = store_do(db,
                 "UPDATE notices SET signoff_state = ?, signoff_by_name = ?, signoff_at = ?,"
                 " signoff_note = ?, updated_at = ?"
                 " WHERE id = ? AND stage = 'drafted' AND signoff_state = 'requested'",
                 "ttitii", approve ? "approved" : "returned", by->name ? by->name : "", now,
                 note && *note ? note : NULL, now, id);
    if (e != OK) return e;
    if (store_changes(db) != 1) return moved(db, p);
    e = history(db, id, by, now, approve ? "signoff" : "signoff_return", s.stage, s.level, note,
                NULL);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "notice:%lld:signoff:", id);
    if (e == OK) e = inbox_done_prefix(db, prefix, by->user_id, now);
    if (e == OK && !approve && s.signoff_requested_by) {
        char title[600], key[80], link[40];
        item_title(title, sizeof title, "督办单签批被退回：", &s);
        snprintf(key, sizeof key, "notice:%lld:signoff_returned:%lld", id, now);
        struct inbox_item it = {.to = {.user_id = s.signoff_requested_by},
                                .kind = "notice_signoff_returned",
                                .title = title,
                                .link = link_of(id, link, sizeof link),
                                .due = NULL,
                                .dedupe_key = key};
        e = inbox_add(db, &it, now, NULL);
    }
    return e;
}

/* ---- 催办 ---- */

enum err sv_last_urge(struct store *db, long long id, long long *at)
{
    struct store_stmt *q = store_q(
        db, "SELECT MAX(at) FROM notice_history WHERE notice_id = ? AND action = 'urge'", "i", id);
    *at = store_row(q) && !store_null(q, 0) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

enum err sv_notice_urge(struct store *db, long long id, const char *note, const struct sv_actor *by,
                        long long now, struct problem *p)
{
    bool ch;
    enum err e = sv_notice_catch_up(db, id, now, &ch);
    struct sv_state s;
    enum sv_stage to;
    if (e == OK) e = claim(db, id, SV_URGE, &s, &to, p);
    if (e != OK) return e;
    long long last;
    if ((e = sv_last_urge(db, id, &last)) != OK) return e;
    int dl;
    char why[200];
    if (!date_parse(s.deadline, &dl)) dl = today_of(now);
    if (!sv_urge_allowed(dl, today_of(now), last, now, why, sizeof why))
        return problem_set(p, ERR_CONFLICT, NULL, "%s", why);
    if ((e = history(db, id, by, now, "urge", s.stage, s.level, note, NULL)) != OK) return e;
    char title[600], key[64];
    item_title(title, sizeof title, "督办单催办：", &s);
    snprintf(key, sizeof key, "notice:%lld:urge:%lld", id, now);
    return inbox_for_unit(db, &s, UNIT_STAFF, "notice_urge", title, key, now);
}

/* ---- evidence: bytes in the shared content-addressed file store (store/files.h) ---- */

enum err sv_evidence_put(struct store *db, long long id, const char *name, const char *type,
                         const void *data, size_t len, const struct sv_actor *by, long long now,
                         bool *created, char hash[65], struct problem *p)
{
    struct sv_state s;
    enum sv_stage to;
    enum err e = claim(db, id, SV_EVIDENCE, &s, &to, p);
    if (e != OK) return e;
    struct store_stmt *q =
        store_q(db,
                "SELECT (SELECT COUNT(*) FROM notice_evidence WHERE notice_id = ?),"
                " (SELECT COUNT(*) FROM notice_evidence WHERE notice_id = ? AND name = ?)",
                "iit", id, id, name);
    long long count = 0, same = 0;
    if (store_row(q)) count = store_int(q, 0), same = store_int(q, 1);
    store_done(q);
    if (store_err(db)) return store_err(db);
    *created = same == 0;
    if (*created && count >= SV_EVIDENCE_PER_NOTICE)
        return problem_set(p, ERR_RULE, "name", "每份督办单最多 %d 个佐证材料",
                           SV_EVIDENCE_PER_NOTICE);
    if ((e = start(db, &s, by, now, p)) != OK) return e;
    if ((e = files_put(db, data, len, type, now, hash)) != OK) return e;
    e = store_do(
        db,
        "INSERT INTO notice_evidence(notice_id, name, file_hash, content_type, size, added_by,"
        " added_name, added_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (notice_id, name) DO UPDATE"
        " SET file_hash = excluded.file_hash, content_type = excluded.content_type,"
        " size = excluded.size, added_by = excluded.added_by, added_name = excluded.added_name,"
        " added_at = excluded.added_at",
        "itttiIti", id, name, hash, type, (long long)len, by->user_id, by->name ? by->name : "",
        now);
    if (e != OK) return e;
    char note[600];
    snprintf(note, sizeof note, "%s（%s，%zu 字节）", name, type, len);
    e = store_do(db, "UPDATE notices SET updated_at = ? WHERE id = ?", "ii", now, id);
    return e != OK ? e
                   : history(db, id, by, now, *created ? "evidence_add" : "evidence_replace",
                             s.stage, s.level, note, NULL);
}

enum err sv_evidence_delete(struct store *db, long long id, const char *name,
                            const struct sv_actor *by, long long now, struct problem *p)
{
    struct sv_state s;
    enum sv_stage to;
    enum err e = claim(db, id, SV_EVIDENCE, &s, &to, p);
    if (e != OK) return e;
    e = store_do(db, "DELETE FROM notice_evidence WHERE notice_id = ? AND name = ?", "it", id,
                 name);
    if (e != OK) return e;
    if (store_changes(db) != 1) return problem_set(p, ERR_NOT_FOUND, "name", "佐证材料不存在");
    return history(db, id, by, now, "evidence_remove", s.stage, s.level, name, NULL);
}

enum err sv_evidence_get(struct store *db, long long id, const char *name,
                         void *(*alloc)(void *ctx, size_t n), void *ctx, const void **data,
                         size_t *len, const char **type)
{
    struct store_stmt *q =
        store_q(db, "SELECT file_hash FROM notice_evidence WHERE notice_id = ? AND name = ?", "it",
                id, name);
    char hash[CRYPTO_HASH_HEX] = "";
    if (store_row(q)) snprintf(hash, sizeof hash, "%s", store_text(q, 0));
    store_done(q);
    if (store_err(db)) return store_err(db);
    return hash[0] ? files_get(db, hash, alloc, ctx, data, len, type) : ERR_NOT_FOUND;
}

/* ---- renderings ---- */

static json_t *by_json(struct store_stmt *q, int id_col, int name_col)
{
    if (store_null(q, id_col) && !store_text(q, name_col)) return json_null();
    return json_pack("{s:o,s:s}", "id",
                     store_null(q, id_col) ? json_null() : json_integer(store_int(q, id_col)),
                     "name", store_text(q, name_col) ? store_text(q, name_col) : "");
}

static json_t *ts(struct store_stmt *q, int col)
{
    return store_null(q, col) ? json_null() : json_integer(store_int(q, col));
}

static json_t *level_json_pair(json_t *o, const char *key, long long l)
{
    json_object_set_new(o, key, json_string(sv_level_name((enum sv_level)l)));
    char lk[32];
    snprintf(lk, sizeof lk, "%s_label", key);
    json_object_set_new(o, lk, json_string(sv_level_label((enum sv_level)l)));
    return o;
}

static int overdue_now(const char *stage, const char *deadline, const char *answered, long long now)
{
    enum sv_stage st;
    int dl, ans = SV_NO_DAY;
    if (!sv_stage_parse(stage, &st) || !date_parse(deadline, &dl)) return 0;
    if (st == SV_DRAFTED || st == SV_CLOSED) return 0;
    if (answered) date_parse(answered, &ans);
    return sv_overdue_days(dl, ans, today_of(now));
}

/* The notice's own fields from its row q of notices, as of now. */
static json_t *notice_fields(struct store_stmt *q, long long now)
{
    enum sv_stage st = SV_DRAFTED;
    sv_stage_parse(store_text(q, 13), &st);
    int late = overdue_now(store_text(q, 13), store_text(q, 12), store_text(q, 16), now);
    json_t *o = json_pack(
        "{s:I,s:s?,s:s,s:s,s:o,s:s?,s:o,s:s,s:s,s:s,s:s,s:s,s:i,s:b,s:s?,s:I,"
        "s:o,s:I,s:I}",
        "id", store_int(q, 0), "doc_no", store_text(q, 1), "subject", store_text(q, 4), "plan",
        store_text(q, 5), "task", store_null(q, 6) ? json_null() : json_integer(store_int(q, 6)),
        "obligation", store_text(q, 7), "period",
        store_null(q, 8)
            ? json_null()
            : json_pack("{s:s,s:s}", "start", store_text(q, 8), "end", store_text(q, 9)),
        "title", store_text(q, 10), "requirements", store_text(q, 11), "deadline",
        store_text(q, 12), "stage", store_text(q, 13), "stage_label", sv_stage_label(st),
        "overdue_days", late, "overdue", late > 0 && sv_stage_pending(st), "answered_date",
        store_text(q, 16), "rounds", store_int(q, 17), "created_by", by_json(q, 18, 19),
        "created_at", store_int(q, 20), "updated_at", store_int(q, 21));
    level_json_pair(o, "level", store_int(q, 15));
    level_json_pair(o, "base_level", store_int(q, 14));
    json_object_set_new(o, "stages",
                        json_pack("{s:I,s:o,s:o,s:o,s:o,s:o}", "drafted", store_int(q, 20),
                                  "issued", ts(q, 22), "signed", ts(q, 23), "in_progress",
                                  ts(q, 25), "answered", ts(q, 26), "closed", ts(q, 27)));
    json_object_set_new(o, "signed_by_name",
                        store_text(q, 24) ? json_string(store_text(q, 24)) : json_null());
    json_object_set_new(o, "parent_unit_id",
                        store_null(q, 3) ? json_null() : json_integer(store_int(q, 3)));
    return o;
}

/* The notice id's own fields (NULL when there is none); *unit_id gets its unit. */
static json_t *notice_head(struct store *db, long long id, long long now, long long *unit_id)
{
    struct store_stmt *q = store_q(
        db,
        "SELECT id, doc_no, unit_id, parent_unit_id, subject, plan_code, task_no, obligation_key,"
        " period_start, period_end, title, requirements, deadline, stage, base_level, level,"
        " answered_date, rounds, created_by, created_by_name, created_at, updated_at, issued_at,"
        " signed_at, signed_by_name, started_at, answered_at, closed_at FROM notices WHERE id = ?",
        "i", id);
    json_t *o = NULL;
    if (store_row(q)) {
        *unit_id = store_int(q, 2);
        o = notice_fields(q, now);
    }
    store_done(q);
    return o;
}

/* The notice's unit as {id, key, code, name}, or null. */
static json_t *notice_unit(struct store *db, long long unit_id)
{
    struct unit u;
    if (unit_get(db, unit_id, &u) != OK) return json_null();
    return json_pack("{s:I,s:s,s:s?,s:s}", "id", (json_int_t)u.id, "key", u.key, "code",
                     u.code[0] ? u.code : NULL, "name", u.name);
}

/* The unit's answers, latest round first, each with its review; *reviewed gets the time of the
 * latest review (复核), whatever it decided, or null. */
static json_t *notice_answers(struct store *db, long long id, json_t **reviewed)
{
    json_t *answers = json_array();
    struct store_stmt *q =
        store_q(db,
                "SELECT round, progress, difficulties, next_steps, answered_date, answered_at,"
                " user_id, user_name, decision, reason, reviewed_at, reviewer_id, reviewer_name"
                " FROM notice_answers WHERE notice_id = ? ORDER BY round DESC",
                "i", id);
    *reviewed = json_null();
    while (store_row(q)) {
        if (store_text(q, 8) && json_is_null(*reviewed)) *reviewed = json_integer(store_int(q, 10));
        json_t *a = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:o}", "round", store_int(q, 0), "progress",
                              store_text(q, 1), "difficulties", store_text(q, 2), "next_steps",
                              store_text(q, 3), "answered_date", store_text(q, 4), "answered_at",
                              store_int(q, 5), "by", by_json(q, 6, 7));
        json_object_set_new(a, "review",
                            store_text(q, 8)
                                ? json_pack("{s:s,s:s?,s:I,s:o}", "decision", store_text(q, 8),
                                            "reason", store_text(q, 9), "at", store_int(q, 10),
                                            "by", by_json(q, 11, 12))
                                : json_null());
        json_array_append_new(answers, a);
    }
    store_done(q);
    return answers;
}

/* The notice's evidence files, oldest first. */
static json_t *notice_evidence(struct store *db, long long id)
{
    json_t *ev = json_array();
    struct store_stmt *q =
        store_q(db,
                "SELECT name, content_type, size, file_hash, added_at, added_by, added_name"
                " FROM notice_evidence WHERE notice_id = ? ORDER BY added_at, name",
                "i", id);
    while (store_row(q))
        json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:I,s:s,s:I,s:o}", "name",
                                            store_text(q, 0), "content_type", store_text(q, 1),
                                            "type_label", filetype_label(store_text(q, 1)), "size",
                                            store_int(q, 2), "hash", store_text(q, 3), "added_at",
                                            store_int(q, 4), "added_by", by_json(q, 5, 6)));
    store_done(q);
    return ev;
}

/* The notice's history, in order. */
static json_t *notice_history(struct store *db, long long id)
{
    json_t *hist = json_array();
    struct store_stmt *q =
        store_q(db,
                "SELECT id, at, user_id, user_name, action, stage, level, note FROM notice_history"
                " WHERE notice_id = ? ORDER BY id",
                "i", id);
    while (store_row(q)) {
        enum sv_stage st = SV_DRAFTED;
        sv_stage_parse(store_text(q, 5), &st);
        const char *action = store_text(q, 4), *label = sv_history_label(action);
        json_t *h = json_pack("{s:I,s:I,s:o,s:s,s:s,s:s,s:s,s:s?}", "id", store_int(q, 0), "at",
                              store_int(q, 1), "by", by_json(q, 2, 3), "action", action,
                              "action_label", label ? label : action, "stage", store_text(q, 5),
                              "stage_label", sv_stage_label(st), "note", store_text(q, 7));
        level_json_pair(h, "level", store_int(q, 6));
        json_array_append_new(hist, h);
    }
    store_done(q);
    return hist;
}

/* Sets the notice's "returned" (in progress again after its latest answer was returned) and its
 * stage "path" (sv_path) from its stage, answers and the times in its "stages". */
static void notice_path(json_t *o)
{
    enum sv_stage st = SV_DRAFTED;
    sv_stage_parse(json_string_value(json_object_get(o, "stage")), &st);
    json_t *review = json_object_get(json_array_get(json_object_get(o, "answers"), 0), "review");
    const char *decision = json_string_value(json_object_get(review, "decision"));
    bool returned = st == SV_IN_PROGRESS && decision && strcmp(decision, "return") == 0;
    json_object_set_new(o, "returned", json_boolean(returned));
    json_t *times = json_object_get(o, "stages");
    long long at[SV__STEPS] = {0};
    struct sv_path_step steps[SV__STEPS];
    sv_path(st, returned, at, steps); /* for the keys */
    for (int i = 0; i < SV__STEPS; i++)
        at[i] = json_integer_value(json_object_get(times, steps[i].key));
    sv_path(st, returned, at, steps);
    json_t *path = json_array();
    for (int i = 0; i < SV__STEPS; i++)
        json_array_append_new(path,
                              json_pack("{s:s,s:s,s:s,s:o,s:s?}", "key", steps[i].key, "label",
                                        steps[i].label, "state", sv_step_state_name(steps[i].state),
                                        "at", steps[i].at ? json_integer(steps[i].at) : json_null(),
                                        "note", steps[i].note));
    json_object_set_new(o, "path", path);
}

/* The description (title) of the plan's duty key, as people read it in place of the key; NULL
 * when the plan or the duty is gone. */
static json_t *duty_title(struct store *db, const char *plan_code, const char *key)
{
    struct plan_row plan;
    struct problem pr = {0};
    long long oid;
    if (!plan_code || !key || plan_find_published(db, plan_code, &plan) != OK ||
        plan_item_find(db, &plan, PLAN_OBLIGATION, key, &oid, &pr) != OK)
        return json_null();
    json_t *item = plan_item_json(db, PLAN_OBLIGATION, oid);
    json_t *t = json_object_get(item, "title");
    json_t *out = json_is_string(t) ? json_string(json_string_value(t)) : json_null();
    json_decref(item);
    return out;
}

/* {required, state, state_label, requested_by: {name}, requested_at, by: {name}, at, note}: the
 * leader's 签批 of the notice; *_by and *_at null when not yet. */
static json_t *notice_signoff(struct store *db, long long id)
{
    struct store_stmt *q =
        store_q(db,
                "SELECT signoff_state, signoff_requested_by_name,"
                " signoff_requested_at, signoff_by_name, signoff_at, signoff_note"
                " FROM notices WHERE id = ?",
                "i", id);
    json_t *o = json_object();
    json_object_set_new(o, "required", json_boolean(sv_signoff_required(db)));
    if (store_row(q)) {
        enum sv_signoff st = sv_signoff_parse(store_text(q, 0));
        json_object_set_new(o, "state", json_string(sv_signoff_name(st)));
        json_object_set_new(o, "state_label", json_string(sv_signoff_label(st)));
        json_object_set_new(o, "requested_by",
                            store_text(q, 1) ? json_pack("{s:s}", "name", store_text(q, 1))
                                             : json_null());
        json_object_set_new(o, "requested_at",
                            store_null(q, 2) ? json_null() : json_integer(store_int(q, 2)));
        json_object_set_new(
            o, "by", store_text(q, 3) ? json_pack("{s:s}", "name", store_text(q, 3)) : json_null());
        json_object_set_new(o, "at",
                            store_null(q, 4) ? json_null() : json_integer(store_int(q, 4)));
        json_object_set_new(o, "note",
                            store_text(q, 5) ? json_string(store_text(q, 5)) : json_null());
    }
    store_done(q);
    return o;
}

json_t *sv_notice_json(struct store *db, long long id, long long now)
{
    long long unit_id = 0;
    json_t *o = notice_head(db, id, now, &unit_id);
    if (!o) return NULL;
    json_object_set_new(o, "obligation_title",
                        duty_title(db, json_string_value(json_object_get(o, "plan")),
                                   json_string_value(json_object_get(o, "obligation"))));
    json_object_set_new(o, "unit", notice_unit(db, unit_id));
    json_t *reviewed;
    json_object_set_new(o, "answers", notice_answers(db, id, &reviewed));
    json_object_set_new(json_object_get(o, "stages"), "reviewed", reviewed);
    notice_path(o);
    json_object_set_new(o, "evidence", notice_evidence(db, id));
    json_object_set_new(o, "history", notice_history(db, id));
    json_object_set_new(o, "signoff", notice_signoff(db, id));
    if (store_err(db)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ---- list ---- */

/* The list's WHERE (after the cursor id) and its bound values: the filters of struct
 * sv_filter; q matches title, requirements or 文号 (a LIKE pattern, escaped with '!') or the
 * notice's unit (or its parent) among f->search_units (",3,17,"). */
#define LIST_WHERE                                                                                 \
    " WHERE id < ?"                                                                                \
    " AND (CAST(? AS BIGINT) = 0 OR unit_id = ? OR parent_unit_id = ?)"                            \
    " AND (CAST(? AS BIGINT) = 0 OR ((unit_id = ? OR parent_unit_id = ?) AND stage <> "            \
    "'drafted'))"                                                                                  \
    " AND (CAST(? AS TEXT) IS NULL OR stage = ?)"                                                  \
    " AND (CAST(? AS BIGINT) < 0 OR level = ?)"                                                    \
    " AND (CAST(? AS BIGINT) < 0 OR (CASE WHEN stage IN ('issued', 'signed', 'in_progress')"       \
    "      AND deadline < ? THEN 1 ELSE 0 END) = ?)"                                               \
    " AND (CAST(? AS BIGINT) = 0 OR task_no = ?)"                                                  \
    " AND (CAST(? AS TEXT) IS NULL OR plan_code = ?)"                                              \
    " AND (CAST(? AS TEXT) IS NULL OR LOWER(title) LIKE LOWER(?) ESCAPE '!'"                       \
    "  OR LOWER(requirements) LIKE LOWER(?) ESCAPE '!' OR doc_no LIKE ? ESCAPE '!'"                \
    "  OR CAST(? AS TEXT) LIKE ('%,' || CAST(unit_id AS TEXT) || ',%')"                            \
    "  OR CAST(? AS TEXT) LIKE ('%,' || CAST(parent_unit_id AS TEXT) || ',%'))"
#define LIST_FMT "iiiiiiittiiitiiitttttttt"
#define LIST_ARGS(f, after, stage, today, like)                                                    \
    (after) > 0 ? (after) : (long long)(~0ULL >> 1), (f)->unit, (f)->unit, (f)->unit,              \
        (f)->scope_unit, (f)->scope_unit, (f)->scope_unit, stage, stage, (long long)(f)->level,    \
        (long long)(f)->level, (long long)(f)->overdue, today, (long long)(f)->overdue, (f)->task, \
        (f)->task, (f)->plan, (f)->plan, like, like, like, like, (f)->search_units,                \
        (f)->search_units

enum err sv_notice_count(struct store *db, const struct sv_filter *f, long long now,
                         long long *total)
{
    char today[11];
    date_format(today_of(now), today);
    const char *stage = f->stage >= 0 ? sv_stage_name((enum sv_stage)f->stage) : NULL;
    char *like = store_like(f->search, true);
    struct store_stmt *q = store_q(db, "SELECT COUNT(*) FROM notices" LIST_WHERE, LIST_FMT,
                                   LIST_ARGS(f, 0LL, stage, today, like));
    *total = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    free(like);
    return store_err(db);
}

enum err sv_notice_list(struct store *db, const struct sv_filter *f, long long after,
                        long long limit, long long now, struct jw *w, long long *n, long long *last)
{
    *n = 0;
    *last = 0;
    char today[11];
    date_format(today_of(now), today);
    const char *stage = f->stage >= 0 ? sv_stage_name((enum sv_stage)f->stage) : NULL;
    char *like = store_like(f->search, true);
    struct store_stmt *q = store_q(
        db,
        "SELECT id, doc_no, unit_id, subject, plan_code, task_no, obligation_key, title, deadline,"
        " stage, level, answered_date, rounds, issued_at, created_at, updated_at FROM "
        "notices" LIST_WHERE " ORDER BY id DESC LIMIT ?",
        LIST_FMT "i", LIST_ARGS(f, after, stage, today, like), limit);
    struct work_units *units = NULL;
    while (store_row(q)) {
        enum sv_stage st = SV_DRAFTED;
        sv_stage_parse(store_text(q, 9), &st);
        long long uid = store_int(q, 2);
        const struct work_unit_label *u = work_unit_label(&units, db, uid);
        int late = overdue_now(store_text(q, 9), store_text(q, 8), store_text(q, 11), now);
        enum sv_level lv = (enum sv_level)store_int(q, 10);
        (*n)++;
        *last = store_int(q, 0);
        jw_obj(w);
        jw_kint(w, "id", store_int(q, 0));
        jw_kstr(w, "doc_no", store_text(q, 1));
        jw_key(w, "unit");
        jw_obj(w);
        jw_kint(w, "id", uid);
        jw_kstr(w, "key", u ? u->key : NULL);
        jw_kstr(w, "code", u ? u->code : NULL);
        jw_kstr(w, "name", u ? u->name : NULL);
        jw_obj_end(w);
        jw_kstr(w, "subject", store_text(q, 3));
        jw_kstr(w, "plan", store_text(q, 4));
        jw_key(w, "task");
        if (store_null(q, 5))
            jw_null(w);
        else
            jw_int(w, store_int(q, 5));
        jw_kstr(w, "obligation", store_text(q, 6));
        jw_kstr(w, "title", store_text(q, 7));
        jw_kstr(w, "deadline", store_text(q, 8));
        jw_kstr(w, "stage", store_text(q, 9));
        jw_kstr(w, "stage_label", sv_stage_label(st));
        jw_kstr(w, "level", sv_level_name(lv));
        jw_kstr(w, "level_label", sv_level_label(lv));
        jw_kbool(w, "overdue", late > 0 && sv_stage_pending(st));
        jw_kint(w, "overdue_days", late);
        jw_kstr(w, "answered_date", store_text(q, 11));
        jw_kint(w, "rounds", store_int(q, 12));
        jw_key(w, "issued_at");
        if (store_null(q, 13))
            jw_null(w);
        else
            jw_int(w, store_int(q, 13));
        jw_kint(w, "created_at", store_int(q, 14));
        jw_kint(w, "updated_at", store_int(q, 15));
        jw_obj_end(w);
    }
    store_done(q);
    work_units_free(units);
    free(like);
    return store_err(db);
}

enum err sv_notices_each(struct store *db, const char *plan, sv_notice_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(
        db,
        "SELECT id, unit_id, issued_at, doc_no, title, deadline, stage, level, answered_date"
        " FROM notices WHERE (CAST(? AS TEXT) IS NULL OR plan_code = ?) ORDER BY id DESC",
        "tt", plan, plan);
    while (store_row(q)) {
        struct sv_notice_brief n = {
            .id = store_int(q, 0),
            .unit_id = store_int(q, 1),
            .issued = !store_null(q, 2),
            .issued_at = store_null(q, 2) ? 0 : store_int(q, 2),
            .doc_no = store_null(q, 3) ? NULL : store_text(q, 3),
            .title = store_null(q, 4) ? NULL : store_text(q, 4),
            .deadline = store_null(q, 5) ? NULL : store_text(q, 5),
            .stage = store_null(q, 6) ? NULL : store_text(q, 6),
            .level = sv_level_name((enum sv_level)store_int(q, 7)),
            .answered_date = store_null(q, 8) ? NULL : store_text(q, 8),
        };
        if (!fn(ctx, &n)) break;
    }
    store_done(q);
    return store_err(db);
}

/* ---- for the tick ---- */

/* Ids of the notices a query returns (malloc'd). */
static enum err ids_of(struct store *db, struct store_stmt *q, long long **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    size_t cap = 0;
    while (store_row(q)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            long long *t = realloc(*ids, cap * sizeof *t);
            if (!t) abort();
            *ids = t;
        }
        (*ids)[(*n)++] = store_int(q, 0);
    }
    store_done(q);
    return store_err(db);
}

enum err sv_overdue_ids(struct store *db, const char *before, long long **ids, size_t *n)
{
    return ids_of(
        db,
        store_q(db,
                "SELECT id FROM notices WHERE stage IN ('issued', 'signed', 'in_progress')"
                " AND deadline < ? AND level < 2 ORDER BY id",
                "t", before),
        ids, n);
}

enum err sv_due_ids(struct store *db, const char *from, const char *to, long long **ids, size_t *n)
{
    return ids_of(
        db,
        store_q(db,
                "SELECT id FROM notices WHERE stage IN ('issued', 'signed', 'in_progress')"
                " AND deadline >= ? AND deadline <= ? ORDER BY id",
                "tt", from, to),
        ids, n);
}
