/* test_citizen.c - unit tests for the pure rules of public accounts (src/citizen/citizen_rules.c),
 * with examples worked by hand: the GB 11643 check digit and the age derived from the number
 * (birthdays, 29 February, the 14 and 18 year lines), the GB 32100 check character, mobile
 * numbers, the one-time code's verdicts and its send limits. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/date.h"
#include "citizen/citizen.h"
#include "base/validate.h"

/* 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 times 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2:
 * 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2; "10X98765432"[2] = 'X'. */
Test(citizen_id, check_digit_worked_by_hand)
{
    cr_assert_eq(val_resident_id_check_char("11010519491231002"), 'X');
    cr_assert_eq(val_resident_id_check_char("1101051949123100a"), '\0');
    struct citizen_birth b;
    struct problem p = {0};
    int today = date_from_ymd(2026, 12, 2);
    cr_assert(citizen_id_check("11010519491231002X", today, &b, &p), "%s", p.msg);
    cr_assert(citizen_id_check("11010519491231002x", today, &b, &p), "lower-case x is accepted");
    cr_assert_str_eq(b.date, "1949-12-31");
    cr_assert_eq(b.age, 76); /* 2026 - 1949 = 77, the birthday (31 Dec) not yet come */
    cr_assert_not(b.minor);
    cr_assert_not(citizen_id_check("110105194912310021", today, &b, &p));
    cr_assert_str_eq(p.field, "id_number");
    cr_assert(strstr(p.msg, "校验位"), "%s", p.msg);
    cr_assert_eq(p.err, ERR_RULE);
}

Test(citizen_id, bad_structure_names_the_field)
{
    struct citizen_birth b;
    int today = date_from_ymd(2026, 12, 2);
    const char *bad[] = {"",
                         "1101051949123100",
                         "11010519491331002X",
                         "01010519491231002X",
                         "11010520300101002X",
                         "110105194912310 2X"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct problem p = {0};
        cr_assert_not(citizen_id_check(bad[i], today, &b, &p), "%s", bad[i]);
        cr_assert_str_eq(p.field, "id_number");
    }
}

Test(citizen_age, the_day_of_the_birthday_counts)
{
    struct citizen_birth b;
    cr_assert(citizen_birth_on("2012-12-03", date_from_ymd(2026, 12, 2), &b));
    cr_assert_eq(b.age, 13);
    cr_assert(b.child, "13 is under 14: a guardian must consent");
    cr_assert(citizen_birth_on("2012-12-03", date_from_ymd(2026, 12, 3), &b));
    cr_assert_eq(b.age, 14);
    cr_assert_not(b.child);
    cr_assert(b.minor);
    cr_assert(citizen_birth_on("2008-12-02", date_from_ymd(2026, 12, 2), &b));
    cr_assert_eq(b.age, 18);
    cr_assert_not(b.minor);
    cr_assert_not(citizen_birth_on("2027-01-01", date_from_ymd(2026, 12, 2), &b), "not born yet");
    cr_assert_not(citizen_birth_on("2012-02-30", date_from_ymd(2026, 12, 2), &b));
}

Test(citizen_age, born_on_29_february)
{
    struct citizen_birth b;
    cr_assert(citizen_birth_on("2008-02-29", date_from_ymd(2026, 2, 28), &b));
    cr_assert_eq(b.age, 17); /* in a common year the birthday comes on 1 March */
    cr_assert(b.minor);
    cr_assert(citizen_birth_on("2008-02-29", date_from_ymd(2026, 3, 1), &b));
    cr_assert_eq(b.age, 18);
    cr_assert_not(b.minor);
}

/* 9 1 3 5 0 1 0 0 M(21) 0 0 0 1 0 0 Y(30) 4 times 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
 * 9+3+27+135+0+26+0+0+420+0+0+0+8+0+0+900+112 = 1640; 1640 mod 31 = 28; 31 - 28 = 3. */
Test(citizen_uscc, check_character_worked_by_hand)
{
    cr_assert_eq(val_uscc_check_char("91350100M000100Y4"), '3');
    cr_assert_eq(val_uscc_check_char("91350100M000100I4"), '\0', "I is not in the set");
    struct problem p = {0};
    cr_assert(citizen_uscc_check("91350100M000100Y43", &p), "%s", p.msg);
    cr_assert_not(citizen_uscc_check("91350100M000100Y44", &p));
    cr_assert_str_eq(p.field, "uscc");
    cr_assert(strstr(p.msg, "校验位"), "%s", p.msg);
    cr_assert_not(citizen_uscc_check("91350100m000100Y43", &p), "lower case");
    cr_assert_not(citizen_uscc_check("91350100M000100Y4", &p), "17 characters");
    cr_assert_not(citizen_uscc_check("", &p));
}

Test(citizen_phone, mainland_mobile_numbers_only)
{
    struct problem p = {0};
    cr_assert(citizen_phone_check("13800138000", &p));
    cr_assert(citizen_phone_check("19912345678", &p));
    const char *bad[] = {"12800138000",    "1380013800",  "138001380000",
                         "+8613800138000", "1380013800a", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct problem q = {0};
        cr_assert_not(citizen_phone_check(bad[i], &q), "%s", bad[i]);
        cr_assert_str_eq(q.field, "phone");
    }
}

Test(citizen_otp, each_verdict)
{
    long long now = 1000;
    struct otp_state s = {.exists = true, .expires_at = now + 10, .matches = true};
    cr_assert_eq(citizen_otp_judge(&s, now), OTP_OK);
    s.matches = false;
    cr_assert_eq(citizen_otp_judge(&s, now), OTP_WRONG);
    s.expires_at = now; /* five minutes are up at expires_at itself */
    cr_assert_eq(citizen_otp_judge(&s, now), OTP_EXPIRED);
    s.matches = true;
    cr_assert_eq(citizen_otp_judge(&s, now), OTP_EXPIRED, "a right code too late is expired");
    s.expires_at = now + 10;
    s.used_at = now - 1;
    cr_assert_eq(citizen_otp_judge(&s, now), OTP_USED, "a replayed code");
    s.used_at = 0;
    s.tries = CITIZEN_OTP_TRIES;
    cr_assert_eq(citizen_otp_judge(&s, now), OTP_LOCKED, "the right code after five wrong ones");
    struct otp_state none = {0};
    cr_assert_eq(citizen_otp_judge(&none, now), OTP_NONE);
}

Test(citizen_otp, problems_name_the_code_and_the_status)
{
    struct problem p = {0};
    int retry;
    citizen_otp_problem(OTP_WRONG, 4, &retry, &p);
    cr_assert_eq(p.err, ERR_RULE);
    cr_assert_str_eq(p.field, "code");
    cr_assert(strstr(p.msg, "还可尝试4次"), "%s", p.msg);
    cr_assert_eq(retry, 0);
    citizen_otp_problem(OTP_WRONG, 0, &retry, &p); /* the fifth wrong try */
    cr_assert_eq(p.err, ERR_RATE);
    cr_assert_gt(retry, 0);
    citizen_otp_problem(OTP_USED, 0, &retry, &p);
    cr_assert_eq(p.err, ERR_CONFLICT);
    citizen_otp_problem(OTP_EXPIRED, 0, &retry, &p);
    cr_assert(strstr(p.msg, "过期"), "%s", p.msg);
}

Test(citizen_otp, send_limits)
{
    struct problem p = {0};
    long long now = 100000;
    cr_assert_eq(citizen_otp_wait(0, 0, 0, 0, 0, now, &p), 0);
    cr_assert_eq(citizen_otp_wait(now - 20, 1, 1, now - 20, now - 20, now, &p), 40);
    cr_assert_str_eq(p.field, "phone");
    cr_assert_eq(citizen_otp_wait(now - 60, 1, 1, now - 60, now - 60, now, &p), 0);
    /* five to this number in the hour: wait until the oldest is an hour old */
    cr_assert_eq(citizen_otp_wait(now - 100, 5, 5, now - 3000, now - 3000, now, &p), 600);
    cr_assert_eq(p.err, ERR_RATE);
    /* twenty from this address: the address's limit comes first */
    struct problem q = {0};
    cr_assert_eq(citizen_otp_wait(0, 0, 20, 0, now - 1800, now, &q), 1800);
    cr_assert_str_eq(q.field, "");
}

Test(citizen_org, kinds_and_roles)
{
    cr_assert(citizen_org_kind_valid("social_org"));
    cr_assert(citizen_org_kind_valid("school"));
    cr_assert_not(citizen_org_kind_valid("club"));
    cr_assert_not(citizen_org_kind_valid(NULL));
    cr_assert_str_eq(citizen_org_kind_label("facility_operator"), "环保设施运营单位");
    cr_assert(citizen_org_role_valid("org_admin"));
    cr_assert_not(citizen_org_role_valid("owner"));
}
