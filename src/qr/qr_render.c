/* qr_render.c - draws a code's text as a QR symbol through libqrencode (level M, byte mode) and
 * writes it as a PNG (8-bit greyscale, written here with zlib: one IHDR, one IDAT, IEND) or as an
 * SVG (one path of dark modules). Pure: no store, no HTTP; see qr.h. */
#include "qr/qr.h"
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define QUIET 4       /* modules of white border, as the standard asks */
#define SCALE_MAX 16  /* pixels a module */
#define INPUT_MAX 512 /* bytes of text a code may carry here */

static QRcode *encode(const char *text)
{
    if (!text || !*text || strlen(text) > INPUT_MAX) return NULL;
    return QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
}

static void be32(unsigned char *b, unsigned long v)
{
    b[0] = (unsigned char)(v >> 24), b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8), b[3] = (unsigned char)v;
}

/* Appends a chunk (length, type, data, CRC of type and data) at *at. */
static void chunk(unsigned char *out, size_t *at, const char type[4], const unsigned char *data,
                  size_t n)
{
    be32(out + *at, (unsigned long)n);
    memcpy(out + *at + 4, type, 4);
    if (n) memcpy(out + *at + 8, data, n);
    unsigned long crc = crc32(0L, out + *at + 4, (uInt)(n + 4));
    be32(out + *at + 8 + n, crc);
    *at += 12 + n;
}

enum err qr_png(const char *text, int scale, unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (scale < 1 || scale > SCALE_MAX) return ERR_RULE;
    QRcode *q = encode(text);
    if (!q) return ERR_RULE;
    size_t side = (size_t)(q->width + 2 * QUIET) * (size_t)scale, row = side + 1;
    unsigned char *raw = malloc(row * side);
    uLongf zlen = compressBound((uLong)(row * side));
    unsigned char *png = malloc(8 + 25 + 12 + zlen + 12);
    unsigned char *z = malloc(zlen);
    enum err e = ERR_INTERNAL;
    if (!raw || !png || !z) goto out;
    for (size_t y = 0; y < side; y++) {
        unsigned char *r = raw + y * row;
        r[0] = 0; /* filter: none */
        long my = (long)(y / (size_t)scale) - QUIET;
        for (size_t x = 0; x < side; x++) {
            long mx = (long)(x / (size_t)scale) - QUIET;
            bool dark = mx >= 0 && my >= 0 && mx < q->width && my < q->width &&
                        (q->data[my * q->width + mx] & 1);
            r[1 + x] = dark ? 0 : 255;
        }
    }
    if (compress2(z, &zlen, raw, (uLong)(row * side), 9) != Z_OK) goto out;
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char ihdr[13];
    be32(ihdr, (unsigned long)side);
    be32(ihdr + 4, (unsigned long)side);
    ihdr[8] = 8, ihdr[9] = 0, ihdr[10] = 0, ihdr[11] = 0, ihdr[12] = 0; /* 8-bit grey */
    size_t at = 8;
    memcpy(png, sig, 8);
    chunk(png, &at, "IHDR", ihdr, sizeof ihdr);
    chunk(png, &at, "IDAT", z, zlen);
    chunk(png, &at, "IEND", NULL, 0);
    *out = png;
    *len = at;
    png = NULL;
    e = OK;
out:
    free(raw);
    free(z);
    free(png);
    QRcode_free(q);
    return e;
}

enum err qr_svg(const char *text, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    QRcode *q = encode(text);
    if (!q) return ERR_RULE;
    int side = q->width + 2 * QUIET;
    size_t cap = 400 + (size_t)q->width * (size_t)q->width * 24;
    char *s = malloc(cap);
    if (!s) {
        QRcode_free(q);
        return ERR_INTERNAL;
    }
    size_t n =
        (size_t)snprintf(s, cap,
                         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                         "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\">"
                         "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                         side, side, side * 8, side * 8, side, side);
    for (int y = 0; y < q->width; y++)
        for (int x = 0; x < q->width; x++)
            if (q->data[y * q->width + x] & 1)
                n += (size_t)snprintf(s + n, cap - n, "M%d %dh1v1h-1z", x + QUIET, y + QUIET);
    n += (size_t)snprintf(s + n, cap - n, "\"/></svg>\n");
    QRcode_free(q);
    *out = s;
    *len = n;
    return OK;
}
