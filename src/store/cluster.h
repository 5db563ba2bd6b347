/* cluster.h - several app servers on one PostgreSQL: what a server caches (sessions and the
 * accounts behind them, units, policy; base/gen.h) is invalidated on every other server before
 * the answer to the write that changed it returns.
 *
 *   - A write that changes cached data marks its connection with store_touch_shared() (org's
 *     store does, beside the statements concerned).
 *   - At commit the PostgreSQL backend takes a number from the sequence cluster_gen and sends it
 *     with NOTIFY ecoact_cache inside the transaction, so it is delivered only if the write
 *     commits.
 *   - Every serving process runs a listener thread (cluster_start) on a connection of its own:
 *     LISTEN ecoact_cache; on a notification it moves the process's write generation (its
 *     caches start afresh) and records the highest number it has acted on in cluster_servers,
 *     with a heartbeat every CLUSTER_BEAT_MS.
 *   - After COMMIT the writer waits until every live server but itself (heartbeat within
 *     CLUSTER_ALIVE_SECONDS) has seen its number, for at most CLUSTER_WAIT_MS. A server that
 *     does not answer in time is logged; its caches still expire after CACHE_TTL_SECONDS.
 * The listener is a thread of its own, not a loop thread: two servers each waiting in a loop
 * thread for the other's acknowledgement would otherwise wait on each other.
 * SQLite serves from one process: nothing here runs. */
#ifndef ECOACT_CLUSTER_H
#define ECOACT_CLUSTER_H
#include "base/err.h"
#include "store/store.h"

#define CLUSTER_BEAT_MS 1000
#define CLUSTER_ALIVE_SECONDS 5
#define CLUSTER_WAIT_MS 2000

/* Starts this process's listener on url (PostgreSQL only; a no-op returning OK for SQLite).
 * The first connection and LISTEN happen before it returns, so a failure is reported. */
enum err cluster_start(const char *url, char *why, size_t whylen);
/* Stops the listener and removes this server's row. Harmless when none runs. */
void cluster_stop(void);

/* Whether this connection leads the servers' periodic work: it holds, or has just taken, the
 * session-level advisory lock CLUSTER_LEAD_KEY. The lock is held for the life of the
 * connection, so one server runs the ticks until it stops or loses its connection, and another
 * takes over at its next tick. *taken says the lead was taken by this call. SQLite: always. */
#define CLUSTER_LEAD_KEY 1701011297 /* "ecoa" */
bool cluster_lead(struct store *db, bool *taken);

/* Used by the backends' commit (store.c): the announcement inside the transaction, and the wait
 * for the other servers after it. */
enum err cluster_announce(struct store *db, long long *number);
void cluster_await(struct store *db, long long number);

#endif
