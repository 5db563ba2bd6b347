/* api_org_xlsx.c - the lists of accounts and units as .xlsx, with the filters of their lists
 * (GET /users: unit and q; GET /units: tier, parent and q), named by reply_export. Kept apart
 * from the list routes (api_users.c, api_units.c) so that each file keeps one job. */
#include "base/sheet.h"
#include "base/table.h"
#include "http/route.h"
#include "org/perm.h"
#include "org/units.h"
#include "org/users.h"
#include <stdlib.h>
#include <string.h>

#define ORG_EXPORT_MAX 20000 /* rows in one .xlsx */

/* The roles of an account in Chinese, joined with 、. */
static const char *roles_words(struct req *r, role_set rs)
{
    const char *s = "";
    for (int i = 0; i < ROLE__COUNT; i++)
        if (rs & (1u << i))
            s = arena_printf(r->a, "%s%s%s", s, *s ? "、" : "", role_label((enum role)i));
    return s;
}

static void user_row(struct req *r, struct sheet *s, long long id)
{
    struct user_info u;
    if (user_get(r->db, id, &u) != OK) return;
    sheet_text(s, u.username);
    sheet_text(s, u.display_name);
    sheet_text(s, u.unit_name);
    sheet_text(s, roles_words(r, user_roles(r->db, id)));
    sheet_text(s, u.disabled ? "已停用" : u.locked_until > r->now ? "已锁定" : "正常");
    sheet_text(s, u.phone_mask);
    sheet_end_row(s);
}

static enum err export_users(struct req *r)
{
    const char *unit_s = req_query(r, "unit");
    const char *search = req_query(r, "q");
    long long unit = 0;
    if (unit_s && *unit_s && !(unit = unit_find(r->db, unit_s)))
        return req_fail(r, ERR_RULE, "unit", "单位不存在：%s", unit_s);
    if (req_unit_scoped(r)) {
        if (unit && !req_may_act_for_unit(r, unit))
            return req_fail(r, ERR_FORBIDDEN, "unit", "只能导出本单位的账号");
        if (!unit) unit = r->who->unit_id;
    }
    if (search && strlen(search) > 64) return req_fail(r, ERR_RULE, "q", "搜索词过长");
    static const struct sheet_col cols[] = {{"账号", 20}, {"姓名", 14}, {"单位", 28},
                                            {"角色", 30}, {"状态", 10}, {"手机（脱敏）", 16}};
    struct sheet *s = sheet_new("账号", "账号名录", cols, sizeof cols / sizeof *cols);
    if (!s) return req_fail(r, ERR_INTERNAL, NULL, "生成 Excel 文件失败");
    struct user_filter f = {
        .limit = 1000, .unit = unit, .search = search && *search ? search : NULL};
    long long *ids = malloc(1000 * sizeof *ids);
    size_t n = 0, total = 0;
    enum err e = ids ? OK : ERR_INTERNAL;
    while (e == OK && total < ORG_EXPORT_MAX) {
        if ((e = users_page(r->db, &f, ids, 1000, &n)) != OK || n == 0) break;
        for (size_t i = 0; i < n; i++)
            user_row(r, s, ids[i]);
        total += n;
        f.after = ids[n - 1];
    }
    free(ids);
    void *data;
    size_t len;
    enum err fe = sheet_finish(s, r->a, &data, &len);
    if (e != OK) return req_fail_err(r, e);
    if (fe != OK) return req_fail(r, fe, NULL, "生成 Excel 文件失败");
    return reply_export(r, TABLE_XLSX_TYPE, data, len, "账号名录", "users", "xlsx");
}

struct units_sheet {
    struct req *r;
    struct sheet *s;
    long long last;
    size_t n;
};

static bool unit_row(void *ctx, const struct unit *u)
{
    struct units_sheet *x = ctx;
    struct unit parent;
    x->last = u->id;
    x->n++;
    sheet_text(x->s, u->name);
    sheet_text(x->s, u->short_name);
    sheet_text(x->s, unit_tier_label(u->tier));
    sheet_text(x->s, u->code);
    sheet_text(x->s, u->parent_id && unit_get(x->r->db, u->parent_id, &parent) == OK ? parent.name
                                                                                     : NULL);
    sheet_text(x->s, !strcmp(u->joint_meeting, "convener") ? "召集单位"
                     : !strcmp(u->joint_meeting, "member") ? "成员单位"
                                                           : NULL);
    sheet_text(x->s, u->active ? "在用" : "已撤销");
    sheet_end_row(x->s);
    return true;
}

static enum err export_units(struct req *r)
{
    const char *tier = req_query(r, "tier");
    const char *parent_s = req_query(r, "parent");
    const char *search = req_query(r, "q");
    struct unit_filter f = {.limit = 1000};
    if (search && strlen(search) > 64)
        return req_fail(r, ERR_RULE, "q", "搜索词过长（最多 64 字节）");
    if (tier && *tier && !unit_tier_valid(tier) && strcmp(tier, "district_level") != 0)
        return req_fail(r, ERR_RULE, "tier", "未知单位层级：%s", tier);
    if (parent_s && *parent_s && !(f.parent = unit_find(r->db, parent_s)))
        return req_fail(r, ERR_RULE, "parent", "上级单位不存在：%s", parent_s);
    f.district_level = tier && strcmp(tier, "district_level") == 0;
    f.tier = tier && *tier && !f.district_level ? tier : NULL;
    f.search = search && *search ? search : NULL;
    static const struct sheet_col cols[] = {
        {"单位名称", 30}, {"简称", 16},     {"层级", 12}, {"行政区划代码", 14},
        {"上级单位", 24}, {"联席会议", 12}, {"状态", 8}};
    struct units_sheet x = {.r = r,
                            .s = sheet_new("单位", "单位名录", cols, sizeof cols / sizeof *cols)};
    if (!x.s) return req_fail(r, ERR_INTERNAL, NULL, "生成 Excel 文件失败");
    enum err e = OK;
    size_t before;
    do {
        before = x.n;
        f.after = x.last;
        e = units_each(r->db, &f, unit_row, &x);
    } while (e == OK && x.n > before && x.n - before == 1000 && x.n < ORG_EXPORT_MAX);
    void *data;
    size_t len;
    enum err fe = sheet_finish(x.s, r->a, &data, &len);
    if (e != OK) return req_fail_err(r, e);
    if (fe != OK) return req_fail(r, fe, NULL, "生成 Excel 文件失败");
    return reply_export(r, TABLE_XLSX_TYPE, data, len, "单位名录", "units", "xlsx");
}

const struct route org_xlsx_routes[] = {
    {M_GET, "/api/v1/users/export.xlsx", PERM_USERS_READ, BODY_NONE, NULL, export_users, 0},
    {M_GET, "/api/v1/units/export.xlsx", PERM_UNITS_READ, BODY_NONE, NULL, export_units, 0},
    {0},
};
