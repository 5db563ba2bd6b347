/* files.h - the content-addressed file store every area shares (evidence, issued documents):
 * bytes kept in the database under their BLAKE2b-256 hash, so one backup holds everything and
 * identical files are stored once. The `files` table is created by migration 0003. Files are
 * never deleted or changed: areas link to a hash. */
#ifndef ECOACT_FILES_H
#define ECOACT_FILES_H
#include <stddef.h>
#include "base/crypto.h"
#include "store/store.h"

/* Stores the bytes (no-op when present) and gives their hash. Inside the caller's transaction. */
enum err files_put(struct store *db, const void *data, size_t len, const char *type, long long now,
                   char hash[CRYPTO_HASH_HEX]);
/* Reads a file: the bytes and the stored content type are copied with alloc(ctx, n) (e.g. into
 * the request arena). ERR_NOT_FOUND when there is no such hash. */
enum err files_get(struct store *db, const char *hash, void *(*alloc)(void *ctx, size_t n),
                   void *ctx, const void **data, size_t *len, const char **type);

#endif
