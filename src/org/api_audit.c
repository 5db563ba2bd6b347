/* api_audit.c - the audit log for auditors: newest first, filtered by user, action, result and
 * time; plus a chain check. Nothing here writes to the log's rows. */
#include "http/route.h"
#include "http/server.h"
#include "org/audit.h"
#include <string.h>

struct audit_page {
    json_t *items;
    long long last;
};

static bool audit_row_json(void *ctx, const struct audit_row *row)
{
    struct audit_page *pg = ctx;
    const struct audit_entry *e = &row->e;
    pg->last = row->id;
    json_t *o = json_pack(
        "{s:I,s:I,s:o,s:s?,s:o,s:s?,s:s,s:s?,s:s,s:s?,s:s}", "id", row->id, "at", e->at, "user_id",
        e->user_id ? json_integer(e->user_id) : json_null(), "username", e->username, "unit_id",
        e->unit_id ? json_integer(e->unit_id) : json_null(), "ip", e->ip, "action", e->action,
        "object", e->object, "result", e->result, "detail", e->detail, "hash", row->hash);
    json_array_append_new(pg->items, o);
    return true;
}

static enum err list_audit(struct req *r)
{
    long long limit, before;
    enum err pe = req_page(r, &limit, &before);
    if (pe != OK) return pe;
    long long user = 0, from = 0, to = 0;
    if ((pe = req_query_int(r, "user", 1, 1LL << 53, 0, &user)) != OK ||
        (pe = req_query_int(r, "from", 0, 1LL << 40, 0, &from)) != OK ||
        (pe = req_query_int(r, "to", 0, 1LL << 40, 0, &to)) != OK)
        return pe;
    const char *action = req_query(r, "action");
    const char *result = req_query(r, "result");
    if (action && strlen(action) > 64) return req_fail(r, ERR_RULE, "action", "action 过长");
    if (result && strcmp(result, "ok") && strcmp(result, "failure") && strcmp(result, "denied"))
        return req_fail(r, ERR_RULE, "result", "result 只能是 ok、failure 或 denied");
    struct audit_filter f = {.before = before,
                             .user = user,
                             .from = from,
                             .to = to,
                             .limit = limit,
                             .action = action,
                             .result = result};
    struct audit_page pg = {json_array(), 0};
    enum err e = audit_each(r->db, &f, audit_row_json, &pg);
    if (e != OK) {
        json_decref(pg.items);
        return req_fail_err(r, e);
    }
    return reply_page(r, pg.items, limit, pg.last);
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
    {M_GET, "/api/v1/audit/verification", PERM_AUDIT_READ, BODY_NONE, NULL, verify_audit, 0},
    {0},
};
