/* compress.h - gzip on the wire (issue 19: a county's network): whether a client takes gzip,
 * deflating an answer in one call, and the strong ETag of an answer's bytes. The console's
 * assets are compressed once at build time (scripts/build-web writes name.gz beside each file);
 * JSON and text answers are compressed as they are sent (server.c). */
#ifndef ECOACT_COMPRESS_H
#define ECOACT_COMPRESS_H
#include <stdbool.h>
#include <stddef.h>

/* Answers shorter than this go as they are: the gzip frame would cost more than it saves. */
#define GZIP_MIN_BYTES 1024
/* zlib level for answers made per request. The demo's whole matrix (1.86 MB of JSON) becomes
 * 70 KB at level 1 in 3.6 ms, 50 KB at 6 in 7.8 ms, 47 KB at 9 in 13 ms (zlib, this machine,
 * 2026-12-02): 6, zlib's default, is most of the gain for little time. */
#define GZIP_LEVEL 6

/* Whether an Accept-Encoding header value (NULL: none) accepts gzip: a "gzip", "x-gzip" or "*"
 * coding whose q is not 0. */
bool accepts_gzip(const char *accept_encoding);
/* Whether a Content-Type is worth compressing (text, JSON, SVG; not images, xlsx or PDF). */
bool compressible_type(const char *content_type);
/* The gzip (RFC 1952) of data: *out malloc'd (caller frees). false when out of memory. */
bool gzip_bytes(const void *data, size_t len, int level, unsigned char **out, size_t *outlen);
/* A strong ETag of the bytes, quoted: "\"" + 32 hex digits + "\"" (34 chars + NUL). */
#define ETAG_CHARS 35
void etag_of(const void *data, size_t len, char out[ETAG_CHARS]);
/* Whether an If-None-Match value (NULL: none) names etag ("*" or one of a comma list; a weak
 * W/ prefix is allowed, as RFC 9110 compares weakly for If-None-Match). */
bool etag_matches(const char *if_none_match, const char *etag);

#endif
