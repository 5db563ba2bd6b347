/* ics.c - a small iCalendar (RFC 5545) writer for the calendar feeds: VCALENDAR with all-day
 * VEVENTs. Content lines end in CRLF and are folded so no line exceeds 75 octets (a fold is
 * CRLF + one space, never inside a UTF-8 sequence, §3.1); TEXT values escape backslash,
 * semicolon, comma and newlines (§3.3.11). Pure: no I/O, no clock. */
#include "comply/comply.h"
#include "base/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ICS_LINE_MAX 75

static void put(struct ics *c, const char *s, size_t n)
{
    if (c->failed) return;
    if (c->len + n + 1 > c->cap) {
        size_t cap = c->cap ? c->cap : 4096;
        while (cap < c->len + n + 1)
            cap *= 2;
        char *b = realloc(c->buf, cap);
        if (!b) {
            c->failed = true;
            return;
        }
        c->buf = b;
        c->cap = cap;
    }
    memcpy(c->buf + c->len, s, n);
    c->len += n;
    c->buf[c->len] = '\0';
}

/* Length of the UTF-8 sequence starting with byte b (1 for anything else). */
static size_t seq_len(unsigned char b)
{
    return b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
}

void comply_ics_line(struct ics *c, const char *line)
{
    size_t len = strlen(line), used = 0, room = ICS_LINE_MAX;
    while (used < len) {
        size_t take = 0;
        while (used + take < len) {
            size_t s = seq_len((unsigned char)line[used + take]);
            if (used + take + s > len) s = len - used - take;
            if (take + s > room) break;
            take += s;
        }
        if (take == 0) take = 1; /* cannot happen with room >= 4; guards a loop */
        put(c, line + used, take);
        used += take;
        put(c, "\r\n", 2);
        if (used < len) {
            put(c, " ", 1);
            room = ICS_LINE_MAX - 1; /* the leading space counts */
        }
    }
    if (len == 0) put(c, "\r\n", 2);
}

/* name + ":" + escaped TEXT value, as one (folded) content line. */
static void text_prop(struct ics *c, const char *name, const char *value)
{
    size_t n = strlen(name), v = strlen(value);
    char *line = malloc(n + 2 * v + 2);
    if (!line) {
        c->failed = true;
        return;
    }
    char *o = line;
    memcpy(o, name, n);
    o += n;
    *o++ = ':';
    for (const char *s = value; *s; s++) {
        switch (*s) {
        case '\\':
            *o++ = '\\';
            *o++ = '\\';
            break;
        case ';':
            *o++ = '\\';
            *o++ = ';';
            break;
        case ',':
            *o++ = '\\';
            *o++ = ',';
            break;
        case '\n':
            *o++ = '\\';
            *o++ = 'n';
            break;
        case '\r':
            break;
        default:
            *o++ = *s;
        }
    }
    *o = '\0';
    comply_ics_line(c, line);
    free(line);
}

void comply_ics_begin(struct ics *c, const char *calname, const char *prodid)
{
    memset(c, 0, sizeof *c);
    comply_ics_line(c, "BEGIN:VCALENDAR");
    comply_ics_line(c, "VERSION:2.0");
    text_prop(c, "PRODID", prodid);
    comply_ics_line(c, "CALSCALE:GREGORIAN");
    comply_ics_line(c, "METHOD:PUBLISH");
    text_prop(c, "X-WR-CALNAME", calname);
    comply_ics_line(c, "X-WR-TIMEZONE:Asia/Shanghai");
}

static void ymd(int day, char out[16])
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    snprintf(out, 16, "%04d%02d%02d", (y % 10000 + 10000) % 10000, m, d);
}

void comply_ics_event(struct ics *c, const char *uid, long long dtstamp, int day,
                      const char *summary, const char *description)
{
    char line[128], d[16];
    comply_ics_line(c, "BEGIN:VEVENT");
    text_prop(c, "UID", uid);
    time_t t = (time_t)dtstamp;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(line, sizeof line, "DTSTAMP:%Y%m%dT%H%M%SZ", &tm);
    comply_ics_line(c, line);
    ymd(day, d);
    snprintf(line, sizeof line, "DTSTART;VALUE=DATE:%s", d);
    comply_ics_line(c, line);
    ymd(day + 1, d);
    snprintf(line, sizeof line, "DTEND;VALUE=DATE:%s", d);
    comply_ics_line(c, line);
    text_prop(c, "SUMMARY", summary);
    if (description && *description) text_prop(c, "DESCRIPTION", description);
    comply_ics_line(c, "TRANSP:TRANSPARENT");
    comply_ics_line(c, "END:VEVENT");
}

void comply_ics_end(struct ics *c)
{
    comply_ics_line(c, "END:VCALENDAR");
}

char *comply_ics_take(struct ics *c, size_t *len)
{
    char *b = c->failed ? NULL : c->buf;
    if (len) *len = b ? c->len : 0;
    if (!b) free(c->buf);
    memset(c, 0, sizeof *c);
    return b;
}
