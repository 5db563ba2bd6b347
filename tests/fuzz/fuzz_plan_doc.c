/* fuzz_plan_doc.c - libFuzzer target: plan documents (the JSON shape of data/plans/ files that
 * import, export and init share) through parsing and the whole-document check. Units resolve
 * by a tiny fixed table. Must never crash or leak, whatever the document says. */
#include <stdint.h>
#include <string.h>
#include "base/jv.h"
#include "plan/plan.h"

static long long lookup(void *ctx, const char *ref)
{
    (void)ctx;
    static const char *const known[] = {"市生态环境局", "市委宣传部", "500103", "500229",
                                        "@districts"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(ref, known[i]) == 0) return (long long)i + 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct jv v;
    json_t *doc = jv_parse(&v, (const char *)data, size, 32);
    if (!doc) return 0;
    struct plan_check_ctx c = {.unit = lookup};
    struct problem p = {0};
    if (plan_check_doc(doc, &c, &p)) {
        size_t i;
        json_t *o;
        json_array_foreach(json_object_get(doc, "obligations"), i, o)
        {
            struct comply_rule rule;
            plan_obligation_rule(o, &rule);
        }
    }
    json_decref(doc);
    return 0;
}
