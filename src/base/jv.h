/* jv.h - strict validation of JSON request bodies (jansson). A struct jv collects the first
 * problem: which field, why, and whether it is malformed (400) or breaks a rule (422).
 * Handlers read fields through jv_* and check jv_ok() once at the end. */
#ifndef ECOACT_JV_H
#define ECOACT_JV_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "base/err.h"

struct jv {
    json_t *obj;
    enum err err;      /* OK until the first problem */
    const char *field; /* the field at fault (static or owned by obj) */
    char msg[256];     /* Chinese, for the user */
};

/* Starts validation of `obj` (must be an object) whose fields must all appear in `allowed`
 * (NULL-terminated). An unknown field is a 400 naming it. */
bool jv_begin(struct jv *v, json_t *obj, const char *const *allowed);
bool jv_ok(const struct jv *v);
/* Records a problem unless one is already recorded. */
void jv_fail(struct jv *v, enum err e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* String: NULL when absent (and not required) or on error. maxlen in bytes; empty strings
 * count as absent for required fields. */
const char *jv_str(struct jv *v, const char *name, bool required, size_t maxlen);
/* Integer in [min,max]; `def` when absent and not required. */
long long jv_int(struct jv *v, const char *name, bool required, long long min, long long max,
                 long long def);
bool jv_bool(struct jv *v, const char *name, bool required, bool def);
/* One of a few words, given as pairs of the word and its Chinese name, NULL-terminated
 * ({"approve", "通过", "return", "退回", NULL}): the index of the pair, or -1 when absent or
 * not one of them (422 "decision 应为 approve（通过）或 return（退回）"). */
int jv_choice(struct jv *v, const char *name, bool required, const char *const *choices);
/* Array of strings (each ≤ maxlen); returns the array (borrowed) or NULL. */
json_t *jv_str_array(struct jv *v, const char *name, bool required, size_t max_items,
                     size_t maxlen);

/* Parses a request body: valid UTF-8 JSON, nesting at most max_depth. On failure fills v. */
json_t *jv_parse(struct jv *v, const char *body, size_t len, int max_depth);

#endif
