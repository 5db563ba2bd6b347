/* fuzz_jw.c - libFuzzer target: whatever bytes a string holds, jw writes valid JSON that parses
 * back to a string (built with JW_CHECK_UTF8, so invalid UTF-8 becomes U+FFFD). */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/jw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, s, s);
    jw_kint(&w, "n", (long long)size * 7919 - 1000000);
    jw_obj_end(&w);
    char *text = jw_take(&w, NULL);
    json_error_t e;
    json_t *j = text ? json_loads(text, 0, &e) : NULL;
    if (!j) abort();
    json_decref(j);
    free(text);
    free(s);
    return 0;
}
