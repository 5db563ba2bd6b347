/* counters.h - numbers that count per account (a citizen's messages, a citizen's consents): the
 * tables keyed (account, id) so they can be partitioned or distributed by account take their
 * next id here. One row per account and counter in `account_counters` (migration 0017), bumped
 * with an upsert: concurrent writers for the same account wait for each other's row lock on
 * PostgreSQL and are serialised by the write lock on SQLite, so no two get the same number
 * (MAX(id) + 1 in two transactions at once did, and the second write failed). */
#ifndef ECOACT_COUNTERS_H
#define ECOACT_COUNTERS_H
#include "store/store.h"

/* The next number of counter (a table's name, e.g. "citizen_inbox") for account into *id,
 * inside the caller's transaction: 1, 2, 3 … per account. */
enum err counter_next(struct store *db, const char *counter, long long account, long long *id);

#endif
