/* batch.c - batch routes: each item in a transaction of its own with its own audit row (see
 * batch.h). The route is ROUTE_NO_TX, so the pipeline opens no transaction around it. */
#include "http/batch.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/gen.h"
#include "base/log.h"
#include "http/server.h"
#include "org/audit.h"
#include "store/store.h"
#include <jansson.h>
#include <string.h>

enum err req_batch_ids(struct req *r, json_t *arr, long long **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return req_fail(r, ERR_BAD_REQUEST, "ids", "ids 应为非空的编号数组");
    size_t len = json_array_size(arr);
    if (len > REQ_BATCH_MAX)
        return req_fail(r, ERR_TOO_LARGE, "ids", "一次最多处理 %d 项，本次选了 %zu 项，请分批处理",
                        REQ_BATCH_MAX, len);
    long long *out = arena_alloc(r->a, len * sizeof *out);
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        json_t *v = json_array_get(arr, i);
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            return req_fail(r, ERR_BAD_REQUEST, "ids", "ids 的第 %zu 项应为正整数编号", i + 1);
        long long id = json_integer_value(v);
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = out[j] == id;
        if (!seen) out[k++] = id;
    }
    *ids = out;
    *n = k;
    return OK;
}

static void audit_item(struct req *r, const char *action, long long id, const char *result,
                       bool in_tx)
{
    struct audit_entry a = {
        .at = r->now,
        .user_id = r->who ? r->who->user_id : 0,
        .username = r->who ? r->who->username : NULL,
        .unit_id = r->who ? r->who->unit_id : 0,
        .ip = r->ip,
        .action = action,
        .object = r->audit_object ? r->audit_object : arena_printf(r->a, "id:%lld", id),
        .result = result,
        .detail = strcmp(result, "ok") == 0 ? "batch" : r->err_msg,
    };
    enum err e =
        in_tx ? audit_append(r->db, &r->app->keys, &a) : audit_append_tx(r->db, &r->app->keys, &a);
    if (e != OK) log_error("audit append failed: %s", store_errmsg(r->db));
}

/* One item in its own transaction; OK or the item's error (r->err_msg says why). */
static enum err run_item(struct req *r, long long id, const char *action, req_batch_fn fn,
                         void *ctx)
{
    r->err_msg = r->err_field = r->audit_object = r->audit_detail = NULL;
    r->denied = false;
    enum err e = store_begin(r->db);
    if (e != OK) return req_fail_err(r, e);
    e = fn(r, id, ctx);
    if (e == OK) {
        audit_item(r, action, id, "ok", true);
        e = store_err(r->db);
        if (e == OK) e = store_commit(r->db);
        if (e == OK) {
            gen_bump();
            return OK;
        }
        req_fail_err(r, e);
    }
    store_rollback(r->db);
    store_clear_err(r->db);
    audit_item(r, action, id, e == ERR_FORBIDDEN || r->denied ? "denied" : "failure", false);
    return e;
}

enum err req_batch_run(struct req *r, const long long *ids, size_t n, const char *action,
                       req_batch_fn fn, void *ctx)
{
    json_t *items = json_array();
    long long done = 0;
    for (size_t i = 0; i < n; i++) {
        enum err e = run_item(r, ids[i], action, fn, ctx);
        json_t *o = json_pack("{s:I,s:b}", "id", (json_int_t)ids[i], "ok", e == OK);
        if (e == OK)
            done++;
        else {
            json_object_set_new(o, "code", json_string(err_code(e)));
            json_object_set_new(o, "message",
                                json_string(r->err_msg ? r->err_msg : err_message(e)));
            if (r->err_field) json_object_set_new(o, "field", json_string(r->err_field));
        }
        json_array_append_new(items, o);
    }
    r->err_msg = r->err_field = NULL;
    r->denied = false;
    r->audit_object = arena_printf(r->a, "batch:%zu", n);
    return reply_json(r, 200,
                      json_pack("{s:I,s:I,s:I,s:o,s:s}", "total", (json_int_t)n, "done",
                                (json_int_t)done, "refused", (json_int_t)(n - (size_t)done),
                                "items", items, "note",
                                "每一项各自在一个事务中处理：被拒绝的项不影响其他项"));
}
