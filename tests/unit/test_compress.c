/* test_compress.c - unit tests for gzip on the wire (src/http/compress.c): reading
 * Accept-Encoding and If-None-Match as RFC 9110 writes them, and a gzip that zlib reads back. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "http/compress.h"

Test(compress, accept_encoding)
{
    cr_assert(accepts_gzip("gzip"));
    cr_assert(accepts_gzip("gzip, deflate, br"));
    cr_assert(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
    cr_assert(accepts_gzip("x-gzip"));
    cr_assert(accepts_gzip("*"));
    cr_assert(accepts_gzip("identity, gzip ; q=0.001"));
    cr_assert_not(accepts_gzip(NULL));
    cr_assert_not(accepts_gzip(""));
    cr_assert_not(accepts_gzip("identity"));
    cr_assert_not(accepts_gzip("deflate, br"));
    cr_assert_not(accepts_gzip("gzip;q=0"));
    cr_assert_not(accepts_gzip("gzip;q=0.000, identity"));
    cr_assert_not(accepts_gzip("gzipped"));
    cr_assert_not(accepts_gzip("*;q=0"));
}

Test(compress, types_worth_it)
{
    cr_assert(compressible_type("application/json; charset=utf-8"));
    cr_assert(compressible_type("text/html; charset=utf-8"));
    cr_assert(compressible_type("text/csv; charset=utf-8"));
    cr_assert(compressible_type("image/svg+xml"));
    cr_assert_not(compressible_type("image/png"));
    cr_assert_not(compressible_type("application/pdf"));
    cr_assert_not(
        compressible_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    cr_assert_not(compressible_type(NULL));
}

Test(compress, gzip_round_trip)
{
    char text[5000];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = "生态文明"[i % 12];
    unsigned char *gz;
    size_t n;
    cr_assert(gzip_bytes(text, sizeof text, GZIP_LEVEL, &gz, &n));
    cr_assert(n < sizeof text / 10);
    cr_assert_eq(gz[0], 0x1f); /* the gzip magic */
    cr_assert_eq(gz[1], 0x8b);
    char back[6000];
    z_stream z = {0};
    cr_assert_eq(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = gz;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)back;
    z.avail_out = sizeof back;
    cr_assert_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
    cr_assert_eq(z.total_out, sizeof text);
    cr_assert(memcmp(back, text, sizeof text) == 0);
    inflateEnd(&z);
    free(gz);
}

Test(compress, etags)
{
    char a[ETAG_CHARS], b[ETAG_CHARS], c[ETAG_CHARS];
    etag_of("matrix", 6, a);
    etag_of("matrix", 6, b);
    etag_of("matriz", 6, c);
    cr_assert_str_eq(a, b);
    cr_assert_str_neq(a, c);
    cr_assert_eq(strlen(a), 34);
    cr_assert(etag_matches(a, a));
    char list[200], weak[40];
    snprintf(list, sizeof list, "\"x\", %s , \"y\"", a);
    snprintf(weak, sizeof weak, "W/%s", a);
    cr_assert(etag_matches(list, a));
    cr_assert(etag_matches(weak, a));
    cr_assert(etag_matches("*", a));
    cr_assert_not(etag_matches(c, a));
    cr_assert_not(etag_matches(NULL, a));
    cr_assert_not(etag_matches("", a));
}
