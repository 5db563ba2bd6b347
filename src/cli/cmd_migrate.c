/* cmd_migrate.c - `ecoact migrate`. */
#include "cli/cli.h"
#include "base/log.h"
#include "store/migrate.h"
#include <stdio.h>
#include <string.h>

int cmd_migrate(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts("usage: ecoact migrate [--db URL]\nApplies the schema migrations this binary carries "
             "that the database lacks; refuses a database newer than the binary.");
        return 0;
    }
    struct cli_common c;
    cli_common_parse(&argc, argv, &c);
    log_set_quiet(1);
    struct store *db = cli_open_db(&c);
    if (!db) return 1;
    int applied = 0;
    char why[512];
    int rc = 0;
    if (migrate_up(db, &applied, why, sizeof why) != OK) {
        fprintf(stderr, "ecoact migrate: %s\n", why);
        rc = 1;
    } else {
        printf("ecoact migrate: %d migration(s) applied; schema at version %d\n", applied,
               migrate_latest(store_kind(db)));
    }
    store_close(db);
    return rc;
}
