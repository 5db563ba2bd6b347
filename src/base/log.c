/* log.c - JSON-lines log writer; messages are escaped with jansson. */
#include "base/log.h"
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int quiet;

void log_set_quiet(int q)
{
    quiet = q;
}

void log_json_line(const char *json)
{
    size_t n = strlen(json);
    char buf[8192];
    if (n + 1 < sizeof buf) {
        memcpy(buf, json, n);
        buf[n] = '\n';
        ssize_t w = write(STDERR_FILENO, buf, n + 1);
        (void)w;
    } else {
        fprintf(stderr, "%s\n", json);
    }
}

static void emit(const char *level, const char *fmt, va_list ap)
{
    char msg[2048];
    vsnprintf(msg, sizeof msg, fmt, ap);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char t[64];
    snprintf(t, sizeof t, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)(ts.tv_nsec / 1000000) % 1000);
    json_t *o = json_pack("{s:s,s:s,s:s}", "time", t, "level", level, "msg", msg);
    if (!o) return;
    char *s = json_dumps(o, JSON_COMPACT);
    if (s) log_json_line(s);
    free(s);
    json_decref(o);
}

#define LOG_FN(name, level, skip_when_quiet)                                                       \
    void name(const char *fmt, ...)                                                                \
    {                                                                                              \
        if (skip_when_quiet && quiet) return;                                                      \
        va_list ap;                                                                                \
        va_start(ap, fmt);                                                                         \
        emit(level, fmt, ap);                                                                      \
        va_end(ap);                                                                                \
    }

LOG_FN(log_info, "info", 1)
LOG_FN(log_warn, "warn", 0)
LOG_FN(log_error, "error", 0)
