/* dump.c - whole-database copies for `ecoact backup` and `ecoact restore` (store.h):
 *   - SQLite with its online backup API: a consistent copy while the server runs, and the copy
 *     back into a new, empty file;
 *   - PostgreSQL with pg_dump's custom format and pg_restore (postgresql-client, on PATH), run
 *     without a shell, the restore in one transaction.
 * A backup never replaces an existing file and is readable by its owner only; a restore goes
 * only into an empty database. Scratch databases hold the trial restore of `--verify`. */
#include "store/store_impl.h"
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Runs argv[0] from PATH with no shell; its stderr's last line goes into why on failure. */
static enum err run_tool(char *const argv[], char *why, size_t whylen)
{
    int err_pipe[2];
    if (pipe(err_pipe) != 0) {
        snprintf(why, whylen, "cannot run %s: %s", argv[0], strerror(errno));
        return ERR_UNAVAILABLE;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, err_pipe[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&fa, err_pipe[0]);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(err_pipe[1]);
    char out[2048];
    size_t used = 0;
    ssize_t n;
    while ((n = read(err_pipe[0], out + used, sizeof out - 1 - used)) > 0) {
        used += (size_t)n;
        if (used == sizeof out - 1) { /* keep the tail: the cause is usually last */
            memmove(out, out + sizeof out / 2, used - sizeof out / 2);
            used -= sizeof out / 2;
        }
    }
    out[used] = '\0';
    close(err_pipe[0]);
    if (rc != 0) {
        snprintf(why, whylen, "cannot run %s (install postgresql-client): %s", argv[0],
                 strerror(rc));
        return ERR_UNAVAILABLE;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return OK;
    while (used && (out[used - 1] == '\n' || out[used - 1] == ' '))
        out[--used] = '\0';
    const char *last = strrchr(out, '\n');
    snprintf(why, whylen, "%s failed: %s", argv[0], last ? last + 1 : out[0] ? out : "no message");
    return ERR_UNAVAILABLE;
}

/* The file a backup goes into: new, empty, the owner's only. */
static enum err create_new(const char *path, char *why, size_t whylen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(why, whylen,
                 errno == EEXIST ? "%s already exists: choose a new file name"
                                 : "cannot create %s: %s",
                 path, strerror(errno));
        return errno == EEXIST ? ERR_CONFLICT : ERR_UNAVAILABLE;
    }
    close(fd);
    return OK;
}

enum err store_dump(const char *url, const char *dest, char *why, size_t whylen)
{
    if (!store_url_is_pg(url)) {
        struct store *db;
        enum err e = store_open(url, &db, why, whylen);
        if (e != OK) return e;
        e = sqlite_backup(db, dest, why, whylen);
        store_close(db);
        return e;
    }
    enum err e = create_new(dest, why, whylen);
    if (e != OK) return e;
    char file[4096], dbname[4096];
    snprintf(file, sizeof file, "--file=%s", dest);
    snprintf(dbname, sizeof dbname, "--dbname=%s", url);
    char *argv[] = {"pg_dump", "--format=custom", "--no-owner", "--no-privileges", file, dbname,
                    NULL};
    e = run_tool(argv, why, whylen);
    if (e != OK) unlink(dest);
    return e;
}

/* Whether the database at url holds no tables (a restore goes only there). */
static enum err check_empty(const char *url, char *why, size_t whylen)
{
    struct store *db;
    enum err e = store_open(url, &db, why, whylen);
    if (e != OK) return e;
    long long tables = -1;
    struct store_stmt *q = store_q(
        db,
        store_url_is_pg(url) ? "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = "
                               "current_schema()"
                             : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
        "");
    if (store_row(q)) tables = store_int(q, 0);
    store_done(q);
    e = store_err(db);
    if (e != OK) snprintf(why, whylen, "cannot read the target database: %s", store_errmsg(db));
    store_close(db);
    if (e == OK && tables != 0) {
        snprintf(why, whylen,
                 "the target database is not empty (%lld tables): restore into a new database, or "
                 "remove this one first",
                 tables);
        e = ERR_CONFLICT;
    }
    return e;
}

static enum err sqlite_undump(const char *file, const char *path, char *why, size_t whylen)
{
    struct stat st;
    if (stat(path, &st) == 0 && st.st_size > 0) {
        snprintf(why, whylen, "%s already exists: restore into a new file, or move this one away",
                 path);
        return ERR_CONFLICT;
    }
    unlink(path);
    struct store *src;
    char url[4200];
    snprintf(url, sizeof url, "sqlite:%s", file);
    if (access(file, R_OK) != 0) {
        snprintf(why, whylen, "cannot read %s: %s", file, strerror(errno));
        return ERR_NOT_FOUND;
    }
    enum err e = store_open(url, &src, why, whylen);
    if (e != OK) return e;
    e = sqlite_backup(src, path, why, whylen);
    store_close(src);
    return e;
}

enum err store_restore(const char *file, const char *url, char *why, size_t whylen)
{
    if (!store_url_is_pg(url)) {
        const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
        return sqlite_undump(file, path, why, whylen);
    }
    if (access(file, R_OK) != 0) {
        snprintf(why, whylen, "cannot read %s: %s", file, strerror(errno));
        return ERR_NOT_FOUND;
    }
    enum err e = check_empty(url, why, whylen);
    if (e != OK) return e;
    char dbname[4096];
    snprintf(dbname, sizeof dbname, "--dbname=%s", url);
    char *argv[] = {"pg_restore",           "--no-owner", "--no-privileges", "--exit-on-error",
                    "--single-transaction", dbname,       (char *)file,      NULL};
    return run_tool(argv, why, whylen);
}

/* url with its database name replaced by name (postgresql://auth@host:port/NAME?params). */
static bool with_dbname(const char *url, const char *name, char *out, size_t n)
{
    const char *auth = strstr(url, "://");
    if (!auth) return false;
    auth += 3;
    const char *slash = strchr(auth, '/'), *query = strchr(auth, '?');
    if (query && slash && slash > query) slash = NULL;
    size_t head = slash ? (size_t)(slash - url) : query ? (size_t)(query - url) : strlen(url);
    int w = snprintf(out, n, "%.*s/%s%s", (int)head, url, name, query ? query : "");
    return w > 0 && (size_t)w < n;
}

enum err store_scratch(const char *url, const char *near, char *scratch, size_t n, char *why,
                       size_t whylen)
{
    char name[64];
    snprintf(name, sizeof name, "ecoact_verify_%ld_%ld", (long)getpid(), (long)time(NULL));
    if (!store_url_is_pg(url)) {
        const char *slash = strrchr(near, '/');
        int w = slash ? snprintf(scratch, n, "sqlite:%.*s/%s.db", (int)(slash - near), near, name)
                      : snprintf(scratch, n, "sqlite:%s.db", name);
        if (w < 0 || (size_t)w >= n) return ERR_INTERNAL;
        return OK;
    }
    if (!with_dbname(url, name, scratch, n)) {
        snprintf(why, whylen, "cannot read the database name in the connection URL");
        return ERR_RULE;
    }
    struct store *db;
    enum err e = store_open(url, &db, why, whylen);
    if (e != OK) return e;
    char sql[512], path[256] = "";
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name); /* our own name: no quoting needed */
    e = store_exec_script(db, sql);
    if (e != OK)
        snprintf(why, whylen, "cannot create a scratch database (the role needs CREATEDB): %s",
                 store_errmsg(db));
    /* The tables may live outside public (the database's search_path, which a dump does not
     * carry): the scratch copy is read with the same path. */
    struct store_stmt *q =
        e == OK ? store_q(db, "SELECT current_setting('search_path')", "") : NULL;
    if (q && store_row(q) && store_text(q, 0)) snprintf(path, sizeof path, "%s", store_text(q, 0));
    if (q) store_done(q);
    if (e == OK && path[0] &&
        strspn(path, "abcdefghijklmnopqrstuvwxyz0123456789_$\", ") == strlen(path)) {
        snprintf(sql, sizeof sql, "ALTER DATABASE %s SET search_path = %s", name, path);
        e = store_exec_script(db, sql);
    }
    store_close(db);
    return e;
}

void store_scratch_drop(const char *url, const char *scratch)
{
    if (!store_url_is_pg(url)) {
        const char *path = scratch + 7;
        char side[4200];
        unlink(path);
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
        return;
    }
    const char *name = strrchr(scratch, '/');
    char db_name[64];
    if (!name || sscanf(name + 1, "%63[a-z0-9_]", db_name) != 1) return;
    struct store *db;
    char why[256];
    if (store_open(url, &db, why, sizeof why) != OK) return;
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", db_name);
    store_exec_script(db, sql);
    store_close(db);
}

enum err store_table_counts(struct store *db, store_count_fn fn, void *ctx)
{
    struct store_stmt *q = store_q(
        db,
        db->kind == STORE_PG
            ? "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
              "ORDER BY tablename"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' "
              "ESCAPE '!' ORDER BY name",
        "");
    char names[256][64];
    size_t count = 0;
    while (store_row(q) && count < 256) {
        const char *t = store_text(q, 0);
        if (t && strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(t) &&
            strlen(t) < sizeof names[0])
            snprintf(names[count++], sizeof names[0], "%s", t);
    }
    store_done(q);
    for (size_t i = 0; i < count && store_err(db) == OK; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %.63s", names[i]); /* a catalog name */
        struct store_stmt *c = store_q(db, sql, "");
        long long n = store_row(c) ? store_int(c, 0) : -1;
        store_done(c);
        if (store_err(db) == OK) fn(names[i], n, ctx);
    }
    return store_err(db);
}
