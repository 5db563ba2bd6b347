/* router.c - route tables of every area, gathered once, and the matcher. Patterns are split
 * on '/', a segment {name} matches any non-empty segment. */
#include "http/router.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each area's table, ending with {0}. New areas add theirs here. */
extern const struct route sys_routes[];
extern const struct route session_routes[];
extern const struct route org_xlsx_routes[]; /* before user_ and unit_routes: /users/export.xlsx */
extern const struct route user_routes[];
extern const struct route unit_routes[];
extern const struct route audit_routes[];
extern const struct route policy_routes[];
extern const struct route plan_routes[];
extern const struct route work_routes[];
extern const struct route comply_routes[];
extern const struct route comply_filing_routes[];
extern const struct route supervise_routes[];
extern const struct route notify_routes[];
extern const struct route meeting_routes[];
extern const struct route evaluate_routes[];
extern const struct route citizen_routes[];
extern const struct route citizen_org_routes[];
extern const struct route qr_routes[];
extern const struct route green_routes[];
extern const struct route opinion_routes[], opinion_item_routes[];
extern const struct route survey_routes[];
extern const struct route notice_doc_routes[];
extern const struct route vol_routes[], vol_official_routes[]; /* volunteer (issue 13) */
extern const struct route fac_routes[], fac_official_routes[]; /* facility (issue 15) */
static const struct route *const tables[] = {
    sys_routes,          session_routes,       org_xlsx_routes,    user_routes,
    unit_routes,         audit_routes,         policy_routes,      plan_routes,
    work_routes,         supervise_routes,     notify_routes,      comply_routes,
    meeting_routes,      evaluate_routes,      citizen_routes,     citizen_org_routes,
    qr_routes,           comply_filing_routes, notice_doc_routes,  vol_routes,
    vol_official_routes, green_routes,         opinion_routes,     opinion_item_routes,
    survey_routes,       fac_routes,           fac_official_routes};

static const struct route *all[ROUTER_MAX_ROUTES];
static size_t nall;

static void gather(void)
{
    if (nall) return;
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
        for (const struct route *rt = tables[t]; rt->pattern; rt++) {
            if (nall == ROUTER_MAX_ROUTES) { /* a programming error: never drop a route */
                fprintf(stderr, "ecoact: more than %d routes; raise ROUTER_MAX_ROUTES\n",
                        ROUTER_MAX_ROUTES);
                abort();
            }
            all[nall++] = rt;
        }
}

const struct route *const *router_all(size_t *n)
{
    gather();
    *n = nall;
    return all;
}

size_t router_index(const struct route *rt)
{
    gather();
    for (size_t i = 0; i < nall; i++)
        if (all[i] == rt) return i;
    return nall;
}

static const char *const names[M__COUNT] = {"GET",   "HEAD",   "POST",   "PUT",
                                            "PATCH", "DELETE", "OPTIONS"};

const char *method_name(enum method m)
{
    return m < M__COUNT ? names[m] : "?";
}

bool method_parse(const char *s, enum method *m)
{
    for (int i = 0; i < M__COUNT; i++)
        if (strcmp(s, names[i]) == 0) {
            *m = (enum method)i;
            return true;
        }
    return false;
}

/* Matches path against pattern; fills params into r when r is given. */
static bool match_path(const char *pattern, const char *path, struct req *r)
{
    int np = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p != '/' || *s != '/') return false;
        p++, s++;
        const char *pe = strchr(p, '/'), *se = strchr(s, '/');
        size_t pl = pe ? (size_t)(pe - p) : strlen(p), sl = se ? (size_t)(se - s) : strlen(s);
        if (pl > 2 && p[0] == '{' && p[pl - 1] == '}') {
            if (sl == 0 || np == REQ_MAX_PARAMS) return false;
            if (r) {
                r->param_names[np] = arena_strndup(r->a, p + 1, pl - 2);
                r->params[np] = arena_strndup(r->a, s, sl);
            }
            np++;
        } else if (pl != sl || memcmp(p, s, pl) != 0) {
            return false;
        }
        p += pl, s += sl;
    }
    if (*p || *s) return false;
    if (r) r->nparams = np;
    return true;
}

enum match router_match(struct req *r, char *allow, size_t allow_len)
{
    gather();
    bool path_found = false;
    size_t used = 0;
    allow[0] = '\0';
    enum method m = r->method == M_HEAD ? M_GET : r->method;
    for (size_t i = 0; i < nall; i++) {
        if (!match_path(all[i]->pattern, r->path, NULL)) continue;
        if (all[i]->method == m) {
            match_path(all[i]->pattern, r->path, r);
            r->route = all[i];
            return MATCH_OK;
        }
        path_found = true;
        const char *mn = method_name(all[i]->method);
        if (!strstr(allow, mn) && used + strlen(mn) + 3 < allow_len)
            used += (size_t)snprintf(allow + used, allow_len - used, "%s%s", used ? ", " : "", mn);
    }
    return path_found ? MATCH_NO_METHOD : MATCH_NO_PATH;
}

const struct route *router_find(enum method m, const char *path)
{
    gather();
    if (m == M_HEAD) m = M_GET;
    for (size_t i = 0; i < nall; i++)
        if (all[i]->method == m && match_path(all[i]->pattern, path, NULL)) return all[i];
    return NULL;
}
