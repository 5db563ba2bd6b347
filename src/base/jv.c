/* jv.c - JSON body parsing with a depth bound and typed field readers with Chinese errors. */
#include "base/jv.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void jv_fail(struct jv *v, enum err e, const char *field, const char *fmt, ...)
{
    if (v->err != OK) return;
    v->err = e;
    v->field = field;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->msg, sizeof v->msg, fmt, ap);
    va_end(ap);
}

bool jv_ok(const struct jv *v)
{
    return v->err == OK;
}

/* Depth of [ and { outside strings; stops counting once past the limit. */
static bool depth_within(const char *s, size_t n, int max_depth)
{
    int depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) return false;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return true;
}

json_t *jv_parse(struct jv *v, const char *body, size_t len, int max_depth)
{
    memset(v, 0, sizeof *v);
    if (!body || len == 0) {
        jv_fail(v, ERR_BAD_REQUEST, NULL, "请求体为空，应为 JSON 对象");
        return NULL;
    }
    if (!depth_within(body, len, max_depth)) {
        jv_fail(v, ERR_BAD_REQUEST, NULL, "JSON 嵌套层数超过 %d", max_depth);
        return NULL;
    }
    json_error_t e;
    json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &e);
    if (!j) {
        jv_fail(v, ERR_BAD_REQUEST, NULL, "JSON 格式错误（第 %d 行第 %d 列）：%s", e.line, e.column,
                e.text);
        return NULL;
    }
    return j;
}

bool jv_begin(struct jv *v, json_t *obj, const char *const *allowed)
{
    v->obj = obj;
    if (!json_is_object(obj)) {
        jv_fail(v, ERR_BAD_REQUEST, NULL, "请求体应为 JSON 对象");
        return false;
    }
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        (void)val;
        bool known = false;
        for (const char *const *a = allowed; a && *a; a++)
            if (strcmp(*a, key) == 0) known = true;
        if (!known) {
            jv_fail(v, ERR_BAD_REQUEST, key, "未知字段：%s", key);
            return false;
        }
    }
    return true;
}

static json_t *field(struct jv *v, const char *name, bool required)
{
    if (v->err != OK || !v->obj) return NULL;
    json_t *x = json_object_get(v->obj, name);
    if (!x || json_is_null(x)) {
        if (required) jv_fail(v, ERR_BAD_REQUEST, name, "缺少必填字段：%s", name);
        return NULL;
    }
    return x;
}

const char *jv_str(struct jv *v, const char *name, bool required, size_t maxlen)
{
    json_t *x = field(v, name, required);
    if (!x) return NULL;
    if (!json_is_string(x)) {
        jv_fail(v, ERR_BAD_REQUEST, name, "字段 %s 应为字符串", name);
        return NULL;
    }
    const char *s = json_string_value(x);
    size_t n = json_string_length(x);
    if (strlen(s) != n) {
        jv_fail(v, ERR_BAD_REQUEST, name, "字段 %s 含有空字符", name);
        return NULL;
    }
    if (n == 0 && required) {
        jv_fail(v, ERR_RULE, name, "字段 %s 不能为空", name);
        return NULL;
    }
    if (n > maxlen) {
        jv_fail(v, ERR_RULE, name, "字段 %s 过长（最多 %zu 字节）", name, maxlen);
        return NULL;
    }
    return n ? s : NULL;
}

int jv_choice(struct jv *v, const char *name, bool required, const char *const *choices)
{
    const char *s = jv_str(v, name, required, 64);
    int n = 0;
    while (choices[2 * n])
        n++;
    for (int i = 0; s && i < n; i++)
        if (strcmp(s, choices[2 * i]) == 0) return i;
    if (!s) return -1;
    char list[200] = "";
    size_t len = 0;
    for (int i = 0; i < n && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s（%s）",
                                i == 0       ? ""
                                : i == n - 1 ? "或 "
                                             : "、",
                                choices[2 * i], choices[2 * i + 1]);
    jv_fail(v, ERR_RULE, name, "%s 应为 %s", name, list);
    return -1;
}

long long jv_int(struct jv *v, const char *name, bool required, long long min, long long max,
                 long long def)
{
    json_t *x = field(v, name, required);
    if (!x) return def;
    if (!json_is_integer(x)) {
        jv_fail(v, ERR_BAD_REQUEST, name, "字段 %s 应为整数", name);
        return def;
    }
    long long n = json_integer_value(x);
    if (n < min || n > max) {
        jv_fail(v, ERR_RULE, name, "字段 %s 应在 %lld 到 %lld 之间", name, min, max);
        return def;
    }
    return n;
}

bool jv_bool(struct jv *v, const char *name, bool required, bool def)
{
    json_t *x = field(v, name, required);
    if (!x) return def;
    if (!json_is_boolean(x)) {
        jv_fail(v, ERR_BAD_REQUEST, name, "字段 %s 应为 true 或 false", name);
        return def;
    }
    return json_is_true(x);
}

json_t *jv_str_array(struct jv *v, const char *name, bool required, size_t max_items, size_t maxlen)
{
    json_t *x = field(v, name, required);
    if (!x) return NULL;
    if (!json_is_array(x)) {
        jv_fail(v, ERR_BAD_REQUEST, name, "字段 %s 应为字符串数组", name);
        return NULL;
    }
    if (json_array_size(x) > max_items) {
        jv_fail(v, ERR_RULE, name, "字段 %s 最多 %zu 项", name, max_items);
        return NULL;
    }
    size_t i;
    json_t *it;
    json_array_foreach(x, i, it)
    {
        if (!json_is_string(it)) {
            jv_fail(v, ERR_BAD_REQUEST, name, "字段 %s 的第 %zu 项应为字符串", name, i + 1);
            return NULL;
        }
        if (json_string_length(it) > maxlen) {
            jv_fail(v, ERR_RULE, name, "字段 %s 的第 %zu 项过长", name, i + 1);
            return NULL;
        }
    }
    if (required && json_array_size(x) == 0) {
        jv_fail(v, ERR_RULE, name, "字段 %s 至少需要一项", name);
        return NULL;
    }
    return x;
}
