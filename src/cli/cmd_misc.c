/* cmd_misc.c - `ecoact migrate`, `ecoact backup FILE`, `ecoact verify audit`. */
#include "green/green.h"
#include "cli/cli.h"
#include "base/log.h"
#include "org/audit.h"
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

int cmd_backup(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts("usage: ecoact backup FILE [--db URL]\nSQLite: a consistent online copy into FILE "
             "(safe while the server runs).\nPostgreSQL: prints the pg_dump command to use.\n"
             "The data key is not in the backup: keep ecoact.key safe on its own.");
        return 0;
    }
    struct cli_common c;
    cli_common_parse(&argc, argv, &c);
    if (argc != 2) {
        fputs("usage: ecoact backup FILE\n", stderr);
        return 2;
    }
    log_set_quiet(1);
    struct store *db = cli_open_db(&c);
    if (!db) return 1;
    char why[512];
    enum err e = store_backup(db, argv[1], why, sizeof why);
    store_close(db);
    if (e != OK) {
        fprintf(stderr, "ecoact backup: %s\n", why);
        return 1;
    }
    printf("ecoact backup: written to %s\n", argv[1]);
    return 0;
}

/* `ecoact verify green`: the points ledger's balances, issuing accounts and hash chains. */
static int verify_green(struct store *db)
{
    long long n = 0;
    bool bad = false;
    char why[512];
    enum err e = green_verify(db, &n, &bad, why, sizeof why);
    store_close(db);
    if (e != OK) {
        fprintf(stderr, "ecoact verify: cannot read the green ledger\n");
        return 1;
    }
    if (bad) {
        printf("ecoact verify green: BROKEN: %s\n", why);
        return 3;
    }
    printf("ecoact verify green: intact, %lld entries\n", n);
    return 0;
}

int cmd_verify(int argc, char **argv)
{
    bool green = argc >= 2 && strcmp(argv[1], "green") == 0;
    if (cli_wants_help(argc, argv) || argc < 2 || (strcmp(argv[1], "audit") != 0 && !green)) {
        puts("usage: ecoact verify audit|green [--db URL] [--data-key FILE]\naudit walks the audit "
             "log's hash chain and names the first row that was altered, removed or reordered;\n"
             "green checks the points ledger: each balance against its entries, the issuing "
             "accounts, and each account's hash chain, naming the first thing wrong.");
        return cli_wants_help(argc, argv) ? 0 : 2;
    }
    struct cli_common c;
    cli_common_parse(&argc, argv, &c);
    log_set_quiet(1);
    struct keys k;
    if (!cli_load_keys(&c, &k)) return 1;
    struct store *db = cli_open_db(&c);
    if (!db) return 1;
    if (green) return verify_green(db);
    long long rows, bad;
    char why[256];
    enum err e = audit_verify(db, &k, &rows, &bad, why, sizeof why);
    store_close(db);
    if (e != OK) {
        fprintf(stderr, "ecoact verify: cannot read the audit log\n");
        return 1;
    }
    if (bad) {
        printf("ecoact verify audit: BROKEN at row %lld: %s\n", bad, why);
        return 3;
    }
    printf("ecoact verify audit: intact, %lld rows\n", rows);
    return 0;
}
