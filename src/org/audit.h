/* audit.h - the append-only, hash-chained audit log. Each row's hash is a keyed MAC over its
 * fields and the previous row's hash; audit_head holds the chain's end. No route or command
 * edits or deletes rows; audit_verify() names the first row that does not check out. */
#ifndef ECOACT_AUDIT_H
#define ECOACT_AUDIT_H
#include <jansson.h>
#include "base/crypto.h"
#include "store/store.h"

struct audit_entry {
    long long at;
    long long user_id; /* 0 when anonymous */
    const char *username;
    long long unit_id;
    const char *ip;
    const char *action; /* e.g. "session.create", "user.create", "request.denied" */
    const char *object; /* e.g. "user:12" */
    const char *result; /* "ok", "failure", "denied" */
    const char *detail; /* short, never personal data */
};

/* The audit log's words as shown (/me labels.audit): {"actions": {action: label} for the
 * actions of accounts, sessions, tokens and units (the log's filter offers them; others show
 * their name), "results": {"ok", "failure", "denied"}}. */
json_t *audit_labels_json(void);

/* Appends inside the caller's write transaction. */
enum err audit_append(struct store *db, const struct keys *k, const struct audit_entry *e);
/* Appends in a transaction of its own (for events outside a request's transaction). */
enum err audit_append_tx(struct store *db, const struct keys *k, const struct audit_entry *e);
/* Rows of the log, newest first: before (0: from the newest) bounds the id, user (0: any),
 * action and result (NULL: any) must match, from and to (0: open) bound the time [from, to);
 * at most limit. fn gets each row (strings valid during the call, NULL when empty); it returns
 * false to stop. */
struct audit_filter {
    long long before, user, from, to, limit;
    const char *action, *result;
};
struct audit_row {
    long long id;
    struct audit_entry e;
    const char *hash;
};
typedef bool (*audit_fn)(void *ctx, const struct audit_row *row);
enum err audit_each(struct store *db, const struct audit_filter *f, audit_fn fn, void *ctx);
/* Walks the chain. *bad_id is 0 when intact, else the first row that fails; *why says how. */
enum err audit_verify(struct store *db, const struct keys *k, long long *rows, long long *bad_id,
                      char *why, size_t whylen);

#endif
