/* api_citizen_org_xlsx.c - the officials' list of registered organisations as .xlsx
 * (GET /api/v1/orgs/export.xlsx), with the filters and the unit scope of GET /api/v1/orgs
 * (org_filter_from_query in api_citizen_org.c); people masked as in the list. Audited. */
#include "base/date.h"
#include "base/sheet.h"
#include "base/table.h"
#include "citizen/api_citizen_org.h"
#include "org/audit.h"

#define ORGS_EXPORT_MAX 20000 /* rows in one .xlsx */
#define ORGS_EXPORT_PAGE 500

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void org_row(struct sheet *s, json_t *o)
{
    sheet_text(s, str(o, "name"));
    sheet_text(s, str(o, "uscc"));
    sheet_text(s, str(o, "kind_label"));
    sheet_text(s, str(json_object_get(o, "unit"), "name"));
    sheet_text(s, str(json_object_get(o, "responsible"), "name"));
    sheet_text(s, str(json_object_get(o, "responsible"), "phone"));
    sheet_text(s, str(o, "status_label"));
    sheet_text(s, str(o, "review_reason"));
    char ymd[11];
    date_format(date_today_shanghai(json_integer_value(json_object_get(o, "created_at"))), ymd);
    sheet_date(s, ymd);
    sheet_end_row(s);
}

/* The export's own audit row (a GET is audited by no route table): how many rows, which filter. */
static void audit_export(struct req *r, const struct citizen_org_filter *f, long long rows)
{
    const char *detail =
        arena_printf(r->a, "导出 %lld 条%s%s%s%s", rows, f->status ? "；状态：" : "",
                     f->status ? citizen_org_status_label(f->status) : "",
                     f->search ? "；搜索：" : "", f->search ? f->search : "");
    r->audit_object = f->unit ? arena_printf(r->a, "unit:%lld", f->unit) : "organisations";
    r->audit_detail = detail;
    req_audit(r, "organisation.export", "ok");
}

enum err export_orgs(struct req *r)
{
    struct citizen_org_filter f;
    enum err e = org_filter_from_query(r, &f);
    if (e != OK) return e;
    static const struct sheet_col cols[] = {
        {"组织名称", 30}, {"统一社会信用代码", 22}, {"类型", 16},
        {"审核单位", 20}, {"负责人（脱敏）", 14},   {"负责人手机（脱敏）", 18},
        {"状态", 10},     {"退回理由", 30},         {"登记日期", 12}};
    struct sheet *s = sheet_new("社会组织", "社会组织名录", cols, sizeof cols / sizeof *cols);
    if (!s) return req_fail(r, ERR_INTERNAL, NULL, "生成 Excel 文件失败");
    long long after = 0, rows = 0;
    while (rows < ORGS_EXPORT_MAX) {
        long long last = 0;
        json_t *a = citizen_org_list(r->db, &f, after, ORGS_EXPORT_PAGE, &last);
        if (!a) {
            e = ERR_INTERNAL;
            break;
        }
        size_t i, n = json_array_size(a);
        json_t *o;
        json_array_foreach(a, i, o) org_row(s, o);
        json_decref(a);
        rows += (long long)n;
        if (n < ORGS_EXPORT_PAGE) break;
        after = last;
    }
    void *data;
    size_t len;
    enum err fe = sheet_finish(s, r->a, &data, &len);
    if (e != OK) return req_store_fail(r);
    if (fe != OK) return req_fail(r, fe, NULL, "生成 Excel 文件失败");
    audit_export(r, &f, rows);
    return reply_export(r, TABLE_XLSX_TYPE, data, len, "社会组织名录", "organisations", "xlsx");
}
