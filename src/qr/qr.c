/* qr.c - the services of the qr area (see qr.h): issuing a signed code, and checking or redeeming
 * a scanned one (signature and expiry by qr_rules.c, single use through store_qr.c). */
#include "qr/qr.h"
#include "qr/qr_store.h"
#include <sodium.h>
#include <stdio.h>

enum err qr_issue(const struct keys *k, enum qr_purpose purpose, long long subject_id,
                  long long ttl, long long now, char text[QR_TEXT_MAX])
{
    text[0] = '\0';
    if (ttl < 1 || ttl > QR_TTL_MAX || now <= 0) return ERR_RULE;
    unsigned char nonce[QR_NONCE_BYTES];
    randombytes_buf(nonce, sizeof nonce);
    return qr_encode(k->qr_sk, purpose, subject_id, now + ttl, nonce, text);
}

static enum err replayed(struct problem *p, long long used_at)
{
    char w[32];
    qr_local_time(used_at, w);
    return problem_set(p, ERR_CONFLICT, "nonce", "该二维码已于 %s 使用过，不能重复使用", w);
}

static enum err verify(const struct keys *k, const char *text, enum qr_purpose want,
                       long long want_subject, long long now, struct qr_claim *out,
                       struct problem *p)
{
    enum err e = qr_decode(k->qr_pk, text, now, out, p);
    return e != OK ? e : qr_match(out, want, want_subject, p);
}

enum err qr_check(struct store *db, const struct keys *k, const char *text, enum qr_purpose want,
                  long long want_subject, long long now, struct qr_claim *out, struct problem *p)
{
    enum err e = verify(k, text, want, want_subject, now, out, p);
    if (e != OK || !qr_single_use(out->purpose)) return e;
    long long used_at;
    e = qr_store_used(db, out->nonce, &used_at);
    if (e != OK) return e;
    return used_at ? replayed(p, used_at) : OK;
}

enum err qr_redeem(struct store *db, const struct keys *k, const char *text, enum qr_purpose want,
                   long long want_subject, long long by, long long now, struct qr_claim *out,
                   struct problem *p)
{
    enum err e = verify(k, text, want, want_subject, now, out, p);
    if (e != OK || !qr_single_use(out->purpose)) return e;
    bool first;
    long long used_at;
    e = qr_store_redeem(db, out, by, now, &first, &used_at);
    if (e != OK) return e;
    return first ? OK : replayed(p, used_at);
}
