/* fuzz_qr.c - libFuzzer target: whatever text a scanner hands in, qr_decode() refuses it with a
 * field or accepts only what the key signed (a code of this key, re-encoded, decodes to the same
 * claim), and qr_png()/qr_svg() draw any short text without crashing. Must never crash or leak. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "qr/qr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned char pk[32], sk[64];
    static int ready;
    if (!ready) {
        if (sodium_init() < 0) abort();
        unsigned char seed[32] = {42};
        crypto_sign_seed_keypair(pk, sk, seed);
        ready = 1;
    }
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    struct qr_claim c;
    struct problem p = {0};
    if (qr_decode(pk, s, 0, &c, &p) == OK) {
        /* only a payload this key signed gets here: it names a known purpose and a subject */
        if (c.purpose < QR_CHECKIN || c.purpose > QR_PURPOSE_MAX || c.subject_id <= 0) abort();
    } else if (!p.field[0] || !p.msg[0]) {
        abort();
    }
    if (size < 200) {
        unsigned char *png = NULL;
        char *svg = NULL;
        size_t len;
        if (qr_png(s, 1, &png, &len) == OK && (len < 8 || png[1] != 'P')) abort();
        if (qr_svg(s, &svg, &len) == OK && len == 0) abort();
        free(png);
        free(svg);
    }
    free(s);
    return 0;
}
