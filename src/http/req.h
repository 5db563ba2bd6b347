/* req.h - one HTTP request as handlers see it: the arena, the thread's database connection,
 * the caller (principal), path parameters, query, body, and the response being built.
 * Handlers return enum err: OK after reply_*(), or an error after req_fail() (or with the
 * default message). The server turns errors into the JSON envelope. */
#ifndef ECOACT_REQ_H
#define ECOACT_REQ_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "base/arena.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/jv.h"
#include "base/jw.h"
#include "base/table.h"
#include "org/perm.h"
#include "store/store.h"

struct app; /* shared across threads: see server.h */
struct evhttp_request;

enum method { M_GET, M_HEAD, M_POST, M_PUT, M_PATCH, M_DELETE, M_OPTIONS, M__COUNT };

/* Who is calling. */
struct principal {
    long long user_id;
    const char *username;
    const char *display_name;
    long long unit_id;
    role_set roles;
    bool unmask_pii; /* per-user permission granted by secadmin */
    bool must_change_pw;
    long long session_id; /* 0 for bearer tokens */
    bool via_cookie;
    /* A public account (src/citizen): its id, with user_id = -citizen_id (so idempotency keys
     * and write limits are per account), roles 0, unit 0. The pipeline lets it reach only
     * PERM_PUBLIC and PERM_CITIZEN routes; no official reaches a PERM_CITIZEN route. */
    long long citizen_id;
};

#define REQ_MAX_PARAMS 6

struct replica; /* store/replica.h */

struct req {
    struct evhttp_request *ev;
    struct app *app;
    struct store *db;
    struct replica *replica; /* the loop thread's read standby (serve --read-db); NULL: none */
    struct arena *a;
    enum method method;
    const char *path;  /* decoded, without query */
    const char *query; /* raw query string or NULL */
    const char *param_names[REQ_MAX_PARAMS];
    const char *params[REQ_MAX_PARAMS];
    int nparams;
    const char *body;
    size_t body_len;
    const char *content_type;
    json_t *json; /* parsed body of JSON routes, owned by the request */
    char ip[64];
    char request_id[17];
    long long now;         /* unix seconds at arrival */
    struct principal *who; /* NULL when anonymous */
    const struct route *route;

    /* response */
    int status;
    json_t *resp;    /* JSON body (owned) */
    char *resp_text; /* or JSON text written with jw (owned, malloc'd) */
    const void *raw; /* or raw bytes (arena or static) */
    size_t raw_len;
    const char *raw_type;
    const char *raw_filename; /* served as an attachment when set (plain UTF-8) */
    const char *raw_ascii;    /* its ASCII fallback (NULL: derived from raw_filename) */
    const char *set_cookie;
    int retry_after; /* seconds, for 423/429 */
    const char *err_field;
    const char *err_msg;
    bool keep_tx_on_error; /* commit the transaction even though the answer is an error */

    /* audit of this request */
    const char *audit_object;
    const char *audit_detail;
    bool denied; /* refused for want of access (req_deny): audited as denied */
    const char
        *secret_fields[4]; /* one-time secrets in the answer, never stored (req_secret_answer) */
};

/* Path parameter by name; NULL when absent. */
const char *req_param(struct req *r, const char *name);
/* Query parameter (decoded, arena copy); NULL when absent. */
const char *req_query(struct req *r, const char *name);
const char *req_header(struct req *r, const char *name);
/* Query parameter as an integer in [min,max]; a bad value fails the request (400/422). */
enum err req_query_int(struct req *r, const char *name, long long min, long long max, long long def,
                       long long *out);
/* A ROUTE_CHANNEL request's signed credential of scope (org/chancred.h: the bearer token and
 * the X-Ecoact-Timestamp / X-Ecoact-Signature headers over the body): OK with *cred_id, else the
 * request fails naming the header at fault (401, or 409 for a replayed signature). */
enum err req_channel(struct req *r, const char *scope, long long *cred_id);
/* Path parameter as a positive id; a bad one is 404. */
enum err req_param_id(struct req *r, const char *name, long long *out);

/* The connection for a heavy read-only handler (the compliance matrix, an export): the read
 * standby when one is configured and recent enough (store/replica.h), else r->db. The answer
 * then says which it read, and how stale it may be: X-Ecoact-Read-From: standby|primary and,
 * from the standby, X-Ecoact-Stale-Seconds. Permissions, sessions and audit rows stay on r->db.
 * Call it once per request, after the checks. */
struct store *req_read_db(struct req *r);

/* Records the error to answer with; returns e so handlers can `return req_fail(…)`. */
enum err req_fail(struct req *r, enum err e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Refuses an object the caller may not reach as if it did not exist (404: another unit's ids
 * are not told apart from missing ones); the refusal is audited as denied. */
enum err req_deny(struct req *r, const char *field, const char *msg);
/* Marks a field of the answer as a secret shown once (a one-time password, a token, a feed URL):
 * it is never stored, so a replay of the request with its Idempotency-Key answers without it,
 * with "secret_shown_once": true. Up to four fields. */
void req_secret_answer(struct req *r, const char *field);
/* A service's problem as the answer: its error, field and message; an empty problem is the
 * connection's storage error (req_store_fail). Returns the error. */
enum err req_fail_problem(struct req *r, const struct problem *p);
/* A failed jv check (base/jv.h) as the answer: its error, field and message. */
enum err req_fail_jv(struct req *r, const struct jv *v);
/* Answers the error e that a service or a store returned, with its default message: 503 for a
 * busy or lost database, 500 for a bug, 409 "与现有数据冲突" for a clash with existing data …
 * (err_http_status). Storage failures are counted in the metrics. Returns e. */
enum err req_fail_err(struct req *r, enum err e);
/* For a callee that signals failure by returning NULL or false: answers the connection's storage
 * error (req_fail_err of store_err(), or 500 when the connection holds none). */
enum err req_store_fail(struct req *r);

/* Sets the JSON response (steals the reference). */
enum err reply_json(struct req *r, int status, json_t *body);
/* Raw bytes; filename (plain UTF-8, or NULL) makes it an attachment: the server sends it as
 * RFC 5987 filename*=UTF-8''… with an ASCII fallback (http/server.c, disposition()). */
enum err reply_raw(struct req *r, int status, const char *type, const void *data, size_t len,
                   const char *filename);
/* The one place that names an export: the bytes as an attachment called
 * 「<title>_<2026年12月2日>.<ext>」 (today in Asia/Shanghai), with the ASCII fallback
 * "<ascii>_2026-12-02.<ext>" for clients that do not read filename*. title is what an official
 * calls the list (「审计日志」, the plan's title + 「终期评估」). */
enum err reply_export(struct req *r, const char *type, const void *data, size_t len,
                      const char *title, const char *ascii, const char *ext);

/* Appends an audit row of the caller now: action, r->audit_object, result, r->audit_detail; in
 * the request's transaction when one is open, else in its own. For the rows a route writes
 * itself (a GET that is audited, a refusal kept apart from the request's outcome); the pipeline
 * writes the row of each audited route with it. */
enum err req_audit(struct req *r, const char *action, const char *result);

bool req_has_role(const struct req *r, enum role role);
/* Whether the caller may use the route's permission for unit_id: the roles that grant it
 * decide (roles_scope): wide ones for any unit, unit-scoped ones for the caller's unit and its
 * children. */
bool req_may_act_for_unit(struct req *r, long long unit_id);
/* Whether the route's permission reaches only the caller's own unit (and children). */
bool req_unit_scoped(const struct req *r);

/* Sets JSON text as the answer (takes ownership of the malloc'd text). */
enum err reply_text(struct req *r, int status, char *json);
/* Sets JSON text written with jw as the answer (takes the writer's buffer). */
enum err reply_jw(struct req *r, int status, struct jw *w);
/* Pages written with jw: begin writes {"items":[ ; end closes it with next_cursor, given how
 * many items were written and the last one's id. */
void jw_page_begin(struct jw *w);
enum err reply_jw_page(struct req *r, struct jw *w, long long limit, long long count,
                       long long last_id);
/* The same with "total" after the items (total < 0: left out). */
enum err reply_jw_page_total(struct req *r, struct jw *w, long long limit, long long count,
                             long long last_id, long long total);

/* Imports of spreadsheets. ?dry_run=1 (or true): check only. */
bool req_dry_run(struct req *r);
/* The body as a table (table_read_upload); a refusal is answered: 413 naming "file" (too
 * large, or decoding past TABLE_MAX_DECODED_BYTES), 415 naming Content-Type, or 422 naming
 * "file". */
enum err req_read_table(struct req *r, size_t max_bytes, size_t max_rows, struct table *t,
                        bool *xlsx);
/* 422 for a file with errors, nothing imported: the envelope (field "file", message, which
 * then says how many errors are not listed) plus "errors": [{"row","column","message"}], the
 * first TABLE_MAX_ERRORS, and "errors_total". */
enum err reply_row_errors(struct req *r, const struct table_errors *l, const char *message);

/* Lists: `limit` (1..200, default 50) and `cursor` (an opaque id) from the query. */
enum err req_page(struct req *r, long long *limit, long long *after_id);
/* {"items": items, "next_cursor": "<id>" | null}; steals items. */
enum err reply_page(struct req *r, json_t *items, long long limit, long long last_id);
/* The same with "total": how many items match the list's filter (total < 0: left out). */
enum err reply_page_total(struct req *r, json_t *items, long long limit, long long last_id,
                          long long total);

#endif
