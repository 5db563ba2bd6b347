/* notice_doc.h - a dispatch notice (督办单) as an official document (issue 19 §8): its 文号, the
 * prefix set by the office (setting "notice_doc_prefix", default SV_DOC_PREFIX) and a sequence
 * per year assigned when the notice is issued, and its GB/T 9704 form (base/gbdoc.h), printable
 * and as PDF. sv_notice_issue() (store_supervise.c) takes the number with one call:
 *
 *   int year; long long seq;
 *   e = sv_notice_number(db, today, &year, &seq, s.doc_no, sizeof s.doc_no);
 *
 * Concurrent issues never share a number: the sequence row is taken with one
 * INSERT … ON CONFLICT DO UPDATE … RETURNING inside the issuing transaction (SQLite writes are
 * serialised; on PostgreSQL the row lock makes the second wait for the first to commit), and
 * notices(doc_year, doc_seq) and notices(doc_no) are unique besides. */
#ifndef ECOACT_SUPERVISE_NOTICE_DOC_H
#define ECOACT_SUPERVISE_NOTICE_DOC_H
#include <stddef.h>
#include "base/err.h"
#include "base/gbdoc.h"
#include "store/store.h"

/* The setting holding the prefix, and its bound in characters. */
#define SV_DOC_PREFIX_SETTING "notice_doc_prefix"
#define SV_DOC_PREFIX_MAX 12

/* The next 文号 of the year holding day (a date.h day number): "渝生态宣督〔2025〕12号" into out
 * (≥ 64 bytes), with *year and *seq. Inside the caller's transaction. */
enum err sv_notice_number(struct store *db, int day, int *year, long long *seq, char *out,
                          size_t outlen);

/* The 文号 the next notice issued on day would get (the settings page's preview), taking no
 * number: another issue may come first. */
enum err sv_notice_number_peek(struct store *db, int day, char *out, size_t outlen);

/* The prefix in force ("" never: the default when unset), into out (≥ 4 * SV_DOC_PREFIX_MAX + 1).
 */
enum err sv_doc_prefix(struct store *db, char *out, size_t outlen);
/* Sets the prefix: 1..SV_DOC_PREFIX_MAX characters, no spaces, brackets or digits (p says why). */
enum err sv_doc_prefix_set(struct store *db, const char *prefix, long long by, long long now,
                           struct problem *p);

/* The notice as a GB/T 9704 document: a draft (not issued) is marked 草稿 with no number.
 * ERR_NOT_FOUND when there is no such notice; *unit_id tells whose it is, *drafted whether it is
 * a draft (unit staff never see drafts). gbdoc_free() it. */
enum err sv_notice_doc(struct store *db, long long id, struct gbdoc *out, long long *unit_id,
                       bool *drafted);

/* Storage of the above (store_notice_doc.c). */
enum err sv_store_doc_seq_next(struct store *db, int year, long long *seq);
enum err sv_store_doc_seq_last(struct store *db, int year, long long *last); /* 0: none yet */
struct sv_doc_row {
    long long unit_id, task_no, issued_at, created_at;
    char stage[16], subject[16], doc_no[64], deadline[11], period_start[11], period_end[11];
    char *title, *requirements; /* malloc'd */
};
enum err sv_store_doc_row(struct store *db, long long id, struct sv_doc_row *out);

#endif
