/* demo_citizen.c - the demo's public accounts (issue 12): a few citizens with the demo password,
 * a guardian and the child whose consent she gave, a 16-year-old (a minor), one who has only
 * registered; an organisation of 渝中区 accepted by its unit administrator and one of 万州区
 * waiting for review. Through the citizen area's services (the one-time code is the route's
 * step, not the service's), in the caller's transaction; a second run adds nothing. */
#include "demo/demo.h"
#include "citizen/citizen.h"
#include "base/validate.h"
#include <stdio.h>
#include <string.h>

static const struct demo_citizen {
    const char *phone, *name, *id17; /* id17 NULL: registered only */
} people[] = {
    {DEMO_CITIZEN_PHONE, "陈绿", "50010319850315002"}, /* guardian, org_admin in 渝中区 */
    {"13700137002", "陈小绿", "50010320160520003"},    /* under 14: her child */
    {"13700137003", "林青", "50010119900808004"},      /* files a 万州区 organisation */
    {"13700137004", "周小青", "50010320100606005"},    /* 16: a minor */
    {"13700137005", NULL, NULL},                       /* registered, not verified */
};

static void complete(const char *id17, char out[19])
{
    snprintf(out, 19, "%s%c", id17, val_resident_id_check_char(id17));
}

static enum err org(struct store *db, long long by, const char *kind, const char *name,
                    const char *code17, long long unit, long long now, long long *id,
                    struct problem *p)
{
    char uscc[19];
    snprintf(uscc, sizeof uscc, "%s%c", code17, val_uscc_check_char(code17));
    struct citizen_org_new o = {.kind = kind, .name = name, .uscc = uscc, .unit_id = unit};
    return citizen_org_file(db, by, &o, now, id, p);
}

enum err demo_citizens(struct store *db, const struct keys *k, const struct demo_citizen_opts *o,
                       int *added, char *why, size_t whylen)
{
    *added = 0;
    long long ids[sizeof people / sizeof *people];
    struct problem p = {0};
    enum err e = OK;
    for (size_t i = 0; i < sizeof people / sizeof *people && e == OK; i++) {
        e = citizen_register(db, k, people[i].phone, o->password, CITIZEN_PRIVACY_VERSION, o->now,
                             &ids[i], &p);
        if (e == ERR_CONFLICT && i == 0) return OK; /* loaded before */
        if (e == OK) (*added)++;
        if (e != OK || !people[i].id17) continue;
        char idno[19];
        const char *status;
        complete(people[i].id17, idno);
        e = citizen_realname(db, k, ids[i], people[i].name, idno, CITIZEN_PRIVACY_VERSION, o->now,
                             &status, &p);
    }
    long long g, yz = 0, wz = 0;
    if (e == OK) e = citizen_guardian_request(db, k, ids[1], people[0].phone, o->now, &g, &p);
    if (e == OK)
        e = citizen_guardian_decide(db, ids[0], ids[1], true, CITIZEN_PRIVACY_VERSION, o->now, &p);
    if (e == OK)
        e = org(db, ids[0], "social_org", "渝中区绿色家园环保协会", "51500103MJ0000001",
                o->yuzhong_unit, o->now, &yz, &p);
    if (e == OK)
        e = citizen_org_member_add(db, k, ids[0], yz, people[3].phone, "org_staff", o->now, &p);
    if (e == OK) e = citizen_org_review(db, k, yz, true, NULL, o->reviewer, o->now, &p);
    if (e == OK) e = demo_volunteers(db, k, o, ids[0], ids[2], yz, &p);
    if (e == OK) e = demo_facilities(db, k, o, ids[0], ids[2], yz, &p);
    if (e == OK)
        e = org(db, ids[2], "volunteer_org", "万州区三峡环保志愿服务队", "52500101MJ0000002",
                o->wanzhou_unit, o->now, &wz, &p);
    if (e != OK) snprintf(why, whylen, "%s", p.msg[0] ? p.msg : store_errmsg(db));
    return e;
}
