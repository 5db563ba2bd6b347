/* notify_direct.c - the services of SMS messages to a phone number (see notify.h): the number
 * and the secret sealed when queued, opened only for the gateway's claim, where the secret takes
 * the place of OUTBOX_SECRET in the text. The SQL is in store_notify_direct.c. */
#include "notify/notify.h"
#include "notify/notify_store.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum err outbox_direct_add(struct store *db, const struct keys *k, const char *phone,
                           const char *text, const char *secret, long long expires_at,
                           long long now)
{
    unsigned char *ph = NULL, *sc = NULL;
    size_t phn = 0, scn = 0;
    enum err e = pii_seal(k, "outbox.phone", phone, &ph, &phn);
    if (e == OK && secret) e = pii_seal(k, "outbox.secret", secret, &sc, &scn);
    if (e == OK) e = notify_store_direct_insert(db, ph, phn, text, sc, scn, expires_at, now);
    free(ph);
    free(sc);
    return e;
}

/* The text with its secret in place (cut to the message's size). */
static void fill_text(struct outbox_msg *m, const char *secret)
{
    char *at = secret ? strstr(m->text, OUTBOX_SECRET) : NULL;
    if (!at) return;
    char out[sizeof m->text];
    snprintf(out, sizeof out, "%.*s%s%s", (int)(at - m->text), m->text, secret,
             at + strlen(OUTBOX_SECRET));
    memcpy(m->text, out, sizeof out);
    sodium_memzero(out, sizeof out);
}

static void open_one(const struct keys *k, struct outbox_msg *m, struct direct_seals *s)
{
    char *phone = NULL, *secret = NULL;
    if (s->phone && pii_open(k, "outbox.phone", s->phone, s->phone_n, &phone) == OK &&
        strlen(phone) < sizeof m->phone)
        memcpy(m->phone, phone, strlen(phone) + 1);
    if (s->secret && pii_open(k, "outbox.secret", s->secret, s->secret_n, &secret) == OK)
        fill_text(m, secret);
    if (phone) sodium_memzero(phone, strlen(phone));
    if (secret) sodium_memzero(secret, strlen(secret));
    free(phone);
    free(secret);
    free(s->phone);
    free(s->secret);
}

enum err outbox_direct_claim(struct store *db, const struct keys *k, long long by, long long now,
                             long long limit, struct outbox_msg **out, size_t *n)
{
    struct direct_seals *seals = NULL;
    enum err e =
        notify_store_direct_claim(db, by, now, now - OUTBOX_CLAIM_TIMEOUT, limit, out, &seals, n);
    for (size_t i = 0; i < *n; i++)
        open_one(k, &(*out)[i], &seals[i]);
    free(seals);
    if (e != OK) {
        outbox_msgs_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return e;
}

enum err outbox_direct_result(struct store *db, long long id, long long by, bool sent,
                              const char *error, long long now, char status[16],
                              long long *attempts)
{
    return notify_store_direct_settle(db, id, by, sent, error, now, status, attempts);
}
