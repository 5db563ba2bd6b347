/* api_audit.c - the audit log for auditors: newest first, filtered by user, action, result and
 * time; plus a chain check. Nothing here writes to the log's rows. */
#include "http/route.h"
#include "http/server.h"
#include "org/audit.h"
#include <string.h>

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
    struct store_stmt *q = store_q(
        r->db,
        "SELECT id, at, user_id, username, unit_id, ip, action, object, result, detail, hash"
        " FROM audit_log WHERE (? = 0 OR id < ?) AND (? = 0 OR user_id = ?)"
        " AND (CAST(? AS TEXT) IS NULL OR action = ?) AND (CAST(? AS TEXT) IS NULL OR result = ?)"
        " AND (? = 0 OR at >= ?) AND (? = 0 OR at < ?) ORDER BY id DESC LIMIT ?",
        "iiiittttiiiii", before, before, user, user, action, action, result, result, from, from, to,
        to, limit);
    json_t *items = json_array();
    long long last = 0;
    while (store_row(q)) {
        last = store_int(q, 0);
        json_array_append_new(
            items, json_pack("{s:I,s:I,s:o,s:s?,s:o,s:s?,s:s,s:s?,s:s,s:s?,s:s}", "id", last, "at",
                             store_int(q, 1), "user_id",
                             store_int(q, 2) ? json_integer(store_int(q, 2)) : json_null(),
                             "username", store_text(q, 3), "unit_id",
                             store_int(q, 4) ? json_integer(store_int(q, 4)) : json_null(), "ip",
                             store_text(q, 5), "action", store_text(q, 6), "object",
                             store_text(q, 7), "result", store_text(q, 8), "detail",
                             store_text(q, 9), "hash", store_text(q, 10)));
    }
    store_done(q);
    if (store_err(r->db)) {
        json_decref(items);
        return req_store_fail(r);
    }
    return reply_page(r, items, limit, last);
}

static enum err verify_audit(struct req *r)
{
    long long rows, bad;
    char why[256];
    if (audit_verify(r->db, &r->app->keys, &rows, &bad, why, sizeof why) != OK) return req_store_fail(r);
    return reply_json(r, 200, json_pack("{s:b,s:I,s:o,s:s}", "intact", bad == 0, "rows", rows, "first_bad_id",
                                        bad ? json_integer(bad) : json_null(), "message",
                                        bad ? why : "审计日志完整，哈希链校验通过"));
}

const struct route audit_routes[] = {
    {M_GET, "/api/v1/audit", PERM_AUDIT_READ, BODY_NONE, NULL, list_audit, 0},
    {M_GET, "/api/v1/audit/verification", PERM_AUDIT_READ, BODY_NONE, NULL, verify_audit, 0},
    {0},
};
