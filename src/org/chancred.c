/* chancred.c - channel credentials (chancred.h): making, revoking and checking a partner
 * system's signed requests. The SQL is in store_chancred.c. */
#include "org/chancred_store.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SECRET_FIELD "channel_secret"

enum err chancred_create(struct store *db, const struct keys *k, const char *scope,
                         const char *name, long long by, long long now, struct chancred_secret *out,
                         long long *id)
{
    char h[CRYPTO_HASH_HEX];
    token_new(out->token);
    token_hash(out->token, h);
    crypto_random_hex(out->secret, 32);
    unsigned char *sealed = NULL;
    size_t n = 0;
    enum err e = pii_seal(k, SECRET_FIELD, out->secret, &sealed, &n);
    if (e == OK) e = chancred_store_insert(db, scope, name, h, sealed, n, by, now, id);
    free(sealed);
    return e;
}

enum err chancred_revoke(struct store *db, long long id, long long now)
{
    return chancred_store_revoke(db, id, now);
}

static const char *bearer(const char *auth)
{
    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0) return NULL;
    const char *t = auth + 7;
    return strlen(t) <= 128 ? t : NULL;
}

bool chancred_token_known(struct store *db, const char *token)
{
    if (!token || strlen(token) > 128) return false;
    char h[CRYPTO_HASH_HEX], scope[32];
    token_hash(token, h);
    long long id = 0;
    unsigned char *secret = NULL;
    size_t n = 0;
    bool active = false;
    enum err e = chancred_store_find(db, h, &id, scope, sizeof scope, &secret, &n, &active);
    free(secret);
    return e == OK && id && active;
}

void chancred_sign(const char *secret, const char *ts, const void *body, size_t len, char out[68])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, body, len);
    crypto_auth_hmacsha256_final(&st, mac);
    memcpy(out, "v1=", 3);
    sodium_bin2hex(out + 3, 65, mac, sizeof mac);
}

static bool parse_ts(const char *s, long long *out)
{
    if (!s || !*s || strlen(s) > 12) return false;
    long long v = 0;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9') return false;
        v = v * 10 + (*c - '0');
    }
    *out = v;
    return true;
}

enum err chancred_check(struct store *db, const struct keys *k, const char *scope,
                        const struct chancred_request *rq, long long now, long long *cred_id,
                        struct problem *p)
{
    *cred_id = 0;
    const char *tok = bearer(rq->authorization);
    if (!tok)
        return problem_set(p, ERR_UNAUTHORIZED, "Authorization",
                           "缺少渠道凭证：请以 Authorization: Bearer 发送渠道令牌");
    char h[CRYPTO_HASH_HEX], have[32];
    token_hash(tok, h);
    long long id = 0;
    unsigned char *sealed = NULL;
    size_t n = 0;
    bool active = false;
    enum err e = chancred_store_find(db, h, &id, have, sizeof have, &sealed, &n, &active);
    if (e != OK) {
        free(sealed);
        return e;
    }
    if (!id || !active || strcmp(have, scope) != 0) {
        free(sealed);
        return problem_set(p, ERR_UNAUTHORIZED, "Authorization",
                           "渠道令牌无效、已吊销或权限范围不符（需要 %s）", scope);
    }
    long long ts;
    if (!parse_ts(rq->timestamp, &ts) || ts < now - CHANCRED_SKEW || ts > now + CHANCRED_SKEW) {
        free(sealed);
        return problem_set(p, ERR_UNAUTHORIZED, "X-Ecoact-Timestamp",
                           "请求时间戳缺失或与服务器时间相差超过 %d 分钟", CHANCRED_SKEW / 60);
    }
    char *secret = NULL;
    e = pii_open(k, SECRET_FIELD, sealed, n, &secret);
    free(sealed);
    if (e != OK) return e;
    char want[68];
    chancred_sign(secret, rq->timestamp, rq->body, rq->len, want);
    sodium_memzero(secret, strlen(secret));
    free(secret);
    if (!rq->signature || strlen(rq->signature) != strlen(want) || !crypto_eq(rq->signature, want))
        return problem_set(p, ERR_UNAUTHORIZED, "X-Ecoact-Signature",
                           "请求签名缺失或不正确（HMAC-SHA256，签名内容为“时间戳.请求体”）");
    bool fresh = false;
    e = chancred_store_replay(db, id, want, ts, now - 2 * CHANCRED_SKEW, &fresh);
    if (e != OK) return e;
    if (!fresh)
        return problem_set(p, ERR_CONFLICT, "X-Ecoact-Signature",
                           "重复的请求（同一签名已使用过），已拒绝");
    *cred_id = id;
    return OK;
}
