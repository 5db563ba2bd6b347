/* qr.h - signed QR codes: what a code admits (an activity check-in, a booking, a voucher, a
 * person's own code), for whom (a subject id of the area that issued it) and until when, signed
 * with the server's Ed25519 key (base/crypto.h: derived from the data key, like the other keys),
 * so a scanner needs no database to tell a forged or expired code, and the database only for
 * single use (check-in, booking and voucher codes are redeemed once, recorded atomically: of two
 * concurrent scans of one code exactly one succeeds).
 *
 * The areas that hand out codes (volunteers, facilities, green points) call qr_issue() and render
 * the text with qr_png()/qr_svg(); the desk that admits people calls qr_redeem() (the scan route
 * does) inside its write transaction. Example (a volunteer activity's check-in code):
 *   char text[QR_TEXT_MAX];
 *   enum err e = qr_issue(&app->keys, QR_CHECKIN, activity_id, 2 * 3600, now, text);
 *   … at the desk, in the request's transaction:
 *   struct qr_claim c;
 *   struct problem p = {0};
 *   e = qr_redeem(db, &app->keys, scanned_text, QR_CHECKIN, activity_id, staff_user, now, &c, &p);
 *   if (e != OK) return req_fail_problem(r, &p); // forged, expired, replayed, wrong purpose …
 *   … c.subject_id is the activity; c.nonce names this one code.
 *
 * A person's own code is QR_PERSON for an official's account and QR_CITIZEN for a public one (the
 * two id spaces differ, so the purpose says which).
 *
 * Rooms: qr.c (the services), qr_rules.c (pure: the payload, its encoding, signature check and
 * the refusal reasons; tests/unit/test_qr.c), qr_render.c (PNG and SVG through libqrencode),
 * store_qr.c behind qr_store.h (table qr_redemptions, migration 0009), api_qr.c (routes). */
#ifndef ECOACT_QR_H
#define ECOACT_QR_H
#include <stdbool.h>
#include <stddef.h>
#include "base/crypto.h"
#include "base/err.h"
#include "store/store.h"

/* What a code admits. The numbers are in the signed payload: never renumber. */
enum qr_purpose {
    QR_CHECKIN = 1, /* an activity check-in: single use */
    QR_BOOKING = 2, /* a booking (a facility's open day): single use */
    QR_VOUCHER = 3, /* a voucher (green points): single use */
    QR_PERSON = 4,  /* an official's own code (subject: the account id): reusable, short-lived */
    QR_CITIZEN = 5, /* a citizen's own code (subject: the public account id, src/citizen): as 4 */
};
#define QR_PURPOSE_MAX 5

/* The text form: "EQ1." + base64url of the signed 94-byte payload: 130 characters. */
#define QR_TEXT_MAX 160
/* The format in one line, as the public-key route tells it to offline verifiers. */
#define QR_FORMAT_DOC                                                                              \
    "EQ1. + base64url(version 1 | purpose 1 | subject 8 | expires_at 8 | nonce 12 | signature "    \
    "64),"                                                                                         \
    " big-endian; the signature over \"ecoact-qr-v1\" + the first 30 bytes"
#define QR_NONCE_BYTES 12
#define QR_NONCE_HEX (2 * QR_NONCE_BYTES + 1)
#define QR_TTL_MAX (366LL * 86400) /* a code lives at most a year */
#define QR_PERSON_TTL 300          /* a person's own code: 5 minutes, so a screenshot expires */

/* A verified code. */
struct qr_claim {
    enum qr_purpose purpose;
    long long subject_id;
    long long expires_at;
    char nonce[QR_NONCE_HEX]; /* hex: names this one code */
};

/* ---- the services (qr.c) ---- */

/* Issues a code for purpose and subject (> 0), valid for ttl seconds (1..QR_TTL_MAX) from now;
 * text gets its text form. ERR_RULE for a bad purpose, subject or ttl (a bug of the caller).
 * Writes nothing: a code is its own record until it is redeemed. */
enum err qr_issue(const struct keys *k, enum qr_purpose purpose, long long subject_id,
                  long long ttl, long long now, char text[QR_TEXT_MAX]);
/* Verifies a scanned code and, when its purpose is single use, records its use once, inside the
 * caller's write transaction. want: the purpose the desk admits (0: any); want_subject: the
 * subject it admits (0: any). On a refusal p says why, each reason with its own field:
 *   "code" 422 not a code of ours · "signature" 422 forged or altered · "expires_at" 422 expired
 *   · "purpose" 422 another purpose · "subject_id" 422 another subject · "nonce" 409 used before.
 * by: the scanning account. An empty p with an error is a storage error. */
enum err qr_redeem(struct store *db, const struct keys *k, const char *text, enum qr_purpose want,
                   long long want_subject, long long by, long long now, struct qr_claim *out,
                   struct problem *p);
/* Like qr_redeem without recording a use (a read: "is this code good?"); a single-use code
 * used before is refused with "nonce". */
enum err qr_check(struct store *db, const struct keys *k, const char *text, enum qr_purpose want,
                  long long want_subject, long long now, struct qr_claim *out, struct problem *p);

/* ---- the rules (qr_rules.c, pure) ---- */

const char *qr_purpose_name(enum qr_purpose p);  /* "checkin", "booking", "voucher", "person" */
const char *qr_purpose_label(enum qr_purpose p); /* Chinese: "活动签到" … */
bool qr_purpose_parse(const char *s, enum qr_purpose *out);
bool qr_single_use(enum qr_purpose p);
/* Builds and signs a payload with the given nonce (QR_NONCE_BYTES) into text. */
enum err qr_encode(const unsigned char sk[64], enum qr_purpose purpose, long long subject_id,
                   long long expires_at, const unsigned char *nonce, char text[QR_TEXT_MAX]);
/* Decodes text and checks its signature against pk and its expiry against now (a code is good
 * through its expires_at second); p names the fault as qr_redeem does. */
enum err qr_decode(const unsigned char pk[32], const char *text, long long now,
                   struct qr_claim *out, struct problem *p);
/* "YYYY-MM-DD HH:MM" in Asia/Shanghai, for messages. */
void qr_local_time(long long t, char out[32]);
/* Whether a verified claim is what the desk admits (want 0 / want_subject 0: any). */
enum err qr_match(const struct qr_claim *c, enum qr_purpose want, long long want_subject,
                  struct problem *p);

/* ---- rendering (qr_render.c, libqrencode) ---- */

/* The code of text as a PNG (8-bit greyscale, scale pixels a module, a 4-module quiet zone) or an
 * SVG document; *out is malloc'd (caller frees). ERR_RULE when text does not fit a code. */
enum err qr_png(const char *text, int scale, unsigned char **out, size_t *len);
enum err qr_svg(const char *text, char **out, size_t *len);

#endif
