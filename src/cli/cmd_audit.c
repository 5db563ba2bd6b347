/* cmd_audit.c - `ecoact audit archive --before DATE FILE` and `ecoact audit archives`: the audit
 * log's retention (org/audit_archive.c). Rows written before DATE (Asia/Shanghai midnight), which
 * must be at least AUDIT_RETENTION_DAYS ago, move into FILE, a new file readable by its owner
 * only; the database keeps a record of each archive, and `ecoact verify audit FILE…` checks the
 * whole chain across the files and the database. */
#include "cli/cli.h"
#include "base/date.h"
#include "base/log.h"
#include "org/audit.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: ecoact audit archive --before YYYY-MM-DD FILE [--db URL] [--data-key FILE]\n"
    "       ecoact audit archives [--db URL]\n"
    "archive moves the audit rows written before the date (midnight, Beijing time) into FILE,\n"
    "a new file readable by its owner only, after checking their hash chain; the database\n"
    "keeps the archive's record (its rows and the hashes at both ends). The date must be at\n"
    "least 183 days ago: the log is kept six months (网络安全法 第二十一条). Keep the files:\n"
    "`ecoact verify audit FILE…` checks the chain across them and the database.\n"
    "archives lists the archives' records.\n";

static void print_archive(void *ctx, const struct audit_archive *a)
{
    int *n = ctx;
    char before[11];
    date_format(date_today_shanghai(a->before), before);
    printf("  rows %lld-%lld (%lld rows, before %s)  %s\n", a->first_id, a->last_id, a->rows,
           before, a->file);
    (*n)++;
}

static int list(struct cli_common *c)
{
    struct store *db = cli_open_db(c);
    if (!db) return 1;
    int n = 0;
    enum err e = audit_archive_each(db, print_archive, &n);
    if (e == OK && n == 0) puts("ecoact audit: nothing is archived; every row is in the database");
    if (e != OK) fprintf(stderr, "ecoact audit: %s\n", store_errmsg(db));
    store_close(db);
    return e == OK ? 0 : 1;
}

static int archive(struct cli_common *c, const char *date, const char *file)
{
    int days;
    if (!date_parse(date, &days)) {
        fprintf(stderr, "ecoact audit archive: --before must be a date YYYY-MM-DD, not '%s'\n",
                date);
        return 2;
    }
    struct keys k;
    if (!cli_load_keys(c, &k)) return 1;
    struct store *db = cli_open_db(c);
    if (!db) return 1;
    int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "ecoact audit archive: cannot create %s: %s\n", file, strerror(errno));
        store_close(db);
        return 1;
    }
    FILE *out = fdopen(fd, "w");
    struct audit_archive a;
    char why[512] = "";
    enum err e = out ? audit_archive(db, &k, (long long)days * 86400 - 8 * 3600,
                                     (long long)time(NULL), out, file, &a, why, sizeof why)
                     : ERR_UNAVAILABLE;
    if (out)
        fclose(out);
    else
        close(fd);
    int rc = 0;
    if (e != OK) {
        fprintf(stderr, "ecoact audit archive: %s\n", why[0] ? why : store_errmsg(db));
        rc = e == ERR_RULE ? 3 : 1;
    } else if (a.rows == 0) {
        printf("ecoact audit archive: no row in the database was written before %s\n", date);
    } else {
        printf("ecoact audit archive: rows %lld-%lld (%lld rows) moved into %s\n", a.first_id,
               a.last_id, a.rows, file);
    }
    if (e != OK || a.rows == 0) unlink(file); /* the rows are all still in the database */
    store_close(db);
    return rc;
}

int cmd_audit(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    struct cli_common c;
    cli_common_parse(&argc, argv, &c);
    log_set_quiet(1);
    if (argc == 2 && strcmp(argv[1], "archives") == 0) return list(&c);
    const char *date = NULL, *file = NULL, *v;
    bool ok = argc >= 2 && strcmp(argv[1], "archive") == 0;
    for (int i = 2; ok && i < argc; i++) {
        if ((v = cli_opt(argc, argv, &i, "--before")))
            date = v;
        else if (argv[i][0] != '-' && !file)
            file = argv[i];
        else
            ok = false;
    }
    if (!ok || !date || !file) {
        fputs(usage, stderr);
        return 2;
    }
    return archive(&c, date, file);
}
