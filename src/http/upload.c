/* upload.c - the checks and answers every file upload and download route shares (see
 * upload.h), over the pure file rules of base/filetype.h. */
#include "http/upload.h"
#include "base/filetype.h"
#include <string.h>

enum err upload_check(struct req *r, const char *name, const char **declared)
{
    if (!filetype_name_valid(name))
        return req_fail(r, ERR_RULE, "name",
                        "文件名应为 1 到 %d 个字符，不能含有 / \\、控制字符或文字方向控制符",
                        FILETYPE_NAME_MAX);
    *declared = filetype_allowed(r->content_type);
    if (!*declared)
        return req_fail(r, ERR_MEDIA_TYPE, "Content-Type",
                        "不支持的文件类型 %.80s：可上传 PDF、JPEG、PNG、WebP 图片、Word（.docx）、"
                        "Excel（.xlsx）、UTF-8 纯文本或 MP4 视频",
                        r->content_type ? r->content_type : "（未声明）");
    if (r->body_len == 0) return req_fail(r, ERR_RULE, "file", "文件为空");
    const char *actual = filetype_sniff(r->body, r->body_len);
    if (!actual || strcmp(actual, *declared) != 0)
        return req_fail(r, ERR_MEDIA_TYPE, "Content-Type",
                        actual ? "文件内容与声明的类型不符：声明为%s，实际内容是%s"
                               : "文件内容与声明的类型不符：声明为%s，但文件内容不是%s",
                        filetype_label(*declared),
                        actual ? filetype_label(actual) : filetype_label(*declared));
    return OK;
}

enum err upload_answer(struct req *r, const char *name, const char *declared, const char *hash,
                       bool created)
{
    r->audit_detail = arena_printf(r->a, "%s %zu bytes %s", declared, r->body_len, hash);
    return reply_json(r, created ? 201 : 200,
                      json_pack("{s:s,s:s,s:s,s:I,s:s}", "name", name, "content_type", declared,
                                "type_label", filetype_label(declared), "size",
                                (json_int_t)r->body_len, "hash", hash));
}

enum err upload_download(struct req *r, const char *name, const char *type, const void *data,
                         size_t len)
{
    if (strcmp(type, "text/plain") == 0) type = "text/plain; charset=utf-8"; /* stored as UTF-8 */
    return reply_raw(r, 200, type, data, len, arena_strdup(r->a, name));
}

void *upload_arena_alloc(void *arena, size_t n)
{
    return arena_alloc(arena, n);
}
