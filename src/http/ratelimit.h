/* ratelimit.h - token buckets keyed by a string (an IP or an account), shared by all loop
 * threads of one process. With several app servers each keeps its own buckets; account
 * lockout (in the database) is what holds across servers. */
#ifndef ECOACT_RATELIMIT_H
#define ECOACT_RATELIMIT_H
#include <stdbool.h>

struct ratelimit;

/* rate tokens per second, burst tokens at most. */
struct ratelimit *ratelimit_new(double rate, double burst);
void ratelimit_free(struct ratelimit *rl);
/* Takes one token for key at time now (seconds, monotonic); false when none is left, and
 * *retry_after gets the seconds until one is. */
bool ratelimit_take(struct ratelimit *rl, const char *key, double now, int *retry_after);

#endif
