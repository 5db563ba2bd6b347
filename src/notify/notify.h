/* notify.h - notifications, the area every other area calls to tell people what they must do:
 * every account's inbox (a notice to sign, a notice due in three days, an answer or a report
 * returned, a meeting step due …) and the outbox an SMS gateway consumes (docs/outbox.md).
 *
 * Any area adds an item with inbox_add() inside its own transaction: the target is one user,
 * or the users of a unit holding one of some roles (or, with unit 0, every user holding one of
 * them); a dedupe key makes repeats harmless, so periodic ticks on several app servers add an
 * item once. An item for a group is one shared task: done by one, done for all. The area that
 * settles the task closes its items by key or by key prefix. Each item also queues one SMS per
 * targeted user who has a phone: the outbox keeps the user id, never the number (users keep
 * phones encrypted); the gateway gets the number in clear only when it claims the message.
 *
 * Example (the ledger, when a report is returned):
 *   struct inbox_item it = {.to = {.user_id = report_author}, .kind = "report_returned",
 *                           .title = "报送被退回：2023年第二季度新闻发布会", .link = "/reports/42",
 *                           .due = NULL, .dedupe_key = "report:42:returned:3"};
 *   inbox_add(db, &it, now, NULL);
 *   … and when the author resubmits it:
 *   inbox_done_prefix(db, "report:42:returned:", author, now);
 *
 * Rooms: notify.c (the services below), notify_rules.c (pure: kinds, labels, the check of an
 * item, SMS texts; tested in tests/unit/test_notify.c), store_notify.c (all SQL, over
 * inbox_items and outbox, through notify_store.h), store_notify_citizen.c (citizens' in-app
 * messages, citizen_inbox), api_notify.c (/api/v1/inbox…, /api/v1/outbox…,
 * /api/v1/citizen/inbox…). Whom a target reaches is the org area's users_reachable(). */
#ifndef ECOACT_NOTIFY_H
#define ECOACT_NOTIFY_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "base/crypto.h"
#include "base/err.h"
#include "org/perm.h"
#include "store/store.h"

/* ---- the inbox: what the areas use ---- */

/* Who must act. */
struct inbox_target {
    long long user_id; /* one account; or 0 and: */
    long long unit_id; /* the accounts of this unit (0: of any unit) */
    role_set roles;    /* holding one of these roles (1u << ROLE_…) */
};

struct inbox_item {
    struct inbox_target to;
    const char *kind;       /* [a-z_]{1,32}: notice_sign, notice_due, notice_returned,
                               notice_review, report_returned … (inbox_kind_label) */
    const char *title;      /* 1..INBOX_TITLE_MAX characters */
    const char *link;       /* console path, "/notices/12" (starts with '/') */
    const char *due;        /* "YYYY-MM-DD" or NULL */
    const char *dedupe_key; /* 1..INBOX_KEY_MAX bytes, unique across all items: "notice:12:sign" */
};
#define INBOX_TITLE_MAX 200 /* characters */
#define INBOX_LINK_MAX 300  /* bytes */
#define INBOX_KEY_MAX 200   /* bytes */

/* Adds the item unless an item with its dedupe key exists (then *added is false; added may be
 * NULL), and queues its SMS messages. ERR_RULE for a malformed item (a bug of the caller; see
 * inbox_item_check). Inside the caller's transaction. */
enum err inbox_add(struct store *db, const struct inbox_item *it, long long now, bool *added);
/* Marks the open item with this key done (no-op when none is open). by: 0 for the system. */
enum err inbox_done_key(struct store *db, const char *dedupe_key, long long by, long long now);
/* Marks every open item whose key starts with prefix done (_ and % match only themselves). */
enum err inbox_done_prefix(struct store *db, const char *prefix, long long by, long long now);
/* Whether the target reaches at least one active account (an item for it would be seen). */
bool inbox_reaches(struct store *db, const struct inbox_target *to);

/* ---- the rules (notify_rules.c) ---- */

/* Chinese label of a kind ("待签收督办单"); the kind itself when unknown. */
const char *inbox_kind_label(const char *kind);
/* Every officials' inbox kind with its label: {"notice_sign": "待签收督办单", …}. */
json_t *inbox_kinds_json(void);
/* Whether a kind is urgent: delivered at once even in the recipient's quiet hours. */
bool inbox_kind_urgent(const char *kind);
/* The class of an item: something to do (待办) or only to read (待阅: minutes issued, a notice
 * escalated). Stored in inbox_items.class when the item is added; the header's badge counts
 * todo only. */
enum inbox_class { INBOX_TODO, INBOX_TOREAD };
#define INBOX_CLASSES 2
/* The class of a kind (INBOX_TODO when unknown); its code ("todo", "toread") and Chinese label
 * ("待办", "待阅"); parsing a code (false when s is no class). */
enum inbox_class inbox_kind_class(const char *kind);
const char *inbox_class_code(enum inbox_class c);
const char *inbox_class_label(enum inbox_class c);
bool inbox_class_parse(const char *s, enum inbox_class *out);
/* {"todo": "待办", "toread": "待阅"}. */
json_t *inbox_classes_json(void);
/* Whether a kind is well formed ([a-z_]{1,32}). */
bool inbox_kind_valid(const char *kind);
/* Whether an item is well formed (kind, title, link, due date, key, a target); p names the
 * first fault. */
bool inbox_item_check(const struct inbox_item *it, struct problem *p);
/* The SMS text of an item: 【生态宣教】 + kind label + title (cut) + due date, at most
 * INBOX_SMS_MAX_CHARS characters. out should hold 4 * INBOX_SMS_MAX_CHARS + 1 bytes. */
#define INBOX_SMS_MAX_CHARS 70
void inbox_sms_text(const char *kind, const char *title, const char *due, char *out, size_t outlen);

/* ---- a viewer's inbox (for the routes) ---- */

/* Whose inbox: an account, its unit and its roles. */
struct inbox_viewer {
    long long user_id, unit_id;
    role_set roles;
};
struct jw;
/* The viewer's open items of class cls (NULL: of both), newest first, after the cursor id;
 * written as jw objects {id, kind, kind_label, class, class_label, title, link, due_date,
 * created_at, target: "user"|"unit"}. */
enum err inbox_list(struct store *db, const struct inbox_viewer *v, const enum inbox_class *cls,
                    long long after, long long limit, struct jw *w, long long *n, long long *last);
/* Writes the keys "counts": {"kind": count, …} and "kinds": [{kind, kind_label, class, count}]
 * (the same, with the server's labels, for the console's filters) of the viewer's open items of
 * class cls (NULL: of both) into the open jw object; *total gets their sum. */
enum err inbox_counts(struct store *db, const struct inbox_viewer *v, const enum inbox_class *cls,
                      struct jw *w, long long *total);
/* The viewer's open items per class: n[INBOX_TODO], n[INBOX_TOREAD]. */
enum err inbox_class_counts(struct store *db, const struct inbox_viewer *v,
                            long long n[INBOX_CLASSES]);
/* Marks item id done (for a 待阅 item: read) for the viewer. ERR_NOT_FOUND when the viewer
 * cannot see it; *was_done tells an item already done (nothing changes); *cls (may be NULL)
 * gets its class. */
enum err inbox_mark_done(struct store *db, const struct inbox_viewer *v, long long id,
                         long long now, bool *was_done, enum inbox_class *cls);
/* Marks every open 待阅 item the viewer sees read (done); *n gets how many. An item for a unit
 * is read for all its users, as a task for a unit is done for all. */
enum err inbox_read_all(struct store *db, const struct inbox_viewer *v, long long now,
                        long long *n);

/* ---- a citizen's in-app messages (public accounts, issue 12 §4: "in-app messages, always") ----
 * Table citizen_inbox (0011_citizen_inbox.sql), keyed by the account first: ids count per
 * account and a dedupe key is unique per account. The citizen area adds them inside its own
 * transaction, as the other areas add officials' items:
 *   struct citizen_msg m = {.citizen_id = guardian, .kind = "guardian_request",
 *                           .title = "账号 137****7002 请求您作为监护人同意", .link =
 * "/m/me/wards", .dedupe_key = "ward:7:request:1764650000"}; citizen_inbox_add(db, &m, now, NULL);
 *   … and once the guardian decided: citizen_inbox_done_prefix(db, guardian, "ward:7:request:",
 * now); A message is unread, read (opened), or done (the task it asked for is settled). No SMS:
 * codes are the only SMS a citizen gets (outbox_direct). They are deleted with the account. */
struct citizen_msg {
    long long citizen_id;
    const char
        *kind; /* [a-z_]{1,32}: guardian_request, guardian_approved … (citizen_msg_kind_label) */
    const char *title;      /* 1..INBOX_TITLE_MAX characters */
    const char *body;       /* NULL or up to CITIZEN_MSG_BODY_MAX bytes (a reviewer's reason) */
    const char *link;       /* a portal path, "/m/me/wards" (starts with "/m/") */
    const char *due;        /* "YYYY-MM-DD" or NULL */
    const char *dedupe_key; /* 1..INBOX_KEY_MAX bytes, unique per account */
};
#define CITIZEN_MSG_BODY_MAX 1000 /* bytes */
#define CITIZEN_INBOX_PAGE_MAX 100

/* Adds the message unless the account has one with its dedupe key (*added false; may be NULL).
 * ERR_RULE for a malformed message (see citizen_msg_check). Inside the caller's transaction. */
enum err citizen_inbox_add(struct store *db, const struct citizen_msg *m, long long now,
                           bool *added);
/* Marks the account's open message with this key / every one whose key starts with prefix
 * done (_ and % match only themselves). */
enum err citizen_inbox_done_key(struct store *db, long long citizen_id, const char *key,
                                long long now);
enum err citizen_inbox_done_prefix(struct store *db, long long citizen_id, const char *prefix,
                                   long long now);
/* The account's messages, newest first, after the cursor id; jw objects {id, kind, kind_label,
 * title, body, link, due_date, created_at, read_at, done_at, state: "unread"|"read"|"done"}. */
enum err citizen_inbox_list(struct store *db, long long citizen_id, long long after,
                            long long limit, struct jw *w, long long *n, long long *last);
/* Counts of the account's messages: unread (neither read nor done), open (not done), all. */
struct citizen_inbox_counts {
    long long unread, open, total;
};
enum err citizen_inbox_count(struct store *db, long long citizen_id,
                             struct citizen_inbox_counts *c);
/* Marks the account's message id read (done too when done). ERR_NOT_FOUND when the account has
 * no such message (another account's id included); *was tells it already was (may be NULL). */
enum err citizen_inbox_mark(struct store *db, long long citizen_id, long long id, bool done,
                            long long now, bool *was);
/* Every message of the account, oldest first, for the download of what is held: a new array of
 * {id, kind, kind_label, title, body, link, due_date, created_at, read_at, done_at}; NULL on a
 * storage error. */
json_t *citizen_inbox_json(struct store *db, long long citizen_id);
/* Deletes every message of the account (its deletion: they name the person). */
enum err citizen_inbox_delete_all(struct store *db, long long citizen_id);
/* Deletes the account's messages whose key starts with prefix (those naming another person who
 * deleted the account). */
enum err citizen_inbox_delete_prefix(struct store *db, long long citizen_id, const char *prefix);
/* Rules (notify_rules.c): the Chinese label of a kind (the kind itself when unknown), and the
 * check of a message before it is stored; p names the first fault. */
const char *citizen_msg_kind_label(const char *kind);
bool citizen_msg_check(const struct citizen_msg *m, struct problem *p);

/* ---- the outbox (for the gateway's routes) ----
 * A claim takes pending messages (and claims older than OUTBOX_CLAIM_TIMEOUT without a
 * result) in id order, marks them claimed by the caller and counts the attempt; a result
 * settles one: sent, or failed (pending again until OUTBOX_MAX_ATTEMPTS). */
#define OUTBOX_MAX_ATTEMPTS 5
#define OUTBOX_CLAIM_TIMEOUT 600
#define OUTBOX_CLAIM_MAX 100

struct outbox_msg {
    long long id, user_id, attempts, created_at;
    char channel[8];
    char text[4 * INBOX_SMS_MAX_CHARS + 1];
    char phone[32]; /* the recipient's number in clear (outbox_claim only); "" when none */
    bool urgent;    /* its kind is urgent: quiet hours do not hold it */
};
/* Claims up to limit messages for gateway account `by` and gives each its recipient's phone in
 * clear, decrypted with k: the caller must have checked the gateway may see personal data. A
 * message whose recipient has no phone any more fails for good (its phone stays ""). *out
 * (sorted by id) is malloc'd: release it with outbox_msgs_free(), which wipes the phones.
 * Inside the caller's transaction. */
enum err outbox_claim(struct store *db, const struct keys *k, long long by, long long now,
                      long long limit, struct outbox_msg **out, size_t *n);
void outbox_msgs_free(struct outbox_msg *m, size_t n);
/* ERR_NOT_FOUND: no such message; ERR_CONFLICT: not claimed by `by` (or already settled).
 * status gets the new (or, on a conflict, the current) status. */
enum err outbox_result(struct store *db, long long id, long long by, bool sent, const char *error,
                       long long now, char status[16], long long *attempts);

/* ---- delivery preferences (per account) ---- */

/* Channels on or off (in-app messages are always on) and quiet hours: minutes of the day in
 * Asia/Shanghai, [quiet_from, quiet_to), wrapping midnight when from > to; -1 for none. */
struct notify_prefs {
    bool sms;
    int quiet_from, quiet_to;
};
/* The account's preferences (the defaults, sms on and no quiet hours, when it set none). */
enum err notify_prefs_get(struct store *db, long long user_id, struct notify_prefs *out);
/* Sets them; pending non-urgent messages held for the old quiet hours are judged again by the
 * new ones (ended quiet hours release them now). Inside the caller's transaction. */
enum err notify_prefs_set(struct store *db, long long user_id, const struct notify_prefs *p,
                          long long now);
/* Pure: 0 when now is outside the quiet hours, else when they end (unix seconds). */
long long notify_quiet_until(const struct notify_prefs *p, long long now);

/* ---- dead letters (both modes): messages that failed for good ---- */

/* The failed messages, newest first, after the cursor id; jw objects {id, user_id, channel,
 * text, attempts, last_error, created_at, updated_at}. */
enum err outbox_dead_list(struct store *db, long long after, long long limit, struct jw *w,
                          long long *n, long long *last);
/* Puts a failed message back to pending with its attempts reset. ERR_NOT_FOUND: no such message;
 * ERR_CONFLICT: it is not failed (status gets its status). */
enum err outbox_retry(struct store *db, long long id, long long now, char status[16]);

/* ---- push delivery to a webhook (notify_push.c, docs/outbox.md) ---- */

#define WEBHOOK_SIG_CHARS (3 + 64 + 1) /* "v1=" + hex HMAC-SHA256 + NUL */
struct webhook_opts {
    const char *url;             /* http://host[:port]/path */
    const unsigned char *secret; /* HMAC key, from configuration; never logged or stored */
    size_t secret_len;
    int max_attempts; /* then the message is a dead letter (failed) */
    int backoff_base; /* seconds before the first retry; doubles per attempt … */
    int backoff_max;  /* … up to this, with jitter */
    int timeout;      /* seconds per request */
    int batch;        /* messages per round */
    int interval;     /* seconds between rounds of the deliverer thread */
    const bool *stop; /* when set (read atomically), a round sends no more and gives the rest of
                         its claims back unsent (NULL: never) */
};
/* Pure: the delay before the next attempt after `attempts` failed ones: min(base·2^(n-1), max),
 * half of it fixed and half random from rnd ("equal jitter"), at least 1. */
long long outbox_backoff(long long attempts, long long base, long long cap, unsigned rnd);
/* Pure: the X-Ecoact-Signature header, "v1=" + hex HMAC-SHA256(secret, "<ts>." + body). */
void webhook_signature(const unsigned char *secret, size_t secret_len, long long ts,
                       const char *body, size_t len, char out[WEBHOOK_SIG_CHARS]);
/* One round: claims up to o->batch due messages (each claim audited as outbox.push, in its
 * transaction), POSTs each to the webhook with a blocking client (libevent's evhttp client on
 * an event base of its own) and records each result: sent, or pending again after the backoff,
 * or failed after max_attempts. *sent and *failed count them. For the deliverer thread and for
 * `ecoact outbox deliver`. */
enum err webhook_round(struct store *db, const struct keys *k, const struct webhook_opts *o,
                       long long now, int *sent, int *failed);
/* The deliverer: a thread of its own with its own database connection, running a round every
 * o->interval seconds (and at once after a round that found a full batch) until stopped, so
 * no request thread ever waits on the webhook. NULL when it cannot start (the log says why). */
struct webhook_deliverer;
struct webhook_deliverer *webhook_start(const char *db_url, const struct keys *k,
                                        const struct webhook_opts *o);
void webhook_stop(struct webhook_deliverer *d); /* NULL is a no-op; waits for the round */
/* ---- messages to a phone number (no official's account: a citizen's one-time code) ----
 * Table outbox_direct (0008_citizen.sql). The number is sealed (pii_seal); the text may hold
 * "{secret}", which is replaced by the secret (sealed too) only in the claim's answer; number and
 * secret are erased once the message is settled, fails for good or expires. The gateway claims
 * them like the other messages, at /api/v1/outbox/direct/…, with the same rule (unmask_pii). */
#define OUTBOX_SECRET "{secret}"
/* Queues one SMS to phone, to be sent before expires_at. Inside the caller's transaction. */
enum err outbox_direct_add(struct store *db, const struct keys *k, const char *phone,
                           const char *text, const char *secret, long long expires_at,
                           long long now);
/* As outbox_claim, for these messages (user_id 0, phone and text in clear); by 0 is the webhook
 * deliverer (notify_push.c). */
enum err outbox_direct_claim(struct store *db, const struct keys *k, long long by, long long now,
                             long long limit, struct outbox_msg **out, size_t *n);
/* As outbox_result. */
enum err outbox_direct_result(struct store *db, long long id, long long by, bool sent,
                              const char *error, long long now, char status[16],
                              long long *attempts);

#endif
