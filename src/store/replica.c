/* replica.c - picks the standby or the primary for a heavy read, by the standby's replay lag
 * (replica.h). */
#include "store/replica.h"
#include "base/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct replica {
    char *url;
    int max_lag;
    struct store *db;   /* NULL until connected, and after a failure */
    long long retry_at; /* no new connection before this */
};

struct replica *replica_new(const char *url, int max_lag)
{
    struct replica *rp = calloc(1, sizeof *rp);
    if (!rp || !(rp->url = strdup(url))) {
        free(rp);
        return NULL;
    }
    rp->max_lag = max_lag;
    return rp;
}

void replica_free(struct replica *rp)
{
    if (!rp) return;
    store_close(rp->db);
    free(rp->url);
    free(rp);
}

static void drop(struct replica *rp, long long now, const char *what)
{
    log_warn("read standby %s: %s; reading from the primary for %d s", what,
             rp->db ? store_errmsg(rp->db) : "", REPLICA_RETRY_SECONDS);
    store_close(rp->db);
    rp->db = NULL;
    rp->retry_at = now + REPLICA_RETRY_SECONDS;
}

/* The primary's WAL position now, as text ("0/3000148"), into out. */
static bool primary_lsn(struct store *primary, char *out, size_t n)
{
    struct store_stmt *q = store_q(primary, "SELECT pg_current_wal_lsn()::text", "");
    bool ok = store_row(q) && store_text(q, 0);
    if (ok) snprintf(out, n, "%s", store_text(q, 0));
    store_done(q);
    return ok;
}

/* The standby's bound on staleness against primary's position lsn: 0 when it has replayed that
 * far (or is no longer in recovery: promoted, it is a primary), else the seconds since its last
 * replayed transaction. false when the standby did not answer. */
static bool standby_lag(struct store *db, const char *lsn, double *lag)
{
    struct store_stmt *q = store_q(
        db,
        "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
        " WHEN pg_last_wal_replay_lsn() >= CAST(? AS pg_lsn) THEN 0"
        " ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())"
        " * 1000, 1e9) END::bigint",
        "t", lsn);
    bool ok = store_row(q);
    if (ok) *lag = (double)store_int(q, 0) / 1000.0;
    store_done(q);
    return ok && store_err(db) == OK;
}

struct store *replica_pick(struct replica *rp, struct store *primary, long long now, double *lag)
{
    *lag = -1;
    if (!rp || store_kind(primary) != STORE_PG) return primary;
    if (!rp->db) {
        if (now < rp->retry_at) return primary;
        char why[256];
        if (store_open(rp->url, &rp->db, why, sizeof why) != OK) {
            log_warn("read standby: cannot connect: %s; reading from the primary for %d s", why,
                     REPLICA_RETRY_SECONDS);
            rp->db = NULL;
            rp->retry_at = now + REPLICA_RETRY_SECONDS;
            return primary;
        }
    }
    char lsn[64];
    if (!primary_lsn(primary, lsn, sizeof lsn)) return primary; /* the caller sees the error */
    store_clear_err(rp->db);
    double l;
    if (!standby_lag(rp->db, lsn, &l)) {
        drop(rp, now, "did not answer");
        return primary;
    }
    if (l > rp->max_lag) return primary;
    *lag = l;
    return rp->db;
}
