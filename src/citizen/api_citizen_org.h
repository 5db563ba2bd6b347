/* api_citizen_org.h - what the organisations' routes share between api_citizen_org.c (the list,
 * the filter) and api_citizen_org_xlsx.c (the export): private to the two. */
#ifndef ECOACT_API_CITIZEN_ORG_H
#define ECOACT_API_CITIZEN_ORG_H
#include "citizen/citizen.h"
#include "http/route.h"

/* The officials' filter from the query (unit, status, q), scoped to the caller's unit when its
 * permission is unit-scoped: OK, or the failure answered. */
enum err org_filter_from_query(struct req *r, struct citizen_org_filter *f);
/* GET /api/v1/orgs/export.xlsx. */
enum err export_orgs(struct req *r);

#endif
