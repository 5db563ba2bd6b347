/* api_supervise.c - routes of dispatch notices (督办单): the office drafts, edits, issues,
 * reviews and escalates them; the unit signs (its unit_admin, or a reporter when the unit has
 * no admin), adds evidence and answers; unit-scoped roles see their own unit's notices (and
 * their child units'), never drafts; leader and evaluator read all. Parse and validate here,
 * the rules and SQL in store_supervise.c. Writes run inside the pipeline's transaction
 * (server.c): a refused step stores nothing. */
#include "http/route.h"
#include "http/server.h"
#include "base/date.h"
#include "base/jv.h"
#include "org/session.h"
#include "org/units.h"
#include "supervise/supervise.h"
#include "supervise/supervise_xlsx.h" /* the .xlsx export (audit helper, issue 19) */
#include "http/upload.h"
#include "base/filetype.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- common ---- */

static struct sv_actor actor(struct req *r)
{
    return (struct sv_actor){r->who->user_id, r->who->display_name};
}

/* The notice named by {id}, if the caller may see it: unit-scoped roles their unit's (and
 * child units') notices once issued. */
static enum err load_notice(struct req *r, struct sv_state *s)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    enum err e = sv_notice_state(r->db, id, s);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "id", "督办单不存在");
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "notice:%lld", id);
    if (req_unit_scoped(r)) {
        if (s->stage == SV_DRAFTED) return req_fail(r, ERR_NOT_FOUND, "id", "督办单不存在");
        if (!req_may_act_for_unit(r, s->unit_id)) return req_deny(r, "id", "督办单不存在");
    }
    return OK;
}

/* ---- the one check of each step (issue 19 §1) ----
 * step_check says whether the caller may take step a on s now, and if not, why: the step's
 * permission for the notice's unit (403), the stage table (409, sv_transition), and the step's
 * own rule: the signer rule (403, sv_signer_roles), an issue's deadline (422), the red ceiling
 * of an escalation (409), the four-eyes rule of 复核 (403, sv_may_review). notice_actions lists
 * exactly the steps it allows and every step's route refuses with its problem before it calls
 * the service, so the console never offers a step the route refuses. A storage error leaves p
 * empty (err OK) and returns the error. */

/* The permission each step needs for the notice's unit. */
static enum perm step_perm(enum sv_action a)
{
    switch (a) {
    case SV_SIGNOFF:
    case SV_SIGNOFF_RETURN:
        return PERM_SIGNOFF;
    case SV_SIGN:
    case SV_EVIDENCE:
    case SV_ANSWER:
        return PERM_NOTICE_HANDLE;
    default:
        return PERM_NOTICE_MANAGE;
    }
}

static enum err step_check(struct req *r, const struct sv_state *s, enum sv_action a,
                           struct problem *p)
{
    enum perm need = step_perm(a);
    if (!principal_may_for_unit(r->db, r->who, need, s->unit_id) ||
        (need == PERM_NOTICE_HANDLE && s->stage == SV_DRAFTED)) {
        if (need == PERM_NOTICE_HANDLE)
            return problem_set(p, ERR_FORBIDDEN, "id", "只能办理发给本单位的督办单");
        if (need == PERM_SIGNOFF)
            return problem_set(p, ERR_FORBIDDEN, "id", "只有领导可以签批督办单");
        return problem_set(p, ERR_FORBIDDEN, "id", "只有督查督办办公室可以%s", sv_action_label(a));
    }
    if (!sv_transition(s->stage, a, NULL)) {
        char msg[320];
        sv_refusal(s->stage, a, msg, sizeof msg);
        return problem_set(p, ERR_CONFLICT, NULL, "%s", msg);
    }
    int today = date_today_shanghai(r->now), dl = 0, ans = SV_NO_DAY;
    bool has_dl = date_parse(s->deadline, &dl);
    if (s->answered_date[0] && !date_parse(s->answered_date, &ans)) ans = SV_NO_DAY;
    {
        enum err se;
        const char *why = sv_signoff_refusal(a, sv_signoff_required(r->db), s->signoff,
                                             r->who->user_id, s->signoff_requested_by, &se);
        if (why) return problem_set(p, se, NULL, "%s", why);
    }
    switch (a) {
    case SV_SIGN: {
        if (s->unit_id != r->who->unit_id)
            return problem_set(p, ERR_FORBIDDEN, "id", "只能签收发给本单位的督办单");
        unsigned roles = sv_signer_roles(r->db, s->unit_id);
        if (!(r->who->roles & roles))
            return problem_set(p, ERR_FORBIDDEN, "id",
                               "本单位设有单位管理员，督办单须由单位管理员签收");
        break;
    }
    case SV_ISSUE:
        if (!has_dl || dl < today)
            return problem_set(p, ERR_RULE, "deadline", "办理期限 %s 已过，请先修改办理期限再下发",
                               s->deadline);
        break;
    case SV_ESCALATE: {
        enum sv_level level = has_dl ? sv_level_at(s->base_level, dl, ans, today) : s->base_level;
        if (s->level > level) level = s->level;
        if (level >= SV_RED)
            return problem_set(p, ERR_CONFLICT, NULL, "督办单已是最高的红色督办，不能再升级");
        break;
    }
    case SV_URGE: {
        long long last;
        enum err e = sv_last_urge(r->db, s->id, &last);
        if (e != OK) return e;
        char why[200];
        if (!sv_urge_allowed(has_dl ? dl : today, today, last, r->now, why, sizeof why))
            return problem_set(p, ERR_CONFLICT, NULL, "%s", why);
        break;
    }
    case SV_ACCEPT:
    case SV_RETURN: {
        bool may;
        enum err e = sv_may_review(r->db, s->id, r->who->user_id, &may);
        if (e != OK) return e;
        if (!may)
            return problem_set(p, ERR_FORBIDDEN, "id",
                               "四眼原则：您签收、反馈或补充过这份督办单，须由他人复核");
        break;
    }
    default:
        break;
    }
    return OK;
}

/* A route's step check: OK, or the refusal answered. */
static enum err step_allowed(struct req *r, const struct sv_state *s, enum sv_action a)
{
    struct problem p = {0};
    enum err e = step_check(r, s, a, &p);
    if (e == OK) return OK;
    return p.err != OK ? req_fail_problem(r, &p) : req_fail_err(r, e);
}

static void add_action(json_t *a, const char *name, const char *label, const char *deadline)
{
    json_t *o = json_pack("{s:s,s:s}", "name", name, "label", label);
    if (deadline && *deadline) json_object_set_new(o, "deadline", json_string(deadline));
    json_array_append_new(a, o);
}

/* The steps a notice offers, in the order the console shows them: name, label, the step checked. */
static const struct {
    const char *name, *label;
    enum sv_action step;
} offered[] = {
    {"edit", "修改", SV_EDIT},
    {"discard", "删除草稿", SV_DISCARD},
    {"issue", "下发", SV_ISSUE},
    {"sign", "签收", SV_SIGN},
    {"evidence", "增删佐证材料", SV_EVIDENCE},
    {"answer", "反馈", SV_ANSWER},
    {"review", "复核", SV_ACCEPT},
    {"escalate", "升级督办", SV_ESCALATE},
    {"urge", "催办", SV_URGE},
    {"signoff_request", "提请签批", SV_SIGNOFF_REQUEST},
    {"signoff", "签批", SV_SIGNOFF},
    {"signoff_return", "退回签批", SV_SIGNOFF_RETURN},
};

/* What the caller may do with the notice now: every step step_check allows. NULL on a storage
 * error. */
static json_t *notice_actions(struct req *r, const struct sv_state *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < sizeof offered / sizeof offered[0]; i++) {
        struct problem p = {0};
        enum err e = step_check(r, s, offered[i].step, &p);
        if (e == OK)
            add_action(a, offered[i].name, offered[i].label,
                       offered[i].step == SV_ANSWER ? s->deadline : NULL);
        else if (p.err == OK) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* The notice as GET /notices/{id} answers it, with the caller's actions; NULL on a storage
 * error (*e says which). */
static json_t *notice_object(struct req *r, long long id, enum err *e)
{
    struct sv_state s;
    if ((*e = sv_notice_state(r->db, id, &s)) != OK) return NULL;
    json_t *a = notice_actions(r, &s);
    json_t *o = a ? sv_notice_json(r->db, id, r->now) : NULL;
    if (!o) {
        json_decref(a);
        *e = ERR_INTERNAL;
        return NULL;
    }
    json_object_set_new(o, "actions", a);
    return o;
}

static enum err reply_notice(struct req *r, int status, long long id)
{
    enum err e;
    json_t *o = notice_object(r, id, &e);
    if (!o) return e == ERR_INTERNAL ? req_store_fail(r) : req_fail_err(r, e);
    return reply_json(r, status, o);
}

/* Optional {"note"} of a step; *note NULL when absent. */
static enum err read_note(struct req *r, const char *name, bool required, const char **note)
{
    const char *const allowed[] = {name, NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    *note = jv_str(&v, name, required, 4 * SV_NOTE_MAX);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    if (*note && sv_utf8_chars(*note) > SV_NOTE_MAX)
        return req_fail(r, ERR_RULE, name, "最多 %d 字", SV_NOTE_MAX);
    return OK;
}

/* ---- the notice body ---- */

static const char *const notice_fields[] = {
    "unit",  "subject",      "plan",     "task",  "obligation", "period_start", "period_end",
    "title", "requirements", "deadline", "level", "issue",      "units",        NULL};

/* The unit named by u (an id, a GB/T 2260 code or a key) into *id; an unknown one answers 422
 * at field, its message starting with what (e.g. "第 2 个单位："). */
static enum err resolve_unit(struct req *r, json_t *u, const char *field, const char *what,
                             long long *id)
{
    if (json_is_integer(u)) {
        struct unit found;
        enum err e = unit_get(r->db, (long long)json_integer_value(u), &found);
        if (e == ERR_NOT_FOUND)
            return req_fail(r, ERR_RULE, field, "%s单位不存在：%lld", what,
                            (long long)json_integer_value(u));
        if (e != OK) return req_fail_err(r, e);
        *id = found.id;
    } else if (json_is_string(u)) {
        *id = unit_find(r->db, json_string_value(u));
        if (!*id)
            return req_fail(r, ERR_RULE, field, "%s单位不存在：%.64s", what, json_string_value(u));
    } else {
        return req_fail(r, ERR_BAD_REQUEST, field, "%s应为单位编号、行政区划代码或单位简称",
                        *what ? what : "字段 unit ");
    }
    return OK;
}

/* Reads the fields present in the body over n (a PATCH starts from the stored draft; a POST
 * from defaults). Strings are borrowed from r->json. */
static enum err parse_notice(struct req *r, struct sv_notice_in *n, bool *issue, bool patch)
{
    struct jv v = {0};
    const char *const *allowed = notice_fields;
    static const char *const patch_fields[] = {
        "unit",       "subject", "plan",         "task",     "obligation", "period_start",
        "period_end", "title",   "requirements", "deadline", "level",      NULL};
    if (patch) allowed = patch_fields;
    jv_begin(&v, r->json, allowed);
    const char *subject = jv_str(&v, "subject", false, 16);
    const char *plan = jv_str(&v, "plan", false, 64);
    const char *obligation = jv_str(&v, "obligation", false, 64);
    const char *ps = jv_str(&v, "period_start", false, 32);
    const char *pe = jv_str(&v, "period_end", false, 32);
    const char *title = jv_str(&v, "title", false, 4 * SV_TITLE_MAX + 8);
    const char *req = jv_str(&v, "requirements", false, 4 * SV_TEXT_MAX + 8);
    const char *deadline = jv_str(&v, "deadline", false, 32);
    const char *level = jv_str(&v, "level", false, 16);
    json_t *task = json_object_get(r->json, "task");
    long long task_no = jv_int(&v, "task", false, -(1LL << 40), 1LL << 40, 0);
    *issue = !patch && jv_bool(&v, "issue", false, false);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);

    json_t *u = json_object_get(r->json, "unit");
    if (u && !json_is_null(u) && json_object_get(r->json, "units"))
        return req_fail(r, ERR_BAD_REQUEST, "units",
                        "unit（一个单位）与 units（多个单位）只能给一个");
    if (u && !json_is_null(u)) {
        enum err ue = resolve_unit(r, u, "unit", "", &n->unit_id);
        if (ue != OK) return ue;
    } else if (!patch && !json_object_get(r->json, "units")) {
        return req_fail(r, ERR_BAD_REQUEST, "unit", "缺少必填字段：unit");
    }
    if (subject && !sv_subject_parse(subject, &n->subject))
        return req_fail(r, ERR_RULE, "subject",
                        "subject 应为 task（重点任务）或 compliance（预警事项）");
    if (!subject && !patch) n->subject = obligation ? SV_SUBJECT_COMPLIANCE : SV_SUBJECT_TASK;
    if (plan) n->plan = plan;
    if (task && !json_is_null(task))
        n->task_no = task_no;
    else if (task)
        n->task_no = 0;
    if (obligation) n->obligation = obligation;
    if (ps) n->period_start = ps;
    if (pe) n->period_end = pe;
    if (subject && n->subject == SV_SUBJECT_TASK && patch) {
        /* switching a draft to a task: drop the compliance fields unless given */
        if (!obligation) n->obligation = NULL;
        if (!ps) n->period_start = NULL;
        if (!pe) n->period_end = NULL;
    }
    if (subject && n->subject == SV_SUBJECT_COMPLIANCE && patch && !(task && !json_is_null(task)))
        n->task_no = 0;
    if (title) n->title = title;
    if (req) n->requirements = req;
    if (deadline) n->deadline = deadline;
    if (level && !sv_level_parse(level, &n->level))
        return req_fail(r, ERR_RULE, "level",
                        "level 应为 blue（蓝色）、orange（橙色）或 red（红色）");
    if (!n->plan) n->plan = SV_DEFAULT_PLAN;
    return OK;
}

/* ---- draft, read, edit ---- */

/* POST /notices with "units": one notice per unit, all in the request's transaction (the
 * first refusal stores none), each checked as a single one; a unit's refusal names it by its
 * place, units[i]. */
static enum err create_for_units(struct req *r, struct sv_notice_in *n, bool issue)
{
    json_t *list = json_object_get(r->json, "units");
    size_t count = json_is_array(list) ? json_array_size(list) : 0;
    if (!json_is_array(list))
        return req_fail(r, ERR_BAD_REQUEST, "units", "字段 units 应为单位列表");
    if (count < 1 || count > SV_UNITS_MAX)
        return req_fail(r, ERR_RULE, "units", "一次发给 1 到 %d 个单位，现有 %zu 个", SV_UNITS_MAX,
                        count);
    long long ids[SV_UNITS_MAX], made[SV_UNITS_MAX];
    char field[32], what[48];
    for (size_t i = 0; i < count; i++) {
        snprintf(field, sizeof field, "units[%zu]", i);
        snprintf(what, sizeof what, "第 %zu 个单位：", i + 1);
        enum err e = resolve_unit(r, json_array_get(list, i), field, what, &ids[i]);
        if (e != OK) return e;
        for (size_t j = 0; j < i; j++)
            if (ids[j] == ids[i])
                return req_fail(r, ERR_RULE, field, "第 %zu 个单位与第 %zu 个重复", i + 1, j + 1);
    }
    struct sv_actor by = actor(r);
    for (size_t i = 0; i < count; i++) {
        struct problem p = {0};
        n->unit_id = ids[i];
        if (sv_notice_create(r->db, n, issue, &by, r->now, &made[i], &p) == OK) continue;
        if (p.err == OK || !p.msg[0]) return req_store_fail(r);
        struct unit u = {0};
        if (unit_get(r->db, ids[i], &u) != OK) snprintf(u.name, sizeof u.name, "%lld", ids[i]);
        bool theirs = !p.field[0] || !strcmp(p.field, "unit") || !strcmp(p.field, "obligation");
        snprintf(field, sizeof field, "units[%zu]", i);
        return req_fail(r, p.err, theirs ? field : p.field, "第 %zu 个单位（%s）：%s", i + 1,
                        u.name, p.msg);
    }
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++) {
        enum err e;
        json_t *o = notice_object(r, made[i], &e);
        if (!o) {
            json_decref(items);
            return e == ERR_INTERNAL ? req_store_fail(r) : req_fail_err(r, e);
        }
        json_array_append_new(items, o);
    }
    r->audit_object = arena_printf(r->a, "notice:%lld", made[0]);
    r->audit_detail =
        arena_printf(r->a, "%s for %zu units: %lld..%lld", issue ? "drafted and issued" : "drafted",
                     count, made[0], made[count - 1]);
    return reply_json(r, 201, json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)count));
}

static enum err create_notice(struct req *r)
{
    struct sv_notice_in n = {.subject = SV_SUBJECT_TASK, .level = SV_BLUE};
    bool issue;
    enum err e = parse_notice(r, &n, &issue, false);
    if (e != OK) return e;
    if (json_object_get(r->json, "units")) return create_for_units(r, &n, issue);
    struct sv_actor by = actor(r);
    struct problem p = {0};
    long long id;
    e = sv_notice_create(r->db, &n, issue, &by, r->now, &id, &p);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "notice:%lld", id);
    r->audit_detail = issue ? "drafted and issued" : "drafted";
    return reply_notice(r, 201, id);
}

static enum err get_notice(struct req *r)
{
    struct sv_state s;
    enum err e = load_notice(r, &s);
    return e != OK ? e : reply_notice(r, 200, s.id);
}

static enum err update_notice(struct req *r)
{
    struct sv_state s;
    enum err e = load_notice(r, &s);
    if (e == OK) e = step_allowed(r, &s, SV_EDIT);
    if (e != OK) return e;
    struct sv_notice_in n;
    json_t *stored = sv_notice_fields(r->db, s.id, &n);
    if (!stored) return req_store_fail(r);
    bool issue;
    struct problem p = {0};
    if ((e = parse_notice(r, &n, &issue, true)) != OK) goto out;
    struct sv_actor by = actor(r);
    e = sv_notice_update(r->db, s.id, &n, &by, r->now, &p);
    if (e != OK) {
        e = req_fail_problem(r, &p);
        goto out;
    }
    e = reply_notice(r, 200, s.id);
out:
    json_decref(stored);
    return e;
}

static enum err discard_notice(struct req *r)
{
    struct sv_state s;
    enum err e = load_notice(r, &s);
    if (e == OK) e = step_allowed(r, &s, SV_DISCARD);
    if (e != OK) return e;
    struct problem p = {0};
    char title[4 * SV_TITLE_MAX + 1];
    if (sv_notice_discard(r->db, s.id, r->now, title, sizeof title, &p) != OK)
        return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "notice:%lld", s.id);
    r->audit_detail = arena_printf(r->a, "draft discarded: %s", title);
    return reply_json(r, 200, json_pack("{s:I,s:b}", "id", s.id, "discarded", 1));
}

static enum err list_notices(struct req *r)
{
    long long limit, after, n, last, total = 0;
    enum err e = req_page(r, &limit, &after);
    struct sv_filter f;
    if (e == OK) e = sv_list_filter(r, &f);
    if (e != OK) return e;
    struct jw w;
    jw_init(&w);
    jw_page_begin(&w);
    e = sv_notice_list(r->db, &f, after, limit, r->now, &w, &n, &last);
    if (e == OK) e = sv_notice_count(r->db, &f, r->now, &total);
    if (e != OK) {
        jw_free(&w);
        return req_fail_err(r, e);
    }
    return reply_jw_page_total(r, &w, limit, n, last, total);
}

/* GET /notices/open-for-item?unit=&obligation=&period_start=&period_end=: the notice not yet
 * closed about that compliance item of the unit (sv_notice_open_for_item: the rule the drafts
 * from red use), {"notice": {"id","doc_no","title","stage","stage_label"} | null}; the red cell's
 * 督办 opens it instead of drafting another. A unit-scoped caller asks about its own units and
 * never learns of a draft. */
static enum err open_for_item(struct req *r)
{
    const char *unit = req_query(r, "unit"), *key = req_query(r, "obligation");
    const char *ps = req_query(r, "period_start"), *pe = req_query(r, "period_end");
    int d;
    long long uid = unit && *unit ? unit_find(r->db, unit) : 0;
    if (!uid) return req_fail(r, ERR_RULE, "unit", "单位不存在：%.64s", unit ? unit : "");
    if (!req_may_act_for_unit(r, uid))
        return req_fail(r, ERR_FORBIDDEN, "unit", "只能查看本单位及下属单位的督办单");
    if (!key || !*key || strlen(key) > 64)
        return req_fail(r, ERR_RULE, "obligation", "请指明工作义务（义务代码，最多 64 字节）");
    if (!ps || !date_parse(ps, &d))
        return req_fail(r, ERR_RULE, "period_start", "周期开始日期应为 YYYY-MM-DD");
    if (!pe || !date_parse(pe, &d))
        return req_fail(r, ERR_RULE, "period_end", "周期结束日期应为 YYYY-MM-DD");
    long long id = sv_notice_open_for_item(r->db, uid, key, ps, pe);
    if (store_err(r->db)) return req_fail_err(r, store_err(r->db));
    struct sv_state s;
    enum err e = id ? sv_notice_state(r->db, id, &s) : ERR_NOT_FOUND;
    if (e != OK && e != ERR_NOT_FOUND) return req_fail_err(r, e);
    if (e == ERR_NOT_FOUND || (req_unit_scoped(r) && s.stage == SV_DRAFTED))
        return reply_json(r, 200, json_pack("{s:n}", "notice"));
    return reply_json(r, 200,
                      json_pack("{s:{s:I,s:s?,s:s,s:s,s:s}}", "notice", "id", s.id, "doc_no",
                                s.doc_no[0] ? s.doc_no : NULL, "title", s.title, "stage",
                                sv_stage_name(s.stage), "stage_label", sv_stage_label(s.stage)));
}

/* ---- steps ---- */

static enum err issue_notice(struct req *r)
{
    struct sv_state s;
    enum err e = load_notice(r, &s);
    if (e == OK) e = step_allowed(r, &s, SV_ISSUE);
    const char *note;
    if (e == OK) e = read_note(r, "note", false, &note);
    if (e != OK) return e;
    struct sv_actor by = actor(r);
    struct problem p = {0};
    if ((e = sv_notice_issue(r->db, s.id, note, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    return reply_notice(r, 200, s.id);
}

static enum err sign_notice(struct req *r)
{
    struct sv_state s;
    enum err e = load_notice(r, &s);
    if (e == OK) e = step_allowed(r, &s, SV_SIGN);
    if (e != OK) return e;
    const char *note;
    if ((e = read_note(r, "note", false, &note)) != OK) return e;
    struct sv_actor by = actor(r);
    struct problem p = {0};
    if ((e = sv_notice_sign(r->db, s.id, note, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    return reply_notice(r, 200, s.id);
}

/* The notice of a handling step (evidence, answer), if the caller may take step a on it. */
static enum err load_handled(struct req *r, struct sv_state *s, enum sv_action a)
{
    enum err e = load_notice(r, s);
    return e != OK ? e : step_allowed(r, s, a);
}

static bool long_text(struct req *r, const char *field, const char *s, bool required)
{
    size_t n = s ? sv_utf8_chars(s) : 0;
    if ((required && n == 0) || n > SV_TEXT_MAX) {
        req_fail(r, ERR_RULE, field, "%s不能为空，最多 %d 字",
                 strcmp(field, "progress") == 0     ? "工作进展"
                 : strcmp(field, "next_steps") == 0 ? "下一步计划"
                                                    : "存在困难",
                 SV_TEXT_MAX);
        return false;
    }
    return true;
}

static enum err answer_notice(struct req *r)
{
    struct sv_state s;
    enum err e = load_handled(r, &s, SV_ANSWER);
    if (e != OK) return e;
    static const char *const allowed[] = {"progress", "difficulties", "next_steps", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *progress = jv_str(&v, "progress", true, 4 * SV_TEXT_MAX + 8);
    const char *difficulties = jv_str(&v, "difficulties", false, 4 * SV_TEXT_MAX + 8);
    const char *next = jv_str(&v, "next_steps", true, 4 * SV_TEXT_MAX + 8);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    if (!long_text(r, "progress", progress, true) ||
        !long_text(r, "difficulties", difficulties, false) ||
        !long_text(r, "next_steps", next, true))
        return ERR_RULE;
    struct sv_actor by = actor(r);
    struct problem p = {0};
    e = sv_notice_answer(r->db, s.id, progress, difficulties, next, &by, r->now, &p);
    if (e != OK) return req_fail_problem(r, &p);
    return reply_notice(r, 200, s.id);
}

static enum err review_notice(struct req *r)
{
    struct sv_state s;
    enum err e = load_notice(r, &s);
    if (e != OK) return e;
    static const char *const allowed[] = {"decision", "reason", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    static const char *const ds[] = {"accept", "办结", "return", "退回重办", NULL};
    bool accept = jv_choice(&v, "decision", true, ds) == 0;
    const char *reason = jv_str(&v, "reason", false, 4 * SV_NOTE_MAX + 8);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    if (!accept && (!reason || !*reason))
        return req_fail(r, ERR_RULE, "reason", "退回时须填写理由，说明还需如何办理");
    if (reason && sv_utf8_chars(reason) > SV_NOTE_MAX)
        return req_fail(r, ERR_RULE, "reason", "理由最多 %d 字", SV_NOTE_MAX);
    if ((e = step_allowed(r, &s, accept ? SV_ACCEPT : SV_RETURN)) != OK) return e;
    struct sv_actor by = actor(r);
    struct problem p = {0};
    if ((e = sv_notice_review(r->db, s.id, accept, reason, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    r->audit_detail = accept ? "accept" : "return";
    return reply_notice(r, 200, s.id);
}

static enum err escalate_notice(struct req *r)
{
    struct sv_state s;
    enum err e = load_notice(r, &s);
    if (e == OK) e = step_allowed(r, &s, SV_ESCALATE);
    const char *note;
    if (e == OK) e = read_note(r, "note", false, &note);
    if (e != OK) return e;
    struct sv_actor by = actor(r);
    struct problem p = {0};
    if ((e = sv_notice_escalate(r->db, s.id, note, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    return reply_notice(r, 200, s.id);
}

static enum err urge_notice(struct req *r)
{
    struct sv_state s;
    enum err e = load_notice(r, &s);
    if (e == OK) e = step_allowed(r, &s, SV_URGE);
    const char *note;
    if (e == OK) e = read_note(r, "note", false, &note);
    if (e != OK) return e;
    struct sv_actor by = actor(r);
    struct problem p = {0};
    if ((e = sv_notice_urge(r->db, s.id, note, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    return reply_notice(r, 200, s.id);
}

/* ---- 签批 ---- */

static enum err signoff_request_notice(struct req *r)
{
    struct sv_state s;
    enum err e = load_notice(r, &s);
    if (e == OK) e = step_allowed(r, &s, SV_SIGNOFF_REQUEST);
    const char *note;
    if (e == OK) e = read_note(r, "note", false, &note);
    if (e != OK) return e;
    struct sv_actor by = actor(r);
    struct problem p = {0};
    if ((e = sv_notice_signoff_request(r->db, s.id, note, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    return reply_notice(r, 200, s.id);
}

static enum err signoff_step(struct req *r, bool approve)
{
    struct sv_state s;
    enum err e = load_notice(r, &s);
    if (e == OK) e = step_allowed(r, &s, approve ? SV_SIGNOFF : SV_SIGNOFF_RETURN);
    const char *note;
    if (e == OK) e = read_note(r, approve ? "note" : "reason", !approve, &note);
    if (e != OK) return e;
    if (!approve && (!note || !*note))
        return req_fail(r, ERR_RULE, "reason", "退回签批时须填写理由，说明还需如何修改");
    struct sv_actor by = actor(r);
    struct problem p = {0};
    if ((e = sv_notice_signoff(r->db, s.id, approve, note, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    r->audit_detail = approve ? "approved" : "returned";
    return reply_notice(r, 200, s.id);
}

static enum err signoff_notice(struct req *r)
{
    return signoff_step(r, true);
}

static enum err signoff_return_notice(struct req *r)
{
    return signoff_step(r, false);
}

/* ---- evidence ---- */

static const char *evidence_name(struct req *r)
{
    const char *name = req_param(r, "name");
    return filetype_name_valid(name) ? name : NULL;
}

static enum err put_evidence(struct req *r)
{
    struct sv_state s;
    enum err e = load_handled(r, &s, SV_EVIDENCE);
    if (e != OK) return e;
    const char *name = evidence_name(r);
    const char *declared;
    if ((e = upload_check(r, name, &declared)) != OK) return e;
    struct sv_actor by = actor(r);
    struct problem p = {0};
    bool created;
    char hash[65];
    e = sv_evidence_put(r->db, s.id, name, declared, r->body, r->body_len, &by, r->now, &created,
                        hash, &p);
    if (e != OK) return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "notice:%lld/evidence/%s", s.id, name);
    return upload_answer(r, name, declared, hash, created);
}

static enum err get_evidence(struct req *r)
{
    struct sv_state s;
    enum err e = load_notice(r, &s);
    if (e != OK) return e;
    const char *name = evidence_name(r);
    const void *data;
    size_t len;
    const char *type;
    e = name ? sv_evidence_get(r->db, s.id, name, upload_arena_alloc, r->a, &data, &len, &type)
             : ERR_NOT_FOUND;
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "name", "佐证材料不存在");
    if (e != OK) return req_fail_err(r, e);
    return upload_download(r, name, type, data, len);
}

static enum err delete_evidence(struct req *r)
{
    struct sv_state s;
    enum err e = load_handled(r, &s, SV_EVIDENCE);
    if (e != OK) return e;
    const char *name = evidence_name(r);
    if (!name) return req_fail(r, ERR_NOT_FOUND, "name", "佐证材料不存在");
    struct sv_actor by = actor(r);
    struct problem p = {0};
    if ((e = sv_evidence_delete(r->db, s.id, name, &by, r->now, &p)) != OK)
        return req_fail_problem(r, &p);
    r->audit_object = arena_printf(r->a, "notice:%lld/evidence/%s", s.id, name);
    return reply_json(r, 200, json_pack("{s:b,s:s}", "deleted", 1, "name", name));
}

/* ---- the vocabulary ---- */

static json_t *pair(const char *name, const char *label)
{
    return json_pack("{s:s,s:s}", "name", name, "label", label);
}

/* GET /api/v1/notice-vocabulary: the names and labels of stages (those the caller may see:
 * unit-scoped roles never see drafts), the steps of the stage path, levels with the days overdue
 * after which a notice turns red, subjects and history entries, so the console keeps no copy. */
static enum err get_vocabulary(struct req *r)
{
    json_t *stages = json_array(), *levels = json_array(), *subjects = json_array();
    json_t *hist = json_array();
    bool scoped = req_unit_scoped(r);
    for (int i = 0; i < SV__STAGES; i++)
        if (!(scoped && i == SV_DRAFTED))
            json_array_append_new(
                stages, pair(sv_stage_name((enum sv_stage)i), sv_stage_label((enum sv_stage)i)));
    for (int i = 0; i < SV__LEVELS; i++)
        json_array_append_new(
            levels, pair(sv_level_name((enum sv_level)i), sv_level_label((enum sv_level)i)));
    json_array_append_new(
        subjects, pair(sv_subject_name(SV_SUBJECT_TASK), sv_subject_label(SV_SUBJECT_TASK)));
    json_array_append_new(subjects, pair(sv_subject_name(SV_SUBJECT_COMPLIANCE),
                                         sv_subject_label(SV_SUBJECT_COMPLIANCE)));
    const char *name, *label;
    for (size_t i = 0; sv_history_action(i, &name, &label); i++)
        json_array_append_new(hist, pair(name, label));
    json_t *steps = json_array();
    const long long none[SV__STEPS] = {0};
    struct sv_path_step path[SV__STEPS];
    sv_path(SV_DRAFTED, false, none, path);
    for (int i = 0; i < SV__STEPS; i++)
        json_array_append_new(steps, pair(path[i].key, path[i].label));
    return reply_json(r, 200,
                      json_pack("{s:o,s:o,s:o,s:i,s:o,s:o}", "stages", stages, "steps", steps,
                                "levels", levels, "red_after_days", SV_RED_AFTER_DAYS, "subjects",
                                subjects, "history_actions", hist));
}

const struct route supervise_routes[] = {
    {M_GET, "/api/v1/notice-vocabulary", PERM_NOTICE_READ, BODY_NONE, NULL, get_vocabulary, 0},
    {M_GET, "/api/v1/notices", PERM_NOTICE_READ, BODY_NONE, NULL, list_notices, 0},
    /* -- the list as .xlsx (supervise_xlsx.c); before /notices/{id} -- */
    {M_GET, "/api/v1/notices/export.xlsx", PERM_NOTICE_READ, BODY_NONE, NULL, sv_export_notices, 0},
    /* -- end of the .xlsx block -- */
    {M_GET, "/api/v1/notices/open-for-item", PERM_NOTICE_READ, BODY_NONE, NULL, open_for_item, 0},
    {M_POST, "/api/v1/notices", PERM_NOTICE_MANAGE, BODY_JSON, "notice.create", create_notice, 0},
    {M_GET, "/api/v1/notices/{id}", PERM_NOTICE_READ, BODY_NONE, NULL, get_notice, ROUTE_OWN_UNIT},
    {M_PATCH, "/api/v1/notices/{id}", PERM_NOTICE_MANAGE, BODY_JSON, "notice.update", update_notice,
     ROUTE_OWN_UNIT},
    {M_DELETE, "/api/v1/notices/{id}", PERM_NOTICE_MANAGE, BODY_NONE, "notice.discard",
     discard_notice, ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/notices/{id}/issue", PERM_NOTICE_MANAGE, BODY_JSON, "notice.issue",
     issue_notice, ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/notices/{id}/sign", PERM_NOTICE_HANDLE, BODY_JSON, "notice.sign", sign_notice,
     ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/notices/{id}/answer", PERM_NOTICE_HANDLE, BODY_JSON, "notice.answer",
     answer_notice, ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/notices/{id}/review", PERM_NOTICE_MANAGE, BODY_JSON, "notice.review",
     review_notice, ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/notices/{id}/escalate", PERM_NOTICE_MANAGE, BODY_JSON, "notice.escalate",
     escalate_notice, ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/notices/{id}/urge", PERM_NOTICE_MANAGE, BODY_JSON, "notice.urge", urge_notice,
     ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/notices/{id}/signoff-request", PERM_NOTICE_MANAGE, BODY_JSON,
     "notice.signoff_request", signoff_request_notice, ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/notices/{id}/signoff", PERM_SIGNOFF, BODY_JSON, "notice.signoff",
     signoff_notice, ROUTE_OWN_UNIT},
    {M_POST, "/api/v1/notices/{id}/signoff-return", PERM_SIGNOFF, BODY_JSON,
     "notice.signoff_return", signoff_return_notice, ROUTE_OWN_UNIT},
    {M_GET, "/api/v1/notices/{id}/evidence/{name}", PERM_NOTICE_READ, BODY_NONE, NULL, get_evidence,
     ROUTE_OWN_UNIT},
    {M_PUT, "/api/v1/notices/{id}/evidence/{name}", PERM_NOTICE_HANDLE, BODY_RAW,
     "notice.evidence.put", put_evidence, ROUTE_OWN_UNIT},
    {M_DELETE, "/api/v1/notices/{id}/evidence/{name}", PERM_NOTICE_HANDLE, BODY_NONE,
     "notice.evidence.delete", delete_evidence, ROUTE_OWN_UNIT},
    {0},
};
