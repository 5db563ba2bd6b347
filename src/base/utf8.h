/* utf8.h - UTF-8 text: length in characters and strict validity (shortest form, no
 * surrogates, nothing above U+10FFFF). Limits users see are counted in characters. */
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

#endif
