/* migrate.h - versioned schema migrations embedded in the binary, per backend. Each migration
 * runs in its own transaction; a database newer than the binary is refused. */
#ifndef ECOACT_MIGRATE_H
#define ECOACT_MIGRATE_H
#include <stddef.h>
#include "store/store.h"

/* Applies pending migrations; *applied counts them. */
enum err migrate_up(struct store *db, int *applied, char *why, size_t whylen);
/* Checks the schema is exactly what the binary knows (for serve). */
enum err migrate_check(struct store *db, char *why, size_t whylen);
int migrate_latest(enum store_kind kind);

#endif
