/* audit_objects.c - the human names of audit log objects that belong to other areas (a
 * notice's title, a report's title, a plan's title and version), for org's audit log
 * (server_opts.audit_name): here, above the areas, like console_labels.c, so that org needs none of
 * them. Each name comes from the owning area's service, never its tables. */
#include "cli/cli.h"
#include "base/arena.h"
#include "plan/plan.h"
#include "supervise/supervise.h"
#include <stdio.h>
#include "work/work.h"
#include <string.h>

/* "cq-2021-2025@1" as the plan's title with its version. */
static const char *plan_name(struct store *db, struct arena *a, const char *key)
{
    char code[72];
    int version = 0;
    if (!key || sscanf(key, "%71[^@]@%d", code, &version) != 2 || version <= 0) return NULL;
    struct plan_row p;
    if (plan_find(db, code, version, &p) != OK || !p.title[0]) return NULL;
    return arena_printf(a, "%s（第%d版）", p.title, version);
}

const char *audit_object_name(struct store *db, struct arena *a, const char *kind, long long id,
                              const char *key)
{
    if (strcmp(kind, "plan") == 0) return plan_name(db, a, key);
    if (strcmp(kind, "notice") == 0) {
        struct sv_state s;
        return sv_notice_state(db, id, &s) == OK ? arena_strdup(a, s.title) : NULL;
    }
    if (strcmp(kind, "report") == 0) {
        json_t *o = work_store_report_json(db, id, false);
        const char *t = json_string_value(json_object_get(o, "title"));
        const char *name = t ? arena_strdup(a, t) : NULL;
        json_decref(o);
        return name;
    }
    return NULL;
}
