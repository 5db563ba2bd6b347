/* api_policy.c - the security policy routes: secadmin reads and sets the lockout, session and
 * password-length numbers (within fixed bounds); every change is audited by the pipeline. */
#include "http/route.h"
#include "org/policy.h"
#include <stdio.h>
#include <stdlib.h>

static enum err get_policy(struct req *r)
{
    return reply_json(r, 200, policy_json(policy_get(r->db, r->now)));
}

static enum err put_policy(struct req *r)
{
    const char *field = NULL;
    char why[256];
    enum err e = policy_set(r->db, r->json, r->who->user_id, r->now, &field, why, sizeof why);
    if (e == ERR_BAD_REQUEST || e == ERR_RULE) return req_fail(r, e, field, "%s", why);
    if (e != OK) return req_fail_err(r, e);
    char *changes = json_dumps(r->json, JSON_COMPACT);
    r->audit_object = "security_policy";
    r->audit_detail = arena_strdup(r->a, changes ? changes : "");
    free(changes);
    /* The answer shows the new numbers: read them back inside this transaction. */
    struct policy p = *policy_get(r->db, r->now);
    json_t *o = policy_json(&p);
    const char *key;
    json_t *val;
    json_object_foreach(r->json, key, val) json_object_set(o, key, val);
    return reply_json(r, 200, o);
}

const struct route policy_routes[] = {
    {M_GET, "/api/v1/security-policy", PERM_POLICY, BODY_NONE, NULL, get_policy, 0},
    {M_PUT, "/api/v1/security-policy", PERM_POLICY, BODY_JSON, "security_policy.update", put_policy,
     0},
    {0},
};
