/* utf8.c - counting, validating and cutting UTF-8 text (see utf8.h). */
#include "base/utf8.h"
#include <string.h>

size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        if ((*p & 0xC0) != 0x80) n++;
    return n;
}

/* The length of the valid UTF-8 sequence at s[0..len), 0 when it is not one. */
static size_t sequence(const unsigned char *s, size_t len)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t n;
    unsigned min, cp;
    if ((c & 0xE0) == 0xC0)
        n = 1, min = 0x80, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0)
        n = 2, min = 0x800, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0)
        n = 3, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    if (n >= len) return 0;
    for (size_t k = 1; k <= n; k++) {
        if ((s[k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n + 1;
}

bool utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0, n; i < len; i += n)
        if (!(n = sequence(s + i, len - i))) return false;
    return true;
}

char *utf8_scrub(char *str)
{
    unsigned char *s = (unsigned char *)str;
    size_t len = strlen(str), out = 0;
    for (size_t i = 0; i < len;) {
        size_t n = sequence(s + i, len - i);
        if (!n) {
            i++;
            continue;
        }
        memmove(s + out, s + i, n);
        out += n;
        i += n;
    }
    s[out] = '\0';
    return str;
}

void utf8_cut(const char *s, size_t max, char *out, size_t outlen)
{
    if (!outlen) return;
    static const char ell[] = "…";
    size_t chars = utf8_chars(s), used = 0, taken = 0;
    bool cut = chars > max;
    size_t keep = cut ? (max ? max - 1 : 0) : chars;
    const char *p = s;
    while (*p && taken < keep) {
        size_t len = 1;
        while (p[len] && ((unsigned char)p[len] & 0xC0) == 0x80)
            len++;
        if (used + len + (cut ? sizeof ell - 1 : 0) + 1 > outlen) {
            cut = true;
            break;
        }
        memcpy(out + used, p, len);
        used += len, p += len, taken++;
    }
    if (cut && max && used + sizeof ell <= outlen) {
        memcpy(out + used, ell, sizeof ell - 1);
        used += sizeof ell - 1;
    }
    out[used] = '\0';
}
