/* idempotency.h - Idempotency-Key handling for unsafe requests. Inside the request's write
 * transaction the key is claimed first (a concurrent twin waits on the unique key, then sees
 * it taken), and the answer is stored before commit; so a retry after a crash or a lost answer
 * gets the first answer without the work being done twice. The same key with another request
 * is a 409. */
#ifndef ECOACT_IDEMPOTENCY_H
#define ECOACT_IDEMPOTENCY_H
#include <stdbool.h>
#include "http/req.h"

enum idem_state { IDEM_NEW, IDEM_REPLAY, IDEM_MISMATCH };

/* How long a stored answer is kept (and a key stays taken). */
#define IDEM_KEEP_SECONDS (24 * 3600)

/* Claims the key, or finds the earlier answer (*status, *body arena copies) on IDEM_REPLAY. */
enum err idem_claim(struct req *r, const char *key, const char *body_hash, enum idem_state *state,
                    int *status, const char **body);
/* Stores the answer for a claimed key; the fields marked with req_secret_answer() are left out
 * (a replay says the secret was shown once). */
enum err idem_finish(struct req *r, const char *key, int status, const char *body);
/* Deletes stored answers older than IDEM_KEEP_SECONDS: a tick (tick/tick.c). */
enum err idem_purge(struct store *db, const struct keys *k, long long now, char *summary,
                    size_t len);
/* A usable key: 1..128 visible ASCII characters. */
bool idem_key_valid(const char *key);

#endif
