/* utf8.h - UTF-8 text: length in characters, strict validity (shortest form, no
 * surrogates, nothing above U+10FFFF) and cutting on a character boundary. Limits users see
 * are counted in characters. */
#ifndef ECOACT_UTF8_H
#define ECOACT_UTF8_H
#include <stdbool.h>
#include <stddef.h>

/* Code points in a NUL-terminated string (NULL counts 0). */
size_t utf8_chars(const char *s);
bool utf8_valid(const char *s, size_t len);
/* Drops, in place, the bytes of s that are not part of a valid sequence (such as a character
 * cut by a "%.64s" or by truncation); returns s. */
char *utf8_scrub(char *s);
/* Copies at most max code points of s (valid UTF-8) into out (outlen bytes), ending with "…"
 * when cut; when out is too small the copy stops at a character boundary, still with "…". */
void utf8_cut(const char *s, size_t max, char *out, size_t outlen);

#endif
