/* notify.c - the services of the notify area (see notify.h): adding an inbox item once per
 * dedupe key with one SMS per targeted account that has a phone, closing items, a viewer's
 * items, and the gateway's claims (phones decrypted through the org area) and results. The SQL
 * is in store_notify.c; whom a target reaches comes from org's users_reachable(). Inside the
 * caller's transaction where it writes. */
#include "notify/notify.h"
#include "notify/notify_store.h"
#include "org/users.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the inbox ---- */

static enum err members(struct store *db, const struct inbox_target *t, struct user_brief **out,
                        size_t *n)
{
    return users_reachable(db, t->user_id, t->unit_id, t->roles, out, n);
}

bool inbox_reaches(struct store *db, const struct inbox_target *to)
{
    struct user_brief *m;
    size_t n;
    bool ok = members(db, to, &m, &n) == OK; /* m may be set even on an error */
    free(m);
    return ok && n > 0;
}

/* Queues one SMS unless the recipient turned SMS off; a non-urgent one waits for the end of the
 * recipient's quiet hours. */
static enum err queue_sms(struct store *db, long long inbox_id, long long user_id, const char *text,
                          bool urgent, long long now)
{
    struct notify_prefs p;
    enum err e = notify_store_prefs_get(db, user_id, &p);
    if (e != OK || !p.sms) return e;
    long long not_before = urgent ? 0 : notify_quiet_until(&p, now);
    return notify_store_sms_queue(db, inbox_id, user_id, text, urgent, not_before, now);
}

enum err inbox_add(struct store *db, const struct inbox_item *it, long long now, bool *added)
{
    if (added) *added = false;
    struct problem p = {0};
    if (!inbox_item_check(it, &p)) return p.err;
    long long id;
    enum err e = notify_store_item_insert(db, it, now, &id);
    if (e != OK || !id) return e; /* !id: a repeat */
    if (added) *added = true;
    struct user_brief *m;
    size_t n;
    e = members(db, &it->to, &m, &n); /* m may be set even on an error: freed below */
    char text[4 * INBOX_SMS_MAX_CHARS + 1];
    inbox_sms_text(it->kind, it->title, it->due, text, sizeof text);
    bool urgent = inbox_kind_urgent(it->kind);
    for (size_t i = 0; i < n && e == OK; i++)
        if (m[i].has_phone) e = queue_sms(db, id, m[i].id, text, urgent, now);
    free(m);
    return e;
}

enum err inbox_done_key(struct store *db, const char *key, long long by, long long now)
{
    return notify_store_done_key(db, key, by, now);
}

enum err inbox_done_prefix(struct store *db, const char *prefix, long long by, long long now)
{
    char *pat = store_like(prefix, false); /* _ and % in a key match only themselves */
    enum err e = notify_store_done_like(db, pat, by, now);
    free(pat);
    return e;
}

/* ---- a viewer's inbox ---- */

enum err inbox_list(struct store *db, const struct inbox_viewer *v, const enum inbox_class *cls,
                    long long after, long long limit, struct jw *w, long long *n, long long *last)
{
    return notify_store_list(db, v, cls ? inbox_class_code(*cls) : "", after, limit, w, n, last);
}

enum err inbox_counts(struct store *db, const struct inbox_viewer *v, const enum inbox_class *cls,
                      struct jw *w, long long *total)
{
    return notify_store_counts(db, v, cls ? inbox_class_code(*cls) : "", w, total);
}

enum err inbox_class_counts(struct store *db, const struct inbox_viewer *v,
                            long long n[INBOX_CLASSES])
{
    return notify_store_class_counts(db, v, n);
}

enum err inbox_mark_done(struct store *db, const struct inbox_viewer *v, long long id,
                         long long now, bool *was_done, enum inbox_class *cls)
{
    bool found;
    char code[16];
    enum err e = notify_store_item_seen(db, v, id, &found, was_done, code);
    if (e != OK) return e;
    if (!found) return ERR_NOT_FOUND;
    if (cls && !inbox_class_parse(code, cls)) *cls = INBOX_TODO;
    if (*was_done) return OK;
    return notify_store_item_done(db, id, v->user_id, now);
}

enum err inbox_read_all(struct store *db, const struct inbox_viewer *v, long long now, long long *n)
{
    return notify_store_done_class(db, v, inbox_class_code(INBOX_TOREAD), now, n);
}

/* ---- the outbox ---- */

static int by_id(const void *a, const void *b)
{
    long long x = ((const struct outbox_msg *)a)->id, y = ((const struct outbox_msg *)b)->id;
    return x < y ? -1 : x > y;
}

/* Copies the recipient's phone in clear into m->phone ("" when none), wiping the decrypted copy. */
static void recipient_phone(struct store *db, const struct keys *k, struct outbox_msg *m)
{
    m->phone[0] = '\0';
    json_t *pd = user_personal_json(db, k, m->user_id);
    if (!pd) return;
    json_t *ph = json_object_get(pd, "phone");
    if (json_is_string(ph) && json_string_length(ph) < sizeof m->phone)
        memcpy(m->phone, json_string_value(ph), json_string_length(ph) + 1);
    const char *key;
    json_t *x;
    json_object_foreach(pd, key, x)
    {
        if (json_is_string(x)) sodium_memzero((char *)json_string_value(x), json_string_length(x));
    }
    json_decref(pd);
}

enum err notify_ready_claimed(struct store *db, const struct keys *k, struct outbox_msg *m,
                              size_t *n, long long now)
{
    size_t keep = 0;
    enum err e = OK;
    for (size_t i = 0; i < *n && e == OK; i++) {
        struct notify_prefs p;
        long long until = 0;
        if (!m[i].urgent && (e = notify_store_prefs_get(db, m[i].user_id, &p)) == OK)
            until = notify_quiet_until(&p, now);
        if (e == OK && until) {
            e = notify_store_outbox_release(db, m[i].id, until, now);
            continue;
        }
        if (e != OK) break;
        recipient_phone(db, k, &m[i]);
        if (!m[i].phone[0]) e = notify_store_outbox_fail(db, m[i].id, "收件人没有手机号", now);
        m[keep++] = m[i];
    }
    for (size_t i = keep; i < *n; i++)
        sodium_memzero(&m[i], sizeof m[i]);
    *n = keep;
    return e;
}

enum err outbox_claim(struct store *db, const struct keys *k, long long by, long long now,
                      long long limit, struct outbox_msg **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    long long stale = now - OUTBOX_CLAIM_TIMEOUT;
    enum err e = notify_store_outbox_expire(db, stale, now);
    if (e == OK) e = notify_store_outbox_claim(db, by, now, stale, limit, out, n);
    if (*n > 1) qsort(*out, *n, sizeof **out, by_id);
    if (e == OK) e = notify_ready_claimed(db, k, *out, n, now);
    if (e != OK) {
        outbox_msgs_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return e;
}

void outbox_msgs_free(struct outbox_msg *m, size_t n)
{
    if (!m) return;
    sodium_memzero(m, n * sizeof *m);
    free(m);
}

enum err outbox_result(struct store *db, long long id, long long by, bool sent, const char *error,
                       long long now, char status[16], long long *attempts)
{
    return notify_store_outbox_settle(db, id, by, sent, error, now, status, attempts);
}

/* ---- preferences and dead letters ---- */

enum err notify_prefs_get(struct store *db, long long user_id, struct notify_prefs *out)
{
    return notify_store_prefs_get(db, user_id, out);
}

enum err notify_prefs_set(struct store *db, long long user_id, const struct notify_prefs *p,
                          long long now)
{
    enum err e = notify_store_prefs_put(db, user_id, p, now);
    if (e == OK) e = notify_store_requeue_quiet(db, user_id, notify_quiet_until(p, now), now);
    return e;
}

enum err outbox_dead_list(struct store *db, long long after, long long limit, struct jw *w,
                          long long *n, long long *last)
{
    return notify_store_dead_list(db, after, limit, w, n, last);
}

enum err outbox_retry(struct store *db, long long id, long long now, char status[16])
{
    return notify_store_retry(db, id, now, status);
}

/* ---- a citizen's in-app messages ---- */

enum err citizen_inbox_add(struct store *db, const struct citizen_msg *m, long long now,
                           bool *added)
{
    if (added) *added = false;
    struct problem p = {0};
    if (!citizen_msg_check(m, &p)) return p.err;
    long long id;
    enum err e = notify_store_cmsg_insert(db, m, now, &id);
    if (e == OK && added) *added = id != 0;
    return e;
}

enum err citizen_inbox_done_key(struct store *db, long long citizen_id, const char *key,
                                long long now)
{
    return notify_store_cmsg_done_key(db, citizen_id, key, now);
}

enum err citizen_inbox_done_prefix(struct store *db, long long citizen_id, const char *prefix,
                                   long long now)
{
    char *pat = store_like(prefix, false);
    enum err e = notify_store_cmsg_done_like(db, citizen_id, pat, now);
    free(pat);
    return e;
}

enum err citizen_inbox_list(struct store *db, long long citizen_id, long long after,
                            long long limit, struct jw *w, long long *n, long long *last)
{
    return notify_store_cmsg_list(db, citizen_id, after, limit, w, n, last);
}

enum err citizen_inbox_count(struct store *db, long long citizen_id, struct citizen_inbox_counts *c)
{
    return notify_store_cmsg_count(db, citizen_id, c);
}

enum err citizen_inbox_mark(struct store *db, long long citizen_id, long long id, bool done,
                            long long now, bool *was)
{
    bool found, w;
    enum err e = notify_store_cmsg_mark(db, citizen_id, id, done, now, &found, &w);
    if (was) *was = w;
    if (e == OK && !found) return ERR_NOT_FOUND;
    return e;
}

json_t *citizen_inbox_json(struct store *db, long long citizen_id)
{
    return notify_store_cmsg_json(db, citizen_id);
}

enum err citizen_inbox_delete_all(struct store *db, long long citizen_id)
{
    return notify_store_cmsg_delete_all(db, citizen_id);
}

enum err citizen_inbox_delete_prefix(struct store *db, long long citizen_id, const char *prefix)
{
    char *pat = store_like(prefix, false);
    enum err e = notify_store_cmsg_delete_like(db, citizen_id, pat);
    free(pat);
    return e;
}
