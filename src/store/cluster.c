/* cluster.c - cache invalidation across app servers on one PostgreSQL; see cluster.h. */
#include "store/cluster.h"
#include "base/gen.h"
#include "base/log.h"
#include "store/store_impl.h"
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NOW_SQL "CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS BIGINT)"

static struct {
    char self[128]; /* this server's row in cluster_servers; "" in the CLI */
    char *url;
    int wake[2]; /* a pipe: cluster_stop writes, the listener leaves its poll */
    pthread_t thread;
    bool running;
    struct store *db; /* the listener's connection, used only by its thread after start */
    long long seen;
} cl = {.wake = {-1, -1}};

enum err cluster_announce(struct store *db, long long *number)
{
    *number = 0;
    struct store_stmt *q = store_q(db,
                                   "SELECT n, pg_notify('ecoact_cache', CAST(n AS TEXT)) FROM "
                                   "(SELECT nextval('cluster_gen') AS n) s",
                                   "");
    if (store_row(q)) *number = store_int(q, 0);
    store_done(q);
    return store_err(db);
}

bool cluster_lead(struct store *db, bool *taken)
{
    *taken = false;
    if (store_kind(db) != STORE_PG) return true;
    bool held = false;
    struct store_stmt *q = store_q(db,
                                   "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'"
                                   " AND pid = pg_backend_pid() AND classid = 0 AND objid = ?"
                                   " AND objsubid = 1 AND granted",
                                   "i", (long long)CLUSTER_LEAD_KEY);
    if (store_row(q)) held = store_int(q, 0) > 0;
    store_done(q);
    if (held) return true;
    q = store_q(db, "SELECT pg_try_advisory_lock(?)", "i", (long long)CLUSTER_LEAD_KEY);
    const char *t = store_row(q) ? store_text(q, 0) : NULL;
    *taken = t && (t[0] == 't' || t[0] == '1');
    store_done(q);
    if (store_err(db)) {
        store_clear_err(db);
        return false;
    }
    return *taken;
}

/* How many live servers other than this one have not yet acted on number; -1 on error. */
static long long behind(struct store *db, long long number)
{
    long long n = -1;
    struct store_stmt *q =
        store_q(db,
                "SELECT COUNT(*) FROM cluster_servers WHERE name <> ? AND seen < ?"
                " AND alive_at >= " NOW_SQL " - ?",
                "tii", cl.self, number, (long long)CLUSTER_ALIVE_SECONDS);
    if (store_row(q)) n = store_int(q, 0);
    store_done(q);
    return n;
}

void cluster_await(struct store *db, long long number)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long pause_us = 200;
    for (;;) {
        long long n = behind(db, number);
        if (n <= 0) {
            if (n < 0) store_clear_err(db); /* the write stands; the caches expire on their own */
            return;
        }
        clock_gettime(CLOCK_MONOTONIC, &t);
        long ms = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
        if (ms >= CLUSTER_WAIT_MS) {
            log_warn("cluster: %lld server(s) did not confirm cache invalidation %lld within %d ms",
                     n, number, CLUSTER_WAIT_MS);
            return;
        }
        usleep((useconds_t)pause_us);
        if (pause_us < 10000) pause_us *= 2;
    }
}

/* This server's row: what it has seen, and that it is alive. */
static enum err beat(struct store *db)
{
    return store_do(
        db,
        "INSERT INTO cluster_servers(name, seen, alive_at) VALUES (?, ?, " NOW_SQL ")"
        " ON CONFLICT (name) DO UPDATE SET seen = excluded.seen, alive_at = excluded.alive_at",
        "ti", cl.self, cl.seen);
}

/* Opens the listener's connection: LISTEN first, then the caches start afresh (whatever was
 * announced before LISTEN is covered), then the row, so writers wait for us only once we
 * listen. */
static enum err join(char *why, size_t whylen)
{
    enum err e = store_open(cl.url, &cl.db, why, whylen);
    if (e != OK) return e;
    e = store_exec_script(cl.db, "LISTEN ecoact_cache");
    cl.seen = 0; /* a writer waits for us until we have acted on its own number */
    gen_bump();
    if (e == OK) e = beat(cl.db);
    if (e == OK)
        e = store_do(cl.db, "DELETE FROM cluster_servers WHERE alive_at < " NOW_SQL " - 86400", "");
    if (e != OK) {
        snprintf(why, whylen, "cluster listener: %s", store_errmsg(cl.db));
        store_close(cl.db);
        cl.db = NULL;
    }
    return e;
}

static void *listen_main(void *arg)
{
    (void)arg;
    char why[256];
    for (;;) {
        if (!cl.db) {
            struct pollfd w = {.fd = cl.wake[0], .events = POLLIN};
            if (poll(&w, 1, CLUSTER_BEAT_MS) > 0) break;
            if (join(why, sizeof why) != OK) continue;
            log_info("cluster: listener reconnected");
        }
        struct pollfd p[2] = {{.fd = pg_socket(cl.db), .events = POLLIN},
                              {.fd = cl.wake[0], .events = POLLIN}};
        int r = poll(p, 2, CLUSTER_BEAT_MS);
        if (r < 0 && errno != EINTR) break;
        if (p[1].revents) break;
        long long top = p[0].revents ? pg_notified(cl.db) : 0;
        if (top < 0) {
            log_warn(
                "cluster: listener lost its connection; caches expire by age until it is back");
            store_close(cl.db);
            cl.db = NULL;
            gen_bump();
            continue;
        }
        if (top > 0) {
            gen_bump(); /* before the row says so: a writer that sees it may rely on it */
            if (top > cl.seen) cl.seen = top;
        }
        if (beat(cl.db) != OK) store_clear_err(cl.db);
    }
    return NULL;
}

enum err cluster_start(const char *url, char *why, size_t whylen)
{
    if (!store_url_is_pg(url)) return OK;
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    snprintf(cl.self, sizeof cl.self, "%s:%ld:%lx", host, (long)getpid(),
             (unsigned long)time(NULL));
    cl.url = strdup(url);
    if (!cl.url || pipe(cl.wake) != 0) {
        snprintf(why, whylen, "cluster listener: out of resources");
        return ERR_INTERNAL;
    }
    enum err e = join(why, whylen);
    if (e == OK && pthread_create(&cl.thread, NULL, listen_main, NULL) != 0) {
        snprintf(why, whylen, "cluster listener: cannot start its thread");
        e = ERR_INTERNAL;
    }
    if (e != OK) {
        cluster_stop();
        return e;
    }
    cl.running = true;
    return OK;
}

void cluster_stop(void)
{
    if (cl.running) {
        ssize_t w = write(cl.wake[1], "x", 1);
        (void)w;
        pthread_join(cl.thread, NULL);
        cl.running = false;
    }
    if (cl.db) {
        store_do(cl.db, "DELETE FROM cluster_servers WHERE name = ?", "t", cl.self);
        store_close(cl.db);
        cl.db = NULL;
    }
    for (int i = 0; i < 2; i++)
        if (cl.wake[i] >= 0) close(cl.wake[i]);
    cl.wake[0] = cl.wake[1] = -1;
    free(cl.url);
    cl.url = NULL;
    cl.self[0] = '\0';
}
