/* api_me.h - the members /api/v1/me adds for the console: "can" and "policy" (api_me.c). */
#ifndef ECOACT_API_ME_H
#define ECOACT_API_ME_H
#include <jansson.h>

struct req;
/* Adds "can" ({permission: "unit"|"all"} from the document's "roles"), "create_roles" and "policy"
 * to user. */
void me_add_console(struct req *r, json_t *user);

#endif
