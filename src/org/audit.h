/* audit.h - the append-only, hash-chained audit log. Each row's hash is a keyed MAC over its
 * fields and the previous row's hash; audit_head holds the chain's end. No route or command
 * edits or deletes rows; audit_verify() names the first row that does not check out. */
#ifndef ECOACT_AUDIT_H
#define ECOACT_AUDIT_H
#include <jansson.h>
#include <stdio.h>
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

/* ---- the log's words (audit_rules.c, pure) ---- */
/* The audit log's words as shown (/me labels.audit): {"actions": {action: label} for every
 * action a route or command writes (the log's filter offers them), "results": {"ok",
 * "failure", "denied"}}. */
json_t *audit_labels_json(void);
/* The Chinese name of an action ("notice.review" → 复核督办单); NULL when unknown. */
const char *audit_action_label(const char *action);
/* 成功, 拒绝 or 失败. */
const char *audit_result_label(const char *result);
/* The Chinese name of an object's kind ("user" → 账号); NULL when unknown. */
const char *audit_kind_label(const char *kind);
/* Splits an object "kind:id…" ("notice:12", "report:3/evidence/a.pdf", "user:demo.office"):
 * *id is 0 when what follows the colon is not a number. false when there is no "kind:". */
bool audit_object_parse(const char *object, char *kind, size_t kindlen, long long *id);
/* The stored detail of an action in readable Chinese (rejected: 3 error(s) → 文件有 3 处错误，
 * 未导入; a policy change's JSON → 连续登录失败锁定次数改为 5). false (out "") when none. */
bool audit_detail_text(const char *action, const char *detail, char *out, size_t outlen);

/* Appends inside the caller's write transaction. */
enum err audit_append(struct store *db, const struct keys *k, const struct audit_entry *e);
/* Appends in a transaction of its own (for events outside a request's transaction). */
enum err audit_append_tx(struct store *db, const struct keys *k, const struct audit_entry *e);
/* Rows of the log, newest first: before (0: from the newest) bounds the id, user and unit (0:
 * any), action and result (NULL: any) must match, person (NULL: any) is found in the login
 * name or the account's display name, from and to (0: open) bound the time [from, to);
 * at most limit. fn gets each row (strings valid during the call, NULL when empty); it returns
 * false to stop. */
struct audit_filter {
    long long before, user, from, to, limit;
    const char *action, *result;
    long long unit;     /* 0: any; else the acting account's unit */
    const char *person; /* NULL: anyone; else part of the account's login or display name */
};
struct audit_row {
    long long id;
    struct audit_entry e;
    const char *hash;
};
typedef bool (*audit_fn)(void *ctx, const struct audit_row *row);
enum err audit_each(struct store *db, const struct audit_filter *f, audit_fn fn, void *ctx);
/* Walks the chain in the database, from the end of the newest archive (or its beginning).
 * *bad_id is 0 when intact, else the first row that fails; *why says how. */
enum err audit_verify(struct store *db, const struct keys *k, long long *rows, long long *bad_id,
                      char *why, size_t whylen);

/* The walk along the chain that audit_verify() and the archive check share: the hash of the
 * row before and the id expected next; it counts the rows and stops at the first bad one. */
struct audit_walk {
    const struct keys *k;
    char prev[CRYPTO_HASH_HEX];
    long long expect_id, *rows, *bad_id;
    char *why;
    size_t whylen;
};
/* Starts after row after_id with its hash (after_id 0: at the chain's beginning). */
void audit_walk_start(struct audit_walk *w, const struct keys *k, long long after_id,
                      const char *after_hash, long long *rows, long long *bad_id, char *why,
                      size_t whylen);
/* Checks the next row; false (with *bad_id and why set) when it does not check out. */
bool audit_chain_step(struct audit_walk *w, const struct audit_row *row, const char *prev_hash);

/* ---- archives (audit_archive.c) ---- */
/* The log is kept at least this long before rows may leave it (网络安全法 第二十一条:
 * 不少于六个月). */
#define AUDIT_RETENTION_DAYS 183
/* A stretch of the chain moved out of the database into a file: rows first_id..last_id, the
 * hash before the first and after the last. The file is JSON lines: a header {"ecoact_audit_
 * archive": 1, first_id, prev_hash, before}, one object per row with its stored hashes, and a
 * trailer {"end": true, last_id, last_hash, rows}. */
struct audit_archive {
    long long first_id, last_id, rows, before, created_at;
    char prev_hash[CRYPTO_HASH_HEX], last_hash[CRYPTO_HASH_HEX];
    char file[512];
};
/* Moves the rows written before `before` (at least AUDIT_RETENTION_DAYS before now) into out,
 * after checking their chain, then records the archive and deletes the rows in one transaction.
 * The file is flushed and synced before the rows go. a->rows is 0 when nothing is that old.
 * ERR_RULE with why when `before` is too recent or the chain does not check out. */
enum err audit_archive(struct store *db, const struct keys *k, long long before, long long now,
                       FILE *out, const char *file_name, struct audit_archive *a, char *why,
                       size_t whylen);
/* Checks an archive file: each row's MAC and link from the header's prev_hash, ids without a
 * gap, the trailer. Fills a from the file. false with why when it does not check out (a
 * missing trailer means the file was cut short). */
bool audit_archive_check(const struct keys *k, FILE *in, struct audit_archive *a, char *why,
                         size_t whylen);
/* The archives' records, oldest rows first; fn gets each. */
enum err audit_archive_each(struct store *db, void (*fn)(void *ctx, const struct audit_archive *a),
                            void *ctx);

#endif
