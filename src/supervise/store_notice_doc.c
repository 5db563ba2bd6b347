/* store_notice_doc.c - the SQL of notice_doc.c: the per-year 文号 sequence and the fields a
 * dispatch notice's document shows (supervise's own tables: notices, notice_doc_seq). */
#include "supervise/notice_doc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum err sv_store_doc_seq_next(struct store *db, int year, long long *seq)
{
    struct store_stmt *q =
        store_q(db,
                "INSERT INTO notice_doc_seq(year, last) VALUES (?, 1)"
                " ON CONFLICT (year) DO UPDATE SET last = notice_doc_seq.last + 1"
                " RETURNING last",
                "i", (long long)year);
    *seq = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    if (store_err(db)) return store_err(db);
    return *seq > 0 ? OK : ERR_INTERNAL;
}

enum err sv_store_doc_seq_last(struct store *db, int year, long long *last)
{
    struct store_stmt *q =
        store_q(db, "SELECT last FROM notice_doc_seq WHERE year = ?", "i", (long long)year);
    *last = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

static void copy(char *out, size_t n, const char *s)
{
    snprintf(out, n, "%s", s ? s : "");
}

enum err sv_store_doc_row(struct store *db, long long id, struct sv_doc_row *out)
{
    memset(out, 0, sizeof *out);
    struct store_stmt *q =
        store_q(db,
                "SELECT unit_id, task_no, issued_at, created_at, stage, subject, doc_no, deadline,"
                " period_start, period_end, title, requirements FROM notices WHERE id = ?",
                "i", id);
    bool found = store_row(q);
    if (found) {
        out->unit_id = store_int(q, 0);
        out->task_no = store_null(q, 1) ? 0 : store_int(q, 1);
        out->issued_at = store_null(q, 2) ? 0 : store_int(q, 2);
        out->created_at = store_int(q, 3);
        copy(out->stage, sizeof out->stage, store_text(q, 4));
        copy(out->subject, sizeof out->subject, store_text(q, 5));
        copy(out->doc_no, sizeof out->doc_no, store_text(q, 6));
        copy(out->deadline, sizeof out->deadline, store_text(q, 7));
        copy(out->period_start, sizeof out->period_start, store_text(q, 8));
        copy(out->period_end, sizeof out->period_end, store_text(q, 9));
        out->title = strdup(store_text(q, 10) ? store_text(q, 10) : "");
        out->requirements = strdup(store_text(q, 11) ? store_text(q, 11) : "");
        if (!out->title || !out->requirements) abort();
    }
    store_done(q);
    if (store_err(db)) return store_err(db);
    return found ? OK : ERR_NOT_FOUND;
}
