/* test_comply_ics.c - unit tests for src/comply/ics.c, the iCalendar (RFC 5545) writer of the
 * calendar feeds: CRLF line ends, folding at 75 octets without splitting a UTF-8 character,
 * TEXT escaping, all-day events. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "comply/comply.h"

/* Every line of text ends in CRLF and has at most 75 octets. */
static void check_lines(const char *text)
{
    const char *p = text;
    while (*p) {
        const char *crlf = strstr(p, "\r\n");
        cr_assert_not_null(crlf, "unterminated line: %s", p);
        cr_assert_leq(crlf - p, 75, "line of %td octets", crlf - p);
        for (const char *q = p; q < crlf; q++)
            cr_assert(*q != '\n' && *q != '\r', "bare line break");
        p = crlf + 2;
    }
}

/* Undoes folding (RFC 5545 §3.1). */
static char *unfold(const char *text)
{
    char *out = malloc(strlen(text) + 1), *o = out;
    for (const char *p = text; *p;) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
            p += 3;
            continue;
        }
        *o++ = *p++;
    }
    *o = '\0';
    return out;
}

Test(comply_ics, a_calendar_with_one_event)
{
    struct ics c;
    comply_ics_begin(&c, "渝中区应报事项", "-//ecoact//compliance 1.0//ZH");
    comply_ics_event(&c, "3-t17-press-district-2023-10-01@ecoact", 1700000000LL,
                     date_from_ymd(2023, 12, 31),
                     "【渝中区】区级生态环境部门新闻发布会（媒体通气会） 2023Q4截止：还差1次",
                     "第一行\n第二行; a, b \\ c");
    comply_ics_end(&c);
    size_t n;
    char *text = comply_ics_take(&c, &n);
    cr_assert_not_null(text);
    cr_assert_eq(strlen(text), n);
    check_lines(text);
    cr_assert(strncmp(text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", 37) == 0);
    cr_assert(n > 15 && strcmp(text + n - 15, "END:VCALENDAR\r\n") == 0);
    char *u = unfold(text);
    cr_assert_not_null(
        strstr(u, "\r\nBEGIN:VEVENT\r\nUID:3-t17-press-district-2023-10-01@ecoact\r\n"));
    cr_assert_not_null(strstr(u, "\r\nDTSTAMP:20231114T221320Z\r\n"));
    cr_assert_not_null(strstr(u, "\r\nDTSTART;VALUE=DATE:20231231\r\n"));
    cr_assert_not_null(strstr(u, "\r\nDTEND;VALUE=DATE:20240101\r\n"));
    cr_assert_not_null(strstr(
        u,
        "\r\nSUMMARY:【渝中区】区级生态环境部门新闻发布会（媒体通气会） 2023Q4截止：还差1次\r\n"));
    cr_assert_not_null(strstr(u, "\r\nDESCRIPTION:第一行\\n第二行\\; a\\, b \\\\ c\r\n"));
    cr_assert_not_null(strstr(u, "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"));
    free(u);
    free(text);
}

Test(comply_ics, folding_never_splits_a_character)
{
    for (size_t len = 1; len < 200; len++) {
        char line[1024] = "SUMMARY:";
        /* a mix of 1-, 3- and 4-byte characters */
        for (size_t i = 0; i < len; i++)
            strcat(line, i % 3 == 0 ? "a" : i % 3 == 1 ? "中" : "\xf0\x9f\x8c\xb3");
        struct ics c = {0};
        comply_ics_line(&c, line);
        char *text = comply_ics_take(&c, NULL);
        check_lines(text);
        /* each physical line starts at a character boundary */
        for (const char *p = text; *p;) {
            cr_assert(((unsigned char)*p & 0xc0) != 0x80, "line starts inside a character");
            const char *crlf = strstr(p, "\r\n");
            p = crlf + 2;
            if (*p == ' ') {
                p++;
                cr_assert(((unsigned char)*p & 0xc0) != 0x80,
                          "continuation starts inside a character");
            }
        }
        char *u = unfold(text);
        cr_assert_eq(strlen(u), strlen(line) + 2);
        cr_assert(strncmp(u, line, strlen(line)) == 0, "unfolds to the line");
        free(u);
        free(text);
    }
}

Test(comply_ics, exactly_75_octets_is_not_folded)
{
    char line[80];
    memset(line, 'x', 75);
    line[75] = '\0';
    struct ics c = {0};
    comply_ics_line(&c, line);
    char *text = comply_ics_take(&c, NULL);
    cr_assert_eq(strlen(text), 77);
    free(text);
    line[74] = 'y';
    strcpy(line + 75, "z");
    comply_ics_line(&c, line);
    text = comply_ics_take(&c, NULL);
    cr_assert_str_eq(text + 75, "\r\n z\r\n");
    free(text);
}
