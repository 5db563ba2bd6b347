/* req.c - helpers handlers use to read a request and build its answer. */
#include "http/req.h"
#include "base/date.h"
#include "base/utf8.h"
#include "http/route.h"
#include "http/server.h"
#include "org/chancred.h"
#include "org/session.h"
#include "store/store.h"
#include "store/replica.h"
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *req_param(struct req *r, const char *name)
{
    for (int i = 0; i < r->nparams; i++)
        if (strcmp(r->param_names[i], name) == 0) return r->params[i];
    return NULL;
}

const char *req_query(struct req *r, const char *name)
{
    if (!r->query) return NULL;
    struct evkeyvalq q;
    if (evhttp_parse_query_str(r->query, &q) != 0) return NULL;
    const char *v = evhttp_find_header(&q, name);
    char *out = v ? arena_strdup(r->a, v) : NULL;
    evhttp_clear_headers(&q);
    return out;
}

const char *req_header(struct req *r, const char *name)
{
    return evhttp_find_header(evhttp_request_get_input_headers(r->ev), name);
}

struct store *req_read_db(struct req *r)
{
    if (!r->replica) return r->db;
    double lag;
    struct store *db = replica_pick(r->replica, r->db, r->now, &lag);
    struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
    evhttp_add_header(h, "X-Ecoact-Read-From", db == r->db ? "primary" : "standby");
    if (db != r->db) {
        long long secs = (long long)lag; /* rounded up: "at most" */
        if ((double)secs < lag) secs++;
        char n[24];
        snprintf(n, sizeof n, "%lld", secs);
        evhttp_add_header(h, "X-Ecoact-Stale-Seconds", n);
    }
    return db;
}

static bool parse_ll(const char *s, long long *out)
{
    if (!s || !*s || strlen(s) > 19) return false;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end) return false;
    *out = v;
    return true;
}

enum err req_query_int(struct req *r, const char *name, long long min, long long max, long long def,
                       long long *out)
{
    const char *s = req_query(r, name);
    *out = def;
    if (!s) return OK;
    long long v;
    if (!parse_ll(s, &v)) return req_fail(r, ERR_BAD_REQUEST, name, "参数 %s 应为整数", name);
    if (v < min || v > max)
        return req_fail(r, ERR_RULE, name, "参数 %s 应在 %lld 到 %lld 之间", name, min, max);
    *out = v;
    return OK;
}

enum err req_param_id(struct req *r, const char *name, long long *out)
{
    long long v;
    if (!parse_ll(req_param(r, name), &v) || v <= 0)
        return req_fail(r, ERR_NOT_FOUND, name, "资源不存在");
    *out = v;
    return OK;
}

enum err req_fail(struct req *r, enum err e, const char *field, const char *fmt, ...)
{
    r->err_field = field ? arena_strdup(r->a, field) : NULL;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        char buf[512];
        vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        r->err_msg =
            arena_strdup(r->a, utf8_scrub(buf)); /* "%.64s" of a user's text may cut a character */
    }
    return e;
}

enum err req_fail_problem(struct req *r, const struct problem *p)
{
    if (p->err == OK || !p->msg[0]) return req_store_fail(r);
    return req_fail(r, p->err, p->field[0] ? p->field : NULL, "%s", p->msg);
}

enum err req_fail_jv(struct req *r, const struct jv *v)
{
    return req_fail(r, v->err, v->field, "%s", v->msg);
}

enum err req_fail_err(struct req *r, enum err e)
{
    if (e == OK) e = ERR_INTERNAL; /* a failure without an error is a bug of the callee */
    if (e == ERR_INTERNAL || e == ERR_UNAVAILABLE) metrics_db_error(&r->app->metrics);
    if (e == ERR_CONFLICT && !r->err_msg) r->err_msg = "与现有数据冲突";
    return e;
}

enum err req_store_fail(struct req *r)
{
    return req_fail_err(r, store_err(r->db));
}

enum err reply_json(struct req *r, int status, json_t *body)
{
    if (r->resp) json_decref(r->resp);
    r->status = status;
    r->resp = body;
    return body ? OK : ERR_INTERNAL;
}

enum err reply_raw(struct req *r, int status, const char *type, const void *data, size_t len,
                   const char *filename)
{
    r->status = status;
    r->raw = data;
    r->raw_len = len;
    r->raw_type = type;
    r->raw_filename = filename;
    r->raw_ascii = NULL;
    return OK;
}

enum err reply_export(struct req *r, const char *type, const void *data, size_t len,
                      const char *title, const char *ascii, const char *ext)
{
    int y, m, d, day = date_today_shanghai(r->now);
    date_to_ymd(day, &y, &m, &d);
    reply_raw(r, 200, type, data, len,
              arena_printf(r->a, "%s_%d年%d月%d日.%s", title, y, m, d, ext));
    r->raw_ascii = arena_printf(r->a, "%s_%04d-%02d-%02d.%s", ascii, y, m, d, ext);
    return OK;
}

enum err req_deny(struct req *r, const char *field, const char *msg)
{
    r->denied = true;
    return req_fail(r, ERR_NOT_FOUND, field, "%s", msg);
}

void req_secret_answer(struct req *r, const char *field)
{
    for (size_t i = 0; i < sizeof r->secret_fields / sizeof *r->secret_fields; i++)
        if (!r->secret_fields[i]) {
            r->secret_fields[i] = field;
            return;
        }
    abort(); /* a handler marks at most four: a bug, never input */
}

bool req_has_role(const struct req *r, enum role role)
{
    return r->who && (r->who->roles & (1u << role));
}

bool req_may_act_for_unit(struct req *r, long long unit_id)
{
    return principal_may_for_unit(r->db, r->who, r->route ? r->route->perm : PERM_LOGGED_IN,
                                  unit_id);
}

bool req_unit_scoped(const struct req *r)
{
    return r->who &&
           roles_scope(r->who->roles, r->route ? r->route->perm : PERM_LOGGED_IN) == SCOPE_UNIT;
}

bool req_dry_run(struct req *r)
{
    const char *s = req_query(r, "dry_run");
    return s && (strcmp(s, "1") == 0 || strcmp(s, "true") == 0);
}

enum err req_read_table(struct req *r, size_t max_bytes, size_t max_rows, struct table *t,
                        bool *xlsx)
{
    char why[320] = "";
    enum err e = table_read_upload(r->body, r->body_len, r->content_type, max_bytes, max_rows, t,
                                   xlsx, why, sizeof why);
    if (e == OK || e == ERR_INTERNAL) return e;
    return req_fail(r, e, e == ERR_MEDIA_TYPE ? "Content-Type" : "file", "%s", why);
}

enum err reply_row_errors(struct req *r, const struct table_errors *l, const char *message)
{
    if (l->total > l->n)
        message = arena_printf(r->a, "%s（这里列出前 %zu 处，另有 %zu 处未列出）", message, l->n,
                               l->total - l->n);
    return reply_json(r, 422,
                      json_pack("{s:{s:s,s:s,s:s,s:s},s:o,s:I}", "error", "code", "rule_violation",
                                "message", message, "field", "file", "request_id", r->request_id,
                                "errors", table_errors_json(l), "errors_total",
                                (json_int_t)l->total));
}

enum err req_page(struct req *r, long long *limit, long long *after_id)
{
    enum err e = req_query_int(r, "limit", 1, 1000, 50, limit);
    if (e != OK) return e;
    const char *c = req_query(r, "cursor");
    *after_id = 0;
    if (c && (!parse_ll(c, after_id) || *after_id < 0))
        return req_fail(r, ERR_BAD_REQUEST, "cursor",
                        "cursor 无效：请使用上一页返回的 next_cursor");
    return OK;
}

enum err reply_page(struct req *r, json_t *items, long long limit, long long last_id)
{
    return reply_page_total(r, items, limit, last_id, -1);
}

enum err reply_page_total(struct req *r, json_t *items, long long limit, long long last_id,
                          long long total)
{
    json_t *next = (long long)json_array_size(items) >= limit && last_id > 0
                       ? json_sprintf("%lld", last_id)
                       : json_null();
    json_t *o = json_pack("{s:o,s:o}", "items", items, "next_cursor", next);
    if (total >= 0) json_object_set_new(o, "total", json_integer(total));
    return reply_json(r, 200, o);
}

enum err reply_text(struct req *r, int status, char *json)
{
    free(r->resp_text);
    r->resp_text = json;
    r->status = status;
    return json ? OK : ERR_INTERNAL;
}

enum err reply_jw(struct req *r, int status, struct jw *w)
{
    free(r->resp_text);
    size_t len;
    r->resp_text = jw_take(w, &len);
    r->status = status;
    return r->resp_text ? OK : ERR_INTERNAL;
}

void jw_page_begin(struct jw *w)
{
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
}

enum err reply_jw_page(struct req *r, struct jw *w, long long limit, long long count,
                       long long last_id)
{
    return reply_jw_page_total(r, w, limit, count, last_id, -1);
}

enum err reply_jw_page_total(struct req *r, struct jw *w, long long limit, long long count,
                             long long last_id, long long total)
{
    jw_arr_end(w);
    if (total >= 0) jw_kint(w, "total", total);
    jw_key(w, "next_cursor");
    if (count >= limit && last_id > 0) {
        char c[24];
        snprintf(c, sizeof c, "%lld", last_id);
        jw_str(w, c);
    } else {
        jw_null(w);
    }
    jw_obj_end(w);
    return reply_jw(r, 200, w);
}

enum err req_channel(struct req *r, const char *scope, long long *cred_id)
{
    struct chancred_request rq = {req_header(r, "Authorization"),
                                  req_header(r, "X-Ecoact-Timestamp"),
                                  req_header(r, "X-Ecoact-Signature"), r->body, r->body_len};
    struct problem p = {0};
    *cred_id = 0;
    if (chancred_check(r->db, &r->app->keys, scope, &rq, r->now, cred_id, &p) != OK)
        return req_fail_problem(r, &p);
    return OK;
}
