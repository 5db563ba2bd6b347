/* server.h - the HTTP server: one libevent loop per thread, each with its own SO_REUSEPORT
 * listener and its own database connection; shared, thread-safe state lives in struct app. */
#ifndef ECOACT_SERVER_H
#define ECOACT_SERVER_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "base/crypto.h"
#include "http/metrics.h"
#include "http/ratelimit.h"

struct store;
struct arena;
struct principal;

/* The cookie of a public (citizen) session, beside the officials' SESSION_COOKIE (org/policy.h). */
#define PUBLIC_SESSION_COOKIE "ecoact_pub"

struct server_opts {
    const char *listen; /* "127.0.0.1:8080" */
    const char *db_url;
    const char
        *read_db_url;    /* a PostgreSQL standby for heavy reads (store/replica.h); NULL: none */
    int read_db_max_lag; /* seconds of staleness beyond which the primary is read (30) */
    const char *web_dir; /* web/dist; NULL to serve no console */
    int threads;
    size_t max_json_body;   /* 1 MiB */
    size_t max_upload_body; /* 20 MiB */
    const char *access_log; /* file for the access log; NULL or "-" for stderr, "off" for none */
    bool trust_proxy;       /* X-Forwarded-For / X-Forwarded-Proto from a proxy on loopback */
    const char *metrics_listen; /* "HOST:PORT" for /metrics (and /healthz, /readyz); NULL: none */
    int header_timeout;         /* seconds for a request's head, from its first byte (10) */
    int body_timeout;           /* seconds for its body, plus one per 64 KiB (60) */
    int max_conns_per_ip;       /* open connections per client address, 0 for no cap (64) */
    double login_rate, login_burst; /* tokens per second and bucket size */
    double write_rate, write_burst;
    /* Periodic work handed over by the serve command (the areas' ticks): loop thread 0 calls it
     * with its own connection every periodic_seconds; never when NULL or periodic_seconds is 0. */
    void (*periodic)(struct store *db, const struct keys *k, long long now, void *arg);
    void *periodic_arg;
    int periodic_seconds;
    /* Public accounts, handed over by the serve command like the ticks (the citizen area's
     * citizen_session_resolve): turns a PUBLIC_SESSION_COOKIE token into a principal with
     * citizen_id set, or leaves *who NULL. NULL: the server has no public accounts. */
    enum err (*public_resolve)(struct store *db, struct arena *a, const char *token, long long now,
                               struct principal **who);
    /* What /me adds for the console from the areas, gathered by the serve command: {"policy":
     * the fixed values (grace days, default plan), "labels": the words it shows}. Read-only
     * while serving (each answer takes a copy). NULL: none. */
    json_t *console;
    /* The human name of an audit log's object of another area ("notice", 12 → the notice's
     * title; "plan", 0, "cq-2021-2025@1" → the plan's title), handed over by the serve command
     * (cli/audit_objects.c, above the areas) so that org needs none of them. key is what follows
     * "kind:" in the object, id its number (0 when it is none). Returns a string in a, or NULL
     * when it has none. NULL: names only of accounts and units (org's own). */
    const char *(*audit_name)(struct store *db, struct arena *a, const char *kind, long long id,
                              const char *key);
};

struct guard; /* http/guard.h */

struct app {
    struct server_opts opts;
    struct keys keys;
    struct metrics metrics;
    struct ratelimit *login_limits; /* per IP, on login */
    struct ratelimit *write_limits; /* per account, on unsafe methods */
    struct guard *guard;            /* body limits, deadlines and connection caps below evhttp */
    bool demo;                      /* demo data loaded: the console shows a banner */
    int access_fd;                  /* where access lines go; -1 for none */
};

/* Runs until SIGTERM or SIGINT; returns the process exit code. */
int server_run(struct app *app);

#endif
