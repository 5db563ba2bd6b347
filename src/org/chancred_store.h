/* chancred_store.h - the private storage interface of channel credentials (store_chancred.c). */
#ifndef ECOACT_CHANCRED_STORE_H
#define ECOACT_CHANCRED_STORE_H
#include "org/chancred.h"

enum err chancred_store_insert(struct store *db, const char *scope, const char *name,
                               const char *token_hash, const unsigned char *secret, size_t n,
                               long long by, long long now, long long *id);
/* *secret malloc'd (caller frees); *id 0 when unknown. */
enum err chancred_store_find(struct store *db, const char *token_hash, long long *id, char *scope,
                             size_t scope_len, unsigned char **secret, size_t *n, bool *active);
enum err chancred_store_revoke(struct store *db, long long id, long long now);
/* Drops signatures older than before, then records sig; *fresh false when seen before. */
enum err chancred_store_replay(struct store *db, long long id, const char *sig, long long ts,
                               long long before, bool *fresh);

#endif
