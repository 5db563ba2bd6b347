/* err.c - the table mapping enum err to HTTP status, stable code and default message, and the
 * one problem setter. */
#include "base/err.h"
#include "base/utf8.h"
#include <stdarg.h>
#include <stdio.h>

static const struct {
    int status;
    const char *code;
    const char *message;
} table[ERR__COUNT] = {
    [OK] = {200, "ok", "成功"},
    [ERR_BAD_REQUEST] = {400, "bad_request", "请求格式不正确"},
    [ERR_UNAUTHORIZED] = {401, "unauthorized", "请先登录"},
    [ERR_FORBIDDEN] = {403, "forbidden", "无权执行此操作"},
    [ERR_NOT_FOUND] = {404, "not_found", "资源不存在"},
    [ERR_METHOD] = {405, "method_not_allowed", "不支持该请求方法"},
    [ERR_CONFLICT] = {409, "conflict", "与现有数据冲突"},
    [ERR_TOO_LARGE] = {413, "too_large", "请求内容过大"},
    [ERR_MEDIA_TYPE] = {415, "unsupported_media_type", "请求内容类型不受支持"},
    [ERR_RULE] = {422, "rule_violation", "数据不符合规则"},
    [ERR_LOCKED] = {423, "locked", "账号已锁定"},
    [ERR_RATE] = {429, "rate_limited", "请求过于频繁，请稍后再试"},
    [ERR_INTERNAL] = {500, "internal", "服务器内部错误"},
    [ERR_UNAVAILABLE] = {503, "unavailable", "存储暂不可用，请稍后再试"},
    [ERR_PW_CHANGE] = {403, "password_change_required", "首次登录须先修改密码"},
};

int err_http_status(enum err e)
{
    return (e >= 0 && e < ERR__COUNT) ? table[e].status : 500;
}

const char *err_code(enum err e)
{
    return (e >= 0 && e < ERR__COUNT) ? table[e].code : "internal";
}

const char *err_message(enum err e)
{
    return (e >= 0 && e < ERR__COUNT) ? table[e].message : "服务器内部错误";
}

enum err problem_set(struct problem *p, enum err e, const char *field, const char *fmt, ...)
{
    p->err = e;
    snprintf(p->field, sizeof p->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof p->msg, fmt, ap);
    va_end(ap);
    utf8_scrub(p->msg); /* a quoted cell or a long message may be cut mid-character */
    return e;
}
