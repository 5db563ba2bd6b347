/* validate.c - checks for resident ID numbers (GB 11643-1999), mobile
 * numbers, unified social credit codes (GB 32100-2015) and passwords, plus
 * masking of personal numbers for display. */
#include "base/validate.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/date.h"

#define ID_LEN 18
#define MOBILE_LEN 11
#define USCC_LEN 18
#define PASSWORD_MIN_CHARS 12

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of s but stop counting past max (so huge inputs are not walked). */
static size_t bounded_len(const char *s, size_t max)
{
    size_t n = 0;
    while (n <= max && s[n] != '\0')
        n++;
    return n;
}

static int digits_value(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* ---- resident ID ---- */

char val_resident_id_check_char(const char *first17)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char map[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (!first17 || !is_digit(first17[i])) return '\0';
        sum += (first17[i] - '0') * w[i];
    }
    return map[sum % 11];
}

const char *val_resident_id_at(const char *s, int today)
{
    if (!s || s[0] == '\0') return "身份证号不能为空";
    if (bounded_len(s, ID_LEN) != ID_LEN) return "身份证号长度应为18位";
    for (int i = 0; i < 17; i++)
        if (!is_digit(s[i])) return "身份证号前17位应为数字";
    if (s[0] < '1' || s[0] > '8') return "身份证号地区码无效（首位应为1-8）";
    int y = digits_value(s + 6, 4), m = digits_value(s + 10, 2), d = digits_value(s + 12, 2);
    if (!date_valid_ymd(y, m, d)) return "身份证号中的出生日期无效";
    int birth = date_from_ymd(y, m, d);
    if (birth < date_from_ymd(1900, 1, 1)) return "身份证号中的出生日期无效（早于1900年1月1日）";
    if (birth > today) return "身份证号中的出生日期无效（晚于今天）";
    char c = s[17];
    if (!is_digit(c) && c != 'X' && c != 'x') return "身份证号最后一位应为数字或X";
    if (c == 'x') c = 'X';
    if (c != val_resident_id_check_char(s)) return "身份证号校验位不正确";
    return NULL;
}

static int today_shanghai(void)
{
    return date_today_shanghai((long long)time(NULL));
}

const char *val_resident_id(const char *s)
{
    return val_resident_id_at(s, today_shanghai());
}

bool val_resident_id_birth(const char *s, int *y, int *m, int *d)
{
    if (val_resident_id(s) != NULL) return false;
    if (y) *y = digits_value(s + 6, 4);
    if (m) *m = digits_value(s + 10, 2);
    if (d) *d = digits_value(s + 12, 2);
    return true;
}

int val_age_on(const char *id, int y, int m, int d)
{
    int by, bm, bd;
    if (!date_valid_ymd(y, m, d) || !val_resident_id_birth(id, &by, &bm, &bd)) return -1;
    if (date_from_ymd(y, m, d) < date_from_ymd(by, bm, bd)) return -1;
    int age = y - by;
    if (m < bm || (m == bm && d < bd)) age--;
    return age;
}

/* ---- mobile ---- */

const char *val_mobile(const char *s)
{
    if (!s || s[0] == '\0') return "手机号不能为空";
    if (bounded_len(s, MOBILE_LEN) != MOBILE_LEN) return "手机号长度应为11位";
    for (int i = 0; i < MOBILE_LEN; i++)
        if (!is_digit(s[i])) return "手机号应全部为数字";
    if (s[0] != '1' || s[1] < '3' || s[1] > '9') return "手机号格式不正确（应以13-19开头）";
    return NULL;
}

/* ---- unified social credit code ---- */

static const char uscc_charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Value 0..30 of c, or -1 when c is not in the code's charset. */
static int uscc_value(char c)
{
    if (c == '\0') return -1;
    const char *p = strchr(uscc_charset, c);
    return p ? (int)(p - uscc_charset) : -1;
}

char val_uscc_check_char(const char *first17)
{
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = first17 ? uscc_value(first17[i]) : -1;
        if (v < 0) return '\0';
        sum += v * w[i];
    }
    return uscc_charset[(31 - sum % 31) % 31];
}

const char *val_uscc(const char *s)
{
    if (!s || s[0] == '\0') return "统一社会信用代码不能为空";
    if (bounded_len(s, USCC_LEN) != USCC_LEN) return "统一社会信用代码长度应为18位";
    bool lower = false, bad = false;
    for (int i = 0; i < USCC_LEN; i++) {
        if (s[i] >= 'a' && s[i] <= 'z') lower = true;
        if (uscc_value(s[i]) < 0) bad = true;
    }
    if (lower) return "统一社会信用代码应使用大写字母";
    if (bad) return "统一社会信用代码含有无效字符（不使用I、O、Z、S、V）";
    if (!(is_digit(s[0]) && s[0] != '0') && s[0] != 'A' && s[0] != 'N' && s[0] != 'Y')
        return "统一社会信用代码的登记管理部门代码无效";
    for (int i = 2; i < 8; i++)
        if (!is_digit(s[i])) return "统一社会信用代码第3至8位应为行政区划数字";
    if (val_uscc_check_char(s) != s[17]) return "统一社会信用代码校验位不正确";
    return NULL;
}

/* ---- masking ---- */

static bool is_ascii_alnum(char c)
{
    return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

void val_mask_resident_id(const char *in, char out[19])
{
    bool ok = in && bounded_len(in, ID_LEN) == ID_LEN;
    for (int i = 0; ok && i < ID_LEN; i++)
        ok = is_ascii_alnum(in[i]);
    for (int i = 0; i < ID_LEN; i++)
        out[i] = ok && (i < 6 || i >= 14) ? in[i] : '*';
    out[ID_LEN] = '\0';
}

void val_mask_mobile(const char *in, char out[12])
{
    bool ok = in && bounded_len(in, MOBILE_LEN) == MOBILE_LEN;
    for (int i = 0; ok && i < MOBILE_LEN; i++)
        ok = is_digit(in[i]);
    for (int i = 0; i < MOBILE_LEN; i++)
        out[i] = ok && (i < 3 || i >= 7) ? in[i] : '*';
    out[MOBILE_LEN] = '\0';
}

/* ---- password ---- */

/* Decodes one UTF-8 sequence at s; returns its length, 0 when invalid
 * (truncated, overlong, surrogate, above U+10FFFF). */
static size_t utf8_seq_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n;
    unsigned cp, min;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) /* also stops at the terminating NUL */
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

const char *val_password(const char *pw, const char *username)
{
    if (!pw || pw[0] == '\0') return "密码不能为空";
    const unsigned char *p = (const unsigned char *)pw;
    size_t chars = 0;
    bool lower = false, upper = false, digit = false, other = false;
    while (*p) {
        size_t n = utf8_seq_len(p);
        if (n == 0) return "密码含有无效字符（不是有效的UTF-8编码）";
        if (*p >= 'a' && *p <= 'z')
            lower = true;
        else if (*p >= 'A' && *p <= 'Z')
            upper = true;
        else if (*p >= '0' && *p <= '9')
            digit = true;
        else
            other = true;
        chars++;
        p += n;
    }
    if (chars < PASSWORD_MIN_CHARS) return "密码长度至少为12个字符";
    if ((int)lower + (int)upper + (int)digit + (int)other < 3)
        return "密码应至少包含小写字母、大写字母、数字、其他符号中的3类";
    if (username && username[0] != '\0') {
        if (strcasecmp(pw, username) == 0) return "密码不能与用户名相同";
        if (strcasestr(pw, username) != NULL) return "密码不能包含用户名";
    }
    return NULL;
}
