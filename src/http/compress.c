/* compress.c - gzip and ETags for answers; see compress.h. */
#include "http/compress.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* Skips optional whitespace. */
static const char *skip_ows(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Whether the parameters after a coding (";q=0", ";q=0.000") say q is zero. */
static bool q_is_zero(const char *p, const char *end)
{
    const char *q = p;
    while (q < end && (q = memchr(q, ';', (size_t)(end - q)))) {
        q = skip_ows(q + 1);
        if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
            q += 2;
            if (*q != '0') return false;
            for (q++; q < end && (*q == '.' || *q == '0'); q++)
                ;
            return q >= end || *q == ';' || *q == ' ' || *q == '\t';
        }
    }
    return false;
}

bool accepts_gzip(const char *ae)
{
    if (!ae) return false;
    for (const char *s = ae; *s;) {
        s = skip_ows(s);
        const char *end = strchr(s, ',');
        if (!end) end = s + strlen(s);
        size_t n = strcspn(s, " \t;,");
        if (n > (size_t)(end - s)) n = (size_t)(end - s);
        bool named = (n == 4 && strncasecmp(s, "gzip", 4) == 0) ||
                     (n == 6 && strncasecmp(s, "x-gzip", 6) == 0) || (n == 1 && s[0] == '*');
        if (named && !q_is_zero(s + n, end)) return true;
        s = *end ? end + 1 : end;
    }
    return false;
}

bool compressible_type(const char *t)
{
    if (!t) return false;
    static const char *const kinds[] = {
        "text/",         "application/json",          "application/javascript",
        "image/svg+xml", "application/manifest+json", NULL};
    for (const char *const *k = kinds; *k; k++)
        if (strncmp(t, *k, strlen(*k)) == 0) return true;
    return false;
}

bool gzip_bytes(const void *data, size_t len, int level, unsigned char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    z_stream z = {0};
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
    size_t cap = deflateBound(&z, (uLong)len);
    unsigned char *buf = malloc(cap);
    if (!buf) {
        deflateEnd(&z);
        return false;
    }
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH); /* deflateBound guarantees one call suffices */
    size_t n = cap - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        return false;
    }
    *out = buf;
    *outlen = n;
    return true;
}

void etag_of(const void *data, size_t len, char out[ETAG_CHARS])
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    out[0] = '"';
    sodium_bin2hex(out + 1, 33, h, sizeof h);
    out[33] = '"';
    out[34] = '\0';
}

bool etag_matches(const char *inm, const char *etag)
{
    if (!inm) return false;
    size_t el = strlen(etag);
    for (const char *s = inm; *s;) {
        s = skip_ows(s);
        if (s[0] == '*') return true;
        if (s[0] == 'W' && s[1] == '/') s += 2;
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (n == el && memcmp(s, etag, el) == 0) return true;
        s = end ? end + 1 : s + strlen(s);
    }
    return false;
}
