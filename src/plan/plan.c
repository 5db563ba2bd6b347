/* plan.c - the plan service (plan.h): the rules and transactions around the area's storage
 * (plan_store.h). It finds the version a request means and refuses to change a published one,
 * copies a published version into a draft, checks and stores edits of a draft's plan fields
 * and items (actions, tasks, obligations), imports plan documents and 附件1 sheets, publishes,
 * deletes, loads the embedded plans at `ecoact init`, and answers the reads of other areas.
 * Units are org's: they are resolved through its service (org/units.h). Everything runs
 * inside the caller's transaction. */
#include "plan/plan.h"
#include "plan/plan_store.h"
#include "base/date.h"
#include "base/embedded.h"
#include "org/units.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- common ---- */

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static long long jint(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* A storage error: the problem left empty, the connection's error returned. */
static enum err stored_fail(struct store *db, struct problem *pr)
{
    memset(pr, 0, sizeof *pr);
    enum err e = store_err(db);
    return e != OK ? e : ERR_INTERNAL;
}

/* A failed check: the storage error when one happened during it (a unit lookup), else its
 * problem. */
static enum err check_failed(struct store *db, struct problem *pr)
{
    return store_err(db) ? stored_fail(db, pr) : pr->err;
}

/* unit_find() as a plan_unit_lookup; ctx is the struct store. */
static long long unit_lookup(void *ctx, const char *ref)
{
    return unit_find((struct store *)ctx, ref);
}

/* The check context for this store; p's period bounds an item's dates (NULL: none). */
static struct plan_check_ctx check_ctx(struct store *db, const struct plan_row *p, json_t *kinds)
{
    struct plan_check_ctx c = {.unit = unit_lookup, .unit_ctx = db, .kinds = kinds};
    if (p) {
        date_parse(p->start, &c.plan_start);
        date_parse(p->end, &c.plan_end);
    }
    return c;
}

static enum err refuse_published(const struct plan_row *p, struct problem *pr)
{
    return problem_set(pr, ERR_CONFLICT, NULL,
                       "方案 %s 第 %d 版已发布，已发布的方案不能修改：请先创建草稿（POST "
                       "/api/v1/plans/%s/drafts），"
                       "在草稿中修改后再发布",
                       p->code, p->version, p->code);
}

static enum err touch(struct store *db, const struct plan_row *p, long long user, long long now,
                      struct problem *pr)
{
    return plan_store_touch(db, p->id, user, now) == OK ? OK : stored_fail(db, pr);
}

/* The row of a version just stored from doc. */
static void stored_row(struct plan_row *out, long long id, const char *code, int version,
                       json_t *doc)
{
    memset(out, 0, sizeof *out);
    out->id = id;
    snprintf(out->code, sizeof out->code, "%s", code);
    out->version = version;
    out->draft = true;
    snprintf(out->start, sizeof out->start, "%s", jstr(doc, "start") ? jstr(doc, "start") : "");
    snprintf(out->end, sizeof out->end, "%s", jstr(doc, "end") ? jstr(doc, "end") : "");
    snprintf(out->title, sizeof out->title, "%s", jstr(doc, "title") ? jstr(doc, "title") : "");
}

/* ---- org's units ---- */

static bool unit_add(void *ctx, const struct unit *un)
{
    struct plan_units *u = ctx;
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 128;
        u->u = realloc(u->u, u->cap * sizeof *u->u);
        if (!u->u) abort();
    }
    struct plan_unit *x = &u->u[u->n++];
    *x = (struct plan_unit){.id = un->id,
                            .parent_id = un->parent_id,
                            .key = strdup(un->key),
                            .short_name = strdup(un->short_name),
                            .tier = strdup(un->tier),
                            .active = un->active};
    if (!x->key || !x->short_name || !x->tier) abort();
    return true;
}

/* Takes the snapshot of org's units once per call of the service (u starts zeroed). */
static enum err units_need(struct store *db, struct plan_units *u)
{
    if (u->loaded) return store_err(db);
    u->loaded = true;
    struct unit_filter all = {.limit = -1};
    return units_each(db, &all, unit_add, u);
}

static void units_free(struct plan_units *u)
{
    for (size_t i = 0; i < u->n; i++) {
        free(u->u[i].key);
        free(u->u[i].short_name);
        free(u->u[i].tier);
    }
    free(u->u);
    memset(u, 0, sizeof *u);
}

const struct plan_unit *plan_units_get(const struct plan_units *u, long long id)
{
    size_t lo = 0, hi = u->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u->u[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < u->n && u->u[lo].id == id ? &u->u[lo] : NULL;
}

static void push_unit(struct plan_task_unit **rows, size_t *n, size_t *cap,
                      struct plan_task_unit row)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *rows = realloc(*rows, *cap * sizeof **rows);
        if (!*rows) abort();
    }
    (*rows)[(*n)++] = row;
}

/* Stores the units of a checked task's lead and coop lists: a unit named by id, code or key
 * itself, a selector as every top-level active unit it covers. ERR_RULE for a unit that no
 * longer resolves (the check resolved it: a race). */
static enum err task_units(struct store *db, long long task_id, json_t *task, struct plan_units *u)
{
    static const char *const roles[] = {"lead", "coop"};
    struct plan_task_unit *rows = NULL;
    size_t n = 0, cap = 0;
    enum err e = OK;
    for (int r = 0; r < 2 && e == OK; r++) {
        size_t pos;
        json_t *x;
        json_array_foreach(json_object_get(task, roles[r]), pos, x)
        {
            const char *ref = json_string_value(x);
            long long uid = 0;
            if (plan_selector_known(ref)) {
                if ((e = units_need(db, u)) != OK) break;
                for (size_t i = 0; i < u->n; i++)
                    if (!u->u[i].parent_id && u->u[i].active &&
                        plan_selector_covers(ref, u->u[i].tier))
                        push_unit(
                            &rows, &n, &cap,
                            (struct plan_task_unit){roles[r], (long long)pos, u->u[i].id, ref});
            } else if ((uid = unit_find(db, ref))) {
                push_unit(&rows, &n, &cap,
                          (struct plan_task_unit){roles[r], (long long)pos, uid, NULL});
            } else {
                e = store_err(db) ? store_err(db) : ERR_RULE;
                break;
            }
        }
    }
    if (e == OK) e = plan_store_set_task_units(db, task_id, rows, n);
    free(rows);
    return e;
}

/* Stores who owes a checked obligation: its units resolved (ERR_RULE for one that no longer
 * resolves), or its tiers. */
static enum err obligation_who(struct store *db, long long id, json_t *o)
{
    json_t *units = json_object_get(json_object_get(o, "who"), "units");
    size_t n = json_is_array(units) ? json_array_size(units) : 0;
    long long *ids = calloc(n + 1, sizeof *ids);
    if (!ids) abort();
    enum err e = OK;
    for (size_t i = 0; i < n && e == OK; i++)
        if (!(ids[i] = unit_find(db, json_string_value(json_array_get(units, i)))))
            e = store_err(db) ? store_err(db) : ERR_RULE;
    if (e == OK) e = plan_store_set_obligation_who(db, id, o, ids, n);
    free(ids);
    return e;
}

/* ---- reads for other areas ---- */

enum err plan_find(struct store *db, const char *code, int version, struct plan_row *out)
{
    return plan_store_find(db, code, version, out);
}

enum err plan_find_published(struct store *db, const char *code, struct plan_row *out)
{
    return plan_store_find_published(db, code, out);
}

enum err plan_task_numbers(struct store *db, long long plan_id, long long **nos, size_t *n)
{
    return plan_store_task_numbers(db, plan_id, nos, n);
}

json_t *plan_export_doc(struct store *db, long long plan_id)
{
    struct plan_units u = {0};
    json_t *doc = units_need(db, &u) == OK ? plan_store_export_doc(db, plan_id, &u) : NULL;
    units_free(&u);
    return doc;
}

json_t *plan_kinds(struct store *db)
{
    return plan_store_kinds(db);
}

/* ---- one item in and out of storage ----
 * Each takes the call's snapshot of org's units, taken when first needed. */

static json_t *action_doc(struct store *db, long long id, struct plan_units *u)
{
    (void)u;
    return plan_store_action_doc(db, id);
}

static json_t *task_doc(struct store *db, long long id, struct plan_units *u)
{
    return units_need(db, u) == OK ? plan_store_task_doc(db, id, u) : NULL;
}

static json_t *obligation_doc(struct store *db, long long id, struct plan_units *u)
{
    return units_need(db, u) == OK ? plan_store_obligation_doc(db, id, u) : NULL;
}

static json_t *action_render(struct store *db, long long id, struct plan_units *u)
{
    (void)u;
    return plan_store_action_json(db, id);
}

static json_t *task_render(struct store *db, long long id, struct plan_units *u)
{
    return units_need(db, u) == OK ? plan_store_task_json(db, id, true, u) : NULL;
}

static json_t *task_render_alone(struct store *db, long long id, struct plan_units *u)
{
    return units_need(db, u) == OK ? plan_store_task_json(db, id, false, u) : NULL;
}

static json_t *obligation_render(struct store *db, long long id, struct plan_units *u)
{
    return units_need(db, u) == OK ? plan_store_obligation_json(db, id, u) : NULL;
}

static enum err action_insert(struct store *db, long long plan_id, json_t *a, struct plan_units *u,
                              long long *id)
{
    (void)u;
    return plan_store_insert_action(db, plan_id, a, id);
}

static enum err action_update(struct store *db, long long id, json_t *a, struct plan_units *u)
{
    (void)u;
    return plan_store_update_action(db, id, a);
}

static enum err task_insert(struct store *db, long long plan_id, json_t *t, struct plan_units *u,
                            long long *id)
{
    enum err e = plan_store_insert_task(db, plan_id, t, id);
    return e == OK ? task_units(db, *id, t, u) : e;
}

static enum err task_update(struct store *db, long long id, json_t *t, struct plan_units *u)
{
    enum err e = plan_store_update_task(db, id, t);
    return e == OK ? task_units(db, id, t, u) : e;
}

static enum err obligation_insert(struct store *db, long long plan_id, json_t *o,
                                  struct plan_units *u, long long *id)
{
    (void)u;
    enum err e = plan_store_insert_obligation(db, plan_id, o, id);
    return e == OK ? obligation_who(db, *id, o) : e;
}

static enum err obligation_update(struct store *db, long long id, json_t *o, struct plan_units *u)
{
    (void)u;
    enum err e = plan_store_update_obligation(db, id, o);
    return e == OK ? obligation_who(db, id, o) : e;
}

/* ---- storing a whole document ---- */

/* Stores a checked document (plan_check_doc) as (code, version) with its items. */
static enum err insert_doc(struct store *db, json_t *doc, int version, const char *status,
                           long long parent_id, long long user, long long now, long long *plan_id)
{
    struct plan_units u = {0};
    enum err e = plan_store_insert_plan(db, doc, version, status, parent_id, user, now, plan_id);
    size_t i;
    json_t *x;
    long long id;
    json_array_foreach(json_object_get(doc, "actions"), i, x) if (e == OK) e =
        action_insert(db, *plan_id, x, &u, &id);
    json_array_foreach(json_object_get(doc, "tasks"), i, x) if (e == OK) e =
        task_insert(db, *plan_id, x, &u, &id);
    json_array_foreach(json_object_get(doc, "obligations"), i, x) if (e == OK) e =
        obligation_insert(db, *plan_id, x, &u, &id);
    units_free(&u);
    return e;
}

/* One embedded file: stored unless (code, version) is; *added counts it. */
static enum err load_one(struct store *db, const struct embedded_file *f, json_t *doc,
                         long long now, int *added, char *why, size_t whylen)
{
    json_t *v = json_object_get(doc, "version");
    long long version = json_is_integer(v) ? json_integer_value(v) : 1;
    bool exists = plan_store_has_version(db, jstr(doc, "code"), version);
    if (store_err(db)) {
        snprintf(why, whylen, "loading %s: %s", f->name, store_errmsg(db));
        return store_err(db);
    }
    if (exists) return OK;
    json_t *kinds = plan_store_kinds(db);
    struct plan_check_ctx c = check_ctx(db, NULL, kinds);
    struct problem p;
    enum err e;
    if (!plan_check_doc(doc, &c, &p)) {
        snprintf(why, whylen, "%s: %s", f->name, store_err(db) ? store_errmsg(db) : p.msg);
        e = store_err(db) ? store_err(db) : p.err;
    } else {
        const char *st = jstr(doc, "status");
        long long id;
        e = insert_doc(db, doc, (int)version, st ? st : "published", 0, 0, now, &id);
        if (e != OK)
            snprintf(why, whylen, "storing %s: %s", f->name, store_errmsg(db));
        else
            (*added)++;
    }
    json_decref(kinds);
    return e;
}

enum err plans_load_embedded(struct store *db, long long now, int *added, char *why, size_t whylen)
{
    *added = 0;
    enum err e = OK;
    for (const struct embedded_file *f = embedded_data; f->name && e == OK; f++) {
        json_t *doc = json_loads(f->text, JSON_REJECT_DUPLICATES, NULL);
        /* plan documents are the embedded files with a code and a task list */
        if (json_is_object(doc) && json_is_string(json_object_get(doc, "code")) &&
            json_is_array(json_object_get(doc, "tasks")))
            e = load_one(db, f, doc, now, added, why, whylen);
        json_decref(doc);
    }
    return e;
}

/* ---- plans ---- */

enum err plan_get(struct store *db, const char *code, int version, struct plan_row *out,
                  struct problem *pr)
{
    enum err e = plan_store_find(db, code, version, out);
    if (e == ERR_NOT_FOUND) {
        if (version == PLAN_V_DRAFT)
            return problem_set(pr, ERR_NOT_FOUND, "version", "方案 %s 没有草稿", code);
        if (version > 0)
            return problem_set(pr, ERR_NOT_FOUND, "version", "方案 %s 没有第 %d 版", code, version);
        return problem_set(pr, ERR_NOT_FOUND, "code", "方案不存在：%s", code);
    }
    return e == OK ? OK : stored_fail(db, pr);
}

enum err plan_get_draft(struct store *db, const char *code, int version, struct plan_row *out,
                        struct problem *pr)
{
    enum err e = plan_store_find(db, code, version == PLAN_V_DEFAULT ? PLAN_V_DRAFT : version, out);
    if (e == ERR_NOT_FOUND && version == PLAN_V_DEFAULT) {
        e = plan_store_find(db, code, PLAN_V_DEFAULT, out);
        if (e == OK) return refuse_published(out, pr);
    }
    if (e == ERR_NOT_FOUND) {
        if (version > 0)
            return problem_set(pr, ERR_NOT_FOUND, "version", "方案 %s 没有第 %d 版", code, version);
        return problem_set(pr, ERR_NOT_FOUND, "code", "方案不存在：%s", code);
    }
    if (e != OK) return stored_fail(db, pr);
    return out->draft ? OK : refuse_published(out, pr);
}

enum err plan_list(struct store *db, const char *status, const char *code, long long after,
                   long long limit, json_t **items, long long *last)
{
    *items = json_array();
    enum err e = plan_store_list(db, status, code, after, limit, *items, last);
    if (e != OK) {
        json_decref(*items);
        *items = NULL;
    }
    return e;
}

json_t *plan_json(struct store *db, long long plan_id)
{
    return plan_store_plan_json(db, plan_id);
}

enum err plan_update(struct store *db, const struct plan_row *p, json_t *fields, long long user,
                     long long now, struct problem *pr)
{
    if (!p->draft) return refuse_published(p, pr);
    /* check the merged plan fields as a document without items */
    json_t *cur = plan_store_plan_json(db, p->id);
    if (!cur) return stored_fail(db, pr);
    json_t *doc = json_object();
    static const char *const keep[] = {"code", "title",       "doc_no", "issued", "start",
                                       "end",  "year_themes", "notes",  NULL};
    for (const char *const *k = keep; *k; k++)
        json_object_set(doc, *k, json_object_get(cur, *k));
    json_decref(cur);
    json_object_update(doc, fields);
    json_object_set_new(doc, "actions", json_array());
    json_object_set_new(doc, "tasks", json_array());
    struct plan_check_ctx c = check_ctx(db, NULL, NULL);
    enum err e = OK;
    if (!plan_check_doc(doc, &c, pr))
        e = check_failed(db, pr);
    else if (plan_store_update_plan(db, p->id, doc, user, now) != OK)
        e = stored_fail(db, pr);
    json_decref(doc);
    return e;
}

enum err plan_delete(struct store *db, const struct plan_row *p, struct problem *pr)
{
    if (!p->draft) return refuse_published(p, pr);
    return plan_store_delete(db, p->id) == OK ? OK : stored_fail(db, pr);
}

/* The published version a draft is copied from. */
static enum err draft_source(struct store *db, const char *code, int version, struct plan_row *src,
                             struct problem *pr)
{
    enum err e = version > 0 ? plan_store_find(db, code, version, src)
                             : plan_store_find_published(db, code, src);
    if (e == ERR_NOT_FOUND) {
        struct plan_row any;
        if (plan_store_find(db, code, PLAN_V_DEFAULT, &any) == OK)
            return problem_set(pr, ERR_CONFLICT, "code",
                               "方案 %s 还没有已发布的版本可供复制：请直接修改其草稿", code);
        return problem_set(pr, ERR_NOT_FOUND, "code", "方案不存在：%s", code);
    }
    if (e != OK) return stored_fail(db, pr);
    if (src->draft) return problem_set(pr, ERR_CONFLICT, "version", "只能从已发布的版本复制草稿");
    return OK;
}

/* The version number of a new draft of code copied from src: the next of src's own code when
 * it has no draft, 1 of an unused code. */
static enum err draft_version(struct store *db, const char *code, const struct plan_row *src,
                              int *version, struct problem *pr)
{
    if (!plan_code_valid(code))
        return problem_set(pr, ERR_RULE, "code",
                           "方案编码应为 2 到 64 个小写字母、数字或 -（现为 %s）", code);
    if (strcmp(code, src->code) == 0) {
        struct plan_row existing;
        if (plan_store_find(db, code, PLAN_V_DRAFT, &existing) == OK)
            return problem_set(pr, ERR_CONFLICT, "code",
                               "方案 %s 已有草稿（第 %d 版）：请修改该草稿，或先删除它", code,
                               existing.version);
        *version = plan_store_max_version(db, code) + 1;
    } else {
        if (plan_store_max_version(db, code) > 0)
            return problem_set(pr, ERR_CONFLICT, "code",
                               "方案编码 %s 已被使用：请换一个编码，或从该方案自身创建草稿", code);
        *version = 1;
    }
    return store_err(db) ? stored_fail(db, pr) : OK;
}

enum err plan_create_draft(struct store *db, const char *src_code, int src_version,
                           const char *code, const char *title, long long user, long long now,
                           struct plan_row *src, struct plan_row *out, struct problem *pr)
{
    int version = 0;
    enum err e = draft_source(db, src_code, src_version, src, pr);
    if (e != OK) return e;
    if (!code) code = src->code;
    if ((e = draft_version(db, code, src, &version, pr)) != OK) return e;
    json_t *doc = plan_export_doc(db, src->id);
    if (!doc) return stored_fail(db, pr);
    json_object_set_new(doc, "code", json_string(code));
    if (title) json_object_set_new(doc, "title", json_string(title));
    long long id;
    e = insert_doc(db, doc, version, "draft", src->id, user, now, &id);
    if (e == OK) stored_row(out, id, code, version, doc);
    json_decref(doc);
    return e == OK ? OK : stored_fail(db, pr);
}

enum err plan_publish(struct store *db, const struct plan_row *p, long long user, long long now,
                      struct problem *pr)
{
    if (!p->draft) return refuse_published(p, pr);
    json_t *doc = plan_export_doc(db, p->id);
    json_t *kinds = plan_store_kinds(db);
    if (!doc) {
        json_decref(kinds);
        return stored_fail(db, pr);
    }
    struct plan_check_ctx c = check_ctx(db, NULL, kinds);
    struct problem why;
    bool ok = plan_check_doc(doc, &c, &why);
    json_decref(doc);
    json_decref(kinds);
    if (!ok) {
        if (store_err(db)) return stored_fail(db, pr);
        return problem_set(pr, why.err, why.field, "草稿未通过发布检查：%s", why.msg);
    }
    return plan_store_publish(db, p->id, user, now) == OK ? OK : stored_fail(db, pr);
}

enum err plan_import(struct store *db, json_t *doc, long long user, long long now,
                     struct plan_row *out, struct problem *pr)
{
    json_t *kinds = plan_store_kinds(db);
    struct plan_check_ctx c = check_ctx(db, NULL, kinds);
    bool ok = plan_check_doc(doc, &c, pr);
    json_decref(kinds);
    if (!ok) return check_failed(db, pr);
    const char *code = jstr(doc, "code");
    struct plan_row existing;
    if (plan_store_find(db, code, PLAN_V_DRAFT, &existing) == OK)
        return problem_set(pr, ERR_CONFLICT, "code",
                           "方案 %s 已有草稿（第 %d 版）：请先发布或删除该草稿再导入", code,
                           existing.version);
    int version = plan_store_max_version(db, code) + 1;
    if (store_err(db)) return stored_fail(db, pr);
    long long id;
    if (insert_doc(db, doc, version, "draft", 0, user, now, &id) != OK) return stored_fail(db, pr);
    stored_row(out, id, code, version, doc);
    return OK;
}

/* Deletes the tasks the sheet removes and stores its tasks (matched by number). */
static enum err replace_tasks(struct store *db, const struct plan_row *p, json_t *changes,
                              json_t *tasks, long long user, long long now, struct problem *pr)
{
    struct plan_units u = {0};
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(changes, "removed"), i, x)
        plan_store_delete_task_no(db, p->id, json_integer_value(x));
    json_array_foreach(tasks, i, x)
    {
        long long id = plan_store_task_id(db, p->id, jint(x, "no"));
        long long added;
        if (store_err(db) ||
            (id ? task_update(db, id, x, &u) : task_insert(db, p->id, x, &u, &added)) != OK)
            break;
    }
    units_free(&u);
    if (store_err(db)) return stored_fail(db, pr);
    return touch(db, p, user, now, pr);
}

enum err plan_import_tasks(struct store *db, const struct plan_row *p, const struct table *t,
                           bool dry_run, long long user, long long now, struct plan_sheet *sheet,
                           json_t **changes, struct problem *pr)
{
    *changes = NULL;
    memset(pr, 0, sizeof *pr);
    if (!p->draft) return refuse_published(p, pr);
    json_t *draft = plan_export_doc(db, p->id);
    json_t *kinds = plan_store_kinds(db);
    enum err e;
    if (!draft || !kinds) {
        e = stored_fail(db, pr);
        goto out;
    }
    struct plan_check_ctx c = check_ctx(db, NULL, kinds);
    e = plan_sheet_read(t, draft, &c, sheet);
    if (store_err(db)) e = stored_fail(db, pr);
    if (e != OK) goto out; /* ERR_RULE: the sheet's errors; ERR_INTERNAL: out of memory */
    *changes = plan_sheet_changes(draft, sheet->tasks);
    if (!dry_run && (e = replace_tasks(db, p, *changes, sheet->tasks, user, now, pr)) != OK) {
        json_decref(*changes);
        *changes = NULL;
    }
out:
    json_decref(draft);
    json_decref(kinds);
    return e;
}

/* ---- items ---- */

/* A number (of an action or task) that no other item of the draft than self uses; other is
 * the item that has it (0: none). */
static enum err unique_no(struct store *db, long long other, long long self, long long no,
                          const char *what, struct problem *pr)
{
    if (store_err(db)) return stored_fail(db, pr);
    if (other && other != self)
        return problem_set(pr, ERR_CONFLICT, "no", "%s序号 %lld 已存在：序号不能重复", what, no);
    return OK;
}

static enum err action_check(struct store *db, const struct plan_row *p, json_t *doc,
                             long long self, struct problem *pr)
{
    if (!plan_check_action(doc, "", pr)) return check_failed(db, pr);
    long long no = jint(doc, "no");
    enum err e = unique_no(db, plan_store_action_id(db, p->id, no), self, no, "行动", pr);
    if (e != OK || !self) return e;
    /* a measure dropped from the list must not be used by a task */
    long long used_m, used_t;
    e = plan_store_measure_in_use(db, self, json_object_get(doc, "measures"), &used_m, &used_t);
    if (used_m)
        return problem_set(pr, ERR_CONFLICT, "measures",
                           "措施 %lld 仍被任务 %lld 引用，不能删除：请先修改或删除该任务", used_m,
                           used_t);
    return e == OK ? OK : stored_fail(db, pr);
}

static enum err task_check(struct store *db, const struct plan_row *p, json_t *doc, long long self,
                           struct problem *pr)
{
    struct plan_check_ctx c = check_ctx(db, p, NULL);
    if (!plan_check_task(doc, "", &c, pr)) return check_failed(db, pr);
    /* the task's action and measure exist in the plan */
    long long an = jint(doc, "action"), mn = jint(doc, "measure");
    long long aid = plan_store_action_id(db, p->id, an);
    if (!aid)
        return store_err(db) ? stored_fail(db, pr)
                             : problem_set(pr, ERR_RULE, "action", "行动 %lld 不存在", an);
    if (!plan_store_measure_id(db, aid, mn))
        return store_err(db)
                   ? stored_fail(db, pr)
                   : problem_set(pr, ERR_RULE, "measure", "行动 %lld 没有措施 %lld", an, mn);
    long long no = jint(doc, "no");
    return unique_no(db, plan_store_task_id(db, p->id, no), self, no, "任务", pr);
}

/* An obligation for this draft: fields, its task, a key no other obligation than self uses. */
static enum err obligation_check(struct store *db, const struct plan_row *p, json_t *o,
                                 long long self, struct problem *pr)
{
    json_t *kinds = plan_store_kinds(db);
    struct plan_check_ctx c = check_ctx(db, p, kinds);
    bool ok = plan_check_obligation(o, "", &c, pr);
    json_decref(kinds);
    if (!ok) return check_failed(db, pr);
    long long task = jint(o, "task");
    if (!plan_store_task_id(db, p->id, task))
        return store_err(db) ? stored_fail(db, pr)
                             : problem_set(pr, ERR_RULE, "task", "任务 %lld 不存在", task);
    const char *key = jstr(o, "key");
    long long other = plan_store_obligation_id(db, p->id, key);
    if (other && other != self)
        return problem_set(pr, ERR_CONFLICT, "key", "义务编码 %s 已存在", key);
    return store_err(db) ? stored_fail(db, pr) : OK;
}

/* A new per without due, or a new who, replaces the old one. */
static void obligation_merge(json_t *doc, json_t *patch)
{
    json_t *per = json_object_get(patch, "per");
    if (json_is_string(per) && strcmp(json_string_value(per), "once") != 0 &&
        !json_object_get(patch, "due"))
        json_object_del(doc, "due");
    json_object_update(doc, patch);
}

/* Each kind of item described once: the functions below read, create, patch and delete any of
 * them the same way. */
struct item_kind {
    const char *what; /* in messages */
    /* the item in the document shape checked for this draft: fields, references, a number or
     * key no other item than self (0 when new) uses */
    enum err (*check)(struct store *db, const struct plan_row *p, json_t *doc, long long self,
                      struct problem *pr);
    void (*merge)(json_t *doc, json_t *patch); /* NULL: json_object_update */
    json_t *(*doc)(struct store *db, long long id, struct plan_units *u);
    json_t *(*render)(struct store *db, long long id, struct plan_units *u);
    enum err (*insert)(struct store *db, long long plan_id, json_t *doc, struct plan_units *u,
                       long long *id);
    enum err (*update)(struct store *db, long long id, json_t *doc, struct plan_units *u);
    enum err (*remove)(struct store *db, long long id);
};

static const struct item_kind item_kinds[] = {
    [PLAN_ACTION] = {"行动", action_check, NULL, action_doc, action_render, action_insert,
                     action_update, plan_store_delete_action},
    [PLAN_TASK] = {"任务", task_check, NULL, task_doc, task_render, task_insert, task_update,
                   plan_store_delete_task},
    [PLAN_OBLIGATION] = {"义务", obligation_check, obligation_merge, obligation_doc,
                         obligation_render, obligation_insert, obligation_update,
                         plan_store_delete_obligation},
};

enum err plan_item_find(struct store *db, const struct plan_row *p, enum plan_item kind,
                        const char *ref, long long *id, struct problem *pr)
{
    if (kind == PLAN_OBLIGATION) {
        *id = plan_store_obligation_id(db, p->id, ref);
        if (!*id)
            return store_err(db) ? stored_fail(db, pr)
                                 : problem_set(pr, ERR_NOT_FOUND, "key", "义务不存在：%s", ref);
        return OK;
    }
    const char *what = item_kinds[kind].what;
    char *end;
    long long no = ref ? strtoll(ref, &end, 10) : 0;
    if (!ref || !*ref || *end || no <= 0 || no >= 100000)
        return problem_set(pr, ERR_NOT_FOUND, "no", "%s不存在：序号应为正整数", what);
    *id = kind == PLAN_ACTION ? plan_store_action_id(db, p->id, no)
                              : plan_store_task_id(db, p->id, no);
    if (!*id)
        return store_err(db) ? stored_fail(db, pr)
                             : problem_set(pr, ERR_NOT_FOUND, "no", "方案 %s 第 %d 版没有%s %lld",
                                           p->code, p->version, what, no);
    return OK;
}

json_t *plan_item_json(struct store *db, enum plan_item kind, long long id)
{
    struct plan_units u = {0};
    json_t *o = item_kinds[kind].render(db, id, &u);
    units_free(&u);
    return o;
}

enum err plan_item_create(struct store *db, const struct plan_row *p, enum plan_item kind,
                          json_t *doc, long long user, long long now, long long *id,
                          struct problem *pr)
{
    const struct item_kind *k = &item_kinds[kind];
    if (!p->draft) return refuse_published(p, pr);
    enum err e = k->check(db, p, doc, 0, pr);
    if (e != OK) return e;
    struct plan_units u = {0};
    e = k->insert(db, p->id, doc, &u, id);
    units_free(&u);
    if (e != OK) return stored_fail(db, pr);
    return touch(db, p, user, now, pr);
}

enum err plan_item_update(struct store *db, const struct plan_row *p, enum plan_item kind,
                          long long id, json_t *patch, long long user, long long now,
                          struct problem *pr)
{
    const struct item_kind *k = &item_kinds[kind];
    if (!p->draft) return refuse_published(p, pr);
    struct plan_units u = {0};
    json_t *doc = k->doc(db, id, &u);
    enum err e = doc ? OK : stored_fail(db, pr);
    if (e == OK) {
        if (k->merge)
            k->merge(doc, patch);
        else
            json_object_update(doc, patch);
        e = k->check(db, p, doc, id, pr);
    }
    if (e == OK && k->update(db, id, doc, &u) != OK) e = stored_fail(db, pr);
    json_decref(doc);
    units_free(&u);
    return e == OK ? touch(db, p, user, now, pr) : e;
}

enum err plan_item_delete(struct store *db, const struct plan_row *p, enum plan_item kind,
                          long long id, const char *ref, long long user, long long now,
                          long long *obligations, struct problem *pr)
{
    *obligations = 0;
    if (!p->draft) return refuse_published(p, pr);
    if (kind == PLAN_ACTION) {
        long long n = plan_store_action_tasks(db, id);
        if (store_err(db)) return stored_fail(db, pr);
        if (n)
            return problem_set(pr, ERR_CONFLICT, "no",
                               "行动 %s 下还有 %lld 项任务，不能删除：请先删除或移走这些任务", ref,
                               n);
    } else if (kind == PLAN_TASK) {
        /* a task's obligations go with it; the answer says how many */
        *obligations = plan_store_task_obligations(db, id);
        if (store_err(db)) return stored_fail(db, pr);
    }
    if (item_kinds[kind].remove(db, id) != OK) return stored_fail(db, pr);
    return touch(db, p, user, now, pr);
}

/* ---- lists ---- */

/* The renderings of ids as a new array (*items); NULL on a storage error. u: the call's
 * snapshot of org's units. */
static enum err render_ids(struct store *db, const long long *ids, size_t n,
                           json_t *(*render)(struct store *, long long, struct plan_units *),
                           struct plan_units *u, json_t **items)
{
    *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *x = render(db, ids[i], u);
        if (x) json_array_append_new(*items, x);
    }
    if (store_err(db)) {
        json_decref(*items);
        *items = NULL;
    }
    return store_err(db);
}

enum err plan_action_list(struct store *db, long long plan_id, long long after, long long limit,
                          json_t **items, long long *last)
{
    long long ids[1000];
    size_t n;
    *items = NULL;
    enum err e = plan_store_action_ids(db, plan_id, after, limit, ids, 1000, &n, last);
    return e != OK ? e : render_ids(db, ids, n, action_render, NULL, items);
}

/* A unit filter of a list: 0 for none, else the unit's id. */
static enum err unit_filter(struct store *db, const char *ref, long long *unit, struct problem *pr)
{
    *unit = 0;
    if (ref && !(*unit = unit_find(db, ref)))
        return store_err(db) ? stored_fail(db, pr)
                             : problem_set(pr, ERR_RULE, "unit", "单位不存在：%s", ref);
    return OK;
}

enum err plan_task_list(struct store *db, long long plan_id, long long action, const char *unit_ref,
                        const char *role, long long after, long long limit, json_t **items,
                        long long *last, struct problem *pr)
{
    long long unit, ids[1000];
    size_t n;
    *items = NULL;
    enum err e = unit_filter(db, unit_ref, &unit, pr);
    if (e != OK) return e;
    if (role && strcmp(role, "lead") != 0 && strcmp(role, "coop") != 0)
        return problem_set(pr, ERR_RULE, "role", "role 应为 lead（牵头）或 coop（配合）");
    e = plan_store_task_ids(db, plan_id, action, unit, role, after, limit, ids, 1000, &n, last);
    struct plan_units u = {0};
    if (e == OK) e = render_ids(db, ids, n, task_render_alone, &u, items);
    units_free(&u);
    return e == OK ? OK : stored_fail(db, pr);
}

enum err plan_obligation_list(struct store *db, long long plan_id, long long task,
                              const char *unit_ref, long long after, long long limit,
                              json_t **items, long long *last, struct problem *pr)
{
    long long unit, ids[1000];
    size_t n;
    *items = NULL;
    if (task && !plan_store_task_id(db, plan_id, task))
        return store_err(db) ? stored_fail(db, pr)
                             : problem_set(pr, ERR_RULE, "task", "任务 %lld 不存在", task);
    enum err e = unit_filter(db, unit_ref, &unit, pr);
    if (e != OK) return e;
    /* a unit owes what it is listed for and what its tier owes */
    struct plan_units u = {0};
    const struct plan_unit *x = NULL;
    if (unit && (e = units_need(db, &u)) == OK) x = plan_units_get(&u, unit);
    if (e == OK)
        e = plan_store_obligation_ids(db, plan_id, task, unit, x ? x->tier : NULL, after, limit,
                                      ids, 1000, &n);
    *last = e == OK && n ? ids[n - 1] : 0;
    if (e == OK) e = render_ids(db, ids, n, obligation_render, &u, items);
    units_free(&u);
    return e == OK ? OK : stored_fail(db, pr);
}

enum err plan_kind_list(struct store *db, const char *plan, long long after, long long limit,
                        json_t **items, long long *last, struct problem *pr)
{
    long long plan_id = 0;
    *items = NULL;
    if (plan) {
        struct plan_row p;
        enum err e = plan_store_find(db, plan, PLAN_V_DEFAULT, &p);
        if (e == ERR_NOT_FOUND) return problem_set(pr, ERR_RULE, "plan", "方案不存在：%s", plan);
        if (e != OK) return stored_fail(db, pr);
        plan_id = p.id;
    }
    *items = json_array();
    if (plan_store_kind_list(db, plan_id, after, limit, *items, last) != OK) {
        json_decref(*items);
        *items = NULL;
        return stored_fail(db, pr);
    }
    return OK;
}
