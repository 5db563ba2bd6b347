/* audit_objects.c - the human names of audit log objects that belong to other areas (a
 * notice's title, a report's title), for org's audit log (server_opts.audit_name): here, above
 * the areas, like console_labels.c, so that org needs none of them. Each name comes from the
 * owning area's service, never its tables. */
#include "cli/cli.h"
#include "base/arena.h"
#include "supervise/supervise.h"
#include "work/work.h"
#include <string.h>

const char *audit_object_name(struct store *db, struct arena *a, const char *kind, long long id)
{
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
