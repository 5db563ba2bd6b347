/* api_plan.c - plan routes: every business role reads plans (a code alone means its latest
 * published version; ?version=N or ?version=draft picks another), the office copies a
 * published version into a draft, edits the draft (plan fields, actions with measures,
 * tasks, obligations), publishes it, and imports or exports whole plan documents. A
 * published version never changes: every edit of one is a 409 that says to create a draft.
 * Writes run inside the pipeline's transaction (server.c), so a failed check stores nothing. */
#include "http/route.h"
#include "http/server.h"
#include "base/date.h"
#include "base/jv.h"
#include "base/table.h"
#include "org/units.h"
#include "plan/plan.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- common ---- */

/* A failed check: the connection's error when storage failed during it, else the problem. */
static enum err problem(struct req *r, const struct problem *p)
{
    if (store_err(r->db)) return req_store_fail(r);
    return req_fail_problem(r, p);
}

/* ?version=N | draft → PLAN_V_* or N. */
static enum err version_param(struct req *r, int *v)
{
    const char *s = req_query(r, "version");
    *v = PLAN_V_DEFAULT;
    if (!s) return OK;
    if (strcmp(s, "draft") == 0) {
        *v = PLAN_V_DRAFT;
        return OK;
    }
    char *end;
    long n = strtol(s, &end, 10);
    if (!*s || *end || n < 1 || n > 100000)
        return req_fail(r, ERR_BAD_REQUEST, "version", "参数 version 应为正整数或 draft");
    *v = (int)n;
    return OK;
}

/* The plan version a read means. */
static enum err read_target(struct req *r, struct plan_row *p)
{
    int v;
    enum err e = version_param(r, &v);
    if (e != OK) return e;
    const char *code = req_param(r, "code");
    e = plan_store_find(r->db, code, v, p);
    if (e == ERR_NOT_FOUND) {
        if (v == PLAN_V_DRAFT) return req_fail(r, ERR_NOT_FOUND, "version", "方案 %s 没有草稿", code);
        if (v > 0) return req_fail(r, ERR_NOT_FOUND, "version", "方案 %s 没有第 %d 版", code, v);
        return req_fail(r, ERR_NOT_FOUND, "code", "方案不存在：%s", code);
    }
    return e == OK ? OK : req_store_fail(r);
}

static enum err refuse_published(struct req *r, const struct plan_row *p)
{
    return req_fail(r, ERR_CONFLICT, NULL,
                    "方案 %s 第 %d 版已发布，已发布的方案不能修改：请先创建草稿（POST /api/v1/plans/%s/drafts），"
                    "在草稿中修改后再发布",
                    p->code, p->version, p->code);
}

/* The draft a write means: the code's draft, or ?version=N when that is a draft. */
static enum err edit_target(struct req *r, struct plan_row *p)
{
    int v;
    enum err e = version_param(r, &v);
    if (e != OK) return e;
    const char *code = req_param(r, "code");
    e = plan_store_find(r->db, code, v == PLAN_V_DEFAULT ? PLAN_V_DRAFT : v, p);
    if (e == ERR_NOT_FOUND && v == PLAN_V_DEFAULT) {
        e = plan_store_find(r->db, code, PLAN_V_DEFAULT, p);
        if (e == OK) return refuse_published(r, p);
    }
    if (e == ERR_NOT_FOUND) {
        if (v > 0) return req_fail(r, ERR_NOT_FOUND, "version", "方案 %s 没有第 %d 版", code, v);
        return req_fail(r, ERR_NOT_FOUND, "code", "方案不存在：%s", code);
    }
    if (e != OK) return req_store_fail(r);
    if (!p->draft) return refuse_published(r, p);
    r->audit_object = arena_printf(r->a, "plan:%s@%d", p->code, p->version);
    return OK;
}

static void touch(struct req *r, const struct plan_row *p)
{
    store_do(r->db, "UPDATE plans SET updated_at = ?, updated_by = ? WHERE id = ?", "iIi", r->now,
             r->who ? r->who->user_id : 0LL, p->id);
}

/* limit (1..1000, default 200: a whole plan's tasks on one page) and cursor. */
static enum err page(struct req *r, long long *limit, long long *after)
{
    enum err e = req_query_int(r, "limit", 1, 1000, 200, limit);
    if (e != OK) return e;
    const char *c = req_query(r, "cursor");
    *after = 0;
    if (c) {
        char *end;
        *after = strtoll(c, &end, 10);
        if (!*c || *end || *after < 0)
            return req_fail(r, ERR_BAD_REQUEST, "cursor", "cursor 无效：请使用上一页返回的 next_cursor");
    }
    return OK;
}

static bool positive_param(struct req *r, const char *name, long long *out)
{
    const char *s = req_param(r, name);
    char *end;
    *out = s ? strtoll(s, &end, 10) : 0;
    return s && *s && !*end && *out > 0 && *out < 100000;
}

static struct plan_check_ctx check_ctx(struct req *r, const struct plan_row *p, json_t *kinds)
{
    struct plan_check_ctx c = {.unit = plan_store_unit_lookup, .unit_ctx = r->db, .kinds = kinds};
    if (p) {
        date_parse(p->start, &c.plan_start);
        date_parse(p->end, &c.plan_end);
    }
    return c;
}

static long long id_of(struct req *r, const char *sql, long long plan_id, long long no)
{
    struct store_stmt *q = store_q(r->db, sql, "ii", plan_id, no);
    long long id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return id;
}

#define TASK_BY_NO "SELECT id FROM plan_tasks WHERE plan_id = ? AND no = ?"
#define ACTION_BY_NO "SELECT id FROM plan_actions WHERE plan_id = ? AND no = ?"

/* ---- plans ---- */

static enum err list_plans(struct req *r)
{
    long long limit, after;
    enum err e = page(r, &limit, &after);
    if (e != OK) return e;
    const char *status = req_query(r, "status");
    const char *code = req_query(r, "code");
    if (status && strcmp(status, "draft") != 0 && strcmp(status, "published") != 0)
        return req_fail(r, ERR_RULE, "status", "status 应为 draft 或 published");
    struct store_stmt *q = store_q(r->db,
                                   "SELECT id, code, title, start_date, end_date, status, version, doc_no, issued"
                                   " FROM plans WHERE id > ? AND (CAST(? AS TEXT) IS NULL OR status = ?)"
                                   " AND (CAST(? AS TEXT) IS NULL OR code = ?) ORDER BY id LIMIT ?",
                                   "itttti", after, status, status, code, code, limit);
    json_t *items = json_array();
    long long last = 0;
    while (store_row(q)) {
        last = store_int(q, 0);
        json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:s?,s:s?}", "code", store_text(q, 1),
                                               "title", store_text(q, 2), "start", store_text(q, 3), "end",
                                               store_text(q, 4), "status", store_text(q, 5), "version",
                                               store_int(q, 6), "doc_no", store_text(q, 7), "issued",
                                               store_text(q, 8)));
    }
    store_done(q);
    if (store_err(r->db)) {
        json_decref(items);
        return req_store_fail(r);
    }
    return reply_page(r, items, limit, last);
}

static enum err get_plan(struct req *r)
{
    struct plan_row p;
    enum err e = read_target(r, &p);
    if (e != OK) return e;
    json_t *o = plan_store_plan_json(r->db, p.id);
    return o ? reply_json(r, 200, o) : req_store_fail(r);
}

static enum err patch_plan(struct req *r)
{
    struct plan_row p;
    enum err e = edit_target(r, &p);
    if (e != OK) return e;
    static const char *const allowed[] = {"title", "doc_no", "issued", "start", "end", "year_themes", "notes", NULL};
    struct jv v = {0};
    if (!jv_begin(&v, r->json, allowed)) return req_fail_jv(r, &v);
    /* check the merged plan fields as a document without items */
    json_t *cur = plan_store_plan_json(r->db, p.id);
    if (!cur) return req_store_fail(r);
    json_t *doc = json_object();
    static const char *const keep[] = {"code", "title", "doc_no", "issued", "start", "end", "year_themes", "notes", NULL};
    for (const char *const *k = keep; *k; k++) json_object_set(doc, *k, json_object_get(cur, *k));
    json_decref(cur);
    json_object_update(doc, r->json);
    json_object_set_new(doc, "actions", json_array());
    json_object_set_new(doc, "tasks", json_array());
    struct plan_check_ctx c = check_ctx(r, NULL, NULL);
    struct problem pr;
    if (!plan_check_doc(doc, &c, &pr)) {
        json_decref(doc);
        return problem(r, &pr);
    }
    char *themes = json_dumps(json_object_get(doc, "year_themes"), JSON_COMPACT);
    char *notes = json_dumps(json_object_get(doc, "notes"), JSON_COMPACT);
    store_do(r->db,
             "UPDATE plans SET title = ?, doc_no = ?, issued = ?, start_date = ?, end_date = ?, year_themes = ?,"
             " notes = ?, updated_at = ?, updated_by = ? WHERE id = ?",
             "tttttttiIi", json_string_value(json_object_get(doc, "title")),
             json_string_value(json_object_get(doc, "doc_no")), json_string_value(json_object_get(doc, "issued")),
             json_string_value(json_object_get(doc, "start")), json_string_value(json_object_get(doc, "end")), themes,
             notes, r->now, r->who->user_id, p.id);
    free(themes);
    free(notes);
    json_decref(doc);
    if (store_err(r->db)) return req_store_fail(r);
    json_t *o = plan_store_plan_json(r->db, p.id);
    return o ? reply_json(r, 200, o) : req_store_fail(r);
}

static enum err delete_plan(struct req *r)
{
    struct plan_row p;
    enum err e = edit_target(r, &p);
    if (e != OK) return e;
    if (store_do(r->db, "DELETE FROM plans WHERE id = ?", "i", p.id) != OK) return req_store_fail(r);
    return reply_json(r, 200, json_pack("{s:b,s:s,s:i}", "deleted", 1, "code", p.code, "version", p.version));
}

static enum err create_draft(struct req *r)
{
    static const char *const allowed[] = {"code", "title", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *code = jv_str(&v, "code", false, 64);
    const char *title = jv_str(&v, "title", false, 500);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    int ver;
    enum err e = version_param(r, &ver);
    if (e != OK) return e;
    const char *src_code = req_param(r, "code");
    struct plan_row src;
    e = ver > 0 ? plan_store_find(r->db, src_code, ver, &src) : plan_store_find_published(r->db, src_code, &src);
    if (e == ERR_NOT_FOUND) {
        struct plan_row any;
        if (plan_store_find(r->db, src_code, PLAN_V_DEFAULT, &any) == OK)
            return req_fail(r, ERR_CONFLICT, "code", "方案 %s 还没有已发布的版本可供复制：请直接修改其草稿", src_code);
        return req_fail(r, ERR_NOT_FOUND, "code", "方案不存在：%s", src_code);
    }
    if (e != OK) return req_store_fail(r);
    if (src.draft) return req_fail(r, ERR_CONFLICT, "version", "只能从已发布的版本复制草稿");
    if (!code) code = src.code;
    if (!plan_code_valid(code))
        return req_fail(r, ERR_RULE, "code", "方案编码应为 2 到 64 个小写字母、数字或 -（现为 %s）", code);
    int version;
    struct plan_row existing;
    if (strcmp(code, src.code) == 0) {
        if (plan_store_find(r->db, code, PLAN_V_DRAFT, &existing) == OK)
            return req_fail(r, ERR_CONFLICT, "code", "方案 %s 已有草稿（第 %d 版）：请修改该草稿，或先删除它", code,
                            existing.version);
        version = plan_store_max_version(r->db, code) + 1;
    } else {
        if (plan_store_max_version(r->db, code) > 0)
            return req_fail(r, ERR_CONFLICT, "code", "方案编码 %s 已被使用：请换一个编码，或从该方案自身创建草稿", code);
        version = 1;
    }
    if (store_err(r->db)) return req_store_fail(r);
    json_t *doc = plan_store_export_doc(r->db, src.id);
    if (!doc) return req_store_fail(r);
    json_object_set_new(doc, "code", json_string(code));
    if (title) json_object_set_new(doc, "title", json_string(title));
    long long id;
    e = plan_store_insert_doc(r->db, doc, version, "draft", src.id, r->who->user_id, r->now, &id);
    json_decref(doc);
    if (e != OK) return req_store_fail(r);
    r->audit_object = arena_printf(r->a, "plan:%s@%d", code, version);
    r->audit_detail = arena_printf(r->a, "copied from %s@%d", src.code, src.version);
    json_t *o = plan_store_plan_json(r->db, id);
    return o ? reply_json(r, 201, o) : req_store_fail(r);
}

static enum err publish_plan(struct req *r)
{
    struct plan_row p;
    enum err e = edit_target(r, &p);
    if (e != OK) return e;
    json_t *doc = plan_store_export_doc(r->db, p.id);
    json_t *kinds = plan_store_kinds(r->db);
    if (!doc) {
        json_decref(kinds);
        return req_store_fail(r);
    }
    struct plan_check_ctx c = check_ctx(r, NULL, kinds);
    struct problem pr;
    bool ok = plan_check_doc(doc, &c, &pr);
    json_decref(doc);
    json_decref(kinds);
    if (!ok) {
        if (store_err(r->db)) return req_store_fail(r);
        return req_fail(r, pr.err, pr.field[0] ? pr.field : NULL, "草稿未通过发布检查：%s", pr.msg);
    }
    long long who = r->who->user_id;
    if (store_do(r->db,
                 "UPDATE plans SET status = 'published', published_at = ?, published_by = ?, updated_at = ?,"
                 " updated_by = ? WHERE id = ?",
                 "iiiii", r->now, who, r->now, who, p.id) != OK)
        return req_store_fail(r);
    json_t *o = plan_store_plan_json(r->db, p.id);
    return o ? reply_json(r, 200, o) : req_store_fail(r);
}

static enum err export_json(struct req *r)
{
    struct plan_row p;
    enum err e = read_target(r, &p);
    if (e != OK) return e;
    json_t *doc = plan_store_export_doc(r->db, p.id);
    if (!doc) return req_store_fail(r);
    char *text = json_dumps(doc, JSON_INDENT(1));
    json_decref(doc);
    if (!text) return ERR_INTERNAL;
    size_t n = strlen(text);
    char *copy = arena_alloc(r->a, n + 2);
    memcpy(copy, text, n);
    copy[n] = '\n';
    free(text);
    return reply_raw(r, 200, "application/json; charset=utf-8", copy, n + 1,
                     arena_printf(r->a, "%s-v%d.json", p.code, p.version));
}

static enum err export_xlsx(struct req *r)
{
    struct plan_row p;
    enum err e = read_target(r, &p);
    if (e != OK) return e;
    json_t *doc = plan_store_export_doc(r->db, p.id);
    if (!doc) return req_store_fail(r);
    void *data = NULL;
    size_t len = 0;
    e = plan_xlsx_tasks(doc, r->a, &data, &len);
    json_decref(doc);
    if (e != OK) return req_fail(r, e, NULL, "生成 Excel 文件失败");
    return reply_raw(r, 200, TABLE_XLSX_TYPE, data, len,
                     arena_printf(r->a, "%s-v%d-tasks.xlsx", p.code, p.version));
}

static enum err import_plan(struct req *r)
{
    json_t *doc = r->json;
    json_t *kinds = plan_store_kinds(r->db);
    struct plan_check_ctx c = check_ctx(r, NULL, kinds);
    struct problem pr;
    bool ok = plan_check_doc(doc, &c, &pr);
    json_decref(kinds);
    if (!ok) return problem(r, &pr);
    const char *code = json_string_value(json_object_get(doc, "code"));
    struct plan_row existing;
    if (plan_store_find(r->db, code, PLAN_V_DRAFT, &existing) == OK)
        return req_fail(r, ERR_CONFLICT, "code", "方案 %s 已有草稿（第 %d 版）：请先发布或删除该草稿再导入", code,
                        existing.version);
    int version = plan_store_max_version(r->db, code) + 1;
    if (store_err(r->db)) return req_store_fail(r);
    long long id;
    if (plan_store_insert_doc(r->db, doc, version, "draft", 0, r->who->user_id, r->now, &id) != OK)
        return req_store_fail(r);
    r->audit_object = arena_printf(r->a, "plan:%s@%d", code, version);
    r->audit_detail = "imported";
    json_t *o = plan_store_plan_json(r->db, id);
    return o ? reply_json(r, 201, o) : req_store_fail(r);
}

/* ---- items of a draft: actions, tasks, obligations ----
 * Each kind is described once (struct item_kind); the handlers below read, create, patch and
 * delete any of them the same way: find the draft, find the item, check the whole item after
 * merging a PATCH, store it, touch the plan, name the item in the audit row. */

struct item_kind {
    const char *name;       /* in audit objects: plan:CODE@V/NAME:REF */
    const char *param;      /* the path parameter and answer field naming an item: "no" or "key" */
    const char *delete_sql; /* DELETE … WHERE id = ? */
    /* the item the path names: its reference as text and its id (404 otherwise) */
    enum err (*find)(struct req *r, const struct plan_row *p, const char **ref, long long *id);
    /* the item in the document shape checked for this draft: fields, references, a number or
     * key no other item than self (0 when new) uses */
    enum err (*check)(struct req *r, const struct plan_row *p, json_t *doc, long long self);
    /* before a delete: refuse with an error, or add what goes with the item to the answer */
    enum err (*before_delete)(struct req *r, long long id, const char *ref, json_t *answer);
    void (*merge)(json_t *doc, json_t *patch); /* NULL: json_object_update */
    json_t *(*doc)(struct store *db, long long id);
    json_t *(*render)(struct store *db, long long id);
    enum err (*insert)(struct store *db, long long plan_id, json_t *doc, long long *id);
    enum err (*update)(struct store *db, long long id, json_t *doc);
};

/* A number (of an action or task) that no other item of the draft than self uses. */
static enum err unique_no(struct req *r, const char *sql, const struct plan_row *p, json_t *doc, long long self,
                          const char *what)
{
    long long no = json_integer_value(json_object_get(doc, "no"));
    long long other = id_of(r, sql, p->id, no);
    if (store_err(r->db)) return req_store_fail(r);
    if (other && other != self) return req_fail(r, ERR_CONFLICT, "no", "%s序号 %lld 已存在：序号不能重复", what, no);
    return OK;
}

/* The path parameter "no" as an item of the plan found by sql. */
static enum err find_by_no(struct req *r, const struct plan_row *p, const char *sql, const char *what,
                           const char **ref, long long *id)
{
    long long no;
    if (!positive_param(r, "no", &no)) return req_fail(r, ERR_NOT_FOUND, "no", "%s不存在：序号应为正整数", what);
    *id = id_of(r, sql, p->id, no);
    if (!*id)
        return store_err(r->db) ? req_store_fail(r)
                                : req_fail(r, ERR_NOT_FOUND, "no", "方案 %s 第 %d 版没有%s %lld", p->code, p->version,
                                           what, no);
    *ref = arena_printf(r->a, "%lld", no);
    return OK;
}

static enum err item_written(struct req *r, const struct item_kind *k, const struct plan_row *p, const char *ref,
                             long long id, int status)
{
    touch(r, p);
    r->audit_object = arena_printf(r->a, "plan:%s@%d/%s:%s", p->code, p->version, k->name, ref);
    json_t *o = k->render(r->db, id);
    return o ? reply_json(r, status, o) : req_store_fail(r);
}

static enum err get_item(struct req *r, const struct item_kind *k)
{
    struct plan_row p;
    const char *ref;
    long long id;
    enum err e = read_target(r, &p);
    if (e != OK || (e = k->find(r, &p, &ref, &id)) != OK) return e;
    json_t *o = k->render(r->db, id);
    return o ? reply_json(r, 200, o) : req_store_fail(r);
}

static enum err create_item(struct req *r, const struct item_kind *k)
{
    struct plan_row p;
    enum err e = edit_target(r, &p);
    if (e != OK || (e = k->check(r, &p, r->json, 0)) != OK) return e;
    long long id;
    if (k->insert(r->db, p.id, r->json, &id) != OK) return req_store_fail(r);
    json_t *ref = json_object_get(r->json, k->param);
    return item_written(r, k, &p,
                        json_is_string(ref) ? json_string_value(ref)
                                            : arena_printf(r->a, "%lld", (long long)json_integer_value(ref)),
                        id, 201);
}

static enum err patch_item(struct req *r, const struct item_kind *k)
{
    struct plan_row p;
    const char *ref;
    long long id;
    enum err e = edit_target(r, &p);
    if (e != OK || (e = k->find(r, &p, &ref, &id)) != OK) return e;
    if (!json_is_object(r->json)) return req_fail(r, ERR_BAD_REQUEST, NULL, "请求体应为 JSON 对象");
    json_t *doc = k->doc(r->db, id);
    if (!doc) return req_store_fail(r);
    if (k->merge)
        k->merge(doc, r->json);
    else
        json_object_update(doc, r->json);
    e = k->check(r, &p, doc, id);
    if (e == OK && k->update(r->db, id, doc) != OK) e = req_store_fail(r);
    json_decref(doc);
    return e == OK ? item_written(r, k, &p, ref, id, 200) : e;
}

static enum err delete_item(struct req *r, const struct item_kind *k)
{
    struct plan_row p;
    const char *ref;
    long long id;
    enum err e = edit_target(r, &p);
    if (e != OK || (e = k->find(r, &p, &ref, &id)) != OK) return e;
    json_t *answer = json_pack("{s:b,s:o}", "deleted", 1, k->param,
                               strcmp(k->param, "no") == 0 ? json_integer(strtoll(ref, NULL, 10)) : json_string(ref));
    if (k->before_delete && (e = k->before_delete(r, id, ref, answer)) != OK) {
        json_decref(answer);
        return e;
    }
    if (store_do(r->db, k->delete_sql, "i", id) != OK) {
        json_decref(answer);
        return req_store_fail(r);
    }
    touch(r, &p);
    r->audit_object = arena_printf(r->a, "plan:%s@%d/%s:%s", p.code, p.version, k->name, ref);
    return reply_json(r, 200, answer);
}

/* ---- actions ---- */

static enum err list_actions(struct req *r)
{
    struct plan_row p;
    long long limit, after;
    enum err e = read_target(r, &p);
    if (e != OK || (e = page(r, &limit, &after)) != OK) return e;
    struct store_stmt *q = store_q(r->db, "SELECT id, no FROM plan_actions WHERE plan_id = ? AND no > ? ORDER BY no LIMIT ?",
                                   "iii", p.id, after, limit);
    long long ids[1000], last = 0;
    size_t n = 0;
    while (store_row(q) && n < 1000) {
        ids[n++] = store_int(q, 0);
        last = store_int(q, 1);
    }
    store_done(q);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *a = plan_store_action_json(r->db, ids[i]);
        if (a) json_array_append_new(items, a);
    }
    if (store_err(r->db)) {
        json_decref(items);
        return req_store_fail(r);
    }
    return reply_page(r, items, limit, last);
}

static enum err action_find(struct req *r, const struct plan_row *p, const char **ref, long long *id)
{
    return find_by_no(r, p, ACTION_BY_NO, "行动", ref, id);
}

static enum err action_check(struct req *r, const struct plan_row *p, json_t *doc, long long self)
{
    struct problem pr = {0};
    if (!plan_check_action(doc, "", &pr)) return problem(r, &pr);
    enum err e = unique_no(r, ACTION_BY_NO, p, doc, self, "行动");
    if (e != OK || !self) return e;
    /* a measure dropped from the list must not be used by a task */
    struct store_stmt *q = store_q(r->db,
                                   "SELECT m.no, t.no FROM plan_measures m JOIN plan_tasks t ON t.measure_id = m.id"
                                   " WHERE m.action_id = ? ORDER BY m.no, t.no",
                                   "i", self);
    long long used_m = 0, used_t = 0;
    while (store_row(q) && !used_m) {
        bool listed = false;
        size_t i;
        json_t *m;
        json_array_foreach(json_object_get(doc, "measures"), i, m)
            if (json_integer_value(json_object_get(m, "no")) == store_int(q, 0)) listed = true;
        if (!listed) used_m = store_int(q, 0), used_t = store_int(q, 1);
    }
    store_done(q);
    if (used_m)
        return req_fail(r, ERR_CONFLICT, "measures", "措施 %lld 仍被任务 %lld 引用，不能删除：请先修改或删除该任务", used_m, used_t);
    return store_err(r->db) ? req_store_fail(r) : OK;
}

static enum err action_before_delete(struct req *r, long long id, const char *ref, json_t *answer)
{
    (void)answer;
    struct store_stmt *q = store_q(r->db, "SELECT COUNT(*) FROM plan_tasks WHERE action_id = ?", "i", id);
    long long n = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(r->db)) return req_store_fail(r);
    if (n) return req_fail(r, ERR_CONFLICT, "no", "行动 %s 下还有 %lld 项任务，不能删除：请先删除或移走这些任务", ref, n);
    return OK;
}

static const struct item_kind ACTION = {
    .name = "action",
    .param = "no",
    .delete_sql = "DELETE FROM plan_actions WHERE id = ?",
    .find = action_find,
    .check = action_check,
    .before_delete = action_before_delete,
    .doc = plan_store_action_doc,
    .render = plan_store_action_json,
    .insert = plan_store_insert_action,
    .update = plan_store_update_action,
};

static enum err get_action(struct req *r) { return get_item(r, &ACTION); }
static enum err create_action(struct req *r) { return create_item(r, &ACTION); }
static enum err patch_action(struct req *r) { return patch_item(r, &ACTION); }
static enum err delete_action(struct req *r) { return delete_item(r, &ACTION); }

/* ---- tasks ---- */

static enum err list_tasks(struct req *r)
{
    struct plan_row p;
    long long limit, after, action = 0;
    enum err e = read_target(r, &p);
    if (e != OK || (e = page(r, &limit, &after)) != OK) return e;
    if ((e = req_query_int(r, "action", 1, 999, 0, &action)) != OK) return e;
    const char *unit_s = req_query(r, "unit"), *role = req_query(r, "role");
    long long unit = 0;
    if (unit_s && !(unit = unit_find(r->db, unit_s)))
        return store_err(r->db) ? req_store_fail(r) : req_fail(r, ERR_RULE, "unit", "单位不存在：%s", unit_s);
    if (role && strcmp(role, "lead") != 0 && strcmp(role, "coop") != 0)
        return req_fail(r, ERR_RULE, "role", "role 应为 lead（牵头）或 coop（配合）");
    struct store_stmt *q = store_q(
        r->db,
        "SELECT t.id, t.no FROM plan_tasks t JOIN plan_actions a ON a.id = t.action_id"
        " WHERE t.plan_id = ? AND t.no > ?"
        " AND (CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM plan_task_units u WHERE u.task_id = t.id"
        "  AND u.unit_id = ? AND (CAST(? AS TEXT) IS NULL OR u.role = ?)))"
        " AND (CAST(? AS BIGINT) = 0 OR a.no = ?) ORDER BY t.no LIMIT ?",
        "iiiittiii", p.id, after, unit, unit, role, role, action, action, limit);
    long long ids[1000], last = 0;
    size_t n = 0;
    while (store_row(q) && n < 1000) {
        ids[n++] = store_int(q, 0);
        last = store_int(q, 1);
    }
    store_done(q);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *t = plan_store_task_json(r->db, ids[i], false);
        if (t) json_array_append_new(items, t);
    }
    if (store_err(r->db)) {
        json_decref(items);
        return req_store_fail(r);
    }
    return reply_page(r, items, limit, last);
}

static enum err task_find(struct req *r, const struct plan_row *p, const char **ref, long long *id)
{
    return find_by_no(r, p, TASK_BY_NO, "任务", ref, id);
}

/* The task's action and measure exist in the plan. */
static enum err task_refs_ok(struct req *r, const struct plan_row *p, json_t *t)
{
    long long an = json_integer_value(json_object_get(t, "action"));
    long long mn = json_integer_value(json_object_get(t, "measure"));
    long long aid = id_of(r, ACTION_BY_NO, p->id, an);
    if (!aid) return store_err(r->db) ? req_store_fail(r) : req_fail(r, ERR_RULE, "action", "行动 %lld 不存在", an);
    long long mid = id_of(r, "SELECT id FROM plan_measures WHERE action_id = ? AND no = ?", aid, mn);
    if (!mid) return store_err(r->db) ? req_store_fail(r) : req_fail(r, ERR_RULE, "measure", "行动 %lld 没有措施 %lld", an, mn);
    return OK;
}

static enum err task_check(struct req *r, const struct plan_row *p, json_t *doc, long long self)
{
    struct plan_check_ctx c = check_ctx(r, p, NULL);
    struct problem pr = {0};
    if (!plan_check_task(doc, "", &c, &pr)) return problem(r, &pr);
    enum err e = task_refs_ok(r, p, doc);
    return e != OK ? e : unique_no(r, TASK_BY_NO, p, doc, self, "任务");
}

/* A task's obligations go with it; the answer says how many. */
static enum err task_before_delete(struct req *r, long long id, const char *ref, json_t *answer)
{
    (void)ref;
    struct store_stmt *q = store_q(r->db, "SELECT COUNT(*) FROM plan_obligations WHERE task_id = ?", "i", id);
    long long n = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(r->db)) return req_store_fail(r);
    json_object_set_new(answer, "obligations_deleted", json_integer(n));
    return OK;
}

static json_t *task_render(struct store *db, long long id)
{
    return plan_store_task_json(db, id, true);
}

static const struct item_kind TASK = {
    .name = "task",
    .param = "no",
    .delete_sql = "DELETE FROM plan_tasks WHERE id = ?",
    .find = task_find,
    .check = task_check,
    .before_delete = task_before_delete,
    .doc = plan_store_task_doc,
    .render = task_render,
    .insert = plan_store_insert_task,
    .update = plan_store_update_task,
};

static enum err get_task(struct req *r) { return get_item(r, &TASK); }
static enum err create_task(struct req *r) { return create_item(r, &TASK); }
static enum err patch_task(struct req *r) { return patch_item(r, &TASK); }
static enum err delete_task(struct req *r) { return delete_item(r, &TASK); }

/* A 附件1 sheet replaces the draft's tasks (plan_sheet_read() in plan.h): tasks are matched
 * by 序号, so the ones kept keep their obligations; tasks missing from the sheet are deleted
 * with their obligations, which the answer lists (dry_run=1 shows it first). */
static enum err import_tasks(struct req *r)
{
    struct plan_row p;
    enum err e = edit_target(r, &p);
    if (e != OK) return e;
    bool dry_run = req_dry_run(r);
    struct table t;
    bool xlsx;
    if ((e = req_read_table(r, PLAN_SHEET_MAX_BYTES, PLAN_SHEET_MAX_ROWS, &t, &xlsx)) != OK) return e;
    json_t *draft = plan_store_export_doc(r->db, p.id);
    json_t *kinds = plan_store_kinds(r->db);
    struct plan_sheet sheet = {0};
    if (!draft || !kinds) {
        e = req_store_fail(r);
        goto out;
    }
    struct plan_check_ctx c = check_ctx(r, NULL, kinds);
    e = plan_sheet_read(&t, draft, &c, &sheet);
    if (e == ERR_INTERNAL || store_err(r->db)) {
        e = store_err(r->db) ? req_store_fail(r) : ERR_INTERNAL;
        goto out;
    }
    if (e == ERR_RULE) {
        r->audit_detail = arena_printf(r->a, "rejected: %zu error(s)", sheet.errors.total);
        e = reply_row_errors(r, &sheet.errors,
                             arena_printf(r->a, "任务表有 %zu 处错误，草稿未作任何修改：请按行号和列名修改后重新导入",
                                          sheet.errors.total));
        goto out;
    }
    json_t *changes = plan_sheet_changes(draft, sheet.tasks);
    size_t i;
    json_t *x;
    if (!dry_run) {
        json_array_foreach(json_object_get(changes, "removed"), i, x)
            store_do(r->db, "DELETE FROM plan_tasks WHERE plan_id = ? AND no = ?", "ii", p.id, json_integer_value(x));
        json_array_foreach(sheet.tasks, i, x) {
            long long id = id_of(r, TASK_BY_NO, p.id, json_integer_value(json_object_get(x, "no")));
            long long added;
            if (store_err(r->db) || (id ? plan_store_update_task(r->db, id, x) : plan_store_insert_task(r->db, p.id, x, &added)) != OK)
                break;
        }
        if (store_err(r->db)) {
            json_decref(changes);
            e = req_store_fail(r);
            goto out;
        }
        touch(r, &p);
    }
    r->audit_detail = arena_printf(r->a, "%s%s: %zu added, %zu changed, %zu removed", dry_run ? "dry run, " : "",
                                   xlsx ? "xlsx" : "csv", json_array_size(json_object_get(changes, "added")),
                                   json_array_size(json_object_get(changes, "changed")),
                                   json_array_size(json_object_get(changes, "removed")));
    json_object_set_new(changes, "dry_run", json_boolean(dry_run));
    json_object_set_new(changes, "tasks", json_integer((json_int_t)json_array_size(sheet.tasks)));
    e = reply_json(r, 200, changes);
out:
    plan_sheet_free(&sheet);
    json_decref(draft);
    json_decref(kinds);
    table_free(&t);
    return e;
}

/* ---- obligations ---- */

static enum err list_obligations(struct req *r)
{
    struct plan_row p;
    long long limit, after, task = 0;
    enum err e = read_target(r, &p);
    if (e != OK || (e = page(r, &limit, &after)) != OK) return e;
    if ((e = req_query_int(r, "task", 1, 9999, 0, &task)) != OK) return e;
    if (task && !id_of(r, TASK_BY_NO, p.id, task))
        return store_err(r->db) ? req_store_fail(r) : req_fail(r, ERR_RULE, "task", "任务 %lld 不存在", task);
    const char *unit_s = req_query(r, "unit");
    long long unit = 0;
    if (unit_s && !(unit = unit_find(r->db, unit_s)))
        return store_err(r->db) ? req_store_fail(r) : req_fail(r, ERR_RULE, "unit", "单位不存在：%s", unit_s);
    struct store_stmt *q = store_q(
        r->db,
        "SELECT o.id FROM plan_obligations o JOIN plan_tasks t ON t.id = o.task_id"
        " WHERE o.plan_id = ? AND o.id > ? AND (CAST(? AS BIGINT) = 0 OR t.no = ?)"
        " AND (CAST(? AS BIGINT) = 0"
        "  OR EXISTS (SELECT 1 FROM plan_obligation_units w WHERE w.obligation_id = o.id AND w.unit_id = ?)"
        "  OR EXISTS (SELECT 1 FROM plan_obligation_tiers w JOIN units n ON n.tier = w.tier"
        "   WHERE w.obligation_id = o.id AND n.id = ?))"
        " ORDER BY o.id LIMIT ?",
        "iiiiiiii", p.id, after, task, task, unit, unit, unit, limit);
    size_t n;
    long long ids[2000];
    for (n = 0; n < 2000 && store_row(q);) ids[n++] = store_int(q, 0);
    store_done(q);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = plan_store_obligation_json(r->db, ids[i]);
        if (o) json_array_append_new(items, o);
    }
    if (store_err(r->db)) {
        json_decref(items);
        return req_store_fail(r);
    }
    return reply_page(r, items, limit, n ? ids[n - 1] : 0);
}

static enum err obligation_find(struct req *r, const struct plan_row *p, const char **ref, long long *id)
{
    *ref = req_param(r, "key");
    struct store_stmt *q = store_q(r->db, "SELECT id FROM plan_obligations WHERE plan_id = ? AND okey = ?", "it", p->id, *ref);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (!*id) return store_err(r->db) ? req_store_fail(r) : req_fail(r, ERR_NOT_FOUND, "key", "义务不存在：%s", *ref);
    return OK;
}

/* Checks an obligation for this draft: fields, its task, a unique key (other than self_id). */
static enum err check_obligation(struct req *r, const struct plan_row *p, json_t *o, long long self_id)
{
    json_t *kinds = plan_store_kinds(r->db);
    struct plan_check_ctx c = check_ctx(r, p, kinds);
    struct problem pr = {0};
    bool ok = plan_check_obligation(o, "", &c, &pr);
    json_decref(kinds);
    if (!ok) return problem(r, &pr);
    long long task = json_integer_value(json_object_get(o, "task"));
    if (!id_of(r, TASK_BY_NO, p->id, task))
        return store_err(r->db) ? req_store_fail(r) : req_fail(r, ERR_RULE, "task", "任务 %lld 不存在", task);
    const char *key = json_string_value(json_object_get(o, "key"));
    struct store_stmt *q = store_q(r->db, "SELECT id FROM plan_obligations WHERE plan_id = ? AND okey = ?", "it", p->id, key);
    long long other = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (other && other != self_id) return req_fail(r, ERR_CONFLICT, "key", "义务编码 %s 已存在", key);
    return store_err(r->db) ? req_store_fail(r) : OK;
}

/* A new per without due, or a new who, replaces the old one. */
static void obligation_merge(json_t *doc, json_t *patch)
{
    json_t *per = json_object_get(patch, "per");
    if (json_is_string(per) && strcmp(json_string_value(per), "once") != 0 && !json_object_get(patch, "due"))
        json_object_del(doc, "due");
    json_object_update(doc, patch);
}

static const struct item_kind OBLIGATION = {
    .name = "obligation",
    .param = "key",
    .delete_sql = "DELETE FROM plan_obligations WHERE id = ?",
    .find = obligation_find,
    .check = check_obligation,
    .merge = obligation_merge,
    .doc = plan_store_obligation_doc,
    .render = plan_store_obligation_json,
    .insert = plan_store_insert_obligation,
    .update = plan_store_update_obligation,
};

static enum err get_obligation(struct req *r) { return get_item(r, &OBLIGATION); }
static enum err create_obligation(struct req *r) { return create_item(r, &OBLIGATION); }
static enum err patch_obligation(struct req *r) { return patch_item(r, &OBLIGATION); }
static enum err delete_obligation(struct req *r) { return delete_item(r, &OBLIGATION); }

/* ---- activity kinds ---- */

static enum err list_activity_kinds(struct req *r)
{
    long long limit, after;
    enum err e = page(r, &limit, &after);
    if (e != OK) return e;
    const char *plan = req_query(r, "plan");
    long long plan_id = 0;
    if (plan) {
        struct plan_row p;
        e = plan_store_find(r->db, plan, PLAN_V_DEFAULT, &p);
        if (e == ERR_NOT_FOUND) return req_fail(r, ERR_RULE, "plan", "方案不存在：%s", plan);
        if (e != OK) return req_store_fail(r);
        plan_id = p.id;
    }
    struct store_stmt *q = store_q(r->db,
                                   "SELECT k.id, k.code, k.name, k.metrics FROM activity_kinds k WHERE k.id > ?"
                                   " AND (CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM plan_activity_kinds p"
                                   "  WHERE p.kind_id = k.id AND p.plan_id = ?)) ORDER BY k.id LIMIT ?",
                                   "iiii", after, plan_id, plan_id, limit);
    json_t *items = json_array();
    long long last = 0;
    while (store_row(q)) {
        last = store_int(q, 0);
        json_t *m = json_loads(store_text(q, 3), 0, NULL);
        json_array_append_new(items, json_pack("{s:s,s:s,s:o}", "code", store_text(q, 1), "name", store_text(q, 2),
                                               "metrics", m ? m : json_array()));
    }
    store_done(q);
    if (store_err(r->db)) {
        json_decref(items);
        return req_store_fail(r);
    }
    return reply_page(r, items, limit, last);
}

const struct route plan_routes[] = {
    {M_GET, "/api/v1/plans", PERM_PLAN_READ, BODY_NONE, NULL, list_plans, 0},
    {M_POST, "/api/v1/plans/import", PERM_PLAN_EDIT, BODY_JSON, "plan.import", import_plan, 0},
    {M_GET, "/api/v1/plans/{code}", PERM_PLAN_READ, BODY_NONE, NULL, get_plan, 0},
    {M_PATCH, "/api/v1/plans/{code}", PERM_PLAN_EDIT, BODY_JSON, "plan.update", patch_plan, 0},
    {M_DELETE, "/api/v1/plans/{code}", PERM_PLAN_EDIT, BODY_NONE, "plan.delete_draft", delete_plan, 0},
    {M_POST, "/api/v1/plans/{code}/drafts", PERM_PLAN_EDIT, BODY_JSON, "plan.draft", create_draft, 0},
    {M_POST, "/api/v1/plans/{code}/publish", PERM_PLAN_EDIT, BODY_NONE, "plan.publish", publish_plan, 0},
    {M_GET, "/api/v1/plans/{code}/export.json", PERM_PLAN_READ, BODY_NONE, NULL, export_json, 0},
    {M_GET, "/api/v1/plans/{code}/export.xlsx", PERM_PLAN_READ, BODY_NONE, NULL, export_xlsx, 0},
    {M_GET, "/api/v1/plans/{code}/actions", PERM_PLAN_READ, BODY_NONE, NULL, list_actions, 0},
    {M_POST, "/api/v1/plans/{code}/actions", PERM_PLAN_EDIT, BODY_JSON, "plan.action.create", create_action, 0},
    {M_GET, "/api/v1/plans/{code}/actions/{no}", PERM_PLAN_READ, BODY_NONE, NULL, get_action, 0},
    {M_PATCH, "/api/v1/plans/{code}/actions/{no}", PERM_PLAN_EDIT, BODY_JSON, "plan.action.update", patch_action, 0},
    {M_DELETE, "/api/v1/plans/{code}/actions/{no}", PERM_PLAN_EDIT, BODY_NONE, "plan.action.delete", delete_action, 0},
    {M_GET, "/api/v1/plans/{code}/tasks", PERM_PLAN_READ, BODY_NONE, NULL, list_tasks, 0},
    {M_POST, "/api/v1/plans/{code}/tasks", PERM_PLAN_EDIT, BODY_JSON, "plan.task.create", create_task, 0},
    {M_POST, "/api/v1/plans/{code}/tasks/import", PERM_PLAN_EDIT, BODY_RAW, "plan.task.import", import_tasks, 0},
    {M_GET, "/api/v1/plans/{code}/tasks/{no}", PERM_PLAN_READ, BODY_NONE, NULL, get_task, 0},
    {M_PATCH, "/api/v1/plans/{code}/tasks/{no}", PERM_PLAN_EDIT, BODY_JSON, "plan.task.update", patch_task, 0},
    {M_DELETE, "/api/v1/plans/{code}/tasks/{no}", PERM_PLAN_EDIT, BODY_NONE, "plan.task.delete", delete_task, 0},
    {M_GET, "/api/v1/plans/{code}/obligations", PERM_PLAN_READ, BODY_NONE, NULL, list_obligations, 0},
    {M_POST, "/api/v1/plans/{code}/obligations", PERM_PLAN_EDIT, BODY_JSON, "plan.obligation.create", create_obligation, 0},
    {M_GET, "/api/v1/plans/{code}/obligations/{key}", PERM_PLAN_READ, BODY_NONE, NULL, get_obligation, 0},
    {M_PATCH, "/api/v1/plans/{code}/obligations/{key}", PERM_PLAN_EDIT, BODY_JSON, "plan.obligation.update", patch_obligation, 0},
    {M_DELETE, "/api/v1/plans/{code}/obligations/{key}", PERM_PLAN_EDIT, BODY_NONE, "plan.obligation.delete", delete_obligation, 0},
    {M_GET, "/api/v1/activity-kinds", PERM_PLAN_READ, BODY_NONE, NULL, list_activity_kinds, 0},
    {0},
};
