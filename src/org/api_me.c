/* api_me.c - what /api/v1/me adds so the console keeps no copy of the server's rules: the
 * caller's permissions with their unit scope ("can") and the policy values the console's forms
 * and pages need ("policy": password minimum, the compliance grace days, the default plan), and
 * the roles a new account it creates may get ("create_roles"), and the words it shows ("labels",
 * gathered from every area's rules by the serve command: cli/console_labels.c). */
#include "http/route.h"
#include "http/server.h"
#include "org/api_me.h"
#include "org/policy.h"
#include "org/users.h"

void me_add_console(struct req *r, json_t *user)
{
    role_set roles = 0;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(user, "roles"), i, v)
    {
        enum role ro;
        if (role_parse(json_string_value(v), &ro)) roles |= 1u << ro;
    }
    json_object_set_new(user, "can", roles_can_json(roles));
    /* the roles a new account of the caller's may get (user_grantable_roles, as POST /users) */
    json_object_set_new(
        user, "create_roles",
        roles_list_json(user_grantable_roles(roles_scope(roles, PERM_USERS_WRITE), true)));
    /* the security policy's own value, then the areas' fixed values and words, gathered by the
     * serve command (cli/console_labels.c) */
    const struct policy *sp = policy_get(r->db, r->now);
    json_t *policy = json_pack("{s:i,s:i}", "password_min_length", sp->password_min_length,
                               "token_max_days", sp->token_max_days);
    const json_t *c = r->app->opts.console;
    if (c) {
        json_object_update(policy, json_object_get(c, "policy"));
        json_object_set_new(user, "labels", json_deep_copy(json_object_get(c, "labels")));
    }
    json_object_set_new(user, "policy", policy);
}
