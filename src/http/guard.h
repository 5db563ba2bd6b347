/* guard.h - the connection guard: a filtering bufferevent under every evhttp connection that sees
 * each request's raw bytes before evhttp buffers them. It finds each request's head, applies the
 * route's body limit before a byte of the body is read (beyond the JSON limit only for uploads of
 * a signed-in caller), refuses chunked bodies, gives the head and the body total deadlines, and
 * caps the open connections of one client address. See docs/architecture.md. */
#ifndef ECOACT_GUARD_H
#define ECOACT_GUARD_H
#include <stdbool.h>
#include <stddef.h>

struct evhttp;
struct store;
struct metrics;

struct guard_opts {
    size_t max_json_body;   /* JSON and bodiless routes, unknown paths, uploads not signed in */
    size_t max_upload_body; /* upload routes (BODY_RAW), signed-in callers */
    int header_timeout;     /* seconds from a request's first byte to the end of its head */
    int body_timeout;       /* seconds for its body, plus one per GUARD_MIN_RATE bytes */
    int max_conns_per_ip;   /* open connections per client address; 0: no cap */
    bool trust_proxy;       /* loopback peers are the proxy: their connections are not capped */
};

#define GUARD_MIN_RATE (64 * 1024) /* bytes per second a long body is given time for */

struct guard;      /* shared by the loop threads: the options and the per-address counts */
struct guard_loop; /* one loop thread's part: its database connection */

struct guard *guard_new(const struct guard_opts *o, struct metrics *m);
/* After every loop thread's event base has been freed. */
void guard_free(struct guard *g);

/* A loop thread's part; db is that thread's connection, used to check the caller of an upload. */
struct guard_loop *guard_loop_new(struct guard *g, struct store *db);
/* Puts the guard under every connection http accepts (evhttp_set_bevcb). */
void guard_attach(struct guard_loop *gl, struct evhttp *http);
/* After the thread's event base has been freed (that runs the connections' last clean-up). */
void guard_loop_free(struct guard_loop *gl);

#endif
