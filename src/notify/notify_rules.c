/* notify_rules.c - the pure rules of notifications (see notify.h): the kinds with their Chinese
 * labels, the check of an item before it is stored, and the text of an item's SMS (one message,
 * at most 70 characters). No I/O, no clock: tested in tests/unit/test_notify.c. */
#include "notify/notify.h"
#include "base/date.h"
#include "base/utf8.h"
#include <stdio.h>
#include <string.h>

static const struct {
    const char *kind, *label;
} kinds[] = {
    {"notice_sign", "待签收督办单"},           {"notice_due", "督办单即将到期"},
    {"notice_returned", "督办反馈被退回"},     {"notice_review", "督办反馈待复核"},
    {"notice_escalated", "督办单已升级"},      {"report_returned", "报送被退回"},
    {"meeting_notice", "联席会议通知"},        {"meeting_due", "联席会议事项即将到期"},
    {"meeting_agenda", "联席会议议题通知"},    {"meeting_minutes_due", "待制作会议纪要"},
    {"meeting_countersign", "待会签会议纪要"}, {"meeting_change", "纪要修改意见"},
    {"meeting_issued", "会议纪要已印发"},      {"meeting_followup", "会议议定事项"},
};

const char *inbox_kind_label(const char *kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (kind && strcmp(kind, kinds[i].kind) == 0) return kinds[i].label;
    return kind;
}

bool inbox_kind_valid(const char *kind)
{
    size_t n = kind ? strlen(kind) : 0;
    if (n == 0 || n > 32) return false;
    for (size_t i = 0; i < n; i++)
        if (!((kind[i] >= 'a' && kind[i] <= 'z') || kind[i] == '_')) return false;
    return true;
}

/* Fills p with a 422 on field and returns false. */
#define FAULT(field, ...) (problem_set(p, ERR_RULE, field, __VA_ARGS__) == OK)

bool inbox_item_check(const struct inbox_item *it, struct problem *p)
{
    size_t tl = it->title ? utf8_chars(it->title) : 0;
    int d;
    if (!inbox_kind_valid(it->kind))
        return FAULT("kind", "待办类型应为 1 到 32 个小写字母或下划线");
    if (tl == 0 || tl > INBOX_TITLE_MAX)
        return FAULT("title", "待办标题应为 1 到 %d 个字符", INBOX_TITLE_MAX);
    if (!it->link || it->link[0] != '/' || strlen(it->link) > INBOX_LINK_MAX)
        return FAULT("link", "待办链接应为以 / 开头、至多 %d 字节的控制台路径", INBOX_LINK_MAX);
    if (it->due && !date_parse(it->due, &d)) return FAULT("due", "待办期限应为日期 YYYY-MM-DD");
    if (!it->dedupe_key || !*it->dedupe_key || strlen(it->dedupe_key) > INBOX_KEY_MAX)
        return FAULT("dedupe_key", "待办去重键应为 1 到 %d 字节", INBOX_KEY_MAX);
    if (!it->to.user_id && !it->to.roles)
        return FAULT("to", "待办应发给一个账号，或发给一个单位中担任某些角色的账号");
    return true;
}

void inbox_sms_text(const char *kind, const char *title, const char *due, char *out, size_t outlen)
{
    char head[160], tail[64] = "";
    snprintf(head, sizeof head, "【生态宣教】%s：", inbox_kind_label(kind));
    int d;
    if (due && date_parse(due, &d)) {
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        snprintf(tail, sizeof tail, "，期限%d月%d日", m, dd);
    }
    size_t fixed = utf8_chars(head) + utf8_chars(tail);
    size_t room = fixed < INBOX_SMS_MAX_CHARS ? INBOX_SMS_MAX_CHARS - fixed : 0;
    char cut[4 * INBOX_SMS_MAX_CHARS + 1];
    utf8_cut(title ? title : "", room, cut, sizeof cut);
    char all[4 * INBOX_SMS_MAX_CHARS * 2 + 256];
    snprintf(all, sizeof all, "%s%s%s", head, cut, tail);
    utf8_cut(all, INBOX_SMS_MAX_CHARS, out, outlen);
}
