/* jw.h - a streaming JSON writer for answers that list many rows. jansson builds a tree and
 * allocates per value (about 200 µs for a page of 50 units here); jw appends text to one
 * growing buffer (a few µs). Commas are placed automatically; strings are escaped per RFC 8259
 * (UTF-8 passes through: text is validated where it enters ecoact). Nesting up to 32 levels. */
#ifndef ECOACT_JW_H
#define ECOACT_JW_H
#include <stdbool.h>
#include <stddef.h>

struct jw {
    char *buf; /* malloc'd; NUL-terminated */
    size_t len, cap;
    int depth;
    bool need_comma[33];
    bool after_key;
    bool failed; /* out of memory or nesting too deep: the text is not to be used */
};

void jw_init(struct jw *w);
void jw_free(struct jw *w);
/* Hands the text over (caller frees); w is empty afterwards. NULL if the writer failed. */
char *jw_take(struct jw *w, size_t *len);

void jw_obj(struct jw *w); /* { */
void jw_obj_end(struct jw *w);
void jw_arr(struct jw *w); /* [ */
void jw_arr_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s); /* NULL writes null */
void jw_int(struct jw *w, long long v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Already-valid JSON text, e.g. from json_dumps. */
void jw_raw(struct jw *w, const char *json);

/* key + value in one call */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kint(struct jw *w, const char *key, long long v);
void jw_kbool(struct jw *w, const char *key, bool v);
/* An id where 0 means none: writes null for 0. */
void jw_kid(struct jw *w, const char *key, long long v);

#endif
