/* test_notify.c - unit tests for the pure rules of notifications (src/notify/notify_rules.c):
 * the inbox's kinds and labels, their class (待办 or 待阅), the check of an item, and SMS texts
 * (≤ 70 characters). */
#include <criterion/criterion.h>
#include <string.h>

#include "base/utf8.h"
#include "notify/notify.h"
#include <sodium.h>

Test(inbox, kinds_and_labels)
{
    cr_assert(inbox_kind_valid("notice_sign"));
    cr_assert(inbox_kind_valid("report_returned"));
    cr_assert_not(inbox_kind_valid(""));
    cr_assert_not(inbox_kind_valid("Notice"));
    cr_assert_not(inbox_kind_valid("notice-sign"));
    cr_assert_not(inbox_kind_valid("abcdefghijklmnopqrstuvwxyzabcdefg"));
    cr_assert_str_eq(inbox_kind_label("notice_sign"), "待签收督办单");
    cr_assert_str_eq(inbox_kind_label("report_returned"), "报送被退回");
    cr_assert_str_eq(inbox_kind_label("meeting_topic"), "meeting_topic");
}

/* Something to read is no task: minutes issued and an escalation only tell; everything that asks
 * the unit to sign, answer, revise, countersign, attend or act stays 待办 (and in the badge). */
Test(inbox, every_kind_is_todo_or_toread)
{
    static const char *const toread[] = {"meeting_issued", "notice_escalated"};
    static const char *const todo[] = {
        "notice_sign",         "notice_due",          "notice_returned", "notice_review",
        "notice_answer",       "notice_urge",         "notice_signoff",  "notice_signoff_returned",
        "report_returned",     "meeting_notice",      "meeting_due",     "meeting_agenda",
        "meeting_minutes_due", "meeting_countersign", "meeting_change",  "meeting_followup",
        "opinion_assigned",    "opinion_overdue"};
    for (size_t i = 0; i < sizeof toread / sizeof *toread; i++)
        cr_assert_eq(inbox_kind_class(toread[i]), INBOX_TOREAD, "%s", toread[i]);
    for (size_t i = 0; i < sizeof todo / sizeof *todo; i++)
        cr_assert_eq(inbox_kind_class(todo[i]), INBOX_TODO, "%s", todo[i]);
    /* every kind of the table is one of the two lists above: a new kind must choose */
    json_t *all = inbox_kinds_json();
    cr_assert_eq(json_object_size(all),
                 sizeof toread / sizeof *toread + sizeof todo / sizeof *todo);
    json_decref(all);
    /* an unknown kind may ask for something: it counts as 待办 */
    cr_assert_eq(inbox_kind_class("meeting_topic"), INBOX_TODO);
    cr_assert_eq(inbox_kind_class(NULL), INBOX_TODO);

    cr_assert_str_eq(inbox_class_code(INBOX_TODO), "todo");
    cr_assert_str_eq(inbox_class_code(INBOX_TOREAD), "toread");
    cr_assert_str_eq(inbox_class_label(INBOX_TODO), "待办");
    cr_assert_str_eq(inbox_class_label(INBOX_TOREAD), "待阅");
    enum inbox_class c = INBOX_TODO;
    cr_assert(inbox_class_parse("toread", &c));
    cr_assert_eq(c, INBOX_TOREAD);
    cr_assert(inbox_class_parse("todo", &c));
    cr_assert_eq(c, INBOX_TODO);
    cr_assert_not(inbox_class_parse("read", &c));
    cr_assert_not(inbox_class_parse("TODO", &c));
    cr_assert_not(inbox_class_parse("", &c));
    cr_assert_not(inbox_class_parse(NULL, &c));
    json_t *cl = inbox_classes_json();
    cr_assert_str_eq(json_string_value(json_object_get(cl, "toread")), "待阅");
    cr_assert_str_eq(json_string_value(json_object_get(cl, "todo")), "待办");
    json_decref(cl);
}

Test(inbox, an_sms_holds_at_most_70_characters_with_its_due_date)
{
    char out[4 * INBOX_SMS_MAX_CHARS + 1];
    inbox_sms_text("notice_sign", "新督办单待签收：渝生态宣督〔2026〕3号关于新闻发布会的督办",
                   "2026-12-10", out, sizeof out);
    cr_assert(strncmp(out, "【生态宣教】待签收督办单：", strlen("【生态宣教】待签收督办单：")) == 0,
              "%s", out);
    cr_assert(strstr(out, "期限12月10日"), "%s", out);
    cr_assert_leq(utf8_chars(out), INBOX_SMS_MAX_CHARS);

    char long_title[4 * 200 + 1] = "";
    for (int i = 0; i < 200; i++)
        strcat(long_title, "督");
    inbox_sms_text("notice_due", long_title, "2026-12-10", out, sizeof out);
    cr_assert_eq(utf8_chars(out), INBOX_SMS_MAX_CHARS, "%s", out);
    cr_assert(strstr(out, "…，期限12月10日"), "the title is cut, the due date kept: %s", out);

    inbox_sms_text("report_returned", "2023年第二季度新闻发布会", NULL, out, sizeof out);
    cr_assert_str_eq(out, "【生态宣教】报送被退回：2023年第二季度新闻发布会");
}

Test(inbox, an_item_is_checked_before_it_is_stored)
{
    struct inbox_item it = {.to = {.user_id = 7},
                            .kind = "report_returned",
                            .title = "报送被退回：2023年第二季度新闻发布会",
                            .link = "/reports/42",
                            .due = NULL,
                            .dedupe_key = "report:42:returned:3"};
    struct problem p = {0};
    cr_assert(inbox_item_check(&it, &p));
    it.due = "2026-02-30";
    cr_assert_not(inbox_item_check(&it, &p));
    cr_assert_eq(p.err, ERR_RULE);
    cr_assert_str_eq(p.field, "due");
    it.due = "2026-12-10";
    it.link = "reports/42";
    cr_assert_not(inbox_item_check(&it, &p));
    cr_assert_str_eq(p.field, "link");
    it.link = "/reports/42";
    it.dedupe_key = "";
    cr_assert_not(inbox_item_check(&it, &p));
    cr_assert_str_eq(p.field, "dedupe_key");
    it.dedupe_key = "report:42:returned:3";
    it.title = "";
    cr_assert_not(inbox_item_check(&it, &p));
    cr_assert_str_eq(p.field, "title");
    it.title = "报送被退回";
    it.to = (struct inbox_target){.unit_id = 3}; /* a unit but no roles: nobody */
    cr_assert_not(inbox_item_check(&it, &p));
    cr_assert_str_eq(p.field, "to");
    it.to.roles = 1u << ROLE_UNIT_ADMIN;
    cr_assert(inbox_item_check(&it, &p));
    it.kind = "Report";
    cr_assert_not(inbox_item_check(&it, &p));
    cr_assert_str_eq(p.field, "kind");
}

Test(citizen_inbox, kinds_labels_and_the_check_of_a_message)
{
    cr_assert_str_eq(citizen_msg_kind_label("guardian_request"), "监护人同意请求");
    cr_assert_str_eq(citizen_msg_kind_label("org_returned"), "组织登记被退回");
    cr_assert_str_eq(citizen_msg_kind_label("volunteer_hours"), "volunteer_hours");
    struct citizen_msg m = {.citizen_id = 7,
                            .kind = "guardian_request",
                            .title = "账号 137****7002 请求您作为监护人同意",
                            .link = "/m/me/wards",
                            .dedupe_key = "ward:8:request:1"};
    struct problem p = {0};
    cr_assert(citizen_msg_check(&m, &p));
    m.link = "/notices/12"; /* an officials' console path is no portal path */
    cr_assert_not(citizen_msg_check(&m, &p));
    cr_assert_eq(p.err, ERR_RULE);
    cr_assert_str_eq(p.field, "link");
    m.link = "/m/me/wards";
    m.citizen_id = 0;
    cr_assert_not(citizen_msg_check(&m, &p));
    cr_assert_str_eq(p.field, "citizen_id");
    m.citizen_id = 7;
    char body[CITIZEN_MSG_BODY_MAX + 2];
    memset(body, 'a', sizeof body - 1);
    body[sizeof body - 1] = '\0';
    m.body = body;
    cr_assert_not(citizen_msg_check(&m, &p));
    cr_assert_str_eq(p.field, "body");
    body[CITIZEN_MSG_BODY_MAX] = '\0';
    cr_assert(citizen_msg_check(&m, &p));
    m.due = "2026-13-01";
    cr_assert_not(citizen_msg_check(&m, &p));
    cr_assert_str_eq(p.field, "due");
    m.due = NULL;
    m.kind = "Guardian";
    cr_assert_not(citizen_msg_check(&m, &p));
    cr_assert_str_eq(p.field, "kind");
    m.kind = "guardian_request";
    m.dedupe_key = NULL;
    cr_assert_not(citizen_msg_check(&m, &p));
    cr_assert_str_eq(p.field, "dedupe_key");
    m.dedupe_key = "k";
    m.title = NULL;
    cr_assert_not(citizen_msg_check(&m, &p));
    cr_assert_str_eq(p.field, "title");
}

Test(delivery, urgent_kinds)
{
    cr_assert(inbox_kind_urgent("notice_escalated"));
    cr_assert(inbox_kind_urgent("notice_due"));
    cr_assert_not(inbox_kind_urgent("notice_sign"));
    cr_assert_not(inbox_kind_urgent("no_such_kind"));
    cr_assert_not(inbox_kind_urgent(NULL));
}

/* 2025-12-02 00:00 in Shanghai is 2025-12-01 16:00 UTC. */
#define MIDNIGHT 1764604800LL

Test(delivery, quiet_hours_in_shanghai_time)
{
    struct notify_prefs none = {.sms = true, .quiet_from = -1, .quiet_to = -1};
    cr_assert_eq(notify_quiet_until(&none, MIDNIGHT), 0);
    struct notify_prefs night = {.sms = true, .quiet_from = 22 * 60, .quiet_to = 7 * 60};
    cr_assert_eq(notify_quiet_until(&night, MIDNIGHT + 12 * 3600), 0); /* noon */
    cr_assert_eq(notify_quiet_until(&night, MIDNIGHT + 3 * 3600), MIDNIGHT + 7 * 3600);
    cr_assert_eq(notify_quiet_until(&night, MIDNIGHT + 23 * 3600), MIDNIGHT + 31 * 3600);
    cr_assert_eq(notify_quiet_until(&night, MIDNIGHT + 22 * 3600), MIDNIGHT + 31 * 3600);
    cr_assert_eq(notify_quiet_until(&night, MIDNIGHT + 7 * 3600), 0); /* the end is not quiet */
    struct notify_prefs lunch = {.sms = true, .quiet_from = 12 * 60, .quiet_to = 13 * 60 + 30};
    cr_assert_eq(notify_quiet_until(&lunch, MIDNIGHT + 12 * 3600 + 60),
                 MIDNIGHT + 13 * 3600 + 1800);
    cr_assert_eq(notify_quiet_until(&lunch, MIDNIGHT + 11 * 3600), 0);
}

Test(delivery, backoff_doubles_with_jitter_up_to_the_cap)
{
    for (unsigned rnd = 0; rnd < 1000; rnd += 37) {
        cr_assert(outbox_backoff(1, 30, 3600, rnd) >= 15 && outbox_backoff(1, 30, 3600, rnd) <= 30);
        cr_assert(outbox_backoff(3, 30, 3600, rnd) >= 60 &&
                  outbox_backoff(3, 30, 3600, rnd) <= 120);
        long long late = outbox_backoff(20, 30, 3600, rnd);
        cr_assert(late >= 1800 && late <= 3600, "%lld", late);
        cr_assert_geq(outbox_backoff(1, 1, 1, rnd), 1);
    }
    cr_assert_neq(outbox_backoff(5, 30, 3600, 1), outbox_backoff(5, 30, 3600, 200), "jitter");
}

Test(delivery, webhook_signature_is_hmac_sha256_over_timestamp_and_body)
{
    char sig[WEBHOOK_SIG_CHARS];
    const unsigned char key[] = "0123456789abcdef";
    webhook_signature(key, 16, 1700000000LL, "{\"id\":1}", 8, sig);
    cr_assert(strncmp(sig, "v1=", 3) == 0 && strlen(sig) == 67, "%s", sig);
    /* the same as libsodium's one-shot HMAC over "1700000000.{\"id\":1}" with that key */
    unsigned char mac[32];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, 16);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)"1700000000.{\"id\":1}", 19);
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    cr_assert_str_eq(sig + 3, hex);
    char other[WEBHOOK_SIG_CHARS];
    webhook_signature(key, 16, 1700000001LL, "{\"id\":1}", 8, other);
    cr_assert_str_neq(sig, other);
}
