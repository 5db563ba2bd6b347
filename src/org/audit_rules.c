/* audit_rules.c - the audit log's words, pure: the one table of operation names (every audit
 * action a route or command writes, in Chinese), the kinds of object ("user:7" is an 账号),
 * the result with its reason, and the stored English details turned into readable Chinese.
 * The routes (api_audit.c) send them with each row; /me labels.audit has the table for the
 * log's filter. The console keeps no copy. */
#include "org/audit.h"
#include "org/perm.h"
#include "org/policy.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const actions[][2] = {
    {"session.create", "登录"},
    {"session.delete", "退出登录"},
    {"user.password_change", "修改密码"},
    {"user.create", "创建账号"},
    {"user.update", "编辑账号"},
    {"user.lock", "停用账号"},
    {"user.unlock", "启用账号"},
    {"user.password_reset", "重置密码"},
    {"user.roles", "设置角色"},
    {"user.permissions", "设置权限"},
    {"audit.archive", "归档审计日志"},
    {"pii.unmask", "查看完整个人信息"},
    {"api_token.create", "创建 API 令牌"},
    {"api_token.revoke", "吊销 API 令牌"},
    {"unit.create", "添加单位"},
    {"unit.update", "修改单位"},
    {"security_policy.update", "修改安全策略"},
    {"audit.export", "导出审计日志"},
    {"demo.load", "加载演示数据"},
    {"request.denied", "越权请求被拒绝"},
    {"plan.import", "导入行动计划"},
    {"plan.draft", "创建计划修订稿"},
    {"plan.update", "修改行动计划"},
    {"plan.publish", "发布行动计划"},
    {"plan.delete_draft", "删除计划修订稿"},
    {"plan.action.create", "添加行动"},
    {"plan.action.update", "修改行动"},
    {"plan.action.delete", "删除行动"},
    {"plan.task.create", "添加重点任务"},
    {"plan.task.update", "修改重点任务"},
    {"plan.task.delete", "删除重点任务"},
    {"plan.task.import", "批量导入重点任务"},
    {"plan.obligation.create", "添加工作义务"},
    {"plan.obligation.update", "修改工作义务"},
    {"plan.obligation.delete", "删除工作义务"},
    {"report.create", "填报台账"},
    {"report.update", "修改台账"},
    {"report.review", "审核台账"},
    {"report.import", "批量导入台账"},
    {"report.evidence.put", "上传台账佐证材料"},
    {"report.evidence.delete", "删除台账佐证材料"},
    {"notice.create", "新建督办单"},
    {"notice.update", "修改督办单"},
    {"notice.discard", "删除督办单草稿"},
    {"notice.issue", "下发督办单"},
    {"notice.sign", "签收督办单"},
    {"notice.answer", "反馈督办单办理情况"},
    {"notice.review", "复核督办单"},
    {"notice.escalate", "督办单升级"},
    {"notice.urge", "催办督办单"},
    {"notice.signoff_request", "提请领导签批督办单"},
    {"notice.signoff", "领导签批督办单"},
    {"notice.signoff_return", "领导退回督办单签批"},
    {"notice.settings", "修改督办单文号设置"},
    {"notice.drafts_from_red", "为红灯事项生成督办单草稿"},
    {"notice.evidence.put", "上传督办单佐证材料"},
    {"notice.evidence.delete", "删除督办单佐证材料"},
    {"evaluation.rubric", "修改评分细则"},
    {"evaluation.score", "录入考评得分"},
    {"evaluation.publish", "发布考评结果"},
    {"evaluation.scores_import", "批量导入考评得分"},
    {"evaluation.settings", "修改考评设置"},
    {"evaluation.signoff_request", "提请签批考评结果"},
    {"evaluation.signoff_approve", "签批同意考评结果"},
    {"evaluation.signoff_return", "退回考评结果签批"},
    {"meeting.create", "新建联席会议"},
    {"meeting.update", "修改联席会议"},
    {"meeting.notice", "发出会议通知"},
    {"meeting.receipt", "会议通知回执"},
    {"meeting.topic", "报送议题"},
    {"meeting.topic.select", "筛选议题"},
    {"meeting.topic.attachment", "上传议题附件"},
    {"meeting.agenda", "告知会议议题"},
    {"meeting.held", "登记会议召开"},
    {"meeting.minutes", "起草会议纪要"},
    {"meeting.countersign", "会签会议纪要"},
    {"meeting.minutes.issue", "印发会议纪要"},
    {"meeting.member.add", "添加成员单位"},
    {"meeting.member.update", "修改成员单位"},
    {"meeting.followup.update", "更新议定事项落实情况"},
    {"meeting.reminders", "发送会议提醒"},
    {"calendar.put", "设置节假日安排"},
    {"calendar_feed.create", "创建日历订阅"},
    {"calendar_feed.revoke", "吊销日历订阅"},
    {"inbox.done", "办结待办事项"},
    {"inbox.read_all", "待阅事项全部标为已读"},
    {"notify.prefs", "设置通知方式"},
    {"outbox.claim", "领取待发消息"},
    {"outbox.result", "回报消息发送结果"},
    {"outbox.retry", "重发消息"},
    {"outbox.push", "推送消息"},
    {"outbox.direct.claim", "领取待发短信"},
    {"outbox.direct.result", "回报短信发送结果"},
    {"organisation.file", "提交社会组织登记"},
    {"organisation.review", "审核社会组织"},
    {"organisation.refile", "修改后重新提交社会组织登记"},
    {"organisation.export", "导出社会组织名录"},
    {"organisation.member_add", "添加社会组织成员"},
    {"qr.scan", "扫码核验"},
    {"qr.verify", "校验二维码"},
    {"green.version.draft", "起草碳普惠方法学版本"},
    {"green.version.publish", "发布碳普惠方法学版本"},
    {"survey.questionnaire.draft", "起草调查问卷"},
    {"survey.questionnaire.publish", "发布调查问卷"},
    {"survey.questionnaire.close", "停用调查问卷"},
    {"survey.wave.create", "创建调查轮次"},
    {"survey.wave.close", "结束调查轮次"},
    {"survey.margins.set", "录入总体边际数据"},
    {"survey.response.save", "保存调查答卷"},
    {"survey.response.submit", "提交调查答卷"},
    {"green.channel.create", "新建积分上报渠道"},
    {"green.channel.revoke", "停用积分上报渠道"},
    {"green.entry.reverse", "冲正绿色积分"},
    {"green.ingest", "渠道上报低碳行为"},
    {"opinion.rule.create", "新建舆情规则"},
    {"opinion.rule.update", "修改舆情规则"},
    {"opinion.rule.publish", "启用舆情规则"},
    {"opinion.rule.retire", "停用舆情规则"},
    {"opinion.example.add", "添加舆情规则样例"},
    {"opinion.example.delete", "删除舆情规则样例"},
    {"opinion.bench", "舆情规则测试"},
    {"opinion.channel.create", "新建舆情监测渠道"},
    {"opinion.channel.revoke", "停用舆情监测渠道"},
    {"opinion.ingest", "监测服务商推送舆情"},
    {"opinion.item.enter", "人工录入舆情"},
    {"opinion.place.add", "添加舆情地名"},
    {"opinion.case.assess", "舆情研判"},
    {"opinion.case.assign", "舆情交办"},
    {"opinion.case.respond", "舆情处置"},
    {"opinion.case.signoff", "舆情回应审核"},
    {"opinion.case.release", "发布舆情回应"},
    {"opinion.case.close", "舆情办结"},
    {"opinion.settings.set", "修改舆情分级门槛"},
    {"opinion.place.delete", "删除舆情地名"},
    {"citizen.register", "公众注册"},
    {"citizen.login", "公众登录"},
    {"citizen.logout", "公众退出登录"},
    {"citizen.otp", "发送短信验证码"},
    {"citizen.password_reset", "公众重置密码"},
    {"citizen.password", "公众修改密码"},
    {"citizen.correct", "公众更正个人信息"},
    {"citizen.delete", "公众注销账号"},
    {"citizen.export", "公众下载个人数据"},
    {"citizen.guardian", "登记监护关系"},
    {"citizen.ward_consent", "监护人同意"},
    {"citizen.ward_withdraw", "撤回监护同意"},
    {"citizen.consent_withdraw", "撤回同意"},
    {"citizen.phone", "公众更换手机号"},
    {"citizen.realname", "公众实名认证"},
    {"citizen.inbox_read", "公众阅读消息"},
    /* volunteers (issue 13) */
    {"vol.join", "注册志愿者"},
    {"vol.profile", "修改志愿者信息"},
    {"vol.team_file", "申报志愿服务队伍"},
    {"vol.team_review", "审核志愿服务队伍"},
    {"vol.team_move", "调整志愿服务队伍隶属"},
    {"vol.team_admin", "设置队伍管理员"},
    {"vol.member_apply", "申请加入志愿服务队伍"},
    {"vol.member_decide", "审批入队申请"},
    {"vol.project_create", "创建志愿服务项目"},
    {"vol.activity_create", "创建志愿服务活动"},
    {"vol.activity_step", "办理志愿服务活动"},
    {"vol.activity_review", "审核志愿服务活动"},
    {"vol.signup", "报名志愿服务活动"},
    {"vol.group_signup", "团体报名志愿服务活动"},
    {"vol.signup_cancel", "取消报名"},
    {"vol.offer_confirm", "确认候补名额"},
    {"vol.mark_absent", "登记缺席"},
    /* environmental facilities open to the public (issue 15) */
    {"fac.file", "申报开放设施"},
    {"fac.update", "修改开放设施信息"},
    {"fac.review", "审核开放设施"},
    {"fac.session_create", "发布设施开放场次"},
    {"fac.session_cancel", "取消设施开放场次"},
    {"fac.session_held", "登记设施开放"},
    {"fac.checkin", "设施参观验码入场"},
    {"fac.walkin", "登记现场参观"},
    {"fac.leave", "登记参观离场"},
    {"fac.book", "预约设施开放"},
    {"fac.cancel", "取消设施预约"},
    {"fac.confirm", "确认设施候补名额"},
    {"fac.feedback", "评价设施参观"},
};
#define NACTIONS (sizeof actions / sizeof *actions)

const char *audit_action_label(const char *action)
{
    for (size_t i = 0; action && i < NACTIONS; i++)
        if (strcmp(actions[i][0], action) == 0) return actions[i][1];
    return NULL;
}

const char *audit_result_label(const char *result)
{
    if (result && strcmp(result, "ok") == 0) return "成功";
    if (result && strcmp(result, "denied") == 0) return "拒绝";
    return "失败";
}

json_t *audit_labels_json(void)
{
    json_t *a = json_object();
    for (size_t i = 0; i < NACTIONS; i++)
        json_object_set_new(a, actions[i][0], json_string(actions[i][1]));
    return json_pack("{s:o,s:{s:s,s:s,s:s}}", "actions", a, "results", "ok", "成功", "failure",
                     "失败", "denied", "拒绝");
}

static const char *const kinds[][2] = {
    {"user", "账号"},
    {"unit", "单位"},
    {"notice", "督办单"},
    {"notices", "督办单"},
    {"report", "台账"},
    {"reports", "台账"},
    {"plan", "行动计划"},
    {"meeting", "联席会议"},
    {"meeting-member", "成员单位"},
    {"follow-up", "议定事项"},
    {"api_token", "API 令牌"},
    {"calendar_feed", "日历订阅"},
    {"calendar", "节假日安排"},
    {"citizen", "公众账号"},
    {"organisation", "社会组织"},
    {"evaluation", "考评"},
    {"rubric", "评分细则"},
    {"inbox", "待办事项"},
    {"outbox", "待发消息"},
    {"qr", "二维码"},
    {"audit", "审计日志"},
    {"security_policy", "安全策略"},
    {"settings", "设置"},
};

const char *audit_kind_label(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kinds[i][0], kind) == 0) return kinds[i][1];
    return NULL;
}

bool audit_object_parse(const char *object, char *kind, size_t kindlen, long long *id)
{
    *id = 0;
    if (kindlen) kind[0] = '\0';
    if (!object) return false;
    size_t n = strcspn(object, ":");
    if (object[n] != ':' || n == 0 || n >= kindlen) return false;
    memcpy(kind, object, n);
    kind[n] = '\0';
    char *end;
    long long v = strtoll(object + n + 1, &end, 10);
    if (end != object + n + 1 && v > 0 && (*end == '\0' || *end == '/' || *end == ':')) *id = v;
    return true;
}

/* "[\"unit_admin\"]" as 单位管理员、… (the roles a user.roles row set). */
static bool roles_text(const char *detail, char *out, size_t outlen)
{
    json_t *a = json_loads(detail, 0, NULL);
    if (!json_is_array(a)) {
        json_decref(a);
        return false;
    }
    size_t i, at = 0;
    json_t *v;
    out[0] = '\0';
    json_array_foreach(a, i, v)
    {
        enum role ro;
        const char *s = json_string_value(v);
        const char *l = s && role_parse(s, &ro) ? role_label(ro) : s ? s : "?";
        int k = snprintf(out + at, outlen - at, "%s%s", i ? "、" : "角色设为：", l);
        if (k < 0 || (size_t)k >= outlen - at) break;
        at += (size_t)k;
    }
    if (json_array_size(a) == 0) snprintf(out, outlen, "收回全部角色");
    json_decref(a);
    return true;
}

/* {"max_failures":5,…} as 连续登录失败锁定次数改为 5；… (a security_policy.update row). */
static bool policy_text(const char *detail, char *out, size_t outlen)
{
    json_t *o = json_loads(detail, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        return false;
    }
    const char *k;
    json_t *v;
    size_t at = 0;
    out[0] = '\0';
    json_object_foreach(o, k, v)
    {
        const char *l = policy_field_label(k);
        int n = snprintf(out + at, outlen - at, "%s%s改为 %lld", at ? "；" : "", l ? l : k,
                         json_integer_value(v));
        if (n < 0 || (size_t)n >= outlen - at) break;
        at += (size_t)n;
    }
    json_decref(o);
    return true;
}

/* The fixed English details, word for word. */
static const char *const words[][2] = {
    {"drafted and issued", "立项并下发"},
    {"drafted", "立项（草稿）"},
    {"accept", "通过"},
    {"return", "退回"},
    {"accepted", "通过"},
    {"returned", "退回"},
    {"grant unmask_pii", "授予查看完整个人信息的权限"},
    {"revoke all permissions", "收回全部权限"},
    {"too many login attempts from this address", "该地址登录尝试过多，已限制"},
    {"too many codes requested", "验证码请求过多，已限制"},
    {"re-authentication failed", "重新验证身份未通过"},
    {"personal data downloaded", "下载了个人数据"},
    {"account deleted (anonymised)", "账号已注销（个人信息已匿名化）"},
    {"imported", "已导入"},
    {"sent", "已发送"},
    {"failed", "发送失败"},
    {"notice", "按时发出"},
    {"notice (late)", "逾期发出"},
    {"sign", "会签"},
    {"register", "注册"},
    {"signoff required", "开启签批：考评结果须经领导签批后才能发布"},
    {"signoff not required", "关闭签批：考评结果可直接发布"},
    {"requested", "提请签批"},
    {"approved", "签批同意"},
};

bool audit_detail_text(const char *action, const char *detail, char *out, size_t outlen)
{
    out[0] = '\0';
    if (!detail || !*detail) return false;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(detail, words[i][0]) == 0) {
            snprintf(out, outlen, "%s", words[i][1]);
            return true;
        }
    size_t n, m;
    char s[16];
    if (action && strcmp(action, "user.roles") == 0 && roles_text(detail, out, outlen)) return true;
    if (action && strcmp(action, "security_policy.update") == 0 && policy_text(detail, out, outlen))
        return true;
    if (sscanf(detail, "rejected: %zu error", &n) == 1)
        snprintf(out, outlen, "文件有 %zu 处错误，未导入", n);
    else if (sscanf(detail, "dry run: %zu created, %zu updated", &n, &m) == 2)
        snprintf(out, outlen, "试导入评分：新增 %zu，修改 %zu（未保存）", n, m);
    else if (sscanf(detail, "dry run: %zu row", &n) == 1)
        snprintf(out, outlen, "试导入：%zu 行无误（未保存）", n);
    else if (sscanf(detail, "%zu report(s) imported from %15s", &n, s) == 2)
        snprintf(out, outlen, "从%s文件导入 %zu 条台账", strcmp(s, "xlsx") ? " CSV " : " Excel ",
                 n);
    else if (sscanf(detail, "%zu created, %zu updated from %15s", &n, &m, s) == 3)
        snprintf(out, outlen, "从%s文件导入评分：新增 %zu，修改 %zu",
                 strcmp(s, "xlsx") ? " CSV " : " Excel ", n, m);
    else if (strncmp(detail, "approved: ", 10) == 0)
        snprintf(out, outlen, "签批同意：%s", detail + 10);
    else if (strncmp(detail, "returned: ", 10) == 0)
        snprintf(out, outlen, "退回：%s", detail + 10);
    else if (strncmp(detail, "draft discarded: ", 17) == 0)
        snprintf(out, outlen, "删除草稿「%s」", detail + 17);
    else if (sscanf(detail, "%zu reminder", &n) == 1)
        snprintf(out, outlen, "%zu 条提醒", n);
    else if (sscanf(detail, "%zu units", &n) == 1)
        snprintf(out, outlen, "%zu 个单位", n);
    else if (strncmp(detail, "copied from ", 12) == 0)
        snprintf(out, outlen, "复制自 %s", detail + 12);
    else if (strncmp(detail, "refused: ", 9) == 0)
        snprintf(out, outlen, "拒绝：%s 不符", detail + 9);
    else
        snprintf(out, outlen, "%s", detail); /* already Chinese (a refusal's reason) or a fact */
    return true;
}
