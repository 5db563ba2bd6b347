/* upload.c - shared checks and answers of file uploads and downloads; see upload.h. */
#include "work/upload.h"
#include "work/work.h"
#include <string.h>

enum err upload_check(struct req *r, const char *name, const char **declared)
{
    if (!work_evidence_name_valid(name))
        return req_fail(r, ERR_RULE, "name", "文件名应为 1 到 %d 个字符，不能含有 / \\、控制字符或文字方向控制符",
                        WORK_EVIDENCE_NAME_MAX);
    *declared = work_evidence_type(r->content_type);
    if (!*declared)
        return req_fail(r, ERR_MEDIA_TYPE, "Content-Type",
                        "不支持的文件类型 %.80s：可上传 PDF、JPEG、PNG、WebP 图片、Word（.docx）、"
                        "Excel（.xlsx）、UTF-8 纯文本或 MP4 视频",
                        r->content_type ? r->content_type : "（未声明）");
    if (r->body_len == 0) return req_fail(r, ERR_RULE, "file", "文件为空");
    const char *actual = work_sniff(r->body, r->body_len);
    if (!actual || strcmp(actual, *declared) != 0)
        return req_fail(r, ERR_MEDIA_TYPE, "Content-Type",
                        actual ? "文件内容与声明的类型不符：声明为%s，实际内容是%s"
                               : "文件内容与声明的类型不符：声明为%s，但文件内容不是%s",
                        work_type_label(*declared),
                        actual ? work_type_label(actual) : work_type_label(*declared));
    return OK;
}

enum err upload_answer(struct req *r, const char *name, const char *declared, const char *hash,
                       bool created)
{
    r->audit_detail = arena_printf(r->a, "%s %zu bytes %s", declared, r->body_len, hash);
    return reply_json(r, created ? 201 : 200,
                      json_pack("{s:s,s:s,s:s,s:I,s:s}", "name", name, "content_type", declared,
                                "type_label", work_type_label(declared), "size",
                                (json_int_t)r->body_len, "hash", hash));
}

enum err upload_download(struct req *r, const char *name, const char *type, const void *data,
                         size_t len)
{
    char *fn = arena_alloc(r->a, 400);
    if (strcmp(type, "text/plain") == 0) type = "text/plain; charset=utf-8"; /* stored as UTF-8 */
    return reply_raw(r, 200, type, data, len, work_rfc5987(name, fn, 400));
}

void *upload_arena_alloc(void *arena, size_t n)
{
    return arena_alloc(arena, n);
}
