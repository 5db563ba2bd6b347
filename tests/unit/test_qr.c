/* test_qr.c - unit tests for the pure rules of QR codes (src/qr/qr_rules.c): purposes, the signed
 * payload's text form, the signature check (a changed byte anywhere is forged), expiry at the
 * second, what a desk admits, and a decoded PNG/SVG being well formed (qr_render.c). */
#include <criterion/criterion.h>
#include <sodium.h>
#include <string.h>

#include "qr/qr.h"

static unsigned char pk[32], sk[64], nonce[QR_NONCE_BYTES];

static void keys(void)
{
    cr_assert(sodium_init() >= 0);
    unsigned char seed[32] = {7};
    crypto_sign_seed_keypair(pk, sk, seed);
    memset(nonce, 0xab, sizeof nonce);
}

TestSuite(qr, .init = keys);

Test(qr, purposes)
{
    enum qr_purpose p;
    cr_assert(qr_purpose_parse("checkin", &p) && p == QR_CHECKIN);
    cr_assert(qr_purpose_parse("person", &p) && p == QR_PERSON);
    cr_assert(qr_purpose_parse("citizen", &p) && p == QR_CITIZEN);
    cr_assert_not(qr_single_use(QR_CITIZEN));
    cr_assert_not(qr_purpose_parse("Checkin", &p));
    cr_assert_not(qr_purpose_parse(NULL, &p));
    cr_assert(qr_single_use(QR_CHECKIN) && qr_single_use(QR_BOOKING) && qr_single_use(QR_VOUCHER));
    cr_assert_not(qr_single_use(QR_PERSON));
    cr_assert_str_eq(qr_purpose_label(QR_VOUCHER), "兑换券");
    cr_assert_str_eq(qr_purpose_name((enum qr_purpose)9), "?");
}

Test(qr, round_trip)
{
    char text[QR_TEXT_MAX];
    cr_assert_eq(qr_encode(sk, QR_BOOKING, 123456789012LL, 2000000000LL, nonce, text), OK);
    cr_assert_eq(strlen(text), 130);
    cr_assert(strncmp(text, "EQ1.", 4) == 0);
    struct qr_claim c;
    struct problem p = {0};
    cr_assert_eq(qr_decode(pk, text, 1900000000LL, &c, &p), OK, "%s", p.msg);
    cr_assert_eq(c.purpose, QR_BOOKING);
    cr_assert_eq(c.subject_id, 123456789012LL);
    cr_assert_eq(c.expires_at, 2000000000LL);
    cr_assert_str_eq(c.nonce, "abababababababababababab");
}

Test(qr, refuses_a_bad_purpose_or_subject_when_encoding)
{
    char text[QR_TEXT_MAX];
    cr_assert_eq(qr_encode(sk, (enum qr_purpose)0, 1, 2, nonce, text), ERR_RULE);
    cr_assert_eq(qr_encode(sk, QR_CHECKIN, 0, 2, nonce, text), ERR_RULE);
    cr_assert_eq(qr_encode(sk, QR_CHECKIN, 1, 0, nonce, text), ERR_RULE);
}

Test(qr, any_changed_byte_is_forged)
{
    char text[QR_TEXT_MAX];
    qr_encode(sk, QR_VOUCHER, 5, 2000000000LL, nonce, text);
    unsigned char raw[94];
    size_t len;
    cr_assert_eq(sodium_base642bin(raw, sizeof raw, text + 4, strlen(text) - 4, NULL, &len, NULL,
                                   sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                 0);
    for (size_t i = 1; i < len; i++) { /* byte 0 is the version: "not ours" rather than forged */
        unsigned char t[94];
        memcpy(t, raw, sizeof t);
        t[i] ^= 0x10;
        char forged[QR_TEXT_MAX] = "EQ1.";
        sodium_bin2base64(forged + 4, sizeof forged - 4, t, len,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        struct qr_claim c;
        struct problem p = {0};
        cr_assert_eq(qr_decode(pk, forged, 1, &c, &p), ERR_RULE, "byte %zu", i);
        cr_assert_str_eq(p.field, "signature", "byte %zu: %s", i, p.field);
    }
}

Test(qr, another_key_is_forged)
{
    unsigned char pk2[32], sk2[64];
    crypto_sign_keypair(pk2, sk2);
    char text[QR_TEXT_MAX];
    qr_encode(sk2, QR_CHECKIN, 5, 2000000000LL, nonce, text);
    struct qr_claim c;
    struct problem p = {0};
    cr_assert_eq(qr_decode(pk, text, 1, &c, &p), ERR_RULE);
    cr_assert_str_eq(p.field, "signature");
}

Test(qr, malformed_texts_are_not_ours)
{
    const char *bad[] = {"", "EQ1.", "EQ1.AAAA", "eq1.AQ", "EQ1.####", "https://example.org/"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct qr_claim c;
        struct problem p = {0};
        cr_assert_eq(qr_decode(pk, bad[i], 1, &c, &p), ERR_RULE, "%s", bad[i]);
        cr_assert_str_eq(p.field, "code", "%s", bad[i]);
    }
    struct qr_claim c;
    struct problem p = {0};
    cr_assert_eq(qr_decode(pk, NULL, 1, &c, &p), ERR_RULE);
    char longer[QR_TEXT_MAX + 10];
    memset(longer, 'A', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    memcpy(longer, "EQ1.", 4);
    cr_assert_eq(qr_decode(pk, longer, 1, &c, &p), ERR_RULE);
    cr_assert_str_eq(p.field, "code");
}

Test(qr, expires_after_its_last_second)
{
    char text[QR_TEXT_MAX];
    qr_encode(sk, QR_CHECKIN, 5, 1800000000LL, nonce, text);
    struct qr_claim c;
    struct problem p = {0};
    cr_assert_eq(qr_decode(pk, text, 1800000000LL, &c, &p), OK);
    cr_assert_eq(qr_decode(pk, text, 1800000001LL, &c, &p), ERR_RULE);
    cr_assert_str_eq(p.field, "expires_at");
    cr_assert(strstr(p.msg, "2027-01-15 16:00"), "%s", p.msg); /* 08:00 UTC + 8 h */
}

Test(qr, what_a_desk_admits)
{
    struct qr_claim c = {.purpose = QR_VOUCHER, .subject_id = 9};
    struct problem p = {0};
    cr_assert_eq(qr_match(&c, 0, 0, &p), OK);
    cr_assert_eq(qr_match(&c, QR_VOUCHER, 9, &p), OK);
    cr_assert_eq(qr_match(&c, QR_CHECKIN, 0, &p), ERR_RULE);
    cr_assert_str_eq(p.field, "purpose");
    cr_assert(strstr(p.msg, "兑换券") && strstr(p.msg, "活动签到"), "%s", p.msg);
    cr_assert_eq(qr_match(&c, QR_VOUCHER, 10, &p), ERR_RULE);
    cr_assert_str_eq(p.field, "subject_id");
}

Test(qr, renders_png_and_svg)
{
    char text[QR_TEXT_MAX];
    qr_encode(sk, QR_PERSON, 12, 2000000000LL, nonce, text);
    unsigned char *png;
    size_t len;
    cr_assert_eq(qr_png(text, 4, &png, &len), OK);
    cr_assert(len > 100 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
    cr_assert(memcmp(png + len - 8, "IEND", 4) == 0);
    free(png);
    cr_assert_eq(qr_png(text, 0, &png, &len), ERR_RULE);
    cr_assert_eq(qr_png("", 4, &png, &len), ERR_RULE);
    char *svg;
    cr_assert_eq(qr_svg(text, &svg, &len), OK);
    cr_assert(strstr(svg, "<svg ") && strstr(svg, "</svg>") && strlen(svg) == len);
    free(svg);
}
