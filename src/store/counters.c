/* counters.c - per-account numbering (see counters.h): the SQL over its own table,
 * account_counters. */
#include "store/counters.h"

enum err counter_next(struct store *db, const char *counter, long long account, long long *id)
{
    *id = 0;
    struct store_stmt *q = store_q(db,
                                   "INSERT INTO account_counters(account_id, counter, last_id)"
                                   " VALUES (?, ?, 1) ON CONFLICT (account_id, counter)"
                                   " DO UPDATE SET last_id = account_counters.last_id + 1"
                                   " RETURNING last_id",
                                   "it", account, counter);
    if (store_row(q)) *id = store_int(q, 0);
    store_done(q);
    enum err e = store_err(db);
    return e == OK && *id == 0 ? ERR_INTERNAL : e;
}
