/* replica.h - reads on a standby (issue 18 §3). With `serve --read-db URL`, heavy read-only work
 * (the compliance matrix and its exports, the audit log's export) may read from a PostgreSQL
 * streaming replica instead of the primary. A handler opts in with req_read_db() (http/req.h);
 * everything else - log-in, sessions, permissions, every write and its audit row - stays on the
 * primary, so a logout or a role change is never read stale.
 *
 * How stale: before each read the primary's WAL position is compared with what the standby has
 * replayed. Caught up, the answer is as of now (lag 0). Behind, the standby holds everything
 * committed up to its last replayed transaction, so the answer may be stale by at most the time
 * since that transaction (lag, in seconds). A lag over max_lag, a standby that does not answer,
 * or one that fails mid-check sends the read to the primary; a standby that failed is tried again
 * after REPLICA_RETRY_SECONDS. The server says which it used in the answer's headers
 * (X-Ecoact-Read-From, X-Ecoact-Stale-Seconds).
 *
 * One struct replica belongs to one loop thread, like its connections. PostgreSQL only. */
#ifndef ECOACT_REPLICA_H
#define ECOACT_REPLICA_H
#include "store/store.h"

#define REPLICA_RETRY_SECONDS 5
#define REPLICA_MAX_LAG_DEFAULT 30

struct replica;

/* A standby at url, not yet connected (the first pick connects). */
struct replica *replica_new(const char *url, int max_lag);
void replica_free(struct replica *rp); /* NULL is a no-op */

/* The connection a heavy read should use: the standby when it answers and is at most max_lag
 * seconds behind primary, else primary. *lag: the standby's bound in seconds (0 when caught up),
 * or -1 when primary was picked. */
struct store *replica_pick(struct replica *rp, struct store *primary, long long now, double *lag);

#endif
