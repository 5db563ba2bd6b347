/* router.h - matches method + path against every area's route table. */
#ifndef ECOACT_ROUTER_H
#define ECOACT_ROUTER_H
#include "http/route.h"

/* How many routes the router holds (the metrics count by route too); one more aborts at start. */
#define ROUTER_MAX_ROUTES 512

enum match { MATCH_OK, MATCH_NO_PATH, MATCH_NO_METHOD };

/* On MATCH_OK fills r->route and its parameters; on MATCH_NO_METHOD writes the Allow list. */
enum match router_match(struct req *r, char *allow, size_t allow_len);
/* The route for method + path (HEAD as GET), without filling parameters; NULL when none. For
 * looking at a request before it is read (http/guard.c). */
const struct route *router_find(enum method m, const char *path);
/* All routes, for the OpenAPI check and metrics; *n gets the count. Index is stable. */
const struct route *const *router_all(size_t *n);
size_t router_index(const struct route *rt);
const char *method_name(enum method m);
bool method_parse(const char *s, enum method *m);

#endif
