/* store.h - the one storage interface of ecoact, over SQLite (embedded default) and
 * PostgreSQL (libpq). SQL is written once with `?` placeholders and portable syntax
 * (INSERT … RETURNING, ON CONFLICT, integers for booleans and times); the PostgreSQL backend
 * numbers the placeholders. Statements are prepared once per connection and cached.
 *
 * Use:  struct store_stmt *q = store_q(db, "SELECT name FROM units WHERE id = ?", "i", id);
 *       while (store_row(q)) use(store_text(q, 0));
 *       store_done(q);                 // always; returns the statement to the cache
 *       if (store_err(db)) …           // the first error since the last store_clear_err()
 * Bind formats: i = long long, I = long long id with 0 bound as NULL, t = const char * (NULL binds
 * NULL), b = const void *, size_t, n = NULL. One connection belongs to one thread. */
#ifndef ECOACT_STORE_H
#define ECOACT_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include "base/err.h"

struct store;
struct store_stmt;

enum store_kind { STORE_SQLITE, STORE_PG };

/* url: "sqlite:PATH" or "postgresql://…" / "postgres://…". */
bool store_url_is_pg(const char *url); /* the second kind (NULL: no) */
enum err store_open(const char *url, struct store **out, char *why, size_t whylen);
void store_close(struct store *db); /* NULL is a no-op */
enum store_kind store_kind(const struct store *db);

/* Write transaction: BEGIN IMMEDIATE on SQLite, BEGIN on PostgreSQL. */
enum err store_begin(struct store *db);
enum err store_commit(struct store *db);
void store_rollback(struct store *db); /* harmless when no transaction is open */
bool store_in_tx(const struct store *db);

/* Marks the open transaction as changing what app servers cache (sessions, accounts, units,
 * policy): on PostgreSQL its commit tells every other server before it returns (cluster.h). */
void store_touch_shared(struct store *db);

/* Runs SQL text with no parameters (migrations, DDL); may hold several statements. */
enum err store_exec_script(struct store *db, const char *sql);

struct store_stmt *store_q(struct store *db, const char *sql, const char *fmt, ...);
bool store_row(struct store_stmt *q);
long long store_int(struct store_stmt *q, int col);
const char *store_text(struct store_stmt *q, int col); /* NULL for SQL NULL */
const void *store_blob(struct store_stmt *q, int col, size_t *len);
bool store_null(struct store_stmt *q, int col);
void store_done(struct store_stmt *q); /* NULL is a no-op */

/* Runs a statement to completion. Returns its error. */
enum err store_do(struct store *db, const char *sql, const char *fmt, ...);
/* Rows changed by the last store_do/store_q on this connection. */
long long store_changes(struct store *db);

/* Whether the database answers (a `SELECT 1` round trip), for readiness checks: OK, else the
 * connection's error (ERR_UNAVAILABLE when it has none to give). */
enum err store_ping(struct store *db);

/* Whole-database copies (dump.c). store_dump: a backup of the database at url into dest, a new
 * file (mode 0600; ERR_CONFLICT when it exists): SQLite's online backup, or pg_dump's custom
 * format. store_restore: a backup into the database at url, which must be empty (ERR_CONFLICT
 * otherwise; a SQLite path that does not exist yet is made). */
enum err store_dump(const char *url, const char *dest, char *why, size_t whylen);
enum err store_restore(const char *file, const char *url, char *why, size_t whylen);
/* An empty scratch database beside url for a trial restore (SQLite: a file in near's folder;
 * PostgreSQL: a new database on the same server), its URL in scratch; drop it when done. */
enum err store_scratch(const char *url, const char *near, char *scratch, size_t n, char *why,
                       size_t whylen);
void store_scratch_drop(const char *url, const char *scratch);
/* Each table of the schema with its row count, in name order. */
typedef void (*store_count_fn)(const char *table, long long rows, void *ctx);
enum err store_table_counts(struct store *db, store_count_fn fn, void *ctx);

enum err store_err(const struct store *db);
const char *store_errmsg(const struct store *db);
void store_clear_err(struct store *db);

/* A LIKE pattern (used with ESCAPE '!') matching text literally: % _ and ! in it match only
 * themselves. contains: %text%, else text% (a prefix). malloc'd; NULL for NULL text. */
char *store_like(const char *text, bool contains);

#endif
