/* notify_push.c - the push adapter of the outbox (docs/outbox.md): delivers due messages to a
 * configured webhook, the form SMS and WeChat gateways take. Each message is a POST of a JSON
 * body with an Idempotency-Key header (one per message, the same on every attempt, so the
 * receiver drops repeats) and an HMAC-SHA256 signature over "<timestamp>.<body>"
 * (X-Ecoact-Timestamp, X-Ecoact-Signature: v1=<hex>). A failure (no answer in time, a dropped
 * connection, a status other than 2xx) is tried again after an exponential backoff with jitter;
 * after max_attempts the message is a dead letter (status failed), listed and retried by an
 * operator. Delivery is at least once: a message is settled only after its answer, so a crash
 * between the two sends it again, with the same key. Messages to a phone number (a citizen's
 * one-time code, outbox_direct) go the same way, first in each round, keyed ecoact-direct-…; a
 * failed one is tried again in the next round, without a backoff, until it expires (5 minutes).
 *
 * The client is libevent's evhttp client on an event base of the deliverer's own, used
 * blocking (one request at a time, each bounded by the timeout), on a thread of its own with its
 * own database connection (webhook_start): the request threads never wait on a webhook. Plain
 * http only: put a TLS-terminating proxy on the same host in front of an https gateway. */
#include "notify/notify.h"
#include "notify/notify_store.h"
#include "base/log.h"
#include "org/audit.h"
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct target {
    char host[256], path[1024];
    int port;
};

static bool parse_url(const char *url, struct target *t)
{
    struct evhttp_uri *u = url ? evhttp_uri_parse(url) : NULL;
    bool ok = u && evhttp_uri_get_scheme(u) && strcmp(evhttp_uri_get_scheme(u), "http") == 0 &&
              evhttp_uri_get_host(u) && strlen(evhttp_uri_get_host(u)) < sizeof t->host;
    if (ok) {
        snprintf(t->host, sizeof t->host, "%s", evhttp_uri_get_host(u));
        t->port = evhttp_uri_get_port(u) > 0 ? evhttp_uri_get_port(u) : 80;
        const char *p = evhttp_uri_get_path(u), *q = evhttp_uri_get_query(u);
        int n = snprintf(t->path, sizeof t->path, "%s%s%s", p && *p ? p : "/", q ? "?" : "",
                         q ? q : "");
        ok = n > 0 && (size_t)n < sizeof t->path;
    }
    if (u) evhttp_uri_free(u);
    return ok;
}

struct answer {
    struct event_base *base;
    int status; /* 0: no answer (timeout, refused, dropped) */
};

static void answered(struct evhttp_request *req, void *arg)
{
    struct answer *a = arg;
    a->status = req ? evhttp_request_get_response_code(req) : 0;
    event_base_loopexit(a->base, NULL);
}

/* POSTs body; returns the HTTP status, 0 for no answer. */
static int post(struct event_base *base, const struct target *t, const struct webhook_opts *o,
                const char *key, const char *body, long long now)
{
    struct answer a = {base, 0};
    struct evhttp_connection *c =
        evhttp_connection_base_new(base, NULL, t->host, (ev_uint16_t)t->port);
    if (!c) return 0;
    evhttp_connection_set_timeout(c, o->timeout);
    evhttp_connection_set_retries(c, 0);
    struct evhttp_request *req = evhttp_request_new(answered, &a);
    if (!req) {
        evhttp_connection_free(c);
        return 0;
    }
    char ts[24], sig[WEBHOOK_SIG_CHARS], host[sizeof t->host + 8];
    snprintf(ts, sizeof ts, "%lld", now);
    snprintf(host, sizeof host, t->port == 80 ? "%s" : "%s:%d", t->host, t->port);
    webhook_signature(o->secret, o->secret_len, now, body, strlen(body), sig);
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Host", host);
    evhttp_add_header(h, "Content-Type", "application/json; charset=utf-8");
    evhttp_add_header(h, "Idempotency-Key", key);
    evhttp_add_header(h, "X-Ecoact-Timestamp", ts);
    evhttp_add_header(h, "X-Ecoact-Signature", sig);
    evhttp_add_header(h, "Connection", "close");
    evbuffer_add(evhttp_request_get_output_buffer(req), body, strlen(body));
    if (evhttp_make_request(c, req, EVHTTP_REQ_POST, t->path) == 0) event_base_dispatch(base);
    evhttp_connection_free(c);
    return a.status;
}

/* The body of one message; the phone is wiped from the JSON text by the caller. */
static char *message_body(const struct outbox_msg *m, const char *key)
{
    json_t *j =
        json_pack("{s:I,s:s,s:s,s:{s:I,s:s},s:s,s:I,s:I}", "id", m->id, "idempotency_key", key,
                  "channel", m->channel, "to", "user_id", m->user_id, "phone", m->phone, "text",
                  m->text, "attempt", m->attempts, "created_at", m->created_at);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    if (j) {
        json_t *ph = json_object_get(json_object_get(j, "to"), "phone");
        sodium_memzero((char *)json_string_value(ph), json_string_length(ph));
        json_decref(j);
    }
    return s;
}

static enum err audit_push(struct store *db, const struct keys *k, const char *what,
                           const struct outbox_msg *m, size_t n, long long now)
{
    char ids[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < n && used + 24 < sizeof ids; i++)
        used += (size_t)snprintf(ids + used, sizeof ids - used, "%s%lld", i ? "," : "", m[i].id);
    char detail[600];
    snprintf(detail, sizeof detail, "%s %zu: %s", what, n, ids);
    struct audit_entry a = {.at = now,
                            .username = "webhook",
                            .ip = "",
                            .action = "outbox.push",
                            .object = "outbox",
                            .result = "ok",
                            .detail = detail};
    return audit_append(db, k, &a);
}

/* Ends a claim's transaction: commits, or rolls back and frees the messages. */
static enum err claimed(struct store *db, enum err e, struct outbox_msg **out, size_t *n)
{
    if (e == OK && store_err(db) != OK) e = store_err(db);
    if (e == OK) e = store_commit(db);
    if (e != OK) {
        store_rollback(db);
        outbox_msgs_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return e;
}

/* Claims a batch in one transaction, with the phones and the audit row; *out holds only the
 * messages to send (those without a phone failed for good). */
static enum err claim(struct store *db, const struct keys *k, const struct webhook_opts *o,
                      long long now, struct outbox_msg **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    long long stale = now - OUTBOX_CLAIM_TIMEOUT;
    enum err e = store_begin(db);
    if (e == OK) e = notify_store_push_expire(db, stale, o->max_attempts, now);
    if (e == OK) e = notify_store_push_claim(db, now, stale, o->max_attempts, o->batch, out, n);
    if (e == OK) e = notify_ready_claimed(db, k, *out, n, now);
    size_t keep = 0; /* those without a phone failed for good: not sent */
    for (size_t i = 0; i < *n; i++)
        if ((*out)[i].phone[0]) (*out)[keep++] = (*out)[i];
    *n = keep;
    if (e == OK && keep) e = audit_push(db, k, "push", *out, keep, now);
    return claimed(db, e, out, n);
}

/* Claims a batch of messages to a phone number (one-time codes), their number and code opened,
 * with the audit row. The deliverer claims as account 0 (claimed_by NULL), so a pulling
 * gateway's result never settles its claim. */
static enum err claim_direct(struct store *db, const struct keys *k, const struct webhook_opts *o,
                             long long now, struct outbox_msg **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    enum err e = store_begin(db);
    if (e == OK) e = outbox_direct_claim(db, k, 0, now, o->batch, out, n);
    if (e == OK && *n) e = audit_push(db, k, "push direct", *out, *n, now);
    return claimed(db, e, out, n);
}

/* Why an attempt failed, from its HTTP status (0: no answer, -1: the deliverer is stopping). */
static void failure(int status, char *why, size_t len)
{
    if (status > 0)
        snprintf(why, len, "网关回答 HTTP %d", status);
    else if (status == 0)
        snprintf(why, len, "网关无应答（超时或连接中断）");
    else
        snprintf(why, len, "投递程序停止，未发送");
}

/* Records one message's answer: sent on a 2xx, given back unsent (-1: stopping), else failed:
 * pending again after the backoff, or a dead letter once its attempts are spent. */
static enum err settle(struct store *db, const struct webhook_opts *o, const struct outbox_msg *m,
                       int status, int *sent, int *failed)
{
    long long at = (long long)time(NULL);
    if (status == -1) return notify_store_outbox_release(db, m->id, 0, at);
    bool ok = status >= 200 && status < 300;
    char why[64];
    failure(status, why, sizeof why);
    long long next = ok ? 0
                        : at + outbox_backoff(m->attempts, o->backoff_base, o->backoff_max,
                                              randombytes_random());
    (*(ok ? sent : failed))++;
    return notify_store_push_settle(db, m->id, ok, why, o->max_attempts, next, at);
}

/* As settle, for a message to a phone number: a failed one is pending again at once (a code
 * lives 5 minutes, too short for a backoff) until OUTBOX_MAX_ATTEMPTS or its expiry. */
static enum err settle_direct(struct store *db, const struct webhook_opts *o,
                              const struct outbox_msg *m, int status, int *sent, int *failed)
{
    (void)o;
    bool ok = status >= 200 && status < 300;
    char why[64], now_status[16];
    long long attempts;
    failure(status, why, sizeof why);
    if (status != -1) (*(ok ? sent : failed))++;
    enum err e = outbox_direct_result(db, m->id, 0, ok, ok ? NULL : why, (long long)time(NULL),
                                      now_status, &attempts);
    return e == ERR_CONFLICT ? OK : e; /* expired meanwhile: nothing to record */
}

typedef enum err (*claim_fn)(struct store *, const struct keys *, const struct webhook_opts *,
                             long long, struct outbox_msg **, size_t *);
typedef enum err (*settle_fn)(struct store *, const struct webhook_opts *,
                              const struct outbox_msg *, int, int *, int *);

/* POSTs each message (its key "ecoact-<kind>-<id>-<created_at>", the same on every attempt);
 * status[i] gets the HTTP status, 0 for no answer, -1 when not sent because stopping. */
static void post_all(const struct target *t, const struct webhook_opts *o,
                     const struct outbox_msg *m, size_t n, const char *kind, int *status)
{
    struct event_base *base = event_base_new();
    for (size_t i = 0; i < n; i++) {
        if (!base || (o->stop && __atomic_load_n(o->stop, __ATOMIC_ACQUIRE))) {
            status[i] = -1; /* given back, unsent */
            continue;
        }
        char key[64];
        snprintf(key, sizeof key, "ecoact-%s-%lld-%lld", kind, m[i].id, m[i].created_at);
        char *body = m[i].phone[0] ? message_body(&m[i], key) : NULL;
        status[i] = body ? post(base, t, o, key, body, (long long)time(NULL)) : 0;
        if (body) {
            sodium_memzero(body, strlen(body));
            free(body);
        }
    }
    if (base) event_base_free(base);
}

/* One queue's round: claim a batch, post it, settle each answer in one transaction. */
static enum err round_of(struct store *db, const struct keys *k, const struct webhook_opts *o,
                         const struct target *t, long long now, const char *kind, claim_fn claim_q,
                         settle_fn settle_q, int *sent, int *failed)
{
    struct outbox_msg *m;
    size_t n;
    enum err e = claim_q(db, k, o, now, &m, &n);
    if (e != OK || n == 0) {
        outbox_msgs_free(m, n); /* all held for quiet hours: the array is still there */
        return e;
    }
    int *status = calloc(n, sizeof *status);
    if (!status) abort();
    post_all(t, o, m, n, kind, status);
    e = store_begin(db);
    for (size_t i = 0; i < n && e == OK; i++)
        e = settle_q(db, o, &m[i], status[i], sent, failed);
    if (e == OK && store_err(db) != OK) e = store_err(db);
    if (e == OK) e = store_commit(db);
    if (e != OK) store_rollback(db); /* the claims go again after OUTBOX_CLAIM_TIMEOUT */
    free(status);
    outbox_msgs_free(m, n);
    return e;
}

enum err webhook_round(struct store *db, const struct keys *k, const struct webhook_opts *o,
                       long long now, int *sent, int *failed)
{
    *sent = *failed = 0;
    struct target t;
    if (!parse_url(o->url, &t)) return ERR_RULE;
    enum err e = round_of(db, k, o, &t, now, "direct", claim_direct, settle_direct, sent, failed);
    if (e == OK) e = round_of(db, k, o, &t, now, "outbox", claim, settle, sent, failed);
    return e;
}

/* ---- the deliverer thread ---- */

struct webhook_deliverer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    struct store *db;
    const struct keys *k;
    struct webhook_opts o;
};

static void *deliver_loop(void *arg)
{
    struct webhook_deliverer *d = arg;
    pthread_mutex_lock(&d->mu);
    while (!d->stop) {
        pthread_mutex_unlock(&d->mu);
        int sent = 0, failed = 0;
        store_clear_err(d->db);
        enum err e = webhook_round(d->db, d->k, &d->o, (long long)time(NULL), &sent, &failed);
        if (e != OK) log_error("webhook delivery round failed: %s", store_errmsg(d->db));
        if (sent || failed)
            log_info("webhook: delivered %d, failed %d (to retry or dead)", sent, failed);
        bool more = e == OK && sent + failed >= d->o.batch;
        pthread_mutex_lock(&d->mu);
        if (more || d->stop) continue;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += d->o.interval;
        pthread_cond_timedwait(&d->cv, &d->mu, &until);
    }
    pthread_mutex_unlock(&d->mu);
    return NULL;
}

struct webhook_deliverer *webhook_start(const char *db_url, const struct keys *k,
                                        const struct webhook_opts *o)
{
    struct target t;
    if (!parse_url(o->url, &t)) {
        log_error("webhook: the URL must be http://host[:port]/path (https through a local proxy)");
        return NULL;
    }
    struct webhook_deliverer *d = calloc(1, sizeof *d);
    char why[256];
    if (!d || store_open(db_url, &d->db, why, sizeof why) != OK) {
        log_error("webhook: cannot open the database: %s", d ? why : "out of memory");
        free(d);
        return NULL;
    }
    d->k = k;
    d->o = *o;
    d->o.stop = &d->stop;
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->cv, NULL);
    if (pthread_create(&d->thread, NULL, deliver_loop, d) != 0) {
        store_close(d->db);
        free(d);
        return NULL;
    }
    log_info("webhook: delivering the outbox to %s:%d every %d s", t.host, t.port, o->interval);
    return d;
}

void webhook_stop(struct webhook_deliverer *d)
{
    if (!d) return;
    pthread_mutex_lock(&d->mu);
    __atomic_store_n(&d->stop, true, __ATOMIC_RELEASE);
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
    pthread_join(d->thread, NULL);
    pthread_mutex_destroy(&d->mu);
    pthread_cond_destroy(&d->cv);
    store_close(d->db);
    free(d);
}
