/* fuzz_router.c - libFuzzer target: arbitrary paths and query strings through the router and
 * the query-parameter readers (bounded ids, limits, cursors). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    char *s = malloc(size + 1);
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    struct req r = {0};
    r.a = arena_new(4096);
    r.method = (enum method)(data[0] % M__COUNT);
    char *q = strchr(s, '?');
    if (q) *q++ = '\0';
    r.path = s;
    r.query = q;
    char allow[128];
    if (router_match(&r, allow, sizeof allow) == MATCH_OK) {
        long long v;
        req_param_id(&r, "id", &v);
        req_query_int(&r, "limit", 1, 1000, 50, &v);
        long long lim, after;
        req_page(&r, &lim, &after);
        req_query(&r, "unit");
    }
    arena_free(r.a);
    free(s);
    return 0;
}
