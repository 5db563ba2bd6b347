/* jw.c - streaming JSON writer; see jw.h. */
#include "base/jw.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jw_init(struct jw *w)
{
    memset(w, 0, sizeof *w);
}

void jw_free(struct jw *w)
{
    free(w->buf);
    jw_init(w);
}

char *jw_take(struct jw *w, size_t *len)
{
    char *b = w->failed ? NULL : w->buf;
    if (len) *len = b ? w->len : 0;
    if (!b) free(w->buf);
    jw_init(w);
    return b;
}

static bool grow(struct jw *w, size_t n)
{
    size_t cap = w->cap ? w->cap : 1024;
    while (cap < w->len + n + 1)
        cap *= 2;
    char *b = realloc(w->buf, cap);
    if (!b) {
        w->failed = true;
        return false;
    }
    w->buf = b;
    w->cap = cap;
    return true;
}

static inline void put(struct jw *w, const char *s, size_t n)
{
    if (w->failed || (w->len + n + 1 > w->cap && !grow(w, n))) return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

/* Before a value: a comma when it is not the first in its container (keys place their own). */
static void value_start(struct jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->need_comma[w->depth]) put(w, ",", 1);
    w->need_comma[w->depth] = true;
}

static void open(struct jw *w, char c)
{
    value_start(w);
    put(w, &c, 1);
    if (w->depth == 32) {
        w->failed = true;
        return;
    }
    w->need_comma[++w->depth] = false;
}

static void close_(struct jw *w, char c)
{
    put(w, &c, 1);
    if (w->depth > 0) w->depth--;
}

void jw_obj(struct jw *w)
{
    open(w, '{');
}
void jw_obj_end(struct jw *w)
{
    close_(w, '}');
}
void jw_arr(struct jw *w)
{
    open(w, '[');
}
void jw_arr_end(struct jw *w)
{
    close_(w, ']');
}

#ifdef JW_CHECK_UTF8
/* Length of a valid UTF-8 sequence at s (1-4), or 0 when invalid. */
static int utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    int n = c >= 0xf5 ? 0 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    if (n == 3 && ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0))) return 0;
    if (n == 4 && ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))) return 0;
    return n;
}
#else
static int utf8_len(const unsigned char *s)
{
    (void)s;
    return 1;
}
#endif

/* 0: copied as is; 1: needs an escape; 2: first byte of a multi-byte sequence to check.
 * Text from the database was validated as UTF-8 when it came in (jansson refuses anything
 * else), so multi-byte runs are checked only with JW_CHECK_UTF8 (the fuzz build). */
#ifdef JW_CHECK_UTF8
#define HIGH 2
#else
#define HIGH 0
#endif
static const unsigned char kind[256] = {
    [0x00 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x7f] = 1, [0x80 ... 0xff] = HIGH,
};

static void put_escaped(struct jw *w, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    put(w, "\"", 1);
    const unsigned char *run = s;
    for (;;) {
        while (kind[*s] == 0)
            s++;
        if (*s == '\0') break;
        if (kind[*s] == 2) {
            int n = utf8_len(s);
            if (n > 0) {
                s += n;
                continue;
            }
        }
        put(w, (const char *)run, (size_t)(s - run));
        char u[8];
        const char *esc = u;
        switch (*s) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            if (*s >= 0x80)
                esc = "\xef\xbf\xbd"; /* U+FFFD for a byte that is not UTF-8 */
            else
                snprintf(u, sizeof u, "\\u%04x", *s);
        }
        put(w, esc, strlen(esc));
        run = ++s;
    }
    put(w, (const char *)run, (size_t)(s - run));
    put(w, "\"", 1);
}

void jw_key(struct jw *w, const char *key)
{
    if (w->need_comma[w->depth]) put(w, ",", 1);
    w->need_comma[w->depth] = true;
    put_escaped(w, key);
    put(w, ":", 1);
    w->after_key = true;
}

void jw_str(struct jw *w, const char *s)
{
    value_start(w);
    if (s)
        put_escaped(w, s);
    else
        put(w, "null", 4);
}

void jw_int(struct jw *w, long long v)
{
    char b[24], *p = b + sizeof b;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0) *--p = '-';
    value_start(w);
    put(w, p, (size_t)(b + sizeof b - p));
}

void jw_bool(struct jw *w, bool v)
{
    value_start(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(struct jw *w)
{
    value_start(w);
    put(w, "null", 4);
}

void jw_raw(struct jw *w, const char *json)
{
    value_start(w);
    put(w, json, strlen(json));
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_str(w, s);
}

void jw_kint(struct jw *w, const char *key, long long v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_kbool(struct jw *w, const char *key, bool v)
{
    jw_key(w, key);
    jw_bool(w, v);
}

void jw_kid(struct jw *w, const char *key, long long v)
{
    jw_key(w, key);
    if (v)
        jw_int(w, v);
    else
        jw_null(w);
}
