/* supervise_xlsx.h - the 督办单 list as .xlsx (supervise_xlsx.c): the list's filters read from
 * the query, and the export route's handler (its route is in api_supervise.c's export block). */
#ifndef ECOACT_SUPERVISE_XLSX_H
#define ECOACT_SUPERVISE_XLSX_H
#include "http/req.h"
#include "supervise/supervise.h"

/* The filters of GET /notices and its export (q, unit, stage, level, overdue, task, plan) and
 * the caller's reach, read once for both; on a bad one answers the error naming the field. */
enum err sv_list_filter(struct req *r, struct sv_filter *f);
/* GET /api/v1/notices/export.xlsx: the filtered list, named 「督办单_<date>.xlsx」. */
enum err sv_export_notices(struct req *r);

#endif
