/* cmd_backup.c - `ecoact backup FILE [--verify]`, `ecoact restore FILE [--verify]` and
 * `ecoact verify audit [ARCHIVE…]|green`: copies of the whole database (store/dump.c) and the
 * checks that prove a copy is whole. A backup is proved by restoring it: --verify restores it
 * into a scratch database and runs the checks there (the schema is one this binary knows, the
 * audit chain and the green ledger are intact, every table is readable, with its row count). The
 * audit chain is checked across its archive files (`ecoact audit archive`) when they are given. */
#include "cli/cli.h"
#include "base/log.h"
#include "green/green.h"
#include "org/audit.h"
#include "store/migrate.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CHECK_OK = 0, CHECK_ERROR = 1, CHECK_BROKEN = 3 };

static void print_count(const char *table, long long rows, void *ctx)
{
    long long *total = ctx;
    *total += rows;
    printf("  %-28s %lld\n", table, rows);
}

/* The archives' records, in order (audit_archive_each). */
struct records {
    struct audit_archive *a;
    size_t n, cap;
};

static void add_record(void *ctx, const struct audit_archive *a)
{
    struct records *r = ctx;
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->a = realloc(r->a, r->cap * sizeof *r->a);
        if (!r->a) abort();
    }
    r->a[r->n++] = *a;
}

/* Checks each archive file, in the order given, against its record: together they must hold
 * the chain from its first row to the database's first. CHECK_OK or CHECK_BROKEN (said). */
static int check_archives(const struct records *r, const struct keys *k, char **files, int nfiles,
                          const char *what)
{
    long long next = 1;
    for (int i = 0; i < nfiles; i++) {
        FILE *in = fopen(files[i], "r");
        if (!in) {
            printf("ecoact %s: cannot open the archive %s: %s\n", what, files[i], strerror(errno));
            return CHECK_BROKEN;
        }
        struct audit_archive a;
        char why[512];
        bool ok = audit_archive_check(k, in, &a, why, sizeof why);
        fclose(in);
        if (!ok) {
            printf("ecoact %s: archive %s BROKEN: %s\n", what, files[i], why);
            return CHECK_BROKEN;
        }
        const struct audit_archive *rec = NULL;
        for (size_t j = 0; j < r->n && !rec; j++)
            if (r->a[j].first_id == a.first_id) rec = &r->a[j];
        if (a.first_id != next) {
            printf("ecoact %s: archive %s starts at row %lld, but row %lld comes next: give the "
                   "archives in order, none missing\n",
                   what, files[i], a.first_id, next);
            return CHECK_BROKEN;
        }
        if (!rec || rec->last_id != a.last_id || strcmp(rec->last_hash, a.last_hash) != 0 ||
            strcmp(rec->prev_hash, a.prev_hash) != 0) {
            printf("ecoact %s: archive %s (rows %lld-%lld) is not one this database recorded\n",
                   what, files[i], a.first_id, a.last_id);
            return CHECK_BROKEN;
        }
        printf("ecoact %s: archive %s intact, rows %lld-%lld\n", what, files[i], a.first_id,
               a.last_id);
        next = a.last_id + 1;
    }
    long long archived_to = r->n ? r->a[r->n - 1].last_id : 0;
    if (next - 1 != archived_to) {
        printf("ecoact %s: the archives given end at row %lld, but rows up to %lld are "
               "archived: give every archive\n",
               what, next - 1, archived_to);
        return CHECK_BROKEN;
    }
    return CHECK_OK;
}

/* The audit chain, across the archive files given (nfiles 0: the database's part only):
 * CHECK_OK, CHECK_BROKEN (said on stdout) or CHECK_ERROR. */
static int check_audit_across(struct store *db, const struct keys *k, const char *what,
                              char **files, int nfiles)
{
    struct records r = {0};
    if (audit_archive_each(db, add_record, &r) != OK) {
        fprintf(stderr, "ecoact %s: cannot read the audit archives: %s\n", what, store_errmsg(db));
        free(r.a);
        return CHECK_ERROR;
    }
    int rc = nfiles ? check_archives(&r, k, files, nfiles, what) : CHECK_OK;
    if (rc == CHECK_OK && r.n && !nfiles)
        printf("ecoact %s: rows 1-%lld are in %zu archive file(s), not checked here (ecoact "
               "verify audit FILE… checks them)\n",
               what, r.a[r.n - 1].last_id, r.n);
    free(r.a);
    if (rc != CHECK_OK) return rc;
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

/* The audit chain in the database. */
static int check_audit(struct store *db, const struct keys *k, const char *what)
{
    return check_audit_across(db, k, what, NULL, 0);
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
        puts("usage: ecoact verify audit [ARCHIVE…] | green [--db URL] [--data-key FILE]\n"
             "audit walks the audit log's hash chain and names the first row that was altered,\n"
             "removed or reordered; given the archive files of `ecoact audit archive`, oldest\n"
             "first, it checks the chain across them and the database;\n"
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
    int rc = green ? check_green(db, "verify green")
                   : check_audit_across(db, &k, "verify audit", argv + 2, argc - 2);
    store_close(db);
    return rc;
}
