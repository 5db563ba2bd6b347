/* tick.h - the areas' periodic work in one list: escalating overdue notices, "due soon" inbox
 * reminders, meeting reminders. `ecoact serve` hands it to the server as its periodic callback
 * (cmd_serve.c: every minute on loop thread 0, $ECOACT_TICK_SECONDS; 0 turns it off) and
 * `ecoact tick` runs it once, for cron. Of several app servers on one PostgreSQL only the one
 * holding the lead runs it (store/cluster.h: cluster_lead); `ecoact tick` runs whenever called.
 * Each area's tick runs in its own write transaction and must be idempotent (dedupe keys). */
#ifndef ECOACT_TICK_H
#define ECOACT_TICK_H
#include <stddef.h>
#include "base/crypto.h"
#include "store/store.h"

/* An area's tick: does its work inside the open transaction and writes what it did, in a few
 * words, into summary (left empty when it did nothing). */
typedef enum err (*tick_fn)(struct store *db, const struct keys *k, long long now, char *summary,
                            size_t n);

/* Runs every area's tick; what they did goes into out ("supervise: …; meeting: …"). Returns the
 * first error; the other ticks still run. */
enum err ticks_run(struct store *db, const struct keys *k, long long now, char *out, size_t outlen);

#endif
