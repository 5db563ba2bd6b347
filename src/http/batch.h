/* batch.h - batch routes (issue 19 §6): 通过 or 退回 many reports, 下发 many notice drafts, with
 * one request. The body names the items ({"ids": [...], at most REQ_BATCH_MAX}); each item is
 * done by the same function as the single-item route, in a transaction of its own with its own
 * audit row, so one refusal (the four-eyes rule, a report reviewed meanwhile) undoes nothing
 * else. The answer says what happened to each item. Batch routes are ROUTE_NO_TX.
 *
 *   long long *ids; size_t n;
 *   if ((e = req_batch_ids(r, &ids, &n)) != OK) return e;
 *   return req_batch_run(r, ids, n, "report.review", review_item, &ctx);
 */
#ifndef ECOACT_HTTP_BATCH_H
#define ECOACT_HTTP_BATCH_H
#include <stddef.h>
#include "http/req.h"

#define REQ_BATCH_MAX 200

/* One item: OK, or an error set with req_fail (its message is the item's reason). */
typedef enum err (*req_batch_fn)(struct req *r, long long id, void *ctx);

/* The body's "ids": an array of 1..REQ_BATCH_MAX distinct positive integers (repeats are
 * dropped), in order; *ids lives in the request's arena. 413 beyond the bound. */
enum err req_batch_ids(struct req *r, json_t *arr, long long **ids, size_t *n);

/* Runs fn for each id in a transaction of its own and answers 200 with
 * {"total", "done", "refused", "items": [{"id", "ok", "code"?, "message"?, "field"?}], "note"}.
 * action names the audit rows ("report.review"). */
enum err req_batch_run(struct req *r, const long long *ids, size_t n, const char *action,
                       req_batch_fn fn, void *ctx);

#endif
