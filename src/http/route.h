/* route.h - a route: method, path pattern with {parameters}, the permission it needs, how its
 * body is read, its audit action, and the handler. Each area lists its routes in an array
 * ending with {0}; router.c gathers them. */
#ifndef ECOACT_ROUTE_H
#define ECOACT_ROUTE_H
#include "http/req.h"

enum body_kind {
    BODY_NONE, /* a body is ignored */
    BODY_JSON, /* application/json, ≤ 1 MiB, parsed into r->json */
    BODY_RAW,  /* any type, ≤ the upload limit, in r->body */
};

struct route {
    enum method method;
    const char *pattern; /* "/api/v1/users/{id}" */
    enum perm perm;
    enum body_kind body;
    const char *action; /* audit action name for writes, e.g. "user.create" */
    enum err (*handler)(struct req *r);
    unsigned flags;
};

/* flags */
#define ROUTE_ALLOW_PW_CHANGE 1u /* reachable while the password must still be changed */
#define ROUTE_NO_TX 2u           /* an unsafe method that manages its own transactions */
#define ROUTE_LOGIN 4u           /* rate limited per IP as a login */
/* Whose object the path names: each route declares it beside its permission, and the generated
 * role × route test (tests/api/matrix.test.mjs, from `ecoact routes --rules`) drives the route
 * with another unit's and another account's ids and fails on any answer the rule does not allow.
 *   ROUTE_OWN_UNIT: the object belongs to a unit (a report, a notice, an account, a unit's
 *     duties or scorecard): a holder whose permission is unit-scoped (roles_scope) reaches only
 *     its own unit's and child units' objects; others answer 404 (req_deny) or 403.
 *   ROUTE_OWN_USER: the object belongs to an account (an API token, an inbox item): only that
 *     account reaches it. */
#define ROUTE_OWN_UNIT 8u
#define ROUTE_OWN_USER 16u
/* Only an interactive session (the cookie of a login) may call it, never a bearer token: what
 * creates credentials or changes the password, so a stolen token cannot outgrow itself. */
#define ROUTE_SESSION_ONLY 32u
/* A GET answer the browser may keep and revalidate: it carries the ETag of its bytes, and an
 * unchanged answer is a 304 (server.c, revalidated()). For large read-mostly answers. */
#define ROUTE_REVALIDATE 64u
/* A partner system's route, signed with a channel credential (org/chancred.h): the pipeline does
 * not resolve its bearer token (the handler checks token, timestamp and HMAC with chancred_check),
 * and the connection guard admits an upload-sized body for a known channel token. PERM_PUBLIC. */
#define ROUTE_CHANNEL 128u

#endif
