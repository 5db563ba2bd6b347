/* qr_rules.c - the pure rules of QR codes (see qr.h): purposes and their labels, the payload
 * and its text form, the Ed25519 signature check, expiry and what a desk admits. No store, no
 * HTTP; tested in tests/unit/test_qr.c.
 *
 * Payload (94 bytes, big-endian): version 1 | purpose 1 | subject 8 | expires_at 8 | nonce 12 |
 * signature 64, the signature over QR_CONTEXT followed by the first 30 bytes. Text form:
 * "EQ1." + base64url without padding, which fits a version-7 code at level M. */
#include "qr/qr.h"
#include "base/date.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define QR_VERSION 1
#define QR_PREFIX "EQ1."
#define QR_CONTEXT "ecoact-qr-v1"
#define QR_BODY 30 /* version + purpose + subject + expiry + nonce */
#define QR_RAW (QR_BODY + crypto_sign_BYTES)

static const struct {
    const char *name, *label;
    bool single_use;
} purposes[QR_PURPOSE_MAX + 1] = {
    [QR_CHECKIN] = {"checkin", "活动签到", true}, [QR_BOOKING] = {"booking", "预约入场", true},
    [QR_VOUCHER] = {"voucher", "兑换券", true},   [QR_PERSON] = {"person", "个人码", false},
    [QR_CITIZEN] = {"citizen", "市民码", false},
};

static bool known(enum qr_purpose p)
{
    return p >= QR_CHECKIN && p <= QR_PURPOSE_MAX;
}

const char *qr_purpose_name(enum qr_purpose p)
{
    return known(p) ? purposes[p].name : "?";
}

const char *qr_purpose_label(enum qr_purpose p)
{
    return known(p) ? purposes[p].label : "未知用途";
}

bool qr_purpose_parse(const char *s, enum qr_purpose *out)
{
    for (int i = QR_CHECKIN; s && i <= QR_PURPOSE_MAX; i++)
        if (strcmp(s, purposes[i].name) == 0) {
            *out = (enum qr_purpose)i;
            return true;
        }
    return false;
}

bool qr_single_use(enum qr_purpose p)
{
    return known(p) && purposes[p].single_use;
}

void qr_local_time(long long t, char out[32])
{
    int days = date_today_shanghai(t);
    long long sec = ((t + 8 * 3600) % 86400 + 86400) % 86400;
    char d[11];
    date_format(days, d);
    snprintf(out, 32, "%s %02lld:%02lld", d, sec / 3600, sec / 60 % 60);
}

static void put64(unsigned char *b, long long v)
{
    for (int i = 7; i >= 0; i--, v = (long long)((unsigned long long)v >> 8))
        b[i] = (unsigned char)(v & 0xff);
}

static long long get64(const unsigned char *b)
{
    unsigned long long v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | b[i];
    return (long long)v;
}

/* The signed message: the context string, then the body. */
static void signed_msg(const unsigned char *body, unsigned char *msg)
{
    memcpy(msg, QR_CONTEXT, sizeof QR_CONTEXT - 1);
    memcpy(msg + sizeof QR_CONTEXT - 1, body, QR_BODY);
}

enum err qr_encode(const unsigned char sk[64], enum qr_purpose purpose, long long subject_id,
                   long long expires_at, const unsigned char *nonce, char text[QR_TEXT_MAX])
{
    if (!known(purpose) || subject_id <= 0 || expires_at <= 0) return ERR_RULE;
    unsigned char raw[QR_RAW], msg[sizeof QR_CONTEXT - 1 + QR_BODY];
    raw[0] = QR_VERSION;
    raw[1] = (unsigned char)purpose;
    put64(raw + 2, subject_id);
    put64(raw + 10, expires_at);
    memcpy(raw + 18, nonce, QR_NONCE_BYTES);
    signed_msg(raw, msg);
    crypto_sign_detached(raw + QR_BODY, NULL, msg, sizeof msg, sk);
    memcpy(text, QR_PREFIX, sizeof QR_PREFIX);
    sodium_bin2base64(text + sizeof QR_PREFIX - 1, QR_TEXT_MAX - (sizeof QR_PREFIX - 1), raw,
                      sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return OK;
}

enum err qr_decode(const unsigned char pk[32], const char *text, long long now,
                   struct qr_claim *out, struct problem *p)
{
    memset(out, 0, sizeof *out);
    unsigned char raw[QR_RAW + 1], msg[sizeof QR_CONTEXT - 1 + QR_BODY];
    size_t len = 0, tl = text ? strnlen(text, QR_TEXT_MAX) : 0;
    const char *b64 = text + sizeof QR_PREFIX - 1;
    if (!text || tl >= QR_TEXT_MAX || strncmp(text, QR_PREFIX, sizeof QR_PREFIX - 1) != 0 ||
        sodium_base642bin(raw, sizeof raw, b64, tl - (sizeof QR_PREFIX - 1), NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len != QR_RAW || raw[0] != QR_VERSION)
        return problem_set(p, ERR_RULE, "code", "不是本平台签发的二维码，无法识别");
    signed_msg(raw, msg);
    if (crypto_sign_verify_detached(raw + QR_BODY, msg, sizeof msg, pk) != 0)
        return problem_set(p, ERR_RULE, "signature", "二维码签名无效：该码是伪造的或已被篡改");
    out->purpose = (enum qr_purpose)raw[1];
    out->subject_id = get64(raw + 2);
    out->expires_at = get64(raw + 10);
    sodium_bin2hex(out->nonce, sizeof out->nonce, raw + 18, QR_NONCE_BYTES);
    if (!known(out->purpose) || out->subject_id <= 0)
        return problem_set(p, ERR_RULE, "code", "二维码内容无法识别");
    if (now > out->expires_at) {
        char when[32];
        qr_local_time(out->expires_at, when);
        return problem_set(p, ERR_RULE, "expires_at", "二维码已于 %s 过期，请重新获取", when);
    }
    return OK;
}

enum err qr_match(const struct qr_claim *c, enum qr_purpose want, long long want_subject,
                  struct problem *p)
{
    if (want && c->purpose != want)
        return problem_set(p, ERR_RULE, "purpose", "这是%s的二维码，不能用于%s",
                           qr_purpose_label(c->purpose), qr_purpose_label(want));
    if (want_subject && c->subject_id != want_subject)
        return problem_set(p, ERR_RULE, "subject_id",
                           "该二维码属于另一%s（编号 %lld），不是本次的（编号 %lld）",
                           c->purpose == QR_PERSON ? "人" : "事项", c->subject_id, want_subject);
    return OK;
}
