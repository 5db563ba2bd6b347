/* store_impl.h - what a storage backend provides to store.c. Private to src/store/. */
#ifndef ECOACT_STORE_IMPL_H
#define ECOACT_STORE_IMPL_H
#include <stdarg.h>
#include "store/store.h"

enum bind_type { BIND_NULL, BIND_INT, BIND_TEXT, BIND_BLOB };
struct bind {
    enum bind_type type;
    long long i;
    const void *p;
    size_t len;
};
#define STORE_MAX_PARAMS 48

struct store_ops {
    void (*close)(struct store *db);
    /* Prepares (or finds in the cache) and binds; executes lazily or eagerly as it likes. */
    struct store_stmt *(*query)(struct store *db, const char *sql, const struct bind *b, int n);
    bool (*row)(struct store_stmt *q);
    long long (*col_int)(struct store_stmt *q, int col);
    const char *(*col_text)(struct store_stmt *q, int col);
    const void *(*col_blob)(struct store_stmt *q, int col, size_t *len);
    bool (*col_null)(struct store_stmt *q, int col);
    void (*done)(struct store_stmt *q);
    enum err (*exec_script)(struct store *db, const char *sql);
    long long (*changes)(struct store *db);
};

/* Common head of every backend's connection struct. */
struct store {
    const struct store_ops *ops;
    enum store_kind kind;
    enum err err;
    char errmsg[512];
    bool in_tx;
    bool shared_dirty; /* this transaction changed what app servers cache (cluster.h) */
};

void store_set_err(struct store *db, enum err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Test builds: installs SQLite fault injection when $ECOACT_TEST_FAULTS is set (fault.c). */
void store_fault_init(void);

enum err sqlite_open(const char *path, struct store **out, char *why, size_t whylen);
enum err sqlite_backup(struct store *db, const char *dest, char *why, size_t whylen);
enum err pg_open(const char *conninfo, struct store **out, char *why, size_t whylen);
/* The listener's side of LISTEN (cluster.c): the connection's socket, and the notifications
 * received since the last call, consumed: the highest numeric payload, 0 for none, -1 when the
 * connection is lost. */
int pg_socket(struct store *db);
long long pg_notified(struct store *db);

#endif
