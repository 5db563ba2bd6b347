/* files.c - the content-addressed file store; see files.h. */
#include "store/files.h"
#include <string.h>

enum err files_put(struct store *db, const void *data, size_t len, const char *type, long long now,
                   char hash[CRYPTO_HASH_HEX])
{
    hash_hex(data, len, hash);
    return store_do(
        db,
        "INSERT INTO files(hash, size, content_type, bytes, created_at) VALUES (?,?,?,?,?)"
        " ON CONFLICT (hash) DO NOTHING",
        "titbi", hash, (long long)len, type, data, len, now);
}

enum err files_get(struct store *db, const char *hash, void *(*alloc)(void *ctx, size_t n),
                   void *ctx, const void **data, size_t *len, const char **type)
{
    struct store_stmt *q =
        store_q(db, "SELECT bytes, content_type FROM files WHERE hash = ?", "t", hash);
    enum err e = ERR_NOT_FOUND;
    if (store_row(q)) {
        size_t n = 0;
        const void *b = store_blob(q, 0, &n);
        void *copy = alloc(ctx, n ? n : 1);
        if (n) memcpy(copy, b, n);
        const char *t = store_text(q, 1);
        char *tc = alloc(ctx, strlen(t) + 1);
        memcpy(tc, t, strlen(t) + 1);
        *data = copy;
        *len = n;
        *type = tc;
        e = OK;
    }
    store_done(q);
    return store_err(db) ? store_err(db) : e;
}
