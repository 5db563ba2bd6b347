/* guard.c - the connection guard (guard.h). evhttp (libevent 2.1) reads a whole body before the
 * application sees the request and restarts its timeout with every byte, so the guard sits below
 * it: evhttp_set_bevcb() gives each accepted connection a filtering bufferevent over the socket,
 * and the input filter passes evhttp one request at a time: the head once it is complete and
 * accepted, then exactly Content-Length body bytes, then nothing until evhttp has answered. A
 * refused request is answered here (JSON error, Connection: close) and its bytes are drained, not
 * kept. Three quirks of libevent 2.1.12's filter are handled here as well: it does not flush
 * output that was added while writing was disabled (evhttp adds its answer first and enables
 * writing after); it calls the writer back as soon as the bytes reach the socket bufferevent
 * rather than the socket, so evhttp would close a "Connection: close" connection before its
 * answer left; and it runs the output filter, and so evhttp's write callback, synchronously
 * inside evhttp's own adding to the output, which evhttp does not expect. The output filter
 * therefore writes straight to the socket, only from an event of its own (on_flush), and evhttp
 * hears "written" only when the kernel has taken every byte. */
#include "http/guard.h"
#include "base/arena.h"
#include "base/crypto.h"
#include "base/err.h"
#include "http/metrics.h"
#include "http/router.h"
#include "org/chancred.h"
#include "org/policy.h"
#include "org/session.h"
#include "store/store.h"
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define GUARD_HEAD_MAX (32 * 1024) /* request line and headers; evhttp allows 16 KiB of each */
#define GUARD_HOLD_MAX (64 * 1024) /* socket bytes read ahead while evhttp is busy */
#define GUARD_LINGER 5             /* seconds a refused connection is drained before it closes */
#define GUARD_BUCKETS 1024

/* A client address: family, then 4 or 16 bytes. */
struct guard_addr {
    unsigned char len;
    unsigned char key[17];
};

struct guard_ip {
    struct guard_ip *next;
    struct guard_addr addr;
    int n;
};

struct guard {
    struct guard_opts o;
    struct metrics *m;
    pthread_mutex_t mu;
    struct guard_ip *ips[GUARD_BUCKETS];
};

struct guard_loop {
    struct guard *g;
    struct store *db;
};

enum guard_state {
    GS_INIT,  /* accepted; the address is not counted yet */
    GS_HEAD,  /* waiting for a request head */
    GS_BODY,  /* passing the body on */
    GS_WAIT,  /* the request is with evhttp; later bytes wait until it has answered */
    GS_DRAIN, /* refused: incoming bytes are dropped until the connection closes */
    GS_DONE,  /* asked evhttp to close */
};

struct guard_conn {
    struct guard_loop *gl;
    struct bufferevent *bev;   /* the filter: what evhttp reads and writes */
    struct bufferevent *under; /* the socket */
    struct evbuffer_cb_entry *out_cb;
    struct event *timer;    /* admission, the head and body deadlines, the end of draining */
    struct event *flush;    /* writes evhttp's output, from the loop (see guard_out) */
    struct event *writable; /* the socket can take more of it; made at the first short write */
    enum guard_state state;
    bool writing;      /* inside on_flush: the output filter may write */
    bool head_started; /* the head deadline runs */
    bool counted;      /* addr holds one of the address's connections */
    size_t scanned;    /* bytes of the held head already searched for its end */
    uint64_t body_left;
    struct guard_addr addr;
};

/* --- connections per address --- */

static size_t addr_hash(const struct guard_addr *a)
{
    uint32_t h = 2166136261u;
    for (unsigned i = 0; i < a->len; i++)
        h = (h ^ a->key[i]) * 16777619u;
    return h % GUARD_BUCKETS;
}

/* Counts one more connection from a: 1 when counted, 0 when the address is at the cap, -1 when
 * there is no memory to count it (it is let in uncounted rather than refusing everyone). */
static int addr_take(struct guard *g, const struct guard_addr *a)
{
    size_t h = addr_hash(a);
    int r = 1;
    pthread_mutex_lock(&g->mu);
    struct guard_ip *e = g->ips[h];
    while (e && (e->addr.len != a->len || memcmp(e->addr.key, a->key, a->len) != 0))
        e = e->next;
    if (!e && (e = calloc(1, sizeof *e)) != NULL) {
        e->addr = *a;
        e->next = g->ips[h];
        g->ips[h] = e;
    }
    if (!e)
        r = -1;
    else if (e->n >= g->o.max_conns_per_ip)
        r = 0;
    else
        e->n++;
    pthread_mutex_unlock(&g->mu);
    return r;
}

static void addr_give(struct guard *g, const struct guard_addr *a)
{
    size_t h = addr_hash(a);
    pthread_mutex_lock(&g->mu);
    for (struct guard_ip **p = &g->ips[h]; *p; p = &(*p)->next) {
        struct guard_ip *e = *p;
        if (e->addr.len != a->len || memcmp(e->addr.key, a->key, a->len) != 0) continue;
        if (--e->n <= 0) {
            *p = e->next;
            free(e);
        }
        break;
    }
    pthread_mutex_unlock(&g->mu);
}

/* The peer of fd; false when it cannot be read. Sets *loopback for 127.0.0.0/8 and ::1. */
static bool peer_addr(evutil_socket_t fd, struct guard_addr *a, bool *loopback)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &sl) != 0) return false;
    if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ss;
        a->len = 5;
        a->key[0] = 4;
        memcpy(a->key + 1, &s4->sin_addr, 4);
        *loopback = a->key[1] == 127;
        return true;
    }
    if (ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;
        a->len = 17;
        a->key[0] = 6;
        memcpy(a->key + 1, &s6->sin6_addr, 16);
        *loopback = IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
        return true;
    }
    return false;
}

/* --- answering and closing --- */

static bool conn_dead(struct guard_conn *c)
{
    bufferevent_data_cb rcb = NULL;
    bufferevent_getcb(c->under, &rcb, NULL, NULL, NULL); /* cleared once evhttp freed the filter */
    return c->state == GS_DONE || rcb == NULL;
}

static void set_timer(struct guard_conn *c, long seconds)
{
    struct timeval tv = {seconds > 0 ? seconds : 0, 0};
    evtimer_add(c->timer, &tv);
}

static const char *reason_phrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 431:
        return "Request Header Fields Too Large";
    default:
        return "Service Unavailable";
    }
}

/* Answers with the API's error envelope straight on the socket (evhttp has nothing in flight on
 * this connection when the guard refuses), stops sending, and drains what the client still sends
 * for linger seconds, so that it can read the answer, then closes. */
static void refuse(struct guard_conn *c, int status, const char *code, const char *message,
                   enum metrics_refusal why, long linger)
{
    metrics_refused(c->gl->g->m, why);
    char rid[17];
    crypto_random_hex(rid, 8);
    char body[512];
    int bl = snprintf(body, sizeof body,
                      "{\"error\":{\"code\":\"%s\",\"message\":\"%s\",\"request_id\":\"%s\"}}",
                      code, message, rid);
    if (bl < 0 || (size_t)bl >= sizeof body) bl = 0;
    char msg[1024];
    int n = snprintf(
        msg, sizeof msg,
        "HTTP/1.1 %d %s\r\nContent-Type: application/json; charset=utf-8\r\n"
        "Content-Length: %d\r\nConnection: close\r\nX-Request-Id: %s\r\n"
        "X-Content-Type-Options: nosniff\r\nReferrer-Policy: same-origin\r\n"
        "X-Frame-Options: DENY\r\nCache-Control: no-store\r\n"
        "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n%s\r\n%.*s",
        status, reason_phrase(status), bl, rid, status == 503 ? "Retry-After: 5\r\n" : "", bl,
        body);
    evutil_socket_t fd = bufferevent_getfd(c->under);
    if (fd >= 0 && n > 0 && (size_t)n < sizeof msg) {
        ssize_t w = send(fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT); /* a few hundred bytes */
        (void)w;
        shutdown(fd, SHUT_WR);
    }
    c->state = GS_DRAIN;
    struct evbuffer *in = bufferevent_get_input(c->under);
    evbuffer_drain(in, evbuffer_get_length(in));
    set_timer(c, linger);
}

/* Asks evhttp to drop the connection, as it does when the client goes away. Called from the timer
 * only, never from inside a filter. */
static void close_now(struct guard_conn *c)
{
    c->state = GS_DONE;
    evtimer_del(c->timer);
    bufferevent_trigger_event(c->bev, BEV_EVENT_READING | BEV_EVENT_EOF, 0);
}

/* Counts the connection against its address; refuses it past the cap. */
static void admit(struct guard_conn *c)
{
    evtimer_del(c->timer); /* the admission event, when the filter got here first */
    c->state = GS_HEAD;
    const struct guard_opts *o = &c->gl->g->o;
    if (o->max_conns_per_ip <= 0) return;
    bool loopback = false;
    if (!peer_addr(bufferevent_getfd(c->under), &c->addr, &loopback)) return;
    if (loopback && o->trust_proxy) return; /* the proxy speaks for many clients */
    int taken = addr_take(c->gl->g, &c->addr);
    c->counted = taken == 1;
    if (taken != 0) return;
    refuse(c, 503, "too_many_connections", "来自同一地址的连接过多，请稍后再试", MR_CONN_CAP, 1);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct guard_conn *c = arg;
    if (conn_dead(c)) return;
    switch (c->state) {
    case GS_INIT:
        admit(c);
        break;
    case GS_HEAD:
        refuse(c, 408, "request_timeout", "请求头未在时限内发送完", MR_HEAD_TIMEOUT, 0);
        break;
    case GS_BODY:
        refuse(c, 408, "request_timeout", "请求体未在时限内发送完", MR_BODY_TIMEOUT, 0);
        break;
    case GS_DRAIN:
        close_now(c);
        break;
    default:
        break;
    }
}

/* --- reading a head --- */

struct span {
    const char *p;
    size_t n;
};

struct head {
    struct span method, target, auth, cookie;
    bool has_length, chunked;
    uint64_t length;
};

static bool span_is(struct span s, const char *name)
{
    size_t n = strlen(name);
    return s.n == n && strncasecmp(s.p, name, n) == 0;
}

static struct span trim(const char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    return (struct span){p, n};
}

/* Offset just past the empty line that ends the head in p[0..n), searching from *from (updated so
 * that the next search resumes there); 0 when the head is not complete yet. Lines end in LF or
 * CRLF, as evhttp reads them. */
static size_t head_end(const char *p, size_t n, size_t *from)
{
    size_t i = *from;
    while (i < n) {
        const char *lf = memchr(p + i, '\n', n - i);
        if (!lf) break;
        size_t j = (size_t)(lf - p);
        if (j + 1 < n && p[j + 1] == '\n') return j + 2;
        if (j + 2 < n && p[j + 1] == '\r' && p[j + 2] == '\n') return j + 3;
        if (j + 1 >= n || (j + 2 >= n && p[j + 1] == '\r')) {
            *from = j; /* the next line has not arrived yet */
            return 0;
        }
        i = j + 1;
    }
    *from = n;
    return 0;
}

/* Reads the request line and the headers the guard needs. False for a head it does not accept:
 * no method or target, a header line without a name, folded or repeated Content-Length lines. */
static bool parse_head(const char *p, size_t n, struct head *h)
{
    memset(h, 0, sizeof *h);
    bool first = true;
    for (size_t i = 0; i < n;) {
        const char *lf = memchr(p + i, '\n', n - i);
        size_t e = lf ? (size_t)(lf - p) : n;
        size_t len = e - i;
        const char *line = p + i;
        if (len && line[len - 1] == '\r') len--;
        i = e + 1;
        if (first) {
            first = false;
            while (len && line[len - 1] == ' ')
                len--;
            const char *sp = memchr(line, ' ', len);
            if (!sp || sp == line) return false;
            const char *last = line + len;
            while (last > sp + 1 && last[-1] != ' ')
                last--;
            if (last <= sp + 1) return false; /* no version */
            h->method = (struct span){line, (size_t)(sp - line)};
            h->target = (struct span){sp + 1, (size_t)(last - 1 - (sp + 1))};
            if (!h->target.n) return false;
            continue;
        }
        if (!len) break;                                     /* the empty line */
        if (line[0] == ' ' || line[0] == '\t') return false; /* obsolete line folding */
        const char *colon = memchr(line, ':', len);
        if (!colon || colon == line) return false;
        struct span name = {line, (size_t)(colon - line)};
        if (memchr(name.p, ' ', name.n) || memchr(name.p, '\t', name.n)) return false;
        struct span value = trim(colon + 1, len - name.n - 1);
        if (span_is(name, "Content-Length")) {
            if (h->has_length || !value.n) return false;
            uint64_t v = 0;
            for (size_t k = 0; k < value.n; k++) {
                if (value.p[k] < '0' || value.p[k] > '9') return false;
                v = v > UINT64_MAX / 16 ? UINT64_MAX / 16 : v * 10 + (uint64_t)(value.p[k] - '0');
            }
            h->has_length = true;
            h->length = v;
        } else if (span_is(name, "Transfer-Encoding")) {
            h->chunked = true;
        } else if (span_is(name, "Authorization") && !h->auth.p) {
            h->auth = value;
        } else if (span_is(name, "Cookie") && !h->cookie.p) {
            h->cookie = value;
        }
    }
    return !first;
}

/* Whether evhttp reads a body for this method (libevent 2.1.12 evhttp_method_may_have_body). */
static bool method_has_body(struct span m)
{
    static const char *const with[] = {"GET",    "POST",    "PUT",    "PATCH",
                                       "DELETE", "OPTIONS", "CONNECT"};
    for (size_t i = 0; i < sizeof with / sizeof *with; i++)
        if (m.n == strlen(with[i]) && memcmp(m.p, with[i], m.n) == 0) return true;
    return false;
}

/* The route of the request, or NULL. */
static const struct route *head_route(struct arena *a, const struct head *h, enum method *m)
{
    char name[16];
    if (h->method.n >= sizeof name) return NULL;
    memcpy(name, h->method.p, h->method.n);
    name[h->method.n] = '\0';
    if (!method_parse(name, m) || h->target.p[0] != '/') return NULL;
    size_t pl = strcspn(arena_strndup(a, h->target.p, h->target.n), "?#");
    char *raw = arena_strndup(a, h->target.p, pl);
    size_t dl = 0;
    char *dec = evhttp_uridecode(raw, 0, &dl);
    const struct route *rt = dec && strlen(dec) == dl ? router_find(*m, dec) : NULL;
    free(dec);
    return rt;
}

enum caller { CALLER_NONE, CALLER_SIGNED_IN, CALLER_STORE_FAILED };

/* Whether the head carries a valid bearer token or session cookie (as the pipeline reads them). */
static enum caller head_caller(struct guard_loop *gl, struct arena *a, const struct head *h,
                               enum method m, const struct route *rt)
{
    struct principal *who = NULL;
    enum err e = OK;
    long long now = (long long)time(NULL);
    store_clear_err(gl->db);
    if (h->auth.p && h->auth.n > 7 && strncasecmp(h->auth.p, "Bearer ", 7) == 0 && rt &&
        (rt->flags & ROUTE_CHANNEL)) {
        bool known = chancred_token_known(gl->db, arena_strndup(a, h->auth.p + 7, h->auth.n - 7));
        store_clear_err(gl->db);
        return known ? CALLER_SIGNED_IN : CALLER_NONE;
    } else if (h->auth.p && h->auth.n > 7 && strncasecmp(h->auth.p, "Bearer ", 7) == 0) {
        const char *tok = arena_strndup(a, h->auth.p + 7, h->auth.n - 7);
        bool write = m == M_POST || m == M_PUT || m == M_PATCH || m == M_DELETE;
        e = apitoken_resolve(gl->db, a, tok, now, write, &who);
    } else if (h->cookie.p) {
        const char *name = SESSION_COOKIE;
        size_t nl = strlen(name);
        const char *s = arena_strndup(a, h->cookie.p, h->cookie.n);
        for (const char *p = s; *p && !who && e == OK;) {
            while (*p == ' ' || *p == ';')
                p++;
            size_t len = strcspn(p, ";");
            if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=')
                e = session_resolve(gl->db, a, arena_strndup(a, p + nl + 1, len - nl - 1), now,
                                    &who);
            p += len;
        }
    }
    store_clear_err(gl->db);
    if (e != OK) return CALLER_STORE_FAILED;
    return who ? CALLER_SIGNED_IN : CALLER_NONE;
}

/* The body limit of a complete head; refuses and returns false when the declared body is over it.
 */
static bool body_allowed(struct guard_conn *c, const struct head *h, uint64_t length)
{
    const struct guard_opts *o = &c->gl->g->o;
    if (length <= o->max_json_body) return true; /* every route takes this much */
    char msg[160];
    struct arena *a = arena_new(4096);
    enum method m = M_GET;
    const struct route *rt = head_route(a, h, &m);
    bool ok = false;
    if (!rt || rt->body != BODY_RAW) {
        snprintf(msg, sizeof msg, "请求体过大（最多 %zu 字节）", o->max_json_body);
        refuse(c, 413, "too_large", msg, MR_TOO_LARGE, GUARD_LINGER);
    } else if (length > o->max_upload_body) {
        snprintf(msg, sizeof msg, "文件过大（最多 %zu 字节）", o->max_upload_body);
        refuse(c, 413, "too_large", msg, MR_TOO_LARGE, GUARD_LINGER);
    } else {
        enum caller who = head_caller(c->gl, a, h, m, rt);
        if (who == CALLER_SIGNED_IN) {
            ok = true;
        } else if (who == CALLER_STORE_FAILED) {
            refuse(c, 503, "unavailable", "存储暂不可用，请稍后再试", MR_UPLOAD_ANON, GUARD_LINGER);
        } else if (rt->perm == PERM_PUBLIC) {
            snprintf(msg, sizeof msg, "请求体过大（最多 %zu 字节）", o->max_json_body);
            refuse(c, 413, "too_large", msg, MR_UPLOAD_ANON, GUARD_LINGER);
        } else {
            snprintf(msg, sizeof msg, "请先登录（未登录时请求体最多 %zu 字节）", o->max_json_body);
            refuse(c, 401, "unauthorized", msg, MR_UPLOAD_ANON, GUARD_LINGER);
        }
    }
    arena_free(a);
    return ok;
}

static enum bufferevent_filter_result read_head(struct guard_conn *c, struct evbuffer *src,
                                                struct evbuffer *dst)
{
    const struct guard_opts *o = &c->gl->g->o;
    size_t avail = evbuffer_get_length(src);
    if (!c->head_started) {
        /* Empty lines before a request line are skipped (RFC 9112, 2.2). */
        size_t skip = 0;
        const char *b = (const char *)evbuffer_pullup(src, (ev_ssize_t)(avail < 64 ? avail : 64));
        while (b && skip < avail && skip < 64 && (b[skip] == '\r' || b[skip] == '\n'))
            skip++;
        evbuffer_drain(src, skip);
        avail -= skip;
        if (!avail) return BEV_NEED_MORE;
        c->head_started = true;
        c->scanned = 0;
        set_timer(c, o->header_timeout);
    }
    /* Searched where it already lies in one piece (usually the whole head), else made so. */
    size_t most = avail < GUARD_HEAD_MAX ? avail : GUARD_HEAD_MAX;
    size_t n = evbuffer_get_contiguous_space(src);
    if (n > most) n = most;
    const char *p = (const char *)evbuffer_pullup(src, (ev_ssize_t)n);
    size_t end = p ? head_end(p, n, &c->scanned) : 0;
    if (!end && n < most) {
        n = most;
        p = (const char *)evbuffer_pullup(src, (ev_ssize_t)n);
        end = p ? head_end(p, n, &c->scanned) : 0;
    }
    if (!end) {
        if (n >= GUARD_HEAD_MAX)
            refuse(c, 431, "headers_too_large", "请求头过大", MR_HEAD_TOO_LARGE, GUARD_LINGER);
        return BEV_NEED_MORE;
    }
    struct head h;
    if (!parse_head(p, end, &h)) {
        refuse(c, 400, "bad_request", "请求头格式不正确", MR_BAD_HEAD, GUARD_LINGER);
        return BEV_NEED_MORE;
    }
    if (h.chunked) {
        refuse(c, 411, "length_required", "请求体须带 Content-Length（不接受 Transfer-Encoding）",
               MR_CHUNKED, GUARD_LINGER);
        return BEV_NEED_MORE;
    }
    uint64_t length = h.has_length && method_has_body(h.method) ? h.length : 0;
    if (!body_allowed(c, &h, length)) return BEV_NEED_MORE;

    evbuffer_remove_buffer(src, dst, end);
    c->head_started = false;
    if (length) {
        c->state = GS_BODY;
        c->body_left = length;
        set_timer(c, o->body_timeout + (long)(length / GUARD_MIN_RATE));
    } else {
        c->state = GS_WAIT;
        evtimer_del(c->timer);
    }
    return BEV_OK;
}

/* --- the filters --- */

static enum bufferevent_filter_result guard_out(struct evbuffer *src, struct evbuffer *dst,
                                                ev_ssize_t limit, enum bufferevent_flush_mode mode,
                                                void *arg);

/* Runs the output filter (guard_out) from the loop; evhttp's write callback follows from here. */
static void on_flush(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct guard_conn *c = arg;
    if (conn_dead(c)) return;
    c->writing = true;
    bufferevent_flush(c->bev, EV_WRITE, BEV_NORMAL);
    c->writing = false; /* c outlives this: libevent frees the filter, and c, from the loop */
}

/* Socket bytes (src) to evhttp (dst). */
static enum bufferevent_filter_result guard_in(struct evbuffer *src, struct evbuffer *dst,
                                               ev_ssize_t limit, enum bufferevent_flush_mode mode,
                                               void *arg)
{
    (void)mode;
    struct guard_conn *c = arg;
    if (c->state == GS_INIT) admit(c);
    switch (c->state) {
    case GS_WAIT:
        /* evhttp has read the last request and answered it once its input is empty and it no
         * longer writes (it turns writing off when it starts reading the next request). */
        if (evbuffer_get_length(dst) || (bufferevent_get_enabled(c->bev) & EV_WRITE))
            return BEV_NEED_MORE;
        c->state = GS_HEAD;
        return read_head(c, src, dst);
    case GS_HEAD:
        return read_head(c, src, dst);
    case GS_BODY: {
        size_t n = evbuffer_get_length(src);
        if (n > c->body_left) n = (size_t)c->body_left;
        if (limit > 0 && n > (size_t)limit) n = (size_t)limit;
        if (!n) return BEV_NEED_MORE;
        evbuffer_remove_buffer(src, dst, n);
        c->body_left -= n;
        if (!c->body_left) {
            c->state = GS_WAIT;
            evtimer_del(c->timer);
        }
        return BEV_OK;
    }
    default:
        evbuffer_drain(src, evbuffer_get_length(src));
        return BEV_NEED_MORE;
    }
}

/* evhttp's answer (src) straight to the socket. The filter reports it written, and evhttp goes on
 * (or closes), only when src is empty, that is when the kernel has every byte. It writes only
 * from on_flush: libevent also runs it synchronously while evhttp is still adding to its output,
 * and evhttp's write callback must not run then (with a "100 Continue" it would take the answer
 * of the previous request as done a second time). */
static enum bufferevent_filter_result guard_out(struct evbuffer *src, struct evbuffer *dst,
                                                ev_ssize_t limit, enum bufferevent_flush_mode mode,
                                                void *arg)
{
    (void)dst;
    (void)limit;
    (void)mode;
    struct guard_conn *c = arg;
    if (!c->writing || !evbuffer_get_length(src)) return BEV_NEED_MORE;
    evutil_socket_t fd = bufferevent_getfd(c->under);
    int n = evbuffer_write(src, fd);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        bufferevent_trigger_event(c->bev, BEV_EVENT_WRITING | BEV_EVENT_ERROR,
                                  BEV_TRIG_DEFER_CALLBACKS);
        return BEV_ERROR;
    }
    if (evbuffer_get_length(src)) {
        if (!c->writable)
            c->writable = event_new(bufferevent_get_base(c->bev), fd, EV_WRITE, on_flush, c);
        if (c->writable) event_add(c->writable, NULL);
    } else if (c->state == GS_WAIT && evbuffer_get_length(bufferevent_get_input(c->under))) {
        /* The next request is already here: look at it once evhttp is reading again. */
        bufferevent_trigger(c->under, EV_READ,
                            BEV_TRIG_IGNORE_WATERMARKS | BEV_TRIG_DEFER_CALLBACKS);
    }
    return n > 0 ? BEV_OK : BEV_NEED_MORE;
}

/* evhttp added to its output: write it out from the loop, once evhttp has enabled writing. */
static void out_added(struct evbuffer *b, const struct evbuffer_cb_info *info, void *arg)
{
    (void)b;
    struct guard_conn *c = arg;
    if (info->n_added) event_active(c->flush, EV_WRITE, 1);
}

/* The filter's last clean-up (libevent runs it from the loop after evhttp freed the connection). */
static void conn_free(void *arg)
{
    struct guard_conn *c = arg;
    if (c->counted) addr_give(c->gl->g, &c->addr);
    if (c->out_cb) evbuffer_remove_cb_entry(bufferevent_get_output(c->bev), c->out_cb);
    event_free(c->timer);
    event_free(c->flush);
    if (c->writable) event_free(c->writable);
    free(c);
}

static struct bufferevent *guard_bevcb(struct event_base *base, void *arg)
{
    struct guard_conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->gl = arg;
    c->under = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
    c->timer = evtimer_new(base, on_timer, c);
    c->flush = event_new(base, -1, 0, on_flush, c);
    c->bev = c->under && c->timer && c->flush
                 ? bufferevent_filter_new(c->under, guard_in, guard_out, BEV_OPT_CLOSE_ON_FREE,
                                          conn_free, c)
                 : NULL;
    if (!c->bev) {
        if (c->under) bufferevent_free(c->under);
        if (c->timer) event_free(c->timer);
        if (c->flush) event_free(c->flush);
        free(c);
        return NULL; /* evhttp then makes a plain one */
    }
    bufferevent_setwatermark(c->under, EV_READ, 0, GUARD_HOLD_MAX);
    c->out_cb = evbuffer_add_cb(bufferevent_get_output(c->bev), out_added, c);
    event_active(c->timer, EV_TIMEOUT, 1); /* admission, once evhttp has given the socket */
    return c->bev;
}

/* --- setup --- */

struct guard *guard_new(const struct guard_opts *o, struct metrics *m)
{
    struct guard *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    g->o = *o;
    g->m = m;
    pthread_mutex_init(&g->mu, NULL);
    return g;
}

void guard_free(struct guard *g)
{
    if (!g) return;
    for (size_t i = 0; i < GUARD_BUCKETS; i++)
        for (struct guard_ip *e = g->ips[i], *next; e; e = next) {
            next = e->next;
            free(e);
        }
    pthread_mutex_destroy(&g->mu);
    free(g);
}

struct guard_loop *guard_loop_new(struct guard *g, struct store *db)
{
    struct guard_loop *gl = calloc(1, sizeof *gl);
    if (!gl) return NULL;
    gl->g = g;
    gl->db = db;
    return gl;
}

void guard_attach(struct guard_loop *gl, struct evhttp *http)
{
    evhttp_set_bevcb(http, guard_bevcb, gl);
}

void guard_loop_free(struct guard_loop *gl)
{
    free(gl);
}
