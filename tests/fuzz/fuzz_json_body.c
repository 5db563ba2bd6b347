/* fuzz_json_body.c - libFuzzer target: request bodies through the JSON validation every handler
 * uses (depth bound, parse, unknown fields, typed readers). Must never crash or leak. */
#include <stdint.h>
#include <stddef.h>
#include "base/jv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct jv v;
    json_t *j = jv_parse(&v, (const char *)data, size, 32);
    if (!j) return 0;
    static const char *const allowed[] = {"username", "password", "name", "n", "roles", "ok", NULL};
    if (jv_begin(&v, j, allowed)) {
        jv_str(&v, "username", false, 64);
        jv_str(&v, "name", true, 200);
        jv_int(&v, "n", false, -5, 1000, 0);
        jv_bool(&v, "ok", false, false);
        jv_str_array(&v, "roles", false, 8, 32);
    }
    json_decref(j);
    return 0;
}
