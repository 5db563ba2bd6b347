/* notify_rules.c - the pure rules of notifications (see notify.h): the kinds with their Chinese
 * labels, urgency and class (待办 or 待阅), the check of an item before it is stored, the text of
 * an item's SMS (one message, at most 70 characters), quiet hours, the push deliverer's backoff and
 * its webhook signature. No I/O, no clock: tested in tests/unit/test_notify.c. */
#include "notify/notify.h"
#include "base/date.h"
#include "base/utf8.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* urgent: delivered at once even in the recipient's quiet hours (a deadline or an escalation).
 * class: INBOX_TODO when the item asks the recipient to do something (sign, answer, review,
 * revise, countersign, attend, act on a decision), INBOX_TOREAD when it only tells them
 * something (minutes issued, a notice escalated): 待阅 items are listed apart and left out of
 * the header's badge. The class is stored with each item when it is added (migration 0012
 * backfilled the items before it from this table); a kind moved to another class later needs a
 * migration that updates the stored items too. */
static const struct {
    const char *kind, *label;
    bool urgent;
    enum inbox_class cls;
} kinds[] = {
    {"notice_sign", "待签收督办单", false, INBOX_TODO},
    {"notice_due", "督办单即将到期", true, INBOX_TODO},
    {"notice_returned", "督办反馈被退回", false, INBOX_TODO},
    {"notice_review", "督办反馈待复核", false, INBOX_TODO},
    {"notice_answer", "督办单待反馈", false, INBOX_TODO},
    {"notice_urge", "督办单催办", true, INBOX_TODO},
    {"notice_signoff", "督办单待签批", false, INBOX_TODO},
    {"notice_signoff_returned", "督办单签批被退回", false, INBOX_TODO},
    {"notice_escalated", "督办单已升级", true, INBOX_TOREAD},
    {"report_returned", "报送被退回", false, INBOX_TODO},
    {"meeting_notice", "联席会议通知", false, INBOX_TODO}, /* confirm and submit topics */
    {"meeting_due", "联席会议事项即将到期", true, INBOX_TODO},
    {"meeting_agenda", "联席会议议题通知", false, INBOX_TODO}, /* attend: settled when held */
    {"meeting_minutes_due", "待制作会议纪要", false, INBOX_TODO},
    {"meeting_countersign", "待会签会议纪要", false, INBOX_TODO},
    {"meeting_change", "纪要修改意见", false, INBOX_TODO},
    {"meeting_issued", "会议纪要已印发", false, INBOX_TOREAD},
    {"meeting_followup", "会议议定事项", false, INBOX_TODO},
    {"opinion_assigned", "舆情交办", true, INBOX_TODO},
    {"opinion_overdue", "舆情超时未回应", true, INBOX_TODO},
};

static const struct {
    const char *code, *label;
} classes[] = {[INBOX_TODO] = {"todo", "待办"}, [INBOX_TOREAD] = {"toread", "待阅"}};

json_t *inbox_kinds_json(void)
{
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        json_object_set_new(o, kinds[i].kind, json_string(kinds[i].label));
    return o;
}

json_t *inbox_classes_json(void)
{
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof classes / sizeof *classes; i++)
        json_object_set_new(o, classes[i].code, json_string(classes[i].label));
    return o;
}

bool inbox_kind_urgent(const char *kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (kind && strcmp(kind, kinds[i].kind) == 0) return kinds[i].urgent;
    return false;
}

enum inbox_class inbox_kind_class(const char *kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (kind && strcmp(kind, kinds[i].kind) == 0) return kinds[i].cls;
    return INBOX_TODO; /* an unknown kind may ask for something: it stays in the badge */
}

const char *inbox_class_code(enum inbox_class c)
{
    return classes[c == INBOX_TOREAD ? INBOX_TOREAD : INBOX_TODO].code;
}

const char *inbox_class_label(enum inbox_class c)
{
    return classes[c == INBOX_TOREAD ? INBOX_TOREAD : INBOX_TODO].label;
}

bool inbox_class_parse(const char *s, enum inbox_class *out)
{
    for (size_t i = 0; s && i < sizeof classes / sizeof *classes; i++)
        if (strcmp(s, classes[i].code) == 0) {
            *out = (enum inbox_class)i;
            return true;
        }
    return false;
}

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

/* ---- a citizen's messages ---- */

static const struct {
    const char *kind, *label;
} citizen_kinds[] = {
    {"guardian_request", "监护人同意请求"}, {"guardian_approved", "监护人已同意"},
    {"guardian_refused", "监护人未同意"},   {"guardian_withdrawn", "监护人已撤回同意"},
    {"org_accepted", "组织登记已通过"},     {"org_returned", "组织登记被退回"},
    {"vol_offer", "志愿活动候补名额"},      {"vol_cancelled", "志愿活动已取消"},
    {"fac_offer", "设施开放候补名额"},      {"fac_cancel", "设施开放场次已取消"},
};

const char *citizen_msg_kind_label(const char *kind)
{
    for (size_t i = 0; i < sizeof citizen_kinds / sizeof *citizen_kinds; i++)
        if (kind && strcmp(kind, citizen_kinds[i].kind) == 0) return citizen_kinds[i].label;
    return kind;
}

bool citizen_msg_check(const struct citizen_msg *m, struct problem *p)
{
    size_t tl = m->title ? utf8_chars(m->title) : 0;
    int d;
    if (m->citizen_id <= 0) return FAULT("citizen_id", "消息应发给一个公众账号");
    if (!inbox_kind_valid(m->kind)) return FAULT("kind", "消息类型应为 1 到 32 个小写字母或下划线");
    if (tl == 0 || tl > INBOX_TITLE_MAX)
        return FAULT("title", "消息标题应为 1 到 %d 个字符", INBOX_TITLE_MAX);
    if (m->body && strlen(m->body) > CITIZEN_MSG_BODY_MAX)
        return FAULT("body", "消息正文至多 %d 字节", CITIZEN_MSG_BODY_MAX);
    if (!m->link || strncmp(m->link, "/m/", 3) != 0 || strlen(m->link) > INBOX_LINK_MAX)
        return FAULT("link", "消息链接应为以 /m/ 开头、至多 %d 字节的公众端路径", INBOX_LINK_MAX);
    if (m->due && !date_parse(m->due, &d)) return FAULT("due", "消息期限应为日期 YYYY-MM-DD");
    if (!m->dedupe_key || !*m->dedupe_key || strlen(m->dedupe_key) > INBOX_KEY_MAX)
        return FAULT("dedupe_key", "消息去重键应为 1 到 %d 字节", INBOX_KEY_MAX);
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

/* ---- preferences and push delivery ---- */

long long notify_quiet_until(const struct notify_prefs *p, long long now)
{
    if (p->quiet_from < 0 || p->quiet_to < 0 || p->quiet_from == p->quiet_to) return 0;
    long long local = now + 8 * 3600; /* Asia/Shanghai, no DST */
    long long day = local - ((local % 86400) + 86400) % 86400;
    long long min = (local - day) / 60;
    long long from = p->quiet_from, to = p->quiet_to, end;
    if (from < to) { /* 13:00-14:00 */
        if (min < from || min >= to) return 0;
        end = day + to * 60;
    } else { /* 22:00-07:00 wraps midnight */
        if (min >= to && min < from) return 0;
        end = day + to * 60 + (min >= from ? 86400 : 0);
    }
    return end - 8 * 3600;
}

long long outbox_backoff(long long attempts, long long base, long long cap, unsigned rnd)
{
    if (base < 1) base = 1;
    if (cap < base) cap = base;
    long long d = base;
    for (long long i = 1; i < attempts && d < cap; i++)
        d *= 2;
    if (d > cap) d = cap;
    /* "equal jitter": half the delay fixed, half random, so the retries of many messages that
     * failed together spread out instead of arriving together again */
    long long half = d / 2, r = half + (long long)(rnd % (unsigned long long)(d - half + 1));
    return r < 1 ? 1 : r;
}

void webhook_signature(const unsigned char *secret, size_t secret_len, long long ts,
                       const char *body, size_t len, char out[WEBHOOK_SIG_CHARS])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char t[24];
    int tl = snprintf(t, sizeof t, "%lld.", ts);
    crypto_auth_hmacsha256_init(&st, secret, secret_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)t, (unsigned long long)tl);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_final(&st, mac);
    memcpy(out, "v1=", 3);
    sodium_bin2hex(out + 3, WEBHOOK_SIG_CHARS - 3, mac, sizeof mac);
    sodium_memzero(&st, sizeof st);
}
