/* notify_store.h - internal interface of the notify area between its services (notify.c) and
 * its SQL (store_notify.c, tables inbox_items and outbox of migration 0005). Not for other
 * areas: they use notify.h. Writes run inside the caller's transaction. */
#ifndef ECOACT_NOTIFY_STORE_H
#define ECOACT_NOTIFY_STORE_H
#include "notify/notify.h"

/* Inserts the item unless its dedupe key exists; *id gets the new id, or 0 for a repeat. */
enum err notify_store_item_insert(struct store *db, const struct inbox_item *it, long long now,
                                  long long *id);
/* Queues one message of item inbox_id to user_id (once per item, user and channel). */
enum err notify_store_sms_queue(struct store *db, long long inbox_id, long long user_id,
                                const char *text, bool urgent, long long not_before, long long now);
/* Closes the open item with this key / every open item whose key matches the LIKE pattern
 * (escaped with '!', see store_like). */
enum err notify_store_done_key(struct store *db, const char *key, long long by, long long now);
enum err notify_store_done_like(struct store *db, const char *pattern, long long by, long long now);

/* The viewer's open items and their counts by kind (see inbox_list, inbox_counts: the keys
 * "counts" and "kinds"), of class
 * cls ("todo", "toread"; "" for both). */
enum err notify_store_list(struct store *db, const struct inbox_viewer *v, const char *cls,
                           long long after, long long limit, struct jw *w, long long *n,
                           long long *last);
enum err notify_store_counts(struct store *db, const struct inbox_viewer *v, const char *cls,
                             struct jw *w, long long *total);
/* The viewer's open items per class (n[INBOX_TODO], n[INBOX_TOREAD]). */
enum err notify_store_class_counts(struct store *db, const struct inbox_viewer *v,
                                   long long n[INBOX_CLASSES]);
/* Whether the viewer sees item id (*found), whether it is done, and its class code (cls holds
 * 16 bytes). */
enum err notify_store_item_seen(struct store *db, const struct inbox_viewer *v, long long id,
                                bool *found, bool *done, char cls[16]);
/* Closes every open item of class cls the viewer sees; *n gets how many. */
enum err notify_store_done_class(struct store *db, const struct inbox_viewer *v, const char *cls,
                                 long long now, long long *n);
/* Closes item id if still open. */
enum err notify_store_item_done(struct store *db, long long id, long long by, long long now);

/* Gives up on claims never answered OUTBOX_MAX_ATTEMPTS times (older than stale). */
enum err notify_store_outbox_expire(struct store *db, long long stale, long long now);
/* Claims up to limit messages (pending, or claimed before stale with attempts left) for by;
 * *out is malloc'd, in the order the database returned them (phones left ""). */
enum err notify_store_outbox_claim(struct store *db, long long by, long long now, long long stale,
                                   long long limit, struct outbox_msg **out, size_t *n);
/* A claimed message that cannot be sent: failed for good, with why. */
enum err notify_store_outbox_fail(struct store *db, long long id, const char *why, long long now);
/* Settles message id claimed by `by`: ERR_NOT_FOUND when there is no such message,
 * ERR_CONFLICT when it is not so claimed (status then gets its current status). */
enum err notify_store_outbox_settle(struct store *db, long long id, long long by, bool sent,
                                    const char *error, long long now, char status[16],
                                    long long *attempts);

/* Not SQL, but internal to the area too (notify.c, for both claim paths): readies claimed
 * messages for sending. A non-urgent one whose recipient is in quiet hours now is released until
 * they end (its attempt not counted) and dropped from m; every other one gets its recipient's
 * phone in clear through org, and one without a phone fails for good (kept, with phone "").
 * *n gets how many are left. */
enum err notify_ready_claimed(struct store *db, const struct keys *k, struct outbox_msg *m,
                              size_t *n, long long now);
/* A claimed message back to pending from not_before, its attempt not counted. */
enum err notify_store_outbox_release(struct store *db, long long id, long long not_before,
                                     long long now);
/* Push claims that were never settled and have no attempts left fail for good. */
enum err notify_store_push_expire(struct store *db, long long stale, long long max_attempts,
                                  long long now);
/* Push claims (claimed_by NULL): due pending messages and push claims older than stale. */
enum err notify_store_push_claim(struct store *db, long long now, long long stale,
                                 long long max_attempts, long long limit, struct outbox_msg **out,
                                 size_t *n);
/* Settles a push claim: sent, or pending again from not_before, or failed once attempts reach
 * max_attempts. */
enum err notify_store_push_settle(struct store *db, long long id, bool sent, const char *error,
                                  long long max_attempts, long long not_before, long long now);
/* An account's preferences (defaults when none) and setting them. */
enum err notify_store_prefs_get(struct store *db, long long user_id, struct notify_prefs *out);
enum err notify_store_prefs_put(struct store *db, long long user_id, const struct notify_prefs *p,
                                long long now);
/* Sets not_before of the account's pending non-urgent messages (held for quiet hours or waiting
 * for a retry: both are judged again). */
enum err notify_store_requeue_quiet(struct store *db, long long user_id, long long not_before,
                                    long long now);
/* Dead letters (status failed), newest first; and sending one again. */
enum err notify_store_dead_list(struct store *db, long long after, long long limit, struct jw *w,
                                long long *n, long long *last);
enum err notify_store_retry(struct store *db, long long id, long long now, char status[16]);
/* ---- outbox_direct (store_notify_direct.c) ---- */
enum err notify_store_direct_insert(struct store *db, const unsigned char *phone, size_t phone_n,
                                    const char *text, const unsigned char *secret, size_t secret_n,
                                    long long expires_at, long long now);
/* Fails (and erases) messages past their expiry or claimed too often; claims up to limit for by.
 * *out as notify_store_outbox_claim; seals[i] (malloc'd, caller frees) get phone and secret. */
struct direct_seals {
    unsigned char *phone, *secret;
    size_t phone_n, secret_n;
};
enum err notify_store_direct_claim(struct store *db, long long by, long long now, long long stale,
                                   long long limit, struct outbox_msg **out,
                                   struct direct_seals **seals, size_t *n);
enum err notify_store_direct_settle(struct store *db, long long id, long long by, bool sent,
                                    const char *error, long long now, char status[16],
                                    long long *attempts);

/* ---- citizen_inbox (store_notify_citizen.c): every statement names the account ---- */
/* Inserts the message unless the account has its dedupe key; *id: the new id, 0 for a repeat. */
enum err notify_store_cmsg_insert(struct store *db, const struct citizen_msg *m, long long now,
                                  long long *id);
enum err notify_store_cmsg_done_key(struct store *db, long long citizen_id, const char *key,
                                    long long now);
/* pattern: a LIKE pattern escaped with '!' (store_like) */
enum err notify_store_cmsg_done_like(struct store *db, long long citizen_id, const char *pattern,
                                     long long now);
enum err notify_store_cmsg_list(struct store *db, long long citizen_id, long long after,
                                long long limit, struct jw *w, long long *n, long long *last);
enum err notify_store_cmsg_count(struct store *db, long long citizen_id,
                                 struct citizen_inbox_counts *c);
/* Marks message id of the account read (or done); *found: it exists; *was: it already was. */
enum err notify_store_cmsg_mark(struct store *db, long long citizen_id, long long id, bool done,
                                long long now, bool *found, bool *was);
json_t *notify_store_cmsg_json(struct store *db, long long citizen_id);
enum err notify_store_cmsg_delete_all(struct store *db, long long citizen_id);
enum err notify_store_cmsg_delete_like(struct store *db, long long citizen_id, const char *pattern);

#endif
