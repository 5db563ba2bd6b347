/* cmd_backup.c - `ecoact backup FILE [--verify]`, `ecoact restore FILE [--verify]` and
 * `ecoact verify audit|green`: copies of the whole database (store/dump.c) and the checks that
 * prove a copy is whole. A backup is proved by restoring it: --verify restores it into a scratch
 * database and runs the checks there (the schema is one this binary knows, the audit chain and
 * the green ledger are intact, every table is readable, with its row count). */
#include "cli/cli.h"
#include "base/log.h"
#include "green/green.h"
#include "org/audit.h"
#include "store/migrate.h"
#include <stdio.h>
#include <string.h>

enum { CHECK_OK = 0, CHECK_ERROR = 1, CHECK_BROKEN = 3 };

static void print_count(const char *table, long long rows, void *ctx)
{
    long long *total = ctx;
    *total += rows;
    printf("  %-28s %lld\n", table, rows);
}

/* The audit chain: CHECK_OK, CHECK_BROKEN (said on stdout) or CHECK_ERROR. */
static int check_audit(struct store *db, const struct keys *k, const char *what)
{
    long long rows = 0, bad = 0;
    char why[256];
    if (audit_verify(db, k, &rows, &bad, why, sizeof why) != OK) {
        fprintf(stderr, "ecoact %s: cannot read the audit log: %s\n", what, store_errmsg(db));
        return CHECK_ERROR;
    }
    if (bad) {
        printf("ecoact %s: audit log BROKEN at row %lld: %s\n", what, bad, why);
        return CHECK_BROKEN;
    }
    printf("ecoact %s: audit log intact, %lld rows\n", what, rows);
    return CHECK_OK;
}

/* The green points ledger: balances against entries, issuing accounts, each chain. */
static int check_green(struct store *db, const char *what)
{
    long long n = 0;
    bool bad = false;
    char why[512];
    if (green_verify(db, &n, &bad, why, sizeof why) != OK) {
        fprintf(stderr, "ecoact %s: cannot read the green ledger: %s\n", what, store_errmsg(db));
        return CHECK_ERROR;
    }
    if (bad) {
        printf("ecoact %s: green ledger BROKEN: %s\n", what, why);
        return CHECK_BROKEN;
    }
    printf("ecoact %s: green ledger intact, %lld entries\n", what, n);
    return CHECK_OK;
}

/* Every check on the database at url; what they find goes to stdout as `what: …` lines. */
static int run_checks(const char *what, const char *url, const struct keys *k, bool counts)
{
    struct store *db;
    char why[512];
    if (store_open(url, &db, why, sizeof why) != OK) {
        fprintf(stderr, "ecoact %s: %s\n", what, why);
        return CHECK_ERROR;
    }
    int rc = CHECK_OK;
    if (migrate_check(db, why, sizeof why) != OK) {
        printf("ecoact %s: schema: %s\n", what, why);
        rc = CHECK_BROKEN;
    }
    if (rc == CHECK_OK) rc = check_audit(db, k, what);
    if (rc == CHECK_OK) rc = check_green(db, what);
    if (rc == CHECK_OK && counts) {
        long long total = 0;
        printf("ecoact %s: tables and rows:\n", what);
        if (store_table_counts(db, print_count, &total) != OK) {
            fprintf(stderr, "ecoact %s: cannot read every table: %s\n", what, store_errmsg(db));
            rc = CHECK_ERROR;
        } else {
            printf("ecoact %s: %lld rows in all\n", what, total);
        }
    }
    store_close(db);
    return rc;
}

/* Restores file into a scratch database beside url, checks it, drops it. */
static int verify_copy(const char *what, const char *file, const char *url, const struct keys *k)
{
    char scratch[4200], why[512];
    if (store_scratch(url, file, scratch, sizeof scratch, why, sizeof why) != OK) {
        fprintf(stderr, "ecoact %s: %s\n", what, why);
        return CHECK_ERROR;
    }
    int rc = CHECK_ERROR;
    if (store_restore(file, scratch, why, sizeof why) != OK)
        fprintf(stderr, "ecoact %s: the trial restore failed: %s\n", what, why);
    else
        rc = run_checks(what, scratch, k, true);
    store_scratch_drop(url, scratch);
    if (rc == CHECK_OK)
        printf("ecoact %s: verified: %s restores and passes every check\n", what, file);
    return rc;
}

/* Parses `CMD FILE [--verify]`, with the common options. */
static bool parse(int *argc, char **argv, struct cli_common *c, bool *verify)
{
    cli_common_parse(argc, argv, c);
    *verify = false;
    int files = 0;
    for (int i = 1; i < *argc; i++) {
        if (cli_flag(argv[i], "--verify"))
            *verify = true;
        else if (argv[i][0] == '-')
            return false;
        else if (files++ == 0)
            argv[1] = argv[i];
    }
    return files == 1;
}

int cmd_backup(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts("usage: ecoact backup FILE [--verify] [--db URL] [--data-key FILE]\n"
             "Copies the whole database into FILE, a new file readable by its owner only:\n"
             "SQLite with its online backup (safe while the server runs), PostgreSQL with\n"
             "pg_dump --format=custom. --verify then restores FILE into a scratch database and\n"
             "checks it there (schema, audit chain, every table with its rows).\n"
             "The data key is not in the backup: keep ecoact.key safe on its own; without it the\n"
             "personal data in a backup cannot be read.");
        return 0;
    }
    struct cli_common c;
    bool verify;
    if (!parse(&argc, argv, &c, &verify)) {
        fputs("usage: ecoact backup FILE [--verify]\n", stderr);
        return 2;
    }
    log_set_quiet(1);
    struct keys k;
    if (verify && !cli_load_keys(&c, &k)) return 1;
    char why[512];
    if (store_dump(c.db_url, argv[1], why, sizeof why) != OK) {
        fprintf(stderr, "ecoact backup: %s\n", why);
        return 1;
    }
    printf("ecoact backup: written to %s\n", argv[1]);
    return verify ? verify_copy("backup", argv[1], c.db_url, &k) : 0;
}

int cmd_restore(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        puts("usage: ecoact restore FILE [--verify] [--db URL] [--data-key FILE]\n"
             "Restores a backup made by `ecoact backup` into the database --db names, which must\n"
             "be empty (a SQLite file that does not exist yet, or a PostgreSQL database with no\n"
             "tables); stop the servers first. --verify first restores FILE into a scratch\n"
             "database and checks it, and restores nothing when a check fails; after the restore\n"
             "the same checks run on the target. Run `ecoact migrate` after restoring an older\n"
             "backup.");
        return 0;
    }
    struct cli_common c;
    bool verify;
    if (!parse(&argc, argv, &c, &verify)) {
        fputs("usage: ecoact restore FILE [--verify]\n", stderr);
        return 2;
    }
    log_set_quiet(1);
    struct keys k;
    if (verify && !cli_load_keys(&c, &k)) return 1;
    if (verify) {
        int rc = verify_copy("restore", argv[1], c.db_url, &k);
        if (rc != CHECK_OK) return rc;
    }
    char why[512];
    if (store_restore(argv[1], c.db_url, why, sizeof why) != OK) {
        fprintf(stderr, "ecoact restore: %s\n", why);
        return 1;
    }
    printf("ecoact restore: %s restored into the database\n", argv[1]);
    return verify ? run_checks("restore", c.db_url, &k, true) : 0;
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
    if (!green && !cli_load_keys(&c, &k)) return 1;
    struct store *db = cli_open_db(&c);
    if (!db) return 1;
    int rc = green ? check_green(db, "verify green") : check_audit(db, &k, "verify audit");
    store_close(db);
    return rc;
}
