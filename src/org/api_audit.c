/* api_audit.c - the audit log for auditors: newest first, filtered by person (a part of the
 * login or display name), unit, operation, result and time; each row with its words in Chinese
 * (audit_rules.c) and the names of who acted and on what, looked up as the page is read
 * (audit_names.c); the filtered log as .xlsx, itself audited; plus a chain check. Nothing here
 * changes the log's rows. */
#include "base/sheet.h"
#include "base/table.h"
#include "http/route.h"
#include "http/server.h"
#include "org/audit.h"
#include "org/audit_names.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

#define AUDIT_EXPORT_MAX 20000 /* rows in one .xlsx */

/* The filter of the query: user, unit, person, action, result, from, to. */
static enum err read_filter(struct req *r, struct audit_filter *f)
{
    long long user = 0, unit = 0, from = 0, to = 0;
    enum err pe;
    if ((pe = req_query_int(r, "user", 1, 1LL << 53, 0, &user)) != OK ||
        (pe = req_query_int(r, "unit", 1, 1LL << 53, 0, &unit)) != OK ||
        (pe = req_query_int(r, "from", 0, 1LL << 40, 0, &from)) != OK ||
        (pe = req_query_int(r, "to", 0, 1LL << 40, 0, &to)) != OK)
        return pe;
    const char *action = req_query(r, "action");
    const char *result = req_query(r, "result");
    const char *person = req_query(r, "person");
    if (action && !*action) action = NULL;
    if (result && !*result) result = NULL;
    if (person && !*person) person = NULL;
    if (action && strlen(action) > 64) return req_fail(r, ERR_RULE, "action", "操作代码过长");
    if (person && strlen(person) > 64)
        return req_fail(r, ERR_RULE, "person", "人员关键词过长（最多 64 个字节）");
    if (result && strcmp(result, "ok") && strcmp(result, "failure") && strcmp(result, "denied"))
        return req_fail(r, ERR_RULE, "result",
                        "结果只能是 ok（成功）、failure（失败）或 denied（拒绝）");
    if (from && to && to <= from) return req_fail(r, ERR_RULE, "to", "结束时间应晚于开始时间");
    *f = (struct audit_filter){.user = user,
                               .unit = unit,
                               .person = person,
                               .from = from,
                               .to = to,
                               .action = action,
                               .result = result};
    return OK;
}

struct audit_page {
    struct req *r;
    struct audit_names names;
    json_t *items;
    long long last;
};

static bool audit_row_json(void *ctx, const struct audit_row *row)
{
    struct audit_page *pg = ctx;
    const struct audit_entry *e = &row->e;
    struct audit_words w;
    audit_words(&pg->names, row, &w);
    pg->last = row->id;
    json_t *o = json_pack(
        "{s:I,s:I,s:o,s:s?,s:o,s:s?,s:s,s:s?,s:s,s:s?,s:s}", "id", row->id, "at", e->at, "user_id",
        e->user_id ? json_integer(e->user_id) : json_null(), "username", e->username, "unit_id",
        e->unit_id ? json_integer(e->unit_id) : json_null(), "ip", e->ip, "action", e->action,
        "object", e->object, "result", e->result, "detail", e->detail, "hash", row->hash);
    json_object_update_new(o, json_pack("{s:s,s:s?,s:s?,s:s?,s:s?,s:s,s:s}", "op_label", w.op,
                                        "user_name", w.person, "unit_name", w.unit, "object_label",
                                        w.object, "detail_text", w.detail, "result_label", w.result,
                                        "result_text", w.result_text));
    json_array_append_new(pg->items, o);
    return true;
}

static enum err list_audit(struct req *r)
{
    long long limit, before;
    enum err pe = req_page(r, &limit, &before);
    if (pe != OK) return pe;
    struct audit_filter f;
    if ((pe = read_filter(r, &f)) != OK) return pe;
    f.before = before;
    f.limit = limit;
    struct audit_page pg = {.r = r, .items = json_array()};
    audit_names_init(&pg.names, r->db, r->a, r->app->opts.audit_name);
    enum err e = audit_each(r->db, &f, audit_row_json, &pg);
    if (e != OK) {
        json_decref(pg.items);
        return req_fail_err(r, e);
    }
    return reply_page(r, pg.items, limit, pg.last);
}

/* ---- the .xlsx ---- */

struct audit_sheet {
    struct sheet *s;
    struct audit_names names;
    long long rows;
};

static bool audit_row_sheet(void *ctx, const struct audit_row *row)
{
    struct audit_sheet *x = ctx;
    struct audit_words w;
    audit_words(&x->names, row, &w);
    char at[32];
    time_t t = (time_t)row->e.at + 8 * 3600; /* Asia/Shanghai has no summer time */
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(at, sizeof at, "%Y-%m-%d %H:%M:%S", &tm);
    sheet_int(x->s, row->id);
    sheet_text(x->s, at);
    sheet_text(x->s, w.person);
    sheet_text(x->s, row->e.username);
    sheet_text(x->s, w.unit);
    sheet_text(x->s, w.op);
    sheet_text(x->s, w.object);
    sheet_text(x->s, w.result);
    sheet_text(x->s, w.detail ? w.detail : w.result_text);
    sheet_text(x->s, row->e.ip);
    sheet_text(x->s, row->e.action);
    sheet_end_row(x->s);
    x->rows++;
    return true;
}

/* The export's own audit row: how many rows under which filter. */
static void audit_export_row(struct req *r, struct audit_names *names, const struct audit_filter *f,
                             long long rows)
{
    const char *detail = arena_printf(
        r->a, "导出 %lld 条%s%s%s%s%s%s", rows, f->person ? "；人员：" : "",
        f->person ? f->person : "", f->action ? "；操作：" : "",
        f->action ? (audit_action_label(f->action) ? audit_action_label(f->action) : f->action)
                  : "",
        f->result ? "；结果：" : "", f->result ? audit_result_label(f->result) : "");
    const char *unit = f->unit ? audit_name_of(names, "unit", f->unit) : NULL;
    if (f->unit) detail = arena_printf(r->a, "%s；单位：%s", detail, unit ? unit : "?");
    if (f->from || f->to) detail = arena_printf(r->a, "%s；限定时间范围", detail);
    r->audit_object = "audit";
    r->audit_detail = detail;
    req_audit(r, "audit.export", "ok");
}

static enum err export_audit(struct req *r)
{
    struct audit_filter f;
    enum err e = read_filter(r, &f);
    if (e != OK) return e;
    f.limit = AUDIT_EXPORT_MAX;
    static const struct sheet_col cols[] = {
        {"序号", 8},  {"时间", 20}, {"人员", 14}, {"账号", 18},    {"单位", 22},     {"操作", 22},
        {"对象", 36}, {"结果", 8},  {"详情", 50}, {"来源 IP", 16}, {"操作代码", 22},
    };
    struct audit_sheet x = {
        .s = sheet_new("审计日志", "审计日志（按时间倒序）", cols, sizeof cols / sizeof *cols)};
    if (!x.s) return req_fail(r, ERR_INTERNAL, NULL, "生成 Excel 文件失败");
    audit_names_init(&x.names, r->db, r->a, r->app->opts.audit_name);
    e = audit_each(r->db, &f, audit_row_sheet, &x);
    void *data;
    size_t len;
    enum err fe = sheet_finish(x.s, r->a, &data, &len);
    if (e != OK) return req_fail_err(r, e);
    if (fe != OK) return req_fail(r, fe, NULL, "生成 Excel 文件失败");
    audit_export_row(r, &x.names, &f, x.rows);
    return reply_export(r, TABLE_XLSX_TYPE, data, len, "审计日志", "audit-log", "xlsx");
}

static enum err verify_audit(struct req *r)
{
    long long rows, bad;
    char why[256];
    enum err e = audit_verify(r->db, &r->app->keys, &rows, &bad, why, sizeof why);
    if (e != OK) return req_fail_err(r, e);
    return reply_json(r, 200,
                      json_pack("{s:b,s:I,s:o,s:s}", "intact", bad == 0, "rows", rows,
                                "first_bad_id", bad ? json_integer(bad) : json_null(), "message",
                                bad ? why : "审计日志完整，哈希链校验通过"));
}

const struct route audit_routes[] = {
    {M_GET, "/api/v1/audit", PERM_AUDIT_READ, BODY_NONE, NULL, list_audit, 0},
    {M_GET, "/api/v1/audit/export.xlsx", PERM_AUDIT_READ, BODY_NONE, NULL, export_audit, 0},
    {M_GET, "/api/v1/audit/verification", PERM_AUDIT_READ, BODY_NONE, NULL, verify_audit, 0},
    {0},
};
