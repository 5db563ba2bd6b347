/* test_validate.c - unit tests for src/base/validate.c: resident ID, mobile,
 * unified social credit code, masking and password rules. Valid numbers are
 * built here by computing their check characters from the standards. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/date.h"
#include "base/validate.h"

/* GB 11643-1999 check character for the first 17 digits of p. */
static char id_check(const char *p)
{
    const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    const char *map = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (p[i] - '0') * w[i];
    return map[sum % 11];
}

/* Builds an 18-char ID from 17 digits; check = 0 means the correct one. */
static void make_id(char out[19], const char *first17, char check)
{
    memcpy(out, first17, 17);
    out[17] = check ? check : id_check(first17);
    out[18] = '\0';
}

static char other_check(char c)
{
    return c == '0' ? '1' : '0';
}

static const char uscc_set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* GB 32100-2015 check character for the first 17 chars of p. */
static char uscc_check(const char *p)
{
    const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (int)(strchr(uscc_set, p[i]) - uscc_set) * w[i];
    int c = 31 - sum % 31;
    return uscc_set[c == 31 ? 0 : c];
}

static void make_uscc(char out[19], const char *first17)
{
    memcpy(out, first17, 17);
    out[17] = uscc_check(first17);
    out[18] = '\0';
}

#define TODAY_2026 date_from_ymd(2026, 11, 20)

Test(resident_id, standard_sample_is_valid)
{
    /* The worked example of GB 11643-1999 Annex A. */
    char id[19];
    make_id(id, "11010519491231002", 0);
    cr_assert_str_eq(id, "11010519491231002X");
    cr_assert_null(val_resident_id(id));
    cr_assert_null(val_resident_id("11010519491231002x"), "lowercase x must be accepted");
}

Test(resident_id, computed_valid_numbers)
{
    const char *bases[] = {"50010319900307123", "50010120000229001", "81000019000101000",
                           "50024220101231999", "44030420200615558"};
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        char id[19];
        make_id(id, bases[i], 0);
        cr_assert_null(val_resident_id_at(id, TODAY_2026), "%s", id);
        cr_assert_null(val_resident_id(id), "%s", id);
        make_id(id, bases[i], other_check(id_check(bases[i])));
        cr_assert_str_eq(val_resident_id_at(id, TODAY_2026), "身份证号校验位不正确", "%s", id);
    }
}

Test(resident_id, bad_checksum)
{
    cr_assert_str_eq(val_resident_id("110105194912310021"), "身份证号校验位不正确");
    cr_assert_str_eq(val_resident_id("110105194912310020"), "身份证号校验位不正确");
    cr_assert_str_eq(val_resident_id("11010519491231002A"), "身份证号最后一位应为数字或X");
}

Test(resident_id, wrong_length)
{
    cr_assert_str_eq(val_resident_id("11010519491231002"), "身份证号长度应为18位");
    cr_assert_str_eq(val_resident_id("11010519491231002X1"), "身份证号长度应为18位");
    cr_assert_str_eq(val_resident_id("110105491231002"), "身份证号长度应为18位");
    cr_assert_str_eq(val_resident_id(""), "身份证号不能为空");
    cr_assert_str_eq(val_resident_id(NULL), "身份证号不能为空");
}

Test(resident_id, letters_in_first_17)
{
    cr_assert_str_eq(val_resident_id("1101051949123100AX"), "身份证号前17位应为数字");
    cr_assert_str_eq(val_resident_id("A1010519491231002X"), "身份证号前17位应为数字");
    cr_assert_str_eq(val_resident_id("110105 9491231002X"), "身份证号前17位应为数字");
    /* 18 bytes of UTF-8 */
    cr_assert_str_eq(val_resident_id("身份证号码一"), "身份证号前17位应为数字");
}

Test(resident_id, region)
{
    char id[19];
    make_id(id, "01010519491231002", 0);
    cr_assert_str_eq(val_resident_id(id), "身份证号地区码无效（首位应为1-8）");
    make_id(id, "91010519491231002", 0);
    cr_assert_str_eq(val_resident_id(id), "身份证号地区码无效（首位应为1-8）");
}

Test(resident_id, invalid_birth_dates)
{
    char id[19];
    make_id(id, "50010119990230123", 0); /* 1999-02-30 */
    cr_assert_str_eq(val_resident_id(id), "身份证号中的出生日期无效");
    make_id(id, "50010120230229123", 0); /* 2023-02-29 */
    cr_assert_str_eq(val_resident_id(id), "身份证号中的出生日期无效");
    make_id(id, "50010119901301123", 0); /* month 13 */
    cr_assert_str_eq(val_resident_id(id), "身份证号中的出生日期无效");
    make_id(id, "50010119900100123", 0); /* day 0 */
    cr_assert_str_eq(val_resident_id(id), "身份证号中的出生日期无效");
    make_id(id, "50010118991231123", 0); /* before 1900 */
    cr_assert_str_eq(val_resident_id(id), "身份证号中的出生日期无效（早于1900年1月1日）");
    make_id(id, "50010119000101123", 0); /* exactly 1900-01-01 is fine */
    cr_assert_null(val_resident_id(id));
}

Test(resident_id, future_birth_date)
{
    char id[19];
    make_id(id, "50010129990101123", 0);
    cr_assert_str_eq(val_resident_id(id), "身份证号中的出生日期无效（晚于今天）");
    /* relative to an explicit today: the day itself is allowed, tomorrow not */
    make_id(id, "50010120261120123", 0);
    cr_assert_null(val_resident_id_at(id, TODAY_2026));
    make_id(id, "50010120261121123", 0);
    cr_assert_str_eq(val_resident_id_at(id, TODAY_2026), "身份证号中的出生日期无效（晚于今天）");
}

Test(resident_id, birth_and_age)
{
    char id[19];
    int y = 0, m = 0, d = 0;
    make_id(id, "50010319900307123", 0);
    cr_assert(val_resident_id_birth(id, &y, &m, &d));
    cr_assert_eq(y, 1990);
    cr_assert_eq(m, 3);
    cr_assert_eq(d, 7);
    cr_assert_eq(val_age_on(id, 2026, 3, 6), 35);
    cr_assert_eq(val_age_on(id, 2026, 3, 7), 36);
    cr_assert_eq(val_age_on(id, 1990, 3, 7), 0);
    cr_assert_eq(val_age_on(id, 1990, 3, 6), -1);
    cr_assert_eq(val_age_on(id, 2026, 2, 30), -1);

    y = 7;
    cr_assert_not(val_resident_id_birth("110105194912310021", &y, &m, &d));
    cr_assert_eq(y, 7);
    cr_assert_eq(val_age_on("110105194912310021", 2026, 1, 1), -1);

    /* born on 29 Feb: turns 14 on 1 Mar in a common year */
    make_id(id, "50010120120229004", 0);
    cr_assert_eq(val_age_on(id, 2026, 2, 28), 13);
    cr_assert_eq(val_age_on(id, 2026, 3, 1), 14);
    cr_assert_eq(val_age_on(id, 2024, 2, 29), 12);
}

Test(mobile, valid_and_invalid)
{
    cr_assert_null(val_mobile("13812345678"));
    cr_assert_null(val_mobile("19900001111"));
    cr_assert_null(val_mobile("16612345678"));
    cr_assert_str_eq(val_mobile("12812345678"), "手机号格式不正确（应以13-19开头）");
    cr_assert_str_eq(val_mobile("10812345678"), "手机号格式不正确（应以13-19开头）");
    cr_assert_str_eq(val_mobile("23812345678"), "手机号格式不正确（应以13-19开头）");
    cr_assert_str_eq(val_mobile("1381234567"), "手机号长度应为11位");
    cr_assert_str_eq(val_mobile("138123456789"), "手机号长度应为11位");
    cr_assert_str_eq(val_mobile("+8613812345"), "手机号应全部为数字");
    cr_assert_str_eq(val_mobile("1381234567a"), "手机号应全部为数字");
    cr_assert_str_eq(val_mobile(""), "手机号不能为空");
    cr_assert_str_eq(val_mobile(NULL), "手机号不能为空");
}

Test(uscc, computed_valid_codes)
{
    const char *bases[] = {"91500000MA5U00001", "91350100M000100Y4", "12500000000000000",
                           "Y1500103MAABCDEF0", "N2500112HJKLMNPQR", "A1500101TUWXY1234",
                           "51500000500000000", "93500240MA60XY123"};
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        cr_assert_eq(strlen(bases[i]), 17);
        char code[19];
        make_uscc(code, bases[i]);
        cr_assert_null(val_uscc(code), "%s", code);
        /* any other check character must be rejected */
        char bad = code[17] == '0' ? '1' : '0';
        code[17] = bad;
        cr_assert_str_eq(val_uscc(code), "统一社会信用代码校验位不正确", "%s", code);
    }
    char code[19];
    make_uscc(code, "91350100M000100Y4");
    cr_assert_str_eq(code, "91350100M000100Y43");
}

Test(uscc, known_bad)
{
    cr_assert_str_eq(val_uscc("91350100M000100Y44"), "统一社会信用代码校验位不正确");
    cr_assert_str_eq(val_uscc("91350100M000100Y4"), "统一社会信用代码长度应为18位");
    cr_assert_str_eq(val_uscc("91350100M000100Y433"), "统一社会信用代码长度应为18位");
    cr_assert_str_eq(val_uscc(""), "统一社会信用代码不能为空");
    cr_assert_str_eq(val_uscc(NULL), "统一社会信用代码不能为空");
    cr_assert_str_eq(val_uscc("91350100m000100y43"), "统一社会信用代码应使用大写字母");
    const char *bad_chars[] = {"91350100I000100Y43", "91350100O000100Y43", "91350100Z000100Y43",
                               "91350100S000100Y43", "91350100V000100Y43", "91350100-000100Y43"};
    for (size_t i = 0; i < sizeof bad_chars / sizeof bad_chars[0]; i++)
        cr_assert_str_eq(val_uscc(bad_chars[i]),
                         "统一社会信用代码含有无效字符（不使用I、O、Z、S、V）", "%s", bad_chars[i]);
    char code[19];
    make_uscc(code, "01350100M000100Y4");
    cr_assert_str_eq(val_uscc(code), "统一社会信用代码的登记管理部门代码无效");
    make_uscc(code, "B1350100M000100Y4");
    cr_assert_str_eq(val_uscc(code), "统一社会信用代码的登记管理部门代码无效");
    make_uscc(code, "9135A100M000100Y4");
    cr_assert_str_eq(val_uscc(code), "统一社会信用代码第3至8位应为行政区划数字");
}

Test(mask, resident_id)
{
    char out[19];
    val_mask_resident_id("500101199003071234", out);
    cr_assert_str_eq(out, "500101********1234");
    val_mask_resident_id("11010519491231002X", out);
    cr_assert_str_eq(out, "110105********002X");
    const char *odd[] = {"",
                         "5001",
                         "50010119900307123",
                         "5001011990030712345",
                         "身份证号码一",
                         "500101-9900307123",
                         NULL};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        memset(out, 'Q', sizeof out);
        val_mask_resident_id(odd[i], out);
        cr_assert_str_eq(out, "******************", "input %zu", i);
    }
}

Test(mask, mobile)
{
    char out[12];
    val_mask_mobile("13812345678", out);
    cr_assert_str_eq(out, "138****5678");
    const char *odd[] = {"",           "138", "1381234567", "138123456789", "1381234567x",
                         "手机号码一", NULL};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        memset(out, 'Q', sizeof out);
        val_mask_mobile(odd[i], out);
        cr_assert_str_eq(out, "***********", "input %zu", i);
    }
}

Test(password, accepted)
{
    cr_assert_null(val_password("Correct-horse1", "zhangsan"));
    cr_assert_null(val_password("correcthorse12!", "zhangsan"));     /* lower digit other */
    cr_assert_null(val_password("CORRECTHORSE12!", NULL));           /* upper digit other */
    cr_assert_null(val_password("abcdefGHIJKL1", ""));               /* lower upper digit */
    cr_assert_null(val_password("生态文明建设美丽重庆Aa", "admin")); /* 12 code points */
}

Test(password, length_counts_code_points)
{
    /* 11 code points, 31 bytes */
    cr_assert_str_eq(val_password("生态文明建设美丽重A1", NULL), "密码长度至少为12个字符");
    cr_assert_str_eq(val_password("Abcdefghi1!", NULL), "密码长度至少为12个字符");
    cr_assert_null(val_password("Abcdefghij1!", NULL));
    cr_assert_str_eq(val_password("", NULL), "密码不能为空");
    cr_assert_str_eq(val_password(NULL, NULL), "密码不能为空");
}

Test(password, classes)
{
    const char *msg = "密码应至少包含小写字母、大写字母、数字、其他符号中的3类";
    cr_assert_str_eq(val_password("abcdefghijklmn", NULL), msg);
    cr_assert_str_eq(val_password("abcdefghijkl12", NULL), msg);
    cr_assert_str_eq(val_password("ABCDEFGHIJKL!!", NULL), msg);
    cr_assert_str_eq(val_password("123456789012", NULL), msg);
    cr_assert_str_eq(val_password("生态文明建设美丽重庆12", NULL), msg);
}

Test(password, username)
{
    cr_assert_str_eq(val_password("Zhangsan2024!", "zhangsan2024!"), "密码不能与用户名相同");
    cr_assert_str_eq(val_password("My-ZhangSan-99", "zhangsan"), "密码不能包含用户名");
    cr_assert_str_eq(val_password("zhangsan-Pass1", "ZHANGSAN"), "密码不能包含用户名");
    cr_assert_null(val_password("My-Zhang-San-99", "zhangsan"));
}

Test(password, invalid_utf8)
{
    const char *msg = "密码含有无效字符（不是有效的UTF-8编码）";
    cr_assert_str_eq(val_password("Abcdefghijk1\xff", NULL), msg);
    cr_assert_str_eq(val_password("Abcdefghijk1\xc0\xaf", NULL), msg);     /* overlong */
    cr_assert_str_eq(val_password("Abcdefghijk1\xed\xa0\x80", NULL), msg); /* surrogate */
    cr_assert_str_eq(val_password("Abcdefghijk1\xe7\x94", NULL), msg);     /* truncated */
}
