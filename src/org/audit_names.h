/* audit_names.h - the words of an audit row as a person reads them: the operation and result in
 * Chinese, who acted (display name and unit), and the object's human name (an account's name,
 * a unit's, a notice's title…). Names are looked up as a page is read, with a small cache per
 * page: accounts and units here (org's own), the other areas' objects through the hook the
 * serve command hands over (server_opts.audit_name, cli/audit_objects.c). Why at read time and
 * not stored: docs/architecture.md, "The audit log's words". */
#ifndef ECOACT_AUDIT_NAMES_H
#define ECOACT_AUDIT_NAMES_H
#include "org/audit.h"

struct arena;

#define AUDIT_NAMES_CACHE 96

struct audit_names {
    struct store *db;
    struct arena *a;
    const char *(*other)(struct store *db, struct arena *a, const char *kind, long long id,
                         const char *key);
    struct {
        char kind[24];
        long long id;
        const char *name; /* NULL: has none */
    } e[AUDIT_NAMES_CACHE];
    size_t n, next;
};

/* What a row shows; strings live in the names' arena (or are static). NULL: nothing to show. */
struct audit_words {
    const char *op;     /* 复核督办单 (the code when the table has no name for it) */
    const char *person; /* the acting account's display name */
    const char *unit;   /* its unit's name */
    const char *object; /* 督办单「…」, 账号 张三（demo.office）, 请求 POST /api/v1/users */
    const char *detail;      /* readable detail */
    const char *result;      /* 成功 / 拒绝 / 失败 */
    const char *result_text; /* 成功, or 拒绝：<the reason in Chinese> */
};

void audit_names_init(struct audit_names *n, struct store *db, struct arena *a,
                      const char *(*other)(struct store *, struct arena *, const char *, long long,
                                           const char *));
/* The name of kind:id (user, unit, or another area's), cached; NULL when it has none. */
const char *audit_name_of(struct audit_names *n, const char *kind, long long id);
void audit_words(struct audit_names *n, const struct audit_row *row, struct audit_words *out);

#endif
