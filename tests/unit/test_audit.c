/* test_audit.c - unit tests of the audit log's words (org/audit_rules.c, pure): operation and
 * object kind names, object parsing, and the stored details read as Chinese. */
#include <criterion/criterion.h>
#include <string.h>
#include "org/audit.h"

Test(audit_words, operations_and_results_have_chinese_names)
{
    cr_assert_str_eq(audit_action_label("notice.review"), "复核督办单");
    cr_assert_str_eq(audit_action_label("security_policy.update"), "修改安全策略");
    cr_assert_str_eq(audit_action_label("audit.export"), "导出审计日志");
    cr_assert_null(audit_action_label("no.such"));
    cr_assert_str_eq(audit_result_label("ok"), "成功");
    cr_assert_str_eq(audit_result_label("denied"), "拒绝");
    cr_assert_str_eq(audit_result_label("failure"), "失败");
    cr_assert_str_eq(audit_kind_label("user"), "账号");
    cr_assert_str_eq(audit_kind_label("notice"), "督办单");
}

Test(audit_words, objects_split_into_kind_and_id)
{
    char kind[24];
    long long id;
    cr_assert(audit_object_parse("notice:12", kind, sizeof kind, &id));
    cr_assert_str_eq(kind, "notice");
    cr_assert_eq(id, 12);
    cr_assert(audit_object_parse("report:3/evidence/a.pdf", kind, sizeof kind, &id));
    cr_assert_eq(id, 3);
    cr_assert(audit_object_parse("user:demo.office", kind, sizeof kind, &id));
    cr_assert_str_eq(kind, "user");
    cr_assert_eq(id, 0);
    cr_assert_not(audit_object_parse("security_policy", kind, sizeof kind, &id));
    cr_assert_not(audit_object_parse(":5", kind, sizeof kind, &id));
    cr_assert_not(audit_object_parse(NULL, kind, sizeof kind, &id));
}

Test(audit_words, details_read_as_chinese)
{
    char out[256];
    cr_assert(audit_detail_text("report.import", "rejected: 3 error(s)", out, sizeof out));
    cr_assert_str_eq(out, "文件有 3 处错误，未导入");
    audit_detail_text("report.import", "12 report(s) imported from xlsx", out, sizeof out);
    cr_assert_str_eq(out, "从 Excel 文件导入 12 条台账");
    audit_detail_text("notice.create", "drafted", out, sizeof out);
    cr_assert_str_eq(out, "立项（草稿）");
    audit_detail_text("evaluation.scores_import", "2 created, 1 updated from csv", out, sizeof out);
    cr_assert_str_eq(out, "从 CSV 文件导入评分：新增 2，修改 1");
    audit_detail_text("evaluation.scores_import", "dry run: 2 created, 0 updated from xlsx", out,
                      sizeof out);
    cr_assert_str_eq(out, "试导入评分：新增 2，修改 0（未保存）");
    audit_detail_text("evaluation.signoff_return", "returned: 尚缺两个县", out, sizeof out);
    cr_assert_str_eq(out, "退回：尚缺两个县");
    audit_detail_text("evaluation.signoff_request", "requested", out, sizeof out);
    cr_assert_str_eq(out, "提请签批");
    audit_detail_text("user.roles", "[\"unit_admin\"]", out, sizeof out);
    cr_assert_str_eq(out, "角色设为：单位管理员");
    audit_detail_text("user.roles", "[]", out, sizeof out);
    cr_assert_str_eq(out, "收回全部角色");
    audit_detail_text("security_policy.update", "{\"lock_minutes\":15,\"token_max_days\":30}", out,
                      sizeof out);
    cr_assert_str_eq(out, "锁定时长（分钟）改为 15；API 令牌最长有效期（天）改为 30");
    audit_detail_text("notice.discard", "draft discarded: 关于某事", out, sizeof out);
    cr_assert_str_eq(out, "删除草稿「关于某事」");
    audit_detail_text("request.denied", "只能查看本单位的账号", out, sizeof out);
    cr_assert_str_eq(out, "只能查看本单位的账号", "a Chinese reason stays as it is");
    cr_assert_not(audit_detail_text("session.create", NULL, out, sizeof out));
    cr_assert_str_eq(out, "");
}
