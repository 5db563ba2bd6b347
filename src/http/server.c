/* server.c - threads, listeners, graceful shutdown, and the request pipeline:
 *   route → caller → origin check → password-change gate → permission → rate limit → body →
 *   [BEGIN → idempotency claim → handler → audit → stored answer → COMMIT] → answer → log.
 * Unsafe methods run in one write transaction, so the work, its audit row and its stored
 * idempotent answer are committed together or not at all. */
#include "http/server.h"
#include "base/filetype.h"
#include "base/gen.h"
#include "base/jv.h"
#include "base/log.h"
#include "http/guard.h"
#include "http/compress.h"
#include "http/idempotency.h"
#include "http/router.h"
#include "http/static.h"
#include "org/audit.h"
#include "org/policy.h"
#include "org/session.h"
#include "store/cluster.h"
#include "store/migrate.h"
#include "store/replica.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct worker {
    struct app *app;
    int index;
    struct event_base *base;
    struct evhttp *http;
    struct evhttp_bound_socket *bound;
    struct evhttp *ops_http; /* loop thread 0, with --metrics-listen: /metrics, /healthz, /readyz */
    struct evhttp_bound_socket *ops_bound;
    struct guard_loop *gl;
    struct store *db;
    struct replica *replica; /* with --read-db */
    pthread_t thread;
    int fd;
    struct event *tick; /* loop thread 0 only: the areas' periodic work */
};

/* The periodic work the serve command handed over (opts.periodic) runs on loop thread 0. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct worker *w = arg;
    const struct server_opts *o = &w->app->opts;
    o->periodic(w->db, &w->app->keys, (long long)time(NULL), o->periodic_arg);
}

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static bool is_unsafe(enum method m)
{
    return m == M_POST || m == M_PUT || m == M_PATCH || m == M_DELETE;
}

static void common_headers(struct evkeyvalq *h, bool api)
{
    evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
    evhttp_add_header(h, "Referrer-Policy", "same-origin");
    evhttp_add_header(h, "X-Frame-Options", "DENY");
    if (api) {
        evhttp_add_header(h, "Cache-Control", "no-store");
        evhttp_add_header(h, "Content-Security-Policy",
                          "default-src 'none'; frame-ancestors 'none'");
    } else {
        evhttp_add_header(
            h, "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
            "'unsafe-inline'; font-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
    }
}

static enum method ev_method(struct evhttp_request *ev, bool *known)
{
    *known = true;
    switch (evhttp_request_get_command(ev)) {
    case EVHTTP_REQ_GET:
        return M_GET;
    case EVHTTP_REQ_HEAD:
        return M_HEAD;
    case EVHTTP_REQ_POST:
        return M_POST;
    case EVHTTP_REQ_PUT:
        return M_PUT;
    case EVHTTP_REQ_PATCH:
        return M_PATCH;
    case EVHTTP_REQ_DELETE:
        return M_DELETE;
    case EVHTTP_REQ_OPTIONS:
        return M_OPTIONS;
    default:
        *known = false;
        return M_GET;
    }
}

static void client_ip(struct req *r)
{
    char *addr = NULL;
    ev_uint16_t port = 0;
    evhttp_connection_get_peer(evhttp_request_get_connection(r->ev), &addr, &port);
    snprintf(r->ip, sizeof r->ip, "%s", addr ? addr : "?");
    if (r->app->opts.trust_proxy &&
        (strcmp(r->ip, "127.0.0.1") == 0 || strcmp(r->ip, "::1") == 0)) {
        const char *xff = req_header(r, "X-Forwarded-For");
        if (xff) {
            size_t n = strcspn(xff, ", ");
            if (n > 0 && n < sizeof r->ip) {
                memcpy(r->ip, xff, n);
                r->ip[n] = '\0';
            }
        }
    }
}

/* Value of one cookie from the Cookie header, as an arena copy. */
static const char *cookie_value(struct req *r, const char *name)
{
    const char *h = req_header(r, "Cookie");
    size_t nl = strlen(name);
    for (const char *p = h; p && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=')
            return arena_strndup(r->a, p + nl + 1, len - nl - 1);
        p += len;
    }
    return NULL;
}

/* Cookie sessions: an unsafe method must come from our own origin (Origin, else Referer). */
static bool same_origin(struct req *r)
{
    const char *host = req_header(r, "Host");
    const char *origin = req_header(r, "Origin");
    const char *ref = origin ? NULL : req_header(r, "Referer");
    const char *src = origin ? origin : ref;
    if (!host || !src) return false;
    const char *rest = NULL;
    if (strncmp(src, "http://", 7) == 0)
        rest = src + 7;
    else if (strncmp(src, "https://", 8) == 0)
        rest = src + 8;
    if (!rest) return false;
    size_t hl = strlen(host);
    return strncmp(rest, host, hl) == 0 && (rest[hl] == '\0' || rest[hl] == '/');
}

enum err req_audit(struct req *r, const char *action, const char *result)
{
    struct audit_entry e = {
        .at = r->now,
        .user_id = r->who && !r->who->citizen_id ? r->who->user_id : 0, /* citizens: username */
        .username = r->who ? r->who->username : NULL,
        .unit_id = r->who ? r->who->unit_id : 0,
        .ip = r->ip,
        .action = action,
        .object = r->audit_object,
        .result = result,
        .detail = r->audit_detail,
    };
    enum err e2 = store_in_tx(r->db) ? audit_append(r->db, &r->app->keys, &e)
                                     : audit_append_tx(r->db, &r->app->keys, &e);
    if (e2 != OK) log_error("audit append failed: %s", store_errmsg(r->db));
    return e2;
}

static char *error_body(struct req *r, enum err e)
{
    json_t *o = json_pack("{s:s,s:s,s:s}", "code", err_code(e), "message",
                          r->err_msg ? r->err_msg : err_message(e), "request_id", r->request_id);
    if (r->err_field) json_object_set_new(o, "field", json_string(r->err_field));
    json_t *env = json_pack("{s:o}", "error", o);
    char *s = json_dumps(env, JSON_COMPACT);
    json_decref(env);
    return s;
}

/* Serialises the answer and its status into r->resp_text (owned by the request; jw answers are
 * already there). Returns that text, or NULL when the answer has no JSON body. */
static const char *render(struct req *r, enum err e, int *status)
{
    if (e != OK) {
        *status = err_http_status(e);
        if (e == ERR_INTERNAL)
            log_error("request %s failed: %s %s", r->request_id, method_name(r->method), r->path);
        free(r->resp_text);
        r->resp_text = error_body(r, e);
        return r->resp_text;
    }
    *status = r->status ? r->status : 200;
    if (!r->resp_text && r->resp) r->resp_text = json_dumps(r->resp, JSON_COMPACT);
    return r->resp_text;
}

static void free_text(const void *data, size_t len, void *arg)
{
    (void)len;
    (void)arg;
    free((void *)data);
}

/* For a route that asks to be revalidated (ROUTE_REVALIDATE: the compliance matrix), a 200 to a
 * GET carries the strong ETag of its bytes and may be kept by the browser if it asks again
 * (private, no-cache); an If-None-Match naming it turns the answer into a 304 with no body.
 * Returns whether it did. */
static bool revalidated(struct req *r, struct evkeyvalq *h, int *status, const void *body,
                        size_t len)
{
    if (*status != 200 || r->method != M_GET || !r->route || !(r->route->flags & ROUTE_REVALIDATE))
        return false;
    char etag[ETAG_CHARS];
    etag_of(body, len, etag);
    evhttp_add_header(h, "ETag", etag);
    evhttp_remove_header(h, "Cache-Control");
    evhttp_add_header(h, "Cache-Control", "private, no-cache");
    if (!etag_matches(req_header(r, "If-None-Match"), etag)) return false;
    *status = 304;
    return true;
}

/* Adds the body, gzipped when the client takes gzip and the type and size are worth it. */
static void add_body(struct req *r, struct evkeyvalq *h, struct evbuffer *b, const char *type,
                     const void *body, size_t len)
{
    if (!compressible_type(type)) {
        if (len) evbuffer_add(b, body, len);
        return;
    }
    evhttp_add_header(h, "Vary", "Accept-Encoding");
    unsigned char *gz;
    size_t gzlen;
    if (len >= GZIP_MIN_BYTES && accepts_gzip(req_header(r, "Accept-Encoding")) &&
        gzip_bytes(body, len, GZIP_LEVEL, &gz, &gzlen)) {
        evhttp_add_header(h, "Content-Encoding", "gzip");
        if (evbuffer_add_reference(b, gz, gzlen, free_text, NULL) != 0) free(gz);
        return;
    }
    if (len) evbuffer_add(b, body, len);
}

/* Appends src[from, to) to out as printable ASCII: each other character (one per UTF-8
 * sequence) and the quote and backslash as '_'; stops before cap. */
static size_t ascii_part(const char *src, size_t from, size_t to, char *out, size_t n, size_t cap)
{
    for (size_t i = from; i < to && n + 1 < cap; i++) {
        unsigned char c = (unsigned char)src[i];
        if ((c & 0xC0) == 0x80) continue; /* a UTF-8 continuation byte */
        out[n++] = c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? (char)c : '_';
    }
    out[n] = '\0';
    return n;
}

/* Content-Disposition of an attachment: the UTF-8 name as RFC 5987 filename*, and for clients
 * that read only filename an ASCII one: ascii when given, else the name made ASCII
 * (ascii_part), its extension kept even when the name is cut. */
static void disposition(const char *name, const char *ascii, char *out, size_t outlen)
{
    char enc[800], plain[200];
    filetype_rfc5987(name, enc, sizeof enc);
    const char *src = ascii ? ascii : name;
    size_t srclen = strlen(src);
    const char *dot = strrchr(src, '.');
    size_t keep = dot && srclen - (size_t)(dot - src) < 16 ? srclen - (size_t)(dot - src) : 0;
    size_t n = ascii_part(src, 0, srclen - keep, plain, 0, sizeof plain - 16);
    ascii_part(src, srclen - keep, srclen, plain, n, sizeof plain);
    snprintf(out, outlen, "attachment; filename=\"%s\"; filename*=UTF-8''%s", plain, enc);
}

/* Sends the answer; json (malloc'd or NULL) is handed to the output buffer without a copy and
 * freed when it has been written. */
static void send_answer(struct req *r, int status, char *json)
{
    struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
    common_headers(h, true);
    if (r->raw && status < 300 && r->raw_type && strncmp(r->raw_type, "text/html", 9) == 0)
        evhttp_remove_header(h, "Content-Security-Policy");
    evhttp_add_header(h, "X-Request-Id", r->request_id);
    if (r->set_cookie) evhttp_add_header(h, "Set-Cookie", r->set_cookie);
    if (r->retry_after > 0 && (status == 429 || status == 423)) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", r->retry_after);
        evhttp_add_header(h, "Retry-After", ra);
    }
    const void *body = NULL;
    size_t len = 0;
    const char *type = NULL;
    if (r->raw && status < 300) {
        type = r->raw_type ? r->raw_type : "application/octet-stream";
        if (r->raw_type && strncmp(r->raw_type, "text/html", 9) == 0) /* printable documents */
            evhttp_add_header(
                h, "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
                "base-uri 'none'; form-action 'none'");
        if (r->raw_filename) {
            char cd[1400];
            disposition(r->raw_filename, r->raw_ascii, cd, sizeof cd);
            evhttp_add_header(h, "Content-Disposition", cd);
        }
        body = r->raw;
        len = r->raw_len;
    } else if (json) {
        type = "application/json; charset=utf-8";
        body = json;
        len = strlen(json);
    }
    struct evbuffer *b = evbuffer_new();
    if (body) {
        evhttp_add_header(h, "Content-Type", type);
        if (revalidated(r, h, &status, body, len)) len = 0;
        add_body(r, h, b, type, body, len);
    }
    free(json);
    evhttp_send_reply(r->ev, status, NULL, b);
    evbuffer_free(b);
}

/* The answer's text, taken from the request for send_answer(). */
static char *take_answer(struct req *r, enum err e, int *status)
{
    render(r, e, status);
    char *t = r->resp_text;
    r->resp_text = NULL;
    return t;
}

static bool json_content_type(const char *ct)
{
    if (!ct) return false;
    size_t n = strcspn(ct, ";");
    while (n > 0 && ct[n - 1] == ' ')
        n--;
    return n == 16 && strncasecmp(ct, "application/json", 16) == 0;
}

static double mono_seconds(void)
{
    return (double)now_us() / 1e6;
}

/* Writes the audit row of a refused request: its object (the route, when the handler named
 * none) and why. */
static void audit_refusal(struct req *r, const char *detail)
{
    if (!r->audit_object)
        r->audit_object = arena_printf(r->a, "%s %s", method_name(r->method), r->route->pattern);
    if (detail) r->audit_detail = detail;
    req_audit(r, "request.denied", "denied");
}

/* A handler's refusal of an object or an action (403, or a 404 from req_deny) leaves an audit
 * row, in a transaction of its own, like the pipeline's own role denials. Returns e. */
static enum err audit_denial(struct req *r, enum err e)
{
    if (e == ERR_FORBIDDEN || r->denied) audit_refusal(r, r->audit_detail ? NULL : r->err_msg);
    return e;
}

/* The caller: a bearer token, else the session cookie; none for a public route. */
static enum err identify(struct req *r, bool unsafe)
{
    enum err e = OK;
    const char *auth = req_header(r, "Authorization");
    if (r->route->flags & ROUTE_CHANNEL) {
        /* a channel credential, checked by the handler (org/chancred.h) */
    } else if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        e = apitoken_resolve(r->db, r->a, auth + 7, r->now, unsafe, &r->who);
        if (e == OK && !r->who)
            return req_fail(r, ERR_UNAUTHORIZED, NULL,
                            "API 令牌无效、已过期、已吊销或权限范围不足");
    } else {
        /* A citizens' route takes the public cookie first, an officials' route the officials'
         * one; the other kind is resolved only to be refused in admit (403, audited), so
         * neither session ever reaches the other's routes. */
        bool citizen_route = r->route->perm == PERM_CITIZEN;
        const char *tok = cookie_value(r, SESSION_COOKIE);
        const char *pub = r->route->perm != PERM_PUBLIC && r->app->opts.public_resolve
                              ? cookie_value(r, PUBLIC_SESSION_COOKIE)
                              : NULL;
        if (citizen_route && pub)
            e = r->app->opts.public_resolve(r->db, r->a, pub, r->now, &r->who);
        if (e == OK && !r->who && tok) e = session_resolve(r->db, r->a, tok, r->now, &r->who);
        if (e == OK && !r->who && !citizen_route && pub)
            e = r->app->opts.public_resolve(r->db, r->a, pub, r->now, &r->who);
    }
    if (e != OK) return req_fail_err(r, e);
    if (r->route->perm != PERM_PUBLIC && !r->who)
        return req_fail(r, ERR_UNAUTHORIZED, NULL, "请先登录（会话不存在或已过期）");
    return OK;
}

/* Refuses the request with an audit row naming the route and why (detail, may be NULL). */
static enum err deny(struct req *r, enum err e, const char *detail, const char *msg)
{
    audit_refusal(r, detail);
    return req_fail(r, e, NULL, "%s", msg);
}

/* What the caller may reach: the origin of a cookie write, session-only routes, a password to
 * change first, and the route's permission. */
static enum err admit(struct req *r, bool unsafe)
{
    const struct route *rt = r->route;
    if (!r->who) return OK;
    if (r->who->via_cookie && unsafe && !same_origin(r))
        return deny(r, ERR_FORBIDDEN, "cross-origin write refused",
                    "跨站请求被拒绝：请求来源与本站不一致");
    if (!r->who->via_cookie && (rt->flags & ROUTE_SESSION_ONLY))
        return deny(r, ERR_FORBIDDEN, "a bearer token on a session-only route",
                    "此操作只能在登录会话中进行，不能使用 API 令牌");
    if (r->who->must_change_pw && rt->perm != PERM_PUBLIC && !(rt->flags & ROUTE_ALLOW_PW_CHANGE))
        return req_fail(r, ERR_PW_CHANGE, NULL, "首次登录或密码被重置后须先修改密码");
    if (r->who->citizen_id && rt->perm != PERM_CITIZEN) /* and PERM_LOGGED_IN is officials' */
        return deny(r, ERR_FORBIDDEN, "a public account on an officials' route",
                    "公众账号不能使用工作人员的功能，请使用工作人员账号登录");
    if (!r->who->citizen_id && !roles_allow(r->who->roles, rt->perm))
        return deny(r, ERR_FORBIDDEN, NULL, "您的角色无权执行此操作");
    return OK;
}

/* Logins per client address, writes per account (429 with Retry-After, audited). */
static enum err limit_rate(struct req *r, bool unsafe)
{
    const struct route *rt = r->route;
    if (rt->flags & ROUTE_LOGIN) {
        if (ratelimit_take(r->app->login_limits, r->ip, mono_seconds(), &r->retry_after)) return OK;
        r->audit_detail = "too many login attempts from this address";
        req_audit(r, rt->action, "denied");
        return req_fail(r, ERR_RATE, NULL, "登录尝试过于频繁，请 %d 秒后再试", r->retry_after);
    }
    if (!unsafe || !r->who) return OK;
    char key[32];
    snprintf(key, sizeof key, "u%lld", r->who->user_id);
    if (ratelimit_take(r->app->write_limits, key, mono_seconds(), &r->retry_after)) return OK;
    char msg[96];
    snprintf(msg, sizeof msg, "操作过于频繁，请 %d 秒后再试", r->retry_after);
    return deny(r, ERR_RATE, "too many writes from this account", msg);
}

/* The body as the route takes it: JSON parsed into r->json (415, 413, 400 naming the field),
 * or raw bytes up to the upload limit. */
static enum err read_body(struct req *r, bool unsafe)
{
    const struct route *rt = r->route;
    struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
    r->body_len = evbuffer_get_length(in);
    r->content_type = req_header(r, "Content-Type");
    if (rt->body == BODY_JSON && unsafe) {
        if (r->body_len > r->app->opts.max_json_body)
            return req_fail(r, ERR_TOO_LARGE, NULL, "请求体过大（最多 %zu 字节）",
                            r->app->opts.max_json_body);
        if (r->body_len == 0 && rt->method == M_DELETE) return OK;
        if (!json_content_type(r->content_type))
            return req_fail(r, ERR_MEDIA_TYPE, NULL,
                            "请求体须为 JSON（Content-Type: application/json）");
        r->body = (const char *)evbuffer_pullup(in, -1);
        struct jv v;
        r->json = jv_parse(&v, r->body, r->body_len, 32);
        if (!r->json) return req_fail_jv(r, &v);
    } else if (rt->body == BODY_RAW) {
        if (r->body_len > r->app->opts.max_upload_body)
            return req_fail(r, ERR_TOO_LARGE, NULL, "文件过大（最多 %zu 字节）",
                            r->app->opts.max_upload_body);
        r->body = r->body_len ? (const char *)evbuffer_pullup(in, -1) : "";
    }
    return OK;
}

/* Claims the Idempotency-Key inside the open transaction: OK with *fresh true to go on, OK
 * with *fresh false for a replay (the transaction is rolled back), or the error. */
static enum err claim_key(struct req *r, const char *ikey, const char **replay, int *replay_status,
                          bool *fresh)
{
    *fresh = false;
    if (!idem_key_valid(ikey)) {
        store_rollback(r->db);
        return req_fail(r, ERR_BAD_REQUEST, "Idempotency-Key",
                        "Idempotency-Key 应为 1 到 128 个可见 ASCII 字符");
    }
    char bh[CRYPTO_HASH_HEX];
    hash_hex(r->body ? r->body : "", r->body_len, bh);
    enum idem_state st;
    enum err e = idem_claim(r, ikey, bh, &st, replay_status, replay);
    if (e != OK) {
        store_rollback(r->db);
        return req_fail_err(r, e);
    }
    if (st == IDEM_NEW) {
        *fresh = true;
        return OK;
    }
    store_rollback(r->db);
    return st == IDEM_MISMATCH
               ? req_fail(r, ERR_CONFLICT, "Idempotency-Key", "该 Idempotency-Key 已用于另一个请求")
               : OK;
}

/* One write transaction for the work, its audit row and its stored answer. */
static enum err run_write(struct req *r, const char **replay, int *replay_status)
{
    const struct route *rt = r->route;
    enum err e = store_begin(r->db);
    if (e != OK) return req_fail_err(r, e);
    const char *ikey = r->who ? req_header(r, "Idempotency-Key") : NULL;
    if (ikey) {
        bool fresh;
        enum err ce = claim_key(r, ikey, replay, replay_status, &fresh);
        if (ce != OK || !fresh) return ce;
    }
    e = rt->handler(r);
    if (e != OK && !r->keep_tx_on_error) {
        store_rollback(r->db);
        return audit_denial(r, e);
    }
    if (e != OK && !r->audit_detail) r->audit_detail = r->err_msg; /* why, in Chinese */
    req_audit(r, rt->action ? rt->action : rt->pattern,
              e == OK && r->status < 400        ? "ok"
              : e == ERR_FORBIDDEN || r->denied ? "denied"
                                                : "failure");
    if (e == OK && ikey) {
        int status;
        const char *body = render(r, OK, &status);
        enum err fe = idem_finish(r, ikey, status, body);
        if (fe != OK) {
            store_rollback(r->db);
            return req_fail_err(r, fe);
        }
    }
    enum err ce = store_err(r->db);
    if (ce == OK) ce = store_commit(r->db);
    if (ce != OK) {
        store_rollback(r->db);
        return req_fail_err(r, ce);
    }
    gen_bump(); /* cached reads of this process start afresh */
    return e;
}

/* Everything between routing and the handler's answer. Returns the error to answer with. */
static enum err pipeline(struct req *r, const char **idem_replay, int *replay_status)
{
    char allow[128];
    enum match m = router_match(r, allow, sizeof allow);
    if (m == MATCH_NO_PATH) return req_fail(r, ERR_NOT_FOUND, NULL, "接口不存在：%s", r->path);
    if (m == MATCH_NO_METHOD) {
        evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Allow", allow);
        return req_fail(r, ERR_METHOD, NULL, "该接口不支持 %s，可用：%s", method_name(r->method),
                        allow);
    }
    bool unsafe = is_unsafe(r->method);
    enum err e = identify(r, unsafe);
    if (e == OK) e = admit(r, unsafe);
    if (e == OK) e = limit_rate(r, unsafe);
    if (e == OK) e = read_body(r, unsafe);
    if (e != OK) return e;
    if (!unsafe || (r->route->flags & ROUTE_NO_TX)) return audit_denial(r, r->route->handler(r));
    return run_write(r, idem_replay, replay_status);
}

static void access_log(struct req *r, int status, uint64_t micros)
{
    if (r->app->access_fd < 0) return;
    char line[768];
    int n = snprintf(
        line, sizeof line,
        "{\"type\":\"access\",\"time\":%lld,\"rid\":\"%s\",\"method\":\"%s\",\"route\":\"%s\","
        "\"status\":%d,\"us\":%llu,\"user\":%lld,\"ip\":\"%s\"}",
        r->now, r->request_id, method_name(r->method), r->route ? r->route->pattern : "-", status,
        (unsigned long long)micros, r->who ? r->who->user_id : 0LL, r->ip);
    if (n < 0 || (size_t)n >= sizeof line - 1) return;
    line[n++] = '\n';
    ssize_t w = write(r->app->access_fd, line, (size_t)n); /* one write: lines never interleave */
    (void)w;
}

static bool ops_path(const char *path)
{
    return strcmp(path, "/metrics") == 0 || strcmp(path, "/healthz") == 0 ||
           strcmp(path, "/readyz") == 0;
}

/* One request on the main listener, or (ops) on the --metrics-listen one, which answers only
 * /metrics, /healthz and /readyz; the main listener does not answer /metrics. */
static void handle(struct evhttp_request *ev, struct worker *w, bool ops)
{
    uint64_t t0 = now_us();
    struct req r = {
        .ev = ev, .app = w->app, .db = w->db, .replica = w->replica, .now = (long long)time(NULL)};
    r.a = arena_new(16384);
    crypto_random_hex(r.request_id, 8);
    store_clear_err(r.db);
    client_ip(&r);
    bool known;
    r.method = ev_method(ev, &known);

    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
    const char *raw_path = uri ? evhttp_uri_get_path(uri) : NULL;
    size_t plen = 0;
    char *dec = raw_path ? evhttp_uridecode(raw_path, 0, &plen) : NULL;
    r.path = dec && strlen(dec) == plen ? arena_strdup(r.a, dec) : NULL;
    free(dec);
    r.query = uri ? evhttp_uri_get_query(uri) : NULL;

    int status;
    size_t route_index = METRICS_MAX_ROUTES - 1;
    if (!r.path || !known) {
        send_answer(&r, status = 400,
                    error_body(&r, req_fail(&r, ERR_BAD_REQUEST, NULL, "请求路径或方法无效")));
    } else if (ops ? !ops_path(r.path) : strcmp(r.path, "/metrics") == 0) {
        send_answer(&r, status = 404,
                    error_body(&r, req_fail(&r, ERR_NOT_FOUND, NULL, "接口不存在：%s", r.path)));
    } else if (ops || strncmp(r.path, "/api/", 5) == 0 || strcmp(r.path, "/healthz") == 0 ||
               strcmp(r.path, "/readyz") == 0) {
        const char *replay = NULL;
        int replay_status = 0;
        enum err e = pipeline(&r, &replay, &replay_status);
        if (r.route) route_index = router_index(r.route);
        if (e == OK && replay) {
            evhttp_add_header(evhttp_request_get_output_headers(ev), "Idempotent-Replayed", "true");
            send_answer(&r, status = replay_status, strdup(replay));
        } else {
            if (e == ERR_FORBIDDEN && !r.err_msg) r.err_msg = err_message(e);
            char *body = take_answer(&r, e, &status);
            send_answer(&r, status, body);
        }
        if (store_in_tx(r.db)) store_rollback(r.db); /* a handler bug must not leave one open */
    } else if (r.method == M_GET || r.method == M_HEAD) {
        common_headers(evhttp_request_get_output_headers(ev), false);
        status = static_serve(ev, w->app->opts.web_dir, r.path);
        route_index = METRICS_MAX_ROUTES - 2;
    } else {
        evhttp_add_header(evhttp_request_get_output_headers(ev), "Allow", "GET, HEAD");
        send_answer(&r, status = 405,
                    error_body(&r, req_fail(&r, ERR_METHOD, NULL, "静态资源只支持 GET")));
    }
    uint64_t dt = now_us() - t0;
    metrics_observe(&w->app->metrics, route_index, status, dt);
    access_log(&r, status, dt);
    json_decref(r.json);
    json_decref(r.resp);
    free(r.resp_text);
    arena_free(r.a);
}

static void on_request(struct evhttp_request *ev, void *arg)
{
    handle(ev, arg, false);
}

static void on_ops_request(struct evhttp_request *ev, void *arg)
{
    handle(ev, arg, true);
}

/* --- listeners, threads, shutdown --- */

/* A listening socket on spec ("HOST:PORT"). Loop threads share the port with SO_REUSEPORT; a
 * probe without it first makes sure no other process holds the port (with SO_REUSEPORT the
 * kernel would otherwise split connections between us and it). */
static int listen_socket(const char *opt, const char *spec, bool reuseport, char *why,
                         size_t whylen)
{
    char host[128];
    const char *colon = strrchr(spec, ':');
    if (!colon || (size_t)(colon - spec) >= sizeof host) {
        snprintf(why, whylen, "%s wants HOST:PORT, got '%s'", opt, spec);
        return -1;
    }
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = '\0';
    int port = atoi(colon + 1);
    if (port <= 0 || port > 65535) {
        snprintf(why, whylen, "%s port must be 1-65535, got '%s'", opt, colon + 1);
        return -1;
    }
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        snprintf(why, whylen, "%s host must be an IPv4 address, got '%s'", opt, host);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (reuseport) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 1024) != 0) {
        snprintf(why, whylen, "cannot listen on %s: %s", spec, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    event_base_dispatch(w->base);
    return NULL;
}

static void stop_worker(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct worker *w = arg;
    if (w->tick) event_del(w->tick);
    if (w->bound) evhttp_del_accept_socket(w->http, w->bound); /* closes the listener */
    w->bound = NULL;
    if (w->ops_bound) evhttp_del_accept_socket(w->ops_http, w->ops_bound);
    w->ops_bound = NULL;
    struct timeval grace = {1, 0}; /* answers already queued get this long to leave */
    event_base_loopexit(w->base, &grace);
}

static void worker_free(struct worker *w)
{
    if (w->tick) event_free(w->tick);
    if (w->http) evhttp_free(w->http);
    if (w->ops_http) evhttp_free(w->ops_http);
    if (w->base) event_base_free(w->base); /* runs the guard's clean-up of the connections */
    guard_loop_free(w->gl);
    replica_free(w->replica);
    store_close(w->db);
}

static bool worker_init(struct worker *w, char *why, size_t whylen)
{
    const struct server_opts *o = &w->app->opts;
    if (store_open(o->db_url, &w->db, why, whylen) != OK) return false;
    if (w->index == 0 && migrate_check(w->db, why, whylen) != OK) return false;
    if (o->read_db_url && !(w->replica = replica_new(o->read_db_url, o->read_db_max_lag))) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    w->base = event_base_new();
    w->http = w->base ? evhttp_new(w->base) : NULL;
    if (!w->http) {
        snprintf(why, whylen, "cannot create the event loop");
        return false;
    }
    evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
                                            EVHTTP_REQ_PUT | EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE |
                                            EVHTTP_REQ_OPTIONS);
    evhttp_set_max_headers_size(w->http, 16 * 1024);

    /* The guard (http/guard.c) applies each route's body limit before the body is read, so a body
     * evhttp sees is within the larger limit; this is evhttp's own backstop. */
    size_t ours = o->max_upload_body > o->max_json_body ? o->max_upload_body : o->max_json_body;
    evhttp_set_max_body_size(w->http, (ev_ssize_t)ours);
    struct timeval tv = {30, 0}; /* idle keep-alive connections, and a stalled reader */
    evhttp_set_timeout_tv(w->http, &tv);
    evhttp_set_gencb(w->http, on_request, w);
    w->gl = guard_loop_new(w->app->guard, w->db);
    if (!w->gl) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    guard_attach(w->gl, w->http);
    w->fd = listen_socket("--listen", o->listen, true, why, whylen);
    if (w->fd < 0) return false;
    w->bound = evhttp_accept_socket_with_handle(w->http, w->fd);
    if (!w->bound) {
        snprintf(why, whylen, "cannot accept on %s", o->listen);
        return false;
    }
    if (w->index == 0 && o->metrics_listen) {
        w->ops_http = evhttp_new(w->base);
        if (!w->ops_http) {
            snprintf(why, whylen, "cannot create the metrics listener");
            return false;
        }
        evhttp_set_allowed_methods(w->ops_http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
        evhttp_set_max_headers_size(w->ops_http, 16 * 1024);
        evhttp_set_max_body_size(w->ops_http, (ev_ssize_t)o->max_json_body);
        evhttp_set_timeout_tv(w->ops_http, &tv);
        evhttp_set_gencb(w->ops_http, on_ops_request, w);
        guard_attach(w->gl, w->ops_http);
        int fd = listen_socket("--metrics-listen", o->metrics_listen, false, why, whylen);
        if (fd < 0) return false;
        w->ops_bound = evhttp_accept_socket_with_handle(w->ops_http, fd);
        if (!w->ops_bound) {
            close(fd);
            snprintf(why, whylen, "cannot accept on %s", o->metrics_listen);
            return false;
        }
    }
    int every = w->index == 0 && o->periodic ? o->periodic_seconds : 0;
    if (every > 0) {
        struct timeval tv_tick = {every, 0};
        w->tick = event_new(w->base, -1, EV_PERSIST, on_tick, w);
        if (!w->tick || event_add(w->tick, &tv_tick) != 0) {
            snprintf(why, whylen, "cannot start the periodic tick");
            return false;
        }
    }
    return true;
}

int server_run(struct app *app)
{
    const char *al = app->opts.access_log;
    app->access_fd = STDERR_FILENO;
    if (al && strcmp(al, "off") == 0)
        app->access_fd = -1;
    else if (al && strcmp(al, "-") != 0) {
        app->access_fd = open(al, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        if (app->access_fd < 0) {
            fprintf(stderr, "ecoact serve: cannot open the access log %s: %s\n", al,
                    strerror(errno));
            return 1;
        }
    }
    evthread_use_pthreads();
    signal(SIGPIPE, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* workers inherit the mask; main waits below */

    int n = app->opts.threads > 0 ? app->opts.threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if (n > 64) n = 64;
    char why[512] = "";
    int probe = listen_socket("--listen", app->opts.listen, false, why, sizeof why);
    if (probe < 0) {
        fprintf(stderr, "ecoact serve: %s%s\n", why,
                strstr(why, "in use") ? " (another process holds this port)" : "");
        return 1;
    }
    close(probe);
    struct guard_opts go = {
        .max_json_body = app->opts.max_json_body,
        .max_upload_body = app->opts.max_upload_body,
        .header_timeout = app->opts.header_timeout,
        .body_timeout = app->opts.body_timeout,
        .max_conns_per_ip = app->opts.max_conns_per_ip,
        .trust_proxy = app->opts.trust_proxy,
    };
    app->guard = guard_new(&go, &app->metrics);
    if (!app->guard) {
        fprintf(stderr, "ecoact serve: out of memory\n");
        return 1;
    }
    struct worker *ws = calloc((size_t)n, sizeof *ws);
    int started = 0, rc = 0;
    for (int i = 0; i < n; i++) {
        ws[i].app = app;
        ws[i].index = i;
        if (!worker_init(&ws[i], why, sizeof why)) {
            fprintf(stderr, "ecoact serve: %s\n", why);
            worker_free(&ws[i]);
            rc = 1;
            break;
        }
        started++;
    }
    if (rc == 0 && cluster_start(app->opts.db_url, why, sizeof why) != OK) {
        fprintf(stderr, "ecoact serve: %s\n", why);
        rc = 1;
    }
    if (rc == 0) {
        for (int i = 0; i < n; i++)
            pthread_create(&ws[i].thread, NULL, worker_main, &ws[i]);
        log_info("ecoact serving on http://%s with %d threads", app->opts.listen, n);
        fprintf(stderr, "ecoact: listening on http://%s\n", app->opts.listen);
        if (app->opts.metrics_listen)
            fprintf(stderr, "ecoact: metrics on http://%s/metrics\n", app->opts.metrics_listen);
        int sig = 0;
        sigwait(&set, &sig);
        log_info("signal %d: stopping (finishing requests in flight)", sig);
        for (int i = 0; i < n; i++) {
            struct timeval zero = {0, 0};
            event_base_once(ws[i].base, -1, EV_TIMEOUT, stop_worker, &ws[i], &zero);
        }
        for (int i = 0; i < n; i++)
            pthread_join(ws[i].thread, NULL);
        cluster_stop();
    }
    for (int i = 0; i < started; i++)
        worker_free(&ws[i]);
    free(ws);
    guard_free(app->guard);
    app->guard = NULL;
    log_info("stopped");
    if (app->access_fd > STDERR_FILENO) close(app->access_fd);
    return rc;
}
