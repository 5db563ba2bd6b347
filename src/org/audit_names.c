/* audit_names.c - the words of an audit row for people; see audit_names.h. */
#include "org/audit_names.h"
#include "base/arena.h"
#include "org/units.h"
#include "org/users.h"
#include <stdio.h>
#include <string.h>

void audit_names_init(struct audit_names *n, struct store *db, struct arena *a,
                      const char *(*other)(struct store *, struct arena *, const char *, long long,
                                           const char *))
{
    n->db = db;
    n->a = a;
    n->other = other;
    n->n = n->next = 0;
}

static const char *look_up(struct audit_names *n, const char *kind, long long id)
{
    bool person = strcmp(kind, "person") == 0; /* who acted: the display name alone */
    if (person || strcmp(kind, "user") == 0) {
        struct user_info u;
        if (user_get(n->db, id, &u) != OK) return NULL;
        if (person) return arena_strdup(n->a, u.display_name);
        return arena_printf(n->a, "%s（%s）", u.display_name, u.username);
    }
    if (strcmp(kind, "unit") == 0) {
        struct unit u;
        return unit_get(n->db, id, &u) == OK ? arena_strdup(n->a, u.name) : NULL;
    }
    return n->other ? n->other(n->db, n->a, kind, id, NULL) : NULL;
}

const char *audit_name_of(struct audit_names *n, const char *kind, long long id)
{
    if (!kind || id <= 0 || strlen(kind) >= sizeof n->e[0].kind) return NULL;
    for (size_t i = 0; i < n->n; i++)
        if (n->e[i].id == id && strcmp(n->e[i].kind, kind) == 0) return n->e[i].name;
    const char *name = look_up(n, kind, id);
    store_clear_err(n->db); /* a name that cannot be read is shown as its id */
    size_t at = n->n < AUDIT_NAMES_CACHE ? n->n++ : n->next++ % AUDIT_NAMES_CACHE;
    snprintf(n->e[at].kind, sizeof n->e[at].kind, "%s", kind);
    n->e[at].id = id;
    n->e[at].name = name;
    return name;
}

/* 督办单「…」 for "notice:12"; the kind with the id when the name is unknown. */
static const char *object_words(struct audit_names *n, const char *object)
{
    if (!object || !*object) return NULL;
    char kind[24];
    long long id;
    if (!audit_object_parse(object, kind, sizeof kind, &id)) {
        if (strchr(object, ' ')) return arena_printf(n->a, "请求 %s", object); /* "POST /api…" */
        const char *l = audit_kind_label(object);
        return l ? l : object;
    }
    const char *label = audit_kind_label(kind);
    const char *rest = strchr(object, ':') + 1;
    if (!label) return object;
    if (!id) { /* user:demo.office, plan:cq-2021-2025@1 */
        const char *name = n->other ? n->other(n->db, n->a, kind, 0, rest) : NULL;
        store_clear_err(n->db);
        return name ? arena_printf(n->a, "%s「%s」", label, name)
                    : arena_printf(n->a, "%s %s", label, rest);
    }
    const char *name = audit_name_of(n, kind, id);
    const char *tail = strpbrk(rest, "/:"); /* report:3/evidence/a.pdf */
    if (name)
        return arena_printf(n->a, "%s「%s」%s%s", label, name, tail ? " " : "", tail ? tail : "");
    return arena_printf(n->a, "%s #%lld%s%s", label, id, tail ? " " : "", tail ? tail : "");
}

void audit_words(struct audit_names *n, const struct audit_row *row, struct audit_words *out)
{
    const struct audit_entry *e = &row->e;
    const char *op = audit_action_label(e->action);
    out->op = op ? op : e->action;
    out->person = e->user_id ? audit_name_of(n, "person", e->user_id) : NULL;
    out->unit = e->unit_id ? audit_name_of(n, "unit", e->unit_id) : NULL;
    out->object = object_words(n, e->object);
    char buf[1024];
    out->detail =
        audit_detail_text(e->action, e->detail, buf, sizeof buf) ? arena_strdup(n->a, buf) : NULL;
    out->result = audit_result_label(e->result);
    bool ok = e->result && strcmp(e->result, "ok") == 0;
    out->result_text =
        ok || !out->detail ? out->result : arena_printf(n->a, "%s：%s", out->result, out->detail);
}
