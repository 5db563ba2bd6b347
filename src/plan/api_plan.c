/* api_plan.c - plan routes: every business role reads plans (a code alone means its latest
 * published version; ?version=N or ?version=draft picks another), the office copies a
 * published version into a draft, edits the draft (plan fields, actions with measures,
 * tasks, obligations), publishes it, and imports or exports whole plan documents. A
 * published version never changes: every edit of one is a 409 that says to create a draft.
 * Handlers parse the request, call the plan service (plan.h) and render its answer; the rules
 * and the SQL are the service's. Writes run inside the pipeline's transaction (server.c), so a
 * refused write stores nothing. */
#include "http/route.h"
#include "http/server.h"
#include "base/jv.h"
#include "base/table.h"
#include "plan/plan.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- common ---- */

static long long user_of(struct req *r)
{
    return r->who ? r->who->user_id : 0LL;
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
    struct problem pr;
    enum err e = version_param(r, &v);
    if (e != OK) return e;
    return plan_get(r->db, req_param(r, "code"), v, p, &pr) == OK ? OK : req_fail_problem(r, &pr);
}

/* The draft a write means: the code's draft, or ?version=N when that is a draft. */
static enum err edit_target(struct req *r, struct plan_row *p)
{
    int v;
    struct problem pr;
    enum err e = version_param(r, &v);
    if (e != OK) return e;
    if (plan_get_draft(r->db, req_param(r, "code"), v, p, &pr) != OK)
        return req_fail_problem(r, &pr);
    r->audit_object = arena_printf(r->a, "plan:%s@%d", p->code, p->version);
    return OK;
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
            return req_fail(r, ERR_BAD_REQUEST, "cursor",
                            "cursor 无效：请使用上一页返回的 next_cursor");
    }
    return OK;
}

/* A plan version as the answer (status 200 or 201). */
static enum err reply_plan(struct req *r, int status, long long plan_id)
{
    json_t *o = plan_json(r->db, plan_id);
    return o ? reply_json(r, status, o) : req_store_fail(r);
}

/* ---- plans ---- */

static enum err list_plans(struct req *r)
{
    long long limit, after, last;
    enum err e = page(r, &limit, &after);
    if (e != OK) return e;
    const char *status = req_query(r, "status");
    const char *code = req_query(r, "code");
    if (status && strcmp(status, "draft") != 0 && strcmp(status, "published") != 0)
        return req_fail(r, ERR_RULE, "status", "status 应为 draft 或 published");
    json_t *items;
    if ((e = plan_list(r->db, status, code, after, limit, &items, &last)) != OK)
        return req_fail_err(r, e);
    return reply_page(r, items, limit, last);
}

static enum err get_plan(struct req *r)
{
    struct plan_row p;
    enum err e = read_target(r, &p);
    return e != OK ? e : reply_plan(r, 200, p.id);
}

static enum err patch_plan(struct req *r)
{
    struct plan_row p;
    enum err e = edit_target(r, &p);
    if (e != OK) return e;
    static const char *const allowed[] = {"title", "doc_no",      "issued", "start",
                                          "end",   "year_themes", "notes",  NULL};
    struct jv v = {0};
    if (!jv_begin(&v, r->json, allowed)) return req_fail_jv(r, &v);
    struct problem pr;
    if (plan_update(r->db, &p, r->json, user_of(r), r->now, &pr) != OK)
        return req_fail_problem(r, &pr);
    return reply_plan(r, 200, p.id);
}

static enum err delete_plan(struct req *r)
{
    struct plan_row p;
    struct problem pr;
    enum err e = edit_target(r, &p);
    if (e != OK) return e;
    if (plan_delete(r->db, &p, &pr) != OK) return req_fail_problem(r, &pr);
    return reply_json(
        r, 200, json_pack("{s:b,s:s,s:i}", "deleted", 1, "code", p.code, "version", p.version));
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
    struct plan_row src, draft;
    struct problem pr;
    if (plan_create_draft(r->db, req_param(r, "code"), ver, code, title, user_of(r), r->now, &src,
                          &draft, &pr) != OK)
        return req_fail_problem(r, &pr);
    r->audit_object = arena_printf(r->a, "plan:%s@%d", draft.code, draft.version);
    r->audit_detail = arena_printf(r->a, "copied from %s@%d", src.code, src.version);
    return reply_plan(r, 201, draft.id);
}

static enum err publish_plan(struct req *r)
{
    struct plan_row p;
    struct problem pr;
    enum err e = edit_target(r, &p);
    if (e != OK) return e;
    if (plan_publish(r->db, &p, user_of(r), r->now, &pr) != OK) return req_fail_problem(r, &pr);
    return reply_plan(r, 200, p.id);
}

static enum err export_json(struct req *r)
{
    struct plan_row p;
    enum err e = read_target(r, &p);
    if (e != OK) return e;
    json_t *doc = plan_export_doc(r->db, p.id);
    if (!doc) return req_store_fail(r);
    char *text = json_dumps(doc, JSON_INDENT(1));
    json_decref(doc);
    if (!text) return ERR_INTERNAL;
    size_t n = strlen(text);
    char *copy = arena_alloc(r->a, n + 2);
    memcpy(copy, text, n);
    copy[n] = '\n';
    free(text);
    return reply_export(r, "application/json; charset=utf-8", copy, n + 1,
                        arena_printf(r->a, "%s（第%d版）", p.title, p.version),
                        arena_printf(r->a, "%s-v%d", p.code, p.version), "json");
}

static enum err export_xlsx(struct req *r)
{
    struct plan_row p;
    enum err e = read_target(r, &p);
    if (e != OK) return e;
    json_t *doc = plan_export_doc(r->db, p.id);
    if (!doc) return req_store_fail(r);
    void *data = NULL;
    size_t len = 0;
    e = plan_xlsx_tasks(doc, r->a, &data, &len);
    json_decref(doc);
    if (e != OK) return req_fail(r, e, NULL, "生成 Excel 文件失败");
    return reply_export(r, TABLE_XLSX_TYPE, data, len,
                        arena_printf(r->a, "%s（第%d版）重点任务", p.title, p.version),
                        arena_printf(r->a, "%s-v%d-tasks", p.code, p.version), "xlsx");
}

static enum err import_plan(struct req *r)
{
    struct plan_row p;
    struct problem pr;
    if (plan_import(r->db, r->json, user_of(r), r->now, &p, &pr) != OK)
        return req_fail_problem(r, &pr);
    r->audit_object = arena_printf(r->a, "plan:%s@%d", p.code, p.version);
    r->audit_detail = "imported";
    return reply_plan(r, 201, p.id);
}

/* ---- items of a draft: actions, tasks, obligations ----
 * The handlers read, create, patch and delete any kind the same way (plan_item_* in plan.h):
 * find the draft, find the item, call the service, name the item in the audit row. */

/* How a kind of item is named in audit objects (plan:CODE@V/NAME:REF) and by its path
 * parameter and answer field: "no" (a number) or "key". */
static const struct {
    const char *name, *param;
} item_names[] = {
    [PLAN_ACTION] = {"action", "no"},
    [PLAN_TASK] = {"task", "no"},
    [PLAN_OBLIGATION] = {"obligation", "key"},
};

/* The item the path names in p: its id and its reference as text (a number as read). */
static enum err item_target(struct req *r, const struct plan_row *p, enum plan_item k,
                            long long *id, const char **ref)
{
    struct problem pr;
    const char *s = req_param(r, item_names[k].param);
    if (plan_item_find(r->db, p, k, s, id, &pr) != OK) return req_fail_problem(r, &pr);
    *ref = k == PLAN_OBLIGATION ? s : arena_printf(r->a, "%lld", strtoll(s, NULL, 10));
    return OK;
}

/* A written item as the answer, named in the audit row. */
static enum err item_written(struct req *r, enum plan_item k, const struct plan_row *p,
                             const char *ref, long long id, int status)
{
    r->audit_object =
        arena_printf(r->a, "plan:%s@%d/%s:%s", p->code, p->version, item_names[k].name, ref);
    json_t *o = plan_item_json(r->db, k, id);
    return o ? reply_json(r, status, o) : req_store_fail(r);
}

static enum err get_item(struct req *r, enum plan_item k)
{
    struct plan_row p;
    const char *ref;
    long long id;
    enum err e = read_target(r, &p);
    if (e != OK || (e = item_target(r, &p, k, &id, &ref)) != OK) return e;
    json_t *o = plan_item_json(r->db, k, id);
    return o ? reply_json(r, 200, o) : req_store_fail(r);
}

static enum err create_item(struct req *r, enum plan_item k)
{
    struct plan_row p;
    struct problem pr;
    long long id;
    enum err e = edit_target(r, &p);
    if (e != OK) return e;
    if (plan_item_create(r->db, &p, k, r->json, user_of(r), r->now, &id, &pr) != OK)
        return req_fail_problem(r, &pr);
    json_t *ref = json_object_get(r->json, item_names[k].param);
    return item_written(r, k, &p,
                        json_is_string(ref)
                            ? json_string_value(ref)
                            : arena_printf(r->a, "%lld", (long long)json_integer_value(ref)),
                        id, 201);
}

static enum err patch_item(struct req *r, enum plan_item k)
{
    struct plan_row p;
    struct problem pr;
    const char *ref;
    long long id;
    enum err e = edit_target(r, &p);
    if (e != OK || (e = item_target(r, &p, k, &id, &ref)) != OK) return e;
    if (!json_is_object(r->json)) return req_fail(r, ERR_BAD_REQUEST, NULL, "请求体应为 JSON 对象");
    if (plan_item_update(r->db, &p, k, id, r->json, user_of(r), r->now, &pr) != OK)
        return req_fail_problem(r, &pr);
    return item_written(r, k, &p, ref, id, 200);
}

static enum err delete_item(struct req *r, enum plan_item k)
{
    struct plan_row p;
    struct problem pr;
    const char *ref;
    long long id, obligations;
    enum err e = edit_target(r, &p);
    if (e != OK || (e = item_target(r, &p, k, &id, &ref)) != OK) return e;
    if (plan_item_delete(r->db, &p, k, id, ref, user_of(r), r->now, &obligations, &pr) != OK)
        return req_fail_problem(r, &pr);
    json_t *answer =
        json_pack("{s:b,s:o}", "deleted", 1, item_names[k].param,
                  k == PLAN_OBLIGATION ? json_string(ref) : json_integer(strtoll(ref, NULL, 10)));
    if (k == PLAN_TASK)
        json_object_set_new(answer, "obligations_deleted", json_integer(obligations));
    r->audit_object =
        arena_printf(r->a, "plan:%s@%d/%s:%s", p.code, p.version, item_names[k].name, ref);
    return reply_json(r, 200, answer);
}

/* ---- actions ---- */

static enum err list_actions(struct req *r)
{
    struct plan_row p;
    long long limit, after, last;
    json_t *items;
    enum err e = read_target(r, &p);
    if (e != OK || (e = page(r, &limit, &after)) != OK) return e;
    if ((e = plan_action_list(r->db, p.id, after, limit, &items, &last)) != OK)
        return req_fail_err(r, e);
    return reply_page(r, items, limit, last);
}

static enum err get_action(struct req *r)
{
    return get_item(r, PLAN_ACTION);
}
static enum err create_action(struct req *r)
{
    return create_item(r, PLAN_ACTION);
}
static enum err patch_action(struct req *r)
{
    return patch_item(r, PLAN_ACTION);
}
static enum err delete_action(struct req *r)
{
    return delete_item(r, PLAN_ACTION);
}

/* ---- tasks ---- */

static enum err list_tasks(struct req *r)
{
    struct plan_row p;
    struct problem pr;
    long long limit, after, action = 0, last;
    json_t *items;
    enum err e = read_target(r, &p);
    if (e != OK || (e = page(r, &limit, &after)) != OK) return e;
    if ((e = req_query_int(r, "action", 1, 999, 0, &action)) != OK) return e;
    if (plan_task_list(r->db, p.id, action, req_query(r, "unit"), req_query(r, "role"), after,
                       limit, &items, &last, &pr) != OK)
        return req_fail_problem(r, &pr);
    return reply_page(r, items, limit, last);
}

static enum err get_task(struct req *r)
{
    return get_item(r, PLAN_TASK);
}
static enum err create_task(struct req *r)
{
    return create_item(r, PLAN_TASK);
}
static enum err patch_task(struct req *r)
{
    return patch_item(r, PLAN_TASK);
}
static enum err delete_task(struct req *r)
{
    return delete_item(r, PLAN_TASK);
}

/* A 附件1 sheet replaces the draft's tasks (plan_import_tasks() in plan.h); dry_run=1 shows
 * what would change, the tasks and obligations removed among it. */
static enum err import_tasks(struct req *r)
{
    struct plan_row p;
    enum err e = edit_target(r, &p);
    if (e != OK) return e;
    bool dry_run = req_dry_run(r);
    struct table t;
    bool xlsx;
    if ((e = req_read_table(r, PLAN_SHEET_MAX_BYTES, PLAN_SHEET_MAX_ROWS, &t, &xlsx)) != OK)
        return e;
    struct plan_sheet sheet = {0};
    struct problem pr;
    json_t *changes = NULL;
    e = plan_import_tasks(r->db, &p, &t, dry_run, user_of(r), r->now, &sheet, &changes, &pr);
    if (e == ERR_RULE && sheet.errors.total) {
        r->audit_detail = arena_printf(r->a, "rejected: %zu error(s)", sheet.errors.total);
        e = reply_row_errors(
            r, &sheet.errors,
            arena_printf(r->a,
                         "任务表有 %zu 处错误，草稿未作任何修改：请按行号和列名修改后重新导入",
                         sheet.errors.total));
    } else if (e != OK) {
        if (e != ERR_INTERNAL || store_err(r->db) || pr.msg[0])
            e = req_fail_problem(r, &pr); /* else out of memory */
    } else {
        r->audit_detail = arena_printf(r->a, "%s%s: %zu added, %zu changed, %zu removed",
                                       dry_run ? "dry run, " : "", xlsx ? "xlsx" : "csv",
                                       json_array_size(json_object_get(changes, "added")),
                                       json_array_size(json_object_get(changes, "changed")),
                                       json_array_size(json_object_get(changes, "removed")));
        json_object_set_new(changes, "dry_run", json_boolean(dry_run));
        json_object_set_new(changes, "tasks",
                            json_integer((json_int_t)json_array_size(sheet.tasks)));
        e = reply_json(r, 200, changes);
    }
    plan_sheet_free(&sheet);
    table_free(&t);
    return e;
}

/* ---- obligations ---- */

static enum err list_obligations(struct req *r)
{
    struct plan_row p;
    struct problem pr;
    long long limit, after, task = 0, last;
    json_t *items;
    enum err e = read_target(r, &p);
    if (e != OK || (e = page(r, &limit, &after)) != OK) return e;
    if ((e = req_query_int(r, "task", 1, 9999, 0, &task)) != OK) return e;
    if (plan_obligation_list(r->db, p.id, task, req_query(r, "unit"), after, limit, &items, &last,
                             &pr) != OK)
        return req_fail_problem(r, &pr);
    return reply_page(r, items, limit, last);
}

static enum err get_obligation(struct req *r)
{
    return get_item(r, PLAN_OBLIGATION);
}
static enum err create_obligation(struct req *r)
{
    return create_item(r, PLAN_OBLIGATION);
}
static enum err patch_obligation(struct req *r)
{
    return patch_item(r, PLAN_OBLIGATION);
}
static enum err delete_obligation(struct req *r)
{
    return delete_item(r, PLAN_OBLIGATION);
}

/* ---- activity kinds ---- */

static enum err list_activity_kinds(struct req *r)
{
    struct problem pr;
    long long limit, after, last;
    json_t *items;
    enum err e = page(r, &limit, &after);
    if (e != OK) return e;
    if (plan_kind_list(r->db, req_query(r, "plan"), after, limit, &items, &last, &pr) != OK)
        return req_fail_problem(r, &pr);
    return reply_page(r, items, limit, last);
}

const struct route plan_routes[] = {
    {M_GET, "/api/v1/plans", PERM_PLAN_READ, BODY_NONE, NULL, list_plans, 0},
    {M_POST, "/api/v1/plans/import", PERM_PLAN_EDIT, BODY_JSON, "plan.import", import_plan, 0},
    {M_GET, "/api/v1/plans/{code}", PERM_PLAN_READ, BODY_NONE, NULL, get_plan, 0},
    {M_PATCH, "/api/v1/plans/{code}", PERM_PLAN_EDIT, BODY_JSON, "plan.update", patch_plan, 0},
    {M_DELETE, "/api/v1/plans/{code}", PERM_PLAN_EDIT, BODY_NONE, "plan.delete_draft", delete_plan,
     0},
    {M_POST, "/api/v1/plans/{code}/drafts", PERM_PLAN_EDIT, BODY_JSON, "plan.draft", create_draft,
     0},
    {M_POST, "/api/v1/plans/{code}/publish", PERM_PLAN_EDIT, BODY_NONE, "plan.publish",
     publish_plan, 0},
    {M_GET, "/api/v1/plans/{code}/export.json", PERM_PLAN_READ, BODY_NONE, NULL, export_json, 0},
    {M_GET, "/api/v1/plans/{code}/export.xlsx", PERM_PLAN_READ, BODY_NONE, NULL, export_xlsx, 0},
    {M_GET, "/api/v1/plans/{code}/actions", PERM_PLAN_READ, BODY_NONE, NULL, list_actions, 0},
    {M_POST, "/api/v1/plans/{code}/actions", PERM_PLAN_EDIT, BODY_JSON, "plan.action.create",
     create_action, 0},
    {M_GET, "/api/v1/plans/{code}/actions/{no}", PERM_PLAN_READ, BODY_NONE, NULL, get_action, 0},
    {M_PATCH, "/api/v1/plans/{code}/actions/{no}", PERM_PLAN_EDIT, BODY_JSON, "plan.action.update",
     patch_action, 0},
    {M_DELETE, "/api/v1/plans/{code}/actions/{no}", PERM_PLAN_EDIT, BODY_NONE, "plan.action.delete",
     delete_action, 0},
    {M_GET, "/api/v1/plans/{code}/tasks", PERM_PLAN_READ, BODY_NONE, NULL, list_tasks, 0},
    {M_POST, "/api/v1/plans/{code}/tasks", PERM_PLAN_EDIT, BODY_JSON, "plan.task.create",
     create_task, 0},
    {M_POST, "/api/v1/plans/{code}/tasks/import", PERM_PLAN_EDIT, BODY_RAW, "plan.task.import",
     import_tasks, 0},
    {M_GET, "/api/v1/plans/{code}/tasks/{no}", PERM_PLAN_READ, BODY_NONE, NULL, get_task, 0},
    {M_PATCH, "/api/v1/plans/{code}/tasks/{no}", PERM_PLAN_EDIT, BODY_JSON, "plan.task.update",
     patch_task, 0},
    {M_DELETE, "/api/v1/plans/{code}/tasks/{no}", PERM_PLAN_EDIT, BODY_NONE, "plan.task.delete",
     delete_task, 0},
    {M_GET, "/api/v1/plans/{code}/obligations", PERM_PLAN_READ, BODY_NONE, NULL, list_obligations,
     0},
    {M_POST, "/api/v1/plans/{code}/obligations", PERM_PLAN_EDIT, BODY_JSON,
     "plan.obligation.create", create_obligation, 0},
    {M_GET, "/api/v1/plans/{code}/obligations/{key}", PERM_PLAN_READ, BODY_NONE, NULL,
     get_obligation, 0},
    {M_PATCH, "/api/v1/plans/{code}/obligations/{key}", PERM_PLAN_EDIT, BODY_JSON,
     "plan.obligation.update", patch_obligation, 0},
    {M_DELETE, "/api/v1/plans/{code}/obligations/{key}", PERM_PLAN_EDIT, BODY_NONE,
     "plan.obligation.delete", delete_obligation, 0},
    {M_GET, "/api/v1/activity-kinds", PERM_PLAN_READ, BODY_NONE, NULL, list_activity_kinds, 0},
    {0},
};
