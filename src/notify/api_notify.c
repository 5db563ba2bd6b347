/* api_notify.c - routes of the notify area: the inbox (every account: its open items, newest
 * first, 待办 and 待阅 apart (?class=todo|toread) with counts by kind and by class; marking one
 * done, or read, and every 待阅 item read at once) and the outbox an SMS gateway consumes (a
 * gateway account with a bearer token claims pending messages and gets each recipient's phone
 * in clear, only when it holds the unmask_pii permission; every claim, refused or not, is
 * audited; then it reports each message sent or failed). Parse, call notify.h, render; the
 * contract is docs/outbox.md. */
#include "http/route.h"
#include "http/server.h"
#include "base/jv.h"
#include "notify/notify.h"
#include "org/audit.h"
#include <stdio.h>
#include <string.h>

static struct inbox_viewer viewer(struct req *r)
{
    return (struct inbox_viewer){r->who->user_id, r->who->unit_id, r->who->roles};
}

/* {"todo": n, "toread": n}: what the header's badge (todo only) and the tabs show. */
static void class_counts(struct jw *w, const long long n[INBOX_CLASSES])
{
    jw_obj(w);
    jw_kint(w, inbox_class_code(INBOX_TODO), n[INBOX_TODO]);
    jw_kint(w, inbox_class_code(INBOX_TOREAD), n[INBOX_TOREAD]);
    jw_obj_end(w);
}

/* {items, counts: {kind: n}, kinds: [{kind, kind_label, class, count}] and total of the class
 * asked (both without ?class), classes: {todo, toread}, next_cursor}. */
static enum err list_inbox(struct req *r)
{
    long long limit, after;
    enum err e = req_page(r, &limit, &after);
    if (e != OK) return e;
    const char *cq = req_query(r, "class");
    enum inbox_class cls;
    if (cq && !inbox_class_parse(cq, &cls))
        return req_fail(r, ERR_BAD_REQUEST, "class",
                        "class 应为 todo（待办）或 toread（待阅），不填则列出全部");
    const enum inbox_class *of = cq ? &cls : NULL;
    struct inbox_viewer v = viewer(r);
    struct jw w;
    jw_init(&w);
    jw_page_begin(&w);
    long long n, last, total, per[INBOX_CLASSES];
    e = inbox_list(r->db, &v, of, after, limit, &w, &n, &last);
    jw_arr_end(&w);
    if (e == OK) e = inbox_counts(r->db, &v, of, &w, &total);
    if (e == OK) e = inbox_class_counts(r->db, &v, per);
    if (e != OK) {
        jw_free(&w);
        return req_fail_err(r, e);
    }
    jw_kint(&w, "total", total);
    jw_key(&w, "classes");
    class_counts(&w, per);
    jw_key(&w, "next_cursor");
    if (n >= limit && last > 0) {
        char c[24];
        snprintf(c, sizeof c, "%lld", last);
        jw_str(&w, c);
    } else {
        jw_null(&w);
    }
    jw_obj_end(&w);
    return reply_jw(r, 200, &w);
}

/* Done for a 待办 item, read (标为已读) for a 待阅 one: the same act, closing the item. */
static enum err inbox_done(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    struct inbox_viewer v = viewer(r);
    bool was_done;
    enum inbox_class cls = INBOX_TODO;
    enum err e = inbox_mark_done(r->db, &v, id, r->now, &was_done, &cls);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "id", "待办事项不存在");
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "inbox:%lld", id);
    if (cls == INBOX_TOREAD) r->audit_detail = "标为已读";
    return reply_json(r, 200,
                      json_pack("{s:I,s:b,s:b,s:s}", "id", id, "done", 1, "already_done", was_done,
                                "class", inbox_class_code(cls)));
}

/* 全部标为已读: every open 待阅 item the caller sees; {"read": n, "classes": {todo, toread}}. */
static enum err inbox_read_all_route(struct req *r)
{
    struct inbox_viewer v = viewer(r);
    long long n, per[INBOX_CLASSES];
    enum err e = inbox_read_all(r->db, &v, r->now, &n);
    if (e == OK) e = inbox_class_counts(r->db, &v, per);
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "user:%lld", r->who->user_id);
    r->audit_detail = arena_printf(r->a, "%lld 项待阅标为已读", n);
    return reply_json(r, 200,
                      json_pack("{s:I,s:{s:I,s:I}}", "read", n, "classes",
                                inbox_class_code(INBOX_TODO), per[INBOX_TODO],
                                inbox_class_code(INBOX_TOREAD), per[INBOX_TOREAD]));
}

/* ---- outbox ---- */

static enum err audit_claim(struct req *r, const char *result, const char *detail)
{
    const char *action = r->route->action ? r->route->action : "outbox.claim";
    struct audit_entry a = {.at = r->now,
                            .user_id = r->who->user_id,
                            .username = r->who->username,
                            .unit_id = r->who->unit_id,
                            .ip = r->ip,
                            .action = action,
                            .object = "outbox",
                            .result = result,
                            .detail = detail};
    return audit_append(r->db, &r->app->keys, &a);
}

/* ROUTE_NO_TX: this handler runs its own transaction, so the answer (phones in clear) is never
 * stored as an idempotent replay in the database; its audit row is in the same transaction as
 * the claim: no audit row, no clear data. A lost answer is not replayed: its messages are
 * claimed again after OUTBOX_CLAIM_TIMEOUT. */
static enum err claim_any(struct req *r, bool direct)
{
    static const char *const allowed[] = {"limit", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    long long limit = jv_int(&v, "limit", false, 1, OUTBOX_CLAIM_MAX, 20);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    enum err e = store_begin(r->db);
    if (e != OK) return req_fail_err(r, e);
    if (!r->who->unmask_pii) {
        e = audit_claim(r, "denied", "no unmask_pii permission");
        if (e == OK) e = store_commit(r->db);
        if (e != OK) {
            store_rollback(r->db);
            return req_fail_err(r, e);
        }
        return req_fail(r, ERR_FORBIDDEN, NULL,
                        "领取短信需要安全管理员授予的查看个人信息权限（unmask_pii）");
    }
    struct outbox_msg *m;
    size_t n;
    e = direct ? outbox_direct_claim(r->db, &r->app->keys, r->who->user_id, r->now, limit, &m, &n)
               : outbox_claim(r->db, &r->app->keys, r->who->user_id, r->now, limit, &m, &n);
    if (e != OK) {
        store_rollback(r->db);
        return req_fail_err(r, e);
    }
    json_t *items = json_array();
    size_t given = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (!m[i].phone[0]) {
            failed++;
            continue;
        }
        given++;
        json_array_append_new(items, json_pack("{s:I,s:s,s:I,s:s,s:s,s:I,s:I}", "id", m[i].id,
                                               "channel", m[i].channel, "user_id", m[i].user_id,
                                               "phone", m[i].phone, "text", m[i].text, "attempts",
                                               m[i].attempts, "created_at", m[i].created_at));
    }
    char ids[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < n && used + 24 < sizeof ids; i++)
        used += (size_t)snprintf(ids + used, sizeof ids - used, "%s%lld", i ? "," : "", m[i].id);
    outbox_msgs_free(m, n);
    const char *detail = arena_printf(r->a, "claimed %zu (phones unmasked %zu, no phone %zu): %s",
                                      n, given, failed, ids);
    e = audit_claim(r, "ok", detail);
    if (e == OK) e = store_err(r->db);
    if (e == OK) e = store_commit(r->db);
    if (e != OK) {
        store_rollback(r->db);
        json_decref(items);
        return req_fail_err(r, e);
    }
    return reply_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next_cursor"));
}

static enum err claim_outbox(struct req *r)
{
    return claim_any(r, false);
}

/* Messages to a phone number with no official's account (a citizen's one-time code): the text
 * carries the code only in this answer, which, like the other claim's, is never stored. */
static enum err claim_direct(struct req *r)
{
    return claim_any(r, true);
}

static enum err result_any(struct req *r, bool direct)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    static const char *const allowed[] = {"status", "error", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    const char *status = jv_str(&v, "status", true, 16);
    const char *error = jv_str(&v, "error", false, 2000);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    bool sent = strcmp(status, "sent") == 0;
    if (!sent && strcmp(status, "failed") != 0)
        return req_fail(r, ERR_RULE, "status", "status 应为 sent（已发送）或 failed（发送失败）");
    r->audit_object = arena_printf(r->a, direct ? "outbox_direct:%lld" : "outbox:%lld", id);
    char now_status[16];
    long long attempts;
    enum err e = direct ? outbox_direct_result(r->db, id, r->who->user_id, sent, error, r->now,
                                               now_status, &attempts)
                        : outbox_result(r->db, id, r->who->user_id, sent, error, r->now, now_status,
                                        &attempts);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "id", "消息不存在");
    if (e == ERR_CONFLICT)
        return req_fail(r, ERR_CONFLICT, "id", "该消息当前状态为 %s，不是由本账号领取待回报的消息",
                        now_status);
    if (e != OK) return req_fail_err(r, e);
    r->audit_detail = sent ? "sent" : "failed";
    return reply_json(
        r, 200, json_pack("{s:I,s:s,s:I}", "id", id, "status", now_status, "attempts", attempts));
}

/* ---- delivery preferences ---- */

/* "HH:MM" → minutes of the day; -1 when s is NULL or empty, -2 when malformed. */
static int minutes(const char *s)
{
    if (!s || !*s) return -1;
    int h, m;
    char tail;
    if (strlen(s) != 5 || sscanf(s, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 ||
        m > 59)
        return -2;
    return h * 60 + m;
}

static enum err prefs_reply(struct req *r, const struct notify_prefs *p, int status)
{
    char from[16] = "", to[16] = "";
    bool quiet = p->quiet_from >= 0 && p->quiet_to >= 0;
    if (quiet) {
        snprintf(from, sizeof from, "%02d:%02d", p->quiet_from / 60, p->quiet_from % 60);
        snprintf(to, sizeof to, "%02d:%02d", p->quiet_to / 60, p->quiet_to % 60);
    }
    return reply_json(r, status,
                      json_pack("{s:b,s:s?,s:s?,s:s}", "sms", p->sms, "quiet_from",
                                quiet ? from : NULL, "quiet_to", quiet ? to : NULL, "timezone",
                                "Asia/Shanghai"));
}

static enum err get_prefs(struct req *r)
{
    struct notify_prefs p;
    enum err e = notify_prefs_get(r->db, r->who->user_id, &p);
    if (e != OK) return req_fail_err(r, e);
    return prefs_reply(r, &p, 200);
}

static enum err put_prefs(struct req *r)
{
    static const char *const allowed[] = {"sms", "quiet_from", "quiet_to", NULL};
    struct jv v = {0};
    jv_begin(&v, r->json, allowed);
    struct notify_prefs p = {.sms = jv_bool(&v, "sms", false, true)};
    const char *from = jv_str(&v, "quiet_from", false, 5), *to = jv_str(&v, "quiet_to", false, 5);
    if (!jv_ok(&v)) return req_fail_jv(r, &v);
    p.quiet_from = minutes(from);
    p.quiet_to = minutes(to);
    if (p.quiet_from == -2) return req_fail(r, ERR_RULE, "quiet_from", "免打扰开始时间应为 HH:MM");
    if (p.quiet_to == -2) return req_fail(r, ERR_RULE, "quiet_to", "免打扰结束时间应为 HH:MM");
    if ((p.quiet_from < 0) != (p.quiet_to < 0) || (p.quiet_from >= 0 && p.quiet_from == p.quiet_to))
        return req_fail(r, ERR_RULE, p.quiet_from < 0 ? "quiet_from" : "quiet_to",
                        "免打扰时段应同时给出不同的开始和结束时间（HH:MM，北京时间）");
    enum err e = notify_prefs_set(r->db, r->who->user_id, &p, r->now);
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "user:%lld", r->who->user_id);
    return prefs_reply(r, &p, 200);
}

/* ---- dead letters (an operator's) ---- */

static enum err list_dead(struct req *r)
{
    long long limit, after, n, last;
    enum err e = req_page(r, &limit, &after);
    if (e != OK) return e;
    struct jw w;
    jw_init(&w);
    jw_page_begin(&w);
    if ((e = outbox_dead_list(r->db, after, limit, &w, &n, &last)) != OK) {
        jw_free(&w);
        return req_fail_err(r, e);
    }
    return reply_jw_page(r, &w, limit, n, last);
}

static enum err retry_dead(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    r->audit_object = arena_printf(r->a, "outbox:%lld", id);
    char status[16];
    enum err e = outbox_retry(r->db, id, r->now, status);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "id", "消息不存在");
    if (e == ERR_CONFLICT)
        return req_fail(r, ERR_CONFLICT, "id", "该消息当前状态为 %s，只有发送失败的消息可以重发",
                        status);
    if (e != OK) return req_fail_err(r, e);
    return reply_json(r, 200,
                      json_pack("{s:I,s:s,s:i}", "id", id, "status", status, "attempts", 0));
}

static enum err outbox_result_route(struct req *r)
{
    return result_any(r, false);
}

static enum err direct_result_route(struct req *r)
{
    return result_any(r, true);
}

/* ---- a citizen's in-app messages (public sessions: PERM_CITIZEN) ---- */

/* {items: [...], counts: {unread, open, total}, next_cursor}: the caller's own messages only. */
static enum err list_citizen_inbox(struct req *r)
{
    long long limit, after;
    enum err e = req_page(r, &limit, &after);
    if (e != OK) return e;
    long long me = r->who->citizen_id, n, last;
    struct citizen_inbox_counts c;
    struct jw w;
    jw_init(&w);
    jw_page_begin(&w);
    e = citizen_inbox_list(r->db, me, after, limit, &w, &n, &last);
    jw_arr_end(&w);
    if (e == OK) e = citizen_inbox_count(r->db, me, &c);
    if (e != OK) {
        jw_free(&w);
        return req_fail_err(r, e);
    }
    jw_key(&w, "counts");
    jw_obj(&w);
    jw_kint(&w, "unread", c.unread);
    jw_kint(&w, "open", c.open);
    jw_kint(&w, "total", c.total);
    jw_obj_end(&w);
    jw_key(&w, "next_cursor");
    if (n >= limit && last > 0) {
        char cur[24];
        snprintf(cur, sizeof cur, "%lld", last);
        jw_str(&w, cur);
    } else {
        jw_null(&w);
    }
    jw_obj_end(&w);
    return reply_jw(r, 200, &w);
}

/* Another account's message id is no message of the caller's: 404, as a missing one. */
static enum err citizen_inbox_read(struct req *r)
{
    long long id;
    if (req_param_id(r, "id", &id) != OK) return ERR_NOT_FOUND;
    bool was;
    enum err e = citizen_inbox_mark(r->db, r->who->citizen_id, id, false, r->now, &was);
    if (e == ERR_NOT_FOUND) return req_fail(r, ERR_NOT_FOUND, "id", "消息不存在");
    if (e != OK) return req_fail_err(r, e);
    r->audit_object = arena_printf(r->a, "citizen:%lld:message:%lld", r->who->citizen_id, id);
    struct citizen_inbox_counts c;
    e = citizen_inbox_count(r->db, r->who->citizen_id, &c);
    if (e != OK) return req_fail_err(r, e);
    return reply_json(r, 200,
                      json_pack("{s:I,s:b,s:b,s:I}", "id", id, "read", 1, "already_read", was,
                                "unread", c.unread));
}

const struct route notify_routes[] = {
    {M_GET, "/api/v1/inbox", PERM_LOGGED_IN, BODY_NONE, NULL, list_inbox, 0},
    {M_POST, "/api/v1/inbox/{id}/done", PERM_LOGGED_IN, BODY_NONE, "inbox.done", inbox_done,
     ROUTE_OWN_USER},
    {M_POST, "/api/v1/inbox/read-all", PERM_LOGGED_IN, BODY_NONE, "inbox.read_all",
     inbox_read_all_route, 0},
    {M_POST, "/api/v1/outbox/claim", PERM_OUTBOX, BODY_JSON, "outbox.claim", claim_outbox,
     ROUTE_NO_TX},
    {M_POST, "/api/v1/outbox/{id}/result", PERM_OUTBOX, BODY_JSON, "outbox.result",
     outbox_result_route, 0},
    {M_GET, "/api/v1/outbox/dead", PERM_OUTBOX_ADMIN, BODY_NONE, NULL, list_dead, 0},
    {M_POST, "/api/v1/outbox/{id}/retry", PERM_OUTBOX_ADMIN, BODY_NONE, "outbox.retry", retry_dead,
     0},
    {M_GET, "/api/v1/me/notification-prefs", PERM_LOGGED_IN, BODY_NONE, NULL, get_prefs, 0},
    {M_PUT, "/api/v1/me/notification-prefs", PERM_LOGGED_IN, BODY_JSON, "notify.prefs", put_prefs,
     0},
    {M_POST, "/api/v1/outbox/direct/claim", PERM_OUTBOX, BODY_JSON, "outbox.direct.claim",
     claim_direct, ROUTE_NO_TX},
    {M_POST, "/api/v1/outbox/direct/{id}/result", PERM_OUTBOX, BODY_JSON, "outbox.direct.result",
     direct_result_route, 0},
    {M_GET, "/api/v1/citizen/inbox", PERM_CITIZEN, BODY_NONE, NULL, list_citizen_inbox, 0},
    {M_POST, "/api/v1/citizen/inbox/{id}/read", PERM_CITIZEN, BODY_NONE, "citizen.inbox_read",
     citizen_inbox_read, ROUTE_OWN_USER},
    {0},
};
