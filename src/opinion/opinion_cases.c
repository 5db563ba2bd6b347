/* opinion_cases.c - the handling of public-opinion items (opinion.h): 发现 → 研判 → 交办 → 处置 →
 * [签批 by 市委宣传部 for 重大/特别重大] → 反馈 (release) → 办结, each step by its role, and the
 * tick that escalates a case whose clock ran out before release. */
#include "opinion/opinion.h"
#include "opinion/opinion_store.h"
#include "notify/notify.h"
#include "org/units.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long long opinion_clock(const char *grade)
{
    if (grade && strcmp(grade, "grave") == 0) return 5 * 3600;
    if (grade && strcmp(grade, "major") == 0) return 24 * 3600;
    return 48 * 3600;
}

const char *opinion_case_status_label(const char *s)
{
    static const char *const l[][2] = {{"found", "发现"},    {"assessed", "研判"},
                                       {"assigned", "交办"}, {"responded", "处置"},
                                       {"released", "反馈"}, {"closed", "办结"}};
    for (size_t i = 0; s && i < sizeof l / sizeof l[0]; i++)
        if (strcmp(s, l[i][0]) == 0) return l[i][1];
    return s ? s : "";
}

const char *opinion_reach_grade(const struct opinion_settings *s, long long reads, long long shares)
{
    long long reach = reads + shares;
    if (s->reach_grave > 0 && reach >= s->reach_grave) return "grave";
    if (s->reach_major > 0 && reach >= s->reach_major) return "major";
    return "general";
}

enum err opinion_settings_get(struct store *db, struct opinion_settings *out)
{
    return opinion_store_settings_get(db, out);
}

enum err opinion_settings_set(struct store *db, const struct opinion_settings *in,
                              struct problem *p)
{
    if (in->reach_major < 1 || in->reach_grave <= in->reach_major)
        return problem_set(p, ERR_RULE, "reach_grave",
                           "特别重大的传播量门槛应大于重大的门槛（均为正整数）");
    return opinion_store_settings_set(db, in);
}

static _Thread_local struct opinion_case cur;

static enum err load(struct store *db, long long id, const char *want, struct problem *p)
{
    bool found = false;
    enum err e = opinion_store_case_get(db, id, &cur, &found);
    if (e != OK) return e;
    if (!found)
        return problem_set(p, ERR_NOT_FOUND, "id",
                           "舆情条目不存在或无需办理（重复条目随其原始条目办理）");
    if (want && strcmp(cur.status, want) != 0)
        return problem_set(p, ERR_CONFLICT, "status", "当前为「%s」环节，不能执行此操作",
                           opinion_case_status_label(cur.status));
    return OK;
}

static enum err save(struct store *db, const char *from, long long now, struct problem *p)
{
    cur.updated_at = now;
    bool changed = false;
    enum err e = opinion_store_case_update(db, &cur, from, &changed);
    if (e == OK && !changed)
        return problem_set(p, ERR_CONFLICT, "status", "办理状态已变化，请刷新");
    return e;
}

enum err opinion_case_get(struct store *db, long long item_id, struct opinion_case *out)
{
    bool found = false;
    enum err e = opinion_store_case_get(db, item_id, out, &found);
    if (e == OK && !found) return ERR_NOT_FOUND;
    return e;
}

enum err opinion_case_assess(struct store *db, long long id, const char *grade, long long by,
                             long long now, struct problem *p)
{
    enum err e = load(db, id, "found", p);
    if (e != OK) return e;
    if (grade && !opinion_grade_valid(grade))
        return problem_set(p, ERR_RULE, "grade", "等级应为 general、major 或 grave");
    if (grade && strcmp(grade, cur.grade) != 0) {
        snprintf(cur.grade, sizeof cur.grade, "%s", grade);
        cur.due_at = cur.created_at + opinion_clock(grade);
    }
    snprintf(cur.status, sizeof cur.status, "assessed");
    cur.assessed_by = by;
    return save(db, "found", now, p);
}

enum err opinion_case_assign(struct store *db, long long id, long long unit, long long deadline,
                             long long by, long long now, struct problem *p)
{
    enum err e = load(db, id, "assessed", p);
    if (e != OK) return e;
    struct unit u;
    e = unit_get(db, unit, &u);
    if (e == ERR_NOT_FOUND || (e == OK && !u.active))
        return problem_set(p, ERR_RULE, "unit", "承办单位不存在");
    if (e != OK) return e;
    if (!deadline) deadline = cur.due_at;
    if (deadline <= now) return problem_set(p, ERR_RULE, "deadline", "办理期限应晚于现在");
    if (deadline > cur.due_at)
        return problem_set(
            p, ERR_RULE, "deadline",
            "办理期限不能晚于该等级的回应时限（一般 48 小时、重大 24 小时、特别重大 5 "
            "小时）");
    snprintf(cur.status, sizeof cur.status, "assigned");
    cur.unit_id = unit;
    cur.deadline = deadline;
    cur.assigned_by = by;
    char title[200];
    snprintf(title, sizeof title, "舆情交办：请在期限内处置并回应（条目 %lld）", id);
    char link[64], key[64];
    snprintf(link, sizeof link, "/opinion/items/%lld", id);
    snprintf(key, sizeof key, "opinion:%lld:assigned", id);
    struct inbox_item it = {
        .to = {.unit_id = unit, .roles = (1u << ROLE_UNIT_ADMIN) | (1u << ROLE_UNIT_REPORTER)},
        .kind = "opinion_assigned",
        .title = title,
        .link = link,
        .dedupe_key = key};
    e = save(db, "assessed", now, p);
    if (e == OK) e = inbox_add(db, &it, now, NULL);
    return e;
}

static bool in_scope(struct store *db, long long unit_scope, long long unit)
{
    return !unit_scope || unit_scope == unit || unit_within(db, unit, unit_scope);
}

enum err opinion_case_respond(struct store *db, long long id, long long unit_scope,
                              const char *response, const char *links, long long by, long long now,
                              struct problem *p)
{
    enum err e = load(db, id, NULL, p);
    if (e != OK) return e;
    if (!in_scope(db, unit_scope, cur.unit_id) || !cur.unit_id)
        return problem_set(p, ERR_NOT_FOUND, "id", "舆情条目不存在或未交办给本单位");
    if (strcmp(cur.status, "assigned") != 0)
        return problem_set(p, ERR_CONFLICT, "status", "当前为「%s」环节，不能提交处置",
                           opinion_case_status_label(cur.status));
    if (!response || !response[0]) return problem_set(p, ERR_RULE, "response", "请填写回应内容");
    snprintf(cur.status, sizeof cur.status, "responded");
    snprintf(cur.response, sizeof cur.response, "%s", response);
    snprintf(cur.links, sizeof cur.links, "%s", links ? links : "");
    cur.responded_by = by;
    return save(db, "assigned", now, p);
}

enum err opinion_case_signoff(struct store *db, long long id, long long by, long long by_unit,
                              long long now, struct problem *p)
{
    enum err e = load(db, id, NULL, p);
    if (e != OK) return e;
    long long xcb = unit_find(db, OPINION_SIGNOFF_UNIT);
    if (!xcb || by_unit != xcb)
        return problem_set(p, ERR_FORBIDDEN, "id", "只有市委宣传部可以审核重大舆情的回应");
    if (strcmp(cur.grade, "general") == 0)
        return problem_set(p, ERR_CONFLICT, "grade", "一般舆情的回应无需市委宣传部审核");
    if (strcmp(cur.status, "responded") != 0 || cur.signed_by)
        return problem_set(p, ERR_CONFLICT, "status", "没有待审核的回应");
    if (cur.responded_by == by)
        return problem_set(p, ERR_FORBIDDEN, "id", "回应的起草人不能审核自己的回应");
    cur.signed_by = by;
    cur.signed_at = now;
    return save(db, "responded", now, p);
}

enum err opinion_case_release(struct store *db, long long id, long long unit_scope, long long by,
                              long long now, struct problem *p)
{
    enum err e = load(db, id, NULL, p);
    if (e != OK) return e;
    if (!in_scope(db, unit_scope, cur.unit_id) || !cur.unit_id)
        return problem_set(p, ERR_NOT_FOUND, "id", "舆情条目不存在或未交办给本单位");
    if (strcmp(cur.status, "responded") != 0)
        return problem_set(p, ERR_CONFLICT, "status", "当前为「%s」环节，不能发布回应",
                           opinion_case_status_label(cur.status));
    if (strcmp(cur.grade, "general") != 0 && !cur.signed_by)
        return problem_set(p, ERR_CONFLICT, "signed_by",
                           "重大、特别重大舆情的回应须经市委宣传部审核后才能发布（一个声音）");
    snprintf(cur.status, sizeof cur.status, "released");
    cur.released_by = by;
    cur.released_at = now;
    e = save(db, "responded", now, p);
    char key[64];
    snprintf(key, sizeof key, "opinion:%lld:assigned", id);
    if (e == OK) e = inbox_done_key(db, key, by, now);
    return e;
}

enum err opinion_case_close(struct store *db, long long id, long long by, long long now,
                            struct problem *p)
{
    enum err e = load(db, id, "released", p);
    if (e != OK) return e;
    snprintf(cur.status, sizeof cur.status, "closed");
    cur.closed_by = by;
    cur.closed_at = now;
    return save(db, "released", now, p);
}

struct due {
    long long id, unit;
    char grade[12];
};

struct tick_ctx {
    struct due *d;
    size_t n, cap;
};

static bool on_overdue(void *c, const struct opinion_case *oc)
{
    struct tick_ctx *t = c;
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 32;
        struct due *d = realloc(t->d, nc * sizeof *d);
        if (!d) return false;
        t->d = d;
        t->cap = nc;
    }
    t->d[t->n].id = oc->item_id;
    t->d[t->n].unit = oc->unit_id;
    snprintf(t->d[t->n].grade, sizeof t->d[t->n].grade, "%s", oc->grade);
    t->n++;
    return true;
}

enum err opinion_tick(struct store *db, const struct keys *k, long long now, char *summary,
                      size_t len)
{
    (void)k;
    struct tick_ctx t = {0};
    enum err e = opinion_store_cases_overdue(db, now, on_overdue, &t);
    size_t done = 0;
    for (size_t i = 0; e == OK && i < t.n; i++) {
        char title[200], link[64], key[64];
        snprintf(title, sizeof title, "舆情超时未回应（%s，条目 %lld），已升级督办",
                 opinion_grade_label(t.d[i].grade), t.d[i].id);
        snprintf(link, sizeof link, "/opinion/items/%lld", t.d[i].id);
        snprintf(key, sizeof key, "opinion:%lld:overdue:office", t.d[i].id);
        struct inbox_item office = {.to = {.roles = 1u << ROLE_OFFICE},
                                    .kind = "opinion_overdue",
                                    .title = title,
                                    .link = link,
                                    .dedupe_key = key};
        e = inbox_add(db, &office, now, NULL);
        if (e == OK && t.d[i].unit) {
            snprintf(key, sizeof key, "opinion:%lld:overdue:unit", t.d[i].id);
            struct inbox_item unit = office;
            unit.to = (struct inbox_target){.unit_id = t.d[i].unit,
                                            .roles = (1u << ROLE_UNIT_ADMIN) |
                                                     (1u << ROLE_UNIT_REPORTER)};
            unit.dedupe_key = key;
            e = inbox_add(db, &unit, now, NULL);
        }
        if (e == OK) e = opinion_store_case_escalated(db, t.d[i].id, now);
        if (e == OK) done++;
    }
    free(t.d);
    if (done) snprintf(summary, len, "%zu public-opinion items escalated", done);
    return e;
}
