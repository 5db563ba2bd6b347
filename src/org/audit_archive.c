/* audit_archive.c - the audit log's retention: rows older than the retention leave the database
 * for an archive file that carries its stretch of the chain, so that the chain stays whole
 * across the files and the database (`ecoact audit archive`, `ecoact verify audit FILE…`).
 * The file is written and synced first; only then, in one transaction, is the archive recorded
 * and its rows deleted, so a failure at any point leaves every row in the database. */
#include "org/audit.h"
#include "org/org_store.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINE_MAX_BYTES (1 << 20) /* a row's line; the log's fields are far shorter */

/* The archive being written: the chain walk, the file, and the row count. */
struct writing {
    struct audit_walk w;
    FILE *out;
    bool write_failed;
};

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static bool write_row(void *ctx, const struct audit_row *row, const char *prev_hash)
{
    struct writing *wr = ctx;
    if (!audit_chain_step(&wr->w, row, prev_hash)) return false;
    json_t *o =
        json_pack("{sI sI sI so sI so ss so ss so ss ss}", "id", (json_int_t)row->id, "at",
                  (json_int_t)row->e.at, "user_id", (json_int_t)row->e.user_id, "username",
                  text_or_null(row->e.username), "unit_id", (json_int_t)row->e.unit_id, "ip",
                  text_or_null(row->e.ip), "action", row->e.action ? row->e.action : "", "object",
                  text_or_null(row->e.object), "result", row->e.result ? row->e.result : "",
                  "detail", text_or_null(row->e.detail), "prev_hash", prev_hash ? prev_hash : "",
                  "hash", row->hash ? row->hash : "");
    if (!o || json_dumpf(o, wr->out, JSON_COMPACT) != 0 || fputc('\n', wr->out) == EOF)
        wr->write_failed = true;
    json_decref(o);
    return !wr->write_failed;
}

static bool write_line(FILE *out, json_t *o)
{
    bool ok = o && json_dumpf(o, out, JSON_COMPACT) == 0 && fputc('\n', out) != EOF;
    json_decref(o);
    return ok;
}

enum err audit_archive(struct store *db, const struct keys *k, long long before, long long now,
                       FILE *out, const char *file_name, struct audit_archive *a, char *why,
                       size_t whylen)
{
    *a = (struct audit_archive){.before = before, .created_at = now};
    snprintf(a->file, sizeof a->file, "%s", file_name);
    why[0] = '\0';
    if (before > now - (long long)AUDIT_RETENTION_DAYS * 86400) {
        snprintf(why, whylen,
                 "审计日志至少保留 %d 天（网络安全法第二十一条：不少于六个月），只能归档更早的记录",
                 AUDIT_RETENTION_DAYS);
        return ERR_RULE;
    }
    struct audit_archive last;
    bool archived;
    long long upto;
    enum err e = org_store_audit_archive_last(db, &last, &archived);
    if (e == OK) e = org_store_audit_last_before(db, before, &upto);
    if (e != OK) return e;
    long long after = archived ? last.last_id : 0;
    if (upto <= after) return OK; /* nothing that old is left */
    a->first_id = after + 1;

    struct writing wr = {.out = out};
    long long bad = 0;
    audit_walk_start(&wr.w, k, after, last.last_hash, &a->rows, &bad, why, whylen);
    snprintf(a->prev_hash, sizeof a->prev_hash, "%s", wr.w.prev);
    if (!write_line(out, json_pack("{si sI ss sI}", "ecoact_audit_archive", 1, "first_id",
                                   (json_int_t)a->first_id, "prev_hash", a->prev_hash, "before",
                                   (json_int_t)before)))
        wr.write_failed = true;
    if (!wr.write_failed && (e = org_store_audit_chain(db, upto, write_row, &wr)) != OK) return e;
    if (bad) return ERR_RULE; /* why names the row: nothing is archived from a broken chain */
    if (wr.w.expect_id != upto + 1) {
        snprintf(why, whylen, "第 %lld 行缺失", wr.w.expect_id);
        return ERR_RULE;
    }
    a->last_id = upto;
    snprintf(a->last_hash, sizeof a->last_hash, "%s", wr.w.prev);
    if (!wr.write_failed &&
        !write_line(out, json_pack("{sb sI ss sI}", "end", 1, "last_id", (json_int_t)a->last_id,
                                   "last_hash", a->last_hash, "rows", (json_int_t)a->rows)))
        wr.write_failed = true;
    if (wr.write_failed || fflush(out) != 0 || fsync(fileno(out)) != 0) {
        snprintf(why, whylen, "cannot write the archive file: %s", strerror(errno));
        return ERR_UNAVAILABLE;
    }
    if ((e = store_begin(db)) != OK) return e;
    /* Another archiver may have moved the chain's start meanwhile: the unique first_id refuses
     * a second record of the same rows, and the rollback keeps them. */
    e = org_store_audit_archive_add(db, a);
    if (e == OK) {
        char detail[160];
        snprintf(detail, sizeof detail, "rows %lld-%lld", a->first_id, a->last_id);
        struct audit_entry ae = {.at = now,
                                 .username = "cli",
                                 .action = "audit.archive",
                                 .object = "audit:archive",
                                 .result = "ok",
                                 .detail = detail};
        e = audit_append(db, k, &ae);
    }
    if (e == OK) return store_commit(db);
    store_rollback(db);
    return e;
}

/* Reads one line of at most LINE_MAX_BYTES into *line; false at the end or when too long. */
static bool read_line(FILE *in, char **line, size_t *cap, bool *too_long)
{
    ssize_t n = getline(line, cap, in);
    if (n < 0) return false;
    if (n > LINE_MAX_BYTES) {
        *too_long = true;
        return false;
    }
    return true;
}

static const char *str(json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

static long long num(json_t *o, const char *name)
{
    return (long long)json_integer_value(json_object_get(o, name));
}

bool audit_archive_check(const struct keys *k, FILE *in, struct audit_archive *a, char *why,
                         size_t whylen)
{
    *a = (struct audit_archive){0};
    char *line = NULL;
    size_t cap = 0;
    bool too_long = false, ended = false;
    long long bad = 0;
    struct audit_walk w;
    json_t *o = read_line(in, &line, &cap, &too_long) ? json_loads(line, 0, NULL) : NULL;
    if (!o || num(o, "ecoact_audit_archive") != 1 || num(o, "first_id") < 1 ||
        !str(o, "prev_hash")) {
        snprintf(why, whylen, "not an ecoact audit archive (its first line is not the header)");
        json_decref(o);
        free(line);
        return false;
    }
    a->first_id = num(o, "first_id");
    a->before = num(o, "before");
    snprintf(a->prev_hash, sizeof a->prev_hash, "%s", str(o, "prev_hash"));
    json_decref(o);
    audit_walk_start(&w, k, a->first_id - 1, a->prev_hash, &a->rows, &bad, why, whylen);
    if (a->first_id == 1 && strcmp(w.prev, a->prev_hash) != 0) {
        snprintf(why, whylen,
                 "the archive starts the chain but its header's hash is not the start");
        free(line);
        return false;
    }
    while (!bad && !ended && read_line(in, &line, &cap, &too_long)) {
        if (!(o = json_loads(line, 0, NULL))) {
            snprintf(why, whylen, "row %lld: not JSON", w.expect_id);
            bad = w.expect_id;
            break;
        }
        if (json_is_true(json_object_get(o, "end"))) {
            ended = true;
            a->last_id = num(o, "last_id");
            snprintf(a->last_hash, sizeof a->last_hash, "%s",
                     str(o, "last_hash") ? str(o, "last_hash") : "");
            if (a->last_id != w.expect_id - 1 || strcmp(a->last_hash, w.prev) != 0 ||
                num(o, "rows") != a->rows) {
                snprintf(why, whylen, "the trailer does not match the rows (ends at row %lld)",
                         w.expect_id - 1);
                bad = w.expect_id;
            }
        } else {
            struct audit_row row = {.id = num(o, "id"),
                                    .e = {.at = num(o, "at"),
                                          .user_id = num(o, "user_id"),
                                          .username = str(o, "username"),
                                          .unit_id = num(o, "unit_id"),
                                          .ip = str(o, "ip"),
                                          .action = str(o, "action"),
                                          .object = str(o, "object"),
                                          .result = str(o, "result"),
                                          .detail = str(o, "detail")},
                                    .hash = str(o, "hash")};
            audit_chain_step(&w, &row, str(o, "prev_hash"));
        }
        json_decref(o);
    }
    free(line);
    if (bad) return false;
    if (too_long) {
        snprintf(why, whylen, "row %lld: a line longer than %d bytes", w.expect_id, LINE_MAX_BYTES);
        return false;
    }
    if (!ended) {
        snprintf(why, whylen, "the file ends after row %lld without its trailer: it was cut short",
                 w.expect_id - 1);
        return false;
    }
    return true;
}

enum err audit_archive_each(struct store *db, void (*fn)(void *ctx, const struct audit_archive *a),
                            void *ctx)
{
    return org_store_audit_archive_each(db, fn, ctx);
}
